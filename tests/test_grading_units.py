"""The grader's pieces that need no kernel: reading and recognizing submissions, finding them in folders and
zips, the reports, and the command's misuse errors."""

import csv
import io
import json
import os
import zipfile

import nbformat
import pytest

from grading import cli, notebook, report, synthetic
from grading.submissions import UsageError, discover, unique_keys
from helpers.exercises.assignments import ASSIGNMENTS
from tests.grading_fixtures import tiny

# ---------------------------------------------------------------------------- is it a notebook?


@pytest.mark.parametrize("data, why", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\xff\xfe\x00binary", "UTF-8"),
    (b'{"cells": [', "not valid JSON"),
    (b"import numpy as np\n\ndef predict(X, w, b):\n    return X @ w + b\n", "not valid JSON"),
    (b"[1, 2, 3]", "not a Jupyter notebook"),
    (b'{"metadata": {}}', "not a Jupyter notebook"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}', "cannot be read"),
])
def test_what_is_not_a_notebook_says_why(data, why):
    with pytest.raises(notebook.NotANotebook, match=why):
        notebook.parse(data)


def test_a_truncated_notebook_is_not_a_notebook():
    data = tiny.to_bytes(tiny.notebook())
    with pytest.raises(notebook.NotANotebook, match="not valid JSON"):
        notebook.parse(data[: len(data) // 2])


@pytest.mark.parametrize("shape", [synthetic.colab_saved, synthetic.jupyter_44, lambda nb: nb])
def test_colab_and_jupyter_44_files_are_read(shape):
    nb = notebook.parse(synthetic.to_bytes(shape(tiny.notebook())))
    assert notebook.identify(nb, tiny.ASSIGNMENTS)[0].notebook == "tiny"
    assert [c.cell_type for c in nb.cells][:2] == ["markdown", "code"]


def test_a_notebook_saved_by_old_jupyter_as_version_3_is_read():
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 1, "source": "Tiny assignment", "metadata": {}},
        {"cell_type": "code", "input": "def double(x):\n    return 2 * x", "language": "python", "outputs": [],
         "metadata": {}}], "metadata": {}}]}
    nb = notebook.parse(json.dumps(v3).encode())
    assert notebook.identify(nb, tiny.ASSIGNMENTS)[0].notebook == "tiny"


# ---------------------------------------------------------------------------- which assignment?


def test_recognized_by_metadata_then_by_title_never_by_file_name():
    nb = tiny.notebook(title="Something else entirely")
    assert notebook.identify(nb, tiny.ASSIGNMENTS) == (tiny.ASSIGNMENTS["tiny"], "metadata")
    nb = tiny.notebook(metadata=False, title="tiny   ASSIGNMENT")
    assert notebook.identify(nb, tiny.ASSIGNMENTS) == (tiny.ASSIGNMENTS["tiny"], "title")
    nb = tiny.notebook(metadata=False, title="My own notebook")
    assignment, how = notebook.identify(nb, tiny.ASSIGNMENTS)
    assert assignment is None and "My own notebook" in how and "no course metadata" in how


@pytest.mark.parametrize("stem", sorted(ASSIGNMENTS))
def test_every_course_notebook_is_recognized_both_ways(stem):
    student = synthetic.read(stem, student=True)
    assert notebook.identify(student, ASSIGNMENTS) == (ASSIGNMENTS[stem], "metadata")
    solution = synthetic.read(stem)  # no course metadata: its title
    assert notebook.identify(solution, ASSIGNMENTS) == (ASSIGNMENTS[stem], "title")


def test_the_plan_moves_checker_calls_to_the_grader_and_places_each_step():
    nb = tiny.notebook()
    nb.cells[-3].source = "check_scale(scale)  # the short form\nprint('after')"
    cells = notebook.plan(nb, tiny.STEPS)
    sources = "\n".join(s for _, s, _ in cells)
    assert "check_" not in sources and sources.count("pass  # checked by the grader") == 3
    placed = [(n, checked) for n, _, checked in cells if checked]
    assert [k for _, ks in placed for k in ks] == [0, 1, 2]
    assert all(nb.cells[n - 1].source.startswith(("helpers.exercises.check_", "check_")) for n, _ in placed)


