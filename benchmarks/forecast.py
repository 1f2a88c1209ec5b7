"""The honest-projection figures (issue 7), nested and real-time, printed beside the issue's "today".

Every figure here is real-time: at each origin the data are those then published (vintages where
the store has them), and every choice (weights, bands) comes from errors known before the origin.
Nothing is asserted; the script prints a table:

- the default run on the bundled data (``data/``): its time, the pooled MAE of the nested econ
  projection one year ahead over the naive forecast's, the worst series, the Brier score of
  P(inflation > 3 %) beside naive and climatology, the widest 95 % band against the series' range,
  and the gold scenario (a rising against a falling gold path);
- the WAEMU members with their monthly CPI (``../shared/data/monthly_cpi.csv``, read there, never
  copied): the same scores on 2005-2023, projections made on 1 February of each year, and the
  current year's nowcast made on 1 April, 1 July and 1 October as its months come out;
- the IMF's October WEO against econ on matched information (econ's projection of year Y made on
  1 October of Y-1, with the CPI to August and the April WEO as a candidate), 2020-2024, for
  inflation and growth; and the April WEO of year Y against econ's projection of Y made on 1
  February with the CPI to December (the years the store has that release for).

    .venv/bin/python benchmarks/forecast.py [--workers N] [--skip-waemu]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from econ import scoring  # noqa: E402
from econ.combine import Norm  # noqa: E402
from econ.forecast import run_forecasts, scenario  # noqa: E402
from econ.forecast.assemble import add_crps, series_rows, with_actuals  # noqa: E402
from econ.forecast.evaluate import pool_backtest  # noqa: E402
from econ.forecast.series import SeriesCandidates  # noqa: E402
from econ.ingest import bundled_paths, ingest_paths  # noqa: E402
from econ.schema import WAEMU  # noqa: E402
from econ.store import repository  # noqa: E402
from econ.store.db import make_engine, upgrade  # noqa: E402
from econ.store.runs import backtest_points, latest_forecast  # noqa: E402

NORM = Norm("<=", 3.0)
MONTHS = {2: "February", 4: "April", 5: "May", 7: "July", 8: "August", 10: "October", 12: "December"}
TABLE: list[tuple[str, str, str, str]] = []


def row(measure: str, today: str, now: str, target: str) -> None:
    TABLE.append((measure, today, now, target))
    print(f"  {measure}: {now}   (issue's today: {today}; target: {target})", flush=True)


def store(folder: Path, name: str, paths: list[Path]):
    engine = make_engine(f"sqlite:///{folder / name}")
    upgrade(engine)
    ingest_paths(engine, paths)
    return engine


def ratio(rows: pd.DataFrame) -> float:
    return (rows["forecast"] - rows["actual"]).abs().mean() / (rows["naive"] - rows["actual"]).abs().mean()


# --- 1. the default run ----------------------------------------------------------------------------------


def run_rows(engine, run_id: int) -> pd.DataFrame:
    """The stored nested backtest of the econ projection, one year ahead (lead 0), for every series."""
    from sqlalchemy import select

    from econ.store.tables import Forecast

    with engine.connect() as conn:
        keys = conn.execute(select(Forecast.country, Forecast.indicator).where(Forecast.run_id == run_id)).all()
    frames = []
    for country, indicator in keys:
        stored = latest_forecast(engine, country, indicator, run_id=run_id)
        points = backtest_points(engine, stored.forecast_id)
        points = points[(points["model"] == "combination") & (points["horizon"] == 0)]
        frames.append(points.assign(country=country, indicator=indicator))
    return pd.concat(frames, ignore_index=True).astype({"forecast": float, "actual": float, "naive": float})


def default_run(folder: Path, workers: int) -> None:
    print("\n== The default run: bundled data ==", flush=True)
    engine = store(folder, "bundle.sqlite", bundled_paths())
    started = time.perf_counter()
    run_id = run_forecasts(engine, workers=workers)
    seconds = time.perf_counter() - started
    row("default run (econ forecast, all bundled series)", "14.8-26 s (no nesting)", f"{seconds:.1f} s", "< 30 s")
    rows = run_rows(engine, run_id)
    per_series = rows.groupby(["country", "indicator"]).apply(ratio, include_groups=False)
    row("annual bundle, pooled MAE / naive, one year ahead", "0.956", f"{ratio(rows):.3f}", "<= 0.90")
    worst = per_series.idxmax()
    row("annual bundle, worst series MAE / naive", "1.88", f"{per_series.max():.2f} ({'/'.join(worst)}); "
        f"{int((per_series > 1.10).sum())} of {len(per_series)} above 1.10", "no series above 1.10")
    bundle_brier(engine, run_id)
    bundle_brier_longer(engine, workers)
    band_widths(engine, run_id)
    gold_scenario(engine)


def bundle_brier(engine, run_id: int) -> None:
    """Pooled Brier scores of P(inflation > 3 %), one year ahead, from the stored scores (n-weighted)."""
    from sqlalchemy import select

    from econ.store.tables import Forecast

    with engine.connect() as conn:
        keys = conn.execute(select(Forecast.country).where(Forecast.run_id == run_id,
                                                           Forecast.indicator == "inflation")).all()
    totals = {"brier": 0.0, "brier_naive": 0.0, "brier_climate": 0.0, "n": 0}
    for (country,) in keys:
        lead0 = latest_forecast(engine, country, "inflation", run_id=run_id).scores["econ"].get("0", {})
        if lead0.get("brier") is None:
            continue
        for key in ("brier", "brier_naive", "brier_climate"):
            totals[key] += lead0[key] * lead0["n"]
        totals["n"] += lead0["n"]
    n = max(totals["n"], 1)
    row("Brier of P(inflation > 3 %), annual bundle (econ / naive / climatology)", "0.222 / 0.196",
        f"{totals['brier'] / n:.3f} / {totals['brier_naive'] / n:.3f} / {totals['brier_climate'] / n:.3f} "
        f"({totals['n']} forecasts)", "better than naive and climatology")


def bundle_brier_longer(engine, workers: int) -> None:
    """The same score on ``econ backtest``'s longer record: origins from the first year the series
    allow, so that its bands are drawn from pooled errors from 2005 on. The run's twenty origins start
    with the naive forecast's wide spread (too few errors of its own yet), which in 2005-2009 scores
    close to naive's by construction; this record shows how the pooled bands' probabilities fare
    through the 2008 and 2022 price spikes."""
    candidates, pools, _ = pool_backtest(engine, [(c, "inflation") for c in WAEMU], 2024, workers=workers)
    rows = pooled(candidates, pools, [f"{c}/inflation" for c in WAEMU], 0, (2005, 2024))
    s = scoring.summary(rows, NORM)
    row("  the same on econ backtest's longer record, 2005-2024 (econ / naive / climatology)", "-",
        f"{s['brier']:.3f} / {s['brier_naive']:.3f} / {s['brier_climate']:.3f} ({s['n']} forecasts)",
        "better than naive and climatology")


def band_widths(engine, run_id: int) -> None:
    """The widest next-year 95 % band of the run, against twice the series' 20-year range."""
    from sqlalchemy import select

    from econ.store.tables import Forecast

    with engine.connect() as conn:
        keys = conn.execute(select(Forecast.country, Forecast.indicator).where(Forecast.run_id == run_id)).all()
    worst, name = 0.0, ""
    for country, indicator in keys:
        stored = latest_forecast(engine, country, indicator, run_id=run_id)
        history = repository.observations(engine, country, indicator)
        values = history[history["period"].str.len() == 4]["value"].tail(20)
        span = float(values.max() - values.min()) if len(values) > 1 else np.nan
        chosen = stored.chosen()
        width = float((chosen["upper_95"] - chosen["lower_95"]).iloc[0])
        if span > 0 and width / span > worst:
            worst, name = width / span, f"{country}/{indicator} {chosen['period'].iloc[0]}: " \
                f"{chosen['lower_95'].iloc[0]:.1f} to {chosen['upper_95'].iloc[0]:.1f}"
    row("widest next-year 95 % band / the series' 20-year range", "up to 10x", f"{worst:.2f}x ({name})", "<= 2x")


