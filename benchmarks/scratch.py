"""A throwaway PostgreSQL schema for a benchmark, so a run never touches the tables of a real store."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


class Unreachable(Exception):
    """PostgreSQL did not answer; the benchmark reports it and goes on with its other stores."""


@contextmanager
def scratch_schema(url: str) -> Iterator[str]:
    """Create a uniquely named schema, yield its name, and drop it with everything in it afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as err:  # noqa: BLE001 - any connection failure means "not reachable"
        admin.dispose()
        raise Unreachable(f"not reachable at {url}: {type(err).__name__}") from err
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
