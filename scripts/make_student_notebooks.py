"""Write the student versions of the notebooks: exercises without their solutions.

    python -m scripts.make_student_notebooks           # (re)write notebooks/student/*.ipynb
    python -m scripts.make_student_notebooks --check   # exit 1 if they are out of date

In the solution notebooks (notebooks/NN_*.ipynb, which CI executes), each
exercise's solution sits inside a function body between two marker lines:

    # BEGIN SOLUTION
    ...
    # END SOLUTION

Each region becomes ``# YOUR CODE HERE`` and ``raise NotImplementedError``
at the same indentation, so the checkers report "not implemented yet" until
the student fills it in. A written question's model answer sits in its
markdown answer cell between ``<!-- BEGIN SOLUTION -->`` and
``<!-- END SOLUTION -->`` lines, below the ``**Your answer (Qn):**`` line;
the student version drops the region and keeps that line. Outputs are
cleared, the Open-in-Colab badge points at the student copy, and the
notebook's metadata names it (``"course": {"notebook": "<file stem>"}``)
so the grader (``python -m grading``) recognizes a submission whatever its
file name.
"""

import copy
import glob
import os
import re
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from helpers.course import colab_url  # noqa: E402

STUDENT_DIR = os.path.join(ROOT, "notebooks", "student")
REGION = re.compile(r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n.*?^[ \t]*# END SOLUTION[^\n]*(\n|$)", re.M | re.S)
MD_REGION = re.compile(r"^[ \t]*<!-- BEGIN SOLUTION -->[^\n]*\n.*?^[ \t]*<!-- END SOLUTION -->[^\n]*(\n|$)",
                       re.M | re.S)
PLACEHOLDER = "{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError(\"exercise not done yet\")\n"
STUDENT_NOTE = (
    "\n\n> **Student version.** The exercises at the end are yours to complete: each `# YOUR CODE HERE` marks the "
    "lines to write, and the cell after it checks your answer."
)


def solution_regions(source):
    """The solution regions' texts in a cell's source."""
    return [m.group(0) for m in REGION.finditer(source)]


def strip_solutions(source):
    def replace(m):
        return PLACEHOLDER.format(indent=m.group(1))

    out = REGION.sub(replace, source)
    if "BEGIN SOLUTION" in out or "END SOLUTION" in out:
        raise ValueError("unbalanced # BEGIN SOLUTION / # END SOLUTION markers:\n" + source)
    return out


def strip_markdown_solutions(source):
    """A markdown cell without its ``<!-- BEGIN SOLUTION -->`` ... ``<!-- END SOLUTION -->`` regions."""
    out = MD_REGION.sub("", source)
    if out != source:
        out = out.rstrip("\n")
    if "BEGIN SOLUTION" in out or "END SOLUTION" in out:
        raise ValueError("unbalanced <!-- BEGIN SOLUTION --> / <!-- END SOLUTION --> markers:\n" + source)
    return out


def student_version(nb, rel_path):
    """The student notebook for solution notebook ``nb`` stored at ``rel_path`` (relative to the repo root)."""
    nb = copy.deepcopy(nb)
    name = os.path.basename(rel_path)
    student_rel = f"notebooks/student/{name}"
    nb.metadata["course"] = {"notebook": os.path.splitext(name)[0]}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = strip_markdown_solutions(cell.source)
        if cell.cell_type == "markdown" and colab_url(rel_path) in cell.source:
            cell.source = cell.source.replace(colab_url(rel_path), colab_url(student_rel))
            if STUDENT_NOTE not in cell.source:
                cell.source = cell.source.replace("\n", STUDENT_NOTE + "\n", 1) if "\n" in cell.source \
                    else cell.source + STUDENT_NOTE
    return nb


def solution_notebooks():
    return sorted(glob.glob(os.path.join(ROOT, "notebooks", "[0-9]*.ipynb")))


def render(nb):
    return nbformat.writes(nb) + "\n"


def main(argv):
    check = "--check" in argv
    os.makedirs(STUDENT_DIR, exist_ok=True)
    stale = []
    for path in solution_notebooks():
        rel = os.path.relpath(path, ROOT)
        text = render(student_version(nbformat.read(path, as_version=4), rel))
        target = os.path.join(STUDENT_DIR, os.path.basename(path))
        current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
        if current != text:
            stale.append(os.path.relpath(target, ROOT))
            if not check:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
    if check and stale:
        print("out of date (run python -m scripts.make_student_notebooks):", ", ".join(stale))
        return 1
    print(("checked" if check else "wrote") + f" {len(solution_notebooks())} student notebook(s)"
          + (f", updated: {', '.join(stale)}" if stale and not check else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
