"""Checkers for notebook 05's programming assignment: softmax regression by minibatch SGD, in NumPy.

Step 1 is the mean softmax cross-entropy from the logits, computed stably; step 2 the gradients of W and b from
dL/dz = y - t; step 3 the minibatch SGD loop. The assignment is a NumPy one (the lecture's code is NumPy), so the
checkers try NumPy inputs only. Step 1 tells apart the two ways a cross-entropy breaks for large logits: exp(z)
overflowing (no shift by the largest logit), and, with the shift, a probability that underflows to 0 whose log
is -inf (log of the softmax instead of log-sum-exp).
"""

import numpy as np

from ._core import Mistake, Result, _copy, _student_line, _to_numpy, catching_output, check, numpy_only


def _log_softmax(z, axis=1):
    s = z - np.max(z, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _softmax(z, axis=1):
    return np.exp(_log_softmax(z, axis))


def _one_hot(labels, K):
    return np.eye(K)[labels]


# ---------------------------------------------------------------------------------------------------------------
# Step 1: the stable cross-entropy
# ---------------------------------------------------------------------------------------------------------------


def _ref_cross_entropy(z, T):
    return -(T * _log_softmax(z)).sum() / z.shape[0]


def _cross_entropy_inputs(rng, scale):
    sets = []
    for N, K in [(6, 3), (10, 5), (1, 4)]:
        z = rng.normal(size=(N, K)) * scale
        sets.append((z, _one_hot(rng.integers(0, K, size=N), K)))
    return sets


def _overflow_inputs():
    """Logits near +-1000 that differ by a few units: exp(z) overflows, exp(z - max) does not underflow."""
    rng = np.random.default_rng(6)
    z = 1000.0 * np.sign(rng.normal(size=(5, 1))) + rng.normal(scale=2.0, size=(5, 4))
    return z, _one_hot(rng.integers(0, 4, size=5), 4)


def _underflow_inputs():
    """Logits hundreds apart: after the shift, some exp(z - max) round to 0, and the targets pick such classes."""
    z = np.array([[0.0, -800.0, 3.0], [500.0, -300.0, 499.0], [-2.0, 1.0, 900.0], [10.0, 11.0, 12.0]])
    return z, _one_hot(np.array([1, 1, 0, 2]), 3)


_OVERFLOW_HINT = ("✘ cross_entropy: correct for small logits, but NaN or inf for logits near ±1000: exp(z) overflows "
                  "(e^710 is already inf in float64). Subtract each row's largest logit m first; the softmax does "
                  "not change, and no exponent is above 0.")
_UNDERFLOW_HINT = ("✘ cross_entropy: no overflow any more, but NaN or inf when the logits are hundreds apart: there "
                   "some probabilities y_k are below 1e-308 and round to exactly 0, so log y_k = log 0 = -inf (and "
                   "0 * log 0 = NaN). Do not take the log of the softmax: write log y_k itself from the logits, "
                   "log y_k = (z_k - m) - log sum_j exp(z_j - m) (the log-sum-exp trick).")


@catching_output
def check_softmax_cross_entropy(cross_entropy):
    """Check ``cross_entropy(z, T) -> J``: the mean over N of -sum_k T_ik log softmax(z_i)_k, computed stably."""
    rng = np.random.default_rng(5)
    cases = numpy_only(_cross_entropy_inputs(rng, 2.0))
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
                lambda z, T: _ref_cross_entropy(z, T) - np.mean(np.max(z, axis=1)), "max not added back"),
        Mistake("you forgot the log-sum-exp term: log y_k = z_k - log sum_j exp(z_j), not z_k alone.",
                lambda z, T: -(T * z).sum() / z.shape[0], "normalizer missing"),
    ]
    result = check("cross_entropy", cross_entropy, cases, _ref_cross_entropy, mistakes)
    if not result.passed:
        return result
    for (z, T), hint, key in [(_overflow_inputs(), _OVERFLOW_HINT, "overflow"),
                              (_underflow_inputs(), _UNDERFLOW_HINT, "log of 0")]:
        got = _run_quiet(cross_entropy, z, T)
        if isinstance(got, Result):
            return got
        got = float(_to_numpy(got)) if np.ndim(_to_numpy(got)) == 0 else np.nan
        expected = float(_ref_cross_entropy(z, T))
        if not np.isfinite(got):
            return Result("cross_entropy", False, hint, key)
        if not np.isclose(got, expected, rtol=1e-9):
            return Result("cross_entropy", False,
                          f"✘ cross_entropy: correct for small logits but not for large ones (|z| in the hundreds): "
                          f"got {got:.6g}, expected {expected:.6g}. An epsilon inside the log, or clipped "
                          f"probabilities? Write log y_k = (z_k - m) - log sum_j exp(z_j - m) instead.",
                          "wrong for large logits")
    return Result("cross_entropy", True, f"✔ cross_entropy: correct on all {len(cases) + 2} inputs (NumPy), "
                  "including logits near ±1000 (where exp() overflows) and logits hundreds apart (where "
                  "softmax probabilities underflow to 0). Well done!")


