"""Forecast commands: ``econ forecast``, ``econ backtest``, ``econ norms``.

Each prints the numbers an economist reads (projections with their intervals and breach
probabilities, backtest errors beside the official forecasters', the convergence scorecard) as
tables, or, with ``--json``, only the JSON the product contract describes.
"""

from __future__ import annotations

import calendar
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from econ import logs
from econ.cli.app import app, command_user, console, errors, fail, get_engine, print_json, progress_bar
from econ.config import get_settings
from econ.schema import INDICATORS

CountryOption = Annotated[list[str] | None, typer.Option("--country", "-c", help="ISO alpha-3 code or name; repeat for several")]
IndicatorOption = Annotated[list[str] | None, typer.Option("--indicator", "-i", help="indicator code; repeat for several")]
JsonOption = Annotated[bool, typer.Option("--json", help="print only JSON")]


def _number(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _interval(low, high) -> str:
    return "–" if low is None or high is None else f"{low:.1f} to {high:.1f}"


def _bracket(low, high) -> str:
    return "–" if low is None or high is None else f"[{low:.1f}, {high:.1f}]"


def _percent(value) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def _check_indicators(indicators: list[str] | None) -> None:
    unknown = [i for i in indicators or [] if i not in INDICATORS]
    if unknown:
        fail(f"unknown indicator {unknown[0]!r}; known: {', '.join(INDICATORS)}", code=2)
    if "cpi" in (indicators or []):
        errors.print("cpi: the monthly CPI is not projected on its own; it informs the annual average "
                      "inflation, projected instead (-i inflation)", highlight=False, soft_wrap=True)


def _countries(countries: list[str] | None) -> list[str] | None:
    """Codes or names (``MLI``, ``Mali``, ``Côte d'Ivoire``), as ``econ observations`` and the API take them."""
    return [_country(c) for c in countries] if countries else None


def _country(name: str) -> str:
    from econ.countries import resolve

    return resolve(name.strip()) or fail(f"unknown country {name!r}", code=2)


def _as_of(value: str | None):
    """``--as-of`` of ``forecast`` and ``backtest``: a date or an ISO timestamp, not after today."""
    from econ.forecast.inputs import refuse_future
    from econ.store.repository import parse_as_of

    try:
        moment = parse_as_of(value)
    except ValueError:
        fail(f"--as-of must be a date (YYYY-MM-DD) or an ISO timestamp, not {value!r}", code=2)
    try:
        refuse_future(moment, "--as-of")
    except ValueError as refused:
        fail(str(refused))
    return moment


def _check_stored(engine, countries: list[str] | None, indicators: list[str] | None, as_of=None) -> None:
    from econ.forecast.inputs import check_request

    try:
        check_request(engine, countries, indicators, as_of)
    except (LookupError, ValueError) as refused:
        fail(str(refused).strip("'\""))


@app.command()
def forecast(
    country: CountryOption = None,
    indicator: IndicatorOption = None,
    horizon: Annotated[int, typer.Option(min=1, max=10, help="years to project")] = 3,
    as_of: Annotated[str | None, typer.Option("--as-of", help="the forecast as it would have been made on this date")] = None,
    workers: Annotated[int | None, typer.Option(help="processes (default: one per core)")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786)")] = None,
    reuse: Annotated[bool, typer.Option("--reuse", help="reuse a stored run of the same data, code and settings")] = False,
    brief: Annotated[bool, typer.Option("--brief", help="a one-line summary instead of a table a series")] = False,
    json_output: JsonOption = False,
) -> None:
    """Fit, backtest and store a forecast run; print the projections and the norm checks."""
    from econ.forecast import run_forecasts, run_json
    from econ.store.repository import utcnow

    _check_indicators(indicator)
    moment = _as_of(as_of)
    engine = get_engine()
    _check_stored(engine, _countries(country), indicator, moment)
    started = utcnow()
    with (logs.job("forecast run", user=command_user(), countries=country, indicators=indicator, horizon=horizon,
                   scheduler=scheduler or get_settings().dask_scheduler) as logged,
          progress_bar("forecasting", enabled=not json_output) as advance):
        try:
            run_id = run_forecasts(engine, _countries(country), indicator, horizon, moment, workers=workers,
                                   progress=lambda done, total, label: advance(1, total=total, label=label),
                                   scheduler=scheduler, reuse=reuse)
        except (RuntimeError, OSError) as error:
            fail(str(error))
        logged["run_id"] = run_id
    payload = run_json(engine, run_id)
    if json_output:
        print_json(payload)
    elif brief:
        _print_brief(payload, reused=str(payload["run"]["created_at"]) < started.isoformat())
    else:
        _print_run(engine, payload)


def _print_brief(payload: dict, reused: bool = False) -> None:
    run = payload["run"]
    settings = run.get("settings") or {}
    skipped = settings.get("skipped") or {}
    again = "reused (same data, code and settings): " if reused else ""
    data = _data(run)
    asked = "; inflation_eop only when asked, -i inflation_eop" if _default_indicators(settings) else ""
    console.print(f"run {run['id']}: {again}{len(payload['forecasts'])} series projected as of "
                  f"{_dated(settings)}{f', {len(skipped)} skipped' if skipped else ''} "
                  f"({data}, code {run['code_version']}{asked})", highlight=False, soft_wrap=True)


def _default_indicators(settings: dict) -> bool:
    """The run projected the indicators econ projects unasked (the settings hold the list resolved)."""
    from econ.forecast.inputs import DEFAULT_INDICATORS

    return set(settings.get("indicators") or DEFAULT_INDICATORS) == set(DEFAULT_INDICATORS)


def _data(run: dict) -> str:
    """The data the run read (the store's version: its last load, or what was known at ``--as-of``),
    to the second, or that there were none; "vintage", as the JSON's ``data_vintage``."""
    return f"data vintage {str(run['data_vintage'])[:19]}" if run["data_vintage"] else "no data were known at that date"


def _dated(settings: dict) -> str:
    """The run's date, and why that date when the user gave none: it is the store's, whichever
    series are run, so a run of one series is dated, and projects, as the full run does."""
    day = str(settings.get("forecast_date") or "")[:10]
    if settings.get("as_of"):
        return day
    return f"{day} (the first of the month after the store's newest figure; --as-of for another date)"


def _print_run(engine, payload: dict) -> None:
    """One small table a series, titled with what it is, which model, and its norm."""
    from econ.backtest import behind_text
    from econ.store.runs import alone_in_pool, cpi_behind, runs

    run = payload["run"]
    settings = run.get("settings") or {}
    data = _data(run)
    console.print(f"run {run['id']}: projections as of {_dated(settings)}, {data}, "
                  f"code {run['code_version']}, seed {run.get('seed')}", highlight=False)
    if not payload["forecasts"]:
        console.print("no series could be projected", highlight=False)
    for f in payload["forecasts"]:
        norm = f["norm"]
        title = f"{f['country']} {f['indicator']} ({f['model']})"
        above = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}.get(norm["comparison"], "beyond") if norm else ""
        breach = f"P(breach: {above} {norm['threshold']:g})" if norm else "P(breach)"  # the norm says "<= 3"
        table = Table("period", "projection", "80 % interval", "95 % interval", breach, title=title, title_justify="left")
        for p in f["points"]:
            table.add_row(p["period"], _number(p["mean"]), _interval(p["lower_80"], p["upper_80"]),
                          _interval(p["lower_95"], p["upper_95"]), _percent(p["p_breach"]))
        console.print(table)
    alone = [f"{country} {indicator}" for country, indicator in alone_in_pool(engine, run["id"])]
    if alone:
        whose = "its" if len(alone) == 1 else "each one's"
        console.print(f"{', '.join(alone)}: no comparable series in the store, so weights and bands rest on "
                      f"{whose} own years alone and econ stays near the naive forecast longer (load the "
                      "neighbours' figures to pool their record)", highlight=False, soft_wrap=True)
    for country, indicator, gap in cpi_behind(engine, run["id"]):
        console.print(f"{country} {indicator}: {behind_text(gap)}, so the monthly models are left out (load a "
                      "newer CPI: econ fetch imf-cpi)", highlight=False, soft_wrap=True)
    message = runs(engine, limit=200).set_index("id").loc[run["id"], "message"]
    if message and "skipped" in message:
        console.print("skipped: " + message.split("skipped: ", 1)[1], highlight=False, soft_wrap=True)


