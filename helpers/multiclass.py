"""Softmax regression: K classes, one linear model per class.

    X : (N, D)  inputs, one row per example
    t : (N,)    integer labels in 0..K-1, or T : (N, K) one-hot targets
    W : (K, D)  weights, one row per class;   b : (K,) biases
    z = W x + b             logits, for all examples Z = X W^T + b   (N, K)
    y = softmax(z)          predicted class probabilities            (N, K)
    J = -(1/N) sum_i log y_{t_i}                                     cross-entropy
    dJ/dZ = (Y - T) / N,  dJ/dW = (Y - T)^T X / N,  dJ/db = sum_i (y_i - t_i) / N

softmax, log_softmax and the cross-entropy subtract the largest logit
before exponentiating (the log-sum-exp trick), so they are finite and
accurate for logits of any size. Each takes NumPy arrays or torch tensors
and returns the same kind (tensors keep their device and autograd graph);
the fit and the curvature bound compute on detached input.
"""

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from . import backend
from ._checks import as_array, as_scalar, check_labels, check_nonneg, check_nonneg_int, check_rows, same_kind
from .fitting import descend, warn_went_up
from .linear import _top_curvature, _with_ones

__all__ = [
    "SoftmaxRegression",
    "curvature_bound",
    "fit_softmax_regression",
    "log_softmax",
    "one_hot",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_gradient",
]


# ----------------------------------------------------------------------------------------------------------------
# The math
# ----------------------------------------------------------------------------------------------------------------


def _check_axis(axis, ndim):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -ndim <= axis < ndim:
        raise ValueError(f"axis must be an integer in [-{ndim}, {ndim - 1}] for a {ndim}-D z, got {axis!r}")
    return int(axis)


def _shifted(xp, z, axis):
    """z minus its largest entry along ``axis``: every entry <= 0, so exp() cannot overflow."""
    m = backend.detach(xp.max(z, axis=axis, keepdims=True))  # a constant shift: it cancels, so no gradient
    return z - m


def _log_softmax(xp, z, axis):
    s = _shifted(xp, z, axis)
    return s - xp.log(xp.sum(xp.exp(s), axis=axis, keepdims=True))


def _softmax(xp, z, axis):
    e = xp.exp(_shifted(xp, z, axis))
    return e / xp.sum(e, axis=axis, keepdims=True)


def _as_logits(z):
    z = as_array(z, "z", (1, 2, 3))
    return backend.namespace(z), z


def one_hot(labels, num_classes):
    """One-hot targets: row i is all zeros but a 1 in column ``labels[i]``.

    Parameters
    ----------
    labels : (N,) integer array or tensor, values in 0..num_classes-1
    num_classes : int, K

    Returns
    -------
    T : (N, K) float64 array or tensor (float32 on a device without float64), on the labels' device
    """
    num_classes = check_nonneg_int(num_classes, "num_classes")
    labels = check_labels(labels, "labels", num_classes)
    xp = backend.namespace(labels)
    classes = xp.arange(num_classes, device=backend.device(labels))
    return xp.astype(labels[:, None] == classes, backend.float_dtype(labels))


def softmax(z, axis=-1):
    """Softmax along ``axis``: y_k = exp(z_k) / sum_j exp(z_j), computed stably.

    The largest logit is subtracted first (softmax(z) = softmax(z - c) for any
    constant c), so no exponential overflows, whatever the size of z.

    Parameters
    ----------
    z : (..., K) array or tensor of logits (1-D to 3-D)
    axis : int, default -1
        The axis of the K classes.

    Returns
    -------
    y : same shape and kind as z; positive entries summing to 1 along ``axis``
    """
    xp, z = _as_logits(z)
    return _softmax(xp, z, _check_axis(axis, z.ndim))


def log_softmax(z, axis=-1):
    """log(softmax(z)) along ``axis``, computed stably as (z - m) - log(sum(exp(z - m))), m = max(z).

    Parameters
    ----------
    z : (..., K) array or tensor of logits (1-D to 3-D)
    axis : int, default -1

    Returns
    -------
    log_y : same shape and kind as z; finite even where softmax(z) underflows to 0
    """
    xp, z = _as_logits(z)
    return _log_softmax(xp, z, _check_axis(axis, z.ndim))


