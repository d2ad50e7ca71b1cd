"""The checking engine behind every exercise.

A checker runs the student's function on several inputs (NumPy only for a NumPy
exercise, NumPy and torch where the exercise asks for code that serves both),
compares each answer with the reference, and returns a `Result` whose text
is either a pass or a targeted hint. Hints come from a catalog of typical
mistakes: each mistake is a function computing what that wrong solution
would return, so "your answer equals the reference times N" becomes
"you forgot the 1/N". A wrong answer never crashes the checker; an
exception in the student's code is reported with its line.
"""

import linecache
import sys
import traceback
from dataclasses import dataclass, field

import numpy as np
import torch

_HELPERS_DIR = __file__.rsplit("/exercises/", 1)[0]


@dataclass
class Result:
    """What a checker found. Displays as its message; ``bool(result)`` is ``passed``."""

    name: str
    passed: bool
    message: str
    hint: str = ""  # short key of the matched mistake ("missing 1/N", "not implemented", ...)
    details: list = field(default_factory=list)

    def __repr__(self):
        return self.message

    def __bool__(self):
        return self.passed

    def to_dict(self):
        """The result as plain JSON-ready data (``details`` as strings)."""
        return {"name": str(self.name), "passed": bool(self.passed), "message": str(self.message),
                "hint": str(self.hint), "details": [str(d) for d in self.details]}


@dataclass
class Case:
    """One input to try: positional args and a label used in messages."""

    args: tuple
    label: str = ""


@dataclass
class Mistake:
    """A typical wrong solution: ``wrong(*args)`` is what it would return."""

    hint: str
    wrong: object
    key: str = ""


def _copy(a):
    if torch.is_tensor(a):
        return a.detach().clone()
    if isinstance(a, np.ndarray):
        return a.copy()
    return a


def _kind(a):
    if torch.is_tensor(a):
        return "a torch tensor"
    if isinstance(a, np.ndarray) or isinstance(a, (np.floating, np.integer)):
        return "a NumPy array"
    if isinstance(a, (float, int)):
        return "a Python number"
    return f"a {type(a).__name__}"


def _to_numpy(a):
    if torch.is_tensor(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def _parts(out):
    return list(out) if isinstance(out, tuple) else [out]


def _as_expected(got, expected):
    """A list of the expected number of values, where a tuple is expected, read as that tuple (``[dw, db]``)."""
    if isinstance(got, list) and isinstance(expected, tuple) and len(got) == len(expected):
        return tuple(got)
    return got


def _is_number(a):
    return isinstance(a, (int, float, np.integer, np.floating)) and not isinstance(a, bool)


def _numbers_for_scalars(got, expected):
    """``got`` with each Python number standing for a 0-d expected tensor turned into that tensor's kind."""
    if not isinstance(got, tuple) or not isinstance(expected, tuple) or len(got) != len(expected):
        return got
    return tuple(torch.as_tensor(float(a), dtype=torch.float64) if _is_number(a) and torch.is_tensor(b)
                 and b.ndim == 0 else a for a, b in zip(got, expected))


_FACTORS = ((2.0, "exactly twice"), (0.5, "exactly half"), (-1.0, "the negative of"))
_FACTOR_KEYS = {2.0: "factor 2", 0.5: "factor 1/2", -1.0: "sign flipped"}


def _scale_hint(got, expected, rtol, atol):
    """(message, key) when every wrong output is exactly 2, 1/2 or -1 times its expected value, else None."""
    g, e = _parts(got), _parts(expected)
    if len(g) != len(e):
        return None
    wrong = []
    for k, (a, b) in enumerate(zip(g, e)):
        try:
            a, b = _to_numpy(a).astype(float), _to_numpy(b).astype(float)
        except (TypeError, ValueError):
            return None
        if a.shape != b.shape:
            return None
        if np.allclose(a, b, rtol=rtol, atol=atol):
            continue
        factor = next((c for c, _ in _FACTORS if np.allclose(a, c * b, rtol=rtol, atol=atol)), None)
        if factor is None or np.allclose(b, 0, atol=atol):
            return None
        wrong.append((k, factor))
    if not wrong or len({f for _, f in wrong}) > 1:
        return None
    factor = wrong[0][1]
    words = dict(_FACTORS)[factor]
    if len(e) == 1:
        which = "your answer is"
    elif len(wrong) == len(e):
        which = "every output is"
    else:
        which = " and ".join(f"output {k + 1}" for k, _ in wrong) + (" is" if len(wrong) == 1 else " are")
        which += " (the others are right)"
    if factor == -1.0:
        fix = "a sign is flipped somewhere (y - t versus t - y, or + versus -)."
    elif factor == 2.0:
        fix = "look for a stray factor of 2, or a missing 1/2."
    else:
        fix = "look for a stray factor of 1/2, or a missing 2."
    return f"{which} {words} the expected value: {fix}", _FACTOR_KEYS[factor]


def _close(got, expected, rtol, atol):
    g, e = _parts(got), _parts(expected)
    if len(g) != len(e):
        return False
    for a, b in zip(g, e):
        try:
            a, b = _to_numpy(a).astype(float), _to_numpy(b).astype(float)
        except (TypeError, ValueError):
            return False
        if a.shape != b.shape or not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False):
            return False
    return True


