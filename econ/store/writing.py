"""Writing a validated batch: one transaction, under the store's write lock, appending only.

The rules a user relies on (the README's "Vintages and corrections" says them in words):

- A figure's ``vintage`` is its publication moment where known (``published``: the end of the day,
  month or year given, never later than this load), else the load moment; ``loaded_at`` is always
  the load moment. The load moment is taken once the write lock is held, so a load that commits
  later never carries an earlier ``loaded_at`` (history read "as of" a past moment stays put).
- Each incoming figure is compared with the LAST figure that ITS SOURCE gave for the same series
  and period. A source is the row's ``source`` text (empty: one "unknown source") and, for dated
  rows, the publication date. Same value and same unit, reference and note: "unchanged", nothing
  stored, even when another source (an analyst's correction, say) is newer. Otherwise a new row:
  "revised" when the series and period had any value before, else "added". So a correction
  stands until its source publishes a different figure, and a change of metadata alone is a
  revision with the old row kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, text, update

from econ.schema import INDICATORS, OBSERVATION_COLUMNS
from econ.store.moments import published_moments, utcnow, vintages_from
from econ.store.tables import Ingest, Observation, ObservationVintage, OfficialProjection, Series

CHUNK = 50_000
IDS_PER_QUERY = 500
LOCK_KEY = 0x65636F6E  # "econ": the advisory lock's first key on PostgreSQL (the schema is the second)
SQLITE_BUSY_MS = 120_000  # a writer waits this long for another load to finish before giving up
SQLITE_CACHE_KIB = 131_072  # page cache of a writing connection: a large load's index pages stay in memory
META = ["unit", "reference", "note"]
IDENTITY = ["series_id", "period", "source_key", "published_key"]
NO_DATE = pd.Timestamp("1900-01-01")  # stands for "no publication date" in identity keys
OFFICIAL_KEY = ["publisher", "published", "country", "indicator", "target_period"]


@dataclass(frozen=True)
class IngestSummary:
    """What a load changed, for the CLI's report and the ingests table (``vintage``: the load moment)."""

    ingest_id: int
    added: int
    revised: int
    unchanged: int
    official_added: int
    official_revised: int
    official_unchanged: int
    countries: tuple[str, ...]
    indicators: tuple[str, ...]
    first_period: str | None
    last_period: str | None
    vintage: datetime

    @property
    def changed(self) -> int:
        return self.added + self.revised + self.official_added + self.official_revised


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the write lock -------------------------------------------------------------------------


def lock_for_writing(conn: Connection) -> None:
    """Hold the store's write lock until this transaction ends. Call it before taking the load's time.

    SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock at once (the driver would otherwise
    begin lazily at the first insert, after the time was taken). PostgreSQL: a transaction-level
    advisory lock keyed by the schema, so two stores on one server never wait on each other.
    Calling it again inside the same transaction is harmless.
    """
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if not raw.in_transaction:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
            conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": LOCK_KEY})


@contextmanager
def write_transaction(engine: Engine) -> Iterator[tuple[Connection, datetime]]:
    """A write transaction and its load moment, taken after the write lock is held."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        yield conn, utcnow()


# --- bulk inserts ---------------------------------------------------------------------------


def _bound(conn: Connection, table, column: str, values: list) -> list:
    """Values through the column type's bind processor: stored exactly as the ORM would write them."""
    process = table.__table__.c[column].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return values if process is None else [process(v) for v in values]


def _moments(conn: Connection, table, name: str, column: pd.Series) -> list:
    """A datetime column as the driver's values, each distinct moment converted once (a release dates
    thousands of rows): SQLite's stored text, or ISO text that PostgreSQL's COPY parses itself."""
    codes, uniques = pd.factorize(column)
    moments = [u.to_pydatetime() for u in uniques]
    if conn.dialect.name == "postgresql":
        texts = [m.isoformat(sep=" ") for m in moments]
    else:
        texts = _bound(conn, table, name, moments)
    return np.array([*texts, None], dtype=object)[codes].tolist()


