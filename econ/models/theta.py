"""The Theta method (Assimakopoulos & Nikolopoulos): simple exponential smoothing plus half the
linear trend. It won the M3 competition on annual data and costs almost nothing to fit.

The central forecast is statsmodels' ``ThetaModel``. Its intervals would need an extra ARIMA fit
for the residual variance; the Theta method is an IMA(1,1) with drift, so the variance is taken
from the one-step errors of the fitted exponential smoothing and grows as
``sigma2 * (1 + (h - 1) * alpha**2)`` (Hyndman & Billah, 2003).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.forecasting.theta import ThetaModel

from econ.models.base import GaussianFitted, Model, ModelSkipped, check_series, estimate


@dataclass
class ThetaFitted(GaussianFitted):
    results: object = None
    sigma2: float = 0.0
    alpha: float = 0.0

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        mean = np.asarray(self.results.forecast(h))
        sd = np.sqrt(self.sigma2 * (1 + np.arange(h) * self.alpha**2))
        return mean, sd


def ses_sigma2(values: np.ndarray, alpha: float) -> float:
    """Mean squared one-step error of simple exponential smoothing started at the first value."""
    level, errors = values[0], []
    for value in values[1:]:
        errors.append(value - level)
        level = alpha * value + (1 - alpha) * level
    return float(np.mean(np.square(errors)))


class Theta(Model):
    name = "theta"
    min_obs = 8
    description = "Theta method (SES with drift), no seasonality"

    def fit(self, y: pd.Series, exog=None) -> ThetaFitted:
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        results = estimate("Theta", notes, lambda: ThetaModel(y.values, period=1, deseasonalize=False).fit())
        alpha = float(results.params["alpha"])
        sigma2 = ses_sigma2(y.values, alpha)
        if not np.isfinite(sigma2) or sigma2 <= 0:
            raise ModelSkipped("Theta: no residual variance to measure uncertainty")
        return ThetaFitted(self.name, y.index, notes, {"alpha": alpha}, results, sigma2, alpha)
