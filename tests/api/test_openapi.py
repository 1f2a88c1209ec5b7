"""The OpenAPI document covers every served route, and only those (datasette's habit)."""

from __future__ import annotations

import re

from dashboard.openapi import document

DOCUMENTED_PREFIXES = ("/api/v1", "/download")


def served_operations(server) -> set[tuple[str, str]]:
    """(path, method) for every route under /api/v1 and /download, with ``<x>`` written ``{x}``."""
    operations = set()
    for rule in server.url_map.iter_rules():
        if rule.rule.startswith(DOCUMENTED_PREFIXES):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            operations |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return operations


def documented_operations(doc: dict) -> set[tuple[str, str]]:
    return {(path, method) for path, item in doc["paths"].items() for method in item}


def test_every_served_route_is_documented_and_every_documented_route_served(server):
    served, documented = served_operations(server), documented_operations(document())
    assert served - documented == set(), "served but not in openapi.json"
    assert documented - served == set(), "in openapi.json but not served"


def test_the_document_is_served_as_openapi_3_1(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["bearerToken"] == {**doc["components"]["securitySchemes"]["bearerToken"],
                                                                   "type": "http", "scheme": "bearer"}


def test_write_routes_declare_the_token_and_every_reference_resolves():
    doc = document()
    for path, method in documented_operations(doc):
        operation = doc["paths"][path][method]
        assert operation["responses"] and operation["summary"]
        assert ("security" in operation) == (method == "post"), (path, method)
    names = set(doc["components"]["schemas"])
    references = set(re.findall(r"#/components/schemas/(\w+)", str(doc)))
    assert references <= names


def test_path_parameters_are_declared():
    for path, item in document()["paths"].items():
        for name in re.findall(r"{(\w+)}", path):
            for operation in item.values():
                assert any(p["name"] == name and p["in"] == "path" for p in operation.get("parameters", []))


def test_the_dashboard_serves_exactly_the_documented_routes(store):
    """The whole app too: a route another module adds under /api/v1 or /download must be documented."""
    from dashboard import app as app_module

    server = app_module.create_app(engine=store).server
    assert served_operations(server) == documented_operations(document())
