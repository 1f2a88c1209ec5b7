"""Validation that tells the truth: every problem, where it is, in the user's own column names.

Every loader ends here. Rows arrive as text cells with the line each came from; checks are
vectorised (codes and periods are resolved once per distinct value, not once per row) so
a million-row file is checked in about a second. Problems are reported as
``file:line: column: problem``, all of them up to ``CAP``; nothing partial is returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from econ.countries import resolve
from econ.plausibility import check_plausible
from econ.schema import (
    FREQUENCY_NAMES,
    INDICATORS,
    OBSERVATION_COLUMNS,
    OFFICIAL_COLUMNS,
    InputError,
    Problem,
    period_frequency,
)
from econ.sources.codes import refusal, resolve_indicator
from econ.sources.text import EMPTY, NOT_FINITE, OK, normalize_date, normalize_period, parse_numbers, publication_end

CAP = 50
OFFICIAL_FORMAT = "publisher,published,country,indicator,target_year,value"
Label = str | np.ndarray  # the column name to show: one for all rows, or one per row (wide layouts)


class Problems:
    """Problems found so far; builds messages only for the first ``CAP + 1`` rows of each check.

    They are listed by line, then in the order of the file's columns (``header``), so a wide
    row reads left to right; problems about a whole row (duplicates) come last on their line.
    """

    def __init__(self, where: str, header: list[str] | None = None) -> None:
        self.where = where
        self.count = 0
        self._items: list[Problem] = []
        self._order = {name: i for i, name in reversed(list(enumerate(header or [])))}

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.count += 1
        self._items.append(Problem(self.where, line, column, message))

    def add_rows(self, mask: np.ndarray, lines, label: Label | None, message: Callable[[int], str]) -> None:
        """One problem per row in mask (lines: one per row, or None for rows from an API)."""
        rows = np.flatnonzero(mask)
        self.count += len(rows)
        for i in rows[: CAP + 1]:
            column = label[i] if isinstance(label, np.ndarray) else label
            self._items.append(Problem(self.where, None if lines is None else int(lines[i]), column, message(i)))

    def error(self) -> InputError | None:
        if not self.count:
            return None
        ordered = sorted(self._items, key=lambda p: (p.line or 0, self._order.get(p.column, len(self._order))))
        return InputError(ordered[:CAP], truncated=self.count > CAP, total=self.count)

    def raise_if_any(self) -> None:
        if error := self.error():
            raise error


@dataclass
class Coded:
    """A column resolved once per distinct text: row codes into the distinct canonical values.

    ``codes`` is -1 where the text did not resolve; ``texts`` keeps what the user wrote.
    """

    codes: np.ndarray
    values: np.ndarray
    raw_codes: np.ndarray
    texts: list[str]

    def __getitem__(self, i: int) -> str | None:
        return self.values[self.codes[i]] if self.codes[i] >= 0 else None

    def raw(self, i: int) -> str:
        return self.texts[self.raw_codes[i]]

    def per_value(self, func: Callable[[str], object], missing: object, dtype=object) -> np.ndarray:
        """func of each row's canonical value, computed once per distinct value."""
        table = np.empty(len(self.values) + 1, dtype=dtype)
        table[:] = [func(v) for v in self.values] + [missing]
        return table[self.codes]

    def column(self, func: Callable[[str], str | None] | None = None) -> pd.Series:
        """The canonical values (or func of them) as a str column, NA where unresolved: one vectorised take."""
        values = self.values if func is None else [func(v) for v in self.values]
        return pd.Series(pd.array(values, dtype="str").take(self.codes, allow_fill=True))


def coded(cells: pd.Series, resolve_text: Callable[[str], str | None], empty: str | None = None) -> Coded:
    """Resolve each distinct text once; an empty cell becomes ``empty`` (None: unresolved, code -1)."""
    raw_codes, uniques = pd.factorize(cells.fillna(""))
    texts = [str(u).strip() for u in uniques]
    canonical = np.empty(len(texts), dtype=object)
    canonical[:] = [resolve_text(t) if t else empty for t in texts]
    small, values = pd.factorize(canonical)
    return Coded(small[raw_codes].astype(np.int64), np.asarray(values, dtype=object), raw_codes, texts)


# --- the checks shared by observations and official projections -----------------------------


