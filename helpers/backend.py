"""The array backend: the one module that knows NumPy from torch.

Every numerical helper is written once, against the array API standard:
``xp = namespace(X, t)`` is NumPy or torch (through array-api-compat, as
scikit-learn does), and the formulas read ``xp.exp``, ``xp.sum``, ``X @ w``
whatever came in. What this module decides, for the whole package:

* **dtypes**: float32 and float64 are kept; any other input (float16,
  bfloat16, integers, booleans) is computed in float64, as scikit-learn does
  (float32 on devices without float64, such as Apple's MPS). `float_dtype`.
* **devices**: a tensor is computed on its own device and results stay there;
  NumPy data is computed by NumPy. `compute_on` moves the work of a fit to
  the device its caller asks for, and brings the results back home.
* **autograd**: `detach` drops the graph of inputs to an algorithm (a solver,
  a fit), so that its results never hold one.

The few calls that truly differ between the two libraries (a Cholesky solve,
eigenvalues on MPS, synchronizing an accelerator, thread pools) live here too,
and nowhere else.
"""

import contextlib

import array_api_compat
import numpy as np
import torch

__all__ = [
    "as_float", "cholesky", "cholesky_solve", "compute_on", "current_accelerator", "detach", "device",
    "devices_of", "eigh", "eigvalsh", "float_dtype", "has_values", "is_floating", "is_tensor", "like",
    "max_argmax", "min_max", "namespace", "promote", "random_order", "scalar", "small_problem_threads", "synchronize",
    "to_numpy", "to_tensor",
]


def is_tensor(a):
    """True for a torch tensor (of any device), False for anything else."""
    return isinstance(a, torch.Tensor)


def namespace(*arrays):
    """The array-API namespace of the arrays (NumPy's or torch's); ``None`` entries are skipped."""
    return array_api_compat.array_namespace(*[a for a in arrays if a is not None])


def device(a):
    """Where ``a`` lives: its ``torch.device`` for a tensor, ``"cpu"`` for a NumPy array."""
    return array_api_compat.device(a)


