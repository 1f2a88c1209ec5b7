"""The gold link an economist would sign: an elasticity near gold's share of GDP, never negative,
kept as plain numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from simulated import annual_index

from econ.models.growth_gold import GoldInput, GrowthOnGold, from_state, gold_shares, prior_for


def regression(beta: float, n: int = 14, noise: float = 1.5, seed: int = 0) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    gold = pd.Series(rng.normal(0, 10, n), index=annual_index(n))
    return 4 + beta * gold + rng.normal(0, noise, n), gold


def test_a_negative_fit_on_a_short_sample_is_never_a_negative_elasticity():
    growth, gold = regression(-0.15, seed=3)
    for country in ("MLI", "BFA", "CIV", None):
        fitted = GrowthOnGold().fit(growth, GoldInput(gold, country))
        assert fitted.params["gold_coefficient"] >= 0


def test_the_elasticity_is_pulled_toward_the_gold_share_when_the_sample_says_little():
    share, sd, source = prior_for("MLI")
    assert share == pytest.approx(gold_shares()["MLI"]["share"]) and sd == pytest.approx(share / 2) and source
    growth, gold = regression(0.0, n=10, noise=3.0, seed=1)
    with_prior = GrowthOnGold().fit(growth, GoldInput(gold, "MLI")).params["gold_coefficient"]
    without = GrowthOnGold().fit(growth, GoldInput(gold, "XXX")).params["gold_coefficient"]
    assert abs(with_prior - share) < abs(without - share)


def test_a_long_clear_sample_overrides_the_prior():
    growth, gold = regression(0.4, n=200, noise=0.5, seed=2)
    assert GrowthOnGold().fit(growth, GoldInput(gold, "MLI")).params["gold_coefficient"] == pytest.approx(0.4, abs=0.03)


def test_more_gold_gives_more_growth_in_every_year():
    growth, gold = regression(0.1, seed=4)
    fitted = GrowthOnGold().fit(growth, GoldInput(gold, "MLI"))
    rising, falling = fitted.moments(3, np.array([10.0, 15.0, 12.0]))[0], fitted.moments(3, np.array([-10.0, -5.0, -8.0]))[0]
    assert (rising > falling).all()


def test_the_state_is_json_and_rebuilds_the_same_projection():
    growth, gold = regression(0.1, seed=5)
    fitted = GrowthOnGold().fit(growth, GoldInput(gold, "MLI"))
    state = json.loads(json.dumps(fitted.state()))
    again = from_state(state)
    path = np.array([5.0, -20.0, 0.0])
    for a, b in zip(fitted.moments(3, path), again.moments(3, path)):
        np.testing.assert_allclose(a, b)
    with pytest.raises(ValueError, match="version"):
        from_state({**state, "version": 99})
