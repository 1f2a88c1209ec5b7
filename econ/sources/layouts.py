"""Which layout a table is in, and the loader for it: one dispatch for CSV text and Excel sheets."""

from __future__ import annotations

from datetime import date

import pandas as pd

from econ.schema import empty_observations, empty_official
from econ.sources import long_csv, official, wb_inflation, wide
from econ.sources.table import Table, identify, require
from econ.sources.text import fail

NEEDED = {
    "long": long_csv.REQUIRED, "official": official.REQUIRED, "wide": ("country", "indicator"), "wb-inflation": (),
}


def parse(table: Table, today: date) -> tuple[str, pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """(layout, observations, official, skipped) for a table; InputError when it does not fit.

    A header that fits no layout is read as the long layout, so the user is told which of
    its columns are missing.
    """
    layout = identify(table.header) or "long"
    if table.rows.empty:
        require(table, NEEDED[layout])
        raise fail(table.where, "no data rows below the header", line=table.header_line)
    observations, projections, skipped = empty_observations(), empty_official(), {}
    if layout == "official":
        projections = official.parse(table, today)
    elif layout == "wb-inflation":
        observations, skipped = wb_inflation.parse_table(table, today)
    elif layout == "wide":
        observations, skipped = wide.parse(table, today)
    else:
        observations = long_csv.parse(table, today)
    if observations.empty and projections.empty:
        raise fail(table.where, "no values found (every value cell is empty or '..', or belongs to an aggregate)")
    return layout, observations, projections, skipped
