"""Notebook 02's exercise checkers: each accepts a correct solution and names each typical mistake.

The solutions below are written the way a student would write them (not taken
from the checkers), NumPy-and-torch-agnostic where the checker tries both.
"""

import numpy as np
import pytest

from helpers.exercises import check_fit_gd, check_gd_step, check_gradients, check_normal_equations

# ----------------------------------------------------------------------------- grad_J


def grad_ok(X, t, w, b):
    y = X @ w + b
    N = len(t)
    return X.T @ (y - t) / N, (y - t).sum() / N


def grad_no_1_over_N(X, t, w, b):
    r = X @ w + b - t
    return X.T @ r, r.sum()


def grad_dw_no_1_over_N(X, t, w, b):
    r = X @ w + b - t
    return X.T @ r, r.mean()


def grad_db_summed(X, t, w, b):
    r = X @ w + b - t
    return X.T @ r / len(t), r.sum()


def grad_t_minus_y(X, t, w, b):
    r = t - (X @ w + b)
    return X.T @ r / len(t), r.mean()


def grad_factor_2(X, t, w, b):
    r = X @ w + b - t
    return 2 * X.T @ r / len(t), 2 * r.mean()


def grad_half(X, t, w, b):  # kept the 1/2 of J
    r = X @ w + b - t
    return X.T @ r / (2 * len(t)), r.mean() / 2


def grad_dw_half(X, t, w, b):  # the 1/2 kept in dJ/dw only: the engine names the factor and the output
    r = X @ w + b - t
    return X.T @ r / (2 * len(t)), r.mean()


def grad_as_list(X, t, w, b):  # [dw, db] instead of (dw, db): accepted
    r = X @ w + b - t
    return [X.T @ r / len(t), r.mean()]


def grad_lecture_sums(X, t, w, b):  # the lecture's sums, written with np.dot on NumPy and @ on tensors
    y = X @ w + b
    N = X.shape[0]
    return (X * (y - t)[:, None]).sum(0) / N, (y - t).sum() / N


def grad_no_bias(X, t, w, b):
    r = X @ w - t
    return X.T @ r / len(t), r.mean()


def grad_swapped(X, t, w, b):
    r = X @ w + b - t
    return r.mean(), X.T @ r / len(t)


def grad_numpy_always(X, t, w, b):
    X, t, w = (np.asarray(a) for a in (X, t, w))
    r = X @ w + float(b) - t
    return X.T @ r / len(t), r.mean()


# ----------------------------------------------------------------------------- gd_step


def step_ok(X, t, w, b, lr):
    r = X @ w + b - t
    dw, db = X.T @ r / len(t), r.mean()
    return w - lr * dw, b - lr * db


def step_uphill(X, t, w, b, lr):
    r = X @ w + b - t
    return w + lr * X.T @ r / len(t), b + lr * r.mean()


def step_no_lr(X, t, w, b, lr):
    r = X @ w + b - t
    return w - X.T @ r / len(t), b - r.mean()


def step_float_b(X, t, w, b, lr):  # b came in as a Python float; float(b - lr * db) is right
    r = X @ w + b - t
    return w - lr * X.T @ r / len(t), float(b - lr * r.mean())


def step_list(X, t, w, b, lr):
    r = X @ w + b - t
    return [w - lr * X.T @ r / len(t), b - lr * r.mean()]


def step_b_fixed(X, t, w, b, lr):
    r = X @ w + b - t
    return w - lr * X.T @ r / len(t), b


def step_sequential(X, t, w, b, lr):
    w = w - lr * X.T @ (X @ w + b - t) / len(t)
    b = b - lr * (X @ w + b - t).mean()
    return w, b


def step_returns_change(X, t, w, b, lr):
    r = X @ w + b - t
    return -lr * X.T @ r / len(t), -lr * r.mean()


# ----------------------------------------------------------------------------- normal equations


def normal_ok(X, t):
    x_mean, t_mean = X.mean(axis=0), t.mean()
    Xc, tc = X - x_mean, t - t_mean
    w = np.linalg.solve(Xc.T @ Xc, Xc.T @ tc)
    return w, t_mean - x_mean @ w


def normal_ok_ones_column(X, t):
    Xa = np.hstack([X, np.ones((len(X), 1))])
    theta = np.linalg.solve(Xa.T @ Xa, Xa.T @ t)
    return theta[:-1], theta[-1]


def normal_through_origin(X, t):
    return np.linalg.solve(X.T @ X, X.T @ t), 0.0


def normal_uncentered(X, t):
    w = np.linalg.solve(X.T @ X, X.T @ t)
    return w, t.mean() - X.mean(0) @ w


def normal_b_sign(X, t):
    Xc, tc = X - X.mean(0), t - t.mean()
    w = np.linalg.solve(Xc.T @ Xc, Xc.T @ tc)
    return w, X.mean(0) @ w - t.mean()


def normal_b_is_mean_t(X, t):
    Xc, tc = X - X.mean(0), t - t.mean()
    return np.linalg.solve(Xc.T @ Xc, Xc.T @ tc), t.mean()


def normal_scaled_one_side(X, t):
    Xc, tc = X - X.mean(0), t - t.mean()
    N = len(t)
    w = np.linalg.solve(Xc.T @ Xc, Xc.T @ tc / N)
    return w, t.mean() - X.mean(0) @ w


# ----------------------------------------------------------------------------- fit_gd (the loop)


