"""An autoregression with its order chosen by AIC: the benchmark of macroeconomic forecasting.

The differencing comes from a KPSS test (as in Hyndman's auto.arima): levels when stationarity is
not rejected at 5 %, year-on-year changes otherwise. The lag order (0 to 2) is chosen by AIC on a
common sample (statsmodels' ``ar_select_order``), and the model is estimated by least squares
(``AutoReg``): a few milliseconds, so it is re-estimated at every backtest origin. Its forecast
variance uses the moving-average weights of the (integrated) autoregression.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.ar_model import AutoReg, ar_select_order
from statsmodels.tsa.arima_process import arma2ma
from statsmodels.tsa.stattools import kpss

from econ.models.base import GaussianFitted, Model, captured, check_series, estimate

MAX_LAG = 2


def choose_d(values: np.ndarray) -> int:
    """1 when KPSS rejects level stationarity at 5 %, else 0."""
    notes: list[str] = []
    with captured(notes):
        p_value = kpss(values, regression="c", nlags="auto")[1]
    return int(p_value < 0.05)


@dataclass
class ArFitted(GaussianFitted):
    constant: float = 0.0
    coefficients: np.ndarray = None  # AR coefficients, lag 1 first
    sigma2: float = 0.0
    d: int = 0
    history: np.ndarray = None  # the series' levels (for the recursion's starting values)

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        work = np.diff(self.history) if self.d else np.asarray(self.history, float)
        values = list(work)
        for _ in range(h):
            lagged = values[::-1][: len(self.coefficients)]
            values.append(self.constant + float(np.dot(self.coefficients, lagged)))
        path = np.asarray(values[-h:])
        mean = self.history[-1] + np.cumsum(path) if self.d else path
        ar_poly = np.concatenate([[1.0], -np.asarray(self.coefficients, float)])
        if self.d:
            ar_poly = np.convolve(ar_poly, [1.0, -1.0])
        psi = arma2ma(ar_poly, [1.0], lags=h)
        sd = np.sqrt(self.sigma2 * np.cumsum(psi**2))
        return mean, sd


class AutoAr(Model):
    name = "ar"
    min_obs = 10
    description = "autoregression AR(p), p from 0 to 2 by AIC, on levels or on changes (KPSS test)"

    def fit(self, y: pd.Series, exog=None) -> ArFitted:
        y = check_series(y, self.min_obs)
        d = choose_d(y.to_numpy(float))
        work = np.diff(y.to_numpy(float)) if d else y.to_numpy(float)
        notes: list[str] = []
        lags = estimate("AR order", notes, lambda: ar_select_order(work, maxlag=MAX_LAG, ic="aic", trend="c").ar_lags)
        result = estimate("AR", notes, lambda: AutoReg(work, lags=lags or 0, trend="c").fit())
        params = np.asarray(result.params, float)
        coefficients = params[1:] if len(params) > 1 else np.zeros(0)
        return ArFitted(self.name, y.index, notes, {"order": (len(coefficients), d, 0)}, float(params[0]),
                        coefficients, float(result.sigma2), d, y.to_numpy(float))

    def update(self, fitted: ArFitted, y: pd.Series, exog=None) -> ArFitted:
        """Least squares costs milliseconds: re-estimated on the new data, order and differencing kept."""
        y = check_series(y, self.min_obs)
        work = np.diff(y.to_numpy(float)) if fitted.d else y.to_numpy(float)
        lags = len(fitted.coefficients)
        notes: list[str] = []
        result = estimate("AR", notes, lambda: AutoReg(work, lags=lags, trend="c").fit())
        params = np.asarray(result.params, float)
        return ArFitted(self.name, y.index, notes, dict(fitted.params), float(params[0]), params[1:],
                        float(result.sigma2), fitted.d, y.to_numpy(float))
