"""The JSON API under ``/api/v1``: stored figures, projections and norms; two write actions.

Read routes are open and only read the store (no model is fitted in a request). The write
routes (``POST /ingest``, ``POST /forecasts/run``) need ``Authorization: Bearer <token>``
(``econ analyst add NAME`` makes one). A forecast run takes from seconds to minutes, so
``POST /forecasts/run`` starts it in a background thread and answers 202 at once with a job
to poll, kept on disk so that every gunicorn worker answers its poll (``dashboard.run_jobs``).
Every route is described in ``/api/v1/openapi.json``; a test fails when one is not.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import re
import tempfile
import threading
from dataclasses import replace
from datetime import date, datetime
from functools import wraps
from pathlib import Path

import flask
import pandas as pd
from flask import Blueprint, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.answers import cached_answer
from dashboard.run_jobs import JOBS_KEPT, Busy, JobBoard
from econ import countries, logs
from econ.auth import bearer_token, check_token
from econ.config import get_settings
from econ.failures import disk_full, store_busy, store_error_classes
from econ.schema import INDICATORS, InputError
from econ.store import repository
from econ.store.runs import latest_forecast, newer_than_run

log = logging.getLogger(__name__)
bp = Blueprint("econ_api", __name__, url_prefix="/api/v1")
ENGINE_KEY = "econ.engine"
JOBS_KEY = "econ.run_jobs"  # the app's JobBoard
MAX_HORIZON = 10
BUSY_RETRY_SECONDS = 5


def register(server: flask.Flask, engine=None) -> None:
    """Adds the API and ``/healthz`` to the dashboard's Flask server (``engine=None``: the configured store)."""
    server.extensions[ENGINE_KEY] = engine
    server.extensions[JOBS_KEY] = JobBoard(get_settings().home / "jobs")
    from dashboard.health import health

    server.register_blueprint(bp)
    server.register_blueprint(health)


class ApiError(Exception):
    """A refusal the client can act on: its status and a message that says what to change."""

    def __init__(self, status: int, message: str, **extra) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


@bp.before_request
def once_each() -> None:
    """A query argument given twice is refused: which one counts would be a guess (``country=MLI&country=BEN``)."""
    repeated = sorted(key for key in request.args if len(request.args.getlist(key)) > 1)
    if repeated:
        raise ApiError(400, f"{repeated[0]} is given {len(request.args.getlist(repeated[0]))} times; give it once")


@bp.errorhandler(ApiError)
def error_response(err: ApiError):
    response = json_response({"error": err.message, **err.extra}, err.status)
    if err.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="econ"'
    if err.status == 503 and "retry_after" not in err.extra:
        response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


def store_error(err: Exception):
    """The store's refusals at the API boundary: busy after its retries (503), disk full (507).

    Registered for the database drivers' errors too (bulk writes talk to the driver directly, so
    its errors arrive unwrapped) and for OSError (a full disk); anything else goes on to the app.
    """
    message = store_busy(err)
    if message:
        log.warning("store busy on %s: %s", request.path, err)
        return error_response(ApiError(503, message))
    full = disk_full(err)
    if full:
        return error_response(ApiError(507, full))
    raise err


STORE_ERRORS = store_error_classes()
for _kind in STORE_ERRORS:
    bp.register_error_handler(_kind, store_error)


# --- helpers shared with the downloads ------------------------------------------------------


def engine():
    """The store this app serves; the configured one when ``register`` was given none."""
    store = current_app.extensions.get(ENGINE_KEY)
    if store is None:
        from econ.store.db import make_engine

        store = current_app.extensions[ENGINE_KEY] = make_engine()
    return store


def clean(value):
    """Plain JSON: NaN and missing values become null, numpy numbers Python ones, dates ISO text."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return clean(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def json_body(payload) -> str:
    return json.dumps(clean(payload), ensure_ascii=False, allow_nan=False)


def json_response(payload, status: int = 200) -> flask.Response:
    return flask.Response(json_body(payload), status=status, mimetype="application/json")


def country_arg(required: bool = True) -> str | None:
    """The ``country`` argument as an ISO alpha-3 code (French or English names are accepted too)."""
    raw = request.args.get("country", "").strip()
    if not raw:
        if required or "country" in request.args:
            raise ApiError(400, "the country argument is required, as an ISO 3166 alpha-3 code such as MLI")
        return None
    refusal = countries.refusal(raw)
    if refusal:
        raise ApiError(400, f"country {refusal}")
    code = countries.resolve(raw)
    if code is None:
        raise ApiError(400, f"unknown country {raw[:100]!r}: use an ISO 3166 alpha-3 code such as MLI")
    return code


def indicator_arg() -> str:
    raw = request.args.get("indicator", "").strip()
    if raw not in INDICATORS:
        what = f"unknown indicator {raw!r}" if raw else "the indicator argument is required"
        raise ApiError(400, f"{what}: one of {', '.join(INDICATORS)}")
    return raw


def choice_arg(name: str, choices: tuple[str, ...], default: str | None = None) -> str:
    raw = request.args.get(name, default or "").strip().lower()
    if raw not in choices:
        raise ApiError(400, f"{name} must be one of {', '.join(choices)}" + (f", not {raw!r}" if raw else ""))
    return raw


def as_of_arg() -> datetime | None:
    """``as_of``, or ``vintage`` as the dashboard's links call it: a URL copied from a page works here."""
    given = {name: request.args.get(name) for name in ("as_of", "vintage") if request.args.get(name, "").strip()}
    if len(set(given.values())) > 1:
        raise ApiError(400, "as_of and vintage name the same date; give one of them")
    return parse_moment(next(iter(given.values()), None))