def _python_columns(conn: Connection, table, frame: pd.DataFrame) -> list[list]:
    """Columns as plain Python lists (None for missing), the fastest shape for database drivers."""
    return [
        _moments(conn, table, c, frame[c]) if frame[c].dtype.kind == "M"
        else _bound(conn, table, c, frame[c].astype(object).where(frame[c].notna(), None).tolist())
        for c in frame.columns
    ]


def _insert_chunks(conn: Connection, table, rows: pd.DataFrame, progress=None, constants: dict | None = None) -> None:
    """Bulk insert bypassing the ORM: COPY on PostgreSQL, a driver executemany elsewhere.

    ``constants`` (the load moment and ingest id of a load) are converted once, not once a row.
    """
    constants = constants or {}
    fixed = tuple(_bound(conn, table, c, [v])[0] for c, v in constants.items())
    names = ", ".join([*rows.columns, *constants])
    for start in range(0, len(rows), CHUNK):
        chunk = rows.iloc[start : start + CHUNK]
        tuples = [row + fixed for row in zip(*_python_columns(conn, table, chunk))]
        if conn.dialect.name == "postgresql":
            with conn.connection.driver_connection.cursor() as cursor:
                with cursor.copy(f"COPY {table.__tablename__} ({names}) FROM STDIN") as copy:
                    for row in tuples:
                        copy.write_row(row)
        else:
            marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * (len(rows.columns) + len(fixed)))
            conn.exec_driver_sql(f"INSERT INTO {table.__tablename__} ({names}) VALUES ({marks})", tuples)
        if progress:
            progress(len(chunk))


# --- comparing with what the store holds ----------------------------------------------------


def same_value(a: pd.Series, b: pd.Series) -> pd.Series:
    """Equal up to float noise (1e-9 relative); False where either is missing."""
    return ((a - b).abs() <= 1e-9 * b.abs().clip(lower=1.0)).fillna(False).astype(bool)


def same_text(a: pd.Series, b: pd.Series) -> pd.Series:
    """Equal text, an empty cell equal to a missing one."""
    return a.astype(object).where(a.notna(), "").astype(str) == b.astype(object).where(b.notna(), "").astype(str)


def _frame(conn: Connection, query, names: list[str]) -> pd.DataFrame:
    columns = list(zip(*conn.execute(query))) or [[] for _ in names]
    return pd.DataFrame(dict(zip(names, columns)))


STORED = ["series_id", "period", "source", "published", "value", "unit", "reference", "note", "vintage", "loaded_at", "id"]


def _of_series(conn: Connection, table, names: list[str], series_ids: list[int]) -> pd.DataFrame:
    """``names`` of every row of ``table`` that belongs to these series, asked 500 ids at a time
    (drivers cap bound parameters); the moments as datetime64[us]."""
    columns = [getattr(table, c) for c in names]
    frames = [
        _frame(conn, select(*columns).where(table.series_id.in_(series_ids[i : i + IDS_PER_QUERY])), names)
        for i in range(0, len(series_ids), IDS_PER_QUERY)
    ]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=names)
    for column in {"published", "vintage", "loaded_at"} & set(names):
        rows[column] = pd.to_datetime(rows[column]).astype("datetime64[us]")
    return rows.astype({"series_id": "int64"})


def _stored_rows(conn: Connection, series_ids: list[int]) -> pd.DataFrame:
    """Every stored row of these series (the index on series_id keeps this to their rows only)."""
    return _of_series(conn, Observation, STORED, series_ids).astype({"period": "str", "value": "float64"})


