"""The size of each notebook's core and of its assignment, computed (issue 13's table).

    python -m scripts.notebook_stats                       # every solution notebook
    python -m scripts.notebook_stats notebooks/01_*.ipynb  # some

For each notebook: the words of markdown prose before the ``## Programming assignment`` heading (LaTeX, code
spans, links' targets and HTML comments not counted as words), the code cells before it (the setup cell
included), and the lines the student writes: the non-blank lines between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, in all the notebook's cells. Also the words and code cells after the assignment.
"""

import glob
import os
import re
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADING = re.compile(r"^## Programming assignment", re.M)
SOLUTION = re.compile(r"^[ \t]*# BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*# END SOLUTION", re.M | re.S)


def prose_words(markdown):
    """Words of a markdown cell's prose: math, code, URLs and comments removed."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " x ", text)  # inline math reads as one word
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`\n]+`", " x ", text)  # inline code reads as one word
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's target
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))


def stats(path):
    """A dict of the counts for the notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    at = next((k for k, c in enumerate(nb.cells) if c.cell_type == "markdown" and HEADING.search(c.source)),
              len(nb.cells))
    core, rest = nb.cells[:at], nb.cells[at:]
    lines = [line for c in nb.cells if c.cell_type == "code" for m in SOLUTION.finditer(c.source)
             for line in m.group(1).splitlines() if line.strip() and not line.strip().startswith("#")]
    return {
        "notebook": os.path.basename(path),
        "core_words": sum(prose_words(c.source) for c in core if c.cell_type == "markdown"),
        "core_code_cells": sum(c.cell_type == "code" for c in core),
        "student_lines": len(lines),
        "after_words": sum(prose_words(c.source) for c in rest if c.cell_type == "markdown"),
        "after_code_cells": sum(c.cell_type == "code" for c in rest),
        "has_assignment": at < len(nb.cells),
    }


def main(argv):
    paths = argv or sorted(glob.glob(os.path.join(ROOT, "notebooks", "[0-9]*.ipynb")))
    print(f"{'notebook':<38} {'core words':>10} {'core code cells':>15} {'student lines':>13}"
          f" {'words after':>11} {'cells after':>11}")
    for path in paths:
        s = stats(path)
        flag = "" if s["has_assignment"] else "  (no '## Programming assignment' heading)"
        print(f"{s['notebook']:<38} {s['core_words']:>10,} {s['core_code_cells']:>15} {s['student_lines']:>13}"
              f" {s['after_words']:>11,} {s['after_code_cells']:>11}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
