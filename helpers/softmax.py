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
and returns the same kind (tensors keep their device and autograd graph).
"""

import math
import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np
from array_api_compat import array_namespace, is_torch_array

from ._checks import as_array, as_scalar, check_labels, check_nonneg, check_nonneg_int, check_rows, same_kind

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


def _float_dtype(a):
    """The floating dtype results take: ``a``'s own, else float64 (NumPy) or torch's default."""
    if is_torch_array(a):
        import torch

        return a.dtype if a.is_floating_point() else torch.get_default_dtype()
    return a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)


def _check_axis(axis, ndim):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -ndim <= axis < ndim:
        raise ValueError(f"axis must be an integer in [-{ndim}, {ndim - 1}] for a {ndim}-D z, got {axis!r}")
    return int(axis)


def _shifted(xp, z, axis):
    """z minus its largest entry along ``axis``: every entry <= 0, so exp() cannot overflow."""
    m = xp.max(z, axis=axis, keepdims=True)
    if is_torch_array(m):
        m = m.detach()  # a constant shift: it cancels in the result, so no gradient flows through it
    return z - m


def _log_softmax(xp, z, axis):
    s = _shifted(xp, z, axis)
    return s - xp.log(xp.sum(xp.exp(s), axis=axis, keepdims=True))


def _softmax(xp, z, axis):
    e = xp.exp(_shifted(xp, z, axis))
    return e / xp.sum(e, axis=axis, keepdims=True)


def _as_logits(z):
    z = as_array(z, "z", (1, 2, 3))
    return array_namespace(z), z


def one_hot(labels, num_classes):
    """One-hot targets: row i is all zeros but a 1 in column ``labels[i]``.

    Parameters
    ----------
    labels : (N,) integer array or tensor, values in 0..num_classes-1
    num_classes : int, K

    Returns
    -------
    T : (N, K) float64 array (NumPy) or tensor of torch's default dtype, on the labels' device
    """
    num_classes = check_nonneg_int(num_classes, "num_classes")
    labels = check_labels(labels, "labels", num_classes)
    xp = array_namespace(labels)
    classes = xp.arange(num_classes, device=getattr(labels, "device", None))
    return xp.astype(labels[:, None] == classes, _float_dtype(labels))


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
        _, (z, labels) = same_kind(z=z, t=labels)
        xp = array_namespace(z)
        T = xp.astype(labels[:, None] == xp.arange(K, device=getattr(z, "device", None)), z.dtype)
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
    history : dict of (epochs,) NumPy arrays
        ``"loss"``: the objective J (mean cross-entropy + l2/2 ||W||^2) at the weights each epoch's
        gradient was taken at; ``"train_acc"``: training accuracy at those weights (with minibatches:
        both averaged over the epoch's batches, while the weights change); ``"val_acc"`` (when a
        validation set was given): validation accuracy after each epoch.
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

    def _params_like(self, X):
        """W and b as the same kind as X (a tensor model predicts NumPy input and vice versa)."""
        W, b = self.W, self.b
        if is_torch_array(X) and not is_torch_array(W):
            import torch

            W, b = (torch.as_tensor(a, device=X.device) for a in (W, b))
        elif not is_torch_array(X) and is_torch_array(W):
            W, b = W.detach().cpu().numpy(), b.detach().cpu().numpy()
        elif is_torch_array(X):
            W, b = W.to(X.device), b.to(X.device)
        return W, b

    def logits(self, X):
        """Z = X W^T + b, shape (N, K)."""
        X = as_array(X, "X", 2)
        if X.shape[1] != self.W.shape[1]:
            raise ValueError(f"X has {X.shape[1]} columns (features) but the model was fitted on {self.W.shape[1]}")
        W, b = self._params_like(X)
        _, (X, W, b) = same_kind(X=X, W=W, b=b)
        return X @ W.T + b

    def predict_proba(self, X):
        """Class probabilities softmax(X W^T + b), shape (N, K), same kind as X."""
        Z = self.logits(X)
        return _softmax(array_namespace(Z), Z, 1)

    def predict(self, X):
        """The most probable class of each row of X, shape (N,), int64, same kind as X."""
        Z = self.logits(X)
        xp = array_namespace(Z)
        return xp.astype(xp.argmax(Z, axis=1), xp.int64)

    def score(self, X, labels):
        """Accuracy: the fraction of rows of X whose predicted class is ``labels``."""
        pred = self.predict(X)
        labels = check_labels(labels, "labels", self.num_classes)
        check_rows("X", pred, "labels", labels)
        pred, labels = (a.cpu().numpy() if is_torch_array(a) else a for a in (pred, labels))
        return float(np.mean(pred == labels))


def curvature_bound(X, l2=0.0):
    """L = lambda_max(Xc^T Xc / N) / 2 + l2, with Xc = [X - mean(X), 1]: a bound on the curvature of J.

    The Hessian of the cross-entropy with respect to one example's logits,
    diag(y) - y y^T, has eigenvalues at most 1/2. So J, written in centered
    coordinates (z = W (x - mu) + c, as `fit_softmax_regression` does), has
    a gradient that changes at most L times as fast as the weights: gradient
    descent with a step of 1/L never increases J, and steps beyond 2/L can
    make it diverge. lambda_max is found by block power iteration.

    Parameters
    ----------
    X : (N, D) array or tensor
    l2 : float >= 0

    Returns
    -------
    L : float
    """
    X = as_array(X, "X", 2)
    l2 = check_nonneg(l2, "l2")
    Xt = _to(X, X.device if is_torch_array(X) else "cpu")
    return _curvature_bound(Xt - Xt.mean(0), l2)


def _curvature_bound(Xc, l2, iterations=30, block=8):
    """The bound for centered data Xc (N, D) on its device.

    lambda_max(Xc^T Xc / N) by block power iteration (subspace iteration on a few
    vectors at once, which converges even when the top eigenvalues are close),
    never forming the D x D matrix.
    """
    import torch

    N, D = Xc.shape
    gen = torch.Generator().manual_seed(0)
    V = torch.randn(D, min(block, D), generator=gen, dtype=Xc.dtype).to(Xc.device)
    for _ in range(iterations):
        A = Xc.T @ (Xc @ V)
        V = torch.linalg.qr(A)[0] if A.device.type != "mps" else torch.linalg.qr(A.cpu())[0].to(A.device)
    H = Xc @ V
    lam = float(torch.linalg.eigvalsh((H.T @ H / N).cpu())[-1])  # a small (block x block) matrix
    return 0.5 * max(lam, 1.0) + l2  # the bias column of ones contributes the eigenvalue 1


def _check_fit_args(X, labels, num_classes, lr, epochs, batch_size, l2, X_val, labels_val):
    X = as_array(X, "X", 2)
    labels = check_labels(labels, "labels", num_classes)
    check_rows("X", X, "labels", labels)
    same_kind(X=X, labels=labels)
    if not (isinstance(lr, str) and lr == "auto"):
        if isinstance(lr, str):
            raise ValueError(f"lr must be a finite number > 0 or 'auto', got {lr!r}")
        lr = as_scalar(lr, "lr", finite=False)
        lr = float(lr)
        if not math.isfinite(lr) or lr <= 0:
            raise ValueError(f"lr must be a finite number > 0 or 'auto', got {lr}")
    epochs = check_nonneg_int(epochs, "epochs")
    if batch_size is not None:
        batch_size = check_nonneg_int(batch_size, "batch_size")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1 (or None for full batch), got {batch_size}")
    l2 = check_nonneg(l2, "l2")
    if (X_val is None) != (labels_val is None):
        raise ValueError("give both X_val and labels_val, or neither")
    if X_val is not None:
        X_val = as_array(X_val, "X_val", 2)
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(f"X_val has {X_val.shape[1]} columns but X has {X.shape[1]}; they need the same features")
        labels_val = check_labels(labels_val, "labels_val", num_classes)
        check_rows("X_val", X_val, "labels_val", labels_val)
        same_kind(X=X, X_val=X_val, labels_val=labels_val)
    return X, labels, lr, epochs, batch_size, l2, X_val, labels_val


def _to(a, device, dtype=None):
    import torch

    if not is_torch_array(a):
        a = torch.from_numpy(np.ascontiguousarray(a))
    return a.detach().to(device=device, dtype=dtype)


class _Progress:
    """A tqdm.auto bar updated every few epochs (each update reads numbers back from the device)."""

    def __init__(self, epochs, enabled, every):
        self.bar = None
        self.every = max(1, every)
        if enabled and epochs > 0:
            from tqdm.auto import tqdm  # imported on use: importing helpers stays light

            self.bar = tqdm(total=epochs, desc="epochs", unit="epoch")
        self.shown = 0

    def update(self, epoch, column, N, M=None):
        """``column``: this epoch's (loss, correct in training, correct in validation) on the device."""
        if self.bar is None or ((epoch + 1) % self.every and epoch + 1 != self.bar.total):
            return
        loss, correct, correct_val = column.tolist()
        post = {"loss": f"{loss:.4f}", "acc": f"{correct / N:.3f}"}
        if M is not None:
            post["val_acc"] = f"{correct_val / M:.3f}"
        self.bar.set_postfix(post, refresh=False)
        self.bar.update(epoch + 1 - self.shown)
        self.shown = epoch + 1

    def close(self):
        if self.bar is not None:
            self.bar.close()


