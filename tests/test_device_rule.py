"""The one rule of helpers (helpers/__init__), checked for every public numerical helper.

NumPy in, NumPy out; a tensor in, a tensor on the same device and dtype out (float32 and
float64 kept; float16, bfloat16 and integers computed in float64, as scikit-learn does);
``device=`` moves the work of a fit and the results come back home; the formulas keep the
autograd graph, the algorithms compute on detached input and return no graph.

Without a GPU, the ``meta`` device (shapes without values) stands in for one where a helper
reads no values, and a spy on the backend's one move to a device checks the fits' ``device=``.
"""

import warnings

import numpy as np
import pytest
import torch

import helpers
from helpers import backend
from helpers.features import Standardizer

rng = np.random.default_rng(0)
N, D, K = 30, 3, 4
DATA = {
    "X": rng.normal(size=(N, D)),
    "t": rng.normal(size=N),
    "w": rng.normal(size=D),
    "x": rng.uniform(size=N),
    "centers": np.linspace(0, 1, 5),
    "t01": (rng.uniform(size=N) > 0.5).astype(np.float64),
    "z": rng.normal(size=(N, K)),
    "labels": rng.integers(0, K, size=N),
}


def _fit_logistic(a):
    m = helpers.fit_logistic_regression(a["X"], a["t01"], steps=5, nesterov=True)  # the momentum's state too
    X = backend.detach(a["X"])  # the predictions are formulas in X: here, only the fit's own graph is at stake
    return m.w, m.b, m.decision_function(X), m.predict_proba(X), m.predict(X)


def _fit_softmax(a):
    m = helpers.fit_softmax_regression(a["X"], a["labels"], K, "auto", 5, X_val=a["X"], labels_val=a["labels"])
    X = backend.detach(a["X"])
    return m.W, m.b, m.logits(X), m.predict_proba(X), m.predict(X)


def _standardizer(a):
    s = Standardizer().fit(a["X"])
    return s.transform(a["X"]), s.inverse_transform(a["X"]), s.mean_, s.scale_


def _gd(a):
    r = helpers.gradient_descent(a["X"], a["t"], 0.01, 5, w0=a["w"])
    return r.w, r.b, r.costs, r.path


# name -> (call on a dict of inputs, takes part in autograd?, reads no values: runs on the meta device?)
HELPERS = {
    "predict": (lambda a: helpers.predict(a["X"], a["w"], 0.5), True, True),
    "cost": (lambda a: helpers.cost(a["X"], a["t"], a["w"], 0.5), True, True),
    "gradients": (lambda a: helpers.gradients(a["X"], a["t"], a["w"], 0.5), True, True),
    "solve_direct": (lambda a: helpers.solve_direct(a["X"], a["t"], l2=0.1), True, False),
    "critical_learning_rate": (lambda a: helpers.critical_learning_rate(a["X"]), False, False),
    "gradient_descent": (_gd, False, False),
    "polynomial_features": (lambda a: helpers.polynomial_features(a["x"], 3), True, True),
    "gaussian_features": (lambda a: helpers.gaussian_features(a["x"], a["centers"], 0.2), True, True),
    "fit_polynomial": (lambda a: helpers.fit_polynomial(a["x"], a["t"], 2), True, False),
    "rmse": (lambda a: helpers.rmse(a["t"], a["x"]), True, True),
    "train_val_test_split": (lambda a: sum(helpers.train_val_test_split(a["X"], a["t"]), ()), True, True),
    "Standardizer": (_standardizer, True, True),
    "sigmoid": (lambda a: helpers.sigmoid(a["z"]), True, True),
    "binary_cross_entropy": (lambda a: helpers.binary_cross_entropy(a["t"], a["t01"]), True, False),
    "binary_cross_entropy_grad": (lambda a: helpers.binary_cross_entropy_grad(a["t"], a["t01"]), True, False),
    "logistic_cost": (lambda a: helpers.logistic_cost(a["X"], a["t01"], a["w"], 0.5, l2=0.1), True, False),
    "logistic_gradients": (lambda a: helpers.logistic_gradients(a["X"], a["t01"], a["w"], 0.5, l2=0.1), True, False),
    "accuracy": (lambda a: helpers.accuracy(a["t01"], a["t01"]), None, False),
    "lipschitz_constant": (lambda a: helpers.logistic.lipschitz_constant(a["X"], 0.1), False, False),
    "fit_logistic_regression": (_fit_logistic, False, False),
    "one_hot": (lambda a: helpers.one_hot(a["labels"], K), None, False),
    "softmax": (lambda a: helpers.softmax(a["z"]), True, True),
    "log_softmax": (lambda a: helpers.log_softmax(a["z"]), True, True),
    "softmax_cross_entropy": (lambda a: helpers.softmax_cross_entropy(a["z"], a["labels"]), True, False),
    "softmax_cross_entropy_gradient": (lambda a: helpers.softmax_cross_entropy_gradient(a["z"], a["labels"]), True,
                                       False),
    "curvature_bound": (lambda a: helpers.multiclass.curvature_bound(a["X"], 0.1), False, False),
    "fit_softmax_regression": (_fit_softmax, False, False),
}


