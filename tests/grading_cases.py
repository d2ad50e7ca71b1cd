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
        ("cross_entropy", "return -np.mean(np.maximum(z, 0) - t * z + np.log1p(np.exp(-np.abs(z))))",
         "loss is negative"),
        ("train_logistic", "w, b = np.zeros(X.shape[1]), 0.0\nfor _ in range(steps):\n"
                           "    dw, db = cross_entropy_gradients(X, t, w, b)\n    w = w - lr * dw\nreturn w, b",
         "bias never moved"),
    ],
    "05_softmax_regression": [
        ("softmax_gradients", "Y = softmax(X @ W.T + b)\nreturn (Y - T).T @ X, (Y - T).sum(0)", "N times too large"),
        ("train_softmax", "W, b = np.zeros((T.shape[1], X.shape[1])), np.zeros(T.shape[1])\n"
                          "for _ in range(epochs):\n    for start in range(0, len(X), batch_size):\n"
                          "        i = np.arange(start, min(start + batch_size, len(X)))\n"
                          "        dW, db = softmax_gradients(X[i], T[i], W, b)\n"
                          "        W, b = W - lr * dW, b - lr * db\nreturn W, b", "stored order"),
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
            "softmax": softmax, "torch": torch, "nn": nn, **_earlier_steps()}


def _earlier_steps():
    """Right solutions of the steps a later step calls (04 and 05's training loops call their step 2), standing
    in for the student's, which a notebook defines in an earlier cell."""
    from helpers import logistic_gradients, softmax

    def cross_entropy_gradients(X, t, w, b):  # 04, step 2
        return logistic_gradients(X, t, w, b)

    def softmax_gradients(X, T, W, b):  # 05, step 2
        E = (softmax(X @ W.T + b, axis=1) - T) / X.shape[0]
        return E.T @ X, E.sum(0)

    return {"cross_entropy_gradients": cross_entropy_gradients, "softmax_gradients": softmax_gradients}
