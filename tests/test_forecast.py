"""Forecast runs: stored with their provenance, the same numbers for the same inputs, bad series
recorded with a reason while the run goes on, the nested backtest, the gold scenario."""

from __future__ import annotations

import pickle
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, update

import econ
from econ.forecast import backtest_series, forecast_json, run_forecasts, run_json, scenario, scenario_baseline
from econ.forecast.scenario import ScenarioPathError
from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store import repository
from econ.store.db import make_engine, upgrade
from econ.store.runs import ECON, backtest_points, forecast_state, latest_forecast, runs
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


INFLATION = ar1(n=30, seed=1)


def official() -> pd.DataFrame:
    """The IMF's October projection of each next year: the outcome plus a little noise (a good record)."""
    rng = np.random.default_rng(3)
    rows = [("IMF", f"{y - 1}-10", "MLI", "inflation", str(y), float(INFLATION.loc[str(y)] + rng.normal(0, 0.3)))
            for y in range(2003, 2025)]
    rows += [("IMF", "2024-10", "MLI", "inflation", "2025", 2.5)]
    return pd.DataFrame([dict(zip(OFFICIAL_COLUMNS, (*r, None, None))) for r in rows])


def load(engine) -> None:
    tonnes, growth = gold_and_growth()
    gappy = random_walk(20, seed=5)
    series = {
        ("MLI", "inflation"): INFLATION,
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
    assert settings["forecast_date"].startswith("2026-01-01")  # the month after gold's 2025 figure is out
    assert {"naive", "ar", "ets", "long_run_mean", "growth_gold"} <= set(settings["models"])
    assert len(settings["backtest"]["origins"]) == 20 and settings["backtest"]["origins"][-1] == "2025-01-01"
    versions = settings["versions"]
    assert {"python", "numpy", "scipy", "pandas", "statsmodels", "blas"} <= set(versions) and versions["statsmodels"]
    assert len(settings["data_hash"]) == 64 and settings["publication_lag_months"] == {"annual": 0, "monthly": 1}


def test_run_json_shows_the_seed_and_settings_beside_the_contract(store):
    engine, run_id, _ = store
    payload = run_json(engine, run_id)
    assert set(payload) == {"run", "forecasts"}
    assert {"id", "created_at", "data_vintage", "code_version"} <= set(payload["run"])
    assert payload["run"]["seed"] == 42 and payload["run"]["settings"]["data_hash"]
    union = payload["run"]["settings"]["combination"]["moved_toward_union"]
    assert union["pools"] == ["inflation/WAEMU"] and union["shares"] == [0.0, 0.25, 0.5, 0.75, 1.0]
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


def test_every_series_keeps_its_weights_nested_scores_calibration_and_diagnostics(store):
    engine, run_id, _ = store
    stored = latest_forecast(engine, "MLI", "inflation", run_id=run_id)
    assert stored.model == "combination" and stored.weights["chosen"] == "combination"
    assert abs(sum(stored.weights["used"].values()) - 1) < 1e-6
    assert "official:IMF" in stored.weights["used"]  # a record of 20 close calls earns the IMF weight
    explain = stored.weights["explain"]["2025"]
    assert explain["econ"] == pytest.approx(sum(p["weight"] * p["forecast"] for p in explain["parts"]), rel=1e-3)
    lead0 = stored.scores["econ"]["0"]
    assert {"mae", "mase", "coverage_80", "coverage_95", "brier", "brier_naive", "brier_climate", "crps",
            "crps_naive", "interval_score_80", "reliability"} <= set(lead0)
    models = stored.scores["models"]
    assert models["naive"]["versus_naive"] == "benchmark" and models["naive"]["mase"] == pytest.approx(1.0)
    assert models["official:IMF"]["versus_naive"] == "better"
    assert all(m["versus_naive"] in {"better", "worse", "no significant difference", "benchmark"} for m in models.values())
    imf = [e for e in stored.scores["official"] if e["publisher"] == "IMF"]
    assert imf and {"lead", "n", "mae", "econ_mae", "dm_pvalue", "verdict"} <= set(imf[0])
    assert stored.calibration["by_lead"]["0"]["errors"] >= 12
    assert {"notes", "warnings", "skipped", "origins", "pool"} <= set(stored.diagnostics)
    assert {"naive", "ar", "ets", "long_run_mean", "combination"} <= set(stored.points["model"])
    backtest = backtest_points(engine, stored.forecast_id)
    assert {"naive", "combination", "official:IMF"} <= set(backtest["model"]) and backtest["actual"].notna().all()
    assert (backtest["origin"].str[:4].astype(int) + backtest["horizon"] == backtest["period"].astype(int)).all()


def test_forecast_json_is_the_api_payload(store):
    engine, run_id, _ = store
    payload = forecast_json(latest_forecast(engine, "SEN", "public_debt"))
    assert set(payload) == {"country", "indicator", "run", "norm", "points"}
    assert {"id", "created_at", "data_vintage", "model"} <= set(payload["run"]) and payload["run"]["id"] == run_id
    assert payload["norm"]["threshold"] == 70.0


def test_bad_series_are_recorded_with_a_reason_and_the_run_goes_on(store):
    engine, run_id, _ = store
    run = runs(engine).set_index("id").loc[run_id]
    skipped = run.settings["skipped"]
    assert "constant" in skipped["BEN/fiscal_balance"]
    assert "too short" in skipped["BEN/gdp_growth"]
    assert "gappy" in skipped["BEN/public_debt"] or "too short" in skipped["BEN/public_debt"]
    assert "3 skipped" in run.message and "4 series projected" in run.message


def test_progress_is_reported_as_series_finish(store):
    _, _, calls = store
    assert [c[0] for c in calls] == list(range(1, 8)) and all(c[1] == 7 for c in calls)
    assert {c[2] for c in calls} >= {"MLI/inflation", "MLI/gdp_growth", "SEN/public_debt", "BEN/fiscal_balance"}


def numbers(engine, run_id: int) -> list:
    return [(f["country"], f["indicator"], f["model"], f["points"]) for f in run_json(engine, run_id)["forecasts"]]


def test_the_same_inputs_give_the_same_numbers_in_parallel_too(store):
    engine, run_id, _ = store
    again = run_forecasts(engine, seed=42, workers=2)
    assert numbers(engine, again) == numbers(engine, run_id)
    with engine.connect() as conn:
        stored = conn.execute(select(Forecast.run_id, Forecast.scores).where(Forecast.indicator == "inflation")).all()
    assert stored[-1].scores == stored[0].scores


def test_a_second_run_on_the_same_data_and_code_is_reused(store):
    engine, run_id, _ = store
    first = run_forecasts(engine, seed=42, workers=1, reuse=True)
    assert first in set(runs(engine)["id"]) and numbers(engine, first) == numbers(engine, run_id)
    assert run_forecasts(engine, seed=42, workers=1, reuse=True) == first
    assert run_forecasts(engine, seed=43, workers=1, reuse=True) != first


def test_a_run_as_of_a_date_reads_what_was_published_by_then(store):
    """As a backtest origin that day does: a figure published after the date is not read, even though
    the store holds it now; once the date is past its publication, it is."""
    engine, _, _ = store
    early, late = datetime(2025, 3, 1), datetime(2025, 7, 1)
    run = lambda moment: run_forecasts(engine, countries=["SEN"], indicators=["public_debt"], seed=42,  # noqa: E731
                                       workers=1, as_of=moment)
    before = {moment: numbers(engine, run(moment)) for moment in (early, late)}
    revised = frame({("SEN", "public_debt"): pd.Series([80.0], index=pd.PeriodIndex(["2024"], freq="Y"))})
    repository.write_batch(engine, revised.assign(published="2025-06-01"), pd.DataFrame(columns=OFFICIAL_COLUMNS),
                           source="revision")
    assert numbers(engine, run(early)) == before[early]  # published in June: not known in March
    assert numbers(engine, run(late)) != before[late]


def test_backtest_series_uses_what_was_known_at_each_origin(store):
    engine, _, _ = store
    payload = backtest_series(engine, "MLI", "inflation", 2015, 2024, workers=1)
    assert {"country", "indicator", "origins", "summary", "official", "models"} <= set(payload)
    assert [o["year"] for o in payload["origins"]] == list(range(2015, 2025))
    assert all(o["origin"] == f"{o['year']}-02-01" for o in payload["origins"])
    actual = {o["year"]: o["actual"] for o in payload["origins"]}
    assert all(o["naive"] == pytest.approx(actual[o["year"] - 1]) for o in payload["origins"] if o["year"] - 1 in actual)
    assert {"mae", "rmse", "mase", "coverage_80", "coverage_95", "norm_hit_rate"} <= set(payload["summary"])
    imf = [e for e in payload["official"] if e["publisher"] == "IMF"]
    assert imf and imf[0]["n"] == 10 and imf[0]["mae"] < payload["summary"]["mae"] + 1


def test_official_forecasts_are_compared_on_matched_information(store):
    """Projections made on 1 October meet the IMF's October release (its data stop about then), one
    year ahead; and the IMF's projections published before the origin were econ's candidates."""
    engine, _, _ = store
    payload = backtest_series(engine, "MLI", "inflation", 2008, 2024, origin_month=10, workers=1)
    october = [e for e in payload["official"] if e["release"] == "next release" and e["lead"] == 1]
    assert october and october[0]["publisher"] == "IMF" and october[0]["n"] >= 10
    assert {"mae", "econ_mae", "dm_pvalue", "verdict"} <= set(october[0])
    assert october[0]["mae"] < 0.5  # the IMF here is the outcome plus a little noise
    known = [e for e in payload["official"] if e["release"] == "known"]
    assert known and all(e["publisher"] == "IMF" for e in known)


def test_a_later_revision_changes_no_earlier_backtest_projection(store, tmp_path):
    """The engine-level nesting test: every weight, band and choice at an origin comes from figures
    known then. A revised 2020 figure may change the projections made after 2020, never before."""
    engine = make_engine(f"sqlite:///{tmp_path / 'nest.sqlite'}")
    upgrade(engine)
    load(engine)
    before = backtest_series(engine, "MLI", "inflation", 2008, 2024, workers=1)
    revised = frame({("MLI", "inflation"): pd.Series([25.0], index=pd.PeriodIndex(["2020"], freq="Y"))})
    repository.write_batch(engine, revised, pd.DataFrame(columns=OFFICIAL_COLUMNS), source="revision")
    after = backtest_series(engine, "MLI", "inflation", 2008, 2024, workers=1)
    made = lambda payload, keep: [{k: v for k, v in o.items() if k != "actual"}  # noqa: E731
                                  for o in payload["origins"] if keep(o["year"])]
    assert made(before, lambda y: y <= 2020) == made(after, lambda y: y <= 2020)
    assert made(before, lambda y: y > 2020) != made(after, lambda y: y > 2020)
    assert [o["actual"] for o in after["origins"] if o["year"] == 2020] == [25.0]  # scored against today's figure


def test_one_series_run_alone_is_dated_and_projected_as_in_the_full_run(store):
    """The run's date is the store's (gold's 2025 figure here), not the selected series' newest
    figure: MLI inflation alone was dated two months earlier and projected differently."""
    engine, run_id, _ = store
    alone = run_forecasts(engine, countries=["MLI"], indicators=["inflation"], seed=42, workers=1)
    dates = runs(engine).set_index("id")["settings"]
    assert dates[alone]["forecast_date"] == dates[run_id]["forecast_date"]
    points = [latest_forecast(engine, "MLI", "inflation", run_id=r).points for r in (run_id, alone)]
    pd.testing.assert_frame_equal(points[0], points[1])


def test_a_backtest_as_of_a_date_scores_against_the_figures_known_then(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'asof.sqlite'}")
    upgrade(engine)
    release = frame({("MLI", "inflation"): INFLATION}).assign(published="2025-01-15")
    repository.write_batch(engine, release, pd.DataFrame(columns=OFFICIAL_COLUMNS), source="release")
    revised = frame({("MLI", "inflation"): pd.Series([25.0], index=pd.PeriodIndex(["2023"], freq="Y"))})
    repository.write_batch(engine, revised.assign(published="2025-06-01"), pd.DataFrame(columns=OFFICIAL_COLUMNS),
                           source="revision")
    actual = lambda moment: {o["year"]: o["actual"] for o in backtest_series(  # noqa: E731
        engine, "MLI", "inflation", 2022, 2024, moment, workers=1)["origins"]}
    assert actual(datetime(2025, 7, 1))[2023] == 25.0
    assert actual(datetime(2025, 3, 1))[2023] == pytest.approx(float(INFLATION.loc["2023"]))  # the revision came later


def test_scenario_moves_growth_with_the_gold_path_without_refitting(store):
    engine, run_id, _ = store
    stored = latest_forecast(engine, "MLI", "gdp_growth", run_id=run_id)
    assert "growth_gold" in set(stored.points["model"])
    tonnes, _ = gold_and_growth()
    last = float(tonnes.iloc[-1])
    flat = scenario(engine, "MLI", {"2025": last, "2026": last, "2027": last}, run_id)
    rising = scenario(engine, "MLI", {"2026": 1.3 * last, "2027": 1.4 * last}, run_id)
    falling = scenario(engine, "MLI", {"2026": 0.8 * last, "2027": 0.7 * last}, run_id)
    assert list(flat.columns) == ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert list(flat["period"]) == ["2025", "2026", "2027"]
    assert (rising["mean"].iloc[1:] > falling["mean"].iloc[1:]).all()  # more gold, more growth, each year
    assert rising["mean"].iloc[1] > flat["mean"].iloc[1] > falling["mean"].iloc[1]
    start = scenario_baseline(engine, "MLI", run_id)
    assert start["indicator"] == "gold_production_industrial" and list(start["path"]) == ["2025", "2026", "2027"]
    assert start["path"]["2025"] == pytest.approx(last)  # 2025 is known
    assert (flat["lower_95"] <= flat["lower_80"]).all() and (flat["upper_80"] <= flat["upper_95"]).all()
    untouched = scenario(engine, "MLI", start["path"], run_id)  # the run's own path: the Indicator page's projection
    econ = stored.points[stored.points["model"] == ECON].set_index("period").loc[["2025", "2026", "2027"]]
    for column in ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]:
        assert untouched[column].to_numpy() == pytest.approx(econ[column].astype(float).to_numpy())


