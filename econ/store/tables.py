"""The store's tables (SQLAlchemy 2 ORM). Alembic migrations under ``migrations/`` create them.

Observations and official projections are append-only: a revised figure is a new row, with its
``vintage`` (the publication moment where known, else the load moment) and ``loaded_at``, so any
past state can be read back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Series(Base):
    """One country's indicator: what the observations belong to."""

    __tablename__ = "series"
    __table_args__ = (UniqueConstraint("country", "indicator", name="uq_series_country_indicator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(8))
    indicator: Mapped[str] = mapped_column(String(64))
    frequency: Mapped[str] = mapped_column(String(1))
    unit: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Ingest(Base):
    """One load: where it came from, its checksum, and what it changed."""

    __tablename__ = "ingests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(Text)
    checksum: Mapped[str | None] = mapped_column(String(64))
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_revised: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    code_version: Mapped[str | None] = mapped_column(String(64))


class Observation(Base):
    """A value as known from ``vintage`` on; never updated, never deleted.

    ``published``: when the publisher released it (the end of the day, month or year given), or
    NULL; ``loaded_at``: when this store loaded it; ``vintage``: ``published`` if known (never after
    ``loaded_at``), else ``loaded_at``. ``unit`` is the figure's own, so a unit correction is a revision.
    The unique index doubles as the read path: one series' rows, in period and vintage order.
    """

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_series_vintage", "series_id", "period", "vintage", "loaded_at", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    period: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    vintage: Mapped[datetime] = mapped_column(DateTime)
    published: Mapped[datetime | None] = mapped_column(DateTime)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    ingest_id: Mapped[int] = mapped_column(ForeignKey("ingests.id"))
    unit: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class ObservationVintage(Base):
    """Each vintage a series has (one row per series, vintage and publication date), kept by every load.

    A few rows per series and release instead of one per figure: the vintage picker and
    ``data_vintage`` read it, so the observations table needs no index on vintage or publication
    (each such index doubles the cost of a large load).
    """

    __tablename__ = "observation_vintages"
    __table_args__ = (
        Index("ix_observation_vintages_series", "series_id", "vintage"),
        Index("ix_observation_vintages_vintage", "vintage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    vintage: Mapped[datetime] = mapped_column(DateTime)
    published: Mapped[datetime | None] = mapped_column(DateTime)


class OfficialProjection(Base):
    """A published projection (IMF, World Bank, government, BCEAO), vintaged by its publication date.

    ``published`` is the date as the publisher gave it (``2025``, ``2025-10``, ``2025-10-14``);
    ``vintage`` is its end (never after ``loaded_at``); a reload that changes a figure adds a row.
    """

    __tablename__ = "official_projections"
    __table_args__ = (
        UniqueConstraint(
            "publisher", "published", "country", "indicator", "target_period", "loaded_at", name="uq_official_vintage"
        ),
        Index("ix_official_lookup", "country", "indicator", "target_period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publisher: Mapped[str] = mapped_column(String(64))
    published: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(8))
    indicator: Mapped[str] = mapped_column(String(64))
    target_period: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    vintage: Mapped[datetime] = mapped_column(DateTime)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    ingest_id: Mapped[int] = mapped_column(ForeignKey("ingests.id"))
    reference: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Norm(Base):
    """A convergence criterion. Data, not code: users may add their own."""

    __tablename__ = "norms"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64))
    comparison: Mapped[str] = mapped_column(String(2))
    threshold: Mapped[float] = mapped_column(Float)
    label_fr: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    countries: Mapped[str | None] = mapped_column(Text)  # space-separated codes; NULL means every country


class ForecastRun(Base):
    """One forecast run: which data (vintage), settings, code and seed produced its numbers."""

    __tablename__ = "forecast_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    as_of: Mapped[datetime | None] = mapped_column(DateTime)
    data_vintage: Mapped[datetime | None] = mapped_column(DateTime)
    code_version: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)


class Forecast(Base):
    """One series' projection within a run, with the evidence that chose it."""

    __tablename__ = "forecasts"
    __table_args__ = (Index("ix_forecasts_series", "country", "indicator", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_runs.id"))
    country: Mapped[str] = mapped_column(String(8))
    indicator: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(64))
    last_period: Mapped[str | None] = mapped_column(String(8))
    weights: Mapped[dict] = mapped_column(JSON)
    scores: Mapped[dict] = mapped_column(JSON)
    calibration: Mapped[dict] = mapped_column(JSON)
    diagnostics: Mapped[dict] = mapped_column(JSON)  # warnings and skipped models, with reasons
    state: Mapped[bytes | None] = mapped_column(LargeBinary)  # fitted parameters for scenarios


class ForecastPoint(Base):
    """A projected period: central value and intervals, per model (the run's choice included)."""

    __tablename__ = "forecast_points"
    __table_args__ = (Index("ix_points_forecast", "forecast_id", "model"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecasts.id"))
    model: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))
    mean: Mapped[float] = mapped_column(Float)
    lower_80: Mapped[float] = mapped_column(Float)
    upper_80: Mapped[float] = mapped_column(Float)
    lower_95: Mapped[float] = mapped_column(Float)
    upper_95: Mapped[float] = mapped_column(Float)


class NormCheck(Base):
    """Probability of breaching a norm in a projected period; keeps the threshold it used."""

    __tablename__ = "norm_checks"
    __table_args__ = (Index("ix_norm_checks_forecast", "forecast_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecasts.id"))
    period: Mapped[str] = mapped_column(String(8))
    norm_code: Mapped[str] = mapped_column(String(64))
    comparison: Mapped[str] = mapped_column(String(2))
    threshold: Mapped[float] = mapped_column(Float)
    p_breach: Mapped[float] = mapped_column(Float)


class BacktestPoint(Base):
    """A rolling-origin forecast scored against what happened, for a model or a publisher."""

    __tablename__ = "backtest_points"
    __table_args__ = (Index("ix_backtest_forecast", "forecast_id", "model"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecasts.id"))
    model: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(8))  # last period known when the forecast was made
    horizon: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(8))
    forecast: Mapped[float] = mapped_column(Float)
    lower_80: Mapped[float | None] = mapped_column(Float)
    upper_80: Mapped[float | None] = mapped_column(Float)
    lower_95: Mapped[float | None] = mapped_column(Float)
    upper_95: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float] = mapped_column(Float)
    naive: Mapped[float | None] = mapped_column(Float)


class Analyst(Base):
    """Someone allowed to write: ingest and rerun forecasts (token stored as a hash)."""

    __tablename__ = "analysts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    token_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)
