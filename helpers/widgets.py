"""Interactive explorers, one per idea the notebooks let a student play with.

Every explorer is an `Explorer` (see `helpers.live`, which also says how they stay
fast): ``.controls`` (name -> slider), ``.update(**values)`` (set sliders and redraw
once, what a slider event does), ``.state`` (what the last redraw computed) and
``.png`` (the figure as it is now), so tests and benchmarks drive them headlessly.
"""

import math
import warnings

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from .live import Explorer, LiveFigure, Pixels, decades, float_slider, int_slider, nice_ceil

DPI = 90  # a 11-inch figure is then 990 pixels wide: sharp in a notebook column, quick to encode and send

# --- Notebook 02: the cost J(w, b) of one input feature, and gradient descent on it ---------------------------------

def line_ranges(bowl, spread=2.0):
    """Slider ranges for (w, b) around the optimum: along each, J rises by ``spread`` times the cost of
    predicting the mean of t (the range where a line still runs through the data)."""
    rise = spread * float(np.var(bowl.t)) / 2 + 1e-12
    half = np.sqrt(2 * rise / np.diag(bowl.H))
    return ((bowl.w_star - half[0], bowl.w_star + half[0]), (bowl.b_star - half[1], bowl.b_star + half[1]))


class _CostView:
    """The cost explorer's figure: the data, the line and its residuals (left); (w, b) on J's contours (right)."""

    def __init__(self, bowl, w_range, b_range, xlabel, ylabel):
        from .plots import plot_cost_contours

        x, t = bowl.x, bowl.t
        fig = Figure(figsize=(11, 4.4), dpi=DPI)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.84, wspace=0.22)
        ax_fit, ax_cost = fig.subplots(1, 2)
        ax_fit.scatter(x, t, s=12, alpha=0.7)
        pad_x, pad_t = 0.05 * np.ptp(x) + 1e-12, 0.15 * np.ptp(t) + 1e-12
        ax_fit.set(xlim=(x.min() - pad_x, x.max() + pad_x), ylim=(t.min() - pad_t, t.max() + pad_t),
                   xlabel=xlabel, ylabel=ylabel, title="The data, the line y = w x + b and its residuals")
        self.residuals = ax_fit.add_collection(LineCollection([], colors="tab:red", linewidths=0.8, alpha=0.6))
        (self.line,) = ax_fit.plot([], [], color="k", lw=2)
        plot_cost_contours(x, t, ax=ax_cost, w_range=w_range, b_range=b_range, resolution=150,
                           title="Where (w, b) sits on the contours of J")
        (self.point,) = ax_cost.plot([], [], "X", color="tab:red", mec="k", ms=12)
        self.title = fig.suptitle("", y=0.985)  # what changes; the line under it does not
        fig.text(0.5, 0.915, f"(the minimum J* = {bowl.J_star:.4g} is at w* = {bowl.w_star:.3g}, "
                 f"b* = {bowl.b_star:.3g})", ha="center", va="center", fontsize=11)
        self.bowl, self.xs = bowl, np.array(ax_fit.get_xlim())
        self.figure = LiveFigure(fig, [self.residuals, self.line, self.point, self.title], titles=[self.title])

    def draw(self, w, b):
        bowl, x, t = self.bowl, self.bowl.x, self.bowl.t
        y = w * x + b
        J = float((y - t) @ (y - t)) / (2 * len(t))
        self.residuals.set_segments(np.stack([np.column_stack([x, t]), np.column_stack([x, y])], axis=1))
        self.line.set_data(self.xs, w * self.xs + b)
        self.point.set_data([w], [b])
        self.title.set_text(f"w = {w:.3g}, b = {b:.3g}:   J(w, b) = {J:.4g}")
        return {"w": w, "b": b, "J": J, "J_star": bowl.J_star, "w_star": bowl.w_star, "b_star": bowl.b_star}


