"""Rolling-origin backtests: how good each model's projections would have been, with the data of the time.

For every origin year ``t`` a model sees only periods up to ``t`` (monthly CPI up to December of
``t``) and forecasts ``t+1 .. t+H``; the forecasts are scored against what happened. Parameters
are re-estimated every few origins and carried forward in between (a Kalman filter or smoothing
pass with the same parameters), which is what makes the backtests cheap enough to run every time.

From those errors, and at each origin only from errors already known then:

- the **combination** weights models by the inverse of their mean squared error relative to the
  naive forecast's on the same years (separately for each horizon), and the **best** candidate
  picks the model with the lowest one-year-ahead ratio; the run then uses whichever of
  combination, best model or naive forecast had the smallest one-year-ahead error;
- the **calibration** rescales each candidate's interval half-widths by conformal factors (the
  quantile of |error| / half-width), so intervals that were too narrow out of sample are widened.

Scores: MAE, RMSE, MASE (the MAE relative to the naive forecast's on the same forecasts), the
coverage of the 80 % and 95 % intervals, and the norm hit rate (the share of years in which the
forecast put the outcome on the right side of the norm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from econ.models.base import Fitted, Model, ModelSkipped
from econ.models.growth_gold import gold_growth

BOUNDS = ["lower_80", "upper_80", "lower_95", "upper_95"]
ROW_COLUMNS = ["model", "origin", "horizon", "period", "forecast", *BOUNDS, "actual", "naive"]
N_ORIGINS = 15  # scored origins
WARMUP = 5  # earlier origins whose errors feed the first scored origins' weights and calibration
MIN_TRAIN = 10  # years of data before the first origin
REFIT_EVERY = 5  # origins between re-estimations; parameters are carried forward in between
MIN_ERRORS_WEIGHT = 3
MIN_ERRORS_CALIBRATION = 5
CANDIDATES = ("naive", "best", "combination")


# --- the data of one series, cut at any origin -----------------------------------------------


@dataclass
class SeriesData:
    """One series and what feeds it (monthly CPI, gold output), cut at will at an origin year."""

    country: str
    indicator: str
    y: pd.Series  # annual values on a PeriodIndex, no gaps
    cpi: pd.Series | None = None  # monthly CPI levels on a PeriodIndex
    gold: pd.Series | None = None  # annual gold output (tonnes)
    gold_paths: dict[int, dict[int, float]] = field(default_factory=dict)  # gold origin -> {year: tonnes}
    actuals: pd.Series | None = None  # the full series, for scoring

    @property
    def last_year(self) -> int:
        return int(self.y.index[-1].year)

    def until(self, year: int) -> "SeriesData":
        """What was known at the end of ``year``: every period after it removed."""
        cut = lambda s, last: None if s is None else s[s.index <= last]  # noqa: E731
        return replace(
            self, y=cut(self.y, pd.Period(str(year), freq="Y")),
            cpi=cut(self.cpi, pd.Period(f"{year}-12", freq="M")), gold=cut(self.gold, pd.Period(str(year), freq="Y")),
        )

    def gold_future_growth(self, h: int) -> np.ndarray:
        """Gold growth (%) for the ``h`` years after ``last_year``: actual tonnage where known, else projected."""
        if self.gold is None or not len(self.gold):
            raise ModelSkipped("no gold production series")
        known = {int(p.year): float(v) for p, v in self.gold.dropna().items()}
        projected = self.gold_paths.get(max(known), {})
        tonnes = {**projected, **known}
        years = range(self.last_year, self.last_year + h + 1)
        missing = [y for y in years if y not in tonnes]
        if missing:
            raise ModelSkipped(f"no gold production figure or projection for {missing[0]}")
        levels = np.array([tonnes[y] for y in years])
        return 100 * (levels[1:] / levels[:-1] - 1)


def fit_on(model: Model, data: SeriesData, previous: Fitted | None = None, refit: bool = False) -> Fitted:
    """Fits ``model`` on what ``data`` holds; with ``previous``, re-estimates from it (``refit``)
    or carries its parameters to the new data."""
    source, exog = _inputs(model, data)
    if previous is None:
        fitted = model.fit(source, exog)
    else:
        fitted = (model.refit if refit else model.update)(previous, source, exog)
    if model.kind == "monthly_cpi":
        fitted.align(data.last_year + 1)
    return fitted


def _inputs(model: Model, data: SeriesData):
    if model.kind == "monthly_cpi":
        if data.cpi is None or not len(data.cpi):
            raise ModelSkipped("no monthly CPI")
        return data.cpi, None
    if model.kind == "exog":
        if data.gold is None or len(data.gold.dropna()) < 2:
            raise ModelSkipped("no gold production series")
        return data.y, gold_growth(data.gold)
    return data.y, None


def exog_for(model: Model, data: SeriesData, h: int):
    return data.gold_future_growth(h) if model.kind == "exog" else None


# --- one model over the origins ---------------------------------------------------------------


def origins_for(years: pd.PeriodIndex, n_origins: int = N_ORIGINS, warmup: int = WARMUP,
                scored: tuple[int, int] | None = None) -> tuple[list[int], list[int]]:
    """(all origins, scored origins). Scored: the last ``n_origins`` (or target years ``scored``)."""
    first, last = int(years[0].year), int(years[-1].year)
    possible = list(range(first + MIN_TRAIN - 1, last))
    if scored is not None:
        keep = [t for t in possible if scored[0] - 1 <= t <= scored[1] - 1]
    else:
        keep = possible[-n_origins:]
    if not keep:
        return [], []
    earlier = [t for t in possible if t < keep[0]][-warmup:] if warmup else []
    return earlier + keep, keep


def model_backtest(model: Model, data: SeriesData, origins: list[int], horizon: int,
                   refit_every: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The model's forecasts at every origin, with their outcomes; notes say what went wrong where."""
    frames, notes, fitted = [], [], None
    refit_every = refit_every or model.refit_every or REFIT_EVERY
    for origin in origins:
        cut = data.until(origin)
        refit = fitted is None or origin % refit_every == 0  # on calendar years: a year's forecast
        # does not depend on how many origins a backtest asked for
        try:
            fitted = _step(model, cut, fitted, refit, notes, origin)
            frame = fitted.forecast(horizon, exog=exog_for(model, cut, horizon))
        except ModelSkipped as skipped:
            notes.append(f"origin {origin}: {skipped.reason}")
            fitted = None
            continue
        except (ValueError, np.linalg.LinAlgError, IndexError) as error:
            notes.append(f"origin {origin}: {type(error).__name__}: {error}")
            fitted = None
            continue
        notes.extend(w for w in fitted.warnings if w not in notes)
        frames.append(_rows(model.name, origin, frame, data))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROW_COLUMNS)
    return rows, notes


