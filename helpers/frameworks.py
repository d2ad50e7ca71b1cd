"""PyTorch's own idiom for the course's linear models, and the bugs notebook 06 shows running.

`train_linear` is linear regression written the way PyTorch code is written (``nn.Linear``, a loss from
``torch.nn``, an optimizer from ``torch.optim``, ``zero_grad`` / ``backward`` / ``step``), with switches that
reproduce the common bugs: ``zero_grad=False`` (gradients accumulate), ``loss="mse"`` (no 1/2 in front),
``squeeze=False`` (an (N, 1) prediction against an (N,) target, which ``nn.MSELoss`` broadcasts to N x N).
`train_classifier` is softmax regression in the same idiom, with ``softmax_first=True`` for the bug of applying
softmax before ``nn.CrossEntropyLoss``. Both record what the notebook plots, as NumPy float64.

Unlike the rest of `helpers`, these take tensors or NumPy and always return NumPy: they are demonstrations,
not numerical helpers (see the rule in `helpers`).
"""

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from . import backend
from ._checks import as_array, check_positive

LOSSES = ("lecture", "mse")
TOP = 1e200  # the highest loss a log-scale plot shows (matplotlib's ticks overflow near the float64 limit)
OPTIMIZERS = ("sgd", "adam")


@dataclass
class Run:
    """What a training loop did.

    Attributes
    ----------
    path : (steps + 1, D + 1) the parameters (w, b) at the start and after each step, b in the last column
    losses : (steps + 1,) the lecture's J = ||y - t||^2 / (2N) at each point of the path (whatever loss trained)
    grads : (steps, D + 1) the gradient ``.grad`` the optimizer used at each step
    """

    path: np.ndarray
    losses: np.ndarray
    grads: np.ndarray


def _tensor(a, name, ndim, dtype=None):
    a = as_array(a, name, ndim, numeric_float=dtype is None or dtype.is_floating_point)
    a = a.detach() if torch.is_tensor(a) else torch.from_numpy(np.asarray(a))
    return a.to(dtype) if dtype is not None else a


def _params(model):
    return torch.cat([model.weight.detach().reshape(-1), model.bias.detach().reshape(-1)])


def _choice(value, name, options):
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def linear_model(D, w0=None, b0=0.0, dtype=torch.float64, device=None):
    """``nn.Linear(D, 1)`` starting at (w0, b0) (default zeros), in ``dtype`` on ``device``."""
    model = nn.Linear(D, 1, dtype=dtype, device=device)
    with torch.no_grad():  # setting parameters is not part of the model's computation: no graph
        model.weight.copy_(torch.zeros(1, D) if w0 is None else torch.as_tensor(w0).reshape(1, D).to(model.weight))
        model.bias.fill_(float(b0))
    return model


