"""Each notebook's setup cell, run as on Colab: a fake `google.colab` module, the repository URL
pointed at a local clone (no network). The Colab branch must clone, import `helpers` from the clone,
and run the notebook's next cell."""

import os
import subprocess

import nbformat
import pytest

from tests.notebook_run import execute
from tests.test_notebook_hygiene import ROOT, SOLUTION, rel

FAKE_COLAB = """\
import sys, types
sys.modules["google"] = types.ModuleType("google")
sys.modules["google.colab"] = types.ModuleType("google.colab")"""

REPORT = """\
import helpers
print("HELPERS_FROM", helpers.__file__)
print("IN_COLAB", IN_COLAB)"""


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    """A git repository holding the working tree as it is now (the clone's source)."""
    repo = tmp_path_factory.mktemp("origin") / "repo"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    for f in files:
        if os.path.exists(os.path.join(ROOT, f)):
            dst = repo / f
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(open(os.path.join(ROOT, f), "rb").read())
    git = ["git", "-c", "user.email=ci@example.org", "-c", "user.name=ci", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "snapshot"], cwd=repo, check=True)
    return repo


@pytest.mark.parametrize("path", SOLUTION, ids=rel)
def test_colab_branch_clones_and_runs_the_next_cell(path, origin, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    run = nbformat.v4.new_notebook()
    run.metadata = nb.metadata
    # A fake google.colab, the setup cell, the cell after it, and a report.
    run.cells = [nbformat.v4.new_code_cell(FAKE_COLAB), code[0], code[1], nbformat.v4.new_code_cell(REPORT)]
    work = tmp_path / "content"  # Colab's working directory
    work.mkdir()
    monkeypatch.delenv("PYTHONPATH", raising=False)
    for key, value in dict(COURSE_REPO_URL=f"file://{origin}", PIP_NO_INDEX="1", HELPERS_DEVICE="cpu",
                           GIT_TERMINAL_PROMPT="0").items():
        monkeypatch.setenv(key, value)
    execute(run, path, work)
    printed = "".join(o.get("text", "") for o in run.cells[-1].outputs)
    setup_printed = "".join(o.get("text", "") for o in run.cells[1].outputs)
    # Quiet on success: no pip chatter, no "you may need to restart the kernel" (nothing needs a restart).
    assert "restart" not in setup_printed and "Requirement already satisfied" not in setup_printed, setup_printed
    clone = work / "linear-models"
    assert (clone / "helpers" / "__init__.py").exists(), "the Colab branch did not clone the repository"
    assert f"HELPERS_FROM {clone}/helpers/__init__.py" in printed
    assert "IN_COLAB True" in printed
