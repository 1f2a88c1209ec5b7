"""The one interface every forecasting model speaks, so the backtest and the run treat them alike.

A ``Model`` validates its input up front and ``fit`` returns a separate ``Fitted`` object
(statsmodels' model / results split). ``Fitted.forecast(h, levels)`` gives the central value and
the intervals; ``Fitted.simulate(h, n, rng)`` gives ``n`` sample paths, from which breach
probabilities and combined intervals are computed. A model that cannot work on a series raises
``ModelSkipped(reason)``: the run records the reason and goes on.

Warnings raised by statsmodels inside a fit are captured and kept on the ``Fitted`` object
(``warnings``), never printed: a run over 40 series would otherwise bury the terminal.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

LEVELS = (0.8, 0.95)
FORECAST_COLUMNS = ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]


class ModelSkipped(Exception):
    """The model cannot be fitted on this series; ``reason`` says why in the economist's words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def level_tag(level: float) -> str:
    """0.8 -> "80", 0.95 -> "95": the suffix of the interval columns."""
    return f"{level * 100:g}".replace(".", "_")


def interval_columns(levels=LEVELS) -> list[str]:
    columns = ["mean"]
    for level in levels:
        columns += [f"lower_{level_tag(level)}", f"upper_{level_tag(level)}"]
    return columns


