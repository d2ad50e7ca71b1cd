"""The assignment registry agrees with the notebooks: the checker cells call exactly the registry's checkers,
in order, on its function names; every written question has its answer cell; the student versions carry the
metadata the grader recognizes them by. And the test table of wrong solutions gives the hints it promises."""

import os
import re

import nbformat
import pytest

import helpers.exercises as exercises
from grading import notebook
from helpers.exercises.assignments import ASSIGNMENTS, Assignment, Question, Step
from scripts import make_student_notebooks as msn
from tests import grading_cases

ROOT = msn.ROOT
STEMS = sorted(ASSIGNMENTS)
CHECK_LINE = re.compile(r"^(?:helpers\.exercises\.)?(check_\w+)\(\s*(\w+)\s*\)\s*;?\s*(?:#.*)?$", re.M)


def read(stem, student=False):
    folder = msn.STUDENT_DIR if student else os.path.join(ROOT, "notebooks")
    return nbformat.read(os.path.join(folder, f"{stem}.ipynb"), as_version=4)


def test_one_assignment_per_notebook():
    stems = [os.path.splitext(os.path.basename(p))[0] for p in msn.solution_notebooks()]
    assert STEMS == sorted(stems)
    for stem, a in ASSIGNMENTS.items():
        assert isinstance(a, Assignment) and a.notebook == stem and a.steps
        assert all(isinstance(s, Step) and s.points > 0 for s in a.steps)
        assert all(isinstance(q, Question) and q.points > 0 for q in a.questions)
        assert len({q.key for q in a.questions}) == len(a.questions)


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("student", [False, True], ids=["solution", "student"])
def test_title_and_checker_cells_match_the_registry(stem, student):
    nb, a = read(stem, student), ASSIGNMENTS[stem]
    assert notebook.title(nb) == a.title
    calls = [m.groups() for c in nb.cells if c.cell_type == "code" for m in CHECK_LINE.finditer(c.source)]
    assert calls == [(s.checker, s.function) for s in a.steps]
    for s in a.steps:
        assert callable(getattr(exercises, s.checker)), s.checker
        assert any(c.cell_type == "code" and f"def {s.function}(" in c.source for c in nb.cells), s.function


@pytest.mark.parametrize("stem", STEMS)
def test_every_question_has_its_answer_cell_and_the_student_version_no_model_answer(stem):
    a = ASSIGNMENTS[stem]
    for student in (False, True):
        found = notebook.answers(read(stem, student), a.questions)
        assert all(found[q.key] is not None for q in a.questions), found
    text = open(os.path.join(msn.STUDENT_DIR, f"{stem}.ipynb"), encoding="utf-8").read()
    assert "BEGIN SOLUTION" not in text


@pytest.mark.parametrize("stem", STEMS)
def test_student_versions_name_their_notebook(stem):
    assert read(stem, student=True).metadata["course"] == {"notebook": stem}


def test_markdown_solution_regions_are_dropped_keeping_the_answer_line():
    cell = ("**Your answer (Q1):**\n\n<!-- BEGIN SOLUTION -->\nThe model answer.\n\nTwo paragraphs.\n"
            "<!-- END SOLUTION -->")
    assert msn.strip_markdown_solutions(cell) == "**Your answer (Q1):**"
    assert msn.strip_markdown_solutions("Plain text.\n") == "Plain text.\n"
    with pytest.raises(ValueError, match="unbalanced"):
        msn.strip_markdown_solutions("**Your answer (Q1):**\n<!-- BEGIN SOLUTION -->\nno end")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_markdown_cell(cell)])
    out = msn.student_version(nb, "notebooks/09_x.ipynb")
    assert out.cells[1].source == "**Your answer (Q1):**" and out.metadata["course"] == {"notebook": "09_x"}


# ---------------------------------------------------------------------------- the table of wrong solutions


def test_the_table_names_registry_steps_and_leaves_one_right():
    assert set(grading_cases.WRONG) <= set(ASSIGNMENTS) and grading_cases.END_TO_END in ASSIGNMENTS
    for stem, cases in grading_cases.WRONG.items():
        functions = [s.function for s in ASSIGNMENTS[stem].steps]
        assert {f for f, _, _ in cases} <= set(functions) and len({f for f, _, _ in cases}) < len(functions)


CASES = [(stem, *case) for stem, cases in grading_cases.WRONG.items() for case in cases]


@pytest.mark.parametrize("stem, function, body, hint", CASES, ids=[f"{c[0][:2]}-{c[1]}" for c in CASES])
def test_each_wrong_solution_gets_its_hint_from_the_checker(stem, function, body, hint):
    """The verdict the student sees in the notebook (the checker run locally, on the function itself)."""
    source = next(c.source for c in read(stem).cells if f"def {function}(" in c.source)
    signature = re.search(rf"^def {function}\((.*?)\):", source, re.M).group(1)
    ns = grading_cases.namespace()
    exec(f"def {function}({signature}):\n" + "\n".join("    " + line for line in body.splitlines()), ns)
    step = next(s for s in ASSIGNMENTS[stem].steps if s.function == function)
    result = getattr(exercises, step.checker)(ns[function])
    assert not result.passed and hint in result.message, result.message
