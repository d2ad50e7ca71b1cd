"""Every notebook with an explorer, run in JupyterLab in headless Chromium, its sliders moved from the keyboard.

One JupyterLab server (over a copy of the notebooks, outputs cleared) serves all of them. For each explorer,
every slider is moved one step away from its nearer end and back; each key press must bring a new image, and
afterwards the explorer shows exactly one image and no traceback. No cell may fail and no JavaScript error may
appear. This asserts behaviour, not speed: `python -m benchmarks.explorers` measures the latency.
"""

import pathlib
import re
import shutil

import pytest

from benchmarks.explorers import ENV, plan, work_copy

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXPLORER_CALL = re.compile(r"\w+_explorer\(")


def explorer_calls(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and EXPLORER_CALL.search(c.source))


NOTEBOOKS = [p.name for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) if explorer_calls(p)]


@pytest.fixture(scope="module")
def lab(require_browser):
    from benchmarks.browser import Chromium, Lab

    root = work_copy(NOTEBOOKS)
    try:
        with Lab(root, env=ENV) as server, Chromium() as browser:
            yield server, browser
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_notebooks_with_sliders_are_found():
    assert len(NOTEBOOKS) >= 3, NOTEBOOKS


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_sliders_redraw_in_jupyterlab(lab, notebook):
    from benchmarks.browser import explorer_cells, explorer_state, notebook_outputs, press, run_all_cells

    server, browser = lab
    browser.errors.clear()
    page = browser.open(server, f"notebooks/{notebook}")
    try:
        run_all_cells(page)
        cells = explorer_cells(page)
        assert len(cells) == explorer_calls(ROOT / "notebooks" / notebook), "an explorer shows no sliders"
        for cell in cells:
            state = explorer_state(page, cell)
            assert state["images"] == 1, f"cell {cell} starts with {state['images']} images"
            for i, sign in plan(state["sliders"], 2 * len(state["sliders"])):  # one step out and back each
                before = explorer_state(page, cell)
                press(page, cell, i, "ArrowRight" if sign > 0 else "ArrowLeft")  # raises if no new image comes
                after = explorer_state(page, cell)
                name = before["sliders"][i]["description"]
                assert after["sliders"][i]["readout"] != before["sliders"][i]["readout"], f"{name} did not move"
                assert after["images"] == 1, f"{name}: {after['images']} images after a move"
                assert after["srcs"] != before["srcs"]
                assert "Traceback" not in after["text"], after["text"][-2000:]
        for k, outputs in enumerate(notebook_outputs(page)):
            errors = [o for o in outputs if o.get("output_type") == "error"]
            assert not errors, f"code cell {k}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
            assert not any("Traceback" in "".join(o.get("text", "")) for o in outputs), f"code cell {k}"
        assert browser.errors == [], browser.errors
    finally:
        page.close()
