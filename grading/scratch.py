"""A scratch copy of the course for one submission, and the environment its kernel gets.

The copy holds what the notebooks import and read (``helpers/`` and ``data/``, copied from the instructor's
tree) and the submission at ``notebooks/student/<stem>.ipynb``, where the kernel starts: the notebooks' setup cell
walks up from there to the copy's root. The solution notebooks are not copied. The copy is deleted afterwards;
whatever the submission deletes or overwrites there is lost with it.
"""

import contextlib
import os
import shutil
import stat
import tempfile

COURSE_PATHS = ("helpers", "data")  # what a notebook needs from the course, relative to its root
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "mnist", "cache")
# Environment variables the kernel inherits (the rest, secrets included, stay in the grader).
_PASS = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TERM", "LD_LIBRARY_PATH", "SSL_CERT_FILE",
         "CONDA_PREFIX", "VIRTUAL_ENV", "MPLCONFIGDIR", "XDG_CACHE_HOME", "TORCH_HOME")
_PASS_PREFIXES = ("LC_", "HELPERS_", "CUDA_", "NVIDIA_")
_THREADS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


class Scratch:
    """``with Scratch(root, stem, data) as s``: s.root (the copy), s.cwd (the notebook's folder), s.private."""

    def __init__(self, course_root, stem, notebook_bytes, parent=None):
        self.root = tempfile.mkdtemp(prefix="grading-", dir=parent)
        for rel in COURSE_PATHS:
            src = os.path.join(course_root, rel)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.root, rel), ignore=_IGNORE)
        self.cwd = os.path.join(self.root, "notebooks", "student")
        self.private = os.path.join(self.root, ".kernel")  # connection files and sockets
        self.tmp = os.path.join(self.root, ".tmp")
        for d in (self.cwd, self.private, self.tmp):
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(self.cwd, f"{stem}.ipynb"), "wb") as f:
            f.write(notebook_bytes)

    @property
    def helpers_dir(self):
        return os.path.join(self.root, "helpers")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def remove(self):
        """Delete the copy, even where the submission took away permissions."""

        def retry(func, path, _):
            with contextlib.suppress(OSError):
                os.chmod(os.path.dirname(path), stat.S_IRWXU)
                os.chmod(path, stat.S_IRWXU)
                func(path)

        shutil.rmtree(self.root, onerror=retry)


def kernel_env(scratch, device, threads):
    """The kernel's environment: an allowlist of the grader's, the course's settings, one BLAS pool size."""
    env = {k: v for k, v in os.environ.items() if k in _PASS or k.startswith(_PASS_PREFIXES)}
    env.update(HELPERS_DEVICE=device, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
               IPYTHONDIR=os.path.join(scratch.root, ".ipython"), TMPDIR=scratch.tmp, JUPYTER_PLATFORM_DIRS="1",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.setdefault("HELPERS_DATASET", "digits")  # the bundled digits, as CI runs notebook 05
    env.update({name: str(threads) for name in _THREADS})
    return env
