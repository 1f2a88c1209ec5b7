"""Real GDP growth as a regression on gold output growth, with the elasticity an economist would sign.

Gold is Mali's first export and about a tenth of its output: when a big mine stops (Loulo-Gounkoto
in 2025) growth follows. If gold's value added is a share ``s`` of GDP, a 10 % rise in gold output
adds about ``10 s`` points to growth: the coefficient ``b`` of ``growth_t = c + b * gold_growth_t
+ e_t`` should be near ``s``. A dozen overlapping years cannot pin ``b`` down on their own (the
first version estimated -0.011 for Mali: more gold, less growth), so ``b`` is estimated with a
normal prior centred on the country's gold share (``econ/data/gold_shares.csv``, with its
sources; prior sd half the share) and is never negative. Countries without a recorded share get a
wide prior at zero, still truncated at zero.

The fitted state is a few plain numbers (coefficients, their covariance, the error variance), kept
as JSON: a scenario rebuilds the model from them and projects growth for any gold path in
microseconds, with nothing unpickled.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from econ.models.base import GaussianFitted, Model, ModelSkipped, as_period_series, check_series

SHARES = Path(__file__).resolve().parents[1] / "data" / "gold_shares.csv"
UNKNOWN_SHARE_SD = 0.2  # wide: the data decide, within the sign
STATE_VERSION = 1


@dataclass(frozen=True)
class GoldInput:
    """The regressor (gold output growth, %) and the country whose gold share sets the prior."""

    growth: pd.Series
    country: str | None = None


@lru_cache(maxsize=1)
def gold_shares() -> dict[str, dict]:
    with open(SHARES, newline="", encoding="utf-8") as handle:
        return {row["country"]: {**row, "share": float(row["share"])} for row in csv.DictReader(handle)}


def prior_for(country: str | None) -> tuple[float, float, str]:
    """(mean, sd, source) of the prior on the gold elasticity."""
    known = gold_shares().get(country or "")
    if known is None:
        return 0.0, UNKNOWN_SHARE_SD, "no recorded gold share: wide prior at zero, never negative"
    return known["share"], known["share"] / 2, known["source"]


def gold_growth(tonnes: pd.Series) -> pd.Series:
    """Year-on-year growth (%) of gold production; missing where the year before is missing."""
    tonnes = as_period_series(tonnes, "Y").sort_index()
    full = tonnes.reindex(pd.period_range(tonnes.index[0], tonnes.index[-1], freq="Y"))
    return (100 * (full / full.shift(1) - 1)).dropna()


def tonnage_path(known: dict[int, float], projected: dict[int, float], last: int) -> dict[int, float]:
    """Tonnes each year from the first known to ``last``: the figure where known, else the projection
    (the freshest official one, or econ's), else the year before's carried forward, as the
    growth-on-gold regression assumes of a year no one projected."""
    tonnes, level = {}, None
    for year in range(min(known), last + 1):
        level = known.get(year, projected.get(year, level))
        tonnes[year] = level
    return tonnes


def path_growth(last_tonnes: float, path: list[float]) -> np.ndarray:
    """Growth (%) of a tonnage path that starts after a year of ``last_tonnes``."""
    levels = np.concatenate([[last_tonnes], np.asarray(path, dtype=float)])
    return 100 * (levels[1:] / levels[:-1] - 1)


@dataclass
class GrowthGoldFitted(GaussianFitted):
    coefficients: np.ndarray = None  # (constant, gold elasticity)
    covariance: np.ndarray = None
    sigma2: float = 0.0

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        if exog is None or len(np.ravel(exog)) < h:
            raise ValueError(f"growth_gold needs a gold growth path of {h} years to forecast")
        x = np.column_stack([np.ones(h), np.asarray(exog, dtype=float).ravel()[:h]])
        mean = x @ self.coefficients
        variance = self.sigma2 + np.einsum("ij,jk,ik->i", x, self.covariance, x)
        return mean, np.sqrt(variance)

    def state(self) -> dict:
        """What a scenario needs to project again: plain numbers, versioned."""
        return {"version": STATE_VERSION, "coefficients": [float(v) for v in self.coefficients],
                "covariance": [[float(v) for v in row] for row in self.covariance], "sigma2": float(self.sigma2),
                "periods": [str(p) for p in self.index], "prior": dict(self.params.get("prior", {}))}


def from_state(state: dict) -> GrowthGoldFitted:
    """Rebuilds the fitted regression from its stored numbers (no estimation, nothing unpickled)."""
    if int(state.get("version", 0)) != STATE_VERSION:
        raise ValueError(f"stored gold model state version {state.get('version')!r} is not {STATE_VERSION}")
    index = pd.PeriodIndex([pd.Period(p, freq="Y") for p in state["periods"]])
    coefficients = np.asarray(state["coefficients"], float)
    return GrowthGoldFitted("growth_gold", index, [], {"gold_coefficient": float(coefficients[1]),
                            "prior": state.get("prior", {})}, coefficients,
                            np.asarray(state["covariance"], float), float(state["sigma2"]))


def _aligned(y: pd.Series, exog: pd.Series, min_obs: int) -> tuple[pd.Series, pd.Series]:
    exog = as_period_series(exog, "Y")
    common = y.index.intersection(exog.index)
    y, x = y.loc[common], exog.loc[common]
    if len(y):
        years = np.asarray(y.index.year)
        breaks = np.flatnonzero(np.diff(years) != 1)
        if len(breaks):
            y = y.iloc[breaks[-1] + 1:]
        x = x.loc[y.index]
    return check_series(y, min_obs), x


def posterior(y: np.ndarray, x: np.ndarray, prior_mean: float, prior_sd: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Coefficients, their covariance and the error variance: a flat prior on the constant, a normal
    prior on the elasticity, the elasticity then truncated at zero."""
    design = np.column_stack([np.ones(len(y)), x])
    precision = np.diag([0.0, 1.0 / prior_sd**2])
    ols, *_ = np.linalg.lstsq(design, y, rcond=None)
    sigma2 = max(float(np.sum((y - design @ ols) ** 2) / max(len(y) - 2, 1)), 1e-6)
    for _ in range(2):  # the error variance and the coefficients, each given the other
        covariance = np.linalg.inv(design.T @ design / sigma2 + precision)
        coefficients = covariance @ (design.T @ y / sigma2 + precision @ np.array([0.0, prior_mean]))
        if coefficients[1] < 0:
            coefficients = np.array([float(np.mean(y)), 0.0])
        sigma2 = max(float(np.sum((y - design @ coefficients) ** 2) / max(len(y) - 1, 1)), 1e-6)
    return coefficients, covariance, sigma2


class GrowthOnGold(Model):
    name = "growth_gold"
    kind = "exog"
    min_obs = 8
    description = "growth regressed on gold output growth, elasticity shrunk toward gold's share of GDP and never negative"

    def fit(self, y: pd.Series, exog=None) -> GrowthGoldFitted:
        if exog is None:
            raise ModelSkipped("no gold production series to regress on")
        regressor = exog.growth if isinstance(exog, GoldInput) else exog
        country = exog.country if isinstance(exog, GoldInput) else None
        y, x = _aligned(check_series(y, 1), regressor, self.min_obs)
        mean, sd, source = prior_for(country)
        coefficients, covariance, sigma2 = posterior(y.to_numpy(float), x.to_numpy(float), mean, sd)
        params = {"gold_coefficient": float(coefficients[1]), "prior": {"mean": mean, "sd": sd, "source": source}}
        return GrowthGoldFitted(self.name, y.index, [], params, coefficients, covariance, sigma2)
