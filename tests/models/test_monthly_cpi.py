"""The monthly CPI route: annual averages computed the way the statistics institutes do, and a
forecast that agrees with the recorded annual figures wherever the months are known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from simulated import monthly_cpi

from econ.models import ModelSkipped
from econ.models.monthly_cpi import (
    CpiEts,
    CpiMeanReverting,
    CpiSarimax,
    annual_average_inflation,
    annual_from_log_paths,
    mean_ahead,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def by_hand(cpi: pd.Series, year: int) -> float:
    this = cpi[cpi.index.year == year].mean()
    last = cpi[cpi.index.year == year - 1].mean()
    return 100 * (this / last - 1)


def test_annual_average_inflation_is_the_ratio_of_annual_means():
    cpi = monthly_cpi(years=6, seed=1)
    inflation = annual_average_inflation(cpi)
    assert [str(p) for p in inflation.index] == ["2019", "2020", "2021", "2022", "2023"]
    for period, value in inflation.items():
        assert value == pytest.approx(by_hand(cpi, period.year), abs=1e-10)


def test_incomplete_years_give_no_annual_figure():
    cpi = monthly_cpi(years=6, seed=2).iloc[3:-2]  # starts in April, stops in October
    assert [str(p) for p in annual_average_inflation(cpi).index] == ["2020", "2021", "2022"]


def test_aggregated_paths_equal_the_recorded_figure_for_known_months():
    """Paths that start after a known year reproduce that year's figure exactly."""
    cpi = monthly_cpi(years=5, seed=3)
    known = 100 * np.log(cpi)
    future = np.tile(known.iloc[-12:].to_numpy() + 1.0, (4, 1))  # every month 1 log point above a year before
    values = annual_from_log_paths(known, future, [2023, 2024])
    assert values[:, 0] == pytest.approx(annual_average_inflation(cpi).iloc[-1], abs=1e-10)
    assert values[:, 1] == pytest.approx(100 * (np.exp(0.01) - 1), abs=1e-10)


@pytest.mark.parametrize("model", [CpiSarimax(), CpiEts(), CpiMeanReverting()], ids=["sarimax", "ets", "mean_reverting"])
def test_a_year_already_in_the_cpi_is_projected_as_recorded(model):
    """When the annual series lags the CPI, the overlapping year comes out of the CPI exactly."""
    cpi = monthly_cpi(years=12, seed=4)
    fitted = model.fit(cpi).align(2023)
    first = fitted.forecast(2).iloc[0]
    recorded = annual_average_inflation(cpi).iloc[-1]
    for column in ("mean", "lower_80", "upper_80", "lower_95", "upper_95"):
        assert first[column] == pytest.approx(recorded, abs=1e-8)


def test_a_part_year_is_completed_by_the_paths():
    """CPI to June: this year's annual average is half known, so its interval is narrower than next year's."""
    cpi = monthly_cpi(years=12, seed=5, last_year=2024).iloc[:-6]
    fitted = CpiSarimax().fit(cpi)
    frame = fitted.forecast(2)
    assert [str(p) for p in frame.index] == ["2024", "2025"]
    widths = (frame["upper_80"] - frame["lower_80"]).to_numpy()
    assert 0 < widths[0] < widths[1]


def test_missing_months_inside_the_cpi_are_bridged():
    cpi = monthly_cpi(years=12, seed=6)
    gappy = cpi.drop(cpi.index[[30, 31, 70, 100, 101, 102, 130]])  # seven months, as in Mali's series
    for model in (CpiSarimax(), CpiEts()):
        frame = model.fit(gappy).align(2024).forecast(1)
        assert np.isfinite(frame.to_numpy()).all()


def test_a_cpi_too_short_or_with_a_missing_year_is_refused_with_a_reason():
    cpi = monthly_cpi(years=12, seed=7)
    with pytest.raises(ModelSkipped, match="too short"):
        CpiSarimax().fit(cpi.iloc[:30])
    with pytest.raises(ModelSkipped, match="gappy"):
        CpiSarimax().fit(cpi.drop(cpi.index[60:76]))
    with pytest.raises(ModelSkipped, match="starts too late"):
        CpiSarimax().fit(cpi).align(2012)


