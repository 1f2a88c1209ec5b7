"""``create_app``: the Dash app, its pages, its job manager and the API routes on one Flask server.

A thin factory. Each page module owns its layout and callbacks (``register(app)``); the store is
reached only through the cached read layer put on ``server.extensions``; Dash's scripts are
served from the package (``serve_locally``), so nothing comes from a CDN.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from urllib.parse import parse_qs

import dash
from flask import Flask, has_request_context, request

from dashboard import api, callback_cache, data, downloads, jobs, requestlog, security
from dashboard.components import shell
from dashboard.pages import analyst, compare, convergence, data as data_page, indicator, not_found_404, overview, scenarios
from econ.config import Settings, get_settings
from econ.i18n import DEFAULT_LANG, lang_or_default

ASSETS = Path(__file__).with_name("assets")
PAGE_MODULES = (overview, indicator, compare, convergence, data_page, scenarios, analyst)

INDEX = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


class EconDash(dash.Dash):
    """Dash, with the first byte of every page in the page's language: ``<html lang>`` and the tab's
    ``<title>`` follow ``?lang=`` (Dash fills ``<title>`` with one app-wide title otherwise)."""

    def interpolate_index(self, **kwargs):
        lang = request_lang()
        if has_request_context():
            kwargs["title"] = shell.page_title(page_key(request.path), lang)
        return super().interpolate_index(**kwargs).replace('<html lang="fr">', f'<html lang="{lang}">', 1)

    def index(self, *args, **kwargs):
        """The page's HTML; an address that is no page gets the not-found page with HTTP 404, so browsers,
        crawlers and link checkers know the link is broken."""
        html = super().index(*args, **kwargs)
        if has_request_context() and page_key(request.path) == not_found_404.KEY:
            return html, 404
        return html


def page_key(path: str) -> str:
    """The page a URL path shows, as Dash's router reads it (trailing slash ignored); ``not_found`` for any other."""
    stripped = "/" + path.strip("/")
    return next((module.KEY for module in PAGE_MODULES if module.PATH == stripped), not_found_404.KEY)


def request_lang() -> str:
    """The language asked for: the URL's ``lang`` (in a page request, or in the query string Dash's router
    sends when a link is followed), else French."""
    try:
        search = dash.callback_context.inputs.get("_pages_location.search")
    except Exception:  # noqa: BLE001 - not inside a callback
        search = None
    if search:
        return lang_or_default(parse_qs(str(search).lstrip("?")).get("lang", [None])[0])
    return lang_or_default(request.args.get("lang")) if has_request_context() else DEFAULT_LANG


def create_app(engine=None, settings: Settings | None = None) -> dash.Dash:
    """The dashboard on ``engine`` (default: the configured store)."""
    from econ.store.db import make_engine

    settings = settings or get_settings()
    engine = engine if engine is not None else make_engine(settings.sqlalchemy_url())
    app = EconDash(
        __name__, use_pages=True, pages_folder="", assets_folder=str(ASSETS), serve_locally=True,
        title=shell.page_title("overview", DEFAULT_LANG), update_title=None, suppress_callback_exceptions=True,
        background_callback_manager=jobs.manager(settings),
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    app.server.secret_key = secret_key(settings)
    app.server.extensions[data.EXTENSION] = data.ReadLayer(engine)
    for order, module in enumerate(PAGE_MODULES):
        dash.register_page(module.__name__, path=module.PATH, name=module.KEY, order=order,
                           title=_title(module.KEY), layout=module.layout)
        module.register(app)
    dash.register_page(not_found_404.__name__, path=not_found_404.PATH, name=not_found_404.KEY,
                       title=_title(not_found_404.KEY), layout=not_found_404.layout)  # Dash shows it for any other path
    shell.register(app)
    _routes(app.server, engine)
    security.install(app, engine, settings)
    callback_cache.install(app.server, settings.api_cache_entries)
    requestlog.install(app.server)
    return app


def _title(key: str):
    """The tab's title, in the language of the request or of the link being followed."""
    return lambda **_: shell.page_title(key, request_lang())


def secret_key(settings: Settings) -> str:
    """Signs the analyst's session cookie. Kept in ``home`` so that every gunicorn worker shares it.

    Created atomically (``O_EXCL``, then a rename-free write of one line): two workers starting
    together agree on one key.
    """
    path = Path(settings.home) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for _ in range(50):  # the creator writes right after creating
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: delete it and restart") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def _routes(server: Flask, engine) -> None:
    """The JSON API and the download routes, served by the same app as the pages."""
    api.register(server, engine)
    downloads.register(server, engine)
