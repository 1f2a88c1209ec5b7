"""Publication dates are vintages, corrections stay, metadata corrections are revisions (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from econ.store import repository as repo
from econ.store.tables import Observation, Series

END = (23, 59, 59, 999999)


def rows(*items, source="IMF World Economic Outlook database, April 2021", published=None, **meta) -> pd.DataFrame:
    """Observation rows ``(country, indicator, period, value)`` with one source, publication date and metadata."""
    out = pd.DataFrame(items, columns=["country", "indicator", "period", "value"]).astype({"value": "float64"})
    out["unit"] = meta.get("unit")
    out["source"] = source
    out["reference"] = meta.get("reference")
    out["note"] = meta.get("note")
    if published is not None:
        out["published"] = published
    return out


NO_OFFICIAL = pd.DataFrame(columns=["publisher", "published", "country", "indicator", "target_period", "value",
                                    "reference", "note"]).astype({"value": "float64"})


def load(engine, frame, official=NO_OFFICIAL, **kwargs):
    return repo.write_batch(engine, frame, official, source="test", **kwargs)


def value_as_of(engine, period: str, as_of=None, indicator="gdp_growth") -> float | None:
    frame = repo.observations(engine, "MLI", indicator, as_of=as_of)
    hit = frame[frame["period"] == period]["value"].tolist()
    return hit[0] if hit else None


WEO_2021_04 = rows(("MLI", "gdp_growth", "2019", 4.765), ("MLI", "gdp_growth", "2020", -1.983), published="2021-04-06")
WEO_2021_10 = rows(
    ("MLI", "gdp_growth", "2019", 4.765), ("MLI", "gdp_growth", "2020", -1.591),
    source="IMF World Economic Outlook database, October 2021", published="2021-10-12",
)


def test_a_publication_date_is_the_vintage_and_as_of_reproduces_each_release(engine):
    """Loaded years later, each release is seen as of its own day; loaded_at keeps when the store learnt it."""
    load(engine, WEO_2021_10)
    summary = load(engine, WEO_2021_04)
    assert value_as_of(engine, "2020", "2021-04-05") is None
    assert value_as_of(engine, "2020", "2021-05-01") == -1.983
    assert value_as_of(engine, "2020", "2021-10-12") == -1.591
    assert value_as_of(engine, "2020") == -1.591
    now = repo.observations(engine, "MLI", "gdp_growth")
    assert now["vintage"].tolist() == [datetime(2021, 10, 12, *END)] * 2
    assert now["published"].tolist() == [datetime(2021, 10, 12, *END)] * 2
    history = repo.vintages(engine, "MLI", "gdp_growth")
    assert history[history["period"] == "2020"]["value"].tolist() == [-1.983, -1.591]
    assert (history["loaded_at"] <= summary.vintage).all()


@pytest.mark.parametrize(
    ("published", "vintage"),
    [("2024-04", datetime(2024, 4, 30, *END)), ("2023", datetime(2023, 12, 31, *END)),
     ("2024-02-29", datetime(2024, 2, 29, *END))],
)
def test_a_month_or_a_year_means_its_end(engine, published, vintage):
    load(engine, rows(("MLI", "inflation", "2023", 2.1), published=published))
    assert repo.observations(engine, "MLI", "inflation")["vintage"].tolist() == [vintage]
    assert repo.observations(engine, "MLI", "inflation", as_of=vintage - timedelta(microseconds=1)).empty


def test_a_publication_of_this_month_counts_from_its_load_not_from_the_month_end(engine):
    """Whoever loaded a figure had it: the vintage is never later than the load."""
    this_month = repo.utcnow().strftime("%Y-%m")
    summary = load(engine, rows(("MLI", "inflation", "2023", 2.1), published=this_month))
    got = repo.observations(engine, "MLI", "inflation", as_of=summary.vintage)
    assert got["vintage"].tolist() == [summary.vintage]
    assert got["published"].iloc[0] > summary.vintage


def test_a_figure_without_a_publication_date_is_dated_by_its_load(engine):
    summary = load(engine, rows(("MLI", "inflation", "2023", 2.1), source="INSTAT"))
    got = repo.observations(engine, "MLI", "inflation")
    assert got["vintage"].tolist() == got["loaded_at"].tolist() == [summary.vintage]
    assert got["published"].isna().all()


def test_an_analysts_correction_stands_until_its_source_publishes_a_different_value(engine):
    """The README's rule: each figure is compared with the last figure ITS source gave."""
    october = rows(("MLI", "inflation", "2024", 3.176), source="IMF World Economic Outlook database, October 2025",
                   published="2025-10-14")
    load(engine, october, vintage=datetime(2025, 11, 1))
    corrected = load(engine, rows(("MLI", "inflation", "2024", 3.0), source="Analyst"), vintage=datetime(2025, 12, 1))
    assert (corrected.added, corrected.revised) == (0, 1)
    again = load(engine, october, vintage=datetime(2025, 12, 2))
    assert (again.added, again.revised, again.unchanged) == (0, 0, 1)
    assert value_as_of(engine, "2024", indicator="inflation") == 3.0
    assert value_as_of(engine, "2024", "2025-10-15", indicator="inflation") == 3.176

    # A different reading of the same release is stored, dated by that release: older than the correction.
    reread = load(engine, october.assign(value=3.18), vintage=datetime(2025, 12, 3))
    assert reread.revised == 1
    assert value_as_of(engine, "2024", "2025-10-15", indicator="inflation") == 3.18
    assert value_as_of(engine, "2024", indicator="inflation") == 3.0

    april = rows(("MLI", "inflation", "2024", 3.2), source="IMF World Economic Outlook database, April 2026",
                 published="2026-04-21")
    assert load(engine, april, vintage=datetime(2026, 5, 1)).revised == 1
    assert value_as_of(engine, "2024", indicator="inflation") == 3.2
    assert value_as_of(engine, "2024", "2026-04-20", indicator="inflation") == 3.0


