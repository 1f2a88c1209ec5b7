"""``econ export chart | data``, ``econ analyst`` and ``econ serve`` as a user meets them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import types
import urllib.request

import openpyxl
import pytest
from api.sample_store import fill
from typer.testing import CliRunner

from econ.auth import check_token
from econ.cli import app
from econ.store.db import make_engine

runner = CliRunner()


def econ(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def store():
    assert econ("init").exit_code == 0
    engine = make_engine()
    fill(engine)
    yield engine
    engine.dispose()


# --- econ export data -----------------------------------------------------------------------


def test_export_data_csv_reports_what_it_wrote(store, tmp_path):
    out = tmp_path / "mali.csv"
    result = econ("export", "data", "--format", "csv", "-o", out, "--country", "Mali", "--indicator", "inflation")
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: CSV (fr; ';' between fields, decimal comma), 11 rows from 1 series" in result.stdout
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Code pays;Pays;") and "9,7" in text


def test_export_data_xlsx_takes_the_format_from_the_file_name(store, tmp_path):
    out = tmp_path / "uemoa.xlsx"
    result = econ("export", "data", "-o", out, "--lang", "en", "-i", "inflation", "-i", "gold_production")
    assert result.exit_code == 0, result.output
    assert "XLSX (en; figures as shown, exact values and sources sheets), 16 rows from 2 series" in result.stdout
    assert openpyxl.load_workbook(out).sheetnames == ["Data", "Exact values", "Sources"]


def test_export_data_in_portuguese(store, tmp_path):
    out = tmp_path / "mali.csv"
    result = econ("export", "data", "-o", out, "--lang", "pt", "-c", "MLI", "-i", "inflation")
    assert result.exit_code == 0, result.output
    assert "CSV (pt; ';' between fields, decimal comma), 11 rows from 1 series" in result.stdout
    text = out.read_bytes().decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["Código do país", "País", "Código do indicador"] and "Valor (não arredondado)" in header
    assert "Inflação (média anual)" in text and "observado" in text


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["-o", "x.txt"], 2, "--format must be one of csv, xlsx"),
        (["-o", "x.csv", "-c", "Atlantis"], 2, "unknown country 'Atlantis'"),
        (["-o", "x.csv", "-i", "gdp"], 2, "unknown indicator 'gdp'"),
        (["-o", "x.csv", "--lang", "de"], 2, "--lang must be one of fr, en, pt"),
        (["-o", "x.csv", "-c", "SEN"], 1, "no stored figures match these filters; nothing written"),
    ],
)
def test_export_data_refusals_write_nothing(store, tmp_path, args, code, words):
    os.chdir(tmp_path)
    result = econ("export", "data", *args)
    assert result.exit_code == code and words in result.stderr
    assert not list(tmp_path.glob("x.*"))


def test_export_before_init_says_to_run_init(tmp_path):
    result = econ("export", "data", "-o", tmp_path / "x.csv")
    assert result.exit_code == 1 and "run `econ init` first" in result.stderr


# --- econ export chart ----------------------------------------------------------------------


def test_export_chart_refuses_an_unknown_series_or_format(store, tmp_path):
    missing = econ("export", "chart", "-c", "SEN", "-i", "inflation", "-o", tmp_path / "sen.png")
    assert missing.exit_code == 1 and "no inflation figures are stored for SEN" in missing.stderr
    wrong = econ("export", "chart", "-c", "MLI", "-i", "inflation", "-o", tmp_path / "mali.gif")
    assert wrong.exit_code == 2 and "--format must be one of png, svg, pdf" in wrong.stderr


@pytest.mark.parametrize("command", [["chart", "-c", "MLI", "-i", "inflation", "--format", "png"],
                                     ["data", "-c", "MLI", "-i", "inflation", "--format", "csv"]])
def test_export_to_a_missing_folder_is_one_plain_line(store, tmp_path, monkeypatch, command):
    """No traceback, no "unexpected FileNotFoundError", no chart rendered for nothing: the path and the problem."""
    from econ import export

    monkeypatch.setattr(export, "chart_bytes", lambda *a, **k: pytest.fail("rendered a chart it cannot write"))
    out = tmp_path / "nonexistent" / "dir" / "x.png"
    result = econ("export", *command, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: cannot write {out}: the folder {out.parent} does not exist; nothing written"
    assert not (tmp_path / "nonexistent").exists()


def test_export_over_a_folder_or_into_a_file_is_refused(store, tmp_path):
    (tmp_path / "plain.txt").write_text("x")
    into_file = econ("export", "data", "-c", "MLI", "-o", tmp_path / "plain.txt" / "x.csv")
    assert into_file.exit_code == 1 and f"{tmp_path / 'plain.txt'} is not a folder" in into_file.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_export_into_a_read_only_folder_is_refused(store, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        result = econ("export", "data", "-c", "MLI", "-o", locked / "x.csv")
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1 and "permission denied" in result.stderr and "unexpected" not in result.stderr
    assert not list(locked.iterdir())


def test_a_write_that_fails_late_is_one_plain_line(store, tmp_path, monkeypatch):
    from econ import export

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x.csv"))

    monkeypatch.setattr(export, "export_data", refuse)
    result = econ("export", "data", "-c", "MLI", "-o", tmp_path / "x.csv")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: cannot write {tmp_path / 'x.csv'}: Permission denied; nothing written"


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<svg"), ("pdf", b"%PDF")])
def test_export_chart_writes_the_file_and_says_so(store, tmp_path, fmt, magic):
    out = tmp_path / f"mali.{fmt}"
    result = econ("export", "chart", "--country", "MLI", "--indicator", "inflation", "--format", fmt, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: {fmt.upper()} chart of MLI inflation (en)" in result.stdout
    assert out.read_bytes().startswith(magic)


# --- econ analyst ---------------------------------------------------------------------------


def test_analyst_add_prints_a_working_token_once(store):
    result = econ("analyst", "add", "awa.traore", "--json")
    assert result.exit_code == 0, result.output
    token = json.loads(result.stdout)["token"]
    assert check_token(store, token) == "awa.traore"
    again = econ("analyst", "add", "awa.traore")
    assert again.exit_code == 1 and "--replace" in again.stderr
    rotated = econ("analyst", "add", "awa.traore", "--replace")
    assert rotated.exit_code == 0 and "has a new token" in rotated.stdout
    assert check_token(store, token) is None
    assert "awa.traore" in econ("analyst", "list").stdout


# --- econ serve -----------------------------------------------------------------------------


def test_serve_with_workers_runs_gunicorn(store, monkeypatch):
    from gunicorn.glogging import Logger
    from gunicorn.workers.gthread import ThreadWorker

    started = []
    monkeypatch.setattr("econ.cli.serve.run_gunicorn", started.append)
    result = econ("serve", "--workers", "3", "--port", "9001", "--host", "0.0.0.0")
    assert result.exit_code == 0 and "gunicorn, 3 workers" in result.stdout
    options = started[0]
    assert issubclass(options.pop("logger_class"), Logger)  # gunicorn's lines through econ's log handler
    assert issubclass(options.pop("worker_class"), ThreadWorker)  # gthread, its refusals in JSON
    assert started == [{"bind": "0.0.0.0:9001", "workers": 3, "threads": 4, "timeout": 120, "accesslog": None,
                        "control_socket_disable": True, "limit_request_line": 4094}]  # the app logs each request


def test_serve_runs_gunicorn_by_default_and_werkzeug_only_with_dev(store, monkeypatch):
    started, calls = [], []
    monkeypatch.setattr("econ.cli.serve.run_gunicorn", started.append)
    assert econ("serve").exit_code == 0 and started[0]["bind"] == "127.0.0.1:8050" and started[0]["workers"] == 2
    dash_app = types.SimpleNamespace(run=lambda **kw: calls.append(kw))
    fake = types.ModuleType("dashboard.app")
    fake.create_app = lambda engine=None, settings=None: dash_app
    monkeypatch.setitem(sys.modules, "dashboard.app", fake)
    result = econ("serve", "--dev")
    assert result.exit_code == 0 and "http://127.0.0.1:8050/" in result.stdout
    assert calls == [{"host": "127.0.0.1", "port": 8050, "debug": False}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_with_gunicorn_answers_the_api(store):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", "from econ.cli import main; main()", "serve", "--workers", "2", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/series", timeout=2) as response:
                    body = json.load(response)
                break
            except OSError:
                time.sleep(0.2)
        assert body and {s["indicator"] for s in body["series"]} == {"inflation", "gold_production"}
    finally:
        server.terminate()
        server.wait(10)
