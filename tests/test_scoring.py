"""Scores a reader can trust: the Diebold-Mariano verdict with its small-sample correction, Brier and
reliability, the interval score and the CRPS from a kept library."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scoringrules as sr

from econ import scoring
from econ.combine import Norm


def test_dm_says_better_worse_or_no_significant_difference():
    rng = np.random.default_rng(0)
    truth = rng.normal(0, 1, 30)
    good, bad = truth + rng.normal(0, 0.3, 30), truth + rng.normal(0, 2.0, 30)
    stat, p = scoring.diebold_mariano(good - truth, bad - truth)
    assert stat < 0 and p < 0.01 and scoring.verdict(stat, p) == "better"
    stat, p = scoring.diebold_mariano(bad - truth, good - truth)
    assert scoring.verdict(stat, p) == "worse"
    twin = good - truth + rng.normal(0, 0.01, 30)
    assert scoring.verdict(*scoring.diebold_mariano(good - truth, twin)) == "no significant difference"
    assert scoring.diebold_mariano([1.0, 2.0], [1.0, 3.0]) == (None, None)


def test_the_hln_correction_shrinks_the_statistic_for_longer_horizons_and_small_samples():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 12), rng.normal(0, 1.6, 12)
    one, _ = scoring.diebold_mariano(a, b, horizon=1, loss="squared")
    d = a**2 - b**2
    raw = d.mean() / np.sqrt(((d - d.mean()) ** 2).mean() / len(d))
    assert one == pytest.approx(raw * np.sqrt((12 + 1 - 2) / 12))


def test_brier_and_reliability_of_breach_probabilities():
    p = np.array([0.1, 0.1, 0.9, 0.9, 0.5])
    outcome = np.array([0, 0, 1, 1, 1])
    assert scoring.brier(p, outcome) == pytest.approx(np.mean((p - outcome) ** 2))
    table = scoring.reliability(p, outcome)
    assert [r["n"] for r in table] == [2, 0, 1, 0, 2]
    assert table[0]["observed"] == 0.0 and table[-1]["observed"] == 1.0


def test_interval_score_and_crps_come_from_scoringrules():
    assert scoring.interval_score([5.0], [0.0], [2.0], 0.8) == pytest.approx(2 + 2 / 0.2 * 3)
    members = np.random.default_rng(2).normal(1.0, 2.0, 4000)
    assert scoring.crps(0.5, members) == pytest.approx(float(sr.crps_normal(0.5, 1.0, 2.0)), rel=0.05)


def test_summary_puts_every_score_of_a_backtest_together():
    rows = pd.DataFrame({"forecast": [2.0, 3.5, 4.0], "actual": [2.5, 3.0, 5.0], "naive": [1.0, 2.5, 3.0],
                         "lower_80": [1.0, 2.5, 3.0], "upper_80": [3.0, 4.5, 4.5], "lower_95": [0.5, 2.0, 2.5],
                         "upper_95": [3.5, 5.0, 5.5], "p_breach": [0.1, 0.3, 0.9], "p_naive": [0.1, 0.4, 0.5],
                         "p_climate": [0.3, 0.3, 0.3]})
    out = scoring.summary(rows, Norm("<=", 3.0))
    assert out["mae"] == pytest.approx(2 / 3) and out["mase"] == pytest.approx((2 / 3) / (4 / 3))
    assert out["coverage_80"] == pytest.approx(2 / 3) and out["coverage_95"] == 1.0
    assert out["norm_hit_rate"] == pytest.approx(2 / 3)
    assert out["brier"] < out["brier_naive"] and out["brier"] < out["brier_climate"]
