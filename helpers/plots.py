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


# --- Notebook 03: feature maps, underfitting and overfitting ---------------------------------------------------


def _as_numpy(a):
    """A NumPy copy of an array or tensor (any device), for plotting."""
    if hasattr(a, "detach"):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def true_curve(x):
    """The function behind the curve-fitting data, sin(2 pi x)."""
    return np.sin(2 * np.pi * np.asarray(x))


def plot_curve_fit(x, t, x_grid=None, y_grid=None, ax=None, title=None, label="fit", ylim=(-1.6, 1.6)):
    """Data points, the true curve sin(2 pi x) and (optionally) a fitted curve, on [0, 1].

    Parameters
    ----------
    x, t : (N,) inputs and targets (the training points)
    x_grid, y_grid : (G,) optional, the fitted curve's inputs and predictions
    ax : matplotlib Axes, optional
    ylim : the vertical range; fits that leave it are clipped, as in PRML's figures
    """
    fig, ax = _axes(ax, figsize=(5, 3.6))
    grid = np.linspace(0, 1, 400)
    ax.plot(grid, true_curve(grid), color="tab:green", lw=1.5, label=r"truth $\sin(2\pi x)$")
    if y_grid is not None:
        ax.plot(_as_numpy(x_grid), _as_numpy(y_grid), color="tab:red", lw=2, label=label)
    ax.plot(_as_numpy(x), _as_numpy(t), "o", mfc="none", mec="tab:blue", mew=1.5, ms=7, label=f"data (N = {len(x)})")
    ax.set(xlim=(-0.02, 1.02), ylim=ylim, xlabel="$x$", ylabel="$t$")
    if title:
        ax.set_title(title)
    return fig


def plot_polynomial_fits(x, t, x_grid, fits, ncols=2, legend_in=0):
    """One panel per fitted curve, on a grid of subplots (PRML figure 1.4 for degrees 0, 1, 3, 9).

    Parameters
    ----------
    x, t : (N,) the training points
    x_grid : (G,) inputs of the curves
    fits : dict title -> (G,) predictions on ``x_grid``
    legend_in : index of the panel that gets the legend
    """
    nrows = -(-len(fits) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5 * ncols, 3.4 * nrows), squeeze=False)
    for k, (ax, (title, y_grid)) in enumerate(zip(axes.flat, fits.items())):
        plot_curve_fit(x, t, x_grid, y_grid, ax=ax, title=title)
        if k == legend_in:
            ax.legend(loc="lower left", fontsize=8)
    for ax in list(axes.flat)[len(fits):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def plot_errors_vs_degree(degrees, train_rmse, val_rmse, chosen=None, ax=None, val_label="validation"):
    """Training and validation RMS error against the polynomial degree (PRML figure 1.5), log scale.

    Parameters
    ----------
    degrees : (K,) degrees M
    train_rmse, val_rmse : (K,) RMS errors
    chosen : int, optional, the degree to mark (the validation minimum)
    """
    fig, ax = _axes(ax, figsize=(5.5, 3.8))
    ax.semilogy(degrees, train_rmse, "o-", color="tab:blue", label="training")
    ax.semilogy(degrees, val_rmse, "o-", color="tab:red", label=val_label)
    if chosen is not None:
        k = list(degrees).index(chosen)
        ax.semilogy([chosen], [val_rmse[k]], "*", ms=16, color="gold", mec="k", label=f"chosen: M = {chosen}")
    ax.set(xlabel="degree $M$", ylabel="RMS error", xticks=list(degrees))
    ax.set_ylim(bottom=max(1e-3, 0.5 * min(np.min(train_rmse), np.min(val_rmse))))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return fig


def plot_condition_numbers(degrees, conds, threshold=None, ax=None):
    """Condition numbers against the degree, one line per variant (log scale).

    Parameters
    ----------
    degrees : (K,)
    conds : dict label -> (K,) condition numbers
    threshold : float, optional, drawn as a dashed line (e.g. where solve_direct falls back)
    """
    fig, ax = _axes(ax, figsize=(5.5, 3.8))
    for label, c in conds.items():
        ax.semilogy(degrees, c, "o-", label=label)
    if threshold is not None:
        ax.axhline(threshold, color="gray", ls="--", lw=1, label=f"solve_direct's limit {threshold:.0e}")
    ax.axhline(1 / np.finfo(np.float64).eps, color="k", ls=":", lw=1, label="1 / float64 eps")
    ax.set(xlabel="degree $M$", ylabel=r"cond$(\Psi^\top\Psi)$", xticks=list(degrees))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def plot_basis_functions(x_grid, Psi, ax=None, title="basis functions"):
    """Each column of ``Psi`` (G, M), evaluated on ``x_grid`` (G,), as a curve."""
    fig, ax = _axes(ax, figsize=(5, 3.4))
    ax.plot(_as_numpy(x_grid), _as_numpy(Psi), lw=1.5)
    ax.set(xlabel="$x$", ylabel=r"$\psi_j(x)$", title=title)
    return fig
