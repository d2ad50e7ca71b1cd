"""Which device to compute on, and seeding everything at once."""

import os
import random

import numpy as np
import torch


def default_device():
    """The device the course computes on: cuda, then mps, then cpu.

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
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


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
    """Move a NumPy array or tensor to ``device`` (default: `default_device()`)."""
    device = default_device() if device is None else torch.device(device)
    if not torch.is_tensor(a):
        a = torch.as_tensor(np.asarray(a))
    return a.to(device=device, dtype=dtype)
