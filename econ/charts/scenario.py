"""The Scenarios chart: growth under a gold production path, beside the run's own projection (the baseline)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from econ.charts.indicator import figure_dict
from econ.charts.style import floats, x_values
from econ.charts.view import IndicatorView
from econ.i18n import lang_or_default, t

SCENARIO_COLOR = "#0b6e4f"


def scenario_figure(view: IndicatorView, scenario: pd.DataFrame | None, lang: str = "fr",
                    compact: bool = False) -> go.Figure:
    """Growth under a gold path beside the run's own projection: the fan is the baseline, the line the scenario."""
    lang = lang_or_default(lang)
    extra = []
    if scenario is not None and len(scenario):
        anchor = view.latest()
        periods = ([anchor[0]] if anchor else []) + list(scenario["period"])
        label = t("Scénario", lang)
        extra.append({
            "type": "scatter", "x": x_values(periods, view.frequency), "name": label,
            "y": ([anchor[1]] if anchor else []) + floats(scenario["mean"]), "mode": "lines+markers",
            "line": {"color": SCENARIO_COLOR, "width": 3}, "marker": {"size": 8, "symbol": "circle-open"},
            "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{label}</extra>", "legendrank": 1020,
        })
    figure = figure_dict(view, lang, compact, extra)
    projection, baseline = t("Projection", lang), t("Projection de référence", lang)
    for trace in figure["data"]:
        if trace["name"] == projection:
            trace["name"] = baseline
            trace["hovertemplate"] = trace["hovertemplate"].replace(f"<extra>{projection}<", f"<extra>{baseline}<")
    return go.Figure(figure)
