"""Forecast runs: stored with their provenance, the same numbers for the same inputs, bad series
recorded with a reason while the run goes on, the backtest and scenario read-outs."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

import econ
from econ.forecast import backtest_series, forecast_json, run_forecasts, run_json, scenario, scenario_baseline
from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store import repository
from econ.store.db import make_engine, upgrade
from econ.store.runs import backtest_points, latest_forecast, runs
from econ.store.tables import Forecast

sys.path.insert(0, str(Path(__file__).parent / "models"))
from simulated import ar1, random_walk  # noqa: E402


def frame(series: dict[tuple[str, str], pd.Series]) -> pd.DataFrame:
    rows = [(c, i, str(p), float(v)) for (c, i), s in series.items() for p, v in s.items()]
    out = pd.DataFrame(rows, columns=["country", "indicator", "period", "value"])
    for column in OBSERVATION_COLUMNS:
        if column not in out:
            out[column] = None
    return out[OBSERVATION_COLUMNS]


def gold_and_growth(seed: int = 11) -> tuple[pd.Series, pd.Series]:
    """Industrial gold 1999-2025 and growth 1995-2024 that moves with it (coefficient 0.15)."""
    rng = np.random.default_rng(seed)
    tonnes = pd.Series(50 * np.exp(np.cumsum(rng.normal(0, 0.1, 27))), index=pd.period_range("1999", "2025", freq="Y"))
    gold_growth = 100 * (tonnes / tonnes.shift(1) - 1)
    growth = pd.Series(4 + rng.normal(0, 1.0, 30), index=pd.period_range("1995", "2024", freq="Y"))
    growth.loc[gold_growth.index[1:-1]] += 0.15 * gold_growth.iloc[1:-1].to_numpy()
    return tonnes, growth


def official() -> pd.DataFrame:
    rows = [("IMF", f"{y - 1}-10", "MLI", "inflation", str(y), 2.5) for y in range(2012, 2025)]
    return pd.DataFrame([dict(zip(OFFICIAL_COLUMNS, (*r, None, None))) for r in rows])


def load(engine) -> None:
    tonnes, growth = gold_and_growth()
    gappy = random_walk(20, seed=5)
    series = {
        ("MLI", "inflation"): ar1(n=30, seed=1),
        ("MLI", "gdp_growth"): growth,
        ("MLI", "gold_production_industrial"): tonnes,
        ("SEN", "public_debt"): random_walk(25, seed=2),
        ("BEN", "fiscal_balance"): pd.Series(-2.0, index=pd.period_range("2000", "2024", freq="Y")),
        ("BEN", "gdp_growth"): ar1(n=4, seed=3),
        ("BEN", "public_debt"): gappy.drop(gappy.index[-4]),
    }
    repository.write_batch(engine, frame(series), official(), source="test")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('forecast') / 'store.sqlite'}")
    upgrade(engine)
    load(engine)
    calls = []
    run_id = run_forecasts(engine, seed=42, workers=1, progress=lambda d, t, label: calls.append((d, t, label)))
    yield engine, run_id, calls
    engine.dispose()


def test_the_run_is_stored_with_its_provenance(store):
    engine, run_id, _ = store
    run = runs(engine).set_index("id").loc[run_id]
    assert run.code_version.startswith(econ.__version__) and run.seed == 42 and run.status == "done"
    assert run.data_vintage == repository.data_vintage(engine)
    settings = run.settings
    assert settings["horizon"] == 3 and settings["as_of"] is None and settings["countries"] is None
    assert {"naive", "arima", "ets", "theta", "local_trend", "growth_gold"} <= set(settings["models"])
    assert settings["backtest"]["origins"] == 15 and settings["indicators"][0] == "fiscal_balance"


def test_every_series_keeps_weights_scores_calibration_and_diagnostics(store):
    engine, run_id, _ = store
    stored = latest_forecast(engine, "MLI", "inflation", run_id=run_id)
    assert stored.weights["chosen"] == stored.model and abs(sum(stored.weights["combination"].values()) - 1) < 1e-5
    assert {"naive", "arima", "ets", "theta", "local_trend", "combination", "best", "official"} <= set(stored.scores)
    naive = stored.scores["naive"]
    assert naive["n"] == 15 and naive["mase"] == pytest.approx(1.0) and 0 <= naive["coverage_80"] <= 1
    assert stored.scores[stored.model]["mae"] <= naive["mae"] + 1e-9
    imf = next(e for e in stored.scores["official"] if e["publisher"] == "IMF" and e["horizon"] == 1)
    assert imf["n"] == 13 and imf["model_n"] == 13
    assert stored.calibration["method"] == "conformal" and "factor_80" in stored.calibration
    assert set(stored.diagnostics) >= {"warnings", "skipped", "notes", "models"}
    assert set(stored.points["model"]) >= {"naive", "arima", "ets", "theta", "local_trend", "combination"}
    backtest = backtest_points(engine, stored.forecast_id)
    assert set(backtest["model"]) >= {"naive", "combination", "best"} and backtest["actual"].notna().all()
    assert (backtest["origin"].astype(int) < backtest["period"].astype(int)).all()


def test_run_json_is_shaped_as_the_contract(store):
    engine, run_id, _ = store
    payload = run_json(engine, run_id)
    assert set(payload) == {"run", "forecasts"}
    assert set(payload["run"]) == {"id", "created_at", "data_vintage", "code_version"}
    keys = {(f["country"], f["indicator"]) for f in payload["forecasts"]}
    assert keys == {("MLI", "inflation"), ("MLI", "gdp_growth"), ("MLI", "gold_production_industrial"), ("SEN", "public_debt")}
    inflation = next(f for f in payload["forecasts"] if f["indicator"] == "inflation")
    assert set(inflation) == {"country", "indicator", "model", "points", "norm"}
    assert inflation["norm"] == {"code": "waemu_inflation", "comparison": "<=", "threshold": 3.0}
    assert [p["period"] for p in inflation["points"]] == ["2025", "2026", "2027"]
    for p in inflation["points"]:
        assert set(p) == {"period", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "p_breach"}
        assert p["lower_95"] <= p["lower_80"] <= p["mean"] <= p["upper_80"] <= p["upper_95"] and 0 <= p["p_breach"] <= 1
    growth = next(f for f in payload["forecasts"] if f["indicator"] == "gdp_growth")
    assert growth["norm"] is None and all(p["p_breach"] is None for p in growth["points"])


def test_forecast_json_is_the_api_payload(store):
    engine, run_id, _ = store
    payload = forecast_json(latest_forecast(engine, "SEN", "public_debt"))
    assert set(payload) == {"country", "indicator", "run", "norm", "points"}
    assert set(payload["run"]) == {"id", "created_at", "data_vintage", "model"} and payload["run"]["id"] == run_id
    assert payload["norm"]["threshold"] == 70.0


def test_bad_series_are_recorded_with_a_reason_and_the_run_goes_on(store):
    engine, run_id, _ = store
    run = runs(engine).set_index("id").loc[run_id]
    skipped = run.settings["skipped"]
    assert "constant" in skipped["BEN/fiscal_balance"]
    assert "too short" in skipped["BEN/gdp_growth"]
    assert "gappy" in skipped["BEN/public_debt"]
    assert "3 skipped" in run.message and "4 series projected" in run.message


def test_progress_is_reported_as_series_finish(store):
    _, _, calls = store
    assert [c[0] for c in calls] == [1, 2, 3, 4, 5] and all(c[1] == 5 for c in calls)
    assert {c[2] for c in calls} == {"MLI/inflation", "MLI/gdp_growth", "MLI/gold_production_industrial",
                                     "SEN/public_debt", "BEN/fiscal_balance"}  # the constant one fails in its worker


def numbers(engine, run_id: int) -> list:
    return [(f["country"], f["indicator"], f["model"], f["points"]) for f in run_json(engine, run_id)["forecasts"]]


def test_the_same_inputs_give_the_same_numbers_in_parallel_too(store):
    engine, run_id, _ = store
    again = run_forecasts(engine, seed=42, workers=2)
    assert numbers(engine, again) == numbers(engine, run_id)
    with engine.connect() as conn:
        stored = conn.execute(select(Forecast.run_id, Forecast.scores).where(Forecast.indicator == "inflation")).all()
    assert stored[-1].scores == stored[0].scores


def test_as_of_reads_the_data_of_that_moment(store):
    engine, run_id, _ = store
    first_vintage = repository.data_vintage(engine)
    revised = frame({("SEN", "public_debt"): pd.Series([80.0], index=pd.PeriodIndex(["2024"], freq="Y"))})
    repository.write_batch(engine, revised, pd.DataFrame(columns=OFFICIAL_COLUMNS), source="revision")
    before = run_forecasts(engine, countries=["SEN"], seed=42, workers=1, as_of=first_vintage)
    after = run_forecasts(engine, countries=["SEN"], seed=42, workers=1)
    assert runs(engine).set_index("id").loc[before].data_vintage == first_vintage
    old = [n for n in numbers(engine, run_id) if n[0] == "SEN"]
    assert numbers(engine, before) == old and numbers(engine, after) != old


def test_backtest_series_uses_data_up_to_the_year_before(store):
    engine, _, _ = store
    payload = backtest_series(engine, "MLI", "inflation", 2015, 2024)
    assert set(payload) >= {"country", "indicator", "origins", "summary", "official"}
    assert [o["year"] for o in payload["origins"]] == list(range(2015, 2025))
    actual = {o["year"]: o["actual"] for o in payload["origins"]}
    assert all(o["naive"] == pytest.approx(actual[o["year"] - 1]) for o in payload["origins"] if o["year"] - 1 in actual)
    assert set(payload["summary"]) == {"mae", "rmse", "mase", "coverage_80", "coverage_95", "norm_hit_rate"}
    assert payload["summary"]["mase"] <= 1 + 1e-9
    imf = [e for e in payload["official"] if e["publisher"] == "IMF" and e["horizon"] == 1]
    assert imf and imf[0]["n"] == 10 and imf[0]["mae"] > 0


def test_scenario_moves_growth_with_the_gold_path_without_refitting(store):
    engine, run_id, _ = store
    stored = latest_forecast(engine, "MLI", "gdp_growth", run_id=run_id)
    assert stored.weights["best_model"] and "growth_gold" in set(stored.points["model"])
    own = stored.points[stored.points["model"] == "growth_gold"].reset_index(drop=True)
    tonnes, _ = gold_and_growth()
    flat = scenario(engine, "MLI", {"2025": float(tonnes.iloc[-1]), "2026": float(tonnes.iloc[-1]), "2027": float(tonnes.iloc[-1])}, run_id)
    more = scenario(engine, "MLI", {"2026": 1.3 * float(tonnes.iloc[-1])}, run_id)
    assert list(flat.columns) == ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert list(flat["period"]) == ["2025", "2026", "2027"]
    assert more["mean"][1] > flat["mean"][1] + 1.0  # 30 % more gold, coefficient about 0.15
    baseline = scenario(engine, "MLI", {}, run_id)
    np.testing.assert_allclose(baseline["mean"], own["mean"], atol=1e-6)
    start = scenario_baseline(engine, "MLI", run_id)
    assert start["indicator"] == "gold_production_industrial" and list(start["path"]) == ["2025", "2026", "2027"]
    assert start["path"]["2025"] == pytest.approx(float(tonnes.iloc[-1]))  # 2025 is known
    np.testing.assert_allclose(scenario(engine, "MLI", start["path"], run_id)["mean"], own["mean"], atol=1e-6)
    np.testing.assert_allclose(baseline["upper_80"], own["upper_80"], rtol=0.1)


def test_scenario_without_a_gold_regression_says_so(store):
    engine, _, _ = store
    with pytest.raises(LookupError, match="no growth-on-gold model"):
        scenario(engine, "SEN", {"2025": 50.0})


def test_inflation_from_a_monthly_cpi_uses_the_monthly_models(tmp_path):
    """A country with a monthly CPI and no annual inflation: the annual figures come from the CPI."""
    from econ.forecast import contiguous_tail, with_cpi_years
    from simulated import monthly_cpi

    engine = make_engine(f"sqlite:///{tmp_path / 'cpi.sqlite'}")
    upgrade(engine)
    cpi = monthly_cpi(years=22, inflation=2.5, seed=8)
    repository.write_batch(engine, frame({("NER", "cpi"): cpi}), pd.DataFrame(columns=OFFICIAL_COLUMNS), source="t")
    run_id = run_forecasts(engine, indicators=["inflation"], workers=1)
    stored = latest_forecast(engine, "NER", "inflation", run_id=run_id)
    assert {"cpi_sarimax", "cpi_ets", "naive"} <= set(stored.points["model"])
    assert list(stored.chosen()["period"]) == ["2024", "2025", "2026"]
    assert any("computed from the monthly CPI" in note for note in stored.diagnostics["notes"])
    y, note = with_cpi_years(pd.Series(dtype=float), cpi)
    assert len(y) == 21 and "2003-2023" in note
    assert contiguous_tail(y.drop(y.index[5]))[0].index[0] == y.index[6]


def test_a_run_inside_a_daemonic_process_fits_in_process(monkeypatch):
    """A Celery prefork worker is daemonic and may not start a process pool: the run must not try."""
    import multiprocessing

    from econ.forecast import default_workers

    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert default_workers(4) == 1
