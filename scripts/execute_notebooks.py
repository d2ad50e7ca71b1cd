"""Re-execute notebooks from a fresh kernel and store their outputs.

    python -m scripts.execute_notebooks                  # every notebook in notebooks/
    python -m scripts.execute_notebooks notebooks/02_*.ipynb

Each notebook runs top to bottom in its own folder (as nbval runs it), with
the CPU forced (HELPERS_DEVICE=cpu) so stored outputs are the ones CI
reproduces. Saved widget state, Colab cell metadata and per-cell
timestamps are stripped: they break GitHub's renderer or change on every run.
"""

import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOLATILE_CELL_KEYS = ("execution", "colab", "id", "outputId", "executionInfo")


def strip(nb):
    """Remove widget state and Colab/timing metadata in place."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("colab", None)
    nb.metadata.pop("accelerator", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            if key != "id":
                cell.metadata.pop(key, None)
    return nb


def execute(path, timeout=600):
    nb = nbformat.read(path, as_version=4)
    os.environ.setdefault("HELPERS_DEVICE", "cpu")
    os.environ.setdefault("HELPERS_DATASET", "digits")  # stored outputs come from the bundled digits (as on CI)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        record_timing=False,
        store_widget_state=True,  # False crashes nbclient 0.11 on output widgets; strip() removes the state
    )
    start = time.perf_counter()
    client.execute()
    strip(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths):
    paths = paths or sorted(glob.glob(os.path.join(ROOT, "notebooks", "[0-9]*.ipynb")))
    for path in paths:
        seconds = execute(path)
        print(f"{os.path.relpath(path, ROOT)}: executed in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
