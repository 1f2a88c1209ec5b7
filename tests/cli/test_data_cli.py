"""The data commands as a user meets them: init, ingest, series, observations (SQLite in a temp ECON_HOME)."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econ.cli import app
from econ.config import get_settings
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


def bundled_rows(name: str) -> int:
    with (Path(__file__).parents[2] / "data" / name).open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def test_ingest_default_loads_the_bundle_then_skips_it_while_unchanged(store):
    first = econ("ingest", "--default", "--json")
    assert first.exit_code == 0, first.output
    files = {f["file"]: f for f in json.loads(first.stdout)}
    observations = files["observations.csv"]["observations"]
    assert observations["added"] + observations["revised"] == bundled_rows("observations.csv")
    assert files["official_projections.csv"]["official_projections"]["added"] == bundled_rows("official_projections.csv")

    again = econ("ingest", "--default")
    assert again.exit_code == 0, again.output
    assert "a first load" not in again.stdout
    assert "observations.csv: bundled data already loaded, unchanged" in again.stdout
    assert "official_projections.csv: bundled data already loaded, unchanged" in again.stdout
    assert "added" not in again.stdout

    series = json.loads(econ("series", "--json").stdout)
    mali_gold = [s for s in series if (s["country"], s["indicator"]) == ("MLI", "gold_production")]
    assert mali_gold and mali_gold[0]["unit"] == "tonnes" and mali_gold[0]["frequency"] == "A"
    assert {s["country"] for s in series} >= {"BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"}
    assert {s["indicator"] for s in series if s["country"] == "MLI"} >= {"gdp_growth", "inflation", "inflation_eop"}


def test_as_of_reproduces_what_each_imf_release_said(store):
    """The bundle carries the IMF's real-time history: April 2021 had Mali's 2020 growth at -2.0 (-1.983)."""
    assert econ("ingest", "--default").exit_code == 0

    def as_of(indicator: str, moment: str) -> dict[str, float]:
        shown = json.loads(econ("observations", "-c", "MLI", "-i", indicator, "--as-of", moment, "--json").stdout)
        return {row["period"]: row["value"] for row in shown["data"]}

    assert as_of("gdp_growth", "2021-05-01")["2020"] == -1.983
    assert "2020" not in as_of("gdp_growth", "2021-04-05")
    assert as_of("gdp_growth", "2021-10-31")["2020"] == -1.591
    assert as_of("inflation", "2025-06-30")["2024"] == 3.221
    assert as_of("inflation", "2025-10-14")["2024"] == 3.176
    table = econ("observations", "-c", "MLI", "-i", "gdp_growth", "--as-of", "2021-05-01").stdout
    assert "-1.983" in table and "2021-04-06" in table


@pytest.fixture
def small_bundle(tmp_path, monkeypatch):
    """A bundle of two files in a folder of its own (ECON_BUNDLE_DIR), to change between runs."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    write(folder / "observations.csv", "country,indicator,period,value,source,published\n"
          "MLI,inflation,2024,3.176,\"IMF World Economic Outlook database, October 2025\",2025-10-14\n"
          "MLI,inflation,2023,2.059,\"IMF World Economic Outlook database, October 2025\",2025-10-14\n")
    write(folder / "official_projections.csv", "publisher,published,country,indicator,target_year,value\n"
          "IMF,2025-10-14,MLI,inflation,2026,2.5\n")
    monkeypatch.setenv("ECON_BUNDLE_DIR", str(folder))
    get_settings.cache_clear()
    return folder


def latest(country: str, indicator: str) -> dict[str, float]:
    shown = json.loads(econ("observations", "-c", country, "-i", indicator, "--json").stdout)
    return {row["period"]: row["value"] for row in shown["data"]}


def test_a_correction_survives_make_run_twice_and_a_changed_bundle(store, small_bundle, tmp_path):
    assert "observations.csv (csv): 2 added" in econ("ingest", "--default").stdout
    correction = write(tmp_path / "correction.csv", "country,indicator,period,value,source\n"
                       "MLI,inflation,2024,3.0,INSTAT (analyst correction)\n")
    assert "0 rows added, 1 revised, 0 unchanged" in econ("ingest", str(correction)).stdout
    for _ in range(2):  # `make run` twice: the bundle is skipped, the correction stands
        assert "bundled data already loaded, unchanged" in econ("ingest", "--default").stdout
    assert latest("MLI", "inflation")["2024"] == 3.0

    bundle = small_bundle / "observations.csv"
    bundle.write_text(bundle.read_text().replace("2.059", "2.1"))  # a new bundle revises 2023 only
    changed = econ("ingest", "--default").stdout
    assert "observations.csv (csv): 0 added, 1 revised, 1 unchanged" in changed
    assert "official_projections.csv: bundled data already loaded, unchanged" in changed
    assert latest("MLI", "inflation") == {"2023": 2.1, "2024": 3.0}


