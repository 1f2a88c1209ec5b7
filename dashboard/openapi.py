"""The OpenAPI 3.1 description of ``/api/v1`` and ``/download``, served at ``/api/v1/openapi.json``.

Kept by hand beside the routes; ``tests/api/test_openapi.py`` fails when a served route (or
method) is missing here, or a documented one is not served, and ``tests/hardening/test_schemathesis.py``
runs schemathesis against the live app: every request this document calls valid must be accepted
(or answered 404 / 409 / 429 when there is nothing stored, a run is running, or too many came), so
each parameter says exactly what the server takes (enums, patterns, lengths, closed bodies).
``dashboard/security.py`` serves nothing under /api/v1 or /download that is not described here.
"""

from __future__ import annotations

from dashboard.downloads import COUNTRIES_PATTERN, GOLD_PATTERN
from econ import __version__, countries
from econ.export import CHART_FORMATS, DATA_FORMATS, MEDIA_TYPES
from econ.i18n import LANGS
from econ.schema import INDICATORS

STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
STR_OR_NULL, NUM_OR_NULL = {"type": ["string", "null"]}, {"type": ["number", "null"]}
BINARY = {"type": "string", "format": "binary"}
ERRORS = {
    400: "bad argument", 401: "no valid bearer token", 404: "nothing stored for this", 409: "a run is already running",
    413: "body too large (ECON_MAX_UPLOAD_MB, ECON_MAX_REQUEST_KB)", 415: "the body is not JSON",
    422: "well formed but refused (a file's content, a run dated after today); nothing stored",
    429: "too many write requests from this address (see Retry-After)",
    503: "the store is busy (see Retry-After), or chart export is unavailable", 507: "the server's disk is full",
}
# A moment: a date (the end of that day) or an RFC 3339 timestamp.
MOMENT = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}



def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _object(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


def _query(name: str, description: str, required: bool = False, **schema) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema or STR}


COUNTRY_CODE = {"type": "string", "enum": countries.codes()}
COUNTRY = _query("country", "ISO 3166 alpha-3 code (MLI), or WAEMU; any case, and French or English names "
                            "(Côte d'Ivoire) are accepted too", True, **COUNTRY_CODE)
INDICATOR = _query("indicator", "indicator code", True, type="string", enum=list(INDICATORS))
AS_OF = _query("as_of", "the store as known then: a date (end of that day) or an RFC 3339 timestamp; vintage= is "
                        "taken for it too, as the dashboard's page URLs name it (not both)", **MOMENT)
GOLD = _query("gold", "with indicator=gdp_growth (otherwise 404: scenarios move growth only) and without as_of "
                      "(otherwise 404: scenarios use the latest run): the Scenarios page's chart or table for this "
                      "gold production path, year:tonnes pairs (2025:70,2026:80; a year given twice is a 400; years "
                      "the model needs and the path leaves out keep the run's own projection)",
              type="string", pattern=GOLD_PATTERN)
LANG = _query("lang", "language of labels, headers and file names", type="string", enum=list(LANGS), default="fr")
COUNTRIES = _query("countries", "the Compare page's chart or table instead: up to 8 country codes, comma-separated "
                                "(MLI,SEN,BFA; a repeated code counts once); it takes precedence over gold",
                   type="string", pattern=COUNTRIES_PATTERN)
JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
SECURED = [{"bearerToken": []}]


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    return {str(c): _json(ERRORS[c], _ref("Error")) for c in codes}


def _files(description: str, formats: tuple[str, ...]) -> dict:
    return {"description": description, "content": {MEDIA_TYPES[f]: {"schema": BINARY} for f in formats}}


NOT_MODIFIED = {"304": {"description": "not modified: the ETag sent in If-None-Match (or the If-Modified-Since date) "
                                      "is current; answers carry ETag, Last-Modified and Cache-Control"}}


def _get(summary: str, operation_id: str, ok: dict, parameters: list, *errors: int, conditional: bool = False) -> dict:
    responses = {"200": ok, **(NOT_MODIFIED if conditional else {}), **_errors(*errors)}
    operation = {"summary": summary, "operationId": operation_id, "responses": responses}
    return {"get": {**operation, "parameters": parameters} if parameters else operation}


