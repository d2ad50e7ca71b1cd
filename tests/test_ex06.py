"""Notebook 06's checkers, tried the way students pass and fail them: several right loops written differently
pass; the typical wrong loops fail with their own hint. The reference iterates are checked against an
independent computation (autograd + plain tensor updates)."""

import numpy as np
import pytest
import torch
from torch import nn

from helpers import frameworks
from helpers.exercises import check_torch_loop, check_torch_loop_digits, ex06

# ------------------------------------------------------------------------------------------- right loops


def right_plain(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
    model = nn.Linear(X.shape[1], K, dtype=X.dtype)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), labels) + l2 / 2 * (model.weight ** 2).sum()
        loss.backward()
        optimizer.step()
    return model.weight.detach(), model.bias.detach()


def right_weight_decay_group(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
    """The penalty as weight decay on the weights' parameter group only."""
    model = nn.Linear(X.shape[1], K).to(X.dtype)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    optimizer = torch.optim.SGD([{"params": [model.weight], "weight_decay": l2}, {"params": [model.bias]}],
                                lr=lr, momentum=momentum)
    criterion = nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.zero_grad(set_to_none=False)
        criterion(model(X), labels).backward()
        optimizer.step()
    return model.weight.data.clone(), model.bias.data.clone()


class Softmax(nn.Module):
    def __init__(self, D, K, dtype):
        super().__init__()
        self.linear = nn.Linear(D, K, dtype=dtype)
        nn.init.constant_(self.linear.weight, 0.0)
        nn.init.constant_(self.linear.bias, 0.0)

    def forward(self, X):
        return self.linear(X)


def right_module(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
    """An nn.Module subclass, the penalty written with torch.sum, the loss as a list of numbers."""
    model = Softmax(X.shape[1], K, X.dtype)
    opt = torch.optim.SGD(model.parameters(), lr, momentum=momentum)
    history = []
    epoch = 0
    while epoch < epochs:
        opt.zero_grad()
        J = nn.CrossEntropyLoss()(model(X), labels) + 0.5 * l2 * torch.sum(model.linear.weight * model.linear.weight)
        J.backward()
        opt.step()
        history.append(J.item())
        epoch += 1
    return model.linear.weight.detach().clone(), model.linear.bias.detach().clone()


# ------------------------------------------------------------------------------------------- wrong loops


def loop(*, zero_grad="before", softmax_first=False, step=True, decay_all=False, half=0.5, use_momentum=True,
         random_start=False, float32=False):
    def train_softmax(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
        model = nn.Linear(X.shape[1], K, dtype=torch.float32 if float32 else X.dtype)
        if not random_start:
            nn.init.zeros_(model.weight)
            nn.init.zeros_(model.bias)
        loss_fn = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum if use_momentum else 0.0,
                                    weight_decay=l2 if decay_all else 0.0)
        for _ in range(epochs):
            if zero_grad == "before":
                optimizer.zero_grad()
            z = model(X)
            loss = loss_fn(torch.softmax(z, dim=1) if softmax_first else z, labels)
            if not decay_all:
                loss = loss + half * l2 * (model.weight ** 2).sum()
            loss.backward()
            if zero_grad == "between":
                optimizer.zero_grad()
            if step:
                optimizer.step()
        return model.weight.detach(), model.bias.detach()

    return train_softmax


def not_done(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
    # YOUR CODE HERE
    raise NotImplementedError("exercise not done yet")


@pytest.mark.parametrize("fn", [right_plain, right_weight_decay_group, right_module])
def test_right_loops_pass(fn):
    result = check_torch_loop(fn)
    assert result.passed, result.message


WRONG = [
    (loop(zero_grad="never"), "missing zero_grad", "zero_grad"),
    (loop(softmax_first=True), "softmax before the loss", "LOGITS"),
    (loop(softmax_first=True, zero_grad="never"), "softmax before the loss", "LOGITS"),  # one bug at a time
    (loop(step=False), "no optimizer.step()", "optimizer.step()"),
    (loop(zero_grad="between"), "no optimizer.step()", "between backward and step"),
    (loop(decay_all=True), "penalty on the bias", "model.bias"),
    (loop(half=1.0), "penalty without 1/2", "twice too strong"),
    (loop(half=0.0), "penalty missing", "penalty is missing"),
    (loop(use_momentum=False), "momentum ignored", "momentum=momentum"),
    (loop(random_start=True), "random start", "nn.init.zeros_"),
    (loop(float32=True), "dtype mismatch", "dtype=X.dtype"),
    (not_done, "not implemented", "not implemented yet"),
]


@pytest.mark.parametrize("fn, key, phrase", WRONG, ids=[w[1] + f"-{i}" for i, w in enumerate(WRONG)])
def test_wrong_loops_get_their_hint(fn, key, phrase):
    result = check_torch_loop(fn)
    assert not result.passed and result.hint == key and phrase in result.message, (result.hint, result.message)


def test_an_exception_in_the_loop_is_reported_with_its_line():
    def train_softmax(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
        model = nn.Linear(X.shape[1], K, dtype=X.dtype)
        return model.weights.detach(), model.bias.detach()  # typo: .weights

    result = check_torch_loop(train_softmax)
    assert not result.passed and result.hint == "exception" and "weights" in result.message


def test_the_reference_iterates_are_autograd_and_torch_sgd():
    """The hand-derived iterates against autograd's gradients and torch.optim.SGD on raw tensors (no nn)."""
    X, labels = ex06._problem(7, 15, 4, 3)
    l2, lr, epochs, momentum = 0.2, 0.3, 7, 0.8
    W = torch.zeros(3, 4, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr, momentum=momentum)
    for _ in range(epochs):
        opt.zero_grad()
        Z = X @ W.T + b
        logp = Z - torch.logsumexp(Z, dim=1, keepdim=True)
        J = -logp[torch.arange(15), labels].mean() + l2 / 2 * (W ** 2).sum()
        J.backward()
        opt.step()
    W_ref, b_ref = ex06._reference(X, labels, 3, l2, lr, epochs, momentum)
    np.testing.assert_allclose(W_ref.numpy(), W.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b_ref.numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------------------------------- the digits


def test_the_digits_reference_is_notebook_05s_and_near_sklearns_optimum():
    from sklearn.linear_model import LogisticRegression

    p = frameworks.digits_problem()
    assert 0.9 < p["reference_accuracy"] <= 1
    N = p["X"].shape[0]
    sk = LogisticRegression(C=1 / (N * p["l2"]), max_iter=5000, tol=1e-10).fit(p["X"].astype(np.float64), p["labels"])
    J_sk = frameworks.softmax_objective(sk.coef_, sk.intercept_, p["X"], p["labels"], p["l2"])
    assert abs(J_sk - p["J_min"]) < 1e-5
    p["X"][:] = 0  # a copy: the checker's data is untouched
    assert frameworks.digits_problem()["X"].any()


def test_a_converged_loop_passes_the_digits_check():
    result = check_torch_loop_digits(right_plain)
    assert result.passed, result.message
    assert "notebook 05's model" in result.message


def test_a_loop_stopped_too_early_fails_the_digits_check():
    def short(X, labels, K, l2=0.0, lr=2.0, epochs=5, momentum=0.0):
        return right_plain(X, labels, K, l2, lr, epochs, momentum)

    result = check_torch_loop_digits(short)
    assert not result.passed and result.hint == "not converged" and "raise the default epochs" in result.message


def test_a_diverging_loop_is_told_so_on_the_digits():
    result = check_torch_loop_digits(loop(zero_grad="never"))
    assert not result.passed and "higher than at the start" in result.message, result.message


def test_the_digits_check_wants_the_penalty():
    """Without the L2 penalty the weights solve another problem: J(W, b) with the penalty is off."""
    def unpenalized(X, labels, K, l2=0.0, lr=2.0, epochs=400, momentum=0.9):
        return right_plain(X, labels, K, 0.0, lr, epochs, momentum)

    result = check_torch_loop_digits(unpenalized)
    assert not result.passed and result.hint == "not converged", result.message


def test_a_diverged_or_misshapen_answer_fails_the_digits_check():
    def nan(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
        return torch.full((K, X.shape[1]), float("nan")), torch.zeros(K)

    def transposed(X, labels, K, l2=0.0, lr=2.0, epochs=200, momentum=0.9):
        W, b = right_plain(X, labels, K, l2, lr, 3, momentum)
        return W.T, b

    assert check_torch_loop_digits(nan).hint == "diverged"
    assert check_torch_loop_digits(transposed).hint == "structure"
    assert check_torch_loop_digits(not_done).hint == "not implemented"
