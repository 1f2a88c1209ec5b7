"""Downloads served from the export cache: a repeat costs no render, a client's current copy gets a 304,
and a new load or a new forecast run gives a new file under a new ETag.

The export browser is replaced by a counting fake whose bytes follow the figure (its data, its
language, its size), so these tests need no Chromium; ``test_a_real_chart_is_rendered_once`` is
the one that does (``slow``).
"""

from __future__ import annotations

import hashlib
import threading
import time

import pandas as pd
import pytest
from api import sample_store
from plotly.io import to_json

from econ import export
from econ.schema import OBSERVATION_COLUMNS, OFFICIAL_COLUMNS
from econ.store.repository import write_batch
from econ.store.runs import save_run

CHART = "/download/chart?country=MLI&indicator=inflation&format=png"
DATA = "/download/data?country=MLI&indicator=inflation&format=csv"


class FakeBrowser:
    """Counts renders; its 'picture' is a hash of the figure and the size asked, so a change shows."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.calls, self.seconds, self._lock = 0, seconds, threading.Lock()

    def render(self, figure, fmt, width, height, scale=1) -> bytes:
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        digest = hashlib.sha256(f"{to_json(figure)}{width}x{height}x{scale}".encode()).hexdigest()
        return b"\x89PNG" + digest.encode() if fmt == "png" else f"<svg>{digest}</svg>".encode()


@pytest.fixture
def browser(monkeypatch) -> FakeBrowser:
    fake = FakeBrowser()
    monkeypatch.setattr(export, "export_browser", lambda: fake)
    return fake


def new_vintage(store, value: float = 4.4) -> None:
    """A new load that revises Mali's 2024 inflation."""
    frame = pd.DataFrame([("MLI", "inflation", "2024", value, "%", "INSTAT Mali, IHPC", None, None)],
                         columns=OBSERVATION_COLUMNS).astype({"value": "float64"})
    write_batch(store, frame, pd.DataFrame(columns=OFFICIAL_COLUMNS), source="test")


def new_run(store) -> int:
    """A new forecast run with other projections."""
    run = sample_store._run()
    run.forecasts[0].points["mean"] += 1.0
    return save_run(store, run)


def test_a_repeated_chart_download_is_not_rendered_again(client, browser):
    first, second = client.get(CHART), client.get(CHART)
    assert first.status_code == second.status_code == 200
    assert browser.calls == 1 and first.data == second.data and first.data.startswith(b"\x89PNG")
    assert first.headers["ETag"] == second.headers["ETag"] and first.headers["ETag"].startswith('"')
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first.headers["Last-Modified"] and first.headers["Content-Disposition"].endswith("_fr.png")


def test_a_current_copy_gets_304_without_a_body(client, browser):
    first = client.get(CHART)
    again = client.get(CHART, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    since = client.get(CHART, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(CHART, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data
    assert browser.calls == 1


@pytest.mark.parametrize("variant", ["&lang=en", "&lang=pt", "&format=svg", "&as_of=2099-01-01"])
def test_language_format_and_vintage_are_part_of_the_key(client, browser, variant):
    base = client.get(CHART)
    url = CHART.replace("&format=png", "") + ("" if "format" in variant else "&format=png") + variant
    other = client.get(url)
    assert other.status_code == 200 and browser.calls == 2
    assert other.headers["ETag"] != base.headers["ETag"]


@pytest.mark.parametrize("lands", [new_vintage, new_run], ids=["new vintage", "new run"])
def test_a_new_vintage_or_run_gives_a_new_chart_and_a_new_etag(client, store, browser, lands):
    before = client.get(CHART)
    lands(store)
    after = client.get(CHART, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and browser.calls == 2
    assert after.headers["ETag"] != before.headers["ETag"] and after.data != before.data


def test_data_files_are_cached_and_invalidated_alike(client, store, monkeypatch):
    calls = []
    real = export.series_table
    monkeypatch.setattr(export, "series_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    first, second = client.get(DATA), client.get(DATA, headers={"If-None-Match": "*"})
    assert first.status_code == 200 and second.status_code == 304 and len(calls) == 1
    assert client.get(DATA).data == first.data and len(calls) == 1
    assert client.get(DATA.replace("csv", "xlsx")).status_code == 200 and len(calls) == 2
    new_vintage(store, 5.5)
    after = client.get(DATA, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and len(calls) == 3 and b"5,5" in after.data
    new_run(store)
    assert client.get(DATA).headers["ETag"] != after.headers["ETag"] and len(calls) == 4


def test_concurrent_cold_requests_render_once(server, monkeypatch):
    fake = FakeBrowser(seconds=0.3)
    monkeypatch.setattr(export, "export_browser", lambda: fake)
    answers = []

    def download() -> None:
        answers.append(server.test_client().get(CHART))

    threads = [threading.Thread(target=download) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [200] * 6
    assert fake.calls == 1 and len({a.data for a in answers}) == 1


def test_scenarios_and_comparisons_have_their_own_files(client, browser):
    client.get(CHART)
    compare = client.get(CHART + "&countries=MLI,SEN")
    compare_again = client.get(CHART + "&countries=MLI,SEN")
    assert compare.status_code == 200 and compare_again.data == compare.data
    assert browser.calls == 2 and compare.headers["ETag"] != client.get(CHART).headers["ETag"]


def test_a_refusal_is_not_cached(client, browser):
    assert client.get(CHART.replace("MLI", "SEN")).status_code == 404
    assert client.get(CHART.replace("MLI", "SEN")).status_code == 404
    assert browser.calls == 0


def test_with_the_cache_off_every_download_renders_but_etags_still_work(client, browser, monkeypatch, tmp_path):
    from econ.config import get_settings

    monkeypatch.setenv("ECON_EXPORT_CACHE_ENABLED", "false")
    get_settings.cache_clear()
    first = client.get(CHART)
    again = client.get(CHART, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and browser.calls == 2
    assert not (tmp_path / "home" / "cache" / "exports").exists()


@pytest.mark.slow
def test_a_real_chart_is_rendered_once(client, monkeypatch):
    renders = []
    real = export.figure_bytes
    monkeypatch.setattr(export, "figure_bytes", lambda *a, **k: renders.append(1) or real(*a, **k))
    first = client.get(CHART + "&lang=en")
    again = client.get(CHART + "&lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert first.status_code == 200 and first.data.startswith(b"\x89PNG") and again.status_code == 304
    assert client.get(CHART + "&lang=en").data == first.data and len(renders) == 1
