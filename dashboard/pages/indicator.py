"""Indicator: history and projection fan, the norm, official projections, the models, any past vintage;
for a country with a monthly CPI, monthly inflation with its projection too."""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard import ids
from dashboard.components.controls import controls, country_select, indicator_select, vintage_select
from dashboard.components.evidence import evidence
from dashboard.components.shell import shell
from dashboard.components.tables import download_links, models_table
from dashboard.data import layer
from dashboard.state import ViewState, from_query
from econ.charts import MONTHLY_INDICATOR, MonthlyView
from econ.i18n import PLOTLY_CONFIG, t
from econ.terms import slug

KEY, PATH = "indicator", "/indicator"


def graph_config(state: ViewState, indicator: str | None = None) -> dict:
    name = slug(t("graphique", state.lang))
    return PLOTLY_CONFIG(state.lang, filename=f"econ_{state.country}_{indicator or state.indicator}_{name}_{state.lang}")


def graph_style(figure: dict) -> dict:
    """The graph's box as tall as its figure (sized to its legend and source lines), not Dash's 450 px."""
    return {"height": f"{figure['layout'].get('height', 560)}px"}


def chart_figure(graph_id: str, alt_id: str, figure: dict, config: dict, alt: str, lang: str) -> html.Figure:
    return html.Figure([
        dcc.Graph(id=graph_id, figure=figure, config=config, style=graph_style(figure), className="chart"),
        html.Figcaption(html.Details([html.Summary(t("Description du graphique", lang)), html.P(alt, id=alt_id)])),
    ], className="chart-figure")


def monthly_section(state: ViewState, compact: bool = False) -> list:
    """Monthly inflation under the annual chart, when the country has a monthly CPI (and the page is not
    already showing it)."""
    read = layer()
    if state.indicator != "inflation" or MONTHLY_INDICATOR not in read.indicators(state.country):
        return []
    figure = read.figure(state.country, MONTHLY_INDICATOR, state.vintage, state.lang, compact)
    alt = read.describe(state.country, MONTHLY_INDICATOR, state.vintage, state.lang)
    return [html.H2(t("Inflation mensuelle", state.lang)),
            chart_figure(ids.MONTHLY_CHART, ids.MONTHLY_ALT, figure, graph_config(state, MONTHLY_INDICATOR), alt,
                         state.lang),
            download_links(state.country, MONTHLY_INDICATOR, state.lang, state.vintage, label_id="monthly-downloads")]


def models(state: ViewState, view) -> list:
    if isinstance(view, MonthlyView):
        return []
    return [*evidence(view, state.lang), html.H2(t("Les candidats de la projection", state.lang)),
            models_table(view.models, state.lang)]


def panels(state: ViewState, compact: bool = False) -> tuple:
    """Figure, text alternative, download links, monthly section, models: what the controls change."""
    read = layer()
    view = read.view(state.country, state.indicator, state.vintage)
    figure = read.figure(state.country, state.indicator, state.vintage, state.lang, compact)
    return (figure, graph_style(figure), graph_config(state),
            read.describe(state.country, state.indicator, state.vintage, state.lang),
            download_links(state.country, state.indicator, state.lang, state.vintage),
            monthly_section(state, compact), models(state, view))


def layout(**query):
    state = from_query(query)
    read = layer()
    figure, _, config, alt, downloads, monthly, model_rows = panels(state)
    return shell(
        KEY, state,
        controls(country_select(state, read.countries()), indicator_select(state, read.indicators()),
                 vintage_select(state, read.vintages())),
        chart_figure(ids.CHART, ids.CHART_ALT, figure, config, alt, state.lang),
        html.Div(downloads, id=ids.DOWNLOADS),
        html.Section(monthly, id=ids.MONTHLY),
        html.Section(model_rows, id=ids.MODELS),
    )


def register(app) -> None:
    @app.callback(
        Output(ids.CHART, "figure"), Output(ids.CHART, "style"), Output(ids.CHART, "config"),
        Output(ids.CHART_ALT, "children"), Output(ids.DOWNLOADS, "children"), Output(ids.MONTHLY, "children"),
        Output(ids.MODELS, "children"),
        Input(ids.COUNTRY, "value"), Input(ids.INDICATOR, "value"), Input(ids.VINTAGE, "value"),
        Input(ids.VIEWPORT, "data"), State(ids.PAGE_LANG, "data"), prevent_initial_call=True,
    )
    def update_chart(country, indicator, vintage, narrow, lang):
        state = from_query(dict(country=country, indicator=indicator, lang=lang, vintage=vintage))
        return panels(state, compact=bool(narrow))
