"""The explorers (helpers.widgets), headless: what they compute, what they draw, what a notebook stores.

What a browser shows is tested in tests/browser/ (JupyterLab in Chromium).
"""

import io
import pathlib
import re
import sys
import types
import warnings

import ipywidgets
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from helpers import widgets  # noqa: E402
from helpers.data import load_penguins  # noqa: E402
from helpers.features import make_curve_data  # noqa: E402
from helpers.live import (  # noqa: E402,E501
    Explorer,
    LiveFigure,
    Pixels,
    decades,
    float_slider,
    int_slider,
    nice_ceil,
    nice_step,
    png_bytes,
)
from helpers.solvers import gradient_descent  # noqa: E402

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture
def line_data(rng):
    x = rng.uniform(0, 3, size=60)
    return x[:, None], 2.0 * x + 1.0 + 0.3 * rng.normal(size=60)


@pytest.fixture(scope="module")
def penguins_02():
    """Notebook 02's data: standardized flipper length -> body mass in kg."""
    P, _ = load_penguins(columns=["flipper_length_mm", "body_mass_g"])
    return ((P[:, 0] - P[:, 0].mean()) / P[:, 0].std())[:, None], P[:, 1] / 1000


@pytest.fixture(scope="module")
def penguins_04():
    """Notebook 04's data: standardized bill length and depth, Chinstrap (1) vs Adelie (0)."""
    X, species = load_penguins(columns=("bill_length_mm", "bill_depth_mm"), species=("Adelie", "Chinstrap"))
    return (X - X.mean(axis=0)) / X.std(axis=0), (species == "Chinstrap").astype(float)


@pytest.fixture(scope="module")
def curves():
    x_pool, t_pool = make_curve_data(40, noise=0.3, seed=1)
    x_val, t_val = make_curve_data(30, noise=0.3, seed=2)
    return x_pool, t_pool, x_val, t_val


def all_explorers(line_data, penguins_02, penguins_04, curves):
    X, t = line_data
    return [widgets.cost_explorer(*penguins_02), widgets.descent_explorer(X, t, max_steps=80),
            widgets.polynomial_explorer(*curves, degree=3, N=10), widgets.logistic_explorer(*penguins_04)]


# --- the machinery -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("channels", [3, 4])
def test_png_bytes_decode_to_the_same_pixels(rng, channels):
    img = rng.integers(0, 256, size=(37, 53, channels), dtype=np.uint8)
    png = png_bytes(img)
    decoded = Image.open(io.BytesIO(png))
    assert decoded.size == (53, 37) and decoded.mode == ("RGB" if channels == 3 else "RGBA")
    np.testing.assert_array_equal(np.asarray(decoded), img)
    with pytest.raises(ValueError, match=r"pixels must be uint8 of shape \(H, W, 3 or 4\), got float64"):
        png_bytes(np.zeros((4, 4, 3)))


def full_render(figure):
    """The figure drawn from scratch, every artist in its z-order (what blitting must reproduce)."""
    for a in figure.moving:
        a.set_animated(False)
    try:
        figure.canvas.draw()
        return np.asarray(figure.canvas.buffer_rgba())[..., :3].copy()
    finally:
        for a in figure.moving:
            a.set_animated(True)


def test_every_explorer_draws_what_a_full_redraw_draws(line_data, penguins_02, penguins_04, curves):
    # The blitted image (a cached background + the moving artists) against the whole figure drawn afresh.
    # They may differ only where a moving artist crosses a static one drawn above it (a legend, a marker).
    for ex in all_explorers(line_data, penguins_02, penguins_04, curves):
        for name, c in ex.controls.items():  # move every slider, so that some axes change their limits
            ex.update(**{name: c.min + 0.8 * (c.max - c.min)})
        blitted = pixels(ex.png)
        fresh = full_render(ex.figure)
        assert blitted.shape == fresh.shape
        differ = np.mean(np.abs(blitted.astype(int) - fresh.astype(int)).max(axis=2) > 40)
        assert differ < 0.005, f"{ex.name}: {differ:.2%} of the pixels differ from a full redraw"