def _step(model: Model, cut: SeriesData, fitted: Fitted | None, refit: bool, notes: list[str], origin: int) -> Fitted:
    """Re-estimates (or carries the parameters forward); a failed re-estimation keeps the old parameters."""
    try:
        return fit_on(model, cut, fitted, refit)
    except ModelSkipped as skipped:
        if fitted is None or not refit:
            raise
        notes.append(f"origin {origin}: {skipped.reason}; parameters of the previous estimate kept")
        return fit_on(model, cut, fitted, refit=False)


def _rows(name: str, origin: int, frame: pd.DataFrame, data: SeriesData) -> pd.DataFrame:
    years = np.asarray(frame.index.year, dtype=int)
    actuals = data.actuals if data.actuals is not None else data.y
    by_year = pd.Series(actuals.values, index=np.asarray(actuals.index.year, dtype=int))
    naive = by_year.get(origin, np.nan)
    return pd.DataFrame({
        "model": name, "origin": origin, "horizon": years - origin, "period": years,
        "forecast": frame["mean"].to_numpy(), **{b: frame[b].to_numpy() for b in BOUNDS},
        "actual": by_year.reindex(years).to_numpy(), "naive": naive,
    })


# --- weights, candidates ----------------------------------------------------------------------


def known_at(rows: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The forecasts whose outcome was known at the end of ``origin`` (made before it)."""
    return rows[(rows["origin"] < origin) & (rows["period"] <= origin) & rows["actual"].notna()]


def relative_mse(rows: pd.DataFrame, horizon: int | None = None) -> pd.Series:
    """Per model: its MSE over the naive forecast's MSE on the same years, at ``horizon`` (or
    averaged over horizons), best first.

    Each model is compared with the naive forecast on the forecasts it made, so a model that
    could only be backtested on the last few (perhaps calm) years is not flattered against one
    that went through the shocks. Models with fewer than ``MIN_ERRORS_WEIGHT`` errors at the first
    horizon considered get no score. (Numpy rather than groupby: it runs at every origin.)
    """
    codes, names = pd.factorize(rows["model"])
    h = rows["horizon"].to_numpy(int)
    actual = rows["actual"].to_numpy(float)
    se = (rows["forecast"].to_numpy(float) - actual) ** 2
    naive = (rows["naive"].to_numpy(float) - actual) ** 2
    valid = np.isfinite(se) & np.isfinite(naive) & (h == horizon if horizon is not None else True)
    if not valid.any():
        return pd.Series(dtype="float64")
    relative, counts = [], None
    for k in np.unique(h[valid]):
        at = valid & (h == k)
        count = np.bincount(codes[at], minlength=len(names))
        own = np.bincount(codes[at], weights=se[at], minlength=len(names))
        base = np.bincount(codes[at], weights=naive[at], minlength=len(names))
        relative.append(np.where(count > 0, own / np.maximum(base, 1e-12), np.nan))
        counts = count if counts is None else counts
    stacked = np.vstack(relative)
    seen = np.isfinite(stacked).sum(axis=0)
    score = np.where(seen > 0, np.where(np.isfinite(stacked), stacked, 0).sum(axis=0) / np.maximum(seen, 1), np.nan)
    keep = (counts >= MIN_ERRORS_WEIGHT) & np.isfinite(score)
    return pd.Series(score[keep], index=np.asarray(names)[keep]).sort_values()


def weights_from(score: pd.Series, available: list[str]) -> dict[str, float]:
    """Inverse relative-MSE weights over the models available; equal weights without evidence."""
    score = score[score.index.isin(available)]
    if score.empty:
        return {m: 1 / len(available) for m in available}
    inverse = 1 / score.clip(lower=1e-6)
    return {m: float(w) for m, w in (inverse / inverse.sum()).items()}


def weights_by_horizon(rows: pd.DataFrame, available: list[str], horizons) -> dict[int, dict[str, float]]:
    """Weights for each horizon from that horizon's errors: a model good one year ahead need not be
    good three years ahead (monthly models lead at one year, mean-reverting ones later). A horizon
    without enough errors borrows the weights of all horizons together."""
    pooled = weights_from(relative_mse(rows), available)
    out = {}
    for h in horizons:
        score = relative_mse(rows, h)
        out[int(h)] = weights_from(score, available) if len(score) else pooled
    return out


def candidate_rows(rows: pd.DataFrame, origins: list[int], benchmark: str = "naive") -> pd.DataFrame:
    """The combination and best-model forecasts at every origin, from evidence known then."""
    frames = []
    for origin in origins:
        here = rows[rows["origin"] == origin]
        if here.empty:
            continue
        known = known_at(rows, origin)
        available = sorted(set(here["model"]))
        weights = weights_by_horizon(known, available, sorted(set(here["horizon"])))
        frames.append(_combine(here, weights).assign(model="combination"))
        present = [m for m in relative_mse(known, 1).index if m in available]
        best = present[0] if present else benchmark
        frames.append(here[here["model"] == best].assign(model="best"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROW_COLUMNS)


def _combine(here: pd.DataFrame, weights: dict[int, dict[str, float]]) -> pd.DataFrame:
    """Weighted means of forecasts and of interval bounds (quantile averaging), per horizon."""
    part = here.copy()
    part["w"] = [weights.get(int(h), {}).get(m, 0.0) for h, m in zip(part["horizon"], part["model"])]
    part = part[part["w"] > 0]
    part["w"] = part["w"] / part.groupby("horizon")["w"].transform("sum")
    values = ["forecast", *BOUNDS]
    weighted = part[values].mul(part["w"], axis=0).assign(horizon=part["horizon"]).groupby("horizon").sum()
    keys = part.groupby("horizon")[["origin", "period", "actual", "naive"]].first()
    return keys.join(weighted).reset_index()[ROW_COLUMNS[1:]]


# --- calibration ------------------------------------------------------------------------------


def conformal_factor(ratios: np.ndarray, level: float) -> float:
    """The split-conformal quantile of |error| / half-width: the factor that covers ``level``."""
    ratios = np.sort(ratios[np.isfinite(ratios)])
    n = len(ratios)
    if n < MIN_ERRORS_CALIBRATION:
        return 1.0
    k = min(n, math.ceil((n + 1) * level))
    return float(max(ratios[k - 1], 0.5))


def ratios(rows: pd.DataFrame, level: str) -> np.ndarray:
    """|error| over the half-width of the interval on the side the outcome fell."""
    forecast, actual = rows["forecast"].to_numpy(float), rows["actual"].to_numpy(float)
    error = actual - forecast
    width = np.where(error >= 0, rows[f"upper_{level}"].to_numpy(float) - forecast,
                     forecast - rows[f"lower_{level}"].to_numpy(float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(width > 1e-12, np.abs(error) / width, np.nan)


def factors(rows: pd.DataFrame, horizon: int) -> tuple[float, float]:
    """(80 %, 95 %) widening factors from the known errors at one horizon (or up to it, when few)."""
    known = rows[rows["actual"].notna()]
    return _horizon_pair(ratios(known, "80"), ratios(known, "95"), known["horizon"].to_numpy(int), horizon)


def _horizon_pair(r80: np.ndarray, r95: np.ndarray, horizons: np.ndarray, h: int) -> tuple[float, float]:
    """Factors from the errors at horizon ``h``; with fewer than ``MIN_ERRORS_CALIBRATION`` of them,
    from the errors at every horizon up to ``h`` (the ratios are scale-free, so they pool)."""
    at = horizons == h
    if np.isfinite(r80[at]).sum() < MIN_ERRORS_CALIBRATION:
        at = horizons <= h
    return _pair(r80[at], r95[at])


def _pair(r80: np.ndarray, r95: np.ndarray) -> tuple[float, float]:
    """Both factors; the 95 % one never below the 80 % one, so that with few errors (where both
    conformal quantiles are the largest error) the 95 % band stays wider than the 80 % band."""
    f80 = conformal_factor(r80, 0.8)
    return f80, max(conformal_factor(r95, 0.95), f80)


def widen(frame: pd.DataFrame, f80: float, f95: float, center: str = "forecast") -> pd.DataFrame:
    """Rescales interval half-widths around the centre, keeping 95 % outside 80 %."""
    out = frame.copy()
    c = out[center].to_numpy(float)
    for level, f in (("80", f80), ("95", f95)):
        out[f"lower_{level}"] = c - f * (c - frame[f"lower_{level}"].to_numpy(float))
        out[f"upper_{level}"] = c + f * (frame[f"upper_{level}"].to_numpy(float) - c)
    out["lower_95"] = np.minimum(out["lower_95"], out["lower_80"])
    out["upper_95"] = np.maximum(out["upper_95"], out["upper_80"])
    return out


def calibrate_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Each origin's intervals widened by factors from errors known at that origin (one name's rows)."""
    origin, horizon, period = (rows[c].to_numpy(int) for c in ("origin", "horizon", "period"))
    known = rows["actual"].notna().to_numpy()
    r80, r95 = ratios(rows, "80"), ratios(rows, "95")
    f = np.ones((len(rows), 2))
    for o in np.unique(origin):
        before = known & (origin < o) & (period <= o)
        for h in np.unique(horizon[origin == o]):
            f[(origin == o) & (horizon == h)] = _horizon_pair(r80[before], r95[before], horizon[before], h)
    return _widen_each(rows, f)


