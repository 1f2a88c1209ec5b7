"""Answers of the pages' read-only callbacks, kept per store state: a repeated view costs a lookup.

The Indicator page's main callback (chart, text alternative, downloads, monthly section, models
table) and the Compare page's chart are pure: their answer depends only on the request body (the
controls, the language) and on what the store holds. Building one costs 5-10 ms of Dash
components and JSON for the same few series asked again and again; 20 readers on two cores then
queue. So the answer is kept in a small in-process LRU (``ECON_API_CACHE_ENTRIES``, shared in size
with the API's answers), named by the body and the read layer's stamp (newest load and newest run,
``dashboard.data.ReadLayer.stamp``). The stamp is read before the callback runs and only moves
forward, so an answer is never kept under a newer stamp than the data it was built from. Any other
callback (sign-in, reruns, jobs) is never cached.
"""

from __future__ import annotations

import hashlib

import flask
from flask import g, request

from dashboard import ids
from dashboard.answers import AnswerCache
from dashboard.data import layer
from econ.version import code_version

PATH = "/_dash-update-component"
PURE_OUTPUTS = (f"..{ids.CHART}.figure...", f"..{ids.COMPARE_CHART}.figure...")
EXTENSION = "econ.callback_answers"


def install(server: flask.Flask, entries: int) -> None:
    """Registers the lookup (after the security checks, which run first) and the keeping."""
    server.extensions[EXTENSION] = AnswerCache(entries)
    server.before_request(_lookup)
    server.after_request(_keep)


def _key() -> tuple | None:
    if request.method != "POST" or request.path != PATH:
        return None
    body = request.get_data(cache=True)
    payload = request.get_json(silent=True)  # parsed once: the rate limiter has read it already
    output = payload.get("output", "") if isinstance(payload, dict) else ""
    if not isinstance(output, str) or not output.startswith(PURE_OUTPUTS):
        return None
    stamp = layer().stamp()
    return hashlib.sha256(body).hexdigest(), stamp.ingest, stamp.run, code_version()


def _lookup():
    key = _key()
    if key is None:
        return None
    g.econ_callback_key = key
    body = flask.current_app.extensions[EXTENSION].get(key)
    if body is None:
        return None
    g.econ_callback_hit = True
    return flask.Response(body, mimetype="application/json")


def _keep(response: flask.Response) -> flask.Response:
    key = g.get("econ_callback_key")
    if key is not None and not g.get("econ_callback_hit") and response.status_code == 200 \
            and not response.direct_passthrough:
        flask.current_app.extensions[EXTENSION].put(key, response.get_data())
    return response