def test_a_run_of_growth_alone_still_gives_scenarios(tmp_path):
    """The gold series is not projected in such a run: the default path carries the last tonnage
    forward (as the regression's candidate assumes) instead of leaving the Scenarios page empty."""
    engine = make_engine(f"sqlite:///{tmp_path / 'growth.sqlite'}")
    upgrade(engine)
    load(engine)
    run_id = run_forecasts(engine, countries=["MLI"], indicators=["gdp_growth"], seed=42, workers=1)
    start = scenario_baseline(engine, "MLI", run_id)
    last = float(gold_and_growth()[0].iloc[-1])
    assert list(start["path"]) == ["2025", "2026", "2027"]
    assert list(start["path"].values()) == pytest.approx([last, last, last])
    more = scenario(engine, "MLI", {"2026": 1.3 * last, "2027": 1.4 * last}, run_id)
    assert (more["mean"].iloc[1:].to_numpy() > scenario(engine, "MLI", start["path"], run_id)["mean"].iloc[1:]).all()


def test_the_default_gold_path_has_no_gap_when_the_gold_figures_stop_a_year_early():
    """Gold known to 2023, growth to 2024, an official projection for 2026 only: 2025 carries 2023's
    tonnage (as the regression's candidate did in the backtest), 2026 is the official figure, 2027
    carries it; no year of the Scenarios page's path is left empty."""
    from econ.forecast.run import carried_forward

    path = carried_forward({"2026": 60.0}, {"2022": 50.0, "2023": 55.0}, ["2025", "2026", "2027"])
    assert path == {"2025": 55.0, "2026": 60.0, "2027": 60.0}


