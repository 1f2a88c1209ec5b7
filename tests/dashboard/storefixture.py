"""Small stores for the dashboard's tests, browser tests and benchmark.

The forecast engine is someone else's module; these tests must not depend on it. So a run is
made here by hand (a drift with widening bands and a normal breach probability): it has the
shape ``save_run`` stores, which is all the dashboard reads.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pandas as pd

from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store.db import make_engine, upgrade
from econ.store.repository import write_batch
from econ.store.runs import RunRecord, SeriesForecast, save_run

ROOT = Path(__file__).resolve().parents[2]
MODELS = {"combination": None, "ar": 0.6, "ets": 0.4, "naive": None}


def observations(rows: list[tuple]) -> pd.DataFrame:
    """``(country, indicator, period, value[, source])`` tuples as an observation frame."""
    frame = pd.DataFrame(
        [(*r[:4], None, r[4] if len(r) > 4 else "Test source", None, None) for r in rows], columns=OBSERVATION_COLUMNS
    )
    return frame.astype({"value": "float64", "period": "str"})


def official(rows: list[tuple]) -> pd.DataFrame:
    """``(publisher, published, country, indicator, target_period, value)`` tuples as an official frame."""
    frame = pd.DataFrame([(*r, "ref", None) for r in rows], columns=OFFICIAL_COLUMNS)
    return frame.astype({"value": "float64", "target_period": "str"})


def small_store(path: Path):
    """Mali and Senegal, three indicators, a few official projections, no run yet."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    rows = []
    for country, shift in (("MLI", 0.0), ("SEN", 0.7)):
        for year, growth, infl in zip(range(2015, 2025), [6.2, 5.9, 5.3, 4.7, 4.8, -1.2, 3.1, 3.5, 4.7, 4.4],
                                      [1.4, -1.8, 2.4, 1.9, -2.9, 0.5, 3.9, 9.7, 2.1, 3.2]):
            rows += [(country, "gdp_growth", str(year), growth + shift, "IMF WEO October 2025"),
                     (country, "inflation", str(year), infl + shift, "IMF WEO October 2025")]
    for year, tonnes in zip(range(2016, 2025), [49.0, 52.0, 61.2, 71.1, 65.2, 63.4, 72.2, 72.5, 51.0]):
        rows.append(("MLI", "gold_production", str(year), tonnes, "Mali Ministry of Mines"))
    offi = official([
        ("IMF", "2025-11-24", "MLI", "inflation", "2025", 3.0), ("IMF", "2025-11-24", "MLI", "inflation", "2026", 2.5),
        ("Government of Mali", "2025-12-08", "MLI", "inflation", "2026", 2.0),
        ("IMF", "2025-10", "MLI", "inflation", "2026", 2.0),  # an older IMF publication: kept, not drawn
        ("IMF", "2025-11-24", "MLI", "gdp_growth", "2026", 5.5),
    ])
    write_batch(engine, observations(rows), offi, source="test")
    return engine


def cpi_rows(country: str = "MLI", start: str = "2014-01", end: str = "2024-12", missing=("2020-04",)) -> list[tuple]:
    """A monthly CPI level with a seasonal wiggle and inflation near 2-4 %, a month or more left out."""
    months = pd.period_range(start, end, freq="M")
    rows, level = [], 100.0
    for i, month in enumerate(months):
        level *= 1 + (0.025 + 0.015 * math.sin(i / 9)) / 12 + 0.002 * math.sin(i * math.pi / 6)
        if str(month) not in missing:
            rows.append((country, "cpi", str(month), round(level, 3), "INSTAT, IHPC"))
    return rows


def add_cpi(engine, country: str = "MLI", **kwargs) -> None:
    """Stores a monthly CPI for ``country`` (see ``cpi_rows``)."""
    write_batch(engine, observations(cpi_rows(country, **kwargs)), official([]), source="test-cpi")


def monthly_points(last_month: str, mean: float, months: int = 15) -> list[dict]:
    """Monthly year-on-year projection points (model ``monthly``), as the engine stores them for a CPI."""
    start = pd.Period(last_month, freq="M") + 1
    points = []
    for h in range(months):
        m, s = mean + 0.05 * h, 0.6 * math.sqrt(h + 1)
        points.append({"period": str(start + h), "model": "monthly", "mean": m, "lower_80": m - 1.2816 * s,
                       "upper_80": m + 1.2816 * s, "lower_95": m - 1.96 * s, "upper_95": m + 1.96 * s})
    return points