def check_countries(cells: pd.Series, lines, label: Label, problems: Problems) -> Coded:
    """ISO3 codes (or WAEMU); unknown names reported as written."""
    country = coded(cells, resolve)
    problems.add_rows(
        country.codes < 0, lines, label,
        lambda i: f"unknown country {country.raw(i)!r}" if country.raw(i)
        else "empty: a country code or name is needed",
    )
    return country


def check_indicators(cells: pd.Series, lines, label: Label, problems: Problems) -> Coded:
    """econ indicator codes; unknown ones reported with the list of known codes."""
    indicator = coded(cells, resolve_indicator)
    known = ", ".join(INDICATORS)

    def message(i: int) -> str:
        text = indicator.raw(i)
        if not text:
            return "empty: an indicator code is needed"
        return refusal(text) or f"unknown indicator {text!r} (known: {known})"

    problems.add_rows(indicator.codes < 0, lines, label, message)
    return indicator


def check_periods(cells: pd.Series, indicator: Coded, lines, label: Label, problems: Problems) -> Coded:
    """Periods in econ's spelling, of the indicator's frequency."""
    period = coded(cells, normalize_period)
    problems.add_rows(
        period.codes < 0, lines, label,
        lambda i: f"{period.raw(i)!r} is not a period (expected 2024, 2024-03 or 2024Q1)" if period.raw(i)
        else "empty: a period is needed (2024, 2024-03 or 2024Q1)",
    )
    have = period.per_value(period_frequency, "")
    want = indicator.per_value(lambda c: INDICATORS[c].frequency, "")
    wrong = (have != "") & (want != "") & (have != want)

    def message(i: int) -> str:
        names = FREQUENCY_NAMES[have[i]][0], FREQUENCY_NAMES[want[i]][0]
        article = "an" if names[0][0] in "aeiou" else "a"
        return f"{period[i]} is {article} {names[0]} period but {indicator[i]} is {names[1]}"

    problems.add_rows(wrong, lines, label, message)
    return period


def first_day(period: str) -> int:
    """The ordinal of a period's first day (periods are valid here)."""
    year, freq = int(period[:4]), period_frequency(period)
    month = {"A": 1, "M": int(period[5:7]) if freq == "M" else 1, "Q": 3 * int(period[-1]) - 2}[freq]
    return date(year, month, 1).toordinal()


def check_values(cells: pd.Series, indicator: Coded, lines, label: Label, problems: Problems) -> np.ndarray:
    """Float values: numbers only, finite, and not negative where the indicator cannot be."""
    values, status = parse_numbers(cells)
    raw = cells.to_numpy(dtype=object)

    def message(i: int) -> str:
        if status[i] == EMPTY:
            return "empty: a value is needed (leave out rows without one)"
        text = str(raw[i]).strip()
        return f"{text!r} is not a finite number" if status[i] == NOT_FINITE else f"{text!r} is not a number"

    problems.add_rows(status != OK, lines, label, message)
    nonnegative = indicator.per_value(lambda c: INDICATORS[c].nonnegative, False, bool)
    problems.add_rows(
        nonnegative & (values < 0), lines, label,
        lambda i: f"{str(raw[i]).strip()!r} is negative, but {indicator[i]} cannot be",
    )
    return values


@dataclass
class Figures:
    """The values checked by ``check_values``, with the cells as written and their column's name, so a
    duplicate key can say whether the two rows give the same figure or conflicting ones."""

    values: np.ndarray
    cells: pd.Series
    label: Label


def conflict_text(first_at: str, first: str, this_at: str, this: str, what: str, dated: bool) -> str:
    """Two rows, one key, two values: said alike by the check of a file read whole and of one streamed."""
    hint = "keep one" if dated else "keep one, or date each in a published column"
    return f"{first_at} gives {first} for the same {what}, {this_at} gives {this}: {hint}"


