"""A forecast run: read the store once, project every series at every origin, combine each pool,
store the run with what produced it.

1. ``StoreReader`` reads every vintage of the series asked for and of their *peers* (the other
   series of their pool: the same indicator across the WAEMU, say), because weights and bands
   are estimated on the pool's pooled errors: ``econ forecast --country MLI`` gives Mali the same
   numbers as a run over all eight members.
2. The run's date is ``--as-of`` or the first of the month after the store's newest figure became known;
   backtest origins are the same day in each earlier year (``econ.realtime``).
3. Each series' candidates are fitted at every origin in worker processes (or on a Dask cluster:
   ``--scheduler`` / ``ECON_DASK_SCHEDULER``), each series with its own random generator, so the
   numbers do not depend on the order, the number of workers or where they ran.
4. Each pool is combined and calibrated origin by origin (``econ.combine``), then every series
   requested is assembled and the run is stored in one transaction (``econ.store.runs``).
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import platform
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from importlib.metadata import PackageNotFoundError, version

import pandas as pd
from sqlalchemy import Engine
from threadpoolctl import threadpool_info, threadpool_limits

from econ.backtest import MIN_TRAIN, REFIT_EVERY
from econ.bands import MIN_CALIBRATION, TURBULENT_INDICATORS
from econ.combine import (
    MIN_ERRORS,
    SHRINK,
    UNION_PULL,
    UNION_SHARES,
    PoolInput,
    PoolOutput,
    combine_pool,
)
from econ.config import get_settings
from econ.forecast import assemble
from econ.forecast.inputs import StoreReader, pool_of, union_inflation
from econ.forecast.series import SeriesCandidates, SeriesTask, SkippedSeries, models_for, series_candidates
from econ.models import registry
from econ.models.growth_gold import tonnage_path
from econ.realtime import Lags, forecast_date, origin_dates
from econ.store import repository
from econ.store.runs import RunRecord, SeriesForecast, save_run
from econ.version import code_version

LIBRARIES = ("numpy", "scipy", "pandas", "statsmodels", "scoringrules", "sqlalchemy")


# --- the tasks ---------------------------------------------------------------------------------------


def pool_keys(reader: StoreReader, wanted: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The series wanted plus their peers (every series of the same pools)."""
    pools = {pool_of(c, i) for c, i in wanted}
    return sorted(k for k in reader.keys() if pool_of(*k) in pools)


def run_date(reader: StoreReader, as_of):
    """``as_of``, else the first of the month after the store's newest information: every series
    counts, not only those selected, so that one series run alone is dated, hence projected, as in
    the full run."""
    return forecast_date([h for key in reader.groups if (h := reader.history(*key)) is not None], as_of)


def read_vintage(engine, reader: StoreReader, keys, as_of):
    """When the newest figure the run read became known. A run of today reads the store as it is (its
    newest vintage); a run dated earlier reads each series as then known, where a figure from before
    the first dated release counts from its period's end plus the lag: that date, not the later
    release's, and not "nothing known"."""
    if as_of is None:
        return repository.data_vintage(engine)
    dates = [h.newest_known_at(as_of) for key in keys if (h := reader.history(*key)) is not None]
    official = repository.data_vintage(engine, as_of)  # official projections and dated figures alike
    known = [d.to_pydatetime() for d in dates if d is not None] + ([official] if official is not None else [])
    return max((d.replace(tzinfo=None) for d in known), default=None)


def make_tasks(reader: StoreReader, keys, origins, final, as_of, horizon: int, seed: int) -> list[SeriesTask]:
    return [SeriesTask(reader.inputs(c, i), origins, final, as_of, horizon, seed, pool_of(c, i)) for c, i in keys]


# --- running the tasks ---------------------------------------------------------------------------------


def default_workers(workers: int | None) -> int:
    """Processes for a run: one per core by default, but one inside a daemonic process (a Celery
    prefork worker, say), which may not start children of its own."""
    if multiprocessing.current_process().daemon:
        return 1
    if workers is None:
        workers = get_settings().workers
    return max(1, workers or os.cpu_count() or 1)


def _die_with_parent(root: int) -> None:
    """Worker initializer: one BLAS thread (small matrices; threads only fight the other workers),
    and no orphan if the run is killed (each worker holds hundreds of megabytes): the kernel kills a
    worker whose parent dies (a forked worker's parent is the run itself), and a watchdog ends a
    worker whose run is gone (a fork server's worker, in a threaded caller such as the dashboard)."""
    threadpool_limits(1)
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    threading.Thread(target=_watch, args=(root,), daemon=True, name="econ-watchdog").start()


def _watch(root: int) -> None:
    while True:
        time.sleep(1.0)
        try:
            os.kill(root, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass


def _context():
    """Fork while the process has one thread (fast); else a fork server that has imported the
    models once (forking a threaded process, such as the dashboard, is unsafe)."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["econ.forecast.series"])
    return context


def run_tasks(tasks: list[SeriesTask], workers: int, progress=None, scheduler: str | None = None) -> list:
    """Every task's candidates, in task order: in this process, in worker processes, or on Dask."""
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].weight)
    if scheduler:
        return _on_dask(tasks, order, scheduler, progress)
    results: dict[int, object] = {}
    if workers <= 1 or len(tasks) <= 1:
        with threadpool_limits(1):
            for i in order:
                results[i] = series_candidates(tasks[i])
                _report(progress, len(results), len(tasks), tasks[i])
        return [results[i] for i in range(len(tasks))]
    with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=_context(), initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(series_candidates, tasks[i]): i for i in order}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            _report(progress, len(results), len(tasks), tasks[futures[future]])
    return [results[i] for i in range(len(tasks))]


def _on_dask(tasks, order, scheduler: str, progress) -> list:
    """The same per-series work on a Dask distributed cluster (``pip install econ[dask]``)."""
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError as missing:
        raise RuntimeError("a Dask scheduler was given but dask.distributed is not installed: "
                           "pip install 'econ[dask]'") from missing
    results: dict[int, object] = {}
    try:
        client = Client(scheduler, timeout=get_settings().dask_timeout)
    except (OSError, TimeoutError) as error:
        raise RuntimeError(f"the Dask scheduler at {scheduler} does not answer: {error}") from error
    with client:
        # the heaviest series first, as on local processes: a long one started last keeps one worker
        # busy while the others wait (Dask's own order is not the submission order)
        futures = {client.submit(series_candidates, tasks[i], key=f"econ-{tasks[i].key}-{i}", pure=False,
                                 priority=len(order) - rank): i
                   for rank, i in enumerate(order)}
        for future in dask_completed(list(futures)):
            results[futures[future]] = future.result()
            _report(progress, len(results), len(tasks), tasks[futures[future]])
    return [results[i] for i in range(len(tasks))]


def _report(progress, done: int, total: int, task: SeriesTask) -> None:
    if progress is not None:
        progress(done, total, task.key)


# --- pools ---------------------------------------------------------------------------------------------


def combine_pools(reader: StoreReader, results: list) -> dict[str, PoolOutput]:
    """Each pool's econ projections, from its series' candidates."""
    by_pool: dict[str, list[SeriesCandidates]] = {}
    for r in results:
        if isinstance(r, SeriesCandidates) and len(r.raw):
            by_pool.setdefault(r.pool, []).append(r)
    out = {}
    for pool, members in sorted(by_pool.items()):
        indicator = members[0].indicator
        raw = pd.concat([m.raw.assign(series=m.key) for m in members], ignore_index=True)
        truth = pd.concat([m.truth.assign(series=m.key) for m in members], ignore_index=True)
        norms = {m.key: reader.first_norm(m.country, m.indicator) for m in members}
        out[pool] = combine_pool(PoolInput(raw, truth, norms, reader.floor(indicator),
                                           get_settings().backtest_origins, union_inflation(pool),
                                           indicator in TURBULENT_INDICATORS))
    return out


# --- the run ---------------------------------------------------------------------------------------------


