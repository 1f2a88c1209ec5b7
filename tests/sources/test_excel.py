"""Excel workbooks: the first sheet that fits a layout; problems name the sheet and its rows."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from econ.schema import InputError, check_observations

LONG = [["country", "indicator", "period", "value", "note"], ["MLI", "inflation", 2023, 2.1, None],
        ["Sénégal", "cpi", "2024-03", 101.5, "INS"]]


def test_long_sheet_loads(workbook, load):
    workbook("data.xlsx", {"Données": LONG})
    batch = load("data.xlsx")
    assert batch.kind == "xlsx" and batch.file_name == "data.xlsx"
    assert batch.observations[["country", "indicator", "period", "value", "note"]].fillna("-").values.tolist() == [
        ["MLI", "inflation", "2023", 2.1, "-"], ["SEN", "cpi", "2024-03", 101.5, "INS"],
    ]
    check_observations(batch.observations)


def test_notes_sheet_and_title_rows_are_passed_over(workbook, load):
    notes = [["Source : INSTAT Mali"], ["Ce classeur contient les séries annuelles."]]
    wide = [["Inflation au Mali"], [], ["Pays", "Indicateur", 2021, 2022, 2023], ["Mali", "Inflation", 3.8, 9.7, "2,1"]]
    workbook("book.xlsx", {"Notes": notes, "Feuil1": wide})
    frame = load("book.xlsx").observations
    assert frame[["period", "value"]].values.tolist() == [["2021", 3.8], ["2022", 9.7], ["2023", 2.1]]


def test_problems_name_sheet_and_excel_row_numbers(workbook, problems):
    rows = [[], ["country", "indicator", "period", "value"], ["MLI", "inflation", 2022, 9.7],
            ["MLI", "inflation", 2023, "abc"], [], ["Atlantis", "inflation", 2024, 1]]
    workbook("bad.xlsx", {"Sheet1": rows})
    assert problems("bad.xlsx") == [
        "bad.xlsx[Sheet1]:4: value: 'abc' is not a number",
        "bad.xlsx[Sheet1]:6: country: unknown country 'Atlantis'",
    ]


def test_month_typed_as_a_date_cell(workbook, load):
    workbook("m.xlsx", {"cpi": [["country", "indicator", "period", "value"], ["MLI", "cpi", dt.datetime(2024, 3, 1), 101.5]]})
    assert load("m.xlsx").observations["period"].tolist() == ["2024-03"]


def test_official_projections_sheet(workbook, load):
    rows = [["publisher", "published", "country", "indicator", "target_year", "value"],
            ["IMF", "2025-11", "MLI", "gdp_growth", 2026, 5.5]]
    workbook("proj.xlsx", {"Projections": rows})
    batch = load("proj.xlsx")
    assert batch.kind == "official" and batch.observations.empty
    assert batch.official[["publisher", "published", "target_period", "value"]].values.tolist() == [["IMF", "2025-11", "2026", 5.5]]


def test_workbook_without_a_known_header(workbook, problems):
    workbook("x.xlsx", {"A": [["hello", "world"], [1, 2]], "B": [["nothing"]]})
    assert problems("x.xlsx") == [
        "x.xlsx: no sheet has a header this loader knows (sheets: A, B); expected country,indicator,period,value "
        "(or a year per column), or publisher,published,country,indicator,target_year,value"
    ]


def test_damaged_workbook_is_an_input_error(problems):
    with open("broken.xlsx", "wb") as f:
        f.write(b"PK\x03\x04 this is not really a zip archive")
    assert problems("broken.xlsx")[0].startswith("broken.xlsx: not a readable .xlsx workbook (BadZipFile: ")


def test_text_renamed_xlsx_is_refused_clearly(write, problems):
    write("fake.xlsx", "country,indicator,period,value\n")
    assert problems("fake.xlsx")[0].startswith("fake.xlsx: not a readable .xlsx workbook")


def test_workbook_renamed_csv_is_still_read_as_a_workbook(workbook, load):
    workbook("data.xlsx", {"Sheet": LONG})
    with open("data.xlsx", "rb") as src, open("renamed.csv", "wb") as dst:
        dst.write(src.read())
    assert len(load("renamed.csv").observations) == 2


def test_formulas_are_read_as_their_cached_values(load):
    """A formula Excel never computed has no value to load: reported, not read as 0."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["country", "indicator", "period", "value"])
    sheet.append(["MLI", "inflation", 2023, "=1+1"])  # no cached value: openpyxl never computed it
    book.save("f.xlsx")
    with pytest.raises(InputError) as err:
        load("f.xlsx")
    assert str(err.value.problems[0]) == "f.xlsx[Sheet]:2: value: empty: a value is needed (leave out rows without one)"


def test_sheet_with_header_only(workbook, problems):
    workbook("h.xlsx", {"Feuil1": [["pays", "indicateur", "période", "valeur"]]})
    assert problems("h.xlsx") == ["h.xlsx[Feuil1]:1: no data rows below the header"]
