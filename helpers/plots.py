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


# ---------------------------------------------------------------------------
# Notebook 02: the cost J(w, b) of one input feature, and gradient descent on it
# ---------------------------------------------------------------------------

#: Colors of the learning-rate regimes (helpers.solvers.lr_regime).
REGIME_COLORS = {"crawl": "tab:blue", "good": "tab:green", "oscillate": "tab:orange", "diverge": "tab:red"}


def _to_numpy(a):
    if hasattr(a, "detach"):  # a torch tensor
        a = a.detach().cpu().numpy()
    return np.asarray(a, dtype=np.float64)


def _one_feature(X, t):
    """x (N,) and t (N,) as float64 NumPy arrays, for the plots of J(w, b) with one feature."""
    from ._checks import as_array, check_rows

    X = as_array(X, "X", (1, 2))
    t = as_array(t, "t", 1)
    check_rows("X", X, "t", t)
    if X.ndim == 2 and X.shape[1] != 1:
        raise ValueError(f"X must have one column (one input feature) to draw J(w, b), got shape {tuple(X.shape)}")
    return _to_numpy(X).reshape(-1), _to_numpy(t)


class CostBowl:
    """The cost J(w, b) = ||w x + b - t||^2 / (2N) of a one-feature model, for drawing.

    J is quadratic, so it equals its second-order Taylor expansion around the
    optimum (w*, b*) exactly,

        J(w, b) = J* + (1/2) [dw db] H [dw db]^T,   H = [[mean(x^2), mean(x)], [mean(x), 1]],

    with dw = w - w*, db = b - b*. `cost` evaluates that on any grid in one
    vectorized float64 expression, without the cancellation of expanding
    ||w x + b - t||^2 around 0 (J* comes from the residuals themselves).

    Parameters
    ----------
    X : (N, 1) or (N,) array or tensor, the one input feature
    t : (N,) array or tensor
    """

    def __init__(self, X, t):
        from .solvers import solve_direct

        self.x, self.t = _one_feature(X, t)
        w, b = solve_direct(self.x[:, None], self.t)
        self.w_star, self.b_star = float(w[0]), float(b)
        r = self.w_star * self.x + self.b_star - self.t
        self.J_star = float(r @ r) / (2 * len(r))
        self.H = np.array([[np.mean(self.x**2), np.mean(self.x)], [np.mean(self.x), 1.0]])

    def cost(self, w, b):
        """J at the (broadcast) arrays w and b, float64, same shape."""
        dw, db = np.asarray(w, dtype=np.float64) - self.w_star, np.asarray(b, dtype=np.float64) - self.b_star
        (hww, hwb), (_, hbb) = self.H
        return self.J_star + 0.5 * (hww * dw**2 + 2 * hwb * dw * db + hbb * db**2)

    def box(self, points=(), far=(), square=False, margin=1.15, max_zoom_out=3.0):
        """(w_range, b_range) centered on the optimum, covering the origin, ``points`` and ``far``.

        ``points`` and ``far`` are (K, 2) arrays of (w, b). Points in ``far`` (the
        later points of a path, which may diverge) widen the box at most
        ``max_zoom_out`` times. With ``square`` both ranges have the same width
        (for an equal-aspect plot).
        """
        center = np.array([self.w_star, self.b_star])
        # at least the half-widths over which J rises by J* (or by the cost of predicting 0, if J* = 0)
        rise = self.J_star if self.J_star > 0 else max(float(self.t @ self.t) / (2 * len(self.t)), 1e-12)
        half = np.maximum(np.abs(center), np.sqrt(2 * rise / np.diag(self.H)))

        def reach(pts):
            pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
            pts = pts[np.isfinite(pts).all(1)]
            return np.abs(pts - center).max(0) if len(pts) else np.zeros(2)

        half = np.maximum(half, reach(points))
        half = np.maximum(half, np.minimum(reach(far), max_zoom_out * half))
        if square:
            half = np.full(2, half.max())
        half = margin * half
        return (center[0] - half[0], center[0] + half[0]), (center[1] - half[1], center[1] + half[1])

    def grid(self, w_range, b_range, resolution=200):
        """W, B (resolution, resolution) and J on that grid."""
        W, B = np.meshgrid(np.linspace(*w_range, resolution), np.linspace(*b_range, resolution))
        return W, B, self.cost(W, B)


