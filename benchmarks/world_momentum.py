"""Whether the world's inflation momentum should move econ's inflation projections, judged away from the WAEMU.

The idea (session 9): the WAEMU's inflation surprises follow the world's. On 1 February of a year,
the median across countries of December's twelve-month inflation, less the median of last year's
annual-average inflation, says whether prices worldwide were speeding up (2008, 2022) or slowing
(2009) as the year began; econ's own models see only their country. Added to econ's projection
as ``beta x momentum``, beta chosen at each origin from the pool's errors known then (the value in
0, 0.25, ..., 3 that would have made the scaled absolute errors smallest; none before eight), in
points (form A) or in the series' own scale (form B: a volatile series moves more).

The rule was declared before the run, as for the other rules (``combination_rules.py``): take a form
if, on the World Bank panel without the WAEMU, its scaled MAE over naive's on 1995-2004 is at or
below econ's in one pool and in pools of eight, with no more series above 1.10 x naive, and no
worse on 2005-2014. Measured (scaled, raw, median series, share above 1.10; 154 and 162 series):

| projection | 1995-2004 | 2005-2014 |
|---|---|---|
| econ's, one pool | 0.990, 0.982, 0.840, 8 % | 0.650, 0.698, 0.624, 7 % |
| form A, one pool | 0.991, 0.982, 0.884, 8 % | 0.625, 0.682, 0.596, 5 % |
| form B, one pool | 0.990, 0.982, 0.840, 8 % | 0.639, 0.720, 0.599, 7 % |
| econ's, pools of eight | 0.994, 0.997, 0.991, 12 % | 0.679, 0.736, 0.660, 6 % |
| form A, pools of eight | 0.996, 0.999, 0.987, 18 % | 0.657, 0.720, 0.640, 6 % |
| form B, pools of eight | 0.995, 1.001, 1.000, 16 % | 0.663, 0.753, 0.651, 6 % |

Neither form passed: on the choosing window (a decade of steady disinflation, no worldwide price
shock) the momentum moved nothing the right way and left more series above 1.10; the gain shows
only on 2005-2014, which holds 2008. econ does not use it. On the WAEMU the signal's correlation
with econ's errors is 0.68 (2005-2023), but that was looked at after the fact and chooses nothing.

Asserts nothing; about three minutes on two cores.

    .venv/bin/python benchmarks/world_momentum.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from combination_rules import small_pools  # noqa: E402
from panel import PANEL, panel_backtest  # noqa: E402

from econ.combine import MIN_ERRORS  # noqa: E402
from econ.forecast.assemble import series_rows, with_actuals  # noqa: E402
from econ.forecast.run import combine_pools  # noqa: E402
from econ.forecast.series import SeriesCandidates  # noqa: E402
from econ.schema import WAEMU  # noqa: E402

BETAS = np.arange(0.0, 3.01, 0.25)
WINDOWS = ((1995, 2004), (2005, 2014))
MIN_COUNTRIES = 30


def world_momentum() -> dict[int, float]:
    """Per year Y: known on 1 February of Y (December's CPI out in January), the median December
    twelve-month inflation of Y-1 less the median annual-average inflation of Y-1, across the
    countries (the WAEMU left out) with both."""
    panel = pd.read_csv(PANEL)
    panel = panel[~panel["country"].isin(WAEMU)]
    cpi = panel.assign(month=pd.PeriodIndex(panel["period"], freq="M")).pivot_table(
        index="month", columns="country", values="value")
    twelve = 100 * (cpi / cpi.shift(12) - 1)
    years = cpi.groupby(cpi.index.year)
    complete = years.count() == 12
    annual = (100 * (years.mean() / years.mean().shift(1) - 1)).where(complete & complete.shift(1, fill_value=False))
    out = {}
    for year in annual.index[1:]:
        december = twelve.loc[pd.Period(f"{year}-12", "M")] if pd.Period(f"{year}-12", "M") in twelve.index else None
        if december is None:
            continue
        both = december.notna() & annual.loc[year].notna()
        if both.sum() >= MIN_COUNTRIES:
            out[int(year) + 1] = float(december[both].median() - annual.loc[year][both].median())
    return out


def econ_rows(results: list, reader) -> pd.DataFrame:
    """econ's one-year-ahead projections (lead 0), each with its pool and the outcome."""
    pools = combine_pools(reader, results)
    frames = []
    for r in results:
        pool = pools.get(r.pool) if isinstance(r, SeriesCandidates) else None
        if pool is None or r.key not in set(pool.econ["series"]):
            continue
        rows = with_actuals(series_rows(pool, r.key), r.latest)
        frames.append(rows[rows["lead"] == 0].assign(series=r.key, pool=r.pool))
    rows = pd.concat(frames, ignore_index=True).dropna(subset=["actual", "forecast", "naive", "scale"])
    return rows.assign(period=rows["period"].astype(int))


def moved(rows: pd.DataFrame, momentum: dict[int, float], scaled: bool) -> pd.Series:
    """The projections plus beta x momentum, beta from the pool's outcomes of earlier years only."""
    signal = rows["period"].map(momentum).astype(float)
    step = signal * rows["scale"] if scaled else signal
    z, x = (rows["actual"] - rows["forecast"]) / rows["scale"], step / rows["scale"]
    out = rows["forecast"].to_numpy(float).copy()
    for (pool, year), here in rows.groupby(["pool", "period"]).groups.items():
        past = (rows["pool"] == pool) & (rows["period"] < year) & signal.notna()
        if not np.isfinite(momentum.get(year, np.nan)) or past.sum() < MIN_ERRORS:
            continue
        beta = BETAS[int(np.argmin([(z[past] - b * x[past]).abs().mean() for b in BETAS]))]
        where = rows.index.get_indexer(here)
        out[where] += beta * step.iloc[where].to_numpy(float)
    return pd.Series(out, index=rows.index)


def score(rows: pd.DataFrame, forecast: pd.Series, window: tuple[int, int]) -> str:
    keep = rows["period"].between(*window)
    rows, forecast = rows[keep], forecast[keep]
    own, base = (forecast - rows["actual"]).abs(), (rows["naive"] - rows["actual"]).abs()
    per_series = own.groupby(rows["series"]).sum() / base.groupby(rows["series"]).sum()
    return (f"{(own / rows['scale']).sum() / (base / rows['scale']).sum():.3f}, {own.sum() / base.sum():.3f}, "
            f"{per_series.median():.3f}, {(per_series > 1.10).mean():.0%}")


def main() -> None:
    with panel_backtest(WINDOWS[-1][1], 2, lambda stored: sorted(set(stored) - set(WAEMU))) as done:
        if done is None:
            return
        momentum = world_momentum()
        print("| projection | " + " | ".join(f"{a}-{b}" for a, b in WINDOWS) + " |\n|---|---|---|")
        for label, results in (("one pool", done.candidates.values()), ("pools of eight",
                                                                         small_pools(list(done.candidates.values()), 8))):
            rows = econ_rows(list(results), done.reader)
            for name, forecast in (("econ's", rows["forecast"]), ("form A", moved(rows, momentum, False)),
                                   ("form B", moved(rows, momentum, True))):
                print(f"| {name}, {label} | " + " | ".join(score(rows, forecast, w) for w in WINDOWS) + " |", flush=True)


if __name__ == "__main__":
    main()
