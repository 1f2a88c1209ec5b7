"""Exponential smoothing with a damped additive trend (statsmodels' ``ETSModel``, ETS(A,Ad,N)).

The damped trend is the robust choice of the M-competitions: it follows a recent trend for a year
or two and then flattens, instead of extrapolating it forever.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tools._decorators import cache_readonly
from statsmodels.tsa.exponential_smoothing.ets import ETSModel, ETSResults, ETSResultsWrapper

from econ.models.base import (
    GaussianFitted,
    Model,
    ModelSkipped,
    captured,
    check_series,
    did_not_converge,
    estimate,
)


@dataclass
class EtsFitted(GaussianFitted):
    results: object = None

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        n = int(self.results.nobs)
        prediction = self.results.get_prediction(start=n, end=n + h - 1)
        return np.asarray(prediction.predicted_mean), np.sqrt(np.asarray(prediction.forecast_variance))

    def simulate(self, h: int, n: int, rng: np.random.Generator, exog=None) -> np.ndarray:
        paths = self.results.simulate(h, anchor="end", repetitions=n, rng=rng)
        return np.asarray(paths).reshape(h, n).T


class LeanEtsResults(ETSResults):
    """ETS results without the parameters' covariance matrix.

    ``ETSResults`` computes a complex-step Hessian whenever results are built (every fit and every
    smoothing pass of a backtest); forecasts and simulations never use it, and it was a fifth of
    a monthly backtest's time.
    """

    @cache_readonly
    def cov_params_approx(self):
        return np.full((len(self.params), len(self.params)), np.nan)


class LeanEtsModel(ETSModel):
    @property
    def _res_classes(self):
        return {"fit": (LeanEtsResults, ETSResultsWrapper)}


def _ets(values: np.ndarray) -> ETSModel:
    # A RangeIndex series: statsmodels 0.15's ETS prediction needs an index on its endog.
    return LeanEtsModel(pd.Series(values), error="add", trend="add", damped_trend=True)


class DampedEts(Model):
    name = "ets"
    min_obs = 10
    description = "exponential smoothing, additive errors, damped additive trend"

    def fit(self, y: pd.Series, exog=None) -> EtsFitted:
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        results = estimate("ETS", notes, lambda: _ets(y.values).fit(disp=False, maxiter=500))
        if did_not_converge(notes):
            raise ModelSkipped("ETS did not converge")
        return EtsFitted(self.name, y.index, notes, {"phi": float(results.phi)}, results)

    def update(self, fitted: EtsFitted, y: pd.Series, exog=None) -> EtsFitted:
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        with captured(notes):
            results = _ets(y.values).smooth(fitted.results.params)
        return EtsFitted(self.name, y.index, notes, dict(fitted.params), results)
