"""The charts of an indicator, built once for the dashboard, the download route and ``econ export chart``.

A chart is made in two steps so that every consumer sees the same thing: ``indicator_view``
reads the store (as of a vintage) into an ``IndicatorView`` that holds no language, then
``indicator_figure`` draws it and ``figure_table`` lists exactly what was drawn (the data
twin behind the CSV and Excel downloads). The figure carries its own title, units, source
line, data vintage and run, so a PNG pasted into a minister's note still says what it is.
This module knows nothing of the web.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from econ import countries
from econ.chart_text import plotly_text
from econ.i18n import SEPARATORS, colon, fmt_date, fmt_number, fmt_percent, fmt_probability, lang_or_default, publisher, t
from econ.schema import INDICATORS, period_start

PROJECTION_COLUMNS = ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "p_breach"]
OFFICIAL_VIEW_COLUMNS = ["publisher", "published", "target_period", "value", "reference"]
HISTORY_COLUMNS = ["period", "value", "source"]

# Colours chosen for contrast on white (all text colours pass WCAG AA) and for colour-blind readers.
COLORS = {
    "history": "#1f4e79",
    "projection": "#a64b00",
    "band_80": "rgba(166, 75, 0, 0.30)",
    "band_95": "rgba(166, 75, 0, 0.13)",
    "norm": "#b00020",
    "text": "#1a1a1a",
    "muted": "#4d4d4d",
    "grid": "#e3e3e3",
}
OFFICIAL_STYLES = [  # (symbol, colour) per publisher, in order of appearance
    ("diamond", "#2e7d32"), ("square", "#6a1b9a"), ("triangle-up", "#00695c"), ("x", "#37474f"), ("star", "#795548"),
]
WINDOW_YEARS = 16  # annual charts open on the last years of history; the rest is a pan away
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@dataclass
class IndicatorView:
    """What one chart shows, read from the store as of a moment; the same in every language."""

    country: str
    indicator: str
    history: pd.DataFrame  # period, value, source
    projection: pd.DataFrame  # period, mean, lower_80, upper_80, lower_95, upper_95, p_breach (maybe empty)
    official: pd.DataFrame  # publisher, published, target_period, value, reference
    norm: dict | None  # code, comparison, threshold, label_fr, label_en
    run: dict | None  # id, created_at, data_vintage, model
    vintage: datetime | None  # newest vintage among the figures shown
    as_of: datetime | None = None
    sources: list[str] = field(default_factory=list)
    models: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MODEL_COLUMNS))

    @property
    def frequency(self) -> str:
        return INDICATORS[self.indicator].frequency

    def latest(self) -> tuple[str, float] | None:
        """The last observed period and value."""
        if self.history.empty:
            return None
        row = self.history.iloc[-1]
        return str(row["period"]), float(row["value"])

    def next_breach(self) -> tuple[str, float] | None:
        """The first projected period and its probability of breaching the norm."""
        if self.norm is None or self.projection.empty or self.projection["p_breach"].isna().all():
            return None
        row = self.projection.dropna(subset=["p_breach"]).iloc[0]
        return str(row["period"]), float(row["p_breach"])


MODEL_COLUMNS = ["model", "weight", "mase", "mae", "rmse", "chosen"]


# --- reading ----------------------------------------------------------------------------------


def indicator_view(engine, country: str, indicator: str, as_of=None) -> IndicatorView:
    """Everything one chart needs, as known at ``as_of`` (default: now). Reads only; never fits."""
    from econ.store import repository
    from econ.store.runs import latest_forecast

    moment = repository.parse_as_of(as_of)
    obs = repository.observations(engine, country, indicator, moment)
    history = obs[HISTORY_COLUMNS].reset_index(drop=True)
    norm = _norm(repository.norms_for(engine, country, indicator))
    stored = latest_forecast(engine, country, indicator, before=moment)
    official = _latest_official(repository.official_projections(engine, country, indicator, moment), history)
    vintage = obs["vintage"].max() if len(obs) else repository.data_vintage(engine, moment)
    return IndicatorView(
        country=country, indicator=indicator, history=history,
        projection=_projection(stored, norm), official=official, norm=norm, run=_run(stored),
        vintage=None if pd.isna(vintage) else pd.Timestamp(vintage).to_pydatetime(), as_of=moment,
        sources=_sources(history), models=_models(stored),
    )


def _norm(table: pd.DataFrame) -> dict | None:
    if table.empty:
        return None
    row = table.iloc[0]
    return {k: (float(row[k]) if k == "threshold" else row[k]) for k in ("code", "comparison", "threshold", "label_fr", "label_en")}


def _projection(stored, norm: dict | None) -> pd.DataFrame:
    if stored is None:
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "period" else "float64") for c in PROJECTION_COLUMNS})
    points = stored.chosen()[PROJECTION_COLUMNS[:-1]]
    checks = stored.norm_checks
    if norm is not None and len(checks):
        checks = checks[checks["norm_code"] == norm["code"]][["period", "p_breach"]]
        return points.merge(checks, on="period", how="left").astype({"p_breach": "float64"})
    return points.assign(p_breach=float("nan"))


def _run(stored) -> dict | None:
    if stored is None:
        return None
    run = stored.run
    return {"id": run["id"], "created_at": run["created_at"], "data_vintage": run["data_vintage"], "model": stored.model}


def _latest_official(official: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Each publisher's latest publication, for the years not yet observed: what a reader compares against.

    Older publications stay in the store (and on the Data page); drawing every IMF vintage since
    2019 would bury the one that matters.
    """
    if official.empty:
        return official.reindex(columns=OFFICIAL_VIEW_COLUMNS).astype({"value": "float64"})
    last = history["period"].iloc[-1] if len(history) else ""
    ahead = official[official["target_period"].astype(str) > str(last)]
    newest = ahead.groupby("publisher")["published"].transform("max")
    keep = ahead[ahead["published"] == newest]
    return keep[OFFICIAL_VIEW_COLUMNS].sort_values(["published", "publisher", "target_period"]).reset_index(drop=True)


