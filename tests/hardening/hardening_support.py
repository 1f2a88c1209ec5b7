"""Helpers the hardening tests share (a module of its own: ``conftest`` is a name every test folder uses)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ECON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _storefixture():
    spec = importlib.util.spec_from_file_location("storefixture", ROOT / "tests" / "dashboard" / "storefixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def redis_or_skip(url: str = REDIS_URL, setting: str = "ECON_TEST_REDIS_URL"):
    """A Redis client on the test database, or a skip that says why there is none (and what to set)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis not reachable at {url} ({type(err).__name__}); set {setting}")
    return client
