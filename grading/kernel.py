"""A sandboxed IPython kernel for one submission: started with resource limits, driven with timeouts.

The kernel is the current environment's ``ipykernel``, launched directly (no kernel manager) in its own session,
through a tiny launcher that first sets its resource limits (memory, file size, no core dumps) and makes it die
with the grading process. It talks over Unix sockets in the scratch folder, not TCP ports. Each
`Kernel.execute` waits at most its timeout; a kernel that dies (``os._exit``, a segfault, the memory limit) is
reported, never raised. Messages over `MAX_MESSAGE` bytes (a cell printing 100 MB) are dropped by ZeroMQ before
they reach this process, and the channel is reconnected.
"""
import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from zmq.utils.monitor import recv_monitor_message

from . import reaper

MAX_MESSAGE = 16 << 20  # bytes: larger messages from the kernel are dropped unread
KEEP_TEXT = 4000  # characters of an error's traceback kept
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Runs before the kernel (``python -c``): die with the grader (Linux), set the limits, then become the kernel.
_LAUNCHER = """\
import ctypes, os, resource, signal, sys
if sys.platform.startswith("linux"):
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
data, fsize = int(sys.argv[1]), int(sys.argv[2])
for limit, value in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_DATA, data), (resource.RLIMIT_FSIZE, fsize)):
    if value > 0:
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass
os.execv(sys.argv[3], sys.argv[3:])
"""


@dataclass
class Reply:
    """How one execution ended: ``ok``, ``error``, ``timeout``, or ``died``."""

    status: str
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    user_expressions: dict = field(default_factory=dict)
    output_bytes: int = 0  # stream and display output received
    dropped: bool = False  # a message over MAX_MESSAGE was dropped (its output, or the reply itself)
    seconds: float = 0.0


