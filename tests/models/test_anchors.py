"""The anchors: the recent median forgets a one-off that the long-run mean keeps for two decades."""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.models import MODELS


def inflation_with_a_devaluation() -> pd.Series:
    """Calm 2 % inflation around a single 30 % year (the 1994 CFA franc devaluation, in kind)."""
    values = np.full(25, 2.0) + np.tile([0.5, -0.5, 0.3, -0.3, 0.0], 5)
    values[18] = 30.0
    return pd.Series(values, index=pd.period_range("2000", periods=25, freq="Y"))


def test_one_exceptional_year_moves_the_mean_but_not_the_recent_median():
    y = inflation_with_a_devaluation()
    median = MODELS["recent_median"].fit(y).forecast(1)["mean"].iloc[0]
    mean = MODELS["long_run_mean"].fit(y).forecast(1)["mean"].iloc[0]
    assert abs(median - 2.0) < 0.5
    assert mean > 3.0


def test_the_recent_median_band_follows_the_typical_spread_not_the_outlier():
    y = inflation_with_a_devaluation()
    frame = MODELS["recent_median"].fit(y).forecast(1)
    width = frame["upper_95"].iloc[0] - frame["lower_95"].iloc[0]
    assert 0.5 < width < 5.0  # the outlier alone would make it tens of points wide