def _student_line(exc):
    """(line number, source line) of the innermost frame outside helpers/, if any.

    An exception from a function run elsewhere (the grader's proxy of a student's function in its kernel) carries
    that line as ``student_lineno`` and ``student_line``: those are used when present.
    """
    if hasattr(exc, "student_lineno"):
        return exc.student_lineno, getattr(exc, "student_line", None)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_HELPERS_DIR)]
    if not frames:
        return None, None
    f = frames[-1]
    line = f.line or linecache.getline(f.filename, f.lineno).strip()
    return f.lineno, line


def _describe_problem(got, expected, inputs_torch):
    """A message for the first structural problem (type, count, shape, finiteness), or None."""
    g, e = _parts(got), _parts(expected)
    if got is None:
        return "returned None; did you forget the `return`?"
    if len(g) != len(e):
        return f"returned {len(g)} value(s), expected {len(e)}"
    for k, (a, b) in enumerate(zip(g, e)):
        which = f"output {k + 1} " if len(e) > 1 else ""
        if inputs_torch and not torch.is_tensor(a):
            return f"{which}is {_kind(a)} but the inputs were torch tensors; use operations that keep tensors"
        if not inputs_torch and torch.is_tensor(a):
            return f"{which}is a torch tensor but the inputs were NumPy arrays; return NumPy when NumPy comes in"
        try:
            an = _to_numpy(a).astype(float)
        except (TypeError, ValueError):
            return f"{which}is {_kind(a)}, not numbers"
        bn = _to_numpy(b)
        if an.shape != bn.shape:
            return f"{which}has shape {an.shape}, expected {bn.shape}"
        if not np.isfinite(an).all() and np.isfinite(bn).all():
            return f"{which}contains NaN or inf where the answer is finite"
    return None