def _path_array(path):
    """(K, 2) float64 (w, b) from a GDResult, an array or a tensor of rows (w, b)."""
    if path is None:
        return None
    if hasattr(path, "path"):  # a GDResult
        path = path.path
    path = _to_numpy(path)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (K, 2): rows (w, b) for one feature, got shape {path.shape}")
    return path


def plot_cost_contours(X, t, ax=None, path=None, point=None, w_range=None, b_range=None, levels=14,
                       resolution=200, title=None, path_label=None, color="tab:red", equal_aspect=False):
    """Contours of the cost J(w, b) of a one-feature model, the optimum, and optionally a descent path.

    Parameters
    ----------
    X : (N, 1) or (N,) array or tensor, the one input feature
    t : (N,) array or tensor
    ax : matplotlib Axes, optional
    path : GDResult or (K, 2) array of (w, b), optional
        Drawn as dots joined by lines, from a hollow start marker.
    point : (w, b), optional
        A single point to mark (a cross).
    w_range, b_range : (lo, hi), optional
        The axes' limits; by default they cover the origin, the optimum, ``point`` and ``path``.
    levels : int or sequence
        The number of contour levels (spaced geometrically above J*, so both the
        floor of the valley and its walls show), or the levels themselves.
    resolution : int
        Grid points per axis.
    equal_aspect : bool
        Same scale on both axes (by default each axis fits its range), so that
        round contours look round.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, figsize=(5.5, 4.5))
    bowl = CostBowl(X, t)
    P = _path_array(path)
    near = ([] if P is None else [P[:1]]) + ([] if point is None else [np.reshape(point, (1, 2))])
    box = bowl.box(np.concatenate(near) if near else (), far=() if P is None else P, square=equal_aspect)
    w_range, b_range = w_range or box[0], b_range or box[1]
    W, B, J = bowl.grid(w_range, b_range, resolution)
    if np.isscalar(levels):
        top = float(J.max() - bowl.J_star)
        levels = bowl.J_star + np.geomspace(top * 1e-4, top, int(levels)) if top > 0 else int(levels)
    ax.contour(W, B, J, levels=levels, cmap="viridis", linewidths=1)
    ax.plot(bowl.w_star, bowl.b_star, "*", color="gold", mec="k", ms=14, zorder=5, label="optimum (w*, b*)")
    if P is not None:
        ax.plot(P[:, 0], P[:, 1], ".-", color=color, lw=1.2, ms=5, zorder=4, label=path_label)
        ax.plot(P[0, 0], P[0, 1], "o", mfc="none", mec=color, ms=9, zorder=4)
    if point is not None:
        ax.plot(*np.reshape(point, 2), "X", color=color, mec="k", ms=11, zorder=6, label="(w, b)")
    ax.set(xlim=w_range, ylim=b_range, xlabel="w", ylabel="b", title=title or "Contours of the cost J(w, b)")
    if equal_aspect:
        ax.set_aspect("equal")
    ax.legend(loc="best", fontsize=8, framealpha=0.85)
    return fig


def plot_cost_surface(X, t, ax=None, path=None, w_range=None, b_range=None, resolution=60, title=None):
    """The cost J(w, b) of a one-feature model as a 3-D surface (the bowl), with an optional path.

    Parameters
    ----------
    X : (N, 1) or (N,), t : (N,) arrays or tensors
    ax : a 3-D matplotlib Axes (``projection="3d"``), optional
    path : GDResult or (K, 2) array of (w, b), optional
    w_range, b_range : (lo, hi), optional
    resolution : int, grid points per axis

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        fig = plt.figure(figsize=(6, 4.5))
        ax = fig.add_subplot(projection="3d")
    elif getattr(ax, "name", "") != "3d":
        raise ValueError("ax must be a 3-D Axes: create it with fig.add_subplot(projection='3d')")
    bowl = CostBowl(X, t)
    P = _path_array(path)
    box = bowl.box(() if P is None else P[:1], far=() if P is None else P)
    w_range, b_range = w_range or box[0], b_range or box[1]
    W, B, J = bowl.grid(w_range, b_range, resolution)
    ax.plot_surface(W, B, J, cmap="viridis", alpha=0.8, linewidth=0, antialiased=False)
    ax.scatter([bowl.w_star], [bowl.b_star], [bowl.J_star], color="gold", edgecolor="k", s=80, marker="*")
    if P is not None:
        inside = (P[:, 0] >= w_range[0]) & (P[:, 0] <= w_range[1]) & (P[:, 1] >= b_range[0]) & (P[:, 1] <= b_range[1])
        ax.plot(P[inside, 0], P[inside, 1], bowl.cost(P[inside, 0], P[inside, 1]), ".-", color="tab:red", zorder=10)
    ax.set(xlabel="w", ylabel="b", zlabel="J", title=title or "The cost J(w, b): a bowl")
    return ax.figure


