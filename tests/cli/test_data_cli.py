"""The data commands as a user meets them: init, ingest, series, observations (SQLite in a temp ECON_HOME)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from econ.cli import app
from econ.store.repository import utcnow

runner = CliRunner()


def econ(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def store():
    assert econ("init").exit_code == 0


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_commands_before_init_say_to_run_init():
    result = econ("series")
    assert result.exit_code == 1
    assert "run `econ init` first" in result.stderr


def test_init_creates_then_reports_up_to_date():
    assert "created" in econ("init").stdout
    assert "up to date" in econ("init").stdout


def test_ingest_default_loads_the_bundle_and_a_second_load_changes_nothing(store):
    first = econ("ingest", "--default", "--json")
    assert first.exit_code == 0, first.output
    summary = {f["kind"]: f for f in json.loads(first.stdout)}
    observations = [f for f in json.loads(first.stdout) if f["observations"]["added"]][0]
    assert observations["observations"]["added"] == 1050
    assert sum(f["official_projections"]["added"] for f in summary.values()) == 2971
    again = json.loads(econ("ingest", "--default", "--json").stdout)
    assert sum(f["observations"]["added"] + f["official_projections"]["added"] for f in again) == 0
    assert sum(f["observations"]["unchanged"] for f in again) == 1050

    series = json.loads(econ("series", "--json").stdout)
    mali_gold = [s for s in series if (s["country"], s["indicator"]) == ("MLI", "gold_production")]
    assert mali_gold and mali_gold[0]["unit"] == "tonnes" and mali_gold[0]["frequency"] == "A"
    assert {s["country"] for s in series} == {"BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"}


def test_messy_file_goes_in_and_a_revision_keeps_the_old_value(store, tmp_path):
    messy = write(
        tmp_path / "insd.csv",
        "pays;indicateur;2022;2023\nCôte d'Ivoire;inflation;5,2;4,4 %\nMali;inflation;9,7;2,1\n",
        encoding="cp1252",
    )
    result = econ("ingest", str(messy))
    assert result.exit_code == 0, result.output
    assert "4 rows added, 0 revised, 0 unchanged" in result.stdout
    before_revision = utcnow()

    revised = write(tmp_path / "revised.csv", "country,indicator,period,value\nMLI,inflation,2023,2.3\n")
    assert "0 rows added, 1 revised, 0 unchanged" in econ("ingest", str(revised)).stdout

    now = json.loads(econ("observations", "--country", "MLI", "--indicator", "inflation", "--json").stdout)
    assert now == {"country": "MLI", "indicator": "inflation", "as_of": None,
                   "data": [{"period": "2022", "value": 9.7}, {"period": "2023", "value": 2.3}]}
    then = json.loads(
        econ("observations", "-c", "Mali", "-i", "inflation", "--as-of", before_revision.isoformat(), "--json").stdout
    )
    assert then["data"][1] == {"period": "2023", "value": 2.1}
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    empty = json.loads(econ("observations", "-c", "CIV", "-i", "inflation", "--as-of", yesterday, "--json").stdout)
    assert empty["data"] == []


def test_a_bad_file_among_good_ones_changes_nothing_and_names_line_and_column(store, tmp_path):
    good = write(tmp_path / "good.csv", "country,indicator,period,value\nMLI,inflation,2023,2.1\n")
    bad = write(tmp_path / "bad.csv", "country,indicator,period,value\nMLI,inflation,2023,abc\nXXX,inflation,2022,1\n")
    result = econ("ingest", str(good), str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2: value:" in result.stderr
    assert f"{bad}:3: country:" in result.stderr
    assert "nothing was stored" in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(econ("series", "--json").stdout) == []


def test_ingest_without_paths_explains_itself(store):
    result = econ("ingest")
    assert result.exit_code == 2
    assert "--default" in result.stderr


def test_observations_rejects_unknown_names_clearly(store):
    assert "unknown country" in econ("observations", "-c", "Atlantis", "-i", "inflation").stderr
    assert "unknown indicator" in econ("observations", "-c", "MLI", "-i", "happiness").stderr
    assert "neither a date" in econ("observations", "-c", "MLI", "-i", "inflation", "--as-of", "hier").stderr
