"""A bare Flask app carrying the API and the download routes over the sample store.

Bare on purpose: these tests do not wait for (or break with) the dashboard's pages.
"""

from __future__ import annotations

import flask
import pytest
from api.sample_store import fill

from dashboard import api, downloads


@pytest.fixture
def store(sqlite_engine):
    fill(sqlite_engine)
    return sqlite_engine


@pytest.fixture
def server(store) -> flask.Flask:
    app = flask.Flask("econ-test")
    api.register(app, store)
    downloads.register(app, store)
    return app


@pytest.fixture
def client(server):
    return server.test_client()