@contextmanager
def captured(into: list[str]):
    """Runs a block with every warning recorded into ``into`` (deduplicated) instead of shown."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np_state = np.seterr(all="ignore")
        try:
            yield
        finally:
            np.seterr(**np_state)
    for item in caught:
        text = f"{item.category.__name__}: {str(item.message).strip().splitlines()[0]}"
        if text not in into:
            into.append(text)


def did_not_converge(messages: list[str]) -> bool:
    return any(m.startswith("ConvergenceWarning") for m in messages)


def estimate(label: str, notes: list[str], fit):
    """Runs ``fit()`` with its warnings recorded into ``notes``; a failed estimation becomes a
    ModelSkipped naming the model, so the run records the reason and goes on."""
    try:
        with captured(notes):
            return fit()
    except (ValueError, np.linalg.LinAlgError) as error:
        raise ModelSkipped(f"{label} could not be estimated: {error}") from error


# --- input checks ---------------------------------------------------------------------------


def as_period_series(y: pd.Series, freq: str = "Y") -> pd.Series:
    """A float series on a PeriodIndex (accepts period strings, years as ints, timestamps)."""
    index = y.index
    if not isinstance(index, pd.PeriodIndex):
        if freq == "Y":
            index = pd.PeriodIndex([pd.Period(str(p)[:4], freq="Y") for p in index])
        else:
            index = pd.PeriodIndex([pd.Period(str(p)[:7], freq=freq) for p in index])
    return pd.Series(np.asarray(y, dtype="float64"), index=index, name=y.name)


def check_series(y: pd.Series, min_obs: int, freq: str = "Y", allow_gaps: bool = False) -> pd.Series:
    """The series a model may use, or ``ModelSkipped`` saying what is wrong with it."""
    y = as_period_series(y, freq).sort_index()
    y = y[~y.index.duplicated(keep="last")]
    if len(y) and not allow_gaps:
        full = pd.period_range(y.index[0], y.index[-1], freq=y.index.freq)
        if len(full) != len(y) or y.isna().any():
            missing = len(full) - int(y.notna().sum())
            raise ModelSkipped(f"gappy series: {missing} missing period(s) between {y.index[0]} and {y.index[-1]}")
    count = int(y.notna().sum())
    if count < min_obs:
        raise ModelSkipped(f"too short: {count} observation(s), {min_obs} needed")
    if np.nanmax(y.values) - np.nanmin(y.values) < 1e-10:
        raise ModelSkipped("constant series: nothing to model, no spread to measure uncertainty")
    return y


# --- the fitted object -------------------------------------------------------------------------


@dataclass
class Fitted:
    """A fitted model: forecasts and sample paths from the end of its training series."""

    name: str
    index: pd.PeriodIndex
    warnings: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)

    def future_index(self, h: int) -> pd.PeriodIndex:
        return pd.period_range(self.index[-1] + 1, periods=h, freq=self.index.freq)

    def forecast(self, h: int, levels=LEVELS, exog=None) -> pd.DataFrame:
        raise NotImplementedError

    def simulate(self, h: int, n: int, rng: np.random.Generator, exog=None) -> np.ndarray:
        raise NotImplementedError

    def point(self, h: int, exog=None) -> pd.DataFrame:
        """The central projection only (``mean``): what a backtest origin needs from a model whose
        bands cost a simulation (econ's bands come from its own errors, not the models')."""
        return self.forecast(h, exog=exog)[["mean"]]


def normal_frame(index, mean: np.ndarray, sd: np.ndarray, levels=LEVELS) -> pd.DataFrame:
    """Central value and normal intervals (``sd`` per horizon) as a forecast frame."""
    data = {"mean": mean}
    for level in levels:
        z = stats.norm.ppf(0.5 + level / 2)
        data[f"lower_{level_tag(level)}"] = mean - z * sd
        data[f"upper_{level_tag(level)}"] = mean + z * sd
    return pd.DataFrame(data, index=index)


def quantile_frame(index, mean: np.ndarray, paths: np.ndarray, levels=LEVELS) -> pd.DataFrame:
    """Central value and the intervals read off sample paths (nested around the mean)."""
    data = {"mean": mean}
    for level in levels:
        lower, upper = np.quantile(paths, [0.5 - level / 2, 0.5 + level / 2], axis=0)
        data[f"lower_{level_tag(level)}"] = np.minimum(lower, mean)
        data[f"upper_{level_tag(level)}"] = np.maximum(upper, mean)
    return pd.DataFrame(data, index=index)


@dataclass
class GaussianFitted(Fitted):
    """Forecasts described by a mean and a standard deviation per horizon (normal errors).

    Paths drawn from it keep the right distribution at every horizon; their dependence across
    horizons is that of a random walk in the shocks (a cumulative draw), which is what matters
    for an annual norm checked year by year.
    """

    def moments(self, h: int, exog=None) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def forecast(self, h: int, levels=LEVELS, exog=None) -> pd.DataFrame:
        mean, sd = self.moments(h, exog)
        return normal_frame(self.future_index(h), mean, sd, levels)

    def point(self, h: int, exog=None) -> pd.DataFrame:
        """The mean alone: no quantiles to compute and drop (a backtest asks this at every origin)."""
        return pd.DataFrame({"mean": self.moments(h, exog)[0]}, index=self.future_index(h))

    def simulate(self, h: int, n: int, rng: np.random.Generator, exog=None) -> np.ndarray:
        mean, sd = self.moments(h, exog)
        return mean + sd * correlated_normals(h, n, rng)


def correlated_normals(h: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Standard normal draws per horizon whose dependence is that of a scaled random walk."""
    steps = rng.standard_normal((n, h)).cumsum(axis=1)
    return steps / np.sqrt(np.arange(1, h + 1))


class Model:
    """A forecasting method: ``fit`` a series, or ``update`` a fit to new data with the same parameters."""

    name = "model"
    kind = "annual"  # "annual" | "monthly_cpi" | "exog"
    min_obs = 8
    description = ""

    def fit(self, y: pd.Series, exog=None) -> Fitted:
        raise NotImplementedError

    def update(self, fitted: Fitted, y: pd.Series, exog=None) -> Fitted:
        """Carries ``fitted``'s parameters to a longer (or shifted) series; by default a refit."""
        return self.fit(y, exog)

    def refit(self, fitted: Fitted, y: pd.Series, exog=None) -> Fitted:
        """Re-estimates on new data, starting from ``fitted`` (same order, warm start); by default a fit."""
        return self.fit(y, exog)

    def __repr__(self) -> str:
        return f"<model {self.name}>"
