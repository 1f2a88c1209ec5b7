"""Anchors: the long-run mean (the last twenty years) and the recent median (the last ten).

Where a norm anchors a series (WAEMU inflation, under a currency peg to the euro), shocks fade
and the recent level is a hard forecast to beat a year or more ahead: it is the anchor the
official forecasters lean on. Two windows, because neither is right everywhere: twenty years
average out a long cycle but keep a one-off (the 1994 CFA franc devaluation's 25-35 % inflation)
for two decades; the median of ten follows a regime change sooner and ignores a single wild
year. Both are candidates; the combination weighs them by their record known at each origin, so
no window is picked with hindsight. Their uncertainty is the series' spread around the anchor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.models.base import GaussianFitted, Model, check_series

YEARS = 20
MEDIAN_YEARS = 10
MAD_TO_SD = 1.4826  # the median absolute deviation of a normal variable, times this, is its sd


@dataclass
class MeanFitted(GaussianFitted):
    level: float = 0.0
    sigma: float = 0.0

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        return np.full(h, self.level), np.full(h, self.sigma)

    def simulate(self, h: int, n: int, rng: np.random.Generator, exog=None) -> np.ndarray:
        return self.level + self.sigma * rng.standard_normal((n, h))


class _Anchor(Model):
    """A flat projection at a level of the last ``years`` years, with the spread around it."""

    min_obs = 8
    years = YEARS

    def fit(self, y: pd.Series, exog=None) -> MeanFitted:
        y = check_series(y, self.min_obs)
        level, sigma = self.anchor(np.asarray(y.values[-self.years:], float))
        return MeanFitted(self.name, y.index, params={"level": level, "sigma": sigma}, level=level, sigma=sigma)

    def anchor(self, recent: np.ndarray) -> tuple[float, float]:
        raise NotImplementedError


class LongRunMean(_Anchor):
    name = "long_run_mean"
    description = f"average of the last {YEARS} years"

    def anchor(self, recent: np.ndarray) -> tuple[float, float]:
        # the spread of a new year around a mean of n years: sd * sqrt(1 + 1/n)
        return float(recent.mean()), float(np.std(recent, ddof=1) * np.sqrt(1 + 1 / len(recent)))


class RecentMedian(_Anchor):
    name = "recent_median"
    years = MEDIAN_YEARS
    description = f"median of the last {MEDIAN_YEARS} years"

    def anchor(self, recent: np.ndarray) -> tuple[float, float]:
        level = float(np.median(recent))
        spread = MAD_TO_SD * float(np.median(np.abs(recent - level)))
        spread = spread if spread > 0 else float(np.std(recent, ddof=1))
        # a new year around the median of n: the median's variance is about pi/2 times the mean's
        return level, float(spread * np.sqrt(1 + np.pi / (2 * len(recent))))
