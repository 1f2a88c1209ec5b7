"""Official projections, one a row: ``publisher,published,country,indicator,target_year,value[,reference][,note]``.

IMF, World Bank, government and BCEAO projections are data too. ``published`` is when the
publisher said it (``2025``, ``2025-10`` or ``2025-10-15``: a press report may give only the
year) and may not be after today; ``target_year`` becomes ``target_period``. Country may be
``WAEMU``/``UEMOA`` for the BCEAO's union-wide figures.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from econ.sources import validate
from econ.sources.table import Table, require

REQUIRED = ("publisher", "published", "country", "indicator", "target", "value")
OPTIONAL = ("reference", "note")


def parse(table: Table, today: date) -> pd.DataFrame:
    """Validated official projections, or InputError with every problem."""
    roles = require(table, REQUIRED)
    rows = pd.DataFrame({role: table.rows[roles[role]] for role in REQUIRED + OPTIONAL if role in roles})
    labels = {role: table.header[roles[role]] for role in REQUIRED}
    return validate.official(rows, table.lines, labels, table.where, today, table.header)
