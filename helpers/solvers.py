"""Fitting linear regression: the direct solution (normal equations).

The cost with an optional L2 penalty (``l2`` = lambda),

    J(w, b) = ||X w + b - t||^2 / (2N) + (lambda / 2) ||w||^2,

is minimized where its gradient is zero. With centered data
Xc = X - mean(X), tc = t - mean(t) that gives the normal equations

    (Xc^T Xc + N lambda I) w = Xc^T tc,      b = mean(t) - mean(X) w.

This equals scikit-learn's ``Ridge(alpha=N * lambda)`` (which minimizes
||Xw + b - t||^2 + alpha ||w||^2) and ``LinearRegression`` for lambda = 0.

Gradient descent (`gradient_descent`) reaches the same minimum by repeating

    w <- w - lr * X^T (y - t) / N,      b <- b - lr * mean(y - t),

which converges for every start when lr < 2 / lambda_max, with lambda_max
the largest eigenvalue of the Hessian of J in (w, b) (`critical_learning_rate`).

`solve_direct` is a differentiable function of its inputs (tensors keep their
autograd graph through it); `gradient_descent` and `critical_learning_rate` are
algorithms: they compute on detached inputs, and their results hold no graph.
"""

import math
import warnings
from dataclasses import dataclass
from functools import partial

import numpy as np

from . import backend
from ._blocked_step import BlockedFullBatch, use_blocked
from ._checks import as_array, as_scalar, check_nonneg, check_nonneg_int, check_positive, check_rows, same_kind
from .fitting import DivergenceWarning
from .linear import _top_curvature, _with_ones

__all__ = ["MAX_CONDITION", "DivergenceWarning", "GDResult", "critical_learning_rate", "gradient_descent",
           "lr_regime", "solve_direct"]

#: Above this condition number of Xc^T Xc (squared that of Xc) the normal
#: equations lose too many digits, and the SVD least-squares solve is used.
MAX_CONDITION = 1e10


def _cholesky_solve(xp, A, r):
    """Solve A w = r for symmetric positive definite A; returns (w, condition number of A), (None, inf) if not SPD."""
    L = backend.cholesky(A)
    if L is None:
        return None, math.inf
    d = backend.detach(xp.abs(xp.linalg.diagonal(L)))  # a number about A, not part of the result's graph
    lo = float(xp.min(d))
    cond = (float(xp.max(d)) / lo) ** 2 if lo > 0 else math.inf
    return backend.cholesky_solve(L, r), cond


