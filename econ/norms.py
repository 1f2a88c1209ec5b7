"""Norms as probabilities: how likely a projected year is to breach a convergence criterion.

``p_breach`` is the share of simulated paths on the wrong side of the threshold (or, from a
normal distribution, its tail probability). The ``scorecard`` puts, for every WAEMU member and
criterion, the latest actual figures beside the latest run's projections and their breach
probabilities: the dashboard's convergence page and the API's ``/api/v1/norms`` read it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sqlalchemy import Engine

from econ.schema import WAEMU
from econ.store import repository
from econ.store.runs import latest_points

SCORECARD_COLUMNS = [
    "country", "norm_code", "indicator", "comparison", "threshold", "label_fr", "label_en",
    "period", "kind", "value", "lower_80", "upper_80", "p_breach", "compliant",
]
ACTUAL_YEARS = 3


def complies(values, comparison: str, threshold: float):
    """True where a value respects the norm (``<=`` or ``>=`` the threshold)."""
    values = np.asarray(values, dtype=float)
    return values <= threshold + 1e-12 if comparison == "<=" else values >= threshold - 1e-12


def breaches(values, comparison: str, threshold: float) -> np.ndarray:
    """True where a value is on the wrong side of the norm."""
    return ~complies(values, comparison, threshold)


def p_breach(paths: np.ndarray, comparison: str, threshold: float) -> np.ndarray:
    """Per horizon (column), the share of paths that breach the norm."""
    paths = np.atleast_2d(np.asarray(paths, dtype=float))
    return breaches(paths, comparison, threshold).mean(axis=0)


def p_breach_normal(mean, sd, comparison: str, threshold: float) -> np.ndarray:
    """The breach probability of a normal forecast distribution (``sd`` 0 gives 0 or 1)."""
    mean, sd = np.asarray(mean, dtype=float), np.asarray(sd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (threshold - mean) / np.where(sd > 0, sd, 1), np.where(mean <= threshold, np.inf, -np.inf))
    below = stats.norm.cdf(z)  # P(value <= threshold)
    return 1 - below if comparison == "<=" else below


# --- the scorecard ------------------------------------------------------------------------------


def scorecard(engine: Engine, country: str | None = None) -> pd.DataFrame:
    """Latest actuals (3 years) and projections with breach probabilities, per country and norm."""
    table = repository.norms(engine)
    if table.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    actuals = repository.observations(engine, country, sorted(set(table["indicator"])))
    countries = [country] if country else sorted(set(WAEMU) | set(actuals["country"]))
    projections = latest_points(engine, countries)
    rows = []
    for c in countries:
        for norm in _norms_for(table, c):
            actual = _actual_rows(actuals, c, norm)
            known = {r["period"] for r in actual}  # a figure out since the run replaces its projection
            rows += actual + [r for r in _projection_rows(projections, c, norm) if r["period"] not in known]
    frame = pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
    return frame.astype({"value": "float64", "lower_80": "float64", "upper_80": "float64", "p_breach": "float64"})


def norms_apply(engine: Engine, country: str) -> bool:
    """Whether any stored norm applies to ``country`` (the WAEMU's criteria apply to its members only)."""
    table = repository.norms(engine)
    return not table.empty and bool(_norms_for(table, country))


def _norms_for(table: pd.DataFrame, country: str) -> list[dict]:
    applies = table["countries"].isna() | table["countries"].fillna("").str.split().apply(lambda cs: country in cs)
    return table[applies.astype(bool)].to_dict("records")


def _base(country: str, norm: dict) -> dict:
    return {
        "country": country, "norm_code": norm["code"], "indicator": norm["indicator"],
        "comparison": norm["comparison"], "threshold": float(norm["threshold"]),
        "label_fr": norm["label_fr"], "label_en": norm["label_en"],
    }


def _actual_rows(actuals: pd.DataFrame, country: str, norm: dict) -> list[dict]:
    mine = actuals[(actuals["country"] == country) & (actuals["indicator"] == norm["indicator"])]
    mine = mine[mine["period"].str.len() == 4].sort_values("period").tail(ACTUAL_YEARS)
    return [
        {**_base(country, norm), "period": r.period, "kind": "actual", "value": float(r.value), "lower_80": np.nan,
         "upper_80": np.nan, "p_breach": np.nan,
         "compliant": bool(complies(r.value, norm["comparison"], norm["threshold"]))}
        for r in mine.itertuples()
    ]


def _projection_rows(points: pd.DataFrame, country: str, norm: dict) -> list[dict]:
    if points.empty:
        return []
    mine = points[(points["country"] == country) & (points["indicator"] == norm["indicator"])]
    mine = mine[mine["norm_code"] == norm["code"]].sort_values("period")
    return [
        {**_base(country, norm), "period": r.period, "kind": "projection", "value": float(r.mean),
         "lower_80": float(r.lower_80), "upper_80": float(r.upper_80), "p_breach": float(r.p_breach),
         "compliant": bool(complies(r.mean, norm["comparison"], norm["threshold"]))}
        for r in mine.itertuples()
    ]
