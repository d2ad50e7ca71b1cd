"""solve_direct, gradient_descent and critical_learning_rate against independent references.

References: scikit-learn, numpy.linalg.lstsq / eigvalsh, torch autograd, and the
theory of gradient descent on a quadratic (it converges exactly below 2/lambda_max).
"""

import math
import warnings

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression

from helpers.solvers import (
    DivergenceWarning,
    GDResult,
    critical_learning_rate,
    gradient_descent,
    lr_regime,
    solve_direct,
)


def problem(rng, N=200, D=4, noise=0.1, offset=0.0):
    X = rng.normal(size=(N, D)) * rng.uniform(0.5, 2, size=D) + offset + rng.normal(size=D)
    w, b = rng.normal(size=D), rng.normal()
    return X, X @ w + b + noise * rng.normal(size=N)


def with_ones(X):
    return np.column_stack([X, np.ones(len(X))])


def hessian_by_autograd(X):
    """The Hessian of J in (w, b) from torch autograd, independent of the helpers."""
    Xt = torch.tensor(X)
    t = torch.zeros(len(X), dtype=torch.float64)  # the Hessian does not depend on t

    def J(theta):
        r = Xt @ theta[:-1] + theta[-1] - t
        return (r * r).sum() / (2 * len(t))

    return torch.autograd.functional.hessian(J, torch.zeros(X.shape[1] + 1, dtype=torch.float64)).numpy()


# ----------------------------------------------------------------------------- solve_direct


@pytest.mark.parametrize("N, D, offset", [(30, 2, 0.0), (5000, 60, 0.0), (3000, 7, 1e4), (120, 100, 3.0)])
def test_solve_direct_matches_sklearn_and_lstsq(rng, N, D, offset):
    # (5000, 60) spans several blocks of rows in the centered Gram matrix; offset 1e4 tests the centering
    X, t = problem(rng, N, D, offset=offset)
    w, b = solve_direct(X, t)
    ref = LinearRegression().fit(X, t)
    np.testing.assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-10)
    assert b == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-10)
    theta = np.linalg.lstsq(with_ones(X), t, rcond=None)[0]
    np.testing.assert_allclose(np.append(w, b), theta, rtol=1e-6 if offset else 1e-8, atol=1e-9)


def test_solve_direct_ill_conditioned_matches_lstsq_min_norm(rng):
    # two nearly equal columns: cond(Xc^T Xc) ~ 1e16, beyond the normal equations
    X, t = problem(rng, 300, 3)
    X = np.column_stack([X, X[:, 0] + 1e-8 * rng.normal(size=300)])
    with pytest.warns(RuntimeWarning, match="ill-conditioned|singular"):
        w, b = solve_direct(X, t)
    Xc = X - X.mean(0)
    w_ref = np.linalg.lstsq(Xc, t - t.mean(), rcond=None)[0]
    resid = np.linalg.norm(X @ w + b - t)
    resid_ref = np.linalg.norm(Xc @ w_ref - (t - t.mean()))
    assert resid == pytest.approx(resid_ref, rel=1e-6)


# ----------------------------------------------------------------------------- critical learning rate


@pytest.mark.parametrize("D, offset", [(1, 0.0), (1, 5.0), (5, 0.0), (12, 2.0)])
def test_critical_lr_is_2_over_top_eigenvalue_of_autograd_hessian(rng, D, offset):
    X, _ = problem(rng, 80, D, offset=offset)
    lam_max = np.linalg.eigvalsh(hessian_by_autograd(X))[-1]
    assert critical_learning_rate(X) == pytest.approx(2 / lam_max, rel=1e-10)


def test_critical_lr_power_method_estimate(rng):
    X, _ = problem(rng, 500, 6, offset=1.0)
    exact = critical_learning_rate(X)
    est = critical_learning_rate(X, iters=200)
    assert exact * (1 - 1e-12) <= est <= exact * 1.001  # the power method approaches lambda_max from below


