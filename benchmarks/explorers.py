"""How fast the notebooks' explorers answer a slider move: kernel side, and end to end in a real browser.

    python -m benchmarks.explorers                 # both (the browser part skipped without Chromium + Playwright)
    python -m benchmarks.explorers --kernel-only   # no browser
    python -m benchmarks.explorers --moves 40
    python -m benchmarks.explorers --repo ../main  # another checkout's helpers and notebooks (before/after)

Each notebook with an explorer (02, 03, 04) is executed top to bottom, as a
student runs it; then every explorer gets the same sequence of one-step slider
moves (each slider in turn, a few steps away from its nearer end and back),
after two warm-up moves that are not counted.

* **kernel side**: in the notebook's own kernel (jupyter_client), the time from setting a
  slider's value (what a slider event does) until the explorer has its new PNG
  ready and sent;
* **end to end**: in JupyterLab in headless Chromium, from the keydown event of
  an arrow key on the focused slider to the explorer's new image decoded in the page.

The end-to-end peer is a floor measured in the same page, right after the notebook's explorers: a slider
whose callback only hands a prepared PNG of an explorer's size to an Image widget (`FLOOR_NOTEBOOK`, a cell
added to the copy), that is, the round trip with no work in it. An explorer can come close to it, not below.

The targets (issue 17) are end to end: median <= 150 ms, 95th percentile <= 300 ms.
The machine's load average is printed with the table: on a shared machine,
compare runs only at similar load. `figures(quick)` returns `benchmarks.harness.Figure`
objects (and notes), as the suite's sections do.
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile

import nbformat

from helpers import Timing

from .harness import Figure, fmt_seconds

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = ("02_direct_vs_gradient_descent.ipynb", "03_feature_maps.ipynb", "04_logistic_regression.ipynb")
MEDIAN_TARGET, P95_TARGET = 0.150, 0.300  # seconds, end to end
WARMUP = 2
FLOOR = "floor: a slider that shows a ready PNG"
# The peer of every end-to-end time: a slider whose callback only hands a prepared PNG of an explorer's size
# to an Image widget. What it takes is the cost of the round trip itself (browser, server, kernel, decoding).
FLOOR_NOTEBOOK = """\
import io
import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