def fit_gd_ok(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        r = X @ w + b - t
        dw, db = X.T @ r / len(t), r.mean()
        if np.sqrt(np.sum(dw ** 2) + db ** 2) < tol:
            return w, b, k
        w, b = w - lr * dw, b - lr * db
    return w, b, max_steps


def fit_gd_while(X, t, lr, max_steps, tol):  # a while loop and np.linalg.norm: right
    theta = np.zeros(X.shape[1] + 1)
    Xa = np.column_stack([X, np.ones(len(X))])
    steps = 0
    grad = Xa.T @ (Xa @ theta - t) / len(t)
    while steps < max_steps and np.linalg.norm(grad) >= tol:
        theta = theta - lr * grad
        steps += 1
        grad = Xa.T @ (Xa @ theta - t) / len(t)
    return theta[:-1], theta[-1], steps


def fit_gd_never_stops(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(max_steps):
        r = X @ w + b - t
        w, b = w - lr * X.T @ r / len(t), b - lr * r.mean()
    return w, b, max_steps


def fit_gd_counts_one_more(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        r = X @ w + b - t
        dw, db = X.T @ r / len(t), r.mean()
        if np.sqrt(dw @ dw + db ** 2) < tol:
            return w, b, k + 1
        w, b = w - lr * dw, b - lr * db
    return w, b, max_steps


def fit_gd_tests_after_update(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        r = X @ w + b - t
        w, b = w - lr * X.T @ r / len(t), b - lr * r.mean()
        r = X @ w + b - t
        if np.sqrt(np.sum((X.T @ r / len(t)) ** 2) + r.mean() ** 2) < tol:
            return w, b, k
    return w, b, max_steps


def fit_gd_squared_norm(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        r = X @ w + b - t
        dw, db = X.T @ r / len(t), r.mean()
        if dw @ dw + db ** 2 < tol:
            return w, b, k
        w, b = w - lr * dw, b - lr * db
    return w, b, max_steps


def fit_gd_ignores_db(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        r = X @ w + b - t
        dw, db = X.T @ r / len(t), r.mean()
        if np.linalg.norm(dw) < tol:
            return w, b, k
        w, b = w - lr * dw, b - lr * db
    return w, b, max_steps


def fit_gd_b_fixed(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        r = X @ w + b - t
        dw, db = X.T @ r / len(t), r.mean()
        if np.sqrt(dw @ dw + db ** 2) < tol:
            return w, b, k
        w = w - lr * dw
    return w, b, max_steps


def not_implemented(*args):
    raise NotImplementedError


def raises_shape_error(X, *args):
    return X @ X  # (N, D) @ (N, D): a shape error


TABLE = [
    (check_gradients, grad_ok, None),
    (check_gradients, grad_no_1_over_N, "missing 1/N"),
    (check_gradients, grad_dw_no_1_over_N, "missing 1/N in dJ/dw"),
    (check_gradients, grad_db_summed, "db summed"),
    (check_gradients, grad_t_minus_y, "sign error"),
    (check_gradients, grad_factor_2, "factor 2"),
    (check_gradients, grad_half, "factor 1/2"),
    (check_gradients, grad_dw_half, "factor 1/2"),
    (check_gradients, grad_as_list, None),
    (check_gradients, grad_lecture_sums, None),
    (check_gradients, grad_no_bias, "bias forgotten"),
    (check_gradients, grad_swapped, "swapped"),
    (check_gradients, grad_numpy_always, "structure"),
    (check_gradients, not_implemented, "not implemented"),
    (check_gradients, raises_shape_error, "exception"),
    (check_gd_step, step_ok, None),
    (check_gd_step, step_float_b, None),
    (check_gd_step, step_list, None),
    (check_gd_step, step_uphill, "sign error"),
    (check_gd_step, step_no_lr, "learning rate forgotten"),
    (check_gd_step, step_b_fixed, "bias not updated"),
    (check_gd_step, step_sequential, "sequential update"),
    (check_gd_step, step_returns_change, "returned the step"),
    (check_gd_step, not_implemented, "not implemented"),
    (check_fit_gd, fit_gd_ok, None),
    (check_fit_gd, fit_gd_while, None),
    (check_fit_gd, fit_gd_never_stops, "never stops"),
    (check_fit_gd, fit_gd_counts_one_more, "count off by one"),
    (check_fit_gd, fit_gd_tests_after_update, "count off by one"),
    (check_fit_gd, fit_gd_squared_norm, "squared norm"),
    (check_fit_gd, fit_gd_ignores_db, "norm without db"),
    (check_fit_gd, fit_gd_b_fixed, "bias not updated"),
    (check_fit_gd, not_implemented, "not implemented"),
    (check_fit_gd, raises_shape_error, "exception"),
    (check_normal_equations, normal_ok, None),
    (check_normal_equations, normal_ok_ones_column, None),
    (check_normal_equations, normal_through_origin, "bias forgotten"),
    (check_normal_equations, normal_uncentered, "not centered"),
    (check_normal_equations, normal_b_sign, "sign error in b"),
    (check_normal_equations, normal_b_is_mean_t, "b = mean(t)"),
    (check_normal_equations, normal_scaled_one_side, "scaled one side"),
    (check_normal_equations, not_implemented, "not implemented"),
    (check_normal_equations, raises_shape_error, "exception"),
]


@pytest.mark.parametrize("checker, solution, hint", TABLE, ids=[f"{c.__name__}-{s.__name__}" for c, s, _ in TABLE])
def test_checker(checker, solution, hint):
    result = checker(solution)
    if hint is None:
        assert result.passed, result.message
        assert result.message.startswith("✔")
    else:
        assert not result.passed
        assert result.hint == hint, result.message


def test_checkers_reject_a_non_function():
    assert check_gradients(42).hint == "not a function"


def test_a_half_in_one_gradient_names_that_output_and_the_factor():
    message = check_gradients(grad_dw_half).message
    assert "output 1" in message and "half" in message and "entry" not in message, message
