"""Load on the production server: `econ serve` (gunicorn, 2 workers) under 20 concurrent clients.

Targets (issue "Scale and service"): API >= 400 req/s with p95 < 50 ms; the chart callback p95 < 100 ms;
the PNG of a chart already made >= 100/s with p50 < 30 ms; the API during a 1.8 M-row load >= 100
req/s with no error. The script builds a temporary store the way an operator does (``econ init``,
``econ ingest --default``, ``econ forecast`` on a few countries), starts ``econ serve`` on a free
loopback port, and drives each scenario for ``--seconds`` with ``--clients`` threads, each with its
own keep-alive connection (an asyncio client on raw HTTP/1.1 streams: light enough to leave the two
cores to the server). Then the API again while ``econ ingest`` loads a
generated 1.8 M-row long CSV into the same store. Prints a table beside the targets; asserts nothing.

    .venv/bin/python benchmarks/load.py [--seconds 15] [--clients 20] [--skip-load] [--all-series]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
ECON = Path(sys.executable).with_name("econ")
FEW = ("MLI", "SEN")
LOAD_ROWS = 1_800_000


def sibling(name: str):
    """A benchmark script next to this one, as a module (``dashboard`` would shadow the package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Result:
    """What one scenario measured: latencies of the answered requests, failures, and the wall time."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self) -> dict:
        ms = sorted(1000 * x for x in self.latencies)
        pct = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99 or [float("nan")] * 99
        return {"req_s": len(ms) / self.seconds if self.seconds else 0.0, "p50": pct[49], "p95": pct[94], "p99": pct[98],
                "errors": self.errors, "n": len(ms)}


def drive(requests_of, clients: int, seconds: float) -> Result:
    """``clients`` concurrent clients, each on its own keep-alive connection sending its own sequence
    of requests (``requests_of(k)`` yields ``(method, url, json)``) for ``seconds``; a failure is a
    status other than 200 or no answer. An asyncio client speaking HTTP/1.1 on raw streams: a
    thread pool of ``requests`` sessions spent as much of the two cores as the server under test."""
    return asyncio.run(_drive(requests_of, clients, seconds))


async def _drive(requests_of, clients: int, seconds: float) -> Result:
    result = Result()
    deadline = time.monotonic() + seconds

    async def client(k: int) -> None:
        connection = None
        for method, url, body in requests_of(k):
            if time.monotonic() > deadline:
                break
            start = time.perf_counter()
            try:
                connection = connection or await _connect(url)
                status = await asyncio.wait_for(_exchange(connection, method, url, body), 30)
                ok = status == 200
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
                ok, connection = False, _close(connection)
            if ok:
                result.latencies.append(time.perf_counter() - start)
            result.errors += not ok
        _close(connection)

    start = time.monotonic()
    await asyncio.gather(*(client(k) for k in range(clients)))
    result.seconds = time.monotonic() - start
    return result


async def _connect(url: str):
    """A connection whose reader takes a whole chart (200 KB) in few reads: with asyncio's 64 KiB
    default the client spent the cores the server needed, and a PNG's p50 read 33-42 ms, not 26."""
    parts = urlsplit(url)
    return await asyncio.open_connection(parts.hostname, parts.port or 80, limit=2**20)


def _close(connection) -> None:
    if connection is not None:
        connection[1].close()


async def _exchange(connection, method: str, url: str, body) -> int:
    """One request and its whole answer on a kept-alive connection; the status code."""
    reader, writer = connection
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    payload = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept-Encoding: identity\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
    writer.write(head.encode() + b"\r\n" + payload)
    await writer.drain()
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        raise ValueError("an answer without a length on a kept-alive connection")
    return status


# --- the store and the server -------------------------------------------------------------------


def econ(env: dict, *args: str) -> str:
    done = subprocess.run([ECON, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"econ {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def build_store(env: dict, all_series: bool) -> None:
    """As an operator would: create, load the bundled data, forecast (a few countries unless asked)."""
    econ(env, "init")
    print("store:", econ(env, "ingest", "--default"), flush=True)
    countries = [] if all_series else [a for c in FEW for a in ("--country", c)]
    start = time.perf_counter()
    line = econ(env, "forecast", "--brief", *countries)
    print(f"forecast ({time.perf_counter() - start:.0f} s): {line}", flush=True)


def start_server(env: dict, port: int) -> subprocess.Popen:
    log = open(Path(env["ECON_HOME"]).parent / "serve.log", "w")  # noqa: SIM115 - the server holds it to the end
    return subprocess.Popen([ECON, "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"econ serve exited with code {server.returncode}")
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("econ serve did not answer in time")


def stop(process: subprocess.Popen) -> None:
    """Ends a process started here, with its process group (gunicorn's workers, the ingest)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


# --- the scenarios ------------------------------------------------------------------------------


def forecast_series(base: str) -> list[tuple[str, str]]:
    """The (country, indicator) pairs the stored run covers, read through the API."""
    pairs = [(s["country"], s["indicator"]) for s in requests.get(base + "/api/v1/series", timeout=10).json()["series"]]
    covered = [p for p in pairs if requests.get(f"{base}/api/v1/forecasts?country={p[0]}&indicator={p[1]}",
                                                timeout=10).status_code == 200]
    return covered or pairs


def api_requests(base: str, pairs: list[tuple[str, str]]):
    """Observations and forecasts, alternating, over every forecast series."""
    urls = [f"{base}/api/v1/{route}?country={c}&indicator={i}" for c, i in pairs for route in ("observations", "forecasts")]
    return lambda k: (("GET", url, None) for url in itertools.islice(itertools.cycle(urls), k, None))


def callback_requests(base: str, bench):
    """The indicator chart callback, as benchmarks/dashboard.py sends it (countries, indicators, languages)."""
    spec = bench.chart_callback(base)
    combos = list(itertools.product(bench.COUNTRIES, ("inflation", "gdp_growth"), ("fr", "en")))
    url = base + "/_dash-update-component"
    return lambda k: (("POST", url, bench.body(spec, *combos[(k * 7 + j) % len(combos)])) for j in itertools.count())


def png_requests(base: str, pairs: list[tuple[str, str]]):
    """PNGs of charts already made: each is asked for once before the measurement."""
    urls = [f"{base}/download/chart?country={c}&indicator={i}&format=png&lang=fr" for c, i in pairs[:4]]
    for url in urls:
        requests.get(url, timeout=120)
    return lambda k: (("GET", url, None) for url in itertools.islice(itertools.cycle(urls), k, None))


def during_load(env: dict, base: str, pairs, clients: int, seconds: float, folder: Path) -> tuple[Result, str]:
    """The API while ``econ ingest`` loads a generated 1.8 M-row CSV into the same store."""
    csv = folder / "load.csv"
    rows = sibling("ingest").generate(csv, LOAD_ROWS)
    ingest = subprocess.Popen([ECON, "ingest", "--json", str(csv)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    try:
        time.sleep(2)  # past the file's first reading, into validation and the write
        result = drive(api_requests(base, pairs), clients, seconds)
        state = "still loading at the end" if ingest.poll() is None else f"ended (exit {ingest.returncode}) during it"
    finally:
        stop(ingest)
    return result, f"{rows:,}-row ingest {state}"


# --- the report ---------------------------------------------------------------------------------

TARGETS = {
    "API (observations + forecasts)": ("req_s >= 400, p95 < 50 ms", lambda r: r["req_s"] >= 400 and r["p95"] < 50),
    "chart callback": ("p95 < 100 ms", lambda r: r["p95"] < 100),
    "PNG of a chart already made": ("req_s >= 100, p50 < 30 ms", lambda r: r["req_s"] >= 100 and r["p50"] < 30),
    "API during a 1.8 M-row load": ("req_s >= 100, no error", lambda r: r["req_s"] >= 100 and r["errors"] == 0),
}


def table(results: dict[str, dict]) -> str:
    head = f"{'scenario':<32} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}  {'target':<28} met"
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        target, met = TARGETS[name]
        lines.append(f"{name:<32} {r['req_s']:>7.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}  "
                     f"{target:<28} {'yes' if met(r) else 'NO'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="seconds each scenario runs")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--skip-load", action="store_true", help="skip the scenario during a 1.8 M-row ingest")
    parser.add_argument("--all-series", action="store_true", help="forecast every series, not only Mali and Senegal")
    args = parser.parse_args()
    bench = sibling("dashboard")
    with tempfile.TemporaryDirectory(prefix="econ-load-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "ECON_HOME": str(folder / "home"), "ECON_DATABASE_URL": f"sqlite:///{folder / 'econ.sqlite'}"}
        env.pop("ECON_LOG_FILE", None)
        build_store(env, args.all_series)
        port = bench.free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port)
        try:
            wait_ready(base, server)
            pairs = forecast_series(base)
            print(f"machine: {os.cpu_count()} cores; econ serve, 2 workers; {args.clients} clients, {args.seconds:g} s "
                  f"a scenario; {len(pairs)} forecast series", flush=True)
            scenarios = {"API (observations + forecasts)": api_requests(base, pairs),
                         "chart callback": callback_requests(base, bench),
                         "PNG of a chart already made": png_requests(base, pairs)}
            results = {}
            for name, make in scenarios.items():
                results[name] = drive(make, args.clients, args.seconds).row()
                print(f"  {name}: done", flush=True)
            if not args.skip_load:
                loaded, note = during_load(env, base, pairs, args.clients, args.seconds, folder)
                results["API during a 1.8 M-row load"] = loaded.row()
                print(f"  API during a load: done ({note})", flush=True)
        finally:
            stop(server)
        print(table(results))


if __name__ == "__main__":
    main()
