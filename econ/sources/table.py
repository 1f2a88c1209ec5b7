"""A file's grid of text cells, whatever it came from, with the line each row sits on.

CSV text and Excel sheets both become a ``Table``: the header as written, the cells as
strings, and for every row the line number an editor (or Excel) shows. Layouts are told
apart by their header alone, so a CSV and a sheet with the same header load the same way.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.sources.text import fail, fold, looks_like_period
from econ.sources.validate import Problems

# Header names per role, in order of preference (folded: lower case, no accents).
ROLES: dict[str, tuple[str, ...]] = {
    "country": ("country", "pays", "country code", "code pays", "iso3", "iso", "country name", "nom du pays"),
    "indicator": (
        "indicator", "indicateur", "series code", "indicator code", "code serie", "series", "serie",
        "series name", "indicator name", "variable",
    ),
    "period": ("period", "periode", "date", "year", "annee"),
    "value": ("value", "valeur", "obs value"),
    "unit": ("unit", "unite", "units", "unites"),
    "source": ("source", "sources"),
    "reference": ("reference", "references", "ref"),
    "note": ("note", "notes", "remarque", "commentaire", "comment"),
    "publisher": ("publisher", "editeur", "publie par", "institution"),
    "published": ("published", "publie", "publie le", "date de publication", "publication date"),
    "target": ("target year", "target period", "annee cible", "periode cible"),
}
OFFICIAL_ROLES = ("publisher", "target")  # ``published`` alone may also date observations
GID_MARKERS = ("imf country code", "indicator type")  # World Bank Global Inflation Database
HEADER_SEARCH = 30  # lines looked at for a header below junk (World Bank CSVs have 4 such lines)


@dataclass
class Table:
    """Header cells as written, data cells as str (columns 0..n-1), and the line of each row."""

    where: str
    header: list[str]
    rows: pd.DataFrame
    lines: np.ndarray
    header_line: int

    def roles(self) -> dict[str, int]:
        return find_roles(self.header)


def find_roles(header: list[str]) -> dict[str, int]:
    """Which column plays which role, by header name (English or French, any case, accents optional)."""
    folded = [fold(h) for h in header]
    found: dict[str, int] = {}
    for role, names in ROLES.items():
        for name in names:
            if name in folded:
                found[role] = folded.index(name)
                break
    return found


def identify(header: list[str]) -> str | None:
    """The layout a header announces: "official", "wb-inflation", "long", "wide", or None."""
    folded = {fold(h) for h in header}
    roles = find_roles(header)
    if all(marker in folded for marker in GID_MARKERS):
        return "wb-inflation"
    if any(role in roles for role in OFFICIAL_ROLES):
        return "official"
    if "value" in roles or "period" in roles:
        return "long"
    if any(looks_like_period(h) for h in header):
        return "wide"
    return "official" if "published" in roles else None


def header_score(cells: list[str]) -> int:
    """How much a line looks like a header: roles recognised, plus one if it has year columns;
    0 unless it announces a layout (a "Source", "Note" line of a notes block is not a header)."""
    if not identify(cells):
        return 0
    return len(find_roles(cells)) + any(looks_like_period(c) for c in cells)


# --- CSV text -------------------------------------------------------------------------------

DELIMITERS = (",", ";", "\t", "|")


def find_header(text: str) -> tuple[int, str]:
    """(index of the header line, delimiter): the first early line that reads as a header.

    World Bank downloads put a few lines of junk ("Data Source", "Last Updated Date") above
    the header; a line counts as the header once two of its cells are recognised.
    """
    lines = text[:200_000].split("\n")[:HEADER_SEARCH]
    for index, line in enumerate(lines):
        splits = [(_split(line, d), d) for d in DELIMITERS]
        score, _, delimiter = max((header_score(cells), len(cells), d) for cells, d in splits)
        if score >= 2:
            return index, delimiter
    first = lines[0]
    return 0, max(DELIMITERS, key=lambda d: (first.count(d), d == ","))


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def from_text(text: str, where: str) -> Table:
    """Parse CSV text into a Table (vectorised: pandas' C reader, every cell kept as str)."""
    index, delimiter = find_header(text)
    offset = sum(len(line) + 1 for line in text.split("\n", index)[:index])
    frame = _read_csv(text[offset:], delimiter, where, index)
    header = [str(h).strip() for h in frame.iloc[0]]
    header_line = index + 1 + sum(h.count("\n") for h in header)
    rows = frame.iloc[1:].reset_index(drop=True)
    lines = header_line + 1 + np.arange(len(rows)) + _newlines_before(rows, text[offset:], len(frame))
    return Table(where, header, *_without_blanks(rows, lines), header_line)


def _read_csv(text: str, delimiter: str, where: str, skipped_lines: int) -> pd.DataFrame:
    """pandas' reader with every cell as str; its errors become problems with line numbers."""
    try:
        return pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=object, keep_default_na=False,
            skip_blank_lines=False, quotechar='"', engine="c",
        )
    except pd.errors.EmptyDataError:
        raise fail(where, "the file is empty") from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        ragged = _ragged_rows(text, delimiter, where, skipped_lines)
        raise ragged or fail(where, f"not a readable CSV file ({exc})") from None


