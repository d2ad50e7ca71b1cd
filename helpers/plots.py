"""Plotting code the notebooks use, kept out of the notebooks' way.

Every function draws on the given ``ax`` (or ``fig``) and returns the figure;
without one it makes one new pyplot figure, which the cell's ``plt.show()``
displays and closes. Code that redraws (an explorer) passes its own figure:
it is reused, never piled up.
"""

import matplotlib.pyplot as plt
import numpy as np

from . import backend
from ._checks import as_array, check_rows
from .logistic import binary_cross_entropy, sigmoid
from .solvers import lr_regime, solve_direct


def _numpy(a):
    """A tensor or array-like as a float64 NumPy array (for plotting)."""
    return np.asarray(backend.to_numpy(a), dtype=float)


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
    fig, axes = plt.subplots(1, ncols, figsize=(5.5 * ncols, 4.4), squeeze=False)
    ax = axes[0, 0]
    colors = {name: f"C{k}" for k, name in enumerate(timings)}  # one colour per method, in both panels
    for name, secs in timings.items():
        ax.loglog(sizes, secs, "o-", color=colors[name], label=name)
    ax.set(xlabel="N (examples)", ylabel="seconds per call", title=title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(timings), frameon=False)  # off the data
    if baseline:
        ax = axes[0, 1]
        base = np.asarray(timings[baseline], dtype=float)
        for name, secs in timings.items():
            if name != baseline:
                ax.loglog(sizes, base / np.asarray(secs, dtype=float), "o-", color=colors[name], label=name)
        ax.axhline(1, color="gray", lw=1)
        ax.set(xlabel="N (examples)", ylabel=f"speed-up over {baseline}", title="How many times faster")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(timings) - 1, frameon=False)
    fig.tight_layout()
    return fig


# --- Notebook 02: the cost J(w, b) of one input feature, and gradient descent on it ---------------------------------

#: Colors of the learning-rate regimes (helpers.solvers.lr_regime).
REGIME_COLORS = {"crawl": "tab:blue", "good": "tab:green", "oscillate": "tab:orange", "diverge": "tab:red"}


def _one_feature(X, t):
    """x (N,) and t (N,) as float64 NumPy arrays, for the plots of J(w, b) with one feature."""
    X = as_array(X, "X", (1, 2))
    t = as_array(t, "t", 1)
    check_rows("X", X, "t", t)
    if X.ndim == 2 and X.shape[1] != 1:
        raise ValueError(f"X must have one column (one input feature) to draw J(w, b), got shape {tuple(X.shape)}")
    return _numpy(X).reshape(-1), _numpy(t)


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
    path = _numpy(path)
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
        Its axes keep the drawn ``ContourSet`` as ``ax.cost_contours``.
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
    ax.cost_contours = ax.contour(W, B, J, levels=levels, cmap="viridis", linewidths=1)  # kept for tests
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
    w, b = float(np.reshape(_numpy(w), -1)[0]), float(_numpy(b))
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


