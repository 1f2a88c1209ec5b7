"""Reading the store as of any moment, and writing a validated batch as one transaction.

"As of" means: for each figure, the latest vintage on or before that moment. A date alone
(``2025-01-31``) means the end of that day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, insert, select

from econ.schema import INDICATORS, OBSERVATION_COLUMNS
from econ.store.tables import Ingest, Norm, Observation, OfficialProjection, Series

CHUNK = 50_000


def utcnow() -> datetime:
    """Vintages are naive UTC datetimes, the same on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_as_of(value: str | date | datetime | None) -> datetime | None:
    """``2025-01-31`` -> end of that day; an ISO timestamp -> that instant (converted to UTC)."""
    if value is None or isinstance(value, datetime):
        return _to_utc(value) if value is not None else None
    if isinstance(value, date):
        return datetime.combine(value, time.max)
    text = str(value).strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time.max)
    return _to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestSummary:
    """What a load changed, for the CLI's report and the ingests table."""

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


def ensure_series(conn: Connection, observations: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Ids of the batch's series (country, indicator, series_id), creating the new ones."""
    keys = observations.drop_duplicates(["country", "indicator"])[["country", "indicator", "unit", "source"]]
    existing = pd.DataFrame(
        conn.execute(select(Series.country, Series.indicator, Series.id)).all(),
        columns=["country", "indicator", "series_id"],
    )
    known = set(zip(existing["country"], existing["indicator"]))
    new = [
        {
            "country": r.country,
            "indicator": r.indicator,
            "frequency": INDICATORS[r.indicator].frequency,
            "unit": r.unit if isinstance(r.unit, str) and r.unit else INDICATORS[r.indicator].unit,
            "source": r.source if isinstance(r.source, str) else None,
            "created_at": now,
        }
        for r in keys.itertuples()
        if (r.country, r.indicator) not in known
    ]
    if new:
        conn.execute(insert(Series), new)
        return ensure_series(conn, observations, now)
    return existing


def _newest(conn: Connection, query, keys: list[str]) -> pd.DataFrame:
    """The newest vintage's value (``known``) for every key among the rows ``query`` returns.

    ``query`` selects the key columns, then value and vintage. Every vintage is read and the newest
    kept in pandas: one indexed scan, much faster than a grouped self-join once a store holds
    millions of rows.
    """
    names = [*keys, "known", "vintage"]
    columns = list(zip(*conn.execute(query))) or [[] for _ in names]
    every = pd.DataFrame(dict(zip(names, columns))).sort_values("vintage", kind="stable")
    return every.drop_duplicates(keys, keep="last")[[*keys, "known"]]


def _latest_values(conn: Connection, series_ids: list[int]) -> pd.DataFrame:
    """The value currently known for every (series, period) among ``series_ids``."""
    keys = ["series_id", "period"]
    frames = [
        _newest(
            conn,
            select(Observation.series_id, Observation.period, Observation.value, Observation.vintage).where(
                Observation.series_id.in_(series_ids[start : start + 500])
            ),
            keys,
        )
        for start in range(0, len(series_ids), 500)
    ]
    # A key's vintages all share a series id, so the newest per chunk is the newest overall.
    latest = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*keys, "known"])
    return latest.astype({"series_id": "int64", "period": "str", "known": "float64"})


