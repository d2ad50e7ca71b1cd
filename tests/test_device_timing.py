import os
import time

import numpy as np
import pytest
import torch

import helpers
from helpers import Timing, default_device, seed_everything, time_it


def test_default_device_override(monkeypatch):
    monkeypatch.setenv("HELPERS_DEVICE", "cpu")
    assert default_device() == torch.device("cpu")
    monkeypatch.setenv("HELPERS_DEVICE", "not-a-device")
    with pytest.raises(ValueError, match="HELPERS_DEVICE"):
        default_device()


def test_default_device_prefers_cuda(monkeypatch):
    monkeypatch.delenv("HELPERS_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else default_device().type
    assert default_device().type == expected


def test_seed_everything_repeats_all_generators():
    import random

    def draw():
        return random.random(), np.random.rand(), torch.rand(1).item()

    seed_everything(123)
    first = draw()
    seed_everything(123)
    assert draw() == first
    with pytest.raises(TypeError):
        seed_everything(1.5)


def test_time_it_measures_sleep():
    t = time_it(time.sleep, 0.002, repeat=3, warmup=0, min_time=0)
    assert isinstance(t, Timing) and t.min <= t <= t.max
    assert 0.0015 < t < 0.2  # a sleep of 2 ms takes at least ~2 ms


def test_time_it_batches_fast_calls():
    calls = []
    time_it(lambda: calls.append(1), repeat=2, warmup=3, min_time=0.001)
    assert len(calls) > 10  # many calls per measurement, not one


@pytest.mark.gpu
def test_time_it_synchronizes_cuda():
    x = torch.randn(2000, 2000, device="cuda")
    assert time_it(torch.matmul, x, x, repeat=3) > 0


def test_import_touches_no_network_and_writes_no_files(tmp_path):
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(helpers.__file__)))
    code = (
        "import socket, builtins, sys\n"
        "def deny(*a, **k): raise AssertionError('network touched')\n"
        "socket.socket.connect = deny\n"
        "real_open = builtins.open\n"
        "def guarded(f, mode='r', *a, **k):\n"
        "    if any(m in mode for m in 'wax+'): raise AssertionError(f'wrote {f}')\n"
        "    return real_open(f, mode, *a, **k)\n"
        "builtins.open = guarded\n"
        "import helpers\n"
        "print('ok')\n"
    )
    env = dict(os.environ, PYTHONPATH=root, PYTHONDONTWRITEBYTECODE="1", HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert list(tmp_path.iterdir()) == []
