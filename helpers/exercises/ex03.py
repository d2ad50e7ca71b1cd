"""Checkers for notebook 03's assignment (polynomial regression, the degree chosen on validation data), NumPy.

`check_standardize` (standardizing with the training set's statistics) checks NumPy and torch code.
"""

import numpy as np

from ..features import fit_polynomial, make_curve_data, polynomial_features, rmse
from ._core import Case, Mistake, _to_numpy, catching_output, check, numpy_and_torch, numpy_only


def _np(a):
    return _to_numpy(a).astype(float)


# --- Exercise 1: polynomial features --------------------------------------------------------------------------


def _ref_polynomial_features(x, degree):
    return np.vander(_np(x), degree + 1, increasing=True)


@catching_output
def check_polynomial_features(polynomial_features_fn):
    """Check ``polynomial_features(x, degree) -> Psi`` (N, degree + 1), ``Psi[i, k] = x[i] ** k`` (NumPy)."""
    rng = np.random.default_rng(3)
    sets = [(rng.uniform(-2, 2, size=6), 3), (rng.uniform(0, 1, size=9), 5), (rng.normal(size=4), 0)]
    cases = numpy_only(sets, labels=["N = 6, M = 3", "N = 9, M = 5", "N = 4, M = 0"])
    mistakes = [
        Mistake("your features start at x^1: include the constant feature x^0 = 1 as column 0 "
                "(its weight is the bias), shape (N, M + 1).",
                lambda x, M: _ref_polynomial_features(x, M)[:, 1:], "no constant column"),
        Mistake("you stopped at x^(M-1): the powers run from 0 to M inclusive (range(degree + 1)).",
                lambda x, M: _ref_polynomial_features(x, M)[:, :-1], "one power short"),
        Mistake("your powers decrease (numpy.vander's default order); psi(x) = (1, x, ..., x^M) has increasing "
                "powers, so column k holds x^k.",
                lambda x, M: _ref_polynomial_features(x, M)[:, ::-1], "decreasing powers"),
        Mistake("your Psi is transposed: one ROW per example, shape (N, M + 1).",
                lambda x, M: _ref_polynomial_features(x, M).T, "transposed"),
        Mistake("you multiplied x by k; the features are powers, x ** k.",
                lambda x, M: _np(x)[:, None] * np.arange(M + 1), "multiplied instead of power"),
    ]
    return check("polynomial_features", polynomial_features_fn, cases, _ref_polynomial_features, mistakes)


# --- Step 2: fit by least squares ------------------------------------------------------------------------------


def _ref_fit(x, t, degree):
    return np.linalg.lstsq(_ref_polynomial_features(x, degree), _np(t), rcond=None)[0]


def _fit_cases():
    rng = np.random.default_rng(7)
    cases = []
    for N, M in [(10, 1), (15, 3), (25, 5)]:
        x = rng.uniform(0, 1, size=N)
        cases.append(Case((x, np.sin(2 * np.pi * x) + 0.2 * rng.normal(size=N), M), f"N = {N}, M = {M}"))
    return cases


@catching_output
def check_fit_polynomial(fit_polynomial_fn):
    """Check ``fit_polynomial(x, t, degree) -> w`` (degree + 1,): the least-squares weights of y = Psi w (NumPy)."""
    mistakes = [
        Mistake("your weights are in decreasing powers (np.polyfit's order); w[k] must be the weight of x^k, "
                "so that y = Psi w with Psi's column k = x^k.", lambda x, t, M: _ref_fit(x, t, M)[::-1],
                "decreasing powers"),
        Mistake("your fit has no constant feature: the model passes through the origin. Column 0 of Psi is the "
                "constant 1, and its weight w[0] is the bias.",
                lambda x, t, M: np.concatenate([[0.0], np.linalg.lstsq(_ref_polynomial_features(x, M)[:, 1:],
                                                                     _np(t), rcond=None)[0]]), "no constant column"),
        Mistake("you fitted degree M - 1: Psi for degree M has M + 1 columns (powers 0..M).",
                lambda x, t, M: np.append(_ref_fit(x, t, M - 1), 0.0), "one power short"),
    ]
    return check("fit_polynomial", fit_polynomial_fn, _fit_cases(), _ref_fit, mistakes, rtol=1e-6, atol=1e-8)


# --- Exercise 2: standardize with the training set's statistics ------------------------------------------------


def _standardize_with(x, mean, std):
    return (_np(x) - mean) / std


def _ref_standardize(x_train, x_other):
    m, s = _np(x_train).mean(), _np(x_train).std()
    return _standardize_with(x_train, m, s), _standardize_with(x_other, m, s)


def _own_statistics(x_train, x_other):
    o = _np(x_other)
    return _ref_standardize(x_train, x_other)[0], (o - o.mean()) / o.std()