def classify(incoming: pd.DataFrame, known: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Adds a ``change`` column: added (new key), revised (value differs) or unchanged."""
    merged = incoming.merge(known, on=keys, how="left")
    same = (merged["known"] - merged["value"]).abs() <= 1e-9 * merged["value"].abs().clip(lower=1.0)
    merged["change"] = "revised"
    merged.loc[merged["known"].isna(), "change"] = "added"
    merged.loc[same.fillna(False).astype(bool), "change"] = "unchanged"
    return merged


def _bound(conn: Connection, table, column: str, values: list) -> list:
    """Values through the column type's bind processor: stored exactly as the ORM would write them."""
    process = table.__table__.c[column].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return values if process is None else [process(v) for v in values]


def _python_columns(conn: Connection, table, frame: pd.DataFrame) -> list[list]:
    """Columns as plain Python lists (None for missing), the fastest shape for database drivers."""
    return [
        _bound(conn, table, c, frame[c].astype(object).where(frame[c].notna(), None).tolist()) for c in frame.columns
    ]


def _insert_chunks(conn: Connection, table, rows: pd.DataFrame, progress=None, constants: dict | None = None) -> None:
    """Bulk insert bypassing the ORM: COPY on PostgreSQL, a driver executemany elsewhere.

    ``constants`` (the vintage and ingest id of a load) are converted once, not once a row.
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


def write_observations(conn, observations: pd.DataFrame, ingest_id: int, now: datetime, progress=None) -> pd.DataFrame:
    """Stores new and revised observations; returns the batch with its ``change`` column."""
    observations = observations[OBSERVATION_COLUMNS]
    batch = observations.merge(ensure_series(conn, observations, now), on=["country", "indicator"], how="left")
    known = _latest_values(conn, sorted(batch["series_id"].unique().tolist()))
    batch = classify(batch, known, ["series_id", "period"])
    fresh = batch.loc[batch["change"] != "unchanged", ["series_id", "period", "value", "source", "reference", "note"]]
    if progress and (batch["change"] == "unchanged").any():
        progress(int((batch["change"] == "unchanged").sum()))
    _insert_chunks(conn, Observation, fresh, progress, {"vintage": now, "ingest_id": ingest_id})
    return batch


OFFICIAL_KEY = ["publisher", "published", "country", "indicator", "target_period"]


def _latest_official(conn: Connection) -> pd.DataFrame:
    """The value currently known for every published official projection."""
    columns = [*(getattr(OfficialProjection, k) for k in OFFICIAL_KEY), OfficialProjection.value, OfficialProjection.vintage]
    return _newest(conn, select(*columns), OFFICIAL_KEY).astype({"known": "float64"})


def write_official(conn, official: pd.DataFrame, ingest_id: int, now: datetime) -> pd.DataFrame:
    """Stores new and revised official projections; returns the batch with its ``change`` column."""
    if official.empty:
        return _no_change(official)
    known = _latest_official(conn)
    batch = classify(official.astype({k: "str" for k in OFFICIAL_KEY}), known.astype({k: "str" for k in OFFICIAL_KEY}), OFFICIAL_KEY)
    fresh = batch.loc[batch["change"] != "unchanged", [*OFFICIAL_KEY, "value", "reference", "note"]]
    _insert_chunks(conn, OfficialProjection, fresh, constants={"vintage": now, "ingest_id": ingest_id})
    return batch


def _counts(batch: pd.DataFrame) -> tuple[int, int, int]:
    counts = batch["change"].value_counts() if len(batch) else {}
    return tuple(int(counts.get(k, 0)) for k in ("added", "revised", "unchanged"))


def write_batch(
    target: Engine | Connection,
    observations: pd.DataFrame,
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
    caller's (so several files of one command commit or fail together).
    """
    if isinstance(target, Engine):
        with target.begin() as conn:
            return write_batch(
                conn, observations, official, source=source, file_name=file_name, digest=digest,
                code_version=code_version, vintage=vintage, progress=progress,
            )
    now = vintage or utcnow()
    conn = target
    ingest_id = conn.execute(
        insert(Ingest).values(
            created_at=now, source=source, file_name=file_name, checksum=digest,
            rows_added=0, rows_revised=0, rows_unchanged=0, code_version=code_version,
        )
    ).inserted_primary_key[0]
    obs = write_observations(conn, observations, ingest_id, now, progress) if len(observations) else _no_change(observations)
    off = write_official(conn, official, ingest_id, now)
    summary = _summary(ingest_id, obs, off, now)
    conn.execute(
        Ingest.__table__.update()
        .where(Ingest.id == ingest_id)
        .values(
            rows_added=summary.added + summary.official_added,
            rows_revised=summary.revised + summary.official_revised,
            rows_unchanged=summary.unchanged + summary.official_unchanged,
        )
    )
    return summary


def _no_change(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(change=pd.Series(dtype="str", index=frame.index))


def _summary(ingest_id: int, obs: pd.DataFrame, off: pd.DataFrame, now: datetime) -> IngestSummary:
    added, revised, unchanged = _counts(obs)
    o_added, o_revised, o_unchanged = _counts(off)
    def values(column: str, official_column: str | None = None) -> list[str]:
        both = set(obs[column].unique().tolist()) if column in obs else set()
        return sorted(both | set(off[official_column or column].unique().tolist() if len(off) else []))

    periods = values("period", "target_period")
    return IngestSummary(
        ingest_id, added, revised, unchanged, o_added, o_revised, o_unchanged,
        tuple(values("country")), tuple(values("indicator")),
        periods[0] if periods else None, periods[-1] if periods else None, now,
    )


# --- reading --------------------------------------------------------------------------------


def _as_of_filter(column, as_of: datetime | None):
    return column <= as_of if as_of is not None else True


def observations(
    engine: Engine,
    country: str | list[str] | None = None,
    indicator: str | list[str] | None = None,
    as_of: str | date | datetime | None = None,
) -> pd.DataFrame:
    """The figures as known at ``as_of`` (default: now), one row per (country, indicator, period).

    Columns: country, indicator, period, value, unit, source, reference, note, vintage.
    """
    moment = parse_as_of(as_of)
    latest = (
        select(Observation.series_id, Observation.period, func.max(Observation.vintage).label("vintage"))
        .where(_as_of_filter(Observation.vintage, moment))
        .group_by(Observation.series_id, Observation.period)
        .subquery()
    )
    query = (
        select(
            Series.country, Series.indicator, Observation.period, Observation.value, Series.unit,
            Observation.source, Observation.reference, Observation.note, Observation.vintage,
        )
        .join(Series, Series.id == Observation.series_id)
        .join(
            latest,
            and_(
                Observation.series_id == latest.c.series_id,
                Observation.period == latest.c.period,
                Observation.vintage == latest.c.vintage,
            ),
        )
        .where(*_filters(Series, country, indicator))
        .order_by(Series.country, Series.indicator, Observation.period)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = [*OBSERVATION_COLUMNS, "vintage"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"value": "float64"})


def _filters(table, country, indicator) -> list:
    clauses = []
    for column, wanted in ((table.country, country), (table.indicator, indicator)):
        if isinstance(wanted, str):
            clauses.append(column == wanted)
        elif wanted:
            clauses.append(column.in_(list(wanted)))
    return clauses


def revisions(engine: Engine, country: str, indicator: str) -> pd.DataFrame:
    """Every vintage of every period of one series (fredapi's ``realtime_start`` shape)."""
    query = (
        select(Observation.period, Observation.value, Observation.vintage, Observation.source)
        .join(Series, Series.id == Observation.series_id)
        .where(Series.country == country, Series.indicator == indicator)
        .order_by(Observation.period, Observation.vintage)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=["period", "value", "vintage", "source"])


def series(engine: Engine) -> pd.DataFrame:
    """Every stored series: country, indicator, frequency, unit, first, last, count, source."""
    query = (
        select(
            Series.country, Series.indicator, Series.frequency, Series.unit,
            func.min(Observation.period), func.max(Observation.period),
            func.count(func.distinct(Observation.period)), Series.source,
        )
        .join(Observation, Observation.series_id == Series.id)
        .group_by(Series.id, Series.country, Series.indicator, Series.frequency, Series.unit, Series.source)
        .order_by(Series.country, Series.indicator)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["country", "indicator", "frequency", "unit", "first", "last", "count", "source"])


def official_projections(
    engine: Engine,
    country: str | list[str] | None = None,
    indicator: str | list[str] | None = None,
    as_of: str | date | datetime | None = None,
) -> pd.DataFrame:
    """Published projections as known at ``as_of``: the latest vintage of each publication's figure."""
    moment = parse_as_of(as_of)
    keys = [getattr(OfficialProjection, k) for k in OFFICIAL_KEY]
    latest = (
        select(*keys, func.max(OfficialProjection.vintage).label("v"))
        .where(_as_of_filter(OfficialProjection.vintage, moment))
        .group_by(*keys)
        .subquery()
    )
    query = (
        select(*keys, OfficialProjection.value, OfficialProjection.reference, OfficialProjection.note)
        .join(latest, and_(*(k == latest.c[k.key] for k in keys), OfficialProjection.vintage == latest.c.v))
        .where(*_filters(OfficialProjection, country, indicator))
        .order_by(OfficialProjection.country, OfficialProjection.indicator, OfficialProjection.target_period)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=[*OFFICIAL_KEY, "value", "reference", "note"])
    return frame.astype({"value": "float64"})


NORM_COLUMNS = ["code", "indicator", "comparison", "threshold", "label_fr", "label_en", "source", "countries"]


def norms(engine: Engine, indicator: str | None = None) -> pd.DataFrame:
    """The norms table: code, indicator, comparison, threshold, labels, source, countries."""
    query = select(*(getattr(Norm, c) for c in NORM_COLUMNS)).order_by(Norm.code)
    if indicator:
        query = query.where(Norm.indicator == indicator)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=NORM_COLUMNS)


def norms_for(engine: Engine, country: str, indicator: str) -> pd.DataFrame:
    """The norms that apply to one country's indicator (a norm without countries applies to all)."""
    table = norms(engine, indicator)
    applies = table["countries"].isna() | table["countries"].fillna("").str.split().apply(lambda cs: country in cs)
    return table[applies.astype(bool)]


def data_vintage(engine: Engine, as_of: str | date | datetime | None = None) -> datetime | None:
    """The newest vintage of any figure known at ``as_of``: names the data a run read."""
    moment = parse_as_of(as_of)
    with engine.connect() as conn:
        obs = conn.execute(select(func.max(Observation.vintage)).where(_as_of_filter(Observation.vintage, moment))).scalar()
        off = conn.execute(
            select(func.max(OfficialProjection.vintage)).where(_as_of_filter(OfficialProjection.vintage, moment))
        ).scalar()
    known = [v for v in (obs, off) if v is not None]
    return max(known) if known else None


def vintages(engine: Engine, country=None, indicator=None, as_of=None) -> pd.DataFrame:
    """Every stored row known at ``as_of``: country, indicator, period, value, vintage, published, loaded_at, source."""
    moment = parse_as_of(as_of)
    query = (
        select(Series.country, Series.indicator, Observation.period, Observation.value, Observation.vintage,
               Observation.source)
        .join(Series, Series.id == Observation.series_id)
        .where(*_filters(Series, country, indicator), _as_of_filter(Observation.vintage, moment))
        .order_by(Series.country, Series.indicator, Observation.period, Observation.vintage)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(),
                             columns=["country", "indicator", "period", "value", "vintage", "source"])
    frame = frame.astype({"value": "float64"})
    frame["published"] = pd.NaT
    frame["loaded_at"] = frame["vintage"]
    return frame[["country", "indicator", "period", "value", "vintage", "published", "loaded_at", "source"]]
