"""Shared fixtures: a fresh store on SQLite, and on PostgreSQL when the server is there.

PostgreSQL tests use ``ECON_TEST_POSTGRES_URL`` (CI sets it; default the local server at
127.0.0.1:5432, database ``test``); each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import logging
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from econ.config import get_settings
from econ.store.db import make_engine, upgrade

POSTGRES_URL = os.environ.get("ECON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when the server answers."""
    probe = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
    try:
        with probe.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as err:  # noqa: BLE001 - any failure means: skip, saying why
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({type(err).__name__}); set ECON_TEST_POSTGRES_URL"
    finally:
        probe.dispose()
    return None


_PG_REASON = _postgres_reason()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every test gets its own ECON_HOME, so no test touches the user's store; a test that starts the
    structured logs (``econ serve`` in-process) leaves the root logger as it found it."""
    monkeypatch.setenv("ECON_HOME", str(tmp_path / "home"))
    for name in ("ECON_DATABASE_URL", "ECON_API_TOKEN", "ECON_LOG_LEVEL", "ECON_LOG_FILE", "ECON_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    get_settings.cache_clear()
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine():
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    schema = f"econ_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request):
    """The same test on both databases."""
    return request.getfixturevalue(f"{request.param}_engine")
