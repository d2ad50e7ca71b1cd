"""Which device to compute on, and seeding everything at once."""

import os
import random

import numpy as np
import torch

from . import backend


def default_device():
    """The device the course computes on: the accelerator torch reports (CUDA, MPS, ...), else the CPU.

    The environment variable ``HELPERS_DEVICE`` (e.g. ``cpu``) overrides the
    choice, so a GPU machine can run the CPU path and vice versa.

    Returns
    -------
    torch.device
    """
    forced = os.environ.get("HELPERS_DEVICE")
    if forced:
        try:
            return torch.device(forced)
        except RuntimeError as err:
            raise ValueError(f"HELPERS_DEVICE={forced!r} is not a torch device name ({err})") from None
    accelerator = backend.current_accelerator()
    return torch.device("cpu") if accelerator is None else accelerator


def seed_everything(seed):
    """Seed Python's, NumPy's and torch's (CPU and CUDA) random generators.

    Parameters
    ----------
    seed : int

    Returns
    -------
    numpy.random.Generator
        A fresh generator seeded with ``seed``, for code that prefers one.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    return np.random.default_rng(seed)


def to_device(a, device=None, dtype=None):
    """A NumPy array, list or tensor as a tensor on ``device`` (default: `default_device()`).

    float64 becomes float32 on a device without float64 (Apple's MPS) unless ``dtype`` says otherwise.
    """
    device = default_device() if device is None else torch.device(device)
    return backend.to_tensor(a if backend.is_tensor(a) else np.asarray(a), device, dtype)
