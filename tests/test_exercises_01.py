"""Notebook 01's checkers accept the lecture's code and other right answers, and name each typical mistake.

The assignment asks for NumPy code, so the checkers try NumPy inputs only: the lecture's own
``y = np.dot(X, w) + b; cost = np.sum((y - t) ** 2) / (2. * N)`` must pass.
"""

import numpy as np
import pytest

from helpers.exercises import check_cost, check_cost_grid, check_cost_many, check_predict


def predict_lecture(X, w, b):
    return np.dot(X, w) + b


def cost_lecture(X, t, w, b):  # the slide's two lines, word for word
    N = X.shape[0]
    y = np.dot(X, w) + b
    cost = np.sum((y - t) ** 2) / (2. * N)
    return cost


def cost_right(X, t, w, b):
    r = X @ w + b - t
    return (r * r).sum() / (2 * X.shape[0])


def cost_mean(X, t, w, b):
    return np.mean((X @ w + b - t) ** 2) / 2


def cost_norm(X, t, w, b):
    return np.linalg.norm(X @ w + b - t) ** 2 / (2 * len(t))


def cost_precedence(X, t, w, b):  # the slide's line without its parentheses
    N = len(t)
    return np.sum((np.dot(X, w) + b - t) ** 2) / 2. * N


def not_done(*args):
    raise NotImplementedError


def crashes(X, t, w, b):
    r = X @ w[:-1] + b - t  # a shape bug: drops a weight
    return (r * r).sum() / (2 * len(t))


def grid_broadcast(x, t, w_values, b_values):
    Y = w_values[None, :, None] * x + b_values[:, None, None]
    return ((Y - t) ** 2).mean(-1) / 2


def grid_meshgrid(x, t, w_values, b_values):  # a second right solution, through np.meshgrid and cost_many's idea
    Wg, Bg = np.meshgrid(w_values, b_values)  # (B, W) each
    R = np.multiply.outer(Wg, x) + Bg[..., None] - t
    return (R ** 2).sum(axis=2) / (2 * len(x))


def grid_loop(x, t, w_values, b_values):  # loops over the grid (not over examples): right, if slow
    J = np.zeros((len(b_values), len(w_values)))
    for i, b in enumerate(b_values):
        for j, w in enumerate(w_values):
            J[i, j] = np.sum((w * x + b - t) ** 2) / (2 * len(x))
    return J


CASES = [
    (check_predict, lambda X, w, b: X @ w + b, None),
    (check_predict, predict_lecture, None),
    (check_predict, lambda X, w, b: X.dot(w) + b * np.ones(len(X)), None),
    (check_predict, lambda X, w, b: X @ w, "bias forgotten"),
    (check_predict, lambda X, w, b: X @ w - b, "sign error"),
    (check_predict, lambda X, w, b: (X @ w + b)[:, None], "structure"),
    (check_predict, lambda X, w, b: None, "structure"),
    (check_predict, not_done, "not implemented"),
    (check_cost, cost_lecture, None),
    (check_cost, cost_right, None),
    (check_cost, cost_mean, None),
    (check_cost, cost_norm, None),
    (check_cost, lambda X, t, w, b: float(cost_right(X, t, w, b)), None),  # a Python float is a number too
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, b) * X.shape[0], "missing 1/N"),
    (check_cost, lambda X, t, w, b: 2 * cost_right(X, t, w, b), "missing 1/2"),
    (check_cost, cost_precedence, "precedence"),
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, 0.0), "bias forgotten"),
    (check_cost, lambda X, t, w, b: ((X @ w + b - t).sum()) / (2 * X.shape[0]), "not squared"),
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, b) * X.shape[0] / X.shape[1], "divided by D"),
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, b) / 2, "factor 1/2"),  # the engine's factor hint
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, b) + 1, "wrong values"),
    (check_cost, crashes, "exception"),
    (check_cost, not_done, "not implemented"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).mean(0) / 2, None),
    (check_cost_many, lambda X, t, W, b: np.sum((np.dot(W, X.T) + b - t) ** 2, axis=1) / (2. * len(t)), None),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum(1) / (2 * len(t)), "wrong axis"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum(0) / 2, "missing 1/N"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum() / (2 * len(t)), "summed everything"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[None, :]) ** 2).sum(0) / (2 * len(t)), "exception"),
    (check_cost_grid, grid_broadcast, None),
    (check_cost_grid, grid_meshgrid, None),
    (check_cost_grid, grid_loop, None),
    (check_cost_grid, lambda x, t, wv, bv: grid_broadcast(x, t, wv, bv).T, "transposed"),
    (check_cost_grid, lambda x, t, wv, bv: grid_broadcast(x, t, wv, bv) * len(x), "missing 1/N"),
    (check_cost_grid, lambda x, t, wv, bv: grid_broadcast(x, t, wv, 0 * bv), "bias forgotten"),
    (check_cost_grid, not_done, "not implemented"),
]


@pytest.mark.parametrize("checker, fn, hint", CASES)
def test_checker(checker, fn, hint):
    result = checker(fn)
    if hint is None:
        assert result.passed and "✔" in repr(result), repr(result)
    else:
        assert not result.passed
        assert result.hint == hint, repr(result)


def test_the_lectures_code_passes_on_numpy_inputs_only():
    result = check_cost(cost_lecture)
    assert result.passed and "(NumPy)" in result.message, result.message


def test_exception_is_reported_with_the_students_line():
    result = check_cost(crashes)
    assert "line" in result.message and "X @ w[:-1]" in result.message


def test_checker_never_raises_on_junk():
    assert not check_cost("not a function").passed
    assert not check_cost(lambda X, t, w, b: "text").passed
