"""Service hygiene on the whole app: headers, body limits, JSON only, the documented surface, rate limits.

Every test goes through the real Flask app that ``econ serve`` runs (pages, API, downloads and
the security module), with its test client.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re

import pytest
from hardening_support import callback_body, redis_or_skip

from econ.auth import add_analyst
from econ.config import get_settings

PAGES = ["/", "/indicator?country=MLI&indicator=inflation", "/convergence", "/data", "/scenarios", "/analyst"]
OTHERS = ["/api/v1/series", "/api/v1/observations?country=MLI&indicator=inflation", "/api/v1/openapi.json",
          "/download/data?country=MLI&indicator=inflation&format=csv", "/api/v1/nothing-here", "/healthz"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token(store):
    return add_analyst(store, "awa.traore")


@pytest.mark.parametrize("path", PAGES + OTHERS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    headers = response.headers
    assert response.status_code < 500
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp and "style-src 'self' 'unsafe-inline'" in csp
    assert "img-src 'self' data: blob:" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP here


def test_the_policy_allows_exactly_the_pages_inline_scripts(client):
    """Every inline script of the page is hashed in the policy; nothing else is let through."""
    html = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert inline
    policy = client.get("/").headers["Content-Security-Policy"]
    allowed = set(re.findall(r"'(sha256-[^']+)'", policy))
    for script in inline:
        digest = "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert digest in allowed, script[:80]


def test_a_body_over_the_global_limit_is_a_json_413(client, monkeypatch):
    monkeypatch.setenv("ECON_MAX_REQUEST_KB", "1")
    get_settings.cache_clear()
    from dashboard.app import create_app

    small = create_app(settings=get_settings()).server.test_client()
    response = small.post("/_dash-update-component", json={"output": "x" * 5000})
    assert response.status_code == 413 and "ECON_MAX_REQUEST_KB" in response.get_json()["error"]


def test_an_address_over_the_limit_is_a_414_under_any_server(store, monkeypatch):
    """Flask's development server and a bare gunicorn do not cut request lines at ECON_MAX_URL_CHARS: the
    app does, in JSON naming the setting for the API, and answers an address just under the limit."""
    monkeypatch.setenv("ECON_MAX_URL_CHARS", "300")
    get_settings.cache_clear()
    from dashboard.app import create_app

    short = create_app(settings=get_settings()).server.test_client()
    under = "/api/v1/series?country=MLI&x=" + "a" * 240  # with "GET " and " HTTP/1.1": 283 characters
    assert short.get(under).status_code == 200
    response = short.get(under + "a" * 30)
    assert response.status_code == 414
    assert "ECON_MAX_URL_CHARS" in response.get_json()["error"] and "300" in response.get_json()["error"]
    page = short.get("/indicator?country=MLI&x=" + "b" * 400)
    assert page.status_code == 414 and b"ECON_MAX_URL_CHARS" in page.data


def test_uploads_have_their_own_larger_limit(client, token, monkeypatch):
    monkeypatch.setenv("ECON_MAX_UPLOAD_MB", "0.01")
    get_settings.cache_clear()
    big = b"country,indicator,period,value\n" + b"MLI,inflation,2023,2.5\n" * 1000  # 23 KB
    response = client.post("/api/v1/ingest", headers=bearer(token), content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(big), "big.csv")]})
    assert response.status_code == 413 and "ECON_MAX_UPLOAD_MB" in response.get_json()["error"]
    small = b"country,indicator,period,value\nMLI,inflation,2023,2.5\n"
    response = client.post("/api/v1/ingest", headers=bearer(token), content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(small), "small.csv")]})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", "horizon=3"),
    ("application/x-www-form-urlencoded", ""),
    ("multipart/form-data; boundary=x", "--x--\r\n"),
    ("text/plain", '{"horizon": 3}'),
])
def test_a_form_body_never_starts_a_forecast_run(client, dash_app, token, content_type, body):
    response = client.post("/api/v1/forecasts/run", headers=bearer(token), data=body, content_type=content_type)
    assert response.status_code == 415 and "JSON" in response.get_json()["error"]
    board = dash_app.server.extensions["econ.run_jobs"]
    assert not list(board.folder.glob("*.json")) and not (board.folder / "running.lock").exists()


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["/api/v1/forecasts/run", "/_dash-update-component"])
def test_json_nested_100k_deep_is_a_400(client, token, path):
    response = client.post(path, headers=bearer(token), data=DEEP, content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.get_json()["error"]


def test_json_nested_past_the_setting_is_a_400_and_broken_json_too(client):
    deep = {"output": "x"}
    for _ in range(70):
        deep = {"a": deep}
    assert client.post("/_dash-update-component", json=deep).status_code == 400
    response = client.post("/_dash-update-component", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "the body is not valid JSON"


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/nothing"), ("POST", "/api/v1/nothing"),
                                          ("GET", "/api/v2/series"), ("DELETE", "/download/nowhere")])
def test_unknown_api_routes_are_a_json_404(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert "no such route" in response.get_json()["error"]


@pytest.mark.parametrize("method, path, allowed", [
    ("GET", "/api/v1/ingest", "POST"), ("PUT", "/api/v1/series", "GET"), ("OPTIONS", "/api/v1/series", "GET"),
    ("DELETE", "/download/chart", "GET"), ("PATCH", "/api/v1/forecasts/run", "POST"),
])
def test_undocumented_methods_are_a_405_that_allows_only_documented_ones(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert response.headers["Allow"] == allowed


def test_head_of_a_documented_get_is_served(client):
    assert client.head("/api/v1/series").status_code == 200


def test_sign_in_is_rate_limited_per_address(client, dash_app, monkeypatch):
    monkeypatch.setenv("ECON_RATE_LIMIT_SIGNIN", "3/minute")
    get_settings.cache_clear()
    from dashboard.app import create_app

    app = create_app(settings=get_settings())
    limited = app.server.test_client()
    limited.get("/")
    attempt = callback_body(app, "sign_in", 1, None, "guess", "en")
    codes = [limited.post("/_dash-update-component", json=attempt).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = limited.post("/_dash-update-component", json=attempt)
    assert int(refused.headers["Retry-After"]) > 0 and "sign-in attempts" in refused.get_json()["error"]
    other = callback_body(app, "issue_ticket", 1, "all", "en")
    assert limited.post("/_dash-update-component", json=other).status_code == 200  # not a sign-in
    elsewhere = app.server.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert elsewhere.post("/_dash-update-component", json=attempt).status_code == 200


def test_write_routes_are_rate_limited(store, token, monkeypatch):
    monkeypatch.setenv("ECON_RATE_LIMIT_WRITES", "2/minute")
    get_settings.cache_clear()
    from dashboard.app import create_app

    client = create_app(store, get_settings()).server.test_client()
    codes = [client.post("/api/v1/forecasts/run", headers=bearer(token), data="{bad", content_type="application/json")
             .status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert client.get("/api/v1/series").status_code == 200  # reads are not limited


def test_rate_limits_in_redis_are_shared_by_workers(store, monkeypatch):
    redis = redis_or_skip()
    monkeypatch.setenv("ECON_REDIS_URL", "redis://{host}:{port}/{db}".format(**redis.connection_pool.connection_kwargs))
    monkeypatch.setenv("ECON_RATE_LIMIT_WRITES", "2/minute")
    get_settings.cache_clear()
    for key in redis.scan_iter("econ*LIMIT*"):
        redis.delete(key)
    for key in redis.scan_iter("LIMITS:econ*"):
        redis.delete(key)
    from dashboard.app import create_app

    first, second = (create_app(store, get_settings()).server.test_client() for _ in range(2))
    codes = [c.post("/api/v1/forecasts/run", data="{bad", content_type="application/json").status_code
             for c in (first, second, first)]
    assert codes == [400, 400, 429]
    for key in redis.scan_iter("LIMITS:econ*"):
        redis.delete(key)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": {"ok": True}}}


def test_healthz_is_503_when_the_configured_redis_is_down(client, monkeypatch):
    monkeypatch.setenv("ECON_REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["checks"]["redis"]["ok"] is False
    assert response.get_json()["checks"]["database"] == {"ok": True}


def test_healthz_checks_a_live_redis(client, monkeypatch):
    redis = redis_or_skip()
    monkeypatch.setenv("ECON_REDIS_URL", "redis://{host}:{port}/{db}".format(**redis.connection_pool.connection_kwargs))
    get_settings.cache_clear()
    assert client.get("/healthz").get_json()["checks"]["redis"] == {"ok": True}


def test_healthz_is_503_when_the_database_is_gone(tmp_path):
    from dashboard.app import create_app
    from econ.store.db import make_engine

    (tmp_path / "gone").mkdir()
    engine = make_engine(f"sqlite:///{tmp_path / 'gone' / 'econ.sqlite'}")
    client = create_app(engine, get_settings()).server.test_client()
    (tmp_path / "gone").chmod(0o500)
    (tmp_path / "gone").rename(tmp_path / "elsewhere")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["checks"]["database"]["ok"] is False
