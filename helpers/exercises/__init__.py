"""Checkers for the notebooks' exercises.

Each ``check_*`` function takes the student's function, runs it on several
inputs (NumPy, and torch where the exercise asks for both), and returns a `Result` that displays as a pass or a
targeted hint (wrong shape, a missing 1/N, a sign error, ...).
"""

from ._core import Case, Mistake, Result, check, numpy_and_torch, numpy_only
from .ex01 import check_cost, check_cost_grid, check_cost_many, check_predict
from .ex02 import check_fit_gd, check_gd_step, check_gradients, check_normal_equations
from .ex03 import check_choose_degree, check_fit_polynomial, check_polynomial_features, check_standardize
from .ex04 import check_cross_entropy, check_cross_entropy_gradients, check_train_logistic
from .ex05 import check_softmax_cross_entropy, check_softmax_gradients, check_train_softmax
from .ex06 import check_torch_loop, check_torch_loop_digits

__all__ = [
    "Case", "Mistake", "Result", "check", "numpy_and_torch", "numpy_only",
    "check_cost", "check_cost_grid", "check_cost_many", "check_predict",  # 01
    "check_fit_gd", "check_gd_step", "check_gradients", "check_normal_equations",  # 02
    "check_choose_degree", "check_fit_polynomial", "check_polynomial_features", "check_standardize",  # 03
    "check_cross_entropy", "check_cross_entropy_gradients", "check_train_logistic",  # 04
    "check_softmax_cross_entropy", "check_softmax_gradients", "check_train_softmax",  # 05
    "check_torch_loop", "check_torch_loop_digits",  # 06
]

