"""Reading one series costs that series, not the store: Mali's inflation with the bundle alone, then
with 1.2 million more stored rows (monthly CPI for 240 other series, five vintages each).

Target (issue 10): the read with the extra rows at most 2x slower than with the bundle alone.
Prints the figures; asserts nothing.

    python benchmarks/read.py [--rows 1200000] [--postgres URL] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from scratch import Unreachable, scratch_schema

from econ.ingest import bundled_paths, ingest_paths
from econ.store import repository
from econ.store.db import make_engine, upgrade

RELEASES = ["2021-04-06", "2022-04-19", "2023-04-11", "2024-04-16", "2025-04-22"]
READS = {
    "MLI inflation, latest": lambda e: repository.observations(e, "MLI", "inflation"),
    "MLI inflation, as of 2021-05-01": lambda e: repository.observations(e, "MLI", "inflation", as_of="2021-05-01"),
    "MLI inflation, every vintage": lambda e: repository.vintages(e, "MLI", "inflation"),
}


def crowd(rows: int) -> pd.DataFrame:
    """``rows`` observations of series the read does not ask for: monthly CPI, one row per release."""
    per_series = 1000 * len(RELEASES)
    months = [f"{y}-{m:02d}" for y in range(1940, 2024) for m in range(1, 13)][:1000]
    codes = [f"X{i:02d}" for i in range(-(-rows // per_series))]
    frame = pd.DataFrame(
        [(c, "cpi", p, 100.0 + i, r) for c in codes for p in months for i, r in enumerate(RELEASES)],
        columns=["country", "indicator", "period", "value", "published"],
    ).iloc[:rows]
    return frame.assign(unit="index", source="benchmark", reference=None, note=None)


def timed(engine, repeat: int) -> dict[str, float]:
    """Median milliseconds of each read (after one warm-up read)."""
    out = {}
    for name, read in READS.items():
        read(engine)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            read(engine)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = statistics.median(times)
    return out


def measure(engine, rows: int, repeat: int) -> None:
    upgrade(engine)
    ingest_paths(engine, bundled_paths())
    alone = timed(engine, repeat)
    start = time.perf_counter()
    repository.write_batch(engine, crowd(rows), pd.DataFrame(columns=[*repository.OFFICIAL_KEY, "value", "reference", "note"]),
                           source="benchmark")
    print(f"  stored {rows:,} more rows in {time.perf_counter() - start:.1f} s")
    crowded = timed(engine, repeat)
    for name in READS:
        ratio = crowded[name] / alone[name]
        print(f"  {name:<34} bundle alone {alone[name]:7.2f} ms, +{rows / 1e6:.1f} M rows {crowded[name]:7.2f} ms "
              f"({ratio:.2f}x)")


def postgres(url: str, rows: int, repeat: int) -> None:
    try:
        with scratch_schema(url) as schema:
            print("postgresql:")
            engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
            measure(engine, rows, repeat)
            engine.dispose()
    except Unreachable as err:
        print(f"postgresql: skipped ({err})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", default=os.environ.get("ECON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("sqlite:")
        engine = make_engine(f"sqlite:///{Path(tmp) / 'read.sqlite'}")
        measure(engine, args.rows, args.repeat)
        engine.dispose()
    postgres(args.postgres, args.rows, args.repeat)
    print("target: a one-series read with 1.2 M more rows at most 2x slower than with the bundle alone")


if __name__ == "__main__":
    main()
