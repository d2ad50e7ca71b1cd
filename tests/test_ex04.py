"""Notebook 04's assignment checkers, tried the way students fail them: several correct solutions written
differently pass; each typical wrong one fails with its targeted hint. The reference the checkers compare with is
helpers.logistic, itself tested against scikit-learn and autograd (tests/test_logistic.py)."""

import numpy as np
import pytest
from scipy.special import expit, log_expit

from helpers.exercises import check_cross_entropy, check_cross_entropy_gradients, check_train_logistic
from helpers.logistic import logistic_gradients, sigmoid


def not_implemented(*args):
    raise NotImplementedError


# --------------------------------------------------------------------------- step 1: cross_entropy(z, t)

def ce_max_form(z, t):
    return np.mean(np.maximum(z, 0) - t * z + np.log1p(np.exp(-np.abs(z))))


def ce_logaddexp(z, t):  # -log sigma(z) = log(1 + e^-z) = logaddexp(0, -z)
    return np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z))


def ce_scipy(z, t):
    return -np.mean(t * log_expit(z) + (1 - t) * log_expit(-z))


def ce_where(z, t):  # the lecture's two cases, each from the logit
    def softplus(u):
        return np.where(u > 0, u, 0) + np.log1p(np.exp(-np.abs(u)))
    return np.sum(np.where(t == 1, softplus(-z), softplus(z))) / len(z)


def ce_naive(z, t):  # the lecture's formula, with an exponential that overflows
    y = 1 / (1 + np.exp(-z))
    return np.mean(-t * np.log(y) - (1 - t) * np.log(1 - y))


def ce_log_of_stable_sigmoid(z, t):  # nothing overflows, but log(sigma(-800)) = log(0)
    y = sigmoid(z)
    return np.mean(-t * np.log(y) - (1 - t) * np.log(1 - y))


def ce_log_of_expit(z, t):
    y = expit(z)
    return -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))


def ce_clipped(z, t):
    y = np.clip(sigmoid(z), 1e-12, 1 - 1e-12)
    return np.mean(-t * np.log(y) - (1 - t) * np.log(1 - y))


def ce_overflow_but_right(z, t):  # right values, but exp(-z) overflows on the way
    return np.mean(np.where(z > 0, z + np.log1p(np.exp(-z)), np.log1p(np.exp(z))) - t * z)


CE_RIGHT = [ce_max_form, ce_logaddexp, ce_scipy, ce_where]
CE_WRONG = [
    (not_implemented, "not implemented yet"),
    (lambda z, t: -ce_max_form(z, t), "loss is negative"),
    (lambda z, t: ce_max_form(z, t) * len(z), "1/N is missing"),
    (lambda z, t: ce_max_form(z, 1 - t), "swapped the classes"),
    (lambda z, t: np.mean(t * np.logaddexp(0, -z)), "add the (1 - t) log(1 - y) term"),
    (lambda z, t: np.mean((sigmoid(z) - t) ** 2) / 2, "squared error after the sigmoid"),
    (lambda z, t: ce_max_form(z, t) / np.log(2), "natural log"),
    (lambda z, t: ce_max_form(z, t) / 2, "no 1/2"),
    (ce_naive, "an exponential overflowed"),
    (ce_overflow_but_right, "NumPy warned"),
    (ce_log_of_stable_sigmoid, "nothing overflowed, but sigma(z) rounds to exactly 0 or 1"),
    (ce_log_of_expit, "log-sigmoid form"),
    (ce_clipped, "clipped probabilities"),
    (lambda z, t: np.sum(z), "the values differ"),
]


