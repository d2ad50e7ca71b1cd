"""softmax, log_softmax, the cross-entropy and fit_softmax_regression against independent references.

References: torch.nn.functional (float64 and float32), torch autograd, SciPy, and
scikit-learn's LogisticRegression on the bundled digits.
"""

import warnings

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.multiclass import (
    curvature_bound,
    fit_softmax_regression,
    log_softmax,
    one_hot,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)

SCALES = [1.0, 30.0, 1e3, 1e4]  # the largest |z|: up to 1e4, where exp(z) overflows float64 a thousand times over


def logits(rng, scale, N=40, K=7):
    z = rng.uniform(-scale, scale, size=(N, K))
    z[0, 0], z[1, 1] = scale, -scale  # the extremes present
    return z


def no_float_warnings():
    """Fail on any floating-point overflow/invalid/divide-by-zero (underflow to 0 is expected and fine)."""
    ctx = np.errstate(over="raise", invalid="raise", divide="raise")
    return ctx


def close(got, ref, rtol, scale):
    """|got - ref| <= rtol * |ref| + eps * scale.

    The absolute floor is the rounding of z itself (eps * max|z|): an entry of
    log_softmax near 0, computed from logits of size 1e4, cannot be known better
    by any method, torch's included.
    """
    got, ref = np.asarray(got, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    eps = np.finfo(np.float64).eps
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=4 * eps * scale)


# ---------------------------------------------------------------------------------------------------------------
# Against torch.nn.functional
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_and_log_softmax_match_torch_float64(rng, scale, axis):
    z = logits(rng, scale)
    ref_y = F.softmax(torch.from_numpy(z), dim=axis).numpy()
    ref_logy = F.log_softmax(torch.from_numpy(z), dim=axis).numpy()
    with warnings.catch_warnings(), no_float_warnings():
        warnings.simplefilter("error")
        y, logy = softmax(z, axis=axis), log_softmax(z, axis=axis)
        y_t, logy_t = softmax(torch.from_numpy(z), axis=axis), log_softmax(torch.from_numpy(z), axis=axis)
    assert np.isfinite(logy).all() and np.isfinite(y).all()
    close(y, ref_y, 1e-10, 1.0)
    close(logy, ref_logy, 1e-10, scale)
    close(y_t, ref_y, 1e-10, 1.0)
    close(logy_t, ref_logy, 1e-10, scale)


@pytest.mark.parametrize("scale", SCALES)
def test_softmax_and_log_softmax_match_torch_float32(rng, scale):
    z32 = logits(rng, scale).astype(np.float32)
    ref_y = F.softmax(torch.from_numpy(z32).double(), dim=-1).numpy()  # the exact answer for these float32 logits
    ref_logy = F.log_softmax(torch.from_numpy(z32).double(), dim=-1).numpy()
    eps32 = float(np.finfo(np.float32).eps)
    for z in (z32, torch.from_numpy(z32)):
        with warnings.catch_warnings(), no_float_warnings():
            warnings.simplefilter("error")
            y, logy = softmax(z), log_softmax(z)
        assert y.dtype == z.dtype and logy.dtype == z.dtype  # float32 stays float32
        y, logy = np.asarray(y, dtype=np.float64), np.asarray(logy, dtype=np.float64)
        np.testing.assert_allclose(y, ref_y, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(logy, ref_logy, rtol=1e-5, atol=4 * eps32 * scale)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-10), (np.float32, 1e-5)])
