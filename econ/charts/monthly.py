"""The monthly inflation chart, for a country with a monthly CPI: year-on-year inflation, its 12-month
average, the 3 % norm, and the projection when the stored run has monthly points.

The forecast engine stores, for inflation built from a monthly CPI, monthly projection points
(periods ``2026-03``) under the model name ``monthly``, year-on-year in percent, in the same
forecast as the annual points; this chart reads them and draws nothing projected when they are
absent. The chart is what ``indicator=cpi`` shows everywhere (page, downloads, ``econ export``):
a price index level says little to a reader, its inflation rate says what they came for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from econ.charts.indicator import fan, norm_parts
from econ.charts.labels import norm_label, run_text, source_lines
from econ.charts.style import COLORS, frame_layout, gapped, month_axis, x_values
from econ.charts.tables import finish, kind
from econ.charts.view import (
    OFFICIAL_VIEW_COLUMNS,
    PROJECTION_COLUMNS,
    empty_projection,
    read_norm,
    run_info,
    sources_of,
)
from econ.i18n import capitalized, colon, fmt_percent, fmt_period, lang_or_default, semicolon, t
from econ.inflation import rates_by_source
from econ.store.runs import MONTHLY_MODEL
from econ.terms import country_name, source_text


@dataclass
class MonthlyView:
    """Monthly inflation of one country as known at a moment; the same in every language."""

    country: str
    inflation: pd.DataFrame  # monthly_inflation(): cpi, yoy, average_12m on a monthly PeriodIndex
    projection: pd.DataFrame  # PROJECTION_COLUMNS, monthly periods (maybe empty)
    norm: dict | None
    run: dict | None  # the run whose monthly points are drawn, or None
    vintage: datetime | None
    as_of: datetime | None = None
    sources: list[str] = field(default_factory=list)
    official: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OFFICIAL_VIEW_COLUMNS))
    indicator: str = "cpi"
    frequency: str = "M"
    cpi_behind: dict | None = None  # {cpi_end, last_year}: why the run has no monthly projection
    newer_data: dict | None = None  # {figures, last}: the country's figures loaded after the run, unread by it

    def rates(self, column: str = "yoy") -> pd.DataFrame:
        """``period``, ``value`` of one rate, months with a value only."""
        series = self.inflation[column].dropna()
        return pd.DataFrame({"period": [str(p) for p in series.index], "value": series.to_numpy(dtype="float64")})

    def latest(self) -> tuple[str, float] | None:
        rates = self.rates()
        return None if rates.empty else (rates["period"].iloc[-1], float(rates["value"].iloc[-1]))


def monthly_view(engine, country: str, as_of=None) -> MonthlyView:
    """The CPI as known at ``as_of``, its inflation rates, and the monthly points of the latest inflation run."""
    from econ.store import repository
    from econ.store.runs import latest_forecast, newer_than_run

    moment = repository.parse_as_of(as_of)
    obs = repository.observations(engine, country, "cpi", moment)
    stored = latest_forecast(engine, country, "inflation", before=moment)
    points = monthly_points(stored)
    vintage = obs["vintage"].max() if len(obs) else None
    return MonthlyView(
        country=country, inflation=rates_by_source(obs), projection=points,
        norm=read_norm(engine, country, "inflation"),
        run={**run_info(stored), "model": MONTHLY_MODEL} if len(points) else None,
        vintage=None if vintage is None or pd.isna(vintage) else pd.Timestamp(vintage).to_pydatetime(),
        as_of=moment, sources=sources_of(obs),
        cpi_behind=(stored.diagnostics or {}).get("cpi_behind") if stored is not None else None,
        newer_data=newer_than_run(engine, stored, moment),
    )


def monthly_points(stored) -> pd.DataFrame:
    """The run's monthly projection (model ``monthly``), or an empty frame when it has none."""
    if stored is None or stored.points.empty:
        return empty_projection()
    points = stored.points[stored.points["model"] == MONTHLY_MODEL]
    points = points[points["period"].astype(str).str.fullmatch(r"\d{4}-\d{2}")]
    return points.assign(p_breach=float("nan"))[PROJECTION_COLUMNS].sort_values("period").reset_index(drop=True)


