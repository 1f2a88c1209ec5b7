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

Files are kept in the export cache (``econ.cache``), keyed by everything that determines their
bytes, the store's generation included, so a repeated download costs one small query and a file
read, and a new load or run makes a new file. Every answer carries a strong ``ETag`` (key and
content digests) and ``Last-Modified`` (when the store last changed: its newest load or run, the
moment what the file shows last changed; the ETag decides when both are sent), and ``Cache-Control:
public, max-age=0, must-revalidate``: the files hold public figures, the same for every reader,
but a new load may change them at any time, so a browser or proxy may keep one and must ask again;
the answer is then ``304 Not Modified`` (werkzeug's conditional machinery, ranges included).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from functools import partial

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
    once_each,
    store_error,
)
from econ import countries, export
from econ.cache import CachedFile, ExportKey, export_cache
from econ.i18n import LANGS
from econ.plausibility import ranges
from econ.store.repository import generation
from econ.version import code_version

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


bp.before_request(once_each)


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


CACHE_CONTROL = "public, max-age=0, must-revalidate"
IN_MEMORY_BYTES = 2**20  # files up to this size are read whole: one read, and no open file left to the server


def _cached(kind: str, fmt: str, country: str, indicator: str, lang: str, as_of, scenario: str, make):
    """The export's file from the cache, made by ``make()`` (once, however many ask) when absent,
    and what to send: its bytes, or its path when large."""
    store = generation(engine())
    width, height, scale = export.chart_size(fmt) if kind == "chart" else (0, 0, 0)
    key = ExportKey(kind=kind, country=country, indicator=indicator, fmt=fmt, lang=lang, generation=store.token,
                    run=str(store.run) if store.run else "no run", as_of=as_of.isoformat() if as_of else "latest",
                    width=width, height=height, scale=scale, scenario=scenario, code=code_version())
    for _ in range(2):  # a file evicted by another worker between finding and reading it is made again
        cached = export_cache().fetch(key, make, store.changed_at)
        body = _body(cached)
        if body is not None:
            return cached, body
    raise ApiError(503, "the export cache is too small for this file (ECON_EXPORT_CACHE_MB): try again")


def _body(cached: CachedFile):
    """The file's bytes (small files, the cache off), its path (large ones, streamed), or None if it is gone."""
    if cached.path is None:
        return cached.data
    if cached.size > IN_MEMORY_BYTES:
        return cached.path
    try:
        return cached.path.read_bytes()
    except FileNotFoundError:
        return None


def _attachment(found: tuple, fmt: str, country: str, indicator: str, as_of, lang: str = "fr",
                kind: str | None = None) -> flask.Response:
    """The file as an attachment named for a folder; ``304`` when the client's copy is current."""
    cached, body = found
    name = export.file_name(country, indicator, fmt, as_of.date() if as_of else None, lang, kind)
    source = io.BytesIO(body) if isinstance(body, bytes) else body
    response = flask.send_file(source, mimetype=export.MEDIA_TYPES[fmt], as_attachment=True, download_name=name,
                               conditional=True, etag=cached.etag, last_modified=cached.last_modified)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


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
    another indicator or with ``as_of`` asks for something that does not exist (404). A year given
    twice is refused (400), as the Scenarios page refuses such a link: which of its values was meant?
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
    pairs = [item.split(":") for item in raw.split(",")]
    twice = [year for year, n in Counter(year for year, _ in pairs).items() if n > 1]
    if twice:
        raise ApiError(400, f"gold: the year {twice[0]} is given twice; give each year once ({raw[:60]!r})")
    path = {year: float(tonnes) for year, tonnes in pairs}
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


def _scenario_text(members: list[str] | None, gold: dict[str, float] | None) -> str:
    """The extra query in a normal form, for the cache key (``countries=MLI,SEN``, ``gold=2025:70,2026:80``)."""
    if members:
        return "countries=" + ",".join(members)
    if gold is not None:
        return "gold=" + ",".join(f"{year}:{tonnes:g}" for year, tonnes in sorted(gold.items()))
    return ""


@bp.get("/chart")
def chart():
    """The chart as shown on the page, sized for a slide."""
    fmt = choice_arg("format", export.CHART_FORMATS, "png")
    country, indicator, lang, as_of = _series_args()
    members = compare_arg()
    gold = None if members else gold_arg(indicator, as_of)
    if members:
        where, kind = "-".join(members), "compare"
        make = partial(_exported, partial(export.compare_chart_bytes, engine(), members, indicator, fmt, lang, as_of))
    elif gold is not None:
        where, kind = country, "scenario"
        make = partial(_scenario, partial(export.scenario_chart_bytes, engine(), country, gold, fmt, lang))
    else:
        where, kind = country, None
        make = partial(_exported, partial(export.chart_bytes, engine(), country, indicator, fmt, lang, as_of))
    cached = _cached("chart", fmt, where, indicator, lang, as_of, _scenario_text(members, gold), make)
    return _attachment(cached, fmt, where, indicator, as_of, lang, kind)


@bp.get("/data")
def data():
    """The figures behind the chart, with their provenance."""
    fmt = choice_arg("format", export.DATA_FORMATS, "csv")
    country, indicator, lang, as_of = _series_args()
    members, gold = compare_arg(), gold_arg(indicator, as_of)
    if members:
        where, kind = "-".join(members), "compare"
        read = partial(_exported, partial(export.compare_data, engine(), members, indicator, lang, as_of))
    elif gold is not None:
        where, kind, as_of = country, "scenario", None
        read = partial(_scenario, partial(export.scenario_data, engine(), country, gold, lang))
    else:
        where, kind = country, None
        read = partial(_exported, partial(export.series_table, engine(), country, indicator, lang, as_of))
    sheet = export.sheet_name(where, indicator, lang, kind)

    def make() -> bytes:
        table, metadata = read()
        return export.table_bytes(table, fmt, lang, metadata, sheet)

    cached = _cached("data", fmt, where, indicator, lang, as_of, _scenario_text(members, gold), make)
    return _attachment(cached, fmt, where, indicator, as_of, lang, kind)
