"""benchmarks.explorers runs and reports (on a tiny notebook), so it cannot rot. Speed is not asserted."""

import numpy as np
import pytest

from benchmarks import explorers
from benchmarks.harness import Figure, table


def test_plan_moves_every_slider_out_and_back():
    sliders = [{"now": 0, "min": 0, "max": 10}, {"now": 9, "min": 0, "max": 10}, {"now": 5, "min": 0, "max": 10}]
    moves = explorers.plan(sliders, 12)
    assert moves == [(0, 1)] * 2 + [(0, -1)] * 2 + [(1, -1)] * 2 + [(1, 1)] * 2 + [(2, 1)] * 2 + [(2, -1)] * 2
    assert explorers.plan(sliders[:1], 1) == [(0, 1), (0, -1)]  # at least one step each way


def test_percentile_matches_numpy(rng):
    xs = list(rng.exponential(size=37))
    for q in (0, 50, 95, 100):
        assert explorers.percentile(xs, q) == pytest.approx(np.percentile(xs, q), rel=1e-12)


def test_table_and_figures_report_both_sides():
    kernel = {"02 cost_explorer": [0.01, 0.02, 0.03]}
    browser = {"02 cost_explorer": [0.1, 0.12, 0.4]}
    text = explorers.format_table(kernel, browser, "load average: 1", "load average: 2")
    row = next(line for line in text.splitlines() if line.startswith("| 02 cost_explorer"))
    assert row.split("|")[2:8] == [" 20 ", " 29 ", " 30 ", " 120 ", " 372 ", " 400 "] and "MISSED" in row
    assert "load average: 1" in text and "— | — | —" not in row


@pytest.mark.slow
def test_kernel_side_measures_an_explorer_in_a_real_kernel(tmp_path):
    # A tiny notebook with one explorer, run in its own kernel: each planned move is timed.
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells = [nbformat.v4.new_code_cell(
        f"import sys\nsys.path.insert(0, {str(explorers.ROOT)!r})\nimport numpy as np\n"
        "from helpers.widgets import cost_explorer\nx = np.linspace(-1, 1, 30)\n"
        "cost_explorer(x[:, None], 2 * x + 1)")]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "99_tiny.ipynb")
    times = explorers.kernel_side(str(tmp_path), ("99_tiny.ipynb",), moves=4)
    assert list(times) == ["02 cost_explorer"] and len(times["02 cost_explorer"]) >= 4
    assert all(0 < t < 60 for t in times["02 cost_explorer"])
    figures = [Figure("x: kernel side", explorers.Timing(times["02 cost_explorer"]))]
    assert "x: kernel side" in table(figures)
