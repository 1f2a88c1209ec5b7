"""Bands and breach probabilities of the econ projection, from its own errors known at each origin.

- **bands**: once ``MIN_CALIBRATION`` scaled errors of the econ projection itself are known on
  the same information (``band_key``: the lead with monthly CPI, else the years since the last
  annual figure; pooled across the series, its out-of-sample errors at the origins of the last
  ``CALIBRATION_YEARS``), the predictive distribution is the projection plus the series' scale
  times those errors (a split-conformal band on absolute errors); before that, the naive
  forecast's random-walk spread around the projection. Fifteen years, not all: a one-off (the
  2006 debt-relief grants that put Mali's and Niger's fiscal balance near +30 % of GDP) must not
  set every later band. Bounded variables are cut at their least value (``Indicator.lowest``): gold and
  debt at zero, growth and inflation at -100 %. A projection without monthly data in a pool whose
  earlier projections all had them (a CPI that stopped) is drawn from those made with the months
  on no more information (``standin_lead``), not from the naive forecast's spread.
- **turbulence**: for inflation without monthly data, the scale a band multiplies is the series' typical change
  times ``turbulence`` (how much it has moved in its last three known years, relative to that
  typical change, square-rooted), and later errors are divided by the same product: a locally
  adaptive conformal band, wider after a spike, narrower after calm years. Chosen away from the
  scored series, by a rule declared before the run (``benchmarks/local_scale.py``: the world panel
  without the WAEMU, annual data alone, pools of eight; better Brier score and CRPS on 1995-2004
  and on 2005-2014, 80 % coverage 84 % and 75 %, where the power 1 widened the CRPS). Only inflation
  was checked, so only inflation's bands follow it: applied to growth too, it drew Niger's 2025
  growth band from -5 % to 18 % after three swings of eight to ten points, 2.2 times its twenty-year
  range, without a panel of growth figures to say whether that is honest.
- **probabilities**: the probability of breaching a norm is read off the same distribution; the
  naive forecast's own probability and the climatology (how often the last 20 known years
  breached) are kept beside it for scoring.

``econ.combine`` calls ``own_errors`` and ``calibrated`` at each origin, after the weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from econ.realtime import Lags

if TYPE_CHECKING:
    from econ.combine import Norm, PoolInput, PoolOutput

MIN_CALIBRATION = 12
TURBULENT_MONTHLY = False  # whether bands drawn with monthly data follow it too (benchmarks/monthly_turbulence.py)
TURBULENT_INDICATORS = ("inflation",)  # where turbulence was chosen (annual-average inflation); not yet elsewhere
RECENT_YEARS = 3  # turbulence: the mean absolute change of the last three known years ...
TURBULENCE_POWER = 0.5  # ... over the scale, clipped to [1/2, 3], to this power (0: off)
OWN_SHRINK = 12  # a series' error size: its own mean absolute error, shrunk toward the pool's
CALIBRATION_YEARS = 15  # bands from the errors of the last fifteen years of origins only
SPAN_YEARS = 20  # no band reaches further from its projection than the series' range over these known years ...
SPAN_CAP = True  # ... (False: uncut, as ``benchmarks/band_span.py`` measures)
SPAN_MIN = 10  # figures known before a series' range cuts its bands (seven years of Ghana's growth span six points)
LEVELS = {"lower_95": 0.025, "lower_80": 0.10, "upper_80": 0.90, "upper_95": 0.975}
CRPS_MEMBERS = 400


def nearest(lead: int, available: dict, usable) -> int:
    """The lead whose evidence stands in for ``lead``: itself when usable, else the nearest usable one,
    a later (less certain) lead first. A projection of last year made when its figure is not yet
    out (lead -1) has no backtest of its own when every earlier origin already knew that year."""
    for candidate in sorted(available, key=lambda k: (abs(k - lead), -k)):
        if usable(available[candidate]):
            return candidate
    return lead


def band_key(monthly: bool, lead: int, horizon: int) -> tuple[str, int]:
    """What a projection knew, as the key of the errors its band is drawn from. With monthly CPI
    up to the origin, the calendar: the lead (a projection of last year made in January knows
    eleven of its months). Without, the distance from the last annual figure: a projection of 2025
    made in January 2026 while 2025's figure is not yet out is one year ahead, like every January
    projection of the current year made when last year's figure was out. Keyed on the lead, such
    projections of last year would have only the few errors of the years since publication dates
    are known, covid's among them, and a band several times the series' range."""
    return ("lead", int(lead)) if monthly else ("horizon", int(horizon))


def turbulence(known: pd.DataFrame, scales: pd.Series, power: float | None = None) -> pd.Series:
    """Per series: (mean absolute change of its last ``RECENT_YEARS`` known years / its scale), clipped
    to [1/2, 3], to the power ``TURBULENCE_POWER``; 1 where it cannot be told. ``known``: the figures
    known at the origin (series, period, known); ``scales``: each series' typical one-year change."""
    power = TURBULENCE_POWER if power is None else power
    out = {}
    for series, rows in known.sort_values("period").groupby("series"):
        changes = np.abs(np.diff(rows["known"].to_numpy(float)[-(RECENT_YEARS + 1):]))
        scale = float(scales.get(series, np.nan))
        usable = len(changes) and np.isfinite(scale) and scale > 0 and np.isfinite(changes).all()
        out[series] = float(np.clip(np.mean(changes) / scale, 0.5, 3.0) ** power) if usable else 1.0
    return pd.Series(out, dtype=float)


