"""Plain HTML tables (captioned, with header scopes) and the download links of a view.

HTML tables rather than grids where the data are small: a screen reader walks them cell by
cell, they print, and they reflow at 375 px inside their own scroll box.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from dash import get_relative_path, html

from dashboard.components.cards import STATUS_ICONS
from econ.i18n import fmt_number, fmt_percent, t

CHART_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")


def table(caption: str, headers: list[str], rows: list[list], row_headers: bool = True, class_name: str = "") -> html.Div:
    """A captioned table in a scroll box; the first cell of each row is its header when ``row_headers``."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers]))
    body = html.Tbody([
        html.Tr([html.Th(c, scope="row") if (i == 0 and row_headers) else _td(c) for i, c in enumerate(row)])
        for row in rows
    ])
    # The caption is shown above the scroll box (a caption is as wide as its table and would scroll away
    # on a phone); the table keeps it for screen readers.
    return html.Div([
        html.P(caption, className="caption", **{"aria-hidden": "true"}),
        html.Div(html.Table([html.Caption(caption, className="sr-only"), head, body],
                            className=f"table {class_name}".strip()),
                 className="table-scroll", tabIndex="0", role="region", **{"aria-label": caption}),
    ])


def _td(cell) -> html.Td:
    return cell if isinstance(cell, html.Td) else html.Td(cell)


def models_table(models: pd.DataFrame, lang: str) -> html.Div:
    """Each model of the run with its weight and its backtest accuracy against the naive forecast."""
    if models.empty:
        return html.P(t("no_models", lang))
    headers = [t(k, lang) for k in ("col_model", "col_weight", "col_mase", "col_mae", "col_rmse", "col_vs_naive")]
    rows = []
    for m in models.to_dict("records"):  # a few rows: plain dicts beat itertuples here
        mase = m["mase"]
        verdict = "" if mase is None or pd.isna(mase) else t("better_than_naive" if mase < 1 else "worse_than_naive", lang)
        weight = None if m["weight"] is None or pd.isna(m["weight"]) else 100 * m["weight"]
        rows.append([f"{m['model']} ({t('chosen', lang)})" if m["chosen"] else m["model"],
                     _maybe(fmt_percent, weight, lang, 0), _maybe(fmt_number, mase, lang, 2),
                     _maybe(fmt_number, m["mae"], lang, 2), _maybe(fmt_number, m["rmse"], lang, 2), verdict])
    return table(t("models_caption", lang), headers, rows, class_name="numeric")


def _maybe(fmt, value, lang, decimals):
    return "–" if value is None or pd.isna(value) else fmt(value, lang, decimals)


def scorecard_tables(cells: pd.DataFrame, labels: dict[str, str], lang: str) -> list:
    """One table per criterion: countries down, years across, each cell marked by its compliance."""
    out = []
    for code, group in cells.groupby("norm_code", sort=False):
        periods = sorted(group["period"].unique())
        kinds = group.drop_duplicates("period").set_index("period")["kind"]
        headers = [t("col_country", lang)] + [
            f"{p} ({t('kind_actual' if kinds[p] == 'actual' else 'kind_projection', lang)})" for p in periods
        ]
        rows = []
        for _, row_cells in group.groupby("country", sort=False):
            by_period = row_cells.set_index("period")
            rows.append([row_cells["country_name"].iloc[0]] + [_status_cell(by_period, p, lang) for p in periods])
        out.append(table(labels.get(code, code), headers, rows, class_name="scorecard"))
    return out


def _status_cell(by_period: pd.DataFrame, period: str, lang: str) -> html.Td:
    if period not in by_period.index:
        return html.Td("–")
    cell = by_period.loc[period]
    return html.Td([html.Span(STATUS_ICONS[cell["status"]], className="icon", **{"aria-hidden": "true"}), " ",
                    cell["text"], html.Span(f" — {t('status_' + cell['status'], lang)}", className="sr-only")],
                   className=f"status-{cell['status']}")


def download_links(country: str, indicator: str, lang: str, vintage: str | None, formats=CHART_FORMATS + DATA_FORMATS,
                   extra: dict | None = None):
    """Links to ``/download/chart`` and ``/download/data``: the same figure, as files (``extra``: more query
    arguments, such as the Scenarios page's ``gold`` path)."""
    query = {"country": country, "indicator": indicator, "lang": lang, **({"as_of": vintage} if vintage else {}),
             **(extra or {})}
    links = []
    for fmt in formats:
        route = "chart" if fmt in CHART_FORMATS else "data"
        href = get_relative_path(f"/download/{route}") + "?" + urlencode({**query, "format": fmt})
        kind = t("download_chart" if route == "chart" else "download_data", lang)
        links.append(html.Li(html.A([html.Span(f"{kind} ", className="sr-only"), fmt.upper()], href=href, download="",
                                    className="button", **{"data-format": fmt})))
    return html.Div([html.Span(t("download", lang), className="label", id="downloads-label"),
                     html.Ul(links, className="downloads", **{"aria-labelledby": "downloads-label"})])
