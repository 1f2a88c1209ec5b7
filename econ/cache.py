"""An on-disk cache of export files (charts and data files), shared by every process of one host.

A chart costs 0.2 to 0.4 s of a headless browser; the same chart read back from disk costs a file
read. An entry is named by everything that determines its bytes (``ExportKey``): what is exported,
the store's generation (newest load and newest run, so a new load or run misses the cache), the
``as_of`` moment, language, format, size, scenario and the code version. Nothing here knows of the
web: the download routes (``dashboard.downloads``) and anything else may use it.

Files live under ``<folder>/<2 hex>/<key digest>.<content digest>.<format>``: the content digest
makes the ETag strong (it changes exactly when the bytes do, even when an evicted entry is
rendered again). Writes go to a temporary file and ``os.replace`` it into place, so a reader
never sees half a file; a lock file per key (one of 256 stripes, ``fcntl.flock``) makes
concurrent cold requests of one key render once, across threads and gunicorn workers. The
folder is held under a size cap by dropping the least recently used files (a hit refreshes a
file's modification time, at most once a minute).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

try:  # POSIX; elsewhere only threads of one process are kept apart
    import fcntl
except ImportError:  # pragma: no cover - not on the servers econ runs on
    fcntl = None

TOUCH_SECONDS = 60  # a hit refreshes the file's time (its place in the LRU order) at most this often
LOCK_STRIPES = 256
_THREAD_LOCKS = [threading.Lock() for _ in range(LOCK_STRIPES)]


@dataclass(frozen=True)
class ExportKey:
    """Everything that determines an export file's bytes; two equal keys name the same file.

    ``generation`` is the store's (``econ.store.repository.generation``: newest load and newest
    run), so a new load or run changes every key; ``run`` and ``as_of`` say which data, ``scenario``
    any extra query (``gold=2025:70,2026:80``, ``countries=MLI,SEN``) in a normal form.
    """

    kind: str  # chart | data
    country: str
    indicator: str
    fmt: str
    lang: str
    generation: str
    run: str = "no run"
    as_of: str = "latest"
    width: int = 0
    height: int = 0
    scale: float = 0
    scenario: str = ""
    code: str = ""

    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedFile:
    """An export ready to send: on disk (``path``) or, when the cache is off, in memory (``data``)."""

    etag: str
    last_modified: datetime | None
    size: int
    path: Path | None = None
    data: bytes | None = None


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


class ExportCache:
    """The cache folder: look up, make once, store atomically, evict the least recently used."""

    def __init__(self, folder: Path, max_mb: float, enabled: bool = True) -> None:
        self.folder = Path(folder)
        self.max_bytes = int(max_mb * 2**20)
        self.enabled = enabled

    # --- reading ----------------------------------------------------------------------------

    def get(self, key: ExportKey, last_modified: datetime | None = None) -> CachedFile | None:
        """The stored file of ``key``, or None; a hit moves it to the front of the LRU order."""
        if not self.enabled:
            return None
        digest = key.digest()
        path = self._find(digest, key.fmt)
        if path is None:
            return None
        try:
            stat = path.stat()
        except FileNotFoundError:  # evicted by another process between the two calls
            return None
        if time.time() - stat.st_mtime > TOUCH_SECONDS:
            _touch(path)
        return CachedFile(_etag(path.name), last_modified, stat.st_size, path=path)

    def _find(self, digest: str, fmt: str) -> Path | None:
        shard = self.folder / digest[:2]
        prefix, suffix = f"{digest}.", f".{fmt}"
        try:
            with os.scandir(shard) as entries:
                for entry in entries:
                    if entry.name.startswith(prefix) and entry.name.endswith(suffix):
                        return Path(entry.path)
        except FileNotFoundError:
            return None
        return None

    # --- making -----------------------------------------------------------------------------

    def fetch(self, key: ExportKey, make: Callable[[], bytes], last_modified: datetime | None = None) -> CachedFile:
        """The file of ``key``, made by ``make()`` when absent; concurrent misses of one key make it once."""
        if not self.enabled:
            data = make()
            return CachedFile(f"{key.digest()[:24]}.{content_digest(data)}", last_modified, len(data), data=data)
        found = self.get(key, last_modified)
        if found is not None:
            return found
        with self._key_lock(key.digest()):
            found = self.get(key, last_modified)  # made by whoever held the lock before us
            if found is not None:
                return found
            path = self.put(key, make())
        self.evict()
        return CachedFile(_etag(path.name), last_modified, path.stat().st_size, path=path)

    def put(self, key: ExportKey, data: bytes) -> Path:
        """Stores ``data`` as the file of ``key``: a temporary file, then ``os.replace`` (atomic)."""
        digest = key.digest()
        shard = self.folder / digest[:2]
        shard.mkdir(parents=True, exist_ok=True)
        path = shard / f"{digest}.{content_digest(data)}.{key.fmt}"
        handle, temporary = tempfile.mkstemp(dir=shard, prefix=".tmp-", suffix=f".{key.fmt}")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    @contextmanager
    def _key_lock(self, digest: str) -> Iterator[None]:
        """One of 256 lock stripes, held across threads (a lock) and processes (``flock`` on a file)."""
        stripe = int(digest[:2], 16)
        with _THREAD_LOCKS[stripe]:
            if fcntl is None:  # pragma: no cover
                yield
                return
            locks = self.folder / ".locks"
            locks.mkdir(parents=True, exist_ok=True)
            with open(locks / f"{stripe:02x}.lock", "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    # --- the size cap -----------------------------------------------------------------------

    def files(self) -> list[os.DirEntry]:
        """Every cached file (temporary files and locks excluded)."""
        found = []
        if not self.folder.is_dir():
            return found
        with os.scandir(self.folder) as shards:
            for shard in shards:
                if shard.is_dir() and not shard.name.startswith("."):
                    with os.scandir(shard.path) as entries:
                        found.extend(e for e in entries if e.is_file() and not e.name.startswith("."))
        return found

    def evict(self) -> int:
        """Drops the least recently used files until the folder is under its cap; returns how many."""
        entries = []
        for entry in self.files():
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            entries.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        dropped = 0
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
            dropped += 1
        return dropped

    def size(self) -> int:
        return sum(e.stat().st_size for e in self.files())


def _etag(name: str) -> str:
    """``<key digest (24)>.<content digest (16)>``: strong, since it changes whenever the bytes do."""
    digest, content, _ = name.split(".", 2)
    return f"{digest[:24]}.{content}"


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except FileNotFoundError:
        pass


_CACHES: dict[tuple, ExportCache] = {}


def export_cache(settings=None) -> ExportCache:
    """The configured cache (``ECON_EXPORT_CACHE_DIR`` or ``ECON_HOME/cache/exports``, ``..._MB``, ``..._ENABLED``)."""
    from econ.config import get_settings

    settings = settings or get_settings()
    folder = settings.export_cache_dir or Path(settings.home) / "cache" / "exports"
    spec = (str(folder), settings.export_cache_mb, settings.export_cache_enabled)
    if spec not in _CACHES:
        _CACHES[spec] = ExportCache(folder, settings.export_cache_mb, settings.export_cache_enabled)
    return _CACHES[spec]
