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


# --------------------------------------------------------------------------- notebook 04: logistic regression


def _numpy(a):
    """A tensor or array-like as a NumPy array (for plotting)."""
    if hasattr(a, "detach"):
        a = a.detach().cpu().numpy()
    return np.asarray(a, dtype=float)


def plot_decision_boundary(model, X, t, ax=None, feature_names=("$x_1$", "$x_2$"), class_names=("t = 0", "t = 1"),
                           proba=True, title=None, legend=True):
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

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .logistic import sigmoid

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
        ax.imshow(y, extent=(x1a, x1b, x2a, x2b), origin="lower", aspect="auto", cmap="RdBu_r",
                  vmin=0, vmax=1, alpha=0.35, interpolation="bilinear")
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
    from .logistic import binary_cross_entropy, sigmoid

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


def plot_logistic_fit(X, t, w, b, feature_names=("$x_1$", "$x_2$"), class_names=("t = 0", "t = 1")):
    """A logistic classifier on two features: its boundary, and what each example costs.

    Left: `plot_decision_boundary`. Right: every example's cross-entropy on the curve
    log(1 + e^-m) of its signed logit m = (2t - 1) z (m < 0: misclassified). The title
    gives the cost J (mean cross-entropy) and the accuracy, also stored on the figure
    as ``fig.logistic_loss`` and ``fig.logistic_accuracy``.

    Parameters
    ----------
    X : (N, 2), t : (N,) labels 0 and 1, w : (2,), b : float

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .logistic import binary_cross_entropy

    X, t, w, b = _numpy(X), _numpy(t), _numpy(w).ravel(), float(_numpy(b))
    z = X @ w + b
    losses = binary_cross_entropy(z, t, reduction="none")
    J, acc = float(np.mean(losses)), float(np.mean((z >= 0) == (t == 1)))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.2))
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


# ----------------------------------------------------------------------------------------------------------------
# Notebook 05: softmax regression on handwritten digits
# ----------------------------------------------------------------------------------------------------------------


def plot_image_grid(images, titles=None, ncols=10, cmap="gray_r", symmetric=False, size=1.1, suptitle=None):
    """Square images (rows of pixels) in a grid, each with an optional title.

    Parameters
    ----------
    images : (M, side * side) array (or tensor), one flattened image per row
    titles : sequence of M str, optional
    ncols : int
    cmap : str
    symmetric : bool
        Center the color scale on 0 (for weights: red positive, blue negative), one scale for all images.
    """
    images = np.asarray(images.detach().cpu() if hasattr(images, "detach") else images, dtype=float)
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
        kw = {"vmin": -vmax, "vmax": vmax} if symmetric else {}
        ax.imshow(images[k].reshape(side, side), cmap=cmap, **kw)
        if titles is not None:
            ax.set_title(titles[k], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def plot_history(history, title="Training"):
    """Loss and accuracy per epoch from a fit's ``history`` dict (keys loss, train_acc, optional val_acc)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax1.plot(epochs, history["loss"])
    ax1.set(xlabel="epoch", ylabel="J (training objective)", yscale="log", title=f"{title}: loss")
    ax1.grid(True, which="both", alpha=0.3)
    ax2.plot(epochs, history["train_acc"], label="training")
    if "val_acc" in history:
        ax2.plot(epochs, history["val_acc"], label="validation")
    ax2.set(xlabel="epoch", ylabel="accuracy", title=f"{title}: accuracy", ylim=(0.8, 1.0))
    ax2.grid(True, alpha=0.3)
    ax2.legend()
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