@pytest.mark.parametrize("solution", CE_RIGHT, ids=[f.__name__ for f in CE_RIGHT])
def test_cross_entropy_checker_accepts_correct_solutions_written_differently(solution):
    result = check_cross_entropy(solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", CE_WRONG, ids=[h for _, h in CE_WRONG])
def test_cross_entropy_checker_names_each_mistake(wrong, hint):
    result = check_cross_entropy(wrong)
    assert not result.passed and hint in result.message, result.message


def test_the_log_of_zero_hint_is_not_the_overflow_hint():
    assert "overflow" not in check_cross_entropy(ce_log_of_stable_sigmoid).message.split("nothing overflowed")[1]
    assert "log of 0" == check_cross_entropy(ce_log_of_stable_sigmoid).hint
    assert "overflow" == check_cross_entropy(ce_naive).hint


# --------------------------------------------------------------------------- step 2: cross_entropy_gradients

def grad_matrix(X, t, w, b):
    y = sigmoid(X @ w + b)
    N = X.shape[0]
    return X.T @ (y - t) / N, np.sum(y - t) / N


def grad_loop(X, t, w, b):  # example by example, as the lecture's non-vectorized code would
    N, D = X.shape
    dw, db = np.zeros(D), 0.0
    for i in range(N):
        r = expit(X[i] @ w + b) - t[i]
        dw += r * X[i] / N
        db += r / N
    return dw, db


def grad_mean(X, t, w, b):
    r = expit(np.dot(X, w) + b) - t
    return np.mean(r[:, None] * X, axis=0), np.mean(r)


def grad_naive_sigmoid(X, t, w, b):  # 1 / (1 + exp(-z)) overflows for z = -800: rejected for the warning
    r = 1 / (1 + np.exp(-(X @ w + b))) - t
    return X.T @ r / len(t), r.mean()


def grad_as_list(X, t, w, b):  # a list of the two, not a tuple: still the pair asked for
    return list(grad_matrix(X, t, w, b))


GRAD_RIGHT = [grad_matrix, grad_loop, grad_mean, grad_as_list]
GRAD_WRONG = [
    (not_implemented, "not implemented yet"),
    (lambda X, t, w, b: tuple(-g for g in grad_matrix(X, t, w, b)), "sign error"),
    (lambda X, t, w, b: tuple(len(t) * g for g in grad_matrix(X, t, w, b)), "divide by N"),
    (lambda X, t, w, b: tuple(g / 2 for g in grad_matrix(X, t, w, b)), "no factor 1/2"),
    (lambda X, t, w, b: grad_matrix(X, t, w, 0.0), "forgot the bias"),
    (lambda X, t, w, b: (X.T @ (X @ w + b - t) / len(t), np.mean(X @ w + b - t)), "linear regression"),
    (lambda X, t, w, b: (X.T @ ((sigmoid(X @ w + b) - t) * sigmoid(X @ w + b) * (1 - sigmoid(X @ w + b))) / len(t),
                         np.mean((sigmoid(X @ w + b) - t) * sigmoid(X @ w + b) * (1 - sigmoid(X @ w + b)))),
     "squared error after the sigmoid"),
    (lambda X, t, w, b: (grad_matrix(X, t, w, b)[0], grad_matrix(X, t, w, b)[0].sum()), "mean of y - t"),
    (lambda X, t, w, b: grad_matrix(X, t, w, b)[0], "returned 1 value(s), expected 2"),
    (grad_naive_sigmoid, "NumPy warned"),
]


@pytest.mark.parametrize("solution", GRAD_RIGHT, ids=[f.__name__ for f in GRAD_RIGHT])
def test_gradient_checker_accepts_correct_solutions_written_differently(solution):
    result = check_cross_entropy_gradients(solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", GRAD_WRONG, ids=[h for _, h in GRAD_WRONG])
def test_gradient_checker_names_each_mistake(wrong, hint):
    result = check_cross_entropy_gradients(wrong)
    assert not result.passed and hint in result.message, result.message


def test_the_gradient_reference_is_finite_differences():
    """What the checker compares with, against central differences of the cost (independent of the formula)."""
    rng = np.random.default_rng(0)
    X, t, w, b = rng.normal(size=(9, 3)), (rng.random(9) < 0.5).astype(float), rng.normal(size=3), 0.4

    def J(w, b):
        return ce_logaddexp(X @ w + b, t)

    h = 1e-6
    dw = [(J(w + h * e, b) - J(w - h * e, b)) / (2 * h) for e in np.eye(3)]
    db = (J(w, b + h) - J(w, b - h)) / (2 * h)
    np.testing.assert_allclose(logistic_gradients(X, t, w, b)[0], dw, rtol=1e-6)
    np.testing.assert_allclose(logistic_gradients(X, t, w, b)[1], db, rtol=1e-6)


# --------------------------------------------------------------------------- step 3: train_logistic

def train_inplace(X, t, lr, steps):
    N, D = X.shape
    w, b = np.zeros(D), 0.0
    for _ in range(steps):
        y = sigmoid(X @ w + b)
        w -= lr * X.T @ (y - t) / N
        b -= lr * np.mean(y - t)
    return w, b


def train_tuple(X, t, lr, steps):
    w, b = np.zeros(X.shape[1]), 0
    step = 0
    while step < steps:
        dw, db = grad_loop(X, t, w, b)
        w, b = w - lr * dw, b - lr * db
        step += 1
    return w, float(b)


def train_augmented(X, t, lr, steps):  # the bias as a weight on a column of ones
    X1 = np.hstack([X, np.ones((len(X), 1))])
    theta = np.zeros(X1.shape[1])
    for _ in range(steps):
        theta = theta - lr * X1.T @ (expit(X1 @ theta) - t) / len(t)
    return theta[:-1], theta[-1]


def train_off_by_one(X, t, lr, steps):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps + 1):
        dw, db = grad_matrix(X, t, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b


def train_sequential_bias(X, t, lr, steps):  # updates w, then takes db at the NEW w: not gradient descent
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        w = w - lr * grad_matrix(X, t, w, b)[0]
        b = b - lr * grad_matrix(X, t, w, b)[1]
    return w, b


def _train_with(grad, lr_sign=1.0, update_b=True):
    def train(X, t, lr, steps):
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(steps):
            dw, db = grad(X, t, w, b)
            w = w - lr_sign * lr * dw
            b = b - lr_sign * lr * db if update_b else b
        return w, b
    return train


TRAIN_RIGHT = [train_inplace, train_tuple, train_augmented]
TRAIN_WRONG = [
    (not_implemented, "not implemented yet"),
    (_train_with(grad_matrix, lr_sign=-1.0), "steps go uphill"),
    (_train_with(grad_matrix, update_b=False), "bias never moved"),
    (lambda X, t, lr, steps: _train_with(grad_matrix)(X, t, 1.0, steps), "learning rate is missing"),
    (_train_with(lambda X, t, w, b: tuple(len(t) * g for g in grad_matrix(X, t, w, b))), "divide by N"),
    (lambda X, t, lr, steps: _train_with(grad_matrix)(X, t, lr, steps - 1), "one step too few"),
    (train_off_by_one, "one step too many"),
    (_train_with(lambda X, t, w, b: (X.T @ (X @ w + b - t) / len(t), np.mean(X @ w + b - t))), "linear regression"),
    (train_sequential_bias, "compute both gradients at the current (w, b)"),
]


@pytest.mark.parametrize("solution", TRAIN_RIGHT, ids=[f.__name__ for f in TRAIN_RIGHT])
def test_training_checker_accepts_correct_solutions_written_differently(solution):
    result = check_train_logistic(solution)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, hint", TRAIN_WRONG, ids=[h for _, h in TRAIN_WRONG])
def test_training_checker_names_each_mistake(wrong, hint):
    result = check_train_logistic(wrong)
    assert not result.passed and hint in result.message, result.message


def test_the_training_reference_matches_scikit_learn_unpenalized():
    """Long enough, the checker's loop reaches scikit-learn's unpenalized minimizer (an independent solver)."""
    from sklearn.linear_model import LogisticRegression

    from helpers.exercises.ex04 import _ref_train

    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 2))
    t = (rng.random(200) < expit(X @ [1.0, -0.5] + 0.3)).astype(float)
    w, b = _ref_train(X, t, 2.0, 5000)
    sk = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, t)
    np.testing.assert_allclose(w, sk.coef_[0], atol=1e-4)
    assert abs(b - sk.intercept_[0]) < 1e-4


@pytest.mark.parametrize("checker", [check_cross_entropy, check_cross_entropy_gradients, check_train_logistic])
def test_checkers_never_raise_on_garbage(checker):
    for garbage in (None, 3, lambda *a: "text", lambda *a: None, lambda *a: 1 / 0):
        result = checker(garbage)
        assert not result.passed
