"""What every response carries and every request must respect: one module, installed by ``create_app``.

- Headers on every response (pages, API, downloads): a Content-Security-Policy built from Dash's
  own hashes of its inline scripts, ``nosniff``, no framing, a same-origin referrer, HSTS over
  HTTPS. The session cookie is ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` whenever the request
  came over HTTPS (behind ``ECON_TRUSTED_PROXIES`` reverse proxies, as they say it did).
- Request lines: ``ECON_MAX_URL_CHARS``, 414 beyond, under any WSGI server (gunicorn under ``econ
  serve`` refuses them first, in the same words; Flask's development server and a bare
  ``gunicorn dashboard.wsgi:server`` do not).
- Request bodies: ``ECON_MAX_REQUEST_KB`` for all but uploads (``ECON_MAX_UPLOAD_MB``), 413 in
  JSON beyond; a JSON body nested deeper than ``ECON_MAX_JSON_DEPTH`` (or not JSON) is a 400.
- Sign-in and write actions are rate-limited per client address (``ECON_RATE_LIMIT_SIGNIN``,
  ``ECON_RATE_LIMIT_WRITES``; Flask-Limiter, in Redis when one is configured): 429 with Retry-After.
- ``/api/v1`` and ``/download`` answer only what the OpenAPI document describes: anything else is a
  JSON 404 (unknown path) or 405 (undocumented method, ``Allow`` listing the documented ones).
- Errors are JSON and never a traceback: a busy store is a 503 with Retry-After; a Dash callback
  that cannot use its input is a 400 (the traceback goes to the log for the page's author).
- Analyst sessions live on the server (``econ.auth.Sessions``), bound to the token that opened them.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

import flask
from dash.exceptions import DashException
from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound, RequestURITooLarge
from werkzeug.routing import Map, Rule

from econ.auth import Sessions, fingerprint
from econ.failures import address_too_long, disk_full, store_busy

log = logging.getLogger(__name__)
SESSIONS, ENGINE, LIMITER = "econ.sessions", "econ.security.engine", "econ.limiter"
SESSION_KEY = "econ_sid"
API_PREFIXES = ("/api/", "/download")
DASH_UPDATE = "/_dash-update-component"
UPLOAD_ENDPOINTS = ("econ_api.ingest",)
WRITE_ENDPOINTS = ("econ_api.ingest", "econ_api.run_forecasts")
BUSY_RETRY_SECONDS = 5
# What a failed Dash callback most likely says about its input (a malformed payload); anything
# else is the server's own fault and stays a 500, in JSON.
INPUT_ERRORS = (ValueError, TypeError, LookupError, AttributeError, ArithmeticError, RecursionError, DashException)


def install(app, engine, settings) -> None:
    """Everything above, on the Dash app's Flask server. Call it after every page is registered."""
    server = app.server
    server.config.update(MAX_CONTENT_LENGTH=settings.max_request_kb * 1024, SESSION_COOKIE_HTTPONLY=True,
                         SESSION_COOKIE_SAMESITE="Lax")
    server.session_interface = HttpsAwareSessions()
    server.extensions[SESSIONS], server.extensions[ENGINE] = Sessions(settings), engine
    server.extensions["econ.security.settings"] = settings
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    _rate_limits(server, settings)  # first: a flood is refused before anything else is read
    server.before_request(_check_request)
    server.after_request(_headers(app))
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(Exception, _failure)


# --- sessions -------------------------------------------------------------------------------


