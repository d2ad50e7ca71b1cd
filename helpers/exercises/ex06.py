"""Checkers for notebook 06's assignment: softmax regression's training loop in PyTorch's idiom.

The student writes ``train_softmax(X, labels, K, l2, lr, epochs, momentum) -> (W, b)`` with ``nn.Linear``,
``nn.CrossEntropyLoss`` and ``torch.optim.SGD``, starting from zeros. Both checkers call it with tensors and
numbers only and read back two tensors, so they work through the grader's proxy.

* `check_torch_loop`: a few epochs on small float64 problems, compared with the hand-derived iterates
  (W <- W - lr (dJ/dW), dJ/dW = (Y - T)^T X / N + l2 W, dJ/db = sum_i (y_i - t_i) / N, PyTorch's momentum
  buffer v <- momentum v + g), to 1e-8. Typical wrong loops (no ``zero_grad``, softmax before the loss, no
  ``optimizer.step()``, the penalty on the bias or without its 1/2, momentum ignored) get their own hint.
* `check_torch_loop_digits`: the loop with the student's default lr, epochs and momentum on the bundled
  digits (notebook 05's split, l2 = 1/N): the test accuracy within 1 point of notebook 05's from-scratch model,
  and the objective within 0.005 of its minimum, so the learned W and b solve the same problem.
"""

import numpy as np
import torch

from ..frameworks import digits_problem
from ..frameworks import softmax_objective as objective
from ._core import Case, Mistake, Result, _to_numpy, catching_output, check

# ---------------------------------------------------------------------------------------------------------------
# The hand-derived iterates, and what typical wrong loops compute instead
# ---------------------------------------------------------------------------------------------------------------


def _gradient(X, labels, W, b, l2, softmax_first=False, bias_penalty=False, penalty=0.5):
    """dJ/dW, dJ/db of the mean cross-entropy + penalty * l2 ||W||^2 (autograd for the softmax-first bug)."""
    if softmax_first:
        W, b = W.detach().requires_grad_(), b.detach().requires_grad_()
        Z = torch.softmax(X @ W.T + b, dim=1)
        J = torch.nn.functional.cross_entropy(Z, labels) + penalty * l2 * (W * W).sum()
        J.backward()
        return W.grad, b.grad
    K = W.shape[0]
    E = (torch.softmax(X @ W.T + b, dim=1) - torch.nn.functional.one_hot(labels, K).to(X.dtype)) / X.shape[0]
    dW, db = E.T @ X + 2 * penalty * l2 * W, E.sum(0)
    return dW, db + (2 * penalty * l2 * b if bias_penalty else 0)


def _iterates(X, labels, K, l2, lr, epochs, momentum, *, accumulate=False, step=True, **how):
    """(W, b) after ``epochs`` steps of torch.optim.SGD's rule from zeros, done by hand."""
    W = torch.zeros(K, X.shape[1], dtype=X.dtype)
    b = torch.zeros(K, dtype=X.dtype)
    gW, gb = torch.zeros_like(W), torch.zeros_like(b)  # .grad, which accumulates when it is never zeroed
    vW, vb = None, None
    for _ in range(epochs):
        dW, db = _gradient(X, labels, W, b, l2, **how)
        gW, gb = (gW + dW, gb + db) if accumulate else (dW, db)
        if not step:
            continue
        vW, vb = (gW, gb) if vW is None else (momentum * vW + gW, momentum * vb + gb)
        W, b = W - lr * vW, b - lr * vb
    return W, b


def _reference(X, labels, K, l2, lr, epochs, momentum):
    return _iterates(X, labels, K, l2, lr, epochs, momentum)


def _mistake(hint, key, **how):
    return Mistake(hint, lambda X, labels, K, l2, lr, epochs, momentum: _iterates(
        X, labels, K, l2, lr, epochs, momentum, **how), key)


