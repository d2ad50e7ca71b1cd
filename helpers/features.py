"""Feature maps, curve-fitting data, splits and errors for notebook 03.

A feature map psi turns the linear model into a nonlinear one without
changing the algorithm: pretend psi(x) is the input,

    y = w^T psi(x),      psi(x) = (1, x, x^2, ..., x^M)      (polynomial, degree M)
                         psi_j(x) = exp(-(x - mu_j)^2 / (2 s^2))   (Gaussian, width s)

and fit w by linear regression on the rows psi(x^(i)). The degree M is a
hyperparameter, chosen on a validation set (`train_val_test_split`, `rmse`).

Each function takes NumPy arrays or torch tensors and returns the same kind
(tensors stay on their device and keep their autograd graph).
"""

import math

import numpy as np

from . import backend
from ._checks import as_array, as_scalar, check_nonneg_int, check_positive, check_rows, same_kind
from .solvers import solve_direct


def polynomial_features(x, degree):
    """The polynomial feature map psi(x) = (1, x, x^2, ..., x^degree), one row per example.

    Parameters
    ----------
    x : (N,) array or tensor
        One input number per example.
    degree : int >= 0
        The degree M of the polynomial.

    Returns
    -------
    Psi : (N, degree + 1) same kind as x
        ``Psi[i, k] = x[i] ** k``; column 0 is all ones (the bias's feature).
        Equals ``numpy.vander(x, degree + 1, increasing=True)``.
    """
    x = as_array(x, "x", 1)
    degree = check_nonneg_int(degree, "degree")
    xp, (x,) = same_kind(x=x)
    powers = xp.arange(degree + 1, dtype=x.dtype, device=backend.device(x))
    return x[:, None] ** powers


def gaussian_features(x, centers, width):
    """Gaussian basis functions psi_j(x) = exp(-(x - mu_j)^2 / (2 s^2)), one column per center.

    There is no constant column: the bias b of the linear model plays that role.

    Parameters
    ----------
    x : (N,) array or tensor
    centers : (M,) array or tensor, same kind as x
        The centers mu_j.
    width : float > 0
        The common width s (the standard deviation of each bump).

    Returns
    -------
    Psi : (N, M) same kind as x
    """
    x = as_array(x, "x", 1)
    centers = as_array(centers, "centers", 1)
    width = check_positive(width, "width")
    xp, (x, centers) = same_kind(x=x, centers=centers)
    d = x[:, None] - centers[None, :]
    return xp.exp(-(d * d) / (2 * width**2))


def fit_polynomial(x, t, degree, l2=0.0):
    """Least-squares polynomial fit: linear regression on psi(x) = polynomial_features(x, degree).

    The constant column of psi is the bias's feature, so this calls
    ``solve_direct(Psi[:, 1:], t, l2)``, which fits the bias itself, and
    returns the bias as the first coefficient. For degree 0 the fit is the
    mean of t. When psi^T psi is too ill-conditioned, `solve_direct` warns
    (a RuntimeWarning) and falls back to an SVD least-squares solve.

    Parameters
    ----------
    x : (N,) array or tensor
    t : (N,) array or tensor, same kind as x
    degree : int >= 0
    l2 : float >= 0, default 0
        L2 penalty on w_1..w_M (not on the bias w_0), as in `solve_direct`.

    Returns
    -------
    w : (degree + 1,) same kind as x
        Coefficients of 1, x, ..., x^degree: the predictions are
        ``polynomial_features(x_new, degree) @ w``.
    """
    x = as_array(x, "x", 1)
    t = as_array(t, "t", 1)
    check_rows("x", x, "t", t)
    degree = check_nonneg_int(degree, "degree")
    xp, (x, t) = same_kind(x=x, t=t)
    zero = xp.zeros((1,), dtype=t.dtype, device=backend.device(t))
    if degree == 0:
        return xp.mean(t) + zero
    w, b = solve_direct(polynomial_features(x, degree)[:, 1:], t, l2=l2)
    return xp.concat([b + zero, w])


def rmse(y, t):
    """Root-mean-square error sqrt(mean((y - t)^2)), in the units of t.

    With the cost J = ||y - t||^2 / (2N) this is sqrt(2 J): unlike J it does
    not grow with N, so training, validation and test sets of different sizes
    can be compared.

    Parameters
    ----------
    y : (N,) array or tensor, predictions
    t : (N,) array or tensor, targets, same kind as y

    Returns
    -------
    float (NumPy input) or 0-d tensor
    """
    y = as_array(y, "y", 1)
    t = as_array(t, "t", 1)
    if y.shape[0] != t.shape[0]:
        raise ValueError(f"y has {y.shape[0]} entries but t has {t.shape[0]}; they must describe the same N examples")
    xp, (y, t) = same_kind(y=y, t=t)
    r = y - t
    e = xp.sqrt(xp.mean(r * r))
    return backend.scalar(e)


def make_curve_data(n, noise=0.3, seed=0):
    """The curve-fitting example of Bishop's PRML, section 1.1.

    x uniform on [0, 1], t = sin(2 pi x) + Gaussian noise of standard deviation ``noise``.

    Parameters
    ----------
    n : int >= 1
        Number of examples N.
    noise : float >= 0, default 0.3
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same seed gives the same data.

    Returns
    -------
    x : (n,) float64 NumPy array
    t : (n,) float64 NumPy array
    """
    n = check_nonneg_int(n, "n")
    if n < 1:
        raise ValueError(f"n must be >= 1 (the number of examples), got {n}")
    noise = as_scalar(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0 (a standard deviation), got {noise}")
    seed = check_nonneg_int(seed, "seed")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=n)
    t = np.sin(2 * np.pi * x) + noise * rng.normal(size=n)
    return x, t


