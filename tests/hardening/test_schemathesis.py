"""schemathesis against the live service: `econ serve` (gunicorn) on a small store, every check on.

Zero server errors, zero schema-valid requests rejected, zero schema-violating ones accepted, no
undocumented status, content type or method. One allowance, written here and in the OpenAPI
document: an uploaded file's *content* is not something a schema can describe, so a schema-valid
upload may be answered 422 with the problems found in it; likewise a run request may name a country
with nothing stored (404) or a date after today (422), which no schema knows.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hardening_support import _storefixture

from econ.auth import add_analyst

BIN = Path(sys.executable).parent
CONFIG = """
[[operations]]
include-path = "/api/v1/ingest"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "409", "422", "429"]

[[operations]]
include-path = "/api/v1/forecasts/run"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "409", "422", "429"]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise AssertionError(f"econ serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"econ serve did not answer at {url}")


@pytest.fixture
def live(tmp_path):
    """`econ serve` with 2 gunicorn workers on a small store; (base URL, a token). Stopped afterwards."""
    home = tmp_path / "home"
    home.mkdir()
    fixture = _storefixture()
    engine = fixture.small_store(home / "econ.sqlite")
    fixture.add_run(engine)
    token = add_analyst(engine, "schemathesis")
    engine.dispose()
    port = free_port()
    env = {**os.environ, "ECON_HOME": str(home), "ECON_RATE_LIMIT_WRITES": "100000/minute", "ECON_WORKERS": "1"}
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen([BIN / "econ", "serve", "--port", str(port), "--workers", "2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        yield f"http://127.0.0.1:{port}", token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


@pytest.mark.slow
def test_schemathesis_finds_nothing(live, tmp_path):
    base, token = live
    (tmp_path / "schemathesis.toml").write_text(CONFIG)
    result = subprocess.run(
        [BIN / "schemathesis", "--config-file", str(tmp_path / "schemathesis.toml"), "run", f"{base}/api/v1/openapi.json",
         "--checks", "all", "--max-examples", "60", "--seed", "20251130", "-H", f"Authorization: Bearer {token}",
         "--request-timeout", "60"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    summary = result.stdout[-6000:]
    print(summary)
    assert result.returncode == 0, summary
    assert "No issues found" in result.stdout or " passed" in result.stdout
