"""Grade one submission: run it cell by cell in a sandboxed kernel, check each step with the trusted checker.

The submission runs in a fresh kernel in a scratch copy of the course. Its checker cells are not run there: right
after the cell that held ``helpers.exercises.check_x(f)``, the grader calls ``check_x`` itself, in this process,
on a proxy of the student's ``f`` (see `grading.proxy`). So the verdict comes from the instructor's checkers and
nothing the notebook does to its own copy of ``helpers`` (or to ``Result``) changes it.

Every wait is bounded: a cell by ``cell_timeout``, a call of the student's function by ``call_timeout``, the whole
notebook by ``timeout``. A kernel that hangs is interrupted, then restarted; a kernel that dies is restarted; after
a restart the cells that had run are run again (so later steps can still be graded) and the grade says why.
"""

import ast
import json
import os
import time
import warnings
from dataclasses import dataclass

from . import kernel_side, notebook, wire
from .kernel import MAX_MESSAGE, Kernel, KernelStartError
from .proxy import CallTimedOut, GradingAbort, KernelDied, OutOfTime, ReplyUnreadable, make_proxy
from .scratch import Scratch, kernel_env

COURSE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILE_LIMIT = 1 << 30  # bytes: the largest file the kernel may write
REPLY_LIMIT = 8 << 20  # characters of one encoded reply
MAX_NOTES = 20


@dataclass(frozen=True)
class Config:
    """How submissions run. Times in seconds; ``memory_gb`` 0 means no limit."""

    cell_timeout: float = 120.0
    timeout: float = 600.0
    call_timeout: float = 10.0
    memory_gb: float = 4.0
    device: str = "cpu"
    threads: int = 1  # BLAS/OpenMP threads per kernel
    course_root: str = COURSE_ROOT
    max_restarts: int = 3
    interrupt_grace: float = 5.0  # seconds an interrupted kernel gets to come back before it is restarted
    scratch_parent: str = None  # where the scratch copies go (default: the system's temporary folder)


def _kernel_program():
    parts = []
    for module in (wire, kernel_side):
        with open(module.__file__, encoding="utf-8") as f:
            parts.append("".join(line for line in f if not line.startswith("from grading.")))
    return "\n".join(parts)


_PROGRAM = _kernel_program()
_CALL = ("exec(compile({program!r}, '<grader>', 'exec'), __grader_ns__ := {{'__name__': '__grader__'}})\n"
         "__grader_reply__ = __grader_ns__['call'](globals(), {name!r}, {payload!r}, {helpers!r}, {limit})")


