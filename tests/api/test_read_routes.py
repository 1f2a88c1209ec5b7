"""The read routes: shapes, numbers as numbers, and a 400 or 404 that says what to change."""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
import pytest
from api.sample_store import GOLD, INFLATION, RUN_POINTS

from econ.schema import OBSERVATION_COLUMNS
from econ.store.repository import utcnow, write_batch


def test_series_lists_every_stored_series_with_its_range(client):
    response = client.get("/api/v1/series")
    assert response.status_code == 200 and response.mimetype == "application/json"
    rows = {(s["country"], s["indicator"]): s for s in response.json["series"]}
    assert set(rows) == {("MLI", "inflation"), ("MLI", "gold_production")}
    gold = rows[("MLI", "gold_production")]
    assert gold == {"country": "MLI", "indicator": "gold_production", "frequency": "A", "unit": "tonnes",
                    "first": "2020", "last": "2024", "count": len(GOLD), "source": "@Ministère des Mines"}


def test_series_keep_one_country_or_one_indicator_when_asked(client):
    pick = lambda query: {(s["country"], s["indicator"]) for s in client.get(f"/api/v1/series?{query}").json["series"]}  # noqa: E731
    assert pick("country=Mali&indicator=inflation") == {("MLI", "inflation")}
    assert pick("indicator=gold_production") == {("MLI", "gold_production")} and pick("country=SEN") == set()
    for query, words in (("country=XXX", "unknown country"), ("indicator=gold", "unknown indicator")):
        response = client.get(f"/api/v1/series?{query}")
        assert response.status_code == 400 and words in response.json["error"]


def test_observations_give_numbers_with_their_source(client):
    body = client.get("/api/v1/observations?country=MLI&indicator=inflation").json
    assert body["country"] == "MLI" and body["indicator"] == "inflation" and body["as_of"] is None
    assert [(p["period"], p["value"]) for p in body["data"]] == [(str(y), v) for y, v in INFLATION.items()]
    assert all(isinstance(p["value"], float) for p in body["data"])
    assert body["data"][0]["source"] == "INSTAT Mali, IHPC"


def test_observations_accept_a_country_name(client):
    assert client.get("/api/v1/observations?country=Mali&indicator=inflation").json["country"] == "MLI"


def test_observations_as_of_reads_the_store_as_it_was(client, store):
    before = utcnow()
    revised = pd.DataFrame([("MLI", "inflation", "2024", 3.5, "%", "INSTAT, révisé", None, None)], columns=OBSERVATION_COLUMNS)
    write_batch(store, revised, pd.DataFrame(), source="test")
    now = client.get("/api/v1/observations?country=MLI&indicator=inflation").json["data"]
    then = client.get(f"/api/v1/observations?country=MLI&indicator=inflation&as_of={before.isoformat()}").json
    assert now[-1]["value"] == 3.5 and then["data"][-1]["value"] == INFLATION[2024]
    assert then["as_of"] == before.isoformat()
    copied = client.get(f"/api/v1/observations?country=MLI&indicator=inflation&vintage={before.isoformat()}").json
    assert copied == then  # the dashboard's name for the date, from a page's URL
    both = client.get(f"/api/v1/observations?country=MLI&indicator=inflation&vintage=2024-01-01&as_of={before.isoformat()}")
    assert both.status_code == 400 and "give one of them" in both.json["error"]
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    early = client.get(f"/api/v1/observations?country=MLI&indicator=inflation&as_of={yesterday}")
    assert early.status_code == 404
    assert early.json["error"].startswith(f"no inflation figures for MLI were known at {yesterday}: the store first "
                                          f"knew the series on {utcnow().date().isoformat()}")


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("indicator=inflation", 400, "country argument is required"),
        ("country=ZZZ&indicator=inflation", 400, "unknown country 'ZZZ'"),
        ("country=MLI", 400, "indicator argument is required"),
        ("country=MLI&indicator=gdp", 400, "unknown indicator 'gdp'"),
        ("country=MLI&indicator=inflation&as_of=2025-13-01", 400, "as_of must be a date"),
        ("country=MLI&country=BEN&indicator=inflation", 400, "country is given 2 times; give it once"),
        ("country=SEN&indicator=inflation", 404, "no inflation figures are stored for SEN"),
    ],
)
def test_observations_refuse_with_a_json_error(client, query, status, words):
    response = client.get(f"/api/v1/observations?{query}")
    assert response.status_code == status and response.mimetype == "application/json"
    assert words in response.json["error"]