def cost_explorer(X, t, w_range=None, b_range=None, xlabel="x", ylabel="t"):
    """Sliders for w and b: the line and its residuals (left), the point on the cost's contours (right).

    The title shows the cost J(w, b) and its minimum J*. The sliders start at a
    flat line through the data's mean (w = 0 when the range allows).

    Parameters
    ----------
    X : (N, 1) or (N,), t : (N,) arrays or tensors (one input feature)
    w_range, b_range : (lo, hi), optional
        The sliders' ranges (default: `line_ranges`, around the optimum).

    Returns
    -------
    Explorer
        ``.state`` holds ``w``, ``b``, ``J``, ``J_star``, ``w_star``, ``b_star``.
    """
    from .plots import CostBowl

    bowl = CostBowl(X, t)
    default = line_ranges(bowl)
    w_range, b_range = w_range or default[0], b_range or default[1]
    view = _CostView(bowl, w_range, b_range, xlabel, ylabel)
    w0 = 0.0 if w_range[0] <= 0 <= w_range[1] else bowl.w_star - 0.5 * (w_range[1] - w_range[0]) / 2
    b0 = min(max(float(bowl.t.mean() - w0 * bowl.x.mean()), b_range[0]), b_range[1])  # through (mean x, mean t)
    controls = {"w": float_slider("w (slope)", w0, *w_range), "b": float_slider("b (intercept)", b0, *b_range)}
    return Explorer("cost_explorer", controls, view, columns=2)


def run_descent(X, t, lr, steps, w0, b0):
    """`gradient_descent` from (w0, b0), and its divergence message ('' if none).

    Only a `DivergenceWarning` is caught (and becomes the message); any other warning is passed on.
    """
    from .solvers import DivergenceWarning, gradient_descent

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DivergenceWarning)
        result = gradient_descent(X, t, lr, steps, w0=[w0], b0=b0)
    diverged = [str(c.message) for c in caught if issubclass(c.category, DivergenceWarning)]
    for c in caught:
        if not issubclass(c.category, DivergenceWarning):
            warnings.warn_explicit(c.message, c.category, c.filename, c.lineno)
    return result, "\n".join(diverged)


class _DescentView:
    """The descent explorer's figure: the path on J's contours, the cost per step, the learning-rate strip."""

    LR = (1e-3, 2.0)  # the strip's and the slider's range, in units of the critical rate

    def __init__(self, bowl, w_range, b_range):
        from .plots import plot_cost_contours, plot_costs, plot_lr_scale
        from .solvers import critical_learning_rate

        self.bowl, self.X = bowl, bowl.x[:, None]
        self.critical = critical_learning_rate(self.X)
        fig = Figure(figsize=(11, 5.2), dpi=DPI)
        grid = fig.add_gridspec(2, 2, height_ratios=[5, 0.6], hspace=0.5, left=0.07, right=0.98, bottom=0.1,
                                top=0.87, wspace=0.22)
        ax_path, self.ax_cost, ax_lr = (fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]),
                                        fig.add_subplot(grid[1, :]))
        plot_cost_contours(self.X, bowl.t, ax=ax_path, w_range=w_range, b_range=b_range, resolution=150,
                           title="The path of gradient descent")
        (self.path,) = ax_path.plot([], [], ".-", lw=1.2, ms=5)
        (self.start,) = ax_path.plot([], [], "o", mfc="none", ms=10)
        plot_lr_scale(self.critical, self.critical, ax=ax_lr, lo=self.LR[0], hi=self.LR[1])
        ax_lr.lines[-1].remove()  # the strip's own marker; ours moves
        ax_lr.set_xlabel(f"learning rate (black line: the critical rate 2/λmax = {self.critical:.3g})")
        self.lr_mark = ax_lr.axvline(self.critical, lw=4)
        plot_costs(np.array([1.0, 1.0]), ax=self.ax_cost, J_star=0.0, title="Cost per step: the gap J - J* (log scale)")
        (self.costs,) = self.ax_cost.lines
        self.title = fig.suptitle("")
        moving = [self.path, self.start, self.costs, self.lr_mark, self.title]
        self.figure = LiveFigure(fig, moving, titles=[self.title])

    def draw(self, lr, steps, w0, b0):
        from .plots import REGIME_COLORS
        from .solvers import lr_regime

        result, message = run_descent(self.X, self.bowl.t, lr, steps, w0, b0)
        regime = lr_regime(lr, self.critical)
        color = REGIME_COLORS[regime]
        self.path.set(data=(result.path[:, 0], result.path[:, 1]), color=color)
        self.start.set(data=([w0], [b0]), markeredgecolor=color)
        self._show_costs(result.costs, steps)
        lo, hi = self.LR
        self.lr_mark.set(xdata=[min(max(lr, lo * self.critical), hi * self.critical)] * 2, color=color)
        gap = float(result.costs[-1]) - self.bowl.J_star
        status = (f"diverged: stopped after {result.steps} steps" if result.diverged
                  else f"after {result.steps} steps J - J* = {gap:.3g}")
        self.title.set_text(f"lr = {lr:.3g} = {lr / self.critical:.3g} × the critical rate: {regime.upper()}\n{status}")
        return {"lr": lr, "critical": self.critical, "regime": regime, "result": result,
                "final_cost": float(result.costs[-1]), "J_star": self.bowl.J_star, "diverged": result.diverged,
                "message": message}

    def _show_costs(self, costs, steps):
        """The gap J - J* per step; the axes move in round steps (so their background is mostly reused)."""
        gap = np.asarray(costs, dtype=float) - self.bowl.J_star
        gap = np.where(gap > 0, gap, np.nan)
        self.costs.set_data(np.arange(len(gap)), gap)
        shown = gap[np.isfinite(gap)]
        if len(shown):
            self.ax_cost.set_ylim(*decades(shown.min() / 2, shown.max() * 2))
        self.ax_cost.set_xlim(0, nice_ceil(max(steps, 1), (1, 2, 3, 5)))