def synthetic_forecast(history: pd.DataFrame, country: str, indicator: str, horizon: int = 3,
                       norm: tuple[str, str, float] | None = None, monthly_from: str | None = None) -> SeriesForecast:
    """A drift projection with bands widening as sqrt(h), for every model in MODELS (and monthly points after
    ``monthly_from`` when given: what the engine stores for inflation built from a monthly CPI)."""
    values = history["value"].to_numpy()
    last_year = int(history["period"].iloc[-1])
    sd = max(float(pd.Series(values).diff().std()) / 2, 0.3) if len(values) > 2 else 1.0
    mean0 = float(pd.Series(values[-5:]).mean())
    points, checks = [], []
    for m, (model, bias) in enumerate(zip(MODELS, (0.0, 0.2, -0.2))):
        for h in range(1, horizon + 1):
            mean, s = mean0 + bias, sd * math.sqrt(h) * (1 + 0.1 * m)
            points.append({"period": str(last_year + h), "model": model, "mean": mean, "lower_80": mean - 1.2816 * s,
                           "upper_80": mean + 1.2816 * s, "lower_95": mean - 1.96 * s, "upper_95": mean + 1.96 * s})
            if norm and m == 0:
                p = 0.5 * math.erfc((norm[2] - mean) / (s * math.sqrt(2)))
                checks.append({"period": str(last_year + h), "norm_code": norm[0], "comparison": norm[1],
                               "threshold": norm[2], "p_breach": p})
    if monthly_from:
        points += monthly_points(monthly_from, mean0)
    verdicts = {"combination": "better", "ar": "better", "ets": "no significant difference", "naive": "benchmark"}
    models = {name: {"kind": "econ" if name == "combination" else "benchmark" if name == "naive" else "model",
                     "n": 15, "mase": 1.0 if name == "naive" else 0.7 + 0.1 * i, "mae": 1.1 + 0.2 * i,
                     "versus_naive": verdicts[name], "weight": MODELS[name]} for i, name in enumerate(MODELS)}
    used = {k: v for k, v in MODELS.items() if v}
    first = str(last_year + 1)
    explain = {first: {"econ": mean0, "lead": 0, "parts": [{"candidate": c, "weight": w, "forecast": mean0}
                                                          for c, w in used.items()]}}
    scores = {"main_lead": 0, "scored_lead": 0, "models": models, "official": [],
              "econ": {"0": {"n": 15, "mae": 1.1, "mase": 0.7, "coverage_80": 0.8, "coverage_95": 0.93,
                             "brier": 0.15, "brier_naive": 0.2, "brier_climate": 0.22}}}
    weights = {"chosen": "combination", "used": used, "by_lead": {"0": used}, "explain": explain}
    return SeriesForecast(country, indicator, "combination", str(last_year), pd.DataFrame(points),
                          norm_checks=pd.DataFrame(checks), weights=weights, scores=scores)


def add_run(engine, created_at: datetime | None = None, countries=None, monthly: bool = True) -> int:
    """A synthetic run over every annual growth, inflation and gold series in the store; inflation gets
    monthly points when the country has a CPI (and ``monthly``)."""
    from econ.store.repository import data_vintage, observations as read

    obs = read(engine, country=countries, indicator=["gdp_growth", "inflation", "gold_production", "cpi"])
    cpi_last = obs[obs["indicator"] == "cpi"].groupby("country")["period"].max().to_dict() if monthly else {}
    forecasts = [
        synthetic_forecast(g, c, i, norm=("waemu_inflation", "<=", 3.0) if i == "inflation" else None,
                           monthly_from=cpi_last.get(c) if i == "inflation" else None)
        for (c, i), g in obs.groupby(["country", "indicator"]) if len(g) >= 3 and i != "cpi"
    ]
    record = RunRecord(settings={"horizon": 3, "synthetic": True}, seed=1, code_version="test",
                       data_vintage=data_vintage(engine), as_of=None, forecasts=forecasts,
                       **({"created_at": created_at} if created_at else {}))
    return save_run(engine, record)


def bundled_store(path: Path):
    """The bundled dataset (``data/``), a synthetic monthly CPI for Mali and one synthetic run: realistic sizes
    for the browser tests and the benchmark."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    obs = pd.read_csv(ROOT / "data" / "observations.csv", dtype={"period": "str"}, keep_default_na=False,
                      na_values={"value": [""]})
    obs = obs.reindex(columns=[*OBSERVATION_COLUMNS, "published"]).astype({"value": "float64"})
    for column in ("unit", "source", "reference", "note", "published"):
        obs[column] = obs[column].replace("", None)
    off = pd.read_csv(ROOT / "data" / "official_projections.csv", dtype={"target_year": "str", "published": "str"})
    off = off.rename(columns={"target_year": "target_period"}).reindex(columns=OFFICIAL_COLUMNS)
    write_batch(engine, obs, off.astype({"value": "float64"}), source="bundle")
    add_cpi(engine, "MLI")
    add_run(engine)
    return engine
