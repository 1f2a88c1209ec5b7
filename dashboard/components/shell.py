"""The frame of every page: skip link, header with navigation and language switch, main, footer.

Each page renders its own shell (rather than one shell in ``app.layout``) so that switching
language re-renders every label at once. Links carry the current state in their query string;
the clientside ``syncUrl`` callback (``assets/econ.js``) keeps them, and the address bar, in step
when a control changes, without a round trip to the server.
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State, dcc, get_relative_path, html

from dashboard import ids
from dashboard.state import ViewState
from econ.i18n import LANG_NAMES, LANGS, N_, t

PAGES = [  # (key, path): the order of the navigation
    ("overview", "/"),
    ("indicator", "/indicator"),
    ("compare", "/compare"),
    ("convergence", "/convergence"),
    ("data", "/data"),
    ("scenarios", "/scenarios"),
    ("analyst", "/analyst"),
]
PAGE_NAMES = {
    "overview": N_("Vue d'ensemble"),
    "indicator": N_("Indicateur"),
    "compare": N_("Comparer"),
    "convergence": N_("Convergence"),
    "data": N_("Données"),
    "scenarios": N_("Scénarios"),
    "analyst": N_("Espace analyste"),
    "not_found": N_("Page introuvable"),  # any other address (``dashboard.pages.not_found_404``), not in the navigation
}
APP_SHORT = N_("Économie Mali · UEMOA")


def page_name(key: str, lang: str) -> str:
    return t(PAGE_NAMES[key], lang)


def page_title(key: str, lang: str) -> str:
    """The browser tab's title: the page, then the site, in the page's language."""
    return f"{page_name(key, lang)} — {t(APP_SHORT, lang)}"


def shell(page: str, state: ViewState, *content, intro: str | None = None, here: str | None = None) -> html.Div:
    """A whole page around ``content``; ``page`` is a key of ``PAGE_NAMES``. ``here``: the address the language
    switch keeps (default: the page's own path; the not-found page keeps the address asked for)."""
    lang = state.lang
    return html.Div(
        [
            html.A(t("Aller au contenu", lang), href="#" + ids.MAIN, className="skip-link"),
            _header(page, state, here),
            html.Main(
                [html.H1(page_name(page, lang)), *([html.P(intro, className="intro")] if intro else []), *content],
                id=ids.MAIN, tabIndex="-1",
            ),
            html.Footer(html.P(t("Données : FMI, Banque mondiale, BCEAO, autorités nationales — voir la page "
                                 "Données pour chaque source.", lang)), className="footer"),
            dcc.Store(id=ids.PAGE_LANG, data=lang),
            dcc.Store(id=ids.URL_SYNC),
            dcc.Store(id=ids.VIEWPORT),
        ],
        lang=lang, className="app",
    )


def _header(page: str, state: ViewState, here: str | None = None) -> html.Header:
    lang = state.lang
    return html.Header(
        [
            html.Div(
                [html.Span(t(APP_SHORT, lang), className="brand"), _language_switch(page, state, here)],
                className="topbar",
            ),
            html.Nav(html.Ul([_nav_item(key, path, key == page, state) for key, path in PAGES]),
                     **{"aria-label": t("Navigation principale", lang)}, className="nav"),
        ],
        className="header",
    )


def _nav_item(key: str, path: str, current: bool, state: ViewState) -> html.Li:
    label = [page_name(key, state.lang)]
    if current:  # dcc.Link takes no aria-current: say it in words for screen readers
        label.append(html.Span(" " + t("(page actuelle)", state.lang), className="sr-only"))
    return html.Li(dcc.Link(label, href=state.href(get_relative_path(path)), id=ids.nav_link(get_relative_path(path)),
                            className="current" if current else None))


def _language_switch(page: str, state: ViewState, here: str | None = None) -> html.Div:
    """Plain links, one a language: the language is part of the URL, so a shared link opens in the same language."""
    path = here or get_relative_path(dict(PAGES)[page])
    links = [
        dcc.Link([html.Span(code.upper(), **{"aria-hidden": "true"}),
                  html.Span(LANG_NAMES[code], className="sr-only", lang=code)],
                 href=state.href(path, lang=code), id=ids.lang_link(code), title=LANG_NAMES[code],
                 className="lang current" if code == state.lang else "lang")
        for code in LANGS
    ]
    return html.Div([html.Span(t("Langue", state.lang), className="sr-only"), *links], className="lang-switch",
                    role="group", **{"aria-label": t("Langue", state.lang)})


def register(app) -> None:
    """The URL callback (address bar and links follow the controls) and the viewport probe."""
    app.clientside_callback(
        ClientsideFunction("econ", "syncUrl"),
        Output({"type": ids.NAV_LINK, "page": ALL}, "href"),
        Output({"type": ids.LANG_LINK, "lang": ALL}, "href"),
        Input({"type": ids.URL_PARAM, "key": ALL}, "value"),
        State(ids.PAGE_LANG, "data"),
    )
    app.clientside_callback(ClientsideFunction("econ", "narrowViewport"), Output(ids.VIEWPORT, "data"),
                            Input(ids.PAGE_LANG, "data"))