def gold_scenario(engine) -> None:
    try:
        rising = scenario(engine, "MLI", {"2025": 50.0, "2026": 60.0, "2027": 70.0})
        falling = scenario(engine, "MLI", {"2025": 40.0, "2026": 35.0, "2027": 30.0})
    except (LookupError, ValueError) as error:
        row("gold scenario (rising vs falling path)", "growth lower with more gold", f"not available: {error}",
            "higher each year")
        return
    gap = rising["mean"].to_numpy() - falling["mean"].to_numpy()
    years = ", ".join(f"{p} {g:+.2f}" for p, g in zip(rising["period"], gap))
    row("gold scenario: growth, rising (50-60-70 t) minus falling (40-35-30 t) path", "growth lower with more gold",
        f"{years} points", "higher with more gold, each year")


# --- 2. the WAEMU with monthly CPI ----------------------------------------------------------------------


def pooled(candidates: dict, pools: dict, keys, lead: int, years: tuple[int, int]) -> pd.DataFrame:
    """The econ projections of ``keys`` at ``lead`` over ``years``, with their outcome and CRPS
    (series a pool left out, too short to project, are skipped)."""
    frames = []
    for key in keys:
        mine = candidates.get(key)
        pool = pools.get(mine.pool) if isinstance(mine, SeriesCandidates) else None
        if pool is None or key not in set(pool.econ["series"]):
            continue
        rows = with_actuals(series_rows(pool, key), mine.latest)
        rows = rows[(rows["lead"] == lead) & rows["period"].between(*years)]
        frames.append(add_crps(rows, pool, -np.inf).assign(series=key))
    return pd.concat(frames, ignore_index=True)


