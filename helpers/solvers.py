"""Fitting linear regression: the direct solution (normal equations).

The cost with an optional L2 penalty (``l2`` = lambda),

    J(w, b) = ||X w + b - t||^2 / (2N) + (lambda / 2) ||w||^2,

is minimized where its gradient is zero. With centered data
Xc = X - mean(X), tc = t - mean(t) that gives the normal equations

    (Xc^T Xc + N lambda I) w = Xc^T tc,      b = mean(t) - mean(X) w.

This equals scikit-learn's ``Ridge(alpha=N * lambda)`` (which minimizes
||Xw + b - t||^2 + alpha ||w||^2) and ``LinearRegression`` for lambda = 0.
"""

import math
import warnings

from array_api_compat import is_torch_array

from ._checks import as_array, check_rows, same_kind

#: Above this condition number of Xc^T Xc (squared that of Xc) the normal
#: equations lose too many digits, and the SVD least-squares solve is used.
MAX_CONDITION = 1e10


def _cholesky_solve(xp, A, r):
    """Solve A w = r for symmetric positive definite A; None when A is not (numerically) SPD."""
    if is_torch_array(A):
        import torch

        L, info = torch.linalg.cholesky_ex(A)
        if int(info) != 0:
            return None, math.inf
        w = torch.cholesky_solve(r[:, None], L)[:, 0]
    else:
        import numpy as np
        import scipy.linalg

        try:
            L = np.linalg.cholesky(A)
        except np.linalg.LinAlgError:
            return None, math.inf
        w = scipy.linalg.cho_solve((L, True), r, check_finite=False)
    d = xp.abs(xp.linalg.diagonal(L)) if hasattr(xp.linalg, "diagonal") else xp.abs(xp.diagonal(L))
    cond = float(xp.max(d) / xp.min(d)) ** 2 if float(xp.min(d)) > 0 else math.inf
    return w, cond


def _lstsq_min_norm(xp, Xc, tc, l2_total):
    """Minimum-norm least squares through the SVD (rank-revealing, no normal equations)."""
    U, s, Vt = xp.linalg.svd(Xc, full_matrices=False)
    eps = float(xp.finfo(Xc.dtype).eps)
    keep = s > max(Xc.shape) * eps * float(s[0])
    filt = xp.where(keep, s / (s * s + l2_total), xp.zeros_like(s))
    return Vt.T @ (filt * (U.T @ tc))


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
    X = as_array(X, "X", 2)
    t = as_array(t, "t", 1)
    check_rows("X", X, "t", t)
    xp, (X, t) = same_kind(X=X, t=t)
    l2 = float(l2)
    if not math.isfinite(l2) or l2 < 0:
        raise ValueError(f"l2 must be a finite number >= 0, got {l2}")
    N = X.shape[0]
    x_mean, t_mean = xp.mean(X, axis=0), xp.mean(t)
    Xc, tc = X - x_mean, t - t_mean
    A = Xc.T @ Xc
    if l2 > 0:
        A = A + (N * l2) * xp.eye(A.shape[0], dtype=A.dtype, device=getattr(A, "device", None))
    w, cond = _cholesky_solve(xp, A, Xc.T @ tc)
    if w is None or cond > MAX_CONDITION:
        why = "singular (a feature is constant or a combination of others)" if w is None or math.isinf(cond) \
            else f"ill-conditioned (condition number about {cond:.1e} > {MAX_CONDITION:.0e})"
        warnings.warn(
            f"solve_direct: X^T X (centered) is {why}; using a least-squares solve through the SVD, "
            "which returns the minimum-norm solution",
            RuntimeWarning,
            stacklevel=2,
        )
        w = _lstsq_min_norm(xp, Xc, tc, N * l2)
    b = t_mean - x_mean @ w
    return w, (float(b) if not is_torch_array(b) else b)