def own_errors(frames: list[pd.DataFrame], known: pd.DataFrame, since: pd.Timestamp,
               scales: pd.Series | None = None) -> dict[tuple, "ErrorSet"]:
    """Per information key (``band_key``), the scaled errors econ's projection made at the origins
    since ``since`` whose outcome is known now (as now known): out of sample, as the projection then
    stood. Older years drop out, so a naive-only start, or a one-off such as the 2006 debt relief,
    stops setting the bands.

    Each error is kept twice: over its series' scale at its own origin (``z``, for the pooled
    shape) and over the scale *now* (``z_now``, for the series' own error size, which the band
    multiplies by that scale): a series whose twenty-year window has lost its turbulent years
    (Togo's growth: a typical change of 1.4 points in 2020, 0.5 in 2024) keeps the size of its own
    recent errors (1.5 points) instead of having them shrunk threefold."""
    if not frames:
        return {}
    past = pd.concat(frames, ignore_index=True)
    past = past[past["origin"] >= since].merge(known[["series", "period", "known"]], on=["series", "period"])
    now = past["series"].map(scales).astype(float) if scales is not None else past["scale"]
    now = now.where(np.isfinite(now), past["scale"]).astype(float)
    past = past.assign(z=(past["known"] - past["forecast"]) / past["scale"],
                       z_now=(past["known"] - past["forecast"]) / now)
    past = past[np.isfinite(past["z"]) & np.isfinite(past["z_now"])]
    keys = [band_key(m, lead, h) for m, lead, h in zip(past["monthly"], past["lead"], past["horizon"])]
    return {key: ErrorSet(g["z"].to_numpy(float), g["series"].to_numpy(), g["z_now"].to_numpy(float))
            for key, g in past.groupby(pd.Series(keys, index=past.index), sort=False)}


