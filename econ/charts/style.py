"""What every chart shares: colours, periods on the x axis, gaps, the frame (title, legend, provenance).

Figures are built as plain dicts (Plotly's JSON) and wrapped in ``go.Figure`` only at the end:
graph_objects validate every property as it is set, which made a chart cost 50-70 ms to build;
the dict costs about 1 ms and the dashboard caches it as is.
"""

from __future__ import annotations

import pandas as pd

from econ.i18n import separators
from econ.schema import period_start

# Colours chosen for contrast on white (all text colours pass WCAG AA) and for colour-blind readers.
COLORS = {
    "history": "#1f4e79",
    "projection": "#a64b00",
    "band_80": "rgba(166, 75, 0, 0.30)",
    "band_95": "rgba(166, 75, 0, 0.13)",
    "norm": "#b00020",
    "average": "#2e7d32",
    "union": "#1a1a1a",
    "text": "#1a1a1a",
    "muted": "#4d4d4d",
    "grid": "#e3e3e3",
}
OFFICIAL_STYLES = [  # (symbol, colour) per publisher, in order of appearance
    ("diamond", "#2e7d32"), ("square", "#6a1b9a"), ("triangle-up", "#00695c"), ("x", "#37474f"), ("star", "#795548"),
]
# How much larger a symbol must be drawn to look as large as a square of the same nominal size
# (a triangle fills half its box: at 10 px inside a white outline it read as a dot).
SYMBOL_SCALE = {"triangle-up": 1.4, "star": 1.3}
SERIES_COLORS = ["#1f4e79", "#a64b00", "#2e7d32", "#6a1b9a", "#00695c", "#795548", "#37474f", "#ad1457"]
WINDOW_YEARS = 16  # annual charts open on the last years of history; the rest is a pan away
WINDOW_MONTHS = 96
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
LINE_PX = 17  # height of a line of the source block
LEGEND_ROW_PX = 21
PANDAS_FREQ = {"A": "Y", "M": "M", "Q": "Q"}


def x_values(periods, frequency: str) -> list:
    """Years as integers on annual charts (with ``dtick`` set, no ``2,021.5``); ISO dates otherwise."""
    if frequency == "A":
        return [int(p) for p in periods]
    return [period_start(str(p)).date().isoformat() for p in periods]


def floats(values) -> list:
    return [None if pd.isna(v) else float(v) for v in values]


def full_periods(periods, frequency: str) -> list[str]:
    """Every period from the first to the last of ``periods``, the missing ones included."""
    if len(periods) == 0:
        return []
    index = pd.PeriodIndex([str(p) for p in periods], freq=PANDAS_FREQ[frequency])
    return [str(p) for p in pd.period_range(index.min(), index.max(), freq=PANDAS_FREQ[frequency])]


def gapped(periods, values, frequency: str) -> tuple[list, list]:
    """x and y with an empty point at each missing period, so that a line breaks where data are missing
    instead of running straight across the gap."""
    known = dict(zip((str(p) for p in periods), floats(values)))
    every = full_periods(list(known), frequency)
    return x_values(every, frequency), [known.get(p) for p in every]