def test_pixels_fill_the_axes_inside_and_save_elsewhere(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2), dpi=50)
    fig.subplots_adjust(left=0.2, right=0.9, bottom=0.2, top=0.9)
    ax = fig.add_subplot()
    live = LiveFigure(fig, [pix := Pixels(ax)])
    empty = pixels(live.render())  # no pixels yet: the bare axes
    h, w = pix.shape()
    pix.rgb = np.zeros((h, w, 3), np.uint8)
    pix.rgb[:, :, 0] = np.arange(h)[:, None]  # red grows upwards (row 0 at the bottom)
    img = pixels(live.render())
    x0, y0, x1, y1 = pix.rect()
    H = img.shape[0]
    np.testing.assert_array_equal(img[H - y1:H - y0, x0:x1, 0], pix.rgb[::-1, :, 0])
    outside = np.ones(img.shape[:2], bool)
    outside[H - y1:H - y0, x0:x1] = False
    np.testing.assert_array_equal(img[outside], empty[outside])  # the frame, ticks and margins are untouched
    assert (x1 - x0, y1 - y0) == (w, h) and w > 50 and h > 30
    pix.set_animated(False)
    fig.savefig(tmp_path / "pixels.pdf")  # a renderer without a pixel buffer gets an ordinary image
    assert (tmp_path / "pixels.pdf").stat().st_size > 0


def test_a_background_is_rendered_once_per_layout(line_data, penguins_02):
    ex = widgets.cost_explorer(*penguins_02)  # fixed axes: only the first render draws everything
    for k in range(10):
        ex.update(w=0.1 * k, b=4.0 + 0.05 * k)
    assert ex.figure.full_draws == 1
    ex = widgets.descent_explorer(*line_data, max_steps=200)  # the cost axes follow the data in round steps
    assert (ex.figure.full_draws, ex.controls["steps"].value) == (1, 30)
    ex.update(steps=150)  # the step axis grows from 30 to 200: a full redraw ...
    assert ex.figure.full_draws == 2 and ex.view.ax_cost.get_xlim() == (0, 200)
    ex.update(steps=30)  # ... and the first layout comes back from the cache
    assert ex.figure.full_draws == 2 and ex.view.ax_cost.get_xlim() == (0, 30)


def test_live_figure_caches_a_bounded_number_of_backgrounds():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2), dpi=50)
    ax = fig.add_subplot()
    (line,) = ax.plot([0, 1], [0, 1])
    live = LiveFigure(fig, [line], keep=3)
    for k in range(6):
        ax.set_xlim(0, k + 1)
        assert live.render()[:8] == b"\x89PNG\r\n\x1a\n"
    assert live.full_draws == 6 and len(live.backgrounds) == 3


def test_explorer_redraws_once_per_update_and_shows_failures():
    calls = []

    class View:
        figure = LiveFigure(matplotlib.figure.Figure(figsize=(2, 2), dpi=50), [])

        def draw(self, a, n):
            calls.append((a, n))
            if a > 9:
                raise ZeroDivisionError("a > 9")
            return {"product": a * n}

    ex = Explorer("test", {"a": float_slider("a", 1.0, 0, 10), "n": int_slider("n", 2, 1, 5)}, View())
    assert calls == [(1.0, 2)] and bytes(ex.image.value) == ex.png != b""  # drawn once when made
    calls.clear()
    assert ex.update(a=3.0, n=4) == {"product": 12.0} and calls == [(3.0, 4)]
    ex.controls["a"].value = 5.0  # a slider event
    assert ex.state == {"product": 20.0}
    assert isinstance(ex.widget, ipywidgets.VBox) and ex.image in ex.widget.children
    with pytest.raises(ValueError, match=r"unknown controls \['b'\]"):
        ex.update(b=1)
    with pytest.raises(ZeroDivisionError):  # outside a notebook a failing redraw raises (in one, it is shown)
        ex.update(a=9.5)


def test_sliders_get_round_steps():
    s = float_slider("w", 0.1234, -0.437, 1.843)
    assert s.step == 0.02 and (s.min, s.max) == (-0.44, 1.86) and s.value == 0.12  # 2.28 / 200 -> 0.02
    assert float_slider("a", 1.0, 0, 10).step == 0.05
    assert nice_step(3.0) == 0.02 and nice_step(1e-3) == 5e-6
    assert [nice_ceil(x) for x in (0.7, 1, 31, 101)] == [1, 1, 50, 200]
    assert decades(0.03, 7) == (0.01, 10)
    with pytest.raises(ValueError, match="positive, finite range"):
        nice_step(0.0)


