"""JupyterLab in a real (headless) Chromium, driven by Playwright: what the browser test and the benchmark share.

    with Lab(root) as lab, Chromium() as browser:
        page = browser.open(lab, "notebooks/02_direct_vs_gradient_descent.ipynb")
        run_all_cells(page)
        for cell in explorer_cells(page):
            ms = press(page, cell, slider=0, key="ArrowRight")   # key press -> new image decoded, in ms

`Lab` starts a token-less JupyterLab server on a free loopback port (its own
settings and workspace folders, so nothing of the user's is read or written);
`Chromium` launches the system's Chromium (env ``CHROMIUM``, else
/usr/bin/chromium) through Playwright, with a fresh profile, and records every
console error and uncaught page error in ``.errors``.

An explorer cell is a notebook cell whose output holds sliders and an image. A
key press on a slider is timed in the page itself: from the keydown event's
timestamp to the moment the explorer's new image has been decoded.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path():
    """The Chromium binary to use (env ``CHROMIUM``, else /usr/bin/chromium), or None if it does not exist."""
    path = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def missing():
    """Why a browser run is impossible here ('' when Chromium and Playwright are both available)."""
    reasons = []
    if chromium_path() is None:
        reasons.append(f"no Chromium at {os.environ.get('CHROMIUM') or '/usr/bin/chromium'} (set CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reasons.append("playwright is not installed (pip install playwright)")
    return "; ".join(reasons)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server over ``root`` on a free loopback port, without a token, for the duration of a ``with``.

    The kernels it starts inherit this process's environment plus ``env``.
    """

    def __init__(self, root, env=None, startup_timeout=90):
        self.root, self.env, self.startup_timeout = os.path.abspath(root), dict(env or {}), startup_timeout
        self.port, self.process, self._dirs = None, None, None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self._dirs = tempfile.mkdtemp(prefix="lab-state-")
        settings = os.path.join(self._dirs, "settings")
        # No news and update prompts (they pop up over the notebook).
        os.makedirs(os.path.join(settings, "@jupyterlab", "apputils-extension"))
        with open(os.path.join(settings, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"),
                  "w") as fh:
            json.dump({"fetchNews": "false", "checkForUpdates": False}, fh)
        self.port = _free_port()
        args = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
            "--port-retries=0", f"--ServerApp.root_dir={self.root}", "--IdentityProvider.token=",
            "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={os.path.join(self._dirs, 'ws')}",
            "--LabApp.news_url=", "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False",
        ] + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
        env = {**os.environ, **self.env, "JUPYTER_PLATFORM_DIRS": "1",
               "JUPYTER_RUNTIME_DIR": os.path.join(self._dirs, "runtime")}
        self._log = open(os.path.join(self._dirs, "server.log"), "w")
        self.process = subprocess.Popen(args, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.log()
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"JupyterLab did not start on port {self.port}:\n{log[-3000:]}") from None
                time.sleep(0.3)

    def log(self):
        with open(os.path.join(self._dirs, "server.log")) as fh:
            return fh.read()

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self._dirs, ignore_errors=True)
        return False


class Chromium:
    """Headless Chromium through Playwright, with a fresh profile; ``.errors`` collects JavaScript errors."""

    def __init__(self, viewport=(1400, 1000)):
        self.viewport = viewport
        self.errors = []

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        if missing():
            raise RuntimeError(missing())
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        self._pw = sync_playwright().start()
        try:
            self.context = self._pw.chromium.launch_persistent_context(
                self._profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS,
                viewport={"width": self.viewport[0], "height": self.viewport[1]},
            )
        except Exception:
            self._pw.stop()
            raise
        return self

    def open(self, lab, notebook, timeout=120):
        """A new page showing ``notebook`` (a path relative to the Lab's root) with its kernel idle."""
        page = self.context.new_page()
        # Nothing outside the server is fetched (the Colab badge in a notebook's first cell would be, and fail
        # offline with a console error that is no fault of the notebook): such requests get a blank image.
        page.route(lambda url: not url.startswith(lab.url), lambda route: route.fulfill(
            status=200, content_type="image/svg+xml", body='<svg xmlns="http://www.w3.org/2000/svg"/>'))
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        # ?reset: an empty workspace, so that a notebook opened earlier is not restored next to this one
        page.goto(f"{lab.url}/lab/tree/{notebook}?reset", wait_until="domcontentloaded")
        page.wait_for_function(
            "(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " const k = w && w.context && w.context.path === path && w.sessionContext.session"
            "   && w.sessionContext.session.kernel;"
            " return k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
            arg=notebook, timeout=timeout * 1000, polling=200)
        return page

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self.context.close()
        self._pw.stop()
        shutil.rmtree(self._profile, ignore_errors=True)
        return False


