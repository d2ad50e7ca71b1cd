"""The figures of issue #8, each against a peer measured in the same run."""

import glob
import os
import shutil
import tempfile
import time
import warnings

import numpy as np
import torch

from helpers import Timing, gradients, solvers

from .harness import Figure, measure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def solve_direct_figures(quick):
    """solve_direct vs scikit-learn's LinearRegression and numpy.linalg.lstsq, float64."""
    from sklearn.linear_model import LinearRegression

    N = 2_000 if quick else 100_000
    figures, notes = [], []
    rng = np.random.default_rng(0)
    for D in ([10, 50] if quick else [10, 100, 500]):
        X = rng.normal(size=(N, D))
        t = X @ rng.normal(size=D) + 0.5 + 0.1 * rng.normal(size=N)
        ours = measure(solvers.solve_direct, X, t, repeat=5)
        sk = measure(lambda: LinearRegression().fit(X, t), repeat=5)
        X1 = np.column_stack([X, np.ones(N)])
        lst = measure(lambda: np.linalg.lstsq(X1, t, rcond=None), repeat=5)
        w, b = solvers.solve_direct(X, t)
        ref = LinearRegression().fit(X, t)
        err = max(np.max(np.abs(w - ref.coef_)) / np.abs(ref.coef_).max(),
                  abs(b - ref.intercept_) / abs(ref.intercept_))
        target = 0.25 if D == 100 else None
        figures.append(Figure(f"solve_direct N={N:,} D={D}", ours, sk, "sklearn LinearRegression", target,
                              note=f"max relative coefficient difference {err:.1e}"))
        figures.append(Figure(f"solve_direct N={N:,} D={D}", ours, lst, "numpy.linalg.lstsq"))
        notes.append(f"solve_direct N={N:,} D={D}: coefficients agree with scikit-learn to {err:.1e} (relative).")
        if err > 1e-8:
            notes.append(f"  !! solve_direct D={D} differs from scikit-learn by {err:.1e} > 1e-8")
    return figures, notes


def gd_step_figures(quick):
    """One full-batch GD step (y = Xw + b, gradient, update) vs reading X twice."""
    N, D = (20_000, 100) if quick else (1_000_000, 100)
    figures, notes = [], []
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        X = rng.normal(size=(N, D)).astype(dtype)
        t = rng.normal(size=N).astype(dtype)
        w, b = np.zeros(D, dtype), dtype(0)

        def step():
            dw, db = gradients(X, t, w, b)
            return w - 0.1 * dw, b - 0.1 * db

        floor = measure(lambda: (np.add.reduce(X, axis=None), np.add.reduce(X, axis=None)), repeat=7)
        ours = measure(step, repeat=7)
        figures.append(Figure(f"GD step (helpers.gradients) N={N:,} D={D} {np.dtype(dtype).name}", ours, floor,
                              "reading X twice (np.add.reduce)", 1.3))
    return figures, notes


def notebook_figures(quick):
    """Each notebook executed headlessly from a fresh kernel (as CI does), and all together."""
    from scripts.execute_notebooks import execute

    paths = sorted(glob.glob(os.path.join(ROOT, "notebooks", "[0-9]*.ipynb")))
    if quick:
        paths = paths[:1]
    figures, total = [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            # a copy in a sibling folder layout, so the notebook's setup cell finds the repository
            copy = os.path.join(ROOT, "notebooks", f".bench_{os.path.basename(path)}")
            shutil.copy(path, copy)
            try:
                seconds = execute(copy)
            finally:
                os.remove(copy)
            total += seconds
            figures.append(Figure(f"execute {os.path.basename(path)}", Timing([seconds]), target_kind="seconds"))
        del tmp
    figures.append(Figure(f"execute all {len(paths)} notebooks", Timing([total]), target=60.0, target_kind="seconds"))
    return figures, []


def blas_interference_figures(quick):
    """Does NumPy's OpenBLAS thread pool slow a torch call right after it? (seen on 2-core machines)"""
    n = 300 if quick else 1500
    A = np.random.default_rng(0).normal(size=(n, n))
    At = torch.from_numpy(A.copy())

    def torch_alone():
        return At @ At

    def torch_after_numpy():
        A @ A  # OpenBLAS threads keep spinning for a while after this returns
        return At @ At

    def numpy_only():
        return A @ A

    alone = measure(torch_alone, repeat=7)
    both = measure(torch_after_numpy, repeat=7)
    np_only = measure(numpy_only, repeat=7)
    slowdown = (float(both) - float(np_only)) / float(alone)
    note = (f"torch {n}x{n} matmul alone {alone * 1e3:.2f} ms; right after a NumPy matmul it costs "
            f"{(float(both) - float(np_only)) * 1e3:.2f} ms ({slowdown:.2f}x).")
    return [Figure(f"torch matmul {n}² right after NumPy's (interference)", Timing([float(both) - float(np_only)]),
                   alone, "torch matmul alone")], [note]


SECTIONS = [solve_direct_figures, gd_step_figures, blas_interference_figures, notebook_figures]


def run(quick=False, sections=None):
    figures, notes = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        for section in sections or SECTIONS:
            start = time.perf_counter()
            f, n = section(quick)
            figures += f
            notes += n
            print(f"  {section.__name__}: {time.perf_counter() - start:.1f} s", flush=True)
    return figures, notes