def descent_explorer(X, t, max_steps=200, w_range=None, b_range=None):
    """Sliders for the learning rate (log scale), the number of steps and the starting point.

    Shows the path of full-batch gradient descent on the cost's contours, the
    cost per step, and where the learning rate sits relative to the critical
    one 2/lambda_max (crawl / good / oscillate / diverge).

    Parameters
    ----------
    X : (N, 1) or (N,), t : (N,) arrays or tensors (one input feature)
    max_steps : int, the steps slider's maximum
    w_range, b_range : (lo, hi), optional
        The view and the starting point's sliders (default: around the origin and the optimum).

    Returns
    -------
    Explorer
        ``.state`` holds ``lr``, ``critical``, ``regime``, ``result`` (the `GDResult`),
        ``final_cost``, ``J_star``, ``diverged`` and ``message`` (the `DivergenceWarning`'s text, if any).
    """
    from .plots import CostBowl

    bowl = CostBowl(X, t)
    box = bowl.box()
    w_range, b_range = w_range or box[0], b_range or box[1]
    view = _DescentView(bowl, w_range, b_range)
    lo, hi = (math.log10(f * view.critical) for f in view.LR)
    controls = {
        "lr": float_slider("learning rate", view.critical / 4, lo, hi, step=0.02, log=True),
        "steps": int_slider("steps", min(30, max_steps), 1, max_steps),
        "w0": float_slider("start w", w_range[0] + 0.1 * (w_range[1] - w_range[0]), *w_range),
        "b0": float_slider("start b", b_range[0] + 0.75 * (b_range[1] - b_range[0]), *b_range),
    }
    return Explorer("descent_explorer", controls, view, columns=2)


# --- Notebook 03: feature maps, underfitting and overfitting --------------------------------------------------------

