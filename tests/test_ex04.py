"""Notebook 04's exercise checkers: each accepts the reference solution and rejects each
mistake of its catalog with the expected hint."""

import numpy as np
import pytest
from array_api_compat import array_namespace

from helpers.exercises import check_cross_entropy, check_cross_entropy_gradients, check_logistic_step
from helpers.logistic import logistic_gradients, sigmoid


def not_implemented(*args):
    raise NotImplementedError


# --------------------------------------------------------------------------- exercise 1


def ce_solution(z, t):
    xp = array_namespace(z, t)
    return xp.mean(z.clip(min=0) - t * z + xp.log1p(xp.exp(-xp.abs(z))))


def ce_naive(z, t):
    xp = array_namespace(z, t)
    y = 1 / (1 + xp.exp(-z))
    return xp.mean(-t * xp.log(y) - (1 - t) * xp.log(1 - y))


def ce_clipped(z, t):
    xp = array_namespace(z, t)
    y = (1 / (1 + xp.exp(-z.clip(min=-30, max=30)))).clip(1e-12, 1 - 1e-12)
    return xp.mean(-t * xp.log(y) - (1 - t) * xp.log(1 - y))


def ce_sign(z, t):
    return -ce_solution(z, t)


def ce_sum(z, t):
    return ce_solution(z, t) * z.shape[0]


def ce_swapped(z, t):
    return ce_solution(z, 1 - t)


def ce_only_positive(z, t):
    xp = array_namespace(z, t)
    return xp.mean(t * ((-z).clip(min=0) + xp.log1p(xp.exp(-xp.abs(z)))))


def ce_squared(z, t):
    return ((sigmoid(z) - t) ** 2).mean() / 2


def ce_log2(z, t):
    return ce_solution(z, t) / np.log(2)


def ce_numpy_for_torch(z, t):
    return np.mean(np.asarray(z).clip(min=0) - np.asarray(t) * np.asarray(z) + np.log1p(np.exp(-np.abs(np.asarray(z)))))


CE_TABLE = [
    (ce_sign, "sign error"),
    (ce_sum, "missing 1/N"),
    (ce_swapped, "classes swapped"),
    (ce_only_positive, "t = 0 term missing"),
    (ce_squared, "squared error"),
    (ce_log2, "log base 2"),
    (ce_naive, "unstable for large logits"),
    (ce_clipped, "unstable for large logits"),
    (ce_numpy_for_torch, "structure"),
    (not_implemented, "not implemented"),
]


def test_cross_entropy_checker_accepts_the_solution():
    result = check_cross_entropy(ce_solution)
    assert result.passed, result.message
    assert "very large logits included" in result.message


@pytest.mark.parametrize("wrong, hint", CE_TABLE, ids=[h for _, h in CE_TABLE])
def test_cross_entropy_checker_names_each_mistake(wrong, hint):
    result = check_cross_entropy(wrong)
    assert not result.passed
    assert result.hint == hint, result.message


# --------------------------------------------------------------------------- exercise 2


def grad_solution(X, t, w, b):
    y = sigmoid(X @ w + b)
    N = X.shape[0]
    return (X.T @ (y - t)) / N, (y - t).sum() / N


def grad_naive_sigmoid(X, t, w, b):
    xp = array_namespace(X)
    y = 1 / (1 + xp.exp(-(X @ w + b)))
    return (X.T @ (y - t)) / X.shape[0], (y - t).sum() / X.shape[0]


def grad_sign(X, t, w, b):
    dw, db = grad_solution(X, t, w, b)
    return -dw, -db


def grad_sum(X, t, w, b):
    y = sigmoid(X @ w + b)
    return X.T @ (y - t), (y - t).sum()


def grad_no_bias(X, t, w, b):
    return grad_solution(X, t, w, 0.0)


def grad_linear(X, t, w, b):
    r = X @ w + b - t
    return (X.T @ r) / X.shape[0], r.sum() / X.shape[0]


def grad_db_sum_of_dw(X, t, w, b):
    dw, _ = grad_solution(X, t, w, b)
    return dw, dw.sum()


def grad_only_dw(X, t, w, b):
    return grad_solution(X, t, w, b)[0]


GRAD_TABLE = [
    (grad_sign, "sign error"),
    (grad_sum, "missing 1/N"),
    (grad_no_bias, "bias forgotten"),
    (grad_linear, "no sigmoid"),
    (grad_db_sum_of_dw, "wrong db"),
    (grad_only_dw, "structure"),
    (grad_naive_sigmoid, "unstable for large logits"),
    (not_implemented, "not implemented"),
]


def test_gradient_checker_accepts_the_solution():
    result = check_cross_entropy_gradients(grad_solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", GRAD_TABLE, ids=[h for _, h in GRAD_TABLE])
def test_gradient_checker_names_each_mistake(wrong, hint):
    result = check_cross_entropy_gradients(wrong)
    assert not result.passed
    assert result.hint == hint, result.message


# --------------------------------------------------------------------------- exercise 3


def step_solution(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    return w - lr * (dw + l2 * w), b - lr * db


def step_ascent(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    return w + lr * (dw + l2 * w), b + lr * db


def step_no_lr(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    return w - (dw + l2 * w), b - db


def step_bias_fixed(X, t, w, b, lr, l2):
    dw, _ = logistic_gradients(X, t, w, b)
    return w - lr * (dw + l2 * w), b


def step_no_penalty(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    return w - lr * dw, b - lr * db


def step_bias_penalized(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    return w - lr * (dw + l2 * w), b - lr * (db + l2 * b)


def step_penalty_sign(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    return w - lr * (dw - l2 * w), b - lr * db


def step_sum(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b)
    N = X.shape[0]
    return w - lr * (N * dw + l2 * w), b - lr * N * db


STEP_TABLE = [
    (step_ascent, "sign error"),
    (step_no_lr, "lr forgotten"),
    (step_bias_fixed, "bias not updated"),
    (step_no_penalty, "penalty forgotten"),
    (step_bias_penalized, "bias penalized"),
    (step_penalty_sign, "penalty sign"),
    (step_sum, "missing 1/N"),
    (not_implemented, "not implemented"),
]


def test_step_checker_accepts_the_solution():
    result = check_logistic_step(step_solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", STEP_TABLE, ids=[h for _, h in STEP_TABLE])
def test_step_checker_names_each_mistake(wrong, hint):
    result = check_logistic_step(wrong)
    assert not result.passed
    assert result.hint == hint, result.message


def test_checkers_never_raise_on_garbage():
    for checker in (check_cross_entropy, check_cross_entropy_gradients, check_logistic_step):
        assert not checker(lambda *a: "not a number").passed
        assert not checker(42).passed