def inputs(convert, dtype=np.float64):
    """The inputs in ``dtype`` (the integer labels stay integers), each passed through ``convert``."""
    return {k: convert(v if k == "labels" else v.astype(dtype)) for k, v in DATA.items()}


def outputs(result):
    """The arrays and numbers a helper returned, as a flat list."""
    return list(result) if isinstance(result, tuple) else [result]


def check_kind(result, kind, dtype, device=None):
    """Every array output is of ``kind``; floating ones in ``dtype``; tensors on ``device``.

    (Python floats are what some helpers return by design: a bias b or an RMS error for NumPy
    input, a learning rate or a curvature bound for any input.)
    """
    for o in outputs(result):
        if isinstance(o, float):
            continue
        if kind == "numpy":
            assert isinstance(o, (np.ndarray, np.floating)), type(o)
            floating = np.asarray(o).dtype.kind == "f"
        else:
            assert torch.is_tensor(o), type(o)
            assert o.device.type == device.type
            floating = o.is_floating_point()
        if floating:
            assert o.dtype == dtype, (o.dtype, dtype)


def test_every_public_numerical_helper_is_in_the_table():
    not_numerical = {"REPO_URL", "Timing", "default_device", "print_setup", "seed_everything", "time_it", "to_device",
                     "make_curve_data", "load_digits", "load_mnist", "load_penguins"}
    assert set(helpers.__all__) - not_numerical == set(HELPERS) - {"lipschitz_constant", "curvature_bound"}


def float_out(name, dtype):
    """The floating dtype a helper returns for floating input of ``dtype`` (one_hot takes integer labels)."""
    return np.float64 if name == "one_hot" else dtype


