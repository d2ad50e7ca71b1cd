"""IDX parsing, load_mnist's download path (against a loopback HTTP server) and load_digits.

No test here reaches the internet: the mirrors are servers this file starts on
127.0.0.1, serving small IDX files it writes, and any other connection fails.
"""

import functools
import gzip
import hashlib
import http.server
import os
import socket
import threading

import numpy as np
import pytest

from helpers.data import MNIST_FILES, DownloadError, load_digits, load_mnist, parse_idx

# ---------------------------------------------------------------------------------------------------------------
# IDX files written by hand (the format: 0x0000, type code, ndim, big-endian uint32 dims, big-endian data)
# ---------------------------------------------------------------------------------------------------------------


def idx_bytes(a, code):
    a = np.asarray(a)
    big = a.astype(a.dtype.newbyteorder(">"))
    header = bytes([0, 0, code, a.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in a.shape)
    return header + big.tobytes()


@pytest.mark.parametrize("dtype,code", [(np.uint8, 0x08), (np.int8, 0x09), (np.int16, 0x0B), (np.int32, 0x0C),
                                        (np.float32, 0x0D), (np.float64, 0x0E)])
@pytest.mark.parametrize("compress", [False, True])
def test_parse_idx_round_trips_every_type(rng, dtype, code, compress):
    a = (rng.normal(size=(3, 4, 5)) * 100).astype(dtype)
    data = idx_bytes(a, code)
    data = gzip.compress(data) if compress else data
    out = parse_idx(data)
    assert out.dtype == np.dtype(dtype) and out.shape == (3, 4, 5)
    np.testing.assert_array_equal(out, a)


def test_parse_idx_reads_the_published_header_layout():
    # The MNIST label file's header as documented: magic 0x00000801, then the count 60000 (0x0000EA60).
    data = bytes.fromhex("00000801" "0000ea60") + bytes(range(10)) * 6000
    labels = parse_idx(data)
    assert labels.shape == (60000,) and labels[:12].tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]


@pytest.mark.parametrize("data,message", [
    (b"\x01\x00\x08\x01" + bytes(8), "is not an IDX file"),
    (b"\x00\x00\x07\x01" + bytes(8), "is not an IDX file"),
    (b"\x00\x00\x08\x02\x00\x00", "is truncated"),
    (bytes.fromhex("00000801" "0000000a") + bytes(9), "has 17 bytes but its header .* needs 18"),
    (bytes.fromhex("00000801" "0000000a") + bytes(11), "needs 18"),
    (b"\x1f\x8b" + b"not gzip at all", "is not a valid gzip file"),
])
def test_parse_idx_rejects_corrupt_data(data, message):
    with pytest.raises(ValueError, match=message):
        parse_idx(data, "the file")


# ---------------------------------------------------------------------------------------------------------------
# A tiny MNIST served on loopback
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Any connection to a host other than 127.0.0.1 fails (and so would fail the test)."""
    real_connect = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "localhost"):
            raise OSError(f"test tried to reach {address}: tests must not use the network")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def tiny_mnist(rng):
    """Four small gzipped IDX files in MNIST's layout: 6 training and 4 test images of 28 x 28."""
    arrays = {
        "train-images-idx3-ubyte.gz": (rng.integers(0, 256, size=(6, 28, 28)).astype(np.uint8), 0x08),
        "train-labels-idx1-ubyte.gz": (np.array([5, 0, 4, 1, 9, 2], dtype=np.uint8), 0x08),
        "t10k-images-idx3-ubyte.gz": (rng.integers(0, 256, size=(4, 28, 28)).astype(np.uint8), 0x08),
        "t10k-labels-idx1-ubyte.gz": (np.array([7, 2, 1, 0], dtype=np.uint8), 0x08),
    }
    blobs = {name: gzip.compress(idx_bytes(a, code), mtime=0) for name, (a, code) in arrays.items()}
    hashes = {name: "md5:" + hashlib.md5(b).hexdigest() for name, b in blobs.items()}
    return {name: a for name, (a, _) in arrays.items()}, blobs, hashes


