"""Loading the data the notebooks use. Nothing here touches the network at import."""

import csv
import gzip
import logging
import os

import numpy as np

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

PENGUIN_COLUMNS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")


def load_penguins(columns=PENGUIN_COLUMNS, species=None, dropna=True):
    """The Palmer penguins (Gorman, Williams & Fraser 2014), shipped in ``data/penguins.csv``.

    Parameters
    ----------
    columns : sequence of str
        Numeric columns to return, from ``PENGUIN_COLUMNS``.
    species : sequence of str, optional
        Keep only these species (``"Adelie"``, ``"Chinstrap"``, ``"Gentoo"``).
    dropna : bool
        Drop the rows where any requested column is missing (2 of 344 penguins).

    Returns
    -------
    X : (N, len(columns)) float64 array
    species : (N,) array of str
    """
    unknown = [c for c in columns if c not in PENGUIN_COLUMNS]
    if unknown:
        raise ValueError(f"columns must be among {PENGUIN_COLUMNS}, got {unknown}")
    with open(os.path.join(DATA_DIR, "penguins.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if species is not None:
        names = {r["species"] for r in rows}
        bad = [s for s in species if s not in names]
        if bad:
            raise ValueError(f"species must be among {sorted(names)}, got {bad}")
        rows = [r for r in rows if r["species"] in species]
    X = np.array([[float(r[c]) if r[c] not in ("NA", "") else np.nan for c in columns] for r in rows])
    names = np.array([r["species"] for r in rows])
    if dropna:
        keep = ~np.isnan(X).any(axis=1)
        X, names = X[keep], names[keep]
    return X, names


# ----------------------------------------------------------------------------------------------------------------
# Handwritten digits (notebook 05): scikit-learn's bundled 8 x 8 digits, and MNIST downloaded on demand
# ----------------------------------------------------------------------------------------------------------------

REPO_ROOT = os.path.dirname(DATA_DIR)

#: Public MNIST mirrors, tried in order (the original host has refused downloads before).
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",  # PyTorch's mirror (torchvision)
    "https://storage.googleapis.com/cvdf-datasets/mnist/",  # TensorFlow's mirror
    "http://yann.lecun.com/exdb/mnist/",  # the original
)

#: The four IDX files and their published MD5 sums (the ones torchvision verifies).
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "md5:d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "md5:9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "md5:ec29112dd5afa0611ce80d1b7f02629c",
}


class DownloadError(OSError):
    """Data that is neither in the cache nor downloadable (offline, every mirror failed, or hash mismatch)."""


def load_digits(seed=0, test_size=0.25):
    """scikit-learn's bundled handwritten digits: 1,797 images of 8 x 8 pixels, split for training and testing.

    Real handwriting (from 43 people, UCI ML repository), shipped with
    scikit-learn, so it needs no network. The split is stratified (each
    digit in the same proportion in both parts) and fixed by ``seed``.

    Parameters
    ----------
    seed : int, default 0
    test_size : float in (0, 1), default 0.25

    Returns
    -------
    (X_train, labels_train), (X_test, labels_test)
        X : (N, 64) float32 pixels in [0, 1] (row-major 8 x 8 images); labels : (N,) int64 in 0..9
    """
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction in (0, 1), got {test_size}")
    X, labels = sklearn_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)  # 4-bit gray levels 0..16
    X_train, X_test, t_train, t_test = train_test_split(
        X, labels.astype(np.int64), test_size=test_size, stratify=labels, random_state=int(seed))
    return (X_train, t_train), (X_test, t_test)


