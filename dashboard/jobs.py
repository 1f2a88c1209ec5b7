"""Where dashboard jobs (forecast reruns) run: a disk cache by default, Celery on Redis when configured.

``DiskcacheManager`` needs nothing but a folder (``<home>/cache/dash``) and runs each job in a
child process of the web worker. With ``ECON_CELERY_BROKER_URL`` set (the Redis at
``redis://127.0.0.1:6379/0``, say), jobs go to Celery workers instead; start one with

    celery -A dashboard.worker worker --loglevel=info

The worker builds the same Dash app, which is how it knows the job functions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from econ.config import Settings


@lru_cache(maxsize=4)
def celery_app(broker_url: str):
    """One Celery app per broker, shared by the web app's manager and the worker."""
    from celery import Celery

    return Celery("econ.dashboard", broker=broker_url, backend=broker_url)


def manager(settings: Settings):
    """The background-callback manager the settings ask for."""
    from dash import CeleryManager, DiskcacheManager

    if settings.celery_broker_url:
        return CeleryManager(celery_app(settings.celery_broker_url))
    import diskcache

    folder = Path(settings.home) / "cache" / "dash"
    folder.mkdir(parents=True, exist_ok=True)
    return DiskcacheManager(diskcache.Cache(str(folder)))
