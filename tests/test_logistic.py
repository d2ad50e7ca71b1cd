"""Logistic regression helpers against independent references: torch.nn.functional, SciPy,
autograd, finite differences and scikit-learn."""

import math

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from helpers.fitting import DivergenceWarning
from helpers.logistic import (
    accuracy,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    fit_logistic_regression,
    lipschitz_constant,
    logistic_cost,
    logistic_gradients,
    sigmoid,
)

TINY64 = np.finfo(np.float64).tiny
TINY32 = np.finfo(np.float32).tiny


def logit_grid(limit=1e4, n=400):
    """Logits from -limit to limit, dense near 0 and out to both tails."""
    mags = np.logspace(-4, np.log10(limit), n)
    return np.concatenate([-mags[::-1], [0.0], mags])


def breast_cancer():
    from sklearn.datasets import load_breast_cancer

    X, t = load_breast_cancer(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), t.astype(float)


def penguins():
    from helpers.data import load_penguins

    X, species = load_penguins(columns=("bill_length_mm", "bill_depth_mm"), species=("Adelie", "Chinstrap"))
    return (X - X.mean(0)) / X.std(0), (species == "Chinstrap").astype(float)


def sklearn_fit(X, t, l2, tol=1e-12):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1 / (X.shape[0] * l2), tol=tol, max_iter=100_000).fit(X, t)
    return model.coef_[0], model.intercept_[0]


# --------------------------------------------------------------------------- sigmoid


def test_sigmoid_matches_torch_in_float64_over_the_whole_range():
    z = logit_grid()
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no overflow, not even a silenced one
        y = sigmoid(z)
    ref = torch.sigmoid(torch.tensor(z)).numpy()
    assert np.isfinite(y).all() and y.dtype == np.float64
    # torch flushes results below the smallest normal number to 0 (the exact value is subnormal there)
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=TINY64)
    normal = ref > TINY64
    np.testing.assert_allclose(y[normal], ref[normal], rtol=1e-14)


def test_sigmoid_matches_scipy_expit_to_the_last_digits():
    z = logit_grid(700)  # sigma(z) is a normal float64 number here
    np.testing.assert_allclose(sigmoid(z), scipy.special.expit(z), rtol=2e-15, atol=0)


def test_sigmoid_float32_matches_torch_and_stays_float32():
    z = logit_grid().astype(np.float32)
    y = sigmoid(z)
    assert y.dtype == np.float32 and np.isfinite(y).all()
    np.testing.assert_allclose(y, torch.sigmoid(torch.from_numpy(z)).numpy(), rtol=1e-5, atol=TINY32)
    yt = sigmoid(torch.from_numpy(z))
    assert yt.dtype == torch.float32
    torch.testing.assert_close(yt, torch.sigmoid(torch.from_numpy(z)), rtol=1e-5, atol=TINY32)


def test_sigmoid_tails_are_exact_where_naive_formulas_fail():
    assert sigmoid(np.array([1000.0]))[0] == 1.0
    assert sigmoid(np.array([-1000.0]))[0] == 0.0
    assert sigmoid(np.array([-745.0]))[0] > 0  # the smallest subnormal, not 0
    # 1 - sigma(z) = sigma(-z) to full relative precision in the lower tail
    z = np.array([-30.0, -100.0, -700.0])
    np.testing.assert_allclose(sigmoid(z), np.exp(z) / (1 + np.exp(z)), rtol=1e-15)


@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_sigmoid_symmetry(z):
    y, y_neg = sigmoid(np.array([z])), sigmoid(np.array([-z]))
    assert abs(float(y[0] + y_neg[0]) - 1.0) <= 4.5e-16  # two ulps of 1


# --------------------------------------------------------------------------- cross-entropy


