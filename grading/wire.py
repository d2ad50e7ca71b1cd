"""A safe encoding for the values a checker and a student's function exchange.

The grader ships a checker's arguments to the student's kernel and the function's return value back. Nothing that
comes back is ever unpickled (a pickle runs code): values travel as JSON, arrays and tensors as their raw bytes with
a dtype and a shape. Decoding accepts only what the checker contract allows (numbers, bools, strings, None, NumPy
arrays and scalars of plain numeric dtypes, CPU torch tensors, and tuples, lists and dicts of those) and checks
every size, so a hostile reply can raise `WireError` but cannot run code or allocate more than it sent.

This module is self-contained (NumPy, and torch only when a tensor is met): the grader also sends its source to
the student's kernel, which uses the same `encode` and `decode`.
"""

import base64
import json
import re
import sys

import numpy as np

MAX_DEPTH = 32
_DTYPE = re.compile(r"^[<>|=]?[biufc][1-9][0-9]?$")
_TORCH_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
                 "complex64", "complex128")
_NAME = re.compile(r"[^A-Za-z0-9_]")


class WireError(ValueError):
    """A value that cannot be encoded, or an encoding that is not one `encode` makes."""


def dumps(value):
    """JSON text for ``value`` (see `encode`)."""
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text):
    """The value `dumps` encoded as ``text``; raises `WireError` on anything else."""
    try:
        return decode(json.loads(text))
    except WireError:
        raise
    except (ValueError, TypeError, RecursionError) as exc:
        raise WireError(f"unreadable value: {type(exc).__name__}: {str(exc)[:200]}") from None


def encode(value, depth=0):
    """A JSON-ready tree for ``value``; a type outside the contract becomes an 'unsupported' leaf naming it."""
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return _array("ndarray", value)
    if isinstance(value, np.generic) and np.asarray(value).dtype.kind in "biufc":
        return _array("npscalar", np.asarray(value))
    if _is_tensor(value):
        return _tensor(value)
    if type(value) in (tuple, list):
        return {"$": type(value).__name__, "items": [encode(v, depth + 1) for v in value]}
    if type(value) is dict:
        return {"$": "dict", "items": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    return {"$": "unsupported", "type": type(value).__name__}


def _array(tag, a):
    a = a if a.flags.c_contiguous else a.copy(order="C")
    return {"$": tag, "dtype": a.dtype.str, "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}


def _is_tensor(value):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _tensor(t):
    name = str(t.dtype).removeprefix("torch.")
    if name not in _TORCH_DTYPES:
        return {"$": "unsupported", "type": f"tensor of {name}"}
    t = t.detach().cpu()
    a = (t.float() if name == "bfloat16" else t).contiguous().numpy()
    enc = _array("tensor", a)
    enc["torch_dtype"] = name
    return enc


def decode(tree, depth=0):
    """The value ``tree`` (from `encode`) stands for; raises `WireError` for anything `encode` does not make."""
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH} levels")
    if tree is None or isinstance(tree, (bool, str, int, float)):
        return tree
    if not isinstance(tree, dict) or not isinstance(tree.get("$"), str):
        raise WireError(f"unexpected {type(tree).__name__} in an encoded value")
    tag = tree["$"]
    if tag in ("tuple", "list"):
        items = _field(tree, "items", list)
        out = [decode(v, depth + 1) for v in items]
        return tuple(out) if tag == "tuple" else out
    if tag == "dict":
        pairs = _field(tree, "items", list)
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise WireError("a dict's items must be [key, value] pairs")
        out = {}
        for k, v in pairs:
            key = decode(k, depth + 1)
            try:
                out[key] = decode(v, depth + 1)
            except TypeError:
                raise WireError(f"unhashable dict key of type {type(key).__name__}") from None
        return out
    if tag in ("ndarray", "npscalar", "tensor"):
        return _decode_array(tree, tag)
    if tag == "unsupported":
        return unsupported(_field(tree, "type", str))
    raise WireError(f"unknown tag {tag!r}")


def _field(tree, key, kind):
    value = tree.get(key)
    if not isinstance(value, kind):
        raise WireError(f"field {key!r} of a {tree.get('$')!r} must be a {kind.__name__}")
    return value


def _decode_array(tree, tag):
    dtype_str = _field(tree, "dtype", str)
    if not _DTYPE.match(dtype_str):
        raise WireError(f"dtype {dtype_str[:40]!r} is not a plain numeric dtype")
    dtype = np.dtype(dtype_str)
    shape = _field(tree, "shape", list)
    if len(shape) > MAX_DEPTH or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("shape must be a short list of non-negative integers")
    if tag == "npscalar" and shape:
        raise WireError("a NumPy scalar has shape ()")
    try:
        data = base64.b64decode(_field(tree, "data", str), validate=True)
    except ValueError:
        raise WireError("array data is not base64") from None
    count = 1
    for n in shape:
        count *= n
    if count * dtype.itemsize != len(data):
        raise WireError(f"array data has {len(data)} bytes, shape {tuple(shape)} of {dtype} needs "
                        f"{count * dtype.itemsize}")
    a = np.frombuffer(data, dtype=dtype).reshape(tuple(shape)).copy()
    if tag == "npscalar":
        return a[()]
    if tag == "tensor":
        return _to_tensor(a, _field(tree, "torch_dtype", str))
    return a


def _to_tensor(a, name):
    if name not in _TORCH_DTYPES:
        raise WireError(f"unknown torch dtype {name[:40]!r}")
    import torch

    return torch.from_numpy(a).to(getattr(torch, name))


_PLACEHOLDERS = {}


def unsupported(type_name):
    """A stand-in for a value of a type the contract excludes: an instance of an empty class of that name."""
    name = _NAME.sub("_", type_name)[:60] or "object"
    if name[0].isdigit():
        name = "_" + name
    if name not in _PLACEHOLDERS:
        _PLACEHOLDERS[name] = type(name, (), {"__repr__": lambda self: f"<a {type(self).__name__}>"})
    return _PLACEHOLDERS[name]()