class _PolynomialView:
    """The polynomial explorer's figure: one fit (left), training and validation error of every degree (right).

    The fits of all degrees for a given N are computed once and kept, so moving
    the degree slider costs no fitting at all.
    """

    def __init__(self, x_pool, t_pool, x_val, t_val, max_degree):
        from .plots import _numpy, true_curve

        self.x_pool, self.t_pool, self.x_val, self.t_val = (_numpy(a) for a in (x_pool, t_pool, x_val, t_val))
        self.grid, self.degrees, self.fits = np.linspace(0, 1, 300), np.arange(max_degree + 1), {}
        fig = Figure(figsize=(11, 4.3), dpi=DPI)
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.25, top=0.91, wspace=0.2)
        ax_fit, ax_err = fig.subplots(1, 2)
        (truth,) = ax_fit.plot(self.grid, true_curve(self.grid), color="tab:green", lw=1.5,
                               label=r"truth $\sin(2\pi x)$")
        (self.curve,) = ax_fit.plot([], [], color="k", lw=2, label="fit of degree M")
        (self.points,) = ax_fit.plot([], [], "o", mfc="none", mec="tab:blue", mew=1.5, ms=7, label="training points")
        ax_fit.set(xlim=(-0.02, 1.02), ylim=(-1.6, 1.6), xlabel="$x$", ylabel="$t$")
        (self.train,) = ax_err.semilogy([], [], "o-", color="tab:blue", label="training error")
        (self.val,) = ax_err.semilogy([], [], "o-", color="tab:red", label="validation error")
        (self.best,) = ax_err.semilogy([], [], "*", ms=16, color="gold", mec="k", label="validation's choice")
        self.shown = ax_err.axvline(0, color="gray", lw=1, label="the degree shown")
        scale = float(np.sqrt(np.mean(self.t_val**2))) or 1.0
        ax_err.set(xlabel="degree $M$", ylabel="RMS error", xticks=self.degrees, xlim=(-0.5, max_degree + 0.5),
                   ylim=(1e-3, 10.0 ** (math.ceil(math.log10(scale)) + 2)))
        ax_err.grid(True, which="both", alpha=0.3)
        fig.legend(handles=[truth, self.curve, self.points, self.train, self.val, self.best, self.shown],
                   loc="lower center", ncol=7, fontsize=9, frameon=False)
        moving = [self.curve, self.points, self.train, self.val, self.best, self.shown, ax_fit.title, ax_err.title]
        self.ax_fit, self.ax_err = ax_fit, ax_err
        self.figure = LiveFigure(fig, moving, titles=[ax_fit.title, ax_err.title])

    def fit_all(self, N):
        """Training and validation RMS error of every degree on the first N points, the curves, and the degrees
        whose normal equations were too ill-conditioned for Cholesky (solved through the SVD instead)."""
        if N not in self.fits:
            from .features import fit_polynomial, polynomial_features, rmse

            x, t = self.x_pool[:N], self.t_pool[:N]
            train, val, curves, svd = [], [], [], []
            for M in self.degrees:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", RuntimeWarning)
                    w = fit_polynomial(x, t, int(M))
                svd += [int(M)] if any(issubclass(c.category, RuntimeWarning) for c in caught) else []
                train.append(rmse(polynomial_features(x, int(M)) @ w, t))
                val.append(rmse(polynomial_features(self.x_val, int(M)) @ w, self.t_val))
                curves.append(polynomial_features(self.grid, int(M)) @ w)
            self.fits[N] = (np.array(train), np.array(val), curves, svd)
        return self.fits[N]

    def draw(self, degree, N):
        train, val, curves, svd = self.fit_all(N)
        best = int(np.argmin(val))
        self.curve.set_data(self.grid, curves[degree])
        self.points.set_data(self.x_pool[:N], self.t_pool[:N])
        self.train.set_data(self.degrees, train)
        self.val.set_data(self.degrees, val)
        self.best.set_data([best], [val[best]])
        self.shown.set_xdata([degree, degree])
        self.ax_fit.set_title(f"M = {degree}, N = {N}: training RMS {train[degree]:.3f}, "
                              f"validation {val[degree]:.3f}")
        self.ax_err.set_title(f"validation picks M = {best}")
        return {"train_rmse": float(train[degree]), "val_rmse": float(val[degree]), "train_curve": list(train),
                "val_curve": list(val), "best_degree": best, "fallback": svd}


