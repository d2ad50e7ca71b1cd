"""The benchmark suite runs and reports (on tiny sizes), so it cannot rot. Speed is not asserted."""

import pytest

from benchmarks import suite
from benchmarks.harness import Figure, table, write_results
from helpers import Timing


@pytest.mark.slow
def test_quick_suite_runs_and_reports(tmp_path):
    sections = [s for s in suite.SECTIONS if s is not suite.notebook_figures]  # notebooks run under nbval anyway
    figures, notes = suite.run(quick=True, sections=sections)
    assert figures and all(isinstance(f, Figure) for f in figures)
    # (a per-step time is a difference of two timings: on tiny quick sizes noise can make it 0)
    assert all(f.ours is not None and float(f.ours) >= 0 for f in figures)
    out = tmp_path / "RESULTS.md"
    write_results(out, figures, notes, quick=True)
    text = out.read_text()
    for f in figures:
        assert f.name in text
    assert "numpy" in text and "cores" in text


def test_verdicts():
    fast, slow = Timing([1.0]), Timing([3.0])
    assert Figure("a", fast, slow, "p", 0.5).verdict() == "met"
    assert Figure("a", slow, fast, "p", 1.5).verdict() == "MISSED by 2.00x"
    assert Figure("a", slow, target=2.0, target_kind="seconds").verdict() == "MISSED by 1.50x"
    assert Figure("a", slow, value=0.4, target=0.5, target_kind="fraction").verdict() == "MISSED by 0.10"
    assert "| a |" in table([Figure("a", fast)])