def _run_quiet(fn, *args):
    """fn(*args) with NumPy's floating-point warnings silenced; an exception becomes a failing Result."""
    try:
        with np.errstate(all="ignore"):
            return fn(*[_copy(a) for a in args])
    except Exception as exc:
        lineno, line = _student_line(exc)
        at = f" at line {lineno}: `{line}`" if line else ""
        name = getattr(fn, "__name__", "cross_entropy")
        return Result(name, False, f"✘ {name} raised {type(exc).__name__} on large logits{at}: {exc}", "exception")


# ---------------------------------------------------------------------------------------------------------------
# Step 2: the gradients of softmax regression
# ---------------------------------------------------------------------------------------------------------------


def _ref_gradients(X, T, W, b):
    E = (_softmax(X @ W.T + b) - T) / X.shape[0]  # (Y - T) / N, shape (N, K)
    return E.T @ X, E.sum(0)


def _gradient_problems(seed, shapes):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(N, D)), _one_hot(rng.integers(0, K, size=N), K), rng.normal(size=(K, D)),
             rng.normal(size=K)) for N, D, K in shapes]


@catching_output
def check_softmax_gradients(softmax_gradients):
    """Check ``softmax_gradients(X, T, W, b) -> (dJ/dW (K, D), dJ/db (K,))`` for softmax regression."""
    cases = numpy_only(_gradient_problems(7, [(8, 3, 4), (12, 5, 2), (6, 4, 4)]))

    def scaled(s):
        return lambda X, T, W, b: tuple(g * s(X) for g in _ref_gradients(X, T, W, b))

    def with_error(E_of):
        def wrong(X, T, W, b):
            E = E_of(X, T, W, b)
            return E.T @ X, E.sum(0)

        return wrong

    mistakes = [
        Mistake("your gradients are N times too large: the cost is a mean, so divide by N (the 1/N is missing).",
                scaled(lambda X: X.shape[0]), "missing 1/N"),
        Mistake("your gradients point the wrong way (sign error): dJ/dz = y - t, not t - y.",
                scaled(lambda X: -1), "sign error"),
        Mistake("your gradients are half the right ones: dL/dz = y - t has no factor 1/2.",
                scaled(lambda X: 0.5), "factor 1/2"),
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
        Mistake("you used the logits Z instead of the probabilities Y = softmax(Z): dL/dz = y - t.",
                with_error(lambda X, T, W, b: (X @ W.T + b - T) / X.shape[0]), "no softmax"),
    ]
    return check("softmax_gradients", softmax_gradients, cases, _ref_gradients, mistakes, rtol=1e-7, atol=1e-10)


# ---------------------------------------------------------------------------------------------------------------
# Step 3: minibatch stochastic gradient descent
# ---------------------------------------------------------------------------------------------------------------


def _sgd(X, T, lr, epochs, batch_size, seed, order="shuffle", drop_last=False, mean_over_N=False):
    rng = np.random.default_rng(seed)
    N, D, K = X.shape[0], X.shape[1], T.shape[1]
    W, b = np.zeros((K, D)), np.zeros(K)
    fixed = rng.permutation(N) if order == "once" else np.arange(N)
    for _ in range(epochs):
        if order == "cumulative":  # rng.shuffle(idx) of one index array, epoch after epoch: as random, as right
            rng.shuffle(fixed)
        perm = rng.permutation(N) if order == "shuffle" else fixed
        stop = N - N % batch_size if drop_last else N
        for start in range(0, stop, batch_size):
            i = perm[start:start + batch_size]
            dW, db = _ref_gradients(X[i], T[i], W, b)
            scale = len(i) / N if mean_over_N else 1.0
            W, b = W - lr * scale * dW, b - lr * scale * db
    return W, b


