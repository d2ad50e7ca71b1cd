"""helpers.backend: dtype promotion, where the work happens, conversion, and the calls that differ."""

import numpy as np
import pytest
import torch

import helpers
from helpers import backend


@pytest.mark.parametrize("dtype, expected", [
    (np.float64, np.float64), (np.float32, np.float32),  # kept
    (np.float16, np.float64), (np.int64, np.float64), (np.int8, np.float64), (np.uint8, np.float64),
    (np.bool_, np.float64), (np.longdouble, np.float64),  # computed in float64, as scikit-learn's check_array
])
def test_numpy_dtypes_are_promoted_as_scikit_learn_does(dtype, expected):
    from sklearn.utils import check_array

    a = np.ones((2, 2), dtype=dtype)
    assert backend.float_dtype(a) == expected and backend.as_float(a).dtype == expected
    if dtype not in (np.bool_, np.longdouble):  # scikit-learn's own rule, where it has one
        assert check_array(a, dtype=[np.float64, np.float32]).dtype == expected


@pytest.mark.parametrize("dtype, expected", [
    (torch.float64, torch.float64), (torch.float32, torch.float32),
    (torch.float16, torch.float64), (torch.bfloat16, torch.float64), (torch.int32, torch.float64),
    (torch.int64, torch.float64), (torch.bool, torch.float64),
])
def test_tensor_dtypes_are_promoted_alike(dtype, expected, device):
    a = torch.ones(2, dtype=dtype, device=device)
    assert backend.float_dtype(a) == expected and backend.as_float(a).dtype == expected


@pytest.mark.skipif(not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()), reason="no MPS")
def test_mps_lacks_float64_so_float32_is_used():
    a = torch.ones(2, dtype=torch.float16, device="mps")
    assert backend.float_dtype(a) == torch.float32
    assert backend.to_tensor(np.ones(2), "mps").dtype == torch.float32


def test_as_float_does_not_copy_what_is_already_float():
    a = np.ones(3, dtype=np.float32)
    assert backend.as_float(a) is a


def test_promote_casts_tensors_to_their_common_dtype_and_leaves_numpy_alone():
    a, b = torch.ones(2, dtype=torch.float32), torch.ones(2, dtype=torch.float64)
    assert [x.dtype for x in backend.promote([a, b])] == [torch.float64, torch.float64]
    x, y = np.ones(2, dtype=np.float32), np.ones(2)
    out = backend.promote([x, y])
    assert out[0] is x and out[1] is y  # NumPy promotes in each operation: no copy of a float32 X


def test_compute_on_numpy_stays_numpy_unless_a_device_is_asked_for():
    X, t = np.ones((3, 2)), np.zeros(3)
    (X2, t2), home = backend.compute_on(None, X, t)
    assert X2 is X and t2 is t and home(X2) is X2
    (X3, _), home = backend.compute_on("cpu", X, t)
    assert X3 is X  # the CPU is where NumPy data is: NumPy computes it
    (X4, _), home = backend.compute_on("meta", X, t)
    assert torch.is_tensor(X4) and X4.device.type == "meta"


def test_compute_on_brings_a_tensor_result_home_in_its_dtype():
    X = torch.ones(3, 2, dtype=torch.float32)
    (Xd,), home = backend.compute_on("meta", X)
    assert Xd.device.type == "meta"
    back = home(torch.ones(2, dtype=torch.float64))
    assert back.device.type == "cpu" and back.dtype == torch.float32
    (Xs,), home = backend.compute_on(None, X)
    assert Xs.device == X.device


def test_to_numpy_detach_and_like():
    t = torch.ones(2, requires_grad=True)
    assert isinstance(backend.to_numpy(t), np.ndarray) and not backend.detach(t).requires_grad
    a = np.arange(3.0)
    assert backend.to_numpy(a) is a and backend.detach(a) is a
    w = backend.like(np.array([1.0, 2.0]), torch.zeros(2, dtype=torch.float32))
    assert torch.is_tensor(w) and w.dtype == torch.float32
    w = backend.like(torch.tensor([1.0, 2.0], requires_grad=True), np.zeros(2, dtype=np.float32))
    assert isinstance(w, np.ndarray) and w.dtype == np.float32
    assert backend.like(0.5, np.zeros(1)) == 0.5


def test_devices_of_finds_accelerators_in_arguments():
    m = torch.empty(1, device="meta")
    assert backend.devices_of((1, m), {"x": [m], "y": torch.zeros(1)}) == [torch.device("meta")]
    assert backend.devices_of((torch.zeros(1), np.zeros(1)), {}) == []


def test_cholesky_and_eigenvalues_agree_between_numpy_and_torch(rng):
    A = rng.normal(size=(5, 5))
    A = A @ A.T + np.eye(5)
    r = rng.normal(size=5)
    for M, v in [(A, r), (torch.tensor(A), torch.tensor(r))]:
        L = backend.cholesky(M)
        np.testing.assert_allclose(backend.to_numpy(backend.cholesky_solve(L, v)), np.linalg.solve(A, r), rtol=1e-12)
        np.testing.assert_allclose(backend.to_numpy(backend.eigvalsh(M)), np.linalg.eigvalsh(A), rtol=1e-12)
    assert backend.cholesky(-np.eye(2)) is None and backend.cholesky(-torch.eye(2, dtype=torch.float64)) is None


def test_small_problems_run_on_one_thread():
    threads = torch.get_num_threads()
    with backend.small_problem_threads(torch.zeros(1), work=10):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == threads
    with backend.small_problem_threads(torch.zeros(1), work=backend.SMALL_PROBLEM):
        assert torch.get_num_threads() == threads
    from threadpoolctl import threadpool_info

    with backend.small_problem_threads(np.zeros(1), work=10):
        assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")


def test_the_package_api_a_student_expects():
    z = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(helpers.softmax(z).sum(), 1.0)  # the function, not a module
    assert callable(helpers.softmax) and callable(helpers.sigmoid)
    for name in ("load_digits", "load_mnist", "load_penguins"):
        assert callable(getattr(helpers, name)) and name in helpers.__all__ and name in dir(helpers)


def test_importing_helpers_loads_neither_data_nor_plots(tmp_path):
    import os
    import subprocess
    import sys

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = ("import sys, helpers; before = [m for m in ('helpers.data', 'helpers.plots', 'matplotlib', 'sklearn') "
            "if m in sys.modules]; helpers.load_penguins; print(before, 'helpers.data' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=repo, PYTHONDONTWRITEBYTECODE="1"), timeout=120)
    assert out.stdout.strip() == "[] True"


def test_max_argmax_takes_the_first_of_ties_like_numpy(rng, device):
    Z = np.round(rng.normal(size=(10, 300)), 1)  # many ties
    Z[:, :5] = 0.0  # all tied: the first class wins
    for kind in (np.asarray, lambda a: torch.tensor(a, device=device)):
        m, i = backend.max_argmax(kind(Z), axis=0)
        np.testing.assert_array_equal(backend.to_numpy(i), Z.argmax(axis=0))
        np.testing.assert_array_equal(backend.to_numpy(m), Z.max(axis=0, keepdims=True))
