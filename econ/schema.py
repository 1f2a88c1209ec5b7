"""The tidy shapes every stage speaks, and the vocabulary they use.

One shape for observations, one for official projections, one for projection points.
Each stage checks the frames it receives with the ``check_*`` functions here, so a
mistake is caught where it enters rather than three stages later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

# --- indicators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    unit: str
    frequency: str  # "A" annual, "M" monthly, "Q" quarterly
    label_en: str
    label_fr: str
    unit_en: str
    unit_fr: str
    nonnegative: bool = False
    rate_of_change: bool = False  # a percentage change: it cannot fall below -100 %

    @property
    def lowest(self) -> float:
        """The least value the variable can take: what a band is cut at (zero tonnes of gold, prices
        that cannot fall by more than all of themselves)."""
        return 0.0 if self.nonnegative else -100.0 if self.rate_of_change else float("-inf")

    def label(self, lang: str = "fr") -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def unit_label(self, lang: str = "fr") -> str:
        return self.unit_fr if lang == "fr" else self.unit_en


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator("gdp_growth", "%", "A", "Real GDP growth", "Croissance du PIB réel", "%", "%", rate_of_change=True),
        Indicator("inflation", "%", "A", "Inflation (annual average)", "Inflation (moyenne annuelle)", "%", "%",
                  rate_of_change=True),
        Indicator(
            "inflation_eop", "%", "A", "Inflation (end of period, December on December)",
            "Inflation (fin de période, glissement décembre sur décembre)", "%", "%", rate_of_change=True,
        ),
        Indicator("cpi", "index", "M", "Consumer price index", "Indice des prix à la consommation", "index", "indice", True),
        Indicator(
            "gold_production", "tonnes", "A", "Gold production (total)", "Production d'or (totale)", "tonnes", "tonnes", True
        ),
        Indicator(
            "gold_production_industrial",
            "tonnes",
            "A",
            "Gold production (industrial mines)",
            "Production d'or (mines industrielles)",
            "tonnes",
            "tonnes",
            True,
        ),
        Indicator(
            "fiscal_balance", "% of GDP", "A", "Overall fiscal balance (incl. grants)",
            "Solde budgétaire global (dons compris)", "% of GDP", "% du PIB",
        ),
        Indicator("public_debt", "% of GDP", "A", "Public debt", "Dette publique", "% of GDP", "% du PIB", True),
    ]
}

FREQUENCY_NAMES = {"A": ("annual", "annuelle"), "M": ("monthly", "mensuelle"), "Q": ("quarterly", "trimestrielle")}

# --- periods --------------------------------------------------------------------------------

_PERIOD_PATTERNS = {
    "A": re.compile(r"^(\d{4})$"),
    "M": re.compile(r"^(\d{4})-(\d{2})$"),
    "Q": re.compile(r"^(\d{4})Q([1-4])$"),
}


def period_frequency(period: str) -> str | None:
    """The frequency a period string is written in, or None when it is not a valid period."""
    for freq, pattern in _PERIOD_PATTERNS.items():
        m = pattern.match(period)
        if m and (freq != "M" or 1 <= int(m.group(2)) <= 12):
            return freq
    return None


def period_start(period: str) -> pd.Timestamp:
    """First day of a period: ``2024`` -> 2024-01-01, ``2024-03`` -> 2024-03-01, ``2024Q2`` -> 2024-04-01."""
    freq = period_frequency(period)
    if freq == "A":
        return pd.Timestamp(int(period), 1, 1)
    if freq == "M":
        return pd.Timestamp(int(period[:4]), int(period[5:7]), 1)
    if freq == "Q":
        return pd.Timestamp(int(period[:4]), 3 * int(period[5]) - 2, 1)
    raise ValueError(f"not a period: {period!r}")


def period_end(period: str) -> pd.Timestamp:
    """Last instant of a period, used to refuse actual values dated in the future."""
    freq = period_frequency(period)
    months = {"A": 12, "M": 1, "Q": 3}[freq] if freq else None
    if months is None:
        raise ValueError(f"not a period: {period!r}")
    return period_start(period) + pd.DateOffset(months=months) - pd.Timedelta(microseconds=1)


def period_year(period: str) -> int:
    return int(period[:4])


# --- countries ------------------------------------------------------------------------------

WAEMU = ("BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO")

# Aggregates that publishers report on (the BCEAO speaks for the union as a whole).
AGGREGATES = {"WAEMU": ("WAEMU", "UEMOA")}


# --- frames ---------------------------------------------------------------------------------

OBSERVATION_COLUMNS = ["country", "indicator", "period", "value", "unit", "source", "reference", "note"]
OFFICIAL_COLUMNS = ["publisher", "published", "country", "indicator", "target_period", "value", "reference", "note"]
POINT_COLUMNS = ["country", "indicator", "period", "model", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
TEXT_COLUMNS = ("unit", "source", "reference", "note")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located the way an editor wants it."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class InputError(Exception):
    """Bad input: every problem found (up to a cap), so the user fixes them in one pass."""

    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False
    total: int | None = None  # how many were found in all, when that is known

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.truncated:
            more = (self.total or 0) - len(self.problems)
            lines.append(f"... and {more:,} more" if more > 0 else "... (more problems not shown)")
        return "\n".join(lines)


def _check_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks columns {missing}")


def check_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """The observation contract: known codes, valid periods, float values, string text columns."""
    _check_columns(frame, OBSERVATION_COLUMNS, "observation")
    unknown = set(frame["indicator"]) - set(INDICATORS)
    if unknown:
        raise ValueError(f"unknown indicators {sorted(unknown)}")
    if frame["value"].dtype.kind != "f":
        raise ValueError("observation values must be floats")
    return frame[OBSERVATION_COLUMNS]


def check_official(frame: pd.DataFrame) -> pd.DataFrame:
    _check_columns(frame, OFFICIAL_COLUMNS, "official projection")
    return frame[OFFICIAL_COLUMNS]


def check_points(frame: pd.DataFrame) -> pd.DataFrame:
    """Projection points: intervals nest around the mean (95 % outside 80 %)."""
    _check_columns(frame, POINT_COLUMNS, "projection")
    bad = ~(
        (frame["lower_95"] <= frame["lower_80"] + 1e-9)
        & (frame["lower_80"] <= frame["mean"] + 1e-9)
        & (frame["mean"] <= frame["upper_80"] + 1e-9)
        & (frame["upper_80"] <= frame["upper_95"] + 1e-9)
    )
    if bad.any():
        raise ValueError(f"projection intervals do not nest on {int(bad.sum())} rows")
    return frame


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "str") for c in OBSERVATION_COLUMNS})


def empty_official() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "str") for c in OFFICIAL_COLUMNS})