def run_forecasts(engine: Engine, countries: list[str] | None = None, indicators: list[str] | None = None,
                  horizon: int = 3, as_of=None, seed: int | None = None, workers: int | None = None,
                  progress=None, scheduler: str | None = None, reuse: bool = False) -> int:
    """Projects every matching series as known at ``as_of``; stores the run; returns its id.

    With ``reuse``, a stored run made from the same data (content hash), code version and settings
    is returned instead of computing it again: what ``make run`` does on a second start.
    """
    settings = get_settings()
    seed = settings.seed if seed is None else int(seed)
    scheduler = scheduler or settings.dask_scheduler
    workers = default_workers(workers)
    moment = repository.parse_as_of(as_of)
    reader = StoreReader(engine, None, indicators, moment, for_run=True)
    wanted = [k for k in reader.keys() if not countries or k[0] in countries]
    keys = pool_keys(reader, wanted)
    final = run_date(reader, moment)
    origins = origin_dates(final, 1900, settings.backtest_origins)
    digest = data_hash(reader, keys)
    same = reusable_run(engine, digest, horizon, moment, final, countries, reader.indicators, seed) if reuse else None
    if same is not None:
        return same
    tasks = make_tasks(reader, keys, origins, final, moment, horizon, seed)
    results = run_tasks(tasks, workers, progress, scheduler)
    pools = combine_pools(reader, results)
    forecasts, skipped = assemble_all(reader, results, pools, pd.Timestamp(final), set(wanted))
    record = RunRecord(
        settings=run_settings(horizon, moment, final, countries, reader.indicators, workers, scheduler, skipped,
                              tasks, origins, digest),
        seed=seed, code_version=code_version(), data_vintage=read_vintage(engine, reader, keys, moment),
        as_of=final, forecasts=forecasts, message=message(forecasts, skipped),
    )
    return save_run(engine, record)


def assemble_all(reader: StoreReader, results: list, pools: dict[str, PoolOutput], final: pd.Timestamp,
                 wanted: set) -> tuple[list[SeriesForecast], list[SkippedSeries]]:
    """The stored forecasts of the series asked for (gold first: growth's scenario state reads it)."""
    forecasts, skipped, gold_paths = [], [], {}
    order = sorted(results, key=lambda r: (r.indicator not in registry.GOLD_INDICATORS, r.country, r.indicator))
    projected = {name: set(pool.econ["series"]) for name, pool in pools.items()}
    for r in order:
        if isinstance(r, SkippedSeries):
            skipped += [r] if (r.country, r.indicator) in wanted else []
            continue
        pool = pools.get(r.pool)
        if pool is None or r.key not in projected[r.pool]:
            skipped += [SkippedSeries(r.country, r.indicator, "no backtest origin with enough data")] \
                if (r.country, r.indicator) in wanted else []
            continue
        floor = reader.floor(r.indicator)
        extra = gold_state(reader, r, gold_paths) if r.indicator == "gdp_growth" else None
        built = assemble.build(r, pool, final, reader.norms_for(r.country, r.indicator),
                               reader.first_norm(r.country, r.indicator), floor, extra)
        if r.indicator in registry.GOLD_INDICATORS:
            gold_paths[(r.country, r.indicator)] = built.points[built.points["model"] == assemble.ECON]
        if (r.country, r.indicator) in wanted:
            forecasts.append(built)
    return forecasts, skipped


def gold_state(reader: StoreReader, growth: SeriesCandidates, gold_paths: dict) -> dict | None:
    """What the Scenarios page starts from: the gold regression, the gold known, and the default
    gold path (the freshest official projection of each year, else econ's gold projection)."""
    if growth.gold_state is None:
        return None
    indicator = reader.gold_indicator(growth.country)
    history = reader.history(growth.country, indicator)
    known = history.as_of(None) if reader.as_of is None else history.known_at(reader.as_of)
    econ = gold_paths.get((growth.country, indicator))
    baseline = {} if econ is None else {str(p): float(m) for p, m in zip(econ["period"], econ["mean"])}
    official = reader.inputs(growth.country, "gdp_growth").gold_official
    if official is not None and len(official):
        freshest = official.sort_values("vintage", kind="stable").drop_duplicates("year", keep="last")
        baseline.update({str(y): float(v) for y, v in zip(freshest["year"], freshest["value"])})
    first = int(growth.last_period) + 1 if growth.last_period else None
    years = [str(y) for y in range(first, first + 10)] if first else []
    years = [y for y in years if y in {str(p) for p in growth.model_points["period"]}]
    known_gold = {str(p.year): float(v) for p, v in known.items()}
    baseline = {y: v for y, v in baseline.items() if y not in known_gold}
    return {"growth_gold": growth.gold_state, "gold_indicator": indicator, "known_gold": known_gold,
            "baseline_gold": carried_forward(baseline, known_gold, years), "years": years}


