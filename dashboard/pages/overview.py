"""Overview: for one country, where growth, inflation, gold production and the public finances stand,
where econ and the official forecasters see them heading, and what that means for the norms."""

from __future__ import annotations

from dash import Input, Output, State, html

from dashboard import ids
from dashboard.components.cards import card
from dashboard.components.controls import controls, country_select
from dashboard.components.shell import shell
from dashboard.data import OVERVIEW_INDICATORS, layer
from dashboard.state import ViewState, from_query
from econ.i18n import t
from econ.terms import country_name, indicator_label

KEY, PATH = "overview", "/"


def cards(state: ViewState) -> list:
    """A card for each overview indicator the country has; one line naming those it has not."""
    read = layer()
    present = set(read.indicators(state.country))
    shown = [code for code in OVERVIEW_INDICATORS if code in present]
    out = [card(read.view(state.country, code), read.sparkline(state.country, code, state.lang), state)
           for code in shown]
    absent = [indicator_label(code, state.lang) for code in OVERVIEW_INDICATORS if code not in present]
    if absent:
        out.append(html.P(t("Aucune donnée pour {country} : {indicators}.", state.lang,
                            country=country_name(state.country, state.lang), indicators=", ".join(absent)),
                          className="note absent"))
    return out


def layout(**query):
    state = from_query(query)
    return shell(
        KEY, state,
        controls(country_select(state, layer().countries())),
        html.Div(cards(state), id=ids.CARDS, className="cards", **{"aria-live": "polite"}),
        intro=t("Où en sont la croissance, l'inflation, la production d'or et les finances publiques, où vont-elles "
                "selon econ, le FMI et les autorités, et que cela veut dire pour les normes de l'UEMOA.", state.lang),
    )


def register(app) -> None:
    @app.callback(Output(ids.CARDS, "children"), Input(ids.COUNTRY, "value"), State(ids.PAGE_LANG, "data"),
                  prevent_initial_call=True)
    def update_cards(country, lang):
        return cards(from_query(dict(country=country, lang=lang)))
