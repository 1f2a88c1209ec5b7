"""Information sets: what the forecaster knew on a given day.

A projection is made *at a date*. Every figure the engine reads at that date passes this rule:

- a figure with a publication date (its vintage from the publisher: a WEO release, a dated file)
  counts from that date on, and the latest such value is the one used;
- a figure loaded without a publication date counts as published one *lag* after its period
  ended: ``ECON_MONTHLY_LAG_MONTHS`` (1 by default: March's CPI is out at the end of April) or
  ``ECON_ANNUAL_LAG_MONTHS`` (0 by default: a year's figure counts once the year is over), or
  when it was loaded, if that came first;
- before a series' first dated release (the IMF's real-time history here starts in April 2019),
  the earliest stored release stands in for the first one, on the lag rule: the closest to "data as
  then published" the store can give.

Backtests cut every series with this rule at each origin (``History.known_at``). The run's own,
final information set is the store's as-of view (``History.as_of``: newest vintage, an analyst's
correction included), so that the projection starts from the figures the dashboard shows.

The *forecast date* of a run is its ``--as-of`` date or, without one, the first day of the month
after the newest figure became known: the same store gives the same date, hence the same numbers.
Its backtest origins are the same day of the month in each earlier year, so that every origin sees
as many months of its year as the run itself does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

HISTORY_COLUMNS = ["period", "value", "vintage", "dated", "loaded_at", "source"]


@dataclass(frozen=True)
class Lags:
    """Months between the end of a period and the publication of its figure, when undated: one
    for a frequency, or a source's own (``ECON_PUBLICATION_LAGS='{"INSTAT": 2}'``: any source whose
    name contains the key)."""

    annual: int = 0
    monthly: int = 1
    by_source: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_settings(cls) -> "Lags":
        from econ.config import get_settings

        settings = get_settings()
        return cls(settings.annual_lag_months, settings.monthly_lag_months,
                   tuple(sorted(settings.publication_lags.items())))

    def available(self, periods: pd.Series, sources: pd.Series | None = None) -> np.ndarray:
        """When each period's figure counts as published: its last day plus the lag."""
        periods = periods.astype(str)
        monthly = periods.str.len() == 7
        years = periods.str[:4].astype(int).to_numpy()
        months = np.where(monthly, periods.str[5:7].where(monthly, "12").astype(int).to_numpy(), 12)
        lag = np.where(monthly, self.monthly, self.annual)
        if sources is not None and self.by_source:
            text = sources.fillna("").astype(str).to_numpy()
            for key, months_late in self.by_source:
                lag = np.where(np.char.find(text.astype(str), key) >= 0, months_late, lag)
        months = months + lag
        # the first day of the month after (year, month), minus a microsecond: the period's last instant
        years, months = years + (months // 12), months % 12 + 1
        first = pd.to_datetime(pd.DataFrame({"year": years, "month": months, "day": 1}))
        return (first - pd.Timedelta(microseconds=1)).to_numpy()


def end_of_day(moment) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time.max)


