"""Forecast runs: candidates at dated origins, combined and calibrated on what was known then.

``run`` orchestrates a run, ``series`` fits one series' candidates (the part that runs in worker
processes or on Dask), ``assemble`` shapes what the store keeps, ``shape`` reads runs back as
JSON, ``evaluate`` is ``econ backtest``, ``scenario`` the gold scenarios.
"""

from econ.forecast.evaluate import backtest_series
from econ.forecast.run import default_workers, run_forecasts
from econ.forecast.scenario import scenario, scenario_baseline
from econ.forecast.shape import evidence_json, forecast_json, points_json, run_json

__all__ = [
    "backtest_series", "default_workers", "evidence_json", "forecast_json", "points_json", "run_forecasts", "run_json",
    "scenario", "scenario_baseline",
]
