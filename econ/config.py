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

    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'econ.sqlite'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
