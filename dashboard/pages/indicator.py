"""Indicator: history and projection fan, the norm, official projections, the models, any past vintage."""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard import ids
from dashboard.components.controls import controls, country_select, indicator_select, vintage_select
from dashboard.components.shell import shell
from dashboard.components.tables import download_links, models_table
from dashboard.data import layer
from dashboard.state import ViewState, from_query
from econ.i18n import PLOTLY_CONFIG, t

KEY, PATH = "indicator", "/indicator"


def graph_config(state: ViewState) -> dict:
    return PLOTLY_CONFIG(state.lang, filename=f"econ_{state.country}_{state.indicator}")


def graph_style(figure: dict) -> dict:
    """The graph's box as tall as its figure (sized to its legend and source lines), not Dash's 450 px."""
    return {"height": f"{figure['layout'].get('height', 560)}px"}


def panels(state: ViewState, compact: bool = False) -> tuple:
    """Figure, text alternative, models table, download links: what the controls change."""
    read = layer()
    view = read.view(state.country, state.indicator, state.vintage)
    downloads = download_links(state.country, state.indicator, state.lang, state.vintage)
    figure = read.figure(state.country, state.indicator, state.vintage, state.lang, compact)
    return (figure, graph_style(figure), graph_config(state),
            read.describe(state.country, state.indicator, state.vintage, state.lang),
            models_table(view.models, state.lang), downloads)


def layout(**query):
    state = from_query(query)
    read = layer()
    figure, style, config, alt, models, downloads = panels(state)
    return shell(
        KEY, state,
        controls(country_select(state, read.countries()), indicator_select(state, read.indicators()),
                 vintage_select(state, read.vintages())),
        html.Figure([
            dcc.Graph(id=ids.CHART, figure=figure, config=config, style=style, className="chart"),
            html.Figcaption(html.Details([html.Summary(t("chart_alt", state.lang)), html.P(alt, id=ids.CHART_ALT)])),
        ], className="chart-figure"),
        html.Div(downloads, id=ids.DOWNLOADS),
        html.Section([html.H2(t("models_table", state.lang)), html.Div(models, id=ids.MODELS)]),
    )


def register(app) -> None:
    @app.callback(
        Output(ids.CHART, "figure"), Output(ids.CHART, "style"), Output(ids.CHART, "config"),
        Output(ids.CHART_ALT, "children"),
        Output(ids.MODELS, "children"), Output(ids.DOWNLOADS, "children"),
        Input(ids.COUNTRY, "value"), Input(ids.INDICATOR, "value"), Input(ids.VINTAGE, "value"),
        Input(ids.VIEWPORT, "data"), State(ids.PAGE_LANG, "data"), prevent_initial_call=True,
    )
    def update_chart(country, indicator, vintage, narrow, lang):
        state = from_query(dict(country=country, indicator=indicator, lang=lang, vintage=vintage))
        return panels(state, compact=bool(narrow))
