"""Dashboard latency under gunicorn: the indicator chart callback at 20 concurrent clients, and the first page.

Targets (issue 4): p95 under 100 ms at 20 concurrent clients on a 2-core machine; first page
HTML under 300 ms. The script builds a store from the bundled dataset (``data/``) plus a
synthetic forecast run in a temporary folder, starts ``gunicorn -w 2 dashboard.wsgi:server`` on
127.0.0.1 (a free port), then drives the real ``/_dash-update-component`` endpoint of the
indicator chart callback with threads and ``requests``. Bounded in requests and in time,
loopback only. Prints the figures; asserts nothing.

    python benchmarks/dashboard.py [--clients 20] [--requests 40] [--workers 2] [--max-seconds 120]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ("MLI", "SEN", "CIV", "BFA", "NER", "BEN", "TGO", "GNB")
INDICATORS = ("inflation", "gdp_growth", "fiscal_balance")
PAGE = "/indicator?country=MLI&indicator=inflation&lang=fr"


def build_store(folder: Path) -> str:
    spec = importlib.util.spec_from_file_location("storefixture", ROOT / "tests" / "dashboard" / "storefixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = folder / "store.sqlite"
    module.bundled_store(path).dispose()
    return f"sqlite:///{path}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, home: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "ECON_HOME": str(home), "ECON_DATABASE_URL": url}
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "dashboard.wsgi:server"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_ready(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}")
        try:
            if requests.get(base + "/_dash-layout", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def page_times(base: str, n: int = 20) -> tuple[float, list[float]]:
    """The first request of the page (a cold worker), then ``n`` more."""
    def one() -> float:
        start = time.perf_counter()
        response = requests.get(base + PAGE, timeout=10)
        response.raise_for_status()
        return time.perf_counter() - start

    first = one()
    return first, [one() for _ in range(n)]


def page_render_times(base: str, n: int = 20) -> list[float]:
    """The page as a browser gets it from the server: HTML, then the pages router callback that
    renders the indicator page's layout (figure included) for ``?country=...&lang=...``."""
    routers = [d for d in requests.get(base + "/_dash-dependencies", timeout=10).json()
               if "_pages_content.children" in d["output"]]
    spec = routers[0]
    values = {"pathname": "/indicator", "search": "?" + PAGE.split("?")[1]}
    inputs = [{"id": _id(i["id"]), "property": i["property"], "value": values.get(i["property"])} for i in spec["inputs"]]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in spec["output"].strip(".").split("...")]
    payload = {"output": spec["output"], "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
               "state": [], "changedPropIds": ["_pages_location.pathname"]}
    times = []
    for _ in range(n):
        start = time.perf_counter()
        requests.get(base + PAGE, timeout=10).raise_for_status()
        requests.post(base + "/_dash-update-component", json=payload, timeout=10).raise_for_status()
        times.append(time.perf_counter() - start)
    return times


def chart_callback(base: str) -> dict:
    """The indicator chart callback as the browser sees it (``/_dash-dependencies``)."""
    requests.get(base + PAGE, timeout=10).raise_for_status()  # the first page request finishes Dash's setup
    for spec in requests.get(base + "/_dash-dependencies", timeout=10).json():
        if "indicator-chart.figure" in spec["output"]:
            return spec
    raise SystemExit("no callback outputs indicator-chart.figure")


def body(spec: dict, country: str, indicator: str, lang: str) -> dict:
    values = {"country": country, "indicator": indicator, "vintage": ""}
    inputs = [{"id": _id(i["id"]), "property": i["property"], "value": values.get(_id(i["id"]).get("key"))
               if _id(i["id"]) != i["id"] else None} for i in spec["inputs"]]
    state = [{**s, "value": lang} for s in spec["state"]]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in spec["output"].strip(".").split("...")]
    return {"output": spec["output"], "outputs": outputs, "inputs": inputs, "state": state,
            "changedPropIds": ['{"key":"country","type":"url-param"}.value']}


def _id(component):
    """Dependencies list pattern ids as JSON strings; the update request takes them as objects."""
    return json.loads(component) if isinstance(component, str) and component.startswith("{") else component


def drive(base: str, spec: dict, clients: int, per_client: int, max_seconds: float) -> tuple[list[float], int]:
    """``clients`` threads, each with its own connection, cycling through countries, indicators, languages."""
    combos = list(itertools.product(COUNTRIES, INDICATORS, ("fr", "en")))
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client(k: int) -> None:
        session = requests.Session()
        for j in range(per_client):
            if time.monotonic() > deadline:
                return
            country, indicator, lang = combos[(k * 7 + j) % len(combos)]
            start = time.perf_counter()
            try:
                ok = session.post(base + "/_dash-update-component", json=body(spec, country, indicator, lang),
                                  timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed) if ok else None
                failures[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, failures[0]


def percentile(values: list[float], p: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[int(p) - 1]


def report(label: str, latencies: list[float], failures: int, seconds: float) -> None:
    ms = [1000 * x for x in latencies]
    if not ms:
        print(f"{label}: every request failed ({failures})")
        return
    print(f"{label}: {len(ms)} requests in {seconds:.1f} s ({len(ms) / seconds:.0f}/s), {failures} failed; "
          f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
          f"max {max(ms):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40, help="requests per client and phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="econ-bench-") as tmp:
        home = Path(tmp)
        url = build_store(home)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_gunicorn(url, home, port, args.workers)
        try:
            wait_ready(base, process)
            first, warm = page_times(base)
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"machine: {os.cpu_count()} cores, load average {load}; gunicorn -w {args.workers}; "
                  "store: bundled data + 1 synthetic run")
            print(f"first page HTML ({PAGE}): first request {1000 * first:.1f} ms, "
                  f"then median {1000 * statistics.median(warm):.1f} ms, max {1000 * max(warm):.1f} ms")
            spec = chart_callback(base)
            render = page_render_times(base)
            print(f"indicator page rendered (HTML + layout callback): first {1000 * render[0]:.1f} ms, "
                  f"then median {1000 * statistics.median(render[1:]):.1f} ms, max {1000 * max(render[1:]):.1f} ms")
            for label in ("first pass after start (caches still warming)", "second pass (warm caches)"):
                start = time.monotonic()
                latencies, failures = drive(base, spec, args.clients, args.requests, args.max_seconds)
                report(f"chart callback, {args.clients} clients, {label}", latencies, failures, time.monotonic() - start)
        finally:
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