def test_an_undated_source_that_changes_its_figure_replaces_a_correction(engine):
    load(engine, rows(("MLI", "inflation", "2024", 3.1), source="INSTAT"))
    load(engine, rows(("MLI", "inflation", "2024", 3.0), source="Analyst"))
    assert load(engine, rows(("MLI", "inflation", "2024", 3.1), source="INSTAT")).unchanged == 1
    assert value_as_of(engine, "2024", indicator="inflation") == 3.0
    assert load(engine, rows(("MLI", "inflation", "2024", 3.3), source="INSTAT")).revised == 1
    assert value_as_of(engine, "2024", indicator="inflation") == 3.3


def test_empty_sources_are_one_unknown_source(engine):
    load(engine, rows(("MLI", "inflation", "2024", 3.1), source=None))
    load(engine, rows(("MLI", "inflation", "2024", 3.0), source="INSTAT"))
    again = load(engine, rows(("MLI", "inflation", "2024", 3.1), source=""))
    assert again.unchanged == 1
    assert value_as_of(engine, "2024", indicator="inflation") == 3.0


def test_two_publications_of_one_source_text_are_two_sources(engine):
    """A dated row's source is its text AND its publication: another release with the same value is stored."""
    load(engine, rows(("MLI", "gdp_growth", "2019", 4.8), source="WEO", published="2021-04-06"))
    second = load(engine, rows(("MLI", "gdp_growth", "2019", 4.8), source="WEO", published="2021-10-12"))
    assert (second.added, second.revised, second.unchanged) == (0, 1, 0)
    assert len(repo.vintages(engine, "MLI", "gdp_growth")) == 2


@pytest.mark.parametrize("column", ["source", "unit", "reference", "note"])
def test_a_metadata_only_correction_is_a_revision_and_the_old_row_stays(engine, column):
    first = {"source": "INSD", "unit": "%", "reference": "bulletin 12", "note": "provisional"}
    load(engine, rows(("BFA", "inflation", "2023", 0.7), **first))
    changed = {**first, column: "corrected " + first[column]}
    summary = load(engine, rows(("BFA", "inflation", "2023", 0.7), **changed))
    assert (summary.revised, summary.unchanged) == (1, 0)
    now = repo.observations(engine, "BFA", "inflation")
    assert now[column].tolist() == [changed[column]]
    assert len(repo.revisions(engine, "BFA", "inflation")) == 2


def test_the_series_keeps_the_unit_of_its_newest_figure(engine):
    load(engine, rows(("MLI", "gold_production", "2023", 66.5), unit="tonnes", source="Mines"))
    load(engine, rows(("MLI", "gold_production", "2023", 66.5), unit="tonnes (industrial + artisanal)", source="Mines"))
    assert repo.series(engine)["unit"].tolist() == ["tonnes (industrial + artisanal)"]
    old_release = rows(("MLI", "gold_production", "2022", 72.2), unit="t", source="Mines 2023", published="2023-02")
    load(engine, old_release)
    assert repo.series(engine)["unit"].tolist() == ["tonnes (industrial + artisanal)"]
    assert repo.series(engine)["source"].tolist() == ["Mines"]  # an older release names neither
    assert repo.observations(engine, "MLI", "gold_production")["unit"].tolist() == ["t", "tonnes (industrial + artisanal)"]
    load(engine, rows(("MLI", "gold_production", "2024", 54.8), unit="tonnes (industrial + artisanal)",
                      source="Mines, 2025 report"))
    assert repo.series(engine)["source"].tolist() == ["Mines, 2025 report"]  # the newest figure's, not the first


