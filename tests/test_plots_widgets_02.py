"""Notebook 02's plots: figures come back, costs on the grid are right (the explorers: tests/test_explorers.py)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers.plots import (  # noqa: E402
    CostBowl,
    plot_cost_contours,
    plot_cost_surface,
    plot_costs,
    plot_fit,
    plot_lr_scale,
)
from helpers.solvers import gradient_descent  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def line_data(rng):
    x = rng.uniform(0, 3, size=60)
    return x[:, None], 2.0 * x + 1.0 + 0.3 * rng.normal(size=60)


def brute_force_costs(x, t, W, B):
    """J on a grid, residuals of every grid point at once: (M, K, N). Only for small tests."""
    R = W[..., None] * x + B[..., None] - t
    return (R * R).sum(-1) / (2 * len(t))


def test_cost_bowl_matches_brute_force_and_sklearn(line_data):
    from sklearn.linear_model import LinearRegression

    X, t = line_data
    bowl = CostBowl(X, t)
    ref = LinearRegression().fit(X, t)
    assert bowl.w_star == pytest.approx(ref.coef_[0], rel=1e-10)
    assert bowl.b_star == pytest.approx(ref.intercept_, rel=1e-10)
    W, B, J = bowl.grid((-1, 4), (-2, 3), resolution=41)
    np.testing.assert_allclose(J, brute_force_costs(X[:, 0], t, W, B), rtol=1e-11)
    assert J.dtype == np.float64 and J.min() >= bowl.J_star


def test_cost_bowl_accepts_torch_and_1d_input(line_data):
    X, t = line_data
    a = CostBowl(torch.tensor(X), torch.tensor(t))
    b = CostBowl(X[:, 0], t)
    assert a.J_star == pytest.approx(b.J_star, rel=1e-12)
    with pytest.raises(ValueError, match="one column"):
        CostBowl(np.ones((5, 2)), np.ones(5))
    with pytest.raises(ValueError, match="X has 5 rows but t has 4"):
        CostBowl(np.ones(5), np.ones(4))


def test_box_covers_origin_optimum_and_path(line_data):
    X, t = line_data
    bowl = CostBowl(X, t)
    (w_lo, w_hi), (b_lo, b_hi) = bowl.box()
    for w, b in [(0, 0), (bowl.w_star, bowl.b_star)]:
        assert w_lo < w < w_hi and b_lo < b < b_hi
    (w_lo, w_hi), _ = bowl.box(points=[(100.0, 1.0)])
    assert w_hi > 100
    (w_lo, w_hi), _ = bowl.box(far=[(1e6, 1.0)])  # a diverging path widens the view only so far
    assert 5 < w_hi < 20
    (w_lo, w_hi), (b_lo, b_hi) = bowl.box(square=True)
    assert w_hi - w_lo == pytest.approx(b_hi - b_lo)


def test_plot_functions_return_figures(line_data):
    X, t = line_data
    res = gradient_descent(X, t, 0.3, 20, b0=4.0)
    assert isinstance(plot_cost_contours(X, t, path=res, point=(1.0, 2.0), title="x"), Figure)
    fig, ax = plt.subplots()
    assert plot_cost_contours(X, t, ax=ax, path=res.path, equal_aspect=True) is fig
    assert ax.get_aspect() == 1.0
    assert isinstance(plot_cost_surface(X, t, path=res), Figure)
    assert isinstance(plot_fit(X, t, 2.0, 1.0), Figure)
    assert isinstance(plot_costs({"a": res, "b": res.costs}, J_star=0.01), Figure)
    assert isinstance(plot_lr_scale(0.3, 0.5), Figure)
    with pytest.raises(ValueError, match="3-D Axes"):
        plot_cost_surface(X, t, ax=plt.subplots()[1])
    with pytest.raises(ValueError, match="path must have shape"):
        plot_cost_contours(X, t, path=np.ones((3, 3)))


def test_contours_sit_at_the_right_costs(line_data):
    # The drawn level sets are where J equals the level: check vertices of the contour lines.
    X, t = line_data
    fig, ax = plt.subplots()
    plot_cost_contours(X, t, ax=ax, levels=5, resolution=300)
    cs = ax.cost_contours
    # matplotlib >= 3.8 keeps one path per level; 3.7 one LineCollection per level
    per_level = [np.concatenate([p.vertices for p in c.get_paths()] or [np.empty((0, 2))]) for c in cs.collections] \
        if not hasattr(cs, "get_paths") else [p.vertices for p in cs.get_paths()]
    for level, v in zip(cs.levels, per_level):
        if len(v):
            J = brute_force_costs(X[:, 0], t, v[:, 0], v[:, 1])
            np.testing.assert_allclose(J, level, rtol=2e-2)
