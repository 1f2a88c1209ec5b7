"""A busy store and a full disk: a 503 with Retry-After or one line on stderr, never a traceback.

The lock is real: another connection holds the store's write lock (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL ``LOCK TABLE ... EXCLUSIVE``) while the API or the CLI tries to load a file. The full
disk is real too: a 256 KB tmpfs (root only; skipped, saying why, elsewhere) or ``/dev/full``.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import flask
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from dashboard import api, downloads
from econ.auth import add_analyst
from econ.failures import disk_full, store_busy

ECON = Path(sys.executable).with_name("econ")
CSV = b"country,indicator,period,value\nMLI,inflation,2023,2.5\n"


def short_lock_wait(engine) -> None:
    """The store gives up on a lock after 0.2 s (its own retries are the data engineer's; this is after them)."""
    statement = "PRAGMA busy_timeout = 200" if engine.dialect.name == "sqlite" else "SET lock_timeout = '200ms'"

    @event.listens_for(engine, "connect")
    def _wait_briefly(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()  # PostgreSQL's SET is transactional: keep it past the pool's rollback

    engine.dispose()


def hold_write_lock(engine):
    """Another connection that holds the write lock until closed."""
    if engine.dialect.name == "sqlite":
        holder = sqlite3.connect(engine.url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        return holder
    holder = engine.connect()
    holder.begin()
    holder.execute(text("LOCK TABLE observations IN EXCLUSIVE MODE"))
    return holder


def test_a_locked_store_is_a_503_with_retry_after(engine, monkeypatch):
    monkeypatch.setattr("econ.store.writing.SQLITE_BUSY_MS", 200)  # the store's own wait, shortened
    token = add_analyst(engine, "awa")
    short_lock_wait(engine)
    app = flask.Flask("busy")
    api.register(app, engine)
    downloads.register(app, engine)
    holder = hold_write_lock(engine)
    try:
        started = time.perf_counter()
        response = app.test_client().post("/api/v1/ingest", headers={"Authorization": f"Bearer {token}"},
                                          content_type="multipart/form-data",
                                          data={"files": [(io.BytesIO(CSV), "inflation.csv")]})
        assert time.perf_counter() - started < 10
    finally:
        holder.close()
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"error": "the store is busy with another write (it stayed locked through every "
                                            "retry): try again in a moment"}


def test_two_loads_creating_one_series_are_named_as_such(engine):
    """The driver's own words for a duplicate key (SQLite and PostgreSQL) are recognised."""
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE twice (code VARCHAR(3) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO twice VALUES ('MLI')"))
    with pytest.raises(IntegrityError) as err, engine.begin() as conn:
        conn.execute(text("INSERT INTO twice VALUES ('MLI')"))
    assert store_busy(err.value).startswith("another load created the same series")


def econ(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([ECON, *args], env=env, capture_output=True, text=True, timeout=timeout)


# `econ` in a real process whose store gives up on a lock after 0.3 s instead of its 120 s.
IMPATIENT = "import econ.store.writing as w; w.SQLITE_BUSY_MS = 300; from econ.cli import main; main()"


def impatient_econ(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", IMPATIENT, *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def home(tmp_path) -> dict:
    env = {**os.environ, "ECON_HOME": str(tmp_path / "home")}
    assert econ("init", env=env).returncode == 0
    return env


@pytest.mark.slow
def test_econ_ingest_on_a_locked_store_says_so_in_one_line(home, tmp_path):
    path = tmp_path / "inflation.csv"
    path.write_bytes(CSV)
    holder = sqlite3.connect(Path(home["ECON_HOME"]) / "econ.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = impatient_econ("ingest", str(path), env=home)
    finally:
        holder.close()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: the store is busy with another write")
    assert "Traceback" not in result.stderr
    debug = None
    holder = sqlite3.connect(Path(home["ECON_HOME"]) / "econ.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        debug = impatient_econ("--debug", "ingest", str(path), env=home)
    finally:
        holder.close()
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "database is locked" in debug.stderr


def test_writing_to_a_full_disk_is_one_line(home, tmp_path):
    """``/dev/full`` answers every write with ENOSPC, as a full disk does."""
    path = tmp_path / "inflation.csv"
    path.write_bytes(CSV)
    assert econ("ingest", str(path), env=home).returncode == 0
    result = econ("export", "data", "--format", "csv", "--country", "MLI", "-o", "/dev/full", env=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: disk full")


@pytest.fixture
def full_disk(tmp_path):
    """A 256 KB tmpfs, filled to the last byte; unmounted afterwards."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root: the full-disk test runs in CI, which is root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()})")
    try:
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_econ_init_and_serve_on_a_full_disk_say_so(full_disk):
    env = {**os.environ, "ECON_HOME": str(full_disk / "home")}
    init = econ("init", env=env)
    assert init.returncode == 1 and init.stderr.startswith("error: disk full"), init.stderr
    assert "Traceback" not in init.stderr
    serve = econ("serve", "--port", "1", env=env)
    assert serve.returncode == 1 and "Traceback" not in serve.stderr
    assert serve.stderr.startswith(f"error: disk full: {full_disk / 'home'} has 0.0 MB free"), serve.stderr


def test_disk_full_is_recognised_through_wrapping_exceptions():
    import errno

    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device", "/var/econ/econ.sqlite")
        except OSError as inner:
            raise RuntimeError("export failed") from inner
    except RuntimeError as outer:
        assert disk_full(outer) == ("disk full writing /var/econ/econ.sqlite: free some space "
                                    "(or point ECON_HOME elsewhere) and try again")
    assert disk_full(ValueError("no")) is None


def test_an_unreachable_database_is_one_line(tmp_path):
    env = {**os.environ, "ECON_HOME": str(tmp_path / "home"),
           "ECON_DATABASE_URL": "postgresql+psycopg://econ@127.0.0.1:1/nowhere?connect_timeout=2"}
    result = econ("series", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: the database cannot be used: ") and "ECON_DATABASE_URL" in line
