"""The cells every notebook starts with (badge, setup), in one place.

Notebook authors build new notebooks with these; the student-version
generator and the hygiene tests use them to check and rewrite paths.
"""

import nbformat

from helpers.course import REPO_NAME, REPO_URL, colab_url

BADGE = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"

SETUP = '''\
# NBVAL_IGNORE_OUTPUT
# (versions and device differ from machine to machine)
# Setup: run this cell first. It works locally and on Google Colab.
import os
import sys

IN_COLAB = "google.colab" in sys.modules
REPO_URL = os.environ.get("COURSE_REPO_URL", "{repo_url}")
if IN_COLAB:  # fetch the course code and the two small packages Colab lacks
    ROOT = os.path.abspath("{repo_name}")
    if not os.path.isdir(ROOT):
        !git clone --quiet --depth 1 {{REPO_URL}} {{ROOT}}
    %pip install --quiet array-api-compat pooch
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


def setup_source():
    return SETUP.format(repo_url=REPO_URL, repo_name=REPO_NAME)


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
