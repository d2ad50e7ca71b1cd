"""Notebook 05's assignment checkers, tried the way students fail them: several correct solutions written
differently pass; each typical wrong one fails with its targeted hint. The checkers' references are checked
against independent ones (scipy's log_softmax, finite differences, PyTorch's SGD order-free full-batch case)."""

import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import logsumexp
from scipy.special import softmax as scipy_softmax

from helpers import softmax
from helpers.exercises import check_softmax_cross_entropy, check_softmax_gradients, check_train_softmax


def not_implemented(*args):
    raise NotImplementedError


# --- step 1: cross_entropy(z, T) ----------------------------------------------------------------------------------

def ce_shift(z, T):
    m = z.max(axis=1, keepdims=True)
    log_y = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -(T * log_y).sum() / z.shape[0]


def ce_logsumexp(z, T):
    return np.mean(logsumexp(z, axis=1) - np.sum(T * z, axis=1))


def ce_picked(z, T):  # the right class's log-probability only, written with a loop over examples
    total = 0.0
    for zi, ti in zip(z, T):
        m = np.max(zi)
        total += m + np.log(np.sum(np.exp(zi - m))) - zi[np.argmax(ti)]
    return total / len(z)


def ce_scipy(z, T):
    return -np.sum(T * scipy_log_softmax(z, axis=1)) / len(z)


def ce_naive(z, T):  # exp(z) overflows
    y = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return -(T * np.log(y)).sum() / len(z)


def ce_log_of_shifted_softmax(z, T):  # shifted (no overflow), but log(softmax) underflows to log(0)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return -(T * np.log(e / e.sum(axis=1, keepdims=True))).sum() / len(z)


def ce_log_of_helpers_softmax(z, T):
    return -np.sum(T * np.log(softmax(z, axis=1))) / len(z)


def ce_epsilon(z, T):
    return -(T * np.log(softmax(z, axis=1) + 1e-12)).sum() / len(z)


CE_RIGHT = [ce_shift, ce_logsumexp, ce_picked, ce_scipy]
CE_WRONG = [
    (not_implemented, "not implemented yet"),
    (lambda z, T: ce_shift(z, T) * len(z), "the 1/N is missing"),
    (lambda z, T: -ce_shift(z, T), "sign error"),
    (lambda z, T: -(T * scipy_log_softmax(z, axis=0)).sum() / len(z), "wrong axis"),
    (lambda z, T: ce_shift(z, T) / z.shape[1], "divided by N*K"),
    (lambda z, T: -(T * (z - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)))).sum() / len(z),
     "did not add it back"),
    (lambda z, T: -(T * z).sum() / len(z), "log-sum-exp term"),
    (ce_naive, "exp(z) overflows"),
    (ce_log_of_shifted_softmax, "no overflow any more, but NaN or inf"),
    (ce_log_of_helpers_softmax, "Do not take the log of the softmax"),
    (ce_epsilon, "An epsilon inside the log"),
]


