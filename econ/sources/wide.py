"""Wide layouts: a period per column, World Bank style, as statistics institutes also publish.

Accepted id columns: ``country``/``pays``/``Country Code``/``Country Name`` and
``indicator``/``indicateur``/``Series Code``/``Indicator Code`` (codes are preferred to names
when both are there). Period columns: ``1990``, ``1990 [YR1990]`` (DataBank), ``2024-03``,
``2024M03``, ``202403``, ``2024Q1``. Quirks handled:

- World Bank CSV downloads start with four lines of junk ("Data Source", "Last Updated
  Date") and end with a trailing comma; DataBank exports end with footer lines ("Data from
  database: ..."). Rows without any value are not data and are left out.
- ``..`` (World Bank), ``n.d.``, ``-`` and empty cells mean "no value": skipped, not errors.
- World Bank downloads include regions and income groups (``WLD``, ``SSF``...): skipped and
  counted in ``Batch.skipped``, since they are not countries.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from econ.countries import resolve
from econ.sources import codes, validate
from econ.sources.table import Table, require
from econ.sources.text import MISSING, looks_like_period, normalize_period

OPTIONAL = ("unit", "source", "reference", "note", "published")  # published: one date for the row


def period_columns(table: Table, roles: dict[str, int]) -> list[tuple[int, str, str]]:
    """(position, header, period) of each period column; a header that starts with a year
    but is not a valid period is reported on the header line."""
    problems = validate.Problems(table.where)
    found = []
    for j, header in enumerate(table.header):
        if j in roles.values():
            continue
        period = normalize_period(header, yyyymm=True)
        if period:
            found.append((j, header, period))
        elif looks_like_period(header):
            problems.add(table.header_line, header, f"{header!r} is not a period (expected 2024, 2024-03 or 2024Q1)")
    problems.raise_if_any()
    return found


def melt(table: Table, columns: list[tuple[int, str, str]]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per non-missing cell: (frame with row/period/value, source row index, header of the cell)."""
    cells = table.rows[[j for j, _, _ in columns]].to_numpy(dtype=object)
    n, k = cells.shape
    flat = pd.Series(cells.ravel(), dtype="str")
    keep = ~flat.str.strip().str.lower().isin(MISSING).to_numpy()
    row = np.repeat(np.arange(n), k)[keep]
    col = np.tile(np.arange(k), n)[keep]
    periods = np.array([p for _, _, p in columns] or [""], dtype=object)
    headers = np.array([h for _, h, _ in columns] or [""], dtype=object)
    frame = pd.DataFrame({"period": periods[col], "value": flat[keep].to_numpy(dtype=object)})
    return frame, row, headers[col]


def drop_not_countries(frame: pd.DataFrame, *, unknown_too: bool = False) -> tuple[pd.DataFrame, dict[str, int]]:
    """Leave out World Bank aggregates (and, for bulk databases, any unknown code), counting them."""
    texts = frame["country"].fillna("").str.strip()
    distinct = texts.unique()
    skip = {t for t in distinct if t and resolve(t) is None and (unknown_too or t.upper() in codes.WB_NOT_COUNTRIES)}
    if not skip:
        return frame, {}
    dropped = texts.isin(skip).to_numpy()
    skipped = texts[dropped].value_counts().to_dict()
    return frame[~dropped].reset_index(drop=True), {str(k): int(v) for k, v in skipped.items()}


def parse(table: Table, today: date) -> tuple[pd.DataFrame, dict[str, int]]:
    """Validated observations from a wide table, plus the counts of skipped aggregates."""
    roles = require(table, ("country", "indicator"))
    frame, row, headers = melt(table, period_columns(table, roles))
    for role in ("country", "indicator", *OPTIONAL):
        if role in roles:
            frame[role] = table.rows[roles[role]].to_numpy(dtype=object)[row]
    if "source" not in roles:
        frame["source"] = frame["indicator"].map(_wdi_source)
    frame["line"] = table.lines[row]
    frame["label"] = headers
    frame, skipped = drop_not_countries(frame)
    labels = {role: table.header[roles[role]] for role in ("country", "indicator", "published") if role in roles}
    labels |= {"period": frame["label"].to_numpy(object), "value": frame["label"].to_numpy(object)}
    return validate.observations(frame, frame["line"].to_numpy(), labels, table.where, today, table.header), skipped


def _wdi_source(indicator: str) -> str | None:
    code = str(indicator).strip().upper()
    return codes.wdi_source(code) if code in codes.WDI else None