@pytest.mark.parametrize(("path", "words"), [
    ({"2100": 40.0}, "sets 2100, which the run does not project: set 2025, 2026, 2027 only"),
    ({"2026": 5000.0}, "5000 t in 2026 is above the limit"),
    ({"2025": 0.0, "2026": 10.0}, "restarts from 0 t in 2026"),
])
def test_a_gold_path_the_scenario_cannot_use_is_refused_with_its_reason(store, path, words):
    engine, run_id, _ = store
    with pytest.raises(ScenarioPathError, match=words):
        scenario(engine, "MLI", path, run_id)


def test_a_gold_path_falling_to_zero_is_a_scenario(store):
    engine, run_id, _ = store
    closed = scenario(engine, "MLI", {"2026": 0.0, "2027": 0.0}, run_id)
    assert np.isfinite(closed[["mean", "lower_95", "upper_95"]].to_numpy()).all()


def test_a_pickled_state_is_never_unpickled(store, tmp_path):
    """Whoever can write to the database must not be able to run code on the server."""
    engine, run_id, _ = store
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (marker,))

    stored = latest_forecast(engine, "MLI", "gdp_growth", run_id=run_id)
    with engine.begin() as conn:
        conn.execute(update(Forecast).where(Forecast.id == stored.forecast_id).values(state=pickle.dumps(Exploit())))
    assert forecast_state(engine, stored.forecast_id) is None and not marker.exists()
    with pytest.raises(LookupError):
        scenario(engine, "MLI", {"2026": 50.0}, run_id)
    assert not marker.exists()


