"""Forecast-run jobs seen alike by every gunicorn worker: one run at a time across processes, and a
job whose process died reported failed rather than blocking every later run."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest

from dashboard.run_jobs import Busy, JobBoard


def test_a_job_started_by_one_worker_is_seen_and_blocks_runs_in_another(tmp_path):
    first, second = JobBoard(tmp_path / "jobs"), JobBoard(tmp_path / "jobs")  # two processes' boards
    job = first.start({"countries": ["MLI"], "as_of": datetime(2025, 6, 30)}, "awa.traore")
    seen = second.get(job["job"])
    assert seen["status"] == "running" and seen["settings"]["as_of"] == "2025-06-30T00:00:00"
    with pytest.raises(Busy) as busy:
        second.start({}, "moussa")
    assert busy.value.args[0] == job["job"]
    first.finish(job["job"], status="done", run_id=7)
    assert second.get(job["job"])["run_id"] == 7 and second.get(job["job"])["finished_at"]
    assert second.start({}, "moussa")["status"] == "running"  # the lock went with the first run


def test_a_job_whose_process_died_is_failed_and_frees_the_next_run(tmp_path):
    board = JobBoard(tmp_path / "jobs")
    job = board.start({}, "awa.traore")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    path = tmp_path / "jobs" / f"{job['job']}.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "pid": int(gone.stdout)}))  # a worker restarted
    assert board.start({}, "moussa")["status"] == "running"
    failed = board.get(job["job"])
    assert failed["status"] == "failed" and "stopped before the run ended" in failed["error"]


def test_an_unknown_or_malformed_job_id_is_none(tmp_path):
    board = JobBoard(tmp_path / "jobs")
    assert board.get("0" * 32) is None and board.get("../../etc/passwd") is None