def _with_identity(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds the source identity: the source text (empty: "unknown source") and the publication date."""
    source = frame["source"].astype(object).where(frame["source"].notna(), "").astype(str)
    return frame.assign(source_key=source, published_key=frame["published"].fillna(NO_DATE))


def classify_observations(batch: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Adds ``change``: unchanged (its source's last figure is the same, metadata included), revised, added."""
    later = _later_in_batch(batch)
    if stored.empty:  # a first load of these series: nothing to compare with
        return batch.assign(change=np.where(later, "revised", "added"))
    last = _with_identity(stored).sort_values(["loaded_at", "id"], kind="stable").drop_duplicates(IDENTITY, keep="last")
    last = last[[*IDENTITY, "value", *META]].rename(columns={c: f"last_{c}" for c in ["value", *META]})
    merged = _with_identity(batch).merge(last, on=IDENTITY, how="left")
    unchanged = same_value(merged["value"], merged["last_value"])
    for column in META:
        unchanged &= same_text(merged[column], merged[f"last_{column}"])
    had_value = pd.MultiIndex.from_frame(merged[["series_id", "period"]]).isin(
        pd.MultiIndex.from_frame(stored[["series_id", "period"]])
    )
    merged["change"] = np.where(unchanged, "unchanged", np.where(had_value | later, "revised", "added"))
    return merged.drop(columns=["source_key", "published_key", *(f"last_{c}" for c in ["value", *META])])


def _later_in_batch(batch: pd.DataFrame) -> np.ndarray:
    """True where the batch has an earlier publication of the same series and period: within one load,
    the earliest publication of a new period is its addition, the later ones revise it."""
    order = batch["vintage"].to_numpy().argsort(kind="stable")
    later = np.empty(len(batch), dtype=bool)
    later[order] = batch[["series_id", "period"]].iloc[order].duplicated().to_numpy()
    return later


# --- observations ---------------------------------------------------------------------------


def ensure_series(conn: Connection, observations: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Ids, current units and sources of the batch's series (country, indicator, series_id, series_unit,
    series_source), creating new ones."""
    keys = observations.drop_duplicates(["country", "indicator"])[["country", "indicator", "unit", "source"]]
    existing = _frame(
        conn, select(Series.country, Series.indicator, Series.id, Series.unit, Series.source),
        ["country", "indicator", "series_id", "series_unit", "series_source"],
    )
    known = set(zip(existing["country"], existing["indicator"]))
    new = [
        {
            "country": r.country, "indicator": r.indicator, "frequency": INDICATORS[r.indicator].frequency,
            "unit": r.unit, "source": r.source if isinstance(r.source, str) else None, "created_at": now,
        }
        for r in keys.itertuples()
        if (r.country, r.indicator) not in known
    ]
    if new:
        conn.execute(insert(Series), new)
        return ensure_series(conn, observations, now)
    return existing


def prepared(observations: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """The batch with its unit filled (the indicator's own where missing), publication moment and vintage."""
    batch = observations[OBSERVATION_COLUMNS].copy()
    missing = batch["unit"].isna() | (batch["unit"].astype(object) == "")
    if missing.any():
        batch["unit"] = batch["unit"].astype(object).where(~missing, batch["indicator"].map(lambda i: INDICATORS[i].unit))
    if "published" in observations:
        batch["published"] = published_moments(observations["published"])
    else:
        batch["published"] = pd.Series(pd.NaT, index=batch.index, dtype="datetime64[us]")
    batch["vintage"] = vintages_from(batch["published"], now)
    return batch


def write_observations(conn, observations: pd.DataFrame, ingest_id: int, now: datetime, progress=None) -> pd.DataFrame:
    """Stores new and revised observations; returns the batch with its ``change`` column."""
    batch = prepared(observations, now)
    series = ensure_series(conn, batch, now)
    batch = batch.merge(series[["country", "indicator", "series_id"]], on=["country", "indicator"], how="left")
    stored = _stored_rows(conn, sorted(batch["series_id"].unique().tolist()))
    batch = classify_observations(batch, stored)
    fresh = batch.loc[batch["change"] != "unchanged"]
    if progress and len(fresh) < len(batch):
        progress(len(batch) - len(fresh))
    constants = {"loaded_at": now, "ingest_id": ingest_id}
    columns = ["series_id", "period", "value", "unit", "source", "reference", "note"]
    if fresh["published"].notna().any():
        columns += ["published", "vintage"]
    else:
        constants |= {"published": None, "vintage": now}
    _insert_chunks(conn, Observation, fresh[columns], progress, constants)
    _keep_latest_units(conn, series, stored, fresh, now)
    _note_vintages(conn, fresh)
    return batch


def _note_vintages(conn: Connection, fresh: pd.DataFrame) -> None:
    """Adds the (series, vintage, publication) pairs this load brought that the store did not list yet."""
    if fresh.empty:
        return
    keys = ["series_id", "vintage", "published"]
    brought = fresh[keys].drop_duplicates()
    listed = _of_series(conn, ObservationVintage, keys, sorted(brought["series_id"].unique().tolist()))
    seen = pd.MultiIndex.from_frame(listed.fillna({"published": NO_DATE}))
    new = brought[~pd.MultiIndex.from_frame(brought.fillna({"published": NO_DATE})).isin(seen)]
    _insert_chunks(conn, ObservationVintage, new)


def _keep_latest_units(conn: Connection, series: pd.DataFrame, stored: pd.DataFrame, fresh: pd.DataFrame, now) -> None:
    """A series shows the unit and the source of its newest figure (by vintage, then load), so a unit
    correction shows, and the series list names October 2025's WEO, not the first file ever loaded."""
    if fresh.empty:
        return
    touched = stored[stored["series_id"].isin(fresh["series_id"])]
    rows = pd.concat(
        [touched[["series_id", "unit", "source", "vintage", "loaded_at"]],
         fresh[["series_id", "unit", "source", "vintage"]].assign(loaded_at=pd.Timestamp(now))],
        ignore_index=True,
    )
    newest = rows.sort_values(["vintage", "loaded_at"], kind="stable").drop_duplicates("series_id", keep="last")
    newest = newest.merge(series[["series_id", "series_unit", "series_source"]], on="series_id")
    newest = newest.assign(source=newest["source"].where(newest["source"].map(lambda v: isinstance(v, str) and v != ""),
                                                         newest["series_source"]))  # a figure without one keeps it
    changed = ~same_text(newest["unit"], newest["series_unit"]) | ~same_text(newest["source"], newest["series_source"])
    for row in newest[changed].itertuples():
        source = row.source if isinstance(row.source, str) else None
        conn.execute(update(Series).where(Series.id == int(row.series_id)).values(unit=row.unit, source=source))


# --- official projections -------------------------------------------------------------------


def _stored_official(conn: Connection, official: pd.DataFrame) -> pd.DataFrame:
    """The stored projections of the batch's countries and indicators (keys, value, metadata, order)."""
    names = [*OFFICIAL_KEY, "value", "reference", "note", "loaded_at", "id"]
    query = select(*(getattr(OfficialProjection, c) for c in names)).where(
        OfficialProjection.country.in_(sorted(official["country"].unique().tolist())),
        OfficialProjection.indicator.in_(sorted(official["indicator"].unique().tolist())),
    )
    stored = _frame(conn, query, names)
    return stored.astype({k: "str" for k in OFFICIAL_KEY} | {"value": "float64"})


def classify_official(batch: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Adds ``change``: a publication's figure is unchanged when its last stored value and metadata match."""
    last = stored.sort_values(["loaded_at", "id"], kind="stable").drop_duplicates(OFFICIAL_KEY, keep="last")
    last = last[[*OFFICIAL_KEY, "value", "reference", "note"]].rename(
        columns={"value": "last_value", "reference": "last_reference", "note": "last_note"}
    )
    merged = batch.astype({k: "str" for k in OFFICIAL_KEY}).merge(last, on=OFFICIAL_KEY, how="left", indicator=True)
    unchanged = same_value(merged["value"], merged["last_value"])
    unchanged &= same_text(merged["reference"], merged["last_reference"]) & same_text(merged["note"], merged["last_note"])
    known = merged.pop("_merge") == "both"
    merged["change"] = np.where(unchanged, "unchanged", np.where(known, "revised", "added"))
    return merged.drop(columns=["last_value", "last_reference", "last_note"])


def write_official(conn, official: pd.DataFrame, ingest_id: int, now: datetime) -> pd.DataFrame:
    """Stores new and revised official projections, each vintaged by its publication date."""
    batch = classify_official(official, _stored_official(conn, official))
    batch["vintage"] = vintages_from(published_moments(batch["published"]), now)
    fresh = batch.loc[batch["change"] != "unchanged", [*OFFICIAL_KEY, "value", "reference", "note", "vintage"]]
    _insert_chunks(conn, OfficialProjection, fresh, constants={"loaded_at": now, "ingest_id": ingest_id})
    return batch


# --- one load -------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a load changed, added up over the frames it wrote (a large file's chunks, its projections)."""

    counts: dict[str, int]
    official: dict[str, int]
    countries: set[str]
    indicators: set[str]
    periods: set[str]

    @classmethod
    def empty(cls) -> Tally:
        return cls({}, {}, set(), set(), set())

    def add(self, batch: pd.DataFrame, period: str, counts: dict[str, int]) -> None:
        for change, n in batch["change"].value_counts().items() if len(batch) else ():
            counts[change] = counts.get(change, 0) + int(n)
        self.countries.update(batch["country"].unique().tolist())
        self.indicators.update(batch["indicator"].unique().tolist())
        self.periods.update(batch[period].unique().tolist())

    def summary(self, ingest_id: int, now: datetime) -> IngestSummary:
        obs = [self.counts.get(k, 0) for k in ("added", "revised", "unchanged")]
        off = [self.official.get(k, 0) for k in ("added", "revised", "unchanged")]
        periods = sorted(self.periods)
        return IngestSummary(
            ingest_id, *obs, *off, tuple(sorted(self.countries)), tuple(sorted(self.indicators)),
            periods[0] if periods else None, periods[-1] if periods else None, now,
        )


def write_batch(
    target: Engine | Connection,
    observations: pd.DataFrame | Iterable[pd.DataFrame],
    official: pd.DataFrame,
    *,
    source: str,
    file_name: str | None = None,
    digest: str | None = None,
    code_version: str | None = None,
    vintage: datetime | None = None,
    progress=None,
) -> IngestSummary:
    """One load, one transaction: either every row of the batch is stored or none is.

    Given an engine, the batch gets its own transaction; given a connection, it joins the
    caller's (so several files of one command commit or fail together). ``vintage`` is the load
    moment (``loaded_at``); by default the time once the write lock is held. ``observations`` may
    be an iterable of frames (a large file's chunks): each is compared with the store as it then
    is, earlier chunks included, and written before the next is read, so memory stays bounded.
    """
    if isinstance(target, Engine):
        with write_transaction(target) as (conn, now):
            return write_batch(
                conn, observations, official, source=source, file_name=file_name, digest=digest,
                code_version=code_version, vintage=vintage or now, progress=progress,
            )
    conn = target
    lock_for_writing(conn)
    now = vintage or utcnow()
    ingest_id = conn.execute(
        insert(Ingest).values(
            created_at=now, source=source, file_name=file_name, checksum=digest,
            rows_added=0, rows_revised=0, rows_unchanged=0, code_version=code_version,
        )
    ).inserted_primary_key[0]
    tally = Tally.empty()
    for part in [observations] if isinstance(observations, pd.DataFrame) else observations:
        if len(part):
            tally.add(write_observations(conn, part, ingest_id, now, progress), "period", tally.counts)
    if len(official):
        tally.add(write_official(conn, official, ingest_id, now), "target_period", tally.official)
    summary = tally.summary(ingest_id, now)
    conn.execute(
        update(Ingest)
        .where(Ingest.id == ingest_id)
        .values(
            rows_added=summary.added + summary.official_added,
            rows_revised=summary.revised + summary.official_revised,
            rows_unchanged=summary.unchanged + summary.official_unchanged,
        )
    )
    return summary
