"""What students really submit, each a test: the grader runs a folder of tiny submissions (NumPy-only kernels,
about a second each) in two worker processes, as ``python -m grading --jobs 2`` does, and every verdict must be
the checker's own, whatever the notebook did to itself, to its copy of the course, or to the grader's files.

All slow: the folder takes about 25 s to grade on 2 cores (once, for the whole module); each test then reads it."""

import glob
import json
import linecache
import os
import uuid

import pytest

from grading import cli, report, synthetic
from grading.runner import Config
from grading.submissions import discover
from scripts.notebook_cells import setup_source
from tests.grading_fixtures import tiny

pytestmark = pytest.mark.slow
CONFIG = Config(cell_timeout=30.0, call_timeout=2.0, timeout=90.0, memory_gb=1.5, interrupt_grace=2.0)
MARKER = f"grading-stray-{uuid.uuid4().hex[:8]}"

LOOP = "while True:\n    pass"
STUBBORN = "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except BaseException:\n        pass"
PARTIAL = {"double": "return x ** 2", "row_means": "y = X.mean(axis=1)\nreturn y[100]"}
TYPES = {"double": "return (v for v in x)", "row_means": "return X.mean(1).tolist()",
         "scale": "return [a * x]"}
VANDAL = """\
import os, shutil
root = os.path.dirname(os.path.dirname(os.getcwd()))  # the scratch copy of the course
shutil.rmtree(os.path.join(root, "data"))
for dirpath, _, files in os.walk(os.path.join(root, "helpers")):
    for f in files:
        with open(os.path.join(dirpath, f), "w") as out:
            out.write("raise SystemExit('vandalized')\\n")
for f in os.listdir("."):
    os.remove(f)
os.chmod(os.path.join(root, "helpers"), 0)"""
TAMPER = """\
import json, os, sys
ROOT = os.path.abspath(".")
while not os.path.isfile(os.path.join(ROOT, "helpers", "__init__.py")):
    ROOT = os.path.dirname(ROOT)
sys.path.insert(0, ROOT)
import helpers.exercises
from helpers.exercises import _core

always = lambda *args, **kwargs: _core.Result("x", True, "✔ correct. Well done!")
for name in dir(helpers.exercises):
    if name.startswith("check"):
        setattr(helpers.exercises, name, always)
_core.check = always
_core.Result.__bool__ = lambda self: True
check_double = check_row_means = check_scale = always
fake = {{"score": 100.0, "tests": [{{"name": "all", "score": 100.0, "max_score": 4.0}}]}}
for path in ["results.json", os.path.join(ROOT, "results.json"), {out!r} + "/results/tamper.json",
             {out!r} + "/results/ghost.json"]:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        json.dump(fake, f)
with open({out!r} + "/grades.csv", "w") as f:
    f.write("path,total\\ntamper,100\\n")"""
COLAB_CHECK = """\
assert not IN_COLAB, "the setup cell took Colab's branch"
assert os.path.samefile(ROOT, os.path.join(os.getcwd(), "..", "..")), ROOT  # the scratch copy's root
assert helpers.__file__.startswith(ROOT), helpers.__file__"""
DAEMON = f"""\
import subprocess, sys
code = "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n    time.sleep(300)"
subprocess.Popen([sys.executable, "-c", code, "{MARKER}"], start_new_session=True).wait()"""