def _widen_each(rows: pd.DataFrame, f: np.ndarray) -> pd.DataFrame:
    out = rows.copy()
    c = rows["forecast"].to_numpy(float)
    for j, level in enumerate(("80", "95")):
        out[f"lower_{level}"] = c - f[:, j] * (c - rows[f"lower_{level}"].to_numpy(float))
        out[f"upper_{level}"] = c + f[:, j] * (rows[f"upper_{level}"].to_numpy(float) - c)
    out["lower_95"] = np.minimum(out["lower_95"], out["lower_80"])
    out["upper_95"] = np.maximum(out["upper_95"], out["upper_80"])
    return out


def final_factors(rows: pd.DataFrame, horizon: int) -> dict[int, tuple[float, float]]:
    """Factors from every backtest error, per horizon (for the projection itself)."""
    return {h: factors(rows, h) for h in range(1, horizon + 1)}


# --- scores ------------------------------------------------------------------------------------


def complies(values, comparison: str, threshold: float):
    """True where a value respects the norm (``<=`` or ``>=`` the threshold)."""
    values = np.asarray(values, dtype=float)
    return values <= threshold + 1e-12 if comparison == "<=" else values >= threshold - 1e-12


def score(rows: pd.DataFrame, norm: dict | None = None, naive_mae: float | None = None) -> dict:
    """MAE, RMSE, MASE, coverage and norm hit rate of one model's rows (one horizon)."""
    rows = rows.dropna(subset=["actual", "forecast"])
    n = len(rows)
    if n == 0:
        return {"n": 0, "mae": None, "rmse": None, "mase": None, "coverage_80": None, "coverage_95": None,
                "norm_hit_rate": None}
    error = rows["forecast"] - rows["actual"]
    mae = float(error.abs().mean())
    if naive_mae is None:
        naive_mae = float((rows["naive"] - rows["actual"]).abs().mean())
    result = {
        "n": n, "mae": mae, "rmse": float(np.sqrt((error**2).mean())),
        "mase": mae / naive_mae if naive_mae and naive_mae > 0 else None,
        "coverage_80": _covered(rows, "80"), "coverage_95": _covered(rows, "95"), "norm_hit_rate": None,
    }
    if norm is not None:
        hit = complies(rows["forecast"], norm["comparison"], norm["threshold"]) == complies(
            rows["actual"], norm["comparison"], norm["threshold"])
        result["norm_hit_rate"] = float(hit.mean())
    return result


