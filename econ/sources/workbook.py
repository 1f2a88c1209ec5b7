"""Opening .xlsx workbooks and turning a sheet into rows of text cells, with sheet row numbers.

openpyxl is used directly (read-only, cached values) rather than through pandas, so row 1
of the grid is row 1 of the sheet even when the sheet starts with empty rows: the line
numbers in problems are the ones Excel shows.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from econ.sources import limits
from econ.sources.text import fail

_BROKEN = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, ParseError, EOFError)


@contextmanager
def opened(raw: bytes, where: str) -> Iterator[openpyxl.Workbook]:
    """The workbook, read-only, closed afterwards; a damaged file is an InputError, not a traceback."""
    limits.check_xlsx(raw, where)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it drops when reading; they carry no data.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except _BROKEN as exc:
        raise fail(where, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        yield book
    finally:
        book.close()


def grid(sheet, where: str) -> list[list[str]]:
    """Every row of a sheet from row 1, each cell as text ("" when empty)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return [[cell_text(v) for v in row] for row in limits.sheet_rows(sheet, f"{where}[{sheet.title}]")]
    except _BROKEN as exc:
        raise fail(f"{where}[{sheet.title}]", f"the sheet cannot be read ({type(exc).__name__}: {exc})") from None


def cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold: 2024.0 -> "2024", a date -> "2024-03-01"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() if isinstance(value, str) else str(value)
