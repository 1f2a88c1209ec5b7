"""The econ projection at each origin uses nothing later: weights from errors known then, a candidate
trusted only after a record, a path that does not zig-zag, a union's inflation pooled toward the
union's (bands and probabilities: ``test_bands.py``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from combine_pools import YEARS, pool

from econ.backtest import RAW_COLUMNS
from econ.combine import MIN_ERRORS, PoolInput, combine_pool, combined, weights_from
from econ.forecast.inputs import union_inflation


def test_changing_a_later_outcome_changes_no_earlier_projection():
    """The nesting test: were any weight or band taken from a later error, this would fail."""
    data = pool({"good": 0.5, "bad": 3.0})
    before = combine_pool(data).econ
    shock = (data.truth["series"] == "S1/inflation") & (data.truth["period"] == 2015)
    data.truth.loc[shock, "known"] = 40.0  # the 2015 outcome, as every origin from 2016 on knew it
    after = combine_pool(data).econ
    early = before["origin"] <= pd.Timestamp(2015, 2, 1)
    pd.testing.assert_frame_equal(before[early].reset_index(drop=True), after[early].reset_index(drop=True))
    late = ~early & (before["series"] != "S1/inflation")
    assert not np.allclose(before.loc[late, "upper_95"], after.loc[late, "upper_95"])


def test_a_candidate_gets_weight_only_after_a_record_that_beats_naive():
    out = combine_pool(pool({"good": 0.5, "bad": 4.0}))
    first = out.weights[("S0/inflation", pd.Timestamp(1996, 2, 1))][0]
    assert first == {"naive": 1.0}  # no errors known yet
    later = out.weights[("S0/inflation", pd.Timestamp(2010, 2, 1))][0]
    assert set(later) == {"good"} and later["good"] == pytest.approx(1.0)
    assert out.evidence[pd.Timestamp(1997, 2, 1)][0]["good"]["n"] == 4 < MIN_ERRORS
    assert out.weights[("S0/inflation", pd.Timestamp(1997, 2, 1))][0] == {"naive": 1.0}
    assert out.evidence[pd.Timestamp(1998, 2, 1)][0]["good"]["n"] == 8 == MIN_ERRORS
    assert set(out.weights[("S0/inflation", pd.Timestamp(1998, 2, 1))][0]) == {"good"}


def test_weights_shrink_toward_equal_and_follow_the_record():
    evidence = {"a": {"n": 40, "relative_mae": 0.5, "p_better": 0.001},
                "b": {"n": 40, "relative_mae": 0.8, "p_better": 0.01},
                "c": {"n": 40, "relative_mae": 0.9, "p_better": 0.4},   # not beyond luck
                "d": {"n": 5, "relative_mae": 0.3, "p_better": 0.001}}  # too few errors
    weights = weights_from(evidence, ("a", "b", "c", "d", "naive"))
    assert set(weights) == {"a", "b"} and weights["a"] > weights["b"] and sum(weights.values()) == pytest.approx(1)
    raw = (1 / 0.5) / (1 / 0.5 + 1 / 0.8)
    assert 0.5 < weights["a"] < raw  # pulled toward equal
    assert weights_from({}, ("a", "naive")) == {"naive": 1.0}


def path_weights(evidence: dict) -> dict[int, dict[str, float]]:
    """The weights of one series' projection of three years (steps 0 to 2) under ``evidence`` by step."""
    here = pd.DataFrame([{"series": "S/growth", "period": 2015 + h, "lead": h, "step": h, "horizon": h + 1,
                          "monthly": False, "candidate": c, "forecast": f, "lower_80": f - 1, "upper_80": f + 1,
                          "scale": 1.0} for h in range(3) for c, f in (("naive", 6.2), ("anchor", 3.7))])
    log: dict = {}
    combined(here, evidence, log, pd.Timestamp(2015, 1, 1))
    return log[("S/growth", pd.Timestamp(2015, 1, 1))]


def record(n: int, relative: float, p: float) -> dict:
    return {"naive": {"n": n, "relative_mae": 1.0, "p_better": 1.0},
            "anchor": {"n": n, "relative_mae": relative, "p_better": p}}


def test_skill_shown_nearer_carries_outward_so_the_path_does_not_zig_zag():
    """A store of Senegal alone, January 2015: the anchor beat naive beyond luck one and three years out,
    better but not beyond luck two years out; tested step by step, the path went from the anchor to the
    naive forecast and back."""
    weights = path_weights({0: record(15, 0.68, 0.015), 1: record(14, 0.84, 0.15), 2: record(13, 0.63, 0.03)})
    assert [set(weights[h]) for h in range(3)] == [{"anchor"}] * 3
    # still needs a record better than naive's where it is carried, and enough errors
    weights = path_weights({0: record(15, 0.68, 0.015), 1: record(14, 1.05, 0.7), 2: record(5, 0.6, 0.5)})
    assert [set(weights[h]) for h in range(3)] == [{"anchor"}, {"naive"}, {"naive"}]
    # and weight may still come only farther out, where an anchor first beats the naive forecast
    weights = path_weights({0: record(15, 0.95, 0.3), 1: record(14, 0.84, 0.15), 2: record(13, 0.63, 0.03)})
    assert [set(weights[h]) for h in range(3)] == [{"naive"}, {"naive"}, {"anchor"}]


