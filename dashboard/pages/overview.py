"""Overview: for one country, where growth, inflation and gold production stand and are heading."""

from __future__ import annotations

from dash import Input, Output, State, html

from dashboard import ids
from dashboard.components.cards import card
from dashboard.components.controls import controls, country_select
from dashboard.components.shell import shell
from dashboard.data import OVERVIEW_INDICATORS, layer
from dashboard.state import ViewState, from_query
from econ.i18n import t

KEY, PATH = "overview", "/"


def cards(state: ViewState) -> list:
    read = layer()
    return [card(read.view(state.country, code), read.sparkline(state.country, code, state.lang), state)
            for code in OVERVIEW_INDICATORS]


def layout(**query):
    state = from_query(query)
    return shell(
        KEY, state,
        controls(country_select(state, layer().countries())),
        html.Div(cards(state), id=ids.CARDS, className="cards", **{"aria-live": "polite"}),
        intro=t("overview_intro", state.lang),
    )


def register(app) -> None:
    @app.callback(Output(ids.CARDS, "children"), Input(ids.COUNTRY, "value"), State(ids.PAGE_LANG, "data"),
                  prevent_initial_call=True)
    def update_cards(country, lang):
        return cards(from_query(dict(country=country, lang=lang)))