def train_linear(X, t, lr, steps, *, loss="lecture", optimizer="sgd", zero_grad=True, squeeze=True, w0=None,
                 b0=0.0, device=None, dtype=torch.float64):
    """Linear regression y = X w + b trained by a ``torch.optim`` optimizer (in float64 on the CPU by default).

    Each step is PyTorch's four lines: ``optimizer.zero_grad()``, ``J = loss_fn(y, t)``, ``J.backward()``,
    ``optimizer.step()``.

    Parameters
    ----------
    X : (N, D) array or tensor;  t : (N,) array or tensor
    lr : float > 0;  steps : int >= 0
    loss : "lecture" (J = MSELoss / 2, the lecture's ||y - t||^2 / (2N)) or "mse" (``nn.MSELoss``, no 1/2)
    optimizer : "sgd" (``torch.optim.SGD``: w <- w - lr dJ/dw) or "adam" (``torch.optim.Adam``)
    zero_grad : bool, default True. False reproduces the bug: ``.grad`` accumulates the gradients of all steps.
    squeeze : bool, default True. False reproduces the bug: the (N, 1) output of ``nn.Linear`` against the (N,)
        target, which ``nn.MSELoss`` broadcasts to (N, N) (with a UserWarning).
    w0 : (D,) starting weights (default zeros);  b0 : float, starting bias
    device : where to train (default: where X is, the CPU for NumPy; the data is moved there once)
    dtype : default torch.float64

    Returns
    -------
    Run
    """
    X = _tensor(X, "X", 2, dtype).to(device or "cpu" if not torch.is_tensor(X) else device or X.device)
    t = _tensor(t, "t", 1, dtype).to(X.device)
    if X.shape[0] != t.shape[0]:
        raise ValueError(f"X and t must have the same number of rows, got X {tuple(X.shape)} and t {tuple(t.shape)}")
    lr = check_positive(lr, "lr")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    scale = 0.5 if _choice(loss, "loss", LOSSES) == "lecture" else 1.0
    model = linear_model(X.shape[1], w0, b0, dtype=dtype, device=X.device)
    opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[_choice(optimizer, "optimizer", OPTIMIZERS)]
    opt = opt(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    path, losses, grads = [_params(model)], [_lecture_cost(model, X, t)], []
    for _ in range(steps):
        if zero_grad:
            opt.zero_grad()
        y = model(X).squeeze(1) if squeeze else model(X)  # (N,) or, the bug, (N, 1)
        J = scale * loss_fn(y, t)
        J.backward()
        grads.append(torch.cat([model.weight.grad.reshape(-1), model.bias.grad.reshape(-1)]).clone())
        opt.step()
        path.append(_params(model))
        losses.append(_lecture_cost(model, X, t))
    grads = torch.stack(grads).cpu().double().numpy() if grads else np.zeros((0, X.shape[1] + 1))
    return Run(torch.stack(path).cpu().double().numpy(), np.array(losses), grads)


def _lecture_cost(model, X, t):
    with torch.no_grad():
        return float(((model(X).squeeze(1) - t) ** 2).mean() / 2)


def first_nonfinite(values):
    """The index of the first NaN or infinite entry of ``values``, or None when all are finite."""
    bad = np.flatnonzero(~np.isfinite(np.asarray(values, dtype=float)))
    return int(bad[0]) if bad.size else None


def train_classifier(X, labels, K, lr, epochs, *, softmax_first=False, X_test=None, labels_test=None):
    """Softmax regression ``nn.Linear(D, K)`` + ``nn.CrossEntropyLoss`` + ``torch.optim.SGD``, from zeros.

    ``softmax_first=True`` reproduces the bug: ``nn.CrossEntropyLoss`` applied to softmax(z) instead of the
    logits z (it applies log-softmax itself, so the model is trained on log softmax(softmax(z))).

    Returns
    -------
    dict of NumPy arrays: ``"loss"`` (epochs + 1,) the true cross-entropy of the logits at each point;
    ``"trained_loss"`` (epochs,) the loss that was minimized (the same, or the bug's) at each step;
    ``"grad_norm"`` (epochs,) ||dJ/dW|| of the loss that was trained; ``"test_acc"`` (a float, when a test
    set is given).
    """
    X = _tensor(X, "X", 2)
    labels = _tensor(labels, "labels", 1, torch.int64)
    model = nn.Linear(X.shape[1], K, dtype=X.dtype)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=check_positive(lr, "lr"))
    losses, norms, trained = [], [], []
    for _ in range(epochs + 1):
        z = model(X)
        losses.append(float(loss_fn(z.detach(), labels)))
        if len(losses) > epochs:
            break
        opt.zero_grad()
        J = loss_fn(torch.softmax(z, dim=1) if softmax_first else z, labels)
        J.backward()
        trained.append(float(J.detach()))
        norms.append(float(model.weight.grad.norm()))
        opt.step()
    out = {"loss": np.array(losses), "trained_loss": np.array(trained), "grad_norm": np.array(norms)}
    if X_test is not None:
        with torch.no_grad():
            pred = model(_tensor(X_test, "X_test", 2, X.dtype)).argmax(1).numpy()
        out["test_acc"] = float(np.mean(pred == np.asarray(labels_test)))
    return out


def digits_problem():
    """Notebook 05's digits split, l2 = 1/N, its from-scratch test accuracy and the objective's minimum.

    Computed once (about a second), then copied on every call: changing the arrays changes nothing else.

    Returns
    -------
    dict: ``X``, ``labels``, ``X_test``, ``labels_test`` (float32 / int64 NumPy), ``l2``, ``reference_accuracy``
    (fit_softmax_regression as in notebook 05: lr="auto", 100 epochs), ``J_min`` (its objective after 2,000
    epochs in float64, converged to 1e-10).
    """
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in _digits_problem().items()}


@functools.lru_cache(maxsize=1)
def _digits_problem():
    from sklearn.model_selection import train_test_split

    from .data import load_digits
    from .multiclass import fit_softmax_regression

    (X_all, labels_all), (X_test, labels_test) = load_digits(seed=0)
    X, _, labels, _ = train_test_split(X_all, labels_all, test_size=0.2, stratify=labels_all, random_state=0)
    l2 = 1.0 / X.shape[0]
    ref = fit_softmax_regression(X, labels, 10, lr="auto", epochs=100, l2=l2)
    best = fit_softmax_regression(X.astype(np.float64), labels, 10, lr="auto", epochs=2000, l2=l2, tol=1e-10)
    return {"X": X, "labels": labels, "X_test": X_test, "labels_test": labels_test, "l2": l2,
            "reference_accuracy": ref.score(X_test, labels_test),
            "J_min": softmax_objective(best.W, best.b, X, labels, l2)}


def softmax_objective(W, b, X, labels, l2):
    """J(W, b) = mean cross-entropy + l2/2 ||W||^2, in float64."""
    W, b, X = (torch.as_tensor(backend.to_numpy(a).astype(np.float64)) for a in (W, b, X))
    Z = X @ W.T + b
    J = torch.nn.functional.cross_entropy(Z, torch.as_tensor(np.asarray(labels)))
    return float(J + l2 / 2 * (W * W).sum())



def plot_losses(curves, ax=None, J_star=None, title=None, xlabel="step", ylabel="J", colors=None, logy=True):
    """Loss curves, one per entry of ``curves`` ({label: (K+1,) losses}); ``J_star`` a dashed floor.

    A NaN or infinite loss ends its curve with a cross at the last finite point (``ax.set_yscale("log")``
    cannot show them); on the log scale, losses above `TOP` are drawn at `TOP`. Returns the figure.
    """
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 4))
    finite = []
    for k, (label, J) in enumerate(curves.items()):
        J = np.asarray(J, dtype=float)
        color = (colors or {}).get(label, f"C{k}")
        bad = first_nonfinite(J)
        J = J if bad is None else J[:bad]  # the finite part
        J = np.minimum(J, TOP) if logy else J  # clipped at the top of the plot
        finite.append(J)
        ax.plot(np.arange(len(J)), J, color=color, lw=1.6, label=label)
        if bad is not None and bad > 0:
            ax.plot(bad - 1, J[-1], "X", color=color, mec="k", ms=10, label=f"{label}: NaN/inf after this")
    if J_star is not None:
        ax.axhline(J_star, color="k", ls="--", lw=1, label="optimum J*")
    if logy:
        ax.set_yscale("log")
        values = np.concatenate(finite + ([np.array([J_star])] if J_star is not None else []))
        values = values[values > 0]
        if values.size:  # set the range (autoscaling near the float64 limit overflows)
            ax.set_ylim(values.min() / 2, min(values.max() * 10, TOP))
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0)
    return fig


__all__ = ["LOSSES", "OPTIMIZERS", "Run", "digits_problem", "first_nonfinite", "linear_model", "plot_losses",
           "softmax_objective", "train_classifier", "train_linear"]
