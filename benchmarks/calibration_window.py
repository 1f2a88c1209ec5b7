"""How many years of econ's own errors its bands are drawn from, checked away from the WAEMU.

econ draws each band, and the breach probability read off it, from the errors of the last
``CALIBRATION_YEARS`` (fifteen) years of origins (``econ/bands.py``). Fifteen was set so that a
one-off (the 2006 debt relief) stops setting every later band. A shorter window would follow a
turbulent spell sooner (the annual bundle's probabilities are overconfident after the 2008 and 2022
price spikes); a longer one would be steadier. This script measures the window on the World Bank
panel without the WAEMU, as annual data alone (each country's annual-average inflation computed
from its CPI, no CPI in the store: the bundled product's case), in pools of eight countries (the
WAEMU's size), one year ahead, P(inflation > 3 %) for the Brier score.

The rule was declared before the run: a window replaces fifteen only if, on 1995-2004, it has a
lower Brier score and a lower scaled CRPS (each error over its series' typical yearly change) with
80 % coverage within 75-85 %, and on 2005-2014, checked after, it is no worse on either.

Measured (session 17, before the bands' scale followed the last three years: ``local_scale.py``,
whose power-0 row repeats the fifteen-year one; 164 countries, 685 forecasts on 1995-2004 and 1,235 on 2005-2014; Brier beside
naive's and climatology's, CRPS over each series' scale beside naive's, 80 % / 95 % coverage):

| window | 1995-2004 | 2005-2014 |
|---|---|---|
| 8 years | 0.1426 (0.1583, 0.2623); 0.681 (0.853); 82 % / 95 % | 0.1895 (0.1856, 0.1821); 1.162 (1.272); 76 % / 90 % |
| 15 years (econ's) | 0.1424; 0.676; 83 % / 96 % | 0.1899; 1.155; 74 % / 90 % |
| 25 years | 0.1428; 0.676; 84 % / 96 % | 0.1892; 1.150; 73 % / 91 % |

Fifteen is best on 1995-2004 on both scores, so it stays; the window barely matters (the third
decimal). The check window says more than the choice: on 2005-2014, with annual data alone, econ's
breach probabilities score worse than the naive forecast's and climatology's on this panel too
(0.190 against 0.186 and 0.182), while its CRPS is 9 % better than naive's. The annual bundle's
Brier shortfall (issue 7) is not the WAEMU's alone, and not a matter of the window: the
distributions are sharper than a 3 % event's turning years reward. About five minutes on two cores.

    .venv/bin/python benchmarks/calibration_window.py [--windows 8 15 25] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pandas as pd
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from combination_rules import small_pools  # noqa: E402
from forecast import pooled  # noqa: E402
from panel import PANEL  # noqa: E402

from econ import combine, scoring  # noqa: E402
from econ.combine import Norm  # noqa: E402
from econ.forecast.evaluate import pool_backtest  # noqa: E402
from econ.forecast.run import combine_pools  # noqa: E402
from econ.forecast.series import SeriesCandidates  # noqa: E402
from econ.models.monthly_cpi import annual_average_inflation  # noqa: E402
from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS, WAEMU  # noqa: E402
from econ.store import repository  # noqa: E402
from econ.store.db import make_engine, upgrade  # noqa: E402
from econ.store.tables import Norm as NormRow  # noqa: E402

WINDOWS = (1995, 2004), (2005, 2014)
LEAD = 0  # one year ahead; --lead 1 and 2 for the two years after (each year's figure then two and three years out)
NORM = Norm("<=", 3.0)


def annual_store(folder: Path):
    """The panel's countries (the WAEMU left out) as annual-average inflation alone, with a 3 % norm
    for every country so that each projection carries a breach probability."""
    os.environ["ECON_HOME"] = str(folder)
    engine = make_engine(f"sqlite:///{folder / 'annual.sqlite'}")
    upgrade(engine)
    panel = pd.read_csv(PANEL, dtype={"period": str})
    panel = panel[(panel["indicator"] == "cpi") & ~panel["country"].isin(WAEMU)].dropna(subset=["value"])
    frames = []
    for country, rows in panel.groupby("country"):
        cpi = pd.Series(rows["value"].to_numpy(float), index=pd.PeriodIndex(rows["period"], freq="M")).sort_index()
        annual = annual_average_inflation(cpi).dropna()
        frames.append(pd.DataFrame({"country": country, "indicator": "inflation",
                                    "period": [str(p) for p in annual.index], "value": annual.to_numpy(float)}))
    table = pd.concat(frames, ignore_index=True)
    for column in OBSERVATION_COLUMNS:
        if column not in table:
            table[column] = None
    repository.write_batch(engine, table[OBSERVATION_COLUMNS], pd.DataFrame(columns=OFFICIAL_COLUMNS), source="panel")
    return with_norm(engine)


def with_norm(engine):
    """A 3 % inflation ceiling for every country, so that each projection carries a breach probability."""
    with engine.begin() as conn:
        conn.execute(insert(NormRow).values(code="every_country_inflation_3", indicator="inflation", comparison="<=",
                                            threshold=3.0, label_fr="3 %", label_en="3 %", source=None, countries=None))
    return engine


def scored(results: list, reader, years: tuple[int, int]) -> dict:
    pools = combine_pools(reader, results)
    mine = {r.key: r for r in results if isinstance(r, SeriesCandidates)}
    rows = pooled(mine, pools, list(mine), LEAD, years).dropna(subset=["actual", "forecast", "scale"])
    s = scoring.summary(rows, NORM)
    own = rows["scale"] / rows["turbulence"]  # each series' typical change, as for local_scale.py
    per_scale = lambda column: float((rows[column] / own).mean())  # noqa: E731
    return {"brier": s["brier"], "naive": s["brier_naive"], "climate": s["brier_climate"],
            "crps": per_scale("crps"), "crps_naive": per_scale("crps_naive"),
            "cover80": s["coverage_80"], "cover95": s["coverage_95"], "n": len(rows)}


def backtested(folder: Path, workers: int) -> tuple[list, object]:
    """The panel's candidates, backtested once (origins from 1985), in pools of eight; and the reader."""
    started = time.perf_counter()
    engine = annual_store(folder)
    keys = [(c, "inflation") for c in sorted(repository.series(engine)["country"].unique())]
    candidates, _, reader = pool_backtest(engine, keys, WINDOWS[-1][1], workers=workers, start_year=1985)
    print(f"{len(keys)} countries, annual data alone, backtested in {time.perf_counter() - started:.0f} s; "
          f"lead {LEAD} (0: one year ahead), pools of eight; P(inflation > 3 %)")
    return small_pools(list(candidates.values()), 8), reader


