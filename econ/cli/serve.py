"""``econ serve``: the dashboard and the API under gunicorn; ``--dev`` for Flask's development server.

gunicorn is the default because Werkzeug's development server is for one developer on their
own machine (its own documentation says never to deploy it). Host, port and workers come from
the options or the settings (``ECON_SERVE_HOST``, ``ECON_SERVE_PORT``, ``ECON_SERVE_WORKERS``).
It refuses to start on a full disk (``ECON_MIN_FREE_MB`` under ``ECON_HOME``), saying so: the
store, the job cache and the chart cache all write there.

Logs are econ's structured lines (``econ.logs``): one a request from the app itself (which knows
who wrote), so gunicorn's own access log is off; gunicorn's start-up and error lines go through
the same handler.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from econ import logs
from econ.cli.app import app, console, fail, get_engine
from econ.config import get_settings
from econ.failures import address_too_long


def gunicorn_options(host: str, port: int, workers: int, threads: int = 4, max_url_chars: int = 4094) -> dict:
    """N processes with a few threads each, so one slow chart export does not hold up the pages.
    No access log: the app writes one line a request itself (``dashboard.requestlog``). No control
    socket (gunicorn 25's ``gunicornc`` interface): econ does not use it, and it would write to
    ``~/.gunicorn/`` outside ``ECON_HOME``, one path shared by every instance of the user. The
    request line's limit is ``ECON_MAX_URL_CHARS``, refused in JSON like the app's own limits."""
    return {"bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": gunicorn_worker(),
            "timeout": 120, "accesslog": None, "control_socket_disable": True, "logger_class": gunicorn_logger(),
            "limit_request_line": max_url_chars}


def gunicorn_worker():
    """gunicorn's threaded worker, answering the requests gunicorn refuses before the app sees them
    (an address or headers over its limits) in JSON naming the limit, as the app answers its own,
    instead of gunicorn's HTML page. Any other refusal is gunicorn's."""
    from gunicorn import util
    from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
    from gunicorn.workers.gthread import ThreadWorker

    class EconWorker(ThreadWorker):
        def handle_error(self, req, client, addr, exc):
            if not isinstance(exc, (LimitRequestLine, LimitRequestHeaders)):
                return super().handle_error(req, client, addr, exc)
            status, message = limit_refusal(exc, self.cfg)
            self.log.warning("refused a request from %s: %s", (addr or ("",))[0], message)
            body = json.dumps({"error": message}).encode()
            head = (f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
            try:
                util.write_nonblock(client, head + body)
            except OSError:
                self.log.debug("could not send the refusal")

    return EconWorker


def limit_refusal(exc, cfg) -> tuple[str, str]:
    """The status line and the message for a request over gunicorn's limits (``cfg``: its settings)."""
    from gunicorn.http.errors import LimitRequestLine

    if isinstance(exc, LimitRequestLine):
        return "414 URI Too Long", address_too_long(cfg.limit_request_line)
    return "431 Request Header Fields Too Large", (
        f"the request's headers are too large or too many ({exc}); gunicorn reads at most "
        f"{cfg.limit_request_fields:,} headers of {cfg.limit_request_field_size:,} bytes each")


def gunicorn_logger():
    """gunicorn's logger with its error log (start-up, workers, failures) handed to econ's handler."""
    from gunicorn.glogging import Logger

    class EconGunicornLogger(Logger):
        def setup(self, cfg) -> None:
            super().setup(cfg)
            for handler in list(self.error_log.handlers):
                self.error_log.removeHandler(handler)
            self.error_log.propagate = True

    return EconGunicornLogger


def run_gunicorn(options: dict) -> None:
    """gunicorn in this process; each worker builds its own app (and store connections) after the fork."""
    from gunicorn.app.base import BaseApplication

    class EconServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from dashboard.app import create_app

            return create_app().server

    EconServer().run()


def check_free_space(home: Path, minimum_mb: float) -> None:
    """Refuses to start (one line, exit 1) when the disk under ECON_HOME is (nearly) full."""
    home.mkdir(parents=True, exist_ok=True)
    free_mb = shutil.disk_usage(home).free / 2**20
    if free_mb < minimum_mb:
        fail(f"disk full: {home} has {free_mb:,.1f} MB free, and econ serve needs {minimum_mb:g} MB there "
             f"(ECON_MIN_FREE_MB): free some space or point ECON_HOME elsewhere")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(
        "--host", help="address to listen on (0.0.0.0: every interface); default ECON_SERVE_HOST")] = None,
    port: Annotated[int | None, typer.Option("--port", "-p", help="port; default ECON_SERVE_PORT")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="gunicorn processes; default ECON_SERVE_WORKERS")] = None,
    dev: Annotated[bool, typer.Option(
        "--dev", help="Flask's development server instead (one developer; never in production)")] = False,
) -> None:
    """The dashboard and the API (/api/v1, /download, /healthz) under gunicorn."""
    settings = get_settings()
    host, port = host or settings.serve_host, port or settings.serve_port
    check_free_space(Path(settings.home), settings.min_free_mb)
    engine = get_engine()  # refuses early, with the `econ init` hint, when there is no store
    url = f"http://{host}:{port}/"
    logs.configure(settings)
    if dev:
        from dashboard.app import create_app

        console.print(f"serving {url} on the development server, for one developer: never expose it "
                      "(drop --dev for gunicorn)", soft_wrap=True)
        create_app(engine=engine).run(host=host, port=port, debug=False)
        return
    workers = workers or settings.serve_workers
    console.print(f"serving {url} with gunicorn, {workers} workers (API: {url}api/v1/openapi.json)", soft_wrap=True)
    run_gunicorn(gunicorn_options(host, port, workers, settings.serve_threads, settings.max_url_chars))