@pytest.mark.parametrize("name", HELPERS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_numpy_in_numpy_out_in_the_same_dtype(name, dtype):
    call = HELPERS[name][0]
    check_kind(call(inputs(np.asarray, dtype)), "numpy", float_out(name, dtype))


@pytest.mark.parametrize("name", HELPERS)
def test_float16_is_computed_in_float64_as_scikit_learn_does(name):
    call = HELPERS[name][0]
    result16 = call(inputs(np.asarray, np.float16))
    check_kind(result16, "numpy", np.float64)
    # the same numbers as float64 input rounded to float16 first
    rounded = {k: (v if k == "labels" else v.astype(np.float16).astype(np.float64)) for k, v in DATA.items()}
    for got, ref in zip(outputs(result16), outputs(call(rounded))):
        np.testing.assert_allclose(np.asarray(got, dtype=np.float64), np.asarray(ref, dtype=np.float64), rtol=1e-12)


@pytest.mark.parametrize("name", HELPERS)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_tensor_in_tensor_out_on_the_same_device_and_dtype(name, dtype, device):
    call = HELPERS[name][0]
    np_dtype = np.float64 if dtype == torch.float64 else np.float32
    result = call(inputs(lambda a: torch.tensor(a, device=device), np_dtype))
    check_kind(result, "torch", torch.float64 if name == "one_hot" else dtype, device)


@pytest.mark.parametrize("name", [n for n, (_, _, no_values) in HELPERS.items() if no_values])
def test_formulas_stay_on_the_meta_device(name):
    """'meta' stands in for a GPU: a formula computes where its input is and returns a tensor there."""
    call = HELPERS[name][0]
    meta = torch.device("meta")
    check_kind(call(inputs(lambda a: torch.tensor(a).to(meta))), "torch", torch.float64, meta)


def test_integer_tensors_are_computed_in_float64():
    Xi = torch.tensor([[1, 2], [3, 5], [4, 4]])
    assert helpers.predict(Xi, torch.tensor([1, 1]), 0.0).dtype == torch.float64
    assert helpers.sigmoid(torch.tensor([0, 1], dtype=torch.int32)).dtype == torch.float64
    assert helpers.softmax(torch.tensor([[1.0, 2.0]], dtype=torch.bfloat16)).dtype == torch.float64


@pytest.mark.parametrize("name", [n for n, (_, autograd, _) in HELPERS.items() if autograd is not None])
def test_formulas_keep_the_graph_and_algorithms_return_none(name):
    call, autograd, _ = HELPERS[name]
    leaves = inputs(lambda a: torch.tensor(a, requires_grad=a.dtype.kind == "f"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "requires grad" warnings from torch either
        result = call(leaves)
    floating = [o for o in outputs(result) if torch.is_tensor(o) and o.is_floating_point()]
    if autograd:
        assert any(o.requires_grad for o in floating), "a formula lost the autograd graph"
    else:
        assert not any(o.requires_grad for o in floating), "an algorithm returned a graph"


def test_gradient_descent_from_a_start_that_requires_grad_holds_no_graph():
    X, t = torch.tensor(DATA["X"]), torch.tensor(DATA["t"])
    w0 = torch.zeros(D, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # before: two torch warnings about copying a tensor that requires grad
        result = helpers.gradient_descent(X, t, 0.05, 200, w0=w0, b0=torch.tensor(0.0, requires_grad=True))
    for a in (result.w, result.b, result.costs, result.path):
        assert not a.requires_grad and a.grad_fn is None
    ref = helpers.gradient_descent(DATA["X"], DATA["t"], 0.05, 200)
    np.testing.assert_allclose(result.path.numpy(), ref.path, rtol=1e-12)


# ----------------------------------------------------------------------------------------------------------------
# device=: the fits move the work there and bring the results back home
# ----------------------------------------------------------------------------------------------------------------

FITS = {
    "fit_logistic_regression": lambda a, **kw: helpers.fit_logistic_regression(a["X"], a["t01"], steps=20, **kw),
    "fit_softmax_regression": lambda a, **kw: helpers.fit_softmax_regression(a["X"], a["labels"], K, "auto", 20,
                                                                             **kw),
}


def weights(model):
    return [model.w, model.b] if hasattr(model, "w") else [model.W, model.b]


@pytest.fixture
def moves(monkeypatch):
    """A spy on the backend's one move to a device: records the target, and computes on the CPU instead."""
    targets = []
    real = backend.to_tensor

    def to_tensor(a, dev, dtype=None):
        targets.append(torch.device(dev))
        return real(a, "cpu", dtype)

    monkeypatch.setattr(backend, "to_tensor", to_tensor)
    return targets


@pytest.mark.parametrize("fit", FITS)
def test_numpy_with_device_computes_there_and_returns_numpy(fit, moves):
    here = FITS[fit](inputs(np.asarray))
    assert moves == []  # NumPy data without device=: NumPy computes it, nothing moves
    there = FITS[fit](inputs(np.asarray), device="cuda")
    assert moves and all(d.type == "cuda" for d in moves)  # every array was sent to the device asked for
    for got, ref in zip(weights(there), weights(here)):
        assert isinstance(got, (np.ndarray, float))
        np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)
    assert all(isinstance(v, np.ndarray) and v.dtype == np.float64 for v in there.history.values())


@pytest.mark.parametrize("fit", FITS)
def test_a_tensor_with_another_device_comes_back_to_its_own(fit, moves):
    model = FITS[fit](inputs(lambda a: torch.tensor(a)), device="cuda")
    assert moves and all(d.type == "cuda" for d in moves)
    for a in weights(model):
        assert torch.is_tensor(a) and a.device.type == "cpu" and a.dtype == torch.float64


@pytest.mark.parametrize("fit", FITS)
def test_without_device_a_tensor_is_computed_where_it_is(fit, moves, device):
    model = FITS[fit](inputs(lambda a: torch.tensor(a, device=device)))
    assert all(d.type == device.type for d in moves)  # never moved anywhere else
    for a in weights(model):
        assert torch.is_tensor(a) and a.device.type == device.type