def check(name, student_fn, cases, reference, mistakes=(), rtol=1e-6, atol=1e-9, numbers_for_scalars=False):
    """Run ``student_fn`` on each case and compare with ``reference``.

    Parameters
    ----------
    name : str
        The exercise's function name, used in messages.
    student_fn : callable
    cases : list of Case
    reference : callable, the correct solution
    mistakes : list of Mistake, tried in order when an answer is wrong
    numbers_for_scalars : bool
        Accept a Python number where a 0-d tensor is expected among several outputs (``float(b - lr * db)``
        for a bias that came in as a Python number).

    Returns
    -------
    Result
    """
    if not callable(student_fn):
        return Result(name, False, f"✘ {name}: expected a function, got {_kind(student_fn)}.", "not a function")
    for i, case in enumerate(cases):
        where = f" on input {i + 1}" + (f" ({case.label})" if case.label else "")
        inputs_torch = any(torch.is_tensor(a) for a in case.args)
        try:
            got = student_fn(*[_copy(a) for a in case.args])
        except NotImplementedError:
            return Result(
                name, False,
                f"… {name}: not implemented yet. Replace the `raise NotImplementedError` line with your code.",
                "not implemented",
            )
        except Exception as exc:  # the student's bug, reported, never re-raised
            lineno, line = _student_line(exc)
            at = f" at line {lineno}: `{line}`" if line else ""
            msg = f"✘ {name} raised {type(exc).__name__}{where}{at}: {exc}"
            return Result(name, False, msg, "exception")
        expected = reference(*[_copy(a) for a in case.args])
        got = _as_expected(got, expected)
        if numbers_for_scalars and inputs_torch:
            got = _numbers_for_scalars(got, expected)
        if _close(got, expected, rtol, atol) and _describe_problem(got, expected, inputs_torch) is None:
            continue
        for m in mistakes:
            try:
                wrong = m.wrong(*[_copy(a) for a in case.args])
            except Exception:  # a mistake that cannot even run on this input: not this one
                continue
            if _close(got, wrong, rtol, atol):
                return Result(name, False, f"✘ {name}{where}: {m.hint}", m.key or m.hint)
        problem = _describe_problem(got, expected, inputs_torch)
        if problem:
            return Result(name, False, f"✘ {name}{where}: {problem}.", "structure")
        scaled = _scale_hint(got, expected, rtol, atol)
        if scaled:
            return Result(name, False, f"✘ {name}{where}: {scaled[0]}", scaled[1])
        diff = _diff(got, expected, rtol, atol)
        return Result(name, False, f"✘ {name}{where}: the values differ from the expected ones.{diff}", "wrong values")
    kinds = sorted({"torch" if any(torch.is_tensor(a) for a in c.args) else "NumPy" for c in cases})
    return Result(name, True, f"✔ {name}: correct on all {len(cases)} inputs ({' and '.join(kinds)}). Well done!")


def _diff(got, expected, rtol=1e-6, atol=1e-9):
    """Where the first wrong output differs most from the expected one, in words."""
    try:
        g, e = _parts(got), _parts(expected)
        k = next(i for i, (a, b) in enumerate(zip(g, e)) if not _close(a, b, rtol, atol))
        a, b = _to_numpy(g[k]).astype(float).ravel(), _to_numpy(e[k]).astype(float).ravel()
        j = int(np.argmax(np.abs(a - b)))
        which = f" output {k + 1}" if len(e) > 1 else ""
        entry = f"entry {j}" if b.size > 1 else "the value"
        return f" For example,{which} {entry} is {a[j]:.6g} but should be {b[j]:.6g}."
    except Exception:
        return ""


def numpy_only(arg_sets, labels=None):
    """Cases for each argument tuple, as NumPy arrays only: for exercises that ask for NumPy code."""
    return [Case(tuple(args), labels[k] if labels else "") for k, args in enumerate(arg_sets)]


def numpy_and_torch(arg_sets, labels=None):
    """Cases for each argument tuple twice: as NumPy arrays and as float64 tensors."""
    cases = []
    for k, args in enumerate(arg_sets):
        label = labels[k] if labels else ""
        cases.append(Case(tuple(args), label))
        cases.append(Case(tuple(torch.from_numpy(a) if isinstance(a, np.ndarray) else a for a in args),
                          (label + ", " if label else "") + "torch"))
    return cases


def catching_output(fn):
    """Decorator for checkers: never let the checker itself raise."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # pragma: no cover - a bug in the checker, not the student's
            print(f"(checker error, please report: {type(exc).__name__}: {exc})", file=sys.stderr)
            return Result(fn.__name__, False, f"✘ the checker failed: {exc}", "checker error")

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper
