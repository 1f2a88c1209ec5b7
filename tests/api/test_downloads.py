"""Downloads: the chart file and its data twin, named for a folder, refused with a JSON 400/404."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from econ.store.repository import utcnow


def today() -> str:
    """Read after the request: a module constant goes stale when the suite crosses midnight (UTC)."""
    return utcnow().date().isoformat()


def test_data_as_french_csv_is_an_attachment_excel_opens(client):
    response = client.get("/download/data?country=MLI&indicator=inflation&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=econ_MLI_inflation-moyenne-annuelle_{today()}_fr.csv"
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert "Valeur" in header and "Source" in header
    values = [r[header.index("Valeur")] for r in body]
    assert "9,7" in values and "-2,9" in values  # decimal comma; a negative number stays a number


def test_data_without_a_format_is_csv(client):
    response = client.get("/download/data?country=MLI&indicator=inflation&lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith(f"_{today()}_en.csv")


def test_data_as_xlsx_carries_a_sources_sheet(client):
    response = client.get("/download/data?country=MLI&indicator=inflation&format=xlsx&lang=en&as_of=2099-01-01")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=econ_MLI_inflation-annual-average_2099-01-01_en.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["MLI Inflation (annual average)", "Exact values", "Sources"]
    meta = {row[0].value: row[1].value for row in book["Sources"].iter_rows()}
    assert meta["Indicator"] == "Inflation (annual average) [inflation]" and meta["Country"] == "Mali [MLI]"
    assert "INSTAT Mali, IHPC" in meta["Sources"] and "IMF" in meta["Sources"]
    assert meta["Forecast run"].startswith("run #1")


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("country=MLI&indicator=inflation&format=docx", 400, "format must be one of csv, xlsx"),
        ("country=MLI&indicator=inflation&format=", 400, "format must be one of"),
        ("country=ZZZ&indicator=inflation&format=csv", 400, "unknown country"),
        ("country=MLI&indicator=gdp&format=csv", 400, "unknown indicator"),
        ("country=MLI&indicator=inflation&format=csv&lang=de", 400, "lang must be one of fr, en, pt"),
        ("country=SEN&indicator=inflation&format=csv", 404, "no inflation figures are stored for SEN"),
    ],
)
def test_data_refusals(client, query, status, words):
    response = client.get(f"/download/data?{query}")
    assert response.status_code == status and words in response.json["error"]


def test_chart_refuses_a_bad_format_before_any_browser_starts(client):
    response = client.get("/download/chart?country=MLI&indicator=inflation&format=jpeg")
    assert response.status_code == 400 and "png, svg, pdf" in response.json["error"]
    assert client.get("/download/chart?country=SEN&indicator=inflation&format=png").status_code == 404


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "magic", "mimetype"), [("png", b"\x89PNG", "image/png"), ("pdf", b"%PDF", "application/pdf"),
                                                         ("svg", b"<svg", "image/svg+xml")])
def test_chart_downloads(client, fmt, magic, mimetype):
    response = client.get(f"/download/chart?country=MLI&indicator=inflation&format={fmt}&lang=en")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data.startswith(magic)
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=econ_MLI_inflation-annual-average_{today()}_en.{fmt}"


@pytest.mark.slow
def test_chart_without_a_format_is_png(client):
    response = client.get("/download/chart?country=MLI&indicator=inflation&lang=pt")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_the_dashboard_app_serves_the_api_and_downloads(store):
    from dashboard import app as app_module

    server = app_module.create_app(engine=store).server
    client = server.test_client()
    assert client.get("/api/v1/observations?country=MLI&indicator=inflation").status_code == 200
    assert client.get("/download/data?country=MLI&indicator=inflation&format=csv").status_code == 200
    rules = {r.rule for r in server.url_map.iter_rules()}
    assert {"/api/v1/openapi.json", "/download/chart"} <= rules