def test_scenario_without_a_gold_regression_says_so(store):
    engine, _, _ = store
    with pytest.raises(LookupError, match="no growth-on-gold model"):
        scenario(engine, "SEN", {"2025": 50.0})


@pytest.mark.slow
def test_inflation_from_a_monthly_cpi_is_nowcast_with_the_months_known(tmp_path):
    """CPI to June 2024: the run is made on 1 August 2024 (June is out at the end of July), 2024 is a
    nowcast from six known months, its band narrower than next year's; the monthly path is stored."""
    from simulated import monthly_cpi

    engine = make_engine(f"sqlite:///{tmp_path / 'cpi.sqlite'}")
    upgrade(engine)
    cpi = monthly_cpi(years=32, inflation=2.5, seed=8, last_year=2024).loc[:"2024-06"]
    repository.write_batch(engine, frame({("NER", "cpi"): cpi}), pd.DataFrame(columns=OFFICIAL_COLUMNS), source="t")
    run_id = run_forecasts(engine, indicators=["inflation"], workers=1)
    assert runs(engine).set_index("id").loc[run_id].settings["forecast_date"].startswith("2024-08-01")
    stored = latest_forecast(engine, "NER", "inflation", run_id=run_id)
    assert {"cpi_sarimax", "cpi_ets", "naive"} <= set(stored.points["model"])
    chosen = stored.chosen()
    assert list(chosen["period"]) == ["2024", "2025", "2026"]
    width = (chosen["upper_80"] - chosen["lower_80"]).to_numpy()
    assert width[0] <= width[1]  # never wider: one run's fifteen errors a lead can tie (the rule takes the wider)
    monthly = stored.points[stored.points["model"] == "monthly"]
    assert monthly["period"].iloc[0] == "2024-07" and monthly["period"].iloc[-1] == "2026-12"
    assert any("computed from the monthly CPI" in note for note in stored.diagnostics["notes"])
    october = backtest_series(engine, "NER", "inflation", 2017, 2023, origin_month=10, workers=1)
    february = backtest_series(engine, "NER", "inflation", 2017, 2023, origin_month=2, workers=1)
    spread = lambda p: np.mean([o["upper_80"] - o["lower_80"] for o in p["origins"]])  # noqa: E731
    assert spread(october) < spread(february) and october["summary"]["mae"] < february["summary"]["mae"]