@dataclass
class ErrorSet:
    """The scaled errors a band is drawn from, with the series each came from.

    Pooled shape, own size: every error is divided by its series' error size (the mean absolute
    error of that series, shrunk toward the pool's by ``n / (n + OWN_SHRINK)``), the pool's errors
    so standardised give the shape of the distribution, and a series' band is that shape times its
    own error size. The shape is made symmetric (each error counts with both signs: split
    conformal on absolute errors): which way past errors fell depends on the state of the day (after
    the 2008 price spike every naive error was negative), and a band that kept their skew would
    lean the wrong way. Eight short histories pool into one long one, yet a calm member (Benin's fiscal
    balance) does not take the size of a turbulent one's surprises (Senegal's deficit, revised by
    eight points of GDP in 2024).
    """

    z: np.ndarray
    series: np.ndarray
    z_now: np.ndarray | None = None  # the same errors over each series' scale today (default: z)

    def __len__(self) -> int:
        return len(self.z)

    def sizes(self) -> dict:
        """Each series' error size today, shrunk toward the pool's (computed once); the shape is
        standardised with the sizes at the errors' own scales."""
        if not hasattr(self, "_sizes"):
            then = _shrunk_sizes(self.z, self.series)
            standard = self.z / np.array([max(then[k], 1e-9) for k in self.series])
            now = then if self.z_now is None else _shrunk_sizes(self.z_now, self.series, then[None])
            self._sizes, self._shape = now, np.sort(np.concatenate([standard, -standard]))
        return self._sizes

    def for_series(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """The errors of ``key``'s band, sorted, with their weights (equal, summing to 1)."""
        n = len(self.z)
        if not n:
            return np.array([]), np.array([])
        sizes = self.sizes()
        return self._shape * sizes.get(key, sizes[None]), np.full(2 * n, 1.0 / (2 * n))

    def quantiles(self, key: str, levels) -> np.ndarray:
        """Quantiles with the split-conformal correction (levels pushed outward)."""
        values, weights = self.for_series(key)
        n = len(values)
        adjusted = np.clip(0.5 + (np.asarray(levels, float) - 0.5) * (n + 1) / n, 0, 1)
        positions = np.cumsum(weights) - weights / 2
        return np.interp(adjusted, positions, values)

    def probability(self, key: str, event) -> float:
        """The share of the band's errors for which ``event(z)`` holds."""
        values, weights = self.for_series(key)
        return float(np.clip(np.sum(weights[event(values)]), 0.0, 1.0))


EMPTY = ErrorSet(np.array([]), np.array([], dtype=object))


def _shrunk_sizes(z: np.ndarray, series: np.ndarray, pooled: float | None = None) -> dict:
    """Mean absolute error by series, shrunk toward the pool's by ``n / (n + OWN_SHRINK)``. The
    pool's, for today's sizes, is that of the errors at their own origin's scales: how many typical
    changes a miss usually is, unswayed by series whose window has since grown calmer or rougher."""
    pooled = float(np.mean(np.abs(z))) if pooled is None else pooled
    sizes = {None: pooled}
    for key in np.unique(series):
        own = np.abs(z[series == key])
        sizes[key] = (own.sum() + OWN_SHRINK * pooled) / (len(own) + OWN_SHRINK)
    return sizes


def calibration_set(sets: dict[tuple, ErrorSet], key: tuple[str, int]) -> ErrorSet:
    """The errors for ``key``: its own when enough, else the nearest step of the same kind."""
    same = {step: z for (basis, step), z in sets.items() if basis == key[0]}
    return same.get(nearest(key[1], same, lambda z: len(z) >= MIN_CALIBRATION), EMPTY)


def calibrated(econ: pd.DataFrame, sets: dict[tuple, ErrorSet], pool: PoolInput, truth: pd.DataFrame,
               out: PoolOutput, origin: pd.Timestamp) -> pd.DataFrame:
    """Bands and breach probabilities for one origin's projections."""
    if econ.empty:
        return econ
    floor = pool.floor
    econ = econ.assign(forecast=np.maximum(econ["forecast"].to_numpy(float), floor),  # a value the variable can take
                       span=econ["series"].map(spans(truth)).astype(float).fillna(np.inf))
    columns = {c: np.empty(len(econ)) for c in [*LEVELS, "p_breach", "p_naive", "p_climate", "n_calibration"]}
    source = []
    climate = {k: _climate(g, pool.norms.get(k)) for k, g in truth.groupby("series")}
    errors = row_errors(econ, sets)
    for i, row in enumerate(econ.itertuples(index=False)):
        z = errors[i]
        out.errors[(origin, row.series, int(row.lead))] = z
        norm = pool.norms.get(row.series)
        if len(z) >= MIN_CALIBRATION and np.isfinite(row.scale):
            values = bounded(row.forecast, row.scale * z.quantiles(row.series, list(LEVELS.values())), floor, row.span)
            p = _p_empirical(row.forecast, row.scale, z, row.series, norm, floor, row.span)
            source.append("pooled errors")
        else:
            values = bounded(row.forecast, row.naive_sd * stats.norm.ppf(list(LEVELS.values())), floor, row.span)
            p = _p_within(_p_normal(row.forecast, row.naive_sd, norm), row.forecast, row.span, norm)
            source.append("naive spread")
        for name, value in zip(LEVELS, values):
            columns[name][i] = value
        columns["p_breach"][i] = p
        columns["p_naive"][i] = _p_normal(row.naive, row.naive_sd, norm)
        columns["p_climate"][i] = climate.get(row.series, np.nan)
        columns["n_calibration"][i] = len(z)
    for name, values in columns.items():
        econ[name] = values
    econ["lower_80"] = np.minimum(econ["lower_80"], econ["forecast"])
    econ["upper_80"] = np.maximum(econ["upper_80"], econ["forecast"])
    econ["lower_95"] = np.minimum(econ["lower_95"], econ["lower_80"])
    econ["upper_95"] = np.maximum(econ["upper_95"], econ["upper_80"])
    return econ.assign(calibration=source).astype({"n_calibration": int})


def spans(known: pd.DataFrame) -> pd.Series:
    """Per series, the range (highest less lowest) of its last ``SPAN_YEARS`` known figures: how far
    a band may reach on either side of its projection, so that none is wider than twice it. With
    fewer than ``SPAN_MIN`` figures the range says too little (seven years of Ghana's growth, covid's
    included, span six points; its 80 % band would have been cut to its 95 %): no cut.

    Pooled errors standardised series by series still carry the tails of a pool's wildest members
    and of a series' own distant past. On the world panel (pools of eight, the WAEMU left out), one
    band in seven in 2005-2014 was wider than twice its series' twenty-year range, up to ten times:
    Antigua's 2006 inflation from -85 % to 85 %, beside Argentina's and Armenia's hyperinflations.
    Outcomes beyond the cut are rare: there, cutting left the Brier score unchanged, the CRPS a hair
    lower and 95 % coverage within 0.3 points, and improved the 95 % interval score by 4 % in both
    1995-2004 and 2005-2014, by a rule declared beforehand (``benchmarks/band_span.py``)."""
    if not SPAN_CAP or known.empty:
        return pd.Series(dtype=float)
    last = known.sort_values("period").groupby("series")["known"].apply(lambda v: v.to_numpy(float)[-SPAN_YEARS:])
    return last.map(lambda v: float(np.nanmax(v) - np.nanmin(v)) if np.isfinite(v).sum() >= SPAN_MIN else np.inf)


def bounded(forecast: float, deviations, floor: float, span: float = np.inf) -> np.ndarray:
    """The projection plus ``deviations``, kept within ``span`` of it and at or above ``floor``."""
    return np.maximum(forecast + np.clip(np.asarray(deviations, float), -span, span), floor)


def row_errors(econ: pd.DataFrame, sets: dict[tuple, ErrorSet]) -> list[ErrorSet]:
    """For each of one origin's projections, the errors its band, breach probability and CRPS are
    drawn from: those made on the same information (``band_key``; a monthly CPI too new to have a
    record of its own counts as absent), or, unless they draw both the 80 % and the 95 % band at
    least as wide for that series, a nearer year's. The errors behind a longer lead can be fewer and
    luckier (two years past the last figure only since 2019, after covid), which would draw 2027
    tighter than 2026: no one knows 2027 better than 2026 from the same day."""
    base: dict[tuple, ErrorSet] = {}  # one choice per information key, not one per row

    def own(row) -> ErrorSet:
        key = band_key(row.monthly, row.lead, row.horizon)
        cache = (key, row.horizon)
        if cache not in base:
            base[cache] = calibration_set(sets, key)
            if len(base[cache]) < MIN_CALIBRATION and key[0] == "lead":  # monthly CPI too new: as without it
                base[cache] = calibration_set(sets, band_key(False, row.lead, row.horizon))
            elif len(base[cache]) < MIN_CALIBRATION:  # a monthly CPI that stopped: as the months, no further
                base[cache] = calibration_set(sets, ("lead", standin_lead(row.origin, row.horizon)))
        return base[cache]

    out: list[ErrorSet | None] = [None] * len(econ)
    rows = list(econ.itertuples(index=False))
    for _, positions in econ.reset_index(drop=True).groupby("series", sort=False).groups.items():
        widest = None
        for i in sorted(positions, key=lambda i: rows[i].period):
            z = own(rows[i])
            if len(z) >= MIN_CALIBRATION and (widest is None or _wider(z, widest, rows[i].series)):
                widest = z
            out[i] = widest if widest is not None else z
    return out


def standin_lead(origin, horizon: int, lag: int | None = None) -> int:
    """The lead of the projections made with monthly CPI that knew no more than one made ``horizon``
    years past the last annual figure without it, on the same day of an earlier year.

    A user loads the World Bank's CPI, to December 2023, beside figures to 2025: every earlier
    origin had its months, the latest has none, and no projection without them has a record. Drawn
    from the naive forecast's spread over the whole history, Chad's 2023 band ran from -16 % to
    35 %. The months known by a lead-``L`` projection end ``L`` years before its target, in the
    origin's month less the publication lag: when that falls in the year before the origin (a
    January origin), lead ``horizon - 1`` knew up to December of the last annual year, as this
    projection does; later in the year it knew some months more, so lead ``horizon`` is taken,
    which knew less."""
    lag = Lags.from_settings().monthly if lag is None else lag
    return int(horizon) - 1 if pd.Timestamp(origin).month - 1 - lag <= 0 else int(horizon)


def _wider(z: ErrorSet, than: ErrorSet, series: str) -> bool:
    """Whether ``z`` draws the series' 80 % and its 95 % band each at least as wide as ``than`` does."""
    levels = [0.025, 0.10, 0.90, 0.975]
    mine, theirs = z.quantiles(series, levels), than.quantiles(series, levels)
    return bool(mine[3] - mine[0] >= theirs[3] - theirs[0] and mine[2] - mine[1] >= theirs[2] - theirs[1])


def _p_empirical(mean: float, scale: float, z: ErrorSet, key: str, norm: Norm | None, floor: float,
                 span: float = np.inf) -> float:
    if norm is None:
        return np.nan
    return z.probability(key, lambda values: norm.breached(bounded(mean, scale * values, floor, span)))


def _p_within(p: float, mean: float, span: float, norm: Norm | None) -> float:
    """A probability read off a normal spread, for the distribution cut ``span`` either side of ``mean``:
    unchanged unless the norm's threshold lies beyond the cut."""
    if norm is None or not np.isfinite(p) or not np.isfinite(span):
        return p
    inside = norm.breached([mean - span, mean + span])
    return float(inside[0]) if inside[0] == inside[1] else p


def _p_normal(mean: float, sd: float, norm: Norm | None) -> float:
    if norm is None or not np.isfinite(sd):
        return np.nan
    if sd <= 0:
        return float(norm.breached([mean])[0])
    below = stats.norm.cdf((norm.threshold - mean) / sd)
    return float(1 - below if norm.comparison == "<=" else below)


def _climate(known: pd.DataFrame, norm: Norm | None) -> float:
    """How often the last known years breached the norm: the forecast any reader could make."""
    if norm is None or known.empty:
        return np.nan
    return float(norm.breached(known["known"].to_numpy(float)).mean())


def predictive_members(forecast: float, scale: float, z: ErrorSet, key: str, naive_sd: float, floor: float,
                       members: int = CRPS_MEMBERS, span: float = np.inf) -> np.ndarray:
    """An ensemble of the predictive distribution (for CRPS and norm checks): evenly spaced quantiles."""
    levels = (np.arange(members) + 0.5) / members
    if len(z) >= MIN_CALIBRATION and np.isfinite(scale):
        values, weights = z.for_series(key)
        deviations = scale * np.interp(levels, np.cumsum(weights) - weights / 2, values)
    else:
        deviations = naive_sd * stats.norm.ppf(levels)
    return bounded(forecast, deviations, floor, span)