def test_a_new_period_in_one_batch_is_added_once_then_revised(engine):
    both = pd.concat([WEO_2021_10, WEO_2021_04], ignore_index=True)
    summary = load(engine, both)
    assert (summary.added, summary.revised, summary.unchanged) == (2, 2, 0)


def test_two_sources_publishing_the_same_day_do_not_collide(engine):
    """Separate loads of the same day's figures: both kept; the later load answers ties."""
    load(engine, rows(("SEN", "inflation", "2023", 5.9), source="ANSD", published="2024-04-16"))
    load(engine, rows(("SEN", "inflation", "2023", 6.0), source="IMF", published="2024-04-16"))
    assert len(repo.vintages(engine, "SEN", "inflation")) == 2
    assert repo.observations(engine, "SEN", "inflation")["value"].tolist() == [6.0]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Observation)).scalar() == 2


def test_vintages_lists_every_row_known_at_a_moment_in_order(engine):
    load(engine, WEO_2021_10)
    load(engine, WEO_2021_04)
    load(engine, rows(("SEN", "gdp_growth", "2020", 1.3), source="ANSD"))
    every = repo.vintages(engine)
    assert every.columns.tolist() == ["country", "indicator", "period", "value", "vintage", "published", "loaded_at", "source"]
    assert every[["country", "period", "value"]].values.tolist() == [
        ["MLI", "2019", 4.765], ["MLI", "2019", 4.765], ["MLI", "2020", -1.983], ["MLI", "2020", -1.591],
        ["SEN", "2020", 1.3],
    ]
    assert every["published"].isna().tolist() == [False] * 4 + [True]
    early = repo.vintages(engine, country="MLI", indicator=["gdp_growth"], as_of="2021-06-30")
    assert early["value"].tolist() == [4.765, -1.983]


def test_publication_dates_list_each_release_newest_first(engine):
    load(engine, WEO_2021_04)
    load(engine, WEO_2021_10)
    load(engine, rows(("SEN", "inflation", "2023", 5.9), source="World Bank", published="2024-04"))
    load(engine, rows(("SEN", "inflation", "2022", 9.7), source="ANSD"))
    assert repo.publication_dates(engine) == [
        datetime(2024, 4, 30, *END), datetime(2021, 10, 12, *END), datetime(2021, 4, 6, *END),
    ]
    assert repo.publication_dates(engine, "MLI", "gdp_growth") == [datetime(2021, 10, 12, *END), datetime(2021, 4, 6, *END)]
    assert repo.publication_dates(engine, indicator="cpi") == []
    load(engine, WEO_2021_04)  # the same release again lists it once
    assert len(repo.publication_dates(engine)) == 3


def test_official_projections_are_vintaged_by_their_publication(engine):
    official = pd.DataFrame(
        [("IMF", "2021-04-06", "MLI", "gdp_growth", "2021", 4.0, "WEO April 2021", None),
         ("IMF", "2021-10-12", "MLI", "gdp_growth", "2021", 4.0, "WEO October 2021", None),
         ("Government of Mali", "2021", "MLI", "gdp_growth", "2021", 5.5, "budget", None)],
        columns=NO_OFFICIAL.columns,
    ).astype({"value": "float64"})
    summary = load(engine, WEO_2021_04.iloc[:0], official)
    assert summary.official_added == 3
    got = repo.official_projections(engine, "MLI", "gdp_growth")
    assert got.columns.tolist() == [*NO_OFFICIAL.columns, "vintage"]
    assert got["vintage"].tolist() == [datetime(2021, 4, 6, *END), datetime(2021, 10, 12, *END), datetime(2021, 12, 31, *END)]
    assert got["publisher"].tolist()[-1] == "Government of Mali"
    assert repo.official_projections(engine, "MLI", "gdp_growth", as_of="2021-05-01")["published"].tolist() == ["2021-04-06"]
    assert repo.data_vintage(engine, "2021-11-01") == datetime(2021, 10, 12, *END)


def test_a_revised_official_reference_is_a_revision(engine):
    first = pd.DataFrame([("IMF", "2025-10", "MLI", "inflation", "2026", 2.5, "WEO", None)], columns=NO_OFFICIAL.columns)
    load(engine, WEO_2021_04.iloc[:0], first.astype({"value": "float64"}))
    second = load(engine, WEO_2021_04.iloc[:0], first.assign(reference="WEO, table A7").astype({"value": "float64"}))
    assert (second.official_revised, second.official_unchanged) == (1, 0)
    assert repo.official_projections(engine, "MLI", "inflation")["reference"].tolist() == ["WEO, table A7"]


def test_series_units_start_from_the_indicator_when_a_frame_has_none(engine):
    load(engine, rows(("MLI", "inflation", "2023", 2.1), source="x"))
    with engine.connect() as conn:
        assert conn.execute(select(Series.unit)).scalar() == "%"
        assert conn.execute(select(Observation.unit)).scalar() == "%"