def test_cross_entropy_matches_torch(rng, scale, dtype, rtol):
    z = logits(rng, scale).astype(dtype)
    t = rng.integers(0, z.shape[1], size=z.shape[0])
    ref = F.cross_entropy(torch.from_numpy(z).double(), torch.from_numpy(t)).item()
    soft = rng.dirichlet(np.ones(z.shape[1]), size=z.shape[0]).astype(dtype)  # probability targets
    ref_soft = F.cross_entropy(torch.from_numpy(z).double(), torch.from_numpy(soft).double()).item()
    floor = float(4 * np.finfo(dtype).eps * scale)  # a Python float: pytest >= 9.2 rejects NumPy scalars here
    with warnings.catch_warnings(), no_float_warnings():
        warnings.simplefilter("error")
        for J in (softmax_cross_entropy(z, t), softmax_cross_entropy(z, np.eye(z.shape[1])[t].astype(dtype)),
                  softmax_cross_entropy(torch.from_numpy(z), torch.from_numpy(t))):
            assert float(J) == pytest.approx(ref, rel=rtol, abs=floor)
        assert float(softmax_cross_entropy(z, soft)) == pytest.approx(ref_soft, rel=rtol, abs=floor)


def test_cross_entropy_of_huge_logits_is_finite_and_exact():
    # Naive log(sum(exp(z))) overflows here; the answer is known in closed form.
    z = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4 - np.log(3.0)]])
    t = np.array([1, 2])
    with no_float_warnings():
        J = softmax_cross_entropy(z, t)
    # example 1: -log p = log(e^1e4 + 1 + e^-1e4) - 0 = 1e4 (to 1e-4000);
    # example 2: p = e^(1e4 - log 3) / (1 + e^1e4 + e^(1e4 - log 3)) = (1/3) / (4/3) = 1/4, -log p = log 4
    expected = (1e4 + np.log(4.0)) / 2
    assert J == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------------------------------------------
# Gradients against autograd
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1.0, 1e3])
def test_gradient_is_y_minus_t_over_N(rng, device, scale):
    z = logits(rng, scale, N=25, K=5)
    t = rng.integers(0, 5, size=25)
    zt = torch.tensor(z, device=device, requires_grad=True)
    tt = torch.tensor(t, device=device)
    J = softmax_cross_entropy(zt, tt)
    J.backward()
    (ref_grad,) = torch.autograd.grad(F.cross_entropy(zt, tt), zt)  # torch's own cross-entropy
    expected = (torch.softmax(zt.detach(), 1) - F.one_hot(tt, 5).double()) / 25  # (y - t) / N, by hand
    torch.testing.assert_close(zt.grad, ref_grad, rtol=1e-12, atol=1e-15)
    torch.testing.assert_close(zt.grad, expected, rtol=1e-12, atol=1e-15)
    ours = softmax_cross_entropy_gradient(zt.detach(), tt)
    assert ours.device.type == device.type
    torch.testing.assert_close(ours, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(softmax_cross_entropy_gradient(z, t), expected.cpu().numpy(), rtol=1e-12, atol=1e-15)


def test_softmax_and_log_softmax_backpropagate_like_torch(rng, device):
    z = torch.tensor(logits(rng, 50.0, N=6, K=4), device=device, requires_grad=True)
    up = torch.tensor(rng.normal(size=(6, 4)), device=device)  # an arbitrary upstream gradient
    for ours, theirs in [(softmax, F.softmax), (log_softmax, F.log_softmax)]:
        (g,) = torch.autograd.grad((ours(z, axis=1) * up).sum(), z)
        (g_ref,) = torch.autograd.grad((theirs(z, dim=1) * up).sum(), z)
        torch.testing.assert_close(g, g_ref, rtol=1e-10, atol=1e-13)


def test_gradient_with_one_hot_targets_matches_finite_differences(rng):
    z, T = rng.normal(size=(8, 3)), rng.dirichlet(np.ones(3), size=8)
    g = softmax_cross_entropy_gradient(z, T)
    eps = 1e-6
    for i, k in [(0, 0), (3, 2), (7, 1)]:
        dz = np.zeros_like(z)
        dz[i, k] = eps
        fd = (softmax_cross_entropy(z + dz, T) - softmax_cross_entropy(z - dz, T)) / (2 * eps)
        assert g[i, k] == pytest.approx(fd, rel=1e-6, abs=1e-10)


# ---------------------------------------------------------------------------------------------------------------
# Properties and kinds
# ---------------------------------------------------------------------------------------------------------------


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)))
def test_softmax_is_a_probability_distribution(z):
    with no_float_warnings():
        y = softmax(z)
    assert (y >= 0).all()
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(y, scipy.special.softmax(z, axis=1), rtol=1e-9, atol=1e-300)


