"""Candidates at dated origins: every model's and every official forecaster's projection, made with
what was known on the day.

An *origin* is a date. At each origin a series is cut to what was known then
(``econ.realtime``): annual figures as then published, monthly CPI up to the last month then out,
gold output as then known, and the official projections then published. Every model is fitted on
that cut and projects the years after the last known one; every publisher's latest projection of
those years becomes a candidate too (``official:IMF``...). Nothing here combines or calibrates:
``econ.combine`` does that, origin after origin, from the errors known at each.

A row's *lead* is its target year minus the origin's year: a projection made on 1 February 2024
for 2024 has lead 0, for 2025 lead 1; lead -1 is the year before the origin when its figure was
not yet out (a WEO published in October often ends its actuals two years back).

Parameters are re-estimated at every origin (``REFIT_EVERY``), starting from the previous
estimate, as a run made on that day would estimate them: a projection of ``econ backtest`` is
then the one ``econ forecast --as-of`` gives on a store holding what was known that day
(``../shared/tools/realtime_check.py``). Re-estimating only every fifth origin, carrying the
parameters in between, was cheaper but scored Mali's 2020-2023 inflation 10 % better than the
real-time runs: a model order and parameters from years earlier forecast differently from a
fresh fit. When a re-estimation fails, the previous parameters are carried (and the notes say so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from econ.models.base import Fitted, Model, ModelSkipped
from econ.models.growth_gold import GoldInput, gold_growth, tonnage_path
from econ.models.long_run_mean import MAD_TO_SD
from econ.models.monthly_cpi import annual_average_inflation
from econ.realtime import History

BOUNDS = ["lower_80", "upper_80", "lower_95", "upper_95"]
RAW_COLUMNS = ["candidate", "kind", "origin", "lead", "period", "horizon", "monthly", "forecast", *BOUNDS, "naive",
               "scale"]
MIN_TRAIN = 10  # years of data before a first forecast
REFIT_EVERY = 1  # every origin re-estimated, as a run made that day would be
SCALE_YEARS = 20
TRUTH_YEARS = 20
NAIVE = "naive"
OFFICIAL = "official:"
RELEASE = "release:"
ROBUST_SPREADS = 3.0  # annual models are estimated with values pulled in to 3 robust sd of the median
MATCHED_DAYS = 90  # the April WEO against data to December, the October WEO against data to August
FAR_FUTURE = datetime(2200, 1, 1)


# --- what one series is made of ---------------------------------------------------------------


@dataclass
class Cut:
    """One series as known at a date: what a model may be fitted on."""

    moment: datetime
    y: pd.Series  # annual, consecutive years only
    cpi: pd.Series | None = None
    gold: pd.Series | None = None
    gold_path: dict[int, float] = field(default_factory=dict)  # official gold projections then known
    official: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    country: str = ""
    upcoming: pd.DataFrame | None = None  # official releases of the next months: for comparisons only

    @property
    def last_year(self) -> int:
        return int(self.y.index[-1].year)

    @property
    def naive(self) -> float:
        return float(self.y.iloc[-1])

    def scale(self) -> float:
        """The series' typical one-year change (median absolute change over 20 years): errors of every
        series are divided by it, so that eight short histories pool into one long one. The median,
        not the mean, so that one shock (the CFA franc's devaluation in 1994) does not set the scale
        for twenty years and then drop out of it."""
        changes = np.abs(np.diff(self.y.to_numpy()[-(SCALE_YEARS + 1):]))
        value = float(np.median(changes)) if len(changes) else np.nan
        return value if value > 1e-9 else np.nan

    @property
    def monthly(self) -> bool:
        """Whether monthly CPI of the last twelve months informs the cut: then what is known of a
        target year depends on the calendar (the months out by the origin), not on the last annual
        figure, and a projection's band is drawn from errors made at the same lead."""
        if self.cpi is None or len(self.cpi) < 13:  # not one year-on-year rate: the months inform nothing yet
            return False
        last, moment = self.cpi.index[-1], self.moment  # month counts: cheap, Period or Timestamp alike
        return last.year * 12 + last.month >= moment.year * 12 + moment.month - 12

    def cpi_behind(self) -> dict | None:
        """The monthly CPI's last month and the last year with an annual figure, when the CPI holds
        no month of that year: a monthly model would then project a year whose average is known and
        start the years after from older prices than the annual models see (a CPI loaded from the
        World Bank's database, to December 2023, beside the IMF's figures to 2024). Its record was
        earned at origins where the CPI reached into that year, so it is left out."""
        last = self.cpi.index[-1] if self.cpi is not None and len(self.cpi) else None
        if last is None or last.year >= self.last_year:
            return None
        return {"cpi_end": f"{last.year}-{last.month:02d}", "last_year": self.last_year}

    def gold_growth_ahead(self, years: list[int]) -> np.ndarray:
        """Gold output growth (%) in ``years``: known tonnage, else the official projection then
        known, else the last known tonnage carried forward."""
        if self.gold is None or not len(self.gold.dropna()):
            raise ModelSkipped("no gold production series")
        known = {int(p.year): float(v) for p, v in self.gold.dropna().items()}
        if years[0] - 1 < min(known):
            raise ModelSkipped(f"no gold production figure for {years[0] - 1}")
        tonnes = tonnage_path(known, self.gold_path, max(years))
        levels = np.array([tonnes[y - 1] for y in years] + [tonnes[years[-1]]])
        return 100 * (levels[1:] / levels[:-1] - 1)


def behind_text(gap: dict) -> str:
    """``Cut.cpi_behind`` in words, for the model's note and ``econ forecast``."""
    return f"the monthly CPI ends in {gap['cpi_end']}, before {gap['last_year']}, the last year with an annual figure"


def contiguous_tail(y: pd.Series) -> tuple[pd.Series, str | None]:
    """The last run of consecutive years (models need no gaps), and a note when years were dropped."""
    y = y.dropna()
    if len(y) < 2:
        return y, None
    years = np.asarray(y.index.year)
    breaks = np.flatnonzero(np.diff(years) != 1)
    if not len(breaks):
        return y, None
    tail = y.iloc[breaks[-1] + 1:]
    return tail, f"gappy series: missing years before {tail.index[0]}; only {tail.index[0]}-{tail.index[-1]} used"


def with_cpi_years(y: pd.Series, cpi: pd.Series) -> tuple[pd.Series, str | None]:
    """Recorded annual inflation, extended by complete CPI years after its last recorded year."""
    derived = annual_average_inflation(cpi)
    later = derived[derived.index > y.index[-1]] if len(y) else derived
    if later.empty:
        return y, None
    note = f"inflation {later.index[0]}-{later.index[-1]} computed from the monthly CPI (annual averages)"
    return pd.concat([y, later]).sort_index(), note


@dataclass
class SeriesInputs:
    """Every stored vintage a series' projection reads, cut at any date."""

    country: str
    indicator: str
    values: History
    cpi: History | None = None
    gold: History | None = None
    official: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["publisher", "vintage", "year", "value"]))
    gold_official: pd.DataFrame | None = None  # official gold projections (publisher, vintage, year, value)

    @property
    def key(self) -> str:
        return f"{self.country}/{self.indicator}"

    def cut(self, moment: datetime, final: bool = False, as_of=None) -> Cut:
        """The data known at ``moment``. The default run (``final`` without ``as_of``) reads the store's
        newest view instead, so that it starts from the figures the dashboard shows; a run ``--as-of``
        a date reads as a backtest origin on that date does, so that the two give the same numbers."""
        if final and (as_of is None or moment >= FAR_FUTURE):  # the default run; a backtest's outcomes
            read = lambda h: h.as_of(as_of)  # noqa: E731
        else:
            read = lambda h: h.known_at(moment)  # noqa: E731
        y, notes = read(self.values), []
        cpi = read(self.cpi) if self.cpi is not None else None
        if cpi is not None and len(cpi) and len(y):
            y, note = with_cpi_years(y, cpi)
            notes += [note] if note else []
        elif cpi is not None and len(cpi):
            y, note = with_cpi_years(y, cpi)
            notes += [note] if note else []
        y, note = contiguous_tail(y)
        notes += [note] if note else []
        gold = read(self.gold) if self.gold is not None else None
        published = (as_of or FAR_FUTURE) if final else moment  # the run itself reads every projection out
        return Cut(moment, y, cpi if cpi is not None and len(cpi) else None, gold,
                   _gold_path(self.gold_official, published), _published_by(self.official, published), notes,
                   self.country, None if final else _released_after(self.official, moment))


