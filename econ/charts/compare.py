"""Several members on one chart, as on FRED or Our World in Data, with the union's own figure.

Each member gets its history (broken at missing years) and econ's projection in its own colour;
the union (country ``WAEMU``) gets its observed figures where the store has them and the
BCEAO's latest published projections, as the BCEAO publishes them (econ does not aggregate the
members itself: weights would be a choice the reader cannot see).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from econ.charts.indicator import norm_parts
from econ.charts.labels import run_text, sources_line, unit_text
from econ.charts.style import COLORS, SERIES_COLORS, floats, frame_layout, gapped, x_values, year_axis
from econ.charts.tables import finish, history_rows, kind, official_rows
from econ.charts.view import IndicatorView, indicator_view
from econ.i18n import colon, fmt_date, fmt_period, lang_or_default, semicolon, t
from econ.schema import INDICATORS, WAEMU
from econ.terms import country_name, fmt_value, indicator_label, publisher_name, unit_label

UNION = "WAEMU"
UNION_PUBLISHER = "BCEAO"
MAX_MEMBERS = len(WAEMU)


@dataclass
class CompareView:
    indicator: str
    members: list[IndicatorView]
    union: IndicatorView | None  # the union's observations and the BCEAO's projections, when stored

    @property
    def frequency(self) -> str:
        return INDICATORS[self.indicator].frequency

    @property
    def norm(self) -> dict | None:
        return next((m.norm for m in self.members if m.norm), None)

    @property
    def countries(self) -> list[str]:
        return [m.country for m in self.members]


def compare_view(engine, countries: list[str], indicator: str, as_of=None) -> CompareView:
    """Each member's view, and the union's when the store has its figures or the BCEAO's projections."""
    members = [indicator_view(engine, c, indicator, as_of) for c in dict.fromkeys(countries)][:MAX_MEMBERS]
    return CompareView(indicator, members, union_view(engine, indicator, as_of))


def union_view(engine, indicator: str, as_of=None) -> IndicatorView | None:
    view = indicator_view(engine, UNION, indicator, as_of)
    view.official = view.official[view.official["publisher"] == UNION_PUBLISHER].reset_index(drop=True)
    return view if len(view.history) or len(view.official) else None


def title(view: CompareView, lang: str = "fr") -> str:
    return t("{indicator} — comparaison", lang, indicator=indicator_label(view.indicator, lang))


def compare_figure_dict(view: CompareView, lang: str = "fr", compact: bool = False) -> dict:
    lang = lang_or_default(lang)
    data = [trace for i, member in enumerate(view.members) for trace in _member_traces(member, i, lang)]
    data += _union_traces(view.union, lang)
    shapes, norm = norm_parts(view.norm, view.indicator, lang)
    if any(len(m.projection) for m in view.members):
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "lines", "hoverinfo": "skip",
                     "name": t("Projection econ (tirets)", lang), "legendrank": 1150,
                     "line": {"color": COLORS["muted"], "width": 2, "dash": "dash"}})
    data += norm
    names = [d["name"] for d in data if d.get("showlegend", True)]
    periods = [p for m in view.members for p in (*m.history["period"], *m.projection["period"])]
    if view.union is not None:
        periods += [*view.union.history["period"], *view.union.official["target_period"]]
    return {"data": data, "layout": frame_layout(
        title(view, lang), unit_text(view.indicator, lang), compare_sources(view, lang), names, lang, compact,
        unit_label(view.indicator, lang), year_axis(x_values(periods, "A"), compact) if view.frequency == "A" else {},
        shapes, data=data, meta={"countries": view.countries, "indicator": view.indicator})}


def compare_figure(view: CompareView, lang: str = "fr", compact: bool = False) -> go.Figure:
    return go.Figure(compare_figure_dict(view, lang, compact))


def _all(view: CompareView) -> list[IndicatorView]:
    return [*view.members, *([view.union] if view.union else [])]


def _member_traces(member: IndicatorView, i: int, lang: str) -> list[dict]:
    color, name = SERIES_COLORS[i % len(SERIES_COLORS)], country_name(member.country, lang)
    x, y = gapped(member.history["period"], member.history["value"], member.frequency)
    traces = [{"type": "scatter", "x": x, "y": y, "name": name, "mode": "lines+markers", "connectgaps": False,
               "legendgroup": member.country, "line": {"color": color, "width": 2.5}, "marker": {"size": 5},
               "legendrank": 1000 + i, "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{name}</extra>"}]
    p, anchor = member.projection, member.latest()
    if len(p):
        label = t("{country} — projection", lang, country=name)
        band = t("Intervalle à 80 %", lang)
        traces.append({
            "type": "scatter", "x": x_values(([anchor[0]] if anchor else []) + list(p["period"]), member.frequency),
            "y": ([anchor[1]] if anchor else []) + floats(p["mean"]), "name": label, "mode": "lines+markers",
            "showlegend": False, "legendgroup": member.country, "line": {"color": color, "width": 2, "dash": "dash"},
            "customdata": [[lo, hi] for lo, hi in zip(([None] if anchor else []) + floats(p["lower_80"]),
                                                      ([None] if anchor else []) + floats(p["upper_80"]))],
            "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<br>{band}{colon(lang)}%{{customdata[0]:.1f}} – "
                             f"%{{customdata[1]:.1f}}<extra>{label}</extra>"})
    return traces


def _union_traces(union: IndicatorView | None, lang: str) -> list[dict]:
    if union is None:
        return []
    name = country_name(UNION, lang)
    traces = []
    if len(union.history):
        x, y = gapped(union.history["period"], union.history["value"], union.frequency)
        traces.append({"type": "scatter", "x": x, "y": y, "name": name, "mode": "lines", "connectgaps": False,
                       "line": {"color": COLORS["union"], "width": 4}, "legendrank": 1090,
                       "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{name}</extra>"})
    for published, rows in union.official.groupby("published", sort=True):
        label = f"{name}, {publisher_name(UNION_PUBLISHER, lang)} ({fmt_date(published, lang)})"
        traces.append({"type": "scatter", "x": x_values(rows["target_period"], union.frequency),
                       "y": floats(rows["value"]), "mode": "markers", "name": label, "legendrank": 1100,
                       "marker": {"symbol": "star", "size": 14, "color": COLORS["union"],
                                  "line": {"color": "white", "width": 1}},
                       "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{label}</extra>"})
    return traces


def compare_sources(view: CompareView, lang: str) -> list[str]:
    sources = list(dict.fromkeys(s for m in _all(view) for s in m.sources))
    runs = list(dict.fromkeys(run_text(m, lang) for m in view.members if m.run))
    vintages = [m.vintage for m in _all(view) if m.vintage is not None]
    last = t("Données au {date}", lang, date=fmt_date(max(vintages) if vintages else None, lang))
    if runs:
        last += " · " + t("Projection : {run}", lang, run=semicolon(lang).join(runs))
    if view.union is not None and len(view.union.official):
        last = t("Projections officielles : {publishers}", lang, publishers=publisher_name(UNION_PUBLISHER, lang)) + \
            f" · {last}"
    return [sources_line(sources, lang), last]


def compare_table(view: CompareView, lang: str = "fr") -> pd.DataFrame:
    """Every series the comparison draws, one row a figure, each row naming its country."""
    lang = lang_or_default(lang)
    parts = []
    for member in _all(view):
        named = {"country": country_name(member.country, lang)}
        parts.append(history_rows(member, lang).assign(**named))
        if len(member.projection) and member is not view.union:
            parts.append(member.projection.rename(columns={"mean": "value"}).assign(
                kind=kind("model", lang), source=f"econ — {run_text(member, lang)}", **named))
        if member is view.union:
            parts.append(official_rows(member, lang).assign(**named))
    return finish(None, view.indicator, parts, lang)


def compare_describe(view: CompareView, lang: str = "fr") -> str:
    lang = lang_or_default(lang)
    sep = colon(lang)
    parts = [title(view, lang) + "."]
    for member in _all(view):
        name, latest = country_name(member.country, lang), member.latest()
        if latest:
            parts.append(f"{name}, {fmt_period(latest[0], lang)}{sep}{fmt_value(view.indicator, latest[1], lang)}.")
        if len(member.projection):
            last = member.projection.iloc[-1]
            parts.append(t("{country}, projection {period} : {value}.", lang, country=name,
                           period=fmt_period(last["period"], lang), value=fmt_value(view.indicator, last["mean"], lang)))
        for row in member.official.itertuples() if member is view.union else ():
            parts.append(f"{name}, {publisher_name(row.publisher, lang)} {fmt_period(row.target_period, lang)}{sep}"
                         f"{fmt_value(view.indicator, row.value, lang)}.")
    return " ".join(parts)
