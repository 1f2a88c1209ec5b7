"""The Scenarios chart: growth under a gold production path, beside the run's own projection (the baseline)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from econ.charts.indicator import figure_dict
from econ.charts.style import floats, x_values
from econ.charts.view import IndicatorView
from econ.i18n import N_, NBSP, colon, fmt_number, lang_or_default, t

SCENARIO_COLOR = "#0b6e4f"
GOLD_WORDS = N_("production d'or")


def scenario_figure(view: IndicatorView, scenario: pd.DataFrame | None, lang: str = "fr",
                    compact: bool = False, gold_path: dict[str, float] | None = None) -> go.Figure:
    """Growth under a gold path beside the run's own projection: the fan is the baseline, the line the
    scenario, named with the path it assumes (an exported chart must say which scenario it shows)."""
    lang = lang_or_default(lang)
    extra = []
    if scenario is not None and len(scenario):
        anchor = view.latest()
        periods = ([anchor[0]] if anchor else []) + list(scenario["period"])
        label = t("Scénario", lang) + path_words(gold_path or {}, lang)
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


def path_words(gold_path: dict[str, float], lang: str) -> str:
    """`` (or : 2026 80 t, 2027 90 t)``, in ``lang``; empty without a path."""
    if not gold_path:
        return ""
    years = ", ".join(f"{year}{NBSP}{fmt_number(tonnes, lang, 0 if float(tonnes).is_integer() else 1)}{NBSP}t"
                      for year, tonnes in sorted((str(k), float(v)) for k, v in gold_path.items()))
    return f" ({t(GOLD_WORDS, lang)}{colon(lang)}{years})"
