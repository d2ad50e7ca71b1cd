"""Checkers for notebook 04's programming assignment: logistic regression from scratch, in NumPy.

Step 1 is the mean cross-entropy from the logits, step 2 its gradient, step 3 the gradient-descent loop. The
assignment is a NumPy one (the lecture's code is NumPy), so the checkers try NumPy inputs only. Steps 1 and 2
first try moderate logits, where the typical mistakes (a sign, a missing 1/N, a forgotten bias, ...) are told
apart, then very large logits (|z| up to 800), where only a numerically stable solution stays finite and quiet;
the hint then says what went wrong: an exponential that overflowed, or a log of a probability that rounded to 0.
"""

import warnings

import numpy as np

from ..logistic import binary_cross_entropy, logistic_gradients, sigmoid
from ._core import Mistake, Result, catching_output, check, numpy_only

_OVERFLOW = ("for very large logits (|z| in the hundreds) your answer {what}: an exponential overflowed. Compute "
             "from the logits with exponentials of numbers <= 0 only: log(1 + e^u) = max(u, 0) + log1p(exp(-|u|)), "
             "and y = helpers.logistic.sigmoid(z) (it never overflows).")
_LOG_OF_ZERO = ("for very large logits (|z| in the hundreds) your answer {what}: nothing overflowed, but sigma(z) "
                "rounds to exactly 0 or 1 there, so log y or log(1 - y) is log 0 = -inf. Do not take the log of a "
                "probability: write it from the logit (the log-sigmoid form), -log sigma(z) = log(1 + e^-z) and "
                "-log(1 - sigma(z)) = log(1 + e^z), then log(1 + e^u) = max(u, 0) + log1p(exp(-|u|)).")
_INEXACT = ("for very large logits (|z| in the hundreds) your answer is finite but wrong: clipped probabilities, "
            "or a log of 0 avoided by an epsilon? Those change the loss. Write the log from the logit instead: "
            "-log sigma(z) = log(1 + e^-z), with log(1 + e^u) = max(u, 0) + log1p(exp(-|u|)).")


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

    wrapper.__name__ = getattr(fn, "__name__", "fn")
    return wrapper, caught


def _two_phases(name, student_fn, cases, large_cases, reference, mistakes):
    """Moderate logits first (with the catalog of mistakes), then large logits (stability)."""
    first = check(name, student_fn, cases, reference, mistakes)
    if not first:
        return first
    second = _stable(name, student_fn, large_cases, reference)
    if not second:
        return second
    return Result(name, True, f"✔ {name}: correct on all {len(cases) + len(large_cases)} inputs (NumPy), "
                              "very large logits included. Well done!")


def _stable(name, student_fn, cases, reference):
    """On large logits the answer must be finite, right, and computed without overflow warnings."""
    quiet, caught = _quietly(student_fn)
    result = check(name, quiet, cases, reference, rtol=1e-6, atol=1e-9)
    overflowed = any("overflow" in str(w.message) for w in caught)
    if not result and result.hint in ("structure", "wrong values"):
        if "contains NaN or inf" not in result.message:
            return Result(name, False, f"✘ {name}: {_INEXACT}", "inexact for large logits")
        template, key = (_OVERFLOW, "overflow") if overflowed else (_LOG_OF_ZERO, "log of 0")
        return Result(name, False, f"✘ {name}: {template.format(what='is inf or NaN')}", key)
    if result and caught:
        what = f"is right, but NumPy warned: '{caught[0].message}'"
        template, key = (_OVERFLOW, "overflow") if overflowed else (_LOG_OF_ZERO, "log of 0")
        return Result(name, False, f"✘ {name}: {template.format(what=what)}", key)
    return result


# --------------------------------------------------------------------------- step 1: the cross-entropy


def _ref_cross_entropy(z, t):
    return binary_cross_entropy(z, t)


@catching_output
def check_cross_entropy(cross_entropy):
    """Check ``cross_entropy(z, t) -> J``, the mean cross-entropy from logits, stable for any z."""
    sets = [_logits(0, 6, 1.5), _logits(1, 25, 3.0), _logits(2, 60, 0.7)]
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
        Mistake("you used log base 2 or 10: the cross-entropy uses the natural log (np.log).",
                lambda z, t: _ref_cross_entropy(z, t) / np.log(2), "log base 2"),
        Mistake("your J is half the cross-entropy: there is no 1/2 in -t log y - (1 - t) log(1 - y).",
                lambda z, t: _ref_cross_entropy(z, t) / 2, "factor 1/2"),
    ]
    return _two_phases("cross_entropy", cross_entropy, numpy_only(sets), numpy_only([_large_logits()]),
                       _ref_cross_entropy, mistakes)


# --------------------------------------------------------------------------- step 2: the gradient


def _ref_gradients(X, t, w, b):
    return logistic_gradients(X, t, w, b)


def _grad_at(X, t, z):
    r = sigmoid(z) - t
    return (r @ X) / X.shape[0], r.sum() / X.shape[0]


@catching_output
def check_cross_entropy_gradients(cross_entropy_gradients):
    """Check ``cross_entropy_gradients(X, t, w, b) -> (dJ/dw, dJ/db)`` = (X^T (y - t) / N, mean(y - t))."""
    cases = numpy_only(_problems(3, [(5, 2), (30, 4), (12, 1)]))
    mistakes = [
        Mistake("sign error: the gradient is X^T (y - t) / N with y - t, not t - y (your step would climb).",
                lambda X, t, w, b: tuple(-g for g in _ref_gradients(X, t, w, b)), "sign error"),
        Mistake("your gradient is N times too large: the cost is a mean, so divide by N.",
                lambda X, t, w, b: tuple(g * X.shape[0] for g in _ref_gradients(X, t, w, b)), "missing 1/N"),
        Mistake("your gradient is half the right one: dL/dz = y - t has no factor 1/2 (that belongs to "
                "squared error's 1/2 (y - t)^2, not to the cross-entropy).",
                lambda X, t, w, b: tuple(g / 2 for g in _ref_gradients(X, t, w, b)), "factor 1/2"),
        Mistake("you forgot the bias in the logits: z = X w + b.",
                lambda X, t, w, b: _grad_at(X, t, X @ w), "bias forgotten"),
        Mistake("you used z instead of y = sigmoid(z): that is linear regression's gradient.",
                lambda X, t, w, b: ((X @ w + b - t) @ X / X.shape[0], (X @ w + b - t).sum() / X.shape[0]),
                "no sigmoid"),
        Mistake("that is the gradient of squared error after the sigmoid, (y - t) y (1 - y): the cross-entropy's "
                "dL/dz is simply y - t.",
                lambda X, t, w, b: _se_grad(X, t, w, b), "squared-error gradient"),
        Mistake("dJ/db is the mean of y - t (the bias multiplies a feature that is always 1), not a sum over w.",
                lambda X, t, w, b: (_ref_gradients(X, t, w, b)[0], _ref_gradients(X, t, w, b)[0].sum()),
                "wrong db"),
    ]
    X, t, w, _ = _problems(4, [(8, 2)])[0]
    large = numpy_only([(X, t, 300.0 * w, 0.0)])  # logits in the hundreds
    return _two_phases("cross_entropy_gradients", cross_entropy_gradients, cases, large, _ref_gradients,
                       mistakes)


def _se_grad(X, t, w, b):
    y = sigmoid(X @ w + b)
    r = (y - t) * y * (1 - y)
    return r @ X / X.shape[0], r.sum() / X.shape[0]


# --------------------------------------------------------------------------- step 3: the training loop


def _descend(X, t, lr, steps, grad=_ref_gradients, update_b=True):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        dw, db = grad(X, t, w, b)
        w = w - lr * dw
        b = b - lr * db if update_b else b
    return w, b


def _ref_train(X, t, lr, steps):
    return _descend(X, t, lr, steps)


@catching_output
def check_train_logistic(train_logistic):
    """Check ``train_logistic(X, t, lr, steps) -> (w, b)``: ``steps`` gradient-descent steps from w = 0, b = 0."""
    sets = [(X, t, lr, steps) for (X, t, _, _), lr, steps in
            zip(_problems(5, [(6, 2), (20, 3), (9, 1), (15, 2)]), [0.5, 1.0, 2.0, 0.3], [3, 10, 1, 25])]

    def scaled(s):
        return lambda X, t, lr, steps: _descend(X, t, lr, steps, lambda *a: tuple(s(a[0]) * g for g in
                                                                                 _ref_gradients(*a)))

    mistakes = [
        Mistake("your steps go uphill: subtract lr times the gradient, w <- w - lr dJ/dw (and the same for b).",
                lambda X, t, lr, steps: _descend(X, t, -lr, steps), "sign error"),
        Mistake("the bias never moved: update b too, b <- b - lr dJ/db.",
                lambda X, t, lr, steps: _descend(X, t, lr, steps, update_b=False), "bias not updated"),
        Mistake("the learning rate is missing: w <- w - lr * dJ/dw.",
                lambda X, t, lr, steps: _descend(X, t, 1.0, steps), "lr forgotten"),
        Mistake("your gradient is N times too large: the cost is a mean, so divide by N (step 2's gradient "
                "already does).", scaled(lambda X: X.shape[0]), "missing 1/N"),
        Mistake("one step too few: take exactly `steps` steps (range(steps) runs steps times).",
                lambda X, t, lr, steps: _descend(X, t, lr, steps - 1), "one step too few"),
        Mistake("one step too many: take exactly `steps` steps (range(steps) runs steps times).",
                lambda X, t, lr, steps: _descend(X, t, lr, steps + 1), "one step too many"),
        Mistake("you descended on squared error after the sigmoid: the cross-entropy's gradient is X^T (y - t) / N "
                "(step 2).", lambda X, t, lr, steps: _descend(X, t, lr, steps, _se_grad), "squared-error gradient"),
        Mistake("you used z = X w + b instead of y = sigmoid(z) in the gradient: that is linear regression.",
                lambda X, t, lr, steps: _descend(X, t, lr, steps, lambda X, t, w, b: (
                    (X @ w + b - t) @ X / X.shape[0], (X @ w + b - t).mean())), "no sigmoid"),
    ]
    result = check("train_logistic", train_logistic, numpy_only(sets), _ref_train, mistakes)
    if not result and result.hint == "wrong values":
        result.message += (" Start from w = np.zeros(D) and b = 0.0, and in each step compute both gradients at "
                           "the current (w, b) before updating either.")
    return result
