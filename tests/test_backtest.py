"""Rolling-origin backtests: data of the time only, evidence known at each origin only, conformal
calibration that restores the nominal coverage, a choice never worse than the naive forecast,
and the official forecasters scored on the same footing."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.backtest import (
    ROW_COLUMNS, SeriesData, calibrate_paths, calibrate_rows, candidate_rows, choose, conformal_factor, evaluate,
    known_at, model_backtest, origins_for, relative_mse, score, weights_from,
)
from econ.models import MODELS
from econ.models.base import Model
from econ.models.naive import Naive
from econ.official_skill import official_forecasts, official_skill

sys.path.insert(0, str(Path(__file__).parent / "models"))
from simulated import ar1, monthly_cpi  # noqa: E402


class Spy(Model):
    """The naive forecast, recording what it was given and how it was asked."""

    name, min_obs = "spy", 3

    def __init__(self):
        self.calls = []

    def fit(self, y, exog=None):
        self.calls.append(("fit", str(y.index[-1])))
        return Naive().fit(y)

    def update(self, fitted, y, exog=None):
        self.calls.append(("update", str(y.index[-1])))
        return Naive().fit(y)


def test_origins_keep_the_last_fifteen_and_five_earlier_ones_for_evidence():
    years = pd.period_range("1990", "2024", freq="Y")
    everything, scored = origins_for(years)
    assert scored == list(range(2009, 2024)) and everything == list(range(2004, 2024))
    everything, scored = origins_for(years, scored=(2005, 2010))
    assert scored == list(range(2004, 2010)) and everything == list(range(1999, 2010))


def test_each_origin_sees_only_the_data_up_to_it():
    spy = Spy()
    data = SeriesData("MLI", "inflation", ar1(n=30), cpi=monthly_cpi(years=20, last_year=2024))
    rows, _ = model_backtest(spy, data, list(range(2010, 2022)), 2, refit_every=5)
    assert [last for _, last in spy.calls] == [str(y) for y in range(2010, 2022)]
    assert [kind for kind, _ in spy.calls] == ["fit"] + (["update"] * 4 + ["fit"]) * 2 + ["update"]  # 2010, 2015, 2020
    first = rows[rows["origin"] == 2010]
    assert list(first["period"]) == [2011, 2012] and list(first["horizon"]) == [1, 2]
    assert (first["forecast"] == data.y.loc["2010"]).all() and (first["naive"] == data.y.loc["2010"]).all()
    cut = data.until(2015)
    assert str(cut.y.index[-1]) == "2015" and str(cut.cpi.index[-1]) == "2015-12"


Z95 = 1.959964 / 1.281552  # a normal 95 % half-width in 80 % half-widths


def rows_for(model: str, errors: dict[int, float], horizon: int = 1, width: float = 1.0) -> pd.DataFrame:
    """Backtest rows with given errors (actual 0, forecast = error) at origins ``errors``' keys."""
    return pd.DataFrame([
        {"model": model, "origin": o, "horizon": horizon, "period": o + horizon, "forecast": e,
         "lower_80": e - width, "upper_80": e + width, "lower_95": e - Z95 * width, "upper_95": e + Z95 * width,
         "actual": 0.0, "naive": 0.0}
        for o, e in errors.items()
    ], columns=ROW_COLUMNS)


def test_weights_come_only_from_errors_known_at_the_origin():
    good_then_bad = rows_for("a", {2000: 0.1, 2001: 0.1, 2002: 0.1, 2003: 5.0, 2004: 5.0})
    steady = rows_for("b", {2000: 1.0, 2001: 1.0, 2002: 1.0, 2003: 1.0, 2004: 1.0})
    rows = pd.concat([good_then_bad, steady], ignore_index=True)
    known = known_at(rows, 2003)
    assert set(known["origin"]) == {2000, 2001, 2002}  # the 2003 forecast (for 2004) is not known in 2003
    early = weights_from(relative_mse(known), ["a", "b"])
    assert early["a"] > 0.9
    late = weights_from(relative_mse(known_at(rows, 2005)), ["a", "b"])
    assert late["b"] > late["a"]
    candidates = candidate_rows(rows, [2003, 2004])
    best = candidates[candidates["model"] == "best"]
    assert list(best["forecast"]) == [5.0, 1.0]  # in 2003 "a" still looked best; by the end of 2004 its miss was known


def test_without_evidence_the_weights_are_equal():
    assert weights_from(pd.Series(dtype=float), ["naive", "ets"]) == {"naive": 0.5, "ets": 0.5}


def test_conformal_factor_is_the_finite_sample_quantile():
    ratios = np.arange(1, 20) / 10  # 0.1 .. 1.9, n = 19
    assert conformal_factor(ratios, 0.8) == pytest.approx(1.6)  # the ceil(20 * 0.8) = 16th smallest
    assert conformal_factor(ratios, 0.95) == pytest.approx(1.9)
    assert conformal_factor(ratios[:3], 0.8) == 1.0  # too few errors: left as it is


def test_calibration_widens_too_narrow_intervals_to_the_nominal_coverage():
    rng = np.random.default_rng(0)
    errors = dict(zip(range(1800, 2000), rng.normal(0, 2.0, 200)))
    rows = rows_for("narrow", errors, width=1.2816)  # intervals of a model that believes sd = 1
    covered = lambda r, level: ((r[f"lower_{level}"] <= 0) & (r[f"upper_{level}"] >= 0)).mean()  # noqa: E731
    assert covered(rows, "80") < 0.55
    calibrated = calibrate_rows(rows)
    later = calibrated[calibrated["origin"] >= 1830]
    assert abs(covered(later, "80") - 0.80) < 0.07 and abs(covered(later, "95") - 0.95) < 0.05
    assert (calibrated["lower_95"] <= calibrated["lower_80"]).all()


