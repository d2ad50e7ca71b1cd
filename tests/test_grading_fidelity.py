"""The grader's verdict is the notebook's verdict: for every step of every assignment, the solution and the wrong
solutions of tests/grading_cases.py get, through the proxy and the wire, exactly the message the checker gives
the function itself. The kernel side runs here (the same program the grader sends to the kernel), so this covers
every checker's arguments and return values, NumPy and torch, in about a second."""

import ast
import json
import linecache
import os
import warnings

import pytest

import helpers.exercises as exercises
from grading import proxy, runner, synthetic
from helpers.exercises.assignments import ASSIGNMENTS
from tests import grading_cases

HELPERS_DIR = os.path.join(synthetic.COURSE_ROOT, "helpers")


def definition(stem, function):
    """The ``def function(...)`` of the solution notebook, alone (not the cell's other lines)."""
    for cell in synthetic.read(stem).cells:
        if cell.cell_type == "code" and f"def {function}(" in cell.source:
            tree = ast.parse(cell.source)
            node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
            return ast.get_source_segment(cell.source, node)
    raise LookupError(function)


def with_body(source, body):
    head = source.split("\n", 1)[0]
    return head + "\n" + "\n".join("    " + line for line in body.splitlines())


def loopback(ns, name):
    """A proxy of ``ns[name]`` whose kernel side runs in this process (the grader's kernel program)."""
    program = {"__name__": "__grader__"}
    exec(compile(runner._PROGRAM, "<grader>", "exec"), program)
    return proxy.make_proxy(lambda payload: json.loads(program["call"](ns, name, payload, HELPERS_DIR,
                                                                       runner.REPLY_LIMIT)), name)


def verdicts(stem, step, source):
    """(local, proxied) results of the step's checker on ``source``, registered like an IPython cell."""
    name = f"<{stem} {step.function}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    ns = grading_cases.namespace()
    exec(compile(source, name, "exec"), ns)
    checker = getattr(exercises, step.checker)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return checker(ns[step.function]), checker(loopback(ns, step.function))


WRONG = {(stem, f): body for stem, cases in grading_cases.WRONG.items() for f, body, _ in cases}
STEPS = [(stem, s) for stem in sorted(ASSIGNMENTS) for s in ASSIGNMENTS[stem].steps]


@pytest.mark.parametrize("stem, step", STEPS, ids=[f"{stem[:2]}-{s.function}" for stem, s in STEPS])
def test_the_solution_and_the_wrong_one_get_the_same_verdict_through_the_proxy(stem, step):
    source = definition(stem, step.function)
    local, remote = verdicts(stem, step, source)
    assert local.passed and (remote.passed, remote.message) == (True, local.message)
    if (stem, step.function) in WRONG:
        local, remote = verdicts(stem, step, with_body(source, WRONG[stem, step.function]))
        assert not local.passed and (remote.passed, remote.message, remote.hint) == (False, local.message, local.hint)


def test_a_right_answer_that_overflows_on_the_way_fails_as_in_the_notebook():
    """check_cross_entropy rejects a right answer computed with overflowing exponentials: it watches NumPy's
    warnings, which the proxy brings back from the kernel."""
    step = ASSIGNMENTS["04_logistic_regression"].steps[0]
    body = ("xp = array_namespace(z, t)\n"
            "return xp.mean(xp.where(z > 0, z + xp.log1p(xp.exp(-z)), xp.log1p(xp.exp(z))) - t * z)")
    source = with_body(definition("04_logistic_regression", step.function), body)
    local, remote = verdicts("04_logistic_regression", step, source)
    assert not local.passed and "NumPy warned" in local.message
    assert (remote.passed, remote.message) == (False, local.message)


def test_an_exception_is_reported_with_the_students_line_through_the_proxy():
    step = ASSIGNMENTS["01_vectorization"].steps[1]
    body = "r = X @ w + b - t\nreturn (r * r).sum() / (2 * X.shape[0]) + undefined_name"
    local, remote = verdicts("01_vectorization", step, with_body(definition("01_vectorization", step.function), body))
    assert "raised NameError on input 1 at line 3: `return (r * r).sum()" in local.message
    assert remote.message == local.message
