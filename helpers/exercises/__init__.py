"""Checkers for the notebooks' exercises.

Each ``check_*`` function takes the student's function, runs it on several
NumPy and torch inputs, and returns a `Result` that displays as a pass or a
targeted hint (wrong shape, a missing 1/N, a sign error, ...).
"""

from ._core import Case, Mistake, Result, check, numpy_and_torch
from .ex01 import check_cost, check_cost_many, check_predict

__all__ = [
    "Case",
    "Mistake",
    "Result",
    "check",
    "check_cost",
    "check_cost_many",
    "check_predict",
    "numpy_and_torch",
]

from .ex02 import check_gd_step, check_gradients, check_normal_equations  # noqa: E402

__all__ += ["check_gd_step", "check_gradients", "check_normal_equations"]
