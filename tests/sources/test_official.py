"""Official projections: publisher, publication date, target year; validated like observations."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt

from econ.schema import OFFICIAL_COLUMNS, check_official

HEADER = "publisher,published,country,indicator,target_year,value,reference,note\n"


def test_loads_exactly(write, load):
    write(
        "proj.csv",
        HEADER + 'IMF,2025-11,MLI,gdp_growth,2026,5.5,"IMF PR 25/389",\n'
        "Government of Mali,2025-11-24,Mali,inflation,2026,2.0,,about 2 %\n"
        "BCEAO,2025,UEMOA,inflation,2025,1.2,,\n",
    )
    batch = load("proj.csv")
    want = pd.DataFrame(
        {
            "publisher": ["IMF", "Government of Mali", "BCEAO"], "published": ["2025-11", "2025-11-24", "2025"],
            "country": ["MLI", "MLI", "WAEMU"], "indicator": ["gdp_growth", "inflation", "inflation"],
            "target_period": ["2026", "2026", "2025"], "value": [5.5, 2.0, 1.2],
            "reference": ["IMF PR 25/389", None, None], "note": [None, "about 2 %", None],
        }
    ).astype({c: "str" for c in OFFICIAL_COLUMNS if c != "value"})
    pdt.assert_frame_equal(batch.official, want)
    check_official(batch.official)
    assert batch.kind == "official" and batch.observations.empty


def test_french_headers(write, load):
    write("fr.csv", "éditeur;publié le;pays;indicateur;année cible;valeur\nFMI;2025-11;Mali;Croissance du PIB réel;2026;5,5\n")
    assert load("fr.csv").official[["publisher", "indicator", "value"]].values.tolist() == [["FMI", "gdp_growth", 5.5]]


def test_bad_rows_are_all_reported(write, problems):
    write(
        "bad.csv",
        HEADER + "IMF,2025-13,MLI,gdp_growth,2026,5.5,,\n"
        ",2025-11,MLI,gdp_growth,2027,5.0,,\n"
        "IMF,2026-03,MLI,gdp_growth,2028,5.0,,\n"
        "IMF,2025-11,MLI,gdp_growth,20x6,5.0,,\n"
        "IMF,2025-11,MLI,gdp_growth,2026,5.5,,\n"
        "IMF,2025-11,MLI,gdp_growth,2026,5.6,,\n"
        "IMF,2025-02-30,MLI,gold_production,2026,-1,,\n",
    )
    assert problems("bad.csv") == [
        "bad.csv:2: published: '2025-13' is not a publication date (expected 2025, 2025-10 or 2025-10-15)",
        "bad.csv:3: publisher: empty: the publisher is needed (IMF, World Bank, BCEAO, ...)",
        "bad.csv:4: published: 2026-03 is after today (2025-12-15)",
        "bad.csv:5: target_year: '20x6' is not a period (expected 2024, 2024-03 or 2024Q1)",
        "bad.csv:7: value: line 6 gives 5.5 for the same publisher, publication date, country, indicator and target "
        "period (IMF, 2025-11, MLI, gdp_growth, 2026), this line gives 5.6: keep one",
        "bad.csv:8: published: '2025-02-30' is not a publication date (expected 2025, 2025-10 or 2025-10-15)",
        "bad.csv:8: value: '-1' is negative, but gold_production cannot be",
    ]


def test_same_target_from_two_vintages_is_not_a_duplicate(write, load):
    write("v.csv", HEADER + "IMF,2025-04,MLI,gdp_growth,2026,5.0,,\nIMF,2025-10,MLI,gdp_growth,2026,5.5,,\n")
    assert len(load("v.csv").official) == 2


def test_missing_target_column(write, problems):
    write("m.csv", "publisher,published,country,indicator,value\nIMF,2025-11,MLI,gdp_growth,5.5\n")
    assert problems("m.csv") == [
        "m.csv:1: missing column 'target_year' (columns found: publisher, published, country, indicator, value)"
    ]