rng = np.random.default_rng(0)
x = rng.normal(size=342)
t = 4.2 + 0.7 * x + 0.4 * rng.normal(size=342)
pngs = []
for slope in np.linspace(-0.5, 1.9, 41):
    fig = Figure(figsize=(11, 4.4), dpi=90)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    left.scatter(x, t, s=12)
    left.plot([-3, 3], [4.2 - 3 * slope, 4.2 + 3 * slope], "k")
    right.plot(np.sort(x), np.sort(t))
    fig.suptitle(f"slope {slope:.2f}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    pngs.append(buf.getvalue())
image = widgets.Image(value=pngs[20], format="png")
slider = widgets.IntSlider(value=20, min=0, max=40, description="floor", continuous_update=False)
slider.observe(lambda change: setattr(image, "value", pngs[change["new"]]), names="value")
widgets.VBox([slider, image])
"""
ENV = {"HELPERS_DEVICE": "cpu", "HELPERS_DATASET": "digits", "MPLBACKEND": "Agg"}
# Which explorer a set of slider descriptions belongs to (the description of its first slider).
NAMES = {"w (slope)": "02 cost_explorer", "learning rate": "02 descent_explorer",
         "degree M": "03 polynomial_explorer", "w₁": "04 logistic_explorer", "floor": FLOOR}


def load_average():
    """The 1, 5 and 15 minute load averages, as `uptime` prints them."""
    try:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"
    except OSError:  # pragma: no cover (not on every platform)
        return "load average: unknown"


def percentile(xs, q):
    """The q-th percentile (0..100) of ``xs``, linear interpolation between order statistics (NumPy's default)."""
    xs = sorted(xs)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def plan(sliders, moves):
    """(slider index, +1 or -1) pairs: each slider in turn, k steps away from its nearer end and k steps back.

    ``sliders`` are dicts with ``now``, ``min``, ``max``; the browser and the kernel use the same plan.
    """
    k = max(1, -(-moves // (2 * len(sliders))))
    out = []
    for i, s in enumerate(sliders):
        up = 1 if (s["max"] - s["now"]) >= (s["now"] - s["min"]) else -1
        out += [(i, up)] * k + [(i, -up)] * k
    return out


def work_copy(notebooks=NOTEBOOKS, repo=ROOT, floor=False):
    """A temporary folder with ``repo``'s helpers/, data/ and notebooks (outputs cleared), as a fresh clone has
    them; with ``floor``, each notebook ends with `FLOOR_NOTEBOOK`'s cell (the end-to-end peer)."""
    root = tempfile.mkdtemp(prefix="explorers-")
    for d in ("helpers", "data"):
        shutil.copytree(os.path.join(repo, d), os.path.join(root, d),
                        ignore=shutil.ignore_patterns("__pycache__", "cache", "mnist"))
    os.makedirs(os.path.join(root, "notebooks"))
    for name in notebooks:
        nb = nbformat.read(os.path.join(repo, "notebooks", name), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        if floor:  # the peer, measured in the same page, right after the notebook's explorers
            nb.cells.append(nbformat.v4.new_code_cell(FLOOR_NOTEBOOK))
        nbformat.write(nb, os.path.join(root, "notebooks", name))
    return root


# Runs in the notebook's kernel after the notebook: every explorer, the planned moves, seconds per move.
_KERNEL_PROBE = """
import json as _json, time as _time
import ipywidgets as _w
from helpers.widgets import Explorer as _Explorer
_seen = []
for _v in list(Out.values()) + list(globals().values()):
    if isinstance(_v, _Explorer) and not any(_v is _s for _s in _seen):
        _seen.append(_v)
_result = {}
for _ex in _seen:
    _sliders = list(_ex.controls.values())
    _plan = PLAN([{"now": s.value if not isinstance(s, _w.FloatLogSlider) else __import__("math").log10(s.value),
                   "min": s.min, "max": s.max} for s in _sliders], MOVES + WARMUP)
    _times = []
    for _i, _sign in _plan:
        _s = _sliders[_i]
        if isinstance(_s, _w.FloatLogSlider):
            _new = _s.base ** (__import__("math").log(_s.value, _s.base) + _sign * _s.step)
        else:
            _new = _s.value + _sign * _s.step
        _t = _time.perf_counter()
        _s.value = _new
        _times.append(_time.perf_counter() - _t)
    _result[_sliders[0].description] = _times[WARMUP:]
print("@@" + _json.dumps(_result))
"""


def run_in_kernel(path, extra_code, timeout=900):
    """Run the code cells of the notebook at ``path`` in a fresh kernel (in the notebook's folder, as Jupyter
    does), then ``extra_code``; returns what ``extra_code`` printed. A failing cell raises RuntimeError."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=os.path.dirname(path), env={**os.environ, **ENV})
    try:
        nb = nbformat.read(path, as_version=4)
        printed = []
        for k, source in enumerate([c.source for c in nb.cells if c.cell_type == "code"] + [extra_code]):
            out = []
            reply = kc.execute_interactive(source, timeout=timeout, allow_stdin=False, output_hook=out.append)
            if reply["content"]["status"] != "ok":
                c = reply["content"]
                raise RuntimeError(f"{os.path.basename(path)}, code cell {k}: {c.get('ename')}: {c.get('evalue')}")
            printed = [m["content"]["text"] for m in out if m["msg_type"] == "stream"]
        return "".join(printed)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def kernel_side(root, notebooks=NOTEBOOKS, moves=24):
    """{explorer name: [seconds per slider move]} measured in each notebook's own kernel."""
    import inspect

    probe = (f"MOVES, WARMUP = {moves}, {WARMUP}\n" + inspect.getsource(plan).replace("def plan(", "def PLAN(")
             + _KERNEL_PROBE)
    results = {}
    for name in notebooks:
        text = run_in_kernel(os.path.join(root, "notebooks", name), probe)
        found = json.loads(text.split("@@", 1)[1])
        results.update({NAMES.get(k, f"{name[:2]} {k}"): v for k, v in found.items()})
    return results


def browser_side(root, notebooks=NOTEBOOKS, moves=24):
    """{explorer name: [seconds per key press]}, key press to new image decoded in JupyterLab in Chromium;
    also returns the JavaScript errors seen."""
    from .browser import Chromium, Lab, explorer_cells, explorer_state, press, run_all_cells

    results = {}
    with Lab(root, env=ENV) as lab, Chromium() as browser:
        for name in notebooks:
            page = browser.open(lab, f"notebooks/{name}")
            run_all_cells(page)
            for cell in explorer_cells(page):
                sliders = explorer_state(page, cell)["sliders"]
                times = [press(page, cell, i, "ArrowRight" if sign > 0 else "ArrowLeft") / 1000
                         for i, sign in plan(sliders, moves + WARMUP)]
                label = NAMES.get(sliders[0]["description"], f"{name[:2]} cell {cell}")
                results[f"{label} in {name[:2]}" if label == FLOOR else label] = times[WARMUP:]
            page.close()
        return results, list(browser.errors)


def summary(times):
    return {"median": statistics.median(times), "p95": percentile(times, 95), "max": max(times), "n": len(times)}


def format_table(kernel, browser=None, load_before="", load_after=""):
    """A Markdown table: per explorer, kernel side and end to end (median, p95, max), in ms."""
    ms = lambda s: f"{s * 1e3:,.0f}"  # noqa: E731
    head = "| explorer | kernel side: median | p95 | max |"
    rule = "|---|---:|---:|---:|"
    if browser is not None:
        head += " end to end: median | p95 | max | target (median ≤ 150, p95 ≤ 300 ms) |"
        rule += "---:|---:|---:|---|"
    rows = [head, rule]
    for name in sorted(set(kernel) | set(browser or {})):
        k = summary(kernel[name]) if name in kernel else None
        row = f"| {name} | " + (" | ".join(ms(k[q]) for q in ("median", "p95", "max")) if k else "— | — | —") + " |"
        if browser is not None:
            if name in browser:
                b = summary(browser[name])
                met = b["median"] <= MEDIAN_TARGET and b["p95"] <= P95_TARGET
                row += " " + " | ".join(ms(b[q]) for q in ("median", "p95", "max"))
                row += f" | {'met' if met else 'MISSED'} |"
            else:
                row += " — | — | — | — |"
        rows.append(row)
    counts = sorted({len(t) for t in [*kernel.values(), *(browser or {}).values()]})
    n = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    rows.append("")
    rows.append(f"{n} timed slider moves per explorer (after {WARMUP} warm-up moves); times in ms. "
                f"Machine load before the run: {load_before}; after: {load_after}.")
    return "\n".join(rows)


def measure(moves=24, browser=True, notebooks=NOTEBOOKS, repo=ROOT):
    """Run both measurements on a fresh copy of ``repo``'s notebooks: (kernel, browser or None, errors, loads)."""
    from .browser import missing

    root = work_copy(notebooks, repo, floor=browser)
    try:
        load_before = load_average()
        kernel = kernel_side(root, notebooks, moves)
        ends, errors = (None, [])
        if browser and not missing():
            ends, errors = browser_side(root, notebooks, moves)
        return kernel, ends, errors, (load_before, load_average())
    finally:
        shutil.rmtree(root, ignore_errors=True)


def figures(quick=False):
    """Benchmark figures (`benchmarks.harness.Figure`) and notes, like the suite's sections."""
    from .browser import missing

    kernel, ends, errors, (before, after) = measure(moves=20 if quick else 24)
    out = [Figure(f"{name}: slider move, kernel side (event to PNG sent)", Timing(t),
                  note=f"p95 {fmt_seconds(percentile(t, 95))}, max {fmt_seconds(max(t))}",
                  extra={"p95": percentile(t, 95)}) for name, t in sorted(kernel.items())]
    notes = [f"explorers: {before} before, {after} after"]
    floors = {name: Timing(t) for name, t in (ends or {}).items() if name.startswith(FLOOR)}
    for name, t in sorted((ends or {}).items()):
        if name in floors:
            continue
        floor = floors.get(f"{FLOOR} in {name[:2]}")
        peer = dict(peer=floor, peer_name=FLOOR + " (same page)" if floor is not None else "")
        out.append(Figure(f"{name}: slider key press to image decoded, browser (median)", Timing(t), **peer,
                          target=MEDIAN_TARGET, target_kind="seconds",
                          note=f"p95 {fmt_seconds(percentile(t, 95))}, max {fmt_seconds(max(t))}"))
        peer["peer"] = None if floor is None else percentile(floor.runs, 95)
        out.append(Figure(f"{name}: slider key press to image decoded, browser (p95)", percentile(t, 95), **peer,
                          target=P95_TARGET, target_kind="seconds"))
    if ends is None:
        notes.append(f"explorers end to end: not measured ({missing() or 'browser part switched off'})")
    if errors:
        notes.append(f"explorers: JavaScript errors in the browser: {errors}")
    return out, notes


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.explorers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=24, help="timed slider moves per explorer (default 24)")
    parser.add_argument("--kernel-only", action="store_true", help="skip the browser measurement")
    parser.add_argument("--json", default=None, help="also write the raw times (seconds) to this file")
    parser.add_argument("--repo", default=ROOT, help="measure the helpers and notebooks of another checkout "
                        "(e.g. main, for a before/after comparison); default: this one")
    args = parser.parse_args(argv)
    from .browser import missing

    if not args.kernel_only and missing():
        print(f"end to end skipped: {missing()}")
    kernel, ends, errors, (before, after) = measure(args.moves, browser=not args.kernel_only, repo=args.repo)
    print(format_table(kernel, ends, before, after))
    if errors:
        print("JavaScript errors:", *errors, sep="\n  ")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"kernel": kernel, "browser": ends, "errors": errors, "load": [before, after]}, fh, indent=1)
    return kernel, ends


if __name__ == "__main__":
    main()
