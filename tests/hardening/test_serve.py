"""`econ serve` as an operator runs it: gunicorn unless --dev says otherwise, /healthz answering."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from test_schemathesis import free_port, wait_until_up

ECON = Path(sys.executable).with_name("econ")


def serve(home: Path, *args: str) -> tuple[str, dict]:
    """Starts `econ serve ARGS`, answers (server header, /healthz body), stops it (its own process group)."""
    port = free_port()
    env = {**os.environ, "ECON_HOME": str(home)}
    server = subprocess.Popen([ECON, "serve", "--port", str(port), *args], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_until_up(url, server)
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.headers.get("Server", ""), json.load(response)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)


@pytest.mark.slow
def test_serve_runs_gunicorn_and_only_dev_runs_werkzeug(tmp_path):
    home = tmp_path / "home"
    subprocess.run([ECON, "init"], env={**os.environ, "ECON_HOME": str(home)}, check=True, capture_output=True)
    server, health = serve(home)
    assert "gunicorn" in server and "Werkzeug" not in server
    assert health == {"status": "ok", "checks": {"database": {"ok": True}}}
    server, _ = serve(home, "--dev")
    assert "Werkzeug" in server
