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


# --------------------------------------------------------------------------- notebook 04: logistic regression


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


# --- Notebook 03: polynomial degree and amount of data ----------------------------------------------------------


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
    from .plots import _as_numpy, plot_curve_fit, plot_errors_vs_degree

    x, t = _as_numpy(x_pool)[:N], _as_numpy(t_pool)[:N]
    x_val, t_val = _as_numpy(x_val), _as_numpy(t_val)
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
