"""Notebook 01's checkers accept the right answer and name each typical mistake."""

import pytest

from helpers.exercises import check_cost, check_cost_many, check_predict


def cost_right(X, t, w, b):
    r = X @ w + b - t
    return (r * r).sum() / (2 * X.shape[0])


def not_done(*args):
    raise NotImplementedError


def crashes(X, t, w, b):
    r = X @ w[:-1] + b - t  # a shape bug: drops a weight
    return (r * r).sum() / (2 * len(t))


CASES = [
    (check_predict, lambda X, w, b: X @ w + b, None),
    (check_predict, lambda X, w, b: X @ w, "bias forgotten"),
    (check_predict, lambda X, w, b: X @ w - b, "sign error"),
    (check_predict, lambda X, w, b: (X @ w + b)[:, None], "structure"),
    (check_predict, lambda X, w, b: None, "structure"),
    (check_predict, not_done, "not implemented"),
    (check_cost, cost_right, None),
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, b) * X.shape[0], "missing 1/N"),
    (check_cost, lambda X, t, w, b: 2 * cost_right(X, t, w, b), "missing 1/2"),
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, 0.0), "bias forgotten"),
    (check_cost, lambda X, t, w, b: ((X @ w + b - t).sum()) / (2 * X.shape[0]), "not squared"),
    (check_cost, lambda X, t, w, b: float(cost_right(X, t, w, b)), "structure"),  # torch in, float out
    (check_cost, lambda X, t, w, b: cost_right(X, t, w, b) + 1, "wrong values"),
    (check_cost, crashes, "exception"),
    (check_cost, not_done, "not implemented"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).mean(0) / 2, None),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum(1) / (2 * len(t)), "wrong axis"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum(0) / 2, "missing 1/N"),
    (check_cost_many, lambda X, t, W, b: ((X @ W.T + b - t[:, None]) ** 2).sum() / (2 * len(t)), "summed everything"),
]


@pytest.mark.parametrize("checker, fn, hint", CASES)
def test_checker(checker, fn, hint):
    result = checker(fn)
    if hint is None:
        assert result.passed and "✔" in repr(result)
    else:
        assert not result.passed
        assert result.hint == hint, repr(result)


def test_exception_is_reported_with_the_students_line():
    result = check_cost(crashes)
    assert "line" in result.message and "X @ w[:-1]" in result.message


def test_checker_never_raises_on_junk():
    assert not check_cost("not a function").passed
    assert not check_cost(lambda X, t, w, b: "text").passed
