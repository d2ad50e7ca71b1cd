"""predict, cost and gradients against independent references."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from helpers import cost, gradients, predict


def problem(rng, N=7, D=3):
    return rng.normal(size=(N, D)), rng.normal(size=N), rng.normal(size=D), float(rng.normal())


def test_lecture_example_by_hand():
    # The lecture's 3 x 4 data matrix; predictions written out row by row.
    X = np.array([[8.0, 0, 3, 0], [6, -1, 5, 3], [2, 5, -2, 8]])
    w, b = np.array([1.0, -2, 0.5, 1]), 1.0
    t = np.array([1.0, 2, 3])
    y_hand = [8 + 1.5 + 1, 6 + 2 + 2.5 + 3 + 1, 2 - 10 - 1 + 8 + 1]
    np.testing.assert_allclose(predict(X, w, b), y_hand)
    J_hand = sum((yi - ti) ** 2 for yi, ti in zip(y_hand, t)) / (2 * 3)
    assert cost(X, t, w, b) == pytest.approx(J_hand, rel=1e-15)


def test_cost_against_a_differently_written_formula(rng):
    X, t, w, b = problem(rng, 50, 4)
    J_ref = 0.5 * np.mean((np.einsum("nd,d->n", X, w) + b - t) ** 2)
    assert cost(X, t, w, b) == pytest.approx(J_ref, rel=1e-12)


def test_gradients_against_finite_differences(rng):
    X, t, w, b = problem(rng)
    dw, db = gradients(X, t, w, b)
    eps = 1e-6
    for j in range(len(w)):
        e = np.zeros_like(w)
        e[j] = eps
        fd = (cost(X, t, w + e, b) - cost(X, t, w - e, b)) / (2 * eps)
        assert dw[j] == pytest.approx(fd, rel=1e-6, abs=1e-9)
    fd_b = (cost(X, t, w, b + eps) - cost(X, t, w, b - eps)) / (2 * eps)
    assert db == pytest.approx(fd_b, rel=1e-6)


def test_gradients_against_autograd(rng, device):
    X, t, w, b = problem(rng, 20, 5)
    Xt, tt = torch.tensor(X, device=device), torch.tensor(t, device=device)
    wt = torch.tensor(w, device=device, requires_grad=True)
    bt = torch.tensor(b, device=device, dtype=torch.float64, requires_grad=True)
    J = cost(Xt, tt, wt, bt)
    J.backward()
    dw, db = gradients(Xt, tt, wt.detach(), bt.detach())
    assert dw.device.type == device.type
    torch.testing.assert_close(dw, wt.grad, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(db, bt.grad, rtol=1e-12, atol=1e-14)


def test_matches_scikit_learn_predictions(rng):
    from sklearn.linear_model import LinearRegression

    X, t, _, _ = problem(rng, 30, 3)
    model = LinearRegression().fit(X, t)
    np.testing.assert_allclose(predict(X, model.coef_, model.intercept_), model.predict(X), rtol=1e-12)


def test_same_kind_out(rng, device):
    X, t, w, b = problem(rng)
    assert isinstance(predict(X, w, b), np.ndarray)
    y = predict(torch.tensor(X, device=device), torch.tensor(w, device=device), b)
    assert torch.is_tensor(y) and y.device.type == device.type


def test_integer_and_list_input_become_float():
    assert predict([[1, 2], [3, 4]], [1, 1], 0).dtype == np.float64


def test_torch_mixed_float_dtypes_are_promoted():
    X = torch.ones(3, 2, dtype=torch.float32)
    w = torch.ones(2, dtype=torch.float64)
    assert predict(X, w, 0.0).dtype == torch.float64


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda X, t, w: predict(X[0], w, 0.0), ValueError, ["X must be 2-D", "1-D"]),
        (lambda X, t, w: cost(X, t[:-1], w, 0.0), ValueError, ["X has 7 rows", "t has 6 entries"]),
        (lambda X, t, w: predict(X, w[:-1], 0.0), ValueError, ["X has 3 columns", "w has 2 entries"]),
        (lambda X, t, w: cost(X, torch.tensor(t), w, 0.0), TypeError, ["mixed NumPy and torch", "t is a tensor"]),
        (lambda X, t, w: predict(np.where(X > 0, np.nan, X), w, 0.0), ValueError, ["X contains NaN"]),
        (lambda X, t, w: cost(X, np.full_like(t, np.inf), w, 0.0), ValueError, ["t contains inf"]),
        (lambda X, t, w: predict(X[:0], w, 0.0), ValueError, ["X must not be empty"]),
        (lambda X, t, w: predict(X.astype(str), w, 0.0), TypeError, ["X must hold numbers"]),
        (lambda X, t, w: predict(X, w, np.nan), ValueError, ["b must be finite"]),
        (lambda X, t, w: predict(X, w, "1"), TypeError, ["b must be a real number"]),
    ],
)
def test_bad_input_is_named(rng, call, exc, words):
    X, t, w, _ = problem(rng)
    with pytest.raises(exc) as info:
        call(X, t, w)
    for word in words:
        assert word in str(info.value)


@given(
    N=st.integers(1, 40),
    D=st.integers(1, 8),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_numpy_and_torch_agree(N, D, seed, dtype):
    rng = np.random.default_rng(seed)
    X, t, w, b = (a.astype(dtype) if isinstance(a, np.ndarray) else a for a in problem(rng, N, D))
    rtol = 1e-10 if dtype == np.float64 else 1e-5
    y = predict(X, w, b)
    assert y.shape == (N,)
    yt = predict(torch.from_numpy(X), torch.from_numpy(w), b)
    np.testing.assert_allclose(yt.numpy(), y, rtol=rtol, atol=rtol)
    J, Jt = cost(X, t, w, b), cost(torch.from_numpy(X), torch.from_numpy(t), torch.from_numpy(w), b)
    np.testing.assert_allclose(float(Jt), float(J), rtol=rtol * 10)
    dw, db = gradients(X, t, w, b)
    dwt, dbt = gradients(torch.from_numpy(X), torch.from_numpy(t), torch.from_numpy(w), b)
    assert dw.shape == (D,)
    scale = np.abs(X).max() * (np.abs(y).max() + np.abs(t).max())
    np.testing.assert_allclose(dwt.numpy(), dw, rtol=rtol * 10, atol=rtol * 10 * scale)
    np.testing.assert_allclose(float(dbt), float(db), rtol=rtol * 10, atol=rtol * 10 * scale)
