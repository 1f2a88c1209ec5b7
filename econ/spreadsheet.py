"""Tables as the files a spreadsheet user expects: CSV and Excel, figures rounded as shown, exact values kept.

- Figures are rounded as the pages show them (one decimal; probabilities as whole percentages),
  with the unrounded values beside them for analysts: a second sheet in Excel, extra columns
  marked "unrounded" in CSV. Rounding is ``econ.i18n.rounded`` (half up), the pages' own.
- In Excel, numbers are numbers, a year is a number (``2024``), a month a date shown ``2024-03``,
  a day a date, a load time a date and time; a spreadsheet can sort and compute on all of them.
- CSV is UTF-8 with a BOM (so Excel shows accents right). Languages that write a decimal comma
  (French, Portuguese) get ``;`` between fields and ``2,5``, which is what their Excel expects;
  English gets ``,`` and ``2.5``. Periods, publication dates and load times stay ISO in every
  language (``2024-03``, ``2025-11-24``, ``2025-11-24 10:00:00``), deliberately: the one way of
  writing a date that every spreadsheet reads as a date and sorts right, whatever its locale
  (``24 novembre 2025`` would be text, ``11/24/2025`` a different day). Pages write dates in
  words, in the reader's language (``econ.i18n.fmt_date``).
- A text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``,
  ``@``, a tab, CR, LF or NUL) gets a leading ``'`` (OWASP's CSV injection advice), in CSV and
  Excel alike; numbers are left as numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from babel.numbers import get_decimal_symbol

from econ.i18n import babel_locale, rounded

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
YEAR, MONTH, DAY = re.compile(r"\d{4}"), re.compile(r"\d{4}-\d{2}"), re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Columns:
    """Which columns (by header) hold figures, percentages, periods and publication dates."""

    numbers: list[str] = field(default_factory=list)  # shown with one decimal
    percents: list[str] = field(default_factory=list)  # probabilities in percent, shown whole
    periods: list[str] = field(default_factory=list)  # 2024, 2024-03: numbers and dates in Excel
    unrounded: str = "unrounded"  # the word that marks exact-value columns in a CSV

    def present(self, frame: pd.DataFrame) -> Columns:
        keep = lambda names: [n for n in names if n in frame.columns]  # noqa: E731
        return Columns(keep(self.numbers), keep(self.percents), keep(self.periods), self.unrounded)


def as_shown(frame: pd.DataFrame, columns: Columns) -> pd.DataFrame:
    """Figures rounded as the pages show them: one decimal, percentages whole.

    Whole percentages are whole numbers (``Int64``), so a CSV says ``43``, never ``43,0``: a zero
    decimal would claim a precision the rounding threw away (42.75 % is not 43.0 %)."""
    out = frame.copy()
    for names, decimals, dtype in ((columns.numbers, 1, "float64"), (columns.percents, 0, "Int64")):
        for name in names:
            if name in out.columns:
                out[name] = pd.array([rounded(v, decimals) for v in out[name]], dtype="float64").astype(dtype)
    return out


# --- formula injection ------------------------------------------------------------------------


def escape_cell(value):
    """A text that a spreadsheet would run as a formula gets a leading ``'``; anything else is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header made inert; numeric, boolean and date columns untouched."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            out[column] = out[column].map(escape_cell).astype(object)
    out.columns = [escape_cell(str(c)) for c in out.columns]
    return out


# --- CSV --------------------------------------------------------------------------------------


def csv_style(lang: str) -> tuple[str, str]:
    """(field separator, decimal sign): ``;`` and ``,`` where the language writes a decimal comma."""
    decimal = get_decimal_symbol(babel_locale(lang))
    return (";", ",") if decimal == "," else (",", ".")


def csv_bytes(frame: pd.DataFrame, lang: str = "fr") -> bytes:
    """UTF-8 with a BOM; fields and decimals in the language's style."""
    sep, decimal = csv_style(lang)
    text = escape_formulas(frame).to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator="\r\n", date_format="%Y-%m-%d %H:%M:%S"
    )
    return ("\ufeff" + text).encode("utf-8")


def with_exact_columns(frame: pd.DataFrame, columns: Columns) -> pd.DataFrame:
    """The rounded table, then the exact value of each rounded column under a marked header."""
    columns = columns.present(frame)
    shown = as_shown(frame, columns)
    exact = {f"{name} ({columns.unrounded})": significant(frame[name]) for name in (*columns.numbers, *columns.percents)}
    return shown.assign(**exact) if exact else shown


def significant(values: pd.Series, digits: int = 15) -> pd.Series:
    """Each value to ``digits`` significant digits, the most a double carries from any decimal: 46.3
    tonnes computed from 46,300 kg reads 46.3, not 46.300000000000004 (binary noise, not precision)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.map(lambda v: float(f"{v:.{digits}g}") if pd.notna(v) and np.isfinite(v) else v)


def write(data: bytes, path_or_buffer) -> int:
    if isinstance(path_or_buffer, (str, Path)):
        Path(path_or_buffer).write_bytes(data)
    else:
        path_or_buffer.write(data)
    return len(data)


# --- Excel ------------------------------------------------------------------------------------


def cell_value(value):
    """A value openpyxl stores with the right type: numbers as numbers, gaps as empty cells."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", escape_cell(value))
    return value


