"""How right the official forecasters have been: the same scores as the model's backtest.

An official projection's *horizon* is the target year minus the year it was published: the IMF's
October World Economic Outlook forecast for next year is horizon 1 (made, like the model's
one-year-ahead forecast, with the data of the year before); the April WEO of the target year
itself is horizon 0. Where a publisher issued several projections for a target in the same year,
horizon 1 and beyond keep the latest of that year (October's WEO over April's), horizon 0 keeps
the earliest (April's: the October one is almost a nowcast).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.backtest import complies

HORIZONS = (0, 1)


def official_forecasts(official: pd.DataFrame) -> pd.DataFrame:
    """One projection per (publisher, target year, horizon): columns publisher, published, year, horizon, value."""
    if official is None or official.empty:
        return pd.DataFrame(columns=["publisher", "published", "year", "horizon", "value"])
    frame = official.assign(
        year=official["target_period"].astype(str).str[:4].astype(int),
        horizon=lambda f: f["year"] - f["published"].astype(str).str[:4].astype(int),
        published=official["published"].astype(str),
    )
    frame = frame[frame["horizon"] >= 0].sort_values(["publisher", "year", "horizon", "published"])
    latest = frame[frame["horizon"] > 0].groupby(["publisher", "year", "horizon"]).tail(1)
    earliest = frame[frame["horizon"] == 0].groupby(["publisher", "year", "horizon"]).head(1)
    picked = pd.concat([earliest, latest])
    return picked[["publisher", "published", "year", "horizon", "value"]].reset_index(drop=True)


def official_skill(official: pd.DataFrame, actuals: pd.Series, years: list[int] | None = None,
                   norm: dict | None = None, horizons=HORIZONS) -> list[dict]:
    """Per publisher and horizon: n, MAE and norm-call hit rate over ``years`` (the model's years).

    ``actuals`` maps years (int) to the outcome. Publishers without any scoreable projection are
    left out.
    """
    picked = official_forecasts(official)
    picked = picked[picked["horizon"].isin(horizons)]
    picked = picked.assign(actual=picked["year"].map(actuals))
    if years is not None:
        picked = picked[picked["year"].isin(list(years))]
    picked = picked.dropna(subset=["actual", "value"])
    return [_skill(publisher, int(h), part, norm) for (publisher, h), part in picked.groupby(["publisher", "horizon"])]


def _skill(publisher: str, horizon: int, part: pd.DataFrame, norm: dict | None) -> dict:
    error = part["value"] - part["actual"]
    hit = None
    if norm is not None:
        calls = complies(part["value"], norm["comparison"], norm["threshold"])
        truth = complies(part["actual"], norm["comparison"], norm["threshold"])
        hit = float(np.mean(calls == truth))
    return {
        "publisher": publisher, "horizon": horizon, "n": int(len(part)), "mae": float(error.abs().mean()),
        "rmse": float(np.sqrt((error**2).mean())), "norm_hit_rate": hit, "years": sorted(int(y) for y in part["year"]),
    }


def actuals_by_year(y: pd.Series) -> pd.Series:
    """An annual series (PeriodIndex or period strings) as values indexed by int year."""
    years = [int(str(p)[:4]) for p in y.index]
    return pd.Series(np.asarray(y, dtype=float), index=years)