#: Below this many multiply-adds per matrix product (N * (D + 1) * K), a CPU fit runs on one thread.
SMALL_PROBLEM = 10_000_000


def fit_softmax_regression(X, labels, num_classes, lr, epochs, batch_size=None, l2=0.0, device=None,
                           progress=True, X_val=None, labels_val=None):
    """Fit softmax regression by gradient descent on the mean cross-entropy plus an L2 penalty.

    Minimizes  J(W, b) = -(1/N) sum_i log softmax(W x_i + b)_{t_i} + (l2 / 2) ||W||^2
    (the biases are not penalized). This is scikit-learn's
    ``LogisticRegression(C=1 / (N * l2))``, whose objective C * sum_i loss_i + ||W||^2 / 2
    is N * C times ours.

    How it descends. The data move to ``device`` once and stay there. The
    inputs are centered internally (z = W (x - mu) + c, and at the end
    b = c - W mu): the same model and the same J, but a much better
    conditioned problem for gradient descent.

    * ``batch_size=None`` (default): full-batch gradient descent with Nesterov
      momentum, one step per epoch. The momentum coefficient grows as
      k / (k + 3) and is reset to 0 whenever the step goes uphill (the
      gradient restart of O'Donoghue & Candes, 2015), which keeps the
      descent fast and monotone in practice. ``lr="auto"`` takes the step
      1/L from `curvature_bound`.
    * ``batch_size=B``: minibatch stochastic gradient descent (no momentum),
      reshuffled every epoch; minibatches are index slices of the data on the
      device (torch's global generator draws the order: seed it for
      reproducibility, e.g. with ``helpers.seed_everything``).

    No value is read back from the device during the epochs except for the
    progress bar (a few updates in all).

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
        Where to compute. Default: X's device for a tensor, else ``helpers.default_device()``.
    progress : bool, default True
        Show a tqdm progress bar with the loss and accuracy.
    X_val : (M, D), labels_val : (M,), optional
        A validation set, scored after every epoch (``history["val_acc"]``).

    Returns
    -------
    SoftmaxRegression
        With ``W`` (K, D), ``b`` (K,) (NumPy for NumPy X; tensors on X's device for tensor X),
        ``predict_proba``, ``predict``, ``score`` and ``history``. Computed in X's floating dtype.

    Warns
    -----
    RuntimeWarning
        If the loss diverges (lr too large), naming the critical rate 2/L.
    """
    import torch

    from .device import default_device

    args = _check_fit_args(X, labels, num_classes, lr, epochs, batch_size, l2, X_val, labels_val)
    if device is None:
        device = args[0].device if is_torch_array(args[0]) else default_device()
    device = torch.device(device)
    threads = torch.get_num_threads()
    small = device.type == "cpu" and args[0].shape[0] * (args[0].shape[1] + 1) * num_classes < SMALL_PROBLEM
    if small:
        torch.set_num_threads(1)  # tiny matrices: more threads only add overhead (and stall on a busy CPU)
    try:
        return _fit(*args, num_classes, device, progress)
    finally:
        torch.set_num_threads(threads)