def _published_by(official: pd.DataFrame | None, moment: datetime) -> pd.DataFrame | None:
    if official is None or official.empty:
        return None
    return official[official["vintage"] <= pd.Timestamp(moment)]


def _released_after(official: pd.DataFrame | None, moment: datetime) -> pd.DataFrame | None:
    """Projections released in the ``MATCHED_DAYS`` after the origin: their data stop at or after the
    origin's, so econ's projection made at the origin meets them on matched (or worse) information.
    They are scored against econ, never combined into it."""
    if official is None or official.empty:
        return None
    start = pd.Timestamp(moment)
    return official[(official["vintage"] > start) & (official["vintage"] <= start + pd.Timedelta(days=MATCHED_DAYS))]


def _gold_path(official: pd.DataFrame | None, moment: datetime) -> dict[int, float]:
    """The freshest official gold projection of each year published by ``moment``."""
    known = _published_by(official, moment)
    if known is None or known.empty:
        return {}
    freshest = known.sort_values("vintage", kind="stable").drop_duplicates("year", keep="last")
    return {int(y): float(v) for y, v in zip(freshest["year"], freshest["value"])}


# --- fitting at an origin ---------------------------------------------------------------------


def fit_on(model: Model, cut: Cut, previous: Fitted | None = None, refit: bool = True) -> Fitted:
    """Fits ``model`` on the cut; with ``previous`` and not ``refit``, carries its parameters."""
    source, exog = _inputs(model, cut)
    if previous is None:
        fitted = model.fit(source, exog)
    else:
        fitted = (model.refit if refit else model.update)(previous, source, exog)
    if model.kind == "monthly_cpi":
        fitted.align(cut.last_year + 1)
    return fitted


