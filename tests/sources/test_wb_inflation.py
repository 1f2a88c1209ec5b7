"""World Bank Global Inflation Database: the workbook (as downloaded) and CSV copies of a sheet."""

from __future__ import annotations

import io

import openpyxl
import pytest
import requests

from econ.schema import check_observations
from econ.sources import SourceUnavailable, wb_inflation

HEAD = ["Country Code", "IMF Country Code", "Country", "Indicator Type", "Series Name"]
MONTHLY = [
    HEAD + [202301, 202302, 202303, "Data source", "Note"],
    ["MLI", 678, "Mali", "Index", "Headline Consumer Price Index", 101.2, 101.9, 102.4, "IFS", None],
    ["ARG", 213, "Argentina", "Index", "Headline Consumer Price Index", 0.0, 0.0, 0.1, "IFS", None],
    ["VGB", 284, "British Virgin Islands", "Inflation", "Headline Consumer Price Index", 99.1, None, 99.5, "National sources", None],
    ["ANT", 353, "Netherlands Antilles", "Index", "Headline Consumer Price Index", 90.0, 90.5, 91.0, "IFS", None],
    ["CIV", 662, "Côte d'Ivoire", "Index", "Headline Consumer Price Index", 110.0, 110.4, None, "IFS", None],
    [None, None, None, None, None, None, None, None, None, None],
    ["Note: monthly index levels; base years differ across countries.", None, None, None, None, None, None, None, None, None],
]
ANNUAL = [
    HEAD + [2021, 2022, 2023, "Note"],
    ["MLI", 678, "Mali", "Inflation", "Headline Consumer Price Inflation", 3.8, 9.7, 2.1, "Annual average inflation"],
    ["SEN", 722, "Senegal", "Inflation", "Headline Consumer Price Inflation", 2.2, 9.7, 5.9, "Annual average inflation"],
]
FOOD = [HEAD + [202301], ["MLI", 678, "Mali", "Index", "Food Consumer Price Index", 120.0]]


def database(path_or_buffer) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Intro"
    book.active.append(["A Global Database of Inflation"])
    for title, rows in (("hcpi_m", MONTHLY), ("fcpi_m", FOOD), ("hcpi_a", ANNUAL)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path_or_buffer)


def test_workbook_loads_monthly_cpi_and_annual_inflation(load):
    database("Inflation-data.xlsx")
    batch = load("Inflation-data.xlsx")
    frame = batch.observations
    assert batch.kind == "wb-inflation" and batch.official.empty
    assert frame[["country", "indicator", "period", "value"]].values.tolist() == [
        ["MLI", "cpi", "2023-01", 101.2], ["MLI", "cpi", "2023-02", 101.9], ["MLI", "cpi", "2023-03", 102.4],
        ["ARG", "cpi", "2023-03", 0.1],
        ["VGB", "cpi", "2023-01", 99.1], ["VGB", "cpi", "2023-03", 99.5],
        ["CIV", "cpi", "2023-01", 110.0], ["CIV", "cpi", "2023-02", 110.4],
        ["MLI", "inflation", "2021", 3.8], ["MLI", "inflation", "2022", 9.7], ["MLI", "inflation", "2023", 2.1],
        ["SEN", "inflation", "2021", 2.2], ["SEN", "inflation", "2022", 9.7], ["SEN", "inflation", "2023", 5.9],
    ]
    assert set(frame["source"]) == {"World Bank, A Global Database of Inflation (Ha, Kose & Ohnsorge)"}
    assert frame.loc[0, "note"] == "underlying source: IFS" and frame.loc[0, "unit"] == "index"
    assert frame.loc[0, "reference"] == "Inflation-data.xlsx, sheet hcpi_m"
    assert batch.skipped == {"hcpi_m: cpi values shown as 0.0": 2, "hcpi_m: ANT": 3}
    check_observations(frame)


def test_csv_copy_of_the_monthly_sheet(write, load):
    lines = [",".join("" if c is None else str(c) for c in row) for row in MONTHLY[:3]]
    write("Headline consumer price index, monthly.csv", "\n".join(lines) + "\n")
    batch = load("Headline consumer price index, monthly.csv")
    assert batch.kind == "wb-inflation"
    assert batch.observations[["country", "period", "value"]].values.tolist() == [
        ["MLI", "2023-01", 101.2], ["MLI", "2023-02", 101.9], ["MLI", "2023-03", 102.4], ["ARG", "2023-03", 0.1],
    ]


def test_csv_copy_of_another_series_is_refused(write, problems):
    lines = [",".join(str(c) for c in row) for row in FOOD]
    write("food.csv", "\n".join(lines) + "\n")
    assert problems("food.csv") == [
        "food.csv:1: series 'food consumer price index' cannot be loaded: econ takes 'Headline Consumer Price Index' "
        "monthly (sheet hcpi_m) as cpi and 'Headline Consumer Price Inflation' annual (sheet hcpi_a) as inflation"
    ]


def test_bad_cell_in_the_workbook_is_located(problems):
    book = openpyxl.Workbook()
    book.active.title = "hcpi_m"
    for row in MONTHLY[:2] + [["SEN", 722, "Senegal", "Index", "Headline Consumer Price Index", 99.0, "n/d?", 99.8, "IFS", None]]:
        book.active.append(row)
    book.save("db.xlsx")
    assert problems("db.xlsx") == ["db.xlsx[hcpi_m]:3: 202302: 'n/d?' is not a number"]


def test_fetch_downloads_and_parses(serve, today):
    buffer = io.BytesIO()
    database(buffer)
    session, adapter = serve({wb_inflation.DEFAULT_URL: buffer.getvalue()}, content_type="application/vnd.ms-excel")
    batch = wb_inflation.fetch(session, today=today, countries=["Mali"])
    assert adapter.asked == [wb_inflation.DEFAULT_URL]
    assert set(batch.observations["country"]) == {"MLI"} and len(batch.observations) == 6
    assert batch.kind == "wb-inflation" and batch.url == wb_inflation.DEFAULT_URL and len(batch.checksum) == 64
    assert batch.observations.loc[0, "reference"] == f"{wb_inflation.DEFAULT_URL}, sheet hcpi_m"


def test_fetch_offline_says_what_to_do(serve):
    session, _ = serve({wb_inflation.DEFAULT_URL: requests.ConnectionError("no route to host")})
    with pytest.raises(SourceUnavailable) as err:
        wb_inflation.fetch(session)
    assert str(err.value) == (
        f"{wb_inflation.DEFAULT_URL}: unreachable (ConnectionError: offline?). Download Inflation-data.xlsx with a "
        "browser from https://www.worldbank.org/en/research/brief/inflation-database and load it with "
        "`econ ingest Inflation-data.xlsx`"
    )


def test_fetch_of_a_web_page_instead_of_the_workbook(serve):
    session, _ = serve({wb_inflation.DEFAULT_URL: b"<html>moved</html>"}, content_type="text/html")
    with pytest.raises(SourceUnavailable, match=r"the answer is not an \.xlsx workbook \(text/html\)"):
        wb_inflation.fetch(session)


def test_fetch_http_error(serve):
    session, _ = serve({wb_inflation.DEFAULT_URL: b"oops"}, status=503)
    with pytest.raises(SourceUnavailable, match=r"Inflation-data\.xlsx: HTTP 503 Error\. Download"):
        wb_inflation.fetch(session)
