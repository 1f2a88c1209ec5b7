"""The long-run mean: next years equal the average of the last ten.

Where a norm anchors a series (WAEMU inflation, under a currency peg to the euro), shocks fade
and the recent average is a hard forecast to beat a year or more ahead: it is the anchor the
official forecasters lean on. Its uncertainty is the spread of the series around that average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.models.base import GaussianFitted, Model, check_series

YEARS = 20


@dataclass
class MeanFitted(GaussianFitted):
    level: float = 0.0
    sigma: float = 0.0

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        return np.full(h, self.level), np.full(h, self.sigma)

    def simulate(self, h: int, n: int, rng: np.random.Generator, exog=None) -> np.ndarray:
        return self.level + self.sigma * rng.standard_normal((n, h))


class LongRunMean(Model):
    name = "long_run_mean"
    min_obs = 8
    description = f"average of the last {YEARS} years"

    def fit(self, y: pd.Series, exog=None) -> MeanFitted:
        y = check_series(y, self.min_obs)
        recent = y.values[-YEARS:]
        level = float(recent.mean())
        # the spread of a new year around a mean of n years: sd * sqrt(1 + 1/n)
        sigma = float(np.std(recent, ddof=1) * np.sqrt(1 + 1 / len(recent)))
        return MeanFitted(self.name, y.index, params={"level": level, "sigma": sigma}, level=level, sigma=sigma)
