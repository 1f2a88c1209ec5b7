"""A local linear trend (``UnobservedComponents``): a level and a slope that both drift.

Where ARIMA and ETS see a trend as fixed, this one lets the slope wander, which suits series
such as debt ratios that change direction over a decade.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.structural import UnobservedComponents

from econ.models.base import GaussianFitted, Model, ModelSkipped, captured, check_series, estimate


@dataclass
class LocalTrendFitted(GaussianFitted):
    results: object = None

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        prediction = self.results.get_forecast(h)
        return np.asarray(prediction.predicted_mean), np.sqrt(np.asarray(prediction.var_pred_mean))


class LocalLinearTrend(Model):
    name = "local_trend"
    min_obs = 10
    description = "local linear trend (unobserved components)"

    def fit(self, y: pd.Series, exog=None) -> LocalTrendFitted:
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        results = estimate("local linear trend", notes, lambda: UnobservedComponents(
            y.values, level="local linear trend").fit(disp=False, maxiter=200, cov_type="none"))
        if not (results.mle_retvals or {}).get("converged", True):
            raise ModelSkipped("local linear trend did not converge")
        return LocalTrendFitted(self.name, y.index, notes, {"llf": float(results.llf)}, results)

    def update(self, fitted: LocalTrendFitted, y: pd.Series, exog=None) -> LocalTrendFitted:
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        with captured(notes):
            results = fitted.results.apply(y.values)
        return LocalTrendFitted(self.name, y.index, notes, dict(fitted.params), results)