@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
def test_cross_entropy_mean_matches_torch_in_float64_for_z_up_to_1e4(target):
    z = logit_grid()
    t = np.full_like(z, target)
    ours = binary_cross_entropy(z, t)
    ref = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(t)).item()
    assert math.isfinite(ours)
    assert ours == pytest.approx(ref, rel=1e-10)
    # each example's loss: torch computes log(1 + x) rather than log1p(x), which loses the digits
    # of losses below ~1e-12, so those are compared absolutely
    each = binary_cross_entropy(z, t, reduction="none")
    ref_each = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(t), reduction="none").numpy()
    np.testing.assert_allclose(each, ref_each, rtol=1e-10, atol=1e-12)


def test_cross_entropy_each_example_matches_logaddexp_exactly():
    z = logit_grid()
    for target in (0.0, 1.0, 0.25):
        t = np.full_like(z, target)
        # -t log sigma(z) - (1 - t) log(1 - sigma(z)) with -log sigma(z) = log(1 + e^-z), by NumPy's logaddexp
        ref = t * np.logaddexp(0.0, -z) + (1 - t) * np.logaddexp(0.0, z)
        np.testing.assert_allclose(binary_cross_entropy(z, t, reduction="none"), ref, rtol=1e-13, atol=1e-300)


def test_cross_entropy_equals_its_definition_for_moderate_logits(rng):
    z = rng.normal(scale=4, size=50)
    t = (rng.random(50) < 0.5).astype(float)
    y = 1 / (1 + np.exp(-z))
    definition = np.mean(-t * np.log(y) - (1 - t) * np.log(1 - y))
    assert binary_cross_entropy(z, t) == pytest.approx(definition, rel=1e-12)
    assert binary_cross_entropy(z, t, reduction="sum") == pytest.approx(50 * definition, rel=1e-12)


def test_cross_entropy_float32_matches_torch():
    z = logit_grid().astype(np.float32)
    for target in (0.0, 1.0):
        t = np.full_like(z, target)
        ref = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(t), reduction="none")
        ours = binary_cross_entropy(z, t, reduction="none")
        assert ours.dtype == np.float32 and np.isfinite(ours).all()
        np.testing.assert_allclose(ours, ref.numpy(), rtol=1e-5, atol=1e-6)
        assert float(binary_cross_entropy(z, t)) == pytest.approx(
            F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(t)).item(), rel=1e-5)


def test_confidently_wrong_costs_the_logit():
    # t = 1 and z = -1000: y underflows to 0, yet the loss is exactly 1000 (no log(0))
    assert binary_cross_entropy(np.array([-1000.0]), np.array([1.0])) == 1000.0
    assert binary_cross_entropy(np.array([1000.0]), np.array([1.0])) == 0.0


def test_cross_entropy_matches_scikit_learn_log_loss(rng):
    from sklearn.metrics import log_loss

    z = rng.normal(scale=3, size=40)
    t = (rng.random(40) < 0.5).astype(float)
    assert binary_cross_entropy(z, t) == pytest.approx(log_loss(t, scipy.special.expit(z)), rel=1e-10)


# --------------------------------------------------------------------------- gradients


def test_cross_entropy_gradient_is_y_minus_t_by_autograd_for_huge_logits(device):
    z = torch.tensor(logit_grid(), device=device, requires_grad=True)
    t = (torch.arange(z.shape[0], device=device) % 2).to(torch.float64)
    F.binary_cross_entropy_with_logits(z, t, reduction="sum").backward()  # torch's loss, torch's gradient
    ours = binary_cross_entropy_grad(z.detach(), t)
    assert ours.device.type == device.type and torch.isfinite(ours).all()
    torch.testing.assert_close(ours, z.grad, rtol=1e-12, atol=1e-300)


