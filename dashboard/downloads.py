"""File downloads: the dashboard's chart as PNG / SVG / PDF and its data twin as CSV / Excel.

The chart is the page's own figure (``econ.charts``) rendered by the process's one export
browser; the data file holds exactly the figures plotted, with a Sources sheet (Excel) or
source columns (CSV). Files are named ``econ_<country>_<indicator>_<date>.<ext>``, the date
being ``as_of`` when given, else today (UTC).

With ``gold=2025:70,2026:80`` (years and tonnes) and ``indicator=gdp_growth`` both routes serve the
Scenarios page's chart and table instead: growth under that gold production path, from the latest
run's fitted model (``econ.forecast.scenario``), named ``econ_<country>_gdp_growth_scenario_<date>``.
"""

from __future__ import annotations

import io
import math
import re

import flask
from flask import Blueprint, request

from dashboard.api import ApiError, as_of_arg, choice_arg, country_arg, engine, indicator_arg, store_error
from dashboard.api import _api_error as api_error
from econ import export
from econ.plausibility import ranges

bp = Blueprint("econ_downloads", __name__, url_prefix="/download")
LANGS = ("fr", "en")


def register(server: flask.Flask, engine=None) -> None:
    """Adds the download routes (the API's ``register`` names the store; this one shares it)."""
    from dashboard.api import ENGINE_KEY

    if engine is not None or ENGINE_KEY not in server.extensions:
        server.extensions[ENGINE_KEY] = engine
    server.register_blueprint(bp)


@bp.errorhandler(ApiError)
def _refused(err: ApiError):
    return api_error(err)


bp.register_error_handler(Exception, store_error)


def _series_args():
    return country_arg(), indicator_arg(), choice_arg("lang", LANGS, "fr"), as_of_arg()


def _attachment(data: bytes, fmt: str, country: str, indicator: str, as_of) -> flask.Response:
    name = export.file_name(country, indicator, fmt, as_of.date() if as_of else None)
    return flask.send_file(io.BytesIO(data), mimetype=export.MEDIA_TYPES[fmt], as_attachment=True, download_name=name)


YEAR = re.compile(r"\d{4}")
GOLD_YEARS = 30


def gold_arg(indicator: str, as_of) -> dict[str, float] | None:
    """``gold=2025:70,2026:80``: a gold production path (four-digit year: tonnes within the plausible
    range of gold production, 0 to 5,000 t as shipped), or None."""
    raw = request.args.get("gold", "").strip()
    if not raw:
        return None
    if indicator != export.SCENARIO_INDICATOR:
        raise ApiError(400, f"gold applies to indicator={export.SCENARIO_INDICATOR} only (the Scenarios chart)")
    if as_of is not None:
        raise ApiError(400, "gold cannot be combined with as_of: a scenario uses the latest run")
    path, bounds = {}, ranges()["gold_production"]
    for item in raw.split(",")[:GOLD_YEARS + 1]:
        year, sep, tonnes = (part.strip() for part in item.partition(":"))
        try:
            value = float(tonnes)
        except ValueError:
            value = math.nan
        if not sep or not YEAR.fullmatch(year) or not math.isfinite(value) or value < 0 or year in path:
            raise ApiError(400, f"gold must read year:tonnes,... with four-digit years and non-negative tonnes "
                                f"(2025:70,2026:80), not {item.strip()[:50]!r}")
        if not bounds.holds(value):
            raise ApiError(400, f"gold: {value:g} tonnes is outside the plausible range ({bounds.text()}: {bounds.reason})")
        path[year] = value
    if len(path) > GOLD_YEARS:
        raise ApiError(400, f"gold: at most {GOLD_YEARS} years")
    return path


def _exported(make):
    """An export, its failures as the API's errors: no such series (404), no export browser (503)."""
    try:
        return make()
    except export.SeriesNotFound as err:
        raise ApiError(404, str(err)) from None
    except export.ExportError as err:
        raise ApiError(503, f"chart export is unavailable on this server: {err}") from None


def _scenario(make):
    """A scenario's export: also no growth-on-gold model in the latest run (404) and a path that
    misses a year the model needs (400)."""
    try:
        return _exported(make)
    except LookupError as err:
        raise ApiError(404, str(err)) from None
    except ValueError as err:
        raise ApiError(400, str(err)) from None


@bp.get("/chart")
def chart():
    """The chart as shown on the page, sized for a slide."""
    fmt = choice_arg("format", export.CHART_FORMATS)
    country, indicator, lang, as_of = _series_args()
    gold = gold_arg(indicator, as_of)
    if gold is not None:
        data = _scenario(lambda: export.scenario_chart_bytes(engine(), country, gold, fmt, lang=lang))
        return _attachment(data, fmt, country, f"{indicator}_scenario", None)
    data = _exported(lambda: export.chart_bytes(engine(), country, indicator, fmt, lang=lang, as_of=as_of))
    return _attachment(data, fmt, country, indicator, as_of)


@bp.get("/data")
def data():
    """The figures behind the chart, with their provenance."""
    fmt = choice_arg("format", export.DATA_FORMATS)
    country, indicator, lang, as_of = _series_args()
    gold = gold_arg(indicator, as_of)
    if gold is not None:
        table, metadata = _scenario(lambda: export.scenario_data(engine(), country, gold, lang=lang))
        name, sheet, as_of = f"{indicator}_scenario", f"{country} {indicator} scenario", None
    else:
        table, metadata = _exported(lambda: export.series_table(engine(), country, indicator, lang=lang, as_of=as_of))
        name, sheet = indicator, f"{country} {indicator}"
    return _attachment(export.table_bytes(table, fmt, lang, metadata, sheet), fmt, country, name, as_of)