def polynomial_explorer(x_pool, t_pool, x_val, t_val, degree=3, N=10, max_degree=12):
    """Sliders for the degree M and the number N of training points (the first N of a pool).

    Left: the fit of degree M with the true curve. Right: training and
    validation RMS error of every degree 0..max_degree for this N, the
    validation minimum starred and the degree shown marked.

    Parameters
    ----------
    x_pool, t_pool : (P,) training inputs and targets; the fit uses the first N
    x_val, t_val : (V,) the validation set
    degree, N : initial slider values
    max_degree : int, the degree slider's maximum

    Returns
    -------
    Explorer
        ``.state`` holds ``train_rmse``, ``val_rmse`` (of M), ``train_curve``, ``val_curve`` (one per degree),
        ``best_degree`` (the validation minimum) and ``fallback`` (the degrees solved through the SVD).
    """
    view = _PolynomialView(x_pool, t_pool, x_val, t_val, max_degree)
    controls = {
        "degree": int_slider("degree M", degree, 0, max_degree),
        "N": int_slider("N (training)", N, 3, len(view.x_pool)),
    }
    return Explorer("polynomial_explorer", controls, view)


# --- Notebook 04: logistic regression -------------------------------------------------------------------------------

class _LogisticView:
    """The logistic explorer's figure: the boundary over the predicted probability (left), what each example
    costs on the curve log(1 + e^-m) of its signed logit m (right). The right panel's range doubles or halves
    (from +-4) as the logits need."""

    ALPHA, CMAP = 0.35, "RdBu_r"  # the probability's shading: blue (t = 0) through white (1/2) to red (t = 1)

    def __init__(self, X, t, feature_names, class_names):
        from matplotlib import colormaps

        self.X, self.t = X, t
        fig = Figure(figsize=(10.5, 4.6), dpi=DPI)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.8, wspace=0.25)
        left, self.right = fig.subplots(1, 2)
        from .plots import probability_colorbar

        probability_colorbar(fig, left, label=r"$\sigma(z)$")  # the shading's scale (before the pixels' size is read)
        lo, hi = X.min(axis=0), X.max(axis=0)
        (x1a, x2a), (x1b, x2b) = lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo)
        self.box = (x1a, x1b, x2a, x2b)
        self.proba = Pixels(left)  # sigma(z) at every pixel, blended with the white background once (a LUT)
        height, width = self.proba.shape()
        self.g1 = np.linspace(x1a, x1b, width)[None, :]
        self.g2 = np.linspace(x2a, x2b, height)[:, None]
        rgb = self.ALPHA * colormaps[self.CMAP](np.linspace(0, 1, 256))[:, :3] + (1 - self.ALPHA)
        self.lut = np.round(255 * rgb).astype(np.uint8)
        style = [(0, "o", "tab:blue"), (1, "^", "tab:red")]
        points = [left.scatter(X[t == k, 0], X[t == k, 1], s=18, marker=m, color=c, edgecolor="k", linewidth=0.4,
                               label=class_names[k]) for k, m, c in style]
        (self.boundary,) = left.plot([], [], "k-", lw=2, label="boundary $z = 0$")
        left.set(xlim=(x1a, x1b), ylim=(x2a, x2b), xlabel=feature_names[0], ylabel=feature_names[1],
                 title=r"The boundary, over the probability $\sigma(z)$")
        m = np.concatenate([-np.geomspace(1e4, 8, 200), np.linspace(-8, 8, 400), np.geomspace(8, 1e4, 200)])
        (curve,) = self.right.plot(m, np.logaddexp(0.0, -m), color="gray", lw=1.5, label=r"$\log(1 + e^{-m})$")
        self.costs = [self.right.scatter([], [], s=16, marker=mk, color=c, edgecolor="k", linewidth=0.4)
                      for k, mk, c in style]
        self.right.axvline(0, color="k", lw=0.8, ls=":")
        self.right.set(xlabel="signed logit $m = (2t - 1)\\,z$   (m < 0: wrong)",
                       ylabel="cross-entropy of the example", title="What each example costs")
        fig.legend(handles=[*points, self.boundary, curve], loc="center", bbox_to_anchor=(0.5, 0.9), ncol=4,
                   fontsize=9, frameon=False)
        self.title = fig.suptitle("", y=0.985)
        moving = [self.proba, *points, self.boundary, *self.costs, self.title]
        self.figure = LiveFigure(fig, moving, titles=[self.title])

    def draw(self, w1, w2, b):
        X, t = self.X, self.t
        z = X @ np.array([w1, w2]) + b
        m = (2 * t - 1) * z  # the signed logit: > 0 on the right side of the boundary
        losses = np.logaddexp(0.0, -m)  # cross-entropy of each example, computed stably
        J, acc = float(np.mean(losses)), float(np.mean((z >= 0) == (t == 1)))
        proba = 0.5 + 0.5 * np.tanh((w1 * self.g1 + (w2 * self.g2 + b)) / 2)  # sigma(z) on every pixel
        self.proba.rgb = self.lut[(proba * 255 + 0.5).astype(np.uint8)]
        self.boundary.set_data(*self._boundary(w1, w2, b))
        for k, scatter in enumerate(self.costs):
            scatter.set_offsets(np.column_stack([m[t == k], losses[t == k]]))
        reach = 4.0 * 2.0 ** max(0, math.ceil(math.log2(max(float(np.abs(m).max()), 1e-9) / 4.0)))
        self.right.set(xlim=(-reach, reach), ylim=(-0.03 * reach, 1.05 * reach))
        self.title.set_text(f"w = ({w1:.2f}, {w2:.2f}), b = {b:.2f}:   cost J = {J:.3f},   accuracy = {acc:.1%}")
        return {"loss": J, "accuracy": acc}

    def _boundary(self, w1, w2, b):
        """The line w1 x1 + w2 x2 + b = 0 across the view, solved for the better-conditioned coordinate."""
        x1a, x1b, x2a, x2b = self.box
        if w1 == 0 and w2 == 0:
            return [], []
        if abs(w2) >= abs(w1):
            x1 = np.array([x1a, x1b])
            return x1, -(w1 * x1 + b) / w2
        x2 = np.array([x2a, x2b])
        return -(w2 * x2 + b) / w1, x2