def _post(summary: str, operation_id: str, status: str, ok: dict, body: dict, *errors: int) -> dict:
    return {"post": {"summary": summary, "operationId": operation_id, "security": SECURED, "requestBody": body,
                     "responses": {status: ok, **_errors(*errors, 429, 503, 507)}}}


def _read_paths() -> dict:
    return {
        "/api/v1/series": _get("Every stored series (or one country's, one indicator's)", "series",
                               _json("the series", _object(["series"], series=_array(_ref("Series")))),
                               [{**COUNTRY, "required": False}, {**INDICATOR, "required": False}], 400),
        "/api/v1/observations": _get("One series' values as known at a date", "observations",
                                     _json("the values", _ref("Observations")), [COUNTRY, INDICATOR, AS_OF], 400, 404,
                                     conditional=True),
        "/api/v1/forecasts": _get("The latest run's projection of a series (with as_of: the latest run made by "
                                  "then)", "forecasts", _json("the projection", _ref("Forecast")),
                                  [COUNTRY, INDICATOR, AS_OF], 400, 404, conditional=True),
        "/api/v1/forecasts/evidence": _get("Why the latest projection is what it is, and its real-time record",
                                           "forecastEvidence", _json("the evidence", _ref("Evidence")),
                                           [COUNTRY, INDICATOR, AS_OF], 400, 404, conditional=True),
        "/api/v1/norms": _get("The WAEMU convergence scorecard", "norms",
                              _json("the scorecard", _ref("Scorecard")), [{**COUNTRY, "required": False}], 400),
        "/api/v1/openapi.json": _get("This document", "openapi", _json("OpenAPI 3.1", {"type": "object"}), []),
    }


def _write_paths() -> dict:
    upload = {**_object(["files"], files={**_array(BINARY), "minItems": 1, "maxItems": 20}), "additionalProperties": False}
    files = {"required": True, "content": {"multipart/form-data": {"schema": upload}},
             "description": "CSV or .xlsx files (the interchange format, wide layouts, official projections); a file "
                            "whose content is refused is a 422 listing every problem"}
    run = {"required": False, "content": {"application/json": {"schema": _ref("RunRequest")}},
           "description": "JSON only (a form is a 415); no body: every stored series, 3 years ahead"}
    return {
        "/api/v1/ingest": _post("Load files (all or nothing)", "ingest", "200",
                                _json("what each file changed", _ref("IngestReport")), files, 400, 401, 413, 422),
        "/api/v1/forecasts/run": _post("Start a forecast run in the background", "runForecasts", "202",
                                       _json("the run started: poll its job", _ref("RunJob")), run, 400, 401, 404, 409, 413, 415,
                                       422),
        "/api/v1/forecasts/run/{job_id}": _get("A run job's state (any worker answers: jobs are kept under "
                                               "ECON_HOME/jobs)", "runStatus",
                                               _json("the job", _ref("RunJob")), [JOB_ID], 404),
    }


def _download_paths() -> dict:
    chart_format = _query("format", "file format", type="string", enum=list(CHART_FORMATS), default="png")
    data_format = _query("format", "file format; French CSV uses ';' and a decimal comma", type="string",
                         enum=list(DATA_FORMATS), default="csv")
    return {
        "/download/chart": _get("The dashboard's chart as a file, 1200x675 (PNG at twice the pixels)", "downloadChart",
                                _files("the chart, as an attachment", CHART_FORMATS),
                                [COUNTRY, INDICATOR, chart_format, LANG, AS_OF, GOLD, COUNTRIES], 400, 404, 503,
                                conditional=True),
        "/download/data": _get("The figures behind the chart, with their sources", "downloadData",
                               _files("the figures, as an attachment (Excel: with a Sources sheet)", DATA_FORMATS),
                               [COUNTRY, INDICATOR, data_format, LANG, AS_OF, GOLD, COUNTRIES], 400, 404,
                               conditional=True),
    }


