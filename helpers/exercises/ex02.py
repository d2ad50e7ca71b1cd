"""Checkers for notebook 02's assignment (the gradient, one descent step, the loop that stops by its own rule).

The gradient and the step are tried on NumPy arrays and on torch tensors (the assignment asks for code that
serves both); the loop on NumPy arrays. `check_normal_equations` checks a direct solution (NumPy).
"""

import numpy as np

from ._core import Case, Mistake, catching_output, check, numpy_and_torch


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    sets = []
    for N, D in [(6, 1), (15, 3), (40, 5)]:
        X = rng.normal(size=(N, D)) + rng.normal(size=D)
        sets.append((X, rng.normal(size=N), rng.normal(size=D), float(rng.normal())))
    return sets


def _ref_grad(X, t, w, b):
    r = X @ w + b - t
    return (r @ X) / X.shape[0], r.sum() / X.shape[0]


@catching_output
def check_gradients(grad_J):
    """Check ``grad_J(X, t, w, b) -> (dJ_dw, dJ_db)``: the partial derivatives of J = ||Xw + b - t||^2 / (2N)."""
    cases = numpy_and_torch(_inputs())

    def scaled(fw, fb):
        def wrong(X, t, w, b):
            dw, db = _ref_grad(X, t, w, b)
            return fw(dw, X), fb(db, X)
        return wrong

    def n(X):
        return X.shape[0]

    mistakes = [
        Mistake("both derivatives are N times too large: J averages over the N examples, so divide by N.",
                scaled(lambda dw, X: dw * n(X), lambda db, X: db * n(X)), "missing 1/N"),
        Mistake("dJ/dw is N times too large: divide X^T (y - t) by N.",
                scaled(lambda dw, X: dw * n(X), lambda db, X: db), "missing 1/N in dJ/dw"),
        Mistake("dJ/db is N times too large: it is the MEAN of the residuals y - t, not their sum.",
                scaled(lambda dw, X: dw, lambda db, X: db * n(X)), "db summed"),
        Mistake("both signs are flipped: the residual is y - t (prediction minus target), not t - y.",
                scaled(lambda dw, X: -dw, lambda db, X: -db), "sign error"),
        Mistake("both derivatives are twice too large: the 1/2 in J cancels the 2 from differentiating the square.",
                scaled(lambda dw, X: 2 * dw, lambda db, X: 2 * db), "factor 2"),
        Mistake("both derivatives are half the right ones: the 1/2 in J is cancelled by the 2 from differentiating "
                "the square, d/dy (y - t)^2 / 2 = y - t, so no 1/2 is left in the gradient.",
                scaled(lambda dw, X: dw / 2, lambda db, X: db / 2), "factor 1/2"),
        Mistake("you forgot the bias b in the predictions y = X w + b.",
                lambda X, t, w, b: _ref_grad(X, t, w, 0.0), "bias forgotten"),
        Mistake("the two outputs are swapped: return (dJ_dw, dJ_db), in that order.",
                lambda X, t, w, b: _ref_grad(X, t, w, b)[::-1], "swapped"),
    ]
    return check("grad_J", grad_J, cases, _ref_grad, mistakes, rtol=1e-9)


def _ref_step(X, t, w, b, lr):
    dw, db = _ref_grad(X, t, w, b)
    return w - lr * dw, b - lr * db


@catching_output
def check_gd_step(gd_step):
    """Check ``gd_step(X, t, w, b, lr) -> (w_new, b_new)``: one step of full-batch gradient descent."""
    cases = numpy_and_torch([args + (lr,) for args, lr in zip(_inputs(1), [0.1, 0.03, 0.5])])

    def sequential(X, t, w, b, lr):  # w updated first, then b's gradient taken at the new w
        w_new = w - lr * _ref_grad(X, t, w, b)[0]
        return w_new, b - lr * _ref_grad(X, t, w_new, b)[1]

    mistakes = [
        Mistake("that step goes uphill: subtract the gradient, w <- w - lr * dJ/dw.",
                lambda X, t, w, b, lr: _ref_step(X, t, w, b, -lr), "sign error"),
        Mistake("you forgot the learning rate: w <- w - lr * dJ/dw.",
                lambda X, t, w, b, lr: _ref_step(X, t, w, b, 1.0), "learning rate forgotten"),
        Mistake("b is not updated: the bias takes a step too, b <- b - lr * dJ/db.",
                lambda X, t, w, b, lr: (_ref_step(X, t, w, b, lr)[0], b), "bias not updated"),
        Mistake("you took b's derivative at the NEW w: compute both partial derivatives at the old (w, b) first, "
                "then update both.", sequential, "sequential update"),
        Mistake("you returned the change, -lr * gradient, not the new parameters w - lr * dJ/dw.",
                lambda X, t, w, b, lr: tuple(-lr * g for g in _ref_grad(X, t, w, b)), "returned the step"),
    ]
    return check("gd_step", gd_step, cases, _ref_step, mistakes, rtol=1e-9, numbers_for_scalars=True)


def _ref_normal(X, t):
    theta = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), t, rcond=None)[0]
    return theta[:-1], float(theta[-1])


