"""Any address that is no page: "page not found", in the page's language, inside the usual frame (navigation,
language switch), so a mistyped or outdated link leads somewhere. The HTML answer carries HTTP 404
(``dashboard.app.EconDash.index``).

Dash's pages router shows the layout of the page registered from a module named ``not_found_404`` for every
path it does not know; ``PATH`` is only the address Dash requires every page to have (it answers 404 too).
"""

from __future__ import annotations

import dash
from dash import dcc, get_relative_path, html
from flask import has_request_context, request

from dashboard.components.shell import PAGES, page_name, shell
from dashboard.state import from_query
from econ.i18n import t

KEY, PATH = "not_found", "/404"
MAX_PATH = 200


def requested_path() -> str:
    """The address asked for: the router's pathname inside a callback (a link followed in the app), else the
    request's own path (the first load)."""
    try:
        path = dash.callback_context.inputs.get("_pages_location.pathname")
    except Exception:  # noqa: BLE001 - not inside a callback
        path = None
    if not path and has_request_context():
        path = request.path
    # a path, never another site's address ("//evil.example" would be one in a link), and of a readable length
    return "/" + str(path or PATH).lstrip("/\\")[:MAX_PATH]


def layout(**query):
    state = from_query(query)
    lang, here = state.lang, requested_path()
    pages = [html.Li(dcc.Link(page_name(key, lang), href=state.href(get_relative_path(path)))) for key, path in PAGES]
    return shell(
        KEY, state,
        html.P(t("Aucune page n'existe à l'adresse {path}. Le lien est peut-être mal recopié, ou ancien.", lang,
                 path=here)),
        html.H2(t("Les pages du tableau de bord", lang), className="small"),
        html.Ul(pages, className="links"),
        here=here,
    )


def register(app) -> None:
    """No callbacks: the page is static."""