def test_critical_lr_separates_convergence_from_divergence(rng):
    X, t = problem(rng, 100, 3, offset=1.0)
    crit = critical_learning_rate(X)
    w0 = rng.normal(size=3) * 5  # a start with a component along every eigenvector
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        below = gradient_descent(X, t, 0.98 * crit, 3000, w0=w0, b0=3.0)
    assert not below.diverged
    assert np.all(np.diff(below.costs) <= 1e-12 * below.costs[0])  # full batch below critical: never rises
    with pytest.warns(DivergenceWarning):
        above = gradient_descent(X, t, 1.02 * crit, 3000, w0=w0, b0=3.0)
    assert above.diverged and above.steps < 3000


def test_critical_lr_numpy_and_torch_agree(rng, device):
    X, _ = problem(rng, 50, 4)
    assert critical_learning_rate(torch.tensor(X, device=device)) == pytest.approx(critical_learning_rate(X),
                                                                                   rel=1e-12)


def test_lr_regime_boundaries():
    table = [(1.01, "diverge"), (1.0, "oscillate"), (0.51, "oscillate"), (0.5, "good"), (0.05, "good"),
             (0.049, "crawl"), (1e-6, "crawl")]
    for ratio, regime in table:
        assert lr_regime(ratio * 2.0, 2.0) == regime, ratio


# ----------------------------------------------------------------------------- gradient descent


def test_gd_converges_to_sklearn_solution(rng):
    X, t = problem(rng, 300, 4)
    X = (X - X.mean(0)) / X.std(0)  # well conditioned, so a few hundred steps suffice
    lr = critical_learning_rate(X) / 2  # 1 / lambda_max
    res = gradient_descent(X, t, lr, 5000, tol=1e-12)
    ref = LinearRegression().fit(X, t)
    assert res.converged and not res.diverged and res.steps < 5000
    np.testing.assert_allclose(res.w, ref.coef_, rtol=1e-9, atol=1e-10)
    assert res.b == pytest.approx(ref.intercept_, rel=1e-9)


def test_gd_records_costs_and_path(rng):
    X, t = problem(rng, 40, 2)
    lr = critical_learning_rate(X) / 4
    res = gradient_descent(X, t, lr, 7, w0=np.array([1.0, -1.0]), b0=0.5)
    assert isinstance(res, GDResult) and res.steps == 7
    assert res.path.shape == (8, 3) and res.costs.shape == (8,)
    np.testing.assert_allclose(res.path[0], [1.0, -1.0, 0.5])
    # each cost is J at the recorded point (computed here independently)
    J = np.array([np.mean((X @ p[:2] + p[2] - t) ** 2) / 2 for p in res.path])
    np.testing.assert_allclose(res.costs, J, rtol=1e-12)
    # each step is the lecture's update, with the gradient written out here
    for p, q in zip(res.path[:-1], res.path[1:]):
        r = X @ p[:2] + p[2] - t
        np.testing.assert_allclose(q, np.append(p[:2] - lr * X.T @ r / len(t), p[2] - lr * r.mean()), rtol=1e-12)
    np.testing.assert_allclose(res.w, res.path[-1, :2])
    assert res.b == res.path[-1, 2] and isinstance(res.b, float)
    assert "7 steps" in repr(res)


def test_gd_tol_stops_when_gradient_is_small(rng):
    X, t = problem(rng, 100, 3)
    lr = critical_learning_rate(X) / 2
    res = gradient_descent(X, t, lr, 100_000, tol=1e-6)
    assert res.converged and res.steps < 100_000

    def grad_norm(p):
        r = X @ p[:3] + p[3] - t
        return np.linalg.norm(np.append(X.T @ r, r.sum()) / len(t))

    assert grad_norm(res.path[-1]) <= 1e-6 * grad_norm(res.path[0])
    assert grad_norm(res.path[-2]) > 1e-6 * grad_norm(res.path[0])  # and not a step later than needed


def test_gd_zero_steps_returns_the_start(rng):
    X, t = problem(rng, 10, 2)
    res = gradient_descent(X, t, 0.1, 0, w0=[1.0, 2.0], b0=3.0)
    assert res.steps == 0 and res.path.shape == (1, 3)
    np.testing.assert_allclose(res.w, [1.0, 2.0])


