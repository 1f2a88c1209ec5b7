"""The econ projection: candidates combined and calibrated, origin after origin, from errors known then.

A pool is one indicator across comparable countries (the WAEMU members together; other countries
together). Origins are processed in date order. At each origin, only forecasts whose target year's
figure was already out at that origin are scored, against the figure *as then known*:

- **a union's inflation**: in a pool whose members share a currency and a central bank (the
  WAEMU's inflation), each model's projection of a member is first moved toward the same model's
  mean projection across the members, as far as that model's errors known at the origin say it
  should (``pulled_to_union``; chosen on other monetary unions: ``benchmarks/union_pooling.py``).
- **weights**: each candidate's absolute errors, divided by the series' scale (its typical one-year
  change) and pooled across the pool's series, are compared with the naive forecast's on the same
  forecasts (relative MAE, per lead). A candidate gets weight only after ``MIN_ERRORS`` such errors
  and only if it has beaten the naive forecast on them, beyond luck (a one-sided paired t test at
  10 %); weights are inverse relative MAE, shrunk toward equal weights by ``SHRINK / (SHRINK + n)``.
  A projection's years are weighed from the nearest outward, and a candidate that passed the test
  nearer needs only its record here (``weights_from``), so that the path does not zig-zag between
  candidates. Until some candidate qualifies, the projection is the naive forecast: the benchmark is
  what a reader gets unless something has beaten it. Models and official forecasters (the IMF's WEO,
  a ministry) are candidates alike. The test is kept because, away from the scored series (the world
  CPI panel without the WAEMU, origins 1995-2004: ``benchmarks/combination_rules.py``), weighting
  every candidate with a pooled record better than naive, without it, left most series worse than
  1.10 times the naive forecast, against one in eight with it. The 5 % level was checked too, in
  pools of eight countries: better on 1995-2004, worse on 2005-2014, so the test stays at 10 %.
- **bands and probabilities**: ``econ.bands``, from the econ projection's own errors known at
  each origin.

Nothing at an origin depends on a later one: ``tests/test_combine.py`` checks that changing a
later outcome leaves every earlier projection unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from econ import bands
from econ.backtest import NAIVE
from econ.bands import CALIBRATION_YEARS, EMPTY, ErrorSet, calibrated, nearest, own_errors, turbulence

MIN_ERRORS = 8
SIGNIFICANCE = 0.10  # one-sided: has the candidate beaten the naive forecast, beyond luck?
SHRINK = 8.0
Z80 = stats.norm.ppf(0.9)
UNION_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)  # how far a union member's projection may move toward the union's
UNION_PULL: float | None = None  # None: the share chosen per model and origin from errors known then

COMBINED_COLUMNS = ["series", "origin", "lead", "period", "horizon", "monthly", "forecast", "naive", "naive_sd", "scale",
                    "turbulence"]  # the weighted projections, before their bands
ECON_COLUMNS = [
    "series", "origin", "lead", "period", "horizon", "monthly", "forecast", "lower_80", "upper_80", "lower_95",
    "upper_95", "naive", "naive_sd", "scale", "turbulence", "span", "p_breach", "p_naive", "p_climate", "calibration",
    "n_calibration",
]


@dataclass
class Norm:
    comparison: str
    threshold: float

    def breached(self, values) -> np.ndarray:
        values = np.asarray(values, float)
        return values > self.threshold + 1e-12 if self.comparison == "<=" else values < self.threshold - 1e-12


@dataclass
class PoolInput:
    """What the pool's series bring: raw candidate rows, the truth at each origin, their norm."""

    raw: pd.DataFrame  # RAW_COLUMNS + series
    truth: pd.DataFrame  # series, origin, period, known
    norms: dict[str, Norm | None]  # series -> its first norm
    floor: float = -np.inf  # the least value the variable can take (``Indicator.lowest``): bands are cut there
    evidence_years: int | None = None  # weights from the errors of the origins of these last years only
    union: bool = False  # the pool's members share a currency and a central bank, and this is their inflation
    turbulence: bool = False  # bands follow the series' last three years (``econ.bands``: chosen for inflation)


@dataclass
class PoolOutput:
    econ: pd.DataFrame  # ECON_COLUMNS, every origin
    weights: dict[tuple[str, pd.Timestamp], dict[int, dict[str, float]]] = field(default_factory=dict)
    evidence: dict[pd.Timestamp, dict[int, dict]] = field(default_factory=dict)  # origin -> step -> candidate stats
    errors: dict[tuple[pd.Timestamp, str, int], "ErrorSet"] = field(default_factory=dict)  # the bands' error sets
    union: pd.DataFrame | None = None  # in a monetary union: own projection, the union's, the share, the moved one

    def band_errors(self, origin, series: str, lead: int) -> "ErrorSet":
        """The errors the band of ``series``' projection at ``origin`` and ``lead`` was drawn from."""
        return self.errors.get((pd.Timestamp(origin), series, int(lead)), EMPTY)


