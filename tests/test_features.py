"""Feature maps, curve data, splits, errors and the standardizer against independent references."""

import json
import math
import os
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import mean_squared_error
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from helpers.features import (
    Standardizer,
    fit_polynomial,
    gaussian_features,
    make_curve_data,
    polynomial_features,
    rmse,
    train_val_test_split,
)

NOTEBOOK = os.path.join(os.path.dirname(os.path.dirname(__file__)), "notebooks", "03_feature_maps.ipynb")


def fit_catching(x, t, degree):
    """fit_polynomial, returning (w, whether solve_direct fell back to the SVD)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        w = fit_polynomial(x, t, degree)
    return w, any("minimum-norm" in str(c.message) for c in caught)


# --- polynomial_features -----------------------------------------------------------------------------------------


def test_polynomial_features_by_hand():
    x = np.array([2.0, -1.0, 0.5, 0.0])
    expected = [[1, 2, 4, 8], [1, -1, 1, -1], [1, 0.5, 0.25, 0.125], [1, 0, 0, 0]]
    np.testing.assert_array_equal(polynomial_features(x, 3), expected)
    np.testing.assert_array_equal(polynomial_features(x, 0), np.ones((4, 1)))


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=12), st.integers(0, 10))
def test_polynomial_features_equal_numpy_vander(values, degree):
    x = np.array(values)
    np.testing.assert_allclose(polynomial_features(x, degree), np.vander(x, degree + 1, increasing=True),
                               rtol=1e-14, atol=0)


def test_polynomial_features_equal_scikit_learn():
    x = np.random.default_rng(0).uniform(-1, 1, 30)
    np.testing.assert_allclose(polynomial_features(x, 5), PolynomialFeatures(5).fit_transform(x[:, None]), rtol=1e-14)


def test_polynomial_features_torch_same_device_and_autograd(device):
    x_np = np.array([-1.5, 0.0, 0.3, 2.0])
    x = torch.tensor(x_np, device=device, requires_grad=True)
    Psi = polynomial_features(x, 4)
    assert torch.is_tensor(Psi) and Psi.device.type == device.type and Psi.shape == (4, 5)
    np.testing.assert_allclose(Psi.detach().cpu().numpy(), np.vander(x_np, 5, increasing=True), rtol=1e-14)
    Psi.sum().backward()  # d/dx sum_k x^k = sum_k k x^(k-1), finite at x = 0
    np.testing.assert_allclose(x.grad.cpu().numpy(), 1 + 2 * x_np + 3 * x_np**2 + 4 * x_np**3, rtol=1e-12)


def test_polynomial_features_of_integers_and_lists_are_float():
    Psi = polynomial_features([1, 2, 3], 2)
    assert Psi.dtype == np.float64
    assert polynomial_features(torch.tensor([1, 2]), 2).dtype == torch.float64  # as scikit-learn: float64
    assert polynomial_features(torch.tensor([1.0, 2.0], dtype=torch.float32), 2).dtype == torch.float32


# --- gaussian_features -------------------------------------------------------------------------------------------


def test_gaussian_features_against_the_formula():
    x, centers, s = [0.1, 0.5, 0.93], [0.0, 0.25, 0.5, 1.0], 0.2
    expected = [[math.exp(-((xi - mu) ** 2) / (2 * s * s)) for mu in centers] for xi in x]
    np.testing.assert_allclose(gaussian_features(np.array(x), np.array(centers), s), expected, rtol=1e-14)


def test_gaussian_features_are_scaled_normal_densities():
    from scipy.stats import norm

    x, centers, s = np.linspace(-1, 2, 17), np.linspace(0, 1, 6), 0.3
    ref = norm.pdf(x[:, None], loc=centers[None, :], scale=s) * s * np.sqrt(2 * np.pi)
    np.testing.assert_allclose(gaussian_features(x, centers, s), ref, rtol=1e-12)


def test_gaussian_features_torch_agrees(device):
    x, c = np.linspace(0, 1, 11), np.linspace(0, 1, 4)
    Psi = gaussian_features(torch.tensor(x, device=device), torch.tensor(c, device=device), 0.15)
    assert torch.is_tensor(Psi) and Psi.device.type == device.type
    np.testing.assert_allclose(Psi.cpu().numpy(), gaussian_features(x, c, 0.15), rtol=1e-13)


# --- fit_polynomial ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("degree", [0, 1, 3, 5])
def test_fit_polynomial_matches_numpy_polyfit(degree):
    x, t = make_curve_data(30, seed=1)
    w = fit_polynomial(x, t, degree)
    assert w.shape == (degree + 1,)
    np.testing.assert_allclose(w, np.polynomial.polynomial.polyfit(x, t, degree), rtol=1e-8, atol=1e-10)


def test_fit_polynomial_l2_matches_ridge_on_polynomial_features():
    from sklearn.linear_model import Ridge

    x, t = make_curve_data(25, seed=2)
    w = fit_polynomial(x, t, 4, l2=1e-3)
    ref = Ridge(alpha=25 * 1e-3).fit(polynomial_features(x, 4)[:, 1:], t)
    np.testing.assert_allclose(w, np.r_[ref.intercept_, ref.coef_], rtol=1e-7)


def test_degree_9_with_10_points_interpolates():
    from scipy.interpolate import BarycentricInterpolator

    x, t = make_curve_data(10, seed=0)
    w, _ = fit_catching(x, t, 9)
    assert rmse(polynomial_features(x, 9) @ w, t) < 1e-6  # training RMS ~ 0: through every point
    grid = np.linspace(0.05, 0.95, 50)  # the unique interpolating polynomial, computed independently
    np.testing.assert_allclose(polynomial_features(grid, 9) @ w, BarycentricInterpolator(x, t)(grid),
                               rtol=1e-6, atol=1e-6)


def test_fit_polynomial_torch_agrees_with_numpy(device):
    x, t = make_curve_data(20, seed=3)
    w = fit_polynomial(x, t, 3)
    wt = fit_polynomial(torch.tensor(x, device=device), torch.tensor(t, device=device), 3)
    assert torch.is_tensor(wt) and wt.device.type == device.type and wt.shape == (4,)
    np.testing.assert_allclose(wt.cpu().numpy(), w, rtol=1e-9)
    w0 = fit_polynomial(torch.tensor(x, device=device), torch.tensor(t, device=device), 0)
    assert w0.shape == (1,) and float(w0[0]) == pytest.approx(t.mean(), rel=1e-12)


def test_fit_polynomial_keeps_autograd_graph():
    x, t = make_curve_data(12, seed=4)
    tt = torch.tensor(t, requires_grad=True)
    w = fit_polynomial(torch.tensor(x), tt, 2)
    w.sum().backward()
    assert tt.grad is not None and torch.isfinite(tt.grad).all()


# --- make_curve_data, train_val_test_split, rmse ------------------------------------------------------------------


def test_make_curve_data():
    x, t = make_curve_data(2000, noise=0.3, seed=5)
    assert x.shape == t.shape == (2000,) and x.min() >= 0 and x.max() <= 1
    residual = t - np.sin(2 * np.pi * x)
    assert abs(residual.std() - 0.3) < 0.02 and abs(residual.mean()) < 0.03  # ~4 standard errors
    x0, t0 = make_curve_data(50, noise=0.0, seed=1)
    np.testing.assert_array_equal(t0, np.sin(2 * np.pi * x0))
    a, b = make_curve_data(20, seed=7), make_curve_data(20, seed=7)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(make_curve_data(20, seed=8)[0], a[0])


@pytest.mark.parametrize("N, fractions, sizes", [(100, (0.6, 0.2, 0.2), (60, 20, 20)),
                                                 (100, (0.1, 0.45, 0.45), (10, 45, 45)),
                                                 (7, (0.5, 0.25, 0.25), (4, 2, 1))])
def test_split_sizes_disjoint_and_paired(N, fractions, sizes):
    X = np.column_stack([np.arange(N, dtype=float), -np.arange(N, dtype=float)])
    t = 10.0 * np.arange(N)
    parts = train_val_test_split(X, t, fractions=fractions, seed=3)
    assert tuple(len(tp) for _, tp in parts) == sizes
    ids = np.concatenate([Xp[:, 0] for Xp, _ in parts])
    assert sorted(ids.tolist()) == list(range(N))  # disjoint, and together all N examples
    for Xp, tp in parts:
        np.testing.assert_array_equal(tp, 10.0 * Xp[:, 0])  # rows stay paired with their targets


def test_split_is_deterministic_and_shuffles():
    x, t = np.arange(50.0), np.arange(50.0)
    a = train_val_test_split(x, t, seed=1)
    b = train_val_test_split(x, t, seed=1)
    c = train_val_test_split(x, t, seed=2)
    for (xa, _), (xb, _) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
    assert not np.array_equal(a[0][0], c[0][0])
    assert not np.array_equal(np.sort(a[0][0]), np.arange(30.0))  # not just the first 30


def test_split_torch_agrees(device):
    x, t = make_curve_data(40, seed=0)
    parts = train_val_test_split(torch.tensor(x, device=device), torch.tensor(t, device=device), seed=4)
    for (xp, tp), (xn, tn) in zip(parts, train_val_test_split(x, t, seed=4)):
        assert torch.is_tensor(xp) and xp.device.type == device.type
        np.testing.assert_array_equal(xp.cpu().numpy(), xn)
        np.testing.assert_array_equal(tp.cpu().numpy(), tn)


def test_rmse_against_scikit_learn(device):
    rng = np.random.default_rng(0)
    y, t = rng.normal(size=40), rng.normal(size=40)
    ref = math.sqrt(mean_squared_error(t, y))
    assert isinstance(rmse(y, t), float) and rmse(y, t) == pytest.approx(ref, rel=1e-13)
    e = rmse(torch.tensor(y, device=device), torch.tensor(t, device=device))
    assert torch.is_tensor(e) and e.device.type == device.type and float(e) == pytest.approx(ref, rel=1e-13)


# --- Standardizer ------------------------------------------------------------------------------------------------


def test_standardizer_matches_standard_scaler():
    rng = np.random.default_rng(1)
    X_train = rng.normal([1.0, -20.0, 3.0], [0.5, 4.0, 0.0], size=(30, 3))  # third column constant
    X_val = rng.normal(size=(8, 3))
    ours, ref = Standardizer().fit(X_train), StandardScaler().fit(X_train)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-13)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-13)
    np.testing.assert_allclose(ours.transform(X_val), ref.transform(X_val), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours.fit_transform(X_train), ref.transform(X_train), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X_val)), X_val, rtol=1e-12)


def test_standardizer_uses_training_statistics_only():
    x_train, x_val = np.array([0.0, 1.0, 2.0, 3.0]), np.array([10.0, 20.0])
    s = Standardizer().fit(x_train)
    np.testing.assert_allclose(s.transform(x_val), (x_val - 1.5) / np.sqrt(1.25))
    z = s.transform(x_train)
    assert z.mean() == pytest.approx(0, abs=1e-15) and z.std() == pytest.approx(1, rel=1e-14)


def test_standardizer_torch_agrees(device):
    rng = np.random.default_rng(2)
    X, Y = rng.normal(3, 2, size=(20, 2)), rng.normal(size=(5, 2))
    s = Standardizer().fit(torch.tensor(X, device=device))
    Z = s.transform(torch.tensor(Y, device=device))
    assert torch.is_tensor(Z) and Z.device.type == device.type
    np.testing.assert_allclose(Z.cpu().numpy(), StandardScaler().fit(X).transform(Y), rtol=1e-12)


# --- bad input ---------------------------------------------------------------------------------------------------

x5 = np.linspace(0, 1, 5)
BAD = [
    (lambda: polynomial_features(x5, -1), ValueError, "degree must be >= 0, got -1"),
    (lambda: polynomial_features(x5, 2.5), TypeError, "degree must be an integer"),
    (lambda: polynomial_features(x5[:, None], 2), ValueError, r"x must be 1-D, got a 2-D array of shape \(5, 1\)"),
    (lambda: polynomial_features(np.array([]), 2), ValueError, r"x must not be empty, got shape \(0,\)"),
    (lambda: polynomial_features([0.1, np.nan], 2), ValueError, "x contains NaN"),
    (lambda: polynomial_features(["a", "b"], 2), TypeError, "x must hold numbers"),
    (lambda: gaussian_features(x5, [0.5], 0.0), ValueError, "width must be a finite number > 0, got 0.0"),
    (lambda: gaussian_features(x5, [0.5], np.inf), ValueError, "width must be a finite number > 0"),
    (lambda: gaussian_features(x5, [[0.5]], 0.1), ValueError, "centers must be 1-D"),
    (lambda: gaussian_features(torch.tensor(x5), np.array([0.5]), 0.1), TypeError,
     "centers is NumPy but x is a tensor"),
    (lambda: fit_polynomial(x5, np.ones(4), 2), ValueError, "x has 5 rows but t has 4 entries"),
    (lambda: fit_polynomial(x5, np.ones(5), -2), ValueError, "degree must be >= 0"),
    (lambda: rmse(np.ones(3), np.ones(4)), ValueError, "y has 3 entries but t has 4"),
    (lambda: rmse(np.ones((3, 1)), np.ones(3)), ValueError, "y must be 1-D"),
    (lambda: make_curve_data(0), ValueError, "n must be >= 1"),
    (lambda: make_curve_data(10, noise=-0.1), ValueError, "noise must be >= 0"),
    (lambda: make_curve_data(10, seed=-1), ValueError, "seed must be >= 0"),
    (lambda: train_val_test_split(x5, np.ones(4)), ValueError, "X has 5 rows but t has 4 entries"),
    (lambda: train_val_test_split(x5, x5, fractions=(0.5, 0.5)), ValueError, "fractions must be three numbers"),
    (lambda: train_val_test_split(x5, x5, fractions=(0.6, 0.3, 0.3)), ValueError, "sum to 1"),
    (lambda: train_val_test_split(x5, x5, fractions=(0.9, 0.05, 0.05)), ValueError, "each needs at least one"),
    (lambda: train_val_test_split(np.ones((5, 2, 2)), x5), ValueError, "X must be 1-D or 2-D"),
    (lambda: Standardizer().transform(x5), ValueError, "not fitted yet"),
    (lambda: Standardizer().fit(np.ones((5, 2))).transform(np.ones((3, 3))), ValueError,
     "X has 3 columns .* fitted on 2"),
    (lambda: Standardizer().fit(x5).transform(x5[:, None]), ValueError, "X must be 1-D like the training set"),
    (lambda: Standardizer().fit(x5).transform(torch.tensor(x5)), TypeError, "mixed NumPy and torch"),
]


@pytest.mark.parametrize("call, error, message", BAD, ids=[m[:40] for _, _, m in BAD])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- the notebook's experiment: what its prose says is what its seed gives -----------------------------------------


def _notebook_seed():
    with open(NOTEBOOK, encoding="utf-8") as f:
        source = "\n".join("".join(c["source"]) for c in json.load(f)["cells"] if c["cell_type"] == "code")
    return int(re.search(r"^SEED = (\d+)$", source, re.M).group(1))


def test_notebook_seed_gives_the_degree_and_fallbacks_its_prose_describes():
    seed = _notebook_seed()
    x, t = make_curve_data(100, noise=0.3, seed=seed)
    (x_tr, t_tr), (x_val, t_val), _ = train_val_test_split(x, t, fractions=(0.1, 0.45, 0.45), seed=seed)
    val, fallback = [], []
    for M in range(10):
        w, fell_back = fit_catching(x_tr, t_tr, M)
        val.append(rmse(polynomial_features(x_val, M) @ w, t_val))
        if fell_back:
            fallback.append(M)
    best = int(np.argmin(val))
    assert best == 3  # section 3 calls M = 3 "good"; sections 6 and 11 print the computed choice
    assert sorted(val)[1] > 1.1 * val[best]  # and not by a hair
    assert fallback == [8, 9]  # section 7: "for M = 8 and 9 only"
    with open(NOTEBOOK, encoding="utf-8") as f:
        assert f"validation chooses M = {best}" in f.read()


# --- the explorer ------------------------------------------------------------------------------------------------


def test_polynomial_explorer_computes_what_it_shows():
    from helpers.widgets import polynomial_explorer

    x_pool, t_pool = make_curve_data(40, seed=11)
    x_val, t_val = make_curve_data(30, seed=12)
    ex = polynomial_explorer(x_pool, t_pool, x_val, t_val, degree=3, N=10, max_degree=9)
    state = ex.update(degree=2, N=25)
    w = np.polynomial.polynomial.polyfit(x_pool[:25], t_pool[:25], 2)  # independent least squares
    y_val = np.polynomial.polynomial.polyval(x_val, w)
    assert state["val_rmse"] == pytest.approx(np.sqrt(np.mean((y_val - t_val) ** 2)), rel=1e-8)
    assert len(state["train_curve"]) == 10 and state["best_degree"] == int(np.argmin(state["val_curve"]))
    state = ex.update(degree=9, N=10)  # interpolation, through the SVD fallback (caught, listed)
    assert state["train_rmse"] < 1e-6 and 9 in state["fallback"]


def test_plot_functions_draw_and_return_figures():
    import matplotlib.pyplot as plt

    from helpers import plots

    x, t = make_curve_data(10, seed=0)
    grid = np.linspace(0, 1, 50)
    figs = [
        plots.plot_curve_fit(torch.tensor(x), torch.tensor(t), grid, np.sin(grid)),
        plots.plot_polynomial_fits(x, t, grid, {"a": grid, "b": -grid, "c": grid**2}),
        plots.plot_errors_vs_degree(range(4), [1.0, 0.5, 0.2, 0.1], [1.0, 0.6, 0.4, 0.9], chosen=2),
        plots.plot_condition_numbers(range(3), {"raw": [1.0, 1e3, 1e6]}, threshold=1e10),
        plots.plot_basis_functions(grid, gaussian_features(grid, np.linspace(0, 1, 4), 0.2)),
    ]
    assert all(isinstance(f, plt.Figure) for f in figs)
    assert sum(ax.get_visible() for ax in figs[1].axes) == 3  # the fourth panel of the 2 x 2 grid is hidden
    plt.close("all")
