"""Whatever a client sends, the answer is a 2xx or a 4xx with a message, never a 500.

Hypothesis writes the requests: query strings for the API and the downloads (with the values
issue 9 found, ``vintage=9999-99-99``, ``gold=2025:1e308``, unknown codes, control characters),
and ``/_dash-update-component`` payloads for every server callback of every page, with values of
every JSON type in place of the expected ones, plus bodies of the wrong shape altogether.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

NASTY = ["9999-99-99", "2025-02-30", "0000-01-01", "2025:1e308", "2025:-1", "2025:nan", "1e308", "-0", "",
         " ", "MLI", "mli", "Mali", "M\u200fali", "SEN", "WAEMU", "XXX", "inflation", "gdp_growth", "cpi", "fr", "en",
         "pt", "csv", "xlsx", "png", "\x00", "'; DROP TABLE series;--", "<script>alert(1)</script>", "../../etc/passwd",
         "2024-01-01T00:00:00+99:00", "2025:70,2026:80", "2025:70,2025:80", "9" * 400, "%", "%ff%fe"]
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.sampled_from(NASTY), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
READ_ROUTES = ["/api/v1/series", "/api/v1/observations", "/api/v1/forecasts", "/api/v1/norms", "/download/data",
               "/api/v1/forecasts/run/x", "/api/v1/openapi.json"]
PARAMETERS = ["country", "indicator", "as_of", "format", "lang", "gold", "vintage"]


def assert_answered(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        assert response.mimetype == "application/json" and response.get_json()["error"]


@FAST
@given(route=st.sampled_from(READ_ROUTES), query=st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=6))
def test_query_strings_never_break_the_api(client, route, query):
    assert_answered(client.get(route + "?" + urlencode(query)))


@FAST
@given(query=st.fixed_dictionaries({"country": st.sampled_from(["MLI", "SEN", "XXX", ""]),
                                    "indicator": st.sampled_from(["gdp_growth", "inflation"]),
                                    "format": st.sampled_from(["csv", "xlsx"]),
                                    "gold": st.sampled_from(NASTY + ["2025:70", "2025:1e308", "2025:5001"])}))
def test_gold_paths_never_break_the_downloads(client, query):
    assert_answered(client.get("/download/data", query_string=query))


def callbacks(dash_app) -> list[tuple[str, dict]]:
    """(output key, spec) of every callback that runs on the server and returns at once."""
    return [(key, spec) for key, spec in dash_app.callback_map.items()
            if callable(spec.get("callback")) and not spec.get("background")
            and getattr(spec["callback"], "__name__", "") != "cancel_call"]


def entry(reference: dict, value, wildcard_value) -> dict | list:
    """One input or state as the browser sends it; a pattern-matching ALL one is a list of concrete ids."""
    component = reference["id"]
    if component.startswith("{"):
        pattern = json.loads(component)
        if any(v == ["ALL"] for v in pattern.values()):
            concrete = {k: (wildcard_value if v == ["ALL"] else v) for k, v in pattern.items()}
            return [{"id": concrete, "property": reference["property"], "value": value}]
        component = pattern
    return {"id": component, "property": reference["property"], "value": value}


def body_for(key: str, spec: dict, values: list, wildcard_value) -> dict:
    many = isinstance(spec["output"], (list, tuple))
    outputs = [{"id": o.component_id, "property": o.component_property.split("@")[0]}
               for o in (spec["output"] if many else [spec["output"]])]
    references = spec["inputs"] + spec["state"]
    entries = [entry(r, values[i % len(values)] if values else None, wildcard_value) for i, r in enumerate(references)]
    return {"output": key, "outputs": outputs if many else outputs[0], "inputs": entries[: len(spec["inputs"])],
            "state": entries[len(spec["inputs"]):],
            "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"]}


@pytest.mark.parametrize("name", ["update_cards", "update_chart", "update_table", "sort_by", "update_inputs",
                                  "update_scenario", "sign_in", "sign_out", "issue_ticket", "update"])
def test_every_server_callback_is_fuzzed(dash_app, client, name):
    assert any(getattr(s["callback"], "__name__", "") == name for _, s in callbacks(dash_app)), name


@FAST
@given(data=st.data())
def test_dash_callbacks_never_answer_500(dash_app, client, data):
    key, spec = data.draw(st.sampled_from(callbacks(dash_app)), label="callback")
    values = data.draw(st.lists(JSON_VALUES, min_size=1, max_size=6), label="values")
    body = body_for(key, spec, values, data.draw(JSON_VALUES, label="wildcard"))
    assert_answered(client.post("/_dash-update-component", json=body))


@FAST
@given(search=st.dictionaries(st.sampled_from(["country", "indicator", "vintage", "lang"]), VALUES, max_size=4),
       path=st.sampled_from(["/", "/indicator", "/convergence", "/data", "/scenarios", "/analyst", "/nowhere"]))
def test_page_urls_never_answer_500(dash_app, client, search, path):
    """The pages' own URL values, as the page-routing callback receives them (``vintage=9999-99-99``)."""
    key, spec = next((k, s) for k, s in callbacks(dash_app) if s["callback"].__name__ == "update")
    query = "?" + urlencode(search)
    assert_answered(client.post("/_dash-update-component", json=body_for(key, spec, [path, query], None)))
    page = client.get(path + query)
    if path == "/nowhere":  # no such page: the not-found page, in HTML, with its 404
        assert page.status_code == 404 and page.mimetype == "text/html"
    else:
        assert_answered(page)


@FAST
@given(body=JSON_VALUES)
def test_bodies_of_the_wrong_shape_are_a_4xx(client, body):
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (400, 415) and response.get_json()["error"]


def test_the_values_issue_9_found_are_4xx_with_a_message(dash_app, client):
    for query in ["vintage=9999-99-99&country=MLI&indicator=inflation", "country=XXX", "gold=2025:1e308"]:
        key, spec = next((k, s) for k, s in callbacks(dash_app) if s["callback"].__name__ == "update")
        assert_answered(client.post("/_dash-update-component", json=body_for(key, spec, ["/indicator", "?" + query], None)))
    response = client.get("/download/data?country=MLI&indicator=gdp_growth&format=csv&gold=2025:1e308")
    assert response.status_code == 400 and "tonnes from 0 to 5000" in response.get_json()["error"]
    response = client.get("/api/v1/observations?country=MLI&indicator=inflation&as_of=9999-99-99")
    assert response.status_code == 400 and "as_of" in response.get_json()["error"]
    response = client.get("/api/v1/observations?country=%ff%fe&indicator=inflation")  # not UTF-8
    assert response.status_code == 400 and "unknown country" in response.get_json()["error"]