def to_numpy(a):
    """``a`` as a NumPy array (a tensor is detached and copied to the host; NumPy is returned as is)."""
    if is_tensor(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def scalar(a):
    """A 0-d result as the rule promises it: a Python float for NumPy, a 0-d tensor (a copy) for torch."""
    return a.clone() if is_tensor(a) else float(a)


def detach(a):
    """``a`` without its autograd graph (tensors); NumPy arrays and numbers are returned unchanged."""
    return a.detach() if is_tensor(a) else a


# ----------------------------------------------------------------------------------------------------------------
# dtypes
# ----------------------------------------------------------------------------------------------------------------

def _has_float64(dev):
    return torch.device(dev).type != "mps"


def float_dtype(a):
    """The floating dtype ``a`` is computed in: its own if float32 or float64, else float64.

    float16, bfloat16, integers and booleans become float64, as in scikit-learn's
    ``check_array`` (float32 on a device without float64, such as MPS).
    """
    if is_tensor(a):
        if a.dtype in (torch.float32, torch.float64):
            return a.dtype
        return torch.float64 if _has_float64(a.device) else torch.float32
    return a.dtype if a.dtype in (np.float32, np.float64) else np.dtype(np.float64)


def as_float(a):
    """``a`` in its `float_dtype` (no copy when it already is)."""
    dtype = float_dtype(a)
    if a.dtype == dtype:
        return a
    return a.to(dtype) if is_tensor(a) else a.astype(dtype)


def is_floating(a):
    """Whether ``a`` holds floating-point numbers."""
    return a.is_floating_point() if is_tensor(a) else a.dtype.kind == "f"


def promote(arrays):
    """The arrays, floating tensors cast to their common dtype (float32 and float64 give float64).

    torch's matrix products need equal dtypes; NumPy promotes in every operation
    itself, so NumPy arrays are returned as they are (no copy of a float32 X).
    """
    floats = [a.dtype for a in arrays if is_tensor(a) and a.is_floating_point()]
    if len(set(floats)) < 2:
        return list(arrays)
    common = floats[0]
    for d in floats[1:]:
        common = torch.promote_types(common, d)
    return [a.to(common) if is_tensor(a) and a.is_floating_point() else a for a in arrays]


def has_values(a):
    """False for tensors on the ``meta`` device, which have a shape and dtype but hold no numbers."""
    return not (is_tensor(a) and a.is_meta)


def max_argmax(a, axis):
    """The largest entries along ``axis`` (keepdims) and their indices (the first, on ties).

    torch finds both in one pass (``torch.max(a, dim)``); its ``argmax`` along the first
    axis of a (K, N) matrix is ten times slower than that.
    """
    if is_tensor(a):
        values, indices = torch.max(a, dim=axis, keepdim=True)
        return values, indices.squeeze(axis)
    return a.max(axis=axis, keepdims=True), a.argmax(axis=axis)


def min_max(a):
    """The smallest and the largest entry of ``a`` (one pass over a tensor: ``torch.aminmax``)."""
    if is_tensor(a):
        return torch.aminmax(a.detach())
    return a.min(), a.max()


def like(a, X):
    """``a`` (a parameter: array, tensor or number) as the kind, device and floating dtype of ``X``.

    A model fitted on NumPy predicts tensors and vice versa: its weights follow the data.
    """
    if is_tensor(X):
        dtype = X.dtype if X.is_floating_point() else float_dtype(X)
        if is_tensor(a):
            return a.detach().to(device=X.device, dtype=dtype)
        return torch.as_tensor(np.asarray(a), device=X.device).to(dtype)
    dtype = X.dtype if X.dtype.kind == "f" else np.float64
    return np.asarray(to_numpy(a), dtype=dtype)


# ----------------------------------------------------------------------------------------------------------------
# devices
# ----------------------------------------------------------------------------------------------------------------

def to_tensor(a, dev, dtype=None):
    """A NumPy array or tensor as a tensor on device ``dev`` (float64 becomes float32 where the device
    lacks float64). NumPy data is shared with the tensor where it can be (no copy on the CPU)."""
    dev = torch.device(dev)
    if not is_tensor(a):
        a = torch.from_numpy(np.ascontiguousarray(a))
    if dtype is None and a.dtype == torch.float64 and not _has_float64(dev):
        dtype = torch.float32
    return a.to(device=dev, dtype=dtype)


def compute_on(dev, *arrays):
    """Where a fit computes: the arrays there, and ``home(result)``, which brings a result back.

    ``dev=None``: where the data is. NumPy data is computed by NumPy; a tensor on its own device.
    ``dev`` given: on that device, in torch (NumPy data is moved there once). The arrays are
    expected detached (``_checks.as_array(..., detach=True)``): a fit's results hold no graph.
    ``home`` returns a floating result to the caller's kind, device and dtype: NumPy for NumPy input
    (also when it was computed on a GPU), a tensor on the input's device otherwise.

    Parameters
    ----------
    dev : str, torch.device or None
    *arrays : NumPy arrays or tensors of one kind (already checked by ``_checks.same_kind``)

    Returns
    -------
    (list of arrays, home)
    """
    first = arrays[0]
    home_dtype = float_dtype(first)
    if not is_tensor(first):
        if dev is None or torch.device(dev).type == "cpu":
            return list(arrays), lambda a: a
        return [to_tensor(a, dev) for a in arrays], to_numpy
    home_device = first.device
    dev = home_device if dev is None else torch.device(dev)
    moved = [to_tensor(a, dev) for a in arrays]
    return moved, lambda a: a.to(device=home_device, dtype=home_dtype)


def devices_of(*objects, depth=2):
    """The devices other than the CPU that the tensors among ``objects`` live on, in order of appearance.

    Looks ``depth`` levels into lists, tuples and dicts (``fn(*args, **kwargs)``: ``args`` and
    ``kwargs`` themselves, then containers among them, such as ``fn([X, t])``).
    """
    found = []
    for obj in objects:
        if is_tensor(obj):
            found += [obj.device] if obj.device.type != "cpu" else []
        elif depth > 0 and isinstance(obj, (list, tuple, dict)):
            found += devices_of(*(obj.values() if isinstance(obj, dict) else obj), depth=depth - 1)
    return list(dict.fromkeys(found))  # each once, in order


def current_accelerator():
    """The accelerator torch would use by default (CUDA, MPS, XPU, ...), or None."""
    acc = getattr(torch, "accelerator", None)  # torch >= 2.6
    if acc is not None:
        return acc.current_accelerator() if acc.is_available() else None
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    return torch.device("mps") if mps is not None and mps.is_available() else None


def synchronize(dev):
    """Wait until all the work queued on device ``dev`` is done (accelerators run asynchronously).

    The CPU and ``meta`` (shapes without values) run synchronously: nothing to wait for.
    """
    dev = torch.device(dev)
    if dev.type in ("cpu", "meta"):
        return
    acc = getattr(torch, "accelerator", None)  # torch >= 2.6: any accelerator torch knows
    if acc is not None and hasattr(acc, "synchronize"):
        acc.synchronize(dev)
    else:
        getattr(torch, dev.type).synchronize()  # torch.cuda / torch.mps / torch.xpu


def random_order(n, like):
    """A random permutation of 0..n-1 as an index array of ``like``'s kind and device.

    Drawn from torch's global generator (``helpers.seed_everything`` seeds it) on the CPU,
    so NumPy data and tensors on any device get the same order.
    """
    order = torch.randperm(n)
    return order.to(like.device) if is_tensor(like) else order.numpy()


# ----------------------------------------------------------------------------------------------------------------
# Linear algebra where the libraries differ
# ----------------------------------------------------------------------------------------------------------------

def cholesky(A):
    """The lower Cholesky factor L of a symmetric matrix A, or None when A is not (numerically) positive definite."""
    if is_tensor(A):
        L, info = torch.linalg.cholesky_ex(A)
        return L if int(info) == 0 else None
    try:
        return np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        return None


def cholesky_solve(L, r):
    """Solve (L L^T) w = r for the vector w, given the Cholesky factor L."""
    if is_tensor(L):
        return torch.cholesky_solve(r[:, None], L)[:, 0]
    import scipy.linalg  # imported on first use: importing helpers stays light

    return scipy.linalg.cho_solve((L, True), r, check_finite=False)


def _on_host_for_mps(fn, A):
    """fn(A), computed on the CPU for MPS tensors (torch has no eigensolver on Apple's GPUs)."""
    if is_tensor(A) and A.device.type == "mps":
        out = fn(A.cpu())
        return tuple(o.to(A.device) for o in out) if isinstance(out, tuple) else out.to(A.device)
    return fn(A)


def eigvalsh(A):
    """Eigenvalues of a symmetric matrix, ascending."""
    return _on_host_for_mps(lambda M: namespace(M).linalg.eigvalsh(M), A)


def eigh(A):
    """(eigenvalues ascending, eigenvectors as columns) of a symmetric matrix."""
    return _on_host_for_mps(lambda M: tuple(namespace(M).linalg.eigh(M)), A)


# ----------------------------------------------------------------------------------------------------------------
# Threads
# ----------------------------------------------------------------------------------------------------------------

#: Below this many multiply-adds per matrix product, a CPU computation runs on one thread: on small
#: matrices more threads only add overhead, and they stall when other processes busy the cores.
SMALL_PROBLEM = 10_000_000

_blas = None  # threadpoolctl's controller of NumPy's BLAS, made on first use (listing the libraries is slow)


@contextlib.contextmanager
def small_problem_threads(a, work):
    """Run the block on one thread when ``a`` is on the CPU and ``work`` (multiply-adds) < `SMALL_PROBLEM`."""
    global _blas
    if work >= SMALL_PROBLEM or (is_tensor(a) and a.device.type != "cpu"):
        yield
        return
    if is_tensor(a):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)
        return
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    with _blas.limit(limits=1, user_api="blas"):
        yield
