"""Gold scenarios: Mali's growth under an analyst's gold path, from the stored run; no refit.

A scenario is the run's own growth projection (econ's combination, with its band) moved by what
the run's growth-on-gold regression says the analyst's path changes: the regression's projection
under the new path minus its projection under the run's path. The path the run assumed therefore
gives back the projection on the Indicator page exactly, and since the regression's elasticity is
near gold's share of GDP and never negative (``econ.models.growth_gold``), a path with more gold
growth in a year gives more growth that year. The band moves with the mean: the gold path is the
analyst's assumption, not a new source of error.

A path is refused, with a message naming the year and the limit, when it sets a year the run does
not project, goes above ``scenario_gold_max_factor`` times the country's record output (5000 t
for Mali is a typing slip, not a scenario), or restarts from zero (growth from 0 t is undefined).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from econ.config import get_settings
from econ.models.growth_gold import from_state, path_growth
from econ.store.runs import ECON, forecast_state, latest_forecast

COLUMNS = ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]


@dataclass(eq=False)
class ScenarioPathError(ValueError):
    """A gold path the scenario cannot use; the fields let each interface say why in its language."""

    problem: str  # "year" (not projected), "above" (over the limit), "restart" (growth from zero)
    year: str
    tonnes: float
    limit: float | None = None
    record: float | None = None
    years: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.problem == "year":
            return (f"the gold path sets {self.year}, which the run does not project: set "
                    f"{', '.join(self.years)} only")
        if self.problem == "above":
            return (f"the gold path's {self.tonnes:g} t in {self.year} is above the limit of {self.limit:g} t "
                    f"({get_settings().scenario_gold_max_factor:g} times the record output of {self.record:g} t; "
                    f"the server's ECON_SCENARIO_GOLD_MAX_FACTOR sets it)")
        return (f"the gold path restarts from 0 t in {self.year}: growth from zero is undefined; "
                f"give the year before a positive tonnage")


def _state(engine: Engine, country: str, run_id: int | None) -> tuple[dict, object]:
    stored = latest_forecast(engine, country, "gdp_growth", run_id=run_id)
    state = forecast_state(engine, stored.forecast_id) if stored else None
    if not state or not state.get("growth_gold"):
        raise LookupError(f"no growth-on-gold model stored for {country}: run a forecast with its gold series first")
    return state, stored


def _tonnes(state: dict) -> dict[int, float]:
    """The run's gold path: known tonnage, then its assumed path for the projected years."""
    return {int(k): float(v) for k, v in {**state.get("baseline_gold", {}), **state.get("known_gold", {})}.items()}


def scenario_baseline(engine: Engine, country: str, run_id: int | None = None) -> dict:
    """The gold path the run assumes for each projected growth year (known tonnage, else the freshest
    official projection, else econ's gold projection), and which gold series it is.

    ``{"indicator": "gold_production_industrial", "path": {"2025": 42.2, "2026": 41.0, ...}}``.
    """
    state, _ = _state(engine, country, run_id)
    tonnes = _tonnes(state)
    return {"indicator": state["gold_indicator"],
            "path": {y: tonnes[int(y)] for y in state["years"] if int(y) in tonnes}}


def check_path(state: dict, gold_path: dict[str, float]) -> dict[int, float]:
    """The path's years as integers, after the checks a user's path must pass (ScenarioPathError)."""
    years = [str(y) for y in state["years"]]
    path = {str(k)[:4]: float(v) for k, v in gold_path.items()}
    known = [float(v) for v in state.get("known_gold", {}).values()]
    record = max(known) if known else None
    limit = get_settings().scenario_gold_max_factor * record if record else None
    for year, tonnes in sorted(path.items()):
        if year not in years:
            raise ScenarioPathError("year", year, tonnes, years=tuple(years))
        if limit is not None and tonnes > limit:
            raise ScenarioPathError("above", year, tonnes, limit=round(limit, 1), record=record)
    return {int(y): v for y, v in path.items()}


def scenario(engine: Engine, country: str, gold_path: dict[str, float], run_id: int | None = None) -> pd.DataFrame:
    """Growth under ``gold_path`` (tonnes a year of the regression's gold series); years it leaves
    out keep the run's path. Columns: period, mean, lower/upper 80 and 95."""
    state, stored = _state(engine, country, run_id)
    years = [int(y) for y in state["years"]]
    if not years:
        raise LookupError(f"the stored run has no projected growth year for {country}")
    base = _tonnes(state)
    missing = [y for y in range(years[0] - 1, years[-1] + 1) if y not in base]
    if missing:
        raise ValueError(f"the gold path lacks {missing[0]}")
    tonnes = {**base, **check_path(state, gold_path)}
    for year in years:
        if tonnes[year - 1] == 0 and tonnes[year] > 0:
            raise ScenarioPathError("restart", str(year), tonnes[year])
    model = from_state(state["growth_gold"])
    moved = (model.moments(len(years), exog=_growth(tonnes, years))[0]
             - model.moments(len(years), exog=_growth(base, years))[0])
    return _moved(stored.points, years, moved)


def _growth(tonnes: dict[int, float], years: list[int]) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 t to 0 t: no change, not NaN
        growth = path_growth(tonnes[years[0] - 1], [tonnes[y] for y in years])
    return np.nan_to_num(growth, nan=0.0)


def _moved(points: pd.DataFrame, years: list[int], moved: np.ndarray) -> pd.DataFrame:
    """econ's stored projection and band for each year, shifted by the gold path's effect."""
    econ = points[points["model"] == ECON].assign(period=lambda f: f["period"].astype(str)).set_index("period")
    absent = [y for y in years if str(y) not in econ.index]
    if absent:
        raise LookupError(f"the stored run has no econ projection of growth for {absent[0]}")
    rows = econ.loc[[str(y) for y in years], COLUMNS[1:]].astype(float).add(moved, axis=0)
    return rows.reset_index()[COLUMNS]
