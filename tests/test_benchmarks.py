"""The benchmark suite runs and reports (on tiny sizes), so it cannot rot; RESULTS.md is as new as the code it
measures. Speed is not asserted."""

import os
import shutil

import pytest

from benchmarks import suite
from benchmarks.harness import (
    MEASURED,
    ROOT,
    Figure,
    measured_files,
    measured_hash,
    recorded_hash,
    table,
    write_results,
)
from helpers import Timing


@pytest.mark.slow
def test_quick_suite_runs_and_reports(tmp_path):
    skip = (suite.notebook_figures, suite.framework_figures)  # tested elsewhere (nbval, tests/test_frameworks.py)
    sections = [s for s in suite.SECTIONS if s not in skip]
    figures, notes = suite.run(quick=True, sections=sections)
    assert figures and all(isinstance(f, Figure) for f in figures)
    # (a per-step time is a difference of two timings: on tiny quick sizes noise can make it 0)
    assert all(f.ours is not None and float(f.ours) >= 0 for f in figures)
    names = [f.name for f in figures]
    # the GD step against a floor, blocked and plain, NumPy and torch, both dtypes
    steps = [f for f in figures if f.name.startswith("GD step,")]
    assert len(steps) == 8 and all(f.floor and "one read of X" in f.peer_name for f in steps)
    assert sum(f.target == 1.5 for f in steps) == 4
    # the fits: on the CPU, stopped by tol; Ridge(cholesky) next to LinearRegression
    assert any("fit_logistic_regression (CPU)" in n and "tol" in n for n in names)
    assert any("fit_softmax_regression (CPU)" in n and "tol" in n for n in names)
    assert any("Ridge(cholesky" in f.peer_name for f in figures)
    assert any("GB/s" in n for n in notes)
    out = tmp_path / "RESULTS.md"
    write_results(out, figures, notes, quick=True)
    text = out.read_text()
    for f in figures:
        assert f.name in text
    assert "numpy" in text and "cores" in text
    assert recorded_hash(text) == measured_hash()


def test_verdicts():
    fast, slow = Timing([1.0]), Timing([3.0])
    assert Figure("a", fast, slow, "p", 0.5).verdict() == "met"
    assert Figure("a", slow, fast, "p", 1.5).verdict() == "MISSED by 2.00x"
    assert Figure("a", slow, target=2.0, target_kind="seconds").verdict() == "MISSED by 1.50x"
    assert Figure("a", slow, value=0.4, target=0.5, target_kind="fraction").verdict() == "MISSED by 0.10"
    assert "| a |" in table([Figure("a", fast)])


def test_a_ratio_below_a_physical_floor_is_a_measurement_error(tmp_path):
    below = Figure("step", Timing([1.0]), Timing([2.0]), "one read of X", 1.5, floor=True)
    assert below.below_floor and below.met is None and "MEASUREMENT ERROR" in below.verdict()
    above = Figure("step", Timing([2.5]), Timing([2.0]), "one read of X", 1.5, floor=True)
    assert not above.below_floor and above.verdict() == "met"
    assert Figure("not a floor", Timing([1.0]), Timing([2.0]), "peer", 1.5).verdict() == "met"
    out = tmp_path / "R.md"
    write_results(out, [below, above], [], quick=True)
    assert "## Measurement errors" in out.read_text()


def test_measured_hash_follows_the_measured_files_only(tmp_path):
    files = measured_files()
    assert "benchmarks/suite.py" in files and "helpers/solvers.py" in files and "helpers/_blocked_step.py" in files
    assert not any(f.startswith("notebooks/") or f.endswith(".md") for f in files)
    for rel in files + ["benchmarks/grading.py"]:
        os.makedirs(tmp_path / os.path.dirname(rel), exist_ok=True)
        shutil.copy(os.path.join(ROOT, rel), tmp_path / rel)
    h = measured_hash(tmp_path)
    assert h == measured_hash()
    (tmp_path / "benchmarks" / "grading.py").write_text("# not measured\n")
    assert measured_hash(tmp_path) == h
    with open(tmp_path / "helpers" / "solvers.py", "a") as fh:
        fh.write("\n# a change\n")
    assert measured_hash(tmp_path) != h
    assert len(MEASURED) >= 2


def test_results_md_is_as_new_as_the_code_it_measures():
    """Fails when helpers/*.py or the suite changed since benchmarks/RESULTS.md was written:
    regenerate it with `python -m benchmarks`."""
    with open(os.path.join(ROOT, "benchmarks", "RESULTS.md"), encoding="utf-8") as fh:
        text = fh.read()
    assert "--quick" not in text.splitlines()[2], "RESULTS.md holds quick (small-size) figures"
    assert recorded_hash(text) == measured_hash(), (
        "benchmarks/RESULTS.md is older than the code it measures; regenerate it: python -m benchmarks")
