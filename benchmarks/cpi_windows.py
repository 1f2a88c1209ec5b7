"""How the monthly CPI models' estimation window was fixed, away from what econ is scored on.

On 36 countries of the World Bank panel (not the WAEMU; ``../shared/data/world_inflation_panel.csv``,
read there, never copied), origins 1995-2004 (before the WAEMU's scored years), one-year-ahead
annual-average inflation with the CPI to December: each model's MAE relative to the naive forecast
for windows of 5, 10, 15 and 20 years. Prints the table; takes about ten minutes on two cores.

    .venv/bin/python benchmarks/cpi_windows.py
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from econ.models.base import ModelSkipped  # noqa: E402
from econ.models.monthly_cpi import CpiEts, CpiSarimax, annual_average_inflation  # noqa: E402

PANEL = ROOT.parent / "shared" / "data" / "world_inflation_panel.csv"
WINDOWS = (60, 120, 180, 240)
ORIGINS = range(1995, 2005)


def country_rows(cpi: pd.Series) -> list[tuple]:
    """(origin, model, window, forecast, actual, naive) for one country's CPI."""
    threadpool_limits(1)
    actual = annual_average_inflation(cpi)
    years = {int(str(p)) for p in actual.index}
    out = []
    for origin in ORIGINS:
        if origin not in years or origin - 1 not in years:
            continue
        truth, naive = float(actual.loc[str(origin)]), float(actual.loc[str(origin - 1)])
        if abs(truth) > 50 or abs(naive) > 50:
            continue
        cut = cpi[cpi.index <= pd.Period(f"{origin - 1}-12", freq="M")]
        for cls in (CpiSarimax, CpiEts):
            for window in WINDOWS:
                model = cls()
                model.window = window
                try:
                    forecast = model.fit(cut).align(origin).forecast(1)["mean"].iloc[0]
                except (ModelSkipped, ValueError, np.linalg.LinAlgError):
                    forecast = np.nan
                out.append((origin, model.name, window, forecast, truth, naive))
    return out


def main() -> None:
    if not PANEL.exists():
        sys.exit(f"skipped: {PANEL} is not here")
    panel = pd.read_csv(PANEL, dtype={"period": str})
    cpi = panel[panel["indicator"] == "cpi"]
    picked = sorted(np.random.default_rng(0).choice(sorted(cpi["country"].unique()), 36, replace=False))
    series = [pd.Series(g["value"].to_numpy(float), index=pd.PeriodIndex(g["period"], freq="M")).sort_index()
              for _, g in cpi[cpi["country"].isin(picked)].groupby("country")]
    started = time.time()
    with ProcessPoolExecutor(2) as pool:
        rows = [(i, *r) for i, part in enumerate(pool.map(country_rows, series)) for r in part]
    d = pd.DataFrame(rows, columns=["country", "origin", "model", "window", "forecast", "actual", "naive"]).dropna()
    d = d.groupby(["country", "origin"]).filter(lambda g: len(g) == 2 * len(WINDOWS))
    d = d.assign(error=(d["forecast"] - d["actual"]).abs(), naive_error=(d["naive"] - d["actual"]).abs())
    table = d.groupby(["model", "window"]).apply(
        lambda g: pd.Series({"forecasts": len(g), "mae_over_naive": g["error"].mean() / g["naive_error"].mean()}),
        include_groups=False)
    print(table.round(3).to_string())
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
