"""The export file cache: a hit is the same file without making it again; every input is in the key;
concurrent misses make a file once (threads and processes); the folder stays under its cap."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

from econ.cache import ExportCache, ExportKey, export_cache

KEY = ExportKey(kind="chart", country="MLI", indicator="inflation", fmt="png", lang="fr", generation="i1-r1",
                run="1", width=1200, height=675, scale=2, code="test")


class Maker:
    """A renderer that counts its calls (and can be slow, to make requests overlap)."""

    def __init__(self, data: bytes = b"\x89PNG chart", seconds: float = 0.0) -> None:
        self.calls, self.data, self.seconds = 0, data, seconds
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        return self.data


@pytest.fixture
def cache(tmp_path) -> ExportCache:
    return ExportCache(tmp_path / "exports", max_mb=1)


def test_a_hit_is_the_same_file_without_rendering_again(cache):
    make = Maker()
    first = cache.fetch(KEY, make)
    second = cache.fetch(KEY, make)
    assert make.calls == 1
    assert first.path == second.path and first.etag == second.etag
    assert second.path.read_bytes() == b"\x89PNG chart" and second.size == len(b"\x89PNG chart")
    assert str(cache.folder) in str(second.path) and not [p for p in second.path.parent.iterdir() if p.name.startswith(".tmp")]


@pytest.mark.parametrize("change", [{"lang": "en"}, {"fmt": "svg"}, {"width": 800}, {"scale": 1}, {"generation": "i2-r1"},
                                    {"run": "no run"}, {"as_of": "2024-12-31"}, {"scenario": "gold=2025:70"},
                                    {"code": "other"}, {"kind": "data"}, {"country": "SEN"}])
def test_every_input_is_part_of_the_key(cache, change):
    other = ExportKey(**{**KEY.__dict__, **change})
    assert other.digest() != KEY.digest()
    make = Maker()
    cache.fetch(KEY, make)
    cache.fetch(other, make)
    assert make.calls == 2


def test_the_etag_follows_the_bytes(cache):
    """Strong: the same key made again with other bytes (after eviction, say) gets another ETag."""
    first = cache.fetch(KEY, Maker(b"one"))
    first.path.unlink()
    second = cache.fetch(KEY, Maker(b"two"))
    assert first.etag != second.etag and first.etag.split(".")[0] == second.etag.split(".")[0]


def test_concurrent_misses_of_one_key_render_once(cache):
    make = Maker(seconds=0.2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.fetch(KEY, make))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert make.calls == 1 and len({r.etag for r in results}) == 1 and len(results) == 8


def _fetch_in_process(folder: str, counter: str) -> None:
    """A gunicorn worker's view: its own cache object over the shared folder; counts its renders in a file."""
    def make() -> bytes:
        with open(counter, "a") as out:
            out.write("render\n")
        time.sleep(0.3)
        return b"chart"

    ExportCache(Path(folder), max_mb=1).fetch(KEY, make)


def test_concurrent_misses_in_several_processes_render_once(tmp_path):
    counter = tmp_path / "renders.txt"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_fetch_in_process, args=(str(tmp_path / "exports"), str(counter)))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert counter.read_text().count("render") == 1


def test_the_least_recently_used_files_go_first_under_the_cap(tmp_path):
    cache = ExportCache(tmp_path / "exports", max_mb=1)
    keys = [ExportKey(**{**KEY.__dict__, "lang": lang}) for lang in ("fr", "en", "pt")]
    files = []
    for age, key in enumerate(keys):
        files.append(cache.fetch(key, Maker(bytes(100 * 1024))))
        os.utime(files[-1].path, (time.time() - 1000 + age, time.time() - 1000 + age))
    old_but_read = cache.get(keys[0])  # read again: now the most recently used
    assert old_but_read is not None
    cache = ExportCache(tmp_path / "exports", max_mb=0.25)  # 256 KiB: three files of 100 KiB do not fit
    assert cache.evict() == 1
    assert cache.size() <= 0.25 * 2**20
    assert cache.get(keys[0]) is not None and cache.get(keys[2]) is not None
    assert cache.get(keys[1]) is None  # the least recently used


def test_a_new_file_over_the_cap_evicts_the_oldest(tmp_path):
    cache = ExportCache(tmp_path / "exports", max_mb=0.25)
    for lang in ("fr", "en", "pt"):
        cache.fetch(ExportKey(**{**KEY.__dict__, "lang": lang}), Maker(bytes(100 * 1024)))
        time.sleep(0.01)
    assert cache.size() <= 0.25 * 2**20 and len(cache.files()) == 2


def test_a_disabled_cache_makes_every_time_and_keeps_nothing(tmp_path):
    cache = ExportCache(tmp_path / "exports", max_mb=1, enabled=False)
    make = Maker()
    first, second = cache.fetch(KEY, make), cache.fetch(KEY, make)
    assert make.calls == 2 and first.data == b"\x89PNG chart" and first.path is None
    assert first.etag == second.etag  # same bytes, same ETag
    assert not (tmp_path / "exports").exists()


def test_the_configured_cache_lives_under_econ_home(monkeypatch, tmp_path):
    from econ.config import get_settings

    cache = export_cache()
    assert cache.folder == Path(get_settings().home) / "cache" / "exports" and cache.enabled
    monkeypatch.setenv("ECON_EXPORT_CACHE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("ECON_EXPORT_CACHE_MB", "3")
    get_settings.cache_clear()
    assert export_cache().folder == tmp_path / "elsewhere" and export_cache().max_bytes == 3 * 2**20
