"""Series with known parameters, made here (tests never read the reference data to pass)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def annual_index(n: int, last: int = 2024) -> pd.PeriodIndex:
    return pd.period_range(str(last - n + 1), periods=n, freq="Y")


def ar1(n: int = 30, phi: float = 0.6, mean: float = 3.0, sigma: float = 1.0, seed: int = 0, last: int = 2024) -> pd.Series:
    """An AR(1) around ``mean``: annual inflation-like."""
    rng = np.random.default_rng(seed)
    values = np.empty(n)
    values[0] = mean + rng.normal(0, sigma / np.sqrt(1 - phi**2))
    for t in range(1, n):
        values[t] = mean + phi * (values[t - 1] - mean) + rng.normal(0, sigma)
    return pd.Series(values, index=annual_index(n, last))


def random_walk(n: int = 30, sigma: float = 1.0, seed: int = 0, start: float = 50.0) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(start + np.cumsum(rng.normal(0, sigma, n)), index=annual_index(n))


def monthly_cpi(years: int = 15, inflation: float = 3.0, seed: int = 0, last_year: int = 2023, sigma: float = 0.3) -> pd.Series:
    """A CPI whose log grows ``inflation`` % a year, with a seasonal pattern and noise."""
    rng = np.random.default_rng(seed)
    n = 12 * years
    index = pd.period_range(f"{last_year - years + 1}-01", periods=n, freq="M")
    season = 0.4 * np.sin(2 * np.pi * np.arange(n) / 12)
    log_level = np.log(100) + (inflation / 1200) * np.arange(n) + (season + np.cumsum(rng.normal(0, sigma, n))) / 100
    return pd.Series(np.exp(log_level), index=index)


def gold_and_growth(n: int = 25, beta: float = 0.1, seed: int = 0) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Gold tonnage, its growth, and GDP growth = 4 + beta * gold growth + noise (annual, to 2024)."""
    rng = np.random.default_rng(seed)
    index = annual_index(n + 1)
    tonnes = pd.Series(50 * np.exp(np.cumsum(rng.normal(0, 0.08, n + 1))), index=index)
    gold_growth = (100 * (tonnes / tonnes.shift(1) - 1)).dropna()
    growth = 4 + beta * gold_growth + rng.normal(0, 0.5, n)
    return tonnes, gold_growth, growth
