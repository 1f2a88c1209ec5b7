"""A killed ``econ forecast`` leaves no worker behind (each holds hundreds of megabytes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_workers_die_with_a_killed_forecast(tmp_path):
    env = {**os.environ, "ECON_HOME": str(tmp_path), "ECON_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}"}
    econ = [str(Path(sys.executable).parent / "econ")]
    for args in (["init"], ["ingest", "--default"]):
        subprocess.run([*econ, *args], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    run = subprocess.Popen([*econ, "forecast", "--workers", "2"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 60
    children = []
    while time.monotonic() < deadline and len(children) < 2:
        children = parent.children(recursive=True)
        time.sleep(0.2)
    assert len(children) >= 2, "the run never started its workers"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"workers still alive after their parent was killed: {[p.pid for p in alive]}"
