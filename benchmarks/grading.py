"""Grading benchmark: seconds per submission for a generated folder of 50 submissions, ``--jobs 1`` and ``--jobs 2``.

    python -m benchmarks.grading                               # 50 submissions (about 20 minutes on 2 cores)
    python -m benchmarks.grading --quick                       # 12 submissions
    python -m benchmarks.grading --markdown benchmarks/GRADING.md

The folder is made from the course's notebooks and the registry (`grading.synthetic`, and the wrong solutions of
tests/grading_cases.py): for every notebook the student version, the solution as a student uploads it, a partly
wrong one, one with an infinite loop, one saved by Colab and one by Jupyter with nbformat 4.4; then, spread over
the notebooks, everything else the grader must survive (exits and crashes at the top, 100 MB of output, a huge
allocation, vandalism, tampering, files that are not notebooks, two files of one name, ...). Each has an expected
status and total, and the run checks every row of grades.csv against them.

Times: the whole command (``python -m grading DIR --out OUT``), start to end, once per ``--jobs``, after a small
warm-up run. The peer, measured in the same run: executing the solutions of the five notebooks with nbclient, as
CI does (no sandbox, no checks), against the grader on the same five files.
"""

import argparse
import csv
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import nbformat
from nbclient import NotebookClient

from grading import synthetic
from helpers.exercises.assignments import ASSIGNMENTS
from tests.grading_cases import WRONG

ROOT = synthetic.COURSE_ROOT
LOOP = "while True:\n    pass"
STUBBORN = "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except BaseException:\n        pass"
VANDAL = """\
import os, shutil
shutil.rmtree(os.path.join(ROOT, "data"), ignore_errors=True)
for dirpath, _, files in os.walk(os.path.join(ROOT, "helpers")):
    for f in files:
        with open(os.path.join(dirpath, f), "w") as out:
            out.write("check = lambda *a, **k: True\\n")
for f in os.listdir("."):
    os.remove(f)"""
TAMPER = """\
import json, os
import helpers.exercises
from helpers.exercises import _core
always = lambda *args, **kwargs: _core.Result("x", True, "✔ correct. Well done!")
for name in dir(helpers.exercises):
    if name.startswith("check"):
        setattr(helpers.exercises, name, always)
_core.check, _core.Result.__bool__ = always, lambda self: True
os.makedirs({out!r} + "/results", exist_ok=True)
with open({out!r} + "/results/tamper.json", "w") as f:
    json.dump({{"score": 100.0, "tests": []}}, f)"""


@dataclass
class Case:
    name: str  # path in the folder
    data: bytes
    status: str
    total: float = None  # None: not graded (no maximum)


def _points(stem, functions=()):
    steps = ASSIGNMENTS[stem].steps
    return sum(s.points for s in steps if s.function not in functions), sum(s.points for s in steps)


def generate(quick=False):
    """The cases, every notebook's six first, then the rest spread over the notebooks."""
    stems, cases = sorted(ASSIGNMENTS), []
    b = synthetic.to_bytes
    for stem in stems[2:3] if quick else stems:
        solved = synthetic.submitted(synthetic.read(stem), stem)
        student = synthetic.read(stem, student=True)
        full = _points(stem)[1]
        wrong = solved
        for function, body, _ in WRONG[stem]:
            wrong = synthetic.with_body(wrong, function, body)
        first = ASSIGNMENTS[stem].steps[0].function
        cases += [Case(f"{stem}/student.ipynb", b(student), "ok", 0.0),
                  Case(f"{stem}/solved.ipynb", b(solved), "ok", full),
                  Case(f"{stem}/partial.ipynb", b(wrong), "ok", _points(stem, {f for f, _, _ in WRONG[stem]})[0]),
                  Case(f"{stem}/loop.ipynb", b(synthetic.with_body(solved, first, LOOP)), "timeout",
                       _points(stem, {first})[0]),
                  Case(f"{stem}/colab.ipynb", b(synthetic.colab_saved(solved)), "ok", full),
                  Case(f"{stem}/jupyter44.ipynb", b(synthetic.jupyter_44(solved)), "ok", full)]
    cases += _more(stems if not quick else stems[2:3] * 2)
    return cases[:12] if quick else cases


