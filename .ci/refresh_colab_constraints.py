"""Rewrite .ci/constraints-colab.txt from Google's published list of the Colab runtime's packages.

Google publishes the exact `pip freeze` of Colab's GPU runtime in the public repository
googlecolab/backend-info (`pip-freeze.gpu.txt`, Python version in `os-info-gpu.txt`). CI's Colab
environment installs requirements.txt under these pins, on the same Python minor version.

    python .ci/refresh_colab_constraints.py                       # download the current list from GitHub
    python .ci/refresh_colab_constraints.py path/to/backend-info  # or read a clone of that repository

Only the packages the course imports or runs under are pinned (PACKAGES); local-version suffixes such as
torch's "+cu128" are dropped (PyPI has no such builds; its own CUDA build of the same release installs).
Check the Python line this prints against `.ci/run`'s Colab Python, then commit the file.
"""

import datetime
import pathlib
import re
import subprocess
import sys
import urllib.request

RAW = "https://raw.githubusercontent.com/googlecolab/backend-info/main/"
OUT = pathlib.Path(__file__).with_name("constraints-colab.txt")
# The course's runtime and test stack, and the kernel stack notebooks run under (ipykernel, IPython, ...).
PACKAGES = ["torch", "numpy", "scipy", "scikit-learn", "matplotlib", "ipywidgets", "tqdm", "pooch", "threadpoolctl",
            "ipython", "ipykernel", "jupyter_client", "jupyter_core", "traitlets", "tornado", "pyzmq",
            "matplotlib-inline", "nbformat", "nbclient", "pytest",
            "pyparsing", "pillow", "contourpy", "packaging"]  # matplotlib's own dependencies, as Colab has them


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read(source):
    """(pip-freeze.gpu.txt, os-info-gpu.txt, provenance) from a local clone or from GitHub."""
    if source:
        repo = pathlib.Path(source)
        head = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%h %cs"], capture_output=True,
                              text=True).stdout.strip() or "working tree"
        def show(name):  # a checkout, or a bare clone (no work tree)
            if (repo / name).is_file():
                return (repo / name).read_text()
            return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{name}"], capture_output=True, text=True,
                                  check=True).stdout
        return show("pip-freeze.gpu.txt"), show("os-info-gpu.txt"), f"googlecolab/backend-info at {head}"
    fetch = lambda name: urllib.request.urlopen(RAW + name, timeout=30).read().decode()  # noqa: E731
    provenance = f"googlecolab/backend-info main, read {datetime.date.today()}"
    return fetch("pip-freeze.gpu.txt"), fetch("os-info-gpu.txt"), provenance


def constraints(freeze):
    """{normalized name: 'name==version'} for PACKAGES, local-version suffixes dropped."""
    pins = {}
    for line in freeze.splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s+;]+)", line.strip())
        if m and _normal(m.group(1)) in {_normal(p) for p in PACKAGES}:
            pins[_normal(m.group(1))] = f"{m.group(1)}=={m.group(2)}"
    missing = [p for p in PACKAGES if _normal(p) not in pins]
    if missing:
        raise SystemExit(f"not in Colab's pip-freeze.gpu.txt: {', '.join(missing)} (update PACKAGES?)")
    return pins


def main(argv):
    freeze, os_info, provenance = read(argv[1] if len(argv) > 1 else None)
    python = next((line for line in os_info.splitlines() if line.startswith("Python ")), "Python ?")
    pins = constraints(freeze)
    header = [f"# Colab's GPU runtime, from {provenance} (pip-freeze.gpu.txt; {python}).",
              "# Regenerate with `python .ci/refresh_colab_constraints.py` when Google updates the list.",
              "# torch: PyPI's build of Colab's release (Colab's own is +cu128; the tests run it on the CPU)."]
    OUT.write_text("\n".join(header + [pins[_normal(p)] for p in PACKAGES]) + "\n")
    print(f"wrote {OUT} ({len(pins)} pins); Colab runs {python}")


if __name__ == "__main__":
    main(sys.argv)
