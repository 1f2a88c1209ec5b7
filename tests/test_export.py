"""Exports: tables safe to open in a spreadsheet, rounded as shown with the exact values kept, typed, carrying
their sources, named in their language; charts as real files titled in their language.

Chart tests share the process's one export browser (``econ.export.export_browser``, a few tabs of
one Chromium); the first export starts Chromium (2-5 s), the next take a fraction of a second. Only one PNG test runs by
default; the others are ``slow``.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import threading

import openpyxl
import pandas as pd
import pytest
from api.sample_store import INFLATION, fill

from econ import export
from econ.spreadsheet import sheet_title

HOSTILE = ["=HYPERLINK(\"http://x\",\"clic\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "sûr", "a=b"]


@pytest.fixture
def store(sqlite_engine):
    fill(sqlite_engine)
    return sqlite_engine


@pytest.fixture
def hostile() -> pd.DataFrame:
    return pd.DataFrame({"texte": HOSTILE, "valeur": [-3.25, 2.5, 0.0, -1.0, 1e6, 7.0, None, 4.0]})


def read_csv(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


# --- formula injection ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "escaped"), [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"),
                                                ("\tx", "'\tx"), ("\rx", "'\rx"), ("x=1", "x=1"), ("", ""), (3.5, 3.5)])
def test_escape_formulas_marks_only_text_that_starts_a_formula(value, escaped):
    assert export.escape_formulas(pd.DataFrame({"c": [value]}))["c"].iloc[0] == escaped


def test_french_csv_escapes_formulas_and_keeps_numbers(hostile):
    rows = read_csv(export.csv_bytes(hostile, "fr"), ";")
    assert rows[0] == ["texte", "valeur"]
    assert [r[0] for r in rows[1:]] == ["'" + v if v[0] in "=+-@\t\r" else v for v in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-3,25", "2,5", "0,0", "-1,0", "1000000,0", "7,0", "", "4,0"]


def test_english_csv_uses_commas_and_decimal_points(hostile):
    rows = read_csv(export.csv_bytes(hostile, "en"), ",")
    assert rows[1] == ["'=HYPERLINK(\"http://x\",\"clic\")", "-3.25"]


def test_xlsx_escapes_formulas_and_keeps_numbers_as_numbers(hostile):
    buffer = io.BytesIO()
    export.write_xlsx(hostile, buffer, "Données", {"Source": "=cmd|' /C calc'!A0", "Millésime": "2025-11-01"})
    book = openpyxl.load_workbook(buffer)
    sheet = book["Données"]
    texts = [row[0] for row in sheet.iter_rows(min_row=2)]
    numbers = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in texts), "no cell may be stored as a formula"
    assert texts[0].value == "'=HYPERLINK(\"http://x\",\"clic\")" and texts[6].value == "sûr"
    assert [c.value for c in numbers] == [-3.25, 2.5, 0, -1, 1e6, 7, None, 4]
    assert all(c.data_type == "n" for c in numbers if c.value is not None)
    meta = {r[0].value: r[1] for r in book["Sources"].iter_rows()}
    assert meta["Source"].value == "'=cmd|' /C calc'!A0" and meta["Source"].data_type == "s"


def test_store_text_is_made_inert_in_both_formats(store, tmp_path):
    export.export_data(store, tmp_path / "d.csv", "csv", "MLI", lang="fr")
    export.export_data(store, tmp_path / "d.xlsx", "xlsx", "MLI", lang="fr")
    rows = read_csv((tmp_path / "d.csv").read_bytes(), ";")
    cells = [c for r in rows for c in r]
    assert "'=1+2" in cells and "'@Ministère des Mines" in cells and "=1+2" not in cells
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx").active
    values = {c.value for row in sheet.iter_rows() for c in row}
    assert "'=1+2" in values and "=1+2" not in values


# --- what the tables hold -------------------------------------------------------------------


def test_data_frame_holds_actuals_official_and_model_projections_with_sources(store):
    frame = export.data_frame(store, "MLI", "inflation", lang="en")
    kinds = frame.groupby("Kind")["Period"].apply(list).to_dict()
    assert kinds["observed"] == [str(y) for y in INFLATION]
    assert kinds["official projection"] == ["2026", "2026"] and kinds["projection"] == ["2025", "2026"]
    model = frame[frame["Kind"] == "projection"]
    assert model["Value"].tolist() == [3.4, 2.8] and model["Probability of breach (%)"].tolist() == [62.0, 41.0]
    assert model["Forecast run"].tolist() == [1, 1] and model["Source"].iloc[0] == "econ, run 1 (ets)"
    assert set(frame.loc[frame["Kind"] == "official projection", "Source"]) == {"IMF, 2025-10", "Government, 2025-11"}
    assert frame["Value"].dtype == "float64"


def test_data_frame_speaks_french_by_default(store):
    frame = export.data_frame(store, ["MLI"], ["gold_production"])
    assert {"Pays", "Indicateur", "Période", "Valeur", "Source"} <= set(frame.columns)
    assert set(frame["Unité"]) == {"tonnes"} and set(frame["Nature"]) == {"observé"}


def test_data_frame_as_of_a_past_date_is_empty(store):
    assert export.data_frame(store, "MLI", as_of="2000-01-01").empty
    with pytest.raises(export.SeriesNotFound):
        export.export_data(store, io.BytesIO(), "csv", "MLI", as_of="2000-01-01")


def test_bulk_xlsx_names_vintage_run_and_sources(store, tmp_path):
    report = export.export_data(store, tmp_path / "all.xlsx", "xlsx", lang="en")
    assert report["rows"] == 16 and report["series"] == 2
    meta = {r[0].value: r[1].value for r in openpyxl.load_workbook(tmp_path / "all.xlsx")["Sources"].iter_rows()}
    assert meta["Country"] == "Mali [MLI]" and meta["Forecast run"] == "1"
    assert "INSTAT Mali, IHPC" in meta["Sources"] and "IMF, 2025-10" in meta["Sources"]
    assert meta["Data vintage (UTC)"] != "-" and meta["Licence"]


def test_file_names_sort_in_a_folder_and_follow_the_language():
    day = pd.Timestamp("2026-11-29").date()
    names = {lang: export.file_name("MLI", "gdp_growth", "png", day, lang) for lang in ("fr", "en", "pt")}
    assert names == {"fr": "econ_MLI_croissance-du-pib-reel_2026-11-29_fr.png",
                     "en": "econ_MLI_real-gdp-growth_2026-11-29_en.png",
                     "pt": "econ_MLI_crescimento-real-do-pib_2026-11-29_pt.png"}
    assert export.file_name("MLI", "inflation", "csv", day, "fr") != export.file_name("MLI", "inflation", "csv", day, "en")
    assert export.file_name("MLI-SEN", "inflation", "xlsx", day, "pt", "compare") == \
        "econ_MLI-SEN_inflacao-media-anual_comparacao_2026-11-29_pt.xlsx"
    assert export.file_name("MLI", "gdp_growth", "csv", day, "fr", "scenario").endswith("_scenario_2026-11-29_fr.csv")


@pytest.mark.parametrize(("name", "title"), [
    ("MLI Inflation (moyenne annuelle)", "MLI Inflation"),  # 32 characters: the parenthetical goes whole
    ("MLI Inflation (annual average)", "MLI Inflation (annual average)"),  # 30: kept as is
    ("MLI Indice des prix à la consommation", "MLI Indice des prix"),  # whole words, no phrase left hanging
    ("MLI Production (mines industrielles du pays", "MLI Production"),  # never an unclosed parenthesis
    ("a" * 40, "a" * 31),
    ("x:y/z", "x y z"),
])
def test_sheet_titles_fit_excel_without_cutting_a_word(name, title):
    assert sheet_title(name) == title


def test_every_indicator_sheet_title_fits_and_closes_its_parentheses():
    from econ.schema import INDICATORS

    for indicator in INDICATORS:
        for lang in ("fr", "en", "pt"):
            title = sheet_title(export.sheet_name("MLI", indicator, lang))
            assert len(title) <= 31 and title.count("(") == title.count(")"), title
            assert export.sheet_name("MLI", indicator, lang).startswith(title)


@pytest.mark.parametrize("lang", ["fr", "en", "pt"])
def test_kinds_are_written_alike_in_every_language(lang):
    """The Nature column reads "observé", "projection", "scénario": one case for every kind."""
    words = [export.kind(key, lang) for key in ("actual", "model", "official", "baseline", "scenario")]
    assert all(word[0].islower() for word in words), words


# --- a spreadsheet user's expectations -------------------------------------------------------


def twin(store, lang):
    return export.series_table(store, "MLI", "inflation", lang=lang)


def test_csv_rounds_as_shown_and_keeps_the_exact_values(store):
    table, _ = twin(store, "en")
    table.loc[table["Kind"] == "projection", "Value"] = [3.456, 2.849]
    rows = read_csv(export.table_bytes(table, "csv", "en"), ",")
    header = rows[0]
    projected = [r for r in rows[1:] if r[header.index("Kind")] == "projection"]
    assert [r[header.index("Value")] for r in projected] == ["3.5", "2.8"]
    assert [r[header.index("Value (unrounded)")] for r in projected] == ["3.456", "2.849"]
    assert [r[header.index("Probability of breach (%)")] for r in projected] == ["62", "41"]  # as the page: 62 %


@pytest.mark.parametrize(("lang", "sep"), [("pt", ";"), ("fr", ";"), ("en", ",")])
def test_whole_percentages_carry_no_false_decimal(lang, sep):
    """42.75 % shows as 43 (as the pages show it), never as "43,0", which claims a precision the rounding lost."""
    p_breach = export.header("p_breach", lang)
    frame = pd.DataFrame({p_breach: [42.75, 40.45, None]})
    rows = read_csv(export.table_bytes(frame, "csv", lang), sep)
    assert [r[0] for r in rows[1:]] == ["43", "40", ""]
    exact = "42,75" if sep == ";" else "42.75"
    assert rows[1][1] == exact  # the unrounded value is still there
    book = openpyxl.load_workbook(io.BytesIO(export.table_bytes(frame, "xlsx", lang)))
    assert [book.active.cell(row=r, column=1).value for r in (2, 3, 4)] == [43, 40, None]


def test_portuguese_csv_uses_semicolons_and_decimal_commas(store):
    table, _ = twin(store, "pt")
    rows = read_csv(export.table_bytes(table, "csv", "pt"), ";")
    assert {"País", "Período", "Valor", "Fonte", "Valor (não arredondado)"} <= set(rows[0])
    assert "9,7" in [r[rows[0].index("Valor")] for r in rows[1:]]


def test_excel_has_figures_as_shown_exact_values_typed_periods_and_sources(store):
    table, metadata = twin(store, "fr")
    book = openpyxl.load_workbook(io.BytesIO(export.table_bytes(table, "xlsx", "fr", metadata, "MLI inflation")))
    assert book.sheetnames == ["MLI inflation", "Valeurs exactes", "Sources"]
    shown, exact = book["MLI inflation"], book["Valeurs exactes"]
    header = [c.value for c in shown[1]]
    rows = [dict(zip(header, (c for c in row))) for row in shown.iter_rows(min_row=2)]
    first = rows[0]
    assert first["Période"].value == 2018 and first["Période"].data_type == "n"  # a year is a number
    projected = [r for r in rows if r["Nature"].value == "projection"]
    assert [r["Probabilité de dépassement (%)"].value for r in projected] == [62, 41]
    assert all(r["Valeur"].data_type == "n" for r in rows)
    exact_header = [c.value for c in exact[1]]
    assert exact_header == header and exact.max_row == shown.max_row


@pytest.mark.parametrize(("lang", "sep"), [("fr", ";"), ("en", ","), ("pt", ";")])
def test_csv_dates_stay_iso_in_every_language_like_periods_and_vintages(store, lang, sep):
    """Files are for spreadsheets: ISO dates read as dates whatever the locale (pages write them in words)."""
    table, _ = twin(store, lang)
    rows = read_csv(export.table_bytes(table, "csv", lang), sep)
    published = [r[rows[0].index(export.header("published", lang))] for r in rows[1:]]
    assert "2025-10" in published and all(re.fullmatch(r"(\d{4}-\d{2}(-\d{2})?)?", p) for p in published)
    data = read_csv(export.table_bytes(export.data_frame(store, "MLI", "inflation", lang), "csv", lang), sep)
    vintages = [r[data[0].index(export.data_header("vintage", lang))] for r in data[1:]]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", v) for v in vintages if v)


def test_excel_months_are_dates_and_published_days_are_dates():
    frame = pd.DataFrame({"Période": ["2024-03", "2024", "2024Q1"], "Valeur": [2.345, 1.0, 0.5],
                          "Publiée le": ["2025-11-24", "2025-11", None]})
    book = openpyxl.load_workbook(io.BytesIO(export.table_bytes(frame, "xlsx", "fr")))
    sheet = book.active
    month, year, quarter = (sheet.cell(row=r, column=1) for r in (2, 3, 4))
    assert month.is_date and month.value.strftime("%Y-%m") == "2024-03" and month.number_format == "yyyy-mm"
    assert year.value == 2024 and quarter.value == "2024Q1"
    assert sheet.cell(row=2, column=2).value == 2.3 and book["Valeurs exactes"].cell(row=2, column=2).value == 2.345
    published = sheet.cell(row=2, column=3)
    assert published.is_date and published.number_format == "yyyy-mm-dd"


def test_portuguese_workbook_names_its_sheets_in_portuguese(store):
    table, metadata = twin(store, "pt")
    book = openpyxl.load_workbook(io.BytesIO(export.table_bytes(table, "xlsx", "pt", metadata)))
    assert book.sheetnames == ["Dados", "Valores exatos", "Fontes"]
    meta = {row[0].value: row[1].value for row in book["Fontes"].iter_rows()}
    assert meta["País"] == "Mali [MLI]" and "Licença" in meta


# --- charts ---------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def test_chart_png_is_a_real_slide_sized_picture(store, tmp_path):
    size = export.write_chart(tmp_path / "mali.png", store, "MLI", "inflation", lang="fr")
    data = (tmp_path / "mali.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and size == len(data) > 10_000
    assert png_size(data) == (2 * export.SLIDE_WIDTH, 2 * export.SLIDE_HEIGHT)


def test_chart_of_an_unknown_series_is_refused_without_a_browser(store):
    with pytest.raises(export.SeriesNotFound):
        export.chart_bytes(store, "SEN", "inflation", "png")
    with pytest.raises(ValueError, match="png, svg, pdf"):
        export.figure_bytes({"data": []}, "gif")


@pytest.mark.slow
def test_chart_svg_and_pdf_are_vector_files_with_accents_titled_in_their_language(store):
    from pypdf import PdfReader

    svg = export.chart_bytes(store, "MLI", "inflation", "svg", lang="fr")
    pdf = export.chart_bytes(store, "MLI", "inflation", "pdf", lang="en")
    assert svg.startswith(b"<svg") and "Norme UEMOA".encode() in svg and "Données".encode() in svg
    assert "<title>Inflation (moyenne annuelle) — Mali</title>".encode() in svg
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Inflation (annual average) — Mali"  # not Chromium's "Kaleido-fier"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    portuguese = PdfReader(io.BytesIO(export.chart_bytes(store, "MLI", "inflation", "pdf", lang="pt")))
    assert portuguese.metadata.title == "Inflação (média anual) — Mali"


@pytest.mark.slow
def test_concurrent_exports_each_get_their_own_picture(store):
    results: dict[str, bytes] = {}

    def work(fmt: str, lang: str) -> None:
        results[f"{fmt}-{lang}"] = export.chart_bytes(store, "MLI", "inflation", fmt, lang=lang)

    threads = [threading.Thread(target=work, args=(f, lang)) for f in ("png", "svg", "pdf") for lang in ("fr", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 6
    for key, data in results.items():
        assert data.startswith({"png": b"\x89PNG", "svg": b"<svg", "pdf": b"%PDF"}[key[:3]]), key
    assert b"Norme UEMOA" in results["svg-fr"] and b"WAEMU norm" in results["svg-en"]


def test_a_missing_browser_is_a_clear_error(store, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(export.ExportError, match="no Chromium found"):
        export.ExportBrowser().render({"data": []}, "png", 100, 100)


def test_a_browser_that_dies_mid_export_is_an_error_not_a_hang():
    """A render sent to a loop whose thread has died would wait forever; the watchdog does not."""
    import asyncio

    loop = asyncio.new_event_loop()  # never run: the render's future never completes
    dead = threading.Thread(target=lambda: None)
    dead.start()
    dead.join()
    browser, fake = export.ExportBrowser(), FakeKaleido()
    browser._kaleido, browser._loop, browser._thread = fake, loop, dead
    try:
        with pytest.raises(export.ExportError, match="stopped"):
            browser._call({"data": []}, {"format": "png"})
    finally:
        browser._kaleido = browser._loop = browser._thread = None
        fake.made.close()
        loop.close()


class FakeKaleido:
    """Stands for kaleido.Kaleido: its render is made but, the loop being dead, never run."""

    def calc_fig(self, figure, opts=None):
        self.made = self._render()
        return self.made

    async def _render(self) -> bytes:  # pragma: no cover - never run
        return b""


def test_unrounded_columns_carry_no_binary_noise():
    """46.3 tonnes computed from kilograms is 46.300000000000004 as a double: the unrounded column
    says 46.3 (fifteen significant digits, all a double holds of a decimal), and keeps real precision."""
    from econ.spreadsheet import significant

    values = significant(pd.Series([46.300000000000004, 11.738241308793462, None, 0.1 + 0.2]))
    assert values.iloc[0] == 46.3 and str(values.iloc[0]) == "46.3" and str(values.iloc[3]) == "0.3"
    written = pd.DataFrame({"value": [46.300000000000004]}).assign(value=lambda f: significant(f["value"])).to_csv()
    assert "46.3\n" in written and "0000" not in written
    assert values.iloc[1] == pytest.approx(11.738241308793462, rel=1e-14) and pd.isna(values.iloc[2])
