"""The forecast engine's figures: skill, calibration, the official forecasters, speed (issue 3).

Targets: on the WAEMU monthly CPI (one year ahead, years 2005-2023) MAE at most 0.65 x the naive
forecast's and the 3 % norm called right at least 78 % of the time; on the 164-country panel MAE
at most 0.85 x naive; on the WAEMU 2020-2024 no worse than the IMF's October WEO (MAE about 2.4,
norm calls 45 %); never worse than naive on the annual bundle; 80 % intervals covering 70-90 % and
95 % intervals 88-99 % of outcomes; the default run under 60 s and the panel under 5 minutes on
a 2-core machine.

The script builds temporary stores: the bundled dataset (``data/``), then the bundle plus the
WAEMU monthly CPI, then the World Bank panel, the last two read from ``../shared/data/`` when
present (never copied into the project). It prints the figures and asserts nothing.

    .venv/bin/python benchmarks/forecast.py [--workers N] [--skip-panel] [--skip-waemu]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from econ.backtest import score  # noqa: E402
from econ.forecast import StoreReader, default_workers, limit_blas_threads, project, run_forecasts  # noqa: E402
from econ.ingest import bundled_paths, ingest_paths  # noqa: E402
from econ.official_skill import official_skill  # noqa: E402
from econ.schema import WAEMU  # noqa: E402
from econ.store import repository  # noqa: E402
from econ.store.db import make_engine, upgrade  # noqa: E402
from econ.store.runs import BACKTEST_FIELDS, backtest_points, latest_forecast  # noqa: E402
from econ.store.tables import Forecast  # noqa: E402

NORM = {"comparison": "<=", "threshold": 3.0}


def store(folder: Path, name: str, paths: list[Path]):
    engine = make_engine(f"sqlite:///{folder / name}")
    upgrade(engine)
    started = time.perf_counter()
    ingest_paths(engine, paths)
    print(f"  store {name}: {time.perf_counter() - started:.1f} s to load {', '.join(p.name for p in paths)}")
    return engine


def pooled(rows: pd.DataFrame) -> dict:
    """MAE ratio to naive, norm hit rates and coverage of one-year-ahead rows."""
    rows = rows.dropna(subset=["actual", "forecast"])
    mae = (rows["forecast"] - rows["actual"]).abs().mean()
    naive_mae = (rows["naive"] - rows["actual"]).abs().mean()
    model, naive = score(rows, NORM), score(rows.assign(forecast=rows["naive"]), NORM)
    return {"n": len(rows), "mae": mae, "naive_mae": naive_mae, "ratio": mae / naive_mae,
            "hit": model["norm_hit_rate"], "naive_hit": naive["norm_hit_rate"],
            "coverage_80": model["coverage_80"], "coverage_95": model["coverage_95"]}


def chosen_rows(engine, run_id: int) -> pd.DataFrame:
    """One-year-ahead backtest rows of every series' chosen projection, over its scored origins."""
    from sqlalchemy import select

    with engine.connect() as conn:
        keys = conn.execute(select(Forecast.country, Forecast.indicator).where(Forecast.run_id == run_id)).all()
    frames = []
    for country, indicator in keys:
        stored = latest_forecast(engine, country, indicator, run_id=run_id)
        rows = backtest_points(engine, stored.forecast_id)
        scored = {str(o) for o in stored.diagnostics.get("scored_origins", [])}
        rows = rows[(rows["model"] == stored.model) & (rows["horizon"] == 1) & rows["origin"].isin(scored)]
        frames.append(rows.assign(country=country, indicator=indicator, chosen=stored.model))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*BACKTEST_FIELDS, "country", "indicator"])
    return out.astype({"forecast": float, "actual": float, "naive": float})


# --- 1. the default run ------------------------------------------------------------------------------


def default_run(folder: Path, workers: int) -> None:
    print("\n== Default run: the bundled annual dataset (data/) ==")
    engine = store(folder, "bundle.sqlite", bundled_paths())
    started = time.perf_counter()
    run_id = run_forecasts(engine, workers=workers)
    seconds = time.perf_counter() - started
    rows = chosen_rows(engine, run_id)
    series = rows.groupby(["country", "indicator"])
    per_series = series.apply(lambda r: (r["forecast"] - r["actual"]).abs().mean() / (r["naive"] - r["actual"]).abs().mean())
    print(f"  speed: {rows.groupby(['country', 'indicator']).ngroups} series fitted and backtested in {seconds:.1f} s "
          f"with {workers} worker(s) (target < 60 s)")
    print(f"  never worse than naive: {int((per_series <= 1 + 1e-9).sum())} of {len(per_series)} series "
          f"(MAE ratio to naive: median {per_series.median():.2f}, worst {per_series.max():.2f})")
    chosen = rows.groupby(["country", "indicator"])["chosen"].first().value_counts().to_dict()
    print(f"  chosen projections (series): {chosen}")
    p = pooled(rows)
    print(f"  calibration, one year ahead, {p['n']} backtest forecasts: 80 % intervals cover {p['coverage_80']:.0%}, "
          f"95 % cover {p['coverage_95']:.0%} (targets 70-90 %, 88-99 %)")


# --- 2. the WAEMU with monthly CPI --------------------------------------------------------------------


