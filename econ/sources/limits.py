"""What one input file may cost: bytes, unzipped size, rows, columns and the length of a cell.

Every loader reads files that someone else wrote, and a few hundred kilobytes can be made to
cost gigabytes: a zip bomb dressed as ``.xlsx``, a sheet that declares ten million rows, a CSV
header with a million columns, a 200 MB "note". Each check here runs before the expensive
step it protects (the zip's directory is read before openpyxl unzips anything; a CSV's first
lines are counted before pandas parses them), and each refusal names the limit and the
``ECON_...`` setting that raises it, as ``file:line: column: problem`` or ``file: problem``.

The limits are settings (``econ.config``): ``ECON_MAX_FILE_MB``, ``ECON_MAX_XLSX_UNCOMPRESSED_MB``,
``ECON_MAX_XLSX_RATIO``, ``ECON_MAX_ROWS``, ``ECON_MAX_COLUMNS``, ``ECON_MAX_CELL_CHARS``.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from econ.config import get_settings
from econ.schema import InputError, Problem

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # what the .xlsx format itself allows
CAP = 50  # problems listed before "... and N more"
HEADER_LINES = 30  # lines a CSV header may sit below (as econ.sources.table looks for it)
DELIMITERS = (",", ";", "\t", "|")
RATIO_FLOOR = 1 << 20  # parts smaller than 1 MB unzipped are not judged by their ratio
MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The limits in force, read from the settings when a file is read (tests change them)."""

    file_bytes: int
    xlsx_bytes: int
    xlsx_ratio: float
    rows: int
    columns: int
    cell_chars: int

    @classmethod
    def current(cls) -> Limits:
        s = get_settings()
        return cls(int(s.max_file_mb * MB), int(s.max_xlsx_uncompressed_mb * MB), s.max_xlsx_ratio,
                   s.max_rows, s.max_columns, s.max_cell_chars)


def refused(where: str, what: str, limit: str, setting: str, line: int | None = None,
            column: str | None = None) -> InputError:
    """One problem that says what was found, the limit, and the setting that raises it."""
    return InputError([Problem(where, line, column, f"{what}; the limit is {limit} (setting ECON_{setting})")])


def _mb(n: float) -> str:
    return f"{n / MB:,.1f} MB"


# --- bytes ------------------------------------------------------------------------------------


def check_file_size(path: str | os.PathLike, where: str) -> None:
    """Before a file is read: its size on disk (an unreadable file is left to the reader's message)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return
    check_size(size, where)


def check_size(size: int, where: str) -> None:
    limit = Limits.current().file_bytes
    if size > limit:
        raise refused(where, f"the file is {_mb(size)}", _mb(limit), "MAX_FILE_MB")


def check_xlsx(raw: bytes, where: str) -> None:
    """A workbook's parts as its zip directory declares them, before anything is unzipped.

    The declared sizes can be trusted: Python's zipfile stops at the declared size and fails the
    CRC check when a part holds more, so a lying directory gives a damaged-file error, not a bomb.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: openpyxl's own message ("not a readable .xlsx workbook") says so
    limits = Limits.current()
    total = sum(p.file_size for p in parts)
    if total > limits.xlsx_bytes:
        raise refused(where, f"the workbook unzips to {_mb(total)}", _mb(limits.xlsx_bytes), "MAX_XLSX_UNCOMPRESSED_MB")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > limits.xlsx_ratio:
            raise refused(where, f"its part {part.filename} unzips {ratio:,.0f} times larger ({_mb(part.file_size)})",
                          f"{limits.xlsx_ratio:,.0f} times", "MAX_XLSX_RATIO")


# --- sheets -----------------------------------------------------------------------------------


def sheet_rows(sheet, where: str) -> Iterator[tuple]:
    """A read-only openpyxl sheet's rows (values), refused as soon as one passes a limit.

    The sheet's declared size (its ``<dimension>``) is checked first: openpyxl pads every row to
    the declared width and the sheet to the declared height, so a 6 MB file declaring ten
    million rows would otherwise be read for minutes.
    """
    limits = Limits.current()
    most_rows, most_columns = min(limits.rows, EXCEL_ROWS), min(limits.columns, EXCEL_COLUMNS)
    _check_declared(sheet, where, most_rows, most_columns)
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if number > most_rows:
            raise refused(where, f"more than {most_rows:,} rows", f"{most_rows:,} rows", "MAX_ROWS", line=number)
        if len(row) > most_columns:
            raise refused(where, f"{len(row):,} columns", f"{most_columns:,}", "MAX_COLUMNS", line=number)
        for j, value in enumerate(row):
            if type(value) is str and len(value) > limits.cell_chars:
                raise _long_cell(where, number, _column_letter(j), len(value), limits.cell_chars)
        yield row