def _check_targets(z, t):
    """Validate logits (N, K) and targets (labels (N,) or distributions (N, K)); return (xp, z, T)."""
    z = as_array(z, "z", 2)
    N, K = z.shape
    if getattr(t, "ndim", np.ndim(t)) == 1:
        labels = check_labels(t, "t", num_classes=K)
        check_rows("z", z, "t", labels)
        xp, (z, labels) = same_kind(z=z, t=labels)
        T = xp.astype(labels[:, None] == xp.arange(K, device=backend.device(z)), z.dtype)
        return xp, z, T
    T = as_array(t, "t", (1, 2))
    if tuple(T.shape) != (N, K):
        raise ValueError(
            f"t must be integer labels (N,) = ({N},) or one-hot targets (N, K) = ({N}, {K}) like z, "
            f"got shape {tuple(T.shape)}"
        )
    xp, (z, T) = same_kind(z=z, t=T)
    if bool(xp.any(T < 0)):
        raise ValueError("t must hold probabilities (one-hot rows), got negative entries")
    sums = xp.sum(T, axis=1)
    tol = 1e-3 if T.dtype in (getattr(xp, "float16", None), getattr(xp, "float32", None)) else 1e-6
    bad = xp.abs(sums - 1) > tol
    if bool(xp.any(bad)):
        i = int(xp.argmax(xp.astype(bad, xp.int32)))
        raise ValueError(f"t's rows must sum to 1 (one-hot or probabilities), but row {i} sums to {float(sums[i]):.6g}")
    return xp, z, xp.astype(T, z.dtype)


def softmax_cross_entropy(z, t):
    """Mean cross-entropy of softmax(z) against targets t: J = -(1/N) sum_i sum_k t_ik log y_ik.

    Computed from log_softmax (never log(softmax)), so it is finite for any logits.

    Parameters
    ----------
    z : (N, K) logits
    t : (N,) integer labels in 0..K-1, or (N, K) one-hot (or probability) targets

    Returns
    -------
    J : NumPy float or 0-d tensor (with autograd graph for tensor input)
    """
    xp, z, T = _check_targets(z, t)
    return -xp.sum(T * _log_softmax(xp, z, 1)) / z.shape[0]


def softmax_cross_entropy_gradient(z, t):
    """The gradient of `softmax_cross_entropy` with respect to the logits: dJ/dZ = (Y - T) / N.

    Parameters
    ----------
    z : (N, K) logits
    t : (N,) integer labels, or (N, K) one-hot targets

    Returns
    -------
    dJ_dz : (N, K) same kind as z
    """
    xp, z, T = _check_targets(z, t)
    return (_softmax(xp, z, 1) - T) / z.shape[0]


# ----------------------------------------------------------------------------------------------------------------
# The model and its fit
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class SoftmaxRegression:
    """A fitted softmax regression model, z = W x + b, y = softmax(z).

    Attributes
    ----------
    W : (K, D) weights, NumPy array or tensor (the kind of the training X; tensors on X's device)
    b : (K,) biases, same kind
    history : dict of (epochs + 1,) NumPy float64 arrays, the format of `helpers.fitting`
        ``"loss"``: the objective J (mean cross-entropy + l2/2 ||W||^2); ``"train_acc"``: the training
        accuracy; ``"val_acc"`` (when a validation set was given): the validation accuracy. At the start,
        where each epoch's gradient was taken (with minibatches: averaged over the epoch's batches,
        while the weights change) and, last, at the weights returned.
    lr : float, the learning rate used;  l2 : float, the L2 penalty
    """

    W: object
    b: object
    history: dict = field(default_factory=dict)
    lr: float = math.nan
    l2: float = 0.0

    @property
    def num_classes(self):
        return self.W.shape[0]

    def logits(self, X):
        """Z = X W^T + b, shape (N, K), same kind as X (the weights follow X to its device)."""
        X = as_array(X, "X", 2)
        if X.shape[1] != self.W.shape[1]:
            raise ValueError(f"X has {X.shape[1]} columns (features) but the model was fitted on {self.W.shape[1]}")
        return X @ backend.like(self.W, X).T + backend.like(self.b, X)

    def predict_proba(self, X):
        """Class probabilities softmax(X W^T + b), shape (N, K), same kind as X."""
        Z = self.logits(X)
        return _softmax(backend.namespace(Z), Z, 1)

    def predict(self, X):
        """The most probable class of each row of X, shape (N,), int64, same kind as X."""
        Z = self.logits(X)
        xp = backend.namespace(Z)
        return xp.astype(xp.argmax(Z, axis=1), xp.int64)

    def score(self, X, labels):
        """Accuracy: the fraction of rows of X whose predicted class is ``labels``."""
        pred = self.predict(X)
        labels = check_labels(labels, "labels", self.num_classes)
        check_rows("X", pred, "labels", labels)
        return float(np.mean(backend.to_numpy(pred) == backend.to_numpy(labels)))