# --- every explorer: 25 moves, no figure piles up, no warning --------------------------------------------------------

def test_every_explorer_25_times_without_figures_or_warnings(line_data, penguins_02, penguins_04, curves, rng):
    plt.close("all")
    # (made outside the check: with ipywidgets 7 a recent ipykernel warns that widgets use its old Comm class)
    explorers = all_explorers(line_data, penguins_02, penguins_04, curves)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning while the sliders move fails the test, but for one:
        # matplotlib 3.10 (Colab's) calls pyparsing's camelCase names, which pyparsing 3.3 deprecates; users never
        # see it (Python hides DeprecationWarnings raised outside __main__), and it is not ours to fix.
        pyparsing_deprecated = getattr(pytest.importorskip("pyparsing"), "PyparsingDeprecationWarning", None)
        if pyparsing_deprecated is not None:
            warnings.simplefilter("ignore", pyparsing_deprecated)
        for ex in explorers:
            sliders = list(ex.controls.items())
            for k in range(25):
                name, c = sliders[k % len(sliders)]
                value = c.min + rng.uniform() * (c.max - c.min)  # in the slider's units (an exponent if log)
                value = c.base**value if isinstance(c, ipywidgets.FloatLogSlider) else value
                value = round(value) if isinstance(c, ipywidgets.IntSlider) else value
                old, before = c.value, ex.png
                ex.update(**{name: value})
                assert bytes(ex.image.value) == ex.png and ex.png[:8] == b"\x89PNG\r\n\x1a\n"
                assert (ex.png != before) == (c.value != old), f"{ex.name}: {name} {old} -> {c.value}"
    assert plt.get_fignums() == []


# --- notebook 02 ---------------------------------------------------------------------------------------------------

def test_cost_explorer_computes_J(line_data):
    X, t = line_data
    ex = widgets.cost_explorer(X, t)
    assert set(ex.controls) == {"w", "b"}
    state = ex.update(w=1.5, b=0.5)
    J = np.mean((1.5 * X[:, 0] + 0.5 - t) ** 2) / 2
    assert state["J"] == pytest.approx(J, rel=1e-12) and state["J_star"] <= J
    ex.controls["b"].value = 1.0  # a slider event
    assert ex.state["J"] == pytest.approx(np.mean((1.5 * X[:, 0] + 1.0 - t) ** 2) / 2, rel=1e-12)
    assert "J(w, b) = " in repr(ex) and "w = 1.5" in repr(ex)


def test_cost_explorer_starts_on_the_data_and_reaches_the_optimum(penguins_02):
    from sklearn.linear_model import LinearRegression

    X, t = penguins_02
    ex = widgets.cost_explorer(X, t)
    w, b = ex.controls["w"], ex.controls["b"]
    ref = LinearRegression().fit(X, t)
    assert w.min < ref.coef_[0] < w.max and b.min < ref.intercept_ < b.max
    # the start: a flat line through the middle of the data, cheaper than the line y = 0
    assert w.value == 0 and b.value == pytest.approx(t.mean(), abs=b.step)
    assert t.min() < b.value < t.max()
    assert ex.state["J"] < np.mean(t**2) / 2


def test_descent_explorer_runs_gradient_descent(line_data):
    X, t = line_data
    ex = widgets.descent_explorer(X, t, max_steps=80)
    assert set(ex.controls) == {"lr", "steps", "w0", "b0"}
    crit = ex.state["critical"]
    H = np.array([[np.mean(X[:, 0] ** 2), X[:, 0].mean()], [X[:, 0].mean(), 1.0]])
    assert crit == pytest.approx(2 / np.linalg.eigvalsh(H)[-1], rel=1e-10)

    b0 = ex.controls["b0"].max * 0.9  # inside the slider's range (sliders clamp what is outside)
    state = ex.update(lr=0.2 * crit, steps=50, w0=0.0, b0=b0)
    assert state["regime"] == "good" and not state["diverged"] and state["message"] == ""
    direct = gradient_descent(X, t, 0.2 * crit, 50, w0=[0.0], b0=b0)
    np.testing.assert_allclose(state["result"].path, direct.path, rtol=1e-12)
    assert state["final_cost"] < state["result"].costs[0]

    state = ex.update(lr=1.5 * crit)
    assert state["regime"] == "diverge" and state["diverged"]
    assert "critical" in state["message"] and f"{crit:.3g}" in state["message"]
    assert "DIVERGE" in repr(ex) and "diverged: stopped after" in repr(ex)

    assert ex.update(lr=0.8 * crit)["regime"] == "oscillate"
    assert ex.update(lr=0.01 * crit)["regime"] == "crawl"
    ex.controls["steps"].value = 7  # a slider event
    assert ex.state["result"].steps == 7


