"""Bad input across the public helpers: each raises ValueError or TypeError with a message that
names the argument, what was expected and what came (issue: hardening)."""

import numpy as np
import pytest
import torch

import helpers
from helpers import features, logistic, solvers

rng = np.random.default_rng(0)
X = rng.normal(size=(8, 3))
t = rng.normal(size=8)
w = rng.normal(size=3)
labels01 = (rng.uniform(size=8) > 0.5).astype(float)
x1 = rng.uniform(size=8)

# (call, exception type, words that must all appear in the message)
CASES = [
    # wrong number of dimensions
    ("X 1-D", lambda: helpers.predict(X[0], w, 0.0), ValueError, ["X must be 2-D", "1-D", "shape (3,)"]),
    ("t 2-D", lambda: helpers.cost(X, t[:, None], w, 0.0), ValueError, ["t must be 1-D", "2-D"]),
    ("x 2-D for features", lambda: features.polynomial_features(X, 2), ValueError, ["x must be 1-D", "2-D"]),
    # N mismatch, D mismatch
    ("N mismatch", lambda: helpers.gradients(X, t[:5], w, 0.0), ValueError, ["X has 8 rows", "t has 5 entries"]),
    ("N mismatch solve", lambda: solvers.solve_direct(X, t[:7]), ValueError, ["X has 8 rows", "t has 7"]),
    ("D mismatch", lambda: helpers.predict(X, w[:2], 0.0), ValueError, ["X has 3 columns", "w has 2 entries"]),
    # empty arrays
    ("empty X", lambda: solvers.solve_direct(X[:0], t[:0]), ValueError, ["X must not be empty", "(0, 3)"]),
    ("empty x", lambda: features.polynomial_features(np.array([]), 2), ValueError, ["x must not be empty"]),
    # NaN and inf
    ("NaN in X", lambda: solvers.solve_direct(np.where(X > 1, np.nan, X), t), ValueError, ["X contains NaN"]),
    ("inf in t", lambda: helpers.cost(X, np.where(t > 0, np.inf, t), w, 0.0), ValueError, ["t contains inf"]),
    ("NaN in torch X", lambda: helpers.predict(torch.tensor(np.where(X > 1, np.nan, X)), torch.tensor(w), 0.0),
     ValueError, ["X contains NaN"]),
    # non-numeric dtypes
    ("strings", lambda: helpers.predict(X.astype(str), w, 0.0), TypeError, ["X must hold numbers", "<U"]),
    ("objects", lambda: helpers.cost(X, np.array([None] * 8), w, 0.0), TypeError, ["t must hold numbers", "object"]),
    ("complex tensor", lambda: helpers.predict(torch.ones(2, 3, dtype=torch.complex64), torch.ones(3), 0.0),
     TypeError, ["X must hold real numbers", "complex64"]),
    # labels: out of range, negative, non-integer
    ("labels not 0/1", lambda: logistic.fit_logistic_regression(X, labels01 * 2, steps=1), ValueError,
     ["t must hold binary labels 0 and 1", "2"]),
    ("labels -1/+1", lambda: logistic.fit_logistic_regression(X, labels01 * 2 - 1, steps=1), ValueError,
     ["t must hold binary labels", "(t + 1) / 2"]),
    ("bce targets", lambda: logistic.binary_cross_entropy(t, labels01 + 0.5), ValueError,
     ["t must hold targets in [0, 1]"]),
    # learning rate <= 0 or not finite; negative steps
    ("lr zero", lambda: logistic.fit_logistic_regression(X, labels01, lr=0.0, steps=1), ValueError,
     ["lr must be a finite number > 0", "0.0"]),
    ("lr nan", lambda: logistic.fit_logistic_regression(X, labels01, lr=float("nan"), steps=1), ValueError,
     ["lr must be a finite number > 0", "nan"]),
    ("negative steps", lambda: logistic.fit_logistic_regression(X, labels01, steps=-1), ValueError,
     ["steps must be >= 0", "-1"]),
    ("float steps", lambda: logistic.fit_logistic_regression(X, labels01, steps=2.5), TypeError,
     ["steps must be an integer", "float"]),
    # negative degree, negative l2
    ("negative degree", lambda: features.polynomial_features(x1, -1), ValueError, ["degree must be >= 0", "-1"]),
    ("negative l2", lambda: solvers.solve_direct(X, t, l2=-0.1), ValueError, ["l2 must be a finite number >= 0"]),
    # NumPy and torch mixed in one call
    ("mixed kinds", lambda: helpers.cost(X, torch.tensor(t), w, 0.0), TypeError,
     ["mixed NumPy and torch", "t is a tensor", "X, w are NumPy"]),
    ("mixed kinds solve", lambda: solvers.solve_direct(torch.tensor(X), t), TypeError, ["mixed NumPy and torch"]),
    # tensors on different devices ('meta' stands in for a GPU: it needs none)
    ("devices", lambda: helpers.predict(torch.tensor(X), torch.tensor(w, device="meta"), 0.0), ValueError,
     ["tensors on different devices", "X on cpu", "w on meta"]),
    # scalars
    ("b array", lambda: helpers.predict(X, w, np.ones(2)), ValueError, ["b must be a scalar", "(2,)"]),
    ("b nan", lambda: helpers.predict(X, w, float("nan")), ValueError, ["b must be finite"]),
]


@pytest.mark.parametrize("name, call, exc, words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_named_error(name, call, exc, words):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in: {message}"


def test_at_least_twenty_cases():
    assert len(CASES) >= 20
