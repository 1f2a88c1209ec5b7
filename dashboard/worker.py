"""The Celery worker's entry point: ``celery -A dashboard.worker worker``.

Building the Dash app registers its background callbacks as Celery tasks on the app named
``app`` here (Celery looks for that name).
"""

from dashboard.app import create_app
from dashboard.jobs import celery_app
from econ.config import get_settings

_settings = get_settings()
if not _settings.celery_broker_url:
    raise SystemExit("ECON_CELERY_BROKER_URL is not set: dashboard jobs run in the web process, no worker needed")
dash_app = create_app(settings=_settings)
app = celery_app(_settings.celery_broker_url)
