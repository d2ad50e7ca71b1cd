"""Binary classification with logistic regression, in the lecture's notation.

    X : (N, D) inputs,  t : (N,) targets in {0, 1}
    w : (D,) weights,   b : scalar bias
    z = X w + b                                  logits
    y = sigma(z) = 1 / (1 + exp(-z))             probability that t = 1
    L_CE(z, t) = -t log y - (1 - t) log(1 - y)   cross-entropy of one example
               = max(z, 0) - t z + log(1 + exp(-|z|))   (the same, written stably)
    J = mean(L_CE) + (lambda / 2) ||w||^2        cost (lambda = ``l2``; the bias is not penalized)
    dL_CE/dz = y - t
    dJ/dw = X^T (y - t) / N + lambda w,   dJ/db = mean(y - t)

scikit-learn's ``LogisticRegression(C=C)`` minimizes C sum(L_CE) + ||w||^2 / 2, which is
J times C N when lambda = 1 / (N C): the same minimizer. Use ``l2 = 1 / (N * C)`` to compare.

Each function takes NumPy arrays or torch tensors and returns the same kind
(tensors stay on their device and keep their autograd graph).
"""

import warnings

import numpy as np
from array_api_compat import is_torch_array

from ._checks import as_array, check_nonneg, check_nonneg_int, check_positive, check_rows, same_kind
from .linear import _check_Xw

# --------------------------------------------------------------------------- checks


def _first_bad(a, bad):
    v = a[bad][0]
    return float(v)


def check_binary_labels(t, name="t", hint=""):
    """Binary labels (N,) that are exactly 0 or 1 (booleans allowed); returned as floats.

    Raises a ValueError naming ``name`` and a value that is neither 0 nor 1, with
    the usual fix (labels -1/+1, class names) or ``hint``.
    """
    try:
        t = as_array(t, name, 1)
    except TypeError as err:
        raise TypeError(f"{err}; binary labels are the numbers 0 and 1, "
                        f"e.g. {name} = (names == 'Chinstrap').astype(float)") from None
    xp, (t,) = same_kind(t=t)
    bad = (t != 0) & (t != 1)
    if bool(xp.any(bad)):
        n_bad = int(xp.sum(xp.astype(bad, xp.int64)))
        v = _first_bad(t, bad)
        if v == -1 and not hint:
            hint = f"; for labels -1/+1 use ({name} + 1) / 2"
        raise ValueError(f"{name} must hold binary labels 0 and 1, got {n_bad} other value(s) such as {v:g}{hint}")
    return t


def _check_targets_01(t, name, shape):
    """Targets in [0, 1] (soft targets allowed), with the given shape."""
    t = as_array(t, name, len(shape))
    if tuple(t.shape) != tuple(shape):
        raise ValueError(f"{name} has shape {tuple(t.shape)} but z has shape {tuple(shape)}; they must match")
    xp, (t,) = same_kind(t=t)
    bad = (t < 0) | (t > 1)
    if bool(xp.any(bad)):
        raise ValueError(f"{name} must hold targets in [0, 1] (labels 0 and 1, or probabilities), "
                         f"got a value {_first_bad(t, bad):g}")
    return t


_REDUCTIONS = ("mean", "sum", "none")


# --------------------------------------------------------------------------- the formulas (no checks)


def _sigmoid(xp, z):
    # sigma(z) = e^min(z, 0) / (1 + e^-|z|): both exponents are <= 0, so nothing overflows,
    # and each tail keeps full relative precision (no 1 - (almost 1) cancellation).
    return xp.exp(z.clip(max=0)) / (1.0 + xp.exp(-xp.abs(z)))


def _cross_entropy(xp, z, t):
    # -t log sigma(z) - (1 - t) log(1 - sigma(z)) = log(1 + e^z) - t z
    #                                              = max(z, 0) - t z + log(1 + e^-|z|)
    return z.clip(min=0) - t * z + xp.log1p(xp.exp(-xp.abs(z)))


def _cost(xp, X, t, w, b, l2):
    J = xp.mean(_cross_entropy(xp, X @ w + b, t))
    return J + (l2 / 2) * (w @ w) if l2 else J


# --------------------------------------------------------------------------- public helpers


