"""The student versions: generated from the solution notebooks, without solutions, runnable as they are."""

import os

import nbformat
import pytest

from scripts import make_student_notebooks as msn
from tests.notebook_run import execute

ROOT = msn.ROOT
PAIRS = [(p, os.path.join(msn.STUDENT_DIR, os.path.basename(p))) for p in msn.solution_notebooks()]


def ids(pair):
    return os.path.basename(pair[0])


def test_student_versions_are_up_to_date():
    assert msn.main(["--check"]) == 0, "run: python -m scripts.make_student_notebooks"


@pytest.mark.parametrize("pair", PAIRS, ids=ids)
def test_no_solution_text(pair):
    solution, student = pair
    regions = [r for c in nbformat.read(solution, as_version=4).cells if c.cell_type == "code"
               for r in msn.solution_regions(c.source)]
    assert regions, "every notebook ends with exercises"
    text = open(student, encoding="utf-8").read()
    src = "\n".join(c.source for c in nbformat.read(student, as_version=4).cells if c.cell_type == "code")
    assert "SOLUTION" not in text
    assert src.count("# YOUR CODE HERE") == len(regions)
    for region in regions:
        body = "\n".join(line for line in region.splitlines()[1:-1] if line.strip())
        assert body not in src


def test_strip_solutions_keeps_indentation_and_rejects_unbalanced_markers():
    src = "def f(x):\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION\n\nprint(1)"
    assert msn.strip_solutions(src) == (
        'def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError("exercise not done yet")\n\nprint(1)'
    )
    with pytest.raises(ValueError, match="unbalanced"):
        msn.strip_solutions("def f():\n    # BEGIN SOLUTION\n    return 1\n")


@pytest.mark.parametrize("pair", PAIRS, ids=ids)
def test_student_notebook_runs_to_the_end(pair, monkeypatch):
    _, student = pair
    monkeypatch.setenv("HELPERS_DEVICE", "cpu")
    nb = nbformat.read(student, as_version=4)
    execute(nb, student, os.path.dirname(student))
    shown = [o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert sum("not implemented yet" in s for s in shown) == nb_regions(pair[0])


def nb_regions(path):
    return sum(len(msn.solution_regions(c.source)) for c in nbformat.read(path, as_version=4).cells
               if c.cell_type == "code")