def test_a_monthly_cpi_older_than_the_annual_figures_is_left_out_and_the_run_says_so(tmp_path):
    """Annual inflation to 2024 (the IMF's), a CPI to December 2023 (the World Bank's database, loaded
    once): the monthly models keep their record from the origins when the CPI was fresh, but project
    nothing now, and the run says why (CLI, API, Indicator page read it)."""
    from simulated import monthly_cpi

    from econ.forecast.shape import evidence_json
    from econ.store.runs import cpi_behind

    engine = make_engine(f"sqlite:///{tmp_path / 'stale.sqlite'}")
    upgrade(engine)
    series = {("NER", "inflation"): ar1(n=30, seed=5), ("NER", "cpi"): monthly_cpi(years=30, seed=8, last_year=2023)}
    repository.write_batch(engine, frame(series), pd.DataFrame(columns=OFFICIAL_COLUMNS), source="t")
    run_id = run_forecasts(engine, indicators=["inflation"], workers=1)
    stored = latest_forecast(engine, "NER", "inflation", run_id=run_id)
    assert stored.chosen()["period"].iloc[0] == "2025"
    assert not {"cpi_sarimax", "cpi_ets", "cpi_mean_reverting", "monthly"} & set(stored.points["model"])
    assert {"cpi_sarimax", "cpi_ets"} <= set(backtest_points(engine, stored.forecast_id)["model"])
    gap = {"cpi_end": "2023-12", "last_year": 2024}
    assert stored.diagnostics["cpi_behind"] == gap and evidence_json(stored)["cpi_behind"] == gap
    assert cpi_behind(engine, run_id) == [("NER", "inflation", gap)]


