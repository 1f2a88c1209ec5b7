"""Bands and breach probabilities from errors known then: they cover at their level, respect the
variable's bounds, come from projections made on the same information, never narrow further ahead,
and keep a series' own error size."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from combine_pools import late_figures, pool

from econ.bands import ErrorSet, own_errors, row_errors, spans, standin_lead, turbulence
from econ.combine import combine_pool
from econ.schema import INDICATORS


def test_pooled_bands_cover_at_their_level_and_probabilities_beat_naive():
    out = combine_pool(pool({"good": 1.0, "bad": 3.0}, series=8, seed=3)).econ
    truth = pool({"good": 1.0, "bad": 3.0}, series=8, seed=3).truth
    actual = truth.drop_duplicates(["series", "period"]).set_index(["series", "period"])["known"]
    # once the fifteen-year calibration window holds only the projection's own errors since it trusted "good"
    scored = out[(out["calibration"] == "pooled errors") & (out["origin"] >= pd.Timestamp(2014, 1, 1))].copy()
    scored["actual"] = [actual.get((s, p), np.nan) for s, p in zip(scored["series"], scored["period"])]
    scored = scored.dropna(subset=["actual"])
    inside80 = ((scored["actual"] >= scored["lower_80"]) & (scored["actual"] <= scored["upper_80"])).mean()
    inside95 = ((scored["actual"] >= scored["lower_95"]) & (scored["actual"] <= scored["upper_95"])).mean()
    assert len(scored) >= 80 and abs(inside80 - 0.8) < 0.08 and abs(inside95 - 0.95) < 0.05
    breached = (scored["actual"] > 3.0).astype(float)
    assert ((scored["p_breach"] - breached) ** 2).mean() < ((scored["p_naive"] - breached) ** 2).mean()
    assert scored["p_breach"].between(0, 1).all()


def test_bounded_variables_stay_at_or_above_zero():
    data = pool({"good": 1.0}, series=6, seed=4)
    data.raw["forecast"] = data.raw["forecast"].abs() * 0.2
    data.truth["known"] = data.truth["known"].abs() * 0.2
    data.floor = 0.0
    out = combine_pool(data).econ
    assert (out[["lower_95", "lower_80"]] >= 0).all().all()


def test_rates_of_change_stay_above_minus_100_and_balances_are_unbounded():
    """Zimbabwe's inflation, loaded by a user: errors of hundreds of points drew its lower 95 % bound
    at -542 %, prices falling by more than all of themselves."""
    data = pool({"good": 1.0}, series=6, seed=4)
    data.raw["forecast"] = data.raw["forecast"] * 60
    data.truth["known"] = data.truth["known"] * 60
    data.floor = INDICATORS["inflation"].lowest
    out = combine_pool(data).econ
    assert (out[["lower_95", "lower_80"]] >= -100).all().all() and (out["lower_95"] == -100).any()
    assert INDICATORS["gdp_growth"].lowest == -100 and INDICATORS["gold_production"].lowest == 0
    assert INDICATORS["fiscal_balance"].lowest == -np.inf


def test_a_band_is_drawn_from_errors_made_on_the_same_information():
    """Last year's projection before its figure is out: without monthly data it is one year ahead of
    the last figure, like every earlier January projection of the current year, and its band uses
    all of them; with monthly CPI up to the origin the months known set it apart, and only errors
    made at the same lead count."""
    final = pd.Timestamp(2024, 1, 1)
    annual, monthly = (combine_pool(late_figures(m)).econ for m in (False, True))
    pick = lambda econ, lead: econ[(econ["origin"] == final) & (econ["lead"] == lead)]  # noqa: E731
    # origins 2009-2018 (lead 0) and 2019-2023 (lead -1, their figures out by 2024): 15 errors a series
    assert set(pick(annual, -1)["n_calibration"]) == {4 * 15}
    assert set(pick(monthly, -1)["n_calibration"]) == {4 * 5}  # 2019-2023's projections of last year only
    assert 4 * 4 in set(pick(annual, 0)["n_calibration"]) <= {4 * 4, 4 * 15}  # two years ahead: 2019-2022's lead 0,
    # or one year ahead's errors for a series whose two-years-ahead ones happen to be calmer (never narrower ahead)
    # every January projection of the year; here last year's (the naive forecast two years old, no
    # month really known) are wider, and a band never narrows further ahead
    assert set(pick(monthly, 0)["n_calibration"]) <= {4 * 14, 4 * 5}


def test_monthly_cpi_too_new_to_have_a_record_leaves_the_band_as_without_it():
    """A user loads a year or two of CPI: the latest origin is monthly, no earlier one is, so no error
    was made at its leads. Its band is drawn as if the months were not there, not from the naive
    forecast's spread (a band several times the series' range)."""
    final = pd.Timestamp(2024, 1, 1)
    for turbulent in (False, True):  # scaled by the last three years as without the months, too
        annual = replace(late_figures(False), turbulence=turbulent)
        raw = annual.raw.assign(monthly=pd.to_datetime(annual.raw["origin"]) == final)
        new, old = (combine_pool(replace(annual, raw=r)).econ for r in (raw, annual.raw))
        latest = lambda econ: econ[econ["origin"] == final].sort_values("lead")  # noqa: E731
        assert set(latest(new)["calibration"]) == {"pooled errors"}
        for column in ("n_calibration", "lower_95", "upper_95", "turbulence"):
            assert list(latest(new)[column]) == pytest.approx(list(latest(old)[column]))


def test_a_monthly_cpi_that_stopped_draws_the_band_from_the_months_known_no_later():
    """A user loads the World Bank's CPI, to December 2023, beside figures to 2025: every earlier
    origin had its months, the latest has none, and no projection without them has a record. The
    band is drawn from the January projections made with the months (which knew up to the last
    annual figure's December, as this one does), not from the naive forecast's spread over the whole
    history (Chad's 2023 band: -16 % to 35 %)."""
    final = pd.Timestamp(2024, 1, 1)
    monthly = late_figures(True)
    stopped = replace(monthly, raw=monthly.raw.assign(monthly=pd.to_datetime(monthly.raw["origin"]) != final))
    latest = combine_pool(stopped).econ.query("origin == @final").sort_values("lead")
    assert set(latest["calibration"]) == {"pooled errors"}
    # last year's projection (one year past the last figure) takes the lead-0 errors of 2009-2022's origins
    assert latest["n_calibration"].iloc[0] == 4 * 14
    assert standin_lead(final, 1, lag=1) == 0 and standin_lead(pd.Timestamp(2024, 2, 1), 1, lag=1) == 0
    assert standin_lead(pd.Timestamp(2024, 7, 1), 1, lag=1) == 1  # July's lead 0 knew months of the year itself


def test_a_band_never_narrows_further_ahead():
    """Three years ahead has only a few calm errors (origins since 2019, after covid): its band, breach
    probability and CRPS take two years ahead's wider errors instead, for that series."""
    rng = np.random.default_rng(2)
    errors = lambda sd: ErrorSet(rng.normal(0, sd, 40), np.array(["S0/growth", "S1/growth"] * 20))  # noqa: E731
    sets = {("horizon", 1): errors(1.0), ("horizon", 2): errors(3.0), ("horizon", 3): errors(0.5)}
    econ = pd.DataFrame({"series": ["S0/growth"] * 3, "period": [2025, 2026, 2027], "lead": [-1, 0, 1],
                         "horizon": [1, 2, 3], "monthly": False})
    chosen = row_errors(econ, sets)
    assert chosen[0] is sets[("horizon", 1)] and chosen[1] is sets[("horizon", 2)]
    assert chosen[2] is sets[("horizon", 2)]  # not three years ahead's calmer record


def test_a_series_whose_window_grew_calm_keeps_the_size_of_its_own_misses():
    """Togo's growth: misses of about 1.5 points made when its typical change was 1.5, and a
    typical change of 0.5 today once the turbulent years left the window. Its band stays as wide as
    its misses, not a third of them; a neighbour whose scale has not moved keeps its band."""
    rng = np.random.default_rng(3)
    rows = []
    for origin in pd.date_range("2010-01-01", periods=14, freq="YS"):
        for series, miss in (("TGO/growth", 1.5), ("BEN/growth", 1.0)):
            rows.append({"series": series, "origin": origin, "period": origin.year, "lead": 0, "horizon": 1,
                         "monthly": False, "forecast": 5.0, "scale": 1.5 if series == "TGO/growth" else 1.0,
                         "known": 5.0 + miss * rng.choice([-1, 1]) * rng.uniform(0.8, 1.2)})
    frames = [pd.DataFrame(rows).drop(columns="known")]
    known = pd.DataFrame(rows)[["series", "period", "known"]]
    today = pd.Series({"TGO/growth": 0.5, "BEN/growth": 1.0})
    errors = own_errors(frames, known, pd.Timestamp("2000-01-01"), today)[("horizon", 1)]
    tgo = today["TGO/growth"] * errors.quantiles("TGO/growth", [0.1, 0.9])
    ben = today["BEN/growth"] * errors.quantiles("BEN/growth", [0.1, 0.9])
    assert 1.0 < tgo[1] < 2.5 and tgo[0] == pytest.approx(-tgo[1])  # about its 1.5-point misses, in points
    assert 0.8 < ben[1] < 1.8
    unscaled = own_errors(frames, known, pd.Timestamp("2000-01-01"))[("horizon", 1)]
    assert today["TGO/growth"] * unscaled.quantiles("TGO/growth", [0.9])[0] < 0.8  # what the band was


def test_turbulence_is_the_last_three_years_moves_over_the_typical_one_square_rooted_and_clipped():
    known = pd.DataFrame({"series": ["spike"] * 5 + ["calm"] * 5 + ["short"],
                          "period": [*range(2020, 2025), *range(2020, 2025), 2024],
                          "known": [2, 2, 10, 2, 10, 3, 3.1, 3.2, 3.1, 3.0, 4.0]})
    factor = turbulence(known, pd.Series({"spike": 2.0, "calm": 1.0, "short": 1.0}))
    assert factor["spike"] == pytest.approx(3 ** 0.5)  # moves of 8 over a typical 2: clipped at 3
    assert factor["calm"] == pytest.approx(0.5 ** 0.5)  # moves of 0.1: clipped at a half
    assert factor["short"] == 1.0  # one figure: no move to measure
    assert turbulence(known, pd.Series({"spike": 8.0}), power=0)["spike"] == 1.0


def test_a_band_widens_after_a_spike_known_at_the_origin_and_no_earlier(monkeypatch):
    """One series' last known years swing hard at the last origin only: its last band is wider than
    without the turbulence factor; every earlier projection is the same either way, as it is in a
    pool where the swing never happened (a projection knows nothing of later years)."""
    from econ import bands

    calm = replace(pool({"good": 1.0}, series=6, seed=3), turbulence=True)
    final = pd.Timestamp(calm.truth["origin"].max())
    truth = calm.truth.copy()
    last = (pd.to_datetime(truth["origin"]) == final) & (truth["series"] == "S0/inflation")
    swings = last & (truth["period"] >= truth.loc[last, "period"].max() - 3)
    truth.loc[swings, "known"] = [0.0, 12.0, 0.0, 12.0]
    swung = replace(calm, truth=truth)
    after, unswung = combine_pool(swung).econ, combine_pool(calm).econ
    monkeypatch.setattr(bands, "TURBULENCE_POWER", 0.0)
    without = combine_pool(swung).econ
    at_final = lambda econ: econ[(econ["series"] == "S0/inflation") & (econ["origin"] == final)].iloc[0]  # noqa: E731
    width = lambda row: row["upper_95"] - row["lower_95"]  # noqa: E731
    assert width(at_final(after)) > 1.2 * width(at_final(without))
    assert at_final(after)["turbulence"] == pytest.approx(3 ** 0.5) and at_final(without)["turbulence"] == 1.0
    earlier = after["origin"] < final
    assert after[earlier]["upper_95"].to_numpy() == pytest.approx(unswung[earlier]["upper_95"].to_numpy())
    growth = combine_pool(replace(swung, turbulence=False)).econ  # chosen for inflation only
    assert (growth["turbulence"] == 1.0).all() and width(at_final(growth)) == pytest.approx(width(at_final(without)))


def test_a_calm_series_beside_a_wild_one_keeps_its_band_within_its_twenty_year_range(monkeypatch):
    """Chad's inflation pooled with Zimbabwe's: the wild series' rare huge misses give the pooled shape
    its tails. The calm series' 95 % band reaches no further from its projection than its own twenty
    years' range; its 80 % band and its breach probability, well inside, do not move."""
    from econ import bands

    data = pool({"good": 1.0}, series=4, seed=6)
    wild = (data.truth["series"] == "S3/inflation") & (data.truth["period"] % 6 == 0)
    data.truth.loc[wild, "known"] += 300.0  # a hyperinflation every sixth year
    cut = combine_pool(data).econ
    monkeypatch.setattr(bands, "SPAN_CAP", False)
    uncut = combine_pool(data).econ
    final = cut["origin"].max()
    last = lambda econ: econ[(econ["origin"] == final) & (econ["series"] == "S0/inflation")].iloc[0]  # noqa: E731
    known = data.truth[(data.truth["origin"] == final) & (data.truth["series"] == "S0/inflation")]
    span = known.sort_values("period")["known"].tail(20).agg(lambda v: v.max() - v.min())
    assert last(uncut)["upper_95"] - last(uncut)["lower_95"] > 2 * span  # what the band was
    assert last(cut)["upper_95"] - last(cut)["forecast"] == pytest.approx(span)
    assert last(cut)["forecast"] - last(cut)["lower_95"] == pytest.approx(span)
    assert last(cut)["span"] == pytest.approx(span) and np.isinf(last(uncut)["span"])
    for column in ("lower_80", "upper_80", "p_breach"):
        assert last(cut)[column] == pytest.approx(last(uncut)[column])


def test_a_series_range_cuts_its_bands_once_it_has_ten_figures():
    """The range of the last twenty known figures; seven years (Ghana's growth, covid's included,
    spanning six points) say too little to cut a band at."""
    known = pd.DataFrame({"series": ["long"] * 30 + ["short"] * 7, "period": [*range(1995, 2025), *range(2018, 2025)],
                          "known": [50.0] * 10 + [float(v % 7) for v in range(20)] + [6.2, 6.5, 0.5, 5.1, 3.8, 2.9, 5.7]})
    cut = spans(known)
    assert cut["long"] == 6.0  # the twenty years 2005-2024 only: 1995-2004's 50s have left the window
    assert np.isinf(cut["short"])