def _inputs(model: Model, cut: Cut):
    if model.kind == "monthly_cpi":
        if cut.cpi is None:
            raise ModelSkipped("no monthly CPI")
        behind = cut.cpi_behind()
        if behind:
            raise ModelSkipped(f"{behind_text(behind)}: load a newer CPI")
        return cut.cpi, None
    if model.kind == "exog":
        if cut.gold is None or len(cut.gold.dropna()) < 2:
            raise ModelSkipped("no gold production series")
        return cut.y, GoldInput(gold_growth(cut.gold), cut.country)
    return (cut.y if model.name == NAIVE else pulled_in(cut.y)), None


def pulled_in(y: pd.Series, spreads: float = ROBUST_SPREADS) -> pd.Series:
    """The series an annual model is estimated on: every value pulled in to ``spreads`` robust
    standard deviations (``MAD_TO_SD`` times the MAD) of the median. One year such as 1994, when the CFA franc's
    devaluation put WAEMU inflation near 30 %, otherwise set the long-run mean, the autoregression
    and the smoothing for twenty years: until 2009 none of them beat the naive forecast on the
    WAEMU's annual inflation. Chosen away from the scored series: on the world panel without the
    WAEMU (one year ahead, annual models alone, median country's MAE over naive's), 3 spreads
    against none: AR 1.19 vs 1.32, ETS 1.12 vs 1.24, twenty-year mean 1.99 vs 2.13 on 1995-2004,
    5 spreads in between; on 2005-2014, checked after, 1.05 vs 1.12, 0.99 vs 1.01, 1.18 vs 1.31.
    econ's combination there, where the monthly models carry the weight, was unchanged (0.996 in
    pools of eight on 1995-2004; 0.716 against 0.717 on 2005-2014). The naive forecast, the
    benchmark, keeps the figures as they are."""
    values = y.to_numpy(float)
    center = float(np.median(values))
    spread = MAD_TO_SD * float(np.median(np.abs(values - center)))
    low, high = center - spreads * spread, center + spreads * spread
    if not spread > 0 or (values.min() >= low and values.max() <= high):
        return y  # nothing to pull in: the series itself, no copy
    return pd.Series(np.clip(values, low, high), index=y.index, name=y.name)


def exog_for(model: Model, cut: Cut, horizon: int):
    if model.kind != "exog":
        return None
    return cut.gold_growth_ahead(list(range(cut.last_year + 1, cut.last_year + horizon + 1)))


def forecast_rows(name: str, frame: pd.DataFrame, cut: Cut, kind: str = "model") -> dict:
    """A model's projection at one origin as raw candidate rows (columns of arrays: cheap to stack)."""
    years = np.asarray(frame.index.year, dtype=int)
    n = len(years)
    column = lambda b: frame[b].to_numpy(float) if b in frame else np.full(n, np.nan)  # noqa: E731
    return {
        "candidate": np.full(n, name, dtype=object), "kind": np.full(n, kind, dtype=object),
        "origin": np.full(n, np.datetime64(cut.moment, "ns")), "lead": years - cut.moment.year, "period": years,
        "horizon": years - cut.last_year, "monthly": np.full(n, cut.monthly), "forecast": frame["mean"].to_numpy(float),
        **{b: column(b) for b in BOUNDS}, "naive": np.full(n, cut.naive), "scale": np.full(n, cut.scale()),
    }