def test_cross_entropy_keeps_the_autograd_graph():
    z = torch.tensor([-3.0, 0.5, 800.0], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
    binary_cross_entropy(z, t).backward()
    torch.testing.assert_close(z.grad, (torch.sigmoid(z) - t).detach() / 3)


def test_cross_entropy_gradient_against_finite_differences(rng):
    z = rng.normal(scale=3, size=8)
    t = (rng.random(8) < 0.5).astype(float)
    eps = 1e-6
    fd = np.array([(binary_cross_entropy(z + eps * e, t, reduction="sum")
                    - binary_cross_entropy(z - eps * e, t, reduction="sum")) / (2 * eps) for e in np.eye(8)])
    np.testing.assert_allclose(binary_cross_entropy_grad(z, t), fd, rtol=1e-6, atol=1e-9)


def test_logistic_gradients_against_autograd(rng, device):
    X, t = rng.normal(size=(30, 4)), (rng.random(30) < 0.5).astype(float)
    w, b, l2 = rng.normal(size=4), 0.3, 0.05
    Xt, tt = torch.tensor(X, device=device), torch.tensor(t, device=device)
    wt = torch.tensor(w, device=device, requires_grad=True)
    bt = torch.tensor(b, device=device, dtype=torch.float64, requires_grad=True)
    # the cost written with torch's own loss, differentiated by autograd
    J = F.binary_cross_entropy_with_logits(Xt @ wt + bt, tt) + l2 / 2 * (wt @ wt)
    J.backward()
    dw, db = logistic_gradients(Xt, tt, wt.detach(), bt.detach(), l2)
    assert dw.device.type == device.type
    torch.testing.assert_close(dw, wt.grad, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(db, bt.grad, rtol=1e-12, atol=1e-14)
    assert logistic_cost(Xt, tt, wt, bt, l2).item() == pytest.approx(J.item(), rel=1e-13)


def test_logistic_gradients_against_finite_differences(rng):
    X, t = rng.normal(size=(20, 3)), (rng.random(20) < 0.5).astype(float)
    w, b, l2 = rng.normal(size=3), -0.7, 0.1
    dw, db = logistic_gradients(X, t, w, b, l2)
    eps = 1e-6
    for j, e in enumerate(np.eye(3)):
        fd = (logistic_cost(X, t, w + eps * e, b, l2) - logistic_cost(X, t, w - eps * e, b, l2)) / (2 * eps)
        assert dw[j] == pytest.approx(fd, rel=1e-6, abs=1e-10)
    fd_b = (logistic_cost(X, t, w, b + eps, l2) - logistic_cost(X, t, w, b - eps, l2)) / (2 * eps)
    assert db == pytest.approx(fd_b, rel=1e-6)


def test_lipschitz_constant_bounds_the_hessian(rng):
    X = rng.normal(size=(40, 3)) * [1.0, 3.0, 0.2] + 1.0
    L = lipschitz_constant(X, l2=0.1)
    Xa = np.hstack([X, np.ones((40, 1))])
    for _ in range(5):  # the Hessian at random points, by autograd
        theta = torch.tensor(rng.normal(scale=2, size=4), requires_grad=True)

        def J(th):
            return F.binary_cross_entropy_with_logits(torch.tensor(Xa) @ th, torch.zeros(40, dtype=torch.float64)) \
                + 0.05 * (th[:3] @ th[:3])

        H = torch.autograd.functional.hessian(J, theta).numpy()
        assert np.linalg.eigvalsh(H).max() <= L * (1 + 1e-12)
    # and it is tight at w = 0, b = 0, where every y (1 - y) is 1/4
    H0 = Xa.T @ Xa / (4 * 40) + np.diag([0.1, 0.1, 0.1, 0.0])
    assert np.linalg.eigvalsh(H0).max() == pytest.approx(L, rel=0.05)
    wide = rng.normal(size=(5, 12))  # N < D: the other Gram matrix, same answer
    assert lipschitz_constant(wide) == pytest.approx(
        np.linalg.eigvalsh(np.hstack([wide, np.ones((5, 1))]).T @ np.hstack([wide, np.ones((5, 1))])).max() / 20)


# --------------------------------------------------------------------------- the fit


def test_plain_gradient_descent_matches_scikit_learn_on_penguins():
    X, t = penguins()
    l2 = 1 / X.shape[0]  # scikit-learn's default C = 1
    w_sk, b_sk = sklearn_fit(X, t, l2)
    model = fit_logistic_regression(X, t, steps=1000, l2=l2)  # the defaults: plain GD, lr = 1/L
    assert model.lr == pytest.approx(1 / lipschitz_constant(X, l2))
    np.testing.assert_allclose(model.w, w_sk, rtol=1e-6)
    assert model.b == pytest.approx(b_sk, rel=1e-6)
    loss = model.history["loss"]
    assert loss.shape == (1001,) and loss[0] == pytest.approx(math.log(2), rel=1e-15)
    assert np.all(np.diff(loss) <= 1e-15)  # lr = 1/L never increases J
    assert loss[-1] == pytest.approx(float(logistic_cost(X, t, w_sk, b_sk, l2)), rel=1e-10)


@pytest.mark.parametrize("C", [1.0, 100.0])
def test_accelerated_fit_reaches_scikit_learn_on_breast_cancer(C):
    X, t = breast_cancer()
    l2 = 1 / (X.shape[0] * C)
    w_sk, b_sk = sklearn_fit(X, t, l2)
    J_sk = float(logistic_cost(X, t, w_sk, b_sk, l2))
    model = fit_logistic_regression(X, t, steps=3000, l2=l2, nesterov=True, precondition=True, tol=1e-9)
    assert model.converged
    J = float(logistic_cost(X, t, model.w, model.b, l2))
    assert J <= J_sk + 1e-10
    np.testing.assert_allclose(model.w, w_sk, rtol=1e-3, atol=1e-3 * np.abs(w_sk).max())
    dw, db = logistic_gradients(X, t, model.w, model.b, l2)  # tol: the last gradient evaluated was below it,
    assert max(np.abs(dw).max(), abs(db)) <= 2e-9              # and the step after it only shrinks it further


@pytest.mark.parametrize("options", [dict(nesterov=True), dict(precondition=True)])
def test_each_acceleration_alone_converges_to_the_same_point(options):
    X, t = penguins()
    l2 = 0.01
    w_sk, b_sk = sklearn_fit(X, t, l2)
    model = fit_logistic_regression(X, t, steps=2000, l2=l2, **options)
    np.testing.assert_allclose(model.w, w_sk, rtol=1e-6)


def test_predictions_match_scikit_learn(rng):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score

    X, t = breast_cancer()
    l2 = 0.01
    model = fit_logistic_regression(X, t, steps=500, l2=l2, nesterov=True, precondition=True)
    sk = LogisticRegression(C=1 / (X.shape[0] * l2), tol=1e-10, max_iter=10_000).fit(X, t)
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X)[:, 1], rtol=1e-5, atol=1e-8)
    pred = model.predict(X)
    assert pred.dtype == np.int64
    np.testing.assert_array_equal(pred, sk.predict(X).astype(np.int64))
    assert accuracy(pred, t) == pytest.approx(accuracy_score(t, sk.predict(X)))
    np.testing.assert_allclose(model.decision_function(X), sk.decision_function(X), rtol=1e-5, atol=1e-6)


