"""The project's metadata agrees with itself: pyproject.toml's dependencies are requirements.txt's runtime
ranges, and the Python versions it admits are the ones CI runs."""

import os
import re

import pytest

from tests.test_notebook_hygiene import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the oldest environment (3.10) skips these

RUNTIME_END = "# Running the notebooks locally"


def _pyproject():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)


def _runtime_requirements():
    text = open(os.path.join(ROOT, "requirements.txt")).read()
    assert RUNTIME_END in text, f"requirements.txt lost its {RUNTIME_END!r} line"
    lines = (line.split("#")[0].strip() for line in text.split(RUNTIME_END)[0].splitlines())
    return [line for line in lines if line]


def test_pyproject_dependencies_are_the_runtime_requirements():
    assert _pyproject()["project"]["dependencies"] == _runtime_requirements()


def test_pyproject_installs_the_helpers_package():
    packages = _pyproject()["tool"]["setuptools"]["packages"]
    tree = os.walk(os.path.join(ROOT, "helpers"))
    found = sorted(os.path.relpath(d, ROOT).replace(os.sep, ".") for d, _, files in tree if "__init__.py" in files)
    assert sorted(packages) == found


def test_requires_python_covers_the_pythons_ci_runs():
    spec = _pyproject()["project"]["requires-python"]
    ci = open(os.path.join(ROOT, ".ci", "run")).read()
    versions = sorted(set(re.findall(r"pyenv_python (3\.\d+)", ci)))
    assert versions, ".ci/run names no Python through pyenv_python"
    low = re.search(r">=\s*3\.(\d+)", spec).group(1)
    high = re.search(r"<\s*3\.(\d+)", spec).group(1)
    minors = [int(v.split(".")[1]) for v in versions]
    for v, minor in zip(versions, minors):
        assert int(low) <= minor < int(high), f"CI runs Python {v}, which requires-python {spec!r} excludes"
    # Both ends of the range are Pythons CI runs (nothing admitted that is not tested at the edges).
    assert int(low) in minors and int(high) - 1 in minors, f"{spec!r} vs CI's Pythons {versions}"