def cases(out):
    solved = tiny.notebook()
    renamed = tiny.notebook()
    for cell in renamed.cells:
        cell.source = cell.source.replace("def scale(", "def scale_it(")
    nb = {
        "solved": solved,
        "student": tiny.student(),
        "partial": tiny.notebook(PARTIAL),
        "types": tiny.notebook(TYPES),
        "loop": tiny.notebook({"double": LOOP}),
        "stubborn": tiny.notebook({"double": STUBBORN}),
        "sys_exit": tiny.notebook(top=["import sys\nsys.exit()"]),
        "os_exit": tiny.notebook(top=["import os\nos._exit(1)"]),
        "segfault": tiny.notebook(top=["import ctypes\nctypes.string_at(0)"]),
        "print_many_lines": tiny.notebook(top=["for i in range(50_000):\n    print('z' * 99)"]),
        "memory_hog": tiny.notebook(top=["hog = np.ones(3 * 2**30 // 8)"]),
        "vandal": tiny.notebook({"double": "return x"}, top=[VANDAL]),
        "tamper": tiny.notebook({"double": "return x", "row_means": "return X.sum(1)"},
                                top=[TAMPER.format(out=out)]),
        "colab": synthetic.colab_saved(tiny.notebook(top=[setup_source(), COLAB_CHECK])),
        "jupyter44": synthetic.jupyter_44(solved),
        "no_check_cells": tiny.notebook(checks=False),
        "renamed_function": renamed,
        "daemon": tiny.notebook(top=[DAEMON]),
        "a/same": solved,
        "b/same": tiny.student(),
        "Copy of tiny (2)": tiny.notebook(title="Renamed title, metadata kept"),
        "not_functions": tiny.notebook(top=["name = input('your name? ')"], checks=False, bottom=["scale = 3"]),
        "unknown": tiny.notebook(metadata=False, title="Homework 7"),
    }
    files = {f"{k}.ipynb": synthetic.to_bytes(v) for k, v in nb.items()}
    files.update({"truncated.ipynb": files["solved.ipynb"][:300], "empty.ipynb": b"",
                  "script.ipynb": b"import numpy as np\n\ndef double(x):\n    return 2 * x\n"})
    return files


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{key: result} for the whole folder, graded like ``--jobs 2``, and the output folder written."""
    root = tmp_path_factory.mktemp("grading")
    subs, out = root / "subs", root / "out"
    for name, data in cases(str(out)).items():
        (subs / name).parent.mkdir(parents=True, exist_ok=True)
        (subs / name).write_bytes(data)
    before = cli.fingerprint(CONFIG.course_root)
    submissions = discover([str(subs)])
    results = cli.grade_all(submissions, CONFIG, jobs=2, progress=False, course=tiny.COURSE)
    report.write_all(results, str(out))
    assert cli.fingerprint(CONFIG.course_root) == before, "the instructor's tree changed"
    return {r["key"]: r for r in results}, out


def scores(r):
    return [s["score"] for s in r["steps"]]


def local_message(step, body):
    """The checker's message for ``body`` run in this process, as the student sees it in the notebook."""
    source = f"def {step.function}({tiny.ARGS[step.function]}):\n" + \
        "\n".join("    " + line for line in body.splitlines())
    name = f"<cell-{step.function}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    ns = {"np": __import__("numpy")}
    exec(compile(source, name, "exec"), ns)
    return getattr(tiny, step.checker)(ns[step.function]).message


def test_every_submission_gets_a_row_and_its_own_files(graded):
    results, out = graded
    assert len(results) == len(cases("x"))
    assert sorted(os.listdir(out / "feedback")) == sorted(f"{k}.md" for k in results)
    assert sorted(os.listdir(out / "results")) == sorted(f"{k}.json" for k in results)


def test_the_solution_gets_full_marks_and_its_answer_is_copied(graded):
    r = graded[0]["solved"]
    assert (r["status"], r["total"], r["max"]) == ("ok", tiny.MAX, tiny.MAX) and r["notes"] == []
    assert r["questions"][0]["answer"] == tiny.ANSWER
    assert tiny.ANSWER in (graded[1] / "feedback" / "solved.md").read_text()


def test_the_unmodified_student_version_scores_zero_not_implemented(graded):
    r = graded[0]["student"]
    assert r["status"] == "ok" and r["total"] == 0
    assert all("not implemented yet" in s["message"] for s in r["steps"])


@pytest.mark.parametrize("key, bodies", [("partial", PARTIAL), ("types", TYPES)])
def test_wrong_steps_get_the_hint_the_student_saw_and_right_ones_count(graded, key, bodies):
    r = graded[0][key]
    for step, got in zip(tiny.STEPS, r["steps"]):
        body = bodies.get(step.function, tiny.SOLVED[step.function])
        assert got["message"] == local_message(step, body)  # the same checker, the same verdict, the same line
        assert got["score"] == (step.points if got["passed"] else 0)
    expected = {"partial": [0, 0, 1], "types": [0, 2, 0]}[key]
    assert scores(r) == expected and r["total"] == sum(expected)
    if key == "partial":
        assert "you squared x" in r["steps"][0]["message"]
        assert "raised IndexError on input 1 (shape (4, 3)) at line 3: `return y[100]`" in r["steps"][1]["message"]
    else:
        assert "is a generator, not numbers" in r["steps"][0]["message"]
        assert "has shape (1, 4), expected (4,)" in r["steps"][2]["message"]


@pytest.mark.parametrize("key", ["loop", "stubborn"])
def test_an_infinite_loop_times_out_that_step_and_the_others_are_graded(graded, key):
    r = graded[0][key]
    assert r["status"] == "timeout" and scores(r) == [0, 2, 1]
    assert r["steps"][0]["outcome"] == "timeout" and "did not return within 2 s" in r["steps"][0]["message"]
    assert any("restarted" in n for n in r["notes"]) == (key == "stubborn")  # ignores KeyboardInterrupt
    assert r["seconds"] < 60  # bounded by the time limits, far below the 90 s notebook limit