LEAP_SECOND = re.compile(r"(T\d\d:\d\d):60(\.\d+)?", re.IGNORECASE)


def parse_moment(raw) -> datetime | None:
    """``as_of``: a date (the end of that day) or an RFC 3339 timestamp; a 400 that says so otherwise.

    RFC 3339 allows what Python's parser does not: a lower-case ``t``/``z`` and a leap second
    (``23:59:60``, read as the last instant of that minute). A moment beyond what a datetime holds
    once in UTC (year 1 at +01:00) is the earliest or latest moment there is.
    """
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip().upper() if isinstance(raw, str) else raw
    if isinstance(text, str):
        text = LEAP_SECOND.sub(r"\1:59.999999", text)
    try:
        return repository.parse_as_of(text)
    except OverflowError:
        return datetime.min if str(text).startswith("0") else datetime.max
    except (TypeError, ValueError):
        shown = repr(raw)[:80]
        raise ApiError(400, f"as_of must be a date (2025-01-31) or an RFC 3339 timestamp, not {shown}") from None


# --- read routes ----------------------------------------------------------------------------


@bp.get("/series")
def series():
    """Every stored series, with its period range, count and source (frequency A, M or Q, as ``econ series``);
    ``country`` and ``indicator``, each optional, keep one country's or one indicator's."""
    country = country_arg(required=False)
    indicator = indicator_arg() if "indicator" in request.args else None
    frame = repository.series(engine())
    keep = (frame["country"] == country if country else True) & (frame["indicator"] == indicator if indicator else True)
    return json_response({"series": records(frame[keep] if country or indicator else frame)})


@bp.get("/observations")
def observations():
    """The values of one series as known at ``as_of`` (default: now); cached and conditional (``dashboard.answers``)."""
    country, indicator, moment = country_arg(), indicator_arg(), as_of_arg()
    return cached_answer(engine(), ("observations", country, indicator, moment),
                         lambda: json_body(_observations(country, indicator, moment)))


def _observations(country: str, indicator: str, moment) -> dict:
    frame = repository.observations(engine(), country, indicator, moment)
    if frame.empty:
        raise ApiError(404, repository.none_known(engine(), country, indicator, moment))
    data = records(frame[["period", "value", "source"]])
    return {"country": country, "indicator": indicator, "as_of": moment, "data": data}


@bp.get("/forecasts")
def forecasts():
    """The projection of the latest run covering the series; cached and conditional."""
    from econ.forecast import forecast_json

    country, indicator, moment = country_arg(), indicator_arg(), as_of_arg()
    return cached_answer(engine(), ("forecasts", country, indicator, moment),
                         lambda: json_body(_with_newer(forecast_json, _latest(country, indicator, moment), moment)))


def _with_newer(shape, stored, moment: datetime | None) -> dict:
    """The payload, and the country's figures loaded after its run (``newer_data``: a rerun would read them)."""
    return {**shape(stored), "newer_data": newer_than_run(engine(), stored, moment)}


def _latest(country: str, indicator: str, moment: datetime | None = None):
    """The latest run covering the series, or the latest made by ``moment`` (its information date),
    as the dashboard's date picker chooses it."""
    stored = latest_forecast(engine(), country, indicator, before=moment)
    if stored is None and moment is not None:
        raise ApiError(404, f"no forecast run made by {moment.isoformat()} covers {country} {indicator}: "
                            f"run `econ forecast --as-of {moment.date().isoformat()}` for one")
    if stored is None:
        raise ApiError(
            404, f"no forecast run covers {country} {indicator} yet: "
            f"run `econ forecast --country {country} --indicator {indicator}` or POST /api/v1/forecasts/run",
        )
    return stored


