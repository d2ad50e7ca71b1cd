"""The figures of issues #8 and #17, each against a peer measured in the same run.

The GD step against a physical floor (one multithreaded read of X); the iterative fits
stopped by their own ``tol`` from zero (tightened 10x at a time, if need be, until they reach scikit-learn's
objective at its default tol), against scikit-learn tightened only until it
reaches the same training objective; every fit on the CPU (the GPU section is separate
and names the card).
"""

import contextlib
import glob
import io
import os
import shutil
import tempfile
import warnings

import numpy as np
import torch

from helpers import Timing, gradients, solvers

from .harness import Figure, measure, run_sections

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def solve_direct_figures(quick):
    """solve_direct vs scikit-learn's LinearRegression (the user's peer), Ridge(solver="cholesky", alpha=0)
    (the like-for-like one: normal equations by Cholesky, as ours) and numpy.linalg.lstsq, float64."""
    from sklearn.linear_model import LinearRegression, Ridge

    N = 2_000 if quick else 100_000
    figures, notes = [], []
    rng = np.random.default_rng(0)
    for D in ([10, 50] if quick else [10, 100, 500]):
        X = rng.normal(size=(N, D))
        t = X @ rng.normal(size=D) + 0.5 + 0.1 * rng.normal(size=N)
        ours = measure(solvers.solve_direct, X, t, repeat=5)
        sk = measure(lambda: LinearRegression().fit(X, t), repeat=5)
        ridge = measure(lambda: Ridge(alpha=0.0, solver="cholesky").fit(X, t), repeat=5)
        X1 = np.column_stack([X, np.ones(N)])
        lst = measure(lambda: np.linalg.lstsq(X1, t, rcond=None), repeat=5)
        w, b = solvers.solve_direct(X, t)
        ref = LinearRegression().fit(X, t)
        err = max(np.max(np.abs(w - ref.coef_)) / np.abs(ref.coef_).max(),
                  abs(b - ref.intercept_) / abs(ref.intercept_))
        target = 0.25 if D == 100 else None
        figures.append(Figure(f"solve_direct N={N:,} D={D}", ours, sk, "sklearn LinearRegression", target,
                              note=f"max relative coefficient difference {err:.1e}"))
        figures.append(Figure(f"solve_direct N={N:,} D={D}", ours, ridge, "sklearn Ridge(cholesky, alpha=0)"))
        figures.append(Figure(f"solve_direct N={N:,} D={D}", ours, lst, "numpy.linalg.lstsq"))
        notes.append(f"solve_direct N={N:,} D={D}: coefficients agree with scikit-learn to {err:.1e} (relative).")
        if err > 1e-8:
            notes.append(f"  !! solve_direct D={D} differs from scikit-learn by {err:.1e} > 1e-8")
    return figures, notes


def _gb_per_s(nbytes, seconds):
    """X's size over a time, in GB/s ("—" for a time that noise made 0)."""
    return f"{nbytes / float(seconds) / 1e9:.1f} GB/s" if float(seconds) > 0 else "— GB/s"


def read_floor(X, repeat):
    """One multithreaded read of X, the way the step reads it: torch.sum over X (torch's threads) and a
    BLAS mat-vec X @ v (NumPy's BLAS threads). Returns {name: Timing}."""
    Xt = torch.from_numpy(X)  # the same memory
    v = np.ones(X.shape[1], dtype=X.dtype)
    return {"torch.sum(X)": measure(torch.sum, Xt, repeat=repeat),
            "BLAS X @ v": measure(np.matmul, X, v, repeat=repeat)}


def per_step(X, t, lr, S, repeat):
    """The time of one full-batch step inside gradient_descent: (time of 1 + S steps - time of 1 step) / S.

    The fixed cost (input checks, the first evaluation, the result) cancels in the difference."""
    one = measure(solvers.gradient_descent, X, t, lr, 1, repeat=repeat)
    many = measure(solvers.gradient_descent, X, t, lr, 1 + S, repeat=repeat)
    return Timing(sorted(max((m - o) / S, 0.0) for m, o in zip(sorted(many.runs), sorted(one.runs))))


@contextlib.contextmanager
def plain_steps():
    """gradient_descent with the readable evaluation only (r = X w + b - t, then X^T r: X read twice)."""
    saved = solvers.use_blocked
    solvers.use_blocked = lambda X: False
    try:
        yield
    finally:
        solvers.use_blocked = saved


