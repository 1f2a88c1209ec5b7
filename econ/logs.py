"""Structured logs: one JSON object a line, so an operator can ``grep``, ``jq`` or ship them as they are.

Each line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``, plus the fields the
caller passed in ``extra=`` (``method``, ``path``, ``status``, ``duration_ms``, ``user``...). The
standard ``logging`` module does the work (a Formatter subclass and one handler on the root
logger), so the lines of libraries (gunicorn, Celery, SQLAlchemy warnings) come out the same way.

Settings: ``ECON_LOG_LEVEL`` (default INFO), ``ECON_LOG_FILE`` (default stderr), ``ECON_LOG_FORMAT``
(``json``, or ``text`` for a person at a terminal). The web server and the Celery worker always
log; a command (``econ ingest``, ``econ forecast``) logs its job only when ``ECON_LOG_FILE`` or
``ECON_LOG_LEVEL`` is set, since its stderr otherwise belongs to the person reading its report.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from econ.config import Settings, get_settings

HANDLER_NAME = "econ"
JOBS = "econ.jobs"
# Attributes every LogRecord has: anything else on a record came from ``extra=`` and is a field.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
# Job lines are for the configured handler only: unconfigured (a command at a terminal), a failed job
# must not reach Python's last-resort stderr handler beside the command's own one-line error.
logging.getLogger(JOBS).addHandler(logging.NullHandler())


def fields(record: logging.LogRecord) -> dict:
    """The ``extra=`` fields of a record, in the order given."""
    return {k: v for k, v in vars(record).items() if k not in STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """A record as one JSON object on one line; a traceback, if any, as the ``exception`` field."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(), **fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same content for a person: ``time level logger: message key=value ...``."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%d %H:%M:%S")
        extra = " ".join(f"{k}={v}" for k, v in fields(record).items())
        text = f"{when} {record.levelname} {record.name}: {record.getMessage()}" + (f" {extra}" if extra else "")
        return text + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")


def configure(settings: Settings | None = None, stream=None) -> logging.Handler:
    """One handler on the root logger, as the settings say; calling it again replaces it (never stacks)."""
    settings = settings or get_settings()
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    if settings.log_file:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(settings.log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(TextFormatter() if settings.log_format == "text" else JsonFormatter())
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    return handler


def configure_command(settings: Settings | None = None) -> bool:
    """For a CLI command: logs only when the operator asked (a log file or a level set); True if so."""
    settings = settings or get_settings()
    if not ({"log_file", "log_level"} & settings.model_fields_set):
        return False
    configure(settings)
    return True


@contextmanager
def job(kind: str, user: str | None = None, **details):
    """Logs a job's start, then its end with ``duration_ms`` and whatever the body adds to the dict it
    gets (``rows``, ``run_id``...), or its failure; the exception goes on up."""
    log = logging.getLogger(JOBS)
    base = {"job": kind, **({"user": user} if user else {}), **details}
    log.info("%s started", kind, extra={**base, "event": "start"})
    result: dict = {}
    start = time.perf_counter()
    try:
        yield result
    except BaseException as err:
        log.warning("%s failed: %s", kind, type(err).__name__, extra={
            **base, **result, "event": "failed", "duration_ms": _ms(start), "error": _first_line(err)})
        raise
    log.info("%s finished", kind, extra={**base, **result, "event": "end", "duration_ms": _ms(start)})


def _ms(start: float) -> float:
    return round(1000 * (time.perf_counter() - start), 1)


def _first_line(err: BaseException) -> str:
    return f"{type(err).__name__}: {(str(err).splitlines() or [''])[0][:300]}"
