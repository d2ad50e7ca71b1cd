"""Measuring, recording and reporting figures.

Each figure is a ratio: our time over a peer's time measured in the same run
(the machines are shared and noisy, absolute seconds mean little). Every time
is the median of repeats after warm-up (`helpers.time_it`), with min and max.

A figure against a physical floor (``floor=True``: the time to read X once) cannot
honestly come out below 1: such a ratio is reported as a measurement error.
RESULTS.md records the commit it ran at and `measured_hash`, a hash of the files
the suite measures, so that a test can tell when it is older than the code.
"""

import datetime
import glob
import hashlib
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from helpers import time_it


@dataclass
class Figure:
    """One benchmark line: what, our time, the peer's, the ratio, and the target."""

    name: str
    ours: object  # Timing (seconds) or None
    peer: object = None  # Timing or None
    peer_name: str = ""
    target: float = None  # ratio ours/peer we hold ourselves to (lower is better), or a bound on ours
    target_kind: str = "ratio"  # "ratio" (ours/peer <= target), "seconds" (ours <= target), "fraction" (>= target)
    value: float = None  # for "fraction" figures: the measured fraction
    note: str = ""
    extra: dict = field(default_factory=dict)
    floor: bool = False  # the peer is a physical floor: ours / peer < 1 is a measurement error

    @property
    def below_floor(self):
        r = self.ratio
        return self.floor and r is not None and r < 1

    @property
    def ratio(self):
        if self.ours is None or self.peer is None:
            return None
        return float(self.ours) / float(self.peer)

    @property
    def measured(self):
        if self.target_kind == "ratio":
            return self.ratio
        if self.target_kind == "fraction":
            return self.value
        return None if self.ours is None else float(self.ours)

    @property
    def met(self):
        m = self.measured
        if self.target is None or m is None or self.below_floor:
            return None
        return m >= self.target if self.target_kind == "fraction" else m <= self.target

    def verdict(self):
        if self.below_floor:
            return "MEASUREMENT ERROR (below the floor)"
        met = self.met
        if met is None:
            return "reported"
        if met:
            return "met"
        m = self.measured
        if self.target_kind == "fraction":
            return f"MISSED by {self.target - m:.2f}"
        return f"MISSED by {m / self.target:.2f}x"


def measure(fn, *args, repeat=5, warmup=1, **kwargs):
    return time_it(fn, *args, repeat=repeat, warmup=warmup, **kwargs)


def fmt_seconds(t):
    if t is None:
        return "—"
    t = float(t)
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale or unit == "µs":
            return f"{t / scale:.3g} {unit}"


def fmt_timing(t):
    if t is None:
        return "—"
    if hasattr(t, "min"):
        return f"{fmt_seconds(t)} ({fmt_seconds(t.min)}–{fmt_seconds(t.max)})"
    return fmt_seconds(t)


def fmt_target(f):
    if f.target is None:
        return "—"
    if f.target_kind == "ratio":
        return f"≤ {f.target:g}×"
    if f.target_kind == "fraction":
        return f"≥ {f.target:.0%}"
    return f"≤ {fmt_seconds(f.target)}"


def fmt_measured(f):
    m = f.measured
    if m is None:
        return "—"
    if f.target_kind == "ratio":
        return f"{m:.3g}×"
    if f.target_kind == "fraction":
        return f"{m:.0%}"
    return fmt_seconds(m)


def _load_average():
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover (not on every platform)
        return None


LOAD_AT_START = _load_average()  # the suite imports this module first: the machine's load before it ran


def _load_note():
    start, end = LOAD_AT_START, _load_average()
    if start is None or end is None:
        return "unknown"
    busy = " (more runnable processes than cores: the machine was shared, times are inflated)" \
        if max(start, end) > (os.cpu_count() or 1) else ""
    return f"{start:.1f} at the start, {end:.1f} at the end{busy}"


