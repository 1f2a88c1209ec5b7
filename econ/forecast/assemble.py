"""From a pool's combined projections to what the store keeps for each series.

For each series: the econ projection at the run's date (with every norm's breach probability),
each model's own projection, the nested backtest of the econ projection and of every candidate,
the scores (points, bands, probabilities, distributions, each against the naive forecast and
the official forecasters on matched information), the weights and why, the calibration, and a
small JSON state for scenarios.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ import scoring
from econ.backtest import NAIVE, OFFICIAL, RELEASE
from econ.bands import nearest, predictive_members
from econ.combine import Norm, PoolOutput, information_step
from econ.forecast.series import SeriesCandidates
from econ.models import registry
from econ.store.runs import BACKTEST_FIELDS, CHECK_FIELDS, ECON, MONTHLY_MODEL, POINT_FIELDS, SeriesForecast

QUANTILES = (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)


def series_rows(pooled: PoolOutput, key: str) -> pd.DataFrame:
    return pooled.econ[pooled.econ["series"] == key]


def with_actuals(rows: pd.DataFrame, latest: pd.Series) -> pd.DataFrame:
    """Backtest rows with the outcome as the store knows it now (rows not yet knowable dropped)."""
    actual = pd.Series(latest.to_numpy(float), index=np.asarray(latest.index.year, int))
    rows = rows.assign(actual=rows["period"].astype(int).map(actual))
    return rows[rows["actual"].notna()]


def add_crps(rows: pd.DataFrame, pooled: PoolOutput, floor: float) -> pd.DataFrame:
    """CRPS of each backtest projection's predictive distribution, and of the naive forecast's."""
    values = []
    for r in rows.itertuples(index=False):
        z = pooled.band_errors(r.origin, r.series, r.lead)
        values.append(scoring.crps(r.actual, predictive_members(r.forecast, r.scale, z, r.series, r.naive_sd, floor,
                                                                        span=r.span)))
    naive = scoring.crps_normal(rows["actual"], rows["naive"], rows["naive_sd"]) if len(rows) else []
    return rows.assign(crps=values, crps_naive=naive)


def main_lead(final_rows: pd.DataFrame) -> int:
    """The lead of the first year projected at the run's date: the next figure to come out. Its
    scores are those of the nearest lead the backtest has (a projection of last year, before its
    figure is out, has no backtest of its own when every earlier origin already knew that year)."""
    return int(final_rows["lead"].min()) if len(final_rows) else 0


def econ_scores(rows: pd.DataFrame, norm: Norm | None) -> dict:
    """The nested econ projection's scores, lead by lead."""
    return {str(int(lead)): _json(scoring.summary(part, norm)) for lead, part in rows.groupby("lead")}


