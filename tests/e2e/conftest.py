"""Real-browser tests: a real `locus serve` (gunicorn) and Debian's Chromium via Playwright.

The server runs on a free local port against its own data folder; with DATABASE_URL set
(the PostgreSQL pass of `make test`) it uses that database.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("LOCUS_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def locus_server(env: dict[str, str], data_dir: str):
    """Run `locus serve` (two workers) on a free port with ``env``; yield its URL and the path of
    its log once /healthz answers; stop it afterwards. A server that exits or does not answer in
    180 s fails with its log."""
    port = _free_port()
    log_path = Path(data_dir) / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "locus.cli", "serve", "--port", str(port),
                                 "--workers", "2"], cwd=REPO_ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 180
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("locus serve exited: " + log_path.read_text())
                try:
                    urllib.request.urlopen(url + "/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("locus serve did not start in 180 s: " + log_path.read_text()) from None
                    time.sleep(0.5)
            yield url, log_path
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def live_url():
    data_dir = tempfile.mkdtemp(prefix="locus-e2e-")
    env = {**os.environ, "LOCUS_ENV": "local", "LOCUS_DATA_DIR": data_dir}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if os.environ.get("LOCUS_E2E_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["LOCUS_E2E_DATABASE_URL"]
    with locus_server(env, data_dir) as (url, _log):
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


# The site sends a Content-Security-Policy (locus/web/csp.py) that refuses inline and eval'd scripts.
# The tests' own scripts are both (axe-core added as a script tag, wait_for_function("expression")), so
# every browser context of the tests bypasses the policy, unless a test asks otherwise:
# tests/e2e/test_csp.py opens its context with bypass_csp=False to check the policy breaks nothing.
@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session", autouse=True)
def _contexts_bypass_csp():
    from playwright.sync_api import Browser

    original = Browser.new_context

    def new_context(self, *args, **kwargs):
        kwargs.setdefault("bypass_csp", True)
        return original(self, *args, **kwargs)

    Browser.new_context = new_context
    yield
    Browser.new_context = original


def assert_accessible(page) -> None:
    """Run axe-core on the page; fail on any serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, f"axe violations on {page.url}: {bad}"


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """A page in a phone-sized, touch browser context (390 x 844 CSS px)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def assert_fits_phone(page) -> None:
    """The page does not scroll sideways on the phone (WCAG 1.4.10 reflow)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