def combine_pool(pool: PoolInput) -> PoolOutput:
    """The econ projection at every origin of every series in the pool (the last origin included)."""
    out = PoolOutput(econ=pd.DataFrame(columns=ECON_COLUMNS))
    raw = pool.raw[pool.raw["kind"] != "release"]  # later releases are scored against econ, never combined
    raw = raw.assign(origin=pd.to_datetime(raw["origin"]), forecast=raw["forecast"].astype(float),
                     scale=raw["scale"].astype(float), monthly=raw["monthly"].astype(bool))
    truth = pool.truth.assign(origin=pd.to_datetime(pool.truth["origin"]))
    if pool.union:
        raw, out.union = pulled_to_union(raw, truth, UNION_PULL, pool.evidence_years)
    raw = raw.assign(step=information_step(raw))
    pairs = scored_pairs(raw, truth)
    if pool.evidence_years is not None:  # what a run made that day has: its own backtest origins only
        pairs = pairs[pairs["origin"].dt.year >= pairs["at"].dt.year - pool.evidence_years]
    evidence = evidence_table(pairs)
    frames: list[pd.DataFrame] = []
    for origin in sorted(raw["origin"].unique()):
        origin = pd.Timestamp(origin)
        out.evidence[origin] = evidence.get(origin, {})
        econ = combined(raw[raw["origin"] == origin], out.evidence[origin], out.weights, origin)
        known = truth[truth["origin"] == origin]
        if pool.turbulence:
            econ = turbulent(econ, known, monthly_record=any(f["monthly"].any() for f in frames if len(f)))
        sets = own_errors(frames, known, origin - pd.DateOffset(years=CALIBRATION_YEARS),
                          econ.groupby("series")["scale"].last())
        econ = calibrated(econ, sets, pool, known, out, origin)
        econ = econ.reindex(columns=ECON_COLUMNS) if econ.empty else econ
        frames.append(econ)
    out.econ = pd.concat(frames, ignore_index=True)[ECON_COLUMNS] if frames else out.econ
    return out


def turbulent(econ: pd.DataFrame, known: pd.DataFrame, monthly_record: bool) -> pd.DataFrame:
    """Projections made without monthly data have their scale times the series' ``turbulence`` at the
    origin (``econ.bands``: chosen on annual data alone); with monthly data the months already say how
    turbulent the year is. A pool without any earlier monthly projection (a CPI just loaded) draws its
    monthly projections' bands as without the months (``row_errors``), so they are scaled alike."""
    if econ.empty:
        return econ
    factor = econ["series"].map(turbulence(known, econ.groupby("series")["scale"].last())).fillna(1.0)
    if monthly_record and not bands.TURBULENT_MONTHLY:
        factor = factor.where(~econ["monthly"].astype(bool), 1.0)
    factor = factor.to_numpy(float)
    return econ.assign(scale=econ["scale"].to_numpy(float) * factor, turbulence=factor)