def machine_info():
    from threadpoolctl import threadpool_info

    info = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "load average (1 min)": _load_note(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "blas": ", ".join(f"{p['internal_api']} ({p['num_threads']} threads)" for p in threadpool_info()),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none",
    }
    try:
        import sklearn

        info["scikit-learn"] = sklearn.__version__
    except ImportError:  # pragma: no cover
        pass
    return info


def _cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_revision():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=os.path.dirname(__file__), timeout=5).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: What the suite measures: the helpers package's modules and the suite's own code (not the
#: explorer and grading benchmarks, which write their own results). Paths relative to ROOT.
MEASURED = ("helpers/*.py", "benchmarks/__init__.py", "benchmarks/__main__.py", "benchmarks/harness.py",
            "benchmarks/suite.py", "benchmarks/frameworks.py")


def run_sections(sections, quick):
    """Run each ``section(quick) -> (figures, notes)``, printing its wall time; the figures and notes of all."""
    figures, notes = [], []
    for section in sections:
        start = time.perf_counter()
        f, n = section(quick)
        figures += f
        notes += n
        print(f"  {section.__name__}: {time.perf_counter() - start:.1f} s", flush=True)
    return figures, notes


def measured_files(root=ROOT):
    """The files `MEASURED` names, relative to ``root``, sorted."""
    paths = (p for pattern in MEASURED for p in glob.glob(os.path.join(root, pattern)))
    return sorted({os.path.relpath(p, root).replace(os.sep, "/") for p in paths})


def measured_hash(root=ROOT):
    """SHA-256 (first 16 hex digits) over the measured files' paths and contents (line endings as stored)."""
    h = hashlib.sha256()
    for rel in measured_files(root):
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read().replace(b"\r\n", b"\n")
        h.update(rel.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()[:16]


HASH_LINE = "Measured files hash: `{}`"


def recorded_hash(text):
    """The hash a RESULTS.md text records (`HASH_LINE`), or None."""
    prefix, suffix = HASH_LINE.split("{}")
    for line in text.splitlines():
        if line.startswith(prefix) and suffix in line[len(prefix):]:
            return line[len(prefix):].split(suffix)[0]
    return None


def table(figures):
    head = "| figure | ours (median, min–max) | peer | peer (median, min–max) | measured | target | verdict |\n"
    head += "|---|---|---|---|---|---|---|\n"
    rows = []
    for f in figures:
        rows.append(f"| {f.name} | {fmt_timing(f.ours)} | {f.peer_name or '—'} | {fmt_timing(f.peer)} | "
                    f"{fmt_measured(f)} | {fmt_target(f)} | {f.verdict()} |")
    return head + "\n".join(rows) + "\n"


def write_results(path, figures, notes, quick):
    info = machine_info()
    lines = ["# Benchmark results", ""]
    lines.append("Written by `python -m benchmarks`" + (" --quick (small sizes: not the reference figures)" if quick
                                                       else "") + f" at commit `{git_revision()}`.")
    lines.append("")
    lines.append(HASH_LINE.format(measured_hash()) + " (`benchmarks.harness.measured_hash`: "
                 + ", ".join(MEASURED) + "); tests/test_benchmarks.py fails when the code differs from it.")
    lines.append("")
    lines += [f"- **{k}**: {v}" for k, v in info.items()]
    lines += ["", "Each time is the median of repeats after warm-up, with the min and max of the repeats. "
              "*measured* is ours ÷ peer for ratio targets (lower is better).", "", table(figures)]
    missed = [f for f in figures if f.met is False]
    lines.append("## Targets missed" if missed else "## Targets")
    lines.append("")
    if missed:
        for f in missed:
            lines.append(f"- {f.name}: measured {fmt_measured(f)}, target {fmt_target(f)} ({f.verdict()}). {f.note}")
    else:
        lines.append("Every figure with a target met it in this run.")
    lines.append("")
    errors = [f for f in figures if f.below_floor]
    if errors:
        lines += ["## Measurement errors", ""]
        lines += [f"- {f.name}: {fmt_measured(f)} of {f.peer_name}, a physical floor: below 1 means the floor or "
                  "the step was measured wrong (not a win)." for f in errors] + [""]
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