@catching_output
def check_normal_equations(normal_equations):
    """Check ``normal_equations(X, t) -> (w, b)`` (NumPy): the minimizer of J from the centered normal equations."""
    rng = np.random.default_rng(2)
    cases = []
    for N, D in [(20, 1), (50, 3), (30, 5)]:
        X = rng.normal(size=(N, D)) * rng.uniform(0.5, 2, D) + rng.uniform(-5, 5, D)  # off-center on purpose
        cases.append(Case((X, X @ rng.normal(size=D) + 3.0 + 0.1 * rng.normal(size=N)), f"N = {N}, D = {D}"))

    def through_origin(X, t):
        return np.linalg.solve(X.T @ X, X.T @ t), 0.0

    def uncentered(X, t):
        w = np.linalg.solve(X.T @ X, X.T @ t)
        return w, float(t.mean() - X.mean(0) @ w)

    def centered(X, t):
        Xc, tc = X - X.mean(0), t - t.mean()
        return np.linalg.solve(Xc.T @ Xc, Xc.T @ tc)

    mistakes = [
        Mistake("b is missing: that line goes through the origin. Center X and t, solve for w, "
                "then b = mean(t) - mean(X) @ w.", through_origin, "bias forgotten"),
        Mistake("w is off because X and t were not centered before forming X^T X and X^T t "
                "(or use a column of ones for b).", uncentered, "not centered"),
        Mistake("b has the wrong sign: b = mean(t) - mean(X) @ w.",
                lambda X, t: (centered(X, t), float(X.mean(0) @ centered(X, t) - t.mean())), "sign error in b"),
        Mistake("b = mean(t) - mean(X) @ w: subtract the mean input's prediction too.",
                lambda X, t: (centered(X, t), float(t.mean())), "b = mean(t)"),
        Mistake("w is N times too small: divide both sides by N, or neither (Xc^T Xc w = Xc^T tc).",
                lambda X, t: (centered(X, t) / len(t), float(t.mean() - X.mean(0) @ centered(X, t) / len(t))),
                "scaled one side"),
    ]
    return check("normal_equations", normal_equations, cases, _ref_normal, mistakes, rtol=1e-7)


def _ref_fit_gd(X, t, lr, max_steps, tol):
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        dw, db = _ref_grad(X, t, w, b)
        if np.sqrt(dw @ dw + db * db) < tol:
            return w, b, k
        w, b = w - lr * dw, b - lr * db
    return w, b, max_steps


def _fit_gd_variant(stop, start=0, update_b=True):
    """A loop like the reference with another stopping test ``stop(dw, db, tol)`` or step count offset."""

    def run(X, t, lr, max_steps, tol):
        w, b = np.zeros(X.shape[1]), 0.0
        for k in range(max_steps):
            dw, db = _ref_grad(X, t, w, b)
            if stop(dw, db, tol):
                return w, b, k + start
            w, b = w - lr * dw, (b - lr * db if update_b else b)
        return w, b, max_steps
    return run


def _count_short(X, t, lr, max_steps, tol):  # updates, then tests, and returns k: one update not counted
    w, b = np.zeros(X.shape[1]), 0.0
    for k in range(max_steps):
        dw, db = _ref_grad(X, t, w, b)
        w, b = w - lr * dw, b - lr * db
        dw, db = _ref_grad(X, t, w, b)
        if np.sqrt(dw @ dw + db * db) < tol:
            return w, b, k
    return w, b, max_steps


def _fit_gd_cases():
    rng = np.random.default_rng(5)
    cases = []
    for N, D, lr, max_steps, tol in [(30, 1, 0.3, 500, 1e-4), (50, 3, 0.2, 1000, 1e-6), (40, 2, 0.05, 60, 1e-8)]:
        X = rng.normal(size=(N, D)) + 0.5
        t = X @ rng.normal(size=D) + 1.0 + 0.1 * rng.normal(size=N)
        cases.append(Case((X, t, lr, max_steps, tol), f"N = {N}, D = {D}, lr = {lr}, max_steps = {max_steps}"))
    return cases


@catching_output
def check_fit_gd(fit_gd):
    """Check ``fit_gd(X, t, lr, max_steps, tol) -> (w, b, steps)``: gradient descent from w = 0, b = 0 that stops
    before the first update at which the gradient's norm is below ``tol``, or after ``max_steps`` updates (NumPy)."""
    norm = lambda dw, db: np.sqrt(dw @ dw + db * db)  # noqa: E731
    mistakes = [
        Mistake("your loop never stopped early: before each update, compute the gradient's norm "
                "sqrt(||dJ/dw||^2 + (dJ/db)^2) and stop (return) when it is below tol.",
                _fit_gd_variant(lambda dw, db, tol: False), "never stops"),
        Mistake("your step count is one short: you updated, then tested, and returned k, but k + 1 updates were "
                "made by then. Test the gradient at the current (w, b) BEFORE updating; steps = updates made.",
                _count_short, "count off by one"),
        Mistake("your step count is one too many: `steps` is the number of updates made, k in `for k in range(...)` "
                "when the test succeeds at the start of iteration k.",
                _fit_gd_variant(lambda dw, db, tol: norm(dw, db) < tol, start=1), "count off by one"),
        Mistake("you compared the SQUARED norm with tol (it stops too early); take the square root, "
                "np.sqrt(dw @ dw + db ** 2) < tol.",
                _fit_gd_variant(lambda dw, db, tol: dw @ dw + db * db < tol), "squared norm"),
        Mistake("your stopping test ignores dJ/db: the gradient has D + 1 entries, include the bias's.",
                _fit_gd_variant(lambda dw, db, tol: np.sqrt(dw @ dw) < tol), "norm without db"),
        Mistake("b is never updated: take the step b <- b - lr * dJ/db too.",
                _fit_gd_variant(lambda dw, db, tol: norm(dw, db) < tol, update_b=False), "bias not updated"),
    ]
    return check("fit_gd", fit_gd, _fit_gd_cases(), _ref_fit_gd, mistakes, rtol=1e-7, atol=1e-10)
