"""Bad input: every problem, located as ``file:line: column: problem``, never a traceback."""

from __future__ import annotations

import pytest

from econ.schema import InputError
from econ.sources import read_path

HEADER = "country,indicator,period,value\n"
KNOWN = "gdp_growth, inflation, inflation_eop, cpi, gold_production, gold_production_industrial, fiscal_balance, public_debt"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("MLI,inflation,2023,abc", "bad.csv:2: value: 'abc' is not a number"),
        ("MLI,inflation,2023,2.5.1", "bad.csv:2: value: '2.5.1' is not a number"),
        ("MLI,inflation,2023,", "bad.csv:2: value: empty: a value is needed (leave out rows without one)"),
        ("MLI,inflation,2023,..", "bad.csv:2: value: '..' is not a number"),
        ("MLI,inflation,2023,NaN", "bad.csv:2: value: 'NaN' is not a number"),
        ("MLI,inflation,2023,inf", "bad.csv:2: value: 'inf' is not a finite number"),
        ("MLI,inflation,2023,-1e999", "bad.csv:2: value: '-1e999' is not a finite number"),
        ("Atlantis,inflation,2023,2", "bad.csv:2: country: unknown country 'Atlantis'"),
        (",inflation,2023,2", "bad.csv:2: country: empty: a country code or name is needed"),
        ("MLI,gdp,2023,2", f"bad.csv:2: indicator: unknown indicator 'gdp' (known: {KNOWN})"),
        ("MLI,inflation,2020-13,2", "bad.csv:2: period: '2020-13' is not a period (expected 2024, 2024-03 or 2024Q1)"),
        ("MLI,inflation,20x4,2", "bad.csv:2: period: '20x4' is not a period (expected 2024, 2024-03 or 2024Q1)"),
        ("MLI,gdp_growth,2024-03,2", "bad.csv:2: period: 2024-03 is a monthly period but gdp_growth is annual"),
        ("MLI,cpi,2024,101", "bad.csv:2: period: 2024 is an annual period but cpi is monthly"),
        ("MLI,gold_production,2023,-3", "bad.csv:2: value: '-3' is negative, but gold_production cannot be"),
        ("MLI,cpi,2024-01,-0.5", "bad.csv:2: value: '-0.5' is negative, but cpi cannot be"),
        ("MLI,public_debt,2023,-1", "bad.csv:2: value: '-1' is negative, but public_debt cannot be"),
        (
            "MLI,inflation,2031,2.5",
            "bad.csv:2: period: 2031 is in the future (today is 2025-12-15): an actual value cannot be dated after "
            "today; projections belong in an official projections file "
            "(publisher,published,country,indicator,target_year,value)",
        ),
        (
            "MLI,cpi,2026-01,101",
            "bad.csv:2: period: 2026-01 is in the future (today is 2025-12-15): an actual value cannot be dated after "
            "today; projections belong in an official projections file "
            "(publisher,published,country,indicator,target_year,value)",
        ),
    ],
)
def test_each_bad_row_is_reported_exactly(write, problems, row, message):
    write("bad.csv", HEADER + row + "\n")
    assert problems("bad.csv") == [message]


def test_negative_growth_and_balance_are_fine(write, load):
    write("ok.csv", HEADER + "MLI,gdp_growth,2020,-1.2\nMLI,fiscal_balance,2020,-5.4\nMLI,cpi,2025-12,101\n")
    assert load("ok.csv").observations["value"].tolist() == [-1.2, -5.4, 101.0]


def test_duplicate_names_the_first_line_even_when_spelled_differently(write, problems):
    write("dup.csv", HEADER + "MLI,inflation,2022,9.7\nMLI,inflation,2023,2.1\nMali,Inflation,2023,2.10\n")
    assert problems("dup.csv") == ["dup.csv:4: duplicate of line 3 (MLI, inflation, 2023)"]


def test_conflicting_values_name_the_column_and_both_values(write, problems):
    """Not "duplicate": the same country, indicator and period with two different figures is a conflict."""
    write("bad4.csv", HEADER + "MLI,inflation,2020,3.0\nMLI,inflation,2020,3.5\n")
    assert problems("bad4.csv") == [
        "bad4.csv:3: value: line 2 gives 3.0 for the same country, indicator and period (MLI, inflation, 2020), "
        "this line gives 3.5: keep one, or date each in a published column"
    ]
    write("fr.csv", "pays;indicateur;période;valeur\nMLI;inflation;2020;3,0\nMali;inflation;2020;3,5\n")
    assert problems("fr.csv") == [  # the user's own column name and numbers as written
        "fr.csv:3: valeur: line 2 gives 3,0 for the same country, indicator and period (MLI, inflation, 2020), "
        "this line gives 3,5: keep one, or date each in a published column"
    ]


def test_a_conflict_stores_nothing(write, sqlite_engine):
    from econ.ingest import ingest_paths
    from econ.store.repository import observations

    write("bad4.csv", HEADER + "MLI,inflation,2019,2.0\nMLI,inflation,2020,3.0\nMLI,inflation,2020,3.5\n")
    with pytest.raises(InputError):
        ingest_paths(sqlite_engine, ["bad4.csv"])
    assert observations(sqlite_engine, "MLI", "inflation").empty


def test_several_problems_are_reported_together_in_line_order(write, problems):
    write(
        "many.csv",
        HEADER + "MLI,inflation,2023,abc\nAtlantis,gdp,2020-13,\nMLI,inflation,2023,2.2\nMLI,gold_production,2020,-3\n",
    )
    assert problems("many.csv") == [
        "many.csv:2: value: 'abc' is not a number",
        "many.csv:3: country: unknown country 'Atlantis'",
        f"many.csv:3: indicator: unknown indicator 'gdp' (known: {KNOWN})",
        "many.csv:3: period: '2020-13' is not a period (expected 2024, 2024-03 or 2024Q1)",
        "many.csv:3: value: empty: a value is needed (leave out rows without one)",
        "many.csv:4: duplicate of line 2 (MLI, inflation, 2023)",
        "many.csv:5: value: '-3' is negative, but gold_production cannot be",
    ]