def test_a_run_inside_a_daemonic_process_fits_in_process(monkeypatch):
    """A Celery prefork worker is daemonic and may not start a process pool: the run must not try."""
    import multiprocessing

    from econ.forecast import default_workers

    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert default_workers(4) == 1


def test_a_union_members_explained_projection_shows_each_models_move_toward_the_union(tmp_path):
    """Three WAEMU members whose inflation is the union's plus passing deviations: the stored
    explanation of Mali's projection gives each moved model's own projection, the union's and the
    share, and the parts still add up to econ's value."""
    rng = np.random.default_rng(7)
    years = pd.period_range("1990", "2024", freq="Y")
    common = np.full(len(years), 3.0)
    for t in range(1, len(years)):
        common[t] = 3 + 0.8 * (common[t - 1] - 3) + rng.normal(0, 1)
    series = {(c, "inflation"): pd.Series(common + rng.normal(0, 2, len(years)), index=years)
              for c in ("MLI", "SEN", "BEN")}
    engine = make_engine(f"sqlite:///{tmp_path / 'union.sqlite'}")
    upgrade(engine)
    repository.write_batch(engine, frame(series), pd.DataFrame(columns=OFFICIAL_COLUMNS), source="test")
    run_id = run_forecasts(engine, ["MLI"], ["inflation"], seed=1, workers=1)
    explain = latest_forecast(engine, "MLI", "inflation", run_id=run_id).weights["explain"]["2025"]
    moved = [p for p in explain["parts"] if p.get("share")]
    assert moved, explain
    for p in moved:
        assert p["forecast"] == pytest.approx(p["own"] + p["share"] * (p["union"] - p["own"]))
    assert explain["econ"] == pytest.approx(sum(p["weight"] * p["forecast"] for p in explain["parts"]), rel=1e-3)


def test_the_record_shown_is_that_of_projections_made_on_the_same_information():
    """A January run projecting last year before its figure is out (lead -1): such projections exist
    only since publication dates are known (here 2019-2024), but every January projection of the
    current year made when last year's figure was out (2005-2018) stood as far from the last figure.
    The record shown, econ's and each candidate's, is all of them: the one its weights were drawn
    from; projections two years past the last figure stay out."""
    from econ.forecast.assemble import candidate_scores, information_scores

    rng = np.random.default_rng(0)
    rows = []
    for year in range(2005, 2025):
        origin, last = pd.Timestamp(year, 1, 1), (year - 2 if year >= 2019 else year - 1)
        for period in range(last + 1, year + 2):
            actual = 5 + rng.normal(0, 2)
            rows.append({"origin": origin, "period": period, "lead": period - year, "horizon": period - last,
                         "monthly": False, "forecast": actual + rng.normal(0, 1), "actual": actual,
                         "naive": 5.0, "lower_80": 0.0, "upper_80": 10.0, "lower_95": -5.0, "upper_95": 15.0})
    scored = pd.DataFrame(rows)
    final = pd.DataFrame([{"lead": -1, "horizon": 1, "monthly": False}, {"lead": 0, "horizon": 2, "monthly": False}])
    same = information_scores(scored, final, -1, None)
    assert same["step"] == 0 and same["leads"] == [-1, 0] and same["n"] == 20  # 14 of lead 0, 6 of lead -1
    raw = pd.concat([scored.assign(candidate="naive", kind="model", forecast=5.0),
                     scored.assign(candidate="official:IMF", kind="official")], ignore_index=True)
    models = candidate_scores(raw, scored, same["step"], {"official:IMF": 1.0}, basis="step")
    assert {name: m["n"] for name, m in models.items()} == {"naive": 20, "official:IMF": 20, "combination": 20}
    assert models["official:IMF"]["weight"] == 1.0 and models["naive"]["mase"] == pytest.approx(1.0)
    on_lead = candidate_scores(raw, scored, -1, {}, basis="lead")
    assert on_lead["combination"]["n"] == 6  # the calendar lead alone: 2019-2024 only
