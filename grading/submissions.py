"""Finding the submissions: notebooks given one by one, in folders (recursively) and in .zip files.

Each submission gets a display path (as the instructor gave it, ``folder/alice/hw1.ipynb`` or
``batch.zip:alice/hw1.ipynb``) and a key, unique in the run and safe as a file name, for its feedback and
results files: the display path relative to what all submissions share, ``/`` written ``__`` (two students'
``hw1.ipynb`` in different folders get different keys). Nothing is extracted to disk by a name taken from a zip.
"""

import os
import re
import zipfile
from dataclasses import dataclass


class UsageError(ValueError):
    """A misuse of the command (a path that does not exist, a damaged zip, nothing to grade)."""


@dataclass(frozen=True)
class Submission:
    display: str  # how the report names it
    key: str  # unique in the run, safe as a file name
    path: str  # the file, or the zip holding it
    member: str = ""  # the name inside the zip

    def read(self, limit):
        """The submission's bytes, at most ``limit`` of them (read by the megabyte: no buffer of ``limit``)."""
        if not self.member:
            with open(self.path, "rb") as f:
                return _read_capped(f, limit)
        with zipfile.ZipFile(self.path) as z, z.open(self.member) as f:
            return _read_capped(f, limit)


def _read_capped(f, limit):
    chunks, total = [], 0
    while total < limit:
        chunk = f.read(min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _is_notebook_name(name):
    base = os.path.basename(name)
    return name.lower().endswith(".ipynb") and not base.startswith(".") and "__MACOSX" not in name.split("/") \
        and ".ipynb_checkpoints" not in name.split("/")


def _in_folder(folder):
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        found += [os.path.join(dirpath, f) for f in sorted(filenames) if _is_notebook_name(f)]
    return found


def _in_zip(path):
    try:
        with zipfile.ZipFile(path) as z:
            return sorted(i.filename for i in z.infolist() if not i.is_dir() and _is_notebook_name(i.filename))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UsageError(f"{path}: not a readable zip file ({exc})") from None


def discover(paths):
    """The submissions in ``paths`` (files, folders, zips), in order; raises `UsageError` on a misuse."""
    found = []  # (display, path, member)
    for path in paths:
        if os.path.isdir(path):
            found += [(f, f, "") for f in _in_folder(path)]
        elif os.path.isfile(path) and path.lower().endswith(".zip"):
            found += [(f"{path}:{m}", path, m) for m in _in_zip(path)]
        elif os.path.isfile(path):
            found.append((path, path, ""))  # any file given by name is a submission, notebook or not
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not found:
        raise UsageError(f"no .ipynb files found in {', '.join(paths)}")
    keys = unique_keys([display for display, _, _ in found])
    return [Submission(display, key, path, member) for (display, path, member), key in zip(found, keys)]


def unique_keys(displays):
    """File-name-safe keys: each display path minus the folders all share, separators as '__', made unique."""
    parts = [re.split(r"[/\\:]+", os.path.normpath(d).replace(".zip:", ".zip/")) for d in displays]
    parts = [[p for p in ps if p not in ("", ".", "..")] for ps in parts]
    shared = 0
    while len(parts) > 1 and all(len(ps) > shared + 1 for ps in parts) and len({ps[shared] for ps in parts}) == 1:
        shared += 1
    if len(parts) == 1:
        shared = len(parts[0]) - 1
    keys, seen = [], set()
    for ps in parts:
        stem = re.sub(r"\.ipynb$", "", "__".join(ps[shared:]), flags=re.I)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "submission"
        key, n = stem[:150], 2
        while key.lower() in seen:
            key, n = f"{stem[:150]}-{n}", n + 1
        seen.add(key.lower())
        keys.append(key)
    return keys