def _sources(history: pd.DataFrame) -> list[str]:
    return [s for s in dict.fromkeys(history["source"].dropna().astype(str)) if s]


def _models(stored) -> pd.DataFrame:
    """One row per model or candidate of the run: its weight in the combination and its backtest scores.

    Scores are the run's one-year-ahead backtest (``{model: {mae, rmse, mase, ...}}``; MASE is
    the error relative to the naive forecast's, so below 1 beats it).
    """
    if stored is None:
        return pd.DataFrame(columns=MODEL_COLUMNS)
    weights = _weight_map(stored.weights or {})
    scores = {k: v for k, v in (stored.scores or {}).items() if isinstance(v, dict)}
    names = list(dict.fromkeys([*stored.points["model"].unique(), *scores, *weights]))
    rows = [{"model": name, "weight": weights.get(name), **{m: scores.get(name, {}).get(m) for m in ("mase", "mae", "rmse")},
             "chosen": name == stored.model} for name in names]
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


def _weight_map(weights: dict) -> dict:
    """The combination's weights, whether stored flat (``{model: w}``) or with the run's choice around them."""
    for key in ("combination", "used"):
        if isinstance(weights.get(key), dict):
            return weights[key]
    return {k: v for k, v in weights.items() if isinstance(v, (int, float))}


# --- labels -----------------------------------------------------------------------------------


def title(view: IndicatorView, lang: str = "fr") -> str:
    return f"{INDICATORS[view.indicator].label(lang)} — {countries.name(view.country, lang)}"


def unit_text(indicator: str, lang: str = "fr") -> str:
    unit = INDICATORS[indicator].unit_label(lang)
    return f"En {unit}" if lang == "fr" else f"In {unit}"


def norm_label(norm: dict, indicator: str, lang: str = "fr") -> str:
    """``Norme UEMOA 3 % (plafond)``: short enough to sit on the line it labels."""
    head = t("norm_waemu" if str(norm["code"]).startswith("waemu") else "norm_short", lang)
    threshold = float(norm["threshold"])
    decimals = 0 if threshold.is_integer() else 1
    unit = INDICATORS[indicator].unit_label(lang)
    value = fmt_percent(threshold, lang, decimals) if unit == "%" else f"{fmt_number(threshold, lang, decimals)}\u00a0{unit}"
    kind = t("ceiling" if norm["comparison"] in ("<=", "<") else "floor", lang)
    return f"{head} {value} ({kind})"