def sigmoid(z):
    """The logistic function sigma(z) = 1 / (1 + exp(-z)), finite and accurate for every z.

    Computed as exp(min(z, 0)) / (1 + exp(-|z|)), so no exponential overflows
    (no warning at z = +-1000) and both tails keep full relative precision:
    sigmoid(-745) is 5e-324, not 0.

    Parameters
    ----------
    z : array or tensor of any shape (logits)

    Returns
    -------
    y : same shape and kind as z, values in [0, 1]
    """
    z = as_array(z, "z", tuple(range(0, 9)))
    xp, (z,) = same_kind(z=z)
    return _sigmoid(xp, z)


def binary_cross_entropy(z, t, reduction="mean"):
    """Cross-entropy between the targets t and y = sigmoid(z), computed from the logits z.

    Equals -t log y - (1 - t) log(1 - y), written as max(z, 0) - t z + log(1 + exp(-|z|)),
    which never overflows and never takes log(0): for t = 1 and z = -1000 it is 1000.
    Like ``torch.nn.functional.binary_cross_entropy_with_logits``.

    Parameters
    ----------
    z : (N,) array or tensor
        Logits.
    t : (N,) array or tensor
        Targets in [0, 1]: labels 0/1, or probabilities (soft targets).
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over the N examples (the cost J), sum them, or return each example's loss.

    Returns
    -------
    J : 0-d (mean, sum) or (N,) (none), same kind as z
    """
    z = as_array(z, "z", (1, 2))
    t = _check_targets_01(t, "t", z.shape)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    xp, (z, t) = same_kind(z=z, t=t)
    losses = _cross_entropy(xp, z, t)
    if reduction == "none":
        return losses
    return xp.mean(losses) if reduction == "mean" else xp.sum(losses)


def binary_cross_entropy_grad(z, t):
    """The derivative of each example's cross-entropy with respect to its logit: y - t.

    The gradient of the mean (``binary_cross_entropy(z, t)``) with respect to z
    is this divided by N.

    Parameters
    ----------
    z : (N,) array or tensor
    t : (N,) array or tensor, targets in [0, 1]

    Returns
    -------
    dL_dz : (N,) same kind as z
    """
    z = as_array(z, "z", (1, 2))
    t = _check_targets_01(t, "t", z.shape)
    xp, (z, t) = same_kind(z=z, t=t)
    return _sigmoid(xp, z) - t


def _check_Xtwb(X, t, w, b):
    xp, X, w, b = _check_Xw(X, w, b)
    t = as_array(t, "t", 1)
    check_rows("X", X, "t", t)
    t = _check_targets_01(t, "t", (X.shape[0],))
    _, (X, t, w) = same_kind(X=X, t=t, w=w)
    return xp, X, t, w, b


def logistic_cost(X, t, w, b, l2=0.0):
    """The cost J = mean cross-entropy of sigmoid(X w + b) + (l2 / 2) ||w||^2.

    Parameters
    ----------
    X : (N, D), t : (N,) targets in [0, 1], w : (D,), b : scalar
    l2 : float, default 0
        The L2 penalty lambda (the bias is not penalized).

    Returns
    -------
    J : NumPy float or 0-d tensor
    """
    xp, X, t, w, b = _check_Xtwb(X, t, w, b)
    return _cost(xp, X, t, w, b, check_nonneg(l2, "l2"))


def logistic_gradients(X, t, w, b, l2=0.0):
    """The gradient of `logistic_cost`: (X^T (y - t) / N + l2 w, mean(y - t)).

    Parameters
    ----------
    X : (N, D), t : (N,) targets in [0, 1], w : (D,), b : scalar, l2 : float >= 0

    Returns
    -------
    dw : (D,) same kind as X
    db : NumPy float or 0-d tensor
    """
    xp, X, t, w, b = _check_Xtwb(X, t, w, b)
    l2 = check_nonneg(l2, "l2")
    r = _sigmoid(xp, X @ w + b) - t
    N = X.shape[0]
    return (r @ X) / N + l2 * w, xp.sum(r) / N


def accuracy(pred, t):
    """The fraction of predictions equal to the targets.

    Parameters
    ----------
    pred : (N,) array or tensor of 0/1 predictions (e.g. ``model.predict(X)``)
    t : (N,) array or tensor of 0/1 labels

    Returns
    -------
    acc : NumPy float or 0-d tensor in [0, 1]
    """
    pred = check_binary_labels(pred, "pred", hint="; threshold probabilities first, e.g. model.predict(X)")
    t = check_binary_labels(t, "t")
    check_rows("pred", pred, "t", t)
    xp, (pred, t) = same_kind(pred=pred, t=t)
    return xp.mean(xp.astype(pred == t, t.dtype))


