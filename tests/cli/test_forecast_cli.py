"""``econ forecast``, ``econ backtest``, ``econ norms`` as a user meets them: JSON exactly as the
product contract says, readable tables otherwise, clear errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econ.cli import app
from econ.config import get_settings
from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store import repository
from econ.store.db import make_engine

runner = CliRunner()


def econ(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def series(values: np.ndarray, first: int) -> list[tuple[str, float]]:
    return [(str(first + i), float(v)) for i, v in enumerate(values)]


@pytest.fixture
def store():
    assert econ("init").exit_code == 0
    rng = np.random.default_rng(0)
    inflation = 2.5 + np.convolve(rng.normal(0, 1.5, 33), [1, 0.5], "valid")
    rows = [("MLI", "inflation", p, v) for p, v in series(inflation, 1993)]
    rows += [("MLI", "public_debt", p, v) for p, v in series(40 + np.cumsum(rng.normal(0, 2, 20)), 2005)]
    frame = pd.DataFrame(rows, columns=["country", "indicator", "period", "value"])
    for column in OBSERVATION_COLUMNS:
        if column not in frame:
            frame[column] = None
    official = pd.DataFrame([dict(zip(OFFICIAL_COLUMNS, ("IMF", f"{y - 1}-10", "MLI", "inflation", str(y), 2.0, None, None)))
                             for y in range(2016, 2025)])
    repository.write_batch(make_engine(), frame[OBSERVATION_COLUMNS], official, source="test")


def test_a_series_with_no_peer_in_the_store_is_said_to_rest_on_its_own_record(store):
    alone = econ("forecast", "-c", "MLI", "--workers", "1")
    assert alone.exit_code == 0, alone.output
    assert "MLI inflation, MLI public_debt: no comparable series in the store" in alone.stdout
    rng = np.random.default_rng(1)
    peer = pd.DataFrame([("BFA", "inflation", p, v) for p, v in series(2.0 + rng.normal(0, 2, 33), 1993)],
                        columns=["country", "indicator", "period", "value"])
    for column in OBSERVATION_COLUMNS:
        if column not in peer:
            peer[column] = None
    repository.write_batch(make_engine(), peer[OBSERVATION_COLUMNS], pd.DataFrame(columns=OFFICIAL_COLUMNS), source="test")
    pooled = econ("forecast", "-c", "MLI", "--workers", "1")
    assert pooled.exit_code == 0, pooled.output
    assert "MLI public_debt: no comparable series" in pooled.stdout and "MLI inflation," not in pooled.stdout


def test_forecast_json_is_exactly_the_contract(store):
    result = econ("forecast", "--country", "MLI", "--indicator", "inflation", "--horizon", "2", "--json", "--workers", "1")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"run", "forecasts"}
    assert {"id", "created_at", "data_vintage", "code_version"} <= set(payload["run"])
    assert payload["run"]["seed"] == 20251130 and payload["run"]["settings"]["versions"]["statsmodels"]
    [forecast] = payload["forecasts"]
    assert set(forecast) == {"country", "indicator", "model", "points", "norm"}
    assert forecast["norm"] == {"code": "waemu_inflation", "comparison": "<=", "threshold": 3.0}
    assert [p["period"] for p in forecast["points"]] == ["2025", "2026"]
    assert set(forecast["points"][0]) == {"period", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "p_breach"}


def test_forecast_prints_a_table_with_the_norm_check(store):
    result = econ("forecast", "-c", "MLI", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "MLI public_debt" in result.stdout and "P(breach: > 3)" in result.stdout and "2027" in result.stdout
    assert "{" not in result.stdout


def test_backtest_json_is_exactly_the_contract(store):
    result = econ("backtest", "--country", "MLI", "--indicator", "inflation", "--start", "2016", "--end", "2024", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"country", "indicator", "origins", "summary"} <= set(payload) and "official" in payload
    assert [o["year"] for o in payload["origins"]] == list(range(2016, 2025))
    assert {"year", "forecast", "lower_80", "upper_80", "lower_95", "upper_95", "actual", "naive"} <= set(payload["origins"][0])
    assert {"mae", "rmse", "mase", "coverage_80", "coverage_95", "norm_hit_rate"} <= set(payload["summary"])
    assert {"brier", "brier_naive", "brier_climate", "crps"} <= set(payload["summary"])
    imf = [e for e in payload["official"] if e["publisher"] == "IMF"]
    assert imf and {"publisher", "lead", "n", "mae", "econ_mae", "norm_hit_rate", "verdict"} <= set(imf[0])
    october = json.loads(econ("backtest", "-c", "MLI", "-i", "inflation", "--start", "2020", "--end", "2024",
                              "--origin-month", "10", "--json").stdout)
    assert october["origin_month"] == 10 and all(o["origin"].endswith("-10-01") for o in october["origins"])


def test_backtest_table_and_its_errors(store):
    table = econ("backtest", "-c", "MLI", "-i", "inflation", "--start", "2020", "--end", "2024")
    assert table.exit_code == 0 and "MASE" in table.stdout and "IMF" in table.stdout and "Brier" in table.stdout
    assert "Reliability of the breach probabilities" in table.stdout  # said 20-40 %: breached how often?
    assert "the projection made on 1 February of each year" in table.stdout  # the date, in words
    payload = json.loads(econ("backtest", "-c", "MLI", "-i", "inflation", "--start", "2020", "--end", "2024",
                              "--json").stdout)
    scored = [o for o in payload["origins"] if o["p_breach"] is not None and o["actual"] is not None]
    assert sum(b["n"] for b in payload["summary"]["reliability"]) == len(scored) > 0
    assert econ("backtest", "-c", "SEN", "-i", "inflation", "--start", "2020", "--end", "2024").exit_code == 1
    unknown = econ("backtest", "-c", "MLI", "-i", "prices", "--start", "2020", "--end", "2024")
    assert unknown.exit_code == 2 and "unknown indicator 'prices'" in unknown.stderr


def test_backtest_without_years_scores_the_last_twenty_known(store, monkeypatch):
    result = econ("backtest", "-c", "MLI", "-i", "inflation", "--json")
    assert result.exit_code == 0, result.output
    assert [o["year"] for o in json.loads(result.stdout)["origins"]] == list(range(2005, 2025))
    monkeypatch.setenv("ECON_BACKTEST_ORIGINS", "5")
    get_settings.cache_clear()
    shorter = json.loads(econ("backtest", "-c", "MLI", "-i", "inflation", "--end", "2020", "--json").stdout)
    assert [o["year"] for o in shorter["origins"]] == list(range(2016, 2021))
    missing = econ("backtest", "-c", "NER", "-i", "inflation")
    assert missing.exit_code == 1 and "no inflation series stored for NER" in missing.stderr


def test_backtest_of_a_country_with_a_monthly_cpi_alone_ends_at_its_last_complete_year(store):
    """Chad loaded from the World Bank's CPI, to June 2023: its inflation is projected from the CPI's
    annual averages, and ``econ backtest`` scores them up to 2022, the last complete year."""
    months = pd.period_range("2000-01", "2023-06", freq="M")
    level = 100 * np.cumprod(1 + np.random.default_rng(2).normal(0.002, 0.006, len(months)))
    cpi = pd.DataFrame({"country": "TCD", "indicator": "cpi", "period": months.astype(str), "value": level})
    for column in OBSERVATION_COLUMNS:
        if column not in cpi:
            cpi[column] = None
    repository.write_batch(make_engine(), cpi[OBSERVATION_COLUMNS], pd.DataFrame(columns=OFFICIAL_COLUMNS), source="test")
    result = econ("backtest", "-c", "TCD", "-i", "inflation", "--start", "2018", "--json")
    assert result.exit_code == 0, result.output
    assert [o["year"] for o in json.loads(result.stdout)["origins"]] == list(range(2018, 2023))


def test_norms_json_is_the_scorecard(store):
    econ("forecast", "-c", "MLI", "--json", "--workers", "1")
    payload = json.loads(econ("norms", "--country", "MLI", "--json").stdout)
    assert payload["country"] == "MLI"
    inflation = [r for r in payload["scorecard"] if r["indicator"] == "inflation"]
    assert [r["kind"] for r in inflation] == ["actual"] * 3 + ["projection"] * 3
    assert all(r["p_breach"] is None for r in inflation[:3]) and all(0 <= r["p_breach"] <= 1 for r in inflation[3:])
    table = econ("norms", "-c", "MLI")
    assert table.exit_code == 0 and "WAEMU convergence" in table.stdout
    ghana = econ("norms", "-c", "GHA")  # no WAEMU criterion applies: not "load data and run a forecast"
    assert "no stored norm applies to GHA" in ghana.stderr and "load data" not in ghana.stderr


def test_a_brief_reused_run_says_so_in_one_line(store):
    first = econ("forecast", "--reuse", "--brief", "--workers", "1")
    again = econ("forecast", "--reuse", "--brief", "--workers", "1")
    assert first.exit_code == again.exit_code == 0
    assert len(again.stdout.strip().splitlines()) == 1 and again.stdout.split(":")[0] == first.stdout.split(":")[0]
    assert "reused" in again.stdout and "reused" not in first.stdout
    assert "the first of the month after the store's newest figure" in first.stdout  # why that date
    assert "inflation_eop only when asked" in first.stdout
    asked = econ("forecast", "--brief", "-i", "inflation", "--workers", "1")
    assert asked.exit_code == 0 and "only when asked" not in asked.stdout


def test_forecast_before_init_says_to_run_init():
    result = econ("forecast", "--json")
    assert result.exit_code == 1 and "econ init" in result.stderr


def run_count() -> int:
    from econ.store.runs import runs

    return len(runs(make_engine(), limit=1000))


def test_forecast_refuses_an_unknown_country_as_backtest_does_and_stores_nothing(store):
    before = run_count()
    result = econ("forecast", "--country", "FRA", "--workers", "1")
    assert result.exit_code == 1 and "no projectable series stored for FRA" in result.stderr
    mixed = econ("forecast", "-c", "Mali", "-c", "FRA", "-i", "inflation", "--json", "--workers", "1")
    assert mixed.exit_code == 1 and "no inflation series stored for FRA" in mixed.stderr and mixed.stdout == ""
    backtest = econ("backtest", "-c", "France", "-i", "inflation")
    assert backtest.exit_code == 1 and "no inflation series stored for FRA" in backtest.stderr
    typo = econ("forecast", "-c", "XXX", "--workers", "1")
    assert typo.exit_code == 2 and "unknown country 'XXX'" in typo.stderr
    assert run_count() == before
    assert "MLI" in econ("norms", "-c", "Mali", "--json").stdout  # a name, as econ observations takes it


def test_as_of_is_parsed_alike_and_a_future_date_refused(store):
    for command in (("forecast",), ("backtest", "-c", "MLI", "-i", "inflation")):
        bad = econ(*command, "--as-of", "2020-13-45", "--workers", "1")
        assert bad.exit_code == 2 and "--as-of must be a date (YYYY-MM-DD)" in bad.stderr, bad.output
        future = econ(*command, "--as-of", "2999-01-01", "--workers", "1")
        assert future.exit_code == 1 and "--as-of 2999-01-01 is in the future" in future.stderr, future.output
    assert run_count() == 0


def test_backtest_names_a_start_after_the_last_year_that_can_be_scored(store):
    late = econ("backtest", "-c", "MLI", "-i", "inflation", "--start", "2030")
    assert late.exit_code == 1 and "--start 2030 is after 2024, the last year that can be scored" in late.stderr
    reversed_years = econ("backtest", "-c", "MLI", "-i", "inflation", "--start", "2020", "--end", "2019")
    assert reversed_years.exit_code == 1 and "--end 2019 must not be before --start 2020" in reversed_years.stderr


def test_a_run_as_of_a_date_before_any_data_is_refused_and_one_too_early_to_project_says_so(store):
    before = run_count()
    refused = econ("forecast", "-c", "MLI", "-i", "inflation", "--as-of", "1990-01-01", "--workers", "1")
    assert refused.exit_code == 1 and "as of 1990-01-01 none of the inflation series asked for was known yet: " \
        "the first figure stored (1993) counts as published on 1993-12-31" in refused.stderr, refused.output
    assert run_count() == before
    table = econ("forecast", "-c", "MLI", "-i", "inflation", "--as-of", "1995-01-01", "--workers", "1")
    assert table.exit_code == 0, table.output  # stored, empty, with the reason: a script reads "skipped"
    assert "None" not in table.stdout and "no series could be projected" in table.stdout
    assert "data vintage 1994-12-31T23:59:59" in table.stdout  # 1994's figure, on the lag rule, not "no data"
    brief = econ("forecast", "-c", "MLI", "-i", "inflation", "--as-of", "1995-01-01", "--brief", "--workers", "1")
    assert brief.exit_code == 0 and "None" not in brief.stdout and "0 series projected as of 1995-01-01, 1 skipped" in brief.stdout


def test_cpi_asked_for_says_that_inflation_is_projected_instead(monkeypatch):
    import io

    from rich.console import Console

    import econ.cli.forecast as module

    buffer = io.StringIO()
    monkeypatch.setattr(module, "errors", Console(file=buffer, width=200))  # stderr: --json output stays clean
    module._check_indicators(["cpi"])
    assert "informs the annual average inflation, projected instead" in buffer.getvalue()