def run_all_cells(page, timeout=600):
    """Run every cell of the page's notebook; wait until the kernel is idle with every cell executed.

    Raises RuntimeError naming the cell and the error if a cell fails (JupyterLab then stops running the rest).
    """
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    status = page.wait_for_function(
        """() => {
            const nb = window.jupyterapp.shell.currentWidget;
            const cells = nb.content.model.cells;
            for (let i = 0; i < cells.length; i++) {
                const c = cells.get(i);
                if (c.type !== 'code') continue;
                for (const o of c.outputs.toJSON())
                    if (o.output_type === 'error') return {error: `cell ${i}: ${o.ename}: ${o.evalue}`};
            }
            if (nb.sessionContext.session.kernel.status !== 'idle') { window.__idle = 0; return null; }
            for (let i = 0; i < cells.length; i++) {
                const c = cells.get(i);
                if (c.type === 'code' && c.sharedModel.getSource().trim()
                    && (!c.executionCount || c.executionState === 'running')) { window.__idle = 0; return null; }
            }
            window.__idle = (window.__idle || 0) + 1;  // idle and done at two polls in a row
            return window.__idle >= 2 ? {ok: true} : null;
        }""", timeout=timeout * 1000, polling=500).json_value()
    if "error" in status:
        raise RuntimeError(f"running the notebook failed: {status['error']}")


_EXPLORERS_JS = """() => {
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
    return cells.map((c, i) => [i, c.querySelectorAll('.jp-OutputArea .widget-slider').length])
                .filter(([i, n]) => n > 0).map(([i, n]) => i);
}"""


def explorer_cells(page):
    """Indices (among the notebook's code cells in the page) of the cells whose output holds sliders."""
    return page.evaluate(_EXPLORERS_JS)


def explorer_state(page, cell):
    """What an explorer cell shows: slider descriptions, readouts and ranges, images, tracebacks."""
    return page.evaluate(
        """(i) => {
            const c = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')][i];
            const out = c.querySelector('.jp-OutputArea');
            const sliders = [...out.querySelectorAll('.widget-slider')].map(s => {
                const h = s.querySelector('[role=slider]');
                return {description: (s.querySelector('.widget-label') || {}).textContent || '',
                        readout: (s.querySelector('.widget-readout') || {}).textContent || '',
                        now: h ? parseFloat(h.getAttribute('aria-valuenow')) : null,
                        min: h ? parseFloat(h.getAttribute('aria-valuemin')) : null,
                        max: h ? parseFloat(h.getAttribute('aria-valuemax')) : null};
            });
            const imgs = [...out.querySelectorAll('img')];
            return {sliders, images: imgs.length, srcs: imgs.map(im => im.src.slice(0, 64)),
                    sizes: imgs.map(im => [im.naturalWidth, im.naturalHeight]),
                    text: out.innerText};
        }""", cell)


_ARM_JS = """(i) => {
    // Resolve window.__moved with {down, done} once the explorer's image changes and is decoded.
    const c = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')][i];
    const out = c.querySelector('.jp-OutputArea');
    const before = new Set([...out.querySelectorAll('img')].map(im => im.currentSrc || im.src));
    let down = null;
    const onKey = (e) => { if (down === null) down = e.timeStamp; };
    document.addEventListener('keydown', onKey, true);
    window.__moved = new Promise((resolve) => {
        const check = () => {
            const fresh = [...out.querySelectorAll('img')].filter(im => !before.has(im.src));
            if (!fresh.length) return false;
            obs.disconnect();
            const img = fresh[fresh.length - 1];
            img.decode().catch(() => null).then(() => {
                document.removeEventListener('keydown', onKey, true);
                resolve({down, done: performance.now()});
            });
            return true;
        };
        const obs = new MutationObserver(check);
        obs.observe(out, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    });
}"""


def press(page, cell, slider, key, timeout=30):
    """Press ``key`` on slider number ``slider`` of explorer ``cell``; milliseconds from keydown to the new image
    decoded. Raises TimeoutError if no new image appears within ``timeout`` seconds."""
    handle = page.locator(".jp-Notebook .jp-CodeCell").nth(cell).locator(".jp-OutputArea [role=slider]").nth(slider)
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.evaluate(_ARM_JS, cell)
    page.keyboard.press(key)
    try:
        t = page.evaluate(f"() => Promise.race([window.__moved, new Promise((_, no) => setTimeout("
                          f"() => no(new Error('no new image')), {int(timeout * 1000)}))])")
    except Exception as e:  # playwright wraps the page's rejection
        if "no new image" in str(e):
            raise TimeoutError(f"no new image {timeout} s after pressing {key} on slider {slider} of cell {cell}") \
                from None
        raise
    return t["done"] - t["down"]


def notebook_outputs(page):
    """Every output of the page's notebook (nbformat JSON), for checking error outputs."""
    return page.evaluate(
        """() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells; const out = [];
                   for (let i = 0; i < cells.length; i++) { const c = cells.get(i);
                       if (c.type === 'code') out.push(c.outputs.toJSON()); }
                   return out; }""")
