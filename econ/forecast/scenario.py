"""Gold scenarios: Mali's growth under an analyst's gold path, from the stored regression; no refit.

The regression's coefficients are the run's (``econ.models.growth_gold``: an elasticity near
gold's share of GDP, never negative), so a path with more gold gives more growth in every year
where it has more gold growth. The band around the scenario is the econ projection's own: its
pooled, scaled errors at the same lead, stored with the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from econ.models.growth_gold import from_state, path_growth
from econ.store.runs import forecast_state, latest_forecast

LEVELS = {"lower_95": 0.025, "lower_80": 0.10, "upper_80": 0.90, "upper_95": 0.975}
COLUMNS = ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]


def _state(engine: Engine, country: str, run_id: int | None) -> tuple[dict, object]:
    stored = latest_forecast(engine, country, "gdp_growth", run_id=run_id)
    state = forecast_state(engine, stored.forecast_id) if stored else None
    if not state or not state.get("growth_gold"):
        raise LookupError(f"no growth-on-gold model stored for {country}: run a forecast with its gold series first")
    return state, stored


def scenario_baseline(engine: Engine, country: str, run_id: int | None = None) -> dict:
    """The gold path the run assumes for each projected growth year (known tonnage, else the freshest
    official projection, else econ's gold projection), and which gold series it is.

    ``{"indicator": "gold_production_industrial", "path": {"2025": 42.2, "2026": 41.0, ...}}``.
    """
    state, _ = _state(engine, country, run_id)
    tonnes = {**state.get("baseline_gold", {}), **state.get("known_gold", {})}
    return {"indicator": state["gold_indicator"], "path": {y: float(tonnes[y]) for y in state["years"] if y in tonnes}}


def scenario(engine: Engine, country: str, gold_path: dict[str, float], run_id: int | None = None) -> pd.DataFrame:
    """Growth under ``gold_path`` (tonnes a year of the regression's gold series); years it leaves
    out keep the run's baseline. Columns: period, mean, lower/upper 80 and 95."""
    state, stored = _state(engine, country, run_id)
    years = [int(y) for y in state["years"]]
    if not years:
        raise LookupError(f"the stored run has no projected growth year for {country}")
    tonnes = {int(k): float(v) for k, v in {**state.get("baseline_gold", {}), **state.get("known_gold", {})}.items()}
    tonnes.update({int(str(k)[:4]): float(v) for k, v in gold_path.items()})
    missing = [y for y in range(years[0] - 1, years[-1] + 1) if y not in tonnes]
    if missing:
        raise ValueError(f"the gold path lacks {missing[0]}")
    growth = path_growth(tonnes[years[0] - 1], [tonnes[y] for y in years])
    mean, sd = from_state(state["growth_gold"]).moments(len(years), exog=growth)
    leads = _leads(stored, years)
    rows = [_band(y, m, s, state, leads.get(y)) for y, m, s in zip(years, mean, sd)]
    return pd.DataFrame(rows, columns=COLUMNS)


def _leads(stored, years: list[int]) -> dict[int, int]:
    explain = (stored.weights or {}).get("explain", {})
    return {y: int(explain[str(y)]["lead"]) for y in years if str(y) in explain}


def _band(year: int, mean: float, sd: float, state: dict, lead: int | None) -> dict:
    """The econ projection's calibrated band around the scenario's mean (the model's own normal band
    when the run had too few errors at that lead)."""
    quantiles = state.get("calibration", {}).get(str(lead))
    scale = state.get("scale")
    if quantiles and scale:
        values = mean + scale * np.asarray(quantiles, float)  # 2.5, 10, 90, 97.5 %: LEVELS' order
    else:
        from scipy import stats

        values = mean + sd * stats.norm.ppf(list(LEVELS.values()))
    out = {"period": str(year), "mean": float(mean), **{k: float(v) for k, v in zip(LEVELS, values)}}
    out["lower_80"], out["upper_80"] = min(out["lower_80"], mean), max(out["upper_80"], mean)
    out["lower_95"], out["upper_95"] = min(out["lower_95"], out["lower_80"]), max(out["upper_95"], out["upper_80"])
    return out
