"""File downloads: the dashboard's chart as PNG / SVG / PDF and its data twin as CSV / Excel.

The chart is the page's own figure (``econ.charts``) rendered by the process's one export
browser; the data file holds exactly the figures plotted, with a Sources sheet (Excel) or
source columns (CSV). Files are named ``econ_<country>_<indicator>_<date>.<ext>``, the date
being ``as_of`` when given, else today (UTC).
"""

from __future__ import annotations

import io

import flask
from flask import Blueprint

from dashboard.api import ApiError, as_of_arg, choice_arg, country_arg, engine, indicator_arg, json_response
from econ import export

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
    return json_response({"error": err.message, **err.extra}, err.status)


def _series_args():
    return country_arg(), indicator_arg(), choice_arg("lang", LANGS, "fr"), as_of_arg()


def _attachment(data: bytes, fmt: str, country: str, indicator: str, as_of) -> flask.Response:
    name = export.file_name(country, indicator, fmt, as_of.date() if as_of else None)
    return flask.send_file(io.BytesIO(data), mimetype=export.MEDIA_TYPES[fmt], as_attachment=True, download_name=name)


@bp.get("/chart")
def chart():
    """The chart as shown on the page, sized for a slide."""
    fmt = choice_arg("format", export.CHART_FORMATS)
    country, indicator, lang, as_of = _series_args()
    try:
        data = export.chart_bytes(engine(), country, indicator, fmt, lang=lang, as_of=as_of)
    except export.SeriesNotFound as err:
        raise ApiError(404, str(err)) from None
    except export.ExportError as err:
        raise ApiError(503, f"chart export is unavailable on this server: {err}") from None
    return _attachment(data, fmt, country, indicator, as_of)


@bp.get("/data")
def data():
    """The figures behind the chart, with their provenance."""
    fmt = choice_arg("format", export.DATA_FORMATS)
    country, indicator, lang, as_of = _series_args()
    try:
        table, metadata = export.series_table(engine(), country, indicator, lang=lang, as_of=as_of)
    except export.SeriesNotFound as err:
        raise ApiError(404, str(err)) from None
    sheet = f"{country} {indicator}"
    return _attachment(export.table_bytes(table, fmt, lang, metadata, sheet), fmt, country, indicator, as_of)
