"""Browser tests: JupyterLab in a real Chromium. They skip where Chromium (env CHROMIUM, else /usr/bin/chromium)
or Playwright is missing, and fail there instead when REQUIRE_BROWSER=1 (as CI sets it)."""

import os

import pytest

from benchmarks.browser import missing


@pytest.fixture(scope="session")
def require_browser():
    """Skip (or, with REQUIRE_BROWSER=1, fail) when no browser can be driven here."""
    why = missing()
    if why:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1, but {why}", pytrace=False)
        pytest.skip(why)
