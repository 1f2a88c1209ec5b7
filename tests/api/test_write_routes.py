"""The write routes: refused without a valid token, and doing what they say with one."""

from __future__ import annotations

import io
import threading
import time

import pytest

from econ.auth import add_analyst
from econ.config import get_settings
from econ.store.repository import series

GOOD_CSV = b"country,indicator,period,value,source\nMLI,gdp_growth,2023,3.5,INSTAT\nMLI,gdp_growth,2024,4.7,INSTAT\n"
BAD_CSV = b"country,indicator,period,value\nMLI,gdp_growth,2023,3.5\nMLI,gdp_growth,2024,beaucoup\n"


@pytest.fixture
def token(store) -> str:
    return add_analyst(store, "awa.traore")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def upload(client, headers=None, **files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files.items()]}
    return client.post("/api/v1/ingest", data=data, headers=headers or {}, content_type="multipart/form-data")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YTpi"}])
@pytest.mark.parametrize("path", ["/api/v1/ingest", "/api/v1/forecasts/run"])
def test_write_routes_refuse_without_a_valid_token(client, token, path, headers):
    response = client.post(path, headers=headers)
    assert response.status_code == 401 and response.mimetype == "application/json"
    assert "Bearer" in response.json["error"] and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_ingest_with_a_token_stores_the_file_and_reports_rows(client, store, token):
    response = upload(client, bearer(token), **{"croissance.csv": GOOD_CSV})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["analyst"] == "awa.traore"
    [report] = body["files"]
    assert report["file"] == "croissance.csv" and report["countries"] == ["MLI"]
    assert report["observations"] == {"added": 2, "revised": 0, "unchanged": 0}
    again = upload(client, bearer(token), **{"croissance.csv": GOOD_CSV}).json["files"][0]
    assert again["observations"] == {"added": 0, "revised": 0, "unchanged": 2}
    assert ("MLI", "gdp_growth") in set(zip(series(store)["country"], series(store)["indicator"]))


def test_ingest_refuses_a_bad_file_with_its_problems_and_stores_nothing(client, store, token):
    before = len(series(store))
    response = upload(client, bearer(token), **{"croissance.csv": GOOD_CSV, "mauvais.csv": BAD_CSV})
    assert response.status_code == 422
    problems = response.json["problems"]
    assert problems and all(p.startswith("mauvais.csv:3") for p in problems), problems
    assert "nothing was stored" in response.json["error"]
    assert len(series(store)) == before


def test_ingest_without_files_is_a_400(client, token):
    response = client.post("/api/v1/ingest", headers=bearer(token), data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "no file uploaded" in response.json["error"]


def test_an_upload_over_the_limit_is_a_413(client, token, monkeypatch):
    monkeypatch.setenv("ECON_MAX_UPLOAD_MB", "0.0001")
    get_settings.cache_clear()
    response = upload(client, bearer(token), **{"croissance.csv": GOOD_CSV * 3})
    assert response.status_code == 413 and "uploads are limited to" in response.json["error"]


def test_the_configured_api_token_is_accepted_as_admin(client, monkeypatch):
    monkeypatch.setenv("ECON_API_TOKEN", "s3cret-admin-token")
    get_settings.cache_clear()
    response = upload(client, bearer("s3cret-admin-token"), **{"croissance.csv": GOOD_CSV})
    assert response.status_code == 200 and response.json["analyst"] == "admin"


# --- forecast runs --------------------------------------------------------------------------


@pytest.fixture
def fake_run(monkeypatch):
    """Stands in for econ.forecast.run_forecasts: records its arguments, waits for ``release``."""
    calls, release = [], threading.Event()

    def run_forecasts(engine, countries=None, indicators=None, horizon=3, as_of=None, progress=None):
        calls.append({"countries": countries, "indicators": indicators, "horizon": horizon, "as_of": as_of})
        release.wait(5)
        if indicators == ["gold_production"]:
            raise RuntimeError("the gold model failed")
        return 42

    import econ.forecast as module

    monkeypatch.setattr(module, "run_forecasts", run_forecasts)
    yield calls, release
    release.set()


def wait_for(client, url: str) -> dict:
    for _ in range(200):
        job = client.get(url).json
        if job["status"] != "running":
            return job
        time.sleep(0.02)
    pytest.fail(f"job still running: {job}")


def test_a_run_starts_in_the_background_and_its_job_reports_the_run_id(client, token, fake_run):
    calls, release = fake_run
    body = {"countries": ["Mali"], "indicators": ["inflation"], "horizon": 2, "as_of": "2025-06-30"}
    response = client.post("/api/v1/forecasts/run", json=body, headers=bearer(token))
    assert response.status_code == 202, response.json
    job = response.json
    assert job["status"] == "running" and job["requested_by"] == "awa.traore"
    assert response.headers["Location"] == job["status_url"] == f"/api/v1/forecasts/run/{job['job']}"
    busy = client.post("/api/v1/forecasts/run", json={}, headers=bearer(token))
    assert busy.status_code == 409 and busy.json["job"] == job["job"]
    release.set()
    done = wait_for(client, job["status_url"])
    assert done["status"] == "done" and done["run_id"] == 42
    assert calls[0]["countries"] == ["MLI"] and calls[0]["horizon"] == 2
    assert calls[0]["as_of"].isoformat().startswith("2025-06-30T23:59:59")


def test_a_failed_run_says_why(client, token, fake_run):
    fake_run[1].set()
    job = client.post("/api/v1/forecasts/run", json={"indicators": ["gold_production"]}, headers=bearer(token)).json
    failed = wait_for(client, job["status_url"])
    assert failed["status"] == "failed" and "the gold model failed" in failed["error"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"horizon": 0}, "horizon must be"),
        ({"horizon": "3"}, "horizon must be"),
        ({"countries": ["ZZZ"]}, "unknown countries: ZZZ"),
        ({"indicators": ["gdp"]}, "unknown indicators: gdp"),
        ({"colour": "red"}, "unknown fields ['colour']"),
        ({"as_of": "yesterday"}, "as_of must be a date"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_a_bad_run_request_is_refused_before_anything_starts(client, token, fake_run, body, words):
    response = client.post("/api/v1/forecasts/run", json=body, headers=bearer(token))
    assert response.status_code == 400 and words in response.json["error"]
    assert fake_run[0] == []


@pytest.mark.parametrize(("body", "status", "words"), [({"as_of": "2999-01-01"}, 422, "is in the future"),
                                                    ({"as_of": "2010-01-01"}, 422, "none of the projectable series "
                                                     "asked for was known yet: the first figure stored (2018)"),
                                                    ({"countries": ["NER"]}, 404, "no projectable series stored for NER")])
def test_a_run_that_cannot_be_made_is_refused_as_the_cli_refuses_it(client, token, fake_run, body, status, words):
    response = client.post("/api/v1/forecasts/run", json=body, headers=bearer(token))
    assert response.status_code == status and words in response.json["error"]
    assert fake_run[0] == []


def test_an_unknown_job_is_a_404(client):
    response = client.get("/api/v1/forecasts/run/nope")
    assert response.status_code == 404 and "no job" in response.json["error"]
