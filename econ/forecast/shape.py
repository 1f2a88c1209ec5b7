"""Stored runs read back as the JSON the contract describes (``econ forecast --json``, the API)."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine, select

from econ.store.runs import StoredForecast, latest_forecast
from econ.store.tables import Forecast, ForecastRun


def iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def number(value):
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def points_json(stored: StoredForecast) -> tuple[list[dict], dict | None]:
    """The chosen projection's points with the breach probability of the series' (first) norm."""
    checks = stored.norm_checks
    norm = None
    if len(checks):
        code = sorted(set(checks["norm_code"]))[0]
        checks = checks[checks["norm_code"] == code]
        head = checks.iloc[0]
        norm = {"code": code, "comparison": head["comparison"], "threshold": float(head["threshold"])}
    breach = dict(zip(checks["period"], checks["p_breach"])) if norm else {}
    points = [
        {"period": r.period, "mean": number(r.mean), "lower_80": number(r.lower_80), "upper_80": number(r.upper_80),
         "lower_95": number(r.lower_95), "upper_95": number(r.upper_95), "p_breach": number(breach.get(r.period))}
        for r in stored.chosen().itertuples()
    ]
    return points, norm


def run_head(run: dict) -> dict:
    return {"id": run["id"], "created_at": iso(run["created_at"]), "data_vintage": iso(run["data_vintage"]),
            "code_version": run["code_version"]}


def forecast_json(stored: StoredForecast) -> dict:
    """The API's ``GET /api/v1/forecasts`` payload for one series."""
    points, norm = points_json(stored)
    run = stored.run
    return {
        "country": stored.country, "indicator": stored.indicator,
        "run": {**run_head(run), "model": stored.model,
                "forecast_date": (run.get("settings") or {}).get("forecast_date")},
        "norm": norm, "points": points,
    }


def run_json(engine: Engine, run_id: int) -> dict:
    """``econ forecast --json``: the run's provenance (seed, settings, versions) and every series' projection."""
    with engine.connect() as conn:
        keys = conn.execute(
            select(Forecast.country, Forecast.indicator).where(Forecast.run_id == run_id).order_by(Forecast.id)
        ).all()
        run = dict(conn.execute(select(*ForecastRun.__table__.c).where(ForecastRun.id == run_id)).mappings().one())
    forecasts = []
    for country, indicator in keys:
        stored = latest_forecast(engine, country, indicator, run_id=run_id)
        points, norm = points_json(stored)
        forecasts.append({"country": country, "indicator": indicator, "model": stored.model, "points": points,
                          "norm": norm})
    return {"run": {**run_head(run), "seed": run["seed"], "settings": run["settings"]}, "forecasts": forecasts}


def evidence_json(stored: StoredForecast) -> dict:
    """``GET /api/v1/forecasts/evidence``: why the projection is what it is, and how it has done in real time.

    Every score is nested: each past forecast was made with the data, weights and bands known at its date.
    """
    scores, weights = stored.scores or {}, stored.weights or {}
    lead = scores.get("scored_lead", scores.get("main_lead"))
    return {
        "country": stored.country, "indicator": stored.indicator,
        "run": {**run_head(stored.run), "model": stored.model,
                "forecast_date": (stored.run.get("settings") or {}).get("forecast_date")},
        "lead": lead, "skill": scores.get("same_information") or (scores.get("econ") or {}).get(str(lead), {}),
        "skill_by_lead": scores.get("econ", {}),
        "candidates": [{"candidate": name, **entry} for name, entry in (scores.get("models") or {}).items()],
        "official": scores.get("official", []),
        "weights": weights.get("by_lead", {}), "explain": weights.get("explain", {}),
        "calibration": stored.calibration or {},
        "cpi_behind": (stored.diagnostics or {}).get("cpi_behind"),
    }
