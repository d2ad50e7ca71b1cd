"""Honest timing: warm-up, synchronization, several repeats, the median."""

import statistics
import time

import torch

from . import backend


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


def _devices_to_sync(args, kwargs, device):
    """The devices whose queued work each measurement waits for.

    Those the tensors among the arguments, positional and keyword, live on, and ``device``.
    When no argument is a tensor (``fn`` may be a closure over GPU data) and no ``device``
    is given: the current accelerator, if any, as ``torch.utils.benchmark`` does.
    """
    devices = backend.devices_of(args, kwargs)
    if device is not None:
        device = torch.device(device)
        devices += [] if device.type == "cpu" or device in devices else [device]
    elif not any(backend.is_tensor(a) for a in (*args, *kwargs.values())):
        acc = backend.current_accelerator()
        devices += [] if acc is None else [acc]
    return devices


def time_it(fn, *args, repeat=5, warmup=1, min_time=0.01, device=None, **kwargs):
    """Time ``fn(*args, **kwargs)``: median seconds per call.

    ``warmup`` calls run first and are discarded (caches, lazy
    initialization, GPU kernel compilation). Each of the ``repeat``
    measurements calls ``fn`` as many times as needed to last at least
    ``min_time`` seconds, so that fast functions are not lost in timer
    resolution. Accelerators (CUDA, MPS, or any other torch knows) return
    before their work is done, so the devices that the arguments' tensors
    live on (positional and keyword arguments), and ``device``, are
    synchronized before the clock starts and before it stops. When no
    argument is a tensor, the current accelerator is.

    Returns
    -------
    Timing
        A float (median seconds per call) with ``.min``, ``.max``, ``.runs``.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if repeat < 1 or warmup < 0:
        raise ValueError(f"repeat must be >= 1 and warmup >= 0, got repeat={repeat}, warmup={warmup}")
    devices = _devices_to_sync(args, kwargs, device)

    def measure(number):
        for d in devices:
            backend.synchronize(d)
        start = time.perf_counter()
        for _ in range(number):
            fn(*args, **kwargs)
        for d in devices:
            backend.synchronize(d)
        return time.perf_counter() - start

    if warmup:
        measure(warmup)
    number = 1  # how many calls make one measurement last min_time?
    while True:
        elapsed = measure(number)
        if elapsed >= min_time or number >= 1_000_000:
            break
        number *= 10 if elapsed < min_time / 10 else 2
    runs = [elapsed / number] + [measure(number) / number for _ in range(repeat - 1)]
    return Timing(runs)
