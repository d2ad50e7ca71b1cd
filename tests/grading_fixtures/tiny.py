"""A tiny assignment for the grader's tests: three NumPy-only steps, checked by the course's engine, and a
written question. Its notebooks start a kernel in about a second (no torch), so each case the grader must
survive gets its own submission."""

import nbformat
import numpy as np

from helpers.exercises._core import Case, Mistake, catching_output, check
from helpers.exercises.assignments import Assignment, Question, Step


def _cases(shapes, seed):
    rng = np.random.default_rng(seed)
    return [Case((rng.normal(size=s),), f"shape {s}") for s in shapes]


@catching_output
def check_double(double):
    """``double(x) -> 2 x``."""
    mistakes = [Mistake("you returned x itself; double it.", lambda x: x, "identity"),
                Mistake("you squared x; double it (2 * x).", lambda x: x ** 2, "squared")]
    return check("double", double, _cases([(3,), (5,)], 0), lambda x: 2 * x, mistakes)


@catching_output
def check_row_means(row_means):
    """``row_means(X) -> (N,)``, the mean of each row."""
    mistakes = [Mistake("you averaged over the wrong axis: one mean per ROW (axis=1).", lambda X: X.mean(0),
                        "wrong axis"),
                Mistake("you summed; divide by the number of columns.", lambda X: X.sum(1), "summed")]
    return check("row_means", row_means, _cases([(4, 3), (2, 6)], 1), lambda X: X.mean(1), mistakes)


@catching_output
def check_scale(scale):
    """``scale(x, a) -> a x``."""
    rng = np.random.default_rng(2)
    cases = [Case((rng.normal(size=4), 3.0)), Case((rng.normal(size=2), -0.5))]
    mistakes = [Mistake("you added a; multiply by it.", lambda x, a: x + a, "added")]
    return check("scale", scale, cases, lambda x, a: a * x, mistakes)


STEPS = (Step("double", "check_double", title="Step 1: double"),
         Step("row_means", "check_row_means", points=2.0, title="Step 2: row means"),
         Step("scale", "check_scale", title="Step 3: scale"))
ASSIGNMENTS = {"tiny": Assignment("tiny", "Tiny assignment", STEPS,
                                  (Question("Q1", "Why is doubling a linear map?", points=2.0),))}
COURSE = ("tests.grading_fixtures.tiny", "tests.grading_fixtures.tiny")  # registry and checkers, as module names
MAX = 4.0

ARGS = {"double": "x", "row_means": "X", "scale": "x, a"}
SOLVED = {"double": "return 2 * x", "row_means": "return X.mean(axis=1)", "scale": "return a * x"}
TODO = '# YOUR CODE HERE\nraise NotImplementedError("exercise not done yet")'
ANSWER = "Because 2 (x + y) = 2 x + 2 y and 2 (c x) = c (2 x)."


def notebook(bodies=None, top=(), title="Tiny assignment", metadata=True, answer=ANSWER, checks=True, bottom=()):
    """The tiny notebook: ``bodies`` {function: body} (others SOLVED; TODO for the student version), ``top``
    cells run first, the checker call after each function (unless ``checks`` is False), ``bottom`` cells last."""
    bodies = {**SOLVED, **(bodies or {})}
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if metadata:
        nb.metadata["course"] = {"notebook": "tiny"}
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb.cells = [md(f"# {title}\n\nA few lines of NumPy."), code("import numpy as np"), *[code(s) for s in top]]
    for step in STEPS:
        body = "\n".join("    " + line for line in bodies[step.function].splitlines())
        nb.cells += [md(f"**{step.title}.**"), code(f"def {step.function}({ARGS[step.function]}):\n{body}")]
        if checks:
            nb.cells.append(code(f"helpers.exercises.{step.checker}({step.function})"))
    nb.cells += [md("**Q1.** Why is doubling a linear map?"), md(f"**Your answer (Q1):**\n\n{answer}")]
    nb.cells += [code(s) for s in bottom]
    return nb


def student():
    return notebook({f: TODO for f in SOLVED})


def to_bytes(nb):
    return (nbformat.writes(nb) + "\n").encode()
