"""``/healthz``, for load balancers and operators: does the store answer (and Redis, when configured)?

Outside ``/api/v1`` (a probe needs no version) but served with the API by ``api.register``.
"""

from __future__ import annotations

from flask import Blueprint

from dashboard.api import engine, json_response
from econ.config import get_settings

health = Blueprint("econ_health", __name__)


@health.get("/healthz")
def healthz():
    """For load balancers and operators: the store answers (and Redis, when configured). 200 or 503."""
    checks = {"database": _probe(_database_ok)}
    redis_url = get_settings().shared_redis_url()
    if redis_url:
        checks["redis"] = _probe(lambda: _redis_ok(redis_url))
    healthy = all(c["ok"] for c in checks.values())
    return json_response({"status": "ok" if healthy else "unavailable", "checks": checks}, 200 if healthy else 503)


def _probe(check) -> dict:
    """One check: ok, or the first line of why not (never the whole error: it may name hosts)."""
    try:
        check()
    except Exception as err:  # noqa: BLE001 - any failure is the answer
        return {"ok": False, "error": f"{type(err).__name__}: {(str(err).splitlines() or [''])[0][:200]}"}
    return {"ok": True}


def _database_ok() -> None:
    from sqlalchemy import text

    with engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def _redis_ok(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
