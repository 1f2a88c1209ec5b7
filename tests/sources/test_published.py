"""The optional ``published`` column of observations: dates, months or years, checked like every column."""

from __future__ import annotations

import pandas as pd

HEADER = "country,indicator,period,value,source,published\n"


def test_published_is_kept_as_written_and_empty_means_unknown(write, load):
    write("dated.csv", HEADER + "MLI,inflation,2023,2.1,WEO,2024-04-16\nMLI,inflation,2022,9.7,WB,2024-04\n"
          "MLI,gdp_growth,2023,4.7,INSTAT,2024\nSEN,inflation,2023,5.9,ANSD,\n")
    batch = load("dated.csv")
    assert batch.kind == "csv" and batch.official.empty
    assert batch.observations["published"].tolist()[:3] == ["2024-04-16", "2024-04", "2024"]
    assert pd.isna(batch.observations["published"].iloc[3])


def test_a_file_without_the_column_loads_as_before(write, load):
    write("plain.csv", "country,indicator,period,value\nMLI,inflation,2023,2.1\n")
    assert "published" not in load("plain.csv").observations


def test_the_same_period_may_appear_once_per_publication(write, load):
    write("releases.csv", HEADER + "MLI,gdp_growth,2020,-1.983,WEO April 2021,2021-04-06\n"
          "MLI,gdp_growth,2020,-1.591,WEO October 2021,2021-10-12\n")
    assert load("releases.csv").observations["value"].tolist() == [-1.983, -1.591]


def test_bad_publication_dates_are_named_by_line_and_column(write, problems):
    write("bad.csv", HEADER + "MLI,inflation,2023,2.1,WEO,avril 2024\n"
          "MLI,inflation,2024,3.2,WEO,2023-12\n"
          "MLI,inflation,2022,9.7,WEO,2030-01\n"
          "MLI,gdp_growth,2020,-1.9,WEO,2021-04-06\n"
          "MLI,gdp_growth,2020,-2.0,IMF,2021-04-06\n")
    assert problems("bad.csv") == [
        "bad.csv:2: published: 'avril 2024' is not a publication date (expected 2025, 2025-10 or 2025-10-15)",
        "bad.csv:3: published: 2023-12 is before the period 2024 begins: an actual figure is published after its "
        "period starts",
        "bad.csv:4: published: 2030-01 is after today (2025-12-15)",
        "bad.csv:6: value: line 5 gives -1.9 for the same country, indicator, period and publication date "
        "(MLI, gdp_growth, 2020, 2021-04-06), this line gives -2.0: keep one",
    ]


def test_french_header_and_a_wide_layout_carry_the_date_too(write, load):
    write("fr.csv", "pays;indicateur;période;valeur;publié le\nMali;inflation;2023;2,1;2024-04\n", encoding="cp1252")
    assert load("fr.csv").observations["published"].tolist() == ["2024-04"]
    write("wide.csv", "country,indicator,published,2022,2023\nMLI,inflation,2024-04,9.7,2.1\n")
    wide = load("wide.csv").observations
    assert wide["period"].tolist() == ["2022", "2023"] and wide["published"].tolist() == ["2024-04", "2024-04"]


def test_official_projections_still_need_their_publication_date(write, problems):
    write("official.csv", "publisher,published,country,indicator,target_year,value\nIMF,,MLI,inflation,2026,2.5\n")
    assert problems("official.csv") == [
        "official.csv:2: published: empty: the publication date is needed (2025, 2025-10 or 2025-10-15)"
    ]


def test_a_workbook_date_cell_is_a_day(workbook, load):
    from datetime import datetime

    workbook("dated.xlsx", {"Feuil1": [["country", "indicator", "period", "value", "published"],
                                       ["MLI", "inflation", "2023", 2.1, datetime(2024, 4, 16)]]})
    assert load("dated.xlsx").observations["published"].tolist() == ["2024-04-16"]
