"""Candidates at dated origins: a cut holds only what was published by the origin, every model and
official forecaster projects the years after the last figure known, leads count from the origin."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.backtest import NAIVE, Cut, ModelTrack, SeriesInputs, fit_on, official_rows, pulled_in, stack, step
from econ.models import MODELS, registry
from econ.realtime import History

sys.path.insert(0, str(Path(__file__).parent / "models"))
from simulated import ar1, monthly_cpi  # noqa: E402


def history(series: pd.Series, dated: bool = False, vintage: str = "2026-11-30") -> History:
    frame = pd.DataFrame({"period": [str(p) for p in series.index], "value": series.to_numpy(float),
                          "vintage": pd.Timestamp(vintage), "dated": dated})
    return History(frame)


def official(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["publisher", "vintage", "year", "value"]).assign(
        vintage=lambda f: pd.to_datetime(f["vintage"]))


def inputs(**extra) -> SeriesInputs:
    return SeriesInputs("MLI", "inflation", history(ar1(n=30)), **extra)


def test_a_cut_holds_what_was_published_by_its_origin():
    cpi = monthly_cpi(years=15, last_year=2024)
    data = inputs(cpi=history(cpi), official=official([("IMF", "2019-10-15", 2020, 2.0), ("IMF", "2020-04-14", 2020, 0.5)]))
    cut = data.cut(datetime(2020, 2, 1))
    assert str(cut.y.index[-1]) == "2019" and str(cut.cpi.index[-1]) == "2019-12"
    assert list(cut.official["value"]) == [2.0]  # April's WEO was not out yet
    rows = official_rows(cut, 2)
    assert list(rows["candidate"]) == ["official:IMF", "release:IMF"] and list(rows["forecast"]) == [2.0, 0.5]
    assert list(rows["kind"]) == ["official", "release"]  # April's WEO: scored against econ, never combined
    assert list(rows["lead"]) == [0, 0] and list(rows["horizon"]) == [1, 1]
    assert str(data.cut(datetime(2020, 1, 15)).cpi.index[-1]) == "2019-11"  # December is out at the end of January


def test_every_model_projects_from_the_last_known_year_and_carries_its_parameters():
    data = inputs()
    track = ModelTrack()
    origins = [datetime(y, 2, 1) for y in range(2015, 2021)]
    for origin in origins:
        step(MODELS["ets"], track, data.cut(origin), horizon=2)
    rows = stack(track.rows)
    assert len(rows) == 12 and set(rows["lead"]) == {0, 1} and set(rows["horizon"]) == {1, 2}
    assert (rows["period"] == rows["origin"].dt.year + rows["lead"]).all()
    first = rows[rows["origin"] == pd.Timestamp(2015, 2, 1)]
    assert (first["naive"] == ar1(n=30).loc["2014"]).all() and np.isfinite(first["scale"]).all()
    assert track.count == 6


def test_a_monthly_cpi_that_stops_before_the_last_annual_year_is_left_out():
    """A CPI loaded once (the World Bank's database, to December 2023) beside annual figures to 2024:
    a monthly model would project 2024, whose average is known, and 2025 from older prices than the
    annual models; its record was earned with a CPI reaching into the last annual year."""
    data = inputs(cpi=history(monthly_cpi(years=15, last_year=2023)))
    stale = data.cut(datetime(2025, 2, 1))
    assert str(stale.y.index[-1]) == "2024" and str(stale.cpi.index[-1]) == "2023-12"
    assert stale.cpi_behind() == {"cpi_end": "2023-12", "last_year": 2024}
    monthly, naive = ModelTrack(), ModelTrack()
    assert step(MODELS["cpi_sarimax"], monthly, stale, horizon=2) is None
    assert "ends in 2023-12, before 2024" in monthly.notes[-1] and monthly.rows == []
    assert step(MODELS[NAIVE], naive, stale, horizon=2) is not None  # the annual models go on
    january = data.cut(datetime(2024, 1, 1))  # December not out yet: eleven months of 2023 are enough
    assert str(january.cpi.index[-1]) == "2023-11" and january.cpi_behind() is None
    assert step(MODELS["cpi_sarimax"], ModelTrack(), january, horizon=2) is not None


def test_a_failed_model_is_a_note_not_a_crash():
    short = SeriesInputs("MLI", "inflation", history(ar1(n=30).iloc[:8]))
    track = ModelTrack()
    assert step(MODELS["ar"], track, short.cut(datetime(2017, 2, 1)), horizon=2) is None
    assert track.rows == [] and "too short" in track.notes[0]


@pytest.mark.parametrize("tonnes, path, expected", [
    ({2022: 50.0, 2023: 55.0}, {2024: 66.0}, [20.0, 0.0]),  # the official projection, then flat
    ({2022: 50.0, 2023: 55.0}, {}, [0.0, 0.0]),
])
def test_the_gold_path_is_the_official_projection_else_the_last_tonnage(tonnes, path, expected):
    gold = pd.Series(list(tonnes.values()), index=pd.PeriodIndex([pd.Period(str(y), freq="Y") for y in tonnes]))
    cut = inputs().cut(datetime(2024, 2, 1))
    cut.gold, cut.gold_path = gold, path
    np.testing.assert_allclose(cut.gold_growth_ahead([2024, 2025]), expected)


def test_a_price_index_is_read_from_one_source_only():
    from econ.forecast.inputs import one_base

    rows = pd.DataFrame({"period": ["2023-11", "2023-12", "2023-12", "2024-01"], "value": [100.0, 101.0, 250.0, 252.0],
                         "source": ["World Bank", "World Bank", "IMF", "IMF"]})
    assert list(one_base(rows)["value"]) == [250.0, 252.0]
    assert len(one_base(rows.assign(source="IMF"))) == 4


def test_annual_models_are_estimated_with_one_off_years_pulled_in():
    """A devaluation year must not set the long-run mean for twenty years; the naive forecast, the
    benchmark, keeps every figure as published."""
    years = pd.period_range("1990", "2019", freq="Y")
    values = np.r_[np.tile([1.0, 3.0], 7), 32.0, np.tile([1.0, 3.0], 7), 2.5]  # 32 % in 2004
    cut = Cut(datetime(2020, 2, 1), pd.Series(values, index=years))
    mean = registry.get("long_run_mean")
    fitted = fit_on(mean, cut)
    assert fitted.level < 2.5  # the 32 % pulled in to a few points: not a twenty-year mean of 3.5
    assert fit_on(registry.get(NAIVE), cut).forecast(1)["mean"].iloc[0] == 2.5
    pulled = pulled_in(cut.y)
    assert pulled.iloc[14] < 10 and (pulled.drop(pulled.index[14]) == cut.y.drop(cut.y.index[14])).all()
