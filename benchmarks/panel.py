"""The 164-country monthly inflation panel, with backtests: locally and on a Dask cluster (issue 10).

Builds a temporary store from ``../shared/data/world_inflation_panel.csv`` (read there, never
copied), then times ``run_forecasts`` over every country's inflation (monthly CPI models, annual
models, twenty backtest origins each): on local processes, and on a Dask ``LocalCluster`` with one
and with two workers. Prints series per second and the scaling from one worker to two; asserts
nothing. Targets: under 120 s on two cores; two Dask workers at least 1.7 times one.

    .venv/bin/python benchmarks/panel.py [--skip-dask] [--countries N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PANEL = ROOT.parent / "shared" / "data" / "world_inflation_panel.csv"
sys.path.insert(0, str(ROOT))

from econ.forecast import run_forecasts  # noqa: E402
from econ.ingest import ingest_paths  # noqa: E402
from econ.store.db import make_engine, upgrade  # noqa: E402


def timed(label: str, count: int, run) -> float:
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.0f} s, {count / seconds:.2f} series/s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--countries", type=int, default=None, help="only the first N countries (a quick look)")
    args = parser.parse_args()
    if not PANEL.exists():
        print(f"skipped: {PANEL} is not here")
        return
    with tempfile.TemporaryDirectory() as tmp:
        engine = panel_store(Path(tmp))
        countries = None
        if args.countries:
            from econ.store.repository import series

            countries = sorted(series(engine)["country"].unique())[: args.countries]
        count = len(countries) if countries else series_count(engine)
        print(f"econ panel benchmark: {count} inflation series, {os.cpu_count()} cores")
        local = timed("local processes (2 workers)", count,
                      lambda: run_forecasts(engine, countries, ["inflation"], workers=2))
        print(f"  target: under 120 s -> {'met' if local < 120 else 'not met'}")
        if args.skip_dask:
            return
        from distributed import LocalCluster

        times = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                times[workers] = timed(f"Dask LocalCluster, {workers} worker(s)", count, lambda: run_forecasts(
                    engine, countries, ["inflation"], scheduler=cluster.scheduler_address))
        print(f"  scaling from 1 to 2 Dask workers: {times[1] / times[2]:.2f}x (target >= 1.7x)")


def panel_store(folder: Path):
    """A fresh SQLite store in ``folder`` (also ECON_HOME) holding the world panel."""
    os.environ["ECON_HOME"] = str(folder)
    engine = make_engine(f"sqlite:///{folder / 'panel.sqlite'}")
    upgrade(engine)
    ingest_paths(engine, [PANEL])
    return engine


@dataclass
class PanelBacktest:
    """The world panel's candidates, backtested once for the benchmarks that choose a rule on it."""

    countries: list[str]
    candidates: dict  # series key -> SeriesCandidates
    reader: object  # the StoreReader the pools are combined with
    seconds: float


@contextmanager
def panel_backtest(last_year: int, workers: int, countries=None, peers: bool = True) -> Iterator[PanelBacktest | None]:
    """The world panel in a temporary store, every country's inflation (or ``countries``, a function
    of the stored countries) backtested from 1985 to ``last_year``; None, said, when the panel is
    not here. With ``peers`` False only the countries asked for are run, not their whole pool."""
    if not PANEL.exists():
        print(f"skipped: {PANEL} is not here")
        yield None
        return
    from econ.forecast import evaluate
    from econ.store.repository import series

    with tempfile.TemporaryDirectory() as tmp:
        engine = panel_store(Path(tmp))
        stored = sorted(set(series(engine)["country"]))
        chosen = countries(stored) if countries else stored
        started, original = time.perf_counter(), evaluate.pool_keys
        if not peers:
            evaluate.pool_keys = lambda reader, wanted: sorted(wanted)
        try:
            candidates, _, reader = evaluate.pool_backtest(engine, [(c, "inflation") for c in chosen], last_year,
                                                           workers=workers, start_year=1985)
        finally:
            evaluate.pool_keys = original
        yield PanelBacktest(chosen, candidates, reader, time.perf_counter() - started)


def series_count(engine) -> int:
    from econ.store.repository import series

    table = series(engine)
    return int(table[table["indicator"].isin(["inflation", "cpi"])]["country"].nunique())


if __name__ == "__main__":
    main()
