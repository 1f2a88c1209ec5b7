"""A small store for the API, download, export and CLI tests: Mali's inflation and gold, one run.

Made here rather than loaded from the bundle so the tests stay fast and their numbers known.
One note holds a formula (``=1+2``) and one source starts with ``@``: what a hostile or careless
file could put in the store, and what an export must make inert.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store.repository import write_batch
from econ.store.runs import RunRecord, SeriesForecast, save_run

INFLATION = {2018: 1.9, 2019: -2.9, 2020: 0.5, 2021: 3.8, 2022: 9.7, 2023: 2.1, 2024: 3.2}
GOLD = {2020: 65.2, 2021: 63.4, 2022: 72.2, 2023: 66.5, 2024: 51.0}
RUN_POINTS = [("2025", 3.4, 2.1, 4.7, 1.4, 5.4, 0.62), ("2026", 2.8, 1.2, 4.4, 0.4, 5.2, 0.41)]


def _observations() -> pd.DataFrame:
    rows = [("MLI", "inflation", str(y), v, "%", "INSTAT Mali, IHPC", None, None) for y, v in INFLATION.items()]
    rows += [("MLI", "gold_production", str(y), v, "tonnes", "@Ministère des Mines", None, None) for y, v in GOLD.items()]
    rows[4] = (*rows[4][:7], "=1+2")
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    return frame.astype({"value": "float64"})


def _official() -> pd.DataFrame:
    rows = [("IMF", "2025-10", "MLI", "inflation", "2026", 2.5, "WEO Oct 2025", None),
            ("Government", "2025-11", "MLI", "inflation", "2026", 2.0, "Loi de finances 2026", None)]
    return pd.DataFrame(rows, columns=OFFICIAL_COLUMNS).astype({"value": "float64"})


def _run() -> RunRecord:
    points = pd.DataFrame(
        [(p, "ets", m, l8, u8, l9, u9) for p, m, l8, u8, l9, u9, _ in RUN_POINTS]
        + [(p, "naive", 3.2, 1.0, 5.4, 0.0, 6.4) for p, *_ in RUN_POINTS],
        columns=["period", "model", "mean", "lower_80", "upper_80", "lower_95", "upper_95"],
    )
    checks = pd.DataFrame([(p, "waemu_inflation", "<=", 3.0, pb) for p, *_, pb in RUN_POINTS],
                          columns=["period", "norm_code", "comparison", "threshold", "p_breach"])
    forecast = SeriesForecast("MLI", "inflation", "ets", "2024", points, norm_checks=checks, weights={"ets": 1.0})
    return RunRecord(settings={"horizon": 2}, seed=1, code_version="test", data_vintage=datetime(2025, 11, 1),
                     as_of=None, forecasts=[forecast])


def fill(engine) -> int:
    """Stores the sample figures and one run; returns the run's id."""
    write_batch(engine, _observations(), _official(), source="test")
    return save_run(engine, _run())
