"""Leave no process behind: what a submission starts in the background is killed with its kernel (Linux).

The grading process makes itself a "child subreaper", so a process the kernel starts and detaches (a daemon,
``setsid``, a double fork) is re-parented to the grader rather than to init when the kernel dies; the grader then
kills every child it did not start itself. Elsewhere these are no-ops: only the kernel's session is killed.
"""

import contextlib
import ctypes
import os
import signal
import sys

_PR_SET_CHILD_SUBREAPER = 36
_subreaper = False


def become_subreaper():
    global _subreaper
    if _subreaper or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper = libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def children():
    """Process ids whose parent is this process (from /proc; empty where there is no /proc)."""
    me, found = os.getpid(), set()
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    with open(f"/proc/{entry}/stat", "rb") as f:
                        fields = f.read().rsplit(b")", 1)[1].split()
                    if int(fields[1]) == me:
                        found.add(int(entry))
    return found


def kill_strays(keep, rounds=20):
    """SIGKILL and reap this process's children outside ``keep`` (re-parented orphans among them), until none."""
    if not _subreaper:
        return
    for _ in range(rounds):
        strays = children() - set(keep)
        if not strays:
            return
        for pid in strays:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in strays:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)