class HttpsAwareSessions(SecureCookieSessionInterface):
    """The signed-cookie session, marked ``Secure`` exactly when the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(flask.has_request_context() and request.is_secure) or super().get_cookie_secure(app)


def sign_in(analyst: str) -> None:
    """Opens a server-side session for ``analyst`` bound to their current token."""
    store, engine = current_app.extensions[SESSIONS], current_app.extensions[ENGINE]
    sign_out()
    flask.session[SESSION_KEY] = store.open(analyst, fingerprint(engine, analyst))
    flask.g.analyst = analyst  # the request log names who signed in


def sign_out() -> None:
    """Ends the session on the server: the cookie, wherever copied, is worth nothing afterwards."""
    current_app.extensions[SESSIONS].close(flask.session.pop(SESSION_KEY, None))


def signed_in() -> str | None:
    """The analyst of this request's session, if it is live and its token unchanged; checked on every call."""
    store, engine = current_app.extensions[SESSIONS], current_app.extensions[ENGINE]
    sid = flask.session.get(SESSION_KEY)
    record = store.get(sid)
    if record is None:
        return None
    if fingerprint(engine, record["analyst"]) != record["fingerprint"]:
        store.close(sid)  # the token was replaced or removed
        return None
    flask.g.analyst = record["analyst"]  # the request log names who wrote
    return record["analyst"]


# --- requests -------------------------------------------------------------------------------


def _check_request():
    """The address's length, body size and JSON shape first, then the documented API surface."""
    _check_request_line()
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = int(current_app.extensions["econ.security.settings"].max_upload_mb * 2**20)
    if request.is_json and request.content_length != 0 and request.method in ("POST", "PUT", "PATCH"):
        _check_json()
    if request.path.startswith(API_PREFIXES):
        _check_documented()


def _check_request_line() -> None:
    """The request line (method, address with its query, protocol) within ``ECON_MAX_URL_CHARS``,
    measured as sent: the raw address where the server passes it, else the address re-encoded."""
    limit = current_app.extensions["econ.security.settings"].max_url_chars
    environ = request.environ
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path.rstrip("?")
    line = len(environ.get("REQUEST_METHOD", "")) + len(uri) + len(environ.get("SERVER_PROTOCOL", "")) + 2
    if line > limit:
        raise RequestURITooLarge(address_too_long(limit))


def _check_json() -> None:
    """Parses the body once (Flask caches it for the view): not JSON, or nested too deep, is a 400."""
    limit = current_app.extensions["econ.security.settings"].max_json_depth
    try:
        body = request.get_json()
    except RecursionError:
        raise BadRequest(f"the JSON body is nested too deeply (more than {limit} levels; ECON_MAX_JSON_DEPTH)") from None
    except BadRequest:
        raise BadRequest("the body is not valid JSON") from None
    if _depth(body, limit) > limit:
        raise BadRequest(f"the JSON body is nested too deeply (more than {limit} levels; ECON_MAX_JSON_DEPTH)")


def _depth(value, limit: int) -> int:
    """Nesting depth, walked without recursion and given up past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _check_documented() -> None:
    """Only what ``/api/v1/openapi.json`` describes is served under /api/v1 and /download."""
    method = "GET" if request.method == "HEAD" else request.method
    try:
        _documented_map().bind("").match(request.path, method=method)
    except MethodNotAllowed as err:
        allowed = sorted(m for m in err.valid_methods or () if m not in ("HEAD", "OPTIONS"))
        raise MethodNotAllowed(allowed, f"{request.method} is not served at {request.path}: "
                                        f"{', '.join(allowed)} is (see /api/v1/openapi.json)") from None
    except NotFound:
        raise NotFound(f"no such route: {request.path} (see /api/v1/openapi.json)") from None


@lru_cache(maxsize=1)
def _documented_map() -> Map:
    from dashboard.openapi import document

    rules = [Rule(path.replace("{", "<").replace("}", ">"), methods=[m.upper() for m in item], endpoint=path)
             for path, item in document()["paths"].items()]
    return Map(rules)


# --- rate limits ----------------------------------------------------------------------------


def _rate_limits(server: flask.Flask, settings) -> None:
    """Flask-Limiter with one dynamic limit: which rule applies is decided per request (``_action``)."""
    from flask_limiter import ApplicationLimit, Limiter
    from flask_limiter.util import get_remote_address

    rules = {"signin": settings.rate_limit_signin, "write": settings.rate_limit_writes}
    limit = ApplicationLimit(limit_provider=lambda: rules[_action() or "write"], scope=lambda _endpoint: _action() or "none",
                             exempt_when=lambda: _action() is None, error_message=_limit_message)
    server.extensions[LIMITER] = Limiter(
        get_remote_address, app=server, application_limits=[limit], headers_enabled=True,
        storage_uri=settings.shared_redis_url() or "memory://", in_memory_fallback_enabled=True,
        key_prefix="econ", strategy="moving-window",
    )


def _action() -> str | None:
    """"signin", "write" or None: what this request does that is worth limiting."""
    if request.endpoint in WRITE_ENDPOINTS and request.method == "POST":
        return "write"
    if request.path != DASH_UPDATE or request.method != "POST":
        return None
    from dashboard import ids

    try:
        body = request.get_json(silent=True)
    except RecursionError:  # refused as too deep right after; not worth a limit
        return None
    output = str(body.get("output", "")) if isinstance(body, dict) else ""
    if ids.RERUN_TICKET in output:  # Dash picks the callback by this key: it cannot be dodged
        return "write"
    return "signin" if ids.SIGNIN_STATUS in output else None


def _limit_message() -> str:
    what = "sign-in attempts" if _action() == "signin" else "write requests"
    return f"too many {what} from this address: wait for the time Retry-After gives, then try again"


# --- responses ------------------------------------------------------------------------------


def _headers(app):
    """The after-request hook; the CSP is computed on the first response, after Dash's own setup."""
    policy: list[str] = []

    def add(response: flask.Response) -> flask.Response:
        if not policy:
            policy.append(content_security_policy(app.csp_hashes()))
        headers = response.headers
        headers["Content-Security-Policy"] = policy[0]
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    return add


