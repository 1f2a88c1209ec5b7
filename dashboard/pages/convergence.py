"""Convergence: the WAEMU scorecard, countries by criteria, actual and projected years, marked by compliance."""

from __future__ import annotations

from dash import html

from dashboard import ids
from dashboard.components.cards import STATUS_ICONS
from dashboard.components.shell import shell
from dashboard.components.tables import scorecard_tables
from dashboard.data import layer
from dashboard.state import from_query
from econ.charts import scorecard_cells
from econ.i18n import t

KEY, PATH = "convergence", "/convergence"


def legend(lang: str) -> html.Div:
    items = [html.Li([html.Span(STATUS_ICONS[s], className=f"icon status-{s}", **{"aria-hidden": "true"}),
                      " " + t(f"status_{s}", lang)]) for s in ("green", "amber", "red")]
    return html.Div([html.H2(t("legend", lang), className="small"), html.Ul(items, className="legend")])


def scorecard(lang: str) -> list:
    frame = layer().scorecard()
    if frame is None or frame.empty:
        return [html.P(t("scorecard_missing", lang))]
    labels = dict(zip(frame["norm_code"], frame["label_fr" if lang == "fr" else "label_en"]))
    return [legend(lang), *scorecard_tables(scorecard_cells(frame, lang), labels, lang)]


def layout(**query):
    state = from_query(query)
    return shell(KEY, state, html.Div(scorecard(state.lang), id=ids.SCORECARD),
                 intro=t("convergence_intro", state.lang))


def register(app) -> None:
    """Nothing to update: the scorecard covers every country, and the language re-renders the page."""