def test_history_records_the_training_accuracy():
    X, t = penguins()
    model = fit_logistic_regression(X, t, steps=50)
    assert set(model.history) == {"loss", "train_acc"}  # the format of helpers.fitting, the one plot_history reads
    assert model.history["train_acc"][0] == pytest.approx(np.mean(t == 1))  # z = 0 everywhere: all predicted 1
    assert model.history["train_acc"][-1] == pytest.approx(float(accuracy(model.predict(X), t)))
    untrained = fit_logistic_regression(X, t, steps=0)  # no step: w = 0, J = log 2, and no warning
    assert untrained.steps == 0 and not np.any(untrained.w) and untrained.b == 0.0
    assert untrained.history["loss"].tolist() == [pytest.approx(math.log(2), rel=1e-15)]
    quiet = fit_logistic_regression(X, t, steps=50, record_history=False)
    assert quiet.history["loss"].shape == (0,)
    np.testing.assert_array_equal(quiet.w, model.w)


def test_predict_thresholds_at_z_equal_zero():
    model = fit_logistic_regression(np.array([[-1.0], [1.0]]), np.array([0, 1]), steps=10)
    X = np.array([[0.0], [-1e-9], [1e-9]]) - model.b / model.w[0]  # z = 0, just below, just above
    np.testing.assert_array_equal(model.predict(X), [1, 0, 1])