def _waemu_rows(task) -> pd.DataFrame:
    proj = project(task)
    rows = proj.evaluation.rows
    mine = rows[(rows["horizon"] == 1) & (rows["model"] == proj.chosen)]
    return mine.assign(country=task.data.country, chosen=proj.chosen)


def waemu(folder: Path, workers: int) -> None:
    print("\n== WAEMU members, inflation from the monthly CPI (../shared/data/monthly_cpi.csv) ==")
    if not (SHARED / "monthly_cpi.csv").exists():
        print("  skipped: ../shared/data/monthly_cpi.csv is not here")
        return
    engine = store(folder, "waemu.sqlite", [*bundled_paths(), SHARED / "monthly_cpi.csv"])
    reader = StoreReader(engine, list(WAEMU), ["inflation"], None, 3, 20251130, (2005, 2024))
    tasks = [reader.task(c, "inflation") for c in WAEMU]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=limit_blas_threads) as pool:
        rows = pd.concat(pool.map(_waemu_rows, tasks), ignore_index=True)
    print(f"  {len(tasks)} series backtested over 2005-2024 in {time.perf_counter() - started:.1f} s; "
          f"chosen: {rows.groupby('country')['chosen'].first().to_dict()}")
    skill = pooled(rows[rows["period"].between(2005, 2023)])
    print(f"  skill 2005-2023 ({skill['n']} forecasts): MAE {skill['mae']:.2f} vs naive {skill['naive_mae']:.2f} "
          f"-> ratio {skill['ratio']:.3f} (target <= 0.65); norm called right {skill['hit']:.1%} "
          f"(naive {skill['naive_hit']:.1%}; target >= 78 %)")
    print(f"  calibration: 80 % intervals cover {skill['coverage_80']:.0%}, 95 % cover {skill['coverage_95']:.0%}")
    imf_comparison(engine, rows)


def imf_comparison(engine, rows: pd.DataFrame) -> None:
    official = repository.official_projections(engine, list(WAEMU), "inflation")
    weo = official[(official["publisher"] == "IMF") & official["published"].str.endswith("-10")
                   & official["reference"].fillna("").str.contains("World Economic Outlook")]
    actual = repository.observations(engine, list(WAEMU), "inflation")
    entries = []
    for country in WAEMU:
        truth = actual[actual["country"] == country]
        truth = pd.Series(truth["value"].to_numpy(), index=truth["period"].astype(int))
        entries += official_skill(weo[weo["country"] == country], truth, range(2020, 2025), NORM, horizons=(1,))
    n = sum(e["n"] for e in entries)
    imf_mae = sum(e["mae"] * e["n"] for e in entries) / n
    imf_hit = sum(e["norm_hit_rate"] * e["n"] for e in entries) / n
    mine = pooled(rows[rows["period"].between(2020, 2024)])
    print(f"  2020-2024 against the IMF October WEO ({n} forecasts): model MAE {mine['mae']:.2f} vs IMF {imf_mae:.2f}; "
          f"norm calls right: model {mine['hit']:.0%} vs IMF {imf_hit:.0%}")


# --- 3. the world panel ---------------------------------------------------------------------------------


def panel(folder: Path, workers: int) -> None:
    print("\n== 164 other countries (../shared/data/world_inflation_panel.csv) ==")
    path = SHARED / "world_inflation_panel.csv"
    if not path.exists():
        print("  skipped: ../shared/data/world_inflation_panel.csv is not here")
        return
    engine = store(folder, "panel.sqlite", [path])
    started = time.perf_counter()
    run_id = run_forecasts(engine, indicators=["inflation"], workers=workers)
    seconds = time.perf_counter() - started
    rows = chosen_rows(engine, run_id)
    print(f"  speed: {rows['country'].nunique()} series fitted and backtested in {seconds:.0f} s "
          f"with {workers} worker(s) (target < 300 s)")
    p = pooled(rows)
    per_country = rows.groupby("country").apply(
        lambda r: (r["forecast"] - r["actual"]).abs().mean() / max((r["naive"] - r["actual"]).abs().mean(), 1e-9))
    moderate = pooled(rows[rows["actual"].abs().le(50) & rows["naive"].abs().le(50)])
    print(f"  skill, one year ahead over each series' last 15 origins ({p['n']} forecasts): MAE ratio to naive "
          f"{p['ratio']:.3f} pooled (target <= 0.85), {per_country.median():.3f} median by country, "
          f"{moderate['ratio']:.3f} on years with inflation under 50 %")
    print(f"  norm (3 %) called right {p['hit']:.1%} (naive {p['naive_hit']:.1%})")
    print(f"  calibration: 80 % intervals cover {p['coverage_80']:.0%}, 95 % cover {p['coverage_95']:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    parser.add_argument("--skip-panel", action="store_true")
    parser.add_argument("--skip-waemu", action="store_true")
    args = parser.parse_args()
    workers = default_workers(args.workers)
    print(f"econ forecast benchmark: {os.cpu_count()} cores, {workers} worker(s)")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ECON_HOME"] = tmp
        default_run(Path(tmp), workers)
        if not args.skip_waemu:
            waemu(Path(tmp), workers)
        if not args.skip_panel:
            panel(Path(tmp), workers)


if __name__ == "__main__":
    main()