@pytest.mark.parametrize("key, status, how", [("sys_exit", "ok", "raised SystemExit"),
                                              ("os_exit", "crashed", "exit code 1"),
                                              ("segfault", "crashed", "SIGSEGV")])
def test_exits_and_crashes_at_the_top_are_a_status_and_the_rest_is_graded(graded, key, status, how):
    r = graded[0][key]
    assert r["status"] == status and r["total"] == tiny.MAX
    assert any(how in n for n in r["notes"]), r["notes"]


def test_many_lines_of_output_are_counted_not_kept(graded):
    r = graded[0]["print_many_lines"]
    assert r["status"] == "ok" and r["total"] == tiny.MAX and r["notes"] == []
    assert (graded[1] / "feedback" / "print_many_lines.md").stat().st_size < 5_000


def test_allocating_far_too_much_memory_fails_in_the_kernel_only(graded):
    r = graded[0]["memory_hog"]
    assert r["status"] == "ok" and r["total"] == tiny.MAX
    assert any("MemoryError" in n for n in r["notes"]), r["notes"]


def test_vandalizing_the_copy_changes_no_verdict(graded):
    r = graded[0]["vandal"]
    assert scores(r) == [0, 2, 1] and "you returned x itself" in r["steps"][0]["message"]
    # and the next submissions in the same worker were graded normally (the fixture checked the tree)


def test_tampering_with_checkers_result_and_results_files_gets_no_credit(graded):
    results, out = graded
    r = results["tamper"]
    assert scores(r) == [0, 0, 1] and r["total"] == 1
    assert "you returned x itself" in r["steps"][0]["message"] and "you summed" in r["steps"][1]["message"]
    assert any("reaches into helpers.exercises" in n for n in r["notes"])
    assert json.loads((out / "results" / "tamper.json").read_text())["score"] == 1
    assert not (out / "results" / "ghost.json").exists()
    assert "tamper,100" not in (out / "grades.csv").read_text()


@pytest.mark.parametrize("key", ["colab", "jupyter44", "no_check_cells", "a__same", "Copy_of_tiny_2"])
def test_other_shapes_of_a_right_submission_get_full_marks(graded, key):
    """Saved by Colab (its setup cell takes the local branch, on the scratch copy), by Jupyter 4.4, without
    checker cells (checked at the end), in a folder, renamed and retitled."""
    r = graded[0][key]
    assert (r["status"], r["total"], r["identified_by"], r["notes"]) == ("ok", tiny.MAX, "metadata", [])


def test_input_fails_quietly_and_a_name_that_is_no_function_is_told(graded):
    r = graded[0]["not_functions"]
    assert scores(r) == [1, 2, 0] and r["notes"][0].startswith("cell 3 raised StdinNotImplementedError")
    assert r["steps"][2]["message"] == "✘ scale: expected a function, got a Python number."


def test_a_renamed_function_is_reported_not_defined(graded):
    r = graded[0]["renamed_function"]
    assert scores(r) == [1, 2, 0] and "scale is not defined" in r["steps"][2]["message"]


def test_same_file_names_in_two_folders_are_two_rows(graded):
    results, out = graded
    assert results["a__same"]["total"] == tiny.MAX and results["b__same"]["total"] == 0
    rows = (out / "grades.csv").read_text().splitlines()
    assert sum(("/a/same.ipynb" in row) + ("/b/same.ipynb" in row) for row in rows) == 2


@pytest.mark.parametrize("key, status, why", [("unknown", "unknown assignment", "Homework 7"),
                                              ("truncated", "not a notebook", "not valid JSON"),
                                              ("empty", "not a notebook", "empty"),
                                              ("script", "not a notebook", "not valid JSON")])
def test_what_is_not_an_assignment_is_a_row_not_a_crash(graded, key, status, why):
    r = graded[0][key]
    assert r["status"] == status and r["total"] == 0 and r["max"] is None and why in r["notes"][0]
    assert json.loads((graded[1] / "results" / f"{key}.json").read_text())["score"] == 0


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_no_process_a_submission_started_outlives_it(graded):
    assert graded[0]["daemon"]["total"] == tiny.MAX
    leftover = []
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(path, "rb") as f:
                if MARKER.encode() in f.read():
                    leftover.append(path)
        except OSError:
            pass
    assert leftover == []
