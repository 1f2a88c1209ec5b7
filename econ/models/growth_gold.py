"""Real GDP growth as a regression on gold production growth, with ARIMA errors.

Gold is Mali's first export and a tenth of its output: when a big mine stops (Loulo-Gounkoto in
2025) growth follows. The regression ``growth_t = c + b * gold_growth_t + u_t`` with ARMA errors
``u_t`` (SARIMAX with ``exog``) is fed, for the future, by a gold production path: the run's own
gold projection (baseline) or a path the analyst sets (scenario). The error order is chosen by
AICc among white noise, AR(1) and MA(1): the overlap of the two series is short.

The fitted state (data and parameters) is small and plain, so a scenario can rebuild the model
and forecast with a new gold path in milliseconds, without re-estimating anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.sarimax import SARIMAX

from econ.models.base import GaussianFitted, Model, ModelSkipped, as_period_series, captured, check_series

ORDERS = [(0, 0, 0), (1, 0, 0), (0, 0, 1)]


def gold_growth(tonnes: pd.Series) -> pd.Series:
    """Year-on-year growth (%) of gold production; missing where the year before is missing."""
    tonnes = as_period_series(tonnes, "Y").sort_index()
    full = tonnes.reindex(pd.period_range(tonnes.index[0], tonnes.index[-1], freq="Y"))
    return (100 * (full / full.shift(1) - 1)).dropna()


def path_growth(last_tonnes: float, path: list[float]) -> np.ndarray:
    """Growth (%) of a tonnage path that starts after a year of ``last_tonnes``."""
    levels = np.concatenate([[last_tonnes], np.asarray(path, dtype=float)])
    return 100 * (levels[1:] / levels[:-1] - 1)


@dataclass
class GrowthGoldFitted(GaussianFitted):
    results: object = None

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        if exog is None or len(np.ravel(exog)) < h:
            raise ValueError(f"growth_gold needs a gold growth path of {h} years to forecast")
        future = np.asarray(exog, dtype=float).ravel()[:h].reshape(-1, 1)
        prediction = self.results.get_forecast(h, exog=future)
        return np.asarray(prediction.predicted_mean), np.sqrt(np.asarray(prediction.var_pred_mean))

    def state(self) -> dict:
        """What a scenario needs to forecast again: plain numbers, no statsmodels object."""
        model = self.results.model
        return {
            "order": list(model.order), "params": [float(p) for p in self.results.params],
            "endog": [float(v) for v in np.ravel(model.endog)], "exog": [float(v) for v in np.ravel(model.exog)],
            "periods": [str(p) for p in self.index],
        }


def from_state(state: dict) -> GrowthGoldFitted:
    """Rebuilds the fitted regression from its stored state (a filter pass, no estimation)."""
    notes: list[str] = []
    with captured(notes):
        model = _sarimax(np.asarray(state["endog"]), np.asarray(state["exog"]), tuple(state["order"]))
        results = model.filter(np.asarray(state["params"]), cov_type="none")
    index = pd.PeriodIndex([pd.Period(p, freq="Y") for p in state["periods"]])
    return GrowthGoldFitted("growth_gold", index, notes, {"order": tuple(state["order"])}, results)


def _sarimax(endog: np.ndarray, exog: np.ndarray, order) -> SARIMAX:
    return SARIMAX(endog, exog=exog.reshape(-1, 1), order=order, trend="c")


def _aligned(y: pd.Series, exog: pd.Series, min_obs: int) -> tuple[pd.Series, pd.Series]:
    exog = as_period_series(exog, "Y")
    common = y.index.intersection(exog.index)
    y, x = y.loc[common], exog.loc[common]
    if len(y):
        y = y.loc[y.index >= _start_of_last_run(y.index)]
        x = x.loc[y.index]
    return check_series(y, min_obs), x


def _start_of_last_run(index: pd.PeriodIndex) -> pd.Period:
    years = np.asarray(index.year)
    breaks = np.flatnonzero(np.diff(years) != 1)
    return index[breaks[-1] + 1] if len(breaks) else index[0]


class GrowthOnGold(Model):
    name = "growth_gold"
    kind = "exog"
    min_obs = 10
    description = "regression of growth on gold production growth, ARMA errors (SARIMAX with exog)"

    def fit(self, y: pd.Series, exog=None) -> GrowthGoldFitted:
        if exog is None:
            raise ModelSkipped("no gold production series to regress on")
        y, x = _aligned(check_series(y, 1), exog, self.min_obs)
        notes: list[str] = []
        candidates = [self._try(y, x, order, notes) for order in ORDERS]
        fitted = [r for r in candidates if r is not None]
        if not fitted:
            raise ModelSkipped(f"the growth-on-gold regression could not be estimated ({'; '.join(notes[:2])})")
        best = min(fitted, key=lambda r: r.aicc)
        params = {"order": tuple(best.model.order), "gold_coefficient": float(best.params[1])}
        return GrowthGoldFitted(self.name, y.index, notes, params, best)

    def update(self, fitted: GrowthGoldFitted, y: pd.Series, exog=None) -> GrowthGoldFitted:
        y, x = _aligned(check_series(y, 1), exog, self.min_obs)
        notes: list[str] = []
        with captured(notes):
            model = _sarimax(y.values, x.values, fitted.results.model.order)
            results = model.filter(fitted.results.params, cov_type="none")
        return GrowthGoldFitted(self.name, y.index, notes, dict(fitted.params), results)

    @staticmethod
    def _try(y: pd.Series, x: pd.Series, order, notes: list[str]):
        caught: list[str] = []
        try:
            with captured(caught):
                results = _sarimax(y.values, x.values, order).fit(disp=False, maxiter=200, cov_type="none")
        except (ValueError, np.linalg.LinAlgError) as error:
            notes.append(f"order {order}: {error}")
            return None
        if not (results.mle_retvals or {}).get("converged", True) or not np.isfinite(results.aicc):
            notes.append(f"order {order}: did not converge")
            return None
        return results
