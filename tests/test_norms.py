"""Breach probabilities and the convergence scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econ.norms import SCORECARD_COLUMNS, p_breach, p_breach_normal, scorecard
from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store.repository import write_batch
from econ.store.runs import RunRecord, SeriesForecast, save_run


def test_p_breach_is_the_share_of_paths_on_the_wrong_side():
    paths = np.array([[1.0, 5.0], [2.0, 4.0], [4.0, 3.0], [5.0, 2.0]])
    assert list(p_breach(paths, "<=", 3.0)) == [0.5, 0.5]
    assert list(p_breach(paths, ">=", 3.0)) == [0.5, 0.25]  # 3.0 itself respects ">= 3"


def test_p_breach_of_a_normal_distribution():
    assert p_breach_normal(3.0, 1.0, "<=", 3.0) == pytest.approx(0.5)
    assert p_breach_normal(2.0, 1.0, "<=", 3.0) == pytest.approx(0.158655, abs=1e-6)
    assert p_breach_normal(-2.0, 1.0, ">=", -3.0) == pytest.approx(0.158655, abs=1e-6)
    assert list(p_breach_normal([2.0, 4.0], [0.0, 0.0], "<=", 3.0)) == [0.0, 1.0]


def test_paths_and_the_normal_formula_agree():
    rng = np.random.default_rng(0)
    paths = rng.normal(2.5, 1.2, (200_000, 1))
    assert p_breach(paths, "<=", 3.0)[0] == pytest.approx(p_breach_normal(2.5, 1.2, "<=", 3.0), abs=0.005)


def observations(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["country", "indicator", "period", "value"])
    for column in OBSERVATION_COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame[OBSERVATION_COLUMNS].astype({"value": "float64"})


def points(model: str, values: list[float]) -> pd.DataFrame:
    return pd.DataFrame([
        {"period": str(2025 + i), "model": model, "mean": v, "lower_80": v - 1, "upper_80": v + 1,
         "lower_95": v - 2, "upper_95": v + 2} for i, v in enumerate(values)
    ])


@pytest.fixture
def store(sqlite_engine):
    years = range(2018, 2025)
    rows = [("MLI", "inflation", str(y), 1.0 + 0.5 * (y - 2018)) for y in years]
    rows += [("MLI", "public_debt", str(y), 50.0) for y in years] + [("SEN", "inflation", "2024", 0.8)]
    write_batch(sqlite_engine, observations(rows), pd.DataFrame(columns=OFFICIAL_COLUMNS), source="test")
    checks = pd.DataFrame([
        {"period": "2025", "norm_code": "waemu_inflation", "comparison": "<=", "threshold": 3.0, "p_breach": 0.7},
        {"period": "2026", "norm_code": "waemu_inflation", "comparison": "<=", "threshold": 3.0, "p_breach": 0.4},
    ])
    forecast = SeriesForecast("MLI", "inflation", "combination", "2024",
                              pd.concat([points("combination", [3.5, 2.8]), points("naive", [4.0, 4.0])]), checks)
    save_run(sqlite_engine, RunRecord({}, 1, "test", None, None, [forecast]))
    return sqlite_engine


def test_scorecard_has_actuals_then_projections_per_country_and_norm(store):
    card = scorecard(store, "MLI")
    assert list(card.columns) == SCORECARD_COLUMNS
    inflation = card[card["norm_code"] == "waemu_inflation"]
    assert list(inflation["kind"]) == ["actual"] * 3 + ["projection"] * 2
    assert list(inflation["period"]) == ["2022", "2023", "2024", "2025", "2026"]
    actual = inflation[inflation["kind"] == "actual"]
    assert list(actual["compliant"]) == [True, False, False] and actual["p_breach"].isna().all()
    projection = inflation[inflation["kind"] == "projection"]
    assert list(projection["value"]) == [3.5, 2.8] and list(projection["p_breach"]) == [0.7, 0.4]
    assert list(projection["compliant"]) == [False, True] and list(projection["upper_80"]) == [4.5, 3.8]
    debt = card[card["norm_code"] == "waemu_public_debt"]
    assert (debt["kind"] == "actual").all() and debt["compliant"].all()
    assert set(card["label_fr"]) and (card["threshold"][card["norm_code"] == "waemu_fiscal_balance"] == -3.0).all()


def test_scorecard_covers_every_waemu_member_with_data(store):
    card = scorecard(store)
    assert set(card["country"]) == {"MLI", "SEN"}
    assert scorecard(store, "ZZZ").empty


def test_a_figure_out_since_the_run_replaces_its_projection(store):
    write_batch(store, observations([("MLI", "inflation", "2025", 2.2)]), pd.DataFrame(columns=OFFICIAL_COLUMNS),
                source="later")
    inflation = scorecard(store, "MLI").query("norm_code == 'waemu_inflation'")
    assert list(zip(inflation["period"], inflation["kind"])) == [("2023", "actual"), ("2024", "actual"),
                                                                  ("2025", "actual"), ("2026", "projection")]
