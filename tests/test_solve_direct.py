import warnings

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression, Ridge

from helpers.solvers import solve_direct


def data(rng, N=200, D=5, noise=0.1):
    X = rng.normal(size=(N, D)) * rng.uniform(0.5, 3, size=D) + rng.normal(size=D)
    w, b = rng.normal(size=D), rng.normal()
    return X, X @ w + b + noise * rng.normal(size=N)


@pytest.mark.parametrize("N, D", [(50, 1), (200, 5), (1000, 40)])
def test_matches_linear_regression(rng, N, D):
    X, t = data(rng, N, D)
    w, b = solve_direct(X, t)
    ref = LinearRegression().fit(X, t)
    np.testing.assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-10)
    assert b == pytest.approx(ref.intercept_, rel=1e-8)


@pytest.mark.parametrize("l2", [1e-3, 0.1, 10.0])
def test_l2_matches_ridge_with_alpha_N_lambda(rng, l2):
    X, t = data(rng)
    w, b = solve_direct(X, t, l2=l2)
    ref = Ridge(alpha=len(t) * l2).fit(X, t)
    np.testing.assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-12)
    assert b == pytest.approx(ref.intercept_, rel=1e-8)


def test_singular_falls_back_to_min_norm_with_warning(rng):
    X, t = data(rng, 100, 3)
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # a dependent column
    with pytest.warns(RuntimeWarning, match="minimum-norm"):
        w, b = solve_direct(X, t)
    Xc = X - X.mean(0)
    w_ref = np.linalg.lstsq(Xc, t - t.mean(), rcond=None)[0]  # lstsq gives the minimum-norm solution
    np.testing.assert_allclose(w, w_ref, rtol=1e-8, atol=1e-10)


def test_ill_conditioned_warns_and_still_fits(rng):
    x = rng.uniform(0, 1, 30)
    X = np.vander(x, 12, increasing=True)[:, 1:]  # x .. x^11: badly conditioned
    t = np.sin(2 * np.pi * x)
    with pytest.warns(RuntimeWarning, match="ill-conditioned"):
        w, b = solve_direct(X, t)
    resid = np.linalg.norm(X @ w + b - t)
    best = np.linalg.lstsq(np.column_stack([np.ones(30), X]), t, rcond=None)[0]
    best_resid = np.linalg.norm(np.column_stack([np.ones(30), X]) @ best - t)
    assert resid <= best_resid * (1 + 1e-6) + 1e-9


def test_well_conditioned_does_not_warn(rng):
    X, t = data(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solve_direct(X, t)


def test_torch_agrees_with_numpy(rng, device):
    X, t = data(rng, 300, 6)
    w, b = solve_direct(X, t)
    wt, bt = solve_direct(torch.tensor(X, device=device), torch.tensor(t, device=device))
    assert torch.is_tensor(wt) and wt.device.type == device.type
    np.testing.assert_allclose(wt.cpu().numpy(), w, rtol=1e-10)
    assert float(bt) == pytest.approx(b, rel=1e-10)


def test_bad_l2(rng):
    X, t = data(rng)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0"):
        solve_direct(X, t, l2=-1)


@pytest.mark.parametrize("case", ["a column of ones", "N = 1"])
def test_degenerate_data_gives_one_clear_warning_and_no_numpy_noise(rng, case, device):
    X, t = data(rng, 20, 3)
    if case == "a column of ones":
        X = np.column_stack([X, np.ones(20)])  # the bias's column, given twice: X^T X (centered) is singular
    else:
        X, t = X[:1], t[:1]
    for kind in (np.asarray, lambda a: torch.tensor(a, device=device)):
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
            warnings.simplefilter("always")
            w, b = solve_direct(kind(X), kind(t))
        assert len(caught) == 1 and str(caught[0].message).startswith("solve_direct: X^T X (centered) is singular")
        w, b = np.asarray(w.cpu() if torch.is_tensor(w) else w), float(b)
        w_ref = np.linalg.lstsq(X - X.mean(0), t - t.mean(), rcond=None)[0]  # the minimum-norm solution
        np.testing.assert_allclose(w, w_ref, rtol=1e-8, atol=1e-10)
        assert b == pytest.approx(t.mean() - X.mean(0) @ w_ref, rel=1e-10)
