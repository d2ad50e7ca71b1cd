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