def title(view: MonthlyView, lang: str = "fr") -> str:
    return t("Inflation mensuelle — {country}", lang, country=country_name(view.country, lang))


def monthly_figure_dict(view: MonthlyView, lang: str = "fr", compact: bool = False) -> dict:
    lang = lang_or_default(lang)
    shapes, norm = norm_parts(view.norm, "inflation", lang)
    data = [*fan(view, lang), *_rate_traces(view, lang), *norm]
    dates = [*x_values([str(p) for p in view.inflation.index], "M"), *x_values(view.projection["period"], "M")]
    subtitle = t("En %, sur un an (glissement annuel) et en moyenne sur 12 mois", lang)
    return {"data": data, "layout": frame_layout(
        title(view, lang), subtitle, source_lines(view, lang), [d["name"] for d in data], lang, compact, "%",
        month_axis(dates, compact), shapes, data=data, meta={"country": view.country, "indicator": "cpi",
                                                   "run": (view.run or {}).get("id")})}


def _rate_traces(view: MonthlyView, lang: str) -> list[dict]:
    traces = []
    for column, color, width, label in (("yoy", COLORS["history"], 2, t("Glissement annuel", lang)),
                                        ("average_12m", COLORS["average"], 3, t("Moyenne sur 12 mois", lang))):
        rates = view.rates(column)
        x, y = gapped(rates["period"], rates["value"], "M")
        traces.append({"type": "scatter", "x": x, "y": y, "name": label, "mode": "lines", "connectgaps": False,
                       "line": {"color": color, "width": width}, "legendrank": 1000 if column == "yoy" else 1001,
                       "hovertemplate": f"%{{x|%m/%Y}}<br>%{{y:.1f}}<extra>{label}</extra>"})
    return traces


def monthly_table(view: MonthlyView, lang: str = "fr") -> pd.DataFrame:
    """The monthly chart's data twin: both rates month by month, then the projection, with their sources."""
    lang = lang_or_default(lang)
    source = semicolon(lang).join(source_text(s, lang) for s in view.sources)
    derived = t("calculé par econ à partir de l'IPC ({source})", lang, source=source)
    parts = [view.rates(c).assign(kind=kind(c, lang), source=derived) for c in ("yoy", "average_12m")]
    if len(view.projection):
        parts.append(view.projection.rename(columns={"mean": "value"}).assign(
            kind=kind("model", lang), source=t("econ — exécution n°{id}", lang, id=view.run["id"])))
    return finish(view.country, "inflation", parts, lang, label=t("Inflation mensuelle", lang))


def monthly_describe(view: MonthlyView, lang: str = "fr") -> str:
    lang = lang_or_default(lang)
    sep = colon(lang)
    parts = [title(view, lang) + "."]
    for column, label in (("yoy", t("Glissement annuel", lang)), ("average_12m", t("Moyenne sur 12 mois", lang))):
        rates = view.rates(column)
        if len(rates):
            parts.append(f"{label} ({fmt_period(rates['period'].iloc[-1], lang)}){sep}"
                         f"{fmt_percent(rates['value'].iloc[-1], lang)}.")
    if len(view.projection):
        last = view.projection.iloc[-1]
        parts.append(t("Projection {period} : {value}.", lang, period=fmt_period(last["period"], lang),
                       value=fmt_percent(last["mean"], lang)))
    elif view.cpi_behind:  # the run left the monthly models out: say why, as the chart's source line does
        parts.append(capitalized(run_text(view, lang)) + ".")
    else:
        parts.append(t("Aucune projection mensuelle enregistrée.", lang))
    if view.norm:
        parts.append(norm_label(view.norm, "inflation", lang) + ".")
    return " ".join(parts)

