"""Static checks of the stored notebooks, as students (GitHub, Colab) meet them."""

import glob
import os
import re

import nbformat
import pytest

from helpers.course import REPO_URL, colab_url
from scripts.notebook_cells import setup_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTION = sorted(glob.glob(os.path.join(ROOT, "notebooks", "[0-9]*.ipynb")))
STUDENT = sorted(glob.glob(os.path.join(ROOT, "notebooks", "student", "[0-9]*.ipynb")))
ALL = SOLUTION + STUDENT


def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/")


def read(path):
    return nbformat.read(path, as_version=4)


def test_there_are_notebooks():
    assert SOLUTION and [os.path.basename(p) for p in STUDENT] == [os.path.basename(p) for p in SOLUTION]


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_badge_points_at_the_notebook_itself(path):
    first = read(path).cells[0]
    assert first.cell_type == "markdown"
    urls = re.findall(r"https://colab\.research\.google\.com/github/[^)\s]+", first.source)
    assert urls == [colab_url(rel(path))]


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_setup_cell_is_the_standard_one(path):
    nb = read(path)
    assert nb.cells[1].cell_type == "code"
    assert nb.cells[1].source == setup_source()
    assert REPO_URL in nb.cells[1].source
    # No other cell clones or names another repository.
    for cell in nb.cells[2:]:
        assert "git clone" not in cell.source
        for url in re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", cell.source):
            assert url == REPO_URL


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_no_widget_state_colab_metadata_or_timestamps(path):
    nb = read(path)
    assert "widgets" not in nb.metadata, "saved widget state breaks GitHub's renderer"
    assert "colab" not in nb.metadata
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for cell in nb.cells:
        for key in ("colab", "execution", "executionInfo", "outputId"):
            assert key not in cell.metadata, f"cell metadata {key!r}"


@pytest.mark.parametrize("path", SOLUTION, ids=rel)
def test_solution_notebooks_are_stored_executed_cleanly(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "re-run from a fresh kernel"
    for c in code:
        for out in c.outputs:
            assert out.output_type != "error"
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"/(home|root|tmp|Users|work)/\w", text), "a local path in an output"
            assert not (out.get("name") == "stderr" and "Warning" in text), f"a warning in an output: {text[:200]}"
            assert "image/svg+xml" not in out.get("data", {}), "SVG outputs differ run to run; use PNG"


def test_readme_table_lists_exactly_the_notebooks():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    rows = [line for line in readme.splitlines() if re.match(r"\| \d\d \|", line)]
    linked = [re.search(r"\]\((notebooks/[^)]+\.ipynb)\)", row).group(1) for row in rows]
    assert linked == [rel(p) for p in SOLUTION]
    for row, path in zip(rows, SOLUTION):
        assert colab_url(rel(path)) in row
        student = f"notebooks/student/{os.path.basename(path)}"
        assert f"({student})" in row and colab_url(student) in row


def test_notebook_links_point_at_existing_notebooks():
    for path in SOLUTION:
        for cell in read(path).cells:
            if cell.cell_type == "markdown":
                for target in re.findall(r"\]\(([\w.-]+\.ipynb)\)", cell.source):
                    assert os.path.exists(os.path.join(ROOT, "notebooks", target)), f"{rel(path)} links {target}"
