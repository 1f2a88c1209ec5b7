"""The dashboard served from the test process, and Playwright on Debian's Chromium (never a downloaded one).

One store (the bundled dataset, a synthetic monthly CPI for Mali and a synthetic run) and one server
for the whole session: a first Dash page takes seconds, so the pages share them. Screenshots go to
``test-artifacts/screenshots/`` (kept by CI as artefacts, ignored by git).

The accessibility check injects axe-core into each page. axe-core comes from the npm registry
(``npm pack``, a pinned version) into ``tests/browser/vendor/`` the first time it is needed, and is
reused afterwards; no browser is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tarfile
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
AXE_VERSION = "4.14.1"
AXE = Path(__file__).with_name("vendor") / f"axe-core-{AXE_VERSION}.min.js"


def _storefixture():
    spec = importlib.util.spec_from_file_location("storefixture", ROOT / "tests" / "dashboard" / "storefixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Pages here run with the app's Content-Security-Policy bypassed: Playwright's ``wait_for_function``
    evaluates its predicate with ``eval``, which the policy forbids. ``test_csp.py`` opens its own
    context that keeps the policy, and fails on any violation."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    """The dashboard on 127.0.0.1, a free port, in a thread of this process (pytest-base-url's name)."""
    from dashboard.app import create_app
    from econ.config import Settings

    home = tmp_path_factory.mktemp("home")
    engine = _storefixture().bundled_store(home / "store.sqlite")
    app = create_app(engine, Settings(home=home, database_url=f"sqlite:///{home / 'store.sqlite'}"))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    engine.dispose()


@pytest.fixture
def shot():
    """Saves a full-page screenshot as a test artefact."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def errors(page):
    """Browser console errors and uncaught exceptions seen by the test's page."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def fetch_axe() -> Path:
    """axe-core's script, from the npm registry the first time (``npm pack axe-core@VERSION``)."""
    if AXE.exists():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch axe-core for the accessibility check")
    with tempfile.TemporaryDirectory() as folder:
        packed = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=folder, capture_output=True,
                                text=True, timeout=300)
        if packed.returncode != 0:
            pytest.skip(f"npm pack axe-core@{AXE_VERSION} failed: {packed.stderr.strip()[:300]}")
        with tarfile.open(Path(folder) / packed.stdout.strip().splitlines()[-1]) as archive:
            script = archive.extractfile("package/axe.min.js").read()
    AXE.parent.mkdir(parents=True, exist_ok=True)
    AXE.write_bytes(script)
    return AXE


@pytest.fixture(scope="session")
def axe_script() -> str:
    return fetch_axe().read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_script):
    """Runs axe-core on the page (WCAG 2.1 A and AA rules) and returns its serious and critical violations."""

    def check(page) -> list[dict]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_script)  # through the DevTools protocol: no inline <script> for a CSP to refuse
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
            "'wcag21aa', 'best-practice']}, resultTypes: ['violations']})"
        )
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"][:5]]}
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return check
