"""A harness for tests in a real browser: JupyterLab on a free loopback port, headless Chromium.

    def test_x(lab, page):
        path = lab.copy_notebook(NOTEBOOKS / "03_backprop_on_graphs.ipynb")
        lab.open(page, path)                      # waits until the notebook is shown
        ...
        save_screenshot(page, "x")                # → tests/browser/screenshots/x.png

`lab` is a JupyterLab server (one per test module) started from this project's Python, with a
random token, its own empty Jupyter config/data/runtime folders (so no notebook is trusted and
no user setting applies) and a temporary root folder that notebooks are copied into. `page` is
a fresh Chromium page at 1400 × 1000. The browser is Debian's `chromium`, driven by Playwright
through `executable_path` (Playwright's own browser download is not needed); the server and
the browser are stopped whatever happens, and the server's log is printed if a test fails.

Run with `make test-browser` (installs the `browser` extra and chromium when missing);
the default `pytest` run leaves them out: each test module sets `pytestmark = pytest.mark.browser`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("NNEDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WINDOW = {"width": 1400, "height": 1000}
START_TIMEOUT = 120.0  # seconds for JupyterLab to answer (a loaded 2-core machine is slow)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: its URL parts, root folder and log file."""

    port: int
    token: str
    root: Path
    log: Path
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def copy_notebook(self, source: Path, name: str | None = None) -> str:
        """Copy a notebook into the server's root; returns its path relative to the root."""
        target = self.root / (name or source.name)
        shutil.copyfile(source, target)
        return target.name

    def open(self, page: object, notebook: str, timeout: float = 90_000) -> None:
        """Open a notebook in JupyterLab and wait until its cells are shown."""
        page.goto(self.url(f"lab/tree/{notebook}"), wait_until="domcontentloaded",
                  timeout=timeout)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout)
        page.wait_for_timeout(1000)  # outputs are rendered right after the cells

    def write_notebook(self, name: str, sources: list[str]) -> str:
        """Write a notebook of code cells `sources` (Python 3 kernel) into the root."""
        import nbformat

        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        nbformat.write(notebook, self.root / name)
        return name

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _wait_until_up(lab: Lab) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {lab.process.returncode}:\n"
                               f"{lab.log_text()[-4000:]}")
        try:
            with urllib.request.urlopen(lab.url("api/status"), timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer on port {lab.port} within {START_TIMEOUT:g} s:"
                       f"\n{lab.log_text()[-4000:]}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (it and its kernels), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on a free loopback port with a token, stopped at the end of the module."""
    pytest.importorskip("jupyterlab", reason="install the browser extra: make test-browser")
    home = tmp_path_factory.mktemp("jupyter")
    root = home / "root"
    root.mkdir()
    env = dict(os.environ)
    for var, folder in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                        ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        (home / folder).mkdir()
        env[var] = str(home / folder)
    settings = home / "config" / "lab-settings"
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    # every cell in the page, not only those scrolled into view, so all outputs can be measured
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(home / "config" / "lab-workspaces")
    env["MPLBACKEND"] = "Agg"
    port, token = free_port(), secrets.token_hex(16)
    log = home / "jupyterlab.log"
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
               "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class="
               "jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:  # CI and these machines run as root
        command.append("--allow-root")
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = Lab(port, token, root, log, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright, closed at the end of the module."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="install the browser extra: make test-browser")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
                    "(make test-browser does) or set NNEDU_CHROMIUM")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, lab: Lab, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh page at 1400 × 1000; on failure the server log's end is printed."""
    context = browser.new_context(viewport=WINDOW, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            with contextlib.suppress(Exception):
                save_screenshot(page, f"{request.node.name}-failure")
            print(f"--- JupyterLab log (end) ---\n{lab.log_text()[-3000:]}")
        context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def save_screenshot(page: object, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under tests/browser/screenshots/ (git-ignored); returns its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
