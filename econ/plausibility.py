"""Plausible ranges: a value outside them is a typing or export slip, not an economy.

``1e308`` read as inflation would otherwise reach the forecasts and the scorecard. The ranges are
data, beside the norms: ``econ/data/plausible_ranges.csv`` (indicator, min, max, unit, reason),
read once. ``ECON_PLAUSIBLE_RANGES_FILE`` names a CSV of the same shape whose rows add to or
replace the bundled ones (a user loading Zimbabwe's 2008 inflation widens that range there).
Every loader refuses a value outside its range, naming the range, its reason and the setting.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from econ.config import get_settings
from econ.schema import INDICATORS, InputError, Problem

BUNDLED = Path(__file__).with_name("data") / "plausible_ranges.csv"
SETTING = "ECON_PLAUSIBLE_RANGES_FILE"


@dataclass(frozen=True)
class Range:
    """Where the values of one indicator may lie, and why."""

    indicator: str
    low: float
    high: float
    unit: str
    reason: str

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high

    def text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.low:,g} to {self.high:,g}{unit}"


def ranges() -> dict[str, Range]:
    """The ranges in force: the bundled file, then the user's (``ECON_PLAUSIBLE_RANGES_FILE``)."""
    extra = get_settings().plausible_ranges_file
    return _load(str(extra) if extra else None)


@lru_cache(maxsize=4)
def _load(extra: str | None) -> dict[str, Range]:
    found = _read(BUNDLED)
    if extra:
        found |= _read(Path(extra))
    return found


def _read(path: Path) -> dict[str, Range]:
    """One ranges file; a bad row is an InputError naming its line, like any data file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        why = f"plausible ranges cannot be read ({err.strerror}; setting {SETTING})"
        raise InputError([Problem(str(path), None, None, why)]) from None
    found, problems = {}, []
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            found[row["indicator"].strip()] = _range(row)
        except (KeyError, ValueError, AttributeError) as err:
            why = f"not a plausible range ({err}); expected indicator,min,max,unit,reason"
            problems.append(Problem(str(path), line, None, why))
    if problems:
        raise InputError(problems)
    return found


def _range(row: dict) -> Range:
    indicator, low, high = row["indicator"].strip(), float(row["min"]), float(row["max"])
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"min {low:g} must be below max {high:g}")
    return Range(indicator, low, high, (row.get("unit") or "").strip(), (row.get("reason") or "").strip())


def outside(indicator: str, value: float) -> Range | None:
    """The range a value breaks, or None when it is plausible (or the indicator has no range)."""
    found = ranges().get(indicator)
    return found if found is not None and not found.holds(value) else None


def refusal(indicator: str, value: float) -> str:
    """``1e+308 is outside the plausible range for inflation (-100 to 100,000 %; ...)``."""
    found = ranges()[indicator]
    return (f"{value:g} is outside the plausible range for {indicator} ({found.text()}: {found.reason}; "
            f"setting {SETTING} widens it)")


def check_plausible(values: np.ndarray, indicator, lines, label, problems) -> None:
    """The loaders' hook (``econ.sources.validate``): one problem per implausible value.

    ``indicator`` is the validated column (codes resolved once per distinct value), so the
    bounds are looked up per indicator, not per row. A negative value of an indicator that cannot
    be negative, or an infinite one, is already reported as such, and is not reported twice.
    """
    table = ranges()
    low = indicator.per_value(lambda c: table[c].low if c in table else -np.inf, np.nan, float)
    high = indicator.per_value(lambda c: table[c].high if c in table else np.inf, np.nan, float)
    nonnegative = indicator.per_value(lambda c: INDICATORS[c].nonnegative, False, bool)
    with np.errstate(invalid="ignore"):
        bad = ((values < low) | (values > high)) & np.isfinite(values) & ~(nonnegative & (values < 0))
    problems.add_rows(bad, lines, label, lambda i: refusal(indicator[i], float(values[i])))