def check_duplicates(keys: list[Coded], lines, problems: Problems, figures: Figures | None = None,
                     names: str = "key", dated: bool = True) -> None:
    """The same key twice in one input: the later row names the line of the first.

    Two rows that give different values for one key (``names``: what the key is, in words) are a
    conflict, reported in the value's column with both values as written; rows that repeat the
    same value are a plain duplicate."""
    valid = np.logical_and.reduce([k.codes >= 0 for k in keys])
    combined = pd.Series(_pack([k.codes for k in keys]))
    repeated = combined.duplicated(keep="first").to_numpy() & valid
    if not repeated.any():
        return
    first = combined[valid].drop_duplicates(keep="first")
    first_row = pd.Series(first.index, index=first.to_numpy()).reindex(combined.to_numpy()).to_numpy()
    first_row = np.where(repeated, first_row, np.arange(len(combined))).astype(np.int64)

    def key(i: int) -> str:
        return ", ".join(str(k[i]) for k in keys if k[i])  # an empty optional key (no publication date) is not shown

    def origin(i: int) -> str:
        return f"line {int(lines[first_row[i]])}" if lines is not None else "another row"

    conflict = np.zeros(len(combined), dtype=bool)
    if figures is not None:
        values = np.asarray(figures.values, dtype="float64")
        conflict = repeated & np.isfinite(values) & np.isfinite(values[first_row]) & (values != values[first_row])
        cells = figures.cells.to_numpy(dtype=object)
        this = "this line" if lines is not None else "this row"
        problems.add_rows(
            conflict, lines, figures.label,
            lambda i: conflict_text(origin(i), str(cells[first_row[i]]).strip(), this, str(cells[i]).strip(),
                                    f"{names} ({key(i)})", dated),
        )
    problems.add_rows(repeated & ~conflict, lines, None,
                      lambda i: f"duplicate of {origin(i)} ({key(i)})" if lines is not None else f"duplicate ({key(i)})")


def _pack(codes: list[np.ndarray]) -> np.ndarray:
    """Several integer codes folded into one, so duplicates are found by hashing a single column."""
    packed = codes[0]
    for c in codes[1:]:
        packed = pd.factorize(packed * (int(c.max(initial=0)) + 2) + (c + 1))[0].astype(np.int64)
    return packed


# --- building the frames --------------------------------------------------------------------


def text_column(rows: pd.DataFrame, name: str) -> pd.Series:
    """A free-text column stripped, with empty cells as NA (pandas' str dtype)."""
    if name not in rows:
        return pd.Series(pd.array([None], dtype="str").take(np.zeros(len(rows), dtype=np.int64)))
    return coded(rows[name], lambda t: t).column()


def check_future(period: Coded, lines, label: Label, today: date, problems: Problems) -> None:
    """Actuals cannot be dated after today: a later period is a projection, and has its own file."""
    late = period.per_value(first_day, 0, np.int64) > today.toordinal()
    problems.add_rows(
        late, lines, label,
        lambda i: f"{period[i]} is in the future (today is {today}): an actual value cannot be dated after "
        f"today; projections belong in an official projections file ({OFFICIAL_FORMAT})",
    )


def check_published(cells: pd.Series, lines, label: Label, today: date, problems: Problems,
                    required: bool = True) -> Coded:
    """Publication dates as 2025, 2025-10 or 2025-10-15, none after today.

    Where the date is optional (observations), an empty cell resolves to ``""``: no known date.
    """
    published = coded(cells, normalize_date, empty=None if required else "")
    problems.add_rows(
        published.codes < 0, lines, label,
        lambda i: f"{published.raw(i)!r} is not a publication date (expected 2025, 2025-10 or 2025-10-15)"
        if published.raw(i) else "empty: the publication date is needed (2025, 2025-10 or 2025-10-15)",
    )
    late = published.per_value(lambda p: bool(p) and p > today.isoformat()[: len(p)], False, bool)
    problems.add_rows(late, lines, label, lambda i: f"{published[i]} is after today ({today})")
    return published


def check_published_after_period(published: Coded, period: Coded, lines, label: Label, problems: Problems) -> None:
    """An actual figure cannot be published before its period has begun (2024 published in 2023)."""
    ends = published.per_value(lambda p: publication_end(p).toordinal() if p else 0, 0, np.int64)
    starts = period.per_value(first_day, 0, np.int64)
    early = (ends > 0) & (starts > 0) & (ends < starts)
    problems.add_rows(
        early, lines, label,
        lambda i: f"{published[i]} is before the period {period[i]} begins: an actual figure is published after "
        "its period starts",
    )


