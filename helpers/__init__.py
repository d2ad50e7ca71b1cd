"""Helpers for the course notebooks on linear models.

Tested implementations in the lecture's notation (X, w, b, t, y, z, J),
data loading, plots and interactive widgets.

One rule for every numerical helper (the array backend, `helpers.backend`, keeps it):

* **NumPy in, NumPy out; a tensor in, a tensor on the same device out**, in the
  input's dtype when it is float32 or float64. Any other dtype (float16, bfloat16,
  integers, booleans) is computed in float64, as scikit-learn does (float32 on a
  device without float64, such as Apple's MPS).
* **device= moves the work explicitly.** The fits take ``device``: NumPy data with
  ``device="cuda"`` is computed on the GPU and comes back as NumPy; without it,
  the work happens where the data is.
* **Autograd.** The formulas take part in autograd (tensors keep their graph):
  predict, cost, gradients, sigmoid, the cross-entropies and their gradients,
  logistic_cost, logistic_gradients, softmax, log_softmax, the feature maps,
  Standardizer, train_val_test_split, rmse, and the closed-form solve_direct and
  fit_polynomial. The iterative algorithms (gradient_descent, the fits) and the
  numbers about the data (critical_learning_rate, the curvature bounds) compute
  on detached inputs: their results never hold a graph.

Importing this package touches no network and writes no files; the data loaders,
plotting and widget modules (which import matplotlib and ipywidgets) load on first use.
"""

import importlib

from .course import REPO_URL, print_setup
from .device import default_device, seed_everything, to_device
from .features import (
    Standardizer,
    fit_polynomial,
    gaussian_features,
    make_curve_data,
    polynomial_features,
    rmse,
    train_val_test_split,
)
from .linear import cost, gradients, predict
from .logistic import (
    accuracy,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    fit_logistic_regression,
    logistic_cost,
    logistic_gradients,
    sigmoid,
)
from .multiclass import (
    fit_softmax_regression,
    log_softmax,
    one_hot,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)
from .solvers import critical_learning_rate, gradient_descent, solve_direct
from .timing import Timing, time_it

__all__ = [
    # 01 vectorization, shared tools
    "REPO_URL", "Timing", "cost", "default_device", "gradients", "predict", "print_setup", "seed_everything",
    "time_it", "to_device",
    # 02 direct solution and gradient descent
    "critical_learning_rate", "gradient_descent", "load_penguins", "solve_direct",
    # 03 feature maps
    "Standardizer", "fit_polynomial", "gaussian_features", "make_curve_data", "polynomial_features", "rmse",
    "train_val_test_split",
    # 04 logistic regression
    "accuracy", "binary_cross_entropy", "binary_cross_entropy_grad", "fit_logistic_regression", "logistic_cost",
    "logistic_gradients", "sigmoid",
    # 05 softmax regression
    "fit_softmax_regression", "load_digits", "load_mnist", "log_softmax", "one_hot", "softmax",
    "softmax_cross_entropy", "softmax_cross_entropy_gradient",
]

# Loaded on first use: the plotting and widget modules import matplotlib and ipywidgets.
_LAZY_MODULES = {"data", "exercises", "plots", "widgets"}
_LAZY_NAMES = {"load_digits": "data", "load_mnist": "data", "load_penguins": "data"}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY_MODULES | set(_LAZY_NAMES))
