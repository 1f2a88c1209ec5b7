"""Forecast runs: read the store as of a vintage, backtest and fit every series, store the run.

For each series (a country's indicator) the run

1. backtests every applicable model over rolling origins (``econ.backtest``), with the data of
   each origin only;
2. fits every model on all the data and simulates paths of the coming years;
3. builds the candidates (naive, best model, inverse-MSE combination), widens every interval by
   its conformal factors, and keeps the candidate that backtested best one year ahead;
4. computes the probability of breaching each norm from the chosen projection's paths, and the
   official forecasters' accuracy over the same years.

Series run in parallel (one process per core by default). Each series gets its own random
generator, derived from the run's seed and the series' name, so the same inputs give the same
numbers whatever the order or the number of workers.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import threading
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from econ.backtest import (
    MIN_TRAIN, N_ORIGINS, REFIT_EVERY, ROW_COLUMNS, WARMUP, Evaluation, SeriesData, calibrate_paths, evaluate,
    exog_for, fit_on, origins_for, score, scores_by_model,
)
from econ.config import get_settings
from econ.models import registry
from econ.models.base import ModelSkipped, normal_frame, quantile_frame
from econ.models.growth_gold import from_state, path_growth
from econ.models.monthly_cpi import annual_average_inflation
from econ.norms import p_breach
from econ.official_skill import actuals_by_year, official_skill
from econ.schema import INDICATORS
from econ.version import code_version
from econ.store import repository
from econ.store.runs import (
    BACKTEST_FIELDS, CHECK_FIELDS, POINT_FIELDS, RunRecord, SeriesForecast, StoredForecast, forecast_state,
    latest_forecast, save_run,
)
from econ.store.tables import Forecast

DEFAULT_INDICATORS = (
    "gdp_growth", "inflation", "gold_production", "gold_production_industrial", "fiscal_balance", "public_debt",
)
N_PATHS = 2000
MIN_YEARS = 5
EMPTY = pd.Series(dtype="float64", index=pd.PeriodIndex([], freq="Y"))


# --- what one series needs -------------------------------------------------------------------


@dataclass
class SeriesTask:
    """Everything a worker needs to forecast one series, with no access to the store."""

    data: SeriesData
    norms: list[dict]
    official: pd.DataFrame
    horizon: int
    seed: int
    n_origins: int = N_ORIGINS
    scored_years: tuple[int, int] | None = None
    gold: "SeriesTask | None" = None  # the gold series' own task, for the growth regression
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.data.country}/{self.data.indicator}"


@dataclass
class SkippedSeries:
    country: str
    indicator: str
    reason: str


@dataclass
class FinalProjection:
    """One model's (or candidate's) projection: central values and calibrated sample paths."""

    name: str
    index: pd.PeriodIndex
    mean: np.ndarray
    paths: np.ndarray
    fitted: object = None
    raw: np.ndarray | None = None  # the paths before calibration
    weights: dict = field(default_factory=dict)  # the combination's, one year ahead
    by_horizon: dict = field(default_factory=dict)  # the combination's, every horizon

    def frame(self) -> pd.DataFrame:
        return quantile_frame(self.index, self.mean, self.paths).assign(model=self.name)


@dataclass
class Projection:
    task: SeriesTask
    data: SeriesData
    evaluation: Evaluation
    finals: dict[str, FinalProjection]
    chosen: str
    gold: "Projection | None" = None
    final_skipped: dict[str, str] = field(default_factory=dict)


def series_seed(seed: int, country: str, indicator: str) -> list[int]:
    """A generator seed for one series: the run's seed plus a stable hash of the series' name."""
    return [int(seed), zlib.crc32(f"{country}/{indicator}".encode())]


# --- reading the store ------------------------------------------------------------------------


def annual_series(frame: pd.DataFrame) -> pd.Series:
    annual = frame[frame["period"].str.len() == 4].sort_values("period")
    index = pd.PeriodIndex([pd.Period(p, freq="Y") for p in annual["period"]])
    return pd.Series(annual["value"].to_numpy(dtype=float), index=index)


def monthly_series(frame: pd.DataFrame) -> pd.Series:
    monthly = frame[frame["period"].str.len() == 7].sort_values("period")
    index = pd.PeriodIndex([pd.Period(p, freq="M") for p in monthly["period"]])
    return pd.Series(monthly["value"].to_numpy(dtype=float), index=index)


def contiguous_tail(y: pd.Series) -> tuple[pd.Series, str | None]:
    """The last run of consecutive years (models need no gaps), and a note when years were dropped."""
    y = y.dropna()
    if len(y) < 2:
        return y, None
    years = np.asarray(y.index.year)
    breaks = np.flatnonzero(np.diff(years) != 1)
    if not len(breaks):
        return y, None
    tail = y.iloc[breaks[-1] + 1:]
    return tail, f"gappy series: missing years before {tail.index[0]}; only {tail.index[0]}-{tail.index[-1]} used"


def with_cpi_years(y: pd.Series, cpi: pd.Series) -> tuple[pd.Series, str | None]:
    """Recorded annual inflation, extended by complete CPI years after its last recorded year."""
    derived = annual_average_inflation(cpi)
    later = derived[derived.index > y.index[-1]] if len(y) else derived
    if later.empty:
        return y, None
    note = f"inflation {later.index[0]}-{later.index[-1]} computed from the monthly CPI (annual averages)"
    return pd.concat([y, later]).sort_index(), note


def wanted_indicators(indicators) -> list[str]:
    chosen = list(indicators) if indicators else list(DEFAULT_INDICATORS)
    return sorted({"inflation" if i == "cpi" else i for i in chosen})


class StoreReader:
    """The store's contents for one run, read once, cut into tasks."""

    def __init__(self, engine: Engine, countries, indicators, as_of, horizon: int, seed: int,
                 scored_years: tuple[int, int] | None = None):
        self.indicators = wanted_indicators(indicators)
        extra = {"cpi", *registry.GOLD_INDICATORS}
        self.obs = repository.observations(engine, countries, sorted(set(self.indicators) | extra), as_of)
        self.official = repository.official_projections(engine, countries, self.indicators, as_of)
        self.norms = repository.norms(engine)
        self.horizon, self.seed, self.scored_years = horizon, seed, scored_years
        self.groups = {k: g for k, g in self.obs.groupby(["country", "indicator"])}

    def keys(self) -> list[tuple[str, str]]:
        keys = {k for k in self.groups if k[1] in self.indicators}
        if "inflation" in self.indicators:
            keys |= {(c, "inflation") for c, i in self.groups if i == "cpi"}
        return sorted(keys)

    def task(self, country: str, indicator: str) -> SeriesTask | SkippedSeries:
        notes: list[str] = []
        y = annual_series(self.groups[(country, indicator)]) if (country, indicator) in self.groups else EMPTY
        cpi = None
        if indicator == "inflation" and (country, "cpi") in self.groups:
            cpi = monthly_series(self.groups[(country, "cpi")])
        if cpi is not None and len(cpi):
            y, note = with_cpi_years(y, cpi)
            notes += [note] if note else []
        y, note = contiguous_tail(y)
        notes += [note] if note else []
        if len(y) < MIN_YEARS:
            reason = f"too short: {len(y)} consecutive year(s), {MIN_YEARS} needed"
            return SkippedSeries(country, indicator, f"{note}; {reason}" if note else reason)
        data = SeriesData(country, indicator, y, cpi, actuals=y)
        gold = self._gold_task(country) if indicator == "gdp_growth" else None
        if gold is not None:
            data.gold = gold.data.y
        return SeriesTask(data, self._norms(country, indicator), self._official(country, indicator), self.horizon,
                          self.seed, scored_years=self.scored_years, gold=gold, notes=notes)

    def _gold_task(self, country: str) -> SeriesTask | None:
        """The first usable gold series (industrial output, else the total) as its own task."""
        for indicator in registry.GOLD_INDICATORS:
            if (country, indicator) in self.groups:
                task = self.task(country, indicator)
                if isinstance(task, SeriesTask):
                    return replace(task, scored_years=None)
        return None

    def _norms(self, country: str, indicator: str) -> list[dict]:
        table = self.norms[self.norms["indicator"] == indicator]
        applies = table["countries"].isna() | table["countries"].fillna("").str.split().apply(lambda cs: country in cs)
        return table[applies.astype(bool)].to_dict("records")

    def _official(self, country: str, indicator: str) -> pd.DataFrame:
        o = self.official
        return o[(o["country"] == country) & (o["indicator"] == indicator)].reset_index(drop=True)


# --- one series ---------------------------------------------------------------------------------


def project(task: SeriesTask) -> Projection:
    """Backtest, fit and choose for one series (raises ``ModelSkipped`` when nothing can be done)."""
    data, gold = task.data, None
    if task.gold is not None:
        gold, data = _with_gold_paths(task)
    has_gold = data.gold is not None and bool(data.gold_paths)
    names = registry.models_for(data.indicator, data.cpi is not None and len(data.cpi) > 0, has_gold)
    models = [registry.get(n) for n in names]
    origins, scored = origins_for(data.y.index, task.n_origins, WARMUP, task.scored_years)
    evaluation = evaluate(models, data, task.horizon, origins, scored)
    finals, skipped = final_projections(models, data, task, evaluation)
    if "naive" not in finals:
        raise ModelSkipped(skipped.get("naive", "the naive benchmark could not be computed"))
    floor = 0.0 if INDICATORS[data.indicator].nonnegative else -np.inf  # tonnes, debt ratios
    finals.update(candidate_projections(finals, evaluation, floor))
    chosen = evaluation.chosen if evaluation.chosen in finals else "naive"
    return Projection(task, data, evaluation, finals, chosen, gold, skipped)


def _with_gold_paths(task: SeriesTask) -> tuple["Projection | None", SeriesData]:
    """Runs the gold series first: its backtest forecasts feed the growth regression at each origin."""
    try:
        gold = project(task.gold)
    except ModelSkipped as skipped:
        task.notes.append(f"gold projection unavailable: {skipped.reason}")
        return None, task.data
    rows = gold.evaluation.rows
    rows = rows[rows["model"] == gold.chosen]
    paths = {int(o): {int(p): float(v) for p, v in zip(g["period"], g["forecast"])} for o, g in rows.groupby("origin")}
    final = gold.finals[gold.chosen]
    paths[int(gold.data.last_year)] = {int(p.year): float(m) for p, m in zip(final.index, final.mean)}
    return gold, replace(task.data, gold=gold.data.y, gold_paths=paths)


def final_projections(models, data: SeriesData, task: SeriesTask, evaluation: Evaluation):
    """Every model fitted on all the data: central values and calibrated paths."""
    finals, skipped = {}, {}
    seed = series_seed(task.seed, data.country, data.indicator)
    for i, model in enumerate(models):
        try:
            fitted = fit_on(model, data)
            exog = exog_for(model, data, task.horizon)
            frame = fitted.forecast(task.horizon, exog=exog)
            raw = fitted.simulate(task.horizon, N_PATHS, np.random.default_rng([*seed, i]), exog=exog)
        except ModelSkipped as why:
            skipped[model.name] = why.reason
            continue
        except (ValueError, np.linalg.LinAlgError, IndexError) as error:
            skipped[model.name] = f"{type(error).__name__}: {error}"
            continue
        mean = frame["mean"].to_numpy()
        if not (np.isfinite(mean).all() and np.isfinite(raw).all()):
            skipped[model.name] = "the fitted model gives non-finite forecasts"
            continue
        floor = 0.0 if INDICATORS[data.indicator].nonnegative else -np.inf  # tonnes, debt ratios
        paths = np.maximum(calibrate_paths(raw, mean, evaluation.factors.get(model.name, {})), floor)
        finals[model.name] = FinalProjection(model.name, frame.index, mean, paths, fitted, raw)
    return finals, skipped


def candidate_projections(finals: dict[str, FinalProjection], evaluation: Evaluation,
                          floor: float = -np.inf) -> dict[str, FinalProjection]:
    """The combination (quantile-averaged paths, weights per horizon) and the best model, calibrated."""
    index = finals["naive"].index
    weights = [_final_weights(evaluation.weights.get(h, {}), finals) for h in range(1, len(index) + 1)]
    mean = np.array([sum(w * finals[m].mean[j] for m, w in weights[j].items()) for j in range(len(index))])
    raw = np.column_stack([
        sum(w * np.sort(finals[m].raw[:, j]) for m, w in weights[j].items()) for j in range(len(index))
    ])
    factors = evaluation.factors
    paths = np.maximum(calibrate_paths(raw, mean, factors.get("combination", {})), floor)
    combination = FinalProjection("combination", index, mean, paths, None, raw, weights[0])
    combination.by_horizon = {str(h + 1): w for h, w in enumerate(weights)}
    b = finals[evaluation.best if evaluation.best in finals else "naive"]
    paths = np.maximum(calibrate_paths(b.raw, b.mean, factors.get("best", {})), floor)
    return {"combination": combination, "best": FinalProjection("best", index, b.mean, paths, b.fitted, b.raw)}


def _final_weights(weights: dict[str, float], finals: dict[str, FinalProjection]) -> dict[str, float]:
    """The backtest weights of the models fitted at the end (renormalised; equal without evidence)."""
    models = {m: w for m, w in weights.items() if m in finals and m not in ("combination", "best") and w > 0}
    if not models:
        models = {m: 1.0 for m in finals if m not in ("combination", "best")}
    total = sum(models.values())
    return {m: w / total for m, w in models.items()}


# --- from a projection to what the store keeps ----------------------------------------------------


def series_forecast(proj: Projection) -> SeriesForecast:
    """The stored form: every model's points, the chosen one's norm checks, backtests, evidence."""
    chosen = proj.finals[proj.chosen]
    names = [n for n in proj.finals if n != "best" or proj.chosen == "best"]
    points = pd.concat([_points(proj.finals[n]) for n in names], ignore_index=True)
    return SeriesForecast(
        country=proj.data.country, indicator=proj.data.indicator, model=proj.chosen,
        last_period=str(proj.data.y.index[-1]), points=points, norm_checks=_checks(chosen, proj.task.norms),
        backtest=_backtest_frame(proj.evaluation.rows), weights=_weights(proj), scores=_scores(proj),
        calibration=_calibration(proj), diagnostics=_diagnostics(proj), state=_state(proj),
    )


def _points(final: FinalProjection) -> pd.DataFrame:
    frame = final.frame()
    frame["period"] = [str(p) for p in frame.index]
    return frame.reset_index(drop=True)[POINT_FIELDS]


def _checks(final: FinalProjection, norms: list[dict]) -> pd.DataFrame:
    rows = []
    for norm in norms:
        probabilities = p_breach(final.paths, norm["comparison"], float(norm["threshold"]))
        rows += [
            {"period": str(p), "norm_code": norm["code"], "comparison": norm["comparison"],
             "threshold": float(norm["threshold"]), "p_breach": float(pb)}
            for p, pb in zip(final.index, probabilities)
        ]
    return pd.DataFrame(rows, columns=CHECK_FIELDS)


def _backtest_frame(rows: pd.DataFrame) -> pd.DataFrame:
    frame = rows.loc[rows["actual"].notna(), ROW_COLUMNS].copy()
    frame["origin"] = frame["origin"].astype(int).astype(str)
    frame["period"] = frame["period"].astype(int).astype(str)
    frame["horizon"] = frame["horizon"].astype(int)
    return frame[BACKTEST_FIELDS].reset_index(drop=True)


def _weights(proj: Projection) -> dict:
    combination = proj.finals["combination"].weights
    if proj.chosen == "naive":
        used = {"naive": 1.0}
    elif proj.chosen == "best":
        used = {proj.evaluation.best if proj.evaluation.best in proj.finals else "naive": 1.0}
    else:
        used = combination
    by_horizon = {h: _rounded(w) for h, w in proj.finals["combination"].by_horizon.items()}
    return {"chosen": proj.chosen, "used": _rounded(used), "combination": _rounded(combination),
            "combination_by_horizon": by_horizon, "best_model": proj.evaluation.best}


def _rounded(weights: dict) -> dict:
    return {m: round(float(w), 6) for m, w in weights.items()}


def first_norm(norms: list[dict]) -> dict | None:
    return sorted(norms, key=lambda n: n["code"])[0] if norms else None


def _scores(proj: Projection) -> dict:
    norm = first_norm(proj.task.norms)
    scores = scores_by_model(proj.evaluation, norm)
    scores["official"] = official_comparison(proj, norm)
    return scores


def official_comparison(proj: Projection, norm: dict | None) -> list[dict]:
    """Each publisher's accuracy on the backtest years, beside the run's projection on the same years."""
    years = [o + 1 for o in proj.evaluation.scored]
    entries = official_skill(proj.task.official, actuals_by_year(proj.data.y), years, norm)
    rows = proj.evaluation.rows
    mine = rows[(rows["model"] == proj.chosen) & (rows["horizon"] == 1)]
    for entry in entries:
        same = mine[mine["period"].isin(entry["years"])]
        model = score(same, norm)
        entry.update(model_n=model["n"], model_mae=model["mae"], model_norm_hit_rate=model["norm_hit_rate"])
    return entries


