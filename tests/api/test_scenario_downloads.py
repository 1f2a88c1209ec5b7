"""Scenario downloads: ``gold=year:tonnes,...`` turns the growth chart and table into the Scenarios page's."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store.repository import utcnow, write_batch


def today() -> str:
    """Read after the request: a module constant goes stale when the suite crosses midnight (UTC)."""
    return utcnow().date().isoformat()
GROWTH = {2021: 3.1, 2022: 3.5, 2023: 4.7, 2024: 4.4}


@pytest.fixture
def growth_store(store):
    rows = [("MLI", "gdp_growth", str(y), v, "%", "=INSTAT comptes nationaux", None, None) for y, v in GROWTH.items()]
    write_batch(store, pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"value": "float64"}),
                pd.DataFrame(columns=OFFICIAL_COLUMNS), source="test")
    return store


@pytest.fixture
def fake_scenario(growth_store, monkeypatch):
    """Growth = tonnes / 10: the path's effect is plain to see (the real model is the forecast tests')."""
    calls = []

    def scenario(engine, country, gold_path, run_id=None):
        calls.append((country, dict(gold_path)))
        years = sorted(gold_path)
        mean = [gold_path[y] / 10 for y in years]
        return pd.DataFrame({"period": years, "mean": mean, "lower_80": [m - 1 for m in mean],
                             "upper_80": [m + 1 for m in mean], "lower_95": [m - 2 for m in mean],
                             "upper_95": [m + 2 for m in mean]})

    monkeypatch.setattr("econ.forecast.scenario", scenario)
    return calls


def test_scenario_csv_holds_the_paths_growth(client, fake_scenario):
    response = client.get("/download/data?country=MLI&indicator=gdp_growth&format=csv&gold=2025:70,2026:80.5")
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=econ_MLI_croissance-du-pib-reel_scenario_{today()}_fr.csv"
    assert fake_scenario == [("MLI", {"2025": 70.0, "2026": 80.5})]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    kind, period, value = header.index("Nature"), header.index("Période"), header.index("Valeur")
    exact = header.index("Valeur (non arrondi)")
    scenario = {r[period]: (r[value], r[exact]) for r in body if r[kind] == "scénario"}
    assert scenario == {"2025": ("7,0", "7,0"), "2026": ("8,1", "8,05")}  # as shown, and exact
    history = [r for r in body if r[kind] == "observé"]
    assert len(history) == len(GROWTH)
    assert history[0][header.index("Source")] == "'=INSTAT comptes nationaux"  # formula escaping kept


def test_scenario_xlsx_names_the_gold_path(client, fake_scenario):
    response = client.get("/download/data?country=MLI&indicator=gdp_growth&format=xlsx&lang=en&gold=2025:70")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["MLI scenario", "Exact values", "Sources"]
    meta = {row[0].value: row[1].value for row in book["Sources"].iter_rows()}
    assert meta["Scenario: gold production (t)"] == "2025: 70"
    sheet = book["MLI scenario"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [(r["Period"], r["Value"]) for r in rows if r["Kind"] == "scenario"] == [(2025, 7.0)]  # a year is a number


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("indicator=gdp_growth&gold=2025:-1", "tonnes from 0 to 5000"),
        ("indicator=gdp_growth&gold=25:70", "years 1900 to 2100"),
        ("indicator=gdp_growth&gold=2025:abc", "year:tonnes"),
        ("indicator=gdp_growth&gold=2025", "year:tonnes"),
        ("indicator=gdp_growth&gold=2025:nan", "year:tonnes"),
        ("indicator=gdp_growth&gold=2025:1e308", "year:tonnes"),
        ("indicator=gdp_growth&gold=2025:5000.5", "year:tonnes"),
        ("indicator=gdp_growth&gold=2025:70,2026:60,2025:80", "the year 2025 is given twice"),
        ("indicator=gdp_growth&gold=2025:70&gold=2026:60", "gold is given 2 times; give it once"),
    ],
)
@pytest.mark.parametrize("route", ["data?format=csv", "chart?format=png"])
def test_a_bad_gold_path_is_a_400(client, fake_scenario, route, query, words):
    response = client.get(f"/download/{route}&country=MLI&{query}")
    assert response.status_code == 400 and words in response.json["error"]
    assert fake_scenario == []


@pytest.mark.parametrize(("query", "words"), [("indicator=inflation&gold=2025:70", "gdp_growth only"),
                                              ("indicator=gdp_growth&gold=2025:70&as_of=2025-01-01", "latest run")])
def test_a_scenario_that_does_not_exist_is_a_404(client, fake_scenario, query, words):
    response = client.get(f"/download/data?format=csv&country=MLI&{query}")
    assert response.status_code == 404 and words in response.json["error"]
    assert fake_scenario == []


def test_no_gold_model_is_a_404(client, growth_store):
    response = client.get("/download/data?country=MLI&indicator=gdp_growth&format=csv&gold=2025:70")
    assert response.status_code == 404 and "no growth-on-gold model" in response.json["error"]


@pytest.mark.slow
def test_scenario_chart_as_png(client, fake_scenario):
    response = client.get("/download/chart?country=MLI&indicator=gdp_growth&format=png&lang=en&gold=2025:70,2026:80")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=econ_MLI_real-gdp-growth_scenario_{today()}_en.png"
    assert fake_scenario == [("MLI", {"2025": 70.0, "2026": 80.0})]