@pytest.mark.parametrize("offset", [0.0, 20.0])
def test_gram_form_gives_the_same_iterates(rng, offset):
    X, t = problem(rng, 2000, 20, offset=offset)
    lr = 0.9 * critical_learning_rate(X)  # oscillating: the hardest case for rounding to stay small
    plain = gradient_descent(X, t, lr, 1000)
    gram = gradient_descent(X, t, lr, 1000, precompute=True)
    assert plain.steps == gram.steps == 1000
    scale = np.abs(plain.path).max()
    np.testing.assert_allclose(gram.path, plain.path, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(gram.costs, plain.costs, rtol=1e-8, atol=1e-12 * t @ t)


def test_sgd_with_the_whole_batch_is_full_batch_gd(rng):
    X, t = problem(rng, 64, 3)
    lr = critical_learning_rate(X) / 3
    full = gradient_descent(X, t, lr, 50)
    sgd = gradient_descent(X, t, lr, 50, batch_size=64)  # every minibatch is all examples, shuffled
    np.testing.assert_allclose(sgd.path, full.path, rtol=1e-11, atol=1e-12)


def test_sgd_gets_close_to_the_minimum(rng):
    X, t = problem(rng, 400, 3, noise=0.5)
    X = (X - X.mean(0)) / X.std(0)
    ref = LinearRegression().fit(X, t)
    J_star = np.mean((ref.predict(X) - t) ** 2) / 2
    res = gradient_descent(X, t, 0.02, 4000, batch_size=8, seed=1)
    assert not res.diverged
    assert float(res.costs[0]) > 10 * J_star
    assert float(res.costs[-1]) < 1.05 * J_star  # within the noise ball
    again = gradient_descent(X, t, 0.02, 4000, batch_size=8, seed=1)
    np.testing.assert_array_equal(again.path, res.path)  # seeded: reproducible
    other = gradient_descent(X, t, 0.02, 50, batch_size=8, seed=2)
    assert not np.allclose(other.path[1:], res.path[1:51])


def test_numpy_and_torch_agree(rng, device):
    X, t = problem(rng, 60, 3)
    lr = critical_learning_rate(X) / 2
    Xt, tt = torch.tensor(X, device=device), torch.tensor(t, device=device)
    for kwargs in [{}, {"batch_size": 7}, {"precompute": True}, {"tol": 1e-4}]:
        a = gradient_descent(X, t, lr, 40, **kwargs)
        b = gradient_descent(Xt, tt, lr, 40, w0=torch.ones(3, dtype=torch.float64, device=device) * 0, **kwargs)
        for got in (b.w, b.b, b.costs, b.path):
            assert torch.is_tensor(got) and got.device.type == device.type
        assert isinstance(a.path, np.ndarray) and isinstance(a.b, float)
        np.testing.assert_allclose(b.path.cpu().numpy(), a.path, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b.costs.cpu().numpy(), a.costs, rtol=1e-10)
        assert (a.converged, a.diverged, a.steps) == (b.converged, b.diverged, b.steps)


def test_list_start_takes_the_kind_of_X(rng, device):
    X, t = problem(rng, 20, 2)
    res = gradient_descent(torch.tensor(X, device=device), torch.tensor(t, device=device), 0.01, 3, w0=[1.0, 2.0])
    assert torch.is_tensor(res.w) and res.w.device.type == device.type
    np.testing.assert_allclose(res.path[0].cpu().numpy(), [1.0, 2.0, 0.0])


def test_float32_tensors_stay_float32(rng):
    X, t = problem(rng, 60, 3)
    X32, t32 = torch.tensor(X, dtype=torch.float32), torch.tensor(t, dtype=torch.float32)
    res = gradient_descent(X32, t32, critical_learning_rate(X) / 2, 300)
    assert res.w.dtype == torch.float32 and res.path.dtype == torch.float32
    ref = LinearRegression().fit(X, t)
    np.testing.assert_allclose(res.w.numpy(), ref.coef_, rtol=1e-3, atol=1e-3)


# ----------------------------------------------------------------------------- divergence


def test_divergence_stops_and_warns_naming_both_rates(rng):
    X, t = problem(rng, 50, 2, offset=3.0)
    crit = critical_learning_rate(X)
    lr = 1.5 * crit
    with pytest.warns(DivergenceWarning) as caught:
        res = gradient_descent(X, t, lr, 500)
    msg = str(caught[0].message)
    assert f"lr = {lr:.3g}" in msg and f"{crit:.3g}" in msg and "critical" in msg
    assert res.diverged and not res.converged and res.steps < 500
    assert np.isfinite(res.path).all() and np.isfinite(res.costs).all()
    assert res.costs[-1] > res.costs[0]


def test_full_batch_divergence_is_flagged_even_before_it_explodes(rng):
    # Slightly above critical, from near the optimum: the cost creeps up long before it explodes.
    X, t = problem(rng, 100, 2)
    ref = LinearRegression().fit(X, t)
    top = np.linalg.eigh(hessian_by_autograd(X))[1][:, -1]
    start = np.append(ref.coef_, ref.intercept_) + 1e-3 * top
    with pytest.warns(DivergenceWarning, match="critical"):
        res = gradient_descent(X, t, 1.05 * critical_learning_rate(X), 60, w0=start[:2], b0=start[2])
    assert res.diverged and res.steps == 60  # ran all its steps, then said so
    assert res.costs[-1] > res.costs[0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_learning_rate_stops_without_nan_or_overflow_warnings(rng, dtype):
    X, t = problem(rng, 50, 2)
    X, t = X.astype(dtype), t.astype(dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = gradient_descent(X, t, 1e30, 100)
    assert [type(w.message) for w in caught] == [DivergenceWarning]  # no NumPy overflow warnings
    assert res.diverged and np.isfinite(res.path).all() and np.isfinite(res.costs).all()


def test_sgd_divergence_below_the_critical_rate_says_so(rng):
    X, t = problem(rng, 200, 2, offset=2.0)
    crit = critical_learning_rate(X)
    with pytest.warns(DivergenceWarning, match="minibatch"):
        res = gradient_descent(X, t, 0.99 * crit, 2000, batch_size=1)
    assert res.diverged


# ----------------------------------------------------------------------------- bad input

BAD = [
    (dict(lr=0.0), ValueError, "lr must be a finite number > 0, got 0.0"),
    (dict(lr=-1), ValueError, "lr must be a finite number > 0"),
    (dict(lr=math.nan), ValueError, "lr must be a finite number > 0, got nan"),
    (dict(lr=math.inf), ValueError, "lr must be a finite number > 0, got inf"),
    (dict(lr="big"), TypeError, "lr must be a real number, got str"),
    (dict(steps=-1), ValueError, "steps must be >= 0, got -1"),
    (dict(steps=2.5), TypeError, "steps must be an integer"),
    (dict(w0=np.zeros(3)), ValueError, "X has 2 columns .* but w0 has 3 entries"),
    (dict(w0=torch.zeros(2, dtype=torch.float64)), TypeError, "mixed NumPy and torch input"),
    (dict(b0=math.nan), ValueError, "b0 must be finite"),
    (dict(batch_size=0), ValueError, "batch_size must be between 1 and N = 10, got 0"),
    (dict(batch_size=11), ValueError, "batch_size must be between 1 and N = 10, got 11"),
    (dict(batch_size=2, precompute=True), ValueError, "precompute=True needs full-batch"),
    (dict(precompute="yes"), TypeError, "precompute must be True or False"),
    (dict(tol=-1e-3), ValueError, "tol must be >= 0"),
    (dict(X=np.ones(10)), ValueError, "X must be 2-D, got a 1-D array"),
    (dict(t=np.ones(9)), ValueError, "X has 10 rows but t has 9 entries"),
    (dict(X=np.full((10, 2), np.nan)), ValueError, "X contains NaN"),
    (dict(t=np.array(["a"] * 10)), TypeError, "t must hold numbers"),
]


@pytest.mark.parametrize("override, error, message", BAD)
def test_bad_input_raises_clear_errors(override, error, message):
    args = dict(X=np.ones((10, 2)), t=np.ones(10), lr=0.1, steps=5) | override
    with pytest.raises(error, match=message):
        gradient_descent(**args)


def test_critical_lr_bad_input():
    with pytest.raises(ValueError, match="X must be 2-D"):
        critical_learning_rate(np.ones(3))
    with pytest.raises(ValueError, match="iters must be >= 1"):
        critical_learning_rate(np.ones((3, 1)), iters=0)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        lr_regime(-1.0, 1.0)
