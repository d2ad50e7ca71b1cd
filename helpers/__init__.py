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
from .linear import cost, gradients, predict
from .timing import Timing, time_it

__all__ = [
    "REPO_URL",
    "Timing",
    "cost",
    "default_device",
    "gradients",
    "predict",
    "print_setup",
    "seed_everything",
    "time_it",
    "to_device",
]

# Submodules loaded lazily (they import matplotlib / ipywidgets).
_LAZY_MODULES = {"plots", "widgets", "exercises", "data"}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")

from .solvers import critical_learning_rate, gradient_descent, solve_direct  # noqa: E402

__all__ += ["critical_learning_rate", "gradient_descent", "solve_direct"]
