"""The read layer: cached, and fresh again as soon as an ingest or a run lands."""

from __future__ import annotations

import pandas as pd
import pytest
import storefixture

from dashboard.data import ReadLayer, Stamp, vintage_key
from econ.store.repository import utcnow, write_batch


@pytest.fixture
def read(store):
    return ReadLayer(store, stamp_seconds=0)  # ask the store every time: these tests write between reads


def test_repeated_reads_come_from_the_cache(read):
    first = read.figure("MLI", "inflation", None, "fr")
    again = read.figure("MLI", "inflation", "", "fr")  # "" (the picker's "latest") is the same key as None
    assert again is first
    assert read.cache_info()["figure"].hits == 1
    assert read.view("MLI", "inflation") is read.view("MLI", "inflation")


def test_figures_are_plain_json(read):
    figure = read.figure("MLI", "inflation", None, "en")
    assert isinstance(figure, dict) and isinstance(figure["data"][0]["x"], list)
    assert figure["layout"]["separators"] == ".,"


def test_an_ingest_invalidates(read, store):
    before = read.stamp()
    assert read.view("MLI", "inflation").latest()[1] == pytest.approx(3.2)
    write_batch(store, storefixture.observations([("MLI", "inflation", "2024", 4.1)]), storefixture.official([]),
                source="test")
    assert read.stamp().ingest == before.ingest + 1
    assert read.view("MLI", "inflation").latest()[1] == pytest.approx(4.1)
    table = read.table("MLI", "inflation")
    assert 4.1 in set(table["Valeur"])


def test_a_new_run_invalidates(bare_store):
    read = ReadLayer(bare_store, stamp_seconds=0)
    assert read.view("MLI", "inflation").projection.empty
    run = storefixture.add_run(bare_store)
    assert read.stamp() == Stamp(read.stamp().ingest, run)
    assert len(read.view("MLI", "inflation").projection) == 3


def test_a_past_vintage_is_its_own_entry(read):
    today = utcnow().date().isoformat()
    assert today in read.vintages()
    assert vintage_key(today) == today and vintage_key("") is None and vintage_key(None) is None
    past = read.view("MLI", "inflation", "2000-01-01")
    assert past.history.empty and past is not read.view("MLI", "inflation")


def test_countries_list_waemu_first(read):
    countries = read.countries()
    assert countries[:8] == ["BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"]
    assert read.indicators("MLI") == ["gdp_growth", "inflation", "gold_production"]


def test_observations_filter(read):
    frame = read.observations("SEN", "gdp_growth")
    assert set(frame["country"]) == {"SEN"} and len(frame) == 10


def test_scorecard_when_present(read):
    frame = read.scorecard()
    assert isinstance(frame, pd.DataFrame) and {"country", "norm_code", "kind", "compliant"} <= set(frame)
    assert set(read.scorecard("MLI")["country"]) <= {"MLI"}


def test_the_stamp_is_asked_at_most_once_a_second(store):
    read = ReadLayer(store, stamp_seconds=60)
    first = read.stamp()
    storefixture.add_run(store)
    assert read.stamp() == first  # within the window: no query
    read._last_stamp = (0.0, first)  # the window has passed
    assert read.stamp().run == first.run + 1


def test_scenario_baseline_comes_from_the_runs_stored_state(bare_store):
    from econ.store.repository import data_vintage, observations
    from econ.store.runs import RunRecord, save_run

    read = ReadLayer(bare_store, stamp_seconds=0)
    assert read.scenario_baseline("MLI") is None  # no run yet
    growth = storefixture.synthetic_forecast(observations(bare_store, "MLI", "gdp_growth"), "MLI", "gdp_growth")
    growth.state = {"growth_gold": {"params": []}, "gold_indicator": "gold_production_industrial",
                    "baseline_gold": {"2025": 61.234, "2026": 50.96}, "known_gold": {"2023": 60.0, "2024": 51.0},
                    "years": ["2025", "2026"]}
    save_run(bare_store, RunRecord({}, 1, "test", data_vintage(bare_store), None, [growth]))
    assert read.scenario_baseline("MLI") == ("gold_production_industrial", {"2025": 61.2, "2026": 51.0})


def test_warming_fills_the_cache_for_the_common_views(read):
    assert read.warm(langs=("fr",)) == 5  # Mali: growth, inflation, gold; Senegal: growth, inflation
    before = read.cache_info()["figure"].hits
    read.figure("MLI", "inflation", None, "fr")
    assert read.cache_info()["figure"].hits == before + 1
