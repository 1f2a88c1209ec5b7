"""Hostile input files, made in a temporary folder: the ones issue 9 reports, built small.

Each builder writes a file that is cheap to make and expensive to read naively: a workbook
whose zip directory declares gigabytes, one that unzips a thousand times larger, a sheet
declaring ten million rows, a CSV header with a million columns, a 200 MB note.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pycountry

HEADER = ["country", "indicator", "period", "value", "note"]


def plain_workbook(rows: list[list] | None = None) -> bytes:
    """A small valid .xlsx in the long layout, as openpyxl writes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data"
    for row in [HEADER, *(rows or [["MLI", "inflation", 2023, 2.1, "ok"]])]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_parts(raw: bytes, changes: dict[str, bytes]) -> bytes:
    """The same workbook with some parts replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, changes.pop(info.filename, source.read(info.filename)))
        for name, data in changes.items():
            target.writestr(name, data)
    return out.getvalue()


def sheet_xml(raw: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def declared_size_bomb(path: Path, declared: int = 1_500_000_000) -> Path:
    """A workbook whose zip directory says a part unzips to 1.5 GB (the 1.5 GB cell of the issue).

    The central directory's "uncompressed size" of ``xl/worksheets/sheet1.xml`` is patched: this is
    what a real bomb declares, and what zipfile trusts and enforces.
    """
    raw = bytearray(plain_workbook())
    name = b"xl/worksheets/sheet1.xml"
    at = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))  # its central directory record
    struct.pack_into("<I", raw, at + 24, declared)
    path.write_bytes(bytes(raw))
    return path


def ratio_bomb(path: Path, megabytes: int = 50) -> Path:
    """A workbook with an extra part of zeros that unzips about a thousand times larger."""
    filler = b"<x>" + b"0" * (megabytes << 20) + b"</x>"
    path.write_bytes(rewrite_parts(plain_workbook(), {"xl/filler.xml": filler}))
    return path


def declared_rows(path: Path, rows: int = 10_000_000, with_dimension: bool = True) -> Path:
    """A 10-million-row sheet in a few kilobytes: a dimension declaring it and one row numbered so."""
    raw = plain_workbook()
    xml = sheet_xml(raw)
    last = f'<row r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>MLI</t></is></c></row>'
    xml = xml.replace("</sheetData>", last + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:E{rows}"/>' if with_dimension else "", xml)
    path.write_bytes(rewrite_parts(raw, {"xl/worksheets/sheet1.xml": xml.encode()}))
    return path


def huge_note_workbook(path: Path, characters: int = 200_000_000) -> Path:
    """A ~200 KB workbook whose one note is 200 MB once read (an inline string, deflated by hand)."""
    raw = plain_workbook()
    head, tail = sheet_xml(raw).split('<c r="E2"', 1)
    tail = tail.split("</c>", 1)[1]
    before = (head + '<c r="E2" t="inlineStr"><is><t>').encode()
    after = ("</t></is></c>" + tail).encode()
    path.write_bytes(_with_streamed_part(raw, "xl/worksheets/sheet1.xml", before, b"a", characters, after))
    return path


def _with_streamed_part(raw: bytes, name: str, before: bytes, unit: bytes, count: int, after: bytes) -> bytes:
    """Replace a part by before + unit * count + after, deflated chunk by chunk (never held whole)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc, chunks = zlib.crc32(before), [squeeze.compress(before)]
    block = unit * (1 << 20)
    left = count
    while left > 0:
        piece = block if left >= len(block) else unit * left
        crc = zlib.crc32(piece, crc)
        chunks.append(squeeze.compress(piece))
        left -= len(piece)
    crc = zlib.crc32(after, crc)
    chunks += [squeeze.compress(after), squeeze.flush()]
    data = b"".join(chunks)
    size = len(before) + len(unit) * count + len(after)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type, info.CRC, info.compress_size, info.file_size = zipfile.ZIP_DEFLATED, crc, len(data), size
        info.header_offset = target.start_dir
        target.fp.write(info.FileHeader(zip64=False))
        target.fp.write(data)
        target.start_dir = target.fp.tell()
        target.filelist.append(info)
        target.NameToInfo[name] = info
    return out.getvalue()


def million_columns_csv(path: Path, columns: int = 1_000_000) -> Path:
    """A 10 MB-class CSV whose header has a million columns (119 s and 2.6 GB before the fix)."""
    header = ",".join(["country", "indicator", *(str(1000 + i % 9000) for i in range(columns - 2))])
    path.write_text(header + "\nMLI,inflation," + ",".join("1" for _ in range(10)) + "\n")
    return path


def huge_note_csv(path: Path, characters: int = 20_000_000) -> Path:
    path.write_text("country,indicator,period,value,note\nMLI,inflation,2023,2.1," + "a" * characters + "\n")
    return path


def many_bad_rows_csv(path: Path, rows: int) -> Path:
    """A file where every value is wrong (and nothing else: keys are distinct monthly periods)."""
    codes = [c.alpha_3 for c in pycountry.countries]
    with path.open("w") as out:
        out.write("country,indicator,period,value\n")
        out.writelines(f"{codes[i // 12_000]},cpi,{1000 + i // 12 % 1000}-{i % 12 + 1:02d},x{i}\n" for i in range(rows))
    return path
