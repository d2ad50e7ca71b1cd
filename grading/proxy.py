"""The student's function as the checker sees it: a proxy that runs it in the student's kernel.

A checker calls the proxy like the student's function. The proxy ships the arguments (`grading.wire`) to the
kernel, together with NumPy's floating-point error settings at the call, and returns the decoded return value.
What the function raised is raised again here, as an exception of the same name carrying ``student_lineno`` and
``student_line`` (which `helpers.exercises._core._student_line` reports), and the warnings it emitted are emitted
again, so checkers that watch for overflow warnings see what they would see in the notebook.

When the call cannot be judged (it ran past its time limit, killed the kernel, or its reply is unreadable), the proxy
raises a `GradingAbort`: a BaseException, so it passes through the checker's ``except Exception`` and the grader
scores the step itself.
"""

import re
import warnings

import numpy as np

from . import wire


class GradingAbort(BaseException):
    """The step cannot be judged by its checker; the grader scores it 0 with this message."""

    status = "error"


class CallTimedOut(GradingAbort):
    status = "timeout"


class KernelDied(GradingAbort):
    status = "crashed"


class ReplyUnreadable(GradingAbort):
    status = "unreadable"


class OutOfTime(GradingAbort):
    """The whole notebook's time limit was reached."""

    status = "timeout"


_ERRSTATE = ("ignore", "warn", "raise", "print")
_WARNINGS = {c.__name__: c for c in (RuntimeWarning, UserWarning, DeprecationWarning, FutureWarning,
                                     PendingDeprecationWarning, SyntaxWarning, ImportWarning, UnicodeWarning,
                                     BytesWarning, ResourceWarning)}
_EXCEPTIONS = {}


def make_proxy(call, name):
    """A function named ``name`` that runs the student's function through ``call(payload) -> reply dict``."""

    def proxy(*args, **kwargs):
        err = {k: (v if v in _ERRSTATE else "warn") for k, v in np.geterr().items()}
        reply = call(wire.dumps(((args, kwargs), err)))
        for category, message in reply.get("warnings", [])[:20]:
            warnings.warn(str(message)[:500], _WARNINGS.get(category, UserWarning), stacklevel=2)
        if "value" in reply:
            try:
                return wire.decode(reply["value"])
            except wire.WireError as exc:
                raise ReplyUnreadable(f"its return value could not be read ({exc})") from None
        if "raised" in reply:
            raise student_exception(reply["raised"])
        if "too_large" in reply:
            raise student_exception({"type": "ValueTooLarge", "message": f"the return value takes "
                                     f"{reply['too_large'] / 1e6:.0f} MB to send; the checker's inputs are small"})
        if reply.get("missing"):
            raise student_exception({"type": "NameError", "message": f"name '{name}' is not defined"})
        raise ReplyUnreadable("the kernel's reply has none of the expected fields")

    proxy.__name__ = proxy.__qualname__ = name
    return proxy


def student_exception(info):
    """An exception like the one the student's function raised: same class name, message and line."""
    if not isinstance(info, dict):
        raise ReplyUnreadable("the description of an exception is not a dict")
    message = str(info.get("message", ""))[:2000]
    if info.get("not_implemented") is True:
        exc = NotImplementedError(message)
    else:
        name = re.sub(r"\W", "_", str(info.get("type", "Exception")))[:80] or "Exception"
        if name[0].isdigit():
            name = "_" + name
        if name not in _EXCEPTIONS:  # a plain Exception subclass of that name: never the real SystemExit
            _EXCEPTIONS[name] = type(name, (Exception,), {"__str__": lambda self: self.args[0] if self.args else ""})
        exc = _EXCEPTIONS[name](message)
    lineno = info.get("lineno")
    exc.student_lineno = lineno if type(lineno) is int else None
    line = info.get("line")
    exc.student_line = line[:300] if isinstance(line, str) else None
    return exc
