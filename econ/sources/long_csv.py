"""The interchange layout, one observation a row: ``country,indicator,period,value[,unit][,source][,reference][,note]``.

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
OPTIONAL = ("unit", "source", "reference", "note")


def parse(table: Table, today: date) -> pd.DataFrame:
    """Validated observations from a long table, or InputError with every problem."""
    roles = require(table, REQUIRED)
    rows = pd.DataFrame({role: table.rows[roles[role]] for role in REQUIRED + OPTIONAL if role in roles})
    labels = {role: table.header[roles[role]] for role in REQUIRED}
    return validate.observations(rows, table.lines, labels, table.where, today, table.header)