def _fit(X, labels, lr, epochs, batch_size, l2, X_val, labels_val, num_classes, device, progress):
    import torch

    was_torch = is_torch_array(X)
    dtype = _float_dtype(X)
    dtype = dtype if was_torch else getattr(torch, np.dtype(dtype).name)
    K = num_classes

    # Move the data once. Xa = [X - mu, 1] (N, D + 1); targets as a (K, N) one-hot matrix and labels.
    X_dev = _to(X, device, dtype)
    N, D = X_dev.shape
    mu = X_dev.mean(0)
    Xa = torch.cat([X_dev - mu, torch.ones(N, 1, dtype=dtype, device=device)], 1)
    del X_dev
    t_dev = _to(labels, device)
    T = (torch.arange(K, device=device)[:, None] == t_dev).to(dtype)  # (K, N)
    if X_val is not None:
        Xv = torch.cat([_to(X_val, device, dtype) - mu, torch.ones(X_val.shape[0], 1, dtype=dtype, device=device)], 1)
        tv = _to(labels_val, device)
    if lr == "auto":
        lr = 1.0 / _curvature_bound(Xa[:, :D], l2)

    # Parameters theta = [W, c] (K, D + 1); the penalty l2/2 ||W||^2 skips the bias column c.
    theta = torch.zeros(K, D + 1, dtype=dtype, device=device)
    pen = torch.full((1, D + 1), l2, dtype=dtype, device=device)
    pen[0, D] = 0
    velocity = torch.zeros_like(theta)
    k = torch.zeros((), dtype=dtype, device=device)  # steps since the last momentum restart
    hist = torch.zeros(3, epochs, dtype=dtype, device=device)  # loss, correct in training, correct in validation

    def loss_and_grad(theta, Xb, Tb, tb):
        """J, the number of correct predictions and dJ/dtheta on a batch, logits laid out as (K, n)."""
        n = Xb.shape[0]
        Z = theta @ Xb.T  # z = W (x - mu) + c for every example: (K, n)
        m, pred = Z.max(0, keepdim=True)  # the largest logit (for stability) and the predicted class
        s = Z - m
        e = torch.exp(s)
        se = e.sum(0, keepdim=True)
        Y = e / se  # softmax over the K classes
        ce = (torch.log(se).sum() - (s * Tb).sum()) / n  # mean of log sum exp(s) - s_t
        wp = theta * pen
        J = ce + 0.5 * (wp * theta).sum()
        grad = torch.addmm(wp, Y - Tb, Xb, alpha=1.0 / n)  # (Y - T) X / n + l2 W
        return J, (pred[0] == tb).sum(), grad

    bar = _Progress(epochs, progress, every=max(1, epochs // 25))
    try:
        for epoch in range(epochs):
            if batch_size is None or batch_size >= N:
                J, correct, g = loss_and_grad(theta, Xa, T, t_dev)
                # Nesterov momentum (in the form that evaluates the gradient at the stored weights):
                # u <- beta_k u - lr g;  theta <- theta - lr g + beta_{k+1} u;  restart when g . u > 0.
                velocity = velocity * (k / (k + 3)) - lr * g
                restart = (g * velocity).sum() > 0
                velocity = torch.where(restart, 0.0, velocity)
                k = torch.where(restart, 0.0, k + 1)
                theta = theta - lr * g + (k / (k + 3)) * velocity
                hist[0, epoch], hist[1, epoch] = J, correct
            else:
                order = torch.randperm(N, device=device)
                J_sum = torch.zeros((), dtype=dtype, device=device)
                correct = torch.zeros((), dtype=torch.int64, device=device)
                for start in range(0, N, batch_size):
                    idx = order[start:start + batch_size]
                    J, c, g = loss_and_grad(theta, Xa[idx], T[:, idx], t_dev[idx])
                    theta = theta - lr * g
                    J_sum, correct = J_sum + J * idx.shape[0], correct + c
                hist[0, epoch], hist[1, epoch] = J_sum / N, correct
            if X_val is not None:
                hist[2, epoch] = ((theta @ Xv.T).max(0)[1] == tv).sum()
            if bar.bar is not None:
                bar.update(epoch, hist[:, epoch], N, None if X_val is None else Xv.shape[0])
    finally:
        bar.close()

    W, c = theta[:, :D].contiguous(), theta[:, D]
    b = c - W @ mu
    hist = hist.cpu().numpy().astype(np.float64)  # the one read-back of the history
    history = {"loss": hist[0], "train_acc": hist[1] / N}  # counts (exact in any float dtype) to fractions
    if X_val is not None:
        history["val_acc"] = hist[2] / X_val.shape[0]
    _warn_if_diverged(history["loss"], lr, Xa[:, :D], l2)
    if was_torch:
        W, b = W.to(X.device), b.to(X.device)
    else:
        W, b = W.cpu().numpy(), b.cpu().numpy()
    return SoftmaxRegression(W=W, b=b, history=history, lr=float(lr), l2=l2)


def _warn_if_diverged(loss, lr, Xc, l2):
    if len(loss) < 2 or (np.isfinite(loss).all() and loss[-1] <= loss[0]):
        return
    critical = 2.0 / _curvature_bound(Xc, l2)
    warnings.warn(
        f"fit_softmax_regression: the loss diverged (J went from {loss[0]:.4g} to {loss[-1]:.4g}): "
        f"lr = {lr:.4g} is too large; gradient descent is guaranteed to converge for lr < 2/L = {critical:.4g} "
        "on this data (lr='auto' takes 1/L)",
        RuntimeWarning,
        stacklevel=3,
    )
