"""The indicator chart: history (broken at missing years), the 80/95 % fan, the norm, official projections.

The figure carries its own title, units, source line, data vintage and run, so a PNG pasted into
a minister's note still says what it is. Official markers sit on their own year; two equal
projections stay visible because each publisher's marker has its own shape and size.
"""

from __future__ import annotations

import plotly.graph_objects as go

from econ.chart_text import plotly_text
from econ.charts.labels import norm_label, source_lines, title, unit_text
from econ.charts.style import (
    COLORS,
    OFFICIAL_STYLES,
    SYMBOL_SCALE,
    floats,
    frame_layout,
    gapped,
    month_axis,
    norm_trace,
    x_values,
    year_axis,
)
from econ.charts.view import IndicatorView
from econ.i18n import colon, fmt_date, lang_or_default, separators, t
from econ.terms import publisher_name, unit_label


def figure_dict(view: IndicatorView, lang: str = "fr", compact: bool = False, extra: list | None = None) -> dict:
    """The chart as Plotly JSON: what ``indicator_figure`` wraps, and what the dashboard caches."""
    lang = lang_or_default(lang)
    shapes, norm = norm_parts(view.norm, view.indicator, lang)
    data = [*fan(view, lang), history_trace(view, lang), *official_traces(view, lang), *(extra or []), *norm]
    names = [d["name"] for d in data if d.get("showlegend", True)]
    layout = frame_layout(title(view, lang), unit_text(view.indicator, lang), source_lines(view, lang), names, lang,
                          compact, unit_label(view.indicator, lang), x_axis(view, compact), shapes, data=data,
                          meta={"country": view.country, "indicator": view.indicator, "run": (view.run or {}).get("id")})
    return {"data": data, "layout": layout}


def indicator_figure(view: IndicatorView, lang: str = "fr", compact: bool = False) -> go.Figure:
    """The chart: history, 80/95 % fan, norm line, official projections, and its provenance.

    ``compact`` lays the same content out for a phone (about 375 px wide): legend one entry a
    line, title and source lines wrapped, fewer years on show. Exports use the default layout.
    """
    return go.Figure(figure_dict(view, lang, compact))


def history_trace(view: IndicatorView, lang: str) -> dict:
    h = view.history
    x, y = gapped(h["period"], h["value"], view.frequency)
    label = t("Observé", lang)
    return {"type": "scatter", "x": x, "y": y, "name": label, "mode": "lines+markers",
            "connectgaps": False, "line": {"color": COLORS["history"], "width": 2.5}, "marker": {"size": 5},
            "legendrank": 1000, "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{label}</extra>"}


def fan(view, lang: str, name: str | None = None, anchor: tuple[str, float] | None = None) -> list[dict]:
    """95 % and 80 % bands, then the central line; all start at the last observation so they join the history."""
    p = view.projection
    if p.empty:
        return []
    anchor = anchor if anchor is not None else view.latest()
    x = x_values(([anchor[0]] if anchor else []) + list(p["period"]), view.frequency)

    def col(column):
        return ([anchor[1]] if anchor else []) + floats(p[column])

    labels = {95: t("Intervalle à 95 %", lang), 80: t("Intervalle à 80 %", lang)}
    bands = [{"type": "scatter", "x": x + x[::-1], "y": col(f"upper_{level}") + col(f"lower_{level}")[::-1],
              "fill": "toself", "fillcolor": COLORS[f"band_{level}"], "line": {"width": 0}, "mode": "lines",
              "name": labels[level], "hoverinfo": "skip", "legendrank": 1000 + level} for level in (95, 80)]
    label = name or t("Projection", lang)
    central = {"type": "scatter", "x": x, "y": col("mean"), "name": label, "mode": "lines+markers",
               "customdata": [list(r) for r in zip(col("lower_80"), col("upper_80"), col("lower_95"), col("upper_95"))],
               "line": {"color": COLORS["projection"], "width": 2.5, "dash": "dash"}, "marker": {"size": 6},
               "hovertemplate": fan_hover(lang, label), "legendrank": 1010}
    return [*bands, central]