def test_weights_come_from_projections_made_as_far_from_the_last_figure():
    """Since 2019 a January projection of the current year is two years past the last figure (last
    year's is not out): its weights come from the record of earlier two-years-past projections, not
    from that of current-year projections made when last year's figure was out. ``two_ahead`` is
    good two years past the last figure only, so only that record gives it weight."""
    rng = np.random.default_rng(9)
    raw, truth = [], []
    for s in range(4):
        key = f"S{s}/growth"
        y = {t: 5 + rng.normal(0, 2) for t in range(1970, 2027)}
        for t in range(1996, 2025):
            origin, last = datetime(t, 1, 1), (t - 2 if t >= 2019 else t - 1)
            for period in range(last + 1, t + 2):
                horizon = period - last
                for name, f in (("naive", y[last]), ("two_ahead", y[period] + rng.normal(0, 0.1 if horizon == 2 else 6))):
                    raw.append({"candidate": name, "kind": "model", "origin": origin, "lead": period - t,
                                "period": period, "horizon": horizon, "monthly": False, "forecast": f,
                                "lower_80": f - 2.56, "upper_80": f + 2.56, "lower_95": f - 3.92, "upper_95": f + 3.92,
                                "naive": y[last], "scale": 2.0, "series": key})
            truth += [{"series": key, "origin": origin, "period": p, "known": y[p]} for p in range(last - 19, last + 1)]
    out = combine_pool(PoolInput(pd.DataFrame(raw)[[*RAW_COLUMNS, "series"]], pd.DataFrame(truth), {}))
    weights = out.weights[("S0/growth", pd.Timestamp(2024, 1, 1))]
    assert weights[0].get("two_ahead", 0) > 0.5  # 2024, two years past 2022's figure
    assert weights[-1] == {"naive": 1.0}  # 2023, one year past: two_ahead's record there is poor


def union_pool(members: int = 6, seed: int = 1) -> PoolInput:
    """A monetary union: each member's inflation is the union's (a random walk) plus its own passing
    deviation. ``last`` (a model) and ``naive`` both project last year's figure."""
    rng = np.random.default_rng(seed)
    years = range(YEARS[0] - 1, YEARS[-1] + 2)
    common = dict(zip(years, 3 + np.cumsum(rng.normal(0, 1, len(years)))))
    y = {s: {t: common[t] + rng.normal(0, 2) for t in years} for s in range(members)}
    raw, truth = [], []
    for s in range(members):
        for t in YEARS:
            origin, last = datetime(t, 2, 1), y[s][t - 1]
            for name, kind in (("naive", "model"), ("last", "model"), ("official:IMF", "official")):
                raw.append({"candidate": name, "kind": kind, "origin": origin, "lead": 0, "period": t, "horizon": 1,
                            "monthly": False, "forecast": last, "lower_80": last - 2.56, "upper_80": last + 2.56,
                            "lower_95": last - 3.92, "upper_95": last + 3.92, "naive": last, "scale": 2.0,
                            "series": f"S{s}/inflation"})
            truth += [{"series": f"S{s}/inflation", "origin": origin, "period": p, "known": y[s][p]}
                      for p in range(max(t - 20, years[0]), t)]
    return PoolInput(pd.DataFrame(raw)[[*RAW_COLUMNS, "series"]], pd.DataFrame(truth), {}, union=True)


def test_a_union_members_inflation_is_pulled_toward_the_unions_once_errors_show_it_helps():
    """Each model's projection of a member moves toward the same model's mean across the members, as
    far as that model's errors known at the origin say it should; naive and official forecasts stay."""
    data = union_pool()
    out = combine_pool(data)
    shares = out.union.groupby("origin")["share"].first()
    assert (shares[:pd.Timestamp(1997, 2, 1)] == 0).all()  # fewer than eight errors known: not moved
    assert (shares[pd.Timestamp(2005, 1, 1):] >= 0.5).all()  # the members' deviations pass: moved
    origin = pd.Timestamp(2020, 2, 1)
    moved = out.union[out.union["origin"] == origin].set_index("series")
    expected = moved["own"] + moved["share"] * (moved["own"].mean() - moved["own"])
    weights = out.weights[("S0/inflation", origin)][0]
    assert "last" in weights and "naive" not in weights
    econ = out.econ[out.econ["origin"] == origin].set_index("series")["forecast"]
    pd.testing.assert_series_equal(econ.sort_index(), (weights["last"] * expected + weights.get("official:IMF", 0)
                                                        * moved["own"]).sort_index(), check_names=False)
    alone = combine_pool(replace(data, union=False))
    pd.testing.assert_frame_equal(alone.econ[["naive", "naive_sd", "scale"]], out.econ[["naive", "naive_sd", "scale"]])
    assert alone.union is None


def test_the_share_toward_the_union_uses_no_later_error():
    """Had the members' deviations persisted from 2005 on (each figure its member's last), later
    shares fall back toward none; the shares chosen at origins before 2006 cannot know it."""
    data = union_pool()
    before = combine_pool(data).union
    own = data.raw[data.raw["candidate"] == "last"].set_index(["series", "period"])["forecast"]
    later = data.truth["period"] >= 2005
    data.truth.loc[later, "known"] = own.reindex(pd.MultiIndex.from_frame(data.truth.loc[later, ["series", "period"]])
                                                 ).to_numpy(float)
    after = combine_pool(data).union
    early = before["origin"] <= pd.Timestamp(2005, 2, 1)
    pd.testing.assert_frame_equal(before[early].reset_index(drop=True), after[early].reset_index(drop=True))
    assert after.loc[after["origin"] == pd.Timestamp(2024, 2, 1), "share"].max() < 0.5


def test_only_a_monetary_unions_inflation_is_pooled_toward_the_union():
    assert union_inflation("inflation/WAEMU")
    assert not union_inflation("gdp_growth/WAEMU") and not union_inflation("inflation/world")
