"""The programming assignments: one per notebook, the one place points are declared.

Each notebook's assignment is a few functions the student completes, checked in steps by the checkers of
`helpers.exercises`, plus written questions graded by hand. The notebooks' checker cells and the
instructors' grader (``python -m grading``) both follow this registry, so a student's hint and the
instructor's grade come from the same checker.

Points default to 1 per step; a step that passes earns its points, so an assignment with several steps earns
partial credit per step.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One checked step: ``helpers.exercises.<checker>(<function>)``."""

    function: str  # the student's function name in the notebook, e.g. "gradient_descent"
    checker: str  # the checker's name in helpers.exercises, e.g. "check_gradient_descent"
    points: float = 1.0
    title: str = ""  # e.g. "Step 2: one update"


@dataclass(frozen=True)
class Question:
    """A written question, graded by hand; the answer follows a line ``**Your answer (<key>):**``."""

    key: str  # "Q1"
    prompt: str  # the question, one or two sentences
    points: float = 1.0


@dataclass(frozen=True)
class Assignment:
    """A notebook's programming assignment."""

    notebook: str  # the file stem, e.g. "02_direct_vs_gradient_descent"
    title: str  # the notebook's H1 title text (the first '# ' heading), used to recognize it
    steps: tuple  # of Step, in the order the notebook checks them
    questions: tuple = ()  # of Question


ASSIGNMENTS = {a.notebook: a for a in (
    Assignment("01_vectorization", "01 · Vectorization", (
        Step("predict_vectorized", "check_predict", title="Exercise 1: predictions in one line"),
        Step("cost_vectorized_exercise", "check_cost", title="Exercise 2: the cost in one line"),
        Step("cost_many", "check_cost_many", title="Exercise 3: the cost of many weight vectors"),
    )),
    Assignment("02_direct_vs_gradient_descent", "02 · Direct solution vs gradient descent", (
        Step("grad_J", "check_gradients", title="Exercise 1: the partial derivatives"),
        Step("gd_step", "check_gd_step", title="Exercise 2: one gradient-descent step"),
        Step("normal_equations", "check_normal_equations", title="Exercise 3: the normal equations"),
    )),
    Assignment("03_feature_maps", "03 · Feature maps, underfitting and overfitting", (
        Step("my_polynomial_features", "check_polynomial_features", title="Exercise 1: polynomial features"),
        Step("my_standardize", "check_standardize", title="Exercise 2: standardize with the training statistics"),
        Step("my_choose_degree", "check_choose_degree", title="Exercise 3: choose the degree on validation data"),
    )),
    Assignment("04_logistic_regression", "04 · Binary classification and logistic regression", (
        Step("cross_entropy", "check_cross_entropy", title="Exercise 1: the cross-entropy, stably"),
        Step("cross_entropy_gradients", "check_cross_entropy_gradients", title="Exercise 2: the gradient"),
        Step("logistic_step", "check_logistic_step", title="Exercise 3: one regularized step"),
    )),
    Assignment("05_softmax_regression", "05 · Softmax regression on handwritten digits", (
        Step("cross_entropy", "check_softmax_cross_entropy", title="Exercise 1: a stable cross-entropy"),
        Step("softmax_gradients", "check_softmax_gradients", title="Exercise 2: the gradients"),
        Step("logistic_from_softmax", "check_logistic_from_softmax", title="Exercise 3: two classes are logistic"),
    )),
    Assignment("06_pytorch_idiom", "06 · The same models in PyTorch's idiom, and debugging", (
        Step("train_softmax", "check_train_softmax", title="Step 1: the training loop, step by step"),
        Step("train_softmax", "check_train_softmax_digits", title="Step 2: the digits, as in notebook 05"),
    ), questions=(
        Question("Q1", "The lecture asks why we derive everything by hand when PyTorch does so much for us. Pick two "
                       "of the bugs of section 7 and, for each, name the hand-derived fact that detects it."),
    )),
)}