def test_forecasts_give_the_latest_run(client):
    body = client.get("/api/v1/forecasts?country=MLI&indicator=inflation").json
    assert body["country"] == "MLI" and body["indicator"] == "inflation"
    assert body["run"]["model"] == "ets" and body["run"]["id"] == 1
    assert [(p["period"], p["mean"], p["p_breach"]) for p in body["points"]] == [(p[0], p[1], p[6]) for p in RUN_POINTS]
    assert body["norm"]["threshold"] == 3.0


def test_forecasts_name_the_figures_loaded_after_their_run(client, store):
    """A client that caches the projection learns, from the same answer, that the store has moved on."""
    for route in ("forecasts", "forecasts/evidence"):
        assert client.get(f"/api/v1/{route}?country=MLI&indicator=inflation").json["newer_data"] is None
    figure = pd.DataFrame([["MLI", "inflation", "2025", 2.4, "percent", "INSTAT", None, None]], columns=OBSERVATION_COLUMNS)
    write_batch(store, figure, pd.DataFrame(columns=["publisher", "published", "country", "indicator", "target_period",
                                                     "value", "reference", "note"]), source="INSTAT")
    for route in ("forecasts", "forecasts/evidence"):
        newer = client.get(f"/api/v1/{route}?country=MLI&indicator=inflation").json["newer_data"]
        assert newer["figures"] == 1 and newer["last"] >= (utcnow() - timedelta(minutes=5)).isoformat()


def test_forecasts_as_of_a_date_give_the_latest_run_made_by_then(client):
    later = client.get("/api/v1/forecasts?country=MLI&indicator=inflation&as_of=2999-01-01")
    assert later.status_code == 200 and later.json["run"]["id"] == 1
    before = client.get("/api/v1/forecasts?country=MLI&indicator=inflation&vintage=2001-01-01")
    assert before.status_code == 404 and "no forecast run made by 2001-01-01" in before.json["error"]
    evidence = client.get("/api/v1/forecasts/evidence?country=MLI&indicator=inflation&as_of=2001-01-01")
    assert evidence.status_code == 404


def test_forecasts_say_how_to_get_one_when_no_run_covers_the_series(client):
    response = client.get("/api/v1/forecasts?country=MLI&indicator=gold_production")
    assert response.status_code == 404
    assert "econ forecast --country MLI --indicator gold_production" in response.json["error"]


def test_norms_give_the_scorecard_as_records(client):
    body = client.get("/api/v1/norms?country=MLI").json
    assert body["country"] == "MLI"
    inflation = [r for r in body["scorecard"] if r["indicator"] == "inflation"]
    assert {r["kind"] for r in inflation} >= {"actual", "projection"}
    assert all(r["p_breach"] is None or 0 <= r["p_breach"] <= 1 for r in inflation)
    assert client.get("/api/v1/norms?country=ZZZ").status_code == 400


def test_json_has_no_nan(client):
    """NaN is not JSON: a strict parser must read every answer."""
    text = client.get("/api/v1/observations?country=MLI&indicator=gold_production").get_data(as_text=True)
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_the_evidence_route_says_why_and_how_well(client):
    response = client.get("/api/v1/forecasts/evidence?country=MLI&indicator=inflation")
    assert response.status_code == 200, response.get_data(as_text=True)
    payload = response.get_json()
    assert {"run", "lead", "skill", "candidates", "official", "weights", "explain", "calibration"} <= set(payload)
    assert all({"candidate", "versus_naive"} <= set(c) for c in payload["candidates"])
    assert client.get("/api/v1/forecasts/evidence?country=TGO&indicator=gold_production").status_code == 404
