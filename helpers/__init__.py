"""Helpers for the course notebooks on linear models.

Tested implementations in the lecture's notation (X, w, b, t, y, z, J),
data loading, plots and interactive widgets. Every numerical helper takes
NumPy arrays or torch tensors and returns the same kind.

Importing this package touches no network and writes no files; plotting
and widget modules (which import matplotlib and ipywidgets) load on first use.
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
from .softmax import (  # the function `softmax` stays in `helpers.softmax`: exporting it would hide the module
    fit_softmax_regression,
    log_softmax,
    one_hot,
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
    "critical_learning_rate", "gradient_descent", "solve_direct",
    # 03 feature maps
    "Standardizer", "fit_polynomial", "gaussian_features", "make_curve_data", "polynomial_features", "rmse",
    "train_val_test_split",
    # 04 logistic regression
    "accuracy", "binary_cross_entropy", "binary_cross_entropy_grad", "fit_logistic_regression", "logistic_cost",
    "logistic_gradients", "sigmoid",
    # 05 softmax regression
    "fit_softmax_regression", "log_softmax", "one_hot", "softmax_cross_entropy", "softmax_cross_entropy_gradient",
]

# Submodules loaded lazily (they import matplotlib / ipywidgets).
_LAZY_MODULES = {"plots", "widgets", "exercises", "data"}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
