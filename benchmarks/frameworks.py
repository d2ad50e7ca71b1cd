"""Notebook 06's figures: PyTorch's idiom against the hand-written loop, torch.compile, and full MNIST on a GPU.

    python -c "from benchmarks import frameworks; frameworks.main()"          # print the table
    python -c "from benchmarks import frameworks; frameworks.main(quick=True)"

`run(quick=False)` returns ``(figures, notes)`` like the sections of `benchmarks.suite`:

* the softmax-regression training loop written with ``nn.Linear`` + ``nn.CrossEntropyLoss`` + ``optim.SGD``
  against notebook 05's hand-written loop (Z = X W^T + b, dJ/dZ = (Y - T)/N, the update by hand), the same
  full-batch iterates on the same data and device: the ratio is what the idiom costs per step;
* ``torch.compile`` of the loss (forward + backward) of that step: the compile time (the first call, after
  ``torch._dynamo.reset()``; inductor's on-disk cache may shorten it after the first run on a machine), and the
  per-step time compiled vs eager;
* on a CUDA GPU: softmax regression on full MNIST (60,000 images, already on the device) to >= 92 % test
  accuracy in <= 2 s, the figure naming the card. Skipped, with a note, without a GPU or without MNIST.
"""

import time

import torch
from torch import nn

from benchmarks.harness import Figure, measure, run_sections, table
from helpers import one_hot, softmax
from helpers.timing import Timing


def _digits(device, dtype=torch.float32):
    from helpers.data import load_digits

    (X, labels), _ = load_digits(seed=0)
    return torch.tensor(X, dtype=dtype, device=device), torch.tensor(labels, device=device)


def idiom_loop(X, labels, K, lr, epochs, l2):
    """nn.Linear + nn.CrossEntropyLoss + torch.optim.SGD, from zeros (notebook 06's assignment)."""
    model = nn.Linear(X.shape[1], K, dtype=X.dtype, device=X.device)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), labels) + l2 / 2 * (model.weight ** 2).sum()
        loss.backward()
        optimizer.step()
    return model.weight.detach(), model.bias.detach()


def hand_loop(X, labels, K, lr, epochs, l2):
    """Notebook 05's loop: the gradient (Y - T)^T X / N + l2 W written out, no autograd."""
    T = one_hot(labels, K).to(X.dtype)
    W = torch.zeros(K, X.shape[1], dtype=X.dtype, device=X.device)
    b = torch.zeros(K, dtype=X.dtype, device=X.device)
    for _ in range(epochs):
        E = (softmax(X @ W.T + b, axis=1) - T) / X.shape[0]
        W, b = W - lr * (E.T @ X + l2 * W), b - lr * E.sum(0)
    return W, b


def idiom_figures(quick, device="cpu"):
    X, labels = _digits(device)
    K, l2, lr, epochs = 10, 1.0 / X.shape[0], 1.0, 50 if quick else 200
    W1, b1 = idiom_loop(X, labels, K, lr, epochs, l2)
    W2, b2 = hand_loop(X, labels, K, lr, epochs, l2)
    same = bool(torch.allclose(W1, W2, rtol=1e-3, atol=1e-5) and torch.allclose(b1, b2, rtol=1e-3, atol=1e-5))
    repeat = 3 if quick else 7
    ours = measure(idiom_loop, X, labels, K, lr, epochs, l2, repeat=repeat, device=device)
    peer = measure(hand_loop, X, labels, K, lr, epochs, l2, repeat=repeat, device=device)
    name = f"nn.Linear + CrossEntropyLoss + optim.SGD, digits {tuple(X.shape)} float32, {epochs} epochs on {device}"
    return [Figure(name, ours, peer, "notebook 05's hand-written loop (same iterates)")], [
        f"Idiom vs hand-written loop on {device}: the same iterates to float32 rounding: {same}; per epoch "
        f"{float(ours) / epochs * 1e6:.0f} µs vs {float(peer) / epochs * 1e6:.0f} µs."]


def compile_figures(quick, device="cpu"):
    X, labels = _digits(device)
    model = nn.Linear(X.shape[1], 10, device=device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    loss_fn = nn.CrossEntropyLoss()

    def loss_of(X, labels):
        return loss_fn(model(X), labels)

    def step(f):
        optimizer.zero_grad()
        f(X, labels).backward()
        optimizer.step()

    repeat = 5 if quick else 15
    eager = measure(step, loss_of, repeat=repeat, device=device)
    try:
        torch._dynamo.reset()
        compiled = torch.compile(loss_of)
        start = time.perf_counter()
        step(compiled)
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
        fast = measure(step, compiled, repeat=repeat, device=device)
    except Exception as exc:  # no C++ compiler, an unsupported platform or Python
        return [], [f"torch.compile not available on {device}: {type(exc).__name__}: {str(exc)[:200]}"]
    saving = float(eager) - float(fast)
    pays = f"pays off after {seconds / saving:,.0f} steps" if saving > 0 else "never pays off (no faster per step)"
    return [
        Figure(f"torch.compile: one softmax-regression step on the digits, compiled vs eager, {device}", fast, eager,
               "the same step, eager"),
        Figure(f"torch.compile: compile time (first call), {device}", Timing([seconds]), target_kind="seconds"),
    ], [f"torch.compile on {device}: compiling took {seconds:.1f} s; a step {float(eager) * 1e6:.0f} µs eager, "
        f"{float(fast) * 1e6:.0f} µs compiled: compiling {pays}."]


def mnist_gpu_figures(quick):
    """Full MNIST softmax regression on a CUDA GPU: >= 92 % test accuracy in <= 2 s, data on the device."""
    if not torch.cuda.is_available():
        return [], ["Full-MNIST GPU figure not run: no CUDA device on this machine."]
    from helpers.data import DownloadError, load_mnist

    try:
        (X, labels), (X_test, labels_test) = load_mnist(timeout=10)
    except DownloadError as exc:
        return [], [f"Full-MNIST GPU figure not run: MNIST is not available ({exc})."]
    dev = torch.device("cuda")
    X, labels = torch.tensor(X, device=dev), torch.tensor(labels, device=dev)
    X_test, labels_test = torch.tensor(X_test, device=dev), torch.tensor(labels_test, device=dev)
    epochs, batch = 5, 500

    def train():
        torch.manual_seed(0)
        model = nn.Linear(X.shape[1], 10, device=dev)
        nn.init.zeros_(model.weight)
        nn.init.zeros_(model.bias)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(epochs):
            order = torch.randperm(len(X), device=dev)
            for start in range(0, len(X), batch):
                idx = order[start:start + batch]
                optimizer.zero_grad()
                loss_fn(model(X[idx]), labels[idx]).backward()
                optimizer.step()
        return model

    seconds = measure(train, repeat=3 if quick else 5, device=dev)
    with torch.no_grad():
        acc = float((train()(X_test).argmax(1) == labels_test).float().mean())
    name = torch.cuda.get_device_name(0)
    return [
        Figure(f"MNIST softmax regression on {name}: {epochs} epochs of minibatch SGD ({batch}), data on the GPU",
               seconds, target=2.0, target_kind="seconds"),
        Figure(f"MNIST softmax regression on {name}: test accuracy", None, target=0.92, target_kind="fraction",
               value=acc),
    ], [f"MNIST on {name}: test accuracy {acc:.2%} in {float(seconds):.2f} s."]


SECTIONS = [idiom_figures, compile_figures, mnist_gpu_figures]


def run(quick=False, sections=None):
    figures, notes = run_sections(sections or SECTIONS, quick)
    if torch.cuda.is_available():
        f, n = idiom_figures(quick, device="cuda")
        figures, notes = figures + f, notes + n
    return figures, notes


def main(quick=False):
    figures, notes = run(quick)
    print(table(figures))
    for n in notes:
        print(f"- {n}")
    return figures, notes


if __name__ == "__main__":  # pragma: no cover
    import sys

    main("--quick" in sys.argv)