def plot_fit(X, t, w, b, ax=None, residuals=True, xlabel="x", ylabel="t", title=None):
    """The data, the line y = w x + b and (optionally) the residuals y - t as vertical segments.

    Parameters
    ----------
    X : (N, 1) or (N,), t : (N,) arrays or tensors
    w, b : the line's slope and intercept (floats)

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, figsize=(5.5, 4.5))
    x, t = _one_feature(X, t)
    w, b = float(np.reshape(_to_numpy(w), -1)[0]), float(_to_numpy(b))
    y = w * x + b
    if residuals:
        ax.vlines(x, t, y, color="tab:red", lw=0.8, alpha=0.6, label="residuals y - t")
    ax.scatter(x, t, s=12, alpha=0.7, label="data")
    xs = np.array([x.min(), x.max()])
    ax.plot(xs, w * xs + b, color="k", lw=2, label=f"y = {w:.3g} x {'-' if b < 0 else '+'} {abs(b):.3g}")
    J = float((y - t) @ (y - t)) / (2 * len(t))
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title or f"J = {J:.4g}")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_costs(costs, ax=None, J_star=None, title=None):
    """Cost per step of one or several descents, on a log scale.

    Parameters
    ----------
    costs : dict label -> GDResult or (K+1,) costs, or one GDResult / array
    J_star : float, optional
        The minimum; when given, the gap J - J* is drawn (reaching 0 shows as a drop).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, figsize=(5.5, 4))
    if not isinstance(costs, dict):
        costs = {None: costs}
    for label, c in costs.items():
        c = _to_numpy(c.costs if hasattr(c, "costs") else c)
        gap = c - J_star if J_star is not None else c
        ax.semilogy(np.arange(len(c)), np.where(gap > 0, gap, np.nan), ".-", ms=3, label=label)
    ax.set(xlabel="step", ylabel="J - J*" if J_star is not None else "J", title=title or "Cost per step")
    ax.grid(True, which="both", alpha=0.3)
    if any(label is not None for label in costs):
        ax.legend(fontsize=8)
    return fig


def plot_lr_scale(lr, critical, ax=None, lo=1e-3, hi=2.0):
    """Where ``lr`` sits among the regimes crawl / good / oscillate / diverge (a log-scaled strip).

    The strip runs from ``lo`` to ``hi`` times the critical learning rate ``critical``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .solvers import lr_regime

    fig, ax = _axes(ax, figsize=(8, 0.9))
    edges = {"crawl": (lo, 0.05), "good": (0.05, 0.5), "oscillate": (0.5, 1.0), "diverge": (1.0, hi)}
    for name, (a, b) in edges.items():
        ax.axvspan(a * critical, b * critical, color=REGIME_COLORS[name], alpha=0.25)
        ax.text(np.sqrt(a * b) * critical, 0.5, name, ha="center", va="center", fontsize=9)
    ax.axvline(critical, color="k", lw=1)
    regime = lr_regime(lr, critical)
    ax.axvline(min(max(lr, lo * critical), hi * critical), color=REGIME_COLORS[regime], lw=3)
    ax.set_xscale("log")
    ax.set(xlim=(lo * critical, hi * critical), yticks=[], xlabel="learning rate (black line: critical 2/λmax)")
    return fig