def logistic_explorer(X, t, w=(1.0, 1.0), b=0.0, feature_names=("$x_1$", "$x_2$"), class_names=("t = 0", "t = 1"),
                      limit=None):
    """Sliders for w1, w2 and b of a logistic classifier on data with two features.

    Left: the data with the decision boundary w1 x1 + w2 x2 + b = 0, shaded by the
    predicted probability sigma(z). Right: every example's cross-entropy on the curve
    log(1 + e^-m) of its signed logit m = (2t - 1) z. The title gives the cost J and
    the accuracy; ``.state`` holds "loss" (J) and "accuracy".

    Parameters
    ----------
    X : (N, 2) array or tensor
    t : (N,) labels 0 and 1
    w : pair of float, b : float
        The sliders' starting values.
    limit : float, optional
        The sliders run from -limit to limit. By default they reach 1.5 times the
        largest of the starting values and the weights that minimize J.

    Returns
    -------
    Explorer
    """
    from .logistic import check_binary_labels
    from .plots import _numpy

    X, t = _numpy(X), _numpy(check_binary_labels(t, "t"))
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] != t.shape[0]:
        raise ValueError(f"logistic_explorer needs X of shape (N, 2) and t of shape (N,), got {X.shape} and {t.shape}")
    if limit is None:
        reach = max(np.abs(_fitted_weights(X, t)).max(), abs(w[0]), abs(w[1]), abs(b), 1.0)
        limit = nice_ceil(1.5 * reach, (1, 1.5, 2, 3, 5, 7.5))
    view = _LogisticView(X, t, feature_names, class_names)
    controls = {
        "w1": float_slider("w₁", float(w[0]), -limit, limit),
        "w2": float_slider("w₂", float(w[1]), -limit, limit),
        "b": float_slider("b", float(b), -limit, limit),
    }
    return Explorer("logistic_explorer", controls, view)


def _fitted_weights(X, t):
    """(w1, w2, b) minimizing the mean cross-entropy (what the sliders must reach), by `fit_logistic_regression`.

    On separable data the minimizer is at infinity; the step limit keeps the weights finite there.
    """
    from .logistic import fit_logistic_regression

    model = fit_logistic_regression(X, t, steps=2000, precondition=True, nesterov=True, tol=1e-9)
    return np.append(model.w, model.b)