def test_divergence_message_comes_only_from_a_divergence_warning(line_data, monkeypatch):
    import helpers.solvers

    real = helpers.solvers.gradient_descent

    def noisy(*args, **kwargs):
        warnings.warn("something else", UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    X, t = line_data
    ex = widgets.descent_explorer(X, t)
    monkeypatch.setattr(helpers.solvers, "gradient_descent", noisy)
    with pytest.warns(UserWarning, match="something else"):  # passed on, not taken for a divergence
        state = ex.update(lr=0.2 * ex.state["critical"])
    assert state["message"] == "" and not state["diverged"]
    with pytest.warns(UserWarning):
        state = ex.update(lr=1.5 * ex.state["critical"])
    assert state["diverged"] and state["message"].startswith("gradient_descent diverged")


def test_cost_and_descent_explorers_accept_tensors(line_data):
    X, t = line_data
    a = widgets.cost_explorer(torch.tensor(X), torch.tensor(t)).update(w=1.0, b=0.5)
    b = widgets.cost_explorer(X, t).update(w=1.0, b=0.5)
    assert a["J"] == pytest.approx(b["J"], rel=1e-12)
    assert widgets.descent_explorer(torch.tensor(X), torch.tensor(t)).state["result"].steps == 30


# --- notebook 03 ---------------------------------------------------------------------------------------------------

def test_polynomial_explorer_errors_match_numpy(curves):
    x_pool, t_pool, x_val, t_val = curves
    ex = widgets.polynomial_explorer(*curves, degree=3, N=25)
    state = ex.state
    for M in range(6):  # well-conditioned degrees: any least-squares solver agrees
        coef = np.polynomial.polynomial.polyfit(x_pool[:25], t_pool[:25], M)
        train = np.sqrt(np.mean((np.polynomial.polynomial.polyval(x_pool[:25], coef) - t_pool[:25]) ** 2))
        val = np.sqrt(np.mean((np.polynomial.polynomial.polyval(x_val, coef) - t_val) ** 2))
        assert state["train_curve"][M] == pytest.approx(train, rel=1e-7)
        assert state["val_curve"][M] == pytest.approx(val, rel=1e-7)
    assert state["train_rmse"] == state["train_curve"][3] and state["best_degree"] == int(np.argmin(state["val_curve"]))


def test_polynomial_explorer_fits_once_per_N_and_speaks_plainly(curves, monkeypatch):
    import helpers.features

    fits = []
    real = helpers.features.fit_polynomial
    monkeypatch.setattr(helpers.features, "fit_polynomial", lambda *a, **k: fits.append(a[2]) or real(*a, **k))
    ex = widgets.polynomial_explorer(*curves, degree=9, N=10)
    assert sorted(fits) == list(range(13))  # every degree, once
    for M in range(13):
        ex.update(degree=M)
    assert len(fits) == 13  # moving M fits nothing
    ex.update(N=12)
    ex.update(N=10)
    assert len(fits) == 26  # a new N fits every degree once; an N seen before, nothing
    state = ex.update(degree=9, N=10)  # 10 points, degree 9: interpolation, solved through the SVD
    assert state["train_rmse"] < 1e-6 and 9 in state["fallback"]
    caption = repr(ex)
    assert "M = 9, N = 10" in caption and "validation picks M = " in caption
    for jargon in ("SVD", "fallback", "ill-conditioned"):
        assert jargon not in caption


# --- notebook 04 ---------------------------------------------------------------------------------------------------

def test_logistic_explorer_cost_and_accuracy(penguins_04):
    from sklearn.metrics import log_loss

    X, t = penguins_04
    ex = widgets.logistic_explorer(X, t, w=(2.0, -1.0), b=-1.0)
    state = ex.update(w1=3.0, w2=-2.0, b=0.5)
    z = X @ np.array([3.0, -2.0]) + 0.5
    assert state["loss"] == pytest.approx(log_loss(t, 1 / (1 + np.exp(-z))), rel=1e-10)
    assert state["accuracy"] == pytest.approx(np.mean((z >= 0) == (t == 1)))
    with pytest.raises(ValueError, match="X of shape"):
        widgets.logistic_explorer(X[:, :1], t)


def test_logistic_sliders_reach_the_fitted_weights(penguins_04):
    from sklearn.linear_model import LogisticRegression

    X, t = penguins_04
    ref = LogisticRegression(C=1e12, tol=1e-12, max_iter=10_000).fit(X, t)  # (practically) unpenalized
    theta = np.array([*ref.coef_[0], ref.intercept_[0]])
    np.testing.assert_allclose(widgets._fitted_weights(X, t), theta, rtol=1e-5)
    ex = widgets.logistic_explorer(X, t, w=(2.0, -1.0), b=-1.0)
    for name, value in zip(("w1", "w2", "b"), theta):
        c = ex.controls[name]
        assert c.min < value < c.max, f"{name} = {value:.2f} is outside its slider's range [{c.min}, {c.max}]"
    assert ex.controls["w1"].max <= 3 * np.abs(theta).max()  # ... and do not run far beyond them
    assert widgets.logistic_explorer(X, t, limit=5.0).controls["b"].max == 5.0


# --- what a notebook stores ------------------------------------------------------------------------------------------

def test_explorer_mime_bundle_holds_the_widget_and_its_figure(penguins_02, monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    ex = widgets.cost_explorer(*penguins_02)
    ex.update(w=0.5)
    data, _ = DisplayFormatter().format(ex)  # what IPython puts in the cell's output
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert data["text/plain"] == repr(ex) and data["text/plain"].startswith("cost_explorer(w = 0.5, b = ")
    import base64

    np.testing.assert_array_equal(pixels(base64.b64decode(data["image/png"])), pixels(ex.png))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    data, _ = DisplayFormatter().format(ex)
    assert "image/png" not in data and "application/vnd.jupyter.widget-view+json" in data  # Colab: the widget


def test_on_colab_the_figure_goes_to_an_output_widget(penguins_02, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    ex = widgets.cost_explorer(*penguins_02)
    assert isinstance(ex.image, ipywidgets.Output) and ex.image in ex.widget.children
    capsys.readouterr()
    ex.update(w=0.5)  # outside a notebook, display() prints what it would show
    assert "IPython.core.display.Image" in capsys.readouterr().out and ex.state["w"] == 0.5


def explorer_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and re.search(r"\w+_explorer\(", c.source)]


@pytest.mark.parametrize("name", ["02_direct_vs_gradient_descent", "03_feature_maps", "04_logistic_regression"])
def test_stored_explorer_cells_show_their_figure(name):
    # GitHub and nbconvert render a stored explorer cell from its image/png (the widget view needs a kernel).
    import nbformat
    from nbconvert import MarkdownExporter

    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cells = explorer_cells(nb)
    assert cells
    for cell in cells:
        bundles = [o["data"] for o in cell.outputs if "data" in o]
        assert any("image/png" in d and "application/vnd.jupyter.widget-view+json" in d for d in bundles), cell.source
        assert not any(d.get("text/plain", "").startswith(("VBox(", "[VBox(")) for d in bundles)
    for cell in nb.cells:  # nbconvert's rendering: each explorer cell shows as a picture, no widget repr anywhere
        cell.source = f"# cell {id(cell)}\n" + cell.source if cell in cells else cell.source
    text, _ = MarkdownExporter().from_notebook_node(nb)
    assert "VBox(children" not in text
    for cell in cells:
        after = text.split(f"# cell {id(cell)}", 1)[1].split("```", 1)[1]  # what follows the cell's source
        assert after.lstrip().startswith("![png]"), after[:200]
