"""Interactive explorers: sliders and an inline plot that is redrawn on every change.

Built on ``ipywidgets.interactive_output`` with the inline matplotlib backend,
so they work with ipywidgets 7.7 (what Colab ships) and 8, and need no ipympl
(which is broken on Colab). Each redraw clears the output first, so figures
replace each other instead of stacking.

Every explorer is an `Explorer`: ``.controls`` (name -> slider), ``.update(**values)``
(set sliders and redraw at once, what a slider event does), and ``.state`` (what
the last redraw computed), so tests and benchmarks can drive them headlessly.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import clear_output, display


class Explorer:
    """Sliders plus a function ``draw(**values) -> dict`` that plots and returns what it computed."""

    def __init__(self, controls, draw, columns=1):
        self.controls = dict(controls)
        self._draw = draw
        self.state = {}
        self._muted = False
        self.output = widgets.interactive_output(self._redraw, self.controls)
        boxes = [widgets.VBox(list(self.controls.values())[i::columns]) for i in range(columns)]
        self.widget = widgets.VBox([widgets.HBox(boxes), self.output])

    def _redraw(self, **values):
        if self._muted:
            return
        self.state = self._draw(**values) or {}
        plt.show()

    def update(self, **values):
        """Set several sliders at once and redraw once (one 'slider event'); returns ``.state``."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}; this explorer has {sorted(self.controls)}")
        self._muted = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._muted = False
        with self.output:
            clear_output(wait=True)
            self._redraw(**{name: c.value for name, c in self.controls.items()})
        return self.state

    def _ipython_display_(self):
        display(self.widget)


def float_slider(description, value, lo, hi, step=None, log=False, readout_format=".3g"):
    """A float slider (log-scaled when ``log``) that fits the explorers' layout."""
    layout = widgets.Layout(width="380px")
    style = {"description_width": "110px"}
    if log:
        return widgets.FloatLogSlider(
            value=value, base=10, min=lo, max=hi, step=step or 0.05, description=description,
            readout_format=readout_format, continuous_update=False, layout=layout, style=style,
        )
    return widgets.FloatSlider(
        value=value, min=lo, max=hi, step=step or (hi - lo) / 200, description=description,
        readout_format=readout_format, continuous_update=False, layout=layout, style=style,
    )


def int_slider(description, value, lo, hi, step=1):
    """An integer slider that fits the explorers' layout."""
    return widgets.IntSlider(
        value=value, min=lo, max=hi, step=step, description=description, continuous_update=False,
        layout=widgets.Layout(width="380px"), style={"description_width": "110px"},
    )


# --- Notebook 02: the cost J(w, b) of one input feature, and gradient descent on it ---------------------------------

class _BlitFigure:
    """A figure rendered once, then only its moving parts at every slider event ("blitting").

    Rendering a whole figure (ticks, labels, contours) takes most of a 100 ms
    budget on a small CPU. Here the static parts are rendered once into a
    background image; each `show` restores it, draws the ``moving`` artists
    on top and displays the pixels as a PNG. The figure is not registered
    with pyplot, so ``plt.show()`` does not draw it a second time.
    """

    def __init__(self, fig, moving):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig, self.moving = fig, list(moving)
        for artist in self.moving:
            artist.set_animated(True)
        self.canvas = FigureCanvasAgg(fig)
        self.background = None

    def render(self):
        """Draw the moving artists over the background; returns the PNG bytes."""
        import io

        import numpy as np
        from PIL import Image

        if self.background is None:
            self.canvas.draw()  # everything except the moving artists
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self.background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def show(self):
        from IPython.display import Image

        display(Image(data=self.render(), format="png"))


