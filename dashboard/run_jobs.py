"""The API's forecast-run jobs, kept as small JSON files under ``ECON_HOME/jobs``.

``econ serve`` runs several gunicorn workers; a job started by one must be seen by whichever
worker answers the next poll, so a job lives on disk, not in a process's memory. One run at a
time across the workers: the running job holds ``running.lock``, created atomically
(``O_CREAT | O_EXCL``, on every platform). A job whose process is gone (a worker restarted
mid-run) is reported failed and frees the lock, instead of blocking every later run.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from econ.store import repository

JOBS_KEPT = 100
LOCK = "running.lock"


class Busy(Exception):
    """A run is already running; ``args[0]`` is its job id."""


@dataclass(frozen=True)
class JobBoard:
    folder: Path

    def start(self, settings: dict, analyst: str) -> dict:
        """A new running job, holding the lock; ``Busy`` with the running job's id otherwise."""
        self.folder.mkdir(parents=True, exist_ok=True)
        job = {
            "job": uuid.uuid4().hex, "status": "running", "requested_by": analyst, "settings": _plain(settings),
            "started_at": repository.utcnow().isoformat(), "finished_at": None, "run_id": None, "error": None,
        }
        for _ in range(3):  # a stale lock is cleared, then taken again
            try:
                handle = os.open(self.folder / LOCK, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                holder = self._holder()
                if holder is not None:
                    raise Busy(holder) from None
                continue
            with os.fdopen(handle, "w") as lock:
                lock.write(job["job"])
            self._write({**job, "pid": os.getpid(), "host": socket.gethostname()})
            self._prune()
            return job
        raise Busy("unknown")

    def finish(self, job_id: str, **outcome) -> None:
        """Record ``status`` and ``run_id`` or ``error``, then free the lock."""
        job = self._read(job_id) or {"job": job_id}
        self._write({**job, **outcome, "finished_at": repository.utcnow().isoformat()})
        self._release(job_id)

    def get(self, job_id: str) -> dict | None:
        """The job as any worker sees it (None: unknown, or pruned)."""
        if not (len(job_id) == 32 and all(c in "0123456789abcdef" for c in job_id)):
            return None
        job = self._read(job_id)
        if job is not None and job["status"] == "running" and not _alive(job):
            self.finish(job_id, status="failed", error="the server process running it stopped before the run ended")
            job = self._read(job_id)
        return None if job is None else {k: v for k, v in job.items() if k not in ("pid", "host")}

    def _holder(self) -> str | None:
        """The running job holding the lock, or None once it has cleared a stale lock."""
        try:
            job_id = (self.folder / LOCK).read_text().strip()
        except FileNotFoundError:
            return None
        job = self._read(job_id)
        if job is None:  # the lock is being written, or its job file was lost
            if _age(self.folder / LOCK) < 5:
                return job_id
            self._release(job_id)
            return None
        if job["status"] == "running" and _alive(job):
            return job_id
        if job["status"] == "running":
            self.finish(job_id, status="failed", error="the server process running it stopped before the run ended")
        else:
            self._release(job_id)
        return None

    def _release(self, job_id: str) -> None:
        try:
            if (self.folder / LOCK).read_text().strip() == job_id:
                (self.folder / LOCK).unlink()
        except FileNotFoundError:
            pass

    def _read(self, job_id: str) -> dict | None:
        try:
            return json.loads((self.folder / f"{job_id}.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def _write(self, job: dict) -> None:
        part = self.folder / f".{job['job']}.{os.getpid()}.tmp"
        part.write_text(json.dumps(job))
        os.replace(part, self.folder / f"{job['job']}.json")  # atomic: a reader sees the old or the new

    def _prune(self) -> None:
        files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in files[:-JOBS_KEPT]:
            old.unlink(missing_ok=True)


def _plain(settings: dict) -> dict:
    """The settings as JSON holds them (a moment as its ISO text)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in settings.items()}


def _alive(job: dict) -> bool:
    """Whether the process that runs ``job`` still exists (on another host: assumed so)."""
    if job.get("host") != socket.gethostname() or not job.get("pid") or int(job["pid"]) == os.getpid():
        return True
    if os.name == "nt":  # os.kill there would end the process, not probe it
        return True
    try:
        os.kill(int(job["pid"]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