def report(label: str, years: tuple[int, int], s: dict) -> None:
    print(f"| {label} | {years[0]}-{years[1]} | {s['brier']:.4f} ({s['naive']:.4f}, {s['climate']:.4f}) "
          f"| {s['crps']:.4f} ({s['crps_naive']:.4f}) | {s['cover80']:.1%} / {s['cover95']:.1%} | {s['n']} |", flush=True)


def sweep(doc: str, option: str, default: list, column: str, scores, line=None, header: str | None = None) -> None:
    """The command line of a one-setting sweep: backtest the panel once, then print
    ``scores(results, reader, years, value)`` for each value of ``--option`` on both windows (with
    ``line``, ``report``'s signature, under ``header``, when the scores have more columns)."""
    line = line or report
    header = header or "Brier (naive, climatology) | CRPS / scale (naive) | 80 % / 95 % cover | forecasts"
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(f"--{option}", type=float, nargs="+", default=default)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lead", type=int, default=0, help="0: one year ahead (the default); 1, 2: further")
    args = parser.parse_args()
    if not PANEL.exists():
        print(f"skipped: {PANEL} is not here")
        return
    global LEAD
    LEAD = args.lead
    with tempfile.TemporaryDirectory() as tmp:
        results, reader = backtested(Path(tmp), args.workers)
        print(f"| {column} | years | {header} |")
        print("|---" * (header.count("|") + 3) + "|")
        for value in getattr(args, option):
            for years in WINDOWS:
                line(f"{value:g}", years, scores(results, reader, years, value))


def with_window(results: list, reader, years: tuple[int, int], window: float) -> dict:
    with mock.patch.object(combine, "CALIBRATION_YEARS", int(window)):
        return scored(results, reader, years)


def main() -> None:
    sweep(__doc__, "windows", [8, 15, 25], "window", with_window)


if __name__ == "__main__":
    main()