MISTAKES = [
    _mistake("your W and b are still zeros: the parameters never moved. Call optimizer.step() after "
             "loss.backward() (and optimizer.zero_grad() before the backward, not between backward and step).",
             "no optimizer.step()", step=False),
    _mistake("the gradients accumulate: without optimizer.zero_grad() at the start of each step, .grad holds "
             "the sum of all the gradients so far (backward() adds to .grad; it does not overwrite it).",
             "missing zero_grad", accumulate=True),
    _mistake("you applied softmax before nn.CrossEntropyLoss: it takes the LOGITS z = model(X) and applies "
             "log-softmax itself (stably), so pass model(X) directly.", "softmax before the loss",
             softmax_first=True),
    _mistake("your penalty also shrinks the biases: the lecture's penalty is l2/2 ||W||^2 on the weights only "
             "(model.weight), not on model.bias (weight_decay=l2 in optim.SGD applies to every parameter).",
             "penalty on the bias", bias_penalty=True),
    _mistake("your penalty is twice too strong: the objective is J + l2/2 ||W||^2 (with the 1/2), whose "
             "gradient is l2 W.", "penalty without 1/2", penalty=1.0),
    _mistake("the L2 penalty is missing: add l2/2 * (model.weight ** 2).sum() to the loss.", "penalty missing",
             penalty=0.0),
    _mistake("your penalty is twice too strong and also applies to the biases: add l2/2 * ||W||^2 for the "
             "weights only.", "penalty on the bias", bias_penalty=True, penalty=1.0),
]


def _ignoring_momentum(X, labels, K, l2, lr, epochs, momentum):
    return _iterates(X, labels, K, l2, lr, epochs, 0.0)


MISTAKES.append(Mistake("your loop ignores momentum: pass momentum=momentum to torch.optim.SGD.",
                        _ignoring_momentum, "momentum ignored"))