def test_two_classes_reduce_to_the_logistic_function(rng):
    z1, z0 = rng.normal(size=50) * 5, rng.normal(size=50) * 5
    y = softmax(np.stack([z0, z1], axis=1))
    np.testing.assert_allclose(y[:, 1], scipy.special.expit(z1 - z0), rtol=1e-13)


def test_one_dominant_logit_gives_nearly_the_argmax():
    y = softmax(np.array([1.0, 2.0, 30.0, -5.0]))
    np.testing.assert_allclose(y, [0, 0, 1, 0], atol=1e-12)


def test_one_hot_matches_numpy_eye_and_keeps_the_device(device):
    labels = np.array([2, 0, 1, 2, 4])
    np.testing.assert_array_equal(one_hot(labels, 5), np.eye(5)[labels])
    assert one_hot(labels, 5).dtype == np.float64
    T = one_hot(torch.tensor(labels, device=device), 6)
    assert T.device.type == device.type and T.dtype == torch.float64  # integer input: float64, as scikit-learn
    np.testing.assert_array_equal(T.cpu().numpy(), np.eye(6)[labels])


def test_same_kind_out(device):
    z = np.array([[1.0, 2.0], [0.5, -1.0]], dtype=np.float32)
    assert isinstance(softmax(z), np.ndarray) and softmax(z).dtype == np.float32
    zt = torch.tensor(z, device=device)
    for out in (softmax(zt), log_softmax(zt), softmax_cross_entropy(zt, torch.tensor([0, 1], device=device))):
        assert torch.is_tensor(out) and out.device.type == device.type and out.dtype == torch.float32


# ---------------------------------------------------------------------------------------------------------------
# Bad input, rejected with a message naming the argument, what was expected and what came
# ---------------------------------------------------------------------------------------------------------------

Z = np.zeros((3, 4))
X3 = np.zeros((3, 2))