@pytest.mark.skipif(not (SHARED / "monthly_cpi.csv").exists(), reason="../shared/data/monthly_cpi.csv is not here")
def test_the_wb_monthly_cpi_agrees_with_the_recorded_annual_inflation():
    """On the WAEMU members, CPI annual averages reproduce the recorded annual inflation (2000-2022)."""
    monthly = pd.read_csv(SHARED / "monthly_cpi.csv", dtype={"period": str})
    annual = pd.read_csv(SHARED / "annual.csv", dtype={"period": str})
    differences = []
    for country, rows in monthly.groupby("country"):
        cpi = pd.Series(rows["value"].to_numpy(), index=rows["period"])
        derived = annual_average_inflation(cpi)
        recorded = annual[(annual["country"] == country) & (annual["indicator"] == "inflation")]
        recorded = pd.Series(recorded["value"].to_numpy(), index=recorded["period"].astype(int))
        years = [p.year for p in derived.index if 2000 <= p.year <= 2022 and p.year in recorded.index]
        differences += [abs(derived[pd.Period(str(y), freq="Y")] - recorded[y]) for y in years]
    assert len(differences) > 150
    assert np.median(differences) < 0.1 and np.mean(np.array(differences) < 0.5) > 0.85


def test_the_airline_central_path_continues_trend_and_season_exactly():
    """The SARIMAX is estimated on differenced data: its central path must be integrated back onto
    the known months, so that a CPI with a steady trend and a fixed seasonal pattern (whose
    differences are zero) is projected on that same trend and pattern."""
    from econ.models.monthly_cpi import integrate

    months = np.arange(60)
    seasonal = np.sin(2 * np.pi * months / 12)
    known = 400 + 0.2 * months + seasonal
    ahead = np.arange(60, 84)
    expected = 400 + 0.2 * ahead + np.sin(2 * np.pi * ahead / 12)
    np.testing.assert_allclose(integrate(known, np.zeros(24)), expected, atol=1e-9)
    shocked = integrate(known, np.r_[1.0, np.zeros(23)])
    assert shocked[0] == pytest.approx(expected[0] + 1) and shocked[12] == pytest.approx(expected[12] + 2)


def test_a_refit_starts_from_the_last_estimate_carried_to_the_new_window():
    """A year on, the window opens twelve months later: the carried start (the smoothed states of the
    month before) must give exactly the last fit's one-step errors on the months both share."""
    from econ.models.monthly_cpi import _ets, carried_start, prepare_cpi

    rng = np.random.default_rng(11)
    months = pd.period_range("2008-01", periods=156, freq="M")
    season = np.tile(rng.normal(0, 0.5, 12), 13)
    cpi = pd.Series(np.exp((460 + np.cumsum(rng.normal(0.25, 0.3, 156)) + season) / 100), index=months)
    model = CpiEts()
    old = model.fit(cpi.iloc[:144])
    new_start = prepare_cpi(cpi, window=model.window).index[0]
    assert (new_start - old.window_start).n == 12
    carried = carried_start(old, new_start)
    overlap = prepare_cpi(cpi.iloc[:144], start=new_start)
    again = _ets(overlap).smooth(carried)
    assert np.allclose(again.resid, np.asarray(old.results.resid)[12:], atol=1e-8)
    assert carried[-1] == 0.0
    refitted = model.refit(old, cpi)
    assert refitted.window_start == new_start and np.isfinite(refitted.mean_path(12)).all()


def test_after_a_price_spike_the_mean_reverting_model_brings_inflation_back_and_the_airline_does_not():
    """Ten years at 2 % a year, then a year at 12 %: the airline model settles at a lasting higher
    rate, the mean-reverting one keeps bringing inflation down toward the decade's average (3 %)."""
    calm = monthly_cpi(years=10, inflation=2.0, seed=5, last_year=2022, sigma=0.1)
    steps = np.log(1.12) / 12 + np.random.default_rng(1).normal(0, 0.001, 12)
    spike = pd.Series(calm.iloc[-1] * np.exp(np.cumsum(steps)), index=pd.period_range("2023-01", periods=12, freq="M"))
    cpi = pd.concat([calm, spike])
    airline = CpiSarimax().fit(cpi).align(2024).forecast(3)["mean"].to_numpy()
    reverting = CpiMeanReverting().fit(cpi).align(2024).forecast(3)["mean"].to_numpy()
    assert abs(airline[2] - airline[1]) < 0.5 and airline[2] > 5  # a lasting rate
    assert reverting[0] > reverting[1] > reverting[2] and reverting[2] < airline[2] - 1


@pytest.mark.parametrize("model", [CpiSarimax(), CpiMeanReverting()], ids=["sarimax", "mean_reverting"])
def test_the_mean_forecast_from_the_last_state_is_statsmodels_own(model):
    fitted = model.fit(monthly_cpi(years=12, inflation=5.0, seed=8))
    np.testing.assert_allclose(mean_ahead(fitted.results.filter_results, 40), fitted.results.forecast(40),
                               rtol=0, atol=1e-10)
    updated = model.update(fitted, monthly_cpi(years=13, inflation=5.0, seed=8, last_year=2024))
    np.testing.assert_allclose(mean_ahead(updated.results.filter_results, 15), updated.results.forecast(15),
                               rtol=0, atol=1e-10)
