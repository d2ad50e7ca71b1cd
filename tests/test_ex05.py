"""Notebook 05's checkers: each accepts a correct solution and names each typical mistake."""

import pytest
from array_api_compat import array_namespace

from helpers import softmax
from helpers.exercises import check_logistic_from_softmax, check_softmax_cross_entropy, check_softmax_gradients


def _lse(z, axis=1):
    xp = array_namespace(z)
    m = xp.max(z, axis=axis, keepdims=True)
    return m + xp.log(xp.sum(xp.exp(z - m), axis=axis, keepdims=True))


# --- exercise 1: cross_entropy(z, T) -------------------------------------------------------------------------------

def ce_right(z, T):
    xp = array_namespace(z)
    m = xp.max(z, axis=1, keepdims=True)
    log_y = z - m - xp.log(xp.sum(xp.exp(z - m), axis=1, keepdims=True))
    return -(T * log_y).sum() / z.shape[0]


def ce_naive(z, T):  # right formula, but exp(z) overflows for large logits
    xp = array_namespace(z)
    return -(T * xp.log(xp.exp(z) / xp.sum(xp.exp(z), axis=1, keepdims=True))).sum() / z.shape[0]


def ce_sum(z, T):
    return -(T * (z - _lse(z))).sum()


def ce_sign(z, T):
    return (T * (z - _lse(z))).sum() / z.shape[0]


def ce_axis0(z, T):
    return -(T * (z - _lse(z, axis=0))).sum() / z.shape[0]


def ce_mean_all(z, T):
    return -(T * (z - _lse(z))).mean()


def ce_max_dropped(z, T):
    xp = array_namespace(z)
    m = xp.max(z, axis=1, keepdims=True)
    return -(T * (z - xp.log(xp.sum(xp.exp(z - m), axis=1, keepdims=True)))).sum() / z.shape[0]


def ce_torch_always(z, T):
    import torch

    return torch.as_tensor(ce_right(z, T))


# --- exercise 2: softmax_gradients(X, T, W, b) ---------------------------------------------------------------------

def grad_right(X, T, W, b):
    N = X.shape[0]
    E = (softmax(X @ W.T + b) - T) / N
    return E.T @ X, E.sum(0)


def grad_no_1_over_N(X, T, W, b):
    E = softmax(X @ W.T + b) - T
    return E.T @ X, E.sum(0)


def grad_sign(X, T, W, b):
    E = (T - softmax(X @ W.T + b)) / X.shape[0]
    return E.T @ X, E.sum(0)


def grad_transposed(X, T, W, b):
    E = (softmax(X @ W.T + b) - T) / X.shape[0]
    return X.T @ E, E.sum(0)


def grad_axis0(X, T, W, b):
    E = (softmax(X @ W.T + b, axis=0) - T) / X.shape[0]
    return E.T @ X, E.sum(0)


def grad_db_axis(X, T, W, b):
    E = (softmax(X @ W.T + b) - T) / X.shape[0]
    return E.T @ X, E.sum(1)


def grad_no_bias(X, T, W, b):
    E = (softmax(X @ W.T) - T) / X.shape[0]
    return E.T @ X, E.sum(0)


def grad_only_dW(X, T, W, b):
    return grad_right(X, T, W, b)[0]


# --- exercise 3: logistic_from_softmax(W, b) -------------------------------------------------------------------------

def logit_right(W, b):
    return W[1] - W[0], b[1] - b[0]


def not_implemented(*args):
    raise NotImplementedError


def raises_inside(*args):
    return args[0] @ args[0] @ args[0]  # a shape error in the student's own code


TABLE = [
    (check_softmax_cross_entropy, ce_right, None),
    (check_softmax_cross_entropy, ce_naive, "unstable for large logits"),
    (check_softmax_cross_entropy, ce_sum, "missing 1/N"),
    (check_softmax_cross_entropy, ce_sign, "sign error"),
    (check_softmax_cross_entropy, ce_axis0, "wrong axis"),
    (check_softmax_cross_entropy, ce_mean_all, "divided by N*K"),
    (check_softmax_cross_entropy, ce_max_dropped, "max not added back"),
    (check_softmax_cross_entropy, ce_torch_always, "structure"),
    (check_softmax_cross_entropy, not_implemented, "not implemented"),
    (check_softmax_cross_entropy, raises_inside, "exception"),
    (check_softmax_gradients, grad_right, None),
    (check_softmax_gradients, grad_no_1_over_N, "missing 1/N"),
    (check_softmax_gradients, grad_sign, "sign error"),
    (check_softmax_gradients, grad_transposed, "transposed W"),
    (check_softmax_gradients, grad_axis0, "wrong axis"),
    (check_softmax_gradients, grad_db_axis, "db wrong axis"),
    (check_softmax_gradients, grad_no_bias, "bias forgotten"),
    (check_softmax_gradients, grad_only_dW, "structure"),
    (check_softmax_gradients, not_implemented, "not implemented"),
    (check_logistic_from_softmax, logit_right, None),
    (check_logistic_from_softmax, lambda W, b: (W[0] - W[1], b[0] - b[1]), "sign error"),
    (check_logistic_from_softmax, lambda W, b: (W[:, 1] - W[:, 0], b[1] - b[0]), "transposed W"),
    (check_logistic_from_softmax, lambda W, b: (W[1] - W[0], b[1]), "bias not subtracted"),
    (check_logistic_from_softmax, lambda W, b: (W[1] + W[0], b[1] + b[0]), "sum instead of difference"),
    (check_logistic_from_softmax, not_implemented, "not implemented"),
]


@pytest.mark.parametrize("checker,solution,hint", TABLE,
                         ids=[f"{c.__name__}-{h or 'correct'}" for c, _, h in TABLE])
def test_checker_accepts_the_solution_and_names_each_mistake(checker, solution, hint):
    result = checker(solution)
    if hint is None:
        assert result.passed, result.message
        assert result.message.startswith("✔")
    else:
        assert not result.passed
        assert result.hint == hint, result.message
        assert result.message.startswith(("✘", "…"))


def test_the_naive_solution_hint_says_what_to_do():
    msg = check_softmax_cross_entropy(ce_naive).message
    assert "overflows" in msg and "largest logit" in msg
