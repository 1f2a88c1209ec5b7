"""`econ serve` as an operator runs it: gunicorn unless --dev says otherwise, /healthz answering."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_schemathesis import free_port, wait_until_up

ECON = Path(sys.executable).with_name("econ")


def serve(home: Path, *args: str, path: str = "/healthz", headers: dict | None = None,
          **settings: str) -> tuple[str, dict]:
    """Starts `econ serve ARGS` (with these ECON_ settings), answers (server header, the JSON body at
    ``path``, whatever its status), stops it (its own process group)."""
    port = free_port()
    env = {**os.environ, "ECON_HOME": str(home), **settings}
    server = subprocess.Popen([ECON, "serve", "--port", str(port), *args], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        try:
            asked = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
            with urllib.request.urlopen(asked, timeout=5) as response:
                return response.headers.get("Server", ""), json.load(response)
        except urllib.error.HTTPError as refused:
            return str(refused.code), json.load(refused)
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


@pytest.mark.slow
def test_an_address_over_the_limit_is_refused_in_json_naming_the_setting(tmp_path):
    """gunicorn refuses an over-long request line before the app sees it; the answer is still econ's
    JSON, naming ECON_MAX_URL_CHARS, not gunicorn's HTML page. Under the limit the API answers."""
    home = tmp_path / "home"
    subprocess.run([ECON, "init"], env={**os.environ, "ECON_HOME": str(home)}, check=True, capture_output=True)
    long_query = "/api/v1/series?country=" + "MLI," * 300
    status, body = serve(home, path=long_query, ECON_MAX_URL_CHARS="1000")
    assert status == "414" and "ECON_MAX_URL_CHARS" in body["error"] and "1,000" in body["error"]
    status, body = serve(home, path="/api/v1/series?country=MLI", ECON_MAX_URL_CHARS="1000")
    assert "gunicorn" in status and body == {"series": []}  # an empty store, answered
    status, body = serve(home, path="/api/v1/series", headers={"X-Padding": "x" * 9000})
    assert status == "431" and "headers are too large" in body["error"]
