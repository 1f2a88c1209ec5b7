"""The whole dashboard app (pages, API, security) over a small store in the test's own ECON_HOME.

The store is the one the CLI would use (``ECON_HOME/econ.sqlite``), so a test can change tokens
with ``econ analyst ...`` and see the running app react, as an operator would.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from econ.config import get_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ECON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _storefixture():
    spec = importlib.util.spec_from_file_location("storefixture", ROOT / "tests" / "dashboard" / "storefixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def callback_body(dash_app, name: str, *values) -> dict:
    """The JSON a browser sends for the callback whose function is ``name``, with these input/state values."""
    key, spec = next((k, v) for k, v in dash_app.callback_map.items()
                     if getattr(v.get("callback"), "__name__", None) == name)
    many = isinstance(spec["output"], (list, tuple))
    outputs = spec["output"] if many else [spec["output"]]
    refs = [{"id": o.component_id, "property": o.component_property.split("@")[0]} for o in outputs]
    n_in = len(spec["inputs"])
    first = spec["inputs"][0]
    return {
        "output": key, "outputs": refs if many else refs[0],
        "inputs": [{**i, "value": v} for i, v in zip(spec["inputs"], values[:n_in])],
        "state": [{**s, "value": v} for s, v in zip(spec["state"], values[n_in:])],
        "changedPropIds": [f"{_id_str(first['id'])}.{first['property']}"],
    }


def _id_str(component) -> str:
    return json.dumps(component, separators=(",", ":"), sort_keys=True) if isinstance(component, dict) else component


def redis_or_skip(url: str = REDIS_URL):
    """A Redis client on the test database, or a skip that says why there is none."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis not reachable at {url} ({type(err).__name__}); set ECON_TEST_REDIS_URL")
    return client
