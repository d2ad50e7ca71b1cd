"""Measuring, recording and reporting figures.

Each figure is a ratio: our time over a peer's time measured in the same run
(the machines are shared and noisy, absolute seconds mean little). Every time
is the median of repeats after warm-up (`helpers.time_it`), with min and max.
"""

import datetime
import os
import platform
import subprocess
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
        if self.target is None or m is None:
            return None
        return m >= self.target if self.target_kind == "fraction" else m <= self.target

    def verdict(self):
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


def machine_info():
    from threadpoolctl import threadpool_info

    info = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
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
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