def _covered(rows: pd.DataFrame, level: str) -> float | None:
    inside = (rows["actual"] >= rows[f"lower_{level}"] - 1e-9) & (rows["actual"] <= rows[f"upper_{level}"] + 1e-9)
    return float(inside.mean()) if len(rows) else None


# --- one series, every model ------------------------------------------------------------------


@dataclass
class Evaluation:
    """The evidence of one series' backtest: every model's and candidate's rows, weights, choice."""

    rows: pd.DataFrame  # calibrated, every model and candidate
    raw: pd.DataFrame  # the models' and candidates' own intervals, before calibration
    scored: list[int]
    weights: dict[int, dict[str, float]]  # by horizon
    best: str
    chosen: str
    notes: dict[str, list[str]]
    skipped: dict[str, str]
    factors: dict[str, dict[int, tuple[float, float]]]


def evaluate(models: list[Model], data: SeriesData, horizon: int, origins: list[int], scored: list[int]) -> Evaluation:
    """Backtests every model, builds the candidates, calibrates them all, and chooses."""
    raw, notes, skipped = backtest_models(models, data, origins, horizon)
    candidates = candidate_rows(raw, origins)
    everything = pd.concat([raw, candidates], ignore_index=True) if len(candidates) else raw
    calibrated = everything
    if len(everything):
        calibrated = pd.concat([calibrate_rows(part) for _, part in everything.groupby("model", sort=False)])
    available = sorted(set(raw["model"]))
    weights = weights_by_horizon(raw, available, range(1, horizon + 1)) if available else {}
    first = relative_mse(raw, 1) if available else pd.Series(dtype="float64")
    factor_table = {name: final_factors(part, horizon) for name, part in everything.groupby("model")}
    return Evaluation(
        calibrated.reset_index(drop=True), everything, scored, weights, first.index[0] if len(first) else "naive",
        choose(calibrated, scored), notes, skipped, factor_table,
    )


