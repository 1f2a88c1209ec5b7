"""Exponential smoothing with a damped additive trend (statsmodels' ``ETSModel``, ETS(A,Ad,N)).

The damped trend is the robust choice of the M-competitions: it follows a recent trend for a year
or two and then flattens, instead of extrapolating it forever.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tools._decorators import cache_readonly
from statsmodels.tsa.exponential_smoothing.base import StateSpaceMLEModel
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


FINITE_STEP = 1e-8  # ``fmin_l_bfgs_b``'s forward-difference step, the one ``ETSModel.fit`` gets


class _DirectGradient(StateSpaceMLEModel):
    """The likelihood and its finite-difference gradient, computed directly.

    ``ETSModel.fit`` asks L-BFGS-B for a numerical gradient: for each of its (up to 17) parameters
    scipy steps one parameter, and the likelihood is reached through four layers of wrappers that
    cost more than the exponential smoothing itself. This class sits between ``ETSModel`` and its
    base in the method order, receives the optimiser call ``ETSModel.fit`` makes, and hands the
    optimiser the same forward differences (scipy's steps, turned back at the bounds as scipy turns
    them) with the same likelihood arithmetic: the same estimates, bit for bit on the panel's
    series, in half the time (``tests/models/test_ets.py`` checks them against ``ETSModel``'s).
    """

    def fit(self, start_params=None, fargs=(), **kwargs):
        if not kwargs.get("approx_grad") or len(fargs) != 6 or self.error != "add":
            return super().fit(start_params, fargs=fargs, **kwargs)
        kwargs.pop("approx_grad")
        kwargs["loglike_and_score"] = self._likelihood_and_gradient(kwargs.get("bounds"), *fargs)
        return super().fit(start_params, fargs=(), **kwargs)

    def _likelihood_and_gradient(self, bounds, yhat, xhat, is_fixed, fixed_values, beta_star, gamma_star):
        """``(loglike / nobs, its gradient)``: what ``fit``'s optimiser negates and minimises."""
        data, n, smooth = self.endog, self.nobs, self._smoothing_func
        is_fixed = np.ascontiguousarray(is_fixed, dtype=np.int64)
        lower = np.array([-np.inf if b[0] is None else b[0] for b in bounds], float)
        upper = np.array([np.inf if b[1] is None else b[1] for b in bounds], float)
        squares, total, two_pi = np.empty(n), np.add.reduce, 2 * np.pi

        def value(params: np.ndarray) -> float:  # ETSModel._loglike_internal's arithmetic, over nobs
            smooth(params, data, yhat, xhat, is_fixed, fixed_values, beta_star, gamma_star)
            np.subtract(data, yhat, out=squares)
            np.multiply(squares, squares, out=squares)
            return (-n / 2 * (np.log(two_pi * (total(squares) / n)) + 1)) / n

        def both(params) -> tuple[float, np.ndarray]:
            params = np.asarray(params, float)
            here, steps = value(params), forward_steps(params, lower, upper)
            gradient, moved = np.empty(len(params)), params.copy()
            for i, step in enumerate(steps):
                moved[i] = params[i] + step
                gradient[i] = (value(moved) - here) / (moved[i] - params[i])
                moved[i] = params[i]
            return here, gradient

        return both


def forward_steps(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """scipy's two-point steps for an absolute step (``approx_derivative``): ``FINITE_STEP`` forward,
    backward where that would leave the bounds, the room left where neither fits."""
    steps = np.full(len(x), FINITE_STEP)
    ahead = x + steps
    if not ((ahead > upper) | (ahead < lower) | (ahead == x)).any():
        return steps  # the common case: well inside the bounds
    sign = (x >= 0).astype(float) * 2 - 1
    steps = np.where(ahead - x == 0, np.finfo(float).eps ** 0.5 * sign * np.maximum(1.0, np.abs(x)), steps)
    below, above = x - lower, upper - x
    outside = ((x + steps) < lower) | ((x + steps) > upper)
    fits = np.abs(steps) <= np.maximum(below, above)
    forward, backward = (above >= below) & ~fits, (above < below) & ~fits
    steps[outside & fits] *= -1
    steps[forward], steps[backward] = above[forward], -below[backward]
    return steps


class LeanEtsModel(ETSModel, _DirectGradient):
    """``ETSModel`` without the covariance matrix nobody reads, with the gradient computed directly."""

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