def _centered_gram(xp, X, x_mean, tc):
    """Xc^T Xc and Xc^T tc with Xc = X - x_mean, centering a block of rows at a time.

    Same numbers as centering all of X first, without writing an (N, D) copy:
    each block stays in the CPU's cache between centering and multiplying.
    """
    N, D = X.shape
    rows = max(2048, 2**17 // D)  # about 1 MiB of float64 per block
    A = xp.zeros((D, D), dtype=X.dtype, device=backend.device(X))
    r = xp.zeros((D,), dtype=X.dtype, device=backend.device(X))
    for i in range(0, N, rows):  # a loop over blocks of rows, not over examples
        Xc = X[i:i + rows] - x_mean
        A = A + Xc.T @ Xc
        r = r + Xc.T @ tc[i:i + rows]
    return A, r


def _lstsq_min_norm(xp, Xc, tc, l2_total):
    """Minimum-norm least squares through the SVD (rank-revealing, no normal equations)."""
    U, s, Vt = xp.linalg.svd(Xc, full_matrices=False)
    eps = float(xp.finfo(Xc.dtype).eps)
    keep = s > max(Xc.shape) * eps * float(backend.detach(s[0]))
    s_kept = xp.where(keep, s, xp.ones_like(s))  # no 0 / 0 for the singular values dropped
    filt = xp.where(keep, s_kept / (s_kept * s_kept + l2_total), xp.zeros_like(s))
    return Vt.T @ (filt * (U.T @ tc))


def _warn_fallback(cond):
    why = "singular (a feature is constant or a combination of others)" if math.isinf(cond) \
        else f"ill-conditioned (condition number about {cond:.1e} > {MAX_CONDITION:.0e})"
    warnings.warn(
        f"solve_direct: X^T X (centered) is {why}; using a least-squares solve through the SVD, "
        "which returns the minimum-norm solution",
        RuntimeWarning,
        stacklevel=3,
    )


def solve_direct(X, t, l2=0.0):
    """Minimize J(w, b) exactly by solving the normal equations.

    The normal equations are solved by a Cholesky factorization (never an
    explicit inverse). When Xc^T Xc is singular or so ill-conditioned that the
    normal equations lose too many digits (condition number > 1e10), this
    falls back to a least-squares solve through the SVD of Xc, which returns
    the minimum-norm solution, and warns saying why.

    Parameters
    ----------
    X : (N, D) array or tensor
    t : (N,) array or tensor
    l2 : float, default 0
        The L2 penalty lambda in J = ||Xw + b - t||^2 / (2N) + lambda ||w||^2 / 2;
        scikit-learn's ``Ridge(alpha=N * l2)``. The bias is not penalized.

    Returns
    -------
    w : (D,) same kind as X
    b : float (NumPy input) or 0-d tensor
    """
    xp, (X, t) = _check_Xt(X, t)
    l2 = check_nonneg(l2, "l2")
    N = X.shape[0]
    x_mean, t_mean = xp.mean(X, axis=0), xp.mean(t)
    tc = t - t_mean
    A, r = _centered_gram(xp, X, x_mean, tc)
    if l2 > 0:
        A = A + (N * l2) * xp.eye(A.shape[0], dtype=A.dtype, device=backend.device(A))
    w, cond = _cholesky_solve(xp, A, r)
    if w is None or cond > MAX_CONDITION:
        _warn_fallback(cond)
        w = _lstsq_min_norm(xp, X - x_mean, tc, N * l2)
    b = t_mean - x_mean @ w
    return w, backend.scalar(b)


# ---------------------------------------------------------------------------
# Gradient descent
# ---------------------------------------------------------------------------

#: Descent stops as diverged when the cost exceeds this many times the larger
#: of the starting cost and the cost of predicting 0 (||t||^2 / 2N). Full-batch
#: descent also counts as diverged when it ends with a cost above its starting
#: one: with lr <= the critical rate the cost of full-batch descent never rises.
EXPLODE = 1e4


@dataclass
class GDResult:
    """What `gradient_descent` did.

    Attributes
    ----------
    w : (D,) final weights, same kind as X
    b : float (NumPy input) or 0-d tensor, final bias
    costs : (K+1,) the cost J at the start and after each of the K steps taken
    path : (K+1, D+1) the (w, b) visited, one row per point, b in the last column
    converged : bool
        True when it stopped because ||grad J|| <= tol * ||grad J at the start||
        (always False when ``tol`` is None).
    diverged : bool
        True when it stopped because the cost became non-finite or exploded, or
        (full batch) when it ended with a higher cost than it started with.
    lr : float
    steps : int
        K, the number of steps taken (fewer than asked when it stopped early).
    """

    w: object
    b: object
    costs: object
    path: object
    converged: bool
    diverged: bool
    lr: float
    steps: int

    def __repr__(self):
        how = "converged" if self.converged else "diverged" if self.diverged else "ran all steps"
        return (f"GDResult({how}: {self.steps} steps of lr = {self.lr:.3g}, "
                f"J = {float(self.costs[0]):.6g} -> {float(self.costs[-1]):.6g})")


def _check_Xt(X, t, detach=False):
    X = as_array(X, "X", 2, detach=detach)
    t = as_array(t, "t", 1, detach=detach)
    check_rows("X", X, "t", t)
    return same_kind(X=X, t=t)


def critical_learning_rate(X, iters=None):
    """The critical learning rate 2 / lambda_max of gradient descent on J(w, b).

    J is quadratic in theta = (w, b); its Hessian is the (D+1, D+1) matrix

        H = [X 1]^T [X 1] / N = [[X^T X, X^T 1], [1^T X, N]] / N,

    the same for every t, w and b. Along the eigenvector of H with eigenvalue
    lambda, one step of full-batch gradient descent multiplies the error by
    (1 - lr * lambda): it shrinks for every eigenvector exactly when
    lr < 2 / lambda_max.

    Parameters
    ----------
    X : (N, D) array or tensor
    iters : int, optional
        Estimate lambda_max with this many steps of the power method instead
        of an eigendecomposition: O(N D) each, without forming X^T X (for
        large D). The power method approaches lambda_max from below, so the
        estimate of the critical rate is slightly too large: use a fraction
        of it (half is safe).

    Returns
    -------
    float
    """
    X = as_array(X, "X", 2, detach=True)
    xp, (X,) = same_kind(X=X)
    if iters is None:
        return 2.0 / _top_curvature(xp, _with_ones(xp, X))
    iters = check_nonneg_int(iters, "iters")
    if iters < 1:
        raise ValueError(f"iters must be >= 1, got {iters}")
    N, D = X.shape
    v = xp.asarray(np.random.default_rng(0).normal(size=D + 1), dtype=X.dtype, device=backend.device(X))
    v = v / xp.linalg.vector_norm(v)
    for _ in range(iters):
        u = X @ v[:D] + v[D]  # [X 1] v
        Hv = xp.concat([u @ X, xp.sum(u)[None]]) / N  # [X 1]^T u / N
        lam = float(xp.linalg.vector_norm(Hv))
        v = Hv / lam
    return 2.0 / lam


def lr_regime(lr, critical):
    """Where a learning rate sits relative to the critical one, in words.

    ``"diverge"`` above ``critical`` (the error along the steepest direction grows
    every step); ``"oscillate"`` above ``critical / 2`` (it flips sign every step
    while it shrinks: a zig-zag across the valley); ``"good"`` down to
    ``critical / 20``; ``"crawl"`` below that (every direction shrinks by less
    than 10 % of its steepest possible rate per step).
    """
    lr, critical = check_positive(lr, "lr"), check_positive(critical, "critical")
    ratio = lr / critical
    if ratio > 1:
        return "diverge"
    if ratio > 0.5:
        return "oscillate"
    if ratio >= 0.05:
        return "good"
    return "crawl"


def gradient_descent(X, t, lr, steps, w0=None, b0=0.0, batch_size=None, seed=0, tol=None, precompute=False):
    """Minimize J(w, b) = ||X w + b - t||^2 / (2N) by gradient descent.

    Each step moves (w, b) against the gradient of the cost,

        w <- w - lr * dJ/dw = w - lr * X^T (y - t) / N,
        b <- b - lr * dJ/db = b - lr * mean(y - t),

    on all N examples (full batch) or, with ``batch_size``, on a minibatch of
    the examples (stochastic gradient descent; the examples are shuffled
    every epoch). When the cost becomes non-finite or explodes (10^4 times the
    larger of the starting cost and ||t||^2 / 2N), it stops and warns with a
    `DivergenceWarning` naming ``lr`` and the critical rate. Full-batch descent
    that ends with a higher cost than it started with (which happens only
    above the critical rate) warns too.

    Parameters
    ----------
    X : (N, D) array or tensor
    t : (N,) array or tensor
    lr : float > 0
        The learning rate alpha.
    steps : int >= 0
        The most steps to take.
    w0 : (D,) array, tensor or list, optional
        Starting weights (default: zeros); a list becomes an array of X's kind.
    b0 : float, default 0
        Starting bias.
    batch_size : int, optional
        Examples per step for minibatch SGD (1 <= batch_size <= N). The costs
        recorded (and the ``tol`` test) still use all N examples.
    seed : int, default 0
        Seeds the shuffling of minibatches (the same for NumPy and torch).
    tol : float >= 0, optional
        Stop once ||grad J|| <= tol * ||grad J at the start|| (the full gradient).
    precompute : bool, default False
        Full batch only: compute X^T X, X^T 1, X^T t once (O(N D^2)), after which each
        step costs O(D^2) instead of O(N D). The iterates are the same (up to
        rounding, about 1e-13 relative); the costs are computed from the
        expanded square, so they lose absolute accuracy of about
        1e-16 * ||t||^2 / (2N). Worth it when D << N and steps > D.

    Returns
    -------
    GDResult
        ``.w``, ``.b``, ``.costs``, ``.path``, ``.converged``, ``.diverged``,
        ``.lr``, ``.steps``; arrays of the same kind as X. Tensors that require
        grad are computed on detached: the result holds no autograd graph.
    """
    xp, (X, t) = _check_Xt(X, t, detach=True)
    w, b = _check_start(xp, X, w0, b0)
    lr, steps, batch_size, seed, tol = _check_options(X.shape[0], lr, steps, batch_size, seed, tol, precompute)
    evaluate = _GramStats(xp, X, t).cost_and_gradient if precompute else _full_batch_evaluation(xp, X, t)
    batches = None if batch_size is None else _Minibatches(xp, X, t, batch_size, seed)
    rule = _StoppingRule(xp, t, tol)
    path = []
    with np.errstate(over="ignore", invalid="ignore"):  # an exploding cost is the stopping rule's business
        for k in range(steps + 1):
            J, grad = evaluate(w, b, need_grad=(batches is None and k < steps) or tol is not None)
            if rule.record(J, grad):  # the point is kept when its cost is finite
                path.append(xp.concat([w, b[None]]))
            if rule.stopped or k == steps:
                break
            dw, db = grad if batches is None else batches.gradient(w, b)
            w = w - lr * dw  # the update rule: a step of size lr against the gradient
            b = b - lr * db
    if batches is None and not rule.diverged and rule.rose(X.dtype):
        rule.diverged = True  # full batch: with lr <= critical the cost never rises, so it is diverging
    if rule.diverged:
        _warn_divergence(X, lr, batch_size, rule, k)
    return _result(xp, path, rule, lr)


def _check_start(xp, X, w0, b0):
    """The starting point (w, b) as arrays of X's kind, dtype and device (copies, without autograd graph)."""
    D, dev = X.shape[1], backend.device(X)
    if w0 is None:
        w = xp.zeros((D,), dtype=X.dtype, device=dev)
    else:
        w = as_array(w0, "w0", 1, detach=True)
        if w.shape[0] != D:
            raise ValueError(f"X has {D} columns (features) but w0 has {w.shape[0]} entries; w0 needs shape (D,)")
        if not (backend.is_tensor(w0) or isinstance(w0, np.ndarray)):  # a list: becomes X's kind
            w = xp.asarray(w, dtype=X.dtype, device=dev)
        same_kind(X=X, w0=w)
        w = xp.asarray(w, dtype=X.dtype, device=dev, copy=True)
    b = as_scalar(b0, "b0")
    b = xp.asarray(float(backend.detach(b)), dtype=X.dtype, device=dev)
    return w, b


def _check_options(N, lr, steps, batch_size, seed, tol, precompute):
    lr = check_positive(lr, "lr")
    steps = check_nonneg_int(steps, "steps")
    if batch_size is not None:
        batch_size = check_nonneg_int(batch_size, "batch_size")
        if not 1 <= batch_size <= N:
            raise ValueError(f"batch_size must be between 1 and N = {N}, got {batch_size}")
        if precompute:
            raise ValueError("precompute=True needs full-batch descent (batch_size=None)")
    seed = check_nonneg_int(seed, "seed")
    if tol is not None:
        tol = as_scalar(tol, "tol")
        if tol < 0:
            raise ValueError(f"tol must be >= 0, got {tol}")
    if precompute not in (True, False):
        raise TypeError(f"precompute must be True or False, got {precompute!r}")
    return lr, steps, batch_size, seed, tol


def _full_batch_evaluation(xp, X, t):
    """The evaluation of a full-batch step: `_full_batch`, or for a large X on the CPU the same numbers
    computed a block of rows at a time, so that X is read from memory once per step (`helpers._blocked_step`)."""
    return BlockedFullBatch(X, t) if use_blocked(X) else partial(_full_batch, xp, X, t)


def _full_batch(xp, X, t, w, b, need_grad=True):
    """The cost J(w, b) on all N examples and, when asked, its gradient: the one evaluation of a step.

    One pass computes the residuals r = X w + b - t; then J = r.r / 2N,
    dJ/dw = X^T r / N and dJ/db = mean(r). Returns (J, (dJ/dw, dJ/db) or None).
    This is the readable reference; `_full_batch_evaluation` picks a faster one for large X on the CPU.
    """
    N = X.shape[0]
    r = X @ w + b - t  # residuals y - t
    J = (r @ r) / (2 * N)
    return J, ((r @ X) / N, xp.sum(r) / N) if need_grad else None


class _GramStats:
    """J and its gradient from X^T X, X^T 1, X^T t, 1^T t and t^T t, computed once."""

    def __init__(self, xp, X, t):
        self.xp, self.N = xp, X.shape[0]
        self.G, self.s, self.h = X.T @ X, xp.sum(X, axis=0), t @ X
        self.st, self.tt = xp.sum(t), t @ t

    def cost_and_gradient(self, w, b, need_grad=True):
        N = self.N
        Gw = self.G @ w + self.s * b  # X^T (X w + b)
        u = self.s @ w + N * b  # 1^T (X w + b)
        # ||Xw + b - t||^2 = theta^T [X 1]^T [X 1] theta - 2 [X 1]^T t . theta + t^T t, >= 0 (rounding aside)
        J = self.xp.clip((w @ (Gw - 2 * self.h) + b * (u - 2 * self.st) + self.tt) / (2 * N), min=0)
        return J, ((Gw - self.h) / N, (u - self.st) / N)


class _Minibatches:
    """Gradients on successive minibatches, the examples reshuffled every epoch (NumPy's generator, so
    NumPy and torch runs visit the same examples)."""

    def __init__(self, xp, X, t, batch_size, seed):
        self.xp, self.X, self.t, self.size = xp, X, t, batch_size
        self.rng, self.order, self.next = np.random.default_rng(seed), None, X.shape[0]

    def gradient(self, w, b):
        N = self.X.shape[0]
        if self.next >= N:
            self.order, self.next = self.rng.permutation(N), 0
        idx = self.xp.asarray(self.order[self.next:self.next + self.size], device=backend.device(self.X))
        self.next += self.size
        Xb, tb = self.xp.take(self.X, idx, axis=0), self.xp.take(self.t, idx, axis=0)
        return _full_batch(self.xp, Xb, tb, w, b)[1]


class _StoppingRule:
    """When gradient descent stops, and what it records: the costs of the points it keeps.

    Diverged: the cost became non-finite, or exceeded `EXPLODE` times the larger of the
    starting cost and the cost of predicting 0. Converged: ||grad J|| <= tol ||grad J at the start||.
    """

    def __init__(self, xp, t, tol):
        self.xp, self.tol = xp, tol
        self.scale = max(float(t @ t) / (2 * t.shape[0]), 0.0)  # the cost of predicting 0
        self.costs, self.g0, self.last = [], None, None
        self.converged = self.diverged = False

    @property
    def stopped(self):
        return self.converged or self.diverged

    def record(self, J, grad):
        """Take the cost J (and the gradient) at the current point; False when J is not finite."""
        self.last = float(J)
        if not math.isfinite(self.last):
            if not self.costs:
                raise ValueError(f"the cost at the start is {self.last} (overflow in {J.dtype}); rescale X and t")
            self.diverged = True
            return False
        self.costs.append(J)
        if len(self.costs) == 1:
            self.scale = max(self.scale, self.last)
        elif self.last > EXPLODE * self.scale:
            self.diverged = True
            return True
        if self.tol is not None:
            g_norm = float(self.xp.sqrt(grad[0] @ grad[0] + grad[1] * grad[1]))
            self.g0 = g_norm if self.g0 is None else self.g0
            self.converged = g_norm <= self.tol * self.g0
        return True

    def rose(self, dtype):
        """Whether the last cost is above the first by more than rounding."""
        J0 = float(self.costs[0])
        return float(self.costs[-1]) > J0 + 1e-6 * J0 + 1e3 * float(self.xp.finfo(dtype).eps) * self.scale


def _result(xp, path, rule, lr):
    path = xp.stack(path)
    dev = backend.device(path)
    costs = xp.stack([xp.asarray(c, dtype=path.dtype, device=dev) for c in rule.costs])
    D = path.shape[1] - 1
    w, b = xp.asarray(path[-1, :D], copy=True), path[-1, D]
    return GDResult(w=w, b=backend.scalar(b), costs=costs, path=path,
                    converged=rule.converged, diverged=rule.diverged, lr=lr, steps=path.shape[0] - 1)


def _warn_divergence(X, lr, batch_size, rule, step):
    crit = critical_learning_rate(X)
    J0, J_last = float(rule.costs[0]), rule.last
    what = f"became {J_last}" if not math.isfinite(J_last) else f"went from {J0:.3g} to {J_last:.3g}"
    msg = (f"gradient_descent diverged: the cost {what} after {step} steps. "
           f"The learning rate lr = {lr:.3g} is {lr / crit:.3g} times the critical learning rate "
           f"2/lambda_max = {crit:.3g}")
    if lr > crit:
        msg += "; above it gradient descent diverges. Use a smaller lr (e.g. half the critical one) "
        msg += "or standardize the inputs."
    else:
        msg += (f"; minibatch steps (batch_size = {batch_size}) are noisy and need a learning rate well "
                "below the critical one." if batch_size else ".")
    warnings.warn(msg, DivergenceWarning, stacklevel=3)
