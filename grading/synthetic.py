"""Submissions made from the course's own notebooks, as students really send them (tests and the benchmark).

Everything starts from a notebook of the course (the solution or the student version) and the registry:
`submitted` turns a notebook into what a student uploads (outputs cleared, the student version's metadata),
`with_body` replaces one function's solution lines with other code, `with_cell` adds a cell after the setup
cell, and `colab_saved` / `jupyter_44` give the file the shape Colab or an older Jupyter writes.
"""

import copy
import os
import re

import nbformat

from .runner import COURSE_ROOT


def read(stem, student=False, root=COURSE_ROOT):
    folder = os.path.join(root, "notebooks", "student") if student else os.path.join(root, "notebooks")
    return nbformat.read(os.path.join(folder, f"{stem}.ipynb"), as_version=4)


def submitted(nb, stem):
    """``nb`` as a student uploads it: no outputs, the student version's ``metadata.course``."""
    nb = copy.deepcopy(nb)
    nb.metadata["course"] = {"notebook": stem}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def with_body(nb, function, body):
    """``nb`` with the solution lines of ``def function(...)`` (its BEGIN/END SOLUTION region, or the student
    version's placeholder) replaced by ``body`` (unindented source)."""
    nb = copy.deepcopy(nb)
    region = re.compile(r"^([ \t]+)(# BEGIN SOLUTION[^\n]*\n.*?^[ \t]*# END SOLUTION[^\n]*"
                        r"|# YOUR CODE HERE\n[ \t]*raise NotImplementedError[^\n]*)$", re.M | re.S)
    for cell in nb.cells:
        start = cell.source.find(f"def {function}(") if cell.cell_type == "code" else -1
        if start >= 0:
            m = region.search(cell.source, start)
            if m is None:
                raise ValueError(f"no solution region in def {function}")
            indented = "\n".join(m.group(1) + line if line.strip() else "" for line in body.strip("\n").splitlines())
            cell.source = cell.source[:m.start()] + indented + cell.source[m.end():]
            return nb
    raise ValueError(f"no cell defines {function}")


def with_cell(nb, source, index=None):
    """``nb`` with a code cell ``source`` inserted at ``index`` (default: right after the setup cell)."""
    nb = copy.deepcopy(nb)
    if index is None:
        index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code") + 1
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


def colab_saved(nb):
    """``nb`` as Colab saves it: its metadata, cell ids and widget state."""
    nb = copy.deepcopy(nb)
    nb.metadata["colab"] = {"provenance": [], "gpuType": "T4", "name": "copy_of_notebook.ipynb"}
    nb.metadata["accelerator"] = "GPU"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "0a1b2c": {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
                   "model_module_version": "1.2.0", "state": {}}}}
    for k, cell in enumerate(nb.cells):
        cell.metadata["id"] = f"c{k:04d}"
        if cell.cell_type == "code":
            cell.metadata["colab"] = {"base_uri": "https://localhost:8080/"}
            cell.metadata["outputId"] = f"o{k:04d}"
            cell.metadata["executionInfo"] = {"status": "ok", "timestamp": 1700000000000 + k, "user_tz": 0}
    return nb


def jupyter_44(nb):
    """``nb`` as Jupyter wrote nbformat 4.4: no cell ids."""
    nb = copy.deepcopy(nb)
    nb.nbformat_minor = 4
    for cell in nb.cells:
        cell.pop("id", None)
    return nb


def to_bytes(nb):
    """The file's bytes (a 4.4 notebook keeps its missing cell ids, as Jupyter wrote it)."""
    return (nbformat.writes(nb) + "\n").encode()