def _check_declared(sheet, where: str, most_rows: int, most_columns: int) -> None:
    rows, columns = getattr(sheet, "max_row", None), getattr(sheet, "max_column", None)
    if rows is not None and rows > most_rows:
        raise refused(where, f"the sheet declares {rows:,} rows", f"{most_rows:,} rows", "MAX_ROWS")
    if columns is not None and columns > most_columns:
        raise refused(where, f"the sheet declares {columns:,} columns", f"{most_columns:,}", "MAX_COLUMNS")


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _long_cell(where: str, line: int | None, column: str | None, length: int, limit: int) -> InputError:
    return refused(where, f"a text of {length:,} characters", f"{limit:,} characters a cell", "MAX_CELL_CHARS",
                   line=line, column=column)


# --- CSV text ---------------------------------------------------------------------------------


def check_text(text: str, where: str) -> None:
    """A CSV's width before pandas parses it: a million-column header costs minutes and gigabytes.

    Counting delimiters bounds the cells of a line from above; a line over the limit is split
    exactly (quotes respected) before it is refused, so a quoted note full of commas is not.
    """
    limit = Limits.current().columns
    start = 0
    for number in range(1, HEADER_LINES + 1):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if max(line.count(d) for d in DELIMITERS) + 1 > limit:
            cells = max(_cells(line, d) for d in DELIMITERS)
            if cells > limit:
                raise refused(where, f"{cells:,} columns", f"{limit:,}", "MAX_COLUMNS", line=number)
        if end < 0:
            return
        start = end + 1


def _cells(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return line.count(delimiter) + 1


def check_table(table, raw: bytes | None = None, rows_before: int = 0) -> None:
    """A parsed table (``econ.sources.table.Table``): rows, columns and every cell's length.

    Runs before validation, so no message ever quotes a 200 MB cell back to the user. Given the
    file's bytes, the cells are measured only when some could be long: a file without quotes has
    no cell longer than its longest line, found by a byte scan (0.1 s for 100 MB) instead of a
    Python loop over every cell (2 s a million rows). A file read in chunks (``econ.sources.stream``)
    is checked chunk by chunk, ``rows_before`` counting the rows of the chunks before.
    """
    limits = Limits.current()
    if len(table.header) > limits.columns:
        raise refused(table.where, f"{len(table.header):,} columns", f"{limits.columns:,}", "MAX_COLUMNS",
                      line=table.header_line)
    if rows_before + len(table.rows) > limits.rows:
        what = f"more than {limits.rows:,} data rows" if rows_before else f"{len(table.rows):,} data rows"
        raise refused(table.where, what, f"{limits.rows:,}", "MAX_ROWS")
    if raw is not None and b'"' not in raw and longest_line(raw) <= limits.cell_chars:
        return
    _check_cells(table, limits.cell_chars)


def longest_line(raw: bytes, chunk: int = 1 << 24) -> int:
    """Bytes in the longest line (an upper bound on its characters), scanned in 16 MB blocks."""
    view = np.frombuffer(raw, dtype=np.uint8)
    longest, last = 0, -1
    for start in range(0, len(view), chunk):
        ends = np.flatnonzero(view[start:start + chunk] == 10) + start
        if len(ends):
            longest = max(longest, int(ends[0]) - last - 1, int(np.diff(ends).max(initial=1)) - 1)
            last = int(ends[-1])
    return max(longest, len(view) - last - 1)


def _check_cells(table, limit: int) -> None:
    problems: list[Problem] = []
    total = 0
    header_long = [j for j, h in enumerate(table.header) if len(h) > limit]
    for j in header_long:
        total += 1
        problems.append(_long_cell(table.where, table.header_line, None, len(table.header[j]), limit).problems[0])
    for j in table.rows.columns:
        lengths = _lengths(table.rows[j])
        long_rows = np.flatnonzero(lengths > limit)
        total += len(long_rows)
        name = table.header[j] if j < len(table.header) and len(table.header[j]) <= limit else None
        for i in long_rows[: max(CAP - len(problems), 0)]:
            problems.append(_long_cell(table.where, int(table.lines[i]), name, int(lengths[i]), limit).problems[0])
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise capped(problems, total)


def _lengths(cells) -> np.ndarray:
    values = cells.to_numpy(dtype=object)
    return np.fromiter((len(v) if type(v) is str else 0 for v in values), dtype=np.int64, count=len(values))


def capped(problems: Iterable[Problem], total: int) -> InputError:
    """At most CAP problems, and how many more there were ("... and 999,000 more")."""
    shown = list(problems)[:CAP]
    return InputError(shown, truncated=total > len(shown), total=total)