def carried_forward(baseline: dict[str, float], known: dict[str, float], years: list[str]) -> dict[str, float]:
    """The default path with no gap: a year neither projected by econ in this run (a run of growth
    alone does not project gold) nor by an official keeps the year before's tonnage, as the
    growth-on-gold regression's own candidate assumes (``tonnage_path``, which backtests use too)."""
    if not known or not years:
        return dict(baseline)
    tonnes = tonnage_path({int(y): v for y, v in known.items()}, {int(y): v for y, v in baseline.items()},
                          int(years[-1]))
    carried = {y: tonnes[int(y)] for y in years if y not in known and tonnes.get(int(y)) is not None}
    return {**baseline, **carried}


def reusable_run(engine: Engine, digest: str, horizon: int, moment, final, countries, indicators,
                 seed: int) -> int | None:
    """The newest stored run of the same data, code, settings and date, if any (the date is the store's:
    a figure of another series can move it without changing the data hashed)."""
    from econ.store.runs import runs

    table = runs(engine, limit=20)
    for row in table.itertuples() if len(table) else []:
        settings = row.settings or {}
        if (row.status == "done" and row.code_version == code_version() and int(row.seed) == seed
                and settings.get("data_hash") == digest and settings.get("horizon") == horizon
                and settings.get("as_of") == (moment.isoformat() if moment else None)
                and settings.get("forecast_date") == final.isoformat()
                and settings.get("countries") == (sorted(countries) if countries else None)
                and settings.get("indicators") == indicators):
            return int(row.id)
    return None


# --- provenance ------------------------------------------------------------------------------------------


def library_versions() -> dict:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    out["blas"] = [{k: info.get(k) for k in ("internal_api", "version", "num_threads", "threading_layer")}
                   | {"library": os.path.basename(info.get("filepath", ""))} for info in threadpool_info()]
    return out


def data_hash(reader: StoreReader, keys) -> str:
    """A content hash of every figure and official projection the run read: same hash, same inputs."""
    digest = hashlib.sha256()
    for key in sorted(keys):
        for indicator in sorted({key[1], "cpi", *registry.GOLD_INDICATORS}):
            group = reader.groups.get((key[0], indicator))
            if group is not None:
                digest.update(group[["period", "value", "vintage", "dated"]].to_csv(index=False).encode())
    digest.update(reader.official.drop(columns=["vintage"]).sort_values(
        ["publisher", "published", "country", "indicator", "target_period"]).to_csv(index=False).encode())
    return digest.hexdigest()


def run_settings(horizon, moment, final, countries, indicators, workers, scheduler, skipped, tasks, origins,
                 digest: str) -> dict:
    lags = Lags.from_settings()
    models = sorted({m.name for t in tasks for m in models_for(t.inputs)})
    reader_keys = [(t.inputs.country, t.inputs.indicator) for t in tasks]
    return {
        "horizon": horizon, "as_of": moment.isoformat() if moment else None, "forecast_date": final.isoformat(),
        "countries": sorted(countries) if countries else None, "indicators": indicators, "models": models,
        "peers": [f"{c}/{i}" for c, i in reader_keys],
        "backtest": {"origins": [o.strftime("%Y-%m-%d") for o in origins], "min_train_years": MIN_TRAIN,
                     "refit_every": REFIT_EVERY},
        "combination": {"min_errors": MIN_ERRORS, "shrink": SHRINK, "min_calibration": MIN_CALIBRATION,
                        "pools": sorted({t.pool for t in tasks}),
                        "moved_toward_union": {"pools": sorted({t.pool for t in tasks if union_inflation(t.pool)}),
                                               "shares": list(UNION_SHARES) if UNION_PULL is None else [UNION_PULL],
                                               "chosen": "per model and origin, from errors known then"
                                               if UNION_PULL is None else "fixed"}},
        "publication_lag_months": {"annual": lags.annual, "monthly": lags.monthly},
        "levels": [0.8, 0.95], "workers": workers, "scheduler": scheduler, "data_hash": digest,
        "versions": library_versions(),
        "skipped": {f"{s.country}/{s.indicator}": s.reason for s in skipped},
    }


def message(forecasts: list, skipped: list) -> str:
    text = f"{len(forecasts)} series projected"
    if skipped:
        text += f"; {len(skipped)} skipped: " + "; ".join(f"{s.country}/{s.indicator} ({s.reason})" for s in skipped)
    return text
