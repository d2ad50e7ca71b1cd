"""helpers.frameworks, the PyTorch-idiom loops of notebook 06: exact against the hand-derived formulas and
helpers.gradient_descent (float64), and every bug demo really shows its symptom."""

import warnings

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn

import helpers
from helpers import frameworks

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 3, size=100)
    t = 2.0 * x + 1.0 + 0.3 * rng.normal(size=100)
    return x[:, None], t


@pytest.fixture(scope="module")
def data3():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=40)


# ----------------------------------------------------------------------------- autograd vs the hand formulas


def test_autograd_equals_the_linear_regression_gradients(data3):
    X, t = data3
    w0, b0 = np.array([0.2, -0.1, 0.4]), -0.3
    w = torch.tensor(w0, requires_grad=True)
    b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    J = ((torch.from_numpy(X) @ w + b - torch.from_numpy(t)) ** 2).mean() / 2
    J.backward()
    N = len(t)
    r = X @ w0 + b0 - t
    np.testing.assert_allclose(w.grad.numpy(), X.T @ r / N, rtol=1e-12)  # NumPy, written out
    np.testing.assert_allclose(b.grad.item(), r.mean(), rtol=1e-12)
    dw, db = helpers.gradients(X, t, w0, b0)
    np.testing.assert_allclose(w.grad.numpy(), dw, rtol=1e-12)
    np.testing.assert_allclose(b.grad.item(), db, rtol=1e-12)


def test_autograd_equals_y_minus_t_for_softmax_cross_entropy():
    rng = np.random.default_rng(2)
    Z0 = rng.normal(size=(9, 4)) * 3
    labels = rng.integers(0, 4, size=9)
    Z = torch.tensor(Z0, requires_grad=True)
    nn.functional.cross_entropy(Z, torch.from_numpy(labels)).backward()
    E = np.exp(Z0 - Z0.max(1, keepdims=True))
    Y = E / E.sum(1, keepdims=True)
    np.testing.assert_allclose(Z.grad.numpy(), (Y - np.eye(4)[labels]) / 9, rtol=1e-12, atol=1e-16)


# ----------------------------------------------------------------------------- optim.SGD is gradient descent


@pytest.mark.parametrize("which", ["one feature", "three features"])
def test_sgd_iterates_equal_gradient_descent_to_1e_10(which, data, data3):
    X, t = data if which == "one feature" else data3
    lr = 0.5 * helpers.critical_learning_rate(X)
    gd = helpers.gradient_descent(X, t, lr, 80)
    run = frameworks.train_linear(X, t, lr, 80)
    assert run.path.shape == gd.path.shape == (81, X.shape[1] + 1)
    np.testing.assert_allclose(run.path, gd.path, rtol=0, atol=1e-10)
    np.testing.assert_allclose(run.losses, gd.costs, rtol=1e-10, atol=1e-14)


def test_sgd_from_a_start_and_with_tensors(data):
    X, t = data
    gd = helpers.gradient_descent(X, t, 0.2, 30, w0=[1.5], b0=2.0)
    run = frameworks.train_linear(torch.from_numpy(X), torch.from_numpy(t), 0.2, 30, w0=[1.5], b0=2.0)
    np.testing.assert_allclose(run.path, gd.path, rtol=0, atol=1e-10)


def test_mse_loss_needs_half_the_learning_rate_for_the_same_path(data):
    X, t = data
    lecture = frameworks.train_linear(X, t, 0.3, 25)
    half = frameworks.train_linear(X, t, 0.15, 25, loss="mse")
    same = frameworks.train_linear(X, t, 0.3, 25, loss="mse")
    np.testing.assert_allclose(half.path, lecture.path, rtol=0, atol=1e-12)
    np.testing.assert_allclose(same.grads[0], 2 * lecture.grads[0], rtol=1e-12)  # the same start: twice the gradient
    assert np.abs(same.path - lecture.path).max() > 1.0


