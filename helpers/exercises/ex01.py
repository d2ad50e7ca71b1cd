"""Checkers for notebook 01's assignment (vectorized predictions and costs).

The assignment asks for NumPy code (the lecture's ``np.dot(X, w) + b``), so every input is a NumPy array: the
lecture's own lines pass. Notebook 01 shows separately that the same expressions run on torch tensors.
"""

import numpy as np

from ._core import Mistake, catching_output, check, numpy_only


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
    """Check ``predict(X, w, b) -> y`` (N,), written without loops (NumPy)."""
    cases = numpy_only([(X, w, b) for X, _, w, b in _inputs()],
                       labels=["N = 5, D = 3", "N = 12, D = 1", "N = 40, D = 7"])
    mistakes = [
        Mistake("you forgot the bias b (y = X w + b).", lambda X, w, b: X @ w, "bias forgotten"),
        Mistake("the bias has the wrong sign (y = X w + b).", lambda X, w, b: X @ w - b, "sign error"),
    ]
    return check("predict", predict, cases, _ref_predict, mistakes)


@catching_output
def check_cost(cost):
    """Check ``cost(X, t, w, b) -> J = ||X w + b - t||^2 / (2N)`` (NumPy)."""
    cases = numpy_only(_inputs())
    mistakes = [
        Mistake("your J is N times too large: divide the sum by 2N (the 1/N is missing).",
                lambda X, t, w, b: _ref_cost(X, t, w, b) * X.shape[0], "missing 1/N"),
        Mistake("your J is twice too large: the cost is ||y - t||^2 / (2N), with the 1/2.",
                lambda X, t, w, b: 2 * _ref_cost(X, t, w, b), "missing 1/2"),
        Mistake("your J is N^2 times too large: `/ 2. * N` divides by 2 and then MULTIPLIES by N; "
                "write `/ (2. * N)` with the parentheses.",
                lambda X, t, w, b: _ref_cost(X, t, w, b) * X.shape[0] ** 2, "precedence"),
        Mistake("you forgot the bias b in the predictions.",
                lambda X, t, w, b: _ref_cost(X, t, w, 0.0), "bias forgotten"),
        Mistake("that is the root of the cost; J is the mean of squares over 2, no square root.",
                lambda X, t, w, b: _ref_cost(X, t, w, b) ** 0.5, "square root"),
        Mistake("the residuals are not squared: J sums (y - t)^2.",
                lambda X, t, w, b: (X @ w + b - t).sum() / (2 * X.shape[0]), "not squared"),
        Mistake("you divided by D, the number of features; J averages over the N examples: divide by 2N.",
                lambda X, t, w, b: _ref_cost(X, t, w, b) * X.shape[0] / X.shape[1], "divided by D"),
    ]
    return check("cost", cost, cases, _ref_cost, mistakes)


def _ref_cost_many(X, t, W, b):
    R = X @ W.T + b - t[:, None]  # (N, K): residuals of every weight vector
    return (R * R).sum(0) / (2 * X.shape[0])


@catching_output
def check_cost_many(cost_many):
    """Check ``cost_many(X, t, W, b) -> (K,)``, the cost of each row of W (K, D), without loops (NumPy)."""
    rng = np.random.default_rng(1)
    sets = []
    for N, D, K in [(6, 2, 4), (20, 3, 1), (15, 1, 9)]:
        sets.append((rng.normal(size=(N, D)), rng.normal(size=N), rng.normal(size=(K, D)), float(rng.normal())))
    cases = numpy_only(sets, labels=["N = 6, D = 2, K = 4", "N = 20, D = 3, K = 1", "N = 15, D = 1, K = 9"])
    mistakes = [
        Mistake("you summed over the wrong axis: sum the squared residuals over the N examples (axis 0 of X W^T).",
                lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum(1) / (2 * X.shape[0]), "wrong axis"),
        Mistake("your costs are N times too large: divide by 2N.",
                lambda X, t, W, b: _ref_cost_many(X, t, W, b) * X.shape[0], "missing 1/N"),
        Mistake("you returned one number: return one cost per row of W, shape (K,).",
                lambda X, t, W, b: _ref_cost_many(X, t, W, b).sum(), "summed everything"),
    ]
    return check("cost_many", cost_many, cases, _ref_cost_many, mistakes)


def _ref_cost_grid(x, t, w_values, b_values):
    Y = w_values[None, :, None] * x + b_values[:, None, None]  # (B, W, N): every line's predictions
    return ((Y - t) ** 2).sum(-1) / (2 * len(t))


@catching_output
def check_cost_grid(cost_grid):
    """Check ``cost_grid(x, t, w_values, b_values) -> (len(b_values), len(w_values))``: J(w, b) on a grid, D = 1."""
    rng = np.random.default_rng(2)
    sets = []
    for N, nw, nb in [(8, 5, 3), (30, 1, 4), (12, 7, 7)]:
        sets.append((rng.normal(size=N), rng.normal(size=N), np.linspace(-2, 2, nw) + 0.1, np.linspace(-1, 3, nb)))
    cases = numpy_only(sets, labels=["5 w by 3 b", "1 w by 4 b", "7 w by 7 b"])
    mistakes = [
        Mistake("your grid is transposed: row i must hold b_values[i], column j w_values[j] "
                "(shape (len(b_values), len(w_values)), as plt.contour(w_values, b_values, J) expects).",
                lambda x, t, wv, bv: _ref_cost_grid(x, t, wv, bv).T, "transposed"),
        Mistake("your costs are N times too large: divide by 2N.",
                lambda x, t, wv, bv: _ref_cost_grid(x, t, wv, bv) * len(t), "missing 1/N"),
        Mistake("the bias is missing from the predictions: y = w x + b for every (w, b) of the grid.",
                lambda x, t, wv, bv: _ref_cost_grid(x, t, wv, 0 * bv), "bias forgotten"),
    ]
    return check("cost_grid", cost_grid, cases, _ref_cost_grid, mistakes)