def _calibration(proj: Projection) -> dict:
    factors = proj.evaluation.factors
    chosen = factors.get(proj.chosen, {})
    f80, f95 = chosen.get(1, (1.0, 1.0))
    return {
        "method": "conformal", "widened": bool(f80 > 1 or f95 > 1), "narrowed": bool(f80 < 1 or f95 < 1),
        "factor_80": f80, "factor_95": f95,
        "by_horizon": {str(h): list(f) for h, f in chosen.items()},
        "models": {name: {"factor_80": f.get(1, (1.0, 1.0))[0], "factor_95": f.get(1, (1.0, 1.0))[1]}
                   for name, f in factors.items()},
    }


def _diagnostics(proj: Projection) -> dict:
    ev = proj.evaluation
    skipped = {**ev.skipped, **proj.final_skipped}
    warnings = {name: notes[:20] for name, notes in ev.notes.items() if notes}
    for name, final in proj.finals.items():
        extra = [w for w in getattr(final.fitted, "warnings", []) if w not in warnings.get(name, [])]
        if extra and name not in ("best",):
            warnings[name] = (warnings.get(name, []) + extra)[:20]
    return {
        "warnings": warnings, "skipped": skipped, "notes": list(proj.task.notes),
        "models": [n for n in proj.finals if n not in ("best", "combination")],
        "origins": [int(o) for o in sorted(set(ev.rows["origin"]))] if len(ev.rows) else [],
        "scored_origins": [int(o) for o in ev.scored],
    }


def _state(proj: Projection) -> dict | None:
    """For growth on gold: what a scenario needs to forecast again with another gold path."""
    final = proj.finals.get("growth_gold")
    if final is None or proj.gold is None:
        return None
    gold = proj.data.gold.dropna()
    gold_final = proj.gold.finals[proj.gold.chosen]
    return {
        "growth_gold": final.fitted.state(), "gold_indicator": proj.gold.data.indicator,
        "known_gold": {str(p): float(v) for p, v in gold.items()},
        "baseline_gold": {str(p): float(m) for p, m in zip(gold_final.index, gold_final.mean)},
        "years": [str(p) for p in final.index],
        "factors": {str(h): list(f) for h, f in proj.evaluation.factors.get("growth_gold", {}).items()},
    }


def forecast_series(task: SeriesTask) -> SeriesForecast | SkippedSeries:
    """One series, start to end; never raises: a failure becomes a recorded reason."""
    try:
        return series_forecast(project(task))
    except ModelSkipped as skipped:
        return SkippedSeries(task.data.country, task.data.indicator, skipped.reason)
    except Exception as error:  # noqa: BLE001 - one broken series must not stop the run
        return SkippedSeries(task.data.country, task.data.indicator, f"failed: {type(error).__name__}: {error}")


# --- the run ------------------------------------------------------------------------------------


def default_workers(workers: int | None) -> int:
    """Processes for a run: one per core by default, but one inside a daemonic process (a Celery
    prefork worker, say), which may not start children of its own."""
    if multiprocessing.current_process().daemon:
        return 1
    if workers is None:
        workers = get_settings().workers
    return max(1, workers or os.cpu_count() or 1)