class Server:
    """http.server on 127.0.0.1 in a thread, serving ``folder``; ``.requests`` lists the paths asked for."""

    def __init__(self, folder):
        requests = self.requests = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean, record instead
                requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(Handler, directory=str(folder)))
        self.httpd.timeout = 5
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def mirrors(tmp_path, rng):
    """Two mirrors: "bad" serves a corrupted train-labels file, "good" serves all four correctly."""
    arrays, blobs, hashes = tiny_mnist(rng)
    servers = {}
    for name in ("bad", "good"):
        folder = tmp_path / f"www-{name}"
        folder.mkdir()
        for fname, blob in blobs.items():
            if name == "bad" and fname == "train-labels-idx1-ubyte.gz":
                blob = blob[:12] + bytes([blob[12] ^ 0xFF]) + blob[13:]  # corrupted: one byte flipped
            (folder / fname).write_bytes(blob)
        servers[name] = Server(folder)
    yield arrays, hashes, servers
    for s in servers.values():
        s.stop()


def dead_url():
    """A loopback URL nobody listens on (a port just freed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def check_tiny(result, arrays):
    (X, t), (X_test, t_test) = result
    assert X.shape == (6, 784) and X.dtype == np.float32 and X_test.shape == (4, 784)
    assert 0.0 <= X.min() and X.max() <= 1.0
    np.testing.assert_allclose(X, arrays["train-images-idx3-ubyte.gz"].reshape(6, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(t, [5, 0, 4, 1, 9, 2])
    np.testing.assert_array_equal(t_test, [7, 2, 1, 0])
    assert t.dtype == np.int64


def cache_files(root):
    return sorted(os.listdir(root)) if os.path.isdir(root) else []


def test_fresh_download_skips_the_corrupt_mirror_then_the_cache_is_used(tmp_path, mirrors):
    arrays, hashes, servers = mirrors
    root = str(tmp_path / "cache")
    urls = [servers["bad"].url, servers["good"].url]
    check_tiny(load_mnist(root, mirrors=urls, files=hashes, timeout=5), arrays)
    assert cache_files(root) == sorted(MNIST_FILES)  # the four verified files, no temporary or corrupt one
    assert "/train-labels-idx1-ubyte.gz" in servers["bad"].requests  # it was tried, rejected by its hash
    assert servers["good"].requests.count("/train-labels-idx1-ubyte.gz") == 1
    # cache hit: with every mirror down, the cached files are enough, and no request is made
    before = len(servers["good"].requests) + len(servers["bad"].requests)
    check_tiny(load_mnist(root, mirrors=[dead_url()], files=hashes, timeout=5), arrays)
    check_tiny(load_mnist(root, download=False, files=hashes), arrays)
    assert len(servers["good"].requests) + len(servers["bad"].requests) == before


def test_a_corrupt_cached_file_is_replaced(tmp_path, mirrors):
    arrays, hashes, servers = mirrors
    root = tmp_path / "cache"
    load_mnist(str(root), mirrors=[servers["good"].url], files=hashes, timeout=5)
    (root / "t10k-images-idx3-ubyte.gz").write_bytes(b"half a download")
    check_tiny(load_mnist(str(root), mirrors=[servers["good"].url], files=hashes, timeout=5), arrays)
    assert servers["good"].requests.count("/t10k-images-idx3-ubyte.gz") == 2


def test_a_corrupt_cached_file_is_removed_when_it_cannot_be_replaced(tmp_path, mirrors):
    _, hashes, servers = mirrors
    root = tmp_path / "cache"
    load_mnist(str(root), mirrors=[servers["good"].url], files=hashes, timeout=5)
    (root / "train-images-idx3-ubyte.gz").write_bytes(b"garbage")
    with pytest.raises(DownloadError, match="could not download train-images-idx3-ubyte.gz"):
        load_mnist(str(root), mirrors=[dead_url()], files=hashes, timeout=5)
    assert "train-images-idx3-ubyte.gz" not in cache_files(root)
    with pytest.raises(DownloadError, match="not in the MNIST cache .* download=False"):
        load_mnist(str(root), download=False, files=hashes)


def test_hash_mismatch_everywhere_is_a_clear_error_and_leaves_nothing(tmp_path, mirrors):
    _, hashes, servers = mirrors
    root = str(tmp_path / "cache")
    with pytest.raises(DownloadError, match=r"train-labels-idx1-ubyte.gz .*(hash|MD5|md5).*load_digits\(\)"):
        load_mnist(root, mirrors=[servers["bad"].url], files=hashes, timeout=5)
    files = cache_files(root)
    assert "train-labels-idx1-ubyte.gz" not in files
    assert all(f in MNIST_FILES for f in files)  # no temporary leftovers; only verified files
    for f in files:
        assert "md5:" + hashlib.md5((tmp_path / "cache" / f).read_bytes()).hexdigest() == hashes[f]


def test_server_down_fails_fast_with_advice_and_leaves_no_cache(tmp_path, rng):
    _, _, hashes = tiny_mnist(rng)
    root = str(tmp_path / "cache")
    with pytest.raises(DownloadError, match="internet connection.*load_digits"):
        load_mnist(root, mirrors=[dead_url(), dead_url()], files=hashes, timeout=2)
    assert not os.path.exists(root)


def test_http_errors_are_reported(tmp_path, mirrors):
    _, hashes, servers = mirrors
    with pytest.raises(DownloadError, match="404"):
        load_mnist(str(tmp_path / "c"), mirrors=[servers["good"].url + "missing/"], files=hashes, timeout=5)


def test_the_default_sources_are_the_published_ones():
    # The MD5 sums torchvision and others verify MNIST with.
    assert MNIST_FILES["train-images-idx3-ubyte.gz"] == "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873"
    assert MNIST_FILES["t10k-labels-idx1-ubyte.gz"] == "md5:ec29112dd5afa0611ce80d1b7f02629c"
    from helpers.data import MNIST_MIRRORS

    assert len(MNIST_MIRRORS) >= 2 and all(m.endswith("/") for m in MNIST_MIRRORS)


def test_files_must_name_all_four(tmp_path):
    with pytest.raises(ValueError, match="missing"):
        load_mnist(str(tmp_path), files={"train-images-idx3-ubyte.gz": "md5:0"})


# ---------------------------------------------------------------------------------------------------------------
# The bundled digits
# ---------------------------------------------------------------------------------------------------------------


def test_digits_split_is_stratified_scaled_and_fixed():
    (X, t), (X_test, t_test) = load_digits(seed=0)
    assert X.shape == (1347, 64) and X_test.shape == (450, 64) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    counts, counts_test = np.bincount(t), np.bincount(t_test)
    np.testing.assert_allclose(counts / counts.sum(), counts_test / counts_test.sum(), atol=0.01)
    (X2, t2), _ = load_digits(seed=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(t, t2)
    (_, t3), _ = load_digits(seed=1)
    assert not np.array_equal(t, t3)
    from sklearn.datasets import load_digits as sk

    rows = {r.tobytes() for r in (sk().data / 16).astype(np.float32)}  # every image is one of scikit-learn's
    assert all(r.tobytes() in rows for r in np.concatenate([X, X_test]))


def test_digits_bad_arguments():
    with pytest.raises(TypeError, match="seed must be an integer"):
        load_digits(seed=0.5)
    with pytest.raises(ValueError, match="test_size must be a fraction"):
        load_digits(test_size=1.5)


def test_importing_helpers_touches_no_network_and_writes_nothing(tmp_path):
    # A fresh interpreter: importing the package and its data and softmax modules loads no download code
    # (pooch, requests) and creates no file in the working directory.
    import subprocess
    import sys

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = ("import sys, helpers, helpers.data, helpers.multiclass; "
            "print(sorted(m for m in ('pooch', 'requests', 'urllib3') if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=repo, PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []
