"""Loading files into the store: read and validate every file first, then write them all in one transaction.

A bad file among several changes nothing: the problems of every file are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from econ.config import get_settings
from econ.schema import InputError, Problem
from econ.sources import Batch, read_path
from econ.sources.http import sha256
from econ.store.repository import IngestSummary, last_checksums, write_batch, write_transaction
from econ.version import code_version

PROBLEM_CAP = 50
BUNDLED_FILES = ("observations.csv", "official_projections.csv")
BUNDLED = "bundled"  # the ingest source of the default dataset: its last checksums say what is loaded


@dataclass(frozen=True)
class FileSummary:
    """What one file of a load changed."""

    path: str
    kind: str
    summary: IngestSummary


def bundled_paths() -> list[Path]:
    """The bundled default dataset (``data/``), in load order."""
    folder = get_settings().bundle_dir
    paths = [folder / name for name in BUNDLED_FILES]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError([Problem(m, None, None, "bundled file not found") for m in missing])
    return paths


def bundled_to_load(engine: Engine) -> tuple[list[Path], list[Path]]:
    """(bundled files to load, bundled files already loaded and unchanged since).

    A bundled file is loaded again only when its checksum differs from its last load, so
    ``make run`` does not re-read the bundle at each start (and never writes over a correction).
    """
    last = last_checksums(engine, BUNDLED)
    to_load, unchanged = [], []
    for path in bundled_paths():
        (unchanged if last.get(path.name) == sha256(path.read_bytes()) else to_load).append(path)
    return to_load, unchanged


def read_all(paths: list[str | Path], today: date | None = None) -> list[Batch]:
    """Reads and validates every file; raises one InputError with the problems of all of them."""
    batches, problems, truncated, total = [], [], False, 0
    for path in paths:
        try:
            batches.append(read_path(path, today=today))
        except InputError as err:
            problems.extend(err.problems)
            truncated = truncated or err.truncated
            total += err.total or len(err.problems)
    if problems:
        raise InputError(problems[:PROBLEM_CAP], truncated or len(problems) > PROBLEM_CAP, total=total)
    return batches


def write_all(engine: Engine, batches: list[Batch], source: str | None = None, progress=None,
              sources: list[str | None] | None = None) -> list[FileSummary]:
    """Writes validated batches in one transaction, each file its own ingest record and load moment.

    Files of one command are applied in the order given: a later file that changes a figure of an
    earlier one is recorded as its revision (a microsecond later), never as a conflict. The load
    moment is taken under the store's write lock. ``sources`` names each batch's ingest source
    (default: ``source``, else the batch's kind).
    """
    version = code_version()
    names = sources or [source] * len(batches)
    summaries = []
    with write_transaction(engine) as (conn, now):
        for i, (batch, name) in enumerate(zip(batches, names, strict=True)):
            summary = write_batch(
                conn, batch.observation_parts(), batch.official, source=name or batch.kind, file_name=batch.file_name,
                digest=batch.checksum, code_version=version, vintage=now + timedelta(microseconds=i), progress=progress,
            )
            summaries.append(FileSummary(batch.file_name or "", batch.kind, summary))
    return summaries


def ingest_paths(engine: Engine, paths: list[str | Path], progress=None, source: str | None = None) -> list[FileSummary]:
    """``econ ingest``: validate all, then store all or nothing."""
    return write_all(engine, read_all(paths), source=source, progress=progress)


def total_rows(batches: list[Batch]) -> int:
    return sum(b.row_count for b in batches)


def counts(files: list[FileSummary]) -> dict[str, int]:
    """A load's totals for its log line: rows stored, and of them added / revised / unchanged."""
    totals = {k: sum(getattr(f.summary, k) for f in files) for k in ("added", "revised", "unchanged")}
    return {"rows": sum(totals.values()), **totals}
