"""How good the projections were: points, bands, probabilities and whole distributions.

- points: MAE, RMSE, and MASE (the MAE over the naive forecast's on the same forecasts);
- bands: coverage of the 80 % and 95 % intervals and the interval score (Gneiting & Raftery),
  which rewards narrow bands and charges for misses;
- probabilities of breaching a norm: the Brier score beside the naive model's and the
  climatology's, and a reliability table (said 30-40 %, happened how often?);
- distributions: the CRPS of the predictive distribution (``scoringrules``);
- the Diebold-Mariano test with the Harvey-Leybourne-Newbold small-sample correction, for a plain
  verdict on two forecasters over the same years: better, worse, or no significant difference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scoringrules as sr
from scipy import stats

SIGNIFICANCE = 0.10  # two-sided: a handful of annual errors rarely gives more
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def _finite(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def point_scores(forecast, actual, naive) -> dict:
    """MAE, RMSE and MASE of forecasts against outcomes (MASE against ``naive`` on the same years)."""
    f, a, n = _finite(forecast), _finite(actual), _finite(naive)
    keep = np.isfinite(f) & np.isfinite(a)
    if not keep.any():
        return {"n": 0, "mae": None, "rmse": None, "mase": None}
    error = f[keep] - a[keep]
    mae = float(np.abs(error).mean())
    naive_mae = float(np.nanmean(np.abs(n[keep] - a[keep]))) if np.isfinite(n[keep]).any() else np.nan
    return {"n": int(keep.sum()), "mae": mae, "rmse": float(np.sqrt((error**2).mean())),
            "mase": mae / naive_mae if naive_mae and np.isfinite(naive_mae) and naive_mae > 0 else None}


def coverage(actual, lower, upper) -> float | None:
    a, lo, hi = _finite(actual), _finite(lower), _finite(upper)
    keep = np.isfinite(a) & np.isfinite(lo) & np.isfinite(hi)
    return float(((a[keep] >= lo[keep] - 1e-9) & (a[keep] <= hi[keep] + 1e-9)).mean()) if keep.any() else None


def interval_score(actual, lower, upper, level: float) -> float | None:
    a, lo, hi = _finite(actual), _finite(lower), _finite(upper)
    keep = np.isfinite(a) & np.isfinite(lo) & np.isfinite(hi)
    if not keep.any():
        return None
    return float(np.mean(sr.interval_score(a[keep], lo[keep], hi[keep], 1 - level)))


def brier(probability, outcome) -> float | None:
    p, o = _finite(probability), _finite(outcome)
    keep = np.isfinite(p) & np.isfinite(o)
    return float(np.mean(sr.brier_score(o[keep], p[keep]))) if keep.any() else None


def reliability(probability, outcome, bins=BINS) -> list[dict]:
    """Per probability bin: how many forecasts, their mean probability, how often the event happened."""
    p, o = _finite(probability), _finite(outcome)
    keep = np.isfinite(p) & np.isfinite(o)
    p, o = p[keep], o[keep]
    which = np.clip(np.digitize(p, bins[1:-1], right=False), 0, len(bins) - 2)
    table = []
    for k in range(len(bins) - 1):
        inside = which == k
        table.append({"bin": f"{bins[k]:.0%}-{bins[k + 1]:.0%}", "n": int(inside.sum()),
                      "forecast": float(p[inside].mean()) if inside.any() else None,
                      "observed": float(o[inside].mean()) if inside.any() else None})
    return table


def crps(actual: float, members: np.ndarray) -> float:
    return float(sr.crps_ensemble(np.asarray([actual], float), np.asarray(members, float)[None, :])[0])


def crps_normal(actual, mean, sd) -> np.ndarray:
    return np.asarray(sr.crps_normal(_finite(actual), _finite(mean), np.maximum(_finite(sd), 1e-9)))


def diebold_mariano(errors_a, errors_b, horizon: int = 1, loss: str = "absolute") -> tuple[float | None, float | None]:
    """DM statistic and two-sided p-value for equal expected loss, HLN-corrected (t with n-1 df).

    The loss is the absolute error by default (the product reports MAE; squared errors let one
    shock year decide), or ``"squared"``. Negative statistics mean ``a`` has the smaller losses.
    Autocovariances up to ``horizon - 1`` enter the variance, as for h-step forecasts.
    """
    a, b = _finite(errors_a), _finite(errors_b)
    keep = np.isfinite(a) & np.isfinite(b)
    power = 1 if loss == "absolute" else 2
    d = np.abs(a[keep]) ** power - np.abs(b[keep]) ** power
    n = len(d)
    if n < 3:
        return None, None
    centred = d - d.mean()
    gamma = [float(centred @ centred) / n] + [float(centred[k:] @ centred[:-k]) / n for k in range(1, horizon)]
    variance = (gamma[0] + 2 * sum(gamma[1:])) / n
    if variance <= 0:
        return (0.0, 1.0) if abs(d.mean()) < 1e-12 else (None, None)
    correction = np.sqrt((n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n)
    statistic = float(correction * d.mean() / np.sqrt(variance))
    return statistic, float(2 * stats.t.sf(abs(statistic), df=n - 1))


def verdict(statistic: float | None, p_value: float | None, significance: float = SIGNIFICANCE) -> str:
    """``better`` / ``worse`` (for the first forecaster), or ``no significant difference``."""
    if statistic is None or p_value is None or p_value >= significance:
        return "no significant difference"
    return "better" if statistic < 0 else "worse"


def summary(rows: pd.DataFrame, norm=None) -> dict:
    """Every score of a set of projections (``forecast``, ``actual``, ``naive``, bands, ``p_*``)."""
    out = point_scores(rows["forecast"], rows["actual"], rows["naive"])
    out["coverage_80"] = coverage(rows["actual"], rows["lower_80"], rows["upper_80"])
    out["coverage_95"] = coverage(rows["actual"], rows["lower_95"], rows["upper_95"])
    out["interval_score_80"] = interval_score(rows["actual"], rows["lower_80"], rows["upper_80"], 0.8)
    out["interval_score_95"] = interval_score(rows["actual"], rows["lower_95"], rows["upper_95"], 0.95)
    for column in ("crps", "crps_naive"):
        if column in rows:
            values = _finite(rows[column])
            out[column] = float(np.nanmean(values)) if np.isfinite(values).any() else None
    out.update(norm_scores(rows, norm))
    return out


def norm_scores(rows: pd.DataFrame, norm) -> dict:
    """Hit rate of the norm call, and the Brier scores of the breach probability against naive and climatology."""
    empty = {"norm_hit_rate": None, "brier": None, "brier_naive": None, "brier_climate": None, "reliability": None}
    if norm is None or rows.empty:
        return empty
    actual = _finite(rows["actual"])
    keep = np.isfinite(actual)
    if not keep.any():
        return empty
    outcome = norm.breached(actual[keep]).astype(float)
    call = norm.breached(_finite(rows["forecast"])[keep]).astype(float)
    out = {"norm_hit_rate": float((call == outcome).mean())}
    for key, column in (("brier", "p_breach"), ("brier_naive", "p_naive"), ("brier_climate", "p_climate")):
        out[key] = brier(_finite(rows[column])[keep], outcome) if column in rows else None
    out["reliability"] = reliability(_finite(rows["p_breach"])[keep], outcome) if "p_breach" in rows else None
    return out