def cost_explorer(X, t, w_range=None, b_range=None, xlabel="x", ylabel="t"):
    """Sliders for w and b: the line and its residuals (left), the point on the cost's contours (right).

    The title shows the cost J(w, b) and its minimum J*.

    Parameters
    ----------
    X : (N, 1) or (N,), t : (N,) arrays or tensors (one input feature)
    w_range, b_range : (lo, hi), optional
        The sliders' ranges (default: around the origin and the optimum).

    Returns
    -------
    Explorer
        ``.state`` holds ``w``, ``b``, ``J``, ``J_star``, ``w_star``, ``b_star``.
    """
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from .plots import CostBowl, plot_cost_contours

    bowl = CostBowl(X, t)
    box = bowl.box()
    w_range, b_range = w_range or box[0], b_range or box[1]
    x, tt = bowl.x, bowl.t
    fig = Figure(figsize=(11, 4.4), dpi=90)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.84, wspace=0.22)
    ax_fit, ax_cost = fig.subplots(1, 2)
    ax_fit.scatter(x, tt, s=12, alpha=0.7, label="data")
    pad_x, pad_t = 0.05 * np.ptp(x) + 1e-12, 0.15 * np.ptp(tt) + 1e-12
    ax_fit.set(xlim=(x.min() - pad_x, x.max() + pad_x), ylim=(tt.min() - pad_t, tt.max() + pad_t),
               xlabel=xlabel, ylabel=ylabel, title="The data, the line y = w x + b and its residuals")
    residuals = ax_fit.add_collection(LineCollection([], colors="tab:red", linewidths=0.8, alpha=0.6))
    (line,) = ax_fit.plot([], [], color="k", lw=2)
    plot_cost_contours(x, tt, ax=ax_cost, w_range=w_range, b_range=b_range, resolution=150,
                       title="Where (w, b) sits on the contours of J")
    (point,) = ax_cost.plot([], [], "X", color="tab:red", mec="k", ms=12)
    title = fig.suptitle("")
    view = _BlitFigure(fig, [residuals, line, point, title])
    xs = np.array(ax_fit.get_xlim())

    def draw(w, b):
        y = w * x + b
        r = y - tt
        J = float(r @ r) / (2 * len(r))
        residuals.set_segments(np.stack([np.column_stack([x, tt]), np.column_stack([x, y])], axis=1))
        line.set_data(xs, w * xs + b)
        point.set_data([w], [b])
        title.set_text(f"w = {w:.3g}, b = {b:.3g}:   J(w, b) = {J:.4g}\n"
                       f"(the minimum J* = {bowl.J_star:.4g} is at w* = {bowl.w_star:.3g}, b* = {bowl.b_star:.3g})")
        view.show()
        return {"w": w, "b": b, "J": J, "J_star": bowl.J_star, "w_star": bowl.w_star, "b_star": bowl.b_star}

    controls = {
        "w": float_slider("w (slope)", min(max(0.0, w_range[0]), w_range[1]), *w_range),
        "b": float_slider("b (intercept)", min(max(0.0, b_range[0]), b_range[1]), *b_range),
    }
    explorer = Explorer(controls, draw, columns=2)
    explorer.figure = view
    return explorer


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
        ``final_cost``, ``J_star``, ``diverged`` and ``message`` (the divergence warning, if any).
    """
    import math
    import warnings

    import numpy as np
    from matplotlib.figure import Figure

    from .plots import REGIME_COLORS, CostBowl, plot_cost_contours, plot_costs, plot_lr_scale
    from .solvers import DivergenceWarning, critical_learning_rate, gradient_descent, lr_regime

    bowl = CostBowl(X, t)
    box = bowl.box()
    w_range, b_range = w_range or box[0], b_range or box[1]
    x, tt = bowl.x, bowl.t
    Xcol = x[:, None]
    critical = critical_learning_rate(Xcol)
    lo, hi = 1e-3, 2.0  # the learning-rate slider's range, in units of the critical rate

    fig = Figure(figsize=(11, 5.2), dpi=90)
    grid = fig.add_gridspec(2, 2, height_ratios=[5, 0.6], hspace=0.5, left=0.07, right=0.98, bottom=0.1, top=0.87,
                            wspace=0.22)
    ax_path, ax_cost, ax_lr = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])
    plot_cost_contours(Xcol, tt, ax=ax_path, w_range=w_range, b_range=b_range, resolution=150,
                       title="The path of gradient descent")
    (path_line,) = ax_path.plot([], [], ".-", lw=1.2, ms=5)
    (start,) = ax_path.plot([], [], "o", mfc="none", ms=10)
    plot_lr_scale(critical, critical, ax=ax_lr, lo=lo, hi=hi)
    ax_lr.lines[-1].remove()  # the strip's own marker; ours moves
    lr_mark = ax_lr.axvline(critical, lw=4)
    plot_costs(np.array([1.0, 1.0]), ax=ax_cost, J_star=0.0, title="Cost per step: the gap J - J* (log scale)")
    (cost_line,) = ax_cost.lines  # updated in place; the axes (ticks change) is redrawn at every event
    title = fig.suptitle("")
    view = _BlitFigure(fig, [path_line, start, ax_cost, lr_mark, title])

    def draw(lr, steps, w0, b0):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DivergenceWarning)
            result = gradient_descent(Xcol, tt, lr, steps, w0=[w0], b0=b0)
        message = str(caught[0].message) if caught else ""
        regime = lr_regime(lr, critical)
        color = REGIME_COLORS[regime]
        P = result.path
        path_line.set_data(P[:, 0], P[:, 1])
        path_line.set_color(color)
        start.set_data([w0], [b0])
        start.set_markeredgecolor(color)
        gap = result.costs - bowl.J_star
        gap = np.where(gap > 0, gap, np.nan)
        cost_line.set_data(np.arange(len(gap)), gap)
        shown = gap[np.isfinite(gap)]
        if len(shown):
            ax_cost.set_ylim(shown.min() / 2, shown.max() * 2)
        ax_cost.set_xlim(0, max(steps, 1))
        lr_mark.set_xdata([min(max(lr, lo * critical), hi * critical)] * 2)
        lr_mark.set_color(color)
        gap = float(result.costs[-1]) - bowl.J_star
        status = (f"diverged: stopped after {result.steps} steps" if result.diverged
                  else f"after {result.steps} steps J - J* = {gap:.3g}")
        title.set_text(f"lr = {lr:.3g} = {lr / critical:.3g} × the critical rate 2/λmax = {critical:.3g}: "
                       f"{regime.upper()}\n{status}")
        view.show()
        return {"lr": lr, "critical": critical, "regime": regime, "result": result,
                "final_cost": float(result.costs[-1]), "J_star": bowl.J_star, "diverged": result.diverged,
                "message": message}

    controls = {
        "lr": float_slider("learning rate", critical / 4, math.log10(lo * critical), math.log10(hi * critical),
                           step=0.02, log=True),
        "steps": int_slider("steps", min(30, max_steps), 1, max_steps),
        "w0": float_slider("start w", w_range[0] + 0.1 * (w_range[1] - w_range[0]), *w_range),
        "b0": float_slider("start b", b_range[0] + 0.75 * (b_range[1] - b_range[0]), *b_range),
    }
    explorer = Explorer(controls, draw, columns=2)
    explorer.figure = view
    return explorer


# --- Notebook 03: feature maps, underfitting and overfitting --------------------------------------------------------

def draw_polynomial_fit(degree, N, x_pool, t_pool, x_val, t_val, max_degree=12):
    """Fit polynomials to the first ``N`` points of a pool; plot one fit and the errors of every degree.

    Left: the fit of degree ``degree`` with the true curve. Right: training and
    validation RMS error for every degree 0..max_degree, the current one marked.
    When `solve_direct` falls back to its SVD solve (a RuntimeWarning) the
    warning is caught and listed on the plot rather than printed.

    Parameters
    ----------
    degree : int, the degree shown on the left
    N : int, how many pool points to train on
    x_pool, t_pool : (P,) training inputs and targets to take the first N from
    x_val, t_val : (V,) the validation set
    max_degree : int

    Returns
    -------
    dict with ``train_rmse``, ``val_rmse`` (of ``degree``), ``train_curve``,
    ``val_curve`` (one per degree), ``best_degree`` (validation minimum), ``fallback`` (degrees)
    """
    import warnings

    import numpy as np

    from .features import fit_polynomial, polynomial_features, rmse
    from .plots import _numpy, plot_curve_fit, plot_errors_vs_degree

    x, t = _numpy(x_pool)[:N], _numpy(t_pool)[:N]
    x_val, t_val = _numpy(x_val), _numpy(t_val)
    grid = np.linspace(0, 1, 300)
    degrees = list(range(max_degree + 1))
    train, val, fallback = [], [], []
    for M in degrees:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            w = fit_polynomial(x, t, M)
        if any(issubclass(c.category, RuntimeWarning) for c in caught):
            fallback.append(M)
        train.append(rmse(polynomial_features(x, M) @ w, t))
        val.append(rmse(polynomial_features(x_val, M) @ w, t_val))
        if M == degree:
            y_grid = polynomial_features(grid, M) @ w
    fig, (ax_fit, ax_err) = plt.subplots(1, 2, figsize=(11, 3.8))
    plot_curve_fit(x, t, grid, y_grid, ax=ax_fit, label=f"degree {degree}",
                   title=f"M = {degree}, N = {N}: training RMS {train[degree]:.3f}, validation {val[degree]:.3f}")
    ax_fit.legend(loc="lower left", fontsize=8)
    best = int(np.argmin(val))
    plot_errors_vs_degree(degrees, train, val, chosen=best, ax=ax_err)
    ax_err.axvline(degree, color="gray", lw=1)
    if fallback:
        ax_err.set_title(f"SVD fallback (ill-conditioned) for M = {', '.join(map(str, fallback))}", fontsize=9)
    fig.tight_layout()
    return {"train_rmse": train[degree], "val_rmse": val[degree], "train_curve": train, "val_curve": val,
            "best_degree": best, "fallback": fallback}


def polynomial_explorer(x_pool, t_pool, x_val, t_val, degree=3, N=10, max_degree=12):
    """Sliders for the degree M and the number N of training points, redrawing `draw_polynomial_fit`.

    Parameters
    ----------
    x_pool, t_pool : (P,) training inputs and targets; the fit uses the first N
    x_val, t_val : (V,) the validation set
    degree, N : initial slider values
    max_degree : int, the degree slider's maximum

    Returns
    -------
    Explorer
    """
    controls = {
        "degree": int_slider("degree M", degree, 0, max_degree),
        "N": int_slider("N (training)", N, 3, len(x_pool)),
    }

    def draw(degree, N):
        return draw_polynomial_fit(degree, N, x_pool, t_pool, x_val, t_val, max_degree=max_degree)

    return Explorer(controls, draw)


# --- Notebook 04: logistic regression -------------------------------------------------------------------------------

def logistic_explorer(X, t, w=(1.0, 1.0), b=0.0, feature_names=("$x_1$", "$x_2$"), class_names=("t = 0", "t = 1"),
                      limit=10.0):
    """Sliders for w1, w2 and b of a logistic classifier on data with two features.

    Draws `helpers.plots.plot_logistic_fit`: the data with the decision boundary
    w1 x1 + w2 x2 + b = 0, and every example's cross-entropy, with the cost J and the
    accuracy in the title. ``.state`` holds "loss" (J) and "accuracy".

    Parameters
    ----------
    X : (N, 2) array or tensor
    t : (N,) labels 0 and 1
    w : pair of float, b : float
        The sliders' starting values.
    limit : float
        The sliders run from -limit to limit.

    Returns
    -------
    Explorer
    """
    from .logistic import check_binary_labels
    from .plots import _numpy, plot_logistic_fit

    X, t = _numpy(X), _numpy(check_binary_labels(t, "t"))
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] != t.shape[0]:
        raise ValueError(f"logistic_explorer needs X of shape (N, 2) and t of shape (N,), got {X.shape} and {t.shape}")

    def draw(w1, w2, b):
        fig = plot_logistic_fit(X, t, (w1, w2), b, feature_names=feature_names, class_names=class_names)
        return {"loss": fig.logistic_loss, "accuracy": fig.logistic_accuracy}

    controls = {
        "w1": float_slider("w₁", float(w[0]), -limit, limit),
        "w2": float_slider("w₂", float(w[1]), -limit, limit),
        "b": float_slider("b", float(b), -limit, limit),
    }
    return Explorer(controls, draw)