def gd_step_figures(quick):
    """One full-batch GD step inside `gradient_descent` (NumPy and CPU tensors) vs one multithreaded read of X;
    and the Gram form vs the full-batch step."""
    N, D = (20_000, 100) if quick else (1_000_000, 100)
    S, repeat = (3, 2) if quick else (5, 3)
    figures, notes = [], []
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        X = rng.normal(size=(N, D)).astype(dtype)
        t = (X @ rng.normal(size=D).astype(dtype) + dtype(0.1) * rng.normal(size=N).astype(dtype)).astype(dtype)
        lr = 0.5 * solvers.critical_learning_rate(X[:100_000])
        for kind, (A, b) in (("NumPy", (X, t)), ("torch CPU", (torch.from_numpy(X), torch.from_numpy(t)))):
            # the floor measured next to the steps it bounds (the load of a shared machine drifts)
            floors = read_floor(X, 2 if quick else 7)
            floor_name, floor = min(floors.items(), key=lambda kv: float(kv[1]))
            gbs = ", ".join(f"{k} {_gb_per_s(X.nbytes, v)}" for k, v in floors.items())
            notes.append(f"GD step floor next to the {kind} steps, {name}, X = {X.nbytes / 1e6:,.0f} MB: one "
                         f"multithreaded read of X, {gbs}; the peer is the faster, {floor_name}.")
            step = per_step(A, b, lr, S, repeat)
            with plain_steps():
                plain = per_step(A, b, lr, S, repeat)
            peer = f"one read of X ({floor_name})"
            figures.append(Figure(f"GD step, blocked (gradient_descent), {kind}, N={N:,} D={D} {name}", step, floor,
                                  peer, 1.5, floor=True,
                                  note=f"{_gb_per_s(X.nbytes, step)}; per step = (time of {1 + S} "
                                       f"steps - time of 1 step) / {S}"))
            figures.append(Figure(f"GD step, plain two products (the reference), {kind}, N={N:,} D={D} {name}",
                                  plain, floor, peer, floor=True, note=_gb_per_s(X.nbytes, plain)))
    notes.append("GD step: the blocked evaluation reads X from memory once per step (a block of rows, half an L2, "
                 "for both products); the plain one reads it twice. Target: at most 1.5x one read of X.")
    # The Gram form: 1,000 full-batch steps, O(D^2) each after an O(N D^2) start, vs the O(N D) step.
    N, D, steps = (20_000, 100, 50) if quick else (100_000, 100, 1_000)
    X = rng.normal(size=(N, D))
    t = X @ rng.normal(size=D) + 0.1 * rng.normal(size=N)
    lr = 0.5 * solvers.critical_learning_rate(X)
    plain = solvers.gradient_descent(X, t, lr, steps)
    gram = solvers.gradient_descent(X, t, lr, steps, precompute=True)
    diff = float(np.max(np.abs(plain.path - gram.path)) / np.max(np.abs(plain.path)))
    ours = measure(solvers.gradient_descent, X, t, lr, steps, precompute=True, repeat=3)
    peer = measure(solvers.gradient_descent, X, t, lr, steps, repeat=1 if not quick else 2, warmup=0)
    figures.append(Figure(f"{steps:,} GD steps, Gram form (precompute=True), N={N:,} D={D}", ours, peer,
                          f"{steps:,} full-batch steps (blocked)", note=f"iterates agree to {diff:.1e} (relative)"))
    notes.append(f"Gram form: the {steps:,} iterates agree with the full-batch steps' to {diff:.1e} (target 1e-10)"
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


#: The stopping rule of every iterative fit here: every entry of the gradient of J at most TOL in absolute
#: value. It is scikit-learn's default tol and its lbfgs criterion (scipy's gtol on the same J: the mean
#: loss + the penalty, scaled by 1 / N since scikit-learn 1.2).
TOL = 1e-4


def _tighten(fit, objective, J_target):
    """``fit(tol)`` at TOL, or tightened 10x at a time until ``objective`` of its result reaches ``J_target``.

    Serves both sides: ours is tightened to scikit-learn's objective at its default tol, then scikit-learn to
    ours, so that neither is timed to a looser objective than the other. Chosen on the training objective only.
    Returns (tol, the fitted model, its objective)."""
    tol = TOL
    while True:
        model = fit(tol)
        J = objective(model)
        if J <= J_target or tol <= 1e-12:
            return tol, model, J
        tol /= 10


def _fit_note(what, J_ours, steps, converged, J_sk, tol_sk, J_best, tol_ours=TOL):
    return (f"{what}: ours stops at tol = {tol_ours:g} after {steps:,} steps"
            + ("" if converged else " (the step cap, NOT converged)")
            + f" with J - J* = {J_ours - J_best:.1e}; scikit-learn's tol = {tol_sk:g} reaches J - J* = "
            f"{J_sk - J_best:.1e} (J* from scikit-learn at tol 1e-12).")


def logistic_figures(quick):
    """fit_logistic_regression on breast cancer (CPU), stopped by its tol, vs scikit-learn to the same objective."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression

    from helpers import fit_logistic_regression, logistic_cost

    X, t = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    N, C = len(t), 1.0
    l2 = 1.0 / (N * C)

    def J(w, b):
        return float(logistic_cost(X, t.astype(float), w, b, l2=l2))

    def make(tol):
        return LogisticRegression(C=C, tol=tol, max_iter=100_000)  # max_iter only a cap: tol decides

    def J_sk(est):
        return J(est.coef_[0], float(est.intercept_[0]))

    J_best = J_sk(make(1e-12).fit(X, t))
    figures, notes = [], []
    for label, opts, cap, target in [
        ("Nesterov + preconditioned", dict(nesterov=True, precondition=True), 10_000, 1.5),
        ("plain GD (the notebook's default)", {}, 100_000, None),
    ]:
        def fit(tol, opts=opts, cap=cap):
            return fit_logistic_regression(X, t, steps=cap, l2=l2, device="cpu", tol=tol, record_history=False,
                                           **opts)

        tol_ours, m, J_ours = _tighten(fit, lambda m: J(m.w, m.b), J_sk(make(TOL).fit(X, t)))
        tol_sk, _, J_peer = _tighten(lambda tol: make(tol).fit(X, t), J_sk, J_ours)

        def fit_sk(tol=tol_sk):
            return make(tol).fit(X, t)

        peer, how = _sklearn_peer(fit_sk, 2 if quick else 7)
        ours = measure(lambda fit=fit, tol=tol_ours: fit(tol), repeat=2 if quick else 7)
        figures.append(Figure(f"fit_logistic_regression (CPU), breast cancer, {label}, tol {tol_ours:g} "
                              f"({m.steps:,} steps)", ours, peer,
                              f"sklearn LogisticRegression (lbfgs, tol {tol_sk:g}, {how})", target,
                              note=f"J ours {J_ours:.8f}, scikit-learn {J_peer:.8f}"))
        notes.append(_fit_note(f"logistic {label}", J_ours, m.steps, m.converged, J_peer, tol_sk, J_best, tol_ours))
    notes.append(f"Logistic regression: N = {N}, D = 30 standardized, C = 1 (l2 = 1/(N C) = {l2:.3e}); J* = "
                 f"{J_best:.8f}. Both fits start from zero in every timed run; nothing is chosen on a test set.")
    return figures, notes


def softmax_figures(quick):
    """fit_softmax_regression on the digits (CPU, full batch), stopped by its tol, vs scikit-learn to the same
    objective. The test set only reports accuracies."""
    from sklearn.linear_model import LogisticRegression

    from helpers import fit_softmax_regression, softmax_cross_entropy
    from helpers.data import load_digits

    (X, y), (X_test, y_test) = load_digits(seed=0)
    X, X_test = X.astype(np.float64), X_test.astype(np.float64)
    N, K = X.shape[0], 10
    l2 = 1.0 / N  # scikit-learn's default C = 1

    def J(W, b):
        return float(softmax_cross_entropy(X @ W.T + b, y)) + l2 / 2 * float((W ** 2).sum())

    def make(tol):
        return LogisticRegression(tol=tol, max_iter=100_000)  # max_iter only a cap: tol decides

    def J_sk(est):
        return J(est.coef_, est.intercept_)

    J_best = J_sk(make(1e-12).fit(X, y))
    cap = 20_000

    def fit(tol):
        return fit_softmax_regression(X, y, K, lr="auto", epochs=cap, l2=l2, device="cpu", tol=tol)

    tol_ours, m, J_ours = _tighten(fit, lambda m: J(m.W, m.b), J_sk(make(TOL).fit(X, y)))
    tol_sk, _, J_peer = _tighten(lambda tol: make(tol).fit(X, y), J_sk, J_ours)

    def fit_sk(tol=tol_sk):
        return make(tol).fit(X, y)

    peer, how = _sklearn_peer(fit_sk, 2 if quick else 7)
    ours = measure(lambda: fit(tol_ours), repeat=2 if quick else 7)
    steps = len(m.history["loss"]) - 1  # steps taken (the model keeps them in its history)
    figures = [Figure(f"fit_softmax_regression (CPU), digits, full batch, tol {tol_ours:g} ({steps:,} steps)",
                      ours, peer,
                      f"sklearn LogisticRegression (lbfgs, tol {tol_sk:g}, {how})", 1.0,
                      note=f"J ours {J_ours:.6f}, scikit-learn {J_peer:.6f}")]
    acc = float((m.predict(X_test) == y_test).mean())
    acc_sk = float((fit_sk().predict(X_test) == y_test).mean())
    notes = [_fit_note("softmax", J_ours, steps, steps < cap, J_peer, tol_sk, J_best, tol_ours),
             f"Softmax regression: digits N = {N} train, l2 = 1/N (scikit-learn's C = 1); J* = {J_best:.6f}; "
             f"test accuracy (reported, chooses nothing): ours {acc:.2%}, scikit-learn {acc_sk:.2%}."]
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


def framework_figures(quick):
    """Notebook 06: nn.Linear + optim.SGD vs the hand-written loop, torch.compile, full MNIST on a GPU."""
    from benchmarks import frameworks

    return frameworks.run(quick=quick)


SECTIONS = [solve_direct_figures, gd_step_figures, slider_figures, logistic_figures, softmax_figures,
            framework_figures, blas_interference_figures, gpu_figures, notebook_figures]


def run(quick=False, sections=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        return run_sections(sections or SECTIONS, quick)
