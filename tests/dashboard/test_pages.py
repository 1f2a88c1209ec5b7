"""Every page renders in every language; callbacks answer through Dash's real endpoint."""

from __future__ import annotations

import json
import re

import pytest
from dash import html

from dashboard import ids
from dashboard.app import PAGE_MODULES, create_app, secret_key
from dashboard.components.shell import PAGES, page_name
from dashboard.state import ViewState, from_query
from econ.charts import header
from econ.config import get_settings
from econ.i18n import LANGS, NBSP, NNBSP, t


def walk(component):
    """Every component of a layout tree."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def text_of(component) -> str:
    parts = []
    for c in walk(component):
        children = getattr(c, "children", None)
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if isinstance(child, (str, int, float)):
                parts.append(str(child))
    return " ".join(parts)


def find(component, wanted):
    return next((c for c in walk(component) if getattr(c, "id", None) == wanted), None)


def render(app, module, **query):
    with app.server.test_request_context("/"):
        return module.layout(**query)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("module", PAGE_MODULES, ids=lambda m: m.KEY)
def test_every_page_renders_in_every_language(app, module, lang):
    page = render(app, module, country="MLI", indicator="inflation", lang=lang)
    assert page.lang == lang
    h1 = next(c for c in walk(page) if isinstance(c, html.H1))
    assert h1.children == page_name(module.KEY, lang)
    nav = [c for c in walk(page) if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == ids.NAV_LINK]
    assert [c.id["page"] for c in nav] == [path for _, path in PAGES]
    assert all("country=MLI" in c.href and f"lang={lang}" in c.href for c in nav)
    for other in set(LANGS) - {lang}:
        switch = find(page, ids.lang_link(other))
        assert f"lang={other}" in switch.href and switch.href.startswith(dict(PAGES)[module.KEY])


def test_overview_cards_in_french(app):
    page = render(app, PAGE_MODULES[0], country="MLI")
    words = text_of(find(page, ids.CARDS))
    assert "Croissance du PIB réel" in words and "Production d'or (totale)" in words
    assert f"3,2{NBSP}%" in words and "Dépasse la norme" in words
    assert f"3,2{NBSP}% en 2024, hors de la norme (3{NBSP}%){NBSP}; risque de 65{NBSP}% de dépasser 3{NBSP}% en 2025" in words
    assert "econ, projection 2025" in words and "exécution n°1" in words


def test_indicator_page_shows_chart_models_and_text_alternative(app):
    from dashboard.pages import indicator

    page = render(app, indicator, country="MLI", indicator="inflation", lang="en")
    graph = find(page, ids.CHART)
    assert graph.config["showSendToCloud"] is False and graph.config["locale"] == "en"
    assert "Inflation (annual average) — Mali" in graph.figure["layout"]["title"]["text"]
    assert graph.style["height"].endswith("px")
    assert "Latest value (2024): 3.2%." in find(page, ids.CHART_ALT).children
    models = text_of(find(page, ids.MODELS))
    assert "Autoregression" in models and "(the projection shown)" in models and "Naive" in models
    assert "benchmark" in models and "worse than naive Naive" not in models  # naive is the reference
    assert "Why this projection" in models and "Projection 2025: " in models and "60% × Autoregression" in models
    assert "In real time, over 15 past years" in models


def test_urls_that_lie_fall_back_to_defaults():
    state = from_query({"country": "XXX", "indicator": "<script>", "lang": "de", "vintage": "yesterday"})
    assert state == ViewState()
    good = from_query({"country": "sen", "indicator": "gdp_growth", "lang": "en", "vintage": "2025-11-30"})
    assert good == ViewState("SEN", "gdp_growth", "en", "2025-11-30")
    assert good.query() == "?country=SEN&indicator=gdp_growth&lang=en&vintage=2025-11-30"
    api_style = from_query({"country": "sen", "indicator": "gdp_growth", "lang": "en", "as_of": "2025-11-30"})
    assert api_style == good  # a date copied from an API URL


def test_chart_callback_through_the_dash_endpoint(call_callback):
    out = call_callback("update_chart", "SEN", "gdp_growth", "", None, "fr")
    figure = out[ids.CHART]["figure"]
    assert "Croissance du PIB réel — Sénégal" in figure["layout"]["title"]["text"]
    assert figure["layout"]["separators"] == f",{NNBSP}"
    assert out[ids.CHART]["config"]["locale"] == "fr"
    assert "Sénégal" in out[ids.CHART_ALT]["children"]


def test_chart_callback_sends_the_compact_chart_to_phones(call_callback):
    out = call_callback("update_chart", "MLI", "inflation", "", 375, "fr")
    assert out[ids.CHART]["figure"]["layout"]["legend"]["orientation"] == "v"


def test_chart_callback_with_a_past_vintage(call_callback):
    out = call_callback("update_chart", "MLI", "inflation", "2000-01-01", None, "en")
    assert "no stored projection" in out[ids.CHART_ALT]["children"] or "Inflation" in out[ids.CHART_ALT]["children"]
    assert all(not trace.get("y") for trace in out[ids.CHART]["figure"]["data"] if trace.get("name") == "Observed")


def test_overview_callback(call_callback):
    out = call_callback("update_cards", "SEN", "en")
    assert "Real GDP growth" in json.dumps(out[ids.CARDS]["children"])


def test_data_table_filters_and_sorts(app):
    from dashboard.pages import data

    with app.server.test_request_context("/"):
        table, count, _ = data.content(ViewState("MLI", "inflation", "fr"), search="Gouvernement")
        assert count == "1 ligne"
        table, count, _ = data.content(ViewState("MLI", "inflation", "en"), sort={"col": 5, "asc": False})
    cells = [c.children for c in walk(table) if isinstance(c, html.Td)]
    assert count == "16 rows" and cells


@pytest.mark.parametrize(("lang", "published", "search"), [
    ("fr", "24 novembre 2025", "novembre"), ("en", "24 November 2025", "November"),
    ("pt", "24 de novembro de 2025", "novembro"),
])
def test_data_table_writes_publication_dates_as_each_language_does(app, lang, published, search):
    from dashboard.pages import data

    with app.server.test_request_context("/"):
        table, _, _ = data.content(ViewState("MLI", "inflation", lang))
        _, found, _ = data.content(ViewState("MLI", "inflation", lang), search=search)  # the words the reader sees
        _, iso, _ = data.content(ViewState("MLI", "inflation", lang), search="2025-11-24")  # and the stored date
    cells = [c.children for c in walk(table) if isinstance(c, html.Td)]
    assert published in cells and "2025-11-24" not in cells
    assert found == iso and found.startswith("2 ")


def test_data_table_writes_months_in_words():
    from dashboard.pages import data

    assert data.shown("2024-03", header("period", "pt"), "pt") == "março de 2024"
    assert data.shown("2024", header("period", "fr"), "fr") == "2024"
    assert data.shown("2025-10", header("published", "en"), "en") == "October 2025"


def test_scenario_page_without_a_gold_model_says_so(app):
    from dashboard.pages import scenarios

    page = render(app, scenarios, country="SEN", lang="fr")
    assert "Scénarios" in text_of(page)


def test_convergence_page_with_a_fixture_scorecard(app, monkeypatch):
    from test_charts import scorecard_fixture

    from dashboard.data import ReadLayer
    from dashboard.pages import convergence

    monkeypatch.setattr(ReadLayer, "scorecard", lambda self, country=None: scorecard_fixture())
    page = render(app, convergence, lang="fr")
    words = text_of(page)
    assert f"Norme UEMOA{NBSP}: inflation" in words and "2025 projection" in words and "Dépasse la norme" in words


def test_convergence_page_before_the_scorecard_exists(app, monkeypatch):
    from dashboard.data import ReadLayer
    from dashboard.pages import convergence

    monkeypatch.setattr(ReadLayer, "scorecard", lambda self, country=None: None)
    assert "The scorecard is not available yet." in text_of(render(app, convergence, lang="en"))


def test_html_is_french_and_nothing_comes_from_a_cdn(client):
    page = client.get("/indicator?country=MLI&lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert client.get("/_dash-layout").status_code == 200


# --- an address that is no page ---------------------------------------------------------------


@pytest.mark.parametrize(("lang", "title"), [("fr", "Page introuvable — Économie Mali · UEMOA"),
                                             ("en", "Page not found — Mali · WAEMU economy"),
                                             ("pt", "Página não encontrada — Economia do Mali · UEMOA")])
def test_an_unknown_address_answers_404_in_the_pages_language(client, lang, title):
    response = client.get(f"/nonexistent?lang={lang}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert f'<html lang="{lang}">' in page and f"<title>{title}</title>" in page
    assert client.get(f"/data/?lang={lang}").status_code == 200 and client.get("/").status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_the_not_found_page_is_a_page_of_the_app(app, lang):
    """In the usual frame: every page in the navigation, the language switch keeping the address asked for."""
    from dashboard.pages import not_found_404

    with app.server.test_request_context("/nowhere"):
        page = not_found_404.layout(country="SEN", lang=lang)
    assert page.lang == lang
    h1 = next(c for c in walk(page) if isinstance(c, html.H1))
    assert h1.children == page_name("not_found", lang) == t("Page introuvable", lang)
    assert "/nowhere" in text_of(page) and "404 - Page not found" not in text_of(page)
    nav = [c for c in walk(page) if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == ids.NAV_LINK]
    assert [c.id["page"] for c in nav] == [path for _, path in PAGES]
    assert all("country=SEN" in c.href and f"lang={lang}" in c.href for c in nav)
    for other in set(LANGS) - {lang}:
        assert find(page, ids.lang_link(other)).href.startswith(f"/nowhere?country=SEN&indicator=inflation&lang={other}")


def test_the_router_shows_the_not_found_page_for_a_link_followed_in_the_app(client):
    """Dash's own router (a dcc.Link to a dead address) renders the same page, not Dash's English "404"."""
    client.get("/")
    body = {"output": "..{}.children...{}.data..".format("_pages_content", "_pages_store"),
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/ancienne-page"},
                       {"id": "_pages_location", "property": "search", "value": "?lang=pt"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "Página não encontrada" in text and "/ancienne-page" in text and "404 - Page not found" not in text
    assert response.get_json()["response"]["_pages_store"]["data"]["title"].startswith("Página não encontrada")


def test_a_path_that_names_another_site_stays_a_path(app):
    """The language switch links to the address asked for: "//evil.example" must not become a link to another site."""
    from dashboard.pages import not_found_404

    with app.server.test_request_context("/", environ_overrides={"PATH_INFO": "//evil.example/x"}):
        assert not_found_404.requested_path() == "/evil.example/x"
        page = not_found_404.layout(lang="en")
    assert find(page, ids.lang_link("fr")).href.startswith("/evil.example/x?")
    with app.server.test_request_context("/" + "a" * 5000):
        assert len(not_found_404.requested_path()) <= not_found_404.MAX_PATH + 1


def test_analyst_sign_in(app, call_callback, monkeypatch):
    monkeypatch.setenv("ECON_API_TOKEN", "s3cret-token")
    get_settings.cache_clear()
    refused = call_callback("sign_in", 1, None, "wrong", "fr")
    assert refused[ids.SIGNIN_STATUS]["children"] == t("Jeton refusé.", "fr")
    accepted = call_callback("sign_in", 1, None, "s3cret-token", "en")
    assert "Signed in: admin" in json.dumps(accepted[ids.RERUN_PANEL]["children"])


def test_rerun_needs_a_signed_in_analyst(call_callback):
    out = call_callback("issue_ticket", 1, "all", "fr")
    assert out[ids.SIGNIN_STATUS]["children"] == t("Relancer les projections est réservé aux analystes connectés.", "fr")


def test_rerun_job_refuses_a_forged_ticket():
    from dashboard.pages.analyst import run_job

    assert run_job("sqlite://", "key", "forged", "en", lambda p: None) == \
        "Rerunning forecasts is for signed-in analysts."


def test_secret_key_is_shared_by_every_worker():
    settings = get_settings()
    assert secret_key(settings) == secret_key(settings)


def test_two_apps_in_one_process(store):
    first, second = create_app(store), create_app(store)
    for app in (first, second):
        assert app.server.test_client().get("/?lang=en").status_code == 200


def test_an_english_link_is_english_from_the_first_byte(client):
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)


def test_jobs_run_on_disk_by_default_and_on_celery_when_configured(tmp_path):
    from dash import CeleryManager, DiskcacheManager

    from dashboard.jobs import manager
    from econ.config import Settings

    assert isinstance(manager(Settings(home=tmp_path)), DiskcacheManager)
    assert (tmp_path / "cache" / "dash").is_dir()
    celery = manager(Settings(home=tmp_path, celery_broker_url="redis://127.0.0.1:6379/0"))
    assert isinstance(celery, CeleryManager)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_pass_wcag_aa():
    from pathlib import Path

    from econ.charts import COLORS

    css = (Path(__file__).resolve().parents[2] / "dashboard" / "assets" / "style.css").read_text()
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("ink", "bg"), ("muted", "bg"), ("link", "bg"), ("muted", "soft"), ("brand", "bg"),
             ("green-ink", "green-bg"), ("amber-ink", "amber-bg"), ("red-ink", "red-bg")]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg)
    assert contrast("#ffffff", var["brand"]) >= 4.5  # navigation text on the header
    for key in ("history", "projection", "norm", "text", "muted"):  # chart text and lines on white
        assert contrast(COLORS[key], "#ffffff") >= 4.5, key


def test_scenario_page_moves_growth_with_the_gold_path(app, monkeypatch):
    """The page asks the stored run for its gold path and the scenario function for growth (stubbed here:
    the real one needs a fitted growth-on-gold model, the forecast engine's to test)."""
    import pandas as pd

    from dashboard.data import ReadLayer
    from dashboard.pages import scenarios

    monkeypatch.setattr(ReadLayer, "scenario_baseline",
                        lambda self, country: ("gold_production_industrial", {"2025": 60.0, "2026": 62.0}))
    calls = []

    def fake(self, country, path):
        calls.append(path)
        return pd.DataFrame({"period": list(path), "mean": [v / 10 for v in path.values()],
                             "lower_80": 0.0, "upper_80": 9.0, "lower_95": -1.0, "upper_95": 10.0})

    monkeypatch.setattr(ReadLayer, "scenario", fake)
    page = render(app, scenarios, country="MLI", lang="fr")
    labels = [c for c in walk(page) if isinstance(c, html.Label)]
    assert [c.children for c in labels] == ["Production d'or (mines industrielles), 2025 (t)",
                                            "Production d'or (mines industrielles), 2026 (t)"]
    assert labels[0].htmlFor == ids.dom_id(ids.gold_input("2025"))
    with app.server.test_request_context("/"):
        calls.clear()
        figure, alt, note, shown = scenarios.chart("MLI", [70.0, 80.0], ["2025", "2026"], "fr")
    assert calls == [{"2025": 70.0, "2026": 80.0}] and note == "" and shown == calls[0]  # computed once
    scenario = next(trace for trace in figure.data if trace.name.startswith("Scénario"))
    assert scenario.name == f"Scénario (production d'or{NBSP}: 2025{NBSP}70{NBSP}t, 2026{NBSP}80{NBSP}t)"
    assert list(scenario.y[1:]) == [7.0, 8.0]
    assert f"Scénario 2026{NBSP}: 8,0." in alt


@pytest.mark.parametrize(("lang", "words"), [("fr", "Trajectoire refusée\u00a0: 5\u202f000,0 t en 2026 dépasse la limite de 180,0 t"),
                                             ("en", "Path refused: 5,000.0 t in 2026 is above the limit of 180.0 t")])
def test_scenario_page_says_why_a_gold_path_is_refused(app, monkeypatch, lang, words):
    from dashboard.data import ReadLayer
    from dashboard.pages import scenarios
    from econ.forecast.scenario import ScenarioPathError

    def refuse(self, country, path):
        raise ScenarioPathError("above", "2026", 5000.0, limit=180.0, record=60.0)

    monkeypatch.setattr(ReadLayer, "scenario", refuse)
    with app.server.test_request_context("/"):
        _, _, note, shown = scenarios.chart("MLI", [60.0, 5000.0], ["2025", "2026"], lang)
        links = [a.href for a in walk(scenarios.downloads("MLI", shown, lang)) if isinstance(a, html.A)]
    assert note.startswith(words)
    assert links and not any("gold=" in link for link in links)  # the files are the chart shown: the run's


@pytest.mark.filterwarnings("ignore::celery.exceptions.DuplicateTaskNameWarning")  # Dash 4.4 registers a
# background callback's job on Celery twice (at the callback and at the first request), same function both times
def test_with_a_broker_the_rerun_is_a_celery_task(store, tmp_path):
    from dash import CeleryManager

    from dashboard.jobs import celery_app
    from econ.config import Settings

    url = "redis://127.0.0.1:6379/0"  # nothing connects to it while the app is built
    app = create_app(store, Settings(home=tmp_path, celery_broker_url=url))
    assert isinstance(app._background_manager, CeleryManager)
    app.server.test_client().get("/analyst")  # Dash registers its background callbacks on first request
    assert any("rerun" in name or "background" in name for name in celery_app(url).tasks), list(celery_app(url).tasks)


def test_scenario_callback_sends_download_links_carrying_the_gold_path(app, client, monkeypatch):
    """PNG, SVG, PDF, CSV and Excel links follow the path typed in, as ``gold=year:tonnes,...``."""
    from urllib.parse import parse_qs, urlsplit

    import pandas as pd

    from dashboard.data import ReadLayer

    def fake(engine, country, path, run_id=None):
        return pd.DataFrame({"period": list(path), "mean": [v / 10 for v in path.values()], "lower_80": 0.0,
                             "upper_80": 9.0, "lower_95": -1.0, "upper_95": 10.0})

    monkeypatch.setattr("econ.forecast.scenario", fake)  # the download route's
    monkeypatch.setattr(ReadLayer, "scenario", lambda self, country, path: fake(None, country, path))  # the page's
    client.get("/")
    key, spec = next((k, v) for k, v in app.callback_map.items()
                     if getattr(v.get("callback"), "__name__", None) == "update_scenario")
    gold = [ids.gold_input("2025"), ids.gold_input("2026")]
    body = {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [[{"id": g, "property": "value", "value": v} for g, v in zip(gold, (70, 80.5))],
                   {"id": ids.VIEWPORT, "property": "data", "value": None}],
        "state": [[{"id": g, "property": "id", "value": g} for g in gold],
                  {"id": ids.COUNTRY, "property": "value", "value": "MLI"},
                  {"id": ids.PAGE_LANG, "property": "data", "value": "en"}],
        "changedPropIds": [json.dumps(gold[0], separators=(",", ":"), sort_keys=True) + ".value"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    links = re.findall(r'"href": ?"([^"]+)"', json.dumps(response.get_json()["response"][ids.SCENARIO_DOWNLOADS]))
    assert [parse_qs(urlsplit(h).query)["format"][0] for h in links] == ["png", "svg", "pdf", "csv", "xlsx"]
    for href in links:
        query = parse_qs(urlsplit(href).query)
        assert query["gold"] == ["2025:70,2026:80.5"] and query["indicator"] == ["gdp_growth"]
        assert query["country"] == ["MLI"] and query["lang"] == ["en"]
    data = client.get(links[3])  # the CSV link serves the scenario's figures
    assert data.status_code == 200 and b"scenario" in data.data and b"8.05" in data.data