COMMA_HINT = " (a decimal comma in a comma-separated file? quote the value or use ';')"


def _ragged_rows(text: str, delimiter: str, where: str, skipped_lines: int):
    """Every row with more cells than the header (pandas reports only the first)."""
    problems = Problems(where)
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        width = len(next(reader, []))
        for row in reader:
            if len(row) > width:
                line = skipped_lines + reader.line_num
                hint = COMMA_HINT if delimiter == "," else ""
                problems.add(line, None, f"{len(row)} cells but the header has {width}{hint}")
    except csv.Error:
        return None
    return problems.error()


def _newlines_before(rows: pd.DataFrame, text: str, records: int) -> np.ndarray:
    """Line breaks inside quoted cells of earlier rows: they push later rows down the file.

    Counted only when the text has more line breaks than records (so rarely, and cheaply).
    """
    if text.count("\n") - (records - (not text.endswith("\n"))) <= 0 or rows.empty:
        return np.zeros(len(rows), dtype=np.int64)
    inside = sum(rows[c].astype("str").str.count("\n").to_numpy(dtype=np.int64) for c in rows.columns)
    return np.concatenate([[0], np.cumsum(inside)[:-1]])


def _without_blanks(rows: pd.DataFrame, lines: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    blank = _blank(rows)
    if not blank.any():
        return rows, lines
    return rows[~blank].reset_index(drop=True), lines[~blank]


def _blank(rows: pd.DataFrame) -> np.ndarray:
    """Rows with no text at all (blank lines, ``;;;`` lines from spreadsheets): not data."""
    if rows.empty:
        return np.zeros(0, dtype=bool)
    candidates = np.flatnonzero(rows[rows.columns[0]].to_numpy(dtype=object) == "")
    blank = np.zeros(len(rows), dtype=bool)
    if len(candidates):
        sub = rows.iloc[candidates].astype("str")
        blank[candidates] = np.logical_and.reduce([(sub[c].str.strip() == "").to_numpy() for c in sub.columns])
    return blank


# --- spreadsheet cells ----------------------------------------------------------------------


def from_cells(grid: list[list[str]], where: str) -> Table | None:
    """A Table from a sheet's rows of str cells (row 1 first), or None when no header is found."""
    for index, cells in enumerate(grid[:HEADER_SEARCH]):  # noqa: B007 - index is read after the loop
        if header_score(cells) >= 2:
            break
    else:
        return None
    width = len(grid[index])
    body = [(r + [""] * width)[:width] for r in grid[index + 1 :]]
    rows = pd.DataFrame(body or None, columns=range(width), dtype=object)
    lines = index + 2 + np.arange(len(rows))
    header = [h.strip() for h in grid[index]]
    return Table(where, header, *_without_blanks(rows, lines), index + 1)


def require(table: Table, needed: tuple[str, ...]) -> dict[str, int]:
    """The table's roles, or InputError naming each missing column and the columns found."""
    roles = table.roles()
    missing = [role for role in needed if role not in roles]
    if missing:
        problems = Problems(table.where)
        found = columns_found(table.header)
        for role in missing:
            problems.add(table.header_line, None, f"missing column {REQUIRED_NAMES[role]!r} (columns found: {found})")
        problems.raise_if_any()
    return roles


def columns_found(header: list[str], most: int = 80) -> str:
    """The header cells as a message quotes them: on one line and at most ``most`` characters, with
    the count of columns when cut (an SVG or a log read as CSV has a "header" of 100,000 characters)."""
    names = [" ".join(h.split()) for h in header if h and h.strip()]
    text = ", ".join(names) or "none"
    if len(text) <= most:
        return text
    return f"{text[:most].rstrip()}…; {len(header)} columns"


# How a missing role is named to the user: the interchange format's own column names.
REQUIRED_NAMES = {role: role for role in ROLES} | {"target": "target_year"}