def test_numpy_and_torch_agree(device):
    X, t = penguins()
    a = fit_logistic_regression(X, t, steps=200, l2=0.01, device="cpu")
    b = fit_logistic_regression(torch.tensor(X, device=device), torch.tensor(t, device=device), steps=200, l2=0.01,
                                device=device)
    assert isinstance(a.w, np.ndarray) and isinstance(a.b, float)
    assert torch.is_tensor(b.w) and b.w.device.type == device.type and b.b.device.type == device.type
    np.testing.assert_allclose(b.w.cpu().numpy(), a.w, rtol=1e-10)
    assert isinstance(b.history["loss"], np.ndarray) and b.history["loss"].dtype == np.float64
    np.testing.assert_allclose(b.history["loss"], a.history["loss"], rtol=1e-12)


def test_device_parameter_moves_numpy_data_and_returns_numpy(device):
    X, t = penguins()
    on_device = fit_logistic_regression(X, t, steps=100, device=device)
    here = fit_logistic_regression(X, t, steps=100, device="cpu")
    assert isinstance(on_device.w, np.ndarray) and isinstance(on_device.history["loss"], np.ndarray)
    np.testing.assert_allclose(on_device.w, here.w, rtol=1e-10)
    Xt = torch.tensor(X, device=device)
    p = on_device.predict_proba(Xt)  # the weights follow X to its device
    assert torch.is_tensor(p) and p.device.type == device.type
    np.testing.assert_allclose(p.cpu().numpy(), here.predict_proba(X), rtol=1e-10)


def test_without_device_the_work_stays_where_the_data_is(monkeypatch):
    X, t = penguins()
    monkeypatch.setenv("HELPERS_DEVICE", "no-such-device")  # device=None never asks for the default device
    model = fit_logistic_regression(torch.tensor(X), torch.tensor(t), steps=5)
    assert model.w.device.type == "cpu" and model.w.dtype == torch.float64
    assert isinstance(fit_logistic_regression(X, t, steps=5).w, np.ndarray)


def test_float32_fit_stays_float32():
    X, t = penguins()
    model = fit_logistic_regression(torch.tensor(X, dtype=torch.float32), torch.tensor(t), steps=300)
    assert model.w.dtype == torch.float32
    ref = fit_logistic_regression(X, t, steps=300)
    np.testing.assert_allclose(model.w.numpy(), ref.w, rtol=1e-4)
    numpy32 = fit_logistic_regression(X.astype(np.float32), t.astype(int), steps=300)  # integer labels
    assert numpy32.w.dtype == np.float32 and numpy32.history["loss"].dtype == np.float64  # histories: float64
    np.testing.assert_allclose(numpy32.w, ref.w, rtol=1e-4)
    assert numpy32.predict_proba(X.astype(np.float32)).dtype == np.float32


def test_a_diverging_learning_rate_warns_with_the_critical_rate():
    from helpers.data import load_penguins

    X, species = load_penguins(columns=("bill_length_mm", "bill_depth_mm"), species=("Adelie", "Chinstrap"))
    t = (species == "Chinstrap").astype(float)  # features in mm, not standardized: GD is fragile here
    L = lipschitz_constant(X)
    with pytest.warns(DivergenceWarning, match=r"the cost went up .* 2/L = ") as record:
        model = fit_logistic_regression(X, t, lr=20 / L, steps=100)
    assert f"{2 / L:.4g}" in str(record[0].message)
    assert np.isfinite(model.w).all()
    assert fit_logistic_regression(X, t, steps=100).history["loss"][-1] < math.log(2)  # lr = 1/L: no warning


def test_progress_bar_runs(capsys):
    X, t = penguins()
    model = fit_logistic_regression(X, t, steps=3, progress=True)
    assert model.steps == 3


# --------------------------------------------------------------------------- bad input