def test_problems_stop_at_fifty_and_say_so(write):
    write("cap.csv", HEADER + "".join(f"MLI,inflation,{1900 + i},x{i}\n" for i in range(80)))
    with pytest.raises(InputError) as err:
        read_path("cap.csv")
    assert len(err.value.problems) == 50 and err.value.truncated
    assert str(err.value.problems[-1]) == "cap.csv:51: value: 'x49' is not a number"
    assert str(err.value).endswith("... and 30 more")


def test_exactly_fifty_problems_are_not_truncated(write):
    write("fifty.csv", HEADER + "".join(f"MLI,inflation,{1900 + i},x\n" for i in range(50)))
    with pytest.raises(InputError) as err:
        read_path("fifty.csv")
    assert len(err.value.problems) == 50 and not err.value.truncated


def test_missing_column_is_named_with_the_columns_found(write, problems):
    write("miss.csv", "country,indicator,period\nMLI,inflation,2023\n")
    assert problems("miss.csv") == ["miss.csv:1: missing column 'value' (columns found: country, indicator, period)"]


def test_file_without_header_gets_told_what_is_missing(write, problems):
    write("nohead.csv", "MLI,inflation,2023-01,2.1\nMLI,inflation,2023-02,2.1\n")
    assert problems("nohead.csv") == [
        "nohead.csv:1: missing column 'country' (columns found: MLI, inflation, 2023-01, 2.1)",
        "nohead.csv:1: missing column 'indicator' (columns found: MLI, inflation, 2023-01, 2.1)",
    ]  # read as a wide table (2023-01 looks like a month column): the id columns are what is missing


def test_a_long_header_is_quoted_cut_short_with_its_count_of_columns(write, problems):
    """An SVG (or any text with long lines) read as CSV: its first line is not repeated whole."""
    paths = "".join(f'<path d="M{i},{i} L{i + 1},{i + 2}" stroke="#000"/>' for i in range(1000))
    write("chart.svg", f'<svg xmlns="http://www.w3.org/2000/svg">{paths}</svg>\n' * 3)
    found = problems("chart.svg")
    assert found and all(len(p) < 200 for p in found), [len(p) for p in found]
    assert found[0].startswith("chart.svg:1: missing column 'country' (columns found: <svg xmlns=")
    assert found[0].endswith("…; 2001 columns)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.csv: the file is empty"),
        (b"  \n\n", "empty.csv: the file is empty"),
        (b"\xef\xbb\xbf", "empty.csv: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "empty.csv: not a text file (it contains NUL bytes): expected a CSV file or an .xlsx workbook"),
        (b"country,indicator,period,value\n", "empty.csv:1: no data rows below the header"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "empty.csv: an Excel 97-2003 (.xls) file: save it as .xlsx or CSV and load that"),
        (b"country,value\n\x81\x8d,1\n", "empty.csv: not readable as UTF-8 or Windows-1252 text (byte 0x81 at offset 14)"),
    ],
)
def test_unreadable_files_get_one_clear_problem(problems, content, message):
    with open("empty.csv", "wb") as f:
        f.write(content)
    assert problems("empty.csv") == [message]


def test_missing_file_and_directory(problems, in_tmp):
    assert problems("nowhere.csv") == ["nowhere.csv: no such file"]
    (in_tmp / "folder").mkdir()
    assert problems("folder") == ["folder: a directory, not a file"]


def test_rows_with_too_many_cells_are_all_reported(write, problems):
    write("ragged.csv", HEADER + "MLI,inflation,2023,2,5\nMLI,inflation,2022,2.5\nMLI,inflation,2021,2,5,1\n")
    hint = "(a decimal comma in a comma-separated file? quote the value or use ';')"
    assert problems("ragged.csv") == [
        f"ragged.csv:2: 5 cells but the header has 4 {hint}",
        f"ragged.csv:4: 6 cells but the header has 4 {hint}",
    ]


def test_unclosed_quote_is_an_input_error(write, problems):
    write("quote.csv", HEADER + 'MLI,inflation,2023,"2.1\n')
    assert problems("quote.csv")[0].startswith("quote.csv")


def test_refused_world_bank_cpi_level_says_why(write, problems):
    write("wdi.csv", HEADER + "MLI,FP.CPI.TOTL,2023,120.5\n")
    assert problems("wdi.csv") == [
        "wdi.csv:2: indicator: FP.CPI.TOTL is the World Bank's annual consumer price index (2010 = 100), but econ's "
        "cpi is monthly: leave these rows out (load FP.CPI.TOTL.ZG for annual inflation, or monthly CPI with "
        "`econ fetch wb-inflation`)"
    ]


def test_problems_use_the_users_own_column_names_and_path(write, problems, in_tmp):
    (in_tmp / "data").mkdir()
    write("data/fr.csv", "pays;indicateur;période;valeur\nMali;inflation;2023;abc\n")
    assert problems("data/fr.csv") == ["data/fr.csv:2: valeur: 'abc' is not a number"]


def test_nothing_partial_is_returned_for_one_bad_row_among_many(write):
    good = "".join(f"MLI,cpi,{1990 + i // 12}-{i % 12 + 1:02d},{100 + i}\n" for i in range(300))
    write("mostly.csv", HEADER + good + "MLI,cpi,2020-13,1\n")
    with pytest.raises(InputError) as err:
        read_path("mostly.csv")
    assert [p.line for p in err.value.problems] == [302]