def test_indented_or_embedded_checker_calls_stay_in_the_notebook():
    nb = tiny.notebook(checks=False, top=["if True:\n    helpers.exercises.check_double(double)",
                                          "r = helpers.exercises.check_double(double)"])
    assert all(not checked for _, _, checked in notebook.plan(nb, tiny.STEPS))


def test_written_answers_are_copied_and_missing_ones_are_told_apart():
    from helpers.exercises.assignments import Question
    qs = (Question("Q1", "?"), Question("Q2", "?"), Question("Q3", "?"))
    nb = tiny.notebook(answer="It is linear.\n\nSecond paragraph.")
    nb.cells.append(nbformat.v4.new_markdown_cell("**Your answer (Q2):**"))
    found = notebook.answers(nb, qs)
    assert found == {"Q1": "It is linear.\n\nSecond paragraph.", "Q2": "", "Q3": None}
    nb.cells[-1].source = "**Your answer (Q2):** on the same line, " + "x" * 30_000
    assert notebook.answers(nb, qs)["Q2"].startswith("on the same line") and len(notebook.answers(nb, qs)["Q2"]) \
        < 21_000


def test_lines_that_reach_into_the_checkers_are_flagged():
    nb = tiny.notebook(top=["from helpers.exercises import check_double, check_scale",
                            "import helpers.exercises._core as core\ncore.check = lambda *a: None",
                            "from helpers.exercises.ex01 import _ref_cost"])
    flagged = [line for _, line in notebook.suspicious_lines(notebook.plan(nb, tiny.STEPS))]
    assert flagged == ["import helpers.exercises._core as core", "from helpers.exercises.ex01 import _ref_cost"]


# ---------------------------------------------------------------------------- finding submissions


