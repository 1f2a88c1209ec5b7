"""Convergence: the WAEMU criteria a minister reads: for each member, the observed years, econ's projection
with its probability of breaching the norm, and the IMF's and the national authorities' figures for the
same years. On a phone the country column stays in view and a cue says the projections are a swipe away."""

from __future__ import annotations

from dash import html

from dashboard import ids
from dashboard.components.cards import STATUS_ICONS, status_text
from dashboard.components.shell import shell
from dashboard.components.tables import scorecard_tables
from dashboard.data import layer
from dashboard.state import from_query
from econ.charts import official_figures, scorecard_cells
from econ.i18n import t
from econ.terms import norm_text

KEY, PATH = "convergence", "/convergence"


def legend(lang: str) -> html.Div:
    items = [html.Li([html.Span(STATUS_ICONS[s], className=f"icon status-{s}", **{"aria-hidden": "true"}),
                      " " + status_text(s, lang)]) for s in ("green", "amber", "red")]
    return html.Div([html.H2(t("Légende", lang), className="small"), html.Ul(items, className="legend"),
                     html.P(t("p : probabilité que la norme soit enfreinte cette année-là selon la projection d'econ ; "
                              "80 % : l'intervalle où la valeur a 8 chances sur 10 de se trouver ; en dessous, les "
                              "dernières projections publiées par le FMI et les autorités nationales.", lang),
                            className="note")])


def scorecard(lang: str) -> list:
    read = layer()
    frame = read.scorecard()
    if frame is None or frame.empty:
        return [html.P(t("Le tableau de convergence n'est pas encore disponible.", lang))]
    norms = frame.drop_duplicates("norm_code").to_dict("records")
    labels = {n["norm_code"]: norm_text(n, lang) for n in norms}
    officials = official_figures(read.official(tuple(sorted(frame["indicator"].unique()))), lang)
    return [legend(lang), *scorecard_tables(scorecard_cells(frame, lang), labels, officials, lang)]


def layout(**query):
    state = from_query(query)
    return shell(KEY, state, html.Div(scorecard(state.lang), id=ids.SCORECARD),
                 intro=t("Critères de convergence de premier rang de l'UEMOA : valeurs observées, projections d'econ "
                         "avec la probabilité de dépasser la norme, et projections officielles pour les mêmes années.",
                         state.lang))


def register(app) -> None:
    """Nothing to update: the scorecard covers every country, and the language re-renders the page."""