@functools.lru_cache(maxsize=None)
def waemu_backtest(engine, indicator: str, month: int, workers: int):
    """The WAEMU members' nested backtest of ``indicator``, origins on the 1st of ``month``: run once
    (October's serves both the within-year nowcast and the comparison with the October WEO)."""
    return pool_backtest(engine, [(c, indicator) for c in WAEMU], 2024, origin_month=month, workers=workers)


def waemu(folder: Path, workers: int) -> None:
    print("\n== WAEMU members, inflation from the monthly CPI (../shared/data/monthly_cpi.csv) ==", flush=True)
    if not (SHARED / "monthly_cpi.csv").exists():
        print("  skipped: ../shared/data/monthly_cpi.csv is not here")
        return
    engine = store(folder, "waemu.sqlite", [*bundled_paths(), SHARED / "monthly_cpi.csv"])
    started = time.perf_counter()
    candidates, pools, _ = waemu_backtest(engine, "inflation", 2, workers)
    print(f"  {len(WAEMU)} series backtested in {time.perf_counter() - started:.0f} s (origins: 1 February)")
    rows = pooled(candidates, pools, [f"{c}/inflation" for c in WAEMU], 0, (2005, 2023))
    summary = scoring.summary(rows, NORM)
    row("WAEMU monthly CPI 2005-2023, one year ahead, MAE / naive", "0.678", f"{summary['mase']:.3f} "
        f"({summary['n']} forecasts)", "<= 0.62")
    row("  its 80 % / 95 % bands cover", "-", f"{summary['coverage_80']:.0%} / {summary['coverage_95']:.0%}",
        "80 %: 75-85 %")
    row("Brier of P(inflation > 3 %), WAEMU (econ / naive / climatology)", "0.222 vs naive 0.196",
        f"{summary['brier']:.3f} / {summary['brier_naive']:.3f} / {summary['brier_climate']:.3f}",
        "better than naive and climatology")
    row("  norm call right", "78.3 % (hindsight)", f"{summary['norm_hit_rate']:.1%}", "-")
    row("  CRPS (econ / naive)", "-", f"{summary['crps']:.2f} / {summary['crps_naive']:.2f}", "-")
    april_comparison(candidates, rows)
    nowcasts(engine, workers)
    imf_comparison(engine, workers)


def nowcasts(engine, workers: int) -> None:
    """The current year's annual inflation made later in the year, as its months come out (item 2 of
    the issue): the error and the 80 % band should both shrink, the band still covering about 80 %.
    February's is the one-year-ahead projection above, with its band's width."""
    for month in (2, 4, 7, 10):
        candidates, pools, _ = waemu_backtest(engine, "inflation", month, workers)
        rows = pooled(candidates, pools, [f"{c}/inflation" for c in WAEMU], 0, (2005, 2023))
        s = scoring.summary(rows, NORM)
        width = float((rows["upper_80"] - rows["lower_80"]).astype(float).median())
        row(f"  nowcast of the year made 1 {MONTHS[month]} (CPI to {MONTHS[(month - 3) % 12 + 1]}), MAE / naive; "
            "80 % cover; median 80 % width", "-",
            f"{s['mae']:.2f} / {s['mae'] / s['mase']:.2f} = {s['mase']:.3f}; {s['coverage_80']:.0%}; {width:.2f}",
            "smaller and narrower each quarter, 80 % covering 75-85 %")


# --- 3. against the IMF, on matched information ------------------------------------------------------------


def october_weo(engine, indicator: str) -> pd.DataFrame:
    """The IMF's October WEO projection of year Y, published in October of Y-1."""
    official = repository.official_projections(engine, list(WAEMU), indicator)
    weo = official[(official["publisher"] == "IMF") & official["published"].astype(str).str[5:7].eq("10")
                   & official["reference"].fillna("").str.contains("World Economic Outlook")]
    weo = weo.assign(year=weo["target_period"].astype(str).str[:4].astype(int),
                     made=weo["published"].astype(str).str[:4].astype(int))
    return weo[weo["year"] == weo["made"] + 1][["country", "year", "value"]]


