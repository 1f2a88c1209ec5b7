"""File downloads: the dashboard's chart as PNG / SVG / PDF and its data twin as CSV / Excel.

The chart is the page's own figure (``econ.charts``) rendered by the process's one export
browser; the data file holds exactly the figures plotted, with a Sources sheet (Excel) or
source columns (CSV). Both follow ``lang`` (fr, en, pt), file names included:
``econ_<country>_<indicator in words>_<date>_<lang>.<ext>`` (``export.file_name``), the date
being ``as_of`` when given, else today (UTC).

With ``gold=2025:70,2026:80`` (years and tonnes) and ``indicator=gdp_growth`` both routes serve the
Scenarios page's chart and table instead: growth under that gold production path, from the latest
run's fitted model (``econ.forecast.scenario``). With ``countries=MLI,SEN,BFA`` they serve the
Compare page's chart and every series it shows.
"""

from __future__ import annotations

import io
import re

import flask
from flask import Blueprint, request

from dashboard.api import (
    STORE_ERRORS,
    ApiError,
    as_of_arg,
    choice_arg,
    country_arg,
    engine,
    error_response,
    indicator_arg,
    store_error,
)
from econ import countries, export
from econ.i18n import LANGS
from econ.plausibility import ranges

bp = Blueprint("econ_downloads", __name__, url_prefix="/download")


def register(server: flask.Flask, engine=None) -> None:
    """Adds the download routes (the API's ``register`` names the store; this one shares it)."""
    from dashboard.api import ENGINE_KEY

    if engine is not None or ENGINE_KEY not in server.extensions:
        server.extensions[ENGINE_KEY] = engine
    server.register_blueprint(bp)


@bp.errorhandler(ApiError)
def _refused(err: ApiError):
    return error_response(err)


for _kind in STORE_ERRORS:
    bp.register_error_handler(_kind, store_error)


def _series_args():
    return country_arg(), indicator_arg(), choice_arg("lang", LANGS, "fr"), as_of_arg()


def compare_arg() -> list[str] | None:
    """``countries=MLI,SEN,BFA``: the Compare page's members (known codes, at most the union's eight), or None."""
    from dashboard.state import parse_countries

    raw = request.args.get("countries", "").strip()
    if not raw:
        return None
    if not re.fullmatch(COUNTRIES_PATTERN, raw):
        raise ApiError(400, f"countries must list country codes, up to 8 (countries=MLI,SEN,BFA), not {raw[:80]!r}")
    codes = parse_countries(raw)
    if not codes:
        raise ApiError(400, f"countries must list country codes (countries=MLI,SEN,BFA), not {raw!r}")
    return codes.split(",")


def _attachment(data: bytes, fmt: str, country: str, indicator: str, as_of, lang: str = "fr",
                kind: str | None = None) -> flask.Response:
    name = export.file_name(country, indicator, fmt, as_of.date() if as_of else None, lang, kind)
    return flask.send_file(io.BytesIO(data), mimetype=export.MEDIA_TYPES[fmt], as_attachment=True, download_name=name)


# Years 1900-2100, tonnes from 0 to 5000 (the bundled plausible range) with up to 3 decimals: the
# OpenAPI document publishes this same pattern, so what it calls valid is what is accepted.
TONNES = r"(?:[0-4]?[0-9]{1,3}(?:\.[0-9]{1,3})?|5000(?:\.0{1,3})?)"
GOLD_ITEM = rf"(?:19[0-9]{{2}}|20[0-9]{{2}}|2100):{TONNES}"
GOLD_YEARS = 30
GOLD_PATTERN = rf"^{GOLD_ITEM}(?:,{GOLD_ITEM}){{0,{GOLD_YEARS - 1}}}$"
# Up to 8 known codes (the union's size, ``dashboard.state.MAX_COMPARED``), upper case, comma-separated.
_CODE = "(?:" + "|".join(countries.codes()) + ")"
COUNTRIES_PATTERN = rf"^{_CODE}(?:,{_CODE}){{0,7}}$"


def gold_arg(indicator: str, as_of) -> dict[str, float] | None:
    """``gold=2025:70,2026:80``: a gold production path (year: tonnes), or None.

    The Scenarios page's chart exists for growth only and for the latest run, so ``gold`` with
    another indicator or with ``as_of`` asks for something that does not exist (404). A repeated
    year takes its last value, as a form filled twice would.
    """
    raw = request.args.get("gold", "").strip()
    if not raw:
        return None
    if not re.fullmatch(GOLD_PATTERN, raw):
        raise ApiError(400, f"gold must read year:tonnes,... (2025:70,2026:80): years 1900 to 2100, tonnes from 0 to "
                            f"5000 with up to 3 decimals, at most {GOLD_YEARS} pairs; not {raw[:60]!r}")
    if indicator != export.SCENARIO_INDICATOR:
        raise ApiError(404, f"there is no gold scenario for {indicator}: scenarios move {export.SCENARIO_INDICATOR} only")
    if as_of is not None:
        raise ApiError(404, "there is no gold scenario as of a past date: scenarios use the latest run")
    path = {year: float(tonnes) for year, tonnes in (item.split(":") for item in raw.split(","))}
    bounds = ranges()["gold_production"]
    wrong = [v for v in path.values() if not bounds.holds(v)]
    if wrong:
        raise ApiError(400, f"gold: {wrong[0]:g} tonnes is outside the plausible range ({bounds.text()}: {bounds.reason})")
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
    members = compare_arg()
    if members:
        data = _exported(lambda: export.compare_chart_bytes(engine(), members, indicator, fmt, lang=lang, as_of=as_of))
        return _attachment(data, fmt, "-".join(members), indicator, as_of, lang, "compare")
    gold = gold_arg(indicator, as_of)
    if gold is not None:
        data = _scenario(lambda: export.scenario_chart_bytes(engine(), country, gold, fmt, lang=lang))
        return _attachment(data, fmt, country, indicator, None, lang, "scenario")
    data = _exported(lambda: export.chart_bytes(engine(), country, indicator, fmt, lang=lang, as_of=as_of))
    return _attachment(data, fmt, country, indicator, as_of, lang)


@bp.get("/data")
def data():
    """The figures behind the chart, with their provenance."""
    fmt = choice_arg("format", export.DATA_FORMATS)
    country, indicator, lang, as_of = _series_args()
    members, gold = compare_arg(), gold_arg(indicator, as_of)
    if members:
        table, metadata = _exported(lambda: export.compare_data(engine(), members, indicator, lang=lang, as_of=as_of))
        country, kind = "-".join(members), "compare"
    elif gold is not None:
        table, metadata = _scenario(lambda: export.scenario_data(engine(), country, gold, lang=lang))
        kind, as_of = "scenario", None
    else:
        table, metadata = _exported(lambda: export.series_table(engine(), country, indicator, lang=lang, as_of=as_of))
        kind = None
    sheet = export.sheet_name(country, indicator, lang, kind)
    return _attachment(export.table_bytes(table, fmt, lang, metadata, sheet), fmt, country, indicator, as_of, lang, kind)

