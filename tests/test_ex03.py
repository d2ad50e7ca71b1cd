"""Notebook 03's exercise checkers: they accept the solution and name each cataloged mistake."""

import numpy as np
import pytest
from array_api_compat import array_namespace, device

from helpers.exercises import check_choose_degree, check_fit_polynomial, check_polynomial_features, check_standardize
from helpers.features import fit_polynomial, polynomial_features, rmse


def poly_solution(x, degree):
    xp = array_namespace(x)
    return x[:, None] ** xp.arange(degree + 1, dtype=x.dtype, device=device(x))


def poly_loop(x, degree):  # a correct, differently written solution
    xp = array_namespace(x)
    return xp.stack([x**k for k in range(degree + 1)], axis=1)


def standardize_solution(x_train, x_other):
    mean = x_train.mean()
    std = ((x_train - mean) ** 2).mean() ** 0.5
    return (x_train - mean) / std, (x_other - mean) / std


def choose_solution(x_train, t_train, x_val, t_val, degrees):
    errors = [rmse(polynomial_features(x_val, M) @ fit_polynomial(x_train, t_train, M), t_val) for M in degrees]
    return degrees[int(np.argmin(errors))]


def fit_lstsq(x, t, degree):
    Psi = x[:, None] ** np.arange(degree + 1)
    return np.linalg.lstsq(Psi, t, rcond=None)[0]


def fit_normal_equations(x, t, degree):  # a correct, differently written solution (fine at these low degrees)
    Psi = np.vander(x, degree + 1, increasing=True)
    return np.linalg.solve(Psi.T @ Psi, Psi.T @ t)


def fit_polyfit(x, t, degree):  # NumPy's polynomial module, lowest power first: right
    return np.polynomial.polynomial.polyfit(x, t, degree)


def choose_loop(x_train, t_train, x_val, t_val, degrees):  # a second correct solution, written out
    best, best_error = None, np.inf
    for M in degrees:
        Psi = np.vander(x_train, M + 1, increasing=True)
        w = np.linalg.lstsq(Psi, t_train, rcond=None)[0]
        error = np.sqrt(np.mean((np.vander(x_val, M + 1, increasing=True) @ w - t_val) ** 2))
        if error < best_error:
            best, best_error = M, error
    return best


def choose_mse(x_train, t_train, x_val, t_val, degrees):  # the mean squared error picks the same degree: right
    errors = [np.mean((polynomial_features(x_val, M) @ fit_polynomial(x_train, t_train, M) - t_val) ** 2)
              for M in degrees]
    return degrees[int(np.argmin(errors))]


def choose_swapped(x_train, t_train, x_val, t_val, degrees):  # fits on validation, scores on training
    return choose_solution(x_val, t_val, x_train, t_train, degrees)


def _train_errors(x_train, t_train, degrees):
    return [rmse(polynomial_features(x_train, M) @ fit_polynomial(x_train, t_train, M), t_train) for M in degrees]


def _val_errors(x_train, t_train, x_val, t_val, degrees):
    return [rmse(polynomial_features(x_val, M) @ fit_polynomial(x_train, t_train, M), t_val) for M in degrees]


def not_implemented(*args):
    raise NotImplementedError


def _xp(a):
    return array_namespace(a)


CASES = [
    # (checker, student function, expected hint key; "" means it passes)
    (check_polynomial_features, poly_solution, ""),
    (check_polynomial_features, poly_loop, ""),
    (check_polynomial_features, lambda x, M: poly_solution(x, M)[:, 1:], "no constant column"),
    (check_polynomial_features, lambda x, M: poly_solution(x, M)[:, :-1], "one power short"),
    (check_polynomial_features, lambda x, M: _xp(x).flip(poly_solution(x, M), axis=1), "decreasing powers"),
    (check_polynomial_features, lambda x, M: poly_solution(x, M).T, "transposed"),
    (check_polynomial_features,
     lambda x, M: x[:, None] * _xp(x).arange(M + 1, dtype=x.dtype), "multiplied instead of power"),
    (check_polynomial_features, lambda x, M: np.vander(x, M + 1, increasing=True), ""),  # NumPy's own: right
    (check_polynomial_features, not_implemented, "not implemented"),
    (check_fit_polynomial, fit_lstsq, ""),
    (check_fit_polynomial, fit_normal_equations, ""),
    (check_fit_polynomial, fit_polyfit, ""),
    (check_fit_polynomial, lambda x, t, M: np.polyfit(x, t, M), "decreasing powers"),
    (check_fit_polynomial, lambda x, t, M: np.append(0.0, np.linalg.lstsq(x[:, None] ** np.arange(1, M + 1), t,
                                                                         rcond=None)[0]), "no constant column"),
    (check_fit_polynomial, lambda x, t, M: np.append(fit_lstsq(x, t, M - 1), 0.0), "one power short"),
    (check_fit_polynomial, lambda x, t, M: fit_lstsq(x, t, M - 1), "structure"),
    (check_fit_polynomial, not_implemented, "not implemented"),
    (check_choose_degree, choose_loop, ""),
    (check_choose_degree, choose_mse, ""),
    (check_choose_degree, choose_swapped, "roles swapped"),
    (check_standardize, standardize_solution, ""),
    (check_standardize, lambda a, o: ((a - a.mean()) / ((a - a.mean()) ** 2).mean() ** 0.5,
                                      (o - o.mean()) / ((o - o.mean()) ** 2).mean() ** 0.5), "own statistics"),
    (check_standardize, lambda a, o: (a - a.mean(), o - a.mean()), "not scaled"),
    (check_standardize, lambda a, o: ((a - a.mean()) / ((a - a.mean()) ** 2).mean(),
                                      (o - a.mean()) / ((a - a.mean()) ** 2).mean()), "variance"),
    (check_standardize, lambda a, o: ((a - a.mean()) / (((a - a.mean()) ** 2).sum() / (len(a) - 1)) ** 0.5,
                                      (o - a.mean()) / (((a - a.mean()) ** 2).sum() / (len(a) - 1)) ** 0.5), "N - 1"),
    (check_standardize, lambda a, o: standardize_solution(a, o)[1], "structure"),
    (check_standardize, not_implemented, "not implemented"),
    (check_choose_degree, choose_solution, ""),
    (check_choose_degree,
     lambda xa, ta, xv, tv, ds: ds[int(np.argmin(_train_errors(xa, ta, ds)))], "training error"),
    (check_choose_degree,
     lambda xa, ta, xv, tv, ds: int(np.argmin(_val_errors(xa, ta, xv, tv, ds))), "position"),
    (check_choose_degree,
     lambda xa, ta, xv, tv, ds: ds[int(np.argmax(_val_errors(xa, ta, xv, tv, ds)))], "argmax"),
    (check_choose_degree, lambda xa, ta, xv, tv, ds: min(_val_errors(xa, ta, xv, tv, ds)), "returned the error"),
    (check_choose_degree, lambda xa, ta, xv, tv, ds: None, "structure"),
    (check_choose_degree, not_implemented, "not implemented"),
]


@pytest.mark.parametrize("checker, fn, hint", CASES, ids=[f"{c.__name__}:{h or 'pass'}" for c, _, h in CASES])
def test_checker_table(checker, fn, hint):
    result = checker(fn)
    assert bool(result) == (hint == ""), result.message
    if hint:
        assert result.hint == hint, result.message


def test_checker_reports_an_exception_with_its_line():
    def broken(x, degree):
        return x[:, None] ** undefined_name  # noqa: F821

    result = check_polynomial_features(broken)
    assert not result and result.hint == "exception" and "NameError" in result.message
