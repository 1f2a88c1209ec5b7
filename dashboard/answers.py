"""The API's read answers, cached and conditional: a repeated GET neither reads the series nor builds JSON.

An answer is named by its route, its arguments, the store's generation (newest load and newest
run: ``econ.store.repository.generation``, one indexed query a request) and the code version.
Its ETag is that name's digest, strong because equal names give equal JSON (loads and runs are
the only writes, and each changes the generation); ``If-None-Match`` or ``If-Modified-Since``
(against the store's last change) get ``304`` through werkzeug's ``make_conditional``. Bodies are
kept in a small in-process LRU (``ECON_API_CACHE_ENTRIES``); entries of an older generation are
never asked for again and age out. Refusals (404 and the like) are raised, never cached.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import flask
from flask import current_app, request

from econ.store.repository import generation
from econ.version import code_version

EXTENSION = "econ.api_answers"
CACHE_CONTROL = "public, max-age=0, must-revalidate"


class AnswerCache:
    """A thread-safe LRU of serialized answers (``entries`` of them; 0 keeps none)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            body = self._items.get(key)
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: Hashable, body: str) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def answer_cache() -> AnswerCache:
    """This app's cache, sized by ``ECON_API_CACHE_ENTRIES`` when first used."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        from econ.config import get_settings

        cache = current_app.extensions.setdefault(EXTENSION, AnswerCache(get_settings().api_cache_entries))
    return cache


def cached_answer(store, name: tuple, build: Callable[[], str]) -> flask.Response:
    """The JSON answer named ``name`` (route and arguments) as the store now is; ``build()`` makes its
    body on a miss. 304 when the client's copy is current."""
    now = generation(store)
    key = (*name, now.token, code_version())
    cache = answer_cache()
    body = cache.get(key)
    if body is None:
        body = build()
        cache.put(key, body)
    response = flask.Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32])
    response.last_modified = now.changed_at
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response.make_conditional(request)