BAD = [
    ("labels >= num_classes", lambda: one_hot([0, 4], 4), ValueError, "labels must be < num_classes = 4, got label 4"),
    ("negative label", lambda: one_hot([0, -1], 4), ValueError, "labels must be >= 0, got a negative label -1"),
    ("float labels", lambda: one_hot([0.5, 1.0], 4), ValueError, "labels must be integer class labels"),
    ("labels 2-D", lambda: one_hot([[0, 1]], 4), ValueError, "labels must be 1-D"),
    ("num_classes not int", lambda: one_hot([0, 1], 2.0), TypeError, "num_classes must be an integer"),
    ("t label out of range", lambda: softmax_cross_entropy(Z, [0, 1, 4]), ValueError, "t must be < num_classes = 4"),
    ("t negative", lambda: softmax_cross_entropy(Z, [0, -2, 1]), ValueError, "t must be >= 0"),
    ("t non-integer", lambda: softmax_cross_entropy(Z, [0, 1.5, 1]), ValueError, "t must be integer class labels"),
    ("t string", lambda: softmax_cross_entropy(Z, ["a", "b", "c"]), TypeError, "t must hold numbers"),
    ("N mismatch", lambda: softmax_cross_entropy(Z, [0, 1]), ValueError, "z has 3 rows but t has 2 entries"),
    ("one-hot wrong K", lambda: softmax_cross_entropy(Z, np.eye(3)), ValueError,
     r"t must be integer labels \(N,\) = \(3,\) or one-hot targets \(N, K\) = \(3, 4\) like z, got shape \(3, 3\)"),
    ("one-hot transposed", lambda: softmax_cross_entropy(np.zeros((3, 2)), np.eye(3)[:2]), ValueError,
     r"got shape \(2, 3\)"),
    ("rows not summing to 1", lambda: softmax_cross_entropy(Z, np.ones((3, 4))), ValueError,
     "t's rows must sum to 1 .* row 0 sums to 4"),
    ("negative targets", lambda: softmax_cross_entropy(Z, np.eye(4)[:3] * 2 - np.eye(4)[1:]), ValueError,
     "negative entries"),
    ("z 1-D for the loss", lambda: softmax_cross_entropy(np.zeros(4), [1]), ValueError, "z must be 2-D"),
    ("z with NaN", lambda: softmax(np.array([1.0, np.nan])), ValueError, "z contains NaN"),
    ("z with inf", lambda: log_softmax(np.array([1.0, np.inf])), ValueError, "z contains inf"),
    ("z scalar", lambda: softmax(3.0), ValueError, "z must be 1-D or 2-D or 3-D, got a 0-D array"),
    ("z empty", lambda: softmax(np.zeros((0, 3))), ValueError, "z must not be empty"),
    ("axis out of range", lambda: softmax(Z, axis=2), ValueError, r"axis must be an integer in \[-2, 1\]"),
    ("mixed NumPy and torch", lambda: softmax_cross_entropy(torch.zeros(3, 4), np.array([0, 1, 2])), TypeError,
     "mixed NumPy and torch input"),
    ("fit: labels >= K", lambda: fit_softmax_regression(X3, [0, 1, 5], 3, 0.1, 1, progress=False), ValueError,
     "labels must be < num_classes = 3, got label 5"),
    ("fit: num_classes too small", lambda: fit_softmax_regression(X3, [0, 1, 2], 2, 0.1, 1, progress=False),
     ValueError, "labels must be < num_classes = 2"),
    ("fit: float labels", lambda: fit_softmax_regression(X3, [0, 1, 0.5], 3, 0.1, 1, progress=False), ValueError,
     "labels must be integer class labels"),
    ("fit: N mismatch", lambda: fit_softmax_regression(X3, [0, 1], 3, 0.1, 1, progress=False), ValueError,
     "X has 3 rows but labels has 2 entries"),
    ("fit: X 1-D", lambda: fit_softmax_regression(np.zeros(3), [0, 1, 2], 3, 0.1, 1, progress=False), ValueError,
     "X must be 2-D"),
    ("fit: X NaN", lambda: fit_softmax_regression(np.full((3, 2), np.nan), [0, 1, 2], 3, 0.1, 1, progress=False),
     ValueError, "X contains NaN"),
    ("fit: lr 0", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, 0.0, 1, progress=False), ValueError,
     "lr must be a finite number > 0 or 'auto', got 0.0"),
    ("fit: lr inf", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, np.inf, 1, progress=False), ValueError,
     "lr must be a finite number > 0 or 'auto', got inf"),
    ("fit: lr word", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, "fast", 1, progress=False), ValueError,
     "lr must be a finite number > 0 or 'auto', got 'fast'"),
    ("fit: negative epochs", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, 0.1, -1, progress=False), ValueError,
     "epochs must be >= 0, got -1"),
    ("fit: batch_size 0", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, 0.1, 1, batch_size=0, progress=False),
     ValueError, "batch_size must be >= 1"),
    ("fit: negative l2", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, 0.1, 1, l2=-1.0, progress=False),
     ValueError, "l2 must be a finite number >= 0, got -1.0"),
    ("fit: X_val without labels", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, 0.1, 1, X_val=X3,
                                                                 progress=False), ValueError, "give both X_val"),
    ("fit: X_val wrong D", lambda: fit_softmax_regression(X3, [0, 1, 2], 3, 0.1, 1, X_val=np.zeros((2, 5)),
                                                          labels_val=[0, 1], progress=False), ValueError,
     "X_val has 5 columns but X has 2"),
    ("fit: mixed kinds", lambda: fit_softmax_regression(torch.zeros(3, 2), np.array([0, 1, 2]), 3, 0.1, 1,
                                                        progress=False), TypeError, "mixed NumPy and torch"),
]


