"""Checkers for the notebooks' exercises.

Each ``check_*`` function takes the student's function, runs it on several
NumPy and torch inputs, and returns a `Result` that displays as a pass or a
targeted hint (wrong shape, a missing 1/N, a sign error, ...).
"""

from ._core import Case, Mistake, Result, check, numpy_and_torch
from .ex01 import check_cost, check_cost_many, check_predict
from .ex02 import check_gd_step, check_gradients, check_normal_equations
from .ex03 import check_choose_degree, check_polynomial_features, check_standardize
from .ex04 import check_cross_entropy, check_cross_entropy_gradients, check_logistic_step
from .ex05 import check_logistic_from_softmax, check_softmax_cross_entropy, check_softmax_gradients
from .ex06 import check_train_softmax, check_train_softmax_digits

__all__ = [
    "Case", "Mistake", "Result", "check", "numpy_and_torch",
    "check_cost", "check_cost_many", "check_predict",  # 01
    "check_gd_step", "check_gradients", "check_normal_equations",  # 02
    "check_choose_degree", "check_polynomial_features", "check_standardize",  # 03
    "check_cross_entropy", "check_cross_entropy_gradients", "check_logistic_step",  # 04
    "check_logistic_from_softmax", "check_softmax_cross_entropy", "check_softmax_gradients",  # 05
    "check_train_softmax", "check_train_softmax_digits",  # 06
]

