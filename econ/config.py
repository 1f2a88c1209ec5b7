"""Settings, read once from the environment (prefix ``ECON_``) or a ``.env`` file.

Everything has an embedded default so that a fresh machine needs nothing but Python:
SQLite in the project's ``var/`` folder, the bundled dataset under ``data/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_home() -> Path:
    """A source checkout keeps its state in ``var/``; an installed copy in the user's data folder."""
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / "var"
    return Path.home() / ".local" / "share" / "econ"


class Settings(BaseSettings):
    """Every knob the product reads; documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="ECON_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="folder for the SQLite file, caches and exports")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite in `home` when unset")
    bundle_dir: Path = Field(default=PROJECT_ROOT / "data", description="the bundled dataset")
    api_token: str | None = Field(default=None, description="token for the API's write routes and the analyst sign-in")
    celery_broker_url: str | None = Field(
        default=None, description="Redis URL: run dashboard jobs on Celery instead of a disk cache")
    workers: int = Field(default=0, description="processes for forecast runs; 0 means one per core")
    seed: int = Field(default=20251130, description="random seed of forecast runs (simulated paths)")
    http_timeout: float = Field(default=30.0, description="seconds before a live source is given up")
    monthly_lag_months: int = Field(
        default=1, ge=0, le=24,
        description="months after its month ends before an undated monthly figure (CPI) counts as published, in backtests",
    )
    publication_lags: dict[str, int] = Field(
        default_factory=dict,
        description="months of publication lag of undated figures by source "
                    "(JSON: any source whose name contains the key), in backtests",
    )
    annual_lag_months: int = Field(
        default=0, ge=0, le=24,
        description="months after its year ends before an undated annual figure counts as published, in backtests",
    )
    backtest_origins: int = Field(
        default=20, ge=5, le=60,
        description="backtest origins of a forecast run (one a year, the run's day of the year)",
    )
    dask_scheduler: str | None = Field(
        default=None,
        description="address of a Dask distributed scheduler (tcp://host:8786): forecast runs send their per-series work there",
    )
    dask_timeout: float = Field(default=10.0, description="seconds to wait for the Dask scheduler to answer")

    # --- what one input file may cost (econ.sources.limits); each refusal names its setting ---
    max_file_mb: float = Field(default=1024, gt=0, description="largest file `econ ingest` reads, in MB")
    max_xlsx_uncompressed_mb: float = Field(
        default=512, gt=0, description="largest total size of an .xlsx workbook's parts once unzipped, in MB")
    max_xlsx_ratio: float = Field(
        default=200, gt=1, description="largest unzipped/zipped size ratio of an .xlsx part (zip bombs reach thousands)")
    max_rows: int = Field(
        default=20_000_000, gt=0, description="most data rows in one file (a sheet also stops at Excel's 1,048,576)")
    max_columns: int = Field(default=5_000, gt=0, description="most columns in one file's header or rows")
    max_cell_chars: int = Field(
        default=10_000, gt=0, description="longest text of one cell, notes and sources included, in characters")
    scenario_gold_max_factor: float = Field(
        default=3.0, gt=0, description="a gold scenario's tonnage at most this many times the country's record output"
    )
    plausible_ranges_file: Path | None = Field(
        default=None, description="CSV (indicator,min,max,reason) adding to or overriding the bundled plausible ranges")

    # --- the web service (dashboard/security.py, econ serve) ---
    max_request_kb: int = Field(default=2048, gt=0, description="largest request body except uploads, in KB (413 beyond)")
    max_upload_mb: float = Field(default=64, gt=0, description="largest upload to POST /api/v1/ingest, in MB (413 beyond)")
    max_json_depth: int = Field(default=64, gt=0, description="deepest nesting of a JSON request body (400 beyond)")
    rate_limit_signin: str = Field(
        default="10/minute;100/day", description="sign-in attempts allowed per client address (429 beyond)")
    rate_limit_writes: str = Field(
        default="30/minute", description="ingest and forecast-run requests allowed per client address (429 beyond)")
    redis_url: str | None = Field(
        default=None,
        description="Redis for rate limits and sessions shared by every worker (else the Celery broker, else memory and files)")
    session_hours: float = Field(default=12, gt=0, description="how long an analyst's sign-in lasts")
    trusted_proxies: int = Field(
        default=0, ge=0, description="reverse proxies in front of econ serve whose X-Forwarded-For/-Proto are believed")
    serve_workers: int = Field(default=2, gt=0, description="gunicorn worker processes of `econ serve`")
    serve_threads: int = Field(
        default=4, ge=1, le=64, description="threads of each gunicorn worker (keep-alive connections it serves at once)")
    serve_host: str = Field(default="127.0.0.1", description="address `econ serve` listens on (0.0.0.0: every interface)")
    serve_port: int = Field(default=8050, gt=0, lt=65536, description="port `econ serve` listens on")
    max_url_chars: int = Field(
        default=4094, gt=0, le=8190,
        description="longest request line econ reads (method, address with its query, HTTP version); "
                    "414 beyond, in JSON for the API")
    min_free_mb: float = Field(
        default=50, ge=0, description="free disk space under ECON_HOME below which `econ serve` refuses to start")

    # --- caches and the export browsers (econ.cache, econ.export, dashboard.downloads, dashboard.api) ---
    export_cache_enabled: bool = Field(
        default=True, description="keep chart and data files made for downloads on disk, to serve them again")
    export_cache_dir: Path | None = Field(
        default=None, description="folder of the export file cache (default: ECON_HOME/cache/exports)")
    export_cache_mb: float = Field(
        default=512, gt=0, description="size cap of the export file cache in MB (least recently used files go first)")
    export_browsers: int = Field(
        default=2, ge=1, le=16,
        description="charts one process renders at once (tabs of its headless Chromium) for exports not yet cached")
    api_cache_entries: int = Field(
        default=512, ge=0,
        description="API answers (JSON) and page-callback answers each process keeps in memory; 0 turns those caches off")

    # --- structured logs (econ.logs) ---
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="least severe log lines written (DEBUG, INFO, WARNING, ERROR); setting it makes "
                                    "commands log their jobs too")
    log_file: Path | None = Field(
        default=None, description="file the JSON log lines are appended to (default stderr); setting it makes commands "
                                  "log their jobs too")
    log_format: Literal["json", "text"] = Field(
        default="json", description="json (one object a line: time, level, logger, message, fields) or text")

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case_blind(cls, value, info):
        """``info`` and ``INFO``, ``JSON`` and ``json`` are the same setting."""
        if not isinstance(value, str):
            return value
        return value.strip().upper() if info.field_name == "log_level" else value.strip().lower()

    def shared_redis_url(self) -> str | None:
        """The Redis that every worker shares, if any: ECON_REDIS_URL, else the Celery broker's."""
        url = self.redis_url or self.celery_broker_url
        return url if url and url.startswith(("redis://", "rediss://", "unix://")) else None

    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'econ.sqlite'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
