"""The cells every notebook starts with (badge, setup), in one place.

Notebook authors build new notebooks with these; the student-version
generator and the hygiene tests use them to check and rewrite paths.
"""

import os
import re

import nbformat

from helpers.course import REPO_NAME, REPO_URL, colab_url

# What Colab's runtime lacks (googlecolab/backend-info's pip-freeze.gpu.txt has no array-api-compat) or may
# have too old; installed there with the ranges requirements.txt allows, so a satisfied one is a no-op.
COLAB_INSTALLS = ("array-api-compat", "pooch")
REQUIREMENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "requirements.txt")

BADGE = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"

SETUP = '''\
# NBVAL_IGNORE_OUTPUT
# (versions and device differ from machine to machine)
# Setup: run this cell first. It works locally and on Google Colab.
import os
import sys

IN_COLAB = "google.colab" in sys.modules
REPO_URL = os.environ.get("COURSE_REPO_URL", "{repo_url}")
if IN_COLAB:  # fetch the course code, and the small packages Colab lacks (quiet unless something fails)
    ROOT = os.path.abspath("{repo_name}")
    if not os.path.isdir(ROOT):
        !git clone --quiet --depth 1 {{REPO_URL}} {{ROOT}}
    !{{sys.executable}} -m pip install --quiet --disable-pip-version-check {installs}
else:  # a local clone: find the repository root above this notebook; install nothing
    ROOT = os.path.abspath(".")
    while not os.path.isfile(os.path.join(ROOT, "helpers", "__init__.py")) and ROOT != os.path.dirname(ROOT):
        ROOT = os.path.dirname(ROOT)
sys.path.insert(0, ROOT)
%matplotlib inline

import helpers

DEVICE = helpers.print_setup()  # versions that matter, and the device used (cuda, mps or cpu)'''


def badge_source(notebook_path):
    """Markdown for the Open-in-Colab badge of ``notebook_path`` (relative to the repo root)."""
    return BADGE.format(url=colab_url(notebook_path))


def requirement(name, path=REQUIREMENTS):
    """``name``'s line in requirements.txt, comments dropped, e.g. ``"pooch>=1.7"``."""
    with open(path) as f:
        for line in f:
            spec = line.split("#")[0].strip()
            if re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].lower() == name:
                return spec
    raise LookupError(f"requirements.txt has no line for {name!r}")


def setup_source():
    installs = " ".join(f'"{requirement(name)}"' for name in COLAB_INSTALLS)
    return SETUP.format(repo_url=REPO_URL, repo_name=REPO_NAME, installs=installs)


def md(text):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text, tags=()):
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def new_notebook(notebook_path, title_markdown, cells):
    """A notebook: badge and title, the setup cell, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [md(badge_source(notebook_path) + "\n\n" + title_markdown.strip("\n")), code(setup_source()), *cells]
    return nb


def update_setup_cells(paths):
    """Rewrite the setup cell (the first code cell) of each notebook in ``paths`` to the current one.

    Its stored output is not compared (NBVAL_IGNORE_OUTPUT), so outputs stay. Returns the paths changed."""
    changed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if nb.cells[1].source != setup_source():
            nb.cells[1].source = setup_source()
            nbformat.write(nb, path)
            changed.append(path)
    return changed


if __name__ == "__main__":  # python -m scripts.notebook_cells: bring every notebook's setup cell up to date
    import glob

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in update_setup_cells(sorted(glob.glob(os.path.join(root, "notebooks", "[0-9]*.ipynb")))):
        print("updated", os.path.relpath(path, root))
