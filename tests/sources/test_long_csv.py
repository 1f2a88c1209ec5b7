"""The interchange layout loads to exactly the expected frame, whatever the encoding and dialect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt

from econ.schema import OBSERVATION_COLUMNS, check_observations
from econ.sources import read_bytes


def expected(rows: list[tuple], **text) -> pd.DataFrame:
    """An observation frame as loaders build it: str columns, float64 values, NA for empty text."""
    frame = pd.DataFrame(rows, columns=["country", "indicator", "period", "value", "unit"])
    for column in ("source", "reference", "note"):
        frame[column] = text.get(column, [None] * len(rows))
    frame = frame[OBSERVATION_COLUMNS]
    return frame.astype({c: "str" for c in OBSERVATION_COLUMNS if c != "value"} | {"value": "float64"})


def test_interchange_file_loads_exactly(write, load):
    write(
        "data.csv",
        "country,indicator,period,value,unit,source,reference,note\n"
        "MLI,inflation,2023,2.1,%,INSTAT,https://instat.ml,\n"
        "MLI,cpi,2024-03,101.5,,INSTAT,,provisional\n"
        "SEN,gdp_growth,2024,4.5,%,ANSD,,\n",
    )
    batch = load("data.csv")
    want = expected(
        [("MLI", "inflation", "2023", 2.1, "%"), ("MLI", "cpi", "2024-03", 101.5, "index"),
         ("SEN", "gdp_growth", "2024", 4.5, "%")],
        source=["INSTAT", "INSTAT", "ANSD"], reference=["https://instat.ml", None, None], note=[None, "provisional", None],
    )
    pdt.assert_frame_equal(batch.observations, want)
    check_observations(batch.observations)
    assert batch.official.empty and batch.kind == "csv" and batch.file_name == "data.csv"
    assert len(batch.checksum) == 64


def test_quarterly_period_is_refused_for_annual_indicator_but_checked_not_converted(write, problems):
    write("q.csv", "country,indicator,period,value\nSEN,gdp_growth,2024Q1,4.5\n")
    # gdp_growth is annual: a quarter is a different series, reported rather than converted.
    assert problems("q.csv") == ["q.csv:2: period: 2024Q1 is a quarterly period but gdp_growth is annual"]


def test_french_headers_names_labels_semicolons_and_decimal_commas(write, load):
    write(
        "fr.csv",
        "Pays;Indicateur;Période;Valeur;Unité\n"
        "Côte d'Ivoire;Inflation (moyenne annuelle);2023;4,4 %;\n"
        "Sénégal;Croissance du PIB réel;2023;4,6;\n"
        "Ivory Coast;dette publique;2023;1 234,5;\n",
    )
    frame = load("fr.csv").observations
    assert frame[["country", "indicator", "value", "unit"]].values.tolist() == [
        ["CIV", "inflation", 4.4, "%"], ["SEN", "gdp_growth", 4.6, "%"], ["CIV", "public_debt", 1234.5, "% of GDP"],
    ]


def test_cp1252_file(write, load):
    write("latin.csv", "pays,indicateur,période,valeur,note\nSénégal,inflation,2023,5.9,données révisées\n", "cp1252")
    frame = load("latin.csv").observations
    assert frame.loc[0, "country"] == "SEN" and frame.loc[0, "note"] == "données révisées"


def test_utf8_bom_and_tabs_and_crlf(write, load):
    write("bom.csv", "\ufeffcountry\tindicator\tperiod\tvalue\r\nMLI\tinflation\t2023\t2.1\r\n")
    frame = load("bom.csv").observations
    assert frame[["country", "value"]].values.tolist() == [["MLI", 2.1]]


def test_utf16_export_from_excel(write, load):
    write("u16.csv", "country\tindicator\tperiod\tvalue\nMLI\tinflation\t2023\t2.1\n", "utf-16")
    assert load("u16.csv").observations["value"].tolist() == [2.1]


def test_frequency_column_is_ignored_and_headers_any_case(write, load):
    write("f.csv", "COUNTRY,Indicator,PERIOD,Value,frequency\nMLI,cpi,2024-03,101.5,M\n")
    assert load("f.csv").observations["period"].tolist() == ["2024-03"]


def test_loose_periods_are_spelled_canonically(write, load):
    write("p.csv", "country,indicator,period,value\nMLI,cpi,2024M3,1\nMLI,cpi,2024-4,2\nSEN,gdp_growth,2024.0,3\n")
    assert load("p.csv").observations["period"].tolist() == ["2024-03", "2024-04", "2024"]


def test_quoted_fields_with_commas_and_line_breaks_keep_line_numbers_true(write, problems):
    write(
        "quoted.csv",
        'country,indicator,period,value,note\nMLI,inflation,2022,9.7,"high, food prices"\n'
        'MLI,inflation,2023,2.1,"two\nlines"\n\nMLI,inflation,2024,abc,\n',
    )
    # header 1, rows on 2 and 3-4, a blank line 5, the bad row on line 6
    assert problems("quoted.csv") == ["quoted.csv:6: value: 'abc' is not a number"]


def test_blank_and_separator_only_lines_are_not_data(write, load):
    write("blank.csv", "country;indicator;period;value\n\nMLI;inflation;2023;2,1\n;;;\n")
    assert len(load("blank.csv").observations) == 1


def test_waemu_aggregate_is_a_country_for_observations(write, load):
    write("u.csv", "country,indicator,period,value\nUEMOA,inflation,2023,3.6\n")
    assert load("u.csv").observations["country"].tolist() == ["WAEMU"]


def test_values_are_float64_even_when_integers(write, load):
    write("i.csv", "country,indicator,period,value\nMLI,gold_production,2023,66\n")
    values = load("i.csv").observations["value"]
    assert values.dtype == np.float64 and values.tolist() == [66.0]


def test_read_bytes_for_uploads_names_the_upload(today):
    batch = read_bytes(b"country,indicator,period,value\nMLI,inflation,2023,2.1\n", "upload.csv", today=today)
    assert batch.kind == "csv" and batch.file_name == "upload.csv" and batch.observations["value"].tolist() == [2.1]


def test_header_found_below_title_lines(write, load):
    write("title.csv", "Inflation au Mali;;\nSource : INSTAT;;\n\npays;indicateur;période;valeur\nMali;inflation;2023;2,1\n")
    assert load("title.csv").observations["value"].tolist() == [2.1]