def _check_fractions(fractions):
    try:
        f = [float(v) for v in fractions]
    except (TypeError, ValueError):
        raise TypeError(f"fractions must be three numbers (train, validation, test), got {fractions!r}") from None
    if len(f) != 3:
        raise ValueError(f"fractions must be three numbers (train, validation, test), got {len(f)}: {fractions!r}")
    if not all(math.isfinite(v) and v > 0 for v in f) or abs(sum(f) - 1) > 1e-9:
        raise ValueError(f"fractions must be three numbers > 0 that sum to 1, got {tuple(f)} (sum {sum(f):.6g})")
    return f


def train_val_test_split(X, t, fractions=(0.6, 0.2, 0.2), seed=0):
    """Shuffle the examples and cut them into training, validation and test sets.

    Parameters
    ----------
    X : (N,) or (N, D) array or tensor
    t : (N,) array or tensor, same kind as X
    fractions : three floats > 0 summing to 1, default (0.6, 0.2, 0.2)
        The sizes are ``round(N * fractions[0])`` and ``round(N * fractions[1])``,
        the test set gets the rest; each must hold at least one example.
    seed : int, default 0
        Seed of the shuffle: the same seed gives the same split.

    Returns
    -------
    (X_train, t_train), (X_val, t_val), (X_test, t_test) : same kind as X
        Disjoint sets covering all N examples; rows of X stay paired with t.
    """
    X = as_array(X, "X", (1, 2))
    t = as_array(t, "t", 1)
    check_rows("X", X, "t", t)
    f = _check_fractions(fractions)
    seed = check_nonneg_int(seed, "seed")
    xp, (X, t) = same_kind(X=X, t=t)
    N = X.shape[0]
    n_train, n_val = round(N * f[0]), round(N * f[1])
    sizes = (n_train, n_val, N - n_train - n_val)
    if min(sizes) < 1:
        raise ValueError(
            f"fractions {tuple(f)} of N = {N} examples give sets of sizes {sizes}; each needs at least one example"
        )
    order = xp.asarray(np.random.default_rng(seed).permutation(N), device=backend.device(X))
    cuts = (order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:])
    return tuple((xp.take(X, idx, axis=0), xp.take(t, idx, axis=0)) for idx in cuts)


class Standardizer:
    """Standardize features with statistics of the training set: z = (x - mean) / std.

    Fit it on the training set only, then apply the same `transform` to the
    validation and test sets (their own statistics would leak information
    about them into the model). Constant features get std 1, as in
    scikit-learn's ``StandardScaler``, which this matches.

    Attributes
    ----------
    mean_ : () or (D,) same kind as the training X
    scale_ : () or (D,) the standard deviations (population, ddof=0); 1 where 0
    """

    def __init__(self):
        self.mean_ = None
        self.scale_ = None

    def fit(self, X):
        """Learn the mean and standard deviation of each feature.

        Parameters
        ----------
        X : (N,) or (N, D) array or tensor, the training set

        Returns
        -------
        self
        """
        X = as_array(X, "X", (1, 2))
        xp, (X,) = same_kind(X=X)
        self.mean_ = xp.mean(X, axis=0)
        std = xp.std(X, axis=0)
        self.scale_ = xp.where(std > 0, std, xp.ones_like(std))
        return self

    def _check(self, X, name):
        if self.mean_ is None:
            raise ValueError("this Standardizer is not fitted yet; call fit(X_train) first")
        X = as_array(X, name, (1, 2))
        fitted_ndim = self.mean_.ndim + 1
        if X.ndim != fitted_ndim:
            raise ValueError(
                f"{name} must be {fitted_ndim}-D like the training set the Standardizer was fitted on, "
                f"got a {X.ndim}-D array of shape {tuple(X.shape)}"
            )
        if X.ndim == 2 and X.shape[1] != self.mean_.shape[0]:
            raise ValueError(
                f"{name} has {X.shape[1]} columns (features) but the Standardizer was fitted on "
                f"{self.mean_.shape[0]}"
            )
        _, (X, mean, scale) = same_kind(**{name: X, "the fitted mean_": self.mean_, "scale_": self.scale_})
        return X, mean, scale

    def transform(self, X):
        """z = (X - mean_) / scale_, with the training set's statistics.

        Parameters
        ----------
        X : (N,) or (N, D) array or tensor, like the training set

        Returns
        -------
        Z : same shape and kind as X
        """
        X, mean, scale = self._check(X, "X")
        return (X - mean) / scale

    def fit_transform(self, X):
        """`fit` on X, then `transform` X."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        """x = Z * scale_ + mean_, undoing `transform`."""
        Z, mean, scale = self._check(Z, "Z")
        return Z * scale + mean

    def __repr__(self):
        if self.mean_ is None:
            return "Standardizer(not fitted)"
        mean, scale = (np.array2string(backend.to_numpy(a), precision=4) for a in (self.mean_, self.scale_))
        return f"Standardizer(mean_={mean}, scale_={scale})"

