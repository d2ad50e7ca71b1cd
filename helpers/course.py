"""Course-wide facts: the repository URL (kept here only) and the setup report."""

import importlib
import platform
import sys

import torch

from .device import default_device

#: The one place the repository's URL is written. Badges and setup cells
#: must use it too; tests/test_notebook_hygiene.py checks that they do.
REPO_URL = "https://github.com/nncourse/linear-models"
REPO_NAME = "linear-models"
BRANCH = "main"

#: Oldest versions the course is tested with (see requirements.txt).
MINIMUM_VERSIONS = {"numpy": "1.26", "torch": "2.2", "matplotlib": "3.7", "ipywidgets": "7.7"}


def colab_url(notebook_path):
    """The Open-in-Colab address of a notebook, e.g. ``notebooks/01_vectorization.ipynb``."""
    return f"https://colab.research.google.com/github/{REPO_URL.split('github.com/')[1]}/blob/{BRANCH}/{notebook_path}"


def _version_tuple(v):
    parts = []
    for p in v.split("+")[0].split("."):
        digits = "".join(ch for ch in p if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def print_setup():
    """Print the versions that matter and the device the course will use.

    Warns (does not fail) when a library is older than the course is tested with.
    """
    print(f"Python      {platform.python_version()}")
    for name in ["numpy", "torch", "matplotlib", "ipywidgets", "sklearn"]:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            print(f"{name:<11} not installed")
            continue
        version = getattr(mod, "__version__", "?")
        print(f"{name:<11} {version}")
        need = MINIMUM_VERSIONS.get(name)
        if need and _version_tuple(version) < _version_tuple(need):
            msg = f"  WARNING: {name} {version} is older than {need}, the oldest this course is tested with"
            print(msg, file=sys.stderr)
    device = default_device()
    print(f"device      {device}" + (f" ({_gpu_name(device)})" if device.type == "cuda" else ""))
    return device


def _gpu_name(device):
    return torch.cuda.get_device_name(device)
