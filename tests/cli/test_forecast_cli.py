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
    assert "MLI public_debt" in result.stdout and "P(breach <= 3)" in result.stdout and "2027" in result.stdout
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
    payload = json.loads(econ("backtest", "-c", "MLI", "-i", "inflation", "--start", "2020", "--end", "2024",
                              "--json").stdout)
    scored = [o for o in payload["origins"] if o["p_breach"] is not None and o["actual"] is not None]
    assert sum(b["n"] for b in payload["summary"]["reliability"]) == len(scored) > 0
    assert econ("backtest", "-c", "SEN", "-i", "inflation", "--start", "2020", "--end", "2024").exit_code == 1
    unknown = econ("backtest", "-c", "MLI", "-i", "prices", "--start", "2020", "--end", "2024")
    assert unknown.exit_code == 1 and "unknown indicator 'prices'" in unknown.stderr


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


def test_norms_json_is_the_scorecard(store):
    econ("forecast", "-c", "MLI", "--json", "--workers", "1")
    payload = json.loads(econ("norms", "--country", "MLI", "--json").stdout)
    assert payload["country"] == "MLI"
    inflation = [r for r in payload["scorecard"] if r["indicator"] == "inflation"]
    assert [r["kind"] for r in inflation] == ["actual"] * 3 + ["projection"] * 3
    assert all(r["p_breach"] is None for r in inflation[:3]) and all(0 <= r["p_breach"] <= 1 for r in inflation[3:])
    table = econ("norms", "-c", "MLI")
    assert table.exit_code == 0 and "WAEMU convergence" in table.stdout


def test_a_brief_reused_run_says_so_in_one_line(store):
    first = econ("forecast", "--reuse", "--brief", "--workers", "1")
    again = econ("forecast", "--reuse", "--brief", "--workers", "1")
    assert first.exit_code == again.exit_code == 0
    assert len(again.stdout.strip().splitlines()) == 1 and again.stdout.split(":")[0] == first.stdout.split(":")[0]
    assert "reused" in again.stdout and "reused" not in first.stdout
    assert "the first of the month after these series' newest figure" in first.stdout  # why that date


def test_forecast_before_init_says_to_run_init():
    result = econ("forecast", "--json")
    assert result.exit_code == 1 and "econ init" in result.stderr