def _more(stems):
    """Everything else, notebook k of the list for case k."""
    b = synthetic.to_bytes

    def solved(k):
        return synthetic.submitted(synthetic.read(stems[k % len(stems)]), stems[k % len(stems)])

    def stem(k):
        return stems[k % len(stems)]

    def full(k):
        return _points(stem(k))[1]

    def step(k, i=-1):
        return ASSIGNMENTS[stem(k)].steps[i]

    unknown = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Homework 7"),
                                              nbformat.v4.new_code_cell("x = 1")])
    retitled = solved(10)
    retitled.cells[0].source = retitled.cells[0].source.replace("# ", "# My version of ", 1)
    no_checks = solved(11)
    no_checks.cells = [c for c in no_checks.cells if "check_" not in c.source or "def " in c.source]
    renamed = solved(12)
    for c in renamed.cells:
        c.source = c.source.replace(f"def {step(12).function}(", f"def {step(12).function}_v2(")
    top = synthetic.with_cell
    return [
        Case("top/sys_exit.ipynb", b(top(solved(0), "import sys\nsys.exit()")), "ok", full(0)),
        Case("top/os_exit.ipynb", b(top(solved(1), "import os\nos._exit(1)")), "crashed", full(1)),
        Case("top/segfault.ipynb", b(top(solved(2), "import ctypes\nctypes.string_at(0)")), "crashed", full(2)),
        Case("output/print_100mb.ipynb", b(top(solved(3), "print('x' * 100_000_000)")), "ok", full(3)),
        Case("memory/hog.ipynb", b(top(solved(4), "import numpy as np\nhog = np.zeros(2**30)")), "ok", full(4)),
        Case("attacks/vandal.ipynb", b(top(synthetic.read(stem(5), student=True), VANDAL)), "ok", 0.0),
        Case("attacks/tamper.ipynb", b(top(synthetic.read(stem(6), student=True), TAMPER.format(out="{OUT}"))),
             "ok", 0.0),
        Case("broken/truncated.ipynb", b(solved(7))[:5000], "not a notebook"),
        Case("broken/empty.ipynb", b"", "not a notebook"),
        Case("broken/script.ipynb", b"import numpy as np\nprint(np.pi)\n", "not a notebook"),
        Case("dup/a/homework.ipynb", b(solved(8)), "ok", full(8)),
        Case("dup/b/homework.ipynb", b(synthetic.read(stem(8), student=True)), "ok", 0.0),
        Case("other/unknown.ipynb", b(unknown), "unknown assignment"),
        Case("renamed/Copy of homework (final) v2.ipynb", b(retitled), "ok", full(10)),
        Case("renamed/no_check_cells.ipynb", b(no_checks), "ok", full(11)),
        Case("renamed/function_renamed.ipynb", b(renamed), "ok", full(12) - step(12).points),
        Case("loop/stubborn.ipynb", b(synthetic.with_body(solved(13), step(13, 0).function, STUBBORN)), "timeout",
             full(13) - step(13, 0).points),
        Case("bugs/no_return.ipynb", b(synthetic.with_body(solved(14), step(14).function, "pass")), "ok",
             full(14) - step(14).points),
        Case("bugs/exits_inside.ipynb", b(synthetic.with_body(solved(15), step(15).function,
                                                              "import sys\nsys.exit(1)")), "ok",
             full(15) - step(15).points),
        Case("as_is/solution_with_outputs.ipynb", open(os.path.join(ROOT, "notebooks", f"{stem(16)}.ipynb"),
                                                       "rb").read(), "ok", full(16)),
    ]


