"""Failures that are expected in a working life and deserve a sentence, not a traceback.

The store may be busy (another load holds SQLite's write lock past its retries; a PostgreSQL
lock timeout; two loads creating the same series at once) and the disk may be full. The CLI
prints these as one line and exits 1; the API answers 503 with Retry-After (busy) or 507
(disk full). Both ask these functions, so they agree on what counts.
"""

from __future__ import annotations

import errno

BUSY_SIGNS = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock",
              "lock not available", "deadlock detected", "could not serialize access")
DUPLICATE_SIGNS = ("unique constraint", "duplicate key", "uniqueviolation")


def address_too_long(limit: int) -> str:
    """The one sentence for a request line over ``ECON_MAX_URL_CHARS``, from gunicorn's worker or the app."""
    return (f"the address is too long: its request line has more than {limit:,} characters (ECON_MAX_URL_CHARS); "
            "ask for less at once, or raise the setting")


def store_busy(err: BaseException) -> str | None:
    """A sentence when ``err`` says the store was busy with another write, else None.

    Both SQLAlchemy's errors and the drivers' own count: bulk writes (PostgreSQL's COPY) talk to
    the driver directly, so its errors arrive unwrapped.
    """
    text = str(getattr(err, "orig", None) or err).lower()
    if _kind(err, "OperationalError") and any(sign in text for sign in BUSY_SIGNS):
        return "the store is busy with another write (it stayed locked through every retry): try again in a moment"
    if _kind(err, "IntegrityError") and any(sign in text for sign in DUPLICATE_SIGNS):
        return "another load created the same series at the same moment: try again, it will find them stored"
    return None


def _kind(err: BaseException, name: str) -> bool:
    """``err`` is a database error of that DB-API class (SQLAlchemy's, sqlite3's or psycopg's)."""
    return any(cls.__name__ == name and cls.__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg", "psycopg2")
               for cls in type(err).__mro__)


def disk_full(err: BaseException) -> str | None:
    """``disk full: ...`` when ``err`` (or what caused it) is ENOSPC / EDQUOT, else None."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
            where = f" writing {err.filename}" if err.filename else ""
            return f"disk full{where}: free some space (or point ECON_HOME elsewhere) and try again"
        if "database or disk is full" in str(err).lower():
            return "disk full: the database could not grow; free some space and try again"
        err = getattr(err, "orig", None) or err.__cause__ or err.__context__
    return None


def store_error_classes() -> tuple[type[BaseException], ...]:
    """The exception classes a busy store or a full disk can arrive as: SQLAlchemy's, the drivers', OSError."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    found: list[type[BaseException]] = [SQLAlchemyError, sqlite3.Error, OSError]
    try:
        import psycopg
    except ImportError:
        return tuple(found)
    return (*found, psycopg.Error)
