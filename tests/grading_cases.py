"""Notebook-specific cases for the grader's tests and benchmark: update these with the assignments.

WRONG: notebook -> [(function, wrong body, a substring of the hint the checker gives for it)], one per function.
Each body replaces the function's solution lines in the solution notebook (it may use whatever the notebook has
imported by then); a submission with these bodies is right on the other steps and wrong on these, so it must get the
partial score and, for each, the hint the student sees in the notebook. Keep at least one step of each notebook
right.

END_TO_END: the notebook the tests run end to end (the quickest to execute); the benchmark uses all of them.
"""

WRONG = {
    "01_vectorization": [
        ("predict", "return X @ w", "you forgot the bias b"),
        ("cost", "y = np.dot(X, w) + b\nreturn np.sum((y - t) ** 2) / 2. * len(t)", "`/ 2. * N`"),
        ("cost_many", "R = X @ W.T + b - t[:, None]\nreturn (R * R).sum(1) / (2 * X.shape[0])", "wrong axis"),
    ],
    "02_direct_vs_gradient_descent": [
        ("grad_J", "r = X @ w + b - t\nreturn [X.T @ r / (2 * len(t)), r.mean()]", "exactly half"),
        ("fit_gd", "w, b = np.zeros(X.shape[1]), 0.0\nfor k in range(max_steps):\n"
                   "    dw, db = helpers.gradients(X, t, w, b)\n    w, b = w - lr * dw, b - lr * db\n"
                   "return w, b, max_steps", "never stopped early"),
    ],
    "03_feature_maps": [
        ("my_fit_polynomial", "return np.polyfit(x, t, degree)", "np.polyfit's order"),
        ("my_choose_degree", "errors = [rmse(polynomial_features(x_train, M) @ fit_polynomial(x_val, t_val, M), "
                             "t_train) for M in degrees]\nreturn degrees[int(np.argmin(errors))]", "roles are swapped"),
    ],
    "04_logistic_regression": [
        ("cross_entropy", "xp = array_namespace(z, t)\n"
                          "return -xp.mean(z.clip(min=0) - t * z + xp.log1p(xp.exp(-xp.abs(z))))", "loss is negative"),
        ("logistic_step", "dw, db = logistic_gradients(X, t, w, b)\nreturn w - lr * dw, b - lr * db",
         "penalty l2 ||w||^2 / 2 is missing"),
    ],
    "05_softmax_regression": [
        ("softmax_gradients", "Y = softmax(X @ W.T + b)\nreturn (Y - T).T @ X, (Y - T).sum(0)", "N times too large"),
        ("logistic_from_softmax", "return W[0] - W[1], b[0] - b[1]", "wrong way round"),
    ],
}

END_TO_END = "03_feature_maps"


def namespace():
    """What the wrong bodies may use, to run them outside their notebook (the checker's local verdict)."""
    import numpy as np
    from array_api_compat import array_namespace, device

    import helpers
    from helpers import softmax

    names = {k: getattr(helpers, k) for k in helpers.__all__ if not k.startswith("_")}
    return {**names, "np": np, "helpers": helpers, "array_namespace": array_namespace, "device": device,
            "softmax": softmax}
