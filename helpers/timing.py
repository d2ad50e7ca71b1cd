"""Honest timing: warm-up, synchronization, several repeats, the median."""

import statistics
import time

import torch


class Timing(float):
    """Seconds per call (the median), with ``.min``, ``.max`` and ``.runs``."""

    def __new__(cls, runs):
        self = super().__new__(cls, statistics.median(runs))
        self.runs = list(runs)
        self.min = min(runs)
        self.max = max(runs)
        return self

    def __repr__(self):
        return f"Timing(median={float(self):.3g} s, min={self.min:.3g} s, max={self.max:.3g} s, n={len(self.runs)})"


def _uses_cuda(args, device):
    if device is not None:
        return torch.device(device).type == "cuda"
    return any(torch.is_tensor(a) and a.is_cuda for a in args)


def _sync(cuda):
    if cuda:
        torch.cuda.synchronize()


def time_it(fn, *args, repeat=5, warmup=1, min_time=0.01, device=None, **kwargs):
    """Time ``fn(*args, **kwargs)``: median seconds per call.

    ``warmup`` calls run first and are discarded (caches, lazy
    initialization, GPU kernel compilation). Each of the ``repeat``
    measurements calls ``fn`` as many times as needed to last at least
    ``min_time`` seconds, so that fast functions are not lost in timer
    resolution. When any argument is a CUDA tensor (or ``device`` is a CUDA
    device) the GPU is synchronized before the clock starts and before it
    stops: CUDA calls return before the work is done.

    Returns
    -------
    Timing
        A float (median seconds per call) with ``.min``, ``.max``, ``.runs``.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if repeat < 1 or warmup < 0:
        raise ValueError(f"repeat must be >= 1 and warmup >= 0, got repeat={repeat}, warmup={warmup}")
    cuda = _uses_cuda(args, device)
    for _ in range(warmup):
        fn(*args, **kwargs)
    _sync(cuda)
    # How many calls make one measurement last min_time?
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn(*args, **kwargs)
        _sync(cuda)
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or number >= 1_000_000:
            break
        number *= 10 if elapsed < min_time / 10 else 2
    runs = [elapsed / number]
    for _ in range(repeat - 1):
        _sync(cuda)
        start = time.perf_counter()
        for _ in range(number):
            fn(*args, **kwargs)
        _sync(cuda)
        runs.append((time.perf_counter() - start) / number)
    return Timing(runs)
