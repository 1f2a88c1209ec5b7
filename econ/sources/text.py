"""Reading what people really write: encodings, decimal commas, ``%`` signs, loose periods.

Statistics institutes in the WAEMU export from French-locale Excel: cp1252 text, ``;``
delimiters, ``2,5`` and ``1 234,5`` (with non-breaking spaces), ``4,2 %``. These helpers
turn such text into econ's canonical forms; they never guess silently where a wrong guess
would change a number (``1,234`` is read as 1.234, the French reading, and documented so).
"""

from __future__ import annotations

import calendar
import codecs
import re
import unicodedata
from datetime import datetime, time

import numpy as np
import pandas as pd

from econ.schema import InputError, Problem

# Cells that mean "no value" in wide layouts (World Bank writes "..", French tables "n.d.").
MISSING = frozenset({"", "..", "...", "-", "–", "—", "n.d.", "nd", "n/a", "na", "#n/a"})

_BLANKS = re.compile(r"[\s\u00a0\u202f%]")
# After blanks and % are dropped: thousands marks only in groups of three, one decimal mark.
_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+)?(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone: how two spellings of a header are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = "".join(ch if ch.isalnum() else " " for ch in text.replace("'", "").replace("’", ""))
    return " ".join(text.split())


def fail(where: str, message: str, line: int | None = None, column: str | None = None) -> InputError:
    """An InputError with a single problem, for things that stop reading altogether."""
    return InputError([Problem(where, line, column, message)])


def decode(raw: bytes, where: str) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 (cp1252)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _normalise_newlines(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise fail(where, "not readable as UTF-16 text although it starts with a UTF-16 mark") from None
    if b"\x00" in raw:
        raise fail(where, "not a text file (it contains NUL bytes): expected a CSV file or an .xlsx workbook")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            message = f"not readable as UTF-8 or Windows-1252 text (byte {raw[exc.start]:#04x} at offset {exc.start})"
            raise fail(where, message) from None
    if not text.strip():
        raise fail(where, "the file is empty")
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    """One newline convention, so line numbers count what an editor shows."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --- numbers --------------------------------------------------------------------------------

OK, EMPTY, NOT_A_NUMBER, NOT_FINITE = 0, 1, 2, 3


def parse_numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Float values and a status per cell (OK, EMPTY, NOT_A_NUMBER, NOT_FINITE).

    The fast path is ``pd.to_numeric``; only cells it cannot read go through the slower
    clean-up of spaces, ``%`` and decimal commas, so clean files pay nothing for messy ones.
    """
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
    status = np.zeros(len(values), dtype=np.int8)
    failed = np.flatnonzero(np.isnan(values))
    if len(failed):
        bare = cells.iloc[failed].astype("str").str.replace(_BLANKS, "", regex=True)
        cleaned = _decimal_point(bare).where(bare.str.fullmatch(_NUMBER), "x")
        values[failed] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        status[failed] = np.where(bare.to_numpy(dtype=object) == "", EMPTY, NOT_A_NUMBER)
        status[failed[~np.isnan(values[failed])]] = OK
    status[np.isinf(values)] = NOT_FINITE
    return values, status


def _decimal_point(s: pd.Series) -> pd.Series:
    """``1234,5`` -> ``1234.5``: the last of ``,``/``.`` is the decimal mark, unless commas repeat."""
    comma, dot = s.str.rfind(","), s.str.rfind(".")
    several_commas = s.str.count(",") > 1
    decimal_comma = (comma > dot) & ~(several_commas & (dot < 0))
    s = s.where(~decimal_comma, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return s.where(decimal_comma, s.str.replace(",", "", regex=False))


# --- periods and dates ----------------------------------------------------------------------

_PERIOD_FORMS = [
    (re.compile(r"^(\d{4})(?:\.0)?$"), "A"),
    (re.compile(r"^(\d{4}) \[YR\d{4}\]$"), "A"),  # World Bank DataBank headers
    (re.compile(r"^(\d{4})(?:-|M|m)(\d{1,2})$"), "M"),
    (re.compile(r"^(\d{4})-(\d{2})-01(?:[ T]00:00:00)?$"), "M"),  # a month typed as a date in Excel
    (re.compile(r"^(\d{4})-?[Qq]([1-4])$"), "Q"),
]
_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")  # 202403: Global Inflation Database headers only


def normalize_period(text: str, *, yyyymm: bool = False) -> str | None:
    """A period in econ's spelling (``2024``, ``2024-03``, ``2024Q1``), or None when it is not one."""
    text = text.strip()
    forms = _PERIOD_FORMS + ([(_YYYYMM, "M")] if yyyymm else [])
    for pattern, freq in forms:
        m = pattern.match(text)
        if not m or m.group(1) == "0000":
            continue
        if freq == "A":
            return m.group(1)
        if freq == "Q":
            return f"{m.group(1)}Q{m.group(2)}"
        month = int(m.group(2))
        return f"{m.group(1)}-{month:02d}" if 1 <= month <= 12 else None
    return None


def looks_like_period(text: str) -> bool:
    """A header that starts with a year was meant as a period column, even when it is not a valid one."""
    return bool(re.match(r"^\d{4}", text.strip()))


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[ T]00:00:00)?$")


def normalize_date(text: str) -> str | None:
    """A publication date as ``2025``, ``2025-10`` or ``2025-10-15`` when it exists, else None."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        pd.Timestamp(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join(p for p in (year, month, day) if p)


def publication_end(text: str) -> datetime:
    """The moment a publication date surely lies before: the END of the day, month or year written.

    ``2025-10-14`` -> 2025-10-14 23:59:59.999999, ``2024-04`` -> 2024-04-30 23:59:59.999999,
    ``2025`` -> 2025-12-31 23:59:59.999999. Conservative on purpose: a figure said to be published
    "in April 2024" is not used before April is over. ``text`` is a normalised date
    (``normalize_date``); anything else raises ValueError.
    """
    parts = [int(p) for p in str(text).strip().split("-")]
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not a publication date: {text!r}")
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return datetime.combine(datetime(year, month, day).date(), time.max)
