"""A small store with a synthetic run, the app on it, and a helper to call Dash callbacks over HTTP."""

from __future__ import annotations

import json

import pytest
import storefixture


@pytest.fixture
def store(tmp_path):
    """Mali and Senegal, growth / inflation / gold, official projections, one synthetic run."""
    engine = storefixture.small_store(tmp_path / "store.sqlite")
    storefixture.add_run(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def bare_store(tmp_path):
    """The same figures with no forecast run yet."""
    engine = storefixture.small_store(tmp_path / "bare.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture
def app(store):
    from dashboard.app import create_app

    return create_app(store)


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def call_callback(app, client):
    """Calls a registered callback by its function's name through ``/_dash-update-component``,
    the endpoint the browser uses; returns ``{output id: {prop: value}}``."""
    client.get("/")  # the first request finishes Dash's setup (the callback map)

    def call(name: str, *values):
        key, spec = next((k, v) for k, v in app.callback_map.items()
                         if getattr(v.get("callback"), "__name__", None) == name)
        outputs = spec["output"] if isinstance(spec["output"], (list, tuple)) else [spec["output"]]
        refs = [{"id": o.component_id, "property": o.component_property.split("@")[0]} for o in outputs]
        n_in = len(spec["inputs"])
        body = {
            "output": key,
            "outputs": refs if isinstance(spec["output"], (list, tuple)) else refs[0],
            "inputs": [{**i, "value": v} for i, v in zip(spec["inputs"], values[:n_in])],
            "state": [{**s, "value": v} for s, v in zip(spec["state"], values[n_in:])],
            "changedPropIds": [f"{_id_str(spec['inputs'][0]['id'])}.{spec['inputs'][0]['property']}"],
        }
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)[:800]
        return {_id_str(k): v for k, v in response.get_json()["response"].items()}

    return call


def _id_str(component) -> str:
    return json.dumps(component, separators=(",", ":"), sort_keys=True) if isinstance(component, dict) else component
