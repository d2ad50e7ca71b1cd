"""The figures of issue #8, each against a peer measured in the same run."""

import contextlib
import glob
import io
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
    """One full-batch GD step inside `gradient_descent` vs reading X twice; and the Gram form vs the plain step."""
    N, D = (20_000, 100) if quick else (1_000_000, 100)
    figures, notes = [], []
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        X = rng.normal(size=(N, D)).astype(dtype)
        t = (X @ rng.normal(size=D).astype(dtype) + dtype(0.1) * rng.normal(size=N).astype(dtype)).astype(dtype)
        lr = 0.5 * solvers.critical_learning_rate(X)
        # gradient_descent's loop does one evaluation per step: r = X w + b - t and r^T X (X read twice).
        # Its fixed cost (input checks, the first evaluation, the result) cancels in the difference.
        S = 20
        one = measure(solvers.gradient_descent, X, t, lr, 1, repeat=5)
        many = measure(solvers.gradient_descent, X, t, lr, 1 + S, repeat=5)
        per_step = Timing(sorted(max((m - o) / S, 0.0) for m, o in zip(sorted(many.runs), sorted(one.runs))))
        floor = measure(lambda: (np.add.reduce(X, axis=None), np.add.reduce(X, axis=None)), repeat=7)
        if dtype == np.float32:
            notes.append("GD step: the floor is what issue #8 names, a plain NumPy reduction reading X twice; "
                         "np.add.reduce runs on one thread, while the step's two BLAS matrix-vector products use both "
                         "cores, so a ratio below 1 means the step reads X faster than that single-threaded floor.")
        figures.append(Figure(f"GD step (gradient_descent) N={N:,} D={D} {np.dtype(dtype).name}", per_step, floor,
                              "reading X twice (2 x np.add.reduce)", 1.3,
                              note=f"per step = (time of {1 + S} steps - time of 1 step) / {S}"))
    # The Gram form: 1,000 full-batch steps, O(D^2) each after an O(N D^2) start, vs the plain O(N D) step.
    N, D, steps = (20_000, 100, 100) if quick else (100_000, 100, 1_000)
    X = rng.normal(size=(N, D))
    t = X @ rng.normal(size=D) + 0.1 * rng.normal(size=N)
    lr = 0.5 * solvers.critical_learning_rate(X)
    plain = solvers.gradient_descent(X, t, lr, steps)
    gram = solvers.gradient_descent(X, t, lr, steps, precompute=True)
    diff = float(np.max(np.abs(plain.path - gram.path)) / np.max(np.abs(plain.path)))
    ours = measure(solvers.gradient_descent, X, t, lr, steps, precompute=True, repeat=3)
    peer = measure(solvers.gradient_descent, X, t, lr, steps, repeat=1 if not quick else 2, warmup=0)
    figures.append(Figure(f"{steps:,} GD steps, Gram form (precompute=True), N={N:,} D={D}", ours, peer,
                          f"{steps:,} plain steps", note=f"iterates agree to {diff:.1e} (relative)"))
    notes.append(f"Gram form: the {steps:,} iterates agree with the plain steps' to {diff:.1e} (target 1e-10)"
                 + ("" if diff <= 1e-10 else " -- MISSED"))
    return figures, notes


