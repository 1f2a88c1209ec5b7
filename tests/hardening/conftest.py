"""The whole dashboard app (pages, API, security) over a small store in the test's own ECON_HOME.

The store is the one the CLI would use (``ECON_HOME/econ.sqlite``), so a test can change tokens
with ``econ analyst ...`` and see the running app react, as an operator would.
"""

from __future__ import annotations

import pytest
from hardening_support import _storefixture, callback_body

from econ.config import get_settings


@pytest.fixture
def store():
    """Mali and Senegal with official projections and a synthetic run, at the configured URL."""
    home = get_settings().home
    home.mkdir(parents=True, exist_ok=True)
    fixture = _storefixture()
    engine = fixture.small_store(home / "econ.sqlite")
    fixture.add_run(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def dash_app(store):
    from dashboard.app import create_app

    return create_app(store, get_settings())


@pytest.fixture
def client(dash_app):
    client = dash_app.server.test_client()
    client.get("/")  # the first request finishes Dash's setup (the callback map)
    return client


@pytest.fixture
def call(dash_app):
    """``call(client, name, *values)``: a registered callback through ``/_dash-update-component``,
    the browser's way in; returns the HTTP response."""

    def run(client, name: str, *values):
        return client.post("/_dash-update-component", json=callback_body(dash_app, name, *values))

    return run