def backtest_models(models: list[Model], data: SeriesData, origins: list[int], horizon: int):
    """Every model's backtest rows (one frame), its notes, and the models with no row at all."""
    frames, notes, skipped = [], {}, {}
    for model in models:
        rows, notes[model.name] = model_backtest(model, data, origins, horizon)
        if rows.empty:
            skipped[model.name] = _why_empty(notes[model.name])
        else:
            frames.append(rows)
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROW_COLUMNS)
    return raw, notes, skipped


def _why_empty(notes: list[str]) -> str:
    reasons = [n.split(": ", 1)[1] for n in notes if n.startswith("origin ")]
    return reasons[-1] if reasons else "no forecast at any backtest origin"


def choose(rows: pd.DataFrame, scored: list[int]) -> str:
    """Naive, best model or combination: the smallest one-year-ahead MAE over the scored origins.

    Ties go to the simpler candidate; with fewer than three scored errors the naive forecast
    stays (no evidence, no departure from the benchmark).
    """
    at = rows[(rows["horizon"] == 1) & rows["origin"].isin(scored)].dropna(subset=["actual", "forecast"])
    mae = {}
    for name in CANDIDATES:
        part = at[at["model"] == name]
        if len(part) >= 3 and set(part["origin"]) == set(at.loc[at["model"] == "naive", "origin"]):
            mae[name] = float((part["forecast"] - part["actual"]).abs().mean())
    if "naive" not in mae:
        return "naive"
    return min(mae, key=lambda k: (round(mae[k], 9), CANDIDATES.index(k)))


def scores_by_model(evaluation: Evaluation, norm: dict | None = None) -> dict:
    """Scores at horizon 1 (with a ``by_horizon`` breakdown) for every model and candidate."""
    rows = evaluation.rows[evaluation.rows["origin"].isin(evaluation.scored)]
    raw = evaluation.raw[evaluation.raw["origin"].isin(evaluation.scored)]
    out = {}
    for name, part in rows.groupby("model"):
        entry = _scores_by_horizon(part, norm)
        own = raw[raw["model"] == name]
        if len(own):
            first = score(own[own["horizon"] == 1])
            entry["coverage_80_raw"], entry["coverage_95_raw"] = first["coverage_80"], first["coverage_95"]
        out[name] = entry
    return out


def _scores_by_horizon(part: pd.DataFrame, norm: dict | None) -> dict:
    entry = score(part[part["horizon"] == 1], norm)
    entry["by_horizon"] = {str(h): score(p, norm) for h, p in part.groupby("horizon") if h > 1}
    return entry


def calibrate_paths(paths: np.ndarray, mean: np.ndarray, by_horizon: dict[int, tuple[float, float]]) -> np.ndarray:
    """Sample paths stretched so their 80 % and 95 % intervals widen by the conformal factors.

    Deviations from the central value are mapped piecewise-linearly on each side (factor f80 up to
    the 80 % bound, then on to f95 times the 95 % bound), so quantiles read off the paths equal the
    widened intervals and the breach probability comes from the same, calibrated distribution.
    A later year's interval is never narrower than an earlier one's (factors estimated from a
    handful of errors per horizon could otherwise make it so).
    """
    out = np.array(paths, dtype=float, copy=True)
    floor = {1: (0.0, 0.0), -1: (0.0, 0.0)}
    for j in range(out.shape[1]):
        f80, f95 = by_horizon.get(j + 1, (1.0, 1.0))
        column, center = out[:, j], float(mean[j])
        q = np.quantile(column, [0.025, 0.1, 0.9, 0.975])
        shifted = np.zeros_like(column)
        for side, hw80, hw95 in ((1, q[2] - center, q[3] - center), (-1, center - q[1], center - q[0])):
            t80 = max(f80 * hw80, floor[side][0])
            t95 = max(f95 * hw95, floor[side][1], t80 * (1 + 1e-9))
            floor[side] = (t80, t95)
            shifted += _stretch(column - center, hw80, hw95, t80, t95, side)
        out[:, j] = center + shifted
    return out


def _stretch(d: np.ndarray, hw80: float, hw95: float, t80: float, t95: float, side: int) -> np.ndarray:
    """Deviations on one side mapped so that ``hw80`` becomes ``t80`` and ``hw95`` becomes ``t95``."""
    mine = np.where(side * d > 0, side * d, 0.0)
    if hw80 <= 1e-12:
        return np.zeros_like(d)
    hw95 = max(hw95, hw80 * (1 + 1e-9))
    inner = np.interp(mine, [0, hw80, hw95], [0, t80, t95])
    outer = t95 + (mine - hw95) * t95 / hw95
    return side * np.where(mine <= hw95, inner, outer)
