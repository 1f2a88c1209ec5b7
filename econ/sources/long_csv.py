"""The interchange layout, one observation a row:
``country,indicator,period,value[,unit][,source][,reference][,note][,published]``.

``published`` (optional: ``2025-10-14``, ``2024-04`` or ``2025``) is when the publisher released the
figure; the store makes it the figure's vintage (the end of that day, month or year), so the same
period may appear once per publication.

Headers are matched without regard to case or accents, in English or French (``pays,
indicateur, période, valeur, unité, source, référence, note``). Other columns (``frequency``)
are ignored. This is the bulk path: a million rows parse and validate in about two seconds.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from econ.sources import validate
from econ.sources.table import Table, require

REQUIRED = ("country", "indicator", "period", "value")
OPTIONAL = ("unit", "source", "reference", "note", "published")


def parse(table: Table, today: date) -> pd.DataFrame:
    """Validated observations from a long table, or InputError with every problem."""
    roles = require(table, REQUIRED)
    rows = pd.DataFrame({role: table.rows[roles[role]] for role in REQUIRED + OPTIONAL if role in roles})
    labels = {role: table.header[roles[role]] for role in (*REQUIRED, "published") if role in roles}
    return validate.observations(rows, table.lines, labels, table.where, today, table.header)
