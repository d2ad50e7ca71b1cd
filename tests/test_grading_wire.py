"""The grader's wire codec and the kernel-side call, in this process (no kernel): values survive the trip
exactly, hostile encodings are refused without running or allocating anything, and the proxy reproduces what
the student's function raised or warned."""

import base64
import json
import linecache
import warnings

import numpy as np
import pytest
import torch

from grading import proxy, runner, wire
from helpers.exercises._core import _student_line


def roundtrip(value):
    return wire.loads(wire.dumps(value))


def same(a, b):
    if torch.is_tensor(a):
        return torch.is_tensor(b) and a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and np.isnan(a):
        return isinstance(b, float) and np.isnan(b)
    return type(a) is type(b) and a == b


RNG = np.random.default_rng(0)
VALUES = [
    None, True, 0, -7, 2 ** 70, 1.5, float("inf"), float("nan"), "text ✔", "",
    RNG.normal(size=(3, 4)), RNG.normal(size=(2, 3)).T, np.arange(5, dtype=np.int32), np.zeros((0, 3)),
    np.array([True, False]), np.array(2.5), np.float32(1.25), np.int64(-3), np.bool_(True),
    (1 + 2j) * np.ones(2, dtype=np.complex64), np.array([1.0, np.nan, -np.inf]),
    torch.arange(6, dtype=torch.float64).reshape(2, 3), torch.ones(3, dtype=torch.float32), torch.tensor(3),
    torch.tensor([True, False]), torch.zeros(2, dtype=torch.bfloat16),
    (RNG.normal(size=3), 2.0), [1, (2, [3.5])], {"w": np.ones(2), 3: "x", (1, 2): None},
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_allowed_values_survive_the_trip_exactly(value):
    back = roundtrip(value)
    assert same(value, back), (value, back)
    assert type(back) is type(value) or (isinstance(value, np.generic) and type(back) is type(value))


def test_a_tensor_that_needs_grad_or_lives_elsewhere_arrives_as_a_plain_cpu_tensor():
    t = torch.ones(3, requires_grad=True) * 2
    back = roundtrip(t)
    assert back.device.type == "cpu" and not back.requires_grad and torch.equal(back, t.detach())


@pytest.mark.parametrize("value, name", [(lambda x: x, "function"), (iter([1]), "list_iterator"),
                                         (np.array([object()]), "ndarray"), (1 + 2j, "complex"),
                                         ({1, 2}, "set"), (range(3), "range")])
def test_other_types_become_a_placeholder_named_after_them(value, name):
    back = roundtrip(value)
    assert type(back).__name__ == name and not callable(back)
    assert not isinstance(back, (np.ndarray, list, tuple))


def _array(**overrides):
    tree = {"$": "ndarray", "dtype": "<f8", "shape": [2], "data": base64.b64encode(np.ones(2).tobytes()).decode()}
    tree.update(overrides)
    return tree


@pytest.mark.parametrize("tree, why", [
    (_array(dtype="|O"), "plain numeric"),
    (_array(dtype="[('a', '<f8')]"), "plain numeric"),
    (_array(dtype="<U3"), "plain numeric"),
    (_array(shape=[10 ** 12]), "needs"),  # a header claiming 8 TB: refused before any allocation
    (_array(shape=[3]), "needs"),
    (_array(shape=[-1]), "non-negative"),
    (_array(shape="2"), "must be a list"),
    (_array(data="not base64!"), "base64"),
    ({"$": "pickle", "data": "gASV"}, "unknown tag"),
    ({"$": "tensor", "dtype": "<f8", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode(),
      "torch_dtype": "quint8"}, "torch dtype"),
    ({"$": "npscalar", "dtype": "<f8", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode()}, "shape ()"),
    ({"$": "dict", "items": [[{"$": "list", "items": []}, 1]]}, "unhashable"),
    ({"$": "tuple"}, "must be a list"),
    ({"no": "tag"}, "unexpected"),
    ([1, 2], "unexpected"),
])
def test_hostile_encodings_are_refused(tree, why):
    with pytest.raises(wire.WireError, match=why):
        wire.decode(tree)


def test_deep_nesting_and_garbage_are_refused_not_crashed_on():
    deep = 1
    for _ in range(100):
        deep = {"$": "list", "items": [deep]}
    with pytest.raises(wire.WireError, match="deeper"):
        wire.decode(deep)
    for text in ["{", "[" * 100000, "1" * 5000, '{"$": "list", "items": [' * 3000, "NaN-ish"]:
        with pytest.raises(wire.WireError):
            wire.loads(text)
    nested = 1
    for _ in range(40):
        nested = [nested]
    with pytest.raises(wire.WireError, match="deeper"):
        wire.encode(nested)


# ---------------------------------------------------------------------------- the kernel side, run here


ERRSTATE = {"over": "warn", "divide": "warn", "invalid": "warn", "under": "ignore"}


def kernel_call(ns, name, *args, limit=runner.REPLY_LIMIT):
    """What the kernel replies to a proxied call (no args: a look-up), computed here with the same program."""
    program = {"__name__": "__grader__"}
    exec(compile(runner._PROGRAM, "<grader>", "exec"), program)
    payload = wire.dumps(((args, {}), ERRSTATE)) if args else None
    return json.loads(program["call"](ns, name, payload, "/nonexistent/helpers", limit))


def test_the_kernel_side_looks_up_calls_and_encodes():
    ns = {"f": lambda x, y: (2 * x, y), "n": 3}
    assert kernel_call(ns, "f") == {"callable": True, "name": "<lambda>"}
    assert kernel_call(ns, "n") == {"not_callable": "int"}
    assert kernel_call(ns, "g") == {"missing": True}
    reply = kernel_call(ns, "f", np.arange(3.0), "s")
    assert same(wire.decode(reply["value"]), (2 * np.arange(3.0), "s")) and reply["warnings"] == []


def test_the_kernel_side_reports_the_students_exception_with_its_line():
    source = "def f(x):\n    y = x + 1\n    return y[10]\n"
    ns = {}
    exec(compile(source, "/tmp/ipykernel_1/123.py", "exec"), ns)
    linecache.cache["/tmp/ipykernel_1/123.py"] = (len(source), None, source.splitlines(True), "123.py")
    raised = kernel_call(ns, "f", np.zeros(2))["raised"]
    assert raised["type"] == "IndexError" and raised["lineno"] == 3 and raised["line"] == "return y[10]"
    exc = proxy.student_exception(raised)
    assert type(exc).__name__ == "IndexError" and isinstance(exc, Exception) and "out of bounds" in str(exc)
    assert _student_line(exc) == (3, "return y[10]")  # the engine reports the kernel's line


def test_system_exit_and_not_implemented_are_reported_never_raised_here():
    def quits(x):
        raise SystemExit(3)

    def todo(x):
        raise NotImplementedError("exercise not done yet")

    exc = proxy.student_exception(kernel_call({"f": quits}, "f", 1.0)["raised"])
    assert type(exc).__name__ == "SystemExit" and isinstance(exc, Exception) and not isinstance(exc, SystemExit)
    exc = proxy.student_exception(kernel_call({"f": todo}, "f", 1.0)["raised"])
    assert isinstance(exc, NotImplementedError)


def test_warnings_come_back_and_are_emitted_again_in_the_checkers_context():
    ns = {"f": lambda z: np.log(1 + np.exp(z))}
    reply = kernel_call(ns, "f", np.array([1000.0]))
    assert reply["warnings"] and reply["warnings"][0][0] == "RuntimeWarning"
    fn = proxy.make_proxy(lambda payload: reply, "f")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(np.array([1000.0]))
    assert np.isinf(out).all() and caught and issubclass(caught[0].category, RuntimeWarning)


def test_a_reply_over_the_limit_is_refused_by_size():
    reply = kernel_call({"f": lambda x: np.zeros(100_000)}, "f", 0, limit=1000)
    assert reply == {"too_large": reply["too_large"]} and reply["too_large"] > 800_000


@pytest.mark.parametrize("text", [None, {"status": "error"}, {"status": "ok", "data": {"text/plain": "42"}},
                                  {"status": "ok", "data": {"text/plain": "__import__('os').system('x')"}},
                                  {"status": "ok", "data": {"text/plain": repr("[1, 2]")}},
                                  {"status": "ok", "data": {"text/plain": repr("not json")}}])
def test_unreadable_replies_abort_the_step_without_evaluating_anything(text):
    with pytest.raises(proxy.ReplyUnreadable):
        runner._read_reply(text)


def test_the_proxy_turns_an_unreadable_value_into_an_abort_not_a_verdict():
    fn = proxy.make_proxy(lambda payload: {"value": {"$": "ndarray", "dtype": "|O", "shape": [], "data": ""}}, "f")
    with pytest.raises(proxy.ReplyUnreadable):
        fn(1)
    assert not issubclass(proxy.ReplyUnreadable, Exception)  # passes through the checkers' `except Exception`
