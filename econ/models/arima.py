"""ARIMA with its order chosen by AICc over a small grid: the classic Box-Jenkins benchmark.

The differencing order comes from a KPSS test (as in Hyndman's auto.arima), because AICc cannot
compare models fitted on differenced and undifferenced data; the AR and MA orders are then chosen
by AICc, which penalises the extra parameters a 30-year annual series cannot afford.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.stattools import kpss

from econ.models.base import GaussianFitted, Model, ModelSkipped, captured, check_series

GRID = [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)]


@dataclass
class ArimaFitted(GaussianFitted):
    results: object = None

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        prediction = self.results.get_forecast(h)
        return np.asarray(prediction.predicted_mean), np.sqrt(np.asarray(prediction.var_pred_mean))


def choose_d(values: np.ndarray) -> int:
    """1 when KPSS rejects level stationarity at 5 %, else 0."""
    notes: list[str] = []
    with captured(notes):
        p_value = kpss(values, regression="c", nlags="auto")[1]
    return int(p_value < 0.05)


def fit_order(values: np.ndarray, order: tuple[int, int, int], notes: list[str], start_params=None):
    """One ARIMA fit, or None when it fails or does not converge (the reason goes to ``notes``)."""
    trend = "c" if order[1] == 0 else "n"
    caught: list[str] = []
    try:
        with captured(caught):
            results = ARIMA(values, order=order, trend=trend).fit(start_params=start_params, cov_type="none")
    except (ValueError, np.linalg.LinAlgError) as error:
        notes.append(f"ARIMA{order}: {error}")
        return None
    converged = (getattr(results, "mle_retvals", None) or {}).get("converged", True)
    if not converged or not np.isfinite(results.aicc):
        notes.append(f"ARIMA{order}: did not converge")
        return None
    return results


class AutoArima(Model):
    name = "arima"
    min_obs = 10
    description = "ARIMA(p,d,q), d by KPSS, (p,q) in {(0,0),(1,0),(2,0),(0,1),(1,1)} by AICc"

    def fit(self, y: pd.Series, exog=None) -> ArimaFitted:
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        d = choose_d(y.values)
        candidates = [fit_order(y.values, (p, d, q), notes) for p, q in GRID]
        fitted = [r for r in candidates if r is not None]
        if not fitted:
            raise ModelSkipped(f"no ARIMA order could be estimated ({notes[0] if notes else 'unknown'})")
        best = min(fitted, key=lambda r: r.aicc)
        order = tuple(int(k) for k in best.model.order)
        return ArimaFitted(self.name, y.index, notes, {"order": order, "aicc": float(best.aicc)}, best)

    def refit(self, fitted: ArimaFitted, y: pd.Series, exog=None) -> ArimaFitted:
        """The order chosen before, re-estimated from its previous parameters (no grid search)."""
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        order = fitted.params["order"]
        results = fit_order(y.values, order, notes, start_params=fitted.results.params)
        if results is None:
            return self.fit(y)
        return ArimaFitted(self.name, y.index, notes, {"order": order, "aicc": float(results.aicc)}, results)

    def update(self, fitted: ArimaFitted, y: pd.Series, exog=None) -> ArimaFitted:
        """Same order and parameters, new data: a filter pass instead of a fit."""
        y = check_series(y, self.min_obs)
        notes: list[str] = []
        with captured(notes):
            results = fitted.results.apply(y.values)
        return ArimaFitted(self.name, y.index, notes, dict(fitted.params), results)