def content_security_policy(script_hashes: list[str]) -> str:
    """Scripts from this server and Dash's hashed inline ones only; Plotly's inline styles and
    data:/blob: images allowed; no framing, no plugins, forms and links to this origin."""
    directives = {
        "default-src": ["'self'"], "script-src": ["'self'", *script_hashes], "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"], "font-src": ["'self'", "data:"], "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"], "object-src": ["'none'"], "base-uri": ["'self'"],
        "form-action": ["'self'"], "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _wants_json() -> bool:
    return request.path.startswith(API_PREFIXES) or request.path == DASH_UPDATE or request.path == "/healthz"


def json_error(status: int, message: str, headers: dict | None = None) -> flask.Response:
    response = flask.Response(json.dumps({"error": message}, ensure_ascii=False), status=status,
                              mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_error(err: HTTPException):
    """HTTP refusals (404, 405, 413, 429...) as JSON where a program is asking; pages keep HTML."""
    if not _wants_json():
        return err
    message = err.description or err.name
    if err.code == 413:
        message = _too_large_message()
    headers = {k: v for k, v in err.get_headers() if k.lower() in ("allow", "retry-after", "www-authenticate")}
    return json_error(err.code or 500, message, headers)


def _too_large_message() -> str:
    settings = current_app.extensions["econ.security.settings"]
    if request.endpoint in UPLOAD_ENDPOINTS:
        return f"uploads are limited to {settings.max_upload_mb:g} MB a request (ECON_MAX_UPLOAD_MB)"
    return f"request bodies are limited to {settings.max_request_kb:,} KB (ECON_MAX_REQUEST_KB)"


def _failure(err: Exception):
    """Any other exception: a busy store is a 503, a callback's unusable input a 400, else a JSON 500."""
    full = disk_full(err)
    if full:
        log.error("disk full on %s: %s", request.path, full)
        return json_error(507, full)
    busy = store_busy(err)
    if busy:
        log.warning("store busy on %s: %s", request.path, busy)
        return json_error(503, busy, {"Retry-After": str(BUSY_RETRY_SECONDS)})
    if request.path == DASH_UPDATE and isinstance(err, INPUT_ERRORS):
        log.warning("a callback could not use its input (%s)", request.path, exc_info=err)
        first = (str(err).splitlines() or [""])[0][:200]
        return json_error(400, f"the callback could not use its input: {type(err).__name__}: {first}")
    log.error("unexpected failure on %s %s", request.method, request.path, exc_info=err)
    return json_error(500, "the server failed to answer this request; the failure is logged")