def run_text(view: IndicatorView, lang: str = "fr") -> str:
    if view.run is None:
        return t("no_run", lang)
    return t("run_label", lang, id=view.run["id"], date=fmt_date(view.run["created_at"], lang), model=view.run["model"])


def source_lines(view: IndicatorView, lang: str = "fr") -> list[str]:
    """The provenance printed under the chart: sources, data vintage, run."""
    sep = colon(lang)
    shown = [plotly_text(_shorten(s)) for s in view.sources[:2]] or ["–"]
    more = len(view.sources) - len(shown)
    if more > 0:
        shown[-1] += f" (+{more})"
    head = t("sources" if len(view.sources) > 1 else "source", lang)
    lines = [f"{head}{sep}{'; '.join(shown)}"]
    officials = ", ".join(dict.fromkeys(plotly_text(publisher(p, lang)) for p in view.official["publisher"]))
    last = f"{t('data_vintage', lang)} {fmt_date(view.vintage, lang)} · {t('run', lang)}{sep}{run_text(view, lang)}"
    if officials:
        last = f"{t('officials', lang).capitalize()}{sep}{officials} · {last}"
    return [*lines, last]


def _shorten(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(view: IndicatorView, lang: str = "fr") -> str:
    """A sentence for screen readers and the chart's text alternative: the numbers a sighted reader takes away."""
    lang = lang_or_default(lang)
    fmt = _formatter(view.indicator, lang)
    parts = [title(view, lang) + "."]
    latest = view.latest()
    if latest:
        parts.append(f"{t('latest', lang)} ({latest[0]}){colon(lang)}{fmt(latest[1])}.")
    if not view.projection.empty:
        last = view.projection.iloc[-1]
        parts.append(
            f"{t('projection', lang)} {last['period']}{colon(lang)}{fmt(last['mean'])} "
            f"({t('band_80', lang).lower()}{colon(lang)}{fmt(last['lower_80'])} – {fmt(last['upper_80'])})."
        )
    breach = view.next_breach()
    if breach:
        parts.append(f"{t('p_breach_next', lang, period=breach[0])}{colon(lang)}{fmt_probability(breach[1], lang)}.")
    if view.norm:
        parts.append(norm_label(view.norm, view.indicator, lang) + ".")
    for row in view.official.itertuples():
        parts.append(f"{publisher(row.publisher, lang)} ({fmt_date(row.published, lang)}), {row.target_period}{colon(lang)}{fmt(row.value)}.")
    return " ".join(parts)


def _formatter(indicator: str, lang: str):
    unit = INDICATORS[indicator].unit_label(lang)
    if unit == "%":
        return lambda x: fmt_percent(x, lang)
    return lambda x: f"{fmt_number(x, lang)}\u00a0{unit}"


# --- drawing ----------------------------------------------------------------------------------
#
# Figures are built as plain dicts (Plotly's JSON) and wrapped in ``go.Figure`` only at the end:
# graph_objects validate every property as it is set, which made a chart cost 50-70 ms to build;
# the dict costs about 1 ms and the dashboard caches it as is (``figure_dict``).

LINE_PX = 17  # height of a line of the source block
LEGEND_ROW_PX = 21
SCENARIO_COLOR = "#0b6e4f"


def x_values(periods, frequency: str) -> list:
    """Years as integers on annual charts (with ``dtick`` set, no ``2,021.5``); ISO dates otherwise."""
    if frequency == "A":
        return [int(p) for p in periods]
    return [period_start(str(p)).date().isoformat() for p in periods]


def _floats(values) -> list:
    return [None if pd.isna(v) else float(v) for v in values]


def figure_dict(view: IndicatorView, lang: str = "fr", compact: bool = False, extra: list | None = None) -> dict:
    """The chart as Plotly JSON: what ``indicator_figure`` wraps, and what the dashboard caches."""
    lang = lang_or_default(lang)
    data = [*_fan(view, lang), _history(view, lang), *_official(view, lang), *(extra or [])]
    return {"data": data, "layout": _layout(view, lang, [d["name"] for d in data], compact)}


def indicator_figure(view: IndicatorView, lang: str = "fr", compact: bool = False) -> go.Figure:
    """The chart: history, 80/95 % fan, norm line, official projections, and its provenance.

    ``compact`` lays the same content out for a phone (about 375 px wide): legend one entry a
    line, title and source lines wrapped, fewer years on show. Exports use the default layout.
    """
    return go.Figure(figure_dict(view, lang, compact))


def _history(view: IndicatorView, lang: str) -> dict:
    h = view.history
    return {"type": "scatter", "x": x_values(h["period"], view.frequency), "y": _floats(h["value"]),
            "name": t("history", lang), "mode": "lines+markers", "line": {"color": COLORS["history"], "width": 2.5},
            "marker": {"size": 5}, "legendrank": 1000,
            "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{t('history', lang)}</extra>"}


def _fan(view: IndicatorView, lang: str, name_key: str = "projection") -> list[dict]:
    """95 % and 80 % bands, then the central line; all start at the last observation so they join the history."""
    p = view.projection
    if p.empty:
        return []
    anchor = view.latest()
    x = x_values(([anchor[0]] if anchor else []) + list(p["period"]), view.frequency)

    def col(name):
        return ([anchor[1]] if anchor else []) + _floats(p[name])

    bands = [{"type": "scatter", "x": x + x[::-1], "y": col(f"upper_{level}") + col(f"lower_{level}")[::-1],
              "fill": "toself", "fillcolor": COLORS[f"band_{level}"], "line": {"width": 0}, "mode": "lines",
              "name": t(f"band_{level}", lang), "hoverinfo": "skip", "legendrank": 1000 + level} for level in (95, 80)]
    central = {"type": "scatter", "x": x, "y": col("mean"), "name": t(name_key, lang), "mode": "lines+markers",
               "customdata": [list(r) for r in zip(col("lower_80"), col("upper_80"), col("lower_95"), col("upper_95"))],
               "line": {"color": COLORS["projection"], "width": 2.5, "dash": "dash"}, "marker": {"size": 6},
               "hovertemplate": _fan_hover(lang, name_key), "legendrank": 1010}
    return [*bands, central]


def _fan_hover(lang: str, name_key: str = "projection") -> str:
    sep = colon(lang)
    bands = "".join(
        f"<br>{t(key, lang)}{sep}%{{customdata[{i}]:.1f}} – %{{customdata[{i + 1}]:.1f}}"
        for i, key in ((0, "band_80"), (2, "band_95"))
    )
    return f"%{{x}}<br>%{{y:.1f}}{bands}<extra>{t(name_key, lang)}</extra>"


def _official(view: IndicatorView, lang: str) -> list[dict]:
    """One marker series per publication; on annual charts each publisher sits a little off the year
    so that two equal projections (IMF and government both at 2.5 %) stay visible side by side."""
    groups = list(view.official.groupby(["publisher", "published"], sort=False))
    traces = []
    for i, ((pub, published), rows) in enumerate(groups):
        symbol, color = OFFICIAL_STYLES[i % len(OFFICIAL_STYLES)]
        name = f"{plotly_text(publisher(pub, lang))} ({fmt_date(published, lang)})"
        x = x_values(rows["target_period"], view.frequency)
        if view.frequency == "A" and len(groups) > 1:
            x = [year + 0.3 * (i / (len(groups) - 1) - 0.5) for year in x]
        traces.append({
            "type": "scatter", "x": x, "y": _floats(rows["value"]), "mode": "markers", "name": name,
            "customdata": [str(p) for p in rows["target_period"]], "legendrank": 1100 + i,
            "marker": {"symbol": symbol, "size": 11, "color": color, "line": {"color": "white", "width": 1}},
            "hovertemplate": f"%{{customdata}}<br>%{{y:.1f}}<extra>{name}</extra>",
        })
    return traces


def _norm_line(view: IndicatorView, lang: str) -> tuple[list[dict], list[dict]]:
    """The norm as a dashed line across the plot, labelled on the line itself."""
    if view.norm is None:
        return [], []
    y = float(view.norm["threshold"])
    shape = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y, "layer": "below",
             "line": {"color": COLORS["norm"], "width": 2, "dash": "dash"}}
    label = {"text": norm_label(view.norm, view.indicator, lang), "xref": "paper", "x": 0, "xanchor": "left",
             "yref": "y", "y": y, "yanchor": "bottom", "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
             "font": {"color": COLORS["norm"], "size": 13}}
    return [shape], [label]


