"""World Bank, A Global Database of Inflation (Ha, Kose & Ohnsorge): monthly CPI for ~200 countries.

Refresh: ``econ fetch wb-inflation`` downloads ``DEFAULT_URL`` (the workbook
"Inflation-data.xlsx", CC BY 4.0, updated about twice a year; the URL changes between
releases, so pass ``url=`` when it moves). Offline, download it with a browser from
https://www.worldbank.org/en/research/brief/inflation-database and run
``econ ingest Inflation-data.xlsx``. CSV copies of one sheet (same columns) load too.

What is loaded, and why:

- sheet ``hcpi_m``, "Headline Consumer Price Index" (monthly index levels, one ``YYYYMM``
  column per month) -> ``cpi`` with periods ``YYYY-MM``;
- sheet ``hcpi_a``, "Headline Consumer Price Inflation" (annual average % change, one
  column per year) -> ``inflation``. It is a rate, not a level, so it maps cleanly;
- the other sheets (food, energy, core, producer prices, deflators, quarterly series) have
  no econ indicator and are not read.

Quirks:

- The sheet decides the indicator, not the "Indicator Type" column, which is unreliable
  (``hcpi_m`` labels the British Virgin Islands "Inflation" although its values are an index).
- Index values are rounded to one decimal, so early values of high-inflation countries
  show as ``0.0``: a price index cannot be zero, so these are skipped and counted.
- Country codes are ISO3, but a few economies are not in ISO 3166 (old or special codes):
  their rows are skipped and counted in ``Batch.skipped``, as are identical duplicate rows.
- Headers are integers (``197001``) in the workbook and text in CSV copies.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from econ.countries import resolve
from econ.schema import empty_official
from econ.sources import codes, http, validate, wide, workbook
from econ.sources.base import Batch, SourceUnavailable
from econ.sources.table import Table, columns_found, from_cells
from econ.sources.text import fail, fold

SOURCE = "World Bank, A Global Database of Inflation (Ha, Kose & Ohnsorge)"
DEFAULT_URL = (
    "https://thedocs.worldbank.org/en/doc/1ad246272dbbc437c74323719506aa0c-0350012021/original/Inflation-data.xlsx"
)
FILE_NAME = "Inflation-data.xlsx"
SHEETS = {"hcpi_m": "cpi", "hcpi_a": "inflation"}
HINT = (
    "Download Inflation-data.xlsx with a browser from https://www.worldbank.org/en/research/brief/inflation-database "
    "and load it with `econ ingest Inflation-data.xlsx`"
)


def is_database(sheet_names: list[str]) -> bool:
    return "hcpi_m" in sheet_names


def parse_table(
    table: Table, today: date, indicator: str | None = None, reference: str | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Validated observations from one sheet (or CSV copy) of the database, and what was skipped."""
    columns = wide.period_columns(table, {})
    indicator = indicator or _indicator(table, columns)
    frame, row, headers = wide.melt(table, columns)
    frame["country"] = _column(table, "country code", row)
    frame["indicator"] = indicator
    frame["source"] = SOURCE
    frame["reference"] = reference or table.where
    frame["note"] = [f"underlying source: {s}" if s else None for s in _column(table, "data source", row)]
    frame["line"], frame["label"] = table.lines[row], headers
    frame, skipped = _skip(frame, indicator)
    labels = {"country": "Country Code", "indicator": "Series Name"}
    labels |= {"period": frame["label"].to_numpy(object), "value": frame["label"].to_numpy(object)}
    return validate.observations(frame, frame["line"].to_numpy(), labels, table.where, today, table.header), skipped


def _column(table: Table, name: str, row: np.ndarray) -> np.ndarray:
    folded = [fold(h) for h in table.header]
    if name not in folded:
        if name == "data source":
            return np.full(len(row), "", dtype=object)
        raise fail(table.where, f"missing column {name!r} (columns found: {columns_found(table.header)})",
                   table.header_line)
    return table.rows[folded.index(name)].to_numpy(dtype=object)[row]


def _indicator(table: Table, columns: list[tuple[int, str, str]]) -> str:
    """cpi or inflation, from the series named in the table and the frequency of its columns."""
    names = {fold(n) for n in _column(table, "series name", np.arange(len(table.rows))) if n}
    freqs = {"M" if "-" in p else "Q" if "Q" in p else "A" for _, _, p in columns}
    found = {codes.GID.get((n, f)) for n in names for f in freqs}
    if len(found) == 1 and None not in found:
        return found.pop()
    series = ", ".join(sorted(names)) or "none"
    message = (
        f"series {series!r} cannot be loaded: econ takes 'Headline Consumer Price Index' monthly (sheet hcpi_m) "
        "as cpi and 'Headline Consumer Price Inflation' annual (sheet hcpi_a) as inflation"
    )
    raise fail(table.where, message, table.header_line)


def _skip(frame: pd.DataFrame, indicator: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """Leave out what is not data for econ, counting it: no code, non-ISO codes, 0.0 index values."""
    skipped: dict[str, int] = {}
    no_code = frame["country"].fillna("").str.strip() == ""
    zero = (pd.to_numeric(frame["value"], errors="coerce").to_numpy() == 0) & (indicator == "cpi")
    twice = frame.duplicated(subset=["country", "period", "value"]).to_numpy()
    masks = {"rows without a country code": no_code, "cpi values shown as 0.0": zero, "identical duplicates": twice}
    for label, mask in masks.items():
        if mask.any():
            skipped[label] = int(mask.sum())
    frame = frame[~(no_code.to_numpy() | zero | twice)].reset_index(drop=True)
    frame, unknown = wide.drop_not_countries(frame, unknown_too=True)
    return frame, skipped | unknown


def read_workbook(
    raw: bytes, where: str, today: date, countries: list[str] | None = None, url: str | None = None
) -> Batch:
    """The database workbook's hcpi_m and hcpi_a sheets as one Batch (only ``countries`` if given)."""
    frames, skipped = [], {}
    with workbook.opened(raw, where) as book:
        for sheet, indicator in SHEETS.items():
            if sheet in book.sheetnames:
                table = from_cells(workbook.grid(book[sheet], where), f"{where}[{sheet}]")
                if table is None:
                    raise fail(f"{where}[{sheet}]", "no header row (Country Code, ..., a column per period) found")
                reference = f"{url or where}, sheet {sheet}"
                obs, sheet_skipped = parse_table(table, today, indicator, reference)
                frames.append(obs)
                skipped |= {f"{sheet}: {k}": v for k, v in sheet_skipped.items()}
    observations = pd.concat(frames, ignore_index=True)
    if countries:
        observations = observations[observations["country"].isin(countries)].reset_index(drop=True)
    return Batch(observations, empty_official(), "wb-inflation", skipped=skipped, url=url)


def fetch(session=None, url: str = DEFAULT_URL, timeout: float = 120, *, today: date | None = None,
          countries: list[str] | None = None) -> Batch:
    """Download the workbook and load it; SourceUnavailable when offline or the answer is not a workbook."""
    response = http.get(session, url, timeout, HINT)
    raw = response.content
    if not raw.startswith(b"PK"):
        kind = response.headers.get("Content-Type", "unknown content type")
        raise SourceUnavailable(url, f"the answer is not an .xlsx workbook ({kind})", HINT)
    wanted = [resolve(c) or c for c in countries] if countries else None
    batch = read_workbook(raw, FILE_NAME, today or date.today(), wanted, url)
    batch.file_name, batch.checksum = FILE_NAME, http.sha256(raw)
    return batch