def period_cell(value) -> tuple[object, str | None]:
    """A period or publication date as Excel should hold it, with its number format: ``2024`` a number,
    ``2024-03`` a date shown as a month, ``2025-11-24`` a date; anything else (``2024Q1``) text."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if YEAR.fullmatch(text):
        return int(text), "0"
    if MONTH.fullmatch(text):
        return datetime(int(text[:4]), int(text[5:7]), 1), "yyyy-mm"
    if DAY.fullmatch(text):
        return datetime(int(text[:4]), int(text[5:7]), int(text[8:10])), "yyyy-mm-dd"
    return cell_value(value), None


SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
_LAST_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")
_DANGLING = re.compile(r"[a-zà-ÿ]{1,3}|[,;:–—-]")  # a short lowercase word (à, la, des, of, no) or a dash


def sheet_title(name: str) -> str:
    """Excel refuses ``[]:*?/\\`` in sheet names and more than 31 characters: a longer name loses its
    closing parenthetical first (``MLI Inflation (moyenne annuelle)`` -> ``MLI Inflation``), then whole
    words (``MLI Indice des prix à la consommation`` -> ``MLI Indice des prix``), never half a word, an
    unclosed parenthesis or a phrase left hanging."""
    cleaned = " ".join("".join(" " if ch in "[]:*?/\\" else ch for ch in name).split())
    return shortened(cleaned or "Data", SHEET_TITLE_MAX)


def shortened(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut as a reader would cut it (see ``sheet_title``)."""
    while len(text) > limit and _LAST_PARENTHETICAL.search(text) and _LAST_PARENTHETICAL.sub("", text):
        text = _LAST_PARENTHETICAL.sub("", text)
    if len(text) <= limit:
        return text
    words = text[:limit + 1].split(" ")[:-1] if " " in text[:limit + 1] else [text[:limit]]
    if any("(" in w for w in words) and "".join(words).count("(") > "".join(words).count(")"):
        words = words[:max(i for i, w in enumerate(words) if "(" in w)]  # no unclosed parenthesis
    while len(words) > 1 and _DANGLING.fullmatch(words[-1]):  # nor a phrase left hanging: "prix à la"
        words.pop()
    return " ".join(words).rstrip(" -–—,;.") or text[:limit]


def fill(sheet, header: list | None, rows, periods: list[int] = ()) -> None:
    """Rows of typed cells under a bold, frozen header (a bold first column when there is none);
    the columns at positions ``periods`` typed as years, months and dates."""
    from openpyxl.styles import Font

    if header is not None:
        sheet.append([cell_value(str(h)) for h in header])
        sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    for column in periods:
        for cell in next(sheet.iter_cols(min_col=column + 1, max_col=column + 1, min_row=2)):
            cell.value, number_format = period_cell(cell.value)
            if number_format:
                cell.number_format = number_format
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime) and cell.number_format == "yyyy-mm-dd h:mm:ss":
                cell.number_format = "yyyy-mm-dd hh:mm"
    for cell in sheet[1] if header is not None else sheet["A"]:
        cell.font = Font(bold=True)
    for letter, width in zip((c.column_letter for c in sheet[1]), _widths(sheet)):
        sheet.column_dimensions[letter].width = width


def _widths(sheet) -> list[float]:
    widths = [0] * sheet.max_column
    for row in sheet.iter_rows(max_row=min(sheet.max_row, 200)):
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(str(cell.value)) if cell.value is not None else 0)
    return [min(max(w + 2, 8), 80) for w in widths]


def _add_table(book, frame: pd.DataFrame, name: str, periods: list[str], first: bool = False) -> None:
    sheet = book.active if first else book.create_sheet()
    positions = [list(frame.columns).index(p) for p in periods if p in frame.columns]
    fill(sheet, list(frame.columns), frame.itertuples(index=False, name=None), positions)
    sheet.title = sheet_title(name)


def write_xlsx(frame: pd.DataFrame, path_or_buffer, sheet_name: str = "Données", metadata: dict | None = None,
               columns: Columns | None = None, exact_name: str | None = None, sources_name: str = "Sources") -> int:
    """An Excel workbook: the figures rounded as shown on the first sheet, the exact values on a second
    (when ``exact_name`` is given), their provenance on a "Sources" sheet."""
    from openpyxl import Workbook

    columns = (columns or Columns()).present(frame)
    book = Workbook()
    _add_table(book, as_shown(frame, columns), sheet_name, columns.periods, first=True)
    if exact_name and (columns.numbers or columns.percents):
        _add_table(book, frame, exact_name, columns.periods)
    if metadata:
        sources = book.create_sheet(sheet_title(sources_name))
        fill(sources, None, metadata.items())
    buffer = io.BytesIO()
    book.save(buffer)
    return write(buffer.getvalue(), path_or_buffer)