class Kernel:
    """One kernel process and its client. Use as a context manager; `restart` gives a fresh process."""

    def __init__(self, cwd, env, sockets_dir, memory_bytes=0, file_bytes=0, startup_timeout=60):
        self.cwd, self.env, self.sockets_dir = cwd, env, sockets_dir
        self.memory_bytes, self.file_bytes, self.startup_timeout = memory_bytes, file_bytes, startup_timeout
        self.proc = self.client = self.context = None
        self._monitors = {}
        self._starts = 0
        self._known = set()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()

    # ---------------------------------------------------------------- process

    def start(self):
        self._starts += 1
        sockets = os.path.join(self.sockets_dir, f"k{self._starts}")
        key = os.urandom(16).hex().encode()
        ipc = os.name == "posix"  # Unix sockets in the scratch folder; TCP on localhost elsewhere
        conn, _ = write_connection_file(sockets + ".json", transport="ipc" if ipc else "tcp",
                                        ip=sockets if ipc else "127.0.0.1", key=key)
        cmd = [sys.executable, "-c", _LAUNCHER, str(self.memory_bytes), str(self.file_bytes), sys.executable,
               "-m", "ipykernel_launcher", "-f", conn, "--HistoryManager.enabled=False"]
        reaper.become_subreaper()
        self._known = reaper.children()
        with open(os.devnull, "w") as null:
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env,
                                         stdin=subprocess.DEVNULL, stdout=null, stderr=null, start_new_session=True)
        # jupyter_client 8 wants a zmq.Context, 7 (Colab's 7.4.9) a zmq.asyncio.Context: the class its trait names.
        self.context = getattr(BlockingKernelClient.class_traits()["context"], "klass", zmq.Context)()
        self.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE)
        self._sync = zmq.Context.shadow(self.context.underlying)  # plain sockets for the monitors, either way
        self.client = BlockingKernelClient(context=self.context)
        self.client.load_connection_file(conn)
        self.client.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
        self._monitor("shell")
        self._monitor("iopub")
        deadline = time.monotonic() + self.startup_timeout
        while True:  # kernel_info until it answers (the kernel binds its sockets after it starts)
            reply = self._wait(self.client.kernel_info(), None, min(deadline, time.monotonic() + 2))
            if reply.status == "ok":
                return
            if reply.status == "died" or time.monotonic() > deadline:
                raise KernelStartError(f"the kernel did not start ({self.death() or 'no answer'})")

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def death(self):
        """How the process ended ('exit code 1', 'signal 11 (SIGSEGV)'), or '' while it runs."""
        if self.proc is None or self.proc.poll() is None:
            return ""
        code = self.proc.returncode
        if code < 0:
            with contextlib.suppress(ValueError):
                return f"killed by signal {-code} ({signal.Signals(-code).name})"
            return f"killed by signal {-code}"
        return f"exit code {code}"

    def interrupt(self):
        """Send SIGINT (a KeyboardInterrupt in the running cell)."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGINT)

    def restart(self):
        self.shutdown()
        self.start()

    def shutdown(self):
        """Kill the kernel, whatever it started in its session, and close the sockets."""
        if self.proc is not None:
            for kill in (lambda: os.killpg(self.proc.pid, signal.SIGKILL), self.proc.kill):
                with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
                    kill()  # (no killpg on Windows: the AttributeError)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
            reaper.kill_strays(self._known | {self.proc.pid})
        if self.client is not None:
            for name, mon in self._monitors.items():
                with contextlib.suppress(zmq.ZMQError):
                    getattr(self.client, f"{name}_channel").socket.disable_monitor()
                mon.close(linger=0)
            self._monitors = {}
            self.client.stop_channels()
            self.context.destroy(linger=0)
            self.client = self.context = self._sync = None

    # ---------------------------------------------------------------- messages

    def _monitor(self, name):
        socket = getattr(self.client, f"{name}_channel").socket
        address = f"inproc://grader-monitor-{name}-{id(socket)}"
        socket.monitor(address, zmq.EVENT_DISCONNECTED)  # what Socket.get_monitor_socket does, with a plain socket
        monitor = self._sync.socket(zmq.PAIR)
        monitor.connect(address)
        self._monitors[name] = monitor

    def _reconnect(self, name):
        """A dropped message disconnects the channel: open a new one (it is the only way back)."""
        recv_monitor_message(self._monitors[name])
        channel = getattr(self.client, f"_{name}_channel")
        with contextlib.suppress(zmq.ZMQError):
            channel.socket.disable_monitor()
        self._monitors.pop(name).close(linger=0)
        channel.close()
        setattr(self.client, f"_{name}_channel", None)
        self._monitor(name)

    def _waiting(self, name):
        """The messages already waiting on channel ``name``, without blocking (the client's own calls, which
        jupyter_client 7 and 8 both make blocking; their channels' methods are coroutines in 7)."""
        get = getattr(self.client, f"get_{name}_msg")
        while True:
            try:
                yield get(timeout=0)
            except queue.Empty:
                return

    def execute(self, code, timeout, silent=False, user_expressions=None):
        """Run ``code``; wait at most ``timeout`` seconds (then status 'timeout': the code may still be running)."""
        if not self.alive:
            return Reply("died", ename="DeadKernel", evalue=self.death())
        msg_id = self.client.execute(code, silent=silent, store_history=not silent, allow_stdin=False,
                                     user_expressions=user_expressions or {}, stop_on_error=False)
        return self._wait(msg_id, self.client.kernel_info(), time.monotonic() + timeout)

    def wait_idle(self, timeout):
        """After a timeout or an interrupt: True once the kernel answers again within ``timeout`` seconds."""
        return self._wait(self.client.kernel_info(), None, time.monotonic() + timeout).status == "ok"

    def _wait(self, msg_id, sentinel_id, deadline):
        """Collect ``msg_id``'s reply and output. The reply to ``sentinel_id`` (a request sent just after it)
        proves the kernel finished ``msg_id`` even when its reply was too large and was dropped."""
        start, reply, done_at, idle = time.monotonic(), None, None, False
        out = Reply("timeout")
        while True:
            now = time.monotonic()
            if reply is not None and (idle or sentinel_id is None or (done_at and now - done_at > 1.0)):
                break
            if done_at is not None and (idle or now - done_at > 1.0):
                break  # the sentinel answered, the reply never came: dropped
            if now > deadline:
                out.seconds = now - start
                return out
            if not self.alive:
                return Reply("died", ename="DeadKernel", evalue=self.death(), output_bytes=out.output_bytes,
                             seconds=now - start)
            poller = zmq.Poller()
            for name in ("shell", "iopub"):
                poller.register(getattr(self.client, f"{name}_channel").socket, zmq.POLLIN)
                poller.register(self._monitors[name], zmq.POLLIN)
            events = dict(poller.poll(100))
            for name in ("shell", "iopub"):
                if self._monitors[name] in events:
                    out.dropped = True
                    self._reconnect(name)
                    if name == "shell" and sentinel_id is not None:
                        sentinel_id = self.client.kernel_info()  # the old one's answer may be lost too
            for msg in self._waiting("iopub"):
                idle = self._on_iopub(msg, msg_id, out) or idle
            for msg in self._waiting("shell"):
                parent = msg["parent_header"].get("msg_id")
                if parent == msg_id:
                    reply = msg["content"]
                elif parent == sentinel_id:
                    done_at = time.monotonic()
        out.seconds = time.monotonic() - start
        if reply is None:
            out.status = "error" if out.ename else "ok"
            out.dropped = True
            return out
        out.status = "ok" if reply.get("status") == "ok" else "error"
        if out.status == "error":
            out.ename = str(reply.get("ename", out.ename or "Error"))[:200]
            out.evalue = str(reply.get("evalue", out.evalue))[:KEEP_TEXT]
            out.traceback = _clean("\n".join(map(str, reply.get("traceback", []))))[-KEEP_TEXT:] or out.traceback
        out.user_expressions = reply.get("user_expressions", {}) or {}
        return out

    @staticmethod
    def _on_iopub(msg, msg_id, out):
        if msg["parent_header"].get("msg_id") != msg_id:
            return False
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            return content.get("execution_state") == "idle"
        if kind == "stream":
            out.output_bytes += len(content.get("text", ""))
        elif kind in ("display_data", "execute_result", "update_display_data"):
            out.output_bytes += sum(len(str(v)) for v in content.get("data", {}).values())
        elif kind == "error":
            out.ename = str(content.get("ename", ""))[:200]
            out.evalue = str(content.get("evalue", ""))[:KEEP_TEXT]
            out.traceback = _clean("\n".join(map(str, content.get("traceback", []))))[-KEEP_TEXT:]
        return False


class KernelStartError(RuntimeError):
    """The kernel process did not start or did not answer."""


def _clean(text):
    return _ANSI.sub("", text)