def lipschitz_constant(X, l2=0.0):
    """L, a bound on the curvature of the logistic cost: GD with lr = 1/L always descends.

    The Hessian of J is [X 1]^T S [X 1] / N + l2 diag(1, ..., 1, 0) with
    S = diag(y (1 - y)) and y (1 - y) <= 1/4, so its largest eigenvalue is at most
    L = lambda_max([X 1]^T [X 1]) / (4N) + l2, computed here from the smaller of the
    (D+1) x (D+1) and N x N Gram matrices. Gradient descent is guaranteed to
    decrease J for lr < 2/L.

    Parameters
    ----------
    X : (N, D) array or tensor
    l2 : float >= 0

    Returns
    -------
    L : float
    """
    X = as_array(X, "X", 2)
    xp, (X,) = same_kind(X=X)
    return _lipschitz(xp, _with_ones(xp, X), check_nonneg(l2, "l2"))


def _with_ones(xp, X):
    """[X 1], (N, D+1): the bias b is the weight of a column of ones."""
    ones = xp.ones((X.shape[0], 1), dtype=X.dtype, device=getattr(X, "device", None))
    return xp.concat([X, ones], axis=1)


def _lipschitz(xp, Xa, l2):
    N, D1 = Xa.shape
    G = Xa.T @ Xa if N >= D1 else Xa @ Xa.T  # the same nonzero eigenvalues; take the smaller
    return float(xp.max(xp.linalg.eigvalsh(G))) / (4 * N) + l2


def _preconditioner(xp, Xa, penalty):
    """P = M^-1 for the Hessian bound M = [X 1]^T [X 1] / (4N) + l2 diag(1, ..., 1, 0).

    J(theta + d) <= J(theta) + g^T d + d^T M d / 2 for every d, and the step d = -P g
    minimizes that bound. P is computed once, from M's eigendecomposition; an
    inexact P changes the path of the descent, not the point it converges to.
    """
    N, D1 = Xa.shape
    M = (Xa.T @ Xa) / (4 * N) + _diag(xp, penalty)
    lam, Q = xp.linalg.eigh(M)
    eps = float(xp.finfo(Xa.dtype).eps)
    if float(lam[0]) <= D1 * eps * float(lam[-1]):
        raise ValueError(
            "precondition=True needs a positive definite Hessian bound, but the columns of [X 1] are "
            f"linearly dependent, or nearly (eigenvalues of M from {float(lam[0]):.1e} to {float(lam[-1]):.1e}): "
            "a constant or duplicated feature? Use l2 > 0 or remove the feature"
        )
    return (Q / lam) @ Q.T


def _diag(xp, v):
    D1 = v.shape[0]
    return xp.eye(D1, dtype=v.dtype, device=getattr(v, "device", None)) * v


# --------------------------------------------------------------------------- the model and its fit


def _like(a, X):
    """A parameter (array, tensor or float) as the kind, device and dtype of X."""
    if is_torch_array(X):
        import torch

        return torch.as_tensor(a, device=X.device, dtype=X.dtype)
    return np.asarray(a.detach().cpu() if is_torch_array(a) else a, dtype=X.dtype)


class LogisticRegressionModel:
    """A fitted logistic regression: P(t = 1 | x) = sigmoid(w^T x + b).

    Attributes
    ----------
    w : (D,) weights, NumPy or tensor (the kind given to the fit)
    b : float (NumPy) or 0-d tensor, the bias
    history : dict with "loss" (the cost J, penalty included) and "accuracy" on the
        training data, (steps + 1,) each: before every step and after the last one
        (empty arrays when the fit ran with ``record_history=False``).
    lr, l2 : the learning rate used and the L2 penalty
    steps : the number of steps run (fewer than asked when ``tol`` stopped the fit)
    converged : whether the gradient fell below ``tol``
    """

    def __init__(self, w, b, history, lr, l2, steps, converged):
        self.w, self.b, self.history = w, b, history
        self.lr, self.l2, self.steps, self.converged = lr, l2, steps, converged

    def __repr__(self):
        return (f"LogisticRegressionModel(D={self.w.shape[0]}, lr={self.lr:.4g}, l2={self.l2:g}, "
                f"steps={self.steps}, converged={self.converged})")

    def decision_function(self, X):
        """The logits z = X w + b, (N,), same kind as X (the weights follow X to its device)."""
        X = as_array(X, "X", 2)
        if X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X has {X.shape[1]} columns (features) but the model was fitted on "
                             f"{self.w.shape[0]}; give it the same features, shape (N, {self.w.shape[0]})")
        return X @ _like(self.w, X) + _like(self.b, X)

    def predict_proba(self, X):
        """P(t = 1 | x) = sigmoid(X w + b) for each row of X: (N,), same kind as X.

        (scikit-learn's ``predict_proba`` returns (N, 2), both classes; this is its second column.)
        """
        z = self.decision_function(X)
        xp, (z,) = same_kind(z=z)
        return _sigmoid(xp, z)

    def predict(self, X):
        """Predicted labels: 1 where sigmoid(z) >= 0.5, i.e. z >= 0; (N,) int64, same kind as X."""
        z = self.decision_function(X)
        xp, (z,) = same_kind(z=z)
        return xp.astype(z >= 0, xp.int64)