def write(cases, folder, out):
    for case in cases:
        path = os.path.join(folder, case.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(case.data.replace(b"{OUT}", out.encode()))


def grade(folder, out, jobs, timeout):
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "grading", folder, "--out", out, "--jobs", str(jobs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"python -m grading exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds


def verify(cases, folder, out):
    """Mismatches between grades.csv and the cases' expected status and total (empty: all as expected)."""
    rows = {os.path.relpath(r["path"], folder): r for r in csv.DictReader(open(os.path.join(out, "grades.csv")))}
    bad = []
    for case in cases:
        r = rows.get(case.name)
        if r is None:
            bad.append(f"{case.name}: no row")
            continue
        total = float(r["total"]) if r["max"] else None
        if r["status"] != case.status or (case.total is not None and total != case.total):
            bad.append(f"{case.name}: expected {case.status} {case.total}, got {r['status']} {total} ({r['notes']})")
    if len(rows) != len(cases):
        bad.append(f"{len(rows)} rows for {len(cases)} submissions")
    return bad


def plain_execution(paths):
    """Seconds to execute the notebooks with nbclient, one after the other, as CI does."""
    env = dict(HELPERS_DEVICE="cpu", HELPERS_DATASET="digits", MPLBACKEND="Agg")
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        start = time.perf_counter()
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": os.path.dirname(path)}}).execute()
        return time.perf_counter() - start
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


def run(quick=False, jobs=(1, 2)):
    cases = generate(quick)
    work = tempfile.mkdtemp(prefix="grading-bench-")
    try:
        folder = os.path.join(work, "submissions")
        rows, problems = [], []
        solved = [c for c in cases if c.name.endswith("/solved.ipynb")]
        five = os.path.join(work, "five")
        write(solved, five, os.path.join(work, "out-five"))
        grade(five, os.path.join(work, "out-warm"), 1, 3600)  # warm-up (caches), not measured
        grader_five = grade(five, os.path.join(work, "out-five"), 1, 3600)
        copies = []
        for case in solved:  # as CI runs them: each in its own folder of a copy of the course
            copy = os.path.join(work, "plain", os.path.dirname(case.name))
            shutil.copytree(os.path.join(ROOT, "helpers"), os.path.join(copy, "helpers"))
            shutil.copytree(os.path.join(ROOT, "data"), os.path.join(copy, "data"))
            os.makedirs(os.path.join(copy, "notebooks"))
            copies.append(shutil.copy(os.path.join(five, case.name), os.path.join(copy, "notebooks")))
        plain_five = plain_execution(copies)
        for j in jobs:
            out = os.path.join(work, f"out-{j}")
            shutil.rmtree(folder, ignore_errors=True)
            write(cases, folder, out)
            seconds = grade(folder, out, j, 4 * 3600)
            problems += [f"--jobs {j}: {p}" for p in verify(cases, folder, out)]
            rows.append((j, seconds))
        return {"cases": len(cases), "rows": rows, "problems": problems, "grader_five": grader_five,
                "plain_five": plain_five, "five": len(solved)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(res):
    n, (j1, s1) = res["cases"], res["rows"][0]
    lines = ["| figure | seconds | per submission | ratio |", "|---|---|---|---|"]
    for j, s in res["rows"]:
        lines.append(f"| `--jobs {j}`, {n} submissions | {s:.0f} s | {s / n:.1f} s | "
                     f"{'—' if j == j1 else f'{s / s1:.2f}× of --jobs {j1}'} |")
    g, p, k = res["grader_five"], res["plain_five"], res["five"]
    lines.append(f"| grader on the {k} solutions (`--jobs 1`) | {g:.0f} s | {g / k:.1f} s | {g / p:.2f}× of nbclient |")
    lines.append(f"| nbclient executing the same {k} (peer) | {p:.0f} s | {p / k:.1f} s | — |")
    verdict = "all rows as expected" if not res["problems"] else f"{len(res['problems'])} MISMATCHES"
    return "\n".join(lines) + f"\n\nVerified against the expected status and total of each submission: {verdict}."


def machine():
    import numpy
    import torch
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return (f"{datetime.date.today()}, commit `{commit.stdout.strip() or '?'}`, Python {platform.python_version()}, "
            f"{platform.platform()}, {os.cpu_count()} cores, NumPy {numpy.__version__}, torch {torch.__version__}, "
            f"load average before {os.getloadavg()[0]:.1f}")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.grading", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="12 submissions of one notebook")
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the --jobs values to time")
    p.add_argument("--markdown", metavar="PATH", help="also write the table as a markdown section here")
    args = p.parse_args(argv)
    where = machine()
    res = run(args.quick, tuple(args.jobs))
    text = table(res)
    print(text)
    for problem in res["problems"]:
        print("-", problem)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(f"## Grading {res['cases']} submissions\n\nWritten by `python -m benchmarks.grading"
                    f"{' --quick' if args.quick else ''}`: {where}.\n\n{text}\n")
            f.writelines(f"- {problem}\n" for problem in res["problems"])
    return 1 if res["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
