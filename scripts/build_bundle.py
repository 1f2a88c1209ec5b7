"""Builds the bundled default dataset under ``data/`` from the reference files in ``../shared/data/``.

Run it when the reference files change: ``python scripts/build_bundle.py [SHARED_DATA_DIR]``.

- ``annual.csv`` rows become observations, dated (``published``) where their source names a
  release that can be dated exactly: the IMF WEO database of a given release (its launch day)
  and the World Bank Global Database of Inflation's April 2024 version (the month).
- ``weo_vintages.csv`` (the IMF WEO as known at each of 14 releases): ``status=actual`` rows become
  observations published on the release day (the IMF's real-time history), and so do its estimates
  of years already over at the release (2020 in April 2021: annual.csv files such IMF estimates as
  observations too, so ``--as-of 2021-05-01`` shows Mali's 2020 growth as that release had it).
  Every ``status=projection`` row (those estimates included) becomes an IMF official projection
  published that day, replacing the WEO rows of ``official_projections.csv``, none of which may be
  lost (asserted). IMF press statements and every other publisher's rows are kept as they are.
- Where an annual.csv row and a WEO release's row are the same figure (series, period, release and
  value), the annual.csv row is kept: its source, reference and note are the richer ones.

Every figure keeps its source, reference and note; nothing is interpolated or converted. The
monthly CPI files there are for validation only and are deliberately not bundled.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OBSERVATION_COLUMNS = ["country", "indicator", "period", "value", "unit", "source", "reference", "note", "published"]
OFFICIAL_COLUMNS = ["publisher", "published", "country", "indicator", "target_year", "value", "reference", "note"]
FIGURE = ["country", "indicator", "period", "published"]

# The WEO's units, as annual.csv writes them for the IMF's own series.
WEO_UNITS = {
    "gdp_growth": "percent, annual change of real GDP",
    "inflation": "percent, annual average CPI change",
    "inflation_eop": "percent, end-of-period CPI change (December on December)",
    "fiscal_balance": "percent of GDP (general government net lending/borrowing, incl. grants)",
    "public_debt": "percent of GDP (general government gross debt)",
}
# Sources in annual.csv that name a release with a known date, and that date.
DATED_SOURCES = {
    "World Bank Global Database of Inflation (Ha, Kose, Ohnsorge), April 2024 version, CC BY 4.0": "2024-04",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def weo_source(vintage: str) -> str:
    """``2021-04`` -> "IMF World Economic Outlook database, April 2021" (annual.csv's own spelling)."""
    return f"IMF World Economic Outlook database, {MONTHS[int(vintage[5:7]) - 1]} {vintage[:4]}"


def releases(weo: pd.DataFrame) -> dict[str, str]:
    """Each WEO release's source text -> its launch day (``published`` in weo_vintages.csv)."""
    days = weo[["vintage", "published"]].drop_duplicates()
    assert days["vintage"].is_unique, "a WEO vintage with two launch days"
    return {weo_source(v): p for v, p in zip(days["vintage"], days["published"])}


def last_actual_years(weo: pd.DataFrame) -> pd.DataFrame:
    """The last actual year of each series in each release (what the IMF marks as history)."""
    actual = weo[weo["status"] == "actual"]
    return actual.groupby(["vintage", "country", "indicator"], as_index=False)["period"].max().rename(
        columns={"period": "last_actual"}
    )


def dated_annual(annual: pd.DataFrame, days: dict[str, str]) -> pd.DataFrame:
    """annual.csv rows with ``published`` where their source names a dated release, empty otherwise."""
    dated = {**days, **DATED_SOURCES}
    return annual.assign(published=annual["source"].map(dated).fillna(""))


def known_then(weo: pd.DataFrame) -> pd.Series:
    """Rows that were a figure for a past year at their release: the IMF's actuals, and its estimates of
    years already over (a 2020 figure in April 2021) that annual.csv also files as observations."""
    past = weo["period"].astype(int) < weo["vintage"].str[:4].astype(int)
    return (weo["status"] == "actual") | ((weo["status"] == "projection") & past)


def weo_observations(weo: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """The WEO releases' view of the past as dated observations, less the rows annual.csv already has."""
    rows = weo[known_then(weo)].merge(last_actual_years(weo), on=["vintage", "country", "indicator"])
    kind = np.where(rows["status"] == "actual", "actual per WEO (last actual year ", "IMF estimate (after last actual year ")
    rows = rows.assign(
        unit=rows["indicator"].map(WEO_UNITS), source=rows["vintage"].map(weo_source),
        note=kind + rows["last_actual"] + ")",
    )
    assert rows["unit"].notna().all(), f"indicators without a WEO unit: {set(rows.loc[rows['unit'].isna(), 'indicator'])}"
    same = rows.merge(annual, on=FIGURE, how="left", suffixes=("", "_annual"))
    duplicate = same["value_annual"].notna() & (same["value"].astype(float) == pd.to_numeric(same["value_annual"]))
    clash = same["value_annual"].notna() & ~duplicate
    assert not clash.any(), f"annual.csv and a WEO release disagree:\n{same[clash][FIGURE].head()}"
    return rows[~duplicate.to_numpy()][OBSERVATION_COLUMNS]


def weo_projections(weo: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The WEO releases' projection rows as IMF official projections published on each launch day.

    The WEO rows of official_projections.csv lend their reference (it names the SDMX download);
    every one of them must be found here, same country, indicator, target, release and value.
    """
    ahead = weo[weo["status"] == "projection"].merge(last_actual_years(weo), on=["vintage", "country", "indicator"])
    year, target = ahead["vintage"].str[:4].astype(int), ahead["period"].astype(int)
    kind = np.select([target < year, target == year], ["WEO estimate", "WEO current-year projection"], "WEO projection")
    ahead = ahead.assign(
        publisher="IMF", target_year=ahead["period"],
        note=kind + "; last actual year in this vintage = " + ahead["last_actual"],
    )
    old = official_weo_rows(official).rename(columns={"published": "vintage", "reference": "old_reference"})
    keys = ["country", "indicator", "target_year", "vintage"]
    joined = ahead.merge(old[[*keys, "value", "old_reference"]], on=keys, how="left", suffixes=("", "_old"))
    lost = old.merge(ahead[[*keys, "value"]], on=keys, how="left", suffixes=("", "_weo"))
    kept = lost["value_weo"].notna() & (lost["value"].astype(float) == pd.to_numeric(lost["value_weo"]))
    assert kept.all(), f"WEO rows of official_projections.csv not found in weo_vintages.csv:\n{lost[~kept].head()}"
    joined["reference"] = joined["old_reference"].where(joined["old_reference"].notna(), joined["reference"])
    return joined[OFFICIAL_COLUMNS]


def official_weo_rows(official: pd.DataFrame) -> pd.DataFrame:
    """The rows of official_projections.csv that come from a WEO database release."""
    return official[(official["publisher"] == "IMF") & official["reference"].str.startswith("IMF World Economic Outlook")]


def build(shared: Path, out: Path) -> dict[str, int]:
    annual, official, weo = read(shared / "annual.csv"), read(shared / "official_projections.csv"), read(
        shared / "weo_vintages.csv"
    )
    annual = dated_annual(annual, releases(weo))
    observations = pd.concat([annual[OBSERVATION_COLUMNS], weo_observations(weo, annual)], ignore_index=True)
    others = official.drop(index=official_weo_rows(official).index)[OFFICIAL_COLUMNS]
    projections = pd.concat([others, weo_projections(weo, official)], ignore_index=True)
    observations = observations.sort_values(FIGURE, kind="stable")
    projections = projections.sort_values(["country", "indicator", "target_year", "publisher", "published"], kind="stable")
    assert not observations.duplicated(FIGURE).any(), "two figures for one period and publication"
    observations.to_csv(out / "observations.csv", index=False, lineterminator="\n")
    projections.to_csv(out / "official_projections.csv", index=False, lineterminator="\n")
    return {"observations": len(observations), "official_projections": len(projections)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=ROOT.parent / "shared" / "data",
                        help="the folder holding annual.csv, official_projections.csv and weo_vintages.csv")
    shared = parser.parse_args().shared
    missing = [name for name in ("annual.csv", "official_projections.csv", "weo_vintages.csv")
               if not (shared / name).is_file()]
    if missing:
        parser.error(f"{shared}: no {', '.join(missing)} there (the reference files the bundle is built from)")
    print(build(shared, ROOT / "data"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
