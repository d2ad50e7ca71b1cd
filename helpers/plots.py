"""Plotting code the notebooks use, kept out of the notebooks' way.

Every function draws on the given ``ax`` (or a new figure) and returns the
figure, so a notebook cell ends with ``plt.show()``.
"""

import matplotlib.pyplot as plt
import numpy as np


def _axes(ax, **fig_kw):
    if ax is None:
        fig, ax = plt.subplots(**fig_kw)
    return ax.figure, ax


def plot_timings(sizes, timings, baseline=None, title="Cost J for N examples"):
    """Log-log plot of seconds per call against N, and speed-ups over ``baseline``.

    Parameters
    ----------
    sizes : (S,) sequence of N
    timings : dict name -> (S,) seconds (NaN where not measured)
    baseline : str, optional
        Name in ``timings`` to compute speed-ups against (right panel).
    """
    ncols = 2 if baseline else 1
    fig, axes = plt.subplots(1, ncols, figsize=(5.5 * ncols, 4), squeeze=False)
    ax = axes[0, 0]
    for name, secs in timings.items():
        ax.loglog(sizes, secs, "o-", label=name)
    ax.set(xlabel="N (examples)", ylabel="seconds per call", title=title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    if baseline:
        ax = axes[0, 1]
        base = np.asarray(timings[baseline], dtype=float)
        for name, secs in timings.items():
            if name != baseline:
                ax.loglog(sizes, base / np.asarray(secs, dtype=float), "o-", label=name)
        ax.axhline(1, color="gray", lw=1)
        ax.set(xlabel="N (examples)", ylabel=f"speed-up over {baseline}", title="How many times faster")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig
