"""Checkers for notebook 05's exercises (softmax regression)."""

import numpy as np
from array_api_compat import array_namespace

from ._core import Mistake, Result, _copy, _student_line, _to_numpy, catching_output, check, numpy_and_torch


def _log_softmax(z, axis=1):
    xp = array_namespace(z)
    s = z - xp.max(z, axis=axis, keepdims=True)
    return s - xp.log(xp.sum(xp.exp(s), axis=axis, keepdims=True))


def _softmax(z, axis=1):
    xp = array_namespace(z)
    return xp.exp(_log_softmax(z, axis))


def _one_hot(labels, K):
    return np.eye(K)[labels]


# ---------------------------------------------------------------------------------------------------------------
# Exercise 1: the stable cross-entropy
# ---------------------------------------------------------------------------------------------------------------


def _ref_cross_entropy(z, T):
    return -(T * _log_softmax(z)).sum() / z.shape[0]


def _naive_cross_entropy(z, T):
    xp = array_namespace(z)
    return -(T * xp.log(xp.exp(z) / xp.sum(xp.exp(z), axis=1, keepdims=True))).sum() / z.shape[0]


def _cross_entropy_inputs(rng, scale):
    sets = []
    for N, K in [(6, 3), (10, 5), (1, 4)]:
        z = rng.normal(size=(N, K)) * scale
        sets.append((z, _one_hot(rng.integers(0, K, size=N), K)))
    return sets


@catching_output
def check_softmax_cross_entropy(cross_entropy):
    """Check ``cross_entropy(z, T) -> J``: the mean over N of -sum_k T_ik log softmax(z_i)_k, computed stably."""
    rng = np.random.default_rng(5)
    cases = numpy_and_torch(_cross_entropy_inputs(rng, 2.0))
    mistakes = [
        Mistake("your J is N times too large: average over the N examples (divide the sum by N); the 1/N is missing.",
                lambda z, T: _ref_cross_entropy(z, T) * z.shape[0], "missing 1/N"),
        Mistake("your J is negative: the cross-entropy is MINUS the mean log-probability of the right class "
                "(sign error).", lambda z, T: -_ref_cross_entropy(z, T), "sign error"),
        Mistake("you normalized over the wrong axis: softmax runs over the K classes of each example "
                "(axis=1 of z, shape (N, K)), not over the N examples.",
                lambda z, T: -(T * _log_softmax(z, axis=0)).sum() / z.shape[0], "wrong axis"),
        Mistake("you divided by N*K (a mean over all entries of T * log y); average over the N examples only.",
                lambda z, T: _ref_cross_entropy(z, T) / z.shape[1], "divided by N*K"),
        Mistake("you subtracted the max m before exponentiating but did not add it back: "
                "log sum_k exp(z_k) = m + log sum_k exp(z_k - m).",
                lambda z, T: _ref_cross_entropy(z, T) - _mean_max(z), "max not added back"),
    ]
    result = check("cross_entropy", cross_entropy, cases, _ref_cross_entropy, mistakes)
    if not result.passed:
        return result
    # Large logits: exp(1000) overflows float64; a stable implementation is still exact.
    for case in numpy_and_torch(_cross_entropy_inputs(np.random.default_rng(6), 800.0)[:2]):
        z, T = case.args
        bad = _run_quiet(cross_entropy, z, T)
        if isinstance(bad, Result):
            return bad
        got = float(bad) if np.ndim(np.asarray(_to_numpy(bad))) == 0 else np.nan
        if not np.isfinite(got):
            return Result("cross_entropy", False,
                          "✘ cross_entropy: correct for small logits, but NaN or inf for large ones (|z| ~ 1000): "
                          "exp(z) overflows. Subtract each row's largest logit first (the log-sum-exp trick): "
                          "log sum_k exp(z_k) = m + log sum_k exp(z_k - m).", "unstable for large logits")
        if not np.isclose(got, float(_ref_cross_entropy(z, T)), rtol=1e-9):
            return Result("cross_entropy", False,
                          f"✘ cross_entropy: correct for small logits but not for large ones (|z| ~ 1000): got "
                          f"{got:.6g}, expected {float(_ref_cross_entropy(z, T)):.6g}.", "wrong for large logits")
    return Result("cross_entropy", True, "✔ cross_entropy: correct on all 10 inputs (NumPy and torch), "
                  "including logits near ±1000 where exp() overflows. Well done!")


def _mean_max(z):
    xp = array_namespace(z)
    return xp.mean(xp.max(z, axis=1))


def _run_quiet(fn, *args):
    """fn(*args) with NumPy's overflow warnings silenced; an exception becomes a failing Result."""
    try:
        with np.errstate(all="ignore"):
            return fn(*[_copy(a) for a in args])
    except Exception as exc:
        lineno, line = _student_line(exc)
        at = f" at line {lineno}: `{line}`" if line else ""
        return Result(fn.__name__, False, f"✘ {fn.__name__} raised {type(exc).__name__} on large logits{at}: {exc}",
                      "exception")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 2: the gradients of softmax regression