def optional_published(rows: pd.DataFrame, period: Coded, lines, labels: dict[str, Label], today: date,
                       problems: Problems) -> Coded | None:
    """The optional ``published`` column of observations, checked; None when the file has none."""
    if "published" not in rows:
        return None
    label = labels.get("published", "published")
    published = check_published(rows["published"], lines, label, today, problems, required=False)
    check_published_after_period(published, period, lines, label, problems)
    return published


def observations(rows: pd.DataFrame, lines, labels: dict[str, Label], where: str, today: date,
                 header: list[str] | None = None) -> pd.DataFrame:
    """Check text rows (country, indicator, period, value[, unit, source, reference, note, published]) and
    build the observation frame, or raise InputError with every problem found (in ``header`` order).

    A ``published`` column (when the file has one) is kept as text (``2025``, ``2025-10``,
    ``2025-10-15``; NA where empty): the store turns it into the figure's vintage. Then the same
    period may appear once per publication date."""
    problems = Problems(where, header)
    country = check_countries(rows["country"], lines, labels["country"], problems)
    indicator = check_indicators(rows["indicator"], lines, labels["indicator"], problems)
    period = check_periods(rows["period"], indicator, lines, labels["period"], problems)
    check_future(period, lines, labels["period"], today, problems)
    values = check_values(rows["value"], indicator, lines, labels["value"], problems)
    check_plausible(values, indicator, lines, labels["value"], problems)
    published = optional_published(rows, period, lines, labels, today, problems)
    figures = Figures(values, rows["value"], labels["value"])
    if published is None:
        check_duplicates([country, indicator, period], lines, problems, figures, "country, indicator and period",
                         dated=False)
    else:
        check_duplicates([country, indicator, period, published], lines, problems, figures,
                         "country, indicator, period and publication date")
    problems.raise_if_any()
    columns = {"country": country.column(), "indicator": indicator.column(), "period": period.column()}
    columns |= {"value": pd.Series(values, dtype="float64"), "unit": _units(rows, indicator)}
    columns |= {name: text_column(rows, name) for name in ("source", "reference", "note")}
    if published is None:
        return pd.DataFrame(columns)[OBSERVATION_COLUMNS]
    dates = published.column()
    columns["published"] = dates.where(dates != "")
    return pd.DataFrame(columns)[[*OBSERVATION_COLUMNS, "published"]]


def _units(rows: pd.DataFrame, indicator: Coded) -> pd.Series:
    """The file's unit where given, else the indicator's own (the store keeps a unit per series)."""
    default = indicator.column(lambda c: INDICATORS[c].unit)
    if "unit" not in rows:
        return default
    unit = text_column(rows, "unit")
    return unit.fillna(default) if unit.isna().any() else unit


def official(rows: pd.DataFrame, lines, labels: dict[str, Label], where: str, today: date,
             header: list[str] | None = None) -> pd.DataFrame:
    """Check official projection rows (publisher, published, country, indicator, target, value[,
    reference, note]) and build the official frame, or raise InputError with every problem."""
    problems = Problems(where, header)
    publisher = coded(rows["publisher"], lambda t: t)
    problems.add_rows(
        publisher.codes < 0, lines, labels["publisher"],
        lambda i: "empty: the publisher is needed (IMF, World Bank, BCEAO, ...)",
    )
    published = check_published(rows["published"], lines, labels["published"], today, problems)
    country = check_countries(rows["country"], lines, labels["country"], problems)
    indicator = check_indicators(rows["indicator"], lines, labels["indicator"], problems)
    target = check_periods(rows["target"], indicator, lines, labels["target"], problems)
    values = check_values(rows["value"], indicator, lines, labels["value"], problems)
    check_plausible(values, indicator, lines, labels["value"], problems)
    check_duplicates([publisher, published, country, indicator, target], lines, problems,
                     Figures(values, rows["value"], labels["value"]),
                     "publisher, publication date, country, indicator and target period")
    problems.raise_if_any()
    keys = {"publisher": publisher, "published": published, "country": country, "indicator": indicator}
    keys["target_period"] = target
    columns = {name: key.column() for name, key in keys.items()} | {"value": pd.Series(values, dtype="float64")}
    columns |= {name: text_column(rows, name) for name in ("reference", "note")}
    return pd.DataFrame(columns)[OFFICIAL_COLUMNS]
