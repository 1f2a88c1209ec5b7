"""The Celery worker's entry point: ``celery -A dashboard.worker worker``.

Building the Dash app registers its background callbacks as Celery tasks on the app named
``app`` here (Celery looks for that name). The worker logs as the web server does (``econ.logs``:
JSON lines, ``ECON_LOG_*``): Celery's own logging set-up is turned off by answering its
``setup_logging`` signal, so its lines (task received, succeeded) go through econ's handler too.
"""

from celery.signals import setup_logging

from dashboard.app import create_app
from dashboard.jobs import celery_app
from econ import logs
from econ.config import get_settings

_settings = get_settings()
if not _settings.celery_broker_url:
    raise SystemExit("ECON_CELERY_BROKER_URL is not set: dashboard jobs run in the web process, no worker needed")


@setup_logging.connect
def _econ_logs(**_) -> None:
    """Connected, this keeps Celery from installing its own handlers on the root logger."""
    logs.configure(_settings)


logs.configure(_settings)
dash_app = create_app(settings=_settings)
app = celery_app(_settings.celery_broker_url)
