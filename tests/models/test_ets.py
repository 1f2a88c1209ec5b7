"""econ's ETS estimates are statsmodels' own: the direct gradient changes the time, not the numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from econ.models.ets import LeanEtsModel, forward_steps

SEASONAL = {"error": "add", "trend": "add", "damped_trend": True, "seasonal": "add", "seasonal_periods": 12}
ANNUAL = {"error": "add", "trend": "add", "damped_trend": True}


def log_cpi(seed: int, months: int = 120) -> pd.Series:
    """100 log CPI: drifting prices with a seasonal pattern and noise."""
    rng = np.random.default_rng(seed)
    season = np.tile(rng.normal(0, 0.4, 12), months // 12 + 1)[:months]
    return pd.Series(np.cumsum(0.2 + rng.normal(0, 0.5, months)) + season + 460)


def both(values: pd.Series, form: dict, **fit) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = LeanEtsModel(values, **form).fit(disp=False, maxiter=500, **fit)
        theirs = ETSModel(values, **form).fit(disp=False, maxiter=500, **fit)
    return ours, theirs


@pytest.mark.parametrize("seed", range(4))
def test_monthly_estimates_are_statsmodels_own(seed):
    ours, theirs = both(log_cpi(seed), SEASONAL)
    np.testing.assert_allclose(ours.params, theirs.params, rtol=1e-9, atol=1e-12)
    assert ours.llf == pytest.approx(theirs.llf, rel=1e-12)
    assert ours.mle_retvals["converged"] == theirs.mle_retvals["converged"]


def test_a_warm_start_and_an_annual_series_too():
    values = log_cpi(7)
    start = np.asarray(both(values.iloc[:-12], SEASONAL)[0].params, float)
    ours, theirs = both(values, SEASONAL, start_params=start)
    np.testing.assert_allclose(ours.params, theirs.params, rtol=1e-9, atol=1e-12)
    growth = pd.Series(np.random.default_rng(3).normal(4, 2, 30))
    ours, theirs = both(growth, ANNUAL)
    np.testing.assert_allclose(ours.params, theirs.params, rtol=1e-9, atol=1e-12)


def test_steps_turn_back_at_the_bounds_as_scipy_does():
    x = np.array([0.5, 1.0, 0.99999999999, 0.0])
    lower, upper = np.array([0, 0, 0, -np.inf]), np.array([1, 1, 1, np.inf])
    steps = forward_steps(x, lower, upper)
    assert steps[0] == 1e-8 and steps[1] == -1e-8 and steps[2] == -1e-8 and steps[3] == 1e-8