_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def parse_idx(data, name="IDX data"):
    """Parse the IDX format of MNIST (LeCun et al.) into a NumPy array.

    Layout: two zero bytes, a type code (0x08 unsigned byte, 0x09 signed byte,
    0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of
    dimensions, one big-endian uint32 per dimension, then the values,
    big-endian, row-major. Gzip-compressed data is decompressed first.

    Parameters
    ----------
    data : bytes
    name : str, used in error messages

    Returns
    -------
    numpy.ndarray of the stored shape (native byte order)
    """
    data = bytes(data)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise ValueError(f"{name} is not a valid gzip file ({err})") from None
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] not in _IDX_TYPES:
        raise ValueError(f"{name} is not an IDX file: it starts with bytes {data[:4].hex()}, expected 0000 "
                         "then a type code (08, 09, 0b, 0c, 0d or 0e) and the number of dimensions")
    dtype, ndim = np.dtype(_IDX_TYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{name} is truncated: its header announces {ndim} dimensions but has {len(data)} bytes")
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(f"{name} has {len(data)} bytes but its header (shape {shape}, {dtype.name}) "
                         f"needs {expected}: the file is truncated or corrupt")
    return np.frombuffer(data, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _hash_ok(path, known_hash):
    import pooch

    return pooch.file_hash(path, alg=known_hash.split(":")[0]) == known_hash.split(":")[1]


def _fetch(fname, known_hash, folder, mirrors, timeout, dead):
    """Download one file into ``folder`` from the first mirror that works; ``dead`` collects unreachable mirrors."""
    import pooch  # imported on use: importing helpers loads no download code
    import requests

    failures = []
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)  # pooch logs the local path; keep notebooks free of it
    try:
        for mirror in mirrors:
            if mirror in dead:
                continue
            url = mirror + fname
            try:
                return pooch.retrieve(url, known_hash, fname=fname, path=folder,
                                      downloader=pooch.HTTPDownloader(timeout=timeout, progressbar=False))
            except requests.exceptions.HTTPError as err:  # the host answered, but not with the file
                failures.append(f"{url}: {err}")
            except requests.exceptions.RequestException as err:  # unreachable: skip it for the other files
                dead.add(mirror)
                failures.append(f"{url}: {type(err).__name__}")
            except ValueError as err:  # pooch: hash mismatch (the temporary file is already deleted)
                failures.append(f"{url}: hash mismatch, the file was not stored ({str(err).split('. ')[0]})")
    finally:
        logger.setLevel(level)
    advice = ("A mirror served a file that differs from the published one; try again later"
              if any("hash mismatch" in f for f in failures) else "Check the internet connection")
    raise DownloadError(
        f"could not download {fname} from any of the {len(mirrors)} MNIST mirrors "
        f"({'; '.join(failures) or 'all unreachable'}). {advice}; or download the four files "
        f"{', '.join(MNIST_FILES)} by hand into the cache folder; or use load_digits(), which needs no network."
    )


def load_mnist(root="data/mnist", download=True, *, mirrors=None, files=None, timeout=30.0):
    """MNIST: 70,000 handwritten digits of 28 x 28 pixels, 60,000 for training and 10,000 for testing.

    The four IDX files are read from the cache folder ``root``; missing
    ones are downloaded (with pooch) from the first of several public
    mirrors that answers, and every file, cached or downloaded, is checked
    against its published MD5 sum. A cached file that fails the check is
    deleted (and downloaded again); a download that fails the check is never
    stored, so the cache holds only complete, verified files.

    Parameters
    ----------
    root : str, default "data/mnist"
        The cache folder; a relative path is taken from the repository's root
        (git ignores ``data/mnist/``).
    download : bool, default True
        Download missing files. With False, only the cache is used.
    mirrors : sequence of str, optional
        Base URLs to try in order (default `MNIST_MIRRORS`).
    files : dict, optional
        File name -> "md5:..." or "sha256:..." hash (default `MNIST_FILES`); the four names must be there.
    timeout : float, default 30
        Seconds to wait on a mirror before giving up on it (pass a few seconds to fail fast offline).

    Returns
    -------
    (X_train, labels_train), (X_test, labels_test)
        X : (N, 784) float32 pixels in [0, 1] (row-major 28 x 28 images); labels : (N,) int64 in 0..9

    Raises
    ------
    DownloadError
        When a file is neither cached nor downloadable (offline, every mirror failing, or a hash mismatch).
    """
    mirrors = tuple(MNIST_MIRRORS if mirrors is None else mirrors)
    files = dict(MNIST_FILES if files is None else files)
    missing = [f for f in MNIST_FILES if f not in files]
    if missing:
        raise ValueError(f"files must name the four MNIST files, missing {missing}")
    folder = root if os.path.isabs(root) else os.path.join(REPO_ROOT, root)
    dead = set()  # mirrors found unreachable: not tried again for the other files
    paths = {f: _cached_or_fetched(f, files[f], folder, root, download, mirrors, timeout, dead) for f in MNIST_FILES}
    return tuple(_mnist_part(part, paths) for part in ("train", "t10k"))


def _cached_or_fetched(fname, known_hash, folder, root, download, mirrors, timeout, dead):
    """The path of a verified copy of ``fname`` in the cache ``folder``, downloaded if missing or corrupt."""
    path = os.path.join(folder, fname)
    if os.path.isfile(path) and not _hash_ok(path, known_hash):
        os.remove(path)  # corrupt or truncated: never leave it in the cache
    if os.path.isfile(path):
        return path
    if not download:
        raise DownloadError(f"{fname} is not in the MNIST cache (root={root!r}) and download=False; "
                            "call load_mnist(download=True) with an internet connection, or use load_digits()")
    os.makedirs(folder, exist_ok=True)
    try:
        return _fetch(fname, known_hash, folder, mirrors, timeout, dead)
    except DownloadError:
        if not os.listdir(folder):
            os.rmdir(folder)  # leave no empty cache folder behind
        raise


def _mnist_part(part, paths):
    """(X, labels) of the ``"train"`` or ``"t10k"`` part: float32 pixels in [0, 1], int64 labels."""
    arrays = []
    for kind in ("images-idx3", "labels-idx1"):
        fname = f"{part}-{kind}-ubyte.gz"
        with open(paths[fname], "rb") as f:
            arrays.append(parse_idx(f.read(), fname))
    images, labels = arrays
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"MNIST {part} files disagree: images {images.shape}, labels {labels.shape}")
    return images.reshape(images.shape[0], -1).astype(np.float32) / 255.0, labels.astype(np.int64)