def test_adam_is_torch_adam_and_approaches_the_optimum(data):
    X, t = data
    run = frameworks.train_linear(X, t, 0.1, 300, optimizer="adam")
    w_star, b_star = helpers.solve_direct(X, t)
    J_star = helpers.cost(X, t, w_star, b_star)
    assert run.losses[-1] - J_star < 0.01 * (run.losses[0] - J_star)
    # one Adam step from zeros moves every parameter by lr (m_hat / sqrt(v_hat) = sign(g) at the first step)
    np.testing.assert_allclose(np.abs(run.path[1] - run.path[0]), 0.1, rtol=1e-6)


def test_the_device_and_dtype_are_parameters(data):
    X, t = data
    a = frameworks.train_linear(X, t, 0.3, 50, device="cpu", dtype=torch.float32)
    b = frameworks.train_linear(X, t, 0.3, 50)
    assert a.path.dtype == np.float64
    np.testing.assert_allclose(a.path, b.path, rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------- each bug shows its symptom


def test_without_zero_grad_the_gradients_accumulate(data):
    X, t = data
    bug = frameworks.train_linear(X, t, 0.3, 10, zero_grad=False)
    hand = np.array([np.r_[helpers.gradients(X, t, p[:1], p[1])] for p in bug.path[:-1]])
    np.testing.assert_allclose(bug.grads, np.cumsum(hand, axis=0), rtol=1e-10, atol=1e-12)
    assert not np.allclose(bug.grads[1:], hand[1:], rtol=1e-3)  # the gradients changed
    right = frameworks.train_linear(X, t, 0.3, 10)
    hand_right = np.array([np.r_[helpers.gradients(X, t, p[:1], p[1])] for p in right.path[:-1]])
    np.testing.assert_allclose(right.grads, hand_right, rtol=1e-10, atol=1e-12)
    assert frameworks.train_linear(X, t, 0.3, 60, zero_grad=False).losses[-10:].min() > 2 * right.losses[-1]


def test_the_n1_vs_n_broadcasting_bug_trains_to_a_wrong_answer(data):
    X, t = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bug = frameworks.train_linear(X, t, 0.3, 500, squeeze=False)
    assert any("target size" in str(w.message) for w in caught)
    w_star, b_star = helpers.solve_direct(X, t)
    w, b = bug.path[-1]
    assert abs(w - w_star[0]) > 1.0  # the wrong answer, detected against the direct solution
    # what it converges to: the minimizer of sum_ij (y_i - t_j)^2, every y_i = mean(t)
    np.testing.assert_allclose([w, b], [0.0, t.mean()], atol=1e-6)
    fixed = frameworks.train_linear(X, t, 0.3, 500)
    np.testing.assert_allclose(fixed.path[-1], [w_star[0], b_star], atol=1e-6)


def test_a_learning_rate_above_the_critical_one_gives_nan_and_it_is_found(data):
    X, t = data
    critical = helpers.critical_learning_rate(X)
    with np.errstate(all="ignore"):
        run = frameworks.train_linear(X, t, 20 * critical, 300)
    k = frameworks.first_nonfinite(run.losses)
    assert k is not None and np.isfinite(run.losses[:k]).all() and not np.isfinite(run.losses[k])
    assert run.losses[1] > run.losses[0]  # it went up from the first step
    assert frameworks.first_nonfinite(frameworks.train_linear(X, t, 0.5 * critical, 300).losses) is None
    assert frameworks.first_nonfinite([1.0, np.nan, np.inf]) == 1 and frameworks.first_nonfinite([]) is None


@pytest.fixture(scope="module")
def digits():
    from helpers.data import load_digits

    return load_digits(seed=0)


def test_softmax_before_cross_entropy_trains_worse(digits):
    (X, labels), (X_test, labels_test) = digits
    right = frameworks.train_classifier(X, labels, 10, 2.0, 60, X_test=X_test, labels_test=labels_test)
    bug = frameworks.train_classifier(X, labels, 10, 2.0, 60, softmax_first=True, X_test=X_test,
                                      labels_test=labels_test)
    floor = np.log(np.e + 9) - 1
    assert (bug["trained_loss"] >= floor - 1e-6).all()  # the bug's loss cannot go below its floor
    assert bug["loss"][-1] > 2 * right["loss"][-1] and bug["test_acc"] < right["test_acc"] - 0.03
    assert bug["grad_norm"][0] < 0.2 * right["grad_norm"][0]
    np.testing.assert_allclose(right["trained_loss"], right["loss"][:-1], rtol=1e-5)
    assert right["loss"][0] == pytest.approx(np.log(10), rel=1e-6)  # from zeros: uniform probabilities


def test_the_classifier_loop_is_the_hand_derived_gradient_descent():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(20, 3))
    labels = rng.integers(0, 3, size=20)
    W, b = np.zeros((3, 3)), np.zeros(3)
    losses = []
    for _ in range(5):
        Z = X @ W.T + b
        E = np.exp(Z - Z.max(1, keepdims=True))
        Y = E / E.sum(1, keepdims=True)
        losses.append(-np.log(Y[np.arange(20), labels]).mean())
        G = (Y - np.eye(3)[labels]) / 20
        W, b = W - 0.5 * G.T @ X, b - 0.5 * G.sum(0)
    h = frameworks.train_classifier(X, labels, 3, 0.5, 5)
    np.testing.assert_allclose(h["loss"][:5], losses, rtol=1e-12)


