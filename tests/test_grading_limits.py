"""The grader's limits on one submission each (in this process, a second or three each): the cell and notebook
time limits, the grader's own memory when a cell prints 100 MB, and a submission that kills its worker."""

import tracemalloc

import pytest

from grading import cli, synthetic
from grading.runner import Config, grade_submission
from grading.submissions import Submission, discover
from tests.grading_fixtures import tiny

CONFIG = Config(cell_timeout=30.0, call_timeout=2.0, timeout=90.0, memory_gb=1.5)


def grade_alone(tmp_path, nb, config):
    path = tmp_path / "alone.ipynb"
    path.write_bytes(synthetic.to_bytes(nb))
    return grade_submission(Submission(str(path), "alone", str(path)), config, tiny.ASSIGNMENTS, tiny)


def test_a_cell_over_its_time_limit_is_stopped_and_the_rest_graded(tmp_path):
    r = grade_alone(tmp_path, tiny.notebook(top=["import time\ntime.sleep(60)"]), Config(cell_timeout=1.5))
    assert r["status"] == "timeout" and r["total"] == tiny.MAX
    assert r["notes"] == ["cell 3 was stopped after 1.5 s (the cell time limit)"]


def test_the_notebook_time_limit_stops_everything_left(tmp_path):
    r = grade_alone(tmp_path, tiny.notebook(top=["import time\ntime.sleep(1.0)"] * 6),
                    Config(timeout=3.0, cell_timeout=2.0))
    assert r["status"] == "timeout" and r["total"] == 0
    assert all("time limit was reached" in s["message"] for s in r["steps"])
    assert r["seconds"] < 20


@pytest.mark.slow
def test_a_submission_that_kills_the_grading_worker_is_crashed_and_the_rest_graded(tmp_path):
    """Slow (10 to 20 s): three worker pools start, the first two are killed."""
    killer = tiny.notebook(top=["import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"])
    (tmp_path / "killer.ipynb").write_bytes(synthetic.to_bytes(killer))
    (tmp_path / "solved.ipynb").write_bytes(synthetic.to_bytes(tiny.notebook()))
    results = cli.grade_all(discover([str(tmp_path)]), CONFIG, jobs=1, progress=False, course=tiny.COURSE)
    assert [r["status"] for r in results] == ["crashed", "ok"] and results[1]["total"] == tiny.MAX
    assert "worker process was killed" in results[0]["notes"][0]


def test_the_grader_never_holds_a_100_mb_output(tmp_path):
    """Python allocations in the grader (tracemalloc) stay far below one copy of a 100 MB print or error."""
    nb = tiny.notebook(top=["print('x' * 100_000_000)", "raise ValueError('y' * 30_000_000)"])
    tracemalloc.start()
    try:
        r = grade_alone(tmp_path, nb, Config())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r["total"] == tiny.MAX and sum("dropped unread" in n for n in r["notes"]) == 2
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB"