X_OK = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, -1.0]])
T_OK = np.array([0.0, 1.0, 1.0])

BAD_FITS = [
    (dict(t=np.array([-1.0, 1.0, 1.0])), ValueError, r"t must hold binary labels 0 and 1.*-1.*\(t \+ 1\) / 2"),
    (dict(t=np.array([0, 1, 2])), ValueError, r"t must hold binary labels 0 and 1, got 1 other value\(s\) such as 2"),
    (dict(t=np.array([0.0, 0.5, 1.0])), ValueError, r"t must hold binary labels.*0\.5"),
    (dict(t=np.array(["Adelie", "Gentoo", "Adelie"])), TypeError, r"t must hold numbers.*binary labels"),
    (dict(t=np.array([0.0, np.nan, 1.0])), ValueError, r"t contains NaN"),
    (dict(t=np.array([[0.0, 1.0, 1.0]])), ValueError, r"t must be 1-D, got a 2-D array"),
    (dict(t=np.array([0.0, 1.0])), ValueError, r"X has 3 rows but t has 2 entries"),
    (dict(X=np.array([0.0, 1.0, 2.0])), ValueError, r"X must be 2-D, got a 1-D array"),
    (dict(X=np.array([[0.0, np.inf], [1, 1], [2, 2]])), ValueError, r"X contains inf"),
    (dict(X=np.array([[0.0, np.nan], [1, 1], [2, 2]])), ValueError, r"X contains NaN"),
    (dict(X=np.zeros((0, 2)), t=np.zeros(0)), ValueError, r"X must not be empty"),
    (dict(X=torch.tensor(X_OK)), TypeError, r"mixed NumPy and torch input: t is NumPy but X is a tensor"),
    (dict(lr=0.0), ValueError, r"lr must be a finite number > 0, got 0.0"),
    (dict(lr=-0.1), ValueError, r"lr must be a finite number > 0"),
    (dict(lr=float("nan")), ValueError, r"lr must be a finite number > 0, got nan"),
    (dict(steps=-1), ValueError, r"steps must be >= 0, got -1"),
    (dict(steps=10.5), TypeError, r"steps must be an integer"),
    (dict(l2=-1.0), ValueError, r"l2 must be a finite number >= 0, got -1.0"),
    (dict(l2="a lot"), TypeError, r"l2 must be a real number, got str"),
    (dict(tol=float("inf")), ValueError, r"tol must be a finite number >= 0"),
    (dict(X=np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]), precondition=True), ValueError,
     r"precondition=True needs a positive definite Hessian bound.*l2 > 0"),
]


@pytest.mark.parametrize("bad, error, message", BAD_FITS, ids=[m[:40] for _, _, m in BAD_FITS])
def test_fit_rejects_bad_input_with_a_named_message(bad, error, message):
    args = dict(X=X_OK, t=T_OK, steps=3) | bad
    with pytest.raises(error, match=message):
        fit_logistic_regression(**args)


BAD_CALLS = [
    (lambda: sigmoid("0.5"), TypeError, r"z must be an array of numbers"),
    (lambda: sigmoid(np.array([0.0, np.nan])), ValueError, r"z contains NaN"),
    (lambda: binary_cross_entropy(np.zeros(3), np.array([0.0, 1.0, 2.0])), ValueError,
     r"t must hold targets in \[0, 1\]"),
    (lambda: binary_cross_entropy(np.zeros(3), np.zeros(4)), ValueError, r"t has shape \(4,\) but z has shape \(3,\)"),
    (lambda: binary_cross_entropy(np.zeros(3), np.zeros(3), reduction="avg"), ValueError, r"reduction must be one of"),
    (lambda: binary_cross_entropy(np.zeros(3), torch.zeros(3)), TypeError, r"mixed NumPy and torch input"),
    (lambda: binary_cross_entropy_grad(np.zeros(2), np.array([0.0, -1.0])), ValueError, r"t must hold targets"),
    (lambda: accuracy(np.array([0.2, 0.9]), np.array([0.0, 1.0])), ValueError,
     r"pred must hold binary labels 0 and 1.*0\.2.*model\.predict\(X\)"),
    (lambda: accuracy(np.array([0, 1, 1]), np.array([0, 1])), ValueError, r"pred has 3 rows but t has 2 entries"),
    (lambda: logistic_cost(X_OK, T_OK, np.zeros(3), 0.0), ValueError, r"X has 2 columns .* but w has 3 entries"),
    (lambda: logistic_gradients(X_OK, T_OK[:2], np.zeros(2), 0.0), ValueError, r"X has 3 rows but t has 2 entries"),
    (lambda: logistic_cost(X_OK, T_OK, np.zeros(2), 0.0, l2=-1), ValueError, r"l2 must be a finite number >= 0"),
    (lambda: fit_logistic_regression(X_OK, T_OK, steps=2).predict(np.zeros((2, 3))), ValueError,
     r"X has 3 columns \(features\) but the model was fitted on 2"),
]


