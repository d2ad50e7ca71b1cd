"""The command end to end on a course notebook (END_TO_END in tests/grading_cases.py, the quickest to run):
`python -m grading` on a folder with the unmodified student version and a partly wrong solution, a student's
own check of the solution notebook without --out, and the Gradescope script. All slow (10 to 20 s each)."""

import csv
import json
import os
import subprocess
import sys

import pytest

from grading import synthetic
from helpers.exercises.assignments import ASSIGNMENTS
from tests.grading_cases import END_TO_END, WRONG

ROOT = synthetic.COURSE_ROOT
ASSIGNMENT = ASSIGNMENTS[END_TO_END]


def grading(*args):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "grading", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
def test_a_folder_of_course_submissions(tmp_path):
    partial = synthetic.submitted(synthetic.read(END_TO_END), END_TO_END)
    for function, body, _ in WRONG[END_TO_END]:
        partial = synthetic.with_body(partial, function, body)
    subs = tmp_path / "subs"
    (subs / "ann").mkdir(parents=True)
    (subs / "ben").mkdir()
    (subs / "ann" / "homework.ipynb").write_bytes(synthetic.to_bytes(synthetic.read(END_TO_END, student=True)))
    (subs / "ben" / "homework.ipynb").write_bytes(synthetic.to_bytes(partial))
    done = grading(str(subs), "--out", str(tmp_path / "out"), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-3000:]

    rows = list(csv.DictReader(open(tmp_path / "out" / "grades.csv", encoding="utf-8")))
    assert [r["path"] for r in rows] == [str(subs / "ann" / "homework.ipynb"), str(subs / "ben" / "homework.ipynb")]
    assert [r["status"] for r in rows] == ["ok", "ok"] and {r["notebook"] for r in rows} == {END_TO_END}
    maximum = sum(s.points for s in ASSIGNMENT.steps)
    wrong = {f for f, _, _ in WRONG[END_TO_END]}
    expected = sum(s.points for s in ASSIGNMENT.steps if s.function not in wrong)
    assert [float(r["total"]) for r in rows] == [0, expected] and {float(r["max"]) for r in rows} == {maximum}
    for s in ASSIGNMENT.steps:
        assert float(rows[1][f"{END_TO_END}:{s.function}"]) == (0 if s.function in wrong else s.points)

    student = json.loads((tmp_path / "out" / "results" / "ann__homework.json").read_text())
    checked = [t for t in student["tests"] if t["max_score"] > 0]  # the steps; written questions are graded by hand
    assert student["score"] == 0 and len(checked) == len(ASSIGNMENT.steps)
    assert all("not implemented yet" in t["output"] for t in checked)
    feedback = (tmp_path / "out" / "feedback" / "ben__homework.md").read_text()
    for _, _, hint in WRONG[END_TO_END]:
        assert hint in feedback  # the hint the student saw in the notebook


@pytest.mark.slow
def test_a_student_checks_their_own_notebook():
    done = grading(os.path.join("notebooks", f"{END_TO_END}.ipynb"))
    assert done.returncode == 0, done.stderr[-3000:]
    maximum = sum(s.points for s in ASSIGNMENT.steps)
    assert f"**Score: {maximum:g} / {maximum:g}**" in done.stdout
    assert done.stdout.count("✔") == len(ASSIGNMENT.steps) and "status: ok" in done.stdout


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="a bash script")
def test_the_gradescope_script_writes_results_json(tmp_path):
    """run_autograder in a fake /autograder: the best of the notebooks counts; no notebook is a 0 that says so."""
    import nbformat

    ag = tmp_path / "autograder"
    (ag / "submission" / "more").mkdir(parents=True)
    os.symlink(ROOT, ag / "source")
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# My own notes")])
    (ag / "submission" / "notes.ipynb").write_bytes(synthetic.to_bytes(other))
    (ag / "submission" / "more" / "broken.ipynb").write_bytes(b"{not json")
    env = {**os.environ, "AUTOGRADER": str(ag), "COURSE_PYTHON": sys.executable}
    script = os.path.join(ROOT, "grading", "gradescope", "run_autograder")
    subprocess.run(["bash", script], env=env, check=True, timeout=300)
    result = json.loads((ag / "results" / "results.json").read_text())
    assert result["score"] == 0 and result["tests"] == []
    assert "(the best of 2 notebooks; the others: " in result["output"] and ".ipynb 0)" in result["output"]
    assert "Status: not a notebook." in result["output"] or "Status: unknown assignment." in result["output"]
    for f in (ag / "submission").rglob("*.ipynb"):
        f.unlink()
    subprocess.run(["bash", script], env=env, check=True, timeout=300)
    result = json.loads((ag / "results" / "results.json").read_text())
    assert result["score"] == 0 and "No notebook" in result["output"]
