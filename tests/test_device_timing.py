import os
import time

import numpy as np
import pytest
import torch

import helpers
from helpers import Timing, backend, default_device, seed_everything, time_it


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


class FakeAsyncDevice:
    """An accelerator stand-in: a call only queues its work; `synchronize` does it (as a GPU kernel would).

    Installed as the backend's synchronize. Tensors on ``meta`` (no values, no GPU needed) play the
    data on that device. Without synchronization, a measurement sees only the queueing (microseconds).
    """

    def __init__(self, monkeypatch, seconds=0.004):
        self.queue, self.synced, self.seconds = [], [], seconds
        monkeypatch.setattr(backend, "synchronize", self.synchronize)

    def launch(self, *args, **kwargs):
        self.queue.append(self.seconds)  # returns at once, like a kernel launch

    def synchronize(self, device):
        self.synced.append(torch.device(device))
        while self.queue:
            time.sleep(self.queue.pop())


def test_time_it_waits_for_the_device_of_a_positional_argument(monkeypatch):
    fake = FakeAsyncDevice(monkeypatch)
    x = torch.empty(3, device="meta")
    t = time_it(fake.launch, x, repeat=3, warmup=1, min_time=0)
    assert t >= 0.9 * fake.seconds  # the queued work is inside every measurement
    assert fake.synced and {d.type for d in fake.synced} == {"meta"}
    assert len(fake.synced) >= 2 * 4  # before the clock starts and before it stops, for warm-up and each repeat


def test_time_it_waits_for_the_device_of_a_keyword_argument(monkeypatch):
    fake = FakeAsyncDevice(monkeypatch)
    t = time_it(fake.launch, np.zeros(3), repeat=3, min_time=0, data=torch.empty(3, device="meta"))
    assert t >= 0.9 * fake.seconds and {d.type for d in fake.synced} == {"meta"}


def test_time_it_waits_for_tensors_inside_lists_and_for_device(monkeypatch):
    fake = FakeAsyncDevice(monkeypatch)
    assert time_it(fake.launch, [torch.empty(1, device="meta")], repeat=2, min_time=0) >= 0.9 * fake.seconds
    fake.synced.clear()
    assert time_it(fake.launch, device="meta", repeat=2, min_time=0) >= 0.9 * fake.seconds  # a closure's device
    assert {d.type for d in fake.synced} == {"meta"}


def test_time_it_waits_for_the_current_accelerator_when_no_argument_is_a_tensor(monkeypatch):
    fake = FakeAsyncDevice(monkeypatch)
    monkeypatch.setattr(backend, "current_accelerator", lambda: torch.device("meta"))
    assert time_it(fake.launch, 1.0, repeat=2, min_time=0) >= 0.9 * fake.seconds  # fn may close over GPU data
    fake.synced.clear()
    time_it(fake.launch, torch.zeros(2), repeat=2, min_time=0)  # CPU tensors: nothing to wait for
    assert fake.synced == []


def test_synchronize_goes_through_the_accelerator_api(monkeypatch):
    calls = []
    if hasattr(torch, "accelerator"):
        monkeypatch.setattr(torch.accelerator, "synchronize", lambda device=None: calls.append(torch.device(device)))
        for device in ("cuda", "mps", "xpu", "cpu", "meta"):
            backend.synchronize(device)
        assert [d.type for d in calls] == ["cuda", "mps", "xpu"]  # any accelerator; the CPU and meta never wait
    # torch before 2.6 has no torch.accelerator: torch.cuda / torch.mps do it
    monkeypatch.setattr(torch, "accelerator", None, raising=False)
    monkeypatch.setattr(torch.cuda, "synchronize", lambda *a: calls.append("cuda"))
    monkeypatch.setattr(torch.mps, "synchronize", lambda *a: calls.append("mps"))
    calls.clear()
    backend.synchronize("cuda")
    backend.synchronize("mps")
    assert calls == ["cuda", "mps"]


@pytest.mark.gpu
def test_time_it_synchronizes_cuda():
    x = torch.randn(4000, 4000, device="cuda")
    t = time_it(torch.matmul, x, x, repeat=3, warmup=1, min_time=0)
    torch.cuda.synchronize()
    start = time.perf_counter()
    x @ x
    torch.cuda.synchronize()
    done = time.perf_counter() - start  # one product, waited for
    assert t > 0.5 * done  # unsynchronized, t would be the launch alone: microseconds


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
