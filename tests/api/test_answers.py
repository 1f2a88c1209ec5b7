"""The API's read answers: an ETag from what determines them, 304 on a current copy, repeated GETs
served from memory, and a new load or run seen at once."""

from __future__ import annotations

import pandas as pd
import pytest
from api.test_download_cache import new_run, new_vintage

from dashboard.answers import AnswerCache
from econ.store import repository

OBSERVATIONS = "/api/v1/observations?country=MLI&indicator=inflation"
FORECASTS = "/api/v1/forecasts?country=MLI&indicator=inflation"


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Counts the series reads behind /observations."""
    calls: list[str] = []
    real = repository.observations

    def counted(*args, **kwargs) -> pd.DataFrame:
        calls.append("read")
        return real(*args, **kwargs)

    monkeypatch.setattr(repository, "observations", counted)
    return calls


def test_a_repeated_get_is_served_from_memory_with_the_same_etag(client, reads):
    first, second = client.get(OBSERVATIONS), client.get(OBSERVATIONS)
    assert first.status_code == second.status_code == 200 and first.json == second.json
    assert first.headers["ETag"] == second.headers["ETag"] and len(reads) == 1
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate" and first.headers["Last-Modified"]
    assert first.mimetype == "application/json"


def test_a_current_copy_gets_304(client):
    first = client.get(OBSERVATIONS)
    again = client.get(OBSERVATIONS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get(OBSERVATIONS, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    assert client.get(OBSERVATIONS, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_a_new_vintage_changes_the_answer_and_its_etag(client, store):
    before = client.get(OBSERVATIONS)
    new_vintage(store, 4.4)
    after = client.get(OBSERVATIONS, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert {"period": "2024", "value": 4.4} in [{k: r[k] for k in ("period", "value")} for r in after.json["data"]]


def test_a_new_run_changes_the_forecasts_and_their_etag(client, store):
    before = client.get(FORECASTS)
    run_id = new_run(store)
    after = client.get(FORECASTS, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.json["run"]["id"] == run_id != before.json["run"]["id"]
    assert client.get(FORECASTS, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("query", ["&as_of=2099-01-01", "&as_of=2098-12-31T12:00:00Z"])
def test_the_query_is_part_of_the_key(client, reads, query):
    base = client.get(OBSERVATIONS)
    other = client.get(OBSERVATIONS + query)
    assert other.headers["ETag"] != base.headers["ETag"] and len(reads) == 2


def test_evidence_is_cached_too(client):
    first = client.get(FORECASTS.replace("forecasts?", "forecasts/evidence?"))
    assert first.status_code == 200
    assert client.get(FORECASTS.replace("forecasts?", "forecasts/evidence?"),
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_refusals_are_not_cached(client, reads):
    for _ in range(2):
        assert client.get(OBSERVATIONS.replace("MLI", "SEN")).status_code == 404
    assert len(reads) == 2


def test_with_no_entries_every_get_is_built_but_etags_still_work(client, reads, monkeypatch):
    from econ.config import get_settings

    monkeypatch.setenv("ECON_API_CACHE_ENTRIES", "0")
    get_settings.cache_clear()
    first = client.get(OBSERVATIONS)
    assert client.get(OBSERVATIONS, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(reads) == 2


def test_the_answer_cache_keeps_the_most_recently_used():
    cache = AnswerCache(2)
    cache.put("a", "1")
    cache.put("b", "2")
    assert cache.get("a") == "1"
    cache.put("c", "3")
    assert cache.get("b") is None and cache.get("a") == "1" and cache.get("c") == "3"
