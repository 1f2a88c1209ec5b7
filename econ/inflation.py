"""Inflation from a monthly consumer price index: the year-on-year rate and the 12-month average.

``yoy`` is the change of the index over the same month a year before, in percent: what statistics
institutes publish each month. ``average_12m`` is the 12-month average inflation: the average
index of the last 12 months over the average of the 12 months before, in percent. In December it
is the calendar year's annual-average inflation, the figure the WAEMU norm (at most 3 %) is
measured on, so the monthly chart's average line meets the annual series where both exist. (The
arithmetic mean of the 12 year-on-year rates is close to it, within a few hundredths of a point,
but is not the published figure.)

A missing month stays missing: every rate that needs it is missing too, and nothing is
interpolated across the gap. Two publishers' indices have different bases (the IMF's 2010 = 100,
the World Bank's own): a rate is computed within one publisher's index only (``rates_by_source``),
never across the seam where one index takes over from the other.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["cpi", "yoy", "average_12m"]


def monthly_inflation(cpi: pd.Series) -> pd.DataFrame:
    """Year-on-year and 12-month average inflation (%) from a monthly CPI level on a monthly PeriodIndex.

    The result has one row per month from the first to the last month of ``cpi``, the missing
    months included (with missing values), and the columns ``cpi`` (the index as given), ``yoy``
    and ``average_12m``.
    """
    if not isinstance(cpi.index, pd.PeriodIndex) or cpi.index.freqstr not in ("M", "ME"):
        raise ValueError("monthly_inflation needs a monthly PeriodIndex (e.g. pd.period_range('2020-01', ..., freq='M'))")
    if cpi.index.has_duplicates:
        raise ValueError("monthly_inflation needs one CPI value per month")
    level = pd.to_numeric(cpi, errors="coerce").astype("float64").sort_index()
    if level.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS}, index=pd.PeriodIndex([], freq="M"))
    months = pd.period_range(level.index.min(), level.index.max(), freq="M")
    level = level.reindex(months)
    yoy = 100 * (level / level.shift(12) - 1)
    window = level.rolling(12, min_periods=12).mean()  # a missing month leaves its 12 windows missing
    average = 100 * (window / window.shift(12) - 1)
    return pd.DataFrame({"cpi": level, "yoy": yoy, "average_12m": average}, index=months)


def from_observations(frame: pd.DataFrame) -> pd.Series:
    """The ``period``/``value`` rows of one monthly series as a CPI level Series on a monthly PeriodIndex."""
    if frame.empty:
        return pd.Series(dtype="float64", index=pd.PeriodIndex([], freq="M"))
    index = pd.PeriodIndex(frame["period"].astype(str), freq="M")
    return pd.Series(frame["value"].astype("float64").to_numpy(), index=index, name="cpi")


def one_base(rows: pd.DataFrame) -> pd.DataFrame:
    """A price index from one source only: the source of the newest month. Two publishers' indices
    have different bases (the IMF's 2010 = 100, the World Bank's own), and mixing them month by month
    would show price jumps that never happened."""
    sources = rows["source"].fillna("")
    if sources.nunique() <= 1:
        return rows
    newest = sources[rows["period"] == rows["period"].max()].iloc[-1]
    return rows[sources == newest]


def annual_from_cpi(rows: pd.DataFrame) -> pd.Series:
    """Annual average inflation for each complete year of a stored monthly CPI (``period``, ``value``,
    ``source`` rows), from one publisher's index: the years a projection reads after the recorded
    annual figures (``econ.backtest.with_cpi_years``), which the chart and ``econ backtest`` show too."""
    from econ.models.monthly_cpi import annual_average_inflation

    if rows.empty:
        return pd.Series(dtype="float64", index=pd.PeriodIndex([], freq="Y"))
    return annual_average_inflation(from_observations(one_base(rows)))


def rates_by_source(frame: pd.DataFrame) -> pd.DataFrame:
    """``monthly_inflation`` of the store's rows when they come from several publishers: each
    publisher's index gives its own rates, the publisher with the newest month wins where both have
    one, and the months whose rate would compare one base with the other stay missing. The ``cpi``
    column is the newest publisher's index only, so that no level mixes two bases either."""
    sources = frame["source"].fillna("").astype(str) if "source" in frame else pd.Series("", index=frame.index)
    if sources.nunique() <= 1:
        return monthly_inflation(from_observations(frame))
    order = frame.groupby(sources)["period"].max().sort_values().index  # the newest publisher last
    parts = [monthly_inflation(from_observations(frame[sources == s])) for s in order]
    out = parts[0]
    for part in parts[1:]:
        out = part[["yoy", "average_12m"]].combine_first(out[["yoy", "average_12m"]])
    months = pd.period_range(out.index.min(), out.index.max(), freq="M")
    out = out.reindex(months)
    out.insert(0, "cpi", parts[-1]["cpi"].reindex(months))
    return out[COLUMNS]
