"""Large long-layout CSV files, read in chunks: memory stays bounded however long the file is.

A file over ``STREAM_BYTES`` in the interchange layout (``country,indicator,period,value,...``) is
read twice, ``CHUNK_ROWS`` rows at a time. The first pass checks every chunk (and duplicates across
chunks), so a bad file is still refused whole, with ``file:line: column: problem``, before anything
is written; the second pass hands validated chunks to the store, which writes them in one
transaction (still all or nothing). Anything else (workbooks, wide files, official projections,
files whose line numbers a chunked reader could not tell, such as quoted cells spanning lines) is
read whole by ``econ.sources.files`` as before.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from econ.schema import InputError, Problem, empty_observations, empty_official
from econ.sources import limits, long_csv
from econ.sources.base import Batch
from econ.sources.table import COMMA_HINT, Table, _without_blanks, find_header, find_roles, identify
from econ.sources.text import fail
from econ.sources.validate import CAP, conflict_text

STREAM_BYTES = 16 * 2**20  # about 450,000 rows: above this, reading whole would cost more than a chunk
CHUNK_ROWS = 200_000
HEAD_BYTES = 1 * 2**20
KEYS = ["country", "indicator", "period", "published"]
RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")  # pandas counts the file's own lines


class NotStreamable(Exception):
    """The file cannot be read in chunks with exact line numbers: read it whole instead."""


@dataclass
class Scan:
    """What one binary pass over the file tells: its checksum and how many line breaks it has."""

    checksum: str
    newlines: int
    ends_with_newline: bool


@dataclass
class StreamedCsv:
    """A large long-layout CSV file: where its header is, how it is delimited and encoded."""

    path: Path
    where: str
    today: date
    header: list[str]
    header_index: int  # 0-based line of the header
    delimiter: str
    encoding: str
    records: int = 0  # data lines read by the last pass (blank ones included)

    def tables(self) -> Iterator[Table]:
        """The file's data rows as Tables of ``CHUNK_ROWS`` rows, with the line each row is on."""
        first_line = self.header_index + 2
        try:
            with pd.read_csv(
                self.path, sep=self.delimiter, header=None, names=range(len(self.header)), dtype=object,
                keep_default_na=False, skip_blank_lines=False, skiprows=self.header_index + 1, quotechar='"',
                engine="c", encoding=self.encoding, chunksize=CHUNK_ROWS,
            ) as reader:
                for chunk in reader:
                    lines = first_line + np.arange(len(chunk), dtype=np.int64)
                    first_line += len(chunk)
                    table = Table(self.where, self.header, *_without_blanks(chunk.reset_index(drop=True), lines),
                                  self.header_index + 1)
                    limits.check_table(table, rows_before=first_line - len(chunk) - self.header_index - 2)
                    yield table
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            raise self._unreadable(exc) from None
        self.records = first_line - self.header_index - 2

    def _unreadable(self, exc: Exception) -> InputError:
        """pandas stops at the first row with too many cells: say so as the whole-file reader would."""
        ragged = RAGGED.search(str(exc))
        if ragged is None:
            return fail(self.where, f"not a readable CSV file ({str(exc).strip()})")
        want, line, saw = (int(g) for g in ragged.groups())
        hint = COMMA_HINT if self.delimiter == "," else ""
        return fail(self.where, f"{saw} cells but the header has {want}{hint}", line=line)

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Validated observation frames, one a chunk (the second pass: checked again as they are built)."""
        for table in self.tables():
            yield long_csv.parse(table, self.today)

    def check(self, scan: Scan) -> Batch:
        """The first pass: every chunk validated, duplicates found across chunks; no frame kept."""
        problems: list[Problem] = []
        hashes, lines, values, rows, total = [], [], [], 0, 0
        for table in self.tables():
            try:
                frame = long_csv.parse(table, self.today)
            except InputError as err:
                problems.extend(err.problems[: CAP + 1 - len(problems)] if len(problems) <= CAP else [])
                total += err.total or len(err.problems)
                continue
            rows += len(frame)
            hashes.append(pd.util.hash_pandas_object(_keys(frame), index=False).to_numpy())
            lines.append(table.lines.astype(np.int32))
            values.append(frame["value"].to_numpy(dtype="float64"))
        self._same_line_count(scan)  # before any line number is shown
        problems = problems or _duplicates(self.where, hashes, lines, values, self._value_column())
        if problems:
            total = max(total, len(problems))
            raise InputError(sorted(problems, key=lambda p: p.line or 0)[:CAP], truncated=total > CAP, total=total)
        return Batch(empty_observations(), empty_official(), "csv", file_name=self.path.name, checksum=scan.checksum,
                     chunks=self.chunks, rows=rows)

    def _value_column(self) -> ValueColumn:
        roles = find_roles(self.header)
        return ValueColumn(self.header[roles["value"]], dated="published" in roles)

    def _same_line_count(self, scan: Scan) -> None:
        """Quoted cells spanning lines would shift every later line number: then the file is read whole."""
        data_lines = scan.newlines - self.header_index - (1 if scan.ends_with_newline else 0)
        if data_lines != self.records:
            raise NotStreamable(self.where)


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    """What may not repeat in one file: country, indicator, period and (when given) the publication date."""
    keys = frame[KEYS[:3]].copy()
    keys["published"] = frame["published"].fillna("") if "published" in frame else ""
    return keys


@dataclass
class ValueColumn:
    """The value column's name as the file writes it, and whether the file dates its rows (``published``)."""

    label: str
    dated: bool