def _problem(seed, N, D, K, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    X = scale * torch.randn(N, D, generator=g, dtype=torch.float64)
    labels = torch.randint(0, K, (N,), generator=g)
    labels[:K] = torch.arange(K)  # every class present
    return X, labels


def _cases():
    X1, t1 = _problem(0, 12, 3, 4)
    X2, t2 = _problem(1, 20, 5, 3, scale=2.0)
    X3, t3 = _problem(2, 9, 2, 2)
    return [
        Case((X1, t1, 4, 0.0, 0.5, 1, 0.0), "one step, no penalty"),
        Case((X1, t1, 4, 0.0, 0.5, 6, 0.0), "6 steps, no penalty"),
        Case((X2, t2, 3, 0.1, 0.3, 8, 0.0), "8 steps, l2 = 0.1"),
        Case((X3, t3, 2, 0.05, 0.4, 10, 0.9), "10 steps, l2 = 0.05, momentum 0.9"),
    ]


def _structure_hint(result):
    """A targeted hint for the exceptions a PyTorch loop typically raises."""
    m = result.message
    if "dtype" in m or "Double" in m or "Float" in m:
        return Result(result.name, False, m + " (Make the model in the data's dtype: nn.Linear(D, K, "
                      "dtype=X.dtype); the check uses float64 tensors.)", "dtype mismatch")
    if "does not require grad" in m:
        return Result(result.name, False, m + " (Compute the loss from model(X) inside the loop, and do not wrap "
                      "the training step in torch.no_grad().)", "no graph")
    return result


@catching_output
def check_torch_loop(train_softmax):
    """Check ``train_softmax(X, labels, K, l2, lr, epochs, momentum) -> (W (K, D), b (K,))`` step by step."""
    start = _zero_start(train_softmax)
    if start is not None:
        return start
    result = check("train_softmax", train_softmax, _cases(), _reference, MISTAKES, rtol=1e-8, atol=1e-10)
    if not result.passed and result.hint == "exception":
        return _structure_hint(result)
    if result.passed:
        return Result("train_softmax", True, "✔ train_softmax: the same iterates as the hand-derived gradient "
                      "descent on all 4 problems (1 to 10 steps, with and without the penalty and momentum). "
                      "Well done!")
    return result


def _zero_start(train_softmax):
    """A failing Result when zero epochs do not return zeros (the loop must start from W = 0, b = 0)."""
    X, labels = _problem(3, 6, 3, 3)
    try:
        got = train_softmax(X.clone(), labels.clone(), 3, 0.0, 0.5, 0, 0.0)
    except NotImplementedError:
        return None  # check() reports "not implemented"
    except Exception:  # the full check reports the exception with its line
        return None
    try:
        W, b = (np.asarray(_to_numpy(a), dtype=float) for a in got)
    except Exception:
        return None
    if W.shape == (3, 3) and b.shape == (3,) and (np.abs(W).max() > 0 or np.abs(b).max() > 0):
        return Result("train_softmax", False, "✘ train_softmax with epochs=0: W and b are not zeros. Start from "
                      "W = 0, b = 0 (nn.init.zeros_(model.weight), nn.init.zeros_(model.bias)): nn.Linear starts "
                      "from random weights.", "random start")
    return None


# ---------------------------------------------------------------------------------------------------------------
# The digits: the same problem as notebook 05's from-scratch model
# ---------------------------------------------------------------------------------------------------------------

ACCURACY_SLACK = 0.01  # 1 point of test accuracy
OBJECTIVE_SLACK = 0.005


@catching_output
def check_torch_loop_digits(train_softmax):
    """Check ``train_softmax(X, labels, 10, l2=1/N)`` (your default lr, epochs, momentum) on the digits."""
    p = digits_problem()
    try:
        got = train_softmax(torch.from_numpy(p["X"]), torch.from_numpy(p["labels"]), 10, p["l2"])  # copies
    except NotImplementedError:
        return Result("train_softmax", False, "… train_softmax: write it first (Step 1 checks it); then this "
                      "check trains it on the digits.", "not implemented")
    except Exception as exc:
        return Result("train_softmax", False, f"✘ train_softmax raised {type(exc).__name__} on the digits: {exc}",
                      "exception")
    try:
        W, b = (np.asarray(_to_numpy(a), dtype=np.float64) for a in got)
    except Exception:
        return Result("train_softmax", False, "✘ train_softmax must return two tensors (W, b).", "structure")
    if W.shape != (10, p["X"].shape[1]) or b.shape != (10,):
        return Result("train_softmax", False, f"✘ train_softmax on the digits returned W {W.shape} and b {b.shape}; "
                      f"expected (10, {p['X'].shape[1]}) and (10,).", "structure")
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        return Result("train_softmax", False, "✘ train_softmax on the digits: W or b contains NaN or inf: your "
                      "default learning rate is too large (the loss diverged). Try a smaller lr.", "diverged")
    acc = float(np.mean((p["X_test"] @ W.T + b).argmax(1) == p["labels_test"]))
    gap = objective(W, b, p["X"], p["labels"], p["l2"]) - p["J_min"]
    numbers = (f"test accuracy {acc:.2%} (notebook 05's model: {p['reference_accuracy']:.2%}), "
               f"J - J_min = {gap:.4f}")
    if acc < p["reference_accuracy"] - ACCURACY_SLACK or gap > OBJECTIVE_SLACK:
        if gap > np.log(10) - p["J_min"]:  # J above its value at the start W = 0, b = 0 (log K)
            how = ("the objective is higher than at the start (W = 0, b = 0): training diverged or went the wrong way. "
                   "Pass Step 1 first (zero_grad every step, the loss on the logits), then try a smaller default lr")
        elif gap > OBJECTIVE_SLACK:
            how = "the model is not trained far enough: raise the default epochs or lr, or use momentum (0.9)"
        else:
            how = "the objective is near its minimum but the accuracy is low"
        return Result("train_softmax", False, f"✘ train_softmax on the digits with your defaults: {numbers}; needed: "
                      f"accuracy within 1 point and J - J_min <= {OBJECTIVE_SLACK}. {how[0].upper() + how[1:]}.",
                      "not converged")
    return Result("train_softmax", True, f"✔ train_softmax on the digits: {numbers}: the same problem solved as "
                  "in notebook 05. Well done!")


__all__ = ["check_torch_loop", "check_torch_loop_digits"]