def slider_figures(quick):
    """One slider event (compute + redraw, headless) of cost_explorer and descent_explorer."""
    import matplotlib

    matplotlib.use("Agg")
    from helpers import widgets
    from helpers.data import load_penguins

    # The data notebook 02 gives them: standardized flipper length -> body mass (kg); synthetic data.
    P, _ = load_penguins(columns=["flipper_length_mm", "body_mass_g"])
    x_std = (P[:, 0] - P[:, 0].mean()) / P[:, 0].std()
    rng = np.random.default_rng(0)
    x_syn = rng.uniform(0, 3, size=100)
    with contextlib.redirect_stdout(io.StringIO()):  # outside a notebook, display() prints reprs
        cost = widgets.cost_explorer(x_std[:, None], P[:, 1] / 1000)
        descent = widgets.descent_explorer(x_syn[:, None], 2.0 * x_syn + 1.0 + 0.3 * rng.normal(size=100))
    values = iter(np.linspace(-1, 1, 10_000))

    def cost_event():
        return cost.update(w=float(cost.controls["w"].min + (next(values) + 1) / 2 * (cost.controls["w"].max
                                                                                          - cost.controls["w"].min)))

    def descent_event():
        c = descent.controls["steps"]
        return descent.update(steps=int(c.min + (c.max - c.min) * (next(values) + 1) / 2))

    r = 5 if quick else 21
    with contextlib.redirect_stdout(io.StringIO()):  # outside a notebook, display() prints reprs
        figures = [
            Figure("cost_explorer: one slider event", measure(cost_event, repeat=r, min_time=0), target=0.1,
                   target_kind="seconds"),
            Figure("descent_explorer: one slider event", measure(descent_event, repeat=r, min_time=0), target=0.1,
                   target_kind="seconds"),
        ]
    import matplotlib.pyplot as plt

    plt.close("all")
    return figures, []


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
    note = (f"BLAS interference: a torch {n}x{n} matmul alone takes {alone * 1e3:.2f} ms; right after a NumPy "
            f"matmul it costs {(float(both) - float(np_only)) * 1e3:.2f} ms ({slowdown:.2f}x): OpenBLAS's threads "
            "keep spinning after NumPy's call returns and compete with torch's threads for the cores. "
            "How this suite handles it: every measurement starts with a warm-up call, so threads left "
            "spinning by the previous figure never land in a timed run; no timed call mixes NumPy BLAS and "
            "torch; scikit-learn peers are timed with their default threads and with one BLAS thread, and the "
            "faster is the peer (never a handicap). Notebooks 02 and 05 time their comparisons under "
            "threadpoolctl's one-thread limit for the same reason.")
    return [Figure(f"torch matmul {n}² right after NumPy's (interference)", Timing([float(both) - float(np_only)]),
                   alone, "torch matmul alone")], [note]


def _sklearn_peer(fit, repeat):
    """scikit-learn's fit time, the faster of its default BLAS threads and one thread.

    On small problems OpenBLAS's threads can stall on a busy 2-core machine (a fit
    taking 100x longer); taking the faster setting never handicaps the peer.
    """
    from threadpoolctl import threadpool_limits

    default = measure(fit, repeat=repeat)
    with threadpool_limits(1):
        single = measure(fit, repeat=repeat)
    return (default, "default threads") if float(default) <= float(single) else (single, "1 BLAS thread")


def _fewest(run, reached, hi):
    """The fewest iterations n <= hi for which ``reached(run(n))`` (assumed monotone), by doubling and bisection."""
    n = 1
    while n < hi and not reached(run(n)):
        n *= 2
    n = min(n, hi)
    if not reached(run(n)):
        return None
    lo = n // 2
    while lo + 1 < n:
        mid = (lo + n) // 2
        if reached(run(mid)):
            n = mid
        else:
            lo = mid
    return n


