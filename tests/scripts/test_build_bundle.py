"""scripts/build_bundle.py on small reference files made here: dates, the WEO's real-time history, nothing lost."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "build_bundle.py"
spec = importlib.util.spec_from_file_location("build_bundle", SCRIPT)
build_bundle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_bundle)

IMF = "IMF World Economic Outlook database, October 2025"
WB = "World Bank Global Database of Inflation (Ha, Kose, Ohnsorge), April 2024 version, CC BY 4.0"
ANNUAL = f"""country,indicator,period,value,unit,source,reference,note
MLI,gdp_growth,2024,4.7,"percent, annual change of real GDP","{IMF}",weo-2510,actual per WEO (last actual year 2024); rich note
MLI,inflation,2023,2.1,"percent, annual average CPI change","{WB}",gid,annual average
MLI,gold_production,2024,51.0,tonnes,Mali Ministry of Mines figures as reported in the press (mostly Reuters),reuters,
"""
WEO = """country,indicator,period,value,vintage,published,status,reference
MLI,gdp_growth,2020,-1.983,2021-04,2021-04-06,projection,weo-2104
MLI,gdp_growth,2019,4.765,2021-04,2021-04-06,actual,weo-2104
MLI,gdp_growth,2021,4.0,2021-04,2021-04-06,projection,weo-2104
MLI,gdp_growth,2024,4.7,2025-10,2025-10-14,actual,weo-2510
MLI,gdp_growth,2026,5.5,2025-10,2025-10-14,projection,weo-2510
MLI,inflation_eop,2019,-3.1,2021-04,2021-04-06,actual,weo-2104
MLI,inflation_eop,2021,2.0,2021-04,2021-04-06,projection,weo-2104
"""
OFFICIAL = """publisher,published,country,indicator,target_year,value,reference,note
IMF,2021-04,MLI,gdp_growth,2021,4.0,IMF World Economic Outlook 2021-04 vintage (SDMX),WEO current-year projection; last actual year in this vintage = 2019
IMF,2025-10,MLI,gdp_growth,2026,5.5,IMF World Economic Outlook 2025-10 vintage (SDMX),WEO projection; last actual year in this vintage = 2024
IMF,2025-11-26,MLI,gdp_growth,2026,5.5,https://imf.org/press,mission statement
Government of Mali,2025-11,MLI,gdp_growth,2026,6.3,https://budget,
"""


def shared(tmp_path: Path, annual=ANNUAL, weo=WEO, official=OFFICIAL) -> tuple[Path, Path]:
    folder, out = tmp_path / "shared", tmp_path / "data"
    folder.mkdir()
    out.mkdir()
    for name, text in (("annual.csv", annual), ("weo_vintages.csv", weo), ("official_projections.csv", official)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder, out


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_bundle_dates_figures_and_carries_the_weo_history(tmp_path):
    folder, out = shared(tmp_path)
    assert build_bundle.build(folder, out) == {"observations": 6, "official_projections": 6}
    obs = read(out / "observations.csv").set_index(["indicator", "period", "published"])
    assert obs.loc[("gdp_growth", "2024", "2025-10-14"), "note"].endswith("rich note")  # annual.csv's row kept
    assert obs.loc[("inflation", "2023", "2024-04"), "source"] == WB
    assert obs.loc[("gold_production", "2024", ""), "value"] == "51.0"
    estimate = obs.loc[("gdp_growth", "2020", "2021-04-06")]
    assert (estimate["value"], estimate["source"], estimate["reference"]) == (
        "-1.983", "IMF World Economic Outlook database, April 2021", "weo-2104")
    assert estimate["note"] == "IMF estimate (after last actual year 2019)"
    assert obs.loc[("inflation_eop", "2019", "2021-04-06"), "unit"].startswith("percent, end-of-period")
    assert ("gdp_growth", "2021", "2021-04-06") not in obs.index  # the current year stays a projection


def test_weo_projections_replace_the_official_weo_rows_and_keep_their_reference(tmp_path):
    folder, out = shared(tmp_path)
    build_bundle.build(folder, out)
    official = read(out / "official_projections.csv")
    imf = official[official["publisher"] == "IMF"].set_index(["indicator", "target_year", "published"])
    assert imf.loc[("gdp_growth", "2026", "2025-10-14"), "reference"] == "IMF World Economic Outlook 2025-10 vintage (SDMX)"
    assert imf.loc[("gdp_growth", "2026", "2025-11-26"), "note"] == "mission statement"
    assert imf.loc[("gdp_growth", "2020", "2021-04-06"), "note"] == "WEO estimate; last actual year in this vintage = 2019"
    assert imf.loc[("inflation_eop", "2021", "2021-04-06"), "reference"] == "weo-2104"
    assert "2025-10" not in set(official["published"])
    assert (official["publisher"] == "Government of Mali").sum() == 1


def test_a_weo_row_missing_from_the_vintages_stops_the_build(tmp_path):
    folder, out = shared(tmp_path, weo=WEO.replace("MLI,gdp_growth,2026,5.5", "MLI,gdp_growth,2026,5.4"))
    with pytest.raises(AssertionError, match="not found in weo_vintages"):
        build_bundle.build(folder, out)


def test_annual_and_weo_disagreeing_on_one_release_stops_the_build(tmp_path):
    folder, out = shared(tmp_path, weo=WEO.replace("MLI,gdp_growth,2024,4.7", "MLI,gdp_growth,2024,4.6"))
    with pytest.raises(AssertionError, match="disagree"):
        build_bundle.build(folder, out)


def test_the_bundled_files_load_as_they_are(tmp_path):
    """The committed bundle passes the loaders (so `econ ingest --default` works on a fresh checkout)."""
    from datetime import date

    from econ.sources import read_path

    data = Path(__file__).parents[2] / "data"
    batch = read_path(data / "observations.csv", today=date(2026, 11, 30))
    assert batch.observations["published"].notna().mean() > 0.9
    official = read_path(data / "official_projections.csv", today=date(2026, 11, 30)).official
    assert {"IMF", "Government of Mali", "BCEAO"} <= set(official["publisher"])


def test_a_folder_without_the_reference_files_is_named_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    (tmp_path / "annual.csv").write_text("country,indicator,period,value\n")
    monkeypatch.setattr("sys.argv", ["build_bundle.py", str(tmp_path)])
    monkeypatch.setattr(build_bundle, "build", lambda *a: pytest.fail("built from an incomplete folder"))
    with pytest.raises(SystemExit) as stop:
        build_bundle.main()
    assert stop.value.code == 2
    message = capsys.readouterr().err
    assert str(tmp_path) in message and "official_projections.csv, weo_vintages.csv" in message
    assert "annual.csv" not in message.split("no ", 1)[1]
