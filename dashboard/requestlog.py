"""One log line per HTTP request: method, path, status, duration, bytes, and who wrote.

It replaces gunicorn's access log (``econ serve`` turns that one off), because only the app knows
the analyst behind a write: ``g.analyst``, set by the API's token check and by the dashboard's
session check. The token itself is never logged, nor the query string (an ``as_of`` is harmless,
but a link pasted with a secret in it would not be).
"""

from __future__ import annotations

import logging
import time

import flask
from flask import g, request

log = logging.getLogger("econ.http")
READS = ("GET", "HEAD", "OPTIONS")


def install(server: flask.Flask) -> None:
    """Times every request from its first hook to its last; errors handled by the app are logged too."""
    server.before_request_funcs.setdefault(None, []).insert(0, _start)  # before the limits and checks
    server.after_request(_log)


def _start() -> None:
    g.econ_started = time.perf_counter()


def _log(response: flask.Response) -> flask.Response:
    started = g.get("econ_started")
    line = {
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": round(1000 * (time.perf_counter() - started), 1) if started else None,
        "bytes": response.content_length, "remote": request.remote_addr,
    }
    if request.method not in READS:
        line["user"] = g.get("analyst")
    log.info("%s %s %s", request.method, request.path, response.status_code, extra=line)
    return response