def _only_centered(x_train, x_other):
    m = _np(x_train).mean()
    return _np(x_train) - m, _np(x_other) - m


def _by_variance(x_train, x_other):
    m, v = _np(x_train).mean(), _np(x_train).var()
    return _standardize_with(x_train, m, v), _standardize_with(x_other, m, v)


def _sample_std(x_train, x_other):
    m, s = _np(x_train).mean(), _np(x_train).std(ddof=1)
    return _standardize_with(x_train, m, s), _standardize_with(x_other, m, s)


@catching_output
def check_standardize(standardize):
    """Check ``standardize(x_train, x_other) -> (z_train, z_other)`` with the training set's mean and std."""
    rng = np.random.default_rng(4)
    sets = [(rng.uniform(0, 1, size=10), rng.uniform(0.2, 1.4, size=7)),
            (rng.normal(5, 2, size=25), rng.normal(3, 4, size=12))]
    cases = numpy_and_torch(sets)
    mistakes = [
        Mistake("x_other was standardized with its own mean and std. Use the TRAINING set's statistics for "
                "every set: fit on the training data, apply to the others (else the model peeks at them).",
                _own_statistics, "own statistics"),
        Mistake("you only subtracted the mean; divide by the training set's standard deviation too.",
                _only_centered, "not scaled"),
        Mistake("you divided by the variance; divide by the standard deviation (its square root).",
                _by_variance, "variance"),
        Mistake("you used the sample standard deviation (dividing by N - 1, torch's .std() default); "
                "use the population one, dividing by N (as NumPy's .std() and scikit-learn's StandardScaler do).",
                _sample_std, "N - 1"),
    ]
    return check("standardize", standardize, cases, _ref_standardize, mistakes)


# --- Exercise 3: choose the degree on validation data ----------------------------------------------------------


def _errors(x_train, t_train, x_eval, t_eval, degrees):
    return [rmse(polynomial_features(x_eval, M) @ fit_polynomial(x_train, t_train, M), t_eval) for M in degrees]


def _ref_choose_degree(x_train, t_train, x_val, t_val, degrees):
    return degrees[int(np.argmin(_errors(x_train, t_train, x_val, t_val, degrees)))]


def _choose_on_training(x_train, t_train, x_val, t_val, degrees):
    return degrees[int(np.argmin(_errors(x_train, t_train, x_train, t_train, degrees)))]


def _fit_on_validation(x_train, t_train, x_val, t_val, degrees):  # the two sets' roles swapped
    return degrees[int(np.argmin(_errors(x_val, t_val, x_train, t_train, degrees)))]


def _returned_position(x_train, t_train, x_val, t_val, degrees):
    return int(np.argmin(_errors(x_train, t_train, x_val, t_val, degrees)))


def _largest_error(x_train, t_train, x_val, t_val, degrees):
    return degrees[int(np.argmax(_errors(x_train, t_train, x_val, t_val, degrees)))]


def _returned_error(x_train, t_train, x_val, t_val, degrees):
    return min(_errors(x_train, t_train, x_val, t_val, degrees))


def _choose_degree_cases():
    """Curve data (NumPy) with validation minima away from the ends of ``degrees``; no ill-conditioned fits.

    On seed 7, fitting on the validation data and scoring on the training data picks 4, not 3: that mistake fails.
    """
    cases = []
    for seed, degrees in [(1, [0, 1, 2, 3, 4, 5, 6]), (2, [1, 2, 3, 4, 5, 6]), (5, [2, 3, 4, 5, 6]),
                          (7, [1, 2, 3, 4, 5, 6])]:
        x, t = make_curve_data(60, seed=seed)
        cases.append(Case((x[:20], t[:20], x[20:], t[20:], degrees), f"degrees {degrees[0]}..{degrees[-1]}"))
    return cases


@catching_output
def check_choose_degree(choose_degree):
    """Check ``choose_degree(x_train, t_train, x_val, t_val, degrees) -> M`` (the validation minimum)."""
    mistakes = [
        Mistake("you chose the degree with the smallest TRAINING error, which is (nearly) always the largest "
                "degree; compare the fits on the validation data.", _choose_on_training, "training error"),
        Mistake("you fitted on the VALIDATION data and measured the error on the training data: the roles are "
                "swapped. Fit each degree to (x_train, t_train), then measure it on (x_val, t_val).",
                _fit_on_validation, "roles swapped"),
        Mistake("you returned the position of the best degree in `degrees`, not the degree: return degrees[k].",
                _returned_position, "position"),
        Mistake("you picked the LARGEST validation error; the best degree has the smallest (argmin).",
                _largest_error, "argmax"),
        Mistake("you returned the smallest validation error; return the degree that achieves it.",
                _returned_error, "returned the error"),
    ]
    return check("choose_degree", choose_degree, _choose_degree_cases(), _ref_choose_degree, mistakes)
