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
        Step("predict", "check_predict", title="Step 1: all predictions at once"),
        Step("cost", "check_cost", title="Step 2: the cost"),
        Step("cost_many", "check_cost_many", title="Step 3: the costs of many hypotheses"),
        Step("cost_grid", "check_cost_grid", title="Step 4: the cost on a grid of (w, b)"),
    ), (
        Question("Q1", "How many times faster was cost_many than a loop over cost calls on your machine, and why? "
                       "Why would the gap shrink if K were 1?"),
    )),
    Assignment("02_direct_vs_gradient_descent", "02 · Direct solution vs gradient descent", (
        Step("grad_J", "check_gradients", title="Step 1: the partial derivatives"),
        Step("gd_step", "check_gd_step", title="Step 2: one gradient-descent step"),
        Step("fit_gd", "check_fit_gd", title="Step 3: the loop that stops by its own rule"),
    ), (
        Question("Q1", "The lecture asks: why gradient descent, if we can find the optimum directly? Give two reasons, "
                       "and say which your measurements in this notebook support."),
        Question("Q2", "The slides say learning rates are typically 0.01 or 0.0001; your sweep used rates near 1. "
                       "Why does this problem allow them, and what would happen at 0.0001?"),
    )),
    Assignment("03_feature_maps", "03 · Feature maps, underfitting and overfitting", (
        Step("my_polynomial_features", "check_polynomial_features", title="Step 1: polynomial features"),
        Step("my_fit_polynomial", "check_fit_polynomial", title="Step 2: fit by least squares"),
        Step("my_choose_degree", "check_choose_degree", title="Step 3: choose the degree on validation data"),
    ), (
        Question("Q1", "Why can the degree not be learned by minimizing the training cost, like the weights?"),
        Question("Q2", "Why is the test set used only once, after the degree is chosen?"),
    )),
    Assignment("04_logistic_regression", "04 · Binary classification and logistic regression", (
        Step("cross_entropy", "check_cross_entropy", title="Step 1: the cross-entropy, stably"),
        Step("cross_entropy_gradients", "check_cross_entropy_gradients", title="Step 2: the gradient"),
        Step("train_logistic", "check_train_logistic", title="Step 3: the gradient-descent loop"),
    ), questions=(
        Question("Q1", "Derive dL_CE/dz = y - t from L_CE = -t log y - (1 - t) log(1 - y) and y = sigma(z)."),
    )),
    Assignment("05_softmax_regression", "05 · Softmax regression on handwritten digits", (
        Step("cross_entropy", "check_softmax_cross_entropy", title="Step 1: a stable cross-entropy"),
        Step("softmax_gradients", "check_softmax_gradients", title="Step 2: the gradients"),
        Step("train_softmax", "check_train_softmax", title="Step 3: minibatch stochastic gradient descent"),
    ), questions=(
        Question("Q1", "How does the case K = 2 relate to the logistic function?"),
    )),
    Assignment("06_pytorch_idiom", "06 · The same models in PyTorch's idiom, and debugging", (
        Step("train_softmax", "check_torch_loop", title="Step 1: the training loop, step by step"),
        Step("train_softmax", "check_torch_loop_digits", title="Step 2: the digits, as in notebook 05"),
    ), questions=(
        Question("Q1", "The lecture asks why we derive everything by hand when PyTorch does so much for us. Pick two "
                       "of the bugs of section 7 and, for each, name the hand-derived fact that detects it."),
    )),
)}
