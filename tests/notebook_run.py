"""Executing a notebook in the tests: a cell that hangs fails fast, naming the notebook and the cell."""

import os

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

# Seconds any one cell may run. The slowest cell of the course takes well under a minute on a loaded 2-core
# machine; a hung kernel (a lost reply) should fail in two minutes, not in ten.
CELL_TIMEOUT = 120


def execute(nb, name, cwd, timeout=CELL_TIMEOUT):
    """Run ``nb`` (called ``name`` in messages) in a fresh python3 kernel, working directory ``cwd``."""
    current = {}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                            on_cell_execute=lambda cell, cell_index: current.update(cell=cell, index=cell_index))
    try:
        client.execute()
    except CellTimeoutError as exc:
        first = (current["cell"].source.strip().splitlines() or [""])[0] if current else ""
        raise AssertionError(f"{os.path.basename(str(name))}: cell {current.get('index', '?')} ({first!r}) ran "
                             f"over {timeout} s: a hung kernel or a runaway cell") from exc
    return nb