@app.command()
def backtest(
    country: Annotated[str, typer.Option("--country", "-c", help="ISO alpha-3 code")],
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="indicator code")],
    start: Annotated[int | None, typer.Option(
        help="first year forecast (default: ECON_BACKTEST_ORIGINS years up to --end, 20)")] = None,
    end: Annotated[int | None, typer.Option(help="last year forecast (default: the last with a figure)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="use the data as known at this date")] = None,
    origin_month: Annotated[int | None, typer.Option(
        "--origin-month", min=1, max=12,
        help="forecasts made on the 1st of this month of each year (default: when December's figure is out)")] = None,
    workers: Annotated[int | None, typer.Option(help="processes (default: one per core)")] = None,
    json_output: JsonOption = False,
) -> None:
    """For each year, the projection econ would have made then (data as then published, every choice from
    errors known then), against the outcome."""
    from econ.forecast import backtest_series
    from econ.forecast.evaluate import last_known_year
    from econ.models.base import ModelSkipped

    _check_indicators([indicator])
    moment = _as_of(as_of)
    engine = get_engine()
    country = _country(country)
    try:
        last = last_known_year(engine, country, indicator, moment)
    except LookupError as missing:
        if end is None:  # with --end, backtest_series says it (monthly cpi alone has no annual figure here)
            fail(str(missing).strip("'\"") + (f" (as known at {as_of})" if as_of else ""))
        last = None
    end = last if end is None else end
    if start is None:
        start = end - get_settings().backtest_origins + 1
    if last is not None and start > last:
        known = f" known at {as_of}" if as_of else ""
        fail(f"--start {start} is after {last}, the last year that can be scored "
             f"(the last year of the {country} {indicator} figures{known})")
    if end < start:
        fail(f"--end {end} must not be before --start {start}")
    try:
        with progress_bar(f"backtesting {country.upper()} {indicator}", enabled=not json_output):
            payload = backtest_series(engine, country, indicator, start, end, moment,
                                      origin_month=origin_month, workers=workers)
    except LookupError as missing:
        fail(str(missing).strip("'\"") + (f" (as known at {as_of})" if as_of else ""))
    except ModelSkipped as skipped:
        fail(f"{country.upper()} {indicator} cannot be backtested: {skipped.reason}")
    if json_output:
        print_json(payload)
        return
    _print_backtest(payload)


def _narrow(*columns: str, **options) -> Table:
    """A table that fits 80 columns: a rule under the header, no outer frame."""
    return Table(*columns, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                 title_justify="left", **options)


def _pair(theirs: str, ours: str) -> str:
    return f"{theirs} ({ours})"


def _print_backtest(payload: dict) -> None:
    month = calendar.month_name[int(payload["origin_month"])]
    title = (f"{payload['country']} {payload['indicator']}: the projection made on 1 {month} of each year "
             f"({payload['model']})")
    table = _narrow("year", "forecast", "80 %", "95 %", "actual", "error", "naive", "P(breach)", title=title)
    for o in payload["origins"]:
        error = None if o["actual"] is None else o["forecast"] - o["actual"]
        table.add_row(str(o["year"]), _number(o["forecast"]), _bracket(o["lower_80"], o["upper_80"]),
                      _bracket(o["lower_95"], o["upper_95"]), _number(o["actual"]), _number(error), _number(o["naive"]),
                      _percent(o["p_breach"]))
    console.print(table)
    s = payload["summary"]
    console.print(
        f"MAE {_number(s['mae'], 2)}  RMSE {_number(s['rmse'], 2)}  MASE (vs naive) {_number(s['mase'], 2)}  "
        f"coverage 80 % {_percent(s['coverage_80'])}  95 % {_percent(s['coverage_95'])}  "
        f"norm calls right {_percent(s['norm_hit_rate'])}  Brier {_number(s['brier'], 3)} "
        f"(naive {_number(s['brier_naive'], 3)}, climatology {_number(s['brier_climate'], 3)})  "
        f"CRPS {_number(s['crps'], 2)} (naive {_number(s['crps_naive'], 2)})", highlight=False)
    _print_reliability(s.get("reliability"))
    models = _narrow("candidate", "forecasts", "MAE", "MASE", "against naive", title="Candidates on the same years")
    for name, m in payload["models"].items():
        models.add_row(name, str(m["n"]), _number(m["mae"], 2), _number(m["mase"], 2), m["versus_naive"])
    console.print(models)
    if payload["official"]:
        official = _narrow("publisher", "release", "lead", "n", "MAE (econ)", "norm calls (econ)", "econ against it",
                           title="Official forecasters on the same years: their release known at econ's origin, "
                           "and their next one (data at least as recent as econ's)")
        for e in sorted(payload["official"], key=lambda e: (e["publisher"], e["release"], e["lead"])):
            official.add_row(e["publisher"], e["release"].replace(" release", ""), str(e["lead"]), str(e["n"]),
                             _pair(_number(e["mae"], 2), _number(e["econ_mae"], 2)),
                             _pair(_percent(e["norm_hit_rate"]), _percent(e["econ_norm_hit_rate"])), e["verdict"])
        console.print(official)


def _print_reliability(bins: list[dict] | None) -> None:
    """The breach probabilities by how high they were, beside how often the norm was then breached:
    a 30 % that comes true one time in ten is not a 30 %."""
    if not bins or not any(b["n"] for b in bins):
        return
    title = f"Reliability of the breach probabilities above ({sum(b['n'] for b in bins)} years)"
    table = _narrow("P(breach) said", "forecasts", "on average", "breached", title=title)
    for b in bins:
        if b["n"]:
            table.add_row(b["bin"].replace("%", "") + " %", str(b["n"]), _percent(b["forecast"]), _percent(b["observed"]))
    console.print(table)


@app.command()
def norms(
    country: Annotated[str | None, typer.Option("--country", "-c", help="ISO alpha-3 code")] = None,
    json_output: JsonOption = False,
) -> None:
    """The convergence scorecard: latest actuals, projections and the probability of breaching each norm."""
    from econ.norms import norms_apply, scorecard

    engine = get_engine()
    code = _country(country) if country else None
    frame = scorecard(engine, code)
    if json_output:
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        print_json({"country": code, "scorecard": records})
        return
    if frame.empty:
        errors.print(f"no stored norm applies to {code} (the bundled norms are the WAEMU convergence criteria, for its members)"
                     if code and not norms_apply(engine, code) else
                     "no figures for any norm yet: load data (`econ ingest`) and run `econ forecast`", highlight=False)
        return
    for c, part in frame.groupby("country", sort=False):
        table = Table("criterion", "period", "", "value", "80 %", "P(breach)", "ok",
                      title=f"{c}: WAEMU convergence", title_justify="left")
        for _, rows in part.groupby("norm_code", sort=False):
            for i, r in enumerate(rows.itertuples()):
                criterion = f"{r.indicator} {r.comparison} {r.threshold:g}" if i == 0 else ""
                table.add_row(criterion, r.period, "proj." if r.kind == "projection" else r.kind, _number(r.value),
                              _bracket(_nan(r.lower_80), _nan(r.upper_80)), _percent(_nan(r.p_breach)),
                              "yes" if r.compliant else "no")
        console.print(table)


def _nan(value):
    return None if value is None or value != value else float(value)
