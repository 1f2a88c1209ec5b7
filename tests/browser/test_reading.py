"""Every page in French, English and Portuguese, on a desktop (1280 px) and a phone (375 px): its heading,
tab title and ``<html lang>`` in the page's language, nothing wider than the screen, no console error, no
serious or critical accessibility violation (axe-core), and a screenshot of each kept as a test artefact.
Then what a reader does: switch language, share a scenario, compare members, read monthly inflation."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from dashboard.components.shell import page_name, page_title

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "/?country=MLI",
    "indicator": "/indicator?country=MLI&indicator=inflation",
    "compare": "/compare?countries=MLI,SEN,BFA&indicator=inflation",
    "convergence": "/convergence",
    "data": "/data?country=MLI&indicator=inflation",
    "scenarios": "/scenarios?country=MLI",
    "analyst": "/analyst",
}
WIDTHS = {"desktop": 1280, "phone": 375}


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("main h1")
    page.wait_for_load_state("networkidle")


def with_lang(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["fr", "en", "pt"])
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_in_each_language_and_width(page: Page, errors, shot, axe, base_url, name, lang, width):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    open_page(page, with_lang(PAGES[name], lang))
    page.wait_for_timeout(300)  # a phone's compact chart arrives just after the first paint
    expect(page.locator("main h1")).to_have_text(page_name(name, lang))
    assert page.title() == page_title(name, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than the screen"
    assert requested and all(url.startswith(base_url) for url in requested), "fetched from elsewhere"
    assert not errors, errors
    shot(page, f"{name}_{lang}_{WIDTHS[width]}")
    violations = axe(page)
    assert not violations, violations


def test_the_language_switch_keeps_the_view_and_retitles_the_tab(page: Page):
    open_page(page, "/indicator?country=SEN&indicator=gdp_growth&lang=fr")
    page.click("a.lang:has-text('PT')")
    expect(page.locator("main h1")).to_have_text("Indicador")
    expect(page.locator("#indicator-chart .gtitle")).to_contain_text("Crescimento real do PIB — Senegal")
    expect(page).to_have_url(re.compile(r"lang=pt"))
    expect(page).to_have_title(page_title("indicator", "pt"))
    assert page.evaluate("document.documentElement.lang") == "pt"
    tick = page.locator("#indicator-chart .ytick text").first.text_content()
    assert "." not in tick  # Portuguese decimals


@pytest.fixture
def gold_model(monkeypatch):
    """A growth-on-gold model for Mali: the synthetic run has none (the forecast engine's to test), so the
    read layer's two scenario reads answer as the engine would, growth moving with gold."""
    import pandas as pd

    from dashboard.data import ReadLayer

    monkeypatch.setattr(ReadLayer, "scenario_baseline",
                        lambda self, country: ("gold_production", {"2025": 60.0, "2026": 62.0}))
    monkeypatch.setattr(ReadLayer, "scenario", lambda self, country, path: pd.DataFrame(
        {"period": list(path), "mean": [v / 15 for v in path.values()], "lower_80": 0.0, "upper_80": 9.0,
         "lower_95": -1.0, "upper_95": 10.0}))


def test_a_scenario_link_reopens_the_same_scenario(page: Page, browser, gold_model):
    open_page(page, "/scenarios?country=MLI&lang=en")
    inputs = page.locator("#scenario-inputs input")
    first = inputs.first
    first.fill("77")
    first.press("Tab")
    expect(page).to_have_url(re.compile(r"gold=\d{4}%3A77"))
    shared = page.url
    other = browser.new_page()
    try:
        other.goto(shared)
        other.wait_for_selector("#scenario-inputs input")
        assert other.locator("#scenario-inputs input").first.input_value() == "77"
        href = other.locator("#scenario-downloads a[data-format=csv]").get_attribute("href")
        assert ":77" in parse_qs(urlsplit(href).query)["gold"][0]
    finally:
        other.close()


def test_comparing_members_keeps_the_choice_in_the_url(page: Page, errors):
    open_page(page, "/compare?countries=MLI,SEN&indicator=inflation&lang=fr")
    expect(page.locator("#compare-chart .legendtext", has_text="Sénégal")).to_have_count(1)
    page.get_by_label("Burkina Faso").check()
    expect(page).to_have_url(re.compile(r"countries=MLI%2CSEN%2CBFA|countries=MLI,SEN,BFA"))
    expect(page.locator("#compare-chart .legendtext", has_text="Burkina Faso")).to_have_count(1)
    href = page.locator("#compare-downloads a[data-format=xlsx]").get_attribute("href")
    assert parse_qs(urlsplit(href).query)["countries"] == ["MLI,SEN,BFA"]
    assert not errors, errors


def test_monthly_inflation_under_the_annual_chart(page: Page):
    open_page(page, "/indicator?country=MLI&indicator=inflation&lang=pt")
    expect(page.locator("#indicator-monthly-chart .gtitle")).to_contain_text("Inflação mensal — Mali")
    expect(page.locator("#indicator-monthly-chart .legendtext", has_text="Variação homóloga")).to_have_count(1)


def test_on_a_phone_the_convergence_table_says_it_scrolls_and_keeps_the_country_in_view(page: Page):
    page.set_viewport_size({"width": 375, "height": 800})
    open_page(page, "/convergence?lang=fr")
    expect(page.locator(".scroll-cue").first).to_be_visible()
    position = page.locator(".table.scorecard tbody th").first.evaluate("e => getComputedStyle(e).position")
    assert position == "sticky"
    wider = page.evaluate("[...document.querySelectorAll('.table-scroll')].some(e => e.scrollWidth > e.clientWidth)")
    assert wider  # the inflation table's projections are a swipe away, not lost


def test_a_download_is_named_in_the_pages_language(page: Page):
    open_page(page, "/data?country=MLI&indicator=inflation&lang=pt")
    with page.expect_download(timeout=60_000) as info:
        page.locator("#data-downloads a[data-format=csv]").click()
    assert re.fullmatch(r"econ_MLI_inflacao-media-anual_\d{4}-\d{2}-\d{2}_pt\.csv", info.value.suggested_filename)
