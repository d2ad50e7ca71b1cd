"""Checkers for notebook 04's exercises (logistic regression).

Each checker first tries moderate logits, where the typical mistakes (a sign,
a missing 1/N, a forgotten bias, ...) are told apart, then very large logits
(|z| up to 800), where only a numerically stable solution stays finite and quiet.
"""

import warnings

import numpy as np

from ..logistic import binary_cross_entropy, logistic_gradients, sigmoid
from ._core import Mistake, Result, catching_output, check, numpy_and_torch

_UNSTABLE = ("for very large logits (|z| in the hundreds) your answer {what}. Compute from the logits without "
             "exponentials that can overflow: log(1 + e^z) = max(z, 0) + log1p(exp(-|z|)), and "
             "y = helpers.logistic.sigmoid(z) (it never overflows).")


def _problems(seed, sizes, scale=1.0):
    rng = np.random.default_rng(seed)
    sets = []
    for N, D in sizes:
        X = rng.normal(size=(N, D))
        t = (rng.random(N) < 0.5).astype(float)
        t[:2] = [0.0, 1.0]  # both classes in every case
        sets.append((X, t, scale * rng.normal(size=D), float(scale * rng.normal())))
    return sets


def _logits(seed, N, scale):
    rng = np.random.default_rng(seed)
    z = scale * rng.normal(size=N)
    t = (rng.random(N) < 0.5).astype(float)
    t[:2] = [0.0, 1.0]
    return z, t


def _large_logits():
    # Confidently right and confidently wrong examples of both classes.
    z = np.array([800.0, -800.0, 800.0, -800.0, 40.0, -40.0, 3.0, -0.5])
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    return z, t


def _quietly(fn):
    """fn, run with NumPy's floating-point warnings recorded instead of printed or raised."""
    caught = []

    def wrapper(*args):
        with warnings.catch_warnings(record=True) as record, \
                np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            warnings.simplefilter("always")
            try:
                return fn(*args)
            finally:
                caught.extend(w for w in record if issubclass(w.category, RuntimeWarning))

    return wrapper, caught


def _two_phases(name, student_fn, cases, large_cases, reference, mistakes):
    """Moderate logits first (with the catalog of mistakes), then large logits (stability)."""
    first = check(name, student_fn, cases, reference, mistakes)
    if not first:
        return first
    second = _stable(name, student_fn, large_cases, reference)
    if not second:
        return second
    return Result(name, True, f"✔ {name}: correct on all {len(cases) + len(large_cases)} inputs (NumPy and torch), "
                              "very large logits included. Well done!")


def _stable(name, student_fn, cases, reference):
    """On large logits the answer must be finite, right, and computed without overflow warnings."""
    quiet, caught = _quietly(student_fn)
    result = check(name, quiet, cases, reference, rtol=1e-6, atol=1e-9)
    if not result and result.hint in ("structure", "wrong values"):
        finite = "contains NaN or inf" in result.message
        what = "is inf or NaN" if finite else "is wrong (clipped probabilities? a log of 0 avoided by an epsilon?)"
        return Result(name, False, f"✘ {name}: {_UNSTABLE.format(what=what)}", "unstable for large logits")
    if result and caught:
        what = f"is right, but NumPy warned: '{caught[0].message}'"
        return Result(name, False, f"✘ {name}: {_UNSTABLE.format(what=what)}", "unstable for large logits")
    return result


# --------------------------------------------------------------------------- exercise 1: the cross-entropy


def _ref_cross_entropy(z, t):
    return binary_cross_entropy(z, t)


@catching_output
def check_cross_entropy(cross_entropy):
    """Check ``cross_entropy(z, t) -> J``, the mean cross-entropy from logits, stable for any z."""
    sets = [_logits(0, 6, 1.5), _logits(1, 25, 3.0), _logits(2, 60, 0.7)]
    cases = numpy_and_torch(sets)
    mistakes = [
        Mistake("your loss is negative: the cross-entropy is -t log y - (1 - t) log(1 - y), minus signs included.",
                lambda z, t: -_ref_cross_entropy(z, t), "sign error"),
        Mistake("your J is N times too large: average over the N examples (the 1/N is missing).",
                lambda z, t: _ref_cross_entropy(z, t) * z.shape[0], "missing 1/N"),
        Mistake("you swapped the classes: the loss is -log y where t = 1 and -log(1 - y) where t = 0.",
                lambda z, t: _ref_cross_entropy(z, 1 - t), "classes swapped"),
        Mistake("only the t = 1 examples cost something: add the (1 - t) log(1 - y) term for t = 0.",
                lambda z, t: (t * binary_cross_entropy(z, t, reduction="none")).mean(), "t = 0 term missing"),
        Mistake("that is the squared error after the sigmoid, not the cross-entropy -t log y - (1 - t) log(1 - y).",
                lambda z, t: ((sigmoid(z) - t) ** 2).mean() / 2, "squared error"),
        Mistake("you used log base 2 or 10: the cross-entropy uses the natural log (np.log / xp.log).",
                lambda z, t: _ref_cross_entropy(z, t) / np.log(2), "log base 2"),
    ]
    return _two_phases("cross_entropy", cross_entropy, cases, numpy_and_torch([_large_logits()]),
                       _ref_cross_entropy, mistakes)


# --------------------------------------------------------------------------- exercise 2: the gradient


def _ref_gradients(X, t, w, b):
    return logistic_gradients(X, t, w, b)


def _grad_at(X, t, z):
    r = sigmoid(z) - t
    return (r @ X) / X.shape[0], r.sum() / X.shape[0]


@catching_output
def check_cross_entropy_gradients(cross_entropy_gradients):
    """Check ``cross_entropy_gradients(X, t, w, b) -> (dJ/dw, dJ/db)`` = (X^T (y - t) / N, mean(y - t))."""
    cases = numpy_and_torch(_problems(3, [(5, 2), (30, 4), (12, 1)]))
    mistakes = [
        Mistake("sign error: the gradient is X^T (y - t) / N with y - t, not t - y (your step would climb).",
                lambda X, t, w, b: tuple(-g for g in _ref_gradients(X, t, w, b)), "sign error"),
        Mistake("your gradient is N times too large: the cost is a mean, so divide by N.",
                lambda X, t, w, b: tuple(g * X.shape[0] for g in _ref_gradients(X, t, w, b)), "missing 1/N"),
        Mistake("you forgot the bias in the logits: z = X w + b.",
                lambda X, t, w, b: _grad_at(X, t, X @ w), "bias forgotten"),
        Mistake("you used z instead of y = sigmoid(z): that is linear regression's gradient.",
                lambda X, t, w, b: ((X @ w + b - t) @ X / X.shape[0], (X @ w + b - t).sum() / X.shape[0]),
                "no sigmoid"),
        Mistake("dJ/db is the mean of y - t (the bias multiplies a feature that is always 1), not a sum over w.",
                lambda X, t, w, b: (_ref_gradients(X, t, w, b)[0], _ref_gradients(X, t, w, b)[0].sum()),
                "wrong db"),
    ]
    X, t, w, _ = _problems(4, [(8, 2)])[0]
    large = numpy_and_torch([(X, t, 300.0 * w, 0.0)])  # logits in the hundreds
    return _two_phases("cross_entropy_gradients", cross_entropy_gradients, cases, large, _ref_gradients, mistakes)


# --------------------------------------------------------------------------- exercise 3: one step with L2


def _ref_step(X, t, w, b, lr, l2):
    dw, db = logistic_gradients(X, t, w, b, l2)
    return w - lr * dw, b - lr * db


@catching_output
def check_logistic_step(logistic_step):
    """Check ``logistic_step(X, t, w, b, lr, l2) -> (w_new, b_new)``: one GD step on J + l2 ||w||^2 / 2."""
    sets = [(X, t, w, b, lr, l2) for (X, t, w, b), lr, l2 in zip(_problems(5, [(6, 2), (20, 3), (9, 1)]),
                                                                  [0.5, 0.1, 2.0], [0.1, 0.01, 0.3])]
    cases = numpy_and_torch(sets)

    def grads(X, t, w, b, l2=0.0):
        return logistic_gradients(X, t, w, b, l2)

    mistakes = [
        Mistake("your step goes uphill: subtract lr times the gradient (w - lr dJ/dw).",
                lambda X, t, w, b, lr, l2: tuple(p + lr * g for p, g in zip((w, b), grads(X, t, w, b, l2))),
                "sign error"),
        Mistake("the learning rate is missing: w - lr * dJ/dw.",
                lambda X, t, w, b, lr, l2: tuple(p - g for p, g in zip((w, b), grads(X, t, w, b, l2))),
                "lr forgotten"),
        Mistake("the bias did not move: update b too, b - lr * dJ/db.",
                lambda X, t, w, b, lr, l2: (_ref_step(X, t, w, b, lr, l2)[0], b), "bias not updated"),
        Mistake("the penalty l2 ||w||^2 / 2 is missing: its gradient l2 * w belongs in dJ/dw.",
                lambda X, t, w, b, lr, l2: _ref_step(X, t, w, b, lr, 0.0), "penalty forgotten"),
        Mistake("you penalized the bias too: the penalty is on w only, so dJ/db has no l2 * b term.",
                lambda X, t, w, b, lr, l2: (_ref_step(X, t, w, b, lr, l2)[0],
                                            b - lr * (grads(X, t, w, b)[1] + l2 * b)), "bias penalized"),
        Mistake("the penalty's gradient has the wrong sign: dJ/dw = X^T (y - t) / N + l2 * w.",
                lambda X, t, w, b, lr, l2: (w - lr * (grads(X, t, w, b)[0] - l2 * w), b - lr * grads(X, t, w, b)[1]),
                "penalty sign"),
        Mistake("your gradient is N times too large: the cost is a mean, so divide by N.",
                lambda X, t, w, b, lr, l2: (w - lr * (grads(X, t, w, b)[0] * X.shape[0] + l2 * w),
                                            b - lr * grads(X, t, w, b)[1] * X.shape[0]), "missing 1/N"),
    ]
    return check("logistic_step", logistic_step, cases, _ref_step, mistakes)