def fan_hover(lang: str, label: str) -> str:
    sep = colon(lang)
    bands = "".join(
        f"<br>{text}{sep}%{{customdata[{i}]:.1f}} – %{{customdata[{i + 1}]:.1f}}"
        for i, text in ((0, t("Intervalle à 80 %", lang)), (2, t("Intervalle à 95 %", lang)))
    )
    return f"%{{x}}<br>%{{y:.1f}}{bands}<extra>{label}</extra>"


def official_traces(view: IndicatorView, lang: str) -> list[dict]:
    """One marker series per publication, each marker on its own year; shapes and sizes differ so
    that two equal projections (IMF and government both at 2.5 %) stay visible one over the other,
    none looking smaller than a 10 px square (``SYMBOL_SCALE``: a third publisher's triangle read as
    a dot)."""
    groups = list(view.official.groupby(["publisher", "published"], sort=False))
    traces = []
    for i, ((pub, published), rows) in enumerate(groups):
        symbol, color = OFFICIAL_STYLES[i % len(OFFICIAL_STYLES)]
        name = f"{plotly_text(publisher_name(pub, lang))} ({fmt_date(published, lang)})"
        traces.append({
            "type": "scatter", "x": x_values(rows["target_period"], view.frequency), "y": floats(rows["value"]),
            "mode": "markers", "name": name, "legendrank": 1100 + i,
            "marker": {"symbol": symbol, "size": round(max(15 - 3 * i, 10) * SYMBOL_SCALE.get(symbol, 1.0)),
                       "color": color,
                       "line": {"color": "white", "width": 1.5}},
            "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{name}</extra>",
        })
    return traces


def norm_parts(norm: dict | None, indicator: str, lang: str) -> tuple[list[dict], list[dict]]:
    """The norm's line (a shape) and its legend entry; nothing when no norm applies."""
    if norm is None:
        return [], []
    shape, entry = norm_trace(float(norm["threshold"]), norm_label(norm, indicator, lang))
    return [shape], [entry]


def x_axis(view: IndicatorView, compact: bool = False) -> dict:
    periods = [*view.history["period"], *view.projection["period"], *view.official["target_period"]]
    if view.frequency == "A":
        return year_axis(x_values(periods, "A"), compact)
    return month_axis(x_values(periods, view.frequency), compact)


# --- the overview's small chart ---------------------------------------------------------------


def sparkline(view: IndicatorView, lang: str = "fr") -> go.Figure:
    """A card's small chart: the last dozen years and the projection, first and last year written under it."""
    return go.Figure(sparkline_dict(view, lang))


def sparkline_dict(view: IndicatorView, lang: str = "fr") -> dict:
    h, p = view.history.tail(12), view.projection
    line = {"type": "scatter", "mode": "lines", "hoverinfo": "skip", "connectgaps": False}
    x, y = gapped(h["period"], h["value"], view.frequency)
    data = [{**line, "x": x, "y": y, "line": {"color": COLORS["history"], "width": 2}}]
    if not p.empty and len(h):
        data.append({**line, "x": x_values([h["period"].iloc[-1], *p["period"]], view.frequency),
                     "y": [float(h["value"].iloc[-1]), *floats(p["mean"])],
                     "line": {"color": COLORS["projection"], "width": 2, "dash": "dot"}})
    shapes, _ = norm_parts(view.norm, view.indicator, lang)
    for shape in shapes:
        shape["line"]["width"] = 1
    periods = [*h["period"], *p["period"]]
    ends = [{"text": str(text), "xref": "paper", "x": x0, "xanchor": anchor, "yref": "paper", "y": 0, "yanchor": "top",
             "showarrow": False, "font": {"size": 11, "color": COLORS["muted"]}}
            for text, x0, anchor in ((periods[0], 0, "left"), (periods[-1], 1, "right"))] if periods else []
    hidden = {"visible": False, "fixedrange": True}
    return {"data": data, "layout": {
        "template": "none", "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)", "height": 86,
        "margin": {"l": 2, "r": 2, "t": 4, "b": 18}, "showlegend": False, "shapes": shapes, "annotations": ends,
        "separators": separators(lang), "xaxis": hidden, "yaxis": hidden}}