def logistic_figures(quick):
    """fit_logistic_regression on breast cancer to scikit-learn's objective + 1e-5, same L2."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression

    from helpers import fit_logistic_regression, logistic_cost

    X, t = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    N, C = len(t), 1.0
    l2 = 1.0 / (N * C)
    sk = LogisticRegression(C=C, max_iter=10_000).fit(X, t)
    J_sk = float(logistic_cost(X, t.astype(float), sk.coef_[0], float(sk.intercept_[0]), l2=l2))
    peer, how = _sklearn_peer(lambda: LogisticRegression(C=C, max_iter=10_000).fit(X, t), 3 if quick else 7)
    figures, notes = [], []
    for label, opts, hi, target in [
        ("Nesterov + preconditioned", dict(nesterov=True, precondition=True), 2_000, 1.5),
        ("plain GD (the notebook's default)", {}, 20_000 if not quick else 2_000, None),
    ]:
        def run(n, opts=opts):
            return fit_logistic_regression(X, t, steps=n, l2=l2, record_history=False, **opts)

        def reached(m):
            return float(logistic_cost(X, t.astype(float), m.w, m.b, l2=l2)) <= J_sk + 1e-5

        steps = _fewest(run, reached, hi)
        if steps is None:
            notes.append(f"logistic {label}: did not reach J_sklearn + 1e-5 within {hi:,} steps")
            continue
        ours = measure(run, steps, repeat=3 if quick else 7)
        figures.append(Figure(f"fit_logistic_regression, breast cancer, {label}, {steps:,} steps to J_sk + 1e-5",
                              ours, peer, f"sklearn LogisticRegression (lbfgs, {how})", target))
    notes.append(f"Logistic regression: N = {N}, D = 30 standardized, C = 1 (l2 = 1/(N C) = {l2:.3e}); "
                 f"scikit-learn's objective on our scale J = {J_sk:.8f}.")
    return figures, notes


def softmax_figures(quick):
    """fit_softmax_regression on the digits: to scikit-learn's test accuracy, and to its objective + 1e-3."""
    from sklearn.linear_model import LogisticRegression

    from helpers import softmax_cross_entropy
    from helpers.data import load_digits

    (X, y), (X_test, y_test) = load_digits(seed=0)
    X, X_test = X.astype(np.float64), X_test.astype(np.float64)
    N, K = X.shape[0], 10
    l2 = 1.0 / N  # scikit-learn's default C = 1
    sk = LogisticRegression(max_iter=10_000).fit(X, y)
    acc_sk = float((sk.predict(X_test) == y_test).mean())
    J_sk = float(softmax_cross_entropy(X @ sk.coef_.T + sk.intercept_, y)) + l2 / 2 * float((sk.coef_ ** 2).sum())
    peer, how = _sklearn_peer(lambda: LogisticRegression(max_iter=10_000).fit(X, y), 3 if quick else 7)
    from helpers import fit_softmax_regression

    def run(n):
        return fit_softmax_regression(X, y, K, lr="auto", epochs=n, l2=l2, progress=False)

    def J(m):
        return float(softmax_cross_entropy(X @ m.W.T + m.b, y)) + l2 / 2 * float((m.W ** 2).sum())

    figures, notes = [], []
    for label, reached in [
        (f"to sklearn's test accuracy {acc_sk:.2%}", lambda m: float((m.predict(X_test) == y_test).mean()) >= acc_sk),
        ("to J_sk + 1e-3", lambda m: J(m) <= J_sk + 1e-3),
    ]:
        epochs = _fewest(run, reached, 2_000)
        if epochs is None:
            notes.append(f"softmax {label}: not reached within 2,000 epochs")
            continue
        ours = measure(run, epochs, repeat=3 if quick else 7)
        figures.append(Figure(f"fit_softmax_regression, digits, {label} ({epochs} epochs)", ours, peer,
                              f"sklearn LogisticRegression (lbfgs, {how})", 1.0))
    notes.append(f"Softmax regression: digits N = {N} train, l2 = 1/N (scikit-learn's C = 1); scikit-learn's test "
                 f"accuracy {acc_sk:.2%}, objective on our scale {J_sk:.6f}.")
    return figures, notes


def gpu_figures(quick):
    """On a CUDA GPU: a GD step at N = 10^6, D = 1,000 float32 as a fraction of the card's bandwidth
    (measured in the same run by a device-to-device copy), against the same code on the CPU."""
    if not torch.cuda.is_available():
        return [], ["GPU section not run: no CUDA device on this machine."]
    N, D = (100_000, 100) if quick else (1_000_000, 1_000)
    dev = torch.device("cuda")
    gen = torch.Generator(device=dev).manual_seed(0)
    X = torch.randn(N, D, device=dev, generator=gen)
    t = torch.randn(N, device=dev, generator=gen)
    w, b = torch.zeros(D, device=dev), torch.zeros((), device=dev)

    def step(X, t, w, b):
        dw, db = gradients(X, t, w, b)
        return w - 0.1 * dw, b - 0.1 * db

    ours = measure(step, X, t, w, b, repeat=20, warmup=3)
    src = torch.empty(X.numel(), device=dev)
    dst = torch.empty_like(src)
    copy = measure(dst.copy_, src, repeat=20, warmup=3)
    bandwidth = 2 * src.numel() * 4 / float(copy)  # bytes read + written per second
    achieved = 2 * X.numel() * 4 / float(ours)  # the step reads X twice
    Xc, tc, wc = X.cpu(), t.cpu(), w.cpu()
    cpu = measure(step, Xc, tc, wc, b.cpu(), repeat=3)
    name = torch.cuda.get_device_name(0)
    figures = [
        Figure(f"GD step on {name}, N={N:,} D={D} float32, fraction of copy bandwidth", ours, cpu,
               "the same step on the CPU", 0.5, "fraction", value=achieved / bandwidth,
               note=f"achieved {achieved / 1e9:.0f} GB/s of {bandwidth / 1e9:.0f} GB/s"),
    ]
    return figures, [f"GPU: {name}; device-to-device copy {bandwidth / 1e9:.0f} GB/s; "
                     f"GD step reads X twice at {achieved / 1e9:.0f} GB/s."]


SECTIONS = [solve_direct_figures, gd_step_figures, slider_figures, logistic_figures, softmax_figures,
            blas_interference_figures, gpu_figures, notebook_figures]


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
