"""Structured logs: one JSON line a request (the analyst named on writes, never the token), one a job's
start and end, and ECON_LOG_LEVEL / ECON_LOG_FILE / ECON_LOG_FORMAT doing what they say."""

from __future__ import annotations

import io
import json
import logging

import pytest
from typer.testing import CliRunner

from econ import logs
from econ.auth import add_analyst
from econ.cli import app as cli
from econ.config import get_settings

CSV = b"country,indicator,period,value,source\nMLI,gdp_growth,2023,3.5,INSTAT\nMLI,gdp_growth,2024,4.7,INSTAT\n"


@pytest.fixture
def lines(monkeypatch):
    """Configures the logs on a string stream; ``lines(logger)`` reads back that logger's JSON objects."""
    stream = io.StringIO()

    def start(**env):
        for name, value in env.items():
            monkeypatch.setenv(f"ECON_{name.upper()}", value)
        get_settings.cache_clear()
        logs.configure(get_settings(), stream=stream)

    def read(logger: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [p for p in parsed if logger is None or p["logger"] == logger]

    read.start, read.stream = start, stream
    return read


def test_a_request_is_one_json_line_with_its_fields(client, lines):
    lines.start()
    response = client.get("/api/v1/series?country=MLI")
    [line] = lines("econ.http")
    assert line["method"] == "GET" and line["path"] == "/api/v1/series" and line["status"] == response.status_code == 200
    assert line["bytes"] == len(response.data) and line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert line["time"].endswith("Z") and "user" not in line and "country=MLI" not in json.dumps(line)


def test_a_refused_request_is_logged_with_its_status(client, lines):
    lines.start()
    client.get("/api/v1/nowhere")
    assert [(line["path"], line["status"]) for line in lines("econ.http")] == [("/api/v1/nowhere", 404)]


def test_an_api_write_names_the_analyst_and_never_the_token(client, store, lines):
    token = add_analyst(store, "awa.traore")
    lines.start()
    response = client.post("/api/v1/ingest", data={"files": [(io.BytesIO(CSV), "mali.csv")]},
                           headers={"Authorization": f"Bearer {token}"}, content_type="multipart/form-data")
    assert response.status_code == 200
    [request] = lines("econ.http")
    assert request["method"] == "POST" and request["user"] == "awa.traore" and request["status"] == 200
    start, end = lines(logs.JOBS)
    assert start["event"] == "start" and end["event"] == "end" and end["job"] == "ingest"
    assert end["user"] == "awa.traore" and end["rows"] == 2 and end["files"] == ["mali.csv"] and end["duration_ms"] >= 0
    assert token not in lines.stream.getvalue()


def test_a_dashboard_write_names_the_signed_in_analyst(client, call, monkeypatch, lines):
    from dashboard import ids

    monkeypatch.setenv("ECON_API_TOKEN", "s3cret-token")
    lines.start()
    call(client, "sign_in", 1, None, "s3cret-token", "fr")
    assert call(client, "issue_ticket", 1, "all", "fr").status_code == 200
    signin, ticket = lines("econ.http")
    assert signin["user"] == ticket["user"] == "admin" and ticket["path"] == "/_dash-update-component"
    assert "s3cret-token" not in lines.stream.getvalue() and ids.TOKEN


def test_the_log_level_setting_filters_lines(client, lines):
    lines.start(log_level="warning")
    client.get("/api/v1/series")
    logging.getLogger("econ.test").warning("kept")
    assert [line["message"] for line in lines()] == ["kept"]


def test_log_file_and_text_format(tmp_path, client, monkeypatch):
    path = tmp_path / "logs" / "econ.log"
    monkeypatch.setenv("ECON_LOG_FILE", str(path))
    monkeypatch.setenv("ECON_LOG_FORMAT", "text")
    get_settings.cache_clear()
    logs.configure()
    client.get("/healthz")
    logs.configure()  # configuring again replaces the handler (and closes the file), never stacks
    [line] = [t for t in path.read_text().splitlines() if "econ.http" in t]
    assert " INFO econ.http: GET /healthz 200 method=GET path=/healthz status=200 " in line


def test_a_failed_job_is_logged_then_raised(lines):
    lines.start()
    with pytest.raises(ZeroDivisionError), logs.job("forecast run", user="awa.traore") as logged:
        logged["run_id"] = 1 / 0
    start, failed = lines(logs.JOBS)
    assert failed["event"] == "failed" and failed["level"] == "WARNING" and failed["error"].startswith("ZeroDivisionError")


def test_commands_log_their_jobs_only_when_asked(tmp_path, monkeypatch):
    csv = tmp_path / "mali.csv"
    csv.write_bytes(CSV)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    quiet = runner.invoke(cli, ["ingest", str(csv)])
    assert quiet.exit_code == 0 and "econ.jobs" not in quiet.stderr  # the progress bar only
    path = tmp_path / "econ.log"
    monkeypatch.setenv("ECON_LOG_FILE", str(path))
    get_settings.cache_clear()
    assert runner.invoke(cli, ["ingest", str(csv)]).exit_code == 0
    logging.getLogger().handlers[-1].flush()
    end = [json.loads(t) for t in path.read_text().splitlines() if '"event": "end"' in t]
    assert [(e["job"], e["rows"], e["unchanged"], e["files"]) for e in end] == [("ingest", 2, 2, ["mali.csv"])]
