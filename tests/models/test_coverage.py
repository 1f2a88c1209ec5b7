"""Intervals cover at their nominal rate on series simulated from the model's own family.

Each test simulates many series with known parameters, fits the adapter on all but the last
value(s), and counts how often the held-out truth falls inside the 80 % and 95 % intervals.
The tolerances are about three binomial standard errors. The quick ones run by default; the
ones that fit a statsmodels model hundreds of times are marked ``slow``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from simulated import annual_index

from econ.models import MODELS
from econ.models.growth_gold import GoldInput
from econ.models.monthly_cpi import annual_average_inflation


def coverage(hits80: list[bool], hits95: list[bool]) -> tuple[float, float]:
    return float(np.mean(hits80)), float(np.mean(hits95))


def held_out(name: str, series: list[pd.Series], h: int = 1) -> tuple[float, float]:
    """Coverage of the h-step-ahead intervals over simulated series (last h values held out)."""
    hits80, hits95 = [], []
    for y in series:
        f = MODELS[name].fit(y.iloc[:-h]).forecast(h).iloc[-1]
        truth = y.iloc[-1]
        hits80.append(f["lower_80"] <= truth <= f["upper_80"])
        hits95.append(f["lower_95"] <= truth <= f["upper_95"])
    return coverage(hits80, hits95)


def random_walks(count: int, n: int = 30, sigma: float = 1.0, drift: float = 0.0, seed: int = 0) -> list[pd.Series]:
    rng = np.random.default_rng(seed)
    return [pd.Series(50 + np.cumsum(drift + rng.normal(0, sigma, n)), index=annual_index(n)) for _ in range(count)]


def local_levels(count: int, n: int = 30, seed: int = 0) -> list[pd.Series]:
    """Random walk plus noise: the model exponential smoothing is optimal for."""
    rng = np.random.default_rng(seed)
    return [pd.Series(3 + np.cumsum(rng.normal(0, 0.7, n)) + rng.normal(0, 1.0, n), index=annual_index(n))
            for _ in range(count)]


def ar1_series(count: int, n: int = 40, phi: float = 0.6, seed: int = 0) -> list[pd.Series]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        e = rng.normal(0, 1, n + 50)
        x = np.zeros(n + 50)
        for t in range(1, n + 50):
            x[t] = phi * x[t - 1] + e[t]
        out.append(pd.Series(3 + x[50:], index=annual_index(n)))
    return out


def test_naive_intervals_cover_random_walks():
    c80, c95 = held_out("naive", random_walks(600))
    assert abs(c80 - 0.80) < 0.05 and abs(c95 - 0.95) < 0.03


def test_naive_two_years_ahead_widens_with_the_square_root_of_the_horizon():
    c80, c95 = held_out("naive", random_walks(600, seed=1), h=2)
    assert abs(c80 - 0.80) < 0.05 and abs(c95 - 0.95) < 0.03


def test_ets_intervals_cover_a_local_level():
    c80, c95 = held_out("ets", local_levels(120, seed=3))
    assert abs(c80 - 0.80) < 0.11 and abs(c95 - 0.95) < 0.07


def test_ar_intervals_cover_an_ar1():
    """On long series (plug-in intervals ignore the estimation error, which 30 years do not make
    negligible; the econ projection's bands come from its own pooled errors anyway)."""
    c80, c95 = held_out("ar", ar1_series(400, n=120, seed=4))
    assert abs(c80 - 0.80) < 0.06 and abs(c95 - 0.95) < 0.04


def test_ar_on_changes_accumulates_the_variance_of_the_changes():
    """Fitted on changes, the h-year variance is that of the sum of h changes (psi weights of the
    integrated process), not the one-year variance."""
    from econ.models.ar import ArFitted

    walk = ArFitted("ar", annual_index(10), constant=0.0, coefficients=np.zeros(0), sigma2=4.0, d=1,
                    history=np.arange(10.0))
    mean, sd = walk.moments(3)
    np.testing.assert_allclose(mean, [9.0, 9.0, 9.0])
    np.testing.assert_allclose(sd, 2.0 * np.sqrt([1, 2, 3]))
    persistent = ArFitted("ar", annual_index(10), constant=0.0, coefficients=np.array([0.5]), sigma2=1.0, d=1,
                          history=np.array([0.0, 1.0]))
    mean, sd = persistent.moments(2)
    np.testing.assert_allclose(mean, [1.5, 1.75])  # changes 0.5, 0.25
    np.testing.assert_allclose(sd, [1.0, np.sqrt(1 + 1.5**2)])


@pytest.mark.slow
def test_growth_on_gold_intervals_cover_the_regression():
    rng = np.random.default_rng(6)
    hits80, hits95 = [], []
    for _ in range(200):
        gold = pd.Series(rng.normal(0, 8, 31), index=annual_index(31))
        growth = 4 + 0.1 * gold + rng.normal(0, 1, 31)
        fitted = MODELS["growth_gold"].fit(growth.iloc[:-1], GoldInput(gold.iloc[:-1], "MLI"))
        f = fitted.forecast(1, exog=gold.iloc[-1:].to_numpy()).iloc[0]
        hits80.append(f["lower_80"] <= growth.iloc[-1] <= f["upper_80"])
        hits95.append(f["lower_95"] <= growth.iloc[-1] <= f["upper_95"])
    c80, c95 = coverage(hits80, hits95)
    assert abs(c80 - 0.80) < 0.09 and abs(c95 - 0.95) < 0.06


def airline_cpis(count: int, theta: float = -0.4, seasonal_theta: float = -0.6, sigma: float = 0.5,
                 seed: int = 0) -> list[pd.Series]:
    """Monthly CPIs whose 100 log follows the airline model (0,1,1)(0,1,1)12 with known parameters.

    ``(1 - L)(1 - L^12) x_t = (1 + theta L)(1 + seasonal_theta L^12) e_t``, started from 13 months
    of a 2.5 %-a-year trend with a seasonal swing.
    """
    months, rng, out = 12 * 12, np.random.default_rng(seed), []
    index = pd.period_range("2012-01", periods=months, freq="M")
    for _ in range(count):
        e = rng.normal(0, sigma, months + 13)
        w = e[13:] + theta * e[12:-1] + seasonal_theta * e[1:-12] + theta * seasonal_theta * e[:-13]
        x = np.zeros(months)
        x[:13] = 460 + 2.5 / 12 * np.arange(13) + 0.5 * np.sin(2 * np.pi * np.arange(13) / 12)
        for t in range(13, months):
            x[t] = x[t - 1] + x[t - 12] - x[t - 13] + w[t]
        out.append(pd.Series(np.exp(x / 100), index=index))
    return out


@pytest.mark.slow
def test_monthly_cpi_paths_cover_annual_average_inflation():
    """The SARIMAX paths, aggregated to annual averages, cover next year's annual inflation."""
    hits80, hits95 = [], []
    for cpi in airline_cpis(150, seed=7):
        truth = annual_average_inflation(cpi).iloc[-1]
        fitted = MODELS["cpi_sarimax"].fit(cpi.iloc[:-12]).align(2023)
        f = fitted.forecast(1).iloc[0]
        hits80.append(f["lower_80"] <= truth <= f["upper_80"])
        hits95.append(f["lower_95"] <= truth <= f["upper_95"])
    c80, c95 = coverage(hits80, hits95)
    assert abs(c80 - 0.80) < 0.10 and abs(c95 - 0.95) < 0.06