@bp.get("/forecasts/evidence")
def evidence():
    """Why the latest projection is what it is: its candidates' weights and real-time records, the
    official forecasters on matched information, the calibration of its bands. Cached and conditional."""
    from econ.forecast import evidence_json

    country, indicator, moment = country_arg(), indicator_arg(), as_of_arg()
    return cached_answer(engine(), ("evidence", country, indicator, moment),
                         lambda: json_body(_with_newer(evidence_json, _latest(country, indicator, moment), moment)))


@bp.get("/norms")
def norms():
    """The convergence scorecard: latest actual, projections and the probability of breach."""
    from econ.norms import scorecard

    country = country_arg(required=False)
    return json_response({"country": country, "scorecard": records(scorecard(engine(), country))})


@bp.get("/openapi.json")
def openapi():
    from dashboard.openapi import document

    return json_response(document())


# --- write routes ---------------------------------------------------------------------------


def requires_token(view):
    """Refuses (401) a request without a valid bearer token; ``g.analyst`` names who wrote."""

    @wraps(view)
    def guarded(*args, **kwargs):
        analyst = check_token(engine(), bearer_token(request.headers.get("Authorization")))
        if analyst is None:
            raise ApiError(401, "a valid token is required: send `Authorization: Bearer <token>` (see `econ analyst add`)")
        g.analyst = analyst
        return view(*args, **kwargs)

    return guarded


def _upload_name(raw: str | None) -> str:
    """The uploaded file's own name, without any folder part (it is saved in a fresh folder); "upload" if none."""
    name = Path((raw or "").replace("\\", "/").replace("\x00", "")).name[:200]
    return "upload" if name in ("", ".", "..") else name


def _save_uploads(folder: Path) -> list[Path]:
    """Each upload in its own numbered folder, so two files of one name are both kept and named as sent."""
    files = [f for key in request.files for f in request.files.getlist(key)]
    if not files:
        raise ApiError(400, "no file uploaded: send multipart/form-data with one or more `files` fields")
    paths = [folder / str(i) / _upload_name(f.filename) for i, f in enumerate(files)]
    for upload, path in zip(files, paths):
        path.parent.mkdir()
        upload.save(path)
    return paths


def _summary(item) -> dict:
    """One file's report, shaped as ``econ ingest --json``: rows added / revised / unchanged."""
    s = item.summary
    counts = {"observations": ("added", "revised", "unchanged"),
              "official_projections": ("official_added", "official_revised", "official_unchanged")}
    return {
        "file": Path(str(item.path)).name, "kind": item.kind, "ingest_id": s.ingest_id,
        **{group: dict(zip(("added", "revised", "unchanged"), (getattr(s, k) for k in keys))) for group, keys in counts.items()},
        "first_period": s.first_period, "last_period": s.last_period,
        "countries": list(s.countries), "indicators": list(s.indicators), "vintage": s.vintage,
    }


def _problems(err: InputError, folder: Path) -> list[str]:
    """``file:line: column: problem`` lines, naming files as uploaded (not the temporary folder)."""
    inside = re.compile(re.escape(str(folder)) + r"/\d+/")
    return [str(replace(p, file=inside.sub("", str(p.file), count=1))) for p in err.problems]


@bp.post("/ingest")
@requires_token
def ingest():
    """Loads uploaded files: all stored, or (422) none, with every problem found."""
    from econ.ingest import counts, ingest_paths

    limit_mb = get_settings().max_upload_mb
    request.max_content_length = int(limit_mb * 2**20)  # werkzeug stops reading past it, chunked uploads included
    with tempfile.TemporaryDirectory(prefix="econ-upload-") as tmp:
        folder = Path(tmp)
        try:
            paths = _save_uploads(folder)
        except RequestEntityTooLarge:
            raise ApiError(413, f"uploads are limited to {limit_mb:g} MB a request (ECON_MAX_UPLOAD_MB)") from None
        try:
            with logs.job("ingest", user=g.analyst, files=[p.name for p in paths]) as logged:
                summaries = ingest_paths(engine(), [str(p) for p in paths])
                logged.update(counts(summaries))
        except InputError as err:
            problems = _problems(err, folder)
            refusal = "the files were refused; nothing was stored"
            raise ApiError(422, refusal, problems=problems, truncated=err.truncated,
                           total=err.total or len(problems)) from None
    log.info("ingest by %s: %s", g.analyst, [p.name for p in paths])
    return json_response({"analyst": g.analyst, "files": [_summary(s) for s in summaries]})


# --- forecast runs in the background --------------------------------------------------------

def _jobs() -> JobBoard:
    """This app's run jobs, shared by every worker process through ``ECON_HOME/jobs``."""
    return current_app.extensions[JOBS_KEY]


RUN_KEYS = {"countries", "indicators", "horizon", "as_of"}