class Run:
    """One submission's kernel, its time budget and what happened (``notes``, ``events``)."""

    def __init__(self, kernel, config, helpers_dir):
        self.kernel, self.config, self.helpers_dir = kernel, config, helpers_dir
        self.deadline = time.monotonic() + config.timeout
        self.executed = []  # sources that ran to the end (ok or error): re-run after a restart
        self.notes, self.events = [], set()  # events: 'timeout', 'crashed', 'out of time', 'broken'
        self.restarts = 0

    @property
    def stopped(self):
        return bool(self.events & {"out of time", "broken"})

    def left(self):
        return self.deadline - time.monotonic()

    def note(self, text):
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)
        elif len(self.notes) == MAX_NOTES:
            self.notes.append("(more notes left out)")

    def _out_of_time(self):
        if "out of time" not in self.events:
            self.events.add("out of time")
            self.note(f"the notebook's time limit ({self.config.timeout:g} s) was reached; what was left is not graded")

    # ---------------------------------------------------------------- cells

    def cell(self, number, source):
        """Run one cell of the submission; record errors, timeouts and deaths."""
        if self.stopped or not source.strip():
            return
        if self.left() <= 0:
            return self._out_of_time()
        limit = min(self.config.cell_timeout, self.left())
        reply = self.kernel.execute(source, limit)
        if reply.dropped:
            self.note(f"cell {number}: output over {MAX_MESSAGE >> 20} MB was dropped unread")
        if reply.status in ("ok", "error"):
            self.executed.append(source)
            if reply.status == "error":
                self.note(f"cell {number} raised {reply.ename}" + (f": {_first_line(reply.evalue)}" if
                                                                   _first_line(reply.evalue) else ""))
        elif reply.status == "timeout":
            if limit < self.config.cell_timeout:
                self.kernel.interrupt()
                return self._out_of_time()
            self.events.add("timeout")
            self.note(f"cell {number} was stopped after {self.config.cell_timeout:g} s (the cell time limit)")
            self._recover()
        else:
            self._died(f"in cell {number}")

    def _died(self, where):
        self.events.add("crashed")
        self.note(f"the kernel died {where} ({self.kernel.death() or 'no reason given'})")
        self._restart("it died")

    def _recover(self):
        """After a timeout: interrupt; if the kernel does not come back, restart it."""
        self.kernel.interrupt()
        if self.kernel.alive and self.kernel.wait_idle(min(self.config.interrupt_grace, max(self.left(), 1.0))):
            return
        self._restart("it did not stop when interrupted")

    def _restart(self, why):
        if self.left() <= 0:
            return self._out_of_time()
        if self.restarts >= self.config.max_restarts:
            self.events.add("broken")
            return self.note(f"the kernel was not restarted again ({self.restarts} restarts); "
                             "what was left is not graded")
        self.restarts += 1
        self.note(f"the kernel was restarted ({why}); the cells that had run ({len(self.executed)}) were run again")
        try:
            self.kernel.restart()
        except KernelStartError as exc:
            self.events.add("broken")
            return self.note(str(exc))
        for source in self.executed:
            reply = self.kernel.execute(source, min(self.config.cell_timeout, max(self.left(), 0.1)))
            if reply.status not in ("ok", "error"):
                self.events.add("broken")
                return self.note("running the earlier cells again failed; what was left is not graded")

    # ---------------------------------------------------------------- calls

    def call(self, name, payload):
        """The kernel's reply (a dict) for one call of ``name`` (``payload`` None: only look it up)."""
        if "broken" in self.events:
            raise KernelDied("not graded: the kernel could not be restarted")
        if self.left() <= 0:
            self._out_of_time()
        if "out of time" in self.events:
            raise OutOfTime("not graded: the notebook's time limit was reached")
        code = _CALL.format(program=_PROGRAM, name=name, payload=payload, helpers=self.helpers_dir, limit=REPLY_LIMIT)
        limit = min(self.config.call_timeout, self.left())
        reply = self.kernel.execute(code, limit, silent=True, user_expressions={"r": "__grader_reply__"})
        if reply.status == "timeout":
            if limit < self.config.call_timeout:
                self.kernel.interrupt()
                self._out_of_time()
                raise OutOfTime("not graded: the notebook's time limit was reached")
            self.events.add("timeout")
            self.note(f"a call of {name} was stopped after {self.config.call_timeout:g} s (the call time limit)")
            self._recover()
            raise CallTimedOut(f"a call did not return within {self.config.call_timeout:g} s (an infinite loop, "
                               "or far too slow)")
        if reply.status == "died":
            death = self.kernel.death()
            self._died(f"while {name} was being checked")
            raise KernelDied(f"calling it ended the kernel ({death})")
        if reply.status == "error" or reply.dropped:
            raise ReplyUnreadable(f"{reply.ename or 'reply too large'}: {_first_line(reply.evalue)}")
        return _read_reply(reply.user_expressions.get("r"))

    # ---------------------------------------------------------------- steps

    def check(self, step, checker, final):
        """The step's result dict, or None when its function is not defined yet (and ``final`` is False)."""
        try:
            probe = self.call(step.function, None)
            if probe.get("missing"):
                if not final:
                    return None
                return step_result(step, False, f"✘ {step.function} is not defined when the notebook ends: was it "
                                   "renamed, deleted, or did its cell fail? (see the notes)", "not defined")
            if probe.get("callable") is True:
                fn = make_proxy(lambda payload: self.call(step.function, payload),
                                str(probe.get("name") or step.function)[:100])
            elif isinstance(probe.get("not_callable"), str):
                fn = _stand_in(probe["not_callable"])
            else:
                raise ReplyUnreadable("the kernel's answer to a look-up is not one the grader sends")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # those the checker records, it records in its own context
                result = checker(fn)
            return step_result(step, bool(result.passed), str(result.message), str(result.hint))
        except GradingAbort as abort:
            return step_result(step, False, f"✘ {step.function}: {abort}; this step gets 0.", abort.status,
                               outcome=abort.status)


_PLAIN = {"int": 0, "float": 0.0, "bool": False, "str": "", "NoneType": None, "list": [], "tuple": (), "dict": {}}


def _stand_in(type_name):
    """What the checker gets where the student's name holds no function: a value of that type when it is a plain
    one (so the checker's message reads as in the notebook), else a placeholder of that name."""
    return _PLAIN[type_name] if type_name in _PLAIN else wire.unsupported(type_name)