def same_information(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with their information step (``econ.combine.information_step``): what weighed them."""
    return rows.assign(step=information_step(rows))


def information_scores(scored: pd.DataFrame, final_rows: pd.DataFrame, lead: int, norm: Norm | None) -> dict:
    """The nested econ projection's record on the information of the run's first year: the past
    projections made as far from the last figure as it is (with monthly CPI, at its lead), the record
    its weights and band were drawn from. A January projection of last year, made before its figure
    is out, has been made only since publication dates are known (six years); every January
    projection of the current year made when last year's figure was out stood as far from it."""
    first = same_information(final_rows[final_rows["lead"] == lead])
    if first.empty or scored.empty:
        return {}
    on_step = same_information(scored)
    step = nearest(int(first["step"].iloc[0]), {int(k): g for k, g in on_step.groupby("step")}, len)
    part = on_step[on_step["step"] == step]
    return {"step": step, "leads": sorted(int(v) for v in part["lead"].unique()),
            **_json(scoring.summary(part, norm))}


def candidate_scores(raw: pd.DataFrame, econ: pd.DataFrame, lead: int, weights: dict, basis: str = "lead") -> dict:
    """Each candidate (models, officials, econ) at ``lead`` (or, with ``basis="step"``, at that
    information step): errors, MASE, and a Diebold-Mariano verdict against the naive forecast on
    the same forecasts."""
    if basis == "step":
        raw, econ = same_information(raw), same_information(econ)
    raw = raw[(raw[basis] == lead) & (raw["kind"] != "release")]
    rows = pd.concat([raw, econ[econ[basis] == lead].assign(candidate=ECON)], ignore_index=True)
    rows = rows.assign(error=rows["forecast"].astype(float) - rows["actual"].astype(float))
    table = rows.drop_duplicates(["origin", "period", "candidate"]).set_index(
        ["origin", "period", "candidate"])["error"].unstack("candidate")
    out, errors = {}, table.to_numpy(float)
    naive_errors = errors[:, list(table.columns).index(NAIVE)] if NAIVE in table else None
    for j, name in enumerate(table.columns):
        both = np.isfinite(errors[:, j]) & (np.isfinite(naive_errors) if naive_errors is not None else True)
        own, naive = errors[both, j], naive_errors[both] if naive_errors is not None else None
        stat, p = scoring.diebold_mariano(own, naive) if naive is not None and name != NAIVE else (None, None)
        mae = float(np.abs(own).mean()) if len(own) else None
        naive_mae = float(np.abs(naive).mean()) if naive is not None and len(naive) else None
        out[str(name)] = {
            "kind": _kind(str(name)), "description": _description(str(name)), "n": int(len(own)), "mae": mae,
            "mase": mae / naive_mae if mae is not None and naive_mae else None,
            "dm_stat": stat, "dm_pvalue": p, "versus_naive": "benchmark" if name == NAIVE else scoring.verdict(stat, p),
            "weight": weights.get(str(name)) if name != ECON else None,
        }
    return out


def official_comparison(raw: pd.DataFrame, econ: pd.DataFrame, norm: Norm | None) -> list[dict]:
    """Econ against each official forecaster, two ways: against the publisher's latest projection
    published by the origin (``known``: econ had it among its candidates), and against its first
    release in the three months after the origin (``next release``: the October WEO against econ's
    projection made on 1 October with the CPI to August; the April WEO against data to December),
    whose data stop at or after econ's: matched information, or better for the publisher."""
    econ = econ.set_index(["origin", "period"])
    out = []
    for (name, lead), part in raw[raw["kind"].isin(["official", "release"])].groupby(["candidate", "lead"]):
        part = part.set_index(["origin", "period"])
        common = part.index.intersection(econ.index)
        if len(common) < 3:
            continue
        mine, theirs = econ.loc[common], part.loc[common]
        actual = mine["actual"].to_numpy(float)
        stat, p = scoring.diebold_mariano(mine["forecast"].to_numpy(float) - actual,
                                          theirs["forecast"].to_numpy(float) - actual)
        out.append({
            "publisher": str(name).split(":", 1)[1], "lead": int(lead), "n": int(len(common)),
            "release": "next release" if str(name).startswith(RELEASE) else "known",
            "mae": float(np.abs(theirs["forecast"].to_numpy(float) - actual).mean()),
            "econ_mae": float(np.abs(mine["forecast"].to_numpy(float) - actual).mean()),
            "norm_hit_rate": _hit(theirs["forecast"], actual, norm), "econ_norm_hit_rate": _hit(mine["forecast"], actual, norm),
            "dm_stat": stat, "dm_pvalue": p, "verdict": scoring.verdict(stat, p),
            "years": sorted(int(y) for y in common.get_level_values("period")),
        })
    return out


def _hit(forecast, actual, norm: Norm | None) -> float | None:
    if norm is None:
        return None
    return float((norm.breached(np.asarray(forecast, float)) == norm.breached(actual)).mean())


def _kind(name: str) -> str:
    if name == ECON:
        return "econ"
    if name.startswith(OFFICIAL):
        return "official"
    if name.startswith(RELEASE):
        return "release"
    return "benchmark" if name == NAIVE else "model"


def _description(name: str) -> str:
    if name == ECON:
        return "econ: candidates weighted by their track record at each origin, bands from pooled errors"
    if name.startswith(OFFICIAL):
        return f"{name.removeprefix(OFFICIAL)}: latest published projection"
    if name.startswith(RELEASE):
        return f"{name.removeprefix(RELEASE)}: its next release (matched information, not combined)"
    return registry.MODELS[name].description if name in registry.MODELS else name


def _json(value):
    """Plain JSON types (numpy scalars and NaN out)."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


# --- the stored forecast ------------------------------------------------------------------------------


def norm_checks(final_rows: pd.DataFrame, pooled: PoolOutput, norms: list[dict], floor: float) -> pd.DataFrame:
    """Every applicable norm's breach probability for each projected year, from the econ distribution."""
    rows = []
    for r in final_rows.itertuples(index=False):
        z = pooled.band_errors(r.origin, r.series, r.lead)
        members = predictive_members(r.forecast, r.scale, z, r.series, r.naive_sd, floor, members=2000,
                                     span=r.span)
        for norm in norms:
            rule = Norm(norm["comparison"], float(norm["threshold"]))
            rows.append({"period": str(int(r.period)), "norm_code": norm["code"], "comparison": norm["comparison"],
                         "threshold": float(norm["threshold"]), "p_breach": float(rule.breached(members).mean())})
    return pd.DataFrame(rows, columns=CHECK_FIELDS)


def econ_points(final_rows: pd.DataFrame) -> pd.DataFrame:
    frame = final_rows.assign(period=final_rows["period"].astype(int).astype(str), model=ECON, mean=final_rows["forecast"])
    return frame[POINT_FIELDS].reset_index(drop=True)


def monthly_points(cands: SeriesCandidates, weights: dict) -> tuple[pd.DataFrame, str | None]:
    """The year-on-year monthly path of the monthly model the combination trusts most."""
    if not cands.monthly:
        return pd.DataFrame(columns=POINT_FIELDS), None
    name = max(cands.monthly, key=lambda m: (weights.get(m, 0.0), m == "cpi_sarimax"))
    frame = cands.monthly[name]
    if frame.empty:
        return pd.DataFrame(columns=POINT_FIELDS), name
    out = frame.assign(period=[str(p) for p in frame.index], model=MONTHLY_MODEL)
    return out.reset_index(drop=True)[POINT_FIELDS], name


def backtest_frame(econ: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Stored backtest rows: the econ projection (``combination``) and every candidate, scored."""
    both = pd.concat([econ.assign(candidate=ECON), raw], ignore_index=True)
    both = both.assign(model=both["candidate"], origin=pd.to_datetime(both["origin"]).dt.strftime("%Y-%m"),
                       horizon=both["lead"].astype(int), period=both["period"].astype(int).astype(str))
    return both[BACKTEST_FIELDS].reset_index(drop=True)


EMPTY_MOVES = pd.DataFrame(columns=["candidate", "period", "own", "union", "share", "forecast"])


def explanation(final_raw: pd.DataFrame, final_rows: pd.DataFrame, weights: dict[int, dict],
                moved: pd.DataFrame | None = None) -> dict:
    """For each projected year: the econ value and what it is made of (candidate, weight, projection;
    in a monetary union, each model's own projection, the union's and the share it moved toward it)."""
    out = {}
    for r in final_rows.itertuples(index=False):
        here = final_raw[final_raw["period"] == r.period].set_index("candidate")
        toward = (moved[moved["period"] == r.period] if moved is not None else EMPTY_MOVES).set_index("candidate")
        used = weights.get(int(r.lead), {})
        parts = []
        for c, w in sorted(used.items(), key=lambda kv: -kv[1]):
            if c not in here.index:
                continue
            part = {"candidate": c, "weight": round(w, 4), "forecast": float(here.at[c, "forecast"])}
            if c in toward.index and toward.at[c, "share"] > 0:
                m = toward.loc[c]
                part.update(forecast=float(m["forecast"]), own=float(m["own"]), union=float(m["union"]),
                            share=float(m["share"]))
            parts.append(part)
        out[str(int(r.period))] = {"econ": float(r.forecast), "lead": int(r.lead), "parts": parts}
    return out


def moved_toward_union(pooled: PoolOutput, key: str, final: pd.Timestamp) -> pd.DataFrame | None:
    """The series' model projections at the run's date as moved toward the union's (None outside one)."""
    if pooled.union is None:
        return None
    return pooled.union[(pooled.union["series"] == key) & (pooled.union["origin"] == final)]


def calibration_info(final_rows: pd.DataFrame, pooled: PoolOutput) -> dict:
    """Where each lead's band comes from, and how many series the pool holds: one means the series'
    own years are all the record there is (a store holding one country), which the reader is told."""
    by_lead = {}
    pool_series = int(pooled.econ["series"].nunique())
    for r in final_rows.itertuples(index=False):
        z = pooled.band_errors(r.origin, r.series, r.lead)
        own = int((z.series == r.series).sum())
        by_lead[str(int(r.lead))] = {
            "source": r.calibration, "errors": int(len(z)), "own_errors": own, "scale": float(r.scale),
            "turbulence": float(r.turbulence), "span": float(r.span) if np.isfinite(r.span) else None,
            "quantiles": ({f"{q:g}": float(v) for q, v in zip(QUANTILES, z.quantiles(r.series, QUANTILES))}
                          if len(z) else None),
        }
    return {"method": "split-conformal: the pool's errors of the current rule give the shape, the series' own "
                      "errors (shrunk toward the pool's) their size; naive spread until enough errors", "by_lead": by_lead,
            "pool_series": pool_series}


def build(cands: SeriesCandidates, pooled: PoolOutput, final: pd.Timestamp, norms: list[dict],
          norm: Norm | None, floor: float, state_extra: dict | None = None) -> SeriesForecast:
    """The stored form of one series' projection."""
    rows = series_rows(pooled, cands.key)
    final_rows, past = rows[rows["origin"] == final], rows[rows["origin"] < final]
    raw = cands.raw.assign(origin=pd.to_datetime(cands.raw["origin"]))
    final_raw, past_raw = raw[raw["origin"] == final], raw[raw["origin"] < final]
    scored = add_crps(with_actuals(past, cands.latest), pooled, floor)
    scored_raw = with_actuals(past_raw, cands.latest)
    lead = main_lead(final_rows)
    weights = pooled.weights.get((cands.key, final), {})
    used = weights.get(lead, {NAIVE: 1.0})
    monthly, monthly_model = monthly_points(cands, used)
    points = pd.concat([econ_points(final_rows), cands.model_points, monthly], ignore_index=True)
    scored_lead = nearest(lead, {int(k): g for k, g in scored.groupby("lead")}, len)
    same = information_scores(scored, final_rows, lead, norm)
    models = (candidate_scores(scored_raw, scored, same["step"], used, basis="step") if same
              else candidate_scores(scored_raw, scored, scored_lead, used))
    scores = {"main_lead": lead, "scored_lead": scored_lead, "econ": econ_scores(scored, norm),
              "same_information": _json(same), "models": _json(models),
              "official": _json(official_comparison(scored_raw, scored, norm))}
    return SeriesForecast(
        country=cands.country, indicator=cands.indicator, model=ECON, last_period=cands.last_period, points=points,
        norm_checks=norm_checks(final_rows, pooled, norms, floor), backtest=backtest_frame(scored, scored_raw),
        weights={"chosen": ECON, "used": used, "by_lead": {str(k): v for k, v in weights.items()},
                 "explain": explanation(final_raw, final_rows, weights, moved_toward_union(pooled, cands.key, final))},
        scores=scores, calibration=calibration_info(final_rows, pooled),
        diagnostics={"notes": cands.notes, "warnings": cands.model_notes, "skipped": cands.skipped,
                     "monthly_model": monthly_model, "pool": cands.pool, "cpi_behind": cands.cpi_behind,
                     "origins": sorted({o.strftime("%Y-%m-%d") for o in past["origin"]})},
        state=_json(state_extra or {}),
    )
