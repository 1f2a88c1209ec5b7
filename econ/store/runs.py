"""Forecast runs in the store: written once when a run ends, read by the dashboard, API and exports.

A run is stored whole in one transaction, with what produced it (data vintage, settings, code
version, seed), so a number on a chart can always be traced back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, insert, or_, select
from sqlalchemy.orm import Session

from econ.store.repository import loaded_since, utcnow
from econ.store.tables import BacktestPoint, Forecast, ForecastPoint, ForecastRun, NormCheck

ECON = "combination"  # the name the store and the API give econ's own projection
MONTHLY_MODEL = "monthly"  # and the monthly inflation path that projection implies
POINT_FIELDS = ["period", "model", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
CHECK_FIELDS = ["period", "norm_code", "comparison", "threshold", "p_breach"]
BACKTEST_FIELDS = [
    "model", "origin", "horizon", "period", "forecast", "lower_80", "upper_80", "lower_95", "upper_95", "actual", "naive",
]


@dataclass
class SeriesForecast:
    """One series' projection, as the forecast engine hands it to the store.

    ``points`` holds every model's projection (POINT_FIELDS) including the chosen one, whose name
    is ``model``; ``norm_checks`` the breach probabilities of the chosen projection; ``backtest``
    the rolling-origin forecasts (BACKTEST_FIELDS) of every model and of the chosen one.
    """

    country: str
    indicator: str
    model: str
    last_period: str
    points: pd.DataFrame
    norm_checks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHECK_FIELDS))
    backtest: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BACKTEST_FIELDS))
    weights: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    calibration: dict = field(default_factory=dict)
    diagnostics: dict = field(default_factory=dict)
    state: dict | None = None  # what a scenario needs: plain numbers, stored as JSON (never pickled)


@dataclass
class RunRecord:
    """A finished run: its provenance and its forecasts."""

    settings: dict
    seed: int
    code_version: str
    data_vintage: datetime | None
    as_of: datetime | None
    forecasts: list[SeriesForecast]
    created_at: datetime = field(default_factory=utcnow)
    message: str | None = None


@dataclass
class StoredForecast:
    """One series' projection read back, with the run that made it."""

    run: dict
    forecast_id: int
    country: str
    indicator: str
    model: str
    last_period: str | None
    points: pd.DataFrame  # all models; ``chosen()`` gives the run's projection
    norm_checks: pd.DataFrame
    weights: dict
    scores: dict
    calibration: dict
    diagnostics: dict

    def chosen(self) -> pd.DataFrame:
        return self.points[self.points["model"] == self.model].reset_index(drop=True)


def _records(frame: pd.DataFrame, fields: list[str], **extra) -> list[dict]:
    rows = frame[fields].astype(object).where(frame[fields].notna(), None)
    return [{**dict(zip(fields, values)), **extra} for values in rows.itertuples(index=False, name=None)]


def save_run(engine: Engine, run: RunRecord) -> int:
    """Stores a whole run in one transaction; returns its id."""
    with engine.begin() as conn:
        run_id = conn.execute(
            insert(ForecastRun).values(
                created_at=run.created_at, finished_at=utcnow(), as_of=run.as_of, data_vintage=run.data_vintage,
                code_version=run.code_version, seed=run.seed, settings=run.settings, status="done", message=run.message,
            )
        ).inserted_primary_key[0]
        for fc in run.forecasts:
            _save_forecast(conn, run_id, fc)
    return run_id


def _save_forecast(conn, run_id: int, fc: SeriesForecast) -> None:
    forecast_id = conn.execute(
        insert(Forecast).values(
            run_id=run_id, country=fc.country, indicator=fc.indicator, model=fc.model, last_period=fc.last_period,
            weights=fc.weights, scores=fc.scores, calibration=fc.calibration, diagnostics=fc.diagnostics,
            state=encode_state(fc.state),
        )
    ).inserted_primary_key[0]
    for table, frame, fields in (
        (ForecastPoint, fc.points, POINT_FIELDS),
        (NormCheck, fc.norm_checks, CHECK_FIELDS),
        (BacktestPoint, fc.backtest, BACKTEST_FIELDS),
    ):
        if len(frame):
            conn.execute(insert(table), _records(frame, fields, forecast_id=forecast_id))