def _write(path, data=b"{}"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def test_folders_are_searched_recursively_and_same_names_get_different_keys(tmp_path):
    for rel in ["alice/hw1.ipynb", "bob/hw1.ipynb", "bob/deeper/x.IPYNB", "carol/.ipynb_checkpoints/hw1.ipynb",
                "carol/notes.txt", ".hidden/h.ipynb", "__MACOSX/alice/._hw1.ipynb"]:
        _write(str(tmp_path / "subs" / rel))
    subs = discover([str(tmp_path / "subs")])
    assert [os.path.relpath(s.display, tmp_path / "subs") for s in subs] == \
        ["alice/hw1.ipynb", "bob/hw1.ipynb", "bob/deeper/x.IPYNB"]
    assert [s.key for s in subs] == ["alice__hw1", "bob__hw1", "bob__deeper__x"]


def test_zips_are_read_in_memory_whatever_their_member_names(tmp_path):
    z = tmp_path / "batch.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("alice/hw1.ipynb", b"{}")
        f.writestr("../../evil/hw1.ipynb", b"[]")
        f.writestr("__MACOSX/alice/._hw1.ipynb", b"junk")
        f.writestr("readme.md", b"#")
    subs = discover([str(z)])
    assert [s.display for s in subs] == [f"{z}:../../evil/hw1.ipynb", f"{z}:alice/hw1.ipynb"]
    assert [s.read(10) for s in subs] == [b"[]", b"{}"]
    assert all("/" not in s.key and ".." not in s.key for s in subs)
    assert not (tmp_path.parent / "evil").exists()


def test_keys_are_unique_and_safe():
    keys = unique_keys(["a/hw.ipynb", "b/hw.ipynb", "a/HW.ipynb", "c d/ü?.ipynb", "a/hw.ipynb"])
    assert len(set(k.lower() for k in keys)) == 5
    assert all(all(ch.isalnum() or ch in "._-" for ch in k) for k in keys)
    assert unique_keys(["/x/y/only.ipynb"]) == ["only"]


@pytest.mark.parametrize("make, why", [
    (lambda p: [str(p / "missing.ipynb")], "no such file"),
    (lambda p: [str(p)], "no .ipynb files"),
    (lambda p: [_write(str(p / "bad.zip"), b"not a zip") or str(p / "bad.zip")], "not a readable zip"),
])
def test_misuse_is_a_usage_error(tmp_path, make, why):
    with pytest.raises(UsageError, match=why):
        discover(make(tmp_path))


@pytest.mark.parametrize("argv", [["missing.ipynb"], ["--jobs", "0", "x.ipynb"], ["--timeout", "-1", "x.ipynb"],
                                  ["--memory", "-2", "x.ipynb"], [], ["--no-such-option", "x.ipynb"]])
def test_the_command_exits_2_on_misuse(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    assert "usage: python -m grading" in capsys.readouterr().err


def test_out_must_be_a_folder(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    _write(str(tmp_path / "s.ipynb"))
    with pytest.raises(SystemExit) as exit_:
        cli.main([str(tmp_path / "s.ipynb"), "--out", str(tmp_path / "file")])
    assert exit_.value.code == 2 and "not a folder" in capsys.readouterr().err


# ---------------------------------------------------------------------------- reports


def _result(key, notebook_="tiny", status="ok", scores=(1.0, 0.0, 1.0), answer="It is."):
    steps = [{"function": s.function, "checker": s.checker, "title": s.title, "points": s.points,
              "score": sc * s.points, "passed": bool(sc), "message": f"msg {s.function}", "hint": "",
              "outcome": "checked"} for s, sc in zip(tiny.STEPS, scores)]
    return {"path": f"subs/{key}.ipynb", "key": key, "notebook": notebook_, "title": "Tiny assignment",
            "identified_by": "metadata", "status": status, "total": sum(s["score"] for s in steps), "max": tiny.MAX,
            "steps": steps, "questions": [{"key": "Q1", "prompt": "Why?", "points": 2.0, "answer": answer}],
            "notes": ["cell 3 raised ValueError: x"], "seconds": 1.5}


def test_grades_csv_has_the_issues_columns():
    rows = list(csv.reader(io.StringIO(report.grades_csv([
        _result("a"), {**_result("b"), "notebook": "", "steps": [], "questions": [], "max": None, "total": 0.0,
                       "status": "not a notebook"}]))))
    assert rows[0] == ["path", "notebook", "total", "max", "tiny:double", "tiny:row_means", "tiny:scale",
                       "tiny:Q1 (by hand)", "status", "notes"]
    assert rows[1] == ["subs/a.ipynb", "tiny", "2", "4", "1", "0", "1", "to grade", "ok", "cell 3 raised ValueError: x"]
    assert rows[2][:4] == ["subs/b.ipynb", "", "0", ""] and rows[2][-2] == "not a notebook"


def test_results_json_is_gradescopes_format_and_feedback_has_hints_and_answers():
    r = _result("a")
    res = report.results_json(r)
    assert res["score"] == 2.0 and [t["max_score"] for t in res["tests"]] == [1.0, 2.0, 1.0, 0.0]
    assert all(set(t) == {"name", "score", "max_score", "output"} for t in res["tests"])
    assert res["tests"][1]["output"] == "msg row_means" and res["tests"][3]["output"] == "It is."
    md = report.feedback_md(r)
    assert "**Score: 2 / 4**" in md and "## Step 2: row means (0 / 2)" in md and "msg row_means" in md
    assert "> It is." in md and "to be graded by hand" in md and "cell 3 raised ValueError" in md


def test_each_run_replaces_the_feedback_and_results_folders(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "ghost.json").write_text('{"score": 100}')
    (tmp_path / "keep.txt").write_text("mine")
    report.write_all([_result("a"), _result("b")], str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["feedback", "grades.csv", "keep.txt", "results"]
    assert sorted(os.listdir(tmp_path / "results")) == ["a.json", "b.json"]
    assert json.loads((tmp_path / "results" / "a.json").read_text())["score"] == 2.0


def test_reading_stops_at_the_limit_without_a_buffer_of_its_size(tmp_path):
    from grading.submissions import Submission

    (tmp_path / "big.ipynb").write_bytes(b"x" * 3_000_001)
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as z:
        z.writestr("big.ipynb", b"y" * 3_000_001)
    assert Submission("big", "big", str(tmp_path / "big.ipynb")).read(2_500_000) == b"x" * 2_500_000
    assert Submission("z", "z", str(tmp_path / "b.zip"), "big.ipynb").read(10) == b"y" * 10
    with pytest.raises(notebook.NotANotebook, match="larger than"):
        notebook.parse(b" " * (notebook.MAX_BYTES + 1))