def _to_compute_device(X, t, device):
    """Move the data once to where it is computed; return (X, t, back) with back() the way home."""
    import torch

    from .device import default_device

    device = default_device() if device is None else torch.device(device)
    if not is_torch_array(X) and device.type == "cpu":
        # NumPy data on the CPU: NumPy computes it (less overhead than torch); labels in the precision of X
        return X, t.astype(X.dtype, copy=False), lambda a: a
    home = None if is_torch_array(X) else "numpy"
    X = torch.as_tensor(X).detach().to(device)
    t = torch.as_tensor(t).detach().to(device=device, dtype=X.dtype)
    if home == "numpy":
        return X, t, lambda a: a.detach().cpu().numpy()
    return X, t, lambda a: a


def fit_logistic_regression(X, t, lr=None, steps=1000, l2=0.0, device=None, progress=False, *,
                            nesterov=False, precondition=False, tol=0.0, record_history=True):
    """Fit logistic regression by full-batch gradient descent on the cross-entropy cost.

    Minimizes J(w, b) = mean(L_CE(X w + b, t)) + (l2 / 2) ||w||^2, starting from w = 0, b = 0.

    **By default** this is plain gradient descent, (w, b) <- (w, b) - lr (dJ/dw, dJ/db),
    for ``steps`` steps with lr = 1/L (see `lipschitz_constant`): a step size that never
    increases J. Two options make it much faster on ill-conditioned data (many
    correlated features, small l2):

    * ``nesterov=True``: Nesterov's momentum, look-ahead coefficient k / (k + 3), reset
      to 0 whenever a step goes uphill ("adaptive restart", O'Donoghue & Candes 2015).
    * ``precondition=True``: steps -lr M^-1 (dJ/dw, dJ/db) with the whole Hessian bound
      M = [X 1]^T [X 1] / (4N) + l2 diag(1, ..., 1, 0) instead of its largest eigenvalue L
      (default lr = 1: the minimizer of the quadratic upper bound on J; Boehning 1992).
      M is (D+1) x (D+1) and is computed once.

    Parameters
    ----------
    X : (N, D) array or tensor
    t : (N,) array or tensor of labels 0 and 1
    lr : float > 0, optional
        The learning rate; default 1/L (1 with ``precondition``).
    steps : int >= 0, default 1000
        The most gradient steps to take.
    l2 : float >= 0, default 0
        The L2 penalty lambda (the bias is not penalized). scikit-learn's
        ``LogisticRegression(C=C)`` minimizes the same function times N C: ``l2 = 1 / (N * C)``.
    device : str or torch.device, optional
        Where to compute (default `helpers.default_device()`). The data is moved there once.
        NumPy data on the CPU is computed by NumPy itself.
    progress : bool, default False
        Show a progress bar.
    nesterov, precondition : bool, default False
        The accelerations above.
    tol : float >= 0, default 0
        Stop as soon as every entry of the gradient (dJ/dw, dJ/db), where it was last evaluated,
        is at most ``tol`` in absolute value (checked at every step, which synchronizes a GPU).
        0 runs all steps.
    record_history : bool, default True
        Record the cost J and the training accuracy at every step in ``model.history``.
        With ``nesterov=True`` they are those of the look-ahead points, where the
        gradients are evaluated.

    Returns
    -------
    LogisticRegressionModel
        ``.w`` and ``.b`` of the kind of X (NumPy, or tensors on the device used),
        ``.predict_proba(X)``, ``.predict(X)``, ``.history``, ``.steps``, ``.converged``.

    Warns
    -----
    RuntimeWarning
        When J ends higher than it started (lr too large), with the critical rate.
    """
    X = as_array(X, "X", 2)
    t = check_binary_labels(t, "t")
    check_rows("X", X, "t", t)
    same_kind(X=X, t=t)
    lr = None if lr is None else check_positive(lr, "lr")
    steps = check_nonneg_int(steps, "steps")
    l2 = check_nonneg(l2, "l2")
    tol = check_nonneg(tol, "tol")

    X, t, back = _to_compute_device(X, t, device)
    xp, (X, t) = same_kind(X=X, t=t)
    N, D = X.shape
    dev = getattr(X, "device", None)
    Xa = _with_ones(xp, X)  # theta = (w, b) and z = [X 1] theta
    penalty = l2 * xp.concat([xp.ones(D, dtype=X.dtype, device=dev), xp.zeros(1, dtype=X.dtype, device=dev)])
    P = _preconditioner(xp, Xa, penalty) if precondition else None
    if lr is None:
        lr = 1.0 if precondition else 1.0 / _lipschitz(xp, Xa, l2)

    theta = xp.zeros(D + 1, dtype=X.dtype, device=dev)
    prev, k = theta, 0.0  # the previous iterate and the momentum counter (Nesterov)
    loss = xp.zeros(steps + 1 if record_history else 0, dtype=X.dtype, device=dev)
    acc = xp.zeros_like(loss)
    positive = t == 1
    converged, steps_run = False, 0
    for step in _steps(steps, progress):
        v = theta + (k / (k + 3.0)) * (theta - prev) if nesterov else theta  # look ahead along the last move
        z = Xa @ v
        if record_history:
            loss[step], acc[step] = _cost_from_logits(xp, z, t, v, penalty), _accuracy_from_logits(xp, z, positive)
        g = ((_sigmoid(xp, z) - t) @ Xa) / N + penalty * v  # (dJ/dw, dJ/db) at v
        prev, theta = theta, v - lr * (g if P is None else P @ g)
        steps_run += 1
        if nesterov:  # keep the momentum while the steps go downhill, restart it when one goes up
            k = (k + 1.0) * (g @ (theta - prev) <= 0)
        if tol and float(xp.max(xp.abs(g))) <= tol:
            converged = True
            break

    J_start = _cost_from_logits(xp, xp.zeros_like(t), t, xp.zeros_like(theta), penalty)  # log 2, computed alike
    z = Xa @ theta
    J_end = _cost_from_logits(xp, z, t, theta, penalty)
    if record_history:
        loss[steps_run], acc[steps_run] = J_end, _accuracy_from_logits(xp, z, positive)
        loss, acc = loss[: steps_run + 1], acc[: steps_run + 1]
    if not float(J_end) <= float(J_start):  # went up, or overflowed to NaN
        critical = "2 (the step minimizing the bound is lr = 1)" if precondition \
            else f"2/L = {2 / _lipschitz(xp, Xa, l2):.4g}"
        warnings.warn(
            f"fit_logistic_regression: the cost went up from {float(J_start):.4g} to {float(J_end):.4g}: "
            f"lr = {lr:.4g} is too large for this data; gradient descent is guaranteed to descend for lr < "
            f"{critical} (lr=None picks a safe rate)",
            RuntimeWarning,
            stacklevel=2,
        )
    w, b = back(theta[:D]), back(theta[D])
    return LogisticRegressionModel(
        w=w, b=b if is_torch_array(b) else float(b),
        history={"loss": back(loss), "accuracy": back(acc)},
        lr=float(lr), l2=l2, steps=steps_run, converged=converged,
    )


def _cost_from_logits(xp, z, t, theta, penalty):
    # the mean written as sum / N: NumPy's mean costs twice as much on small arrays, and this runs every step
    return _cross_entropy(xp, z, t).sum() / z.shape[0] + 0.5 * (theta @ (penalty * theta))


def _accuracy_from_logits(xp, z, positive):
    return xp.astype(((z >= 0) == positive).sum(), z.dtype) / z.shape[0]


def _steps(steps, progress):
    if not progress:
        return range(steps)
    from tqdm.auto import tqdm

    return tqdm(range(steps), desc="gradient descent", unit="step")