# The run made with the newest information first (a run ``--as-of`` a past day, computed later, is not
# the latest projection), then the newest computed.
NEWEST_FIRST = (ForecastRun.as_of.desc().nulls_last(), ForecastRun.id.desc())


def _run_dict(row: ForecastRun) -> dict:
    return {
        "id": row.id, "created_at": row.created_at, "finished_at": row.finished_at, "as_of": row.as_of,
        "data_vintage": row.data_vintage, "code_version": row.code_version, "seed": row.seed,
        "settings": row.settings, "status": row.status,
    }


def runs(engine: Engine, limit: int = 50) -> pd.DataFrame:
    """The latest runs, newest first."""
    query = select(*ForecastRun.__table__.c).order_by(ForecastRun.id.desc()).limit(limit)
    with engine.connect() as conn:
        return pd.DataFrame([dict(r._mapping) for r in conn.execute(query)])


def _per_series(engine: Engine, run_id: int, column) -> list[tuple[str, str, dict]]:
    """Each of the run's series with one of its JSON columns (``{}`` when empty): one query."""
    query = select(Forecast.country, Forecast.indicator, column).where(Forecast.run_id == run_id)
    with engine.connect() as conn:
        return [(country, indicator, value or {}) for country, indicator, value
                in conn.execute(query.order_by(Forecast.id)).all()]


def alone_in_pool(engine: Engine, run_id: int) -> list[tuple[str, str]]:
    """The run's series whose pool held no other (``pool_series`` 1 in their calibration)."""
    return [(country, indicator) for country, indicator, calibration in _per_series(engine, run_id, Forecast.calibration)
            if calibration.get("pool_series") == 1]


def cpi_behind(engine: Engine, run_id: int) -> list[tuple[str, str, dict]]:
    """The run's series whose monthly CPI stopped before their last annual year (monthly models left out)."""
    return [(country, indicator, diagnostics["cpi_behind"]) for country, indicator, diagnostics
            in _per_series(engine, run_id, Forecast.diagnostics) if diagnostics.get("cpi_behind")]


def made_by(moment: datetime):
    """The runs made as of that day: information date, not the day they were computed."""
    return or_(ForecastRun.as_of <= moment, and_(ForecastRun.as_of.is_(None), ForecastRun.created_at <= moment))


def latest_forecast(
    engine: Engine, country: str, indicator: str, run_id: int | None = None, before: datetime | None = None
) -> StoredForecast | None:
    """The projection of the latest run covering this series (or of ``run_id``; or the latest made by ``before``)."""
    query = (
        select(Forecast, ForecastRun)
        .join(ForecastRun, ForecastRun.id == Forecast.run_id)
        .where(Forecast.country == country, Forecast.indicator == indicator, ForecastRun.status == "done")
        .order_by(*NEWEST_FIRST)
        .limit(1)
    )
    if run_id is not None:
        query = query.where(ForecastRun.id == run_id)
    if before is not None:
        query = query.where(made_by(before))
    with Session(engine) as session:
        row = session.execute(query).first()
        if row is None:
            return None
        fc, run = row
        points = _frame(session, ForecastPoint, fc.id, POINT_FIELDS)
        checks = _frame(session, NormCheck, fc.id, CHECK_FIELDS)
    return StoredForecast(
        _run_dict(run), fc.id, fc.country, fc.indicator, fc.model, fc.last_period, points, checks,
        fc.weights, fc.scores, fc.calibration, fc.diagnostics,
    )