def _ref_sgd(X, T, lr, epochs, batch_size, seed):
    return _sgd(X, T, lr, epochs, batch_size, seed)


def _sgd_problems():
    rng = np.random.default_rng(9)
    sets = []
    for (N, D, K), lr, epochs, B, seed in [((10, 3, 4), 0.5, 2, 3, 0), ((8, 2, 3), 1.0, 3, 8, 1),
                                           ((7, 3, 2), 0.3, 1, 1, 2), ((13, 4, 3), 0.8, 3, 5, 3)]:
        X = rng.normal(size=(N, D))
        sets.append((X, _one_hot(rng.integers(0, K, size=N), K), lr, epochs, B, seed))
    return sets


@catching_output
def check_train_softmax(train_softmax):
    """Check ``train_softmax(X, T, lr, epochs, batch_size, seed) -> (W, b)``: minibatch SGD from zeros.

    Each epoch visits the examples in the order ``rng.permutation(N)`` of ``rng = np.random.default_rng(seed)``
    (made once, before the epochs), in batches of ``batch_size`` (the last one may be smaller). Shuffling one
    index array in place with ``rng.shuffle`` each epoch (a different, equally random order) is accepted too.
    """
    mistakes = [
        Mistake("your steps go uphill (sign error): W <- W - lr dJ/dW and b <- b - lr dJ/db.",
                lambda X, T, lr, e, B, s: _sgd(X, T, -lr, e, B, s), "sign error"),
        Mistake("you visit the examples in their stored order: shuffle them at the start of every epoch, "
                "order = rng.permutation(N).", lambda X, T, lr, e, B, s: _sgd(X, T, lr, e, B, s, order="none"),
                "no shuffle"),
        Mistake("every epoch uses the same order: draw a new order = rng.permutation(N) at the start of each epoch "
                "(and make rng = np.random.default_rng(seed) once, before the epoch loop, not inside it).",
                lambda X, T, lr, e, B, s: _sgd(X, T, lr, e, B, s, order="once"), "same order every epoch"),
        Mistake("the last, smaller batch is missing: when batch_size does not divide N, the last batch holds the "
                "N % batch_size examples left; range(0, N, batch_size) visits it.",
                lambda X, T, lr, e, B, s: _sgd(X, T, lr, e, B, s, drop_last=True), "last batch dropped"),
        Mistake("your updates are too small by (batch size)/N: average each batch's gradient over the batch, not "
                "over all N examples (softmax_gradients on X[i], T[i] does that).",
                lambda X, T, lr, e, B, s: _sgd(X, T, lr, e, B, s, mean_over_N=True), "averaged over N"),
        Mistake("one epoch too few: run exactly `epochs` passes over the data.",
                lambda X, T, lr, e, B, s: _sgd(X, T, lr, e - 1, B, s), "one epoch too few"),
        Mistake("one epoch too many: run exactly `epochs` passes over the data.",
                lambda X, T, lr, e, B, s: _sgd(X, T, lr, e + 1, B, s), "one epoch too many"),
        Mistake("the bias never moved: update b too, b <- b - lr dJ/db.",
                lambda X, T, lr, e, B, s: (_no_bias(X, T, lr, e, B, s), np.zeros(T.shape[1])), "bias not updated"),
    ]
    result = check("train_softmax", train_softmax, numpy_only(_sgd_problems()), _ref_sgd, mistakes)
    if not result and result.hint == "wrong values":  # the same SGD with the other way to reshuffle?
        again = check("train_softmax", train_softmax, numpy_only(_sgd_problems()),
                      lambda X, T, lr, e, B, s: _sgd(X, T, lr, e, B, s, order="cumulative"))
        if again:
            return again
    if not result and result.hint == "wrong values":
        result.message += (" Start from W = np.zeros((K, D)) and b = np.zeros(K); make rng = "
                           "np.random.default_rng(seed) once; each epoch, order = rng.permutation(N), then one update "
                           "per batch i = order[start:start + batch_size], with both gradients at the current (W, b).")
    return result


def _no_bias(X, T, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    W, b = np.zeros((T.shape[1], X.shape[1])), np.zeros(T.shape[1])
    for _ in range(epochs):
        perm = rng.permutation(X.shape[0])
        for start in range(0, X.shape[0], batch_size):
            i = perm[start:start + batch_size]
            W = W - lr * _ref_gradients(X[i], T[i], W, b)[0]
    return W


__all__ = ["check_softmax_cross_entropy", "check_softmax_gradients", "check_train_softmax"]