class History:
    """Every stored vintage of one series, cut at will: what was known at any date."""

    def __init__(self, frame: pd.DataFrame, lags: Lags = Lags()):
        frame = frame.reindex(columns=HISTORY_COLUMNS)
        frame = frame.assign(
            period=frame["period"].astype(str), value=frame["value"].astype(float),
            vintage=pd.to_datetime(frame["vintage"]), dated=frame["dated"].fillna(False).astype(bool),
            loaded_at=pd.to_datetime(frame["loaded_at"]).fillna(pd.to_datetime(frame["vintage"])),
        )
        self.frame = frame.sort_values(["period", "vintage", "loaded_at"], kind="stable").reset_index(drop=True)
        self.monthly = bool(len(self.frame)) and len(self.frame["period"].iloc[0]) == 7
        self._available = (self._published(lags) if len(self.frame) else np.array([], "datetime64[ns]"))
        self._vintage = self.frame["vintage"].to_numpy()
        self._dated = self.frame["dated"].to_numpy()
        dated = self._vintage[self._dated]
        self._first_release = dated.min() if len(dated) else None
        first = self.frame[self.frame["dated"]].drop_duplicates("period", keep="first").index
        self._earliest = np.zeros(len(self.frame), bool)
        self._earliest[first] = True
        codes, labels = pd.factorize(self.frame["period"], sort=True)
        self._period_code = codes
        self._periods = pd.PeriodIndex(labels.to_numpy(), freq="M" if self.monthly else "Y")
        self._values = self.frame["value"].to_numpy(float)

    def __len__(self) -> int:
        return len(self.frame)

    def _published(self, lags: Lags) -> np.ndarray:
        """The lag rule's date, or the load if earlier: a figure in the store was known when it was
        loaded (a government's estimate of the current year, loaded in November, is not news of
        next January)."""
        rule = lags.available(self.frame["period"], self.frame["source"])
        return np.minimum(rule, self.frame["loaded_at"].to_numpy("datetime64[ns]"))

    def known_at(self, moment) -> pd.Series:
        """The series as a forecaster could read it at ``moment`` (the module's rule)."""
        return self._pick(*self._usable(moment))

    def newest_known_at(self, moment) -> pd.Timestamp | None:
        """When the newest figure read at ``moment`` became known: the data vintage of a run dated
        then (before the first dated release, the period's end plus the lag, not a later release)."""
        usable, effective = self._usable(moment)
        return pd.Timestamp(effective[usable].max()) if usable.any() else None

    def _usable(self, moment) -> tuple[np.ndarray, np.ndarray]:
        at = np.datetime64(end_of_day(moment))
        undated = ~self._dated & (self._available <= at)
        dated = self._dated & (self._vintage <= at)
        effective = np.where(dated, self._vintage, self._available)
        usable = undated | dated
        if self._first_release is not None and at < self._first_release:
            usable |= self._earliest & (self._available <= at)  # their effective date: the lag rule's
        return usable, effective

    def as_of(self, moment=None) -> pd.Series:
        """The store's view: newest vintage on or before ``moment`` (an analyst's correction included)."""
        usable = np.ones(len(self.frame), bool) if moment is None else self._vintage <= np.datetime64(end_of_day(moment))
        return self._pick(usable, self._vintage)

    def information_date(self) -> pd.Timestamp | None:
        """When the newest figure of the series became known (publication, or period end plus lag)."""
        if not len(self.frame):
            return None
        return pd.Timestamp(np.where(self._dated, self._vintage, self._available).max())

    def _pick(self, usable: np.ndarray, effective: np.ndarray) -> pd.Series:
        """For each period, the usable row with the latest effective date (later loads win ties).

        In numpy rather than a pandas sort: a backtest cuts every series at twenty origins."""
        rows = np.flatnonzero(usable)
        codes = self._period_code[rows]
        order = np.lexsort((rows, effective[rows], codes))  # by period, then effective date, then load order
        codes = codes[order]
        last = np.append(codes[1:] != codes[:-1], True) if len(codes) else np.zeros(0, bool)
        chosen = rows[order[last]]
        return pd.Series(self._values[chosen], index=self._periods[self._period_code[chosen]])


def forecast_date(histories: list[History], as_of=None) -> datetime:
    """The run's date: ``as_of`` itself, else the first of the month after the newest information."""
    if as_of is not None:
        return end_of_day(as_of) if isinstance(as_of, date) and not isinstance(as_of, datetime) else as_of
    known = [h.information_date() for h in histories if len(h)]
    newest = max(known) if known else pd.Timestamp.now().floor("D")
    first = (newest + pd.offsets.MonthBegin(1)).normalize()
    return first.to_pydatetime()


def same_day_years_before(moment: datetime, years: int) -> datetime:
    """``moment`` moved back ``years`` years (29 February becomes the 28th)."""
    day = min(moment.day, 28) if moment.month == 2 else moment.day
    return moment.replace(year=moment.year - years, day=day)


def origin_dates(moment: datetime, first_year: int, count: int) -> list[datetime]:
    """Backtest origins: the same day in each of up to ``count`` earlier years, oldest first, none
    before ``first_year``."""
    out = [same_day_years_before(moment, k) for k in range(1, count + 1)]
    return sorted(o for o in out if o.year >= first_year)
