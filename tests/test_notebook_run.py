"""A hung cell fails fast, and the failure names the notebook and the cell."""

import nbformat
import pytest

from tests.notebook_run import execute


def test_a_hung_cell_fails_fast_naming_its_notebook_and_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("text"),
                nbformat.v4.new_code_cell("import time\ntime.sleep(60)  # hangs")]
    with pytest.raises(AssertionError, match=r"demo\.ipynb: cell 2 \('import time'\) ran over 3 s"):
        execute(nb, "notebooks/demo.ipynb", tmp_path, timeout=3)
