import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import settings  # noqa: E402

settings.register_profile("course", deadline=None, max_examples=40, derandomize=True)
settings.load_profile("course")

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "gpu" in item.keywords and not torch.cuda.is_available():
            item.add_marker(pytest.mark.skip(reason="no CUDA device"))


@pytest.fixture(params=DEVICES + ([] if torch.cuda.is_available() else [pytest.param("cuda", marks=pytest.mark.gpu)]))
def device(request):
    """Each device test runs on the CPU and, when present, on the GPU (skipped otherwise)."""
    return torch.device(request.param)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