def _duplicates(where: str, hashes: list[np.ndarray], lines: list[np.ndarray], values: list[np.ndarray],
                column: ValueColumn) -> list[Problem]:
    """The same (country, indicator, period, publication) on two lines of the file, however far apart: a
    conflict in the value column when the two lines give different values, else a duplicate."""
    if not hashes:
        return []
    keys, at, value = pd.Series(np.concatenate(hashes)), np.concatenate(lines), np.concatenate(values)
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    groups = pd.Series(np.arange(len(keys))).groupby(keys.to_numpy())
    first = groups.transform("first").to_numpy()
    same = "country, indicator, period and publication"
    problems = []
    for i in np.flatnonzero(repeated)[: CAP + 1]:
        j, line, origin = first[i], int(at[i]), int(at[first[i]])
        if np.isfinite(value[i]) and np.isfinite(value[j]) and value[i] != value[j]:
            text = conflict_text(f"line {origin}", repr(float(value[j])), "this line", repr(float(value[i])), same,
                                 column.dated)
            problems.append(Problem(where, line, column.label, text))
        else:
            problems.append(Problem(where, line, None, f"duplicate of line {origin} (same {same})"))
    return problems


def scan(path: Path) -> Scan:
    """Checksum and line breaks of the raw bytes, read 16 MiB at a time."""
    digest, newlines, last = hashlib.sha256(), 0, b""
    with path.open("rb") as f:
        while block := f.read(16 * 2**20):
            digest.update(block)
            newlines += block.count(b"\n")
            last = block
    return Scan(digest.hexdigest(), newlines, last.endswith(b"\n"))


def open_large(path: Path, where: str, today: date) -> StreamedCsv | None:
    """A StreamedCsv when the file is a large long-layout CSV, else None (read it whole)."""
    try:
        if path.stat().st_size <= STREAM_BYTES:
            return None
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in head:
        return None
    encoding = "utf-8-sig"
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a bad byte, not a character cut at the end of the head
            encoding, text = "cp1252", head.decode("cp1252", errors="replace")
        else:
            text = head[: exc.start].decode(encoding)
    index, delimiter = find_header(text.replace("\r\n", "\n"))
    line = text.replace("\r\n", "\n").split("\n")[index]
    header = [h.strip() for h in next(csv.reader([line], delimiter=delimiter))]
    if identify(header) != "long" or "period" not in find_roles(header):
        return None
    return StreamedCsv(path, where, today, header, index, delimiter, encoding)


def read_large(path: Path, where: str, today: date) -> Batch | None:
    """A large long-layout CSV checked in chunks, as a Batch whose ``chunks()`` yields its frames;
    None when the file is to be read whole."""
    streamed = open_large(path, where, today)
    if streamed is None:
        return None
    try:
        return streamed.check(scan(path))
    except NotStreamable:
        return None