def test_a_metadata_only_correction_is_stored_and_the_old_figure_kept(store, tmp_path):
    first = write(tmp_path / "gold.csv", "country,indicator,period,value,unit,source,note\n"
                  "MLI,gold_production,2024,51.0,tonnes,Mines ministry,provisional\n")
    assert "1 rows added" in econ("ingest", str(first)).stdout
    note_fixed = write(tmp_path / "gold2.csv", "country,indicator,period,value,unit,source,note\n"
                       "MLI,gold_production,2024,51.0,tonnes,Mines ministry,final\n")
    assert "0 rows added, 1 revised, 0 unchanged" in econ("ingest", str(note_fixed)).stdout
    unit_fixed = write(tmp_path / "gold3.csv", "country,indicator,period,value,unit,source,note\n"
                       "MLI,gold_production,2024,51.0,tonnes (industrial + artisanal),Mines ministry,final\n")
    assert "0 rows added, 1 revised, 0 unchanged" in econ("ingest", str(unit_fixed)).stdout
    assert "0 rows added, 0 revised, 1 unchanged" in econ("ingest", str(unit_fixed)).stdout
    series = json.loads(econ("series", "--json").stdout)
    assert series[0]["unit"] == "tonnes (industrial + artisanal)"


def test_a_bad_published_date_changes_nothing_and_is_named(store, tmp_path):
    bad = write(tmp_path / "dated.csv", "country,indicator,period,value,published\nMLI,inflation,2023,2.1,2023-13\n")
    result = econ("ingest", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2: published: '2023-13' is not a publication date" in result.stderr
    assert json.loads(econ("series", "--json").stdout) == []


def test_a_first_load_says_its_revisions_are_the_files_own_later_releases(store, tmp_path):
    """The bundle's first load "revises" 15,000 figures: one WEO release after another, all in the
    files. Said so on a first load; a later revision of a stored figure keeps the general line."""
    releases = write(tmp_path / "weo.csv", "country,indicator,period,value,source,published\n"
                     "MLI,inflation,2023,2.1,IMF WEO,2024-04-16\nMLI,inflation,2023,2.3,IMF WEO,2024-10-22\n")
    first = econ("ingest", str(releases)).stdout
    assert "1 rows added, 1 revised, 0 unchanged" in first and "a first load" in first
    assert "each IMF WEO revises the one before" in first
    later = write(tmp_path / "later.csv", "country,indicator,period,value,source,published\n"
                  "MLI,inflation,2023,2.2,IMF WEO,2025-04-22\n")
    again = econ("ingest", str(later)).stdout
    assert "0 rows added, 1 revised, 0 unchanged" in again and "a first load" not in again
    assert "the earlier vintage is kept" in again


def test_messy_file_goes_in_and_a_revision_keeps_the_old_value(store, tmp_path):
    messy = write(
        tmp_path / "insd.csv",
        "pays;indicateur;2022;2023\nCôte d'Ivoire;inflation;5,2;4,4 %\nMali;inflation;9,7;2,1\n",
        encoding="cp1252",
    )
    result = econ("ingest", str(messy))
    assert result.exit_code == 0, result.output
    assert "4 rows added, 0 revised, 0 unchanged" in result.stdout and "vintage is kept" not in result.stdout
    before_revision = utcnow()

    revised = write(tmp_path / "revised.csv", "country,indicator,period,value\nMLI,inflation,2023,2.3\n")
    output = econ("ingest", str(revised)).stdout
    assert "0 rows added, 1 revised, 0 unchanged" in output and "the earlier vintage is kept" in output

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


def test_observations_table_shows_figures_with_and_without_a_source(store, tmp_path):
    """A series mixing rows with a source and rows without (empty cell, or a revision from a file
    with no source column) is shown, the missing source as an empty cell."""
    mixed = write(tmp_path / "ner.csv", "country,indicator,period,value,source\n"
                  "NER,cpi,2024-01,100,INS Niger\nNER,cpi,2024-02,100.4,\n")
    assert econ("ingest", str(mixed)).exit_code == 0
    table = econ("observations", "--country", "NER", "--indicator", "cpi")
    assert table.exit_code == 0, table.output
    assert "INS Niger" in table.stdout and "100.4" in table.stdout and "2 values" in table.stdout
    undated = write(tmp_path / "revision.csv", "country,indicator,period,value\nNER,cpi,2024-01,100.2\n")
    assert econ("ingest", str(undated)).exit_code == 0
    revised = econ("observations", "-c", "NER", "-i", "cpi")
    assert revised.exit_code == 0, revised.output
    assert "100.2" in revised.stdout and "INS Niger" not in revised.stdout
    early = econ("observations", "-c", "NER", "-i", "cpi", "--as-of", "2024-03-31")
    assert early.exit_code == 0 and "no cpi figures for NER were known at 2024-03-31" in early.stdout
    assert "loaded without a publication date is known from the day it was loaded" in early.stdout
    released = write(tmp_path / "released.csv", "country,indicator,period,value,published\n"
                     "BEN,cpi,2024-01,101.0,2024-02-20\n")
    assert econ("ingest", str(released)).exit_code == 0
    before = econ("observations", "-c", "BEN", "-i", "cpi", "--as-of", "2024-02-01")
    assert "the first release the store holds was published on 2024-02-20" in before.stdout
    assert "loaded without" not in before.stdout


def test_ingesting_a_non_csv_file_with_long_lines_prints_a_few_short_lines(store, tmp_path):
    paths = "".join(f'<path d="M{i},{i} L{i + 1},{i + 2}"/>' for i in range(1000))
    chart = write(tmp_path / "chart.svg", f'<svg xmlns="http://www.w3.org/2000/svg">{paths}</svg>\n' * 4)
    result = econ("ingest", str(chart))
    assert result.exit_code == 1 and "nothing was stored" in result.stderr
    assert len(result.stderr) < 2_000 and "columns found: <svg" in result.stderr and "…" in result.stderr
