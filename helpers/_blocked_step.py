"""The full-batch cost and gradient of least squares with X read from memory once per step.

The readable evaluation (`helpers.solvers._full_batch`) is two products over all of X,

    r = X w + b - t,      dJ/dw = X^T r / N,

so a step streams X from memory twice when X is larger than the CPU's caches.
This computes the same sums a block of rows at a time,

    r_blk = X_blk w + b - t_blk,      g = g + X_blk^T r_blk,

while X_blk is still in the cache from the first product: X comes from memory
once, and the second product reads it from the cache. J = r.r / 2N and
dJ/db = mean(r) are taken from the residuals at the end (a vector N long, a
1 / D of X). The numbers are the same sums added in another order (equal up to
rounding). Only for X on the CPU: a GPU runs the two products as two kernels.

Each block is first read by a plain reduction (np.add.reduce), which streams from
memory faster than a BLAS matrix-vector product does (measured on a 2-core EPYC: less
time per step); both products then read the block from the cache.

Block size, by a rule: a block takes half of one core's L2 cache (the rest
holds w, the block's residuals and what else the core touches). Read from the
operating system (Linux), else 1 MiB.
"""

import functools
import glob

import numpy as np
import torch

from . import backend

__all__ = ["BlockedFullBatch", "block_rows", "l2_cache_bytes", "use_blocked"]

#: L2 size assumed where the operating system does not say (a typical size per core today).
DEFAULT_L2 = 1 << 20


@functools.cache
def l2_cache_bytes():
    """The L2 cache of one core in bytes (Linux's sysfs), else `DEFAULT_L2`."""
    for index in sorted(glob.glob("/sys/devices/system/cpu/cpu0/cache/index*")):
        try:
            with open(f"{index}/level") as fh:
                level = fh.read().strip()
            with open(f"{index}/size") as fh:
                size = fh.read().strip()
        except OSError:
            continue
        if level == "2" and size:
            scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(size[-1].upper(), 1)
            try:
                return int(size.rstrip("KMGkmg")) * scale
            except ValueError:
                break
    return DEFAULT_L2


def block_rows(D, itemsize):
    """Rows per block: as many rows of D values of ``itemsize`` bytes as fill half of one core's L2 (>= 1)."""
    return max(1, l2_cache_bytes() // 2 // (D * itemsize))


def _itemsize(X):
    return X.element_size() if backend.is_tensor(X) else X.itemsize


def use_blocked(X):
    """Whether the blocked evaluation applies: X on the CPU, and more than one block of rows."""
    if backend.is_tensor(X) and X.device.type != "cpu":
        return False
    return X.shape[0] > block_rows(X.shape[1], _itemsize(X))


class BlockedFullBatch:
    """J(w, b) and its gradient on all N examples, one block of rows at a time (X read from memory once).

    Called as ``(w, b, need_grad=True) -> (J, (dJ/dw, dJ/db) or None)``, the signature of
    `helpers.solvers._full_batch`, with buffers for the residuals and the blocks' partial
    gradients allocated once per fit. A CPU tensor is computed through a NumPy view of its
    memory (no copy; NumPy's BLAS is the faster one for these matrix-vector products), and
    the results are tensors again.

    Parameters
    ----------
    X : (N, D) NumPy array or CPU tensor
    t : (N,) same kind and dtype
    rows : int, optional
        Rows per block (default: `block_rows`, half of one core's L2 cache).
    """

    def __init__(self, X, t, rows=None):
        self.tensor = backend.is_tensor(X)
        self.X, self.t = backend.to_numpy(X), backend.to_numpy(t)  # views of a CPU tensor's memory
        N, D = X.shape
        self.rows = block_rows(D, self.X.itemsize) if rows is None else int(rows)
        self.r, self.c = np.empty(N, dtype=self.X.dtype), np.empty(N, dtype=self.X.dtype)
        self.G = np.empty((-(-N // self.rows), D), dtype=self.X.dtype)

    def __call__(self, w, b, need_grad=True):
        X, r, c, N = self.X, self.r, self.c, self.X.shape[0]
        w, b = backend.to_numpy(w), backend.to_numpy(b)
        if not need_grad:  # the cost alone reads X once anyway
            r = X @ w + b - self.t
            return self._out((r @ r) / (2 * N)), None
        np.subtract(self.t, b, out=c)  # c = t - b, so that each block's residual is X_blk w - c_blk
        for k, i in enumerate(range(0, N, self.rows)):  # a loop over blocks of rows, not over examples
            Xb, rb = X[i:i + self.rows], r[i:i + self.rows]
            np.add.reduce(Xb, axis=None)  # brings the block into the cache at streaming speed (see above)
            np.matmul(Xb, w, out=rb)  # the block's residuals r_blk = X_blk w + b - t_blk ...
            np.subtract(rb, c[i:i + self.rows], out=rb)
            np.matmul(rb, Xb, out=self.G[k])  # ... and X_blk^T r_blk, while X_blk is in the cache
        J = (r @ r) / (2 * N)
        return self._out(J), (self._out(self.G.sum(0) / N), self._out(r.sum() / N))

    def _out(self, a):
        """A result of the caller's kind: a tensor for tensor input (the arrays here are fresh, never a buffer)."""
        return torch.from_numpy(np.asarray(a)) if self.tensor else a
