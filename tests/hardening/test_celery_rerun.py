"""The production rerun path, end to end: the analyst page's job on Celery + Redis, run by a real worker.

A ``celery -A dashboard.worker worker --pool solo`` subprocess shares the test's ECON_HOME (its
SQLite store and the session-signing key) and a Redis database of its own (db 14; skips, saying
why, where Redis is absent). The test signs in, asks for a rerun ticket and starts the rerun through
Dash's callback endpoint as the browser does, then polls the job (``?cacheKey=&job=``) until the
worker's answer arrives, and finds the new run in the store. The worker is always killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hardening_support import ROOT, _storefixture, callback_body, redis_or_skip

from dashboard import ids
from econ.config import get_settings

REDIS_URL = os.environ.get("ECON_TEST_CELERY_REDIS_URL", "redis://127.0.0.1:6379/14")
TOKEN = "celery-test-token"
DEADLINE_SECONDS = 120


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """The environment the web app and the worker share: one home, one store, one broker, a quick run."""
    redis = redis_or_skip(REDIS_URL, "ECON_TEST_CELERY_REDIS_URL")
    redis.flushdb()  # db 14 is this test's own: no task or result left over from an interrupted run
    home = tmp_path / "home"
    home.mkdir()
    env = {"ECON_HOME": str(home), "ECON_DATABASE_URL": f"sqlite:///{home / 'econ.sqlite'}",
           "ECON_CELERY_BROKER_URL": REDIS_URL, "ECON_API_TOKEN": TOKEN, "ECON_WORKERS": "1",
           "ECON_BACKTEST_ORIGINS": "5"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield env
    redis.flushdb()
    redis.close()


@pytest.fixture
def worker(settings, tmp_path):
    """A real Celery worker on the test's broker, in its own process group, killed whatever happens."""
    log = (tmp_path / "worker.log").open("w")
    command = [sys.executable, "-m", "celery", "-A", "dashboard.worker", "worker", "--pool", "solo",
               "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **settings}, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        log.close()
        print((tmp_path / "worker.log").read_text()[-6000:])  # shown by pytest when the test fails


def poll(client, body: dict, handles: dict, worker) -> dict:
    """Asks for the job's result as the browser does, until the worker has answered (or the deadline)."""
    query = {"cacheKey": handles["cacheKey"], "job": handles["job"]}
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the Celery worker exited (its log is printed below)"
        response = client.post("/_dash-update-component", json=body, query_string=query)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:500]
        answer = response.get_json(silent=True) or {}
        if "response" in answer:
            return answer["response"]
        time.sleep(0.5)
    pytest.fail(f"no answer from the Celery worker within {DEADLINE_SECONDS} s")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::celery.exceptions.DuplicateTaskNameWarning")  # Dash registers the job twice
def test_a_rerun_from_the_analyst_page_runs_on_a_celery_worker_and_is_stored(settings, worker, tmp_path):
    from dashboard.app import create_app
    from econ.store.runs import runs

    engine = _storefixture().small_store(get_settings().home / "econ.sqlite")
    dash_app = create_app(engine, get_settings())
    client = dash_app.server.test_client()
    assert client.get("/analyst").status_code == 200
    before = len(runs(engine))

    def call(name: str, *values):
        return client.post("/_dash-update-component", json=callback_body(dash_app, name, *values))

    assert call("sign_in", 1, None, TOKEN, "en").status_code == 200
    ticket = call("issue_ticket", 1, "MLI", "en").get_json()["response"][ids.RERUN_TICKET]["data"]
    body = callback_body(dash_app, "rerun", ticket, "en")
    handles = client.post("/_dash-update-component", json=body).get_json()
    assert set(handles) >= {"cacheKey", "job"}, handles  # the job went to Celery, not run in the request

    result = poll(client, body, handles, worker)

    message = result[ids.RERUN_RESULT]["children"]
    assert message.startswith("Run #") and message.endswith("stored."), message
    stored = runs(engine)
    assert len(stored) == before + 1 and message == f"Run #{stored['id'].max()} stored."
    ends = [json.loads(line) for line in (tmp_path / "worker.log").read_text().splitlines() if '"event": "end"' in line]
    assert [(e["job"], e["user"], e["run_id"]) for e in ends] == [("rerun", "admin", int(stored["id"].max()))]