def _codes(value, known, what: str) -> list[str] | None:
    """A list of country or indicator codes from the body (None: every stored one)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ApiError(400, f"{what} must be a non-empty list of codes")
    codes = [known(v) if isinstance(v, str) else None for v in value]
    bad = [v for v, c in zip(value, codes) if c is None]
    if bad:
        raise ApiError(400, f"unknown {what}: {', '.join(map(str, bad))}")
    return codes


def _run_settings() -> dict:
    """The run's settings from the JSON body, checked before anything starts.

    Only JSON starts a run: a form (what a page on another site could make a browser send) is
    refused with 415 whatever it holds, even empty.
    """
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain"):
        raise ApiError(415, "the body must be JSON (Content-Type: application/json), or nothing for the defaults")
    if request.content_length and not request.is_json:
        raise ApiError(415, "the body must be JSON (Content-Type: application/json)")
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object: {countries, indicators, horizon, as_of}")
    unknown = set(body) - RUN_KEYS
    if unknown:
        raise ApiError(400, f"unknown fields {sorted(unknown)}: expected {sorted(RUN_KEYS)}")
    empty = sorted(key for key, value in body.items() if value is None)
    if empty:
        raise ApiError(400, f"{', '.join(empty)}: null is not a value; leave the field out for every series (or now)")
    horizon = body.get("horizon", 3)
    if isinstance(horizon, float) and horizon.is_integer():  # JSON Schema's integer: 3.0 is one
        horizon = int(horizon)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise ApiError(400, f"horizon must be a whole number of years from 1 to {MAX_HORIZON}")
    if "as_of" in body and not (isinstance(body["as_of"], str) and body["as_of"].strip()):
        raise ApiError(400, "as_of must be a date (2025-01-31) or an RFC 3339 timestamp; leave it out for now")
    return {
        "countries": _codes(body.get("countries"), countries.resolve, "countries"),
        "indicators": _codes(body.get("indicators"), lambda i: i if i in INDICATORS else None, "indicators"),
        "horizon": horizon,
        "as_of": parse_moment(body.get("as_of")),
    }


def _run_job(store, board: JobBoard, job: dict, settings: dict) -> None:
    """The thread's work: run, then record the run id or the error (never raise into the thread)."""
    try:
        forecast = importlib.import_module("econ.forecast")
        with logs.job("forecast run", user=job["requested_by"], api_job=job["job"]) as logged:
            run_id = logged["run_id"] = forecast.run_forecasts(store, **settings)
        board.finish(job["job"], status="done", run_id=run_id)
    except Exception as err:  # noqa: BLE001 - reported through the job
        log.exception("forecast run %s failed", job["job"])
        first_line = (str(err).splitlines() or [""])[0][:300]  # the log has the rest; SQL stays out of answers
        board.finish(job["job"], status="failed", error=f"{type(err).__name__}: {first_line}")


def _start_job(store, settings: dict, analyst: str) -> dict:
    """One run at a time, across the workers: a second request while one runs gets 409 and its job."""
    board = _jobs()
    try:
        job = board.start(settings, analyst)
    except Busy as running:
        raise ApiError(409, "a forecast run is already running: poll its job", job=running.args[0]) from None
    threading.Thread(target=_run_job, args=(store, board, job, settings), name=f"econ-run-{job['job'][:8]}",
                     daemon=True).start()
    return job


@bp.post("/forecasts/run")
@requires_token
def run_forecasts():
    """Starts a forecast run; 202 with a job to poll at ``/api/v1/forecasts/run/<job>``. As ``econ
    forecast`` does, it refuses a country with nothing stored to project (404) and a date after today
    (422: a well-formed date the run cannot be made at)."""
    settings = _run_settings()
    check_request = importlib.import_module("econ.forecast.inputs").check_request  # the engine loads on first use
    try:
        check_request(engine(), settings["countries"], settings["indicators"], settings["as_of"])
    except LookupError as missing:
        raise ApiError(404, str(missing).strip("'\"")) from None
    except ValueError as refused:
        raise ApiError(422, str(refused)) from None
    job = _start_job(engine(), settings, g.analyst)
    log.info("forecast run requested by %s: job %s", g.analyst, job["job"])
    response = json_response(_job_view(job), 202)
    response.headers["Location"] = flask.url_for("econ_api.run_status", job_id=job["job"])
    return response


def _job_view(job: dict) -> dict:
    return {**job, "status_url": flask.url_for("econ_api.run_status", job_id=job["job"])}


@bp.get("/forecasts/run/<job_id>")
def run_status(job_id: str):
    """A run job's state: running, done (with ``run_id``) or failed (with ``error``)."""
    job = _jobs().get(job_id)
    if job is None:
        raise ApiError(404, f"no job {job_id[:40]!r} (the last {JOBS_KEPT} jobs are kept; GET /api/v1/forecasts "
                            "shows the latest run)")
    return json_response(_job_view(job))