def april_comparison(candidates: dict, rows: pd.DataFrame) -> None:
    """The April WEO of year Y against econ's projection of Y made on 1 February with the CPI to
    December: matched information, or better for the IMF (its data reach into the year)."""
    frames = []
    for key in rows["series"].unique():
        raw = candidates[key].raw
        frames.append(raw[(raw["candidate"] == "release:IMF") & (raw["lead"] == 0)].assign(series=key))
    april = pd.concat(frames)[["series", "period", "forecast"]].rename(columns={"forecast": "imf"})
    both = rows.merge(april.astype({"period": int, "imf": float}), on=["series", "period"])
    econ_mae = (both["forecast"] - both["actual"]).abs().mean()
    imf_mae = (both["imf"] - both["actual"]).abs().mean()
    stat, p = scoring.diebold_mariano(both["forecast"] - both["actual"], both["imf"] - both["actual"])
    years = ", ".join(str(y) for y in sorted(both["period"].unique()))  # the years the store has that release for
    row(f"vs IMF April WEO, WAEMU {years}, inflation of the year, MAE (econ on 1 Feb, CPI to December)", "-",
        f"econ {econ_mae:.2f} vs IMF {imf_mae:.2f} ({len(both)} forecasts; DM p={p:.2f}: "
        f"{scoring.verdict(stat, p)})", "no worse than the IMF")


def imf_comparison(engine, workers: int) -> None:
    for indicator, today in (("inflation", "2.86-3.78 vs IMF 2.43"), ("gdp_growth", "2.23 vs IMF 2.19")):
        candidates, pools, _ = waemu_backtest(engine, indicator, 10, workers)
        rows = pooled(candidates, pools, [f"{c}/{indicator}" for c in WAEMU], 1, (2020, 2024))
        rows = rows.assign(country=rows["series"].str[:3]).merge(
            october_weo(engine, indicator).rename(columns={"year": "period", "value": "imf"}), on=["country", "period"])
        econ_mae = (rows["forecast"] - rows["actual"]).abs().mean()
        imf_mae = (rows["imf"] - rows["actual"]).abs().mean()
        stat, p = scoring.diebold_mariano(rows["forecast"] - rows["actual"], rows["imf"] - rows["actual"])
        row(f"vs IMF October WEO, WAEMU 2020-2024, {indicator}, MAE (econ on 1 Oct of Y-1)", today,
            f"econ {econ_mae:.2f} vs IMF {imf_mae:.2f} ({len(rows)} forecasts; DM p={p:.2f}: "
            f"{scoring.verdict(stat, p)})", "no worse than the IMF")
        by_year(rows, pools)


def by_year(rows: pd.DataFrame, pools: dict) -> None:
    """Where the IMF wins or loses: each year's MAE for both, and the weight econ's combination gave
    the WEO among its candidates that day (the April WEO, the only IMF figure out by 1 October)."""
    weights = {}
    for pool in pools.values():
        for (series, origin), leads in pool.weights.items():
            next_year = leads.get(1) or {}  # lead 1: the year after the origin's
            weights[(series, pd.Timestamp(origin).year)] = sum(w for c, w in next_year.items() if "IMF" in c)
    rows = rows.assign(imf_weight=[weights.get((s, int(y) - 1), np.nan) for s, y in zip(rows["series"], rows["period"])])
    for year, g in rows.groupby("period"):
        print(f"    {year}: econ {(g['forecast'] - g['actual']).abs().mean():.2f} vs IMF "
              f"{(g['imf'] - g['actual']).abs().mean():.2f} ({len(g)} countries; the WEO's weight in econ "
              f"{g['imf_weight'].mean():.0%})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--skip-waemu", action="store_true")
    args = parser.parse_args()
    from econ.forecast import default_workers

    workers = default_workers(args.workers)
    print(f"econ forecast benchmark (issue 7): {os.cpu_count()} cores, {workers} worker(s)")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ECON_HOME"] = tmp
        default_run(Path(tmp), workers)
        if not args.skip_waemu:
            waemu(Path(tmp), workers)
    print("\n| measure | today | now | target |\n|---|---|---|---|")
    for measure, today, now, target in TABLE:
        print(f"| {measure} | {today} | {now} | {target} |")


if __name__ == "__main__":
    main()