def _layout(view: IndicatorView, lang: str, names: list[str], compact: bool = False) -> dict:
    """Title and legend on top, provenance underneath; margins sized to what they hold, so nothing overlaps."""
    lines = [w for line in source_lines(view, lang) for w in _wrap(line, 58 if compact else 150)]
    legend_rows = len(names) if compact else _legend_rows(names)
    heading = title(view, lang).replace(" — ", "<br>") if compact else title(view, lang)
    top = (92 if compact else 80) + LEGEND_ROW_PX * legend_rows
    bottom = 50 + LINE_PX * len(lines)
    shapes, labels = _norm_line(view, lang)
    provenance = [{"text": text, "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                   "xshift": -40 if compact else -50, "yshift": -34 - LINE_PX * i, "showarrow": False,
                   "font": {"size": 11, "color": COLORS["muted"]}, "align": "left"} for i, text in enumerate(lines)]
    grid = {"showgrid": True, "gridcolor": COLORS["grid"], "showline": False, "ticks": ""}
    return {
        "template": "none", "plot_bgcolor": "white", "paper_bgcolor": "white", "separators": SEPARATORS[lang],
        "height": (330 if compact else 380) + top + bottom, "hovermode": "closest",
        "font": {"family": FONT, "color": COLORS["text"], "size": 12 if compact else 13},
        "title": {"text": f"<b>{heading}</b>", "subtitle": {"text": unit_text(view.indicator, lang)},
                  "x": 0.02 if compact else 0.01, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
                  "font": {"size": 16 if compact else 19}, "pad": {"t": 14}},
        "margin": {"l": 48 if compact else 60, "r": 12 if compact else 20, "t": top, "b": bottom},
        "legend": {"orientation": "v" if compact else "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                   "font": {"size": 12}, "traceorder": "normal"},
        "shapes": shapes, "annotations": [*labels, *provenance],
        "xaxis": {**grid, **_x_range(view, compact)},
        "yaxis": {**grid, "title": {"text": INDICATORS[view.indicator].unit_label(lang)}, "zeroline": True,
                  "zerolinecolor": "#9e9e9e", "automargin": True},
        "meta": {"country": view.country, "indicator": view.indicator, "run": (view.run or {}).get("id")},
    }


def _legend_rows(names: list[str], width_px: int = 1000) -> int:
    """Lines a horizontal legend takes (about 7 px a character, 45 px a symbol). Plotly puts entries
    on one line when they fit, else on a grid of equal columns as wide as the widest entry."""
    needs = [45 + 7 * len(name or "") for name in names]
    if sum(needs) <= width_px:
        return 1
    per_row = max(1, width_px // max(needs))
    return -(-len(needs) // per_row)


def _wrap(text: str, width: int) -> list[str]:
    """Plotly annotations do not wrap: break long provenance lines at spaces."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _x_range(view: IndicatorView, compact: bool = False) -> dict:
    """Annual axes: whole years only, opening on the recent past (the rest is a pan away)."""
    if view.frequency != "A":
        return {}
    years = [*x_values(view.history["period"], "A"), *x_values(view.projection["period"], "A"),
             *x_values(view.official["target_period"], "A")]
    if not years:
        return {"dtick": 1, "tickformat": "d"}
    end = max(years)
    start = max(min(years), end - (WINDOW_YEARS // 2 if compact else WINDOW_YEARS))
    span = end - start
    dtick = 1 if span <= (6 if compact else 10) else 2 if span <= 20 else 5
    return {"range": [start - 0.5, end + 0.5], "dtick": dtick, "tickformat": "d"}


def sparkline(view: IndicatorView, lang: str = "fr") -> go.Figure:
    """A card's small chart: the last dozen observations and the projection, no axes, no modebar."""
    return go.Figure(sparkline_dict(view, lang))


def sparkline_dict(view: IndicatorView, lang: str = "fr") -> dict:
    h, p = view.history.tail(12), view.projection
    line = {"type": "scatter", "mode": "lines", "hoverinfo": "skip"}
    data = [{**line, "x": x_values(h["period"], view.frequency), "y": _floats(h["value"]),
             "line": {"color": COLORS["history"], "width": 2}}]
    if not p.empty and len(h):
        data.append({**line, "x": x_values([h["period"].iloc[-1], *p["period"]], view.frequency),
                     "y": [float(h["value"].iloc[-1]), *_floats(p["mean"])],
                     "line": {"color": COLORS["projection"], "width": 2, "dash": "dot"}})
    shapes, _ = _norm_line(view, lang)
    for shape in shapes:
        shape["line"]["width"] = 1
    hidden = {"visible": False, "fixedrange": True}
    return {"data": data, "layout": {
        "template": "none", "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)", "height": 70,
        "margin": {"l": 2, "r": 2, "t": 4, "b": 4}, "showlegend": False, "shapes": shapes,
        "separators": SEPARATORS[lang_or_default(lang)], "xaxis": hidden, "yaxis": hidden}}


# --- scenarios -------------------------------------------------------------------------------


def scenario_figure(view: IndicatorView, scenario: pd.DataFrame | None, lang: str = "fr",
                    compact: bool = False) -> go.Figure:
    """Growth under a gold path beside the run's own projection: the fan is the baseline, the line the scenario."""
    lang = lang_or_default(lang)
    extra = []
    if scenario is not None and len(scenario):
        anchor = view.latest()
        periods = ([anchor[0]] if anchor else []) + list(scenario["period"])
        extra.append({
            "type": "scatter", "x": x_values(periods, view.frequency), "name": t("scenario", lang),
            "y": ([anchor[1]] if anchor else []) + _floats(scenario["mean"]), "mode": "lines+markers",
            "line": {"color": SCENARIO_COLOR, "width": 3}, "marker": {"size": 8, "symbol": "circle-open"},
            "hovertemplate": f"%{{x}}<br>%{{y:.1f}}<extra>{t('scenario', lang)}</extra>", "legendrank": 1020,
        })
    figure = figure_dict(view, lang, compact, extra)
    for trace in figure["data"]:
        if trace["name"] == t("projection", lang):
            trace["name"] = t("baseline", lang)
            trace["hovertemplate"] = _fan_hover(lang, "baseline")
    return go.Figure(figure)


# --- the data twin ----------------------------------------------------------------------------

TABLE_KEYS = ["country", "indicator", "unit", "kind", "period", "value", "lower_80", "upper_80", "lower_95", "upper_95",
              "p_breach", "publisher", "published", "source"]


def figure_table(view: IndicatorView, lang: str = "fr") -> pd.DataFrame:
    """Exactly the figures the chart draws, one row each, with their source; headers in ``lang``.

    Numbers stay numbers (so a spreadsheet can compute with them); only labels are translated.
    """
    lang = lang_or_default(lang)
    return _table(view, [_history_rows(view, lang), _projection_rows(view, lang), _official_rows(view, lang)], lang)


def scenario_table(view: IndicatorView, scenario: pd.DataFrame | None, lang: str = "fr") -> pd.DataFrame:
    """The scenario chart's data twin (``scenario_figure``): history, the baseline projection, the official
    projections and the scenario's path, one row each; headers in ``lang``."""
    lang = lang_or_default(lang)
    baseline = _projection_rows(view, lang).assign(kind=t("baseline", lang))
    parts = [_history_rows(view, lang), baseline, _official_rows(view, lang)]
    if scenario is not None and len(scenario):
        parts.append(scenario.rename(columns={"mean": "value"}).assign(
            kind=t("scenario", lang), source=f"econ — {t('scenario', lang)}, {run_text(view, lang)}"))
    return _table(view, parts, lang)


def _table(view: IndicatorView, parts: list[pd.DataFrame], lang: str) -> pd.DataFrame:
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.reindex(columns=TABLE_KEYS)
    frame["country"] = countries.name(view.country, lang)
    frame["indicator"] = INDICATORS[view.indicator].label(lang)
    frame["unit"] = INDICATORS[view.indicator].unit_label(lang)
    frame = frame.astype({k: "float64" for k in ("value", "lower_80", "upper_80", "lower_95", "upper_95", "p_breach")})
    return frame.rename(columns={k: t(f"col_{k}", lang) for k in TABLE_KEYS})


def _history_rows(view: IndicatorView, lang: str) -> pd.DataFrame:
    return view.history.assign(kind=t("kind_history", lang))


def _projection_rows(view: IndicatorView, lang: str) -> pd.DataFrame:
    p = view.projection.rename(columns={"mean": "value"})
    return p.assign(kind=t("kind_projection", lang), source=f"econ — {run_text(view, lang)}")


def _official_rows(view: IndicatorView, lang: str) -> pd.DataFrame:
    o = view.official.rename(columns={"target_period": "period", "reference": "source"})
    return o.assign(kind=t("kind_official", lang), publisher=[publisher(p, lang) for p in o["publisher"]])


# --- norms ------------------------------------------------------------------------------------

AMBER_FROM = 0.2  # a projection with at least this chance of breaching is flagged, even if its centre complies
RED_FROM = 0.5


def norm_status(compliant: bool | None, p_breach: float | None = None) -> str:
    """``green``, ``amber``, ``red`` (or ``none``): the mark shown beside a value measured against a norm.

    A breach now is red unless the next year is likely back within the norm (amber); a value within the
    norm turns amber when the projection gives a real chance of breaching, red when breach is more likely than not.
    """
    p = None if p_breach is None or pd.isna(p_breach) else float(p_breach)
    known = compliant is not None and not pd.isna(compliant)
    if p is not None and p >= RED_FROM:
        return "red"
    if known and not compliant:
        return "red" if p is None else "amber"
    if p is not None and p >= AMBER_FROM:
        return "amber"
    return "green" if known or p is not None else "none"


def compliant(value: float | None, norm: dict | None) -> bool | None:
    if norm is None or value is None or pd.isna(value):
        return None
    ops = {"<=": value <= norm["threshold"], ">=": value >= norm["threshold"],
           "<": value < norm["threshold"], ">": value > norm["threshold"]}
    return bool(ops[norm["comparison"]])


SCORECARD_COLUMNS = ["country", "norm_code", "indicator", "comparison", "threshold", "label_fr", "label_en", "period",
                     "kind", "value", "lower_80", "upper_80", "p_breach", "compliant"]


def scorecard_cells(scorecard: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The convergence scorecard as display cells: one row per (country, criterion, period), with its mark.

    Columns: country, country_name, norm_code, criterion, period, kind, value, text, p_breach, status.
    The dashboard lays them out as countries by criteria; exports keep them long.
    """
    lang = lang_or_default(lang)
    if scorecard is None or scorecard.empty:
        return pd.DataFrame(columns=["country", "country_name", "norm_code", "criterion", "period", "kind", "value",
                                     "text", "p_breach", "status"])
    frame = scorecard.copy()
    frame["country_name"] = [countries.name(c, lang) for c in frame["country"]]
    frame["criterion"] = [INDICATORS[i].label(lang) if i in INDICATORS else i for i in frame["indicator"]]
    frame["text"] = [_cell_text(r, lang) for r in frame.itertuples()]
    frame["status"] = [
        norm_status(r.compliant, r.p_breach if r.kind == "projection" else None) for r in frame.itertuples()
    ]
    return frame[["country", "country_name", "norm_code", "criterion", "period", "kind", "value", "text", "p_breach",
                  "status"]].reset_index(drop=True)


def _cell_text(row, lang: str) -> str:
    unit = INDICATORS[row.indicator].unit_label(lang) if row.indicator in INDICATORS else ""
    value = fmt_percent(row.value, lang) if unit.startswith("%") else fmt_number(row.value, lang)
    if row.kind == "projection" and not pd.isna(row.p_breach):
        return f"{value} (p\u00a0=\u00a0{fmt_probability(row.p_breach, lang)})"
    return value
