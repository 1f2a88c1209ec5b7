"""The naive forecast: next year equals the last known year. The benchmark every model must beat.

Its uncertainty is that of a random walk, measured by the spread of the series' year-on-year
changes, so the interval widens with the square root of the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.models.base import GaussianFitted, Model, check_series


@dataclass
class NaiveFitted(GaussianFitted):
    last: float = 0.0
    sigma: float = 0.0

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        return np.full(h, self.last), self.sigma * np.sqrt(np.arange(1, h + 1))

    def simulate(self, h: int, n: int, rng: np.random.Generator, exog=None) -> np.ndarray:
        return self.last + self.sigma * rng.standard_normal((n, h)).cumsum(axis=1)


class Naive(Model):
    name = "naive"
    min_obs = 3
    description = "last value carried forward (random walk)"

    def fit(self, y: pd.Series, exog=None) -> NaiveFitted:
        y = check_series(y, self.min_obs)
        sigma = float(np.std(np.diff(y.values), ddof=1))
        return NaiveFitted(self.name, y.index, params={"sigma": sigma}, last=float(y.iloc[-1]), sigma=sigma)