def test_calibrated_paths_reproduce_the_widened_intervals():
    rng = np.random.default_rng(1)
    paths = rng.normal(0, 1, (20000, 2))
    out = calibrate_paths(paths, np.zeros(2), {1: (2.0, 1.5), 2: (3.0, 3.0)})
    q = np.quantile(out[:, 0], [0.025, 0.1, 0.9, 0.975])
    base = np.quantile(paths[:, 0], [0.025, 0.1, 0.9, 0.975])
    np.testing.assert_allclose(q, [1.5 * base[0], 2 * base[1], 2 * base[2], 1.5 * base[3]], rtol=1e-4)
    np.testing.assert_allclose(out[:, 1], 3 * paths[:, 1], rtol=1e-6)


def test_a_later_year_is_never_given_a_narrower_interval():
    rng = np.random.default_rng(2)
    paths = rng.normal(0, 1, (20000, 2))
    out = calibrate_paths(paths, np.zeros(2), {1: (2.0, 2.0), 2: (1.0, 1.0)})
    first, second = (np.quantile(out[:, j], [0.1, 0.9]) for j in (0, 1))
    assert second[1] - second[0] >= (first[1] - first[0]) * (1 - 1e-6)


def test_the_choice_is_never_worse_than_the_naive_forecast():
    naive = rows_for("naive", {o: 1.0 for o in range(2000, 2010)})
    bad = rows_for("combination", {o: 2.0 for o in range(2000, 2010)})
    good = rows_for("best", {o: 0.5 for o in range(2000, 2010)})
    assert choose(pd.concat([naive, bad]), list(range(2000, 2010))) == "naive"
    assert choose(pd.concat([naive, bad, good]), list(range(2000, 2010))) == "best"


def test_scores():
    rows = rows_for("m", {2000: 1.0, 2001: -3.0})
    rows["naive"] = [2.0, 2.0]
    result = score(rows, {"comparison": "<=", "threshold": 0.5})
    assert result["mae"] == 2.0 and result["rmse"] == pytest.approx(np.sqrt(5))
    assert result["mase"] == 1.0 and result["coverage_80"] == 0.5 and result["coverage_95"] == 0.5
    assert result["norm_hit_rate"] == 0.5  # 1.0 breaches, 0 does not; -3 and 0 both respect


def test_evaluation_end_to_end_never_loses_to_naive():
    y = ar1(n=35, phi=0.3, seed=3)
    data = SeriesData("BEN", "inflation", y, actuals=y)
    origins, scored = origins_for(y.index)
    ev = evaluate([MODELS["naive"], MODELS["theta"], MODELS["ets"]], data, 2, origins, scored)
    at = ev.rows[(ev.rows["horizon"] == 1) & ev.rows["origin"].isin(scored)]
    mae = at.assign(e=(at["forecast"] - at["actual"]).abs()).groupby("model")["e"].mean()
    assert mae[ev.chosen] <= mae["naive"] + 1e-12
    assert set(ev.weights) == {1, 2}
    for weights in ev.weights.values():
        assert set(weights) == {"naive", "theta", "ets"} and sum(weights.values()) == pytest.approx(1)
    assert set(ev.factors) >= {"naive", "combination", "best"}


# --- official forecasters -----------------------------------------------------------------------


def official_rows() -> pd.DataFrame:
    rows = [
        ("IMF", "2021-04", "2022", 2.0), ("IMF", "2021-10", "2022", 2.5), ("IMF", "2022-04", "2022", 4.0),
        ("IMF", "2022-10", "2022", 6.0), ("IMF", "2022-10", "2021", 3.9), ("IMF", "2022-10", "2023", 3.0),
        ("Government", "2022", "2023", 2.0),
    ]
    return pd.DataFrame(
        [{"publisher": p, "published": d, "country": "MLI", "indicator": "inflation", "target_period": t, "value": v,
          "reference": None, "note": None} for p, d, t, v in rows]
    )


def test_official_horizons_take_october_for_next_year_and_april_for_this_year():
    picked = official_forecasts(official_rows()).set_index(["publisher", "year", "horizon"])["published"]
    assert picked[("IMF", 2022, 1)] == "2021-10" and picked[("IMF", 2022, 0)] == "2022-04"
    assert ("IMF", 2021, -1) not in picked.index  # an estimate of a past year is no forecast


def test_official_skill_over_the_model_years():
    actuals = pd.Series({2021: 4.0, 2022: 7.0, 2023: 2.5})
    skill = official_skill(official_rows(), actuals, [2022, 2023], {"comparison": "<=", "threshold": 3.0})
    imf1 = next(s for s in skill if s["publisher"] == "IMF" and s["horizon"] == 1)
    assert imf1["n"] == 2 and imf1["mae"] == pytest.approx((4.5 + 0.5) / 2)
    assert imf1["norm_hit_rate"] == 0.5  # 2.5 said "respects" in 2022 (wrong), 3.0 in 2023 (right)
    government = next(s for s in skill if s["publisher"] == "Government")
    assert government["n"] == 1 and government["horizon"] == 1