def legend_rows(names: list[str], width_px: int = 1000) -> int:
    """Lines a horizontal legend takes (about 7 px a character, 45 px a symbol). Plotly puts entries
    on one line when they fit, else on a grid of equal columns as wide as the widest entry."""
    needs = [45 + 7 * len(name or "") for name in names]
    if sum(needs) <= width_px:
        return 1
    per_row = max(1, width_px // max(needs))
    return -(-len(needs) // per_row)


def wrap(text: str, width: int) -> list[str]:
    """Plotly annotations do not wrap: break long provenance lines at spaces."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def norm_trace(threshold: float, label: str) -> tuple[dict, dict]:
    """The norm: a dashed line across the plot (a shape) named in the legend, where its label cannot
    sit on the data."""
    shape = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": threshold, "y1": threshold,
             "layer": "below", "line": {"color": COLORS["norm"], "width": 2, "dash": "dash"}}
    entry = {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": label, "hoverinfo": "skip",
             "line": {"color": COLORS["norm"], "width": 2, "dash": "dash"}, "legendrank": 1200}
    return shape, entry


def window_range(data: list[dict], xaxis: dict, shapes: list | None = None, pad: float = 0.06) -> list[float] | None:
    """The value axis fitted to what the opening window shows (its traces and the norm's line), not to
    the whole history: Mali's 1994 devaluation must not squash today's 2-6 % into a strip. ``None``
    (Plotly's own autorange) when the window shows nothing."""
    low_x, high_x = (xaxis.get("range") or [None, None])[:2]
    values = [float(s["y0"]) for s in shapes or [] if s.get("yref") == "y" and s.get("y0") is not None]
    for trace in data:
        for x, y in zip(trace.get("x") or [], trace.get("y") or []):
            if x is None or y is None or low_x is not None and isinstance(x, str) != isinstance(low_x, str):
                continue
            if (low_x is None or low_x <= x <= high_x) and y == y:
                values.append(float(y))
    if not values:
        return None
    low, high = min(values), max(values)
    margin = pad * (high - low) or max(abs(high), 1.0) * pad
    return [low - margin, high + margin]


def frame_layout(heading: str, subtitle: str, sources: list[str], names: list[str], lang: str, compact: bool,
                 y_title: str, xaxis: dict, shapes: list | None = None, meta: dict | None = None,
                 data: list | None = None) -> dict:
    """Title and legend on top, provenance underneath; margins sized to what they hold, so nothing
    overlaps. With ``data``, the value axis opens on the window the time axis opens on."""
    lines = [w for line in sources for w in wrap(line, 58 if compact else 150)]
    rows = len(names) if compact else legend_rows(names)
    top = (92 if compact else 80) + LEGEND_ROW_PX * rows
    bottom = 50 + LINE_PX * len(lines)
    provenance = [{"text": text, "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                   "xshift": -40 if compact else -50, "yshift": -34 - LINE_PX * i, "showarrow": False,
                   "font": {"size": 11, "color": COLORS["muted"]}, "align": "left"} for i, text in enumerate(lines)]
    grid = {"showgrid": True, "gridcolor": COLORS["grid"], "showline": False, "ticks": ""}
    y_range = window_range(data, xaxis, shapes) if data else None
    title = heading.replace(" — ", "<br>") if compact else heading
    return {
        "template": "none", "plot_bgcolor": "white", "paper_bgcolor": "white", "separators": separators(lang),
        "height": (330 if compact else 380) + top + bottom, "hovermode": "closest",
        "font": {"family": FONT, "color": COLORS["text"], "size": 12 if compact else 13},
        "title": {"text": f"<b>{title}</b>", "subtitle": {"text": subtitle},
                  "x": 0.02 if compact else 0.01, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
                  "font": {"size": 16 if compact else 19}, "pad": {"t": 14}},
        "margin": {"l": 48 if compact else 60, "r": 12 if compact else 20, "t": top, "b": bottom},
        "legend": {"orientation": "v" if compact else "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                   "font": {"size": 12}, "traceorder": "normal"},
        "shapes": shapes or [], "annotations": provenance,
        "xaxis": {**grid, **xaxis},
        "yaxis": {**grid, "title": {"text": y_title}, "zeroline": True, "zerolinecolor": "#9e9e9e", "automargin": True,
                  **({"range": y_range} if y_range else {})},
        "meta": {**(meta or {}), "lang": lang, "title": heading},
    }


def year_axis(years: list[int], compact: bool = False) -> dict:
    """Annual axes: whole years only, opening on the recent past (the rest is a pan away)."""
    if not years:
        return {"dtick": 1, "tickformat": "d"}
    end = max(years)
    start = max(min(years), end - (WINDOW_YEARS // 2 if compact else WINDOW_YEARS))
    span = end - start
    dtick = 1 if span <= (6 if compact else 10) else 2 if span <= 20 else 5
    return {"range": [start - 0.5, end + 0.5], "dtick": dtick, "tickformat": "d"}


def month_axis(dates: list[str], compact: bool = False) -> dict:
    """Monthly axes: dates, opening on the last eight years (four on a phone)."""
    if not dates:
        return {"type": "date"}
    end = pd.Timestamp(max(dates))
    start = max(pd.Timestamp(min(dates)), end - pd.DateOffset(months=WINDOW_MONTHS // (2 if compact else 1)))
    pad = pd.Timedelta(days=20)
    return {"type": "date", "range": [(start - pad).date().isoformat(), (end + pad).date().isoformat()],
            "tickformatstops": MONTH_TICKS}


# Every tick says its year: zoomed in, Plotly's default writes "Dec 15" with the year on the first tick only
MONTH_TICKS = [{"dtickrange": [None, "M1"], "value": "%d %b %Y"}, {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
               {"dtickrange": ["M12", None], "value": "%Y"}]
