"""Pools of candidate projections for the combination's and the bands' tests: synthetic series whose
outcomes and candidates' errors are known, so that a test can say what the projection should do."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from econ.backtest import RAW_COLUMNS
from econ.combine import Norm, PoolInput

YEARS = range(1996, 2025)


def pool(noise: dict[str, float], series: int = 4, seed: int = 0) -> PoolInput:
    """Series of iid outcomes; ``naive`` is last year's, each other candidate the outcome plus noise."""
    rng = np.random.default_rng(seed)
    raw, truth = [], []
    for s in range(series):
        key = f"S{s}/inflation"
        y = {t: 3 + rng.normal(0, 2) for t in range(YEARS[0] - 1, YEARS[-1] + 2)}
        for t in YEARS:
            origin = datetime(t, 2, 1)
            forecasts = {"naive": y[t - 1], **{c: y[t] + rng.normal(0, sd) for c, sd in noise.items()}}
            for name, f in forecasts.items():
                raw.append({"candidate": name, "kind": "model", "origin": origin, "lead": 0, "period": t,
                            "horizon": 1, "monthly": False, "forecast": f, "lower_80": f - 2.56, "upper_80": f + 2.56,
                            "lower_95": f - 3.92, "upper_95": f + 3.92, "naive": y[t - 1], "scale": 2.0,
                            "series": key})
            truth += [{"series": key, "origin": origin, "period": p, "known": y[p]} for p in range(t - 20, t) if p in y]
    norms = {f"S{s}/inflation": Norm("<=", 3.0) for s in range(series)}
    return PoolInput(pd.DataFrame(raw)[[*RAW_COLUMNS, "series"]], pd.DataFrame(truth), norms)


def late_figures(monthly: bool, series: int = 4) -> PoolInput:
    """Origins in January; from 2019 last year's figure is not yet out at the origin (as in the WEO
    years), so each origin also projects last year (lead -1, one year after the last figure)."""
    rng = np.random.default_rng(5)
    raw, truth = [], []
    for s in range(series):
        key = f"S{s}/growth"
        y = {t: 5 + rng.normal(0, 2) for t in range(1970, 2026)}
        for t in range(1996, 2025):
            origin, late = datetime(t, 1, 1), t >= 2019
            last = t - 2 if late else t - 1
            for period in range(last + 1, t + 1):
                f = y[last]
                raw.append({"candidate": "naive", "kind": "model", "origin": origin, "lead": period - t,
                            "period": period, "horizon": period - last, "monthly": monthly, "forecast": f,
                            "lower_80": f - 2.56, "upper_80": f + 2.56, "lower_95": f - 3.92, "upper_95": f + 3.92,
                            "naive": f, "scale": 2.0, "series": key})
            truth += [{"series": key, "origin": origin, "period": p, "known": y[p]} for p in range(last - 19, last + 1)]
    return PoolInput(pd.DataFrame(raw)[[*RAW_COLUMNS, "series"]], pd.DataFrame(truth), {})