@pytest.mark.parametrize("solution", CE_RIGHT, ids=[f.__name__ for f in CE_RIGHT])
def test_cross_entropy_checker_accepts_correct_solutions_written_differently(solution):
    result = check_softmax_cross_entropy(solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", CE_WRONG, ids=[h for _, h in CE_WRONG])
def test_cross_entropy_checker_names_each_mistake(wrong, hint):
    result = check_softmax_cross_entropy(wrong)
    assert not result.passed and hint in result.message, result.message


def test_a_shifted_softmax_that_underflows_does_not_get_the_overflow_hint():
    result = check_softmax_cross_entropy(ce_log_of_shifted_softmax)
    assert result.hint == "log of 0" and "exp(z) overflows" not in result.message
    assert check_softmax_cross_entropy(ce_naive).hint == "overflow"


def test_the_large_inputs_really_separate_the_three_solutions():
    """The overflow case breaks only the unshifted softmax; the underflow case also the log of a shifted one."""
    from helpers.exercises.ex05 import _overflow_inputs, _ref_cross_entropy, _underflow_inputs

    with np.errstate(all="ignore"):
        z, T = _overflow_inputs()
        assert not np.isfinite(ce_naive(z, T)) and np.isfinite(ce_log_of_shifted_softmax(z, T))
        z, T = _underflow_inputs()
        assert not np.isfinite(ce_log_of_shifted_softmax(z, T))
    for z, T in (_overflow_inputs(), _underflow_inputs()):
        assert np.isclose(_ref_cross_entropy(z, T), ce_scipy(z, T), rtol=1e-12)


# --- step 2: softmax_gradients(X, T, W, b) ------------------------------------------------------------------------

def grad_right(X, T, W, b):
    E = (softmax(X @ W.T + b, axis=1) - T) / X.shape[0]
    return E.T @ X, E.sum(axis=0)


def grad_scipy_einsum(X, T, W, b):
    Y = scipy_softmax(np.einsum("kd,nd->nk", W, X) + b, axis=1)
    return np.einsum("nk,nd->kd", Y - T, X) / len(X), np.mean(Y - T, axis=0)


def grad_loop(X, T, W, b):
    dW, db = np.zeros_like(W), np.zeros_like(b)
    for x, t in zip(X, T):
        y = scipy_softmax(W @ x + b)
        dW += np.outer(y - t, x) / len(X)
        db += (y - t) / len(X)
    return dW, db


def grad_as_list(X, T, W, b):
    return list(grad_right(X, T, W, b))


GRAD_RIGHT = [grad_right, grad_scipy_einsum, grad_loop, grad_as_list]
GRAD_WRONG = [
    (not_implemented, "not implemented yet"),
    (lambda X, T, W, b: tuple(g * len(X) for g in grad_right(X, T, W, b)), "the 1/N is missing"),
    (lambda X, T, W, b: tuple(-g for g in grad_right(X, T, W, b)), "sign error"),
    (lambda X, T, W, b: tuple(g / 2 for g in grad_right(X, T, W, b)), "no factor 1/2"),
    (lambda X, T, W, b: (grad_right(X, T, W, b)[0].T, grad_right(X, T, W, b)[1]), "the transpose"),
    (lambda X, T, W, b: (((softmax(X @ W.T + b, axis=0) - T) / len(X)).T @ X,
                         ((softmax(X @ W.T + b, axis=0) - T) / len(X)).sum(0)), "wrong axis"),
    (lambda X, T, W, b: (grad_right(X, T, W, b)[0], ((softmax(X @ W.T + b, axis=1) - T) / len(X)).sum(1)),
     "one entry per class"),
    (lambda X, T, W, b: grad_right(X, T, W, 0 * b), "forgot the bias"),
    (lambda X, T, W, b: (((X @ W.T + b - T) / len(X)).T @ X, ((X @ W.T + b - T) / len(X)).sum(0)),
     "instead of the probabilities"),
    (lambda X, T, W, b: [grad_right(X, T, W, b)[0]], "returned 1 value(s), expected 2"),
]


@pytest.mark.parametrize("solution", GRAD_RIGHT, ids=[f.__name__ for f in GRAD_RIGHT])
def test_gradient_checker_accepts_correct_solutions_written_differently(solution):
    result = check_softmax_gradients(solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", GRAD_WRONG, ids=[h for _, h in GRAD_WRONG])
def test_gradient_checker_names_each_mistake(wrong, hint):
    result = check_softmax_gradients(wrong)
    assert not result.passed and hint in result.message, result.message


def test_the_gradient_reference_is_finite_differences():
    from helpers.exercises.ex05 import _ref_gradients

    rng = np.random.default_rng(3)
    X, T = rng.normal(size=(7, 3)), np.eye(4)[rng.integers(0, 4, size=7)]
    W, b = rng.normal(size=(4, 3)), rng.normal(size=4)
    h = 1e-6
    J = lambda W, b: ce_scipy(X @ W.T + b, T)  # noqa: E731
    dW = np.array([[(J(W + h * E, b) - J(W - h * E, b)) / (2 * h) for E in np.eye(12)[j].reshape(1, 4, 3)]
                   for j in range(12)]).reshape(4, 3)
    db = np.array([(J(W, b + h * e) - J(W, b - h * e)) / (2 * h) for e in np.eye(4)])
    got_dW, got_db = _ref_gradients(X, T, W, b)
    np.testing.assert_allclose(got_dW, dW, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got_db, db, rtol=1e-6, atol=1e-9)


# --- step 3: train_softmax(X, T, lr, epochs, batch_size, seed) ------------------------------------------------------

def sgd_right(X, T, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N, D = X.shape
    K = T.shape[1]
    W, b = np.zeros((K, D)), np.zeros(K)
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            i = order[start:start + batch_size]
            dW, db = grad_right(X[i], T[i], W, b)
            W, b = W - lr * dW, b - lr * db
    return W, b


def sgd_shuffle_inplace(X, T, lr, epochs, batch_size, seed):  # rng.shuffle of an index array: the same order
    rng = np.random.default_rng(seed)
    W, b = np.zeros((T.shape[1], X.shape[1])), np.zeros(T.shape[1])
    idx = np.arange(len(X))
    for _ in range(epochs):
        rng.shuffle(idx)
        for batch in np.array_split(idx, range(batch_size, len(X), batch_size)):
            Y = scipy_softmax(X[batch] @ W.T + b, axis=1)
            E = (Y - T[batch]) / len(batch)
            W -= lr * E.T @ X[batch]
            b -= lr * E.sum(0)
    return W, b


def sgd_while(X, T, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    W, b = np.zeros((T.shape[1], X.shape[1])), np.zeros(T.shape[1])
    for _ in range(epochs):
        Xs, Ts = X[(p := rng.permutation(len(X)))], T[p]
        start = 0
        while start < len(X):
            dW, db = grad_loop(Xs[start:start + batch_size], Ts[start:start + batch_size], W, b)
            W, b = W - lr * dW, b - lr * db
            start += batch_size
    return W, b


def _variant(order="shuffle", drop_last=False, over_N=False, lr_sign=1.0, extra_epochs=0, bias=True, rng_inside=False):
    def train(X, T, lr, epochs, batch_size, seed):
        rng = np.random.default_rng(seed)
        N = len(X)
        W, b = np.zeros((T.shape[1], X.shape[1])), np.zeros(T.shape[1])
        for _ in range(epochs + extra_epochs):
            if rng_inside:
                rng = np.random.default_rng(seed)
            perm = rng.permutation(N) if order == "shuffle" else np.arange(N)
            for start in range(0, N - N % batch_size if drop_last else N, batch_size):
                i = perm[start:start + batch_size]
                dW, db = grad_right(X[i], T[i], W, b)
                s = len(i) / N if over_N else 1.0
                W = W - lr_sign * lr * s * dW
                b = b - lr_sign * lr * s * db if bias else b
        return W, b
    return train


SGD_RIGHT = [sgd_right, sgd_shuffle_inplace, sgd_while]
SGD_WRONG = [
    (not_implemented, "not implemented yet"),
    (_variant(lr_sign=-1.0), "steps go uphill"),
    (_variant(order="none"), "stored order"),
    (_variant(rng_inside=True), "every epoch uses the same order"),
    (_variant(drop_last=True), "last, smaller batch is missing"),
    (_variant(over_N=True), "not over all N examples"),
    (_variant(extra_epochs=-1), "one epoch too few"),
    (_variant(extra_epochs=1), "one epoch too many"),
    (_variant(bias=False), "bias never moved"),
    (lambda X, T, *a: (np.zeros((X.shape[1], T.shape[1])), np.zeros(T.shape[1])), "has shape"),
]


@pytest.mark.parametrize("solution", SGD_RIGHT, ids=[f.__name__ for f in SGD_RIGHT])
def test_sgd_checker_accepts_correct_solutions_written_differently(solution):
    result = check_train_softmax(solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", SGD_WRONG, ids=[h for _, h in SGD_WRONG])
def test_sgd_checker_names_each_mistake(wrong, hint):
    result = check_train_softmax(wrong)
    assert not result.passed and hint in result.message, result.message


def test_full_batch_sgd_is_gradient_descent_and_matches_torch():
    """With one batch per epoch the order does not matter: the reference equals torch.optim.SGD on the same J."""
    import torch

    from helpers.exercises.ex05 import _ref_sgd

    rng = np.random.default_rng(4)
    X, labels = rng.normal(size=(12, 3)), rng.integers(0, 3, size=12)
    W, b = _ref_sgd(X, np.eye(3)[labels], 0.7, 15, 12, 0)
    Wt = torch.zeros(3, 3, dtype=torch.float64, requires_grad=True)
    bt = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([Wt, bt], lr=0.7)
    for _ in range(15):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(torch.from_numpy(X) @ Wt.T + bt, torch.from_numpy(labels)).backward()
        opt.step()
    np.testing.assert_allclose(W, Wt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b, bt.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("checker", [check_softmax_cross_entropy, check_softmax_gradients, check_train_softmax])
def test_checkers_never_raise_on_garbage(checker):
    for garbage in (None, 3, lambda *a: "text", lambda *a: None, lambda *a: 1 / 0):
        assert not checker(garbage).passed