def plot_costs(costs, ax=None, J_star=None, title=None, colors=None):
    """Cost per step of one or several descents, on a log scale.

    Parameters
    ----------
    costs : dict label -> GDResult or (K+1,) costs, or one GDResult / array
    J_star : float, optional
        The minimum; when given, the gap J - J* is drawn (reaching 0 shows as a drop).
    colors : dict label -> colour, optional
        The colour of each curve (to match other panels of a figure); matplotlib's cycle otherwise.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, figsize=(5.5, 4))
    colors = colors or {}
    if not isinstance(costs, dict):
        costs = {None: costs}
    for label, c in costs.items():
        c = _numpy(c.costs if hasattr(c, "costs") else c)
        gap = c - J_star if J_star is not None else c
        ax.semilogy(np.arange(len(c)), np.where(gap > 0, gap, np.nan), ".-", ms=3, label=label,
                    color=colors.get(label))
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


# --- Notebook 03: feature maps, underfitting and overfitting --------------------------------------------------------

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
        ax.plot(_numpy(x_grid), _numpy(y_grid), color="tab:red", lw=2, label=label)
    ax.plot(_numpy(x), _numpy(t), "o", mfc="none", mec="tab:blue", mew=1.5, ms=7, label=f"data (N = {len(x)})")
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

    An error too small for the log axis (an interpolating fit's training error of 0) is drawn on the axis's
    floor as a downward triangle, labelled with the floor, instead of falling off the plot.

    Parameters
    ----------
    degrees : (K,) degrees M
    train_rmse, val_rmse : (K,) RMS errors
    chosen : int, optional, the degree to mark (the validation minimum)
    """
    fig, ax = _axes(ax, figsize=(8.0, 3.8))
    train, val = np.asarray(train_rmse, dtype=float), np.asarray(val_rmse, dtype=float)
    shown = np.concatenate([train, val])
    floor = max(1e-3, 0.5 * np.min(shown[shown >= 1e-3], initial=1.0))
    degrees = list(degrees)
    for values, color, label in [(train, "tab:blue", "training"), (val, "tab:red", val_label)]:
        ax.semilogy(degrees, np.maximum(values, floor), "o-", color=color, label=label)
        low = values < floor
        if low.any():
            ax.semilogy(np.asarray(degrees)[low], np.full(low.sum(), floor), "v", ms=11, color=color,
                        label=f"{label}: below {floor:.1g} (drawn on the axis)")
    if chosen is not None:
        k = degrees.index(chosen)
        ax.semilogy([chosen], [val[k]], "*", ms=16, color="gold", mec="k", label=f"chosen: M = {chosen}")
    ax.set(xlabel="degree $M$", ylabel="RMS error", xticks=degrees)
    ax.set_ylim(bottom=floor / 1.5)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9)  # off the data
    fig.tight_layout()
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
    ax.plot(_numpy(x_grid), _numpy(Psi), lw=1.5)
    ax.set(xlabel="$x$", ylabel=r"$\psi_j(x)$", title=title)
    return fig


# --- Notebook 04: logistic regression -------------------------------------------------------------------------------

_PROBA_CMAP, _PROBA_ALPHA = "RdBu_r", 0.35  # sigma(z) shading: blue (t = 0), white (1/2), red (t = 1), faded


def probability_colorbar(fig, axes, label=r"$\sigma(z)$ = predicted probability that $t = 1$"):
    """One colour bar for the sigma(z) shading of `plot_decision_boundary`, beside ``axes`` (an Axes or a list).

    Its colours are the shading's as drawn (the colour map faded over white), from 0 to 1.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import ListedColormap, Normalize

    rgb = _PROBA_ALPHA * colormaps[_PROBA_CMAP](np.linspace(0, 1, 256))[:, :3] + (1 - _PROBA_ALPHA)
    mappable = ScalarMappable(Normalize(0, 1), ListedColormap(rgb))
    return fig.colorbar(mappable, ax=axes, label=label, fraction=0.046, pad=0.03)


def plot_decision_boundary(model, X, t, ax=None, feature_names=("$x_1$", "$x_2$"), class_names=("t = 0", "t = 1"),
                           proba=True, title=None, legend=True, colorbar=True):
    """Two-feature data by class, and the decision boundary w1 x1 + w2 x2 + b = 0 of a linear classifier.

    The shaded background is the predicted probability sigmoid(w^T x + b) that t = 1
    (white on the boundary, where it is 1/2).

    Parameters
    ----------
    model : object with ``.w`` (2,) and ``.b``, or a pair ``(w, b)``
    X : (N, 2) array or tensor
    t : (N,) labels 0 and 1
    ax : matplotlib Axes, optional
    feature_names, class_names : pairs of str, for the axes and the legend
    proba : bool, default True
        Shade the background by the predicted probability.
    colorbar : bool, default True
        With ``proba``, a colour bar for the shading (for several panels, pass False and call
        `probability_colorbar` once for all of them).

    Returns
    -------
    matplotlib.figure.Figure
    """
    w, b = (model.w, model.b) if hasattr(model, "w") else model
    w, b, X, t = _numpy(w).ravel(), float(_numpy(b)), _numpy(X), _numpy(t)
    if X.ndim != 2 or X.shape[1] != 2 or w.shape != (2,):
        raise ValueError(f"plot_decision_boundary needs two features: X (N, 2) and w (2,), "
                         f"got X {X.shape} and w {w.shape}")
    fig, ax = _axes(ax, figsize=(5.5, 4.5))
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.08 * (hi - lo)
    (x1a, x2a), (x1b, x2b) = lo - pad, hi + pad
    if proba:
        g1, g2 = np.meshgrid(np.linspace(x1a, x1b, 200), np.linspace(x2a, x2b, 200))
        y = sigmoid(g1 * w[0] + g2 * w[1] + b)
        ax.imshow(y, extent=(x1a, x1b, x2a, x2b), origin="lower", aspect="auto", cmap=_PROBA_CMAP,
                  vmin=0, vmax=1, alpha=_PROBA_ALPHA, interpolation="bilinear")
        if colorbar:
            probability_colorbar(fig, ax)
    for label, marker, color in [(0, "o", "tab:blue"), (1, "^", "tab:red")]:
        sel = t == label
        ax.scatter(X[sel, 0], X[sel, 1], s=18, marker=marker, color=color, edgecolor="k", linewidth=0.4,
                   label=class_names[label])
    if np.any(w != 0):  # the line w1 x1 + w2 x2 + b = 0, solved for the better-conditioned coordinate
        if abs(w[1]) >= abs(w[0]):
            x1 = np.array([x1a, x1b])
            ax.plot(x1, -(w[0] * x1 + b) / w[1], "k-", lw=2, label="boundary $z = 0$")
        else:
            x2 = np.array([x2a, x2b])
            ax.plot(-(w[1] * x2 + b) / w[0], x2, "k-", lw=2, label="boundary $z = 0$")
    ax.set(xlim=(x1a, x1b), ylim=(x2a, x2b), xlabel=feature_names[0], ylabel=feature_names[1])
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    return fig


def plot_surrogate_losses(ax=None, z_range=(-4.0, 4.0)):
    """For a target t = 1, four losses as functions of the logit z.

    The 0-1 loss (1 when z < 0: the prediction is wrong), the squared error of z
    itself (z - 1)^2 / 2, the squared error after the sigmoid (sigma(z) - 1)^2 / 2, and
    the cross-entropy -log sigma(z) (natural log).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, figsize=(6, 4))
    z = np.linspace(*z_range, 801)
    ones = np.ones_like(z)
    ax.plot(z, (z < 0).astype(float), lw=2.5, label="0-1 loss  $[z < 0]$")
    ax.plot(z, (z - 1) ** 2 / 2, lw=2, label=r"squared error on $z$:  $\frac{1}{2}(z - 1)^2$")
    ax.plot(z, (sigmoid(z) - 1) ** 2 / 2, lw=2,
            label=r"squared error after the sigmoid:  $\frac{1}{2}(\sigma(z) - 1)^2$")
    ax.plot(z, binary_cross_entropy(z, ones, reduction="none"), lw=2, label=r"cross-entropy:  $-\log \sigma(z)$")
    ax.axvline(0, color="gray", lw=0.8, ls=":")
    ax.set(xlim=z_range, ylim=(-0.05, 3.0), xlabel="logit $z$ (target $t = 1$)", ylabel="loss",
           title="Surrogate losses for a positive example")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    return fig