# ---------------------------------------------------------------------------------------------------------------


def _ref_gradients(X, T, W, b):
    E = (_softmax(X @ W.T + b) - T) / X.shape[0]  # (Y - T) / N, shape (N, K)
    return E.T @ X, E.sum(0)


@catching_output
def check_softmax_gradients(softmax_gradients):
    """Check ``softmax_gradients(X, T, W, b) -> (dJ/dW (K, D), dJ/db (K,))`` for softmax regression."""
    rng = np.random.default_rng(7)
    sets = []
    for N, D, K in [(8, 3, 4), (12, 5, 2), (6, 4, 4)]:
        sets.append((rng.normal(size=(N, D)), _one_hot(rng.integers(0, K, size=N), K),
                     rng.normal(size=(K, D)), rng.normal(size=K)))
    cases = numpy_and_torch(sets)

    def scaled(s):
        return lambda X, T, W, b: tuple(g * s(X) for g in _ref_gradients(X, T, W, b))

    def with_error(E_of):
        def wrong(X, T, W, b):
            E = E_of(X, T, W, b)
            return E.T @ X, E.sum(0)

        return wrong

    N_of = lambda X: X.shape[0]  # noqa: E731
    mistakes = [
        Mistake("your gradients are N times too large: the cost is a mean, so divide by N (the 1/N is missing).",
                scaled(N_of), "missing 1/N"),
        Mistake("your gradients point the wrong way (sign error): dJ/dz = y - t, not t - y.",
                scaled(lambda X: -1), "sign error"),
        Mistake("your dJ/dW has shape (D, K): that is X^T (Y - T) / N, the transpose. W is (K, D), one row per class, "
                "so dJ/dW = (Y - T)^T X / N.",
                lambda X, T, W, b: (_ref_gradients(X, T, W, b)[0].T, _ref_gradients(X, T, W, b)[1]), "transposed W"),
        Mistake("your softmax normalizes over the wrong axis: the probabilities of each example (each row of "
                "Z = X W^T + b) must sum to 1 over the K classes (axis=1).",
                with_error(lambda X, T, W, b: (_softmax(X @ W.T + b, axis=0) - T) / X.shape[0]), "wrong axis"),
        Mistake("your dJ/db has one entry per example: sum (Y - T) / N over the N examples (axis 0), "
                "giving one entry per class, shape (K,).",
                lambda X, T, W, b: (_ref_gradients(X, T, W, b)[0],
                                    ((_softmax(X @ W.T + b) - T) / X.shape[0]).sum(1)), "db wrong axis"),
        Mistake("you forgot the bias b in the logits: Z = X W^T + b.",
                lambda X, T, W, b: _ref_gradients(X, T, W, 0 * b), "bias forgotten"),
    ]
    return check("softmax_gradients", softmax_gradients, cases, _ref_gradients, mistakes, rtol=1e-7, atol=1e-10)


# ---------------------------------------------------------------------------------------------------------------
# Exercise 3: two classes are logistic regression
# ---------------------------------------------------------------------------------------------------------------


def _ref_logistic(W, b):
    return W[1] - W[0], b[1] - b[0]


@catching_output
def check_logistic_from_softmax(logistic_from_softmax):
    """Check ``logistic_from_softmax(W, b) -> (w, b0)`` with softmax(X W^T + b)[:, 1] == sigmoid(X w + b0)."""
    rng = np.random.default_rng(8)
    sets = [(rng.normal(size=(2, D)), rng.normal(size=2)) for D in (3, 5, 1)]
    cases = numpy_and_torch(sets)
    mistakes = [
        Mistake("you have the difference the wrong way round (sign error): P(class 1) = sigmoid(z_1 - z_0), so "
                "w = w_1 - w_0 and b0 = b_1 - b_0.", lambda W, b: (W[0] - W[1], b[0] - b[1]), "sign error"),
        Mistake("you took the columns of W: W is (K, D) = (2, D), one row per class; use its rows W[0] and W[1].",
                lambda W, b: (W[:, 1] - W[:, 0], b[1] - b[0]), "transposed W"),
        Mistake("your w is right but the bias is not: the biases subtract too, b0 = b_1 - b_0.",
                lambda W, b: (W[1] - W[0], b[1]), "bias not subtracted"),
        Mistake("you added the two classes' weights; softmax only depends on DIFFERENCES of logits: "
                "w = w_1 - w_0.", lambda W, b: (W[1] + W[0], b[1] + b[0]), "sum instead of difference"),
    ]
    return check("logistic_from_softmax", logistic_from_softmax, cases, _ref_logistic, mistakes)


__all__ = ["check_logistic_from_softmax", "check_softmax_cross_entropy", "check_softmax_gradients"]
