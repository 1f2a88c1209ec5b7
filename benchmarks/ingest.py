"""Ingest speed and memory: a generated one-million-row long CSV into SQLite and into PostgreSQL.

Target (issue 2): at least 100,000 rows/s into SQLite and under 1 GiB of memory. Each store is
measured in a fresh process, so its peak memory is its own. Prints the figures; asserts nothing.

``--peak-memory`` measures instead what an operator runs: the ``econ ingest FILE`` command itself,
in a fresh SQLite store, its peak resident memory read from the kernel's accounting of the finished
child (``wait4``: the maximum RSS of the process and none of its parent's). Target (Scale and service):
a 10 M-row CSV under 1 GiB.

    python benchmarks/ingest.py [--rows 1000000] [--postgres URL]
    python benchmarks/ingest.py --rows 10000000 --peak-memory
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scratch import Unreachable, scratch_schema

ANNUAL = ["gdp_growth", "inflation", "fiscal_balance", "public_debt", "gold_production", "gold_production_industrial"]


def generate(path: Path, rows: int, seed: int = 1) -> int:
    """Valid long-CSV rows: monthly CPI and annual indicators for every ISO country, back from 2025.

    Values stay inside every indicator's plausible range (1 to 60). One release holds at most about
    5 M rows (249 countries, 12,300 months, 1,025 years); beyond that the file carries a ``published``
    column and each further release (2026-01-01, 2026-02-01, ...) revises every figure, as a real
    vintage file does.
    """
    import pycountry

    countries = sorted(c.alpha_3 for c in pycountry.countries)
    years = np.arange(2025, 1000, -1)
    months = [f"{y}-{m:02d}" for y in years for m in range(12, 0, -1)]
    keys = [("cpi", p) for p in months] + [(ind, str(y)) for ind in ANNUAL for y in years]
    releases = -(-rows // (len(countries) * len(keys)))
    per_country = -(-rows // (len(countries) * releases))
    n_monthly = min(len(months), per_country * 2 // 3)
    n_annual = min(len(years), -(-(per_country - n_monthly) // len(ANNUAL)))
    keys = [("cpi", p) for p in months[:n_monthly]] + [(ind, str(y)) for ind in ANNUAL for y in years[:n_annual]]
    base = pd.DataFrame(keys, columns=["indicator", "period"])
    one = pd.concat([base.assign(country=c) for c in countries], ignore_index=True)
    columns = ["country", "indicator", "period", "value", "source"]
    if releases > 1:
        one = pd.concat([one.assign(published=f"2026-{k + 1:02d}-01") for k in range(releases)], ignore_index=True)
        columns.append("published")
    frame = one.iloc[:rows].copy()
    rng = np.random.default_rng(seed)
    frame["value"] = np.round(rng.uniform(1, 60, len(frame)), 3)
    frame["source"] = "benchmark"
    frame[columns].to_csv(path, index=False)
    return len(frame)


def measure(csv: str, url: str) -> dict:
    """Runs in a child process: read + validate + store, timed; peak RSS of this process."""
    from econ.ingest import read_all, write_all
    from econ.store.db import make_engine, upgrade

    options = {}
    if url.startswith("postgresql"):
        options["connect_args"] = {"options": f"-csearch_path={os.environ['BENCH_SCHEMA']}"}
    engine = make_engine(url, **options)
    upgrade(engine)
    start = time.perf_counter()
    batches = read_all([csv])
    parsed = time.perf_counter()
    files = write_all(engine, batches)
    done = time.perf_counter()
    rows = files[0].summary.added
    return {
        "rows": rows, "read_validate_s": round(parsed - start, 2), "store_s": round(done - parsed, 2),
        "total_s": round(done - start, 2), "rows_per_s": int(rows / (done - start)),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_child(csv: Path, url: str, env: dict | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(csv), url], capture_output=True, text=True,
        env={**os.environ, **(env or {})}, check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def peak_memory(csv: Path, folder: Path) -> dict:
    """``econ init`` then ``econ ingest CSV`` in a fresh store; the ingest's wall time and peak RSS."""
    econ = Path(sys.executable).with_name("econ")
    env = {**os.environ, "ECON_HOME": str(folder / "home"), "ECON_DATABASE_URL": f"sqlite:///{folder / 'peak.sqlite'}"}
    env.pop("ECON_LOG_FILE", None)
    subprocess.run([econ, "init"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    child = subprocess.Popen([econ, "ingest", "--json", str(csv)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)  # the child's own resource use, read as it is reaped
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    out, err = child.stdout.read(), child.stderr.read()
    if child.returncode != 0:
        return {"error": (err.decode().strip().splitlines() or ["failed"])[-1]}
    counts = json.loads(out)[0]["observations"]  # later releases in the file are stored as revisions
    rows = sum(counts.values())
    return {"rows": rows, **counts, "seconds": round(seconds, 1), "rows_per_s": int(rows / seconds),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def postgres(csv: Path, url: str) -> dict:
    try:
        with scratch_schema(url) as schema:
            return run_child(csv, url, {"BENCH_SCHEMA": schema})
    except Unreachable as err:
        return {"skipped": f"PostgreSQL {err}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated long CSV")
    parser.add_argument("--peak-memory", action="store_true",
                        help="measure the peak memory of the `econ ingest` command on the CSV (target: 10 M rows < 1 GiB)")
    parser.add_argument("--postgres", default=os.environ.get("ECON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / f"rows-{args.rows}.csv"
        t = time.perf_counter()
        rows = generate(csv, args.rows)
        print(f"generated {rows:,} rows ({csv.stat().st_size / 2**20:.0f} MiB) in {time.perf_counter() - t:.1f} s")
        if args.peak_memory:
            figures = peak_memory(csv, Path(tmp))
            print("econ ingest: " + ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}" for k, v in figures.items()))
            print("target: a 10,000,000-row CSV under 1024 MiB of peak memory")
            return
        results = {
            "sqlite": run_child(csv, f"sqlite:///{Path(tmp) / 'bench.sqlite'}"),
            "postgresql": postgres(csv, args.postgres),
        }
    for store, figures in results.items():
        print(f"{store:>10}: " + ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}" for k, v in figures.items()))
    print("targets: >= 100,000 rows/s into SQLite, peak memory < 1024 MiB")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    else:
        main()
