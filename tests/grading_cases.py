"""Notebook-specific cases for the grader's tests and benchmark: update these with the assignments.

WRONG: notebook -> [(function, wrong body, a substring of the hint the checker gives for it)]. Each body replaces
the function's solution lines in the solution notebook (it may use whatever the notebook has imported by then);
a submission with these bodies is right on the other steps and wrong on these, so it must get the partial score
and, for each, the hint the student sees in the notebook. Keep at least one step of each notebook right.

END_TO_END: the notebook the tests run end to end (the quickest to execute); the benchmark uses all of them.
"""

WRONG = {
    "01_vectorization": [
        ("predict_vectorized", "return X @ w", "you forgot the bias b"),
        ("cost_many", "R = X @ W.T + b - t[:, None]\nreturn (R * R).sum(1) / (2 * X.shape[0])", "wrong axis"),
    ],
    "02_direct_vs_gradient_descent": [
        ("grad_J", "r = X @ w + b - t\nreturn X.T @ r, r.sum()", "N times too large"),
        ("normal_equations", "return np.linalg.solve(X.T @ X, X.T @ t), 0.0", "b is missing"),
    ],
    "03_feature_maps": [
        ("my_standardize", "return (x_train - x_train.mean()) / x_train.std(), "
                           "(x_other - x_other.mean()) / x_other.std()", "TRAINING set's statistics"),
        ("my_choose_degree", "errors = [rmse(polynomial_features(x_val, M) @ fit_polynomial(x_train, t_train, M), "
                             "t_val) for M in degrees]\nreturn int(np.argmin(errors))", "not the degree"),
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
    "06_pytorch_idiom": [  # one function checked in two steps: a wrong loop fails both
        ("train_softmax", "model = nn.Linear(X.shape[1], K, dtype=X.dtype)\n"
                          "nn.init.zeros_(model.weight)\nnn.init.zeros_(model.bias)\n"
                          "loss_fn = nn.CrossEntropyLoss()\n"
                          "optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)\n"
                          "for epoch in range(epochs):\n"
                          "    loss = loss_fn(model(X), labels) + l2 / 2 * (model.weight ** 2).sum()\n"
                          "    loss.backward()\n    optimizer.step()\n"
                          "return model.weight.detach(), model.bias.detach()", "the gradients accumulate"),
    ],
}

END_TO_END = "03_feature_maps"


def namespace():
    """What the wrong bodies may use, to run them outside their notebook (the checker's local verdict)."""
    import numpy as np
    import torch
    from array_api_compat import array_namespace, device
    from torch import nn

    import helpers
    from helpers import softmax

    names = {k: getattr(helpers, k) for k in helpers.__all__ if not k.startswith("_")}
    return {**names, "np": np, "helpers": helpers, "array_namespace": array_namespace, "device": device,
            "softmax": softmax, "torch": torch, "nn": nn}