def run_tasks(tasks: list[SeriesTask], workers: int, progress=None) -> list[SeriesForecast | SkippedSeries]:
    """Forecasts every task, in worker processes when ``workers`` > 1; results in task order."""
    results: dict[int, object] = {}
    total = len(tasks)
    if workers <= 1 or total <= 1:
        with blas_threads(1):
            for i, task in enumerate(tasks):
                results[i] = forecast_series(task)
                _report(progress, len(results), total, task)
        return [results[i] for i in range(total)]
    with single_threaded_env(), ProcessPoolExecutor(
        min(workers, total), mp_context=_context(), initializer=limit_blas_threads
    ) as pool:
        futures = {pool.submit(forecast_series, tasks[i]): i for i in _heaviest_first(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            _report(progress, len(results), total, tasks[i])
    return [results[i] for i in range(total)]


# The matrices here are small (Kalman filters, 2000 x 36 path draws): BLAS threads only fight the
# other workers for the cores. With one thread a monthly series takes half the CPU time.
BLAS_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _openblas_libraries() -> list[tuple[ctypes.CDLL, str]]:
    """The OpenBLAS builds loaded in this process (numpy's and scipy's), with their symbol pattern."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return []
    found = []
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        patterns = [f"{p}_%s_num_threads{s}" for p in ("scipy_openblas", "openblas") for s in ("64_", "")]
        usable = [pattern for pattern in patterns if hasattr(library, pattern % "set")]
        if usable:
            found.append((library, usable[0]))
    return found


def limit_blas_threads(n: int = 1) -> list[int]:
    """Sets every loaded OpenBLAS to ``n`` threads (as threadpoolctl would); returns the previous counts."""
    previous = []
    for library, pattern in _openblas_libraries():
        previous.append(int(getattr(library, pattern % "get")()))
        getattr(library, pattern % "set")(n)
    return previous


@contextmanager
def blas_threads(n: int):
    """OpenBLAS limited to ``n`` threads inside the block, restored after."""
    libraries = _openblas_libraries()
    previous = limit_blas_threads(n)
    try:
        yield
    finally:
        for (library, pattern), count in zip(libraries, previous):
            getattr(library, pattern % "set")(count)


@contextmanager
def single_threaded_env():
    """Spawned processes start with one BLAS thread: the variables count before numpy loads."""
    saved = {k: os.environ.get(k) for k in BLAS_ENV}
    os.environ.update(BLAS_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _context():
    """Fork while the process has one thread (fast, needs no ``__main__`` guard); else a fork server
    that has imported the models once (forking a threaded process, such as the dashboard, is unsafe)."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["econ.forecast"])
    return context


def _heaviest_first(tasks: list[SeriesTask]) -> list[int]:
    """Task positions, monthly and gold-fed series first, so that no slow series starts last."""
    weight = lambda i: (tasks[i].data.cpi is not None) * 2 + (tasks[i].gold is not None)  # noqa: E731
    return sorted(range(len(tasks)), key=weight, reverse=True)


def _report(progress, done: int, total: int, task: SeriesTask) -> None:
    if progress is not None:
        progress(done, total, task.key)


def run_forecasts(engine: Engine, countries: list[str] | None = None, indicators: list[str] | None = None,
                  horizon: int = 3, as_of=None, seed: int | None = None, workers: int | None = None,
                  progress=None) -> int:
    """Fits and backtests every matching series as known at ``as_of``; stores the run; returns its id."""
    seed = get_settings().seed if seed is None else int(seed)
    workers = default_workers(workers)
    moment = repository.parse_as_of(as_of)
    reader = StoreReader(engine, countries, indicators, moment, horizon, seed)
    tasks, skipped = [], []
    for country, indicator in reader.keys():
        item = reader.task(country, indicator)
        (tasks if isinstance(item, SeriesTask) else skipped).append(item)
    results = run_tasks(tasks, workers, progress)
    forecasts = [r for r in results if isinstance(r, SeriesForecast)]
    skipped += [r for r in results if isinstance(r, SkippedSeries)]
    record = RunRecord(
        settings=_settings(horizon, moment, countries, reader.indicators, workers, skipped, tasks),
        seed=seed, code_version=code_version(), data_vintage=repository.data_vintage(engine, moment),
        as_of=moment, forecasts=forecasts, message=_message(forecasts, skipped),
    )
    return save_run(engine, record)


def _settings(horizon, moment, countries, indicators, workers, skipped, tasks) -> dict:
    models = sorted({
        n for t in tasks for n in registry.models_for(t.data.indicator, t.data.cpi is not None, t.gold is not None)
    })
    return {
        "horizon": horizon, "as_of": moment.isoformat() if moment else None,
        "countries": sorted(countries) if countries else None, "indicators": indicators, "models": models,
        "backtest": {
            "origins": N_ORIGINS, "warmup": WARMUP, "min_train": MIN_TRAIN, "horizons": list(range(1, horizon + 1)),
            "refit_every": {m: registry.get(m).refit_every or REFIT_EVERY for m in models},
        },
        "paths": N_PATHS, "levels": [0.8, 0.95], "calibration": "conformal", "workers": workers,
        "skipped": {f"{s.country}/{s.indicator}": s.reason for s in skipped},
    }


def _message(forecasts: list, skipped: list) -> str:
    text = f"{len(forecasts)} series projected"
    if skipped:
        text += f"; {len(skipped)} skipped: " + "; ".join(f"{s.country}/{s.indicator} ({s.reason})" for s in skipped)
    return text


# --- reading a run back as JSON ---------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _number(value):
    return None if value is None or (isinstance(value, float) and not np.isfinite(value)) else float(value)


def points_json(stored: StoredForecast) -> tuple[list[dict], dict | None]:
    """The chosen projection's points with the breach probability of the series' (first) norm."""
    checks = stored.norm_checks
    norm = None
    if len(checks):
        code = sorted(set(checks["norm_code"]))[0]
        checks = checks[checks["norm_code"] == code]
        head = checks.iloc[0]
        norm = {"code": code, "comparison": head["comparison"], "threshold": float(head["threshold"])}
    breach = dict(zip(checks["period"], checks["p_breach"])) if norm else {}
    points = [
        {"period": r.period, "mean": _number(r.mean), "lower_80": _number(r.lower_80), "upper_80": _number(r.upper_80),
         "lower_95": _number(r.lower_95), "upper_95": _number(r.upper_95), "p_breach": _number(breach.get(r.period))}
        for r in stored.chosen().itertuples()
    ]
    return points, norm


def forecast_json(stored: StoredForecast) -> dict:
    """The API's ``GET /api/v1/forecasts`` payload for one series."""
    points, norm = points_json(stored)
    run = stored.run
    return {
        "country": stored.country, "indicator": stored.indicator,
        "run": {"id": run["id"], "created_at": _iso(run["created_at"]), "data_vintage": _iso(run["data_vintage"]),
                "model": stored.model},
        "norm": norm, "points": points,
    }


def run_json(engine: Engine, run_id: int) -> dict:
    """``econ forecast --json``: the run's provenance and every series' chosen projection."""
    with engine.connect() as conn:
        keys = conn.execute(
            select(Forecast.country, Forecast.indicator).where(Forecast.run_id == run_id).order_by(Forecast.id)
        ).all()
    forecasts, run = [], None
    for country, indicator in keys:
        stored = latest_forecast(engine, country, indicator, run_id=run_id)
        run = run or stored.run
        points, norm = points_json(stored)
        forecasts.append(
            {"country": country, "indicator": indicator, "model": stored.model, "points": points, "norm": norm}
        )
    run = run or _run_row(engine, run_id)
    return {
        "run": {"id": run["id"], "created_at": _iso(run["created_at"]), "data_vintage": _iso(run["data_vintage"]),
                "code_version": run["code_version"]},
        "forecasts": forecasts,
    }


def _run_row(engine: Engine, run_id: int) -> dict:
    from econ.store.tables import ForecastRun

    with engine.connect() as conn:
        row = conn.execute(select(ForecastRun).where(ForecastRun.id == run_id)).mappings().one()
    return dict(row)


# --- scenarios: a new gold path, the stored parameters -----------------------------------------------


def scenario(engine: Engine, country: str, gold_path: dict[str, float], run_id: int | None = None) -> pd.DataFrame:
    """Growth under an analyst's gold production path (tonnes a year), from the stored fit; no refit.

    ``gold_path`` maps years (``"2026"``) to tonnes of the gold series the regression uses
    (``gold_indicator`` in the stored state, industrial output by default); years it leaves out
    keep the run's baseline gold projection. Returns the growth-on-gold model's projection
    (POINT columns without country/indicator/model), its intervals widened by the stored
    conformal factors.
    """
    stored = latest_forecast(engine, country, "gdp_growth", run_id=run_id)
    state = forecast_state(engine, stored.forecast_id) if stored else None
    if not state or "growth_gold" not in state:
        raise LookupError(f"no growth-on-gold model stored for {country}: run a forecast with its gold series first")
    years = [int(y) for y in state["years"]]
    tonnes = {int(k): float(v) for k, v in {**state["baseline_gold"], **state["known_gold"]}.items()}
    tonnes.update({int(str(k)[:4]): float(v) for k, v in gold_path.items()})
    missing = [y for y in range(years[0] - 1, years[-1] + 1) if y not in tonnes]
    if missing:
        raise ValueError(f"the gold path lacks {missing[0]}")
    growth = path_growth(tonnes[years[0] - 1], [tonnes[y] for y in years])
    fitted = from_state(state["growth_gold"])
    mean, sd = fitted.moments(len(years), exog=growth)
    frame = normal_frame(pd.PeriodIndex([pd.Period(str(y), freq="Y") for y in years]), mean, sd)
    return _scenario_frame(frame, state.get("factors", {}))


def scenario_baseline(engine: Engine, country: str, run_id: int | None = None) -> dict:
    """The gold path the run assumed for each projected growth year (known tonnage, else the run's
    gold projection), and which gold series it is: what a scenario form should start from.

    ``{"indicator": "gold_production_industrial", "path": {"2025": 42.2, "2026": 41.0, ...}}``.
    """
    stored = latest_forecast(engine, country, "gdp_growth", run_id=run_id)
    state = forecast_state(engine, stored.forecast_id) if stored else None
    if not state or "growth_gold" not in state:
        raise LookupError(f"no growth-on-gold model stored for {country}: run a forecast with its gold series first")
    tonnes = {**state["baseline_gold"], **state["known_gold"]}
    return {"indicator": state["gold_indicator"], "path": {y: float(tonnes[y]) for y in state["years"] if y in tonnes}}


def _scenario_frame(frame: pd.DataFrame, factors: dict) -> pd.DataFrame:
    """Normal intervals widened by the stored factors, never narrower than the year before's
    (as the run's own projection is; see ``calibrate_paths``)."""
    out = frame.copy()
    mean = out["mean"].to_numpy()
    for level in ("80", "95"):
        f = np.array([factors.get(str(h), (1.0, 1.0))[level == "95"] for h in range(1, len(out) + 1)])
        for side in ("lower", "upper"):
            half = np.maximum.accumulate(f * np.abs(out[f"{side}_{level}"].to_numpy() - mean))
            out[f"{side}_{level}"] = mean - half if side == "lower" else mean + half
    for side, pick in (("lower", np.minimum), ("upper", np.maximum)):
        out[f"{side}_95"] = pick(out[f"{side}_95"], out[f"{side}_80"])
    out.insert(0, "period", [str(p) for p in out.index])
    return out.reset_index(drop=True)[["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]]


# --- one series' backtest, for ``econ backtest`` ---------------------------------------------------------


def backtest_series(engine: Engine, country: str, indicator: str, start: int, end: int, as_of=None,
                    horizon: int = 3, seed: int | None = None) -> dict:
    """For each year in ``start..end``, the projection made with data up to the end of the year before."""
    seed = get_settings().seed if seed is None else int(seed)
    reader = StoreReader(engine, [country], [indicator], repository.parse_as_of(as_of), horizon, seed, (start, end))
    indicator = wanted_indicators([indicator])[0]
    if (country, indicator) not in reader.keys():
        raise LookupError(f"no {indicator} series stored for {country}")
    task = reader.task(country, indicator)
    if isinstance(task, SkippedSeries):
        raise ModelSkipped(task.reason)
    proj = project(task)
    return backtest_payload(proj, start, end)


SUMMARY_KEYS = ("mae", "rmse", "mase", "coverage_80", "coverage_95", "norm_hit_rate")


def backtest_payload(proj: Projection, start: int, end: int) -> dict:
    rows = proj.evaluation.rows
    mine = rows[(rows["model"] == proj.chosen) & (rows["horizon"] == 1) & rows["period"].between(start, end)]
    mine = mine.sort_values("period")
    norm = first_norm(proj.task.norms)
    summary = score(mine, norm)
    return {
        "country": proj.data.country, "indicator": proj.data.indicator, "model": proj.chosen,
        "origins": [
            {"year": int(r.period), "forecast": _number(r.forecast), "lower_80": _number(r.lower_80),
             "upper_80": _number(r.upper_80), "lower_95": _number(r.lower_95), "upper_95": _number(r.upper_95),
             "actual": _number(r.actual), "naive": _number(r.naive)}
            for r in mine.itertuples()
        ],
        "summary": {k: _number(summary[k]) for k in SUMMARY_KEYS},
        "official": [
            {k: e[k] for k in ("publisher", "horizon", "n", "mae", "norm_hit_rate", "model_mae", "model_norm_hit_rate")}
            for e in official_comparison(proj, norm)
        ],
    }