@pytest.mark.parametrize("call,error,message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_rejected_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_tensors_on_different_devices_are_rejected():
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    with pytest.raises(ValueError, match="tensors on different devices"):
        softmax_cross_entropy(torch.zeros(3, 4, device="cuda"), torch.tensor([0, 1, 2]))


# ---------------------------------------------------------------------------------------------------------------
# The fit
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    from helpers.data import load_digits

    (X, t), (X_test, t_test) = load_digits(seed=0)
    return X.astype(np.float64), t, X_test.astype(np.float64), t_test


def objective(W, b, X, t, l2):
    """mean cross-entropy + l2/2 ||W||^2, with SciPy's logsumexp (independent of helpers)."""
    Z = X @ W.T + b
    return float(np.mean(scipy.special.logsumexp(Z, axis=1) - Z[np.arange(len(t)), t]) + l2 / 2 * np.sum(W * W))


def test_fit_matches_scikit_learn_on_digits(digits):
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    X, t, X_test, t_test = digits
    N, l2 = X.shape[0], 1e-3
    with threadpool_limits(1):  # BLAS threads on tiny matrices only stall a busy 2-core machine
        ref = LogisticRegression(C=1 / (N * l2), tol=1e-10, max_iter=10_000).fit(X, t)  # C = 1 / (N * l2)
    model = fit_softmax_regression(X, t, 10, "auto", 600, l2=l2, progress=False, device="cpu")
    J_ref = objective(ref.coef_, ref.intercept_, X, t, l2)
    J = objective(model.W, model.b, X, t, l2)
    assert J == pytest.approx(J_ref, abs=1e-7)  # the same minimum of the same objective
    assert J >= J_ref - 1e-9  # and not below it (a sanity check on the objectives agreeing)
    np.testing.assert_allclose(model.predict_proba(X_test), ref.predict_proba(X_test), atol=2e-4)
    np.testing.assert_array_equal(model.predict(X_test), ref.predict(X_test))
    assert model.score(X_test, t_test) == pytest.approx(ref.score(X_test, t_test))
    assert model.score(X_test, t_test) >= 0.96
    # W (K, D), b (K,), NumPy in, NumPy out; the history's last loss is the objective
    assert model.W.shape == (10, 64) and model.b.shape == (10,) and isinstance(model.W, np.ndarray)
    assert model.history["loss"][-1] == pytest.approx(J, rel=1e-6)


def test_history_is_monotone_and_predict_proba_is_softmax(digits):
    X, t, X_test, t_test = digits
    model = fit_softmax_regression(X, t, 10, "auto", 80, l2=1e-3, progress=False, device="cpu",
                                   X_val=X_test, labels_val=t_test)
    h = model.history
    assert set(h) == {"loss", "train_acc", "val_acc"} and all(len(v) == 81 for v in h.values())  # start + 80
    assert all(v.dtype == np.float64 for v in h.values())
    assert h["loss"][0] == pytest.approx(np.log(10))  # W = 0, b = 0: uniform probabilities
    assert h["loss"][-1] == pytest.approx(objective(model.W, model.b, X, t, 1e-3), rel=1e-12)  # at the weights returned
    assert h["train_acc"][-1] == pytest.approx(model.score(X, t))
    assert h["loss"][-1] < 0.35 and (np.diff(h["loss"][5:]) <= 1e-12).mean() > 0.9
    assert h["val_acc"][-1] == pytest.approx(model.score(X_test, t_test))
    P = model.predict_proba(X_test)
    np.testing.assert_allclose(P, scipy.special.softmax(X_test @ model.W.T + model.b, axis=1), rtol=1e-12)


def test_fit_on_tensors_stays_on_the_device(digits, device):
    X, t, X_test, t_test = digits
    Xd, td = torch.tensor(X, device=device, dtype=torch.float32), torch.tensor(t, device=device)
    model = fit_softmax_regression(Xd, td, 10, "auto", 60, l2=1e-3, progress=False)
    assert torch.is_tensor(model.W) and model.W.device.type == device.type and model.W.dtype == torch.float32
    assert model.b.shape == (10,)
    pred = model.predict(torch.tensor(X_test, device=device, dtype=torch.float32))
    assert pred.device.type == device.type
    assert (pred.cpu().numpy() == t_test).mean() > 0.95
    # the same fit from NumPy float32 data gives the same weights
    ref = fit_softmax_regression(X.astype(np.float32), t, 10, "auto", 60, l2=1e-3, progress=False, device=device)
    np.testing.assert_allclose(model.W.cpu().numpy(), ref.W, rtol=1e-4, atol=1e-5)


def test_minibatch_sgd_learns_and_is_reproducible(digits):
    X, t, X_test, t_test = digits
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        runs.append(fit_softmax_regression(X, t, 10, 0.5, 15, batch_size=64, progress=False, device="cpu"))
    np.testing.assert_array_equal(runs[0].W, runs[1].W)
    assert runs[0].history["loss"][-1] < runs[0].history["loss"][0] / 5
    assert runs[0].score(X_test, t_test) > 0.93


def test_too_large_a_learning_rate_warns_with_the_critical_rate(digits):
    X, t, _, _ = digits
    L = curvature_bound(X, l2=0.5)  # the quadratic penalty makes J steep far out: large steps blow up
    with pytest.warns(RuntimeWarning, match=rf"lr < 2/L = {2 / L:.4g}"):
        model = fit_softmax_regression(X, t, 10, 20 / L, 30, l2=0.5, progress=False, device="cpu")
    assert not np.isfinite(model.history["loss"][-1]) or model.history["loss"][-1] > model.history["loss"][0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and a good rate does not warn
        fit_softmax_regression(X, t, 10, 1 / L, 30, l2=0.5, progress=False, device="cpu")


def test_curvature_bound_matches_the_eigenvalues(digits):
    X = digits[0]
    Xc = X - X.mean(0)
    lam = np.linalg.eigvalsh(Xc.T @ Xc / len(X))[-1]
    assert curvature_bound(X, l2=0.01) == pytest.approx(0.5 * max(lam, 1.0) + 0.01, rel=1e-6)
    Xs = 3 * X  # scaled data: the covariance's eigenvalue now exceeds the bias column's 1
    lam3 = np.linalg.eigvalsh(9 * Xc.T @ Xc / len(X))[-1]
    assert curvature_bound(Xs) == pytest.approx(0.5 * lam3, rel=1e-6)


def test_progress_bar_shows_loss_and_accuracy(digits, capsys):
    X, t, _, _ = digits
    fit_softmax_regression(X[:200], t[:200], 10, "auto", 5, progress=True, device="cpu")
    err = capsys.readouterr().err
    assert "loss=" in err and "acc=" in err and "5/5" in err


def test_zero_epochs_gives_the_zero_model(digits):
    X, t, _, _ = digits
    model = fit_softmax_regression(X, t, 10, 0.1, 0, progress=False, device="cpu")
    assert not model.W.any() and not model.b.any()
    assert model.history["loss"].tolist() == [pytest.approx(np.log(10))]  # only the start


def test_history_starts_at_the_zero_model_for_numpy_and_tensors(digits):
    X, t, _, _ = digits
    for kind in (np.asarray, torch.tensor):
        h = fit_softmax_regression(kind(X), kind(t), 10, "auto", 3, progress=False).history
        # W = 0: every logit ties, the first class is predicted, so the accuracy is the share of label 0
        assert h["train_acc"][0] == pytest.approx(np.mean(t == 0))
        assert h["loss"][0] == pytest.approx(np.log(10), rel=1e-12)
