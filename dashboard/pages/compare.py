"""Compare: several members on one chart (Mali beside Senegal and Burkina Faso, say), with the union's
figure as the BCEAO publishes it where the store has it. The members and the indicator live in the
URL (``?countries=MLI,SEN,BFA&indicator=inflation``); the downloads hold every series shown."""

from __future__ import annotations

from dash import Input, Output, State, html

from dashboard import ids
from dashboard.components.controls import controls, countries_check, indicator_select, vintage_select
from dashboard.components.shell import shell
from dashboard.components.tables import download_links
from dashboard.data import layer
from dashboard.pages.indicator import chart_figure
from dashboard.state import ViewState, from_query
from econ.charts import compare_describe
from econ.i18n import PLOTLY_CONFIG, t
from econ.schema import INDICATORS, WAEMU

KEY, PATH = "compare", "/compare"
ANNUAL = [code for code, indicator in INDICATORS.items() if indicator.frequency == "A"]


def members(codes: list[str]) -> list[str]:
    known = layer().countries()
    return [c for c in codes if c in known]


def panels(state: ViewState, chosen: list[str], compact: bool = False) -> tuple:
    """Figure, text alternative and downloads for the chosen members (none: the union alone)."""
    read = layer()
    figure = read.compare_figure(chosen, state.indicator, state.vintage, state.lang, compact)
    alt = compare_describe(read.compare(chosen, state.indicator, state.vintage), state.lang)
    links = download_links(chosen[0] if chosen else "WAEMU", state.indicator, state.lang, state.vintage,
                           extra={"countries": ",".join(chosen)} if chosen else None)
    config = PLOTLY_CONFIG(state.lang, f"econ_{'-'.join(chosen)}_{state.indicator}_{state.lang}")
    return figure, config, alt, links


def layout(**query):
    state = from_query(query)
    indicator = state.indicator if state.indicator in ANNUAL else "inflation"
    state = from_query({**query, "indicator": indicator})
    figure, config, alt, links = panels(state, members(state.compared))
    return shell(
        KEY, state,
        controls(indicator_select(state, [c for c in layer().indicators() if c in ANNUAL]),
                 vintage_select(state, layer().vintages())),
        controls(countries_check(state, [c for c in layer().countries() if c in WAEMU])),
        chart_figure(ids.COMPARE_CHART, ids.COMPARE_ALT, figure, config, alt, state.lang),
        html.Div(links, id=ids.COMPARE_DOWNLOADS),
        intro=t("Plusieurs pays membres sur un même graphique, avec le chiffre de l'Union tel que la BCEAO le "
                "publie. Cochez les pays à comparer ; le lien de la page garde ce choix.", state.lang),
    )


def register(app) -> None:
    @app.callback(
        Output(ids.COMPARE_CHART, "figure"), Output(ids.COMPARE_CHART, "config"), Output(ids.COMPARE_ALT, "children"),
        Output(ids.COMPARE_DOWNLOADS, "children"), Output(ids.COMPARE_CHART, "style"),
        Input(ids.COUNTRIES, "value"), Input(ids.INDICATOR, "value"), Input(ids.VINTAGE, "value"),
        Input(ids.VIEWPORT, "data"), State(ids.PAGE_LANG, "data"), prevent_initial_call=True,
    )
    def update_compare(countries, indicator, vintage, narrow, lang):
        state = from_query(dict(countries=countries, indicator=indicator, vintage=vintage, lang=lang))
        chosen = members(state.compared if countries else [])
        figure, config, alt, links = panels(state, chosen, compact=bool(narrow))
        return figure, config, alt, links, {"height": f"{figure['layout'].get('height', 560)}px"}
