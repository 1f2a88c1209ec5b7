"""The pages' read-only callbacks are answered from memory until the store changes (issue 10)."""

from __future__ import annotations

import pytest
import storefixture

from dashboard.pages import indicator


@pytest.fixture
def built(monkeypatch):
    """Counts how often the Indicator page's panels are really built."""
    calls = []
    real = indicator.panels

    def counting(state, compact=False):
        calls.append((state.country, state.indicator, state.lang))
        return real(state, compact)

    monkeypatch.setattr(indicator, "panels", counting)
    return calls


def test_a_repeated_view_is_answered_without_building_it_again(call_callback, built):
    first = call_callback("update_chart", "MLI", "inflation", "", None, "fr")
    second = call_callback("update_chart", "MLI", "inflation", "", None, "fr")
    assert first == second
    assert len(built) == 1


def test_language_and_series_are_part_of_the_name(call_callback, built):
    call_callback("update_chart", "MLI", "inflation", "", None, "fr")
    call_callback("update_chart", "MLI", "inflation", "", None, "en")
    call_callback("update_chart", "SEN", "inflation", "", None, "fr")
    assert len(built) == 3


def test_a_new_run_is_seen_at_once(app, store, call_callback, built):
    call_callback("update_chart", "MLI", "inflation", "", None, "fr")
    storefixture.add_run(store)
    app.server.extensions["econ_read_layer"]._last_stamp = None  # the layer asks the store again (within 1 s it would not)
    call_callback("update_chart", "MLI", "inflation", "", None, "fr")
    assert len(built) == 2


def test_a_callback_with_effects_is_never_cached(app, client):
    from dashboard.callback_cache import EXTENSION

    client.get("/")
    cache = app.server.extensions[EXTENSION]
    body = {"output": "analyst-message.children", "outputs": {"id": "analyst-message", "property": "children"},
            "inputs": [], "state": [], "changedPropIds": []}
    client.post("/_dash-update-component", json=body)
    assert cache.hits == 0 and cache.misses == 0 and not cache._items
