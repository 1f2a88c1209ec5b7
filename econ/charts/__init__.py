"""The charts, built once for the dashboard, the download routes and ``econ export chart``.

A chart is made in two steps so that every consumer sees the same thing: a *view* reads the
store (as of a vintage) and holds no language, then a figure builder draws it and a table
builder lists exactly what was drawn (the data twin behind the CSV and Excel downloads).
This package knows nothing of the web.

- ``view``: ``IndicatorView`` and ``indicator_view`` (reading);
- ``labels``: title, units, norm, run, provenance and the text alternative, in the page's language;
- ``indicator``: the indicator chart (history, fan, norm, official projections) and the sparkline;
- ``monthly``: monthly inflation from a CPI (what ``indicator=cpi`` shows);
- ``compare``: several members and the union on one chart;
- ``scenario``: growth under a gold path; ``tables``: the data twins; ``scorecard``: convergence cells.

``series_view``, ``figure_of``, ``table_of`` and ``describe_of`` pick the right builder for a
series (the monthly chart for ``cpi``), so callers need not know which one applies.
"""

from __future__ import annotations

import plotly.graph_objects as go

from econ.charts.compare import CompareView, compare_describe, compare_figure, compare_figure_dict, compare_table, compare_view
from econ.charts.indicator import fan_hover, figure_dict, indicator_figure, sparkline, sparkline_dict
from econ.charts.labels import (
    describe,
    newer_notice,
    no_projection_text,
    norm_label,
    run_text,
    source_lines,
    title,
    unit_text,
)
from econ.charts.monthly import MonthlyView, monthly_describe, monthly_figure_dict, monthly_table, monthly_view
from econ.charts.scenario import scenario_figure
from econ.charts.scorecard import (
    AMBER_FROM,
    RED_FROM,
    SCORECARD_COLUMNS,
    compliant,
    norm_status,
    official_figures,
    scorecard_cells,
)
from econ.charts.style import COLORS, FONT, OFFICIAL_STYLES, SERIES_COLORS, gapped, x_values
from econ.charts.tables import HEADERS, KINDS, TABLE_KEYS, figure_table, header, scenario_table
from econ.charts.view import (
    HISTORY_COLUMNS,
    MODEL_COLUMNS,
    OFFICIAL_VIEW_COLUMNS,
    PROJECTION_COLUMNS,
    IndicatorView,
    indicator_view,
)

MONTHLY_INDICATOR = "cpi"  # a CPI level is shown as the inflation it implies


def series_view(engine, country: str, indicator: str, as_of=None) -> IndicatorView | MonthlyView:
    """The view the page, the downloads and the CLI draw for one series."""
    if indicator == MONTHLY_INDICATOR:
        return monthly_view(engine, country, as_of)
    return indicator_view(engine, country, indicator, as_of)


def figure_of(view, lang: str = "fr", compact: bool = False) -> dict:
    """The figure (Plotly JSON) of any view."""
    if isinstance(view, MonthlyView):
        return monthly_figure_dict(view, lang, compact)
    if isinstance(view, CompareView):
        return compare_figure_dict(view, lang, compact)
    return figure_dict(view, lang, compact)


def table_of(view, lang: str = "fr"):
    """The data twin of any view."""
    if isinstance(view, MonthlyView):
        return monthly_table(view, lang)
    if isinstance(view, CompareView):
        return compare_table(view, lang)
    return figure_table(view, lang)


def describe_of(view, lang: str = "fr") -> str:
    """The text alternative of any view."""
    if isinstance(view, MonthlyView):
        return monthly_describe(view, lang)
    if isinstance(view, CompareView):
        return compare_describe(view, lang)
    return describe(view, lang)


def to_figure(figure: dict) -> go.Figure:
    return go.Figure(figure)


__all__ = [
    "AMBER_FROM", "COLORS", "FONT", "HEADERS", "HISTORY_COLUMNS", "KINDS", "MODEL_COLUMNS", "OFFICIAL_STYLES",
    "OFFICIAL_VIEW_COLUMNS", "PROJECTION_COLUMNS", "RED_FROM", "SCORECARD_COLUMNS", "SERIES_COLORS", "TABLE_KEYS",
    "CompareView", "IndicatorView", "MonthlyView", "compare_describe", "compare_figure", "compare_figure_dict",
    "compare_table", "compare_view", "compliant", "describe", "describe_of", "fan_hover", "figure_dict", "figure_of",
    "figure_table", "gapped", "header", "indicator_figure", "indicator_view", "monthly_describe",
    "monthly_figure_dict", "monthly_table", "monthly_view", "no_projection_text", "norm_label", "norm_status",
    "newer_notice", "official_figures", "run_text", "scenario_figure", "scenario_table", "scorecard_cells", "series_view",
    "source_lines", "sparkline", "sparkline_dict", "table_of", "title", "to_figure", "unit_text", "x_values",
]