def newer_than_run(engine: Engine, stored: StoredForecast | None, moment: datetime | None = None) -> dict | None:
    """The country's figures a rerun would read and the shown projection did not: loaded after its
    run began, and published by the date it was asked for (its ``--as-of``) and by the moment
    viewed. The page then says the projection is older than the data beside it, and how to mend it."""
    if stored is None:
        return None
    asked = (stored.run.get("settings") or {}).get("as_of")  # --as-of; a run of the day reads every vintage
    bounds = [m for m in (pd.Timestamp(asked).to_pydatetime() if asked else None, moment) if m is not None]
    return loaded_since(engine, stored.country, stored.run["created_at"], min(bounds) if bounds else None)


def _frame(conn, table, forecast_id: int, fields: list[str]) -> pd.DataFrame:
    columns = [getattr(table, f) for f in fields]
    query = select(*columns).where(table.forecast_id == forecast_id).order_by(table.id)
    return pd.DataFrame(conn.execute(query).all(), columns=fields)


def backtest_points(engine: Engine, forecast_id: int) -> pd.DataFrame:
    with engine.connect() as conn:
        return _frame(conn, BacktestPoint, forecast_id, BACKTEST_FIELDS)


STATE_FORMAT = "econ-state-json"


def encode_state(state: dict | None) -> bytes | None:
    """A forecast's state as versioned JSON bytes: data a reader parses, never code it runs."""
    if state is None:
        return None
    return json.dumps({"format": STATE_FORMAT, "version": 1, "state": state}, allow_nan=False).encode("utf-8")


def decode_state(blob: bytes | None) -> dict | None:
    """The state back, or None for anything that is not econ's JSON (a pickle from an old run is never
    unpickled: whoever can write to the database must not be able to run code on the server)."""
    if not blob:
        return None
    try:
        payload = json.loads(bytes(blob).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(payload, dict) or payload.get("format") != STATE_FORMAT or not isinstance(payload.get("state"), dict):
        return None
    return payload["state"]


def forecast_state(engine: Engine, forecast_id: int) -> dict | None:
    """The state stored with a forecast (for scenarios: a new gold path, no refit)."""
    with engine.connect() as conn:
        blob = conn.execute(select(Forecast.state).where(Forecast.id == forecast_id)).scalar()
    return decode_state(blob)


def latest_points(engine: Engine, country: str | list[str] | None = None, indicator: str | None = None) -> pd.DataFrame:
    """The chosen projection of the latest run for every matching series, with breach probabilities.

    Columns: run_id, country, indicator, model, period, mean, lower/upper 80/95, norm_code, threshold, p_breach.
    """
    latest = (
        select(Forecast.country, Forecast.indicator, Forecast.id.label("fid"))
        .join(ForecastRun, ForecastRun.id == Forecast.run_id)
        .where(ForecastRun.status == "done")
        .order_by(*NEWEST_FIRST)
    )
    if isinstance(country, str):
        latest = latest.where(Forecast.country == country)
    elif country:
        latest = latest.where(Forecast.country.in_(list(country)))
    if indicator:
        latest = latest.where(Forecast.indicator == indicator)
    with engine.connect() as conn:
        seen: dict[tuple[str, str], int] = {}
        for c, i, fid in conn.execute(latest):
            seen.setdefault((c, i), fid)
        frames = [_latest_rows(conn, fid) for fid in seen.values()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _latest_rows(conn, forecast_id: int) -> pd.DataFrame:
    head = conn.execute(
        select(Forecast.run_id, Forecast.country, Forecast.indicator, Forecast.model).where(Forecast.id == forecast_id)
    ).one()
    points = _frame(conn, ForecastPoint, forecast_id, POINT_FIELDS)
    points = points[points["model"] == head.model]
    checks = _frame(conn, NormCheck, forecast_id, CHECK_FIELDS).drop(columns="comparison")
    merged = points.merge(checks, on="period", how="left")
    return merged.assign(run_id=head.run_id, country=head.country, indicator=head.indicator)
