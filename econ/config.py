"""Settings, read once from the environment (prefix ``ECON_``) or a ``.env`` file.

Everything has an embedded default so that a fresh machine needs nothing but Python:
SQLite in the project's ``var/`` folder, the bundled dataset under ``data/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
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
    celery_broker_url: str | None = Field(default=None, description="Redis URL: run dashboard jobs on Celery instead of a disk cache")
    workers: int = Field(default=0, description="processes for forecast runs; 0 means one per core")
    seed: int = Field(default=20251130, description="random seed of forecast runs (simulated paths)")
    http_timeout: float = Field(default=30.0, description="seconds before a live source is given up")
    monthly_lag_months: int = Field(default=1, ge=0, le=24, description="months after its month ends before an undated monthly figure (CPI) counts as published, in backtests")
    publication_lags: dict[str, int] = Field(default_factory=dict, description="months of publication lag of undated figures by source (JSON: any source whose name contains the key), in backtests")
    annual_lag_months: int = Field(default=0, ge=0, le=24, description="months after its year ends before an undated annual figure counts as published, in backtests")
    backtest_origins: int = Field(default=20, ge=5, le=60, description="backtest origins of a forecast run (one a year, the run's day of the year)")
    dask_scheduler: str | None = Field(default=None, description="address of a Dask distributed scheduler (tcp://host:8786): forecast runs send their per-series work there")
    dask_timeout: float = Field(default=10.0, description="seconds to wait for the Dask scheduler to answer")

    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'econ.sqlite'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