def curvature_bound(X, l2=0.0):
    """L = lambda_max(Xc^T Xc / N) / 2 + l2, with Xc = [X - mean(X), 1]: a bound on the curvature of J.

    The Hessian of the cross-entropy with respect to one example's logits,
    diag(y) - y y^T, has eigenvalues at most 1/2. So J, written in centered
    coordinates (z = W (x - mu) + c, as `fit_softmax_regression` does), has
    a gradient that changes at most L times as fast as the weights: gradient
    descent with a step of 1/L never increases J, and steps beyond 2/L can
    make it diverge. (The column of ones is orthogonal to the centered
    features, so lambda_max is the larger of the covariance's and 1.)

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
    return _Objective(xp, X, None, check_nonneg(l2, "l2")).curvature_bound()


class _Objective:
    """Mean cross-entropy + (l2/2) ||W||^2 of theta = [W c] (K, D+1), in centered coordinates z = W (x - mu) + c.

    Centering (b = c - W mu at the end) gives the same model and the same J, but
    a much better conditioned problem for gradient descent. Logits are laid out
    as (K, n): one column per example.
    """

    def __init__(self, xp, X, labels, l2, K=None):
        self.xp, self.l2, (self.N, self.D) = xp, l2, X.shape
        self.mu = xp.mean(X, axis=0)
        self.Xa = _with_ones(xp, X - self.mu)  # [X - mu, 1] (N, D + 1)
        dev, dtype = backend.device(X), X.dtype
        self.pen = xp.concat([xp.full((self.D,), l2, dtype=dtype, device=dev), xp.zeros(1, dtype=dtype, device=dev)])
        if labels is not None:
            self.labels = labels
            self.T = xp.astype(xp.arange(K, device=dev)[:, None] == labels, dtype)  # one-hot targets (K, N)

    def curvature_bound(self):
        return 0.5 * _top_curvature(self.xp, self.Xa) + self.l2

    def zeros(self, K):
        return self.xp.zeros((K, self.D + 1), dtype=self.Xa.dtype, device=backend.device(self.Xa))

    def evaluate(self, theta, idx, record):
        """(J, correct predictions, dJ/dtheta) on the examples idx (all when None); J and the count if ``record``."""
        xp = self.xp
        Xb, Tb, tb = (self.Xa, self.T, self.labels) if idx is None else \
            (xp.take(self.Xa, idx, axis=0), xp.take(self.T, idx, axis=1), xp.take(self.labels, idx, axis=0))
        n = Xb.shape[0]
        Z = theta @ Xb.T  # z = W (x - mu) + c for every example: (K, n)
        m, predicted = backend.max_argmax(Z, axis=0)  # the largest logit (for stability) and its class
        s = Z - m
        e = xp.exp(s)
        se = xp.sum(e, axis=0, keepdims=True)
        wp = theta * self.pen
        g = ((e / se - Tb) @ Xb) / n + wp  # (Y - T) X / n + l2 W, Y = softmax(Z)
        if not record:
            return None, None, g
        J = (xp.sum(xp.log(se)) - xp.sum(s * Tb)) / n + 0.5 * xp.sum(wp * theta)  # mean(log sum exp(s) - s_t)
        return J, (predicted == tb).sum(), g

    def scorer(self, X_val, labels_val):
        """The number of validation examples that theta classifies correctly, as a function of theta."""
        Xv = _with_ones(self.xp, X_val - self.mu)
        return lambda theta: (backend.max_argmax(theta @ Xv.T, 0)[1] == labels_val).sum()

    def model(self, theta):
        """(W, b) of the model z = W x + b from theta = [W c] in centered coordinates."""
        W = self.xp.asarray(theta[:, :self.D], copy=True)  # a contiguous array of its own, not a view of theta
        return W, theta[:, self.D] - W @ self.mu


def _check_lr(lr):
    if isinstance(lr, str):
        if lr == "auto":
            return lr
        raise ValueError(f"lr must be a finite number > 0 or 'auto', got {lr!r}")
    lr = float(as_scalar(lr, "lr", finite=False))
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a finite number > 0 or 'auto', got {lr}")
    return lr


def _check_fit_args(X, labels, num_classes, lr, epochs, batch_size, l2, X_val, labels_val, tol):
    X = as_array(X, "X", 2, detach=True)
    labels = check_labels(backend.detach(labels), "labels", num_classes)
    check_rows("X", X, "labels", labels)
    same_kind(X=X, labels=labels)
    epochs = check_nonneg_int(epochs, "epochs")
    if batch_size is not None and check_nonneg_int(batch_size, "batch_size") < 1:
        raise ValueError(f"batch_size must be >= 1 (or None for full batch), got {batch_size}")
    if (X_val is None) != (labels_val is None):
        raise ValueError("give both X_val and labels_val, or neither")
    if X_val is not None:
        X_val = as_array(X_val, "X_val", 2, detach=True)
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(f"X_val has {X_val.shape[1]} columns but X has {X.shape[1]}; they need the same features")
        labels_val = check_labels(backend.detach(labels_val), "labels_val", num_classes)
        check_rows("X_val", X_val, "labels_val", labels_val)
        same_kind(X=X, X_val=X_val, labels_val=labels_val)
        X_val = backend.like(X_val, X)
    return (X, labels, _check_lr(lr), epochs, batch_size, check_nonneg(l2, "l2"), X_val, labels_val,
            check_nonneg(tol, "tol"))


def fit_softmax_regression(X, labels, num_classes, lr, epochs, batch_size=None, l2=0.0, device=None,
                           progress=False, X_val=None, labels_val=None, *, tol=0.0):
    """Fit softmax regression by gradient descent on the mean cross-entropy plus an L2 penalty.

    Minimizes  J(W, b) = -(1/N) sum_i log softmax(W x_i + b)_{t_i} + (l2 / 2) ||W||^2
    (the biases are not penalized). This is scikit-learn's
    ``LogisticRegression(C=1 / (N * l2))``, whose objective C * sum_i loss_i + ||W||^2 / 2
    is N * C times ours.

    How it descends. The inputs are centered internally (z = W (x - mu) + c,
    and at the end b = c - W mu): the same model and the same J, but a much
    better conditioned problem for gradient descent. The loop, the momentum,
    ``tol``, the progress bar and the history are `helpers.fitting`'s.

    * ``batch_size=None`` (default): full-batch gradient descent with Nesterov
      momentum, one step per epoch. The momentum coefficient grows as
      k / (k + 3) and is reset to 0 whenever the step goes uphill (the
      gradient restart of O'Donoghue & Candes, 2015), which keeps the
      descent fast and monotone in practice. ``lr="auto"`` takes the step
      1/L from `curvature_bound`.
    * ``batch_size=B``: minibatch stochastic gradient descent (no momentum),
      reshuffled every epoch (torch's global generator draws the order: seed
      it for reproducibility, e.g. with ``helpers.seed_everything``).

    Parameters
    ----------
    X : (N, D) array or tensor
    labels : (N,) integer labels in 0..num_classes-1
    num_classes : int, K
    lr : float > 0, or "auto"
        "auto" takes 1/L from `curvature_bound`, the largest step with guaranteed descent on the
        full batch (small minibatches may need a smaller one).
    epochs : int >= 0, passes over the data
    batch_size : int or None, default None (full batch)
    l2 : float >= 0, default 0
    device : str or torch.device, optional
        Where to compute. Default: where X is (NumPy computes NumPy data; a tensor stays on its
        device). Given, the data is moved there once, and the results come back as the kind of X.
    progress : bool, default False
        Show a tqdm progress bar with the loss and accuracy.
    X_val : (M, D), labels_val : (M,), optional
        A validation set, scored at every entry of the history (``history["val_acc"]``).
    tol : float >= 0, default 0
        Stop once every entry of the last gradient is at most ``tol`` in absolute value (0: never).

    Returns
    -------
    SoftmaxRegression
        With ``W`` (K, D), ``b`` (K,) (NumPy for NumPy X; tensors on X's device for tensor X),
        ``predict_proba``, ``predict``, ``score`` and ``history``. Computed in X's floating dtype.

    Warns
    -----
    helpers.fitting.DivergenceWarning (a RuntimeWarning)
        If the loss goes up (lr too large), naming the critical rate 2/L.
    """
    X, labels, lr, epochs, batch_size, l2, X_val, labels_val, tol = _check_fit_args(
        X, labels, num_classes, lr, epochs, batch_size, l2, X_val, labels_val, tol)
    validation = () if X_val is None else (X_val, labels_val)
    (X, labels, *validation), home = backend.compute_on(device, X, labels, *validation)
    with backend.small_problem_threads(X, work=X.shape[0] * (X.shape[1] + 1) * num_classes):
        objective = _Objective(backend.namespace(X), X, labels, l2, num_classes)
        lr = 1.0 / objective.curvature_bound() if lr == "auto" else lr
        trace = descend(objective.evaluate, objective.zeros(num_classes), lr, epochs, N=X.shape[0],
                        validate=objective.scorer(*validation) if validation else None,
                        M=validation[0].shape[0] if validation else None, nesterov=batch_size is None,
                        batch_size=batch_size, tol=tol, progress=progress, desc="epochs", unit="epoch")
        if trace.went_up():
            warn_went_up("fit_softmax_regression", trace, lr, f"2/L = {2 / objective.curvature_bound():.4g}",
                         "lr='auto' takes 1/L")
        W, b = objective.model(trace.theta)
    return SoftmaxRegression(W=home(W), b=home(b), history=trace.history, lr=float(lr), l2=l2)