def pulled_to_union(raw: pd.DataFrame, truth: pd.DataFrame, share: float | None = None,
                    evidence_years: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each model's projection of a member's inflation moved part of the way toward the same model's
    mean projection across the union's members at that origin, for that year.

    In a monetary union, inflation is the union's (one central bank, one peg) plus a member's own
    deviation, and the deviations (a harvest, a fuel subsidy) pass while the union's part persists.
    A model fitted on one member's twenty years cannot tell the two apart; the members' mean can.
    How far to move is chosen per model at each origin, from that model's pooled errors known then
    (the share in ``UNION_SHARES`` that would have made them smallest; none before ``MIN_ERRORS``),
    unless ``share`` fixes it. The naive benchmark and the official forecasts (which already know
    the union) are left as they are. Returns the rows, and the rows moved with their own projection,
    the union's, the share and the moved projection (``explanation`` shows them).
    """
    models = ((raw["kind"] == "model") & (raw["candidate"] != NAIVE)).to_numpy()
    union = raw["forecast"].where(models).groupby([raw["origin"], raw["period"], raw["candidate"]]).transform("mean")
    moved = raw[models].assign(union=union[models])
    if share is None:
        chosen = nested_shares(moved, truth, evidence_years)
        keys = pd.MultiIndex.from_arrays([moved["origin"], moved["candidate"]])
        shares = chosen.reindex(keys).fillna(0.0).to_numpy(float)
    else:
        shares = np.full(len(moved), float(share))
    moved = moved.assign(own=moved["forecast"], share=shares)
    moved = moved.assign(forecast=moved["own"] + moved["share"] * (moved["union"] - moved["own"]))
    out = raw.copy()
    out.loc[models, "forecast"] = moved["forecast"].to_numpy(float)
    return out, moved[["series", "origin", "period", "candidate", "own", "union", "share", "forecast"]]


def nested_shares(moved: pd.DataFrame, truth: pd.DataFrame, evidence_years: int | None) -> pd.Series:
    """Per origin and model: the share toward the union that minimised the model's pooled absolute
    scaled errors known at that origin (forecasts made before it, scored against the figures as then
    known); models with fewer than ``MIN_ERRORS`` such errors are not moved."""
    pairs = moved.merge(truth.rename(columns={"origin": "at"}), on=["series", "period"], how="inner")
    pairs = pairs[(pairs["at"] > pairs["origin"]) & np.isfinite(pairs["scale"]) & np.isfinite(pairs["union"])]
    if evidence_years is not None:
        pairs = pairs[pairs["origin"].dt.year >= pairs["at"].dt.year - evidence_years]
    if pairs.empty:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_arrays([[], []]))
    gap, miss = (pairs["union"] - pairs["forecast"]) / pairs["scale"], (pairs["known"] - pairs["forecast"]) / pairs["scale"]
    losses = pd.DataFrame({s: (miss - s * gap).abs() for s in UNION_SHARES})
    grouped = losses.groupby([pairs["at"], pairs["candidate"]])
    mean, count = grouped.mean(), grouped.size()
    best = pd.Series(np.asarray(UNION_SHARES)[np.argmin(mean.to_numpy(), axis=1)], index=mean.index)
    return best[count >= MIN_ERRORS]


def scored_pairs(raw: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Every earlier forecast paired with every later origin that knew its outcome: the error (the
    figure as known at that origin, not as known today) over the series' scale, beside the naive
    forecast's error on the same target."""
    truth = truth.rename(columns={"origin": "at"})
    pairs = raw.merge(truth, on=["series", "period"], how="inner")
    pairs = pairs[(pairs["at"] > pairs["origin"]) & np.isfinite(pairs["scale"])]
    pairs = pairs.assign(z=(pairs["known"] - pairs["forecast"]) / pairs["scale"])
    keys = ["series", "origin", "period", "at"]
    naive = pairs.loc[pairs["candidate"] == NAIVE, [*keys, "z"]].rename(columns={"z": "z_naive"})
    return pairs.merge(naive, on=keys, how="inner")


# --- weights ---------------------------------------------------------------------------------------


def information_step(raw: pd.DataFrame) -> np.ndarray:
    """The lead whose record weighs a projection, on the information it had (as ``band_key`` for
    bands): with monthly CPI the lead itself (the months known); without, one less than the years
    since the last annual figure. A January projection of the current year made while last year's
    figure is not yet out (the WEO years since 2019) is two years past the last figure: it is weighed
    on the record of such projections, not on that of current-year projections made when last
    year's figure was out, whose few errors since 2019 could leave only the naive forecast, the
    covid year carried forward."""
    return np.where(raw["monthly"].astype(bool), raw["lead"], raw["horizon"] - 1).astype(int)


def evidence_table(pairs: pd.DataFrame) -> dict[pd.Timestamp, dict[int, dict[str, dict]]]:
    """For every origin, lead and candidate: the pooled count of errors known at that origin and the
    candidate's absolute scaled errors over the naive forecast's on the same forecasts (absolute, not
    squared: one shock year, such as 2020, must not decide which candidate is trusted for a decade)."""
    pairs = pairs.assign(own=pairs["z"].abs(), base=pairs["z_naive"].abs())
    pairs = pairs.assign(gain=pairs["base"] - pairs["own"])
    sums = pairs.groupby(["at", "step", "candidate"]).agg(n=("own", "size"), own=("own", "sum"), base=("base", "sum"),
                                                          gain=("gain", "mean"), spread=("gain", "std"))
    out: dict = {}
    for (at, lead, name), r in sums.iterrows():
        relative = r["own"] / r["base"] if r["base"] > 0 else np.nan
        out.setdefault(pd.Timestamp(at), {}).setdefault(int(lead), {})[str(name)] = {
            "n": int(r["n"]), "relative_mae": float(relative), "mae_scaled": float(r["own"] / r["n"]),
            "p_better": _p_better(r["gain"], r["spread"], int(r["n"]))}
    return out


def _p_better(gain: float, spread: float, n: int) -> float:
    """One-sided p-value that a candidate's absolute errors are smaller than the naive forecast's
    (t test on the paired differences): weight goes to a record, not to a lucky streak."""
    if n < 2 or not np.isfinite(spread):
        return 1.0
    if spread <= 1e-12:
        return 0.0 if gain > 0 else 1.0
    return float(stats.t.sf(gain / (spread / np.sqrt(n)), df=n - 1))


def weights_from(evidence: dict[str, dict], present: tuple[str, ...],
                 passed: frozenset = frozenset()) -> dict[str, float]:
    """Weights over the candidates present that have beaten the naive forecast on enough pooled errors,
    beyond luck (inverse relative MAE, shrunk toward equal); the naive forecast alone when none has.

    ``passed``: candidates that passed the test at a nearer step of the same projection; here they
    need only ``MIN_ERRORS`` errors and a record better than the naive forecast's. Tested step by
    step, a path could zig-zag: a store of Senegal alone, in January 2015, gave 3.4 % growth for
    2015 (its long-run mean and recent median, beyond luck on 15 errors), 6.2 % for 2016 (the naive
    forecast: the mean's 14 errors a year further out were better, 0.84 times naive's, but not
    beyond luck) and 3.7 % for 2017 (the mean again). Skill shown nearer carries outward; weight can
    still grow with the horizon (an anchor that only beats the naive forecast farther out)."""
    qualified = [c for c in present if c != NAIVE and c in evidence and evidence[c]["n"] >= MIN_ERRORS
                 and evidence[c]["relative_mae"] < 1.0 and (c in passed or evidence[c]["p_better"] < SIGNIFICANCE)]
    if not qualified:
        return {NAIVE: 1.0} if NAIVE in present else {present[0]: 1.0}
    inverse = np.array([1.0 / max(evidence[c]["relative_mae"], 0.05) for c in qualified])
    alpha = SHRINK / (SHRINK + float(np.median([evidence[c]["n"] for c in qualified])))
    weights = (1 - alpha) * inverse / inverse.sum() + alpha / len(qualified)
    return {c: float(w) for c, w in zip(qualified, weights)}


def _enough_evidence(evidence: dict) -> bool:
    return any(c != NAIVE and e["n"] >= MIN_ERRORS for c, e in evidence.items())


def combined(here: pd.DataFrame, evidence: dict, log: dict, origin: pd.Timestamp) -> pd.DataFrame:
    """The weighted mean of the candidates present, per series and target year, its years taken
    from the nearest step outward (``weights_from``'s ``passed``)."""
    if here.empty:
        return pd.DataFrame(columns=COMBINED_COLUMNS)
    present = here.groupby(["series", "period"], sort=True)["candidate"].agg(lambda c: tuple(sorted(c)))
    leads = here.groupby(["series", "period"], sort=True)[["lead", "step"]].first()
    cache, weights, passed = {}, {}, {}  # passed: per series, the candidates weighted at a nearer step
    for key in sorted(present.index, key=lambda k: (k[0], int(leads.loc[k, "step"]), k[1])):
        names, (lead, step) = present[key], (int(v) for v in leads.loc[key])
        pick = nearest(step, evidence, _enough_evidence)
        nearer = passed.get(key[0], frozenset()) & set(names)
        if (pick, names, nearer) not in cache:
            cache[(pick, names, nearer)] = weights_from(evidence.get(pick, {}), names, nearer)
        weights[key] = cache[(pick, names, nearer)]
        passed[key[0]] = nearer | {c for c in weights[key] if c != NAIVE}
        log.setdefault((key[0], origin), {})[lead] = weights[key]
    w = [weights[(s, p)].get(c, 0.0) for s, p, c in zip(here["series"], here["period"], here["candidate"])]
    part = here.assign(w=w, wf=np.asarray(w) * here["forecast"].to_numpy(float))
    naive = part[part["candidate"] == NAIVE].set_index(["series", "period"])
    sums = part.groupby(["series", "period"], sort=True).agg(
        lead=("lead", "first"), horizon=("horizon", "first"), monthly=("monthly", "max"), scale=("scale", "first"),
        wf=("wf", "sum"), w=("w", "sum"))
    econ = sums.assign(forecast=sums["wf"] / sums["w"]).reset_index()
    econ["naive"] = naive["forecast"].reindex(sums.index).to_numpy(float)
    econ["naive_sd"] = ((naive["upper_80"] - naive["lower_80"]) / (2 * Z80)).reindex(sums.index).to_numpy(float)
    econ = econ.assign(origin=origin, turbulence=1.0)  # 1 until ``turbulent`` says otherwise
    return econ[COMBINED_COLUMNS].astype({"lead": int, "period": int, "horizon": int, "monthly": bool})
