"""What runs in the student's kernel for each proxied call: look the function up, call it, encode the outcome.

The grader sends this module's source, after `grading.wire`'s, to the kernel with every call, so a notebook that
deletes or replaces it only breaks its own calls. Nothing here is trusted: the reply is decoded by
`grading.wire` (safe for any input) and judged by the checker in the grader's own process.

Reply (JSON): ``{"value": ...}``, ``{"raised": {type, message, lineno, line, not_implemented}}``,
``{"missing": true}``, ``{"not_callable": type name}``, or ``{"too_large": n bytes}``.
"""

import json
import linecache
import traceback
import warnings

import numpy as np

from grading.wire import WireError, decode, encode  # in the kernel: wire.py's source precedes this one instead

GRADER_FILENAME = "<grader>"
_MISSING = object()


def call(ns, name, payload, helpers_dir, limit):
    """Reply for ``ns[name](*args, **kwargs)``, the arguments encoded in ``payload`` (None: only look it up)."""
    fn = ns.get(name, _MISSING)
    if fn is _MISSING:
        return json.dumps({"missing": True})
    if not callable(fn):
        return json.dumps({"not_callable": type(fn).__name__})
    if payload is None:
        return json.dumps({"callable": True, "name": str(getattr(fn, "__name__", name))[:100]})
    (args, kwargs), errstate = decode(json.loads(payload))
    with warnings.catch_warnings(record=True) as caught, np.errstate(**errstate):
        warnings.simplefilter("always")
        try:
            value = fn(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # SystemExit included: the student's function must not end the kernel
            reply = {"raised": describe(exc, helpers_dir)}
        else:
            try:
                reply = {"value": encode(value)}
            except WireError as exc:
                reply = {"value": {"$": "unsupported", "type": f"value ({exc})"}}
    reply["warnings"] = [[w.category.__name__, str(w.message)[:500]] for w in caught[:20]]
    text = json.dumps(reply, separators=(",", ":"))
    return text if len(text) <= limit else json.dumps({"too_large": len(text)})


def describe(exc, helpers_dir):
    """Type, message and the student's line (innermost frame outside helpers/ and the grader) of ``exc``."""
    try:
        message = str(exc)[:2000]
    except Exception:
        message = "(its message could not be shown)"
    lineno, line = None, None
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename != GRADER_FILENAME and not f.filename.startswith(helpers_dir)]
    if frames:
        lineno = frames[-1].lineno
        line = (frames[-1].line or linecache.getline(frames[-1].filename, lineno)).strip()[:300] or None
    return {"type": type(exc).__name__[:80], "message": message, "lineno": lineno, "line": line,
            "not_implemented": isinstance(exc, NotImplementedError)}
