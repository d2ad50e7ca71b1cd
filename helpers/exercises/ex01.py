"""Checkers for notebook 01's exercises (vectorization)."""

import numpy as np

from ._core import Mistake, catching_output, check, numpy_and_torch


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    sets = []
    for N, D in [(5, 3), (12, 1), (40, 7)]:
        sets.append((rng.normal(size=(N, D)), rng.normal(size=N), rng.normal(size=D), float(rng.normal())))
    return sets


def _ref_predict(X, w, b):
    return X @ w + b


def _ref_cost(X, t, w, b):
    r = X @ w + b - t
    return (r * r).sum() / (2 * X.shape[0])


@catching_output
def check_predict(predict):
    """Check ``predict(X, w, b) -> y`` (N,), written without loops."""
    cases = numpy_and_torch([(X, w, b) for X, _, w, b in _inputs()])
    mistakes = [
        Mistake("you forgot the bias b (y = X w + b).", lambda X, w, b: X @ w, "bias forgotten"),
        Mistake("the bias has the wrong sign (y = X w + b).", lambda X, w, b: X @ w - b, "sign error"),
    ]
    return check("predict", predict, cases, _ref_predict, mistakes)


@catching_output
def check_cost(cost):
    """Check ``cost(X, t, w, b) -> J = ||X w + b - t||^2 / (2N)``."""
    cases = numpy_and_torch([args for args in _inputs()])
    mistakes = [
        Mistake("your J is N times too large: divide the sum by 2N (the 1/N is missing).",
                lambda X, t, w, b: _ref_cost(X, t, w, b) * X.shape[0], "missing 1/N"),
        Mistake("your J is twice too large: the cost is ||y - t||^2 / (2N), with the 1/2.",
                lambda X, t, w, b: 2 * _ref_cost(X, t, w, b), "missing 1/2"),
        Mistake("you forgot the bias b in the predictions.",
                lambda X, t, w, b: _ref_cost(X, t, w, 0.0), "bias forgotten"),
        Mistake("that is the root of the cost; J is the mean of squares over 2, no square root.",
                lambda X, t, w, b: _ref_cost(X, t, w, b) ** 0.5, "square root"),
        Mistake("the residuals are not squared: J sums (y - t)^2.",
                lambda X, t, w, b: (X @ w + b - t).sum() / (2 * X.shape[0]), "not squared"),
    ]
    return check("cost", cost, cases, _ref_cost, mistakes)


def _ref_cost_many(X, t, W, b):
    R = X @ W.T + b - t[:, None]  # (N, K): residuals of every weight vector
    return (R * R).sum(0) / (2 * X.shape[0])


@catching_output
def check_cost_many(cost_many):
    """Check ``cost_many(X, t, W, b) -> (K,)``, the cost of each row of W (K, D), without loops."""
    rng = np.random.default_rng(1)
    sets = []
    for N, D, K in [(6, 2, 4), (20, 3, 1), (15, 1, 9)]:
        sets.append((rng.normal(size=(N, D)), rng.normal(size=N), rng.normal(size=(K, D)), float(rng.normal())))
    cases = numpy_and_torch(sets)
    mistakes = [
        Mistake("you summed over the wrong axis: sum the squared residuals over the N examples (axis 0 of X W^T).",
                lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum(1) / (2 * X.shape[0]), "wrong axis"),
        Mistake("your costs are N times too large: divide by 2N.",
                lambda X, t, W, b: _ref_cost_many(X, t, W, b) * X.shape[0], "missing 1/N"),
        Mistake("you returned one number: return one cost per row of W, shape (K,).",
                lambda X, t, W, b: _ref_cost_many(X, t, W, b).sum(), "summed everything"),
    ]
    return check("cost_many", cost_many, cases, _ref_cost_many, mistakes)