def test_plot_losses_draws_every_curve_and_marks_the_nan(data):
    fig = frameworks.plot_losses({"a": [3.0, 2.0, 1.0], "b": [1.0, 1e300, 1e307, np.inf, np.nan]}, J_star=0.5)
    fig.canvas.draw()  # no overflow warning near the float64 limit (warnings are errors here)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["a", "b"] and "b: NaN/inf after this" in labels and "optimum J*" in labels
    assert ax.get_yscale() == "log" and ax.get_ylim()[1] <= frameworks.TOP
    import matplotlib.pyplot as plt

    plt.close(fig)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs, match", [
    ({"loss": "l1"}, "loss must be one of"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of"),
    ({"lr": -1.0}, "lr must be"),
    ({"steps": 2.5}, "steps must be an integer"),
])
def test_bad_input_names_the_argument(data, kwargs, match):
    X, t = data
    args = {"lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        frameworks.train_linear(X, t, args.pop("lr"), args.pop("steps"), **args)


def test_mismatched_rows_are_refused(data):
    X, t = data
    with pytest.raises(ValueError, match="same number of rows"):
        frameworks.train_linear(X, t[:-1], 0.1, 3)


# ----------------------------------------------------------------------------- the benchmark module


@pytest.mark.slow  # a benchmark smoke run (about 20 s), like test_benchmarks.py's quick suite
def test_the_benchmark_loops_take_the_same_iterates_and_the_gpu_part_skips_without_one():
    from benchmarks import frameworks as bench

    X, labels = bench._digits("cpu", torch.float64)
    W1, b1 = bench.idiom_loop(X, labels, 10, 1.0, 20, 1e-3)
    W2, b2 = bench.hand_loop(X, labels, 10, 1.0, 20, 1e-3)
    np.testing.assert_allclose(W1.numpy(), W2.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b1.numpy(), b2.numpy(), rtol=1e-9, atol=1e-12)
    figures, notes = bench.idiom_figures(quick=True)
    assert len(figures) == 1 and figures[0].ratio > 0 and "same iterates to float32 rounding: True" in notes[0]
    if not torch.cuda.is_available():
        assert bench.mnist_gpu_figures(quick=True) == ([], ["Full-MNIST GPU figure not run: no CUDA device on this "
                                                              "machine."])