def stack(rows: list[dict]) -> pd.DataFrame:
    """Raw candidate rows from many origins as one frame."""
    if not rows:
        return pd.DataFrame(columns=RAW_COLUMNS)
    return pd.DataFrame({c: np.concatenate([r[c] for r in rows]) for c in RAW_COLUMNS})


def official_rows(cut: Cut, horizon: int) -> pd.DataFrame:
    """Each publisher's latest projection (published by the origin) of the years ahead: candidates;
    and each publisher's first release after the origin (``release:``): only for comparisons."""
    years = list(range(cut.last_year + 1, cut.last_year + horizon + 1))
    known = _latest_by_publisher(cut.official, years, keep="last")
    upcoming = _latest_by_publisher(cut.upcoming, years, keep="first")
    return stack([_publisher_rows(OFFICIAL + p, part, cut, "official") for p, part in known]
                 + [_publisher_rows(RELEASE + p, part, cut, "release") for p, part in upcoming])


def _latest_by_publisher(table: pd.DataFrame | None, years: list[int], keep: str):
    if table is None or table.empty:
        return []
    ahead = table[table["year"].isin(years)].sort_values("vintage", kind="stable")
    return list(ahead.drop_duplicates(["publisher", "year"], keep=keep).groupby("publisher", sort=True))


def _publisher_rows(name: str, part: pd.DataFrame, cut: Cut, kind: str) -> dict:
    index = pd.PeriodIndex([pd.Period(str(y), freq="Y") for y in part["year"]])
    return forecast_rows(name, pd.DataFrame({"mean": part["value"].to_numpy(float)}, index=index), cut, kind)


@dataclass
class ModelTrack:
    """One model through the origins: its rows, what went wrong where, its last fit."""

    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fitted: Fitted | None = None
    count: int = 0


def step(model: Model, track: ModelTrack, cut: Cut, horizon: int, final: bool = False) -> Fitted | None:
    """Fits (or carries forward) ``model`` at one origin and records its projection; never raises."""
    refit = final or track.fitted is None or track.count % REFIT_EVERY == 0
    track.count += 1
    label = "final" if final else f"origin {cut.moment:%Y-%m-%d}"
    try:
        fitted = _fit_or_carry(model, cut, None if final else track.fitted, refit, track.notes, label)
        exog = exog_for(model, cut, horizon)
        # the naive forecast's own spread stands in before econ has errors of its own; other models'
        # bands are not needed at a backtest origin, and a monthly model's would cost a simulation
        full = final or model.name == NAIVE
        frame = fitted.forecast(horizon, exog=exog) if full else fitted.point(horizon, exog=exog)
    except ModelSkipped as skipped:
        track.notes.append(f"{label}: {skipped.reason}")
        track.fitted = None
        return None
    except (ValueError, np.linalg.LinAlgError, IndexError) as error:
        track.notes.append(f"{label}: {type(error).__name__}: {error}")
        track.fitted = None
        return None
    if not np.isfinite(frame.to_numpy()).all():
        track.notes.append(f"{label}: non-finite projection")
        track.fitted = None
        return None
    track.notes.extend(w for w in fitted.warnings if w not in track.notes)
    track.fitted = fitted
    track.rows.append(forecast_rows(model.name, frame, cut))
    return fitted


def _fit_or_carry(model, cut, previous, refit, notes, label) -> Fitted:
    """A failed re-estimation keeps the previous parameters (and says so)."""
    try:
        return fit_on(model, cut, previous, refit)
    except ModelSkipped as skipped:
        if previous is None or not refit:
            raise
        notes.append(f"{label}: {skipped.reason}; parameters of the previous estimate kept")
        return fit_on(model, cut, previous, refit=False)


def known_values(cut: Cut, years: int = TRUTH_YEARS) -> pd.DataFrame:
    """The last figures known at the origin: the truth a later origin's weights use, and the
    climatology a breach probability is compared with."""
    tail = cut.y.iloc[-years:]
    return pd.DataFrame({"origin": pd.Timestamp(cut.moment), "period": np.asarray(tail.index.year, int),
                         "known": tail.to_numpy(float)})