def plot_logistic_fit(X, t, w, b, feature_names=("$x_1$", "$x_2$"), class_names=("t = 0", "t = 1"), fig=None):
    """A logistic classifier on two features: its boundary, and what each example costs.

    Left: `plot_decision_boundary`. Right: every example's cross-entropy on the curve
    log(1 + e^-m) of its signed logit m = (2t - 1) z (m < 0: misclassified). The title
    gives the cost J (mean cross-entropy) and the accuracy, also stored on the figure
    as ``fig.logistic_loss`` and ``fig.logistic_accuracy``.

    Parameters
    ----------
    X : (N, 2), t : (N,) labels 0 and 1, w : (2,), b : float
    fig : matplotlib Figure, optional
        Draw into this figure (cleared first) instead of a new one: redraws reuse it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    X, t, w, b = _numpy(X), _numpy(t), _numpy(w).ravel(), float(_numpy(b))
    z = X @ w + b
    losses = binary_cross_entropy(z, t, reduction="none")
    J, acc = float(np.mean(losses)), float(np.mean((z >= 0) == (t == 1)))
    if fig is None:
        fig = plt.figure(figsize=(10.5, 4.2))
    else:
        fig.clear()
    left, right = fig.subplots(1, 2)
    plot_decision_boundary((w, b), X, t, ax=left, feature_names=feature_names, class_names=class_names)
    m = (2 * t - 1) * z
    reach = max(4.0, float(np.abs(m).max()))
    grid = np.linspace(-reach, reach, 400)
    right.plot(grid, binary_cross_entropy(grid, np.ones_like(grid), reduction="none"), color="gray", lw=1.5,
               label=r"$\log(1 + e^{-m})$")
    for label, marker, color in [(0, "o", "tab:blue"), (1, "^", "tab:red")]:
        sel = t == label
        right.scatter(m[sel], losses[sel], s=16, marker=marker, color=color, edgecolor="k", linewidth=0.4,
                      label=class_names[label])
    right.axvline(0, color="k", lw=0.8, ls=":")
    right.set(xlabel="signed logit $m = (2t - 1)\\,z$   (m < 0: wrong)", ylabel="cross-entropy of the example",
              title="What each example costs")
    right.legend(fontsize=8)
    fig.suptitle(f"w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f}:   cost J = {J:.3f},   accuracy = {acc:.1%}")
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.85, wspace=0.25)  # fixed layout: fast redraws
    fig.logistic_loss, fig.logistic_accuracy = J, acc
    return fig


# --- Notebook 05: softmax regression on handwritten digits ----------------------------------------------------------

def plot_image_grid(images, titles=None, ncols=10, cmap="gray_r", symmetric=False, size=1.1, suptitle=None,
                    colorbar_label=None):
    """Square images (rows of pixels) in a grid, each with an optional title.

    Parameters
    ----------
    images : (M, side * side) array (or tensor), one flattened image per row
    titles : sequence of M str, optional
    ncols : int
    cmap : str
    symmetric : bool
        Center the color scale on 0 (for weights: red positive, blue negative), one scale for all images.
    colorbar_label : str, optional
        Add one colour bar for all the images, with this label (with ``symmetric``: symmetric about 0).
    """
    images = _numpy(images)
    M, D = images.shape
    side = int(round(D ** 0.5))
    if side * side != D:
        raise ValueError(f"images must be square: got {D} pixels per image, not a perfect square")
    ncols = min(ncols, M)
    nrows = -(-M // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * (1.25 if titles else 1)),
                             squeeze=False)
    vmax = np.abs(images).max() if symmetric else None
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k >= M:
            continue
        kw = {"vmin": -vmax, "vmax": vmax} if symmetric else {"vmin": images.min(), "vmax": images.max()}
        shown = ax.imshow(images[k].reshape(side, side), cmap=cmap, **kw)
        if titles is not None:
            ax.set_title(titles[k], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    if colorbar_label:
        fig.colorbar(shown, ax=axes.ravel().tolist(), label=colorbar_label, fraction=0.03, pad=0.02)
    return fig


def plot_history(history, title="Training", xlabel="epoch"):
    """Loss and accuracy from a fit's ``history`` (`helpers.fitting`: loss, train_acc, optional val_acc).

    Entry k is drawn at k, the number of epochs (or steps) taken: 0 is the start.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    epochs = np.arange(len(history["loss"]))
    ax1.plot(epochs, history["loss"])
    ax1.set(xlabel=xlabel, ylabel="J (training objective)", yscale="log", title=f"{title}: loss")
    ax1.grid(True, which="both", alpha=0.3)
    ax2.plot(epochs, history["train_acc"], label="training")
    if "val_acc" in history:
        ax2.plot(epochs, history["val_acc"], label="validation")
    lowest = min(np.min(history[k]) for k in ("train_acc", "val_acc") if k in history)
    ax2.set(xlabel=xlabel, ylabel="accuracy", title=f"{title}: accuracy", ylim=(max(0.0, lowest - 0.03), 1.005))
    ax2.grid(True, alpha=0.3)
    ax2.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)  # beside the curves, never over them
    fig.tight_layout()
    return fig


def plot_confusion(cm, ax=None, title="Confusion matrix (test set)"):
    """A K x K confusion matrix: row = true class, column = predicted class, counts written in the cells."""
    cm = np.asarray(cm)
    fig, ax = _axes(ax, figsize=(5.2, 4.6))
    ax.imshow(cm, cmap="Blues")
    K = cm.shape[0]
    for i in range(K):
        for j in range(K):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set(xticks=range(K), yticks=range(K), xlabel="predicted class", ylabel="true class", title=title)
    fig.tight_layout()
    return fig


def plot_convergence(curves, J_min, ax=None, title="Gradient descent: distance to the minimum"):
    """J - J_min per epoch (log scale) for several optimizers; ``curves`` maps a name to its (epochs,) losses."""
    fig, ax = _axes(ax, figsize=(6.5, 4))
    for name, J in curves.items():
        gap = np.maximum(np.asarray(J, dtype=float) - J_min, 1e-16)
        ax.semilogy(np.arange(1, len(gap) + 1), gap, label=name)
    ax.set(xlabel="epoch", ylabel="J - J_min", title=title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig
