"""The iterative fit: one gradient-descent loop behind `fit_logistic_regression` and `fit_softmax_regression`.

A fit hands `descend` what is particular to its model:

* ``evaluate(theta, idx, record) -> (J, correct, g)``: the objective J at the
  parameters theta on the examples ``idx`` (all of them when None), how many
  training examples theta classifies correctly, and the gradient g = dJ/dtheta
  (J and correct may be None when ``record`` is false);
* the learning rate (from the model's bound on the curvature of J) and,
  optionally, a preconditioner (the step is then -lr P g) and a validation scorer.

`descend` owns the rest, the same for both models, for NumPy and for tensors
on any device: the loop, Nesterov's momentum with restart, minibatches, the
stopping rule (``tol``), the progress bar and the history. Nothing is read
back from the device during the loop except for the progress bar (a few
times in all) and the ``tol`` test (every step, when asked for).

The history, the one format `helpers.plots.plot_history` reads::

    {"loss": (K+1,), "train_acc": (K+1,), "val_acc": (K+1,) (only with a validation set)}

NumPy float64 arrays, K the number of steps (full batch) or epochs (minibatches)
taken. Entry k < K is taken where step k evaluated its gradient: the start for
k = 0, the look-ahead point with momentum, and with minibatches the average over
the epoch's batches (validation: at the start of the epoch). Entry K is at the
weights returned. Plain gradient descent thus records J after 0, 1, ..., K steps.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from . import backend

__all__ = ["DivergenceWarning", "Trace", "descend", "warn_went_up"]


class DivergenceWarning(RuntimeWarning):
    """Gradient descent went uphill: the cost became non-finite, exploded, or ended above where it started."""


@dataclass
class Trace:
    """What `descend` did: the final parameters, the history, the steps taken, and J at the start and end."""

    theta: object
    history: dict
    steps: int
    converged: bool
    J_start: float
    J_end: float

    def went_up(self):
        """True when J ended above where it started, or is not finite (the learning rate is too large)."""
        return not self.J_end <= self.J_start


def descend(evaluate, theta, lr, steps, *, N, validate=None, M=None, precondition=None, nesterov=False,
            batch_size=None, tol=0.0, record=True, progress=False, desc="gradient descent", unit="step"):
    """Minimize J by gradient descent from ``theta``; returns a `Trace`.

    Parameters
    ----------
    evaluate : callable (theta, idx, record) -> (J, correct, g), see the module docstring
    theta : array or tensor, the starting parameters (any shape)
    lr : float, the learning rate
    steps : int, the most steps (full batch) or epochs (minibatches)
    N : int, the number of training examples
    validate : callable theta -> number of validation examples classified correctly, optional
    M : int, the number of validation examples
    precondition : callable g -> P g, optional
    nesterov : bool
        Nesterov's momentum: the gradient is evaluated at theta + k / (k + 3) (theta - theta_prev),
        k counting the steps since the last restart; k restarts at 0 whenever a step goes uphill
        (g . (theta_new - theta) > 0: the gradient restart of O'Donoghue & Candes, 2015).
    batch_size : int, optional
        Minibatch SGD (no momentum): every epoch visits the examples in a new random order
        (torch's global generator, drawn on the CPU, so every device visits the same order).
    tol : float
        Stop once every entry of the last gradient is at most ``tol`` in absolute value (0: never).
    record : bool
        Keep the history (else its arrays are empty).
    progress : bool
        Show a tqdm progress bar (``desc``, ``unit``) with the loss and accuracies.
    """
    xp = backend.namespace(theta)
    history = _History(xp, theta, steps, N, M if validate is not None else None, record)
    if batch_size:
        step = _Epoch(evaluate, lr, N, batch_size)
    else:
        step = _Step(evaluate, lr, precondition, nesterov, theta)
    k, converged, J0 = 0, False, None
    with _Progress(steps, progress, desc, unit) as bar:
        while k < steps and not converged:
            point, theta, J, correct, g = step(theta, record or k == 0)  # J at the start: the divergence test
            J0 = J if k == 0 else J0
            if record:
                history.write(k, J, correct, None if validate is None else validate(point))
            k += 1
            bar.show(k, history)
            if tol:
                converged = float(xp.max(xp.abs(g))) <= tol
        J_end, correct, _ = evaluate(theta, None, True)
        if record:
            history.write(k, J_end, correct, None if validate is None else validate(theta))
    J_end = float(J_end)
    return Trace(theta, history.read(k), k, converged, J_end if J0 is None else float(J0), J_end)


def warn_went_up(fit, trace, lr, critical, safe):
    """Warn (`DivergenceWarning`) that the fit ``fit`` went uphill: lr is above the ``critical`` rate."""
    warnings.warn(
        f"{fit}: the cost went up from {trace.J_start:.4g} to {trace.J_end:.4g}: lr = {lr:.4g} is too large for "
        f"this data; gradient descent is guaranteed to descend for lr < {critical} ({safe})",
        DivergenceWarning,
        stacklevel=3,
    )


class _Nesterov:
    """Look ahead along the last move; keep the momentum while the steps go downhill, restart it when one goes up."""

    def __init__(self, xp, theta):
        self.prev = theta  # the previous iterate
        self.k = xp.zeros((), dtype=theta.dtype, device=backend.device(theta))  # steps since the last restart

    def look_ahead(self, theta):
        return theta + (self.k / (self.k + 3.0)) * (theta - self.prev)

    def moved(self, g, new, old):
        downhill = g.reshape(-1) @ (new - old).reshape(-1) <= 0  # g . (theta_new - theta), on the device
        self.k = (self.k + 1.0) * downhill  # no read-back: a GPU is never waited for
        self.prev = old


class _Step:
    """One full-batch step, theta <- theta - lr g (or - lr P g), g evaluated at the look-ahead point with momentum."""

    def __init__(self, evaluate, lr, precondition, nesterov, theta):
        self.evaluate, self.lr, self.precondition = evaluate, lr, precondition
        self.momentum = _Nesterov(backend.namespace(theta), theta) if nesterov else None

    def __call__(self, theta, record):
        point = theta if self.momentum is None else self.momentum.look_ahead(theta)
        J, correct, g = self.evaluate(point, None, record)
        new = point - self.lr * (g if self.precondition is None else self.precondition(g))
        if self.momentum is not None:
            self.momentum.moved(g, new, theta)
        return point, new, J, correct, g


class _Epoch:
    """One epoch of minibatch SGD: a step theta <- theta - lr g per batch; J and correct summed over the batches."""

    def __init__(self, evaluate, lr, N, batch_size):
        self.evaluate, self.lr, self.N, self.size = evaluate, lr, N, batch_size

    def __call__(self, theta, record):
        start, J_sum, correct_sum = theta, 0.0, 0.0
        order = backend.random_order(self.N, theta)
        for i in range(0, self.N, self.size):
            idx = order[i:i + self.size]
            J, correct, g = self.evaluate(theta, idx, record)
            theta = theta - self.lr * g
            if record:
                J_sum, correct_sum = J_sum + J * idx.shape[0], correct_sum + correct
        return start, theta, (J_sum / self.N if record else None), correct_sum, g


class _History:
    """The loss and the numbers of correct predictions at every step, kept on the device and read back once."""

    def __init__(self, xp, like, steps, N, M, record):
        self.N, self.M, self.record = N, M, record
        self.table = xp.zeros((3, steps + 1 if record else 0), dtype=like.dtype, device=backend.device(like))

    def write(self, k, J, correct, correct_val):
        self.table[0, k], self.table[1, k] = J, correct
        if correct_val is not None:
            self.table[2, k] = correct_val

    def column(self, k):
        return backend.to_numpy(self.table[:, k]).tolist()

    def read(self, steps):
        """{"loss", "train_acc"[, "val_acc"]} for ``steps`` steps: (steps + 1,) NumPy float64 arrays."""
        table = backend.to_numpy(self.table[:, :steps + 1]).astype(np.float64)
        history = {"loss": table[0], "train_acc": table[1] / self.N}  # counts (exact in float32 too) to fractions
        if self.M is not None:
            history["val_acc"] = table[2] / self.M
        return history


class _Progress:
    """A tqdm.auto bar, updated about 25 times in all (each update reads numbers back from the device)."""

    def __init__(self, steps, enabled, desc, unit):
        self.bar, self.steps, self.every, self.shown = None, steps, max(1, steps // 25), 0
        if enabled and steps > 0:
            from tqdm.auto import tqdm  # imported on use: importing helpers stays light

            self.bar = tqdm(total=steps, desc=desc, unit=unit)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()

    def show(self, k, history):
        """After k steps: the loss and accuracies of step k - 1 (when recorded)."""
        if self.bar is None or (k % self.every and k != self.steps):
            return
        if history.record:
            loss, correct, correct_val = history.column(k - 1)
            post = {"loss": f"{loss:.4f}", "acc": f"{correct / history.N:.3f}"}
            if history.M is not None:
                post["val_acc"] = f"{correct_val / history.M:.3f}"
            self.bar.set_postfix(post, refresh=False)
        self.bar.update(k - self.shown)
        self.shown = k
