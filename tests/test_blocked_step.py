"""The blocked full-batch evaluation (X read once per step) against the plain two products and float64 sums.

References: J and its gradient written out in float64 NumPy; gradient descent with the
blocked evaluation switched off (the readable two-line step).
"""

import warnings

import numpy as np
import pytest
import torch

from helpers import _blocked_step, solvers
from helpers._blocked_step import BlockedFullBatch, block_rows, l2_cache_bytes, use_blocked
from helpers.solvers import DivergenceWarning, gradient_descent


def reference(X, t, w, b):
    """J = ||Xw + b - t||^2 / 2N and (X^T r / N, mean r), in float64."""
    X, t, w = (np.asarray(a, dtype=np.float64) for a in (X, t, w))
    r = X @ w + float(b) - t
    return r @ r / (2 * len(t)), X.T @ r / len(t), r.mean()


def as_kind(kind, *arrays):
    return arrays if kind == "numpy" else tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)


def data(rng, N, D, dtype):
    X = rng.normal(size=(N, D)).astype(dtype)
    t = (X @ rng.normal(size=D) + 0.7 + 0.1 * rng.normal(size=N)).astype(dtype)
    return X, t


def plain_gd(monkeypatch, *args, **kwargs):
    """gradient_descent with the readable evaluation only."""
    with monkeypatch.context() as m:
        m.setattr(solvers, "use_blocked", lambda X: False)
        return gradient_descent(*args, **kwargs)


@pytest.mark.parametrize("kind", ["numpy", "torch"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("N, D, rows", [(1003, 5, 7), (1003, 5, 1), (1003, 1, 100), (50, 3, 49), (50, 3, 50),
                                        (50, 3, 64)])
def test_blocked_cost_and_gradient_match_float64_sums(rng, kind, dtype, N, D, rows):
    X, t = data(rng, N, D, dtype)
    w = rng.normal(size=D).astype(dtype)
    Xk, tk, wk = as_kind(kind, X, t, w)
    b = np.asarray(-0.3, dtype=dtype) if kind == "numpy" else torch.tensor(-0.3, dtype=Xk.dtype)
    evaluate = BlockedFullBatch(Xk, tk, rows=rows)
    J, (dw, db) = evaluate(wk, b)
    J_ref, dw_ref, db_ref = reference(X, t, w, b)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    assert abs(float(J) - J_ref) <= tol * J_ref
    scale = np.abs(dw_ref).max() + abs(db_ref)
    assert np.abs(np.asarray(dw, dtype=np.float64) - dw_ref).max() <= tol * scale
    assert abs(float(db) - db_ref) <= tol * scale
    assert type(dw) is type(Xk) and dw.dtype == Xk.dtype and dw.shape == (D,)
    J_only, none = evaluate(wk, b, need_grad=False)
    assert none is None and abs(float(J_only) - J_ref) <= tol * J_ref


def test_buffers_are_not_aliased_by_the_next_evaluation(rng):
    X, t = data(rng, 500, 4, np.float64)
    evaluate = BlockedFullBatch(X, t, rows=64)
    J1, (dw1, db1) = evaluate(np.zeros(4), np.asarray(0.0))
    kept = dw1.copy(), float(db1), float(J1)
    evaluate(np.ones(4), np.asarray(1.0))
    assert np.array_equal(dw1, kept[0]) and float(db1) == kept[1] and float(J1) == kept[2]


def test_block_size_rule(monkeypatch):
    assert l2_cache_bytes() >= 1 << 16
    assert block_rows(100, 8) == max(1, l2_cache_bytes() // 2 // 800)
    assert block_rows(10**9, 8) == 1  # a row bigger than the cache is a block of its own
    monkeypatch.setattr(_blocked_step, "l2_cache_bytes", lambda: 1 << 20)
    assert block_rows(100, 4) == 1310 and block_rows(100, 8) == 655  # 512 KiB of rows


def test_use_blocked_only_for_more_than_one_block_on_the_cpu():
    rows = block_rows(10, 8)
    assert not use_blocked(np.zeros((rows, 10)))
    assert use_blocked(np.zeros((rows + 1, 10)))
    assert use_blocked(torch.zeros(rows + 1, 10, dtype=torch.float64))


@pytest.mark.parametrize("kind", ["numpy", "torch"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("D", [1, 20])
def test_gradient_descent_iterates_are_the_plain_steps(rng, monkeypatch, kind, dtype, D):
    """At the block size the rule picks, with N not a multiple of it: the same path as the two-line step."""
    N = 3 * block_rows(D, np.dtype(dtype).itemsize) + 17
    X, t = data(rng, N, D, dtype)
    Xk, tk = as_kind(kind, X, t)
    assert use_blocked(Xk)
    lr = 0.9 * solvers.critical_learning_rate(X.astype(np.float64))
    fast = gradient_descent(Xk, tk, lr, 60)
    plain = plain_gd(monkeypatch, Xk, tk, lr, 60)
    path_fast, path_plain = (np.asarray(p, dtype=np.float64) for p in (fast.path, plain.path))
    assert path_fast.shape == path_plain.shape == (61, D + 1)
    rel = np.abs(path_fast - path_plain).max() / np.abs(path_plain).max()
    assert rel <= (1e-10 if dtype == np.float64 else 1e-4)
    costs_fast, costs_plain = (np.asarray(c, dtype=np.float64) for c in (fast.costs, plain.costs))
    assert np.abs(costs_fast - costs_plain).max() <= (1e-10 if dtype == np.float64 else 1e-4) * costs_plain[0]
    assert type(fast.w) is type(Xk) and fast.w.dtype == Xk.dtype


def test_tol_stops_at_the_same_step(rng, monkeypatch):
    N = 4 * block_rows(8, 8) + 3
    X, t = data(rng, N, 8, np.float64)
    lr = 0.5 * solvers.critical_learning_rate(X)
    fast = gradient_descent(X, t, lr, 5_000, tol=1e-6)
    plain = plain_gd(monkeypatch, X, t, lr, 5_000, tol=1e-6)
    assert fast.converged and plain.converged and fast.steps == plain.steps


@pytest.mark.parametrize("kind", ["numpy", "torch"])
def test_minibatch_steps_are_unaffected(rng, monkeypatch, kind):
    N = 2 * block_rows(6, 8) + 5
    Xk, tk = as_kind(kind, *data(rng, N, 6, np.float64))
    lr = 0.1 * solvers.critical_learning_rate(Xk)
    fast = gradient_descent(Xk, tk, lr, 30, batch_size=64, seed=3)
    plain = plain_gd(monkeypatch, Xk, tk, lr, 30, batch_size=64, seed=3)
    # the steps are the plain minibatch steps: equal paths; the recorded costs are full-batch (blocked) ones
    assert np.array_equal(np.asarray(fast.path), np.asarray(plain.path))
    assert np.allclose(np.asarray(fast.costs), np.asarray(plain.costs), rtol=1e-12, atol=0)


def test_divergence_is_still_caught(rng):
    N = 2 * block_rows(3, 8) + 1
    X, t = data(rng, N, 3, np.float64)
    lr = 3.0 * solvers.critical_learning_rate(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow warnings from NumPy
        with pytest.raises(DivergenceWarning, match="critical learning rate"):
            gradient_descent(X, t, lr, 5_000)