@pytest.mark.parametrize("call, error, message", BAD_CALLS, ids=[m[:40] for _, _, m in BAD_CALLS])
def test_helpers_reject_bad_input_with_a_named_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------- plots and the explorer


def test_plot_decision_boundary_draws_the_line_w_x_plus_b_equal_zero():
    import matplotlib.pyplot as plt

    from helpers.plots import plot_decision_boundary

    X, t = penguins()
    w, b = np.array([2.0, -1.0]), 0.5
    fig = plot_decision_boundary((w, b), X, t)
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label().startswith("boundary")]
    x1, x2 = line.get_data()
    np.testing.assert_allclose(w[0] * x1 + w[1] * x2 + b, 0, atol=1e-12)
    plt.close(fig)
    with pytest.raises(ValueError, match="two features"):
        plot_decision_boundary((np.ones(3), 0.0), np.ones((4, 3)), np.zeros(4))


def test_plot_surrogate_losses_draws_the_four_losses():
    import matplotlib.pyplot as plt

    from helpers.plots import plot_surrogate_losses

    fig = plot_surrogate_losses()
    lines = fig.axes[0].get_lines()
    ce = [ln for ln in lines if "cross-entropy" in ln.get_label()][0]
    z, loss = ce.get_data()
    np.testing.assert_allclose(loss, np.logaddexp(0, -z), rtol=1e-12)  # -log sigma(z) for t = 1
    assert len([ln for ln in lines if ln.get_label() and not ln.get_label().startswith("_")]) == 4
    plt.close(fig)


def test_logistic_explorer_reports_the_cost_and_accuracy():
    import matplotlib.pyplot as plt
    from sklearn.metrics import log_loss

    from helpers.widgets import logistic_explorer

    X, t = penguins()
    explorer = logistic_explorer(X, t)
    state = explorer.update(w1=3.0, w2=-1.0, b=-1.5)
    z = X @ np.array([3.0, -1.0]) - 1.5
    assert state["loss"] == pytest.approx(log_loss(t, scipy.special.expit(z)), rel=1e-10)
    assert state["accuracy"] == pytest.approx(np.mean((z >= 0) == (t == 1)))
    assert set(explorer.controls) == {"w1", "w2", "b"}
    plt.close("all")


def test_plot_logistic_fit_reuses_the_figure_it_is_given():
    import warnings

    import matplotlib.pyplot as plt

    from helpers.plots import plot_logistic_fit

    X, t = penguins()
    fig = plt.figure()
    before = plt.get_fignums()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "More than 20 figures" when they pile up
        for k in range(25):  # what an explorer's slider events do
            out = plot_logistic_fit(X, t, (0.2 * k, -1.0), 0.5, fig=fig)
    assert out is fig and plt.get_fignums() == before and len(fig.axes) == 3  # two panels and the colour bar
    z = X @ np.array([0.2 * 24, -1.0]) + 0.5
    assert fig.logistic_loss == pytest.approx(float(binary_cross_entropy(z, t)), rel=1e-12)
    plt.close(fig)
