"""Excel ``.xlsx`` workbooks: the first sheet whose header fits a layout is loaded.

A sheet is tried when one of its first 30 rows reads as a header (long, wide or official
projections); notes or chart sheets before it are passed over. Problems name the sheet and
its row numbers as Excel shows them: ``file.xlsx[Feuil1]:12: valeur: 'abc' is not a number``.
The World Bank Global Inflation Database workbook (sheet ``hcpi_m``) is recognised by its
sheets and read by ``wb_inflation``.
"""

from __future__ import annotations

from datetime import date

from econ.sources import layouts, wb_inflation, workbook
from econ.sources.base import Batch
from econ.sources.table import from_cells
from econ.sources.text import fail
from econ.sources.validate import OFFICIAL_FORMAT

EXPECTED = f"country,indicator,period,value (or a year per column), or {OFFICIAL_FORMAT}"


def read(raw: bytes, where: str, today: date) -> Batch:
    """The first fitting sheet as a Batch (kind "xlsx", or "official"/"wb-inflation" by layout)."""
    with workbook.opened(raw, where) as book:
        if wb_inflation.is_database(book.sheetnames):
            return wb_inflation.read_workbook(raw, where, today)
        for sheet in book.worksheets:
            table = from_cells(workbook.grid(sheet, where), f"{where}[{sheet.title}]")
            if table is not None:
                layout, observations, official, skipped = layouts.parse(table, today)
                kind = layout if layout in ("official", "wb-inflation") else "xlsx"
                return Batch(observations, official, kind, skipped=skipped)
        names = ", ".join(book.sheetnames) or "none"
    raise fail(where, f"no sheet has a header this loader knows (sheets: {names}); expected {EXPECTED}")
