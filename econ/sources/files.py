"""Reading a file the user gives: detect the container (text or .xlsx) and the layout.

Nothing here trusts the file name's extension more than the bytes: a workbook renamed
``.csv`` is still read as a workbook, and binary junk is refused with a message, never a
traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from econ.sources import excel, layouts, limits, stream
from econ.sources.base import Batch
from econ.sources.http import sha256
from econ.sources.table import from_text
from econ.sources.text import decode, fail

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls
_TEXT_KINDS = {"long": "csv", "wide": "wide", "official": "official", "wb-inflation": "wb-inflation"}


def read_path(path: str | Path, *, today: date | None = None) -> Batch:
    """Load and validate one file; problems name it as the user typed it (``str(path)``).

    ``kind`` says what was read: "csv" (long layout), "wide", "official", "wb-inflation",
    or "xlsx" for a workbook in the long or wide layout. Raises econ.schema.InputError. A large
    long-layout CSV is checked in chunks and handed on as chunks (``econ.sources.stream``).
    """
    where = str(path)
    limits.check_file_size(path, where)
    large = stream.read_large(Path(path), where, today or date.today())
    if large is not None:
        return large
    raw = _read_bytes(Path(path), where)
    batch = read_bytes(raw, where, today=today)
    batch.file_name = Path(path).name
    return batch


def read_bytes(raw: bytes, where: str, *, today: date | None = None) -> Batch:
    """Load and validate a file's bytes (an upload, say); ``where`` names it in problems."""
    today = today or date.today()
    limits.check_size(len(raw), where)
    if raw.startswith(_ZIP) or (where.lower().endswith((".xlsx", ".xlsm")) and raw):
        batch = excel.read(raw, where, today)
    elif raw.startswith(_OLE2):
        raise fail(where, "an Excel 97-2003 (.xls) file: save it as .xlsx or CSV and load that")
    else:
        text = decode(raw, where)
        limits.check_text(text, where)
        table = from_text(text, where)
        limits.check_table(table, raw)
        layout, observations, official, skipped = layouts.parse(table, today)
        batch = Batch(observations, official, _TEXT_KINDS[layout], skipped=skipped)
    batch.file_name, batch.checksum = Path(where).name, sha256(raw)
    return batch


def _read_bytes(path: Path, where: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise fail(where, "no such file") from None
    except IsADirectoryError:
        raise fail(where, "a directory, not a file") from None
    except OSError as exc:
        raise fail(where, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
