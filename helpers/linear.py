"""Linear regression in the lecture's notation.

    X : (N, D) inputs, one row per example
    t : (N,)   targets
    w : (D,)   weights,  b : scalar bias
    y = X w + b                      predictions
    J = ||y - t||^2 / (2N)           cost
    dJ/dw = X^T (y - t) / N,  dJ/db = mean(y - t)

Each function takes NumPy arrays or torch tensors and returns the same kind
(tensors stay on their device and keep their autograd graph).

The same design matrix [X 1] and the top eigenvalue of [X 1]^T [X 1] / N (the
curvature of J) also set the safe learning rates of the logistic and softmax fits.
"""

from . import backend
from ._checks import as_array, as_scalar, check_rows, same_kind


def _check_Xw(X, w, b):
    X = as_array(X, "X", 2)
    w = as_array(w, "w", 1)
    b = as_scalar(b, "b")
    if X.shape[1] != w.shape[0]:
        raise ValueError(
            f"X has {X.shape[1]} columns (features) but w has {w.shape[0]} entries; "
            "w needs one weight per feature, shape (D,)"
        )
    xp, (X, w, b_tensor) = same_kind(X=X, w=w, b=None if isinstance(b, float) else b)
    return xp, X, w, b if b_tensor is None else b_tensor


def _residuals(X, t, w, b):
    """The checked inputs' namespace, X, and the residuals r = X w + b - t (N,)."""
    xp, X, w, b = _check_Xw(X, w, b)
    t = as_array(t, "t", 1)
    check_rows("X", X, "t", t)
    _, (X, t, w) = same_kind(X=X, t=t, w=w)
    return xp, X, X @ w + b - t


def predict(X, w, b):
    """Predictions y = X w + b for all N examples at once.

    Parameters
    ----------
    X : (N, D) array or tensor
    w : (D,) array or tensor
    b : float or 0-d tensor

    Returns
    -------
    y : (N,) same kind as X
    """
    _, X, w, b = _check_Xw(X, w, b)
    return X @ w + b


def cost(X, t, w, b):
    """The cost J = ||X w + b - t||^2 / (2N).

    Parameters
    ----------
    X : (N, D), t : (N,), w : (D,), b : scalar

    Returns
    -------
    J : NumPy float or 0-d tensor
    """
    _, X, r = _residuals(X, t, w, b)
    return (r @ r) / (2 * X.shape[0])


def gradients(X, t, w, b):
    """The gradient of J: (dJ/dw, dJ/db) = (X^T (y - t) / N, mean(y - t)).

    Parameters
    ----------
    X : (N, D), t : (N,), w : (D,), b : scalar

    Returns
    -------
    dw : (D,) same kind as X
    db : NumPy float or 0-d tensor
    """
    xp, X, r = _residuals(X, t, w, b)
    N = X.shape[0]
    return (r @ X) / N, xp.sum(r) / N


# ----------------------------------------------------------------------------------------------------------------
# The design matrix and the curvature of a linear model's cost (no input checks: callers have checked)
# ----------------------------------------------------------------------------------------------------------------


def _with_ones(xp, X):
    """[X 1], (N, D+1): the bias b is the weight of a column of ones, so z = [X 1] (w, b)."""
    ones = xp.ones((X.shape[0], 1), dtype=X.dtype, device=backend.device(X))
    return xp.concat([X, ones], axis=1)


def _top_curvature(xp, Xa):
    """lambda_max(Xa^T Xa / N), the largest eigenvalue of the Hessian of J for the design matrix Xa.

    Computed from the smaller of the two Gram matrices Xa^T Xa (D+1, D+1) and Xa Xa^T (N, N),
    which have the same nonzero eigenvalues.
    """
    N, D1 = Xa.shape
    G = Xa.T @ Xa if N >= D1 else Xa @ Xa.T
    return float(xp.max(backend.eigvalsh(G))) / N
