"""The economist's reading: tab titles in the page's language, overview cards that answer, convergence with
official projections, a Compare page, monthly inflation, models explained, scenarios in the URL."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pandas as pd
import pytest
import storefixture
from dash import dcc, html
from test_pages import find, render, text_of, walk

from dashboard import ids
from dashboard.app import PAGE_MODULES
from dashboard.components.shell import page_title
from dashboard.components.tables import models_table
from dashboard.state import ViewState, from_query, gold_text, parse_countries, parse_gold
from econ.i18n import LANGS, NBSP
from econ.store.repository import write_batch


@pytest.fixture
def cpi_app(tmp_path):
    """The small store with Mali's monthly CPI, a run with monthly points, and the BCEAO's union projections."""
    from dashboard.app import create_app

    engine = storefixture.small_store(tmp_path / "cpi.sqlite")
    storefixture.add_cpi(engine)
    write_batch(engine, storefixture.observations([]), storefixture.official(
        [("BCEAO", "2025-09-17", "WAEMU", "inflation", "2026", 2.0)]), source="bceao")
    storefixture.add_run(engine)
    yield create_app(engine)
    engine.dispose()


def links(component) -> list[str]:
    return [c.href for c in walk(component) if isinstance(c, html.A) and "/download/" in (c.href or "")]


# --- the language of the first byte, and of the tab --------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("module", PAGE_MODULES, ids=lambda m: m.KEY)
def test_the_tab_title_and_html_lang_follow_the_link(client, module, lang):
    page = client.get(f"{module.PATH}?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f"<title>{page_title(module.KEY, lang)}</title>" in page.replace("&#39;", "'")


def test_following_a_link_retitles_the_tab_in_its_language(app, client):
    """Dash's router sets ``document.title`` from the page's title function: it reads the link's language."""
    client.get("/")
    key = next(k for k in app.callback_map if "_pages_store.data" in k)
    spec = app.callback_map[key]
    body = {"output": key, "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/convergence"},
                       {"id": "_pages_location", "property": "search", "value": "?lang=pt"}],
            "changedPropIds": ["_pages_location.search"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.get_json()["response"]["_pages_store"]["data"]["title"] == "Convergência — Economia do Mali · UEMOA"


# --- overview ---------------------------------------------------------------------------------


def test_a_country_without_gold_says_so_in_one_line_not_an_empty_card(app):
    from dashboard.pages import overview

    cards = find(render(app, overview, country="SEN", lang="fr"), ids.CARDS)
    headings = [c.children for c in walk(cards) if isinstance(c, html.H2)]
    assert headings == ["Croissance du PIB réel", "Inflation (moyenne annuelle)"]
    assert f"Aucune donnée pour Sénégal{NBSP}: Production d'or (totale)" in text_of(cards)


def test_a_card_gives_econs_projection_the_official_figures_and_a_sentence_on_the_norm(app):
    from dashboard.pages import overview

    words = text_of(find(render(app, overview, country="MLI", lang="en"), ids.CARDS))
    assert "econ, projection 2025" in words and "80% interval" in words
    assert "IMF (24 November 2025)" in words and "2026: 2.5%" in words and "Government of Mali (8 December 2025)" in words
    assert re.search(r"Inflation \(annual average\) 2025: [\d.]+% \(IMF 3\.0%\); risk of exceeding 3%: \d+%", words)


# --- models -----------------------------------------------------------------------------------


def test_models_are_ranked_and_the_naive_forecast_is_the_benchmark():
    models = pd.DataFrame([
        {"model": "naive", "kind": "benchmark", "weight": None, "n": 15, "mase": 1.0, "mae": 1.2,
         "versus_naive": "benchmark", "chosen": False},
        {"model": "official:IMF", "kind": "official", "weight": 0.5, "n": 12, "mase": 0.80, "mae": 0.9,
         "versus_naive": "better", "chosen": False},
        {"model": "ets", "kind": "model", "weight": None, "n": 15, "mase": 1.02, "mae": 1.25,
         "versus_naive": "no significant difference", "chosen": False},
        {"model": "combination", "kind": "econ", "weight": None, "n": 15, "mase": 0.85, "mae": 0.95,
         "versus_naive": "better", "chosen": True},
        {"model": "ar", "kind": "model", "weight": 0.5, "n": 15, "mase": 0.9, "mae": 1.0, "versus_naive": "better",
         "chosen": False},
    ])
    table = models_table(models, "fr")
    rows = [[text_of(cell) for cell in row.children] for row in walk(table) if isinstance(row, html.Tr)][1:]
    assert [r[0].replace("(projection retenue)", "").strip() for r in rows] == [
        "Projection econ", "FMI", "Autorégression", "Naïf", "Lissage exponentiel"]
    assert "(projection retenue)" in rows[0][0] and rows[1][2] == f"50{NBSP}%" and rows[1][3] == "12"
    assert [r[-1] for r in rows] == ["meilleur que le naïf", "meilleur que le naïf", "meilleur que le naïf",
                                     "référence", "pas de différence significative"]
    alone = models.assign(weight=[1.0, None, None, None, None])
    assert "Aucun candidat n'a encore battu la prévision naïve" in text_of(models_table(alone, "fr"))


# --- convergence ------------------------------------------------------------------------------


def test_convergence_shows_official_projections_beside_econs_and_a_cue_on_phones(app, monkeypatch):
    from test_charts import scorecard_fixture

    from dashboard.data import ReadLayer
    from dashboard.pages import convergence

    monkeypatch.setattr(ReadLayer, "scorecard", lambda self, country=None: scorecard_fixture())
    page = render(app, convergence, lang="fr")
    cells = [c for c in walk(page) if isinstance(c, html.Td) and "status-amber" in (getattr(c, "className", "") or "")]
    words = text_of(cells[0])
    assert f"2,5{NBSP}% (p{NBSP}={NBSP}30{NBSP}%)" in words and "80" in words
    assert f"FMI 3,0{NBSP}%" in words  # the IMF's latest figure for Mali's 2025 inflation
    cue = [c for c in walk(page) if isinstance(c, html.P) and getattr(c, "className", None) == "scroll-cue"]
    assert cue and "projections" in cue[0].children


# --- compare ----------------------------------------------------------------------------------


def test_compare_page_keeps_the_members_in_the_url_and_downloads_every_series(cpi_app):
    from dashboard.pages import compare

    page = render(cpi_app, compare, countries="MLI,SEN", indicator="inflation", lang="en")
    checklist = next(c for c in walk(page) if isinstance(c, dcc.Checklist))
    assert checklist.id == ids.COUNTRIES and checklist.value == ["MLI", "SEN"]
    graph = find(page, ids.COMPARE_CHART)
    names = [trace["name"] for trace in graph.figure["data"]]
    assert {"Mali", "Senegal", "WAEMU, BCEAO (17 September 2025)"} <= set(names)
    hrefs = links(find(page, ids.COMPARE_DOWNLOADS))
    assert all(parse_qs(urlsplit(h).query)["countries"] == ["MLI,SEN"] for h in hrefs) and len(hrefs) == 5
    client = cpi_app.server.test_client()
    response = client.get(next(h for h in hrefs if "format=xlsx" in h))
    assert response.status_code == 200
    assert "econ_MLI-SEN_inflation-annual-average_comparison_" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    countries = {row[header.index("Country")].value for row in sheet.iter_rows(min_row=2)}
    assert countries == {"Mali", "Senegal", "WAEMU"}


def test_compare_callback_follows_the_checkboxes(cpi_app):
    client = cpi_app.server.test_client()
    client.get("/")
    key, spec = next((k, v) for k, v in cpi_app.callback_map.items()
                     if getattr(v.get("callback"), "__name__", None) == "update_compare")
    body = {"output": key, "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
            "inputs": [{**i, "value": v} for i, v in zip(spec["inputs"], (["SEN", "BFA"], "gdp_growth", "", None))],
            "state": [{**spec["state"][0], "value": "pt"}],
            "changedPropIds": [json.dumps(ids.COUNTRIES, separators=(",", ":"), sort_keys=True) + ".value"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    figure = response.get_json()["response"][ids.COMPARE_CHART]["figure"]
    assert "Crescimento real do PIB — comparação" in figure["layout"]["title"]["text"]
    assert [t["name"] for t in figure["data"]][:1] == ["Senegal"]


# --- monthly inflation ------------------------------------------------------------------------


def test_the_inflation_page_adds_monthly_inflation_when_the_country_has_a_cpi(cpi_app):
    from dashboard.pages import indicator

    page = render(cpi_app, indicator, country="MLI", indicator="inflation", lang="fr")
    monthly = find(page, ids.MONTHLY_CHART)
    assert monthly is not None and "Inflation mensuelle — Mali" in monthly.figure["layout"]["title"]["text"]
    assert {"Glissement annuel", "Moyenne sur 12 mois", "Projection"} <= {t["name"] for t in monthly.figure["data"]}
    assert any("indicator=cpi" in h for h in links(find(page, ids.MONTHLY)))
    assert find(render(cpi_app, indicator, country="SEN", indicator="inflation"), ids.MONTHLY_CHART) is None


def test_the_cpi_page_shows_the_inflation_it_implies(cpi_app):
    from dashboard.pages import indicator

    page = render(cpi_app, indicator, country="MLI", indicator="cpi", lang="en")
    graph = find(page, ids.CHART)
    assert "Monthly inflation — Mali" in graph.figure["layout"]["title"]["text"]
    assert find(page, ids.MODELS).children == []  # the models are the annual projection's


# --- scenarios in the URL ---------------------------------------------------------------------


def test_the_gold_path_in_the_url_opens_the_same_scenario(app, monkeypatch):
    from dashboard.data import ReadLayer
    from dashboard.pages import scenarios

    monkeypatch.setattr(ReadLayer, "scenario_baseline",
                        lambda self, country: ("gold_production", {"2025": 60.0, "2026": 62.0}))
    calls = []

    def fake(self, country, path):
        calls.append(dict(path))
        return pd.DataFrame({"period": list(path), "mean": [v / 10 for v in path.values()], "lower_80": 0.0,
                             "upper_80": 9.0, "lower_95": -1.0, "upper_95": 10.0})

    monkeypatch.setattr(ReadLayer, "scenario", fake)
    page = render(app, scenarios, country="MLI", lang="fr", gold="2025:70,2026:80.5,1999:5")
    inputs = [c for c in walk(page) if isinstance(c, dcc.Input) and isinstance(c.id, dict)
              and c.id.get("type") == ids.GOLD_INPUT]
    assert [(c.id["period"], c.value) for c in inputs] == [("2025", 70.0), ("2026", 80.5)]  # 1999 is not a model year
    assert calls[-1] == {"2025": 70.0, "2026": 80.5}
    assert find(page, ids.GOLD).value == "2025:70,2026:80.5"
    hrefs = links(find(page, ids.SCENARIO_DOWNLOADS))
    assert hrefs and all(parse_qs(urlsplit(h).query)["gold"] == ["2025:70,2026:80.5"] for h in hrefs)


def test_the_scenario_callback_writes_the_path_for_the_address_bar(app, client, monkeypatch):
    from dashboard.data import ReadLayer

    monkeypatch.setattr(ReadLayer, "scenario", lambda self, country, path: pd.DataFrame(
        {"period": list(path), "mean": 1.0, "lower_80": 0.0, "upper_80": 2.0, "lower_95": -1.0, "upper_95": 3.0}))
    client.get("/")
    key, spec = next((k, v) for k, v in app.callback_map.items()
                     if getattr(v.get("callback"), "__name__", None) == "update_scenario")
    gold = [ids.gold_input("2025"), ids.gold_input("2026")]
    body = {"output": key, "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
            "inputs": [[{"id": g, "property": "value", "value": v} for g, v in zip(gold, (70, 81))],
                       {"id": ids.VIEWPORT, "property": "data", "value": None}],
            "state": [[{"id": g, "property": "id", "value": g} for g in gold],
                      {"id": ids.COUNTRY, "property": "value", "value": "MLI"},
                      {"id": ids.PAGE_LANG, "property": "data", "value": "pt"}],
            "changedPropIds": [json.dumps(gold[0], separators=(",", ":"), sort_keys=True) + ".value"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.get_json()["response"][json.dumps(ids.GOLD, separators=(",", ":"), sort_keys=True)]["value"] == \
        "2025:70,2026:81"


@pytest.mark.parametrize(("raw", "path"), [
    ("2025:70,2026:80.5", {"2025": 70.0, "2026": 80.5}),
    (" 2025 : 70 ", {"2025": 70.0}),
    ("2025:-1", None), ("2025:nan", None), ("25:70", None), ("2025:70,2025:71", None), ("<script>", None), ("", None),
])
def test_a_gold_path_from_the_url_is_checked(raw, path):
    assert parse_gold(raw) == path
    assert from_query({"gold": raw}).gold == (gold_text(path) if path else None)


def test_compared_members_from_the_url_are_checked():
    assert parse_countries("mli,SEN,XXX,SEN") == "MLI,SEN"
    assert parse_countries(["BFA", "MLI"]) == "BFA,MLI" and parse_countries("") is None
    assert ViewState().compared == ["MLI", "SEN", "BFA"]
    assert from_query({"countries": "SEN,BFA"}).query() == "?country=MLI&indicator=inflation&lang=fr&countries=SEN%2CBFA"


def test_the_compare_downloads_check_the_members(client):
    refused = client.get("/download/data?country=MLI&indicator=inflation&format=csv&countries=XXX,<b>")
    assert refused.status_code == 400 and "countries must list country codes" in refused.get_json()["error"]
    served = client.get("/download/data?country=MLI&indicator=inflation&format=csv&lang=pt&countries=SEN,MLI")
    assert served.status_code == 200
    assert "econ_SEN-MLI_inflacao-media-anual_comparacao_" in served.headers["Content-Disposition"]
    assert "Senegal" in served.data.decode("utf-8-sig") and "Mali" in served.data.decode("utf-8-sig")
