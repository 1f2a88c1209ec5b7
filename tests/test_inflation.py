"""Inflation from a monthly CPI: year-on-year and 12-month average rates, gaps kept as gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econ.inflation import from_observations, monthly_inflation, rates_by_source


def cpi(start: str, values) -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype="float64")


def test_year_on_year_is_the_change_over_the_same_month_a_year_before():
    level = cpi("2020-01", [100 * 1.02 ** (m / 12) for m in range(30)])  # 2 % a year, steadily
    result = monthly_inflation(level)
    assert list(result.columns) == ["cpi", "yoy", "average_12m"]
    assert result["yoy"].iloc[:12].isna().all()
    assert result["yoy"].iloc[12:].to_numpy() == pytest.approx(2.0)
    assert result.loc[pd.Period("2021-01", "M"), "yoy"] == pytest.approx(2.0)


def test_the_12_month_average_is_the_annual_average_inflation_in_december():
    """In December it equals the calendar year's average index over the year before's: the figure the
    WAEMU norm is measured on (not the mean of the 12 year-on-year rates, which differs slightly)."""
    rng = np.random.default_rng(1)
    level = cpi("2019-01", 100 * np.cumprod(1 + rng.normal(0.003, 0.006, 36)))
    result = monthly_inflation(level)
    annual = level.groupby(level.index.year).mean()
    expected = 100 * (annual.loc[2020] / annual.loc[2019] - 1)
    assert result.loc[pd.Period("2020-12", "M"), "average_12m"] == pytest.approx(expected)
    assert result["average_12m"].iloc[:23].isna().all() and result["average_12m"].iloc[23:].notna().all()


def test_a_missing_month_stays_missing_and_nothing_is_interpolated_across_it():
    level = cpi("2020-01", [100 + m for m in range(36)]).drop(pd.Period("2021-03", "M"))
    result = monthly_inflation(level)
    assert len(result) == 36  # the missing month is a row, with nothing in it
    assert np.isnan(result.loc[pd.Period("2021-03", "M"), "cpi"])
    assert np.isnan(result.loc[pd.Period("2021-03", "M"), "yoy"])
    assert np.isnan(result.loc[pd.Period("2022-03", "M"), "yoy"])  # needs March 2021
    assert not np.isnan(result.loc[pd.Period("2021-04", "M"), "yoy"])
    windows = result.loc[pd.Period("2021-03", "M"):pd.Period("2022-02", "M"), "average_12m"]
    assert windows.isna().all()  # every 12-month window holding the gap


def test_order_does_not_matter_and_bad_input_is_refused():
    level = cpi("2020-01", [100 + m for m in range(24)])
    assert monthly_inflation(level.iloc[::-1]).equals(monthly_inflation(level))
    with pytest.raises(ValueError, match="monthly PeriodIndex"):
        monthly_inflation(pd.Series([1.0], index=pd.DatetimeIndex(["2020-01-01"])))
    with pytest.raises(ValueError, match="monthly PeriodIndex"):
        monthly_inflation(pd.Series([1.0], index=pd.period_range("2020", periods=1, freq="Y")))
    empty = monthly_inflation(pd.Series(dtype="float64", index=pd.PeriodIndex([], freq="M")))
    assert empty.empty and list(empty.columns) == ["cpi", "yoy", "average_12m"]


def test_from_observations_reads_the_stores_rows():
    frame = pd.DataFrame({"period": ["2024-01", "2024-02"], "value": [100.0, 101.0]})
    series = from_observations(frame)
    assert list(series.index.astype(str)) == ["2024-01", "2024-02"] and series.iloc[1] == 101.0


def test_two_publishers_bases_never_meet_in_one_rate():
    """The World Bank's index to 2009 (base 2005 = 100), the IMF's from 2008 (2010 = 100, a third
    higher): 2 % a year in both. A rate across the seam would show a 30 % jump that never happened."""
    old = pd.period_range("2000-01", "2009-12", freq="M")
    new = pd.period_range("2008-01", "2012-06", freq="M")
    level = lambda months, base: base * 1.02 ** ((months.year - 2005) + (months.month - 1) / 12)  # noqa: E731
    world_bank = pd.DataFrame({"period": old.astype(str), "value": level(old, 100.0), "source": "World Bank"})
    imf = pd.DataFrame({"period": new.astype(str), "value": level(new, 130.0), "source": "IMF"})
    # the store shows each month's newest value: the IMF's from 2008 on, the World Bank's before
    rows = pd.concat([world_bank[world_bank["period"] < "2008-01"], imf], ignore_index=True)
    mixed = monthly_inflation(from_observations(rows))
    assert mixed["yoy"].max() > 25  # what reading the rows as one index would draw
    rates = rates_by_source(rows)
    known = rates["yoy"].dropna()
    assert (known - 2.0).abs().max() < 1e-9 and (rates["average_12m"].dropna() - 2.0).abs().max() < 1e-9
    assert rates.loc[pd.Period("2008-06", "M"), "yoy"] != rates.loc[pd.Period("2008-06", "M"), "yoy"]  # the seam: missing
    assert str(known.index[0]) == "2001-01" and str(known.index[-1]) == "2012-06"
    assert rates["cpi"].dropna().index.min() == pd.Period("2008-01", "M")  # levels from one index only
    one = rates_by_source(imf)
    pd.testing.assert_frame_equal(one, monthly_inflation(from_observations(imf)))
