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

Each function takes NumPy arrays or torch tensors and returns the same kind. The
formulas (sigmoid, the cross-entropy, the cost and its gradients) keep the autograd
graph of tensor input; the fit and the curvature bound compute on detached input.
"""

from . import backend
from ._checks import as_array, check_nonneg, check_nonneg_int, check_positive, check_rows, same_kind
from .fitting import descend, warn_went_up
from .linear import _check_Xw, _top_curvature, _with_ones

# --------------------------------------------------------------------------- checks


def _first_bad(a, bad):
    return float(backend.detach(a[bad][0]))


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
    X = as_array(X, "X", 2, detach=True)
    xp, (X,) = same_kind(X=X)
    return _top_curvature(xp, _with_ones(xp, X)) / 4 + check_nonneg(l2, "l2")


# --------------------------------------------------------------------------- the model and its fit


class LogisticRegressionModel:
    """A fitted logistic regression: P(t = 1 | x) = sigmoid(w^T x + b).

    Attributes
    ----------
    w : (D,) weights, NumPy or tensor (the kind given to the fit)
    b : float (NumPy) or 0-d tensor, the bias
    history : dict of (steps + 1,) NumPy float64 arrays, the format of `helpers.fitting`:
        "loss" (the cost J, penalty included) and "train_acc" (the training accuracy), at the
        start and after every step (empty arrays when the fit ran with ``record_history=False``).
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
        return X @ backend.like(self.w, X) + backend.like(self.b, X)

    def predict_proba(self, X):
        """P(t = 1 | x) = sigmoid(X w + b) for each row of X: (N,), same kind as X.

        (scikit-learn's ``predict_proba`` returns (N, 2), both classes; this is its second column.)
        """
        z = self.decision_function(X)
        return _sigmoid(backend.namespace(z), z)

    def predict(self, X):
        """Predicted labels: 1 where sigmoid(z) >= 0.5, i.e. z >= 0; (N,) int64, same kind as X."""
        z = self.decision_function(X)
        xp = backend.namespace(z)
        return xp.astype(z >= 0, xp.int64)


class _Objective:
    """The regularized cross-entropy J(theta) of theta = (w, b) on the data, as `descend` evaluates it."""

    def __init__(self, xp, X, t, l2):
        (self.N, D), self.xp, self.t, self.l2 = X.shape, xp, t, l2
        self.Xa = _with_ones(xp, X)  # z = [X 1] theta
        dev = backend.device(X)
        self.penalty = l2 * xp.concat([xp.ones(D, dtype=X.dtype, device=dev), xp.zeros(1, dtype=X.dtype, device=dev)])
        self.positive = t == 1

    def zeros(self):
        return self.xp.zeros(self.Xa.shape[1], dtype=self.Xa.dtype, device=backend.device(self.Xa))

    def evaluate(self, theta, idx, record):
        """(J, correct predictions, dJ/dtheta) at theta; J and the count only when ``record``."""
        xp, z = self.xp, self.Xa @ theta
        g = ((_sigmoid(xp, z) - self.t) @ self.Xa) / self.N + self.penalty * theta  # (dJ/dw, dJ/db)
        if not record:
            return None, None, g
        # sum() / N, the method: NumPy's mean and the namespace's sum cost up to twice as much on small
        # arrays, and this runs every step (both libraries have the method)
        J = _cross_entropy(xp, z, self.t).sum() / self.N + 0.5 * (theta @ (self.penalty * theta))
        return J, ((z >= 0) == self.positive).sum(), g

    def lipschitz(self):
        return _top_curvature(self.xp, self.Xa) / 4 + self.l2

    def preconditioner(self):
        """P = M^-1 for the Hessian bound M = [X 1]^T [X 1] / (4N) + l2 diag(1, ..., 1, 0).

        J(theta + d) <= J(theta) + g^T d + d^T M d / 2 for every d, and the step d = -P g
        minimizes that bound. P is computed once, from M's eigendecomposition; an
        inexact P changes the path of the descent, not the point it converges to.
        """
        xp, Xa = self.xp, self.Xa
        D1 = Xa.shape[1]
        M = (Xa.T @ Xa) / (4 * self.N) + xp.eye(D1, dtype=Xa.dtype, device=backend.device(Xa)) * self.penalty
        lam, Q = backend.eigh(M)
        eps = float(xp.finfo(Xa.dtype).eps)
        if float(lam[0]) <= D1 * eps * float(lam[-1]):
            raise ValueError(
                "precondition=True needs a positive definite Hessian bound, but the columns of [X 1] are "
                f"linearly dependent, or nearly (eigenvalues of M from {float(lam[0]):.1e} to {float(lam[-1]):.1e}): "
                "a constant or duplicated feature? Use l2 > 0 or remove the feature"
            )
        P = (Q / lam) @ Q.T
        return lambda g: P @ g


def _check_fit(X, t, lr, steps, l2, tol):
    X = as_array(X, "X", 2, detach=True)
    t = check_binary_labels(backend.detach(t), "t")
    check_rows("X", X, "t", t)
    same_kind(X=X, t=t)
    lr = None if lr is None else check_positive(lr, "lr")
    return X, backend.like(t, X), lr, check_nonneg_int(steps, "steps"), check_nonneg(l2, "l2"), check_nonneg(tol, "tol")


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

    The loop, the momentum, ``tol``, the progress bar and the history are `helpers.fitting`'s.

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
        Where to compute. Default: where X is (NumPy computes NumPy data; a tensor stays on its
        device). Given, the data is moved there once, and the results come back as the kind of X.
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
        ``.w`` and ``.b`` of the kind of X (NumPy, or tensors on X's device, in X's dtype),
        ``.predict_proba(X)``, ``.predict(X)``, ``.history``, ``.steps``, ``.converged``.

    Warns
    -----
    helpers.fitting.DivergenceWarning (a RuntimeWarning)
        When J ends higher than it started (lr too large), with the critical rate.
    """
    X, t, lr, steps, l2, tol = _check_fit(X, t, lr, steps, l2, tol)
    (X, t), home = backend.compute_on(device, X, t)
    with backend.small_problem_threads(X, work=X.shape[0] * (X.shape[1] + 1)):
        objective = _Objective(backend.namespace(X), X, t, l2)
        P = objective.preconditioner() if precondition else None
        if lr is None:
            lr = 1.0 if precondition else 1.0 / objective.lipschitz()
        trace = descend(objective.evaluate, objective.zeros(), lr, steps, N=X.shape[0], precondition=P,
                        nesterov=nesterov, tol=tol, record=record_history, progress=progress)
        if trace.went_up():
            critical = "2 (the step minimizing the bound is lr = 1)" if precondition \
                else f"2/L = {2 / objective.lipschitz():.4g}"
            warn_went_up("fit_logistic_regression", trace, lr, critical, "lr=None picks a safe rate")
    theta = home(trace.theta)
    D = X.shape[1]
    return LogisticRegressionModel(
        w=theta[:D], b=backend.scalar(theta[D]), history=trace.history,
        lr=float(lr), l2=l2, steps=trace.steps, converged=trace.converged,
    )