def _schemas() -> dict:
    point = _object(["period", "mean"], period=STR, mean=NUM, lower_80=NUM_OR_NULL, upper_80=NUM_OR_NULL,
                    lower_95=NUM_OR_NULL, upper_95=NUM_OR_NULL, p_breach=NUM_OR_NULL)
    run = _object(["id"], id=INT, created_at=STR, data_vintage=STR_OR_NULL, model=STR)
    newer = {"type": ["object", "null"], "description": "figures (a count) and last (when loaded): the country's "
             "figures and official projections loaded after the run began and published by its information date, "
             "which the projection did not read and a rerun would; null when there are none"}
    value = _object(["period", "value"], period=STR, value=NUM_OR_NULL, source=STR_OR_NULL)
    frequency = {"type": "string", "enum": ["A", "M", "Q"], "description": "annual, monthly, quarterly"}
    counts = _object(["added", "revised", "unchanged"], added=INT, revised=INT, unchanged=INT)
    report = _object(["file", "observations", "official_projections"], file=STR, kind=STR, ingest_id=INT,
                     observations=counts, official_projections=counts, first_period=STR_OR_NULL,
                     last_period=STR_OR_NULL, countries=_array(STR), indicators=_array(STR), vintage=STR)
    return {
        "Error": _object(["error"], error=STR, problems=_array(STR)),
        "Series": _object(["country", "indicator"], country=STR, indicator=STR, frequency=frequency, unit=STR_OR_NULL,
                          first=STR, last=STR, count=INT, source=STR_OR_NULL),
        "Observations": _object(["country", "indicator", "data"], country=STR, indicator=STR, as_of=STR_OR_NULL,
                                data=_array(value)),
        "Forecast": _object(["country", "indicator", "run", "points"], country=STR, indicator=STR, run=run,
                            norm={"type": ["object", "null"]}, points=_array(point), newer_data=newer),
        "Scorecard": _object(["scorecard"], country=STR_OR_NULL, scorecard=_array({"type": "object"})),
        "Evidence": _object(["country", "indicator", "run", "lead", "skill", "candidates", "official", "weights"],
                            country=STR, indicator=STR, run=run, lead={"type": ["integer", "null"]},
                            skill={"type": "object", "description": "the projection's nested scores on the "
                                   "information of its first year (past projections as far from the last figure; "
                                   "step, leads): mae, mase, coverage_80/95, brier (and naive's, climatology's), crps"},
                            skill_by_lead={"type": "object"},
                            candidates=_array({"type": "object", "description": "candidate, kind, n, mae, mase, "
                                               "versus_naive (Diebold-Mariano), weight"}),
                            official=_array({"type": "object", "description": "publisher, release (known or next "
                                             "release), lead, n, mae, econ_mae, verdict"}),
                            weights={"type": "object"}, explain={"type": "object"}, calibration={"type": "object"},
                            cpi_behind={"type": ["object", "null"], "description": "cpi_end (YYYY-MM) and last_year "
                                        "when the monthly CPI stops before the last year with an annual figure: "
                                        "the monthly models are then left out"}, newer_data=newer),
        "IngestReport": _object(["files"], analyst=STR, files=_array(report)),
        "RunRequest": {**_object([], countries={**_array(COUNTRY_CODE), "minItems": 1},
                                 indicators={**_array({"type": "string", "enum": list(INDICATORS)}), "minItems": 1},
                                 horizon={"type": "integer", "minimum": 1, "maximum": 10, "default": 3},
                                 as_of=MOMENT), "additionalProperties": False},
        "RunJob": _object(["job", "status"], job=STR, status={"type": "string", "enum": ["running", "done", "failed"]},
                          run_id={"type": ["integer", "null"]}, error=STR_OR_NULL, status_url=STR),
    }


def document() -> dict:
    """The whole OpenAPI 3.1 document."""
    bearer = {"type": "http", "scheme": "bearer", "description": "a token from `econ analyst add NAME`, or ECON_API_TOKEN"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "econ API", "version": __version__,
                 "description": "Macroeconomic indicators, projections and the WAEMU norms for Mali and its neighbours."},
        "paths": {**_read_paths(), **_write_paths(), **_download_paths()},
        "components": {"schemas": _schemas(), "securitySchemes": {"bearerToken": bearer}},
    }