def step_result(step, passed, message, hint, outcome="checked"):
    return {"function": step.function, "checker": step.checker, "title": step.title or step.function,
            "points": float(step.points), "score": float(step.points) if passed else 0.0, "passed": passed,
            "message": message, "hint": hint, "outcome": outcome}


def _read_reply(expr):
    """The dict the kernel sent: a Python string literal holding JSON, read without evaluating anything."""
    if not isinstance(expr, dict) or expr.get("status") != "ok":
        raise ReplyUnreadable("the kernel sent no reply")
    text = expr.get("data", {}).get("text/plain", "")
    if not isinstance(text, str) or len(text) > 2 * REPLY_LIMIT:
        raise ReplyUnreadable("the reply is too large")
    try:
        value = ast.literal_eval(text)
        reply = json.loads(value) if isinstance(value, str) else None
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        reply = None
    if not isinstance(reply, dict):
        raise ReplyUnreadable("the reply is not one the grader's kernel code sends")
    return reply


def _first_line(text):
    lines = str(text).strip().splitlines()
    return (lines[0][:300] if lines else "").strip()


def grade_notebook(nb, assignment, run, checkers):
    """Run the notebook's cells; check each step after its checker cell (or at the end)."""
    steps = assignment.steps
    results = [None] * len(steps)
    for number, source, checked in notebook.plan(nb, steps):
        run.cell(number, source)
        for k in checked:
            results[k] = run.check(steps[k], checkers[k], final=False)
    for k, step in enumerate(steps):
        if results[k] is None:
            results[k] = run.check(step, checkers[k], final=True)
    return results


def status_of(events):
    if "out of time" in events:
        return "timeout"
    if "crashed" in events:
        return "crashed"
    return "timeout" if "timeout" in events else "ok"


def grade_submission(submission, config, registry, checker_module):
    """The result dict of one submission (see `grading.report` for what it holds); never raises."""
    start = time.monotonic()
    out = {"path": submission.display, "key": submission.key, "notebook": "", "title": "", "identified_by": "",
           "status": "", "total": 0.0, "max": None, "steps": [], "questions": [], "notes": [], "seconds": 0.0}
    try:
        _grade_into(out, submission, config, registry, checker_module)
    except Exception as exc:  # a bug in the grader: reported in the row, the other submissions still graded
        out.update(status="crashed", notes=out["notes"] + [f"internal grader error (please report): "
                                                           f"{type(exc).__name__}: {exc}"])
    out["seconds"] = round(time.monotonic() - start, 2)
    return out


def _grade_into(out, submission, config, registry, checker_module):
    try:
        data = submission.read(notebook.MAX_BYTES + 1)
        nb = notebook.parse(data)
    except notebook.NotANotebook as exc:
        return out.update(status="not a notebook", notes=[str(exc)])
    assignment, how = notebook.identify(nb, registry)
    out["title"] = notebook.title(nb)
    if assignment is None:
        return out.update(status="unknown assignment", notes=[f"it matches none of the course's notebooks ({how})"])
    out.update(notebook=assignment.notebook, identified_by=how, max=float(sum(s.points for s in assignment.steps)))
    answers = notebook.answers(nb, assignment.questions)
    out["questions"] = [{"key": q.key, "prompt": q.prompt, "points": float(q.points), "answer": answers[q.key]}
                        for q in assignment.questions]
    checkers = [getattr(checker_module, step.checker) for step in assignment.steps]
    with Scratch(config.course_root, assignment.notebook, data, config.scratch_parent) as scratch:
        kernel = Kernel(scratch.cwd, kernel_env(scratch, config.device, config.threads), scratch.private,
                        memory_bytes=int(config.memory_gb * (1 << 30)), file_bytes=FILE_LIMIT)
        run = Run(kernel, config, scratch.helpers_dir)
        try:
            kernel.start()
            out["steps"] = grade_notebook(nb, assignment, run, checkers)
        except KernelStartError as exc:
            run.events.add("crashed")
            run.note(str(exc))
            out["steps"] = [step_result(s, False, f"✘ {s.function}: not graded: {exc}", "crashed", "crashed")
                            for s in assignment.steps]
        finally:
            kernel.shutdown()
    suspicious = notebook.suspicious_lines(notebook.plan(nb, assignment.steps))
    run.notes += [f"cell {n} reaches into helpers.exercises (`{line}`): the grader ignores it; worth a look"
                  for n, line in suspicious[:5]]
    out.update(status=status_of(run.events), notes=run.notes, total=float(sum(s["score"] for s in out["steps"])))
