"""Root pytest configuration: what the notebooks see under nbval.

Stored notebook outputs come from the CPU and from the bundled digits (what CI
has), so a machine with a GPU or a cached MNIST still reproduces them.
"""

import os

os.environ.setdefault("HELPERS_DEVICE", "cpu")
os.environ.setdefault("HELPERS_DATASET", "digits")
os.environ.setdefault("MPLBACKEND", "Agg")
