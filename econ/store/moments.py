"""The store's idea of time: naive UTC datetimes, "as of" moments and publication dates.

A figure's ``vintage`` is the moment from which it counts as known: its publication date where
the publisher's release is known (the END of the day, month or year given, and never later than
the moment this store loaded it: whoever loaded it had it), else the moment it was loaded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pandas as pd

from econ.sources.text import publication_end


def utcnow() -> datetime:
    """Vintages are naive UTC datetimes, the same on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_as_of(value: str | date | datetime | None) -> datetime | None:
    """``2025-01-31`` -> end of that day; an ISO timestamp -> that instant (converted to UTC)."""
    if value is None or isinstance(value, datetime):
        return _to_utc(value) if value is not None else None
    if isinstance(value, date):
        return datetime.combine(value, time.max)
    text = str(value).strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time.max)
    return _to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def published_moments(values: pd.Series) -> pd.Series:
    """Publication dates (``2025-10-14``, ``2024-04``, ``2025``, a datetime, or NA) as the moment each
    figure was surely out: the end of the day, month or year written (datetime64[us], NaT where unknown).

    Text is parsed once per distinct value: a million rows of one release cost one parse.
    """
    if values.dtype.kind == "M":
        return values.astype("datetime64[us]")
    codes, uniques = pd.factorize(values)
    ends = [_moment(u) for u in uniques]
    table = pd.Series(pd.to_datetime([*ends, None]).astype("datetime64[us]"))
    return pd.Series(table.to_numpy()[codes], index=values.index)


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return _to_utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time.max)
    text = str(value).strip()
    return publication_end(text) if text else None


def vintages_from(published: pd.Series, loaded_at: datetime) -> pd.Series:
    """vintage = the publication moment where known, but never after the load: else the load moment."""
    return published.where(published.notna() & (published < loaded_at), pd.Timestamp(loaded_at)).astype(
        "datetime64[us]"
    )
