"""Data: the figures behind a view (exactly those the chart draws), filterable, sortable, with their sources."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.components.controls import controls, country_select, indicator_select, vintage_select
from dashboard.components.shell import shell
from dashboard.components.tables import DATA_FORMATS, download_links
from dashboard.data import layer
from dashboard.state import ViewState, from_query
from econ.charts import MONTHLY_INDICATOR, header
from econ.i18n import fmt_date, fmt_number, fmt_percent, fmt_period, t, tn
from econ.terms import country_name, indicator_label, unit_label

KEY, PATH = "data", "/data"
MAX_ROWS = 500
NUMBER_KEYS = ("value", "lower_80", "upper_80", "lower_95", "upper_95")


def filtered(state: ViewState, search: str | None, sort: dict | None) -> pd.DataFrame:
    frame = layer().table(state.country, state.indicator, state.vintage, state.lang)
    if isinstance(search, str) and search:  # what the reader sees ("novembre") or the stored text ("2025-11")
        needle, columns = search.casefold(), list(frame.columns)
        keep = [needle in " ".join(f"{v} {shown(v, c, state.lang)}" for c, v in zip(columns, row)).casefold()
                for row in frame.itertuples(index=False)]
        frame = frame[keep]
    col = sort.get("col") if isinstance(sort, dict) else None
    if isinstance(col, int) and 0 <= col < len(frame.columns):
        frame = frame.sort_values(frame.columns[col], ascending=bool(sort.get("asc", True)), kind="stable")
    return frame


CONSTANT_KEYS = ("country", "indicator", "unit")  # the same on every row: said once, in the caption


def data_table(frame: pd.DataFrame, sort: dict | None, lang: str, caption: str) -> html.Div:
    """A table whose column headers are sort buttons (``aria-sort`` says the current order)."""
    numeric = {header(k, lang) for k in NUMBER_KEYS}
    probability = header("p_breach", lang)
    hidden = {header(k, lang) for k in CONSTANT_KEYS}
    heads = []
    for i, column in enumerate(frame.columns):
        if column in hidden:
            continue
        order = "none" if not sort or sort.get("col") != i else ("ascending" if sort.get("asc", True) else "descending")
        arrow = {"none": "↕", "ascending": "↑", "descending": "↓"}[order]
        heads.append(html.Th(html.Button([column, html.Span(f" {arrow}", **{"aria-hidden": "true"})],
                                         id=ids.sort_button(i), className="sort"), scope="col", **{"aria-sort": order}))
    rows = [html.Tr([_cell(v, c, numeric, probability, lang) for c, v in zip(frame.columns, r) if c not in hidden])
            for r in frame.head(MAX_ROWS).itertuples(index=False)]
    return html.Div([
        html.P(caption, className="caption", **{"aria-hidden": "true"}),
        html.Div(html.Table([html.Caption(caption, className="sr-only"), html.Thead(html.Tr(heads)), html.Tbody(rows)],
                            className="table data"),
                 className="table-scroll", tabIndex="0", role="region", **{"aria-label": caption}),
    ])


def shown(value, column: str, lang: str) -> str:
    """A cell's text as the reader sees it: figures, periods and publication dates in ``lang``'s conventions
    (``24 novembre 2025``, ``mars 2024``), as on every other page; the frame keeps the sortable ISO text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    formatter = _formats(lang).get(column)
    return formatter(value, lang) if formatter else str(value)


@lru_cache(maxsize=None)
def _formats(lang: str) -> dict:
    """Column header in ``lang`` -> how its cells are written."""
    formats = {header(k, lang): lambda v, lang: fmt_number(v, lang, 1) for k in NUMBER_KEYS}
    formats[header("p_breach", lang)] = lambda v, lang: fmt_percent(v, lang, 0)  # already in percent
    formats[header("published", lang)] = fmt_date
    formats[header("period", lang)] = fmt_period
    return formats


def _cell(value, column, numeric, probability, lang) -> html.Td:
    text = shown(value, column, lang)
    if column in numeric or column == probability:
        return html.Td(text, className="number") if text else html.Td("")
    if text.startswith(("http://", "https://")):  # a reference: the site's name, linked
        return html.Td(html.A(urlparse(text).netloc.removeprefix("www."), href=text, rel="noopener"), className="source")
    return html.Td(text, className="source" if column == header("source", lang) else None)


def content(state: ViewState, search=None, sort=None) -> tuple:
    frame = filtered(state, search, sort)
    unit = "%" if state.indicator == MONTHLY_INDICATOR else unit_label(state.indicator, state.lang)
    caption = f"{title_of(state)} · {unit}"
    downloads = download_links(state.country, state.indicator, state.lang, state.vintage, DATA_FORMATS)
    return data_table(frame, sort, state.lang, caption), tn("{n} ligne", "{n} lignes", len(frame), state.lang), downloads


def title_of(state: ViewState) -> str:
    label = t("Inflation mensuelle", state.lang) if state.indicator == MONTHLY_INDICATOR else \
        indicator_label(state.indicator, state.lang)
    return f"{label} — {country_name(state.country, state.lang)}"


def layout(**query):
    state = from_query(query)
    read = layer()
    table, count, downloads = content(state)
    search = html.Div([html.Label(t("Filtrer les lignes", state.lang), htmlFor=ids.DATA_SEARCH),
                       dcc.Input(id=ids.DATA_SEARCH, type="search", debounce=0.3, className="input")], className="field")
    return shell(
        KEY, state,
        controls(country_select(state, read.countries()), indicator_select(state, read.indicators()),
                 vintage_select(state, read.vintages()), search),
        html.P(count, id=ids.DATA_COUNT, **{"aria-live": "polite"}),
        html.Div(downloads, id=ids.DATA_DOWNLOADS),
        html.Div(table, id=ids.DATA_TABLE),
        dcc.Store(id=ids.DATA_SORT, data=None),
        intro=t("Les chiffres derrière chaque vue, avec leur source. Filtrez, et triez en cliquant sur les en-têtes "
                "du tableau.", state.lang),
    )


def register(app) -> None:
    @app.callback(
        Output(ids.DATA_TABLE, "children"), Output(ids.DATA_COUNT, "children"), Output(ids.DATA_DOWNLOADS, "children"),
        Input(ids.COUNTRY, "value"), Input(ids.INDICATOR, "value"), Input(ids.VINTAGE, "value"),
        Input(ids.DATA_SEARCH, "value"), Input(ids.DATA_SORT, "data"), State(ids.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )
    def update_table(country, indicator, vintage, search, sort, lang):
        return content(from_query(dict(country=country, indicator=indicator, lang=lang, vintage=vintage)), search, sort)

    @app.callback(Output(ids.DATA_SORT, "data"), Input(ids.sort_button(ALL), "n_clicks"), State(ids.DATA_SORT, "data"),
                  prevent_initial_call=True)
    def sort_by(clicks, sort):
        if not ctx.triggered_id or not any(clicks):  # new headers after a re-render, not a click
            return no_update
        col = ctx.triggered_id["col"]
        return {"col": col, "asc": not (sort and sort.get("col") == col and sort.get("asc", True))}
