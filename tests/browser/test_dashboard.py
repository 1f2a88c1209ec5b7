"""The dashboard in headless Chromium: country and language switches, shared links, a PNG download,
keyboard use, the compact chart on a phone and the analyst's background rerun. Every page in every
language and width, with its screenshot and accessibility check, is in ``test_reading.py``."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

def open_page(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("main h1")
    page.wait_for_load_state("networkidle")


def choose(page: Page, key: str, option: str) -> None:
    """Picks an option of one of our dropdowns (Dash 4's dropdown is a button and a listbox)."""
    page.click(f"#control-{key} button")
    page.locator("[role=listbox] [role=option]", has_text=option).first.click()


def test_switching_country_updates_the_cards_and_the_url(page: Page, errors):
    open_page(page, "/?country=MLI&lang=fr")
    expect(page.locator("#overview-cards")).to_contain_text("Production d'or")
    choose(page, "country", "Sénégal")
    expect(page).to_have_url(re.compile(r"country=SEN"))
    expect(page.locator("#overview-cards")).not_to_contain_text("48,2")  # Mali's gold
    nav = page.locator("nav a", has_text="Indicateur")
    expect(nav).to_have_attribute("href", re.compile(r"country=SEN"))
    nav.click()
    expect(page.locator("main h1")).to_have_text("Indicateur")
    expect(page.locator("#indicator-chart .gtitle")).to_contain_text("Sénégal")
    assert not errors, errors


def test_switching_language_keeps_the_view(page: Page):
    open_page(page, "/indicator?country=SEN&indicator=gdp_growth&lang=fr")
    expect(page.locator("#indicator-chart .gtitle")).to_contain_text("Croissance du PIB réel — Sénégal")
    page.click("a.lang:has-text('EN')")
    expect(page.locator("main h1")).to_have_text("Indicator")
    expect(page.locator("#indicator-chart .gtitle")).to_contain_text("Real GDP growth — Senegal")
    expect(page).to_have_url(re.compile(r"lang=en"))
    assert page.evaluate("document.documentElement.lang") == "en"


def test_the_modebar_speaks_french_and_has_no_cloud_button(page: Page):
    open_page(page, "/indicator?country=MLI&indicator=inflation&lang=fr")
    page.hover("#indicator-chart .plot-container")
    buttons = page.locator("#indicator-chart .modebar-btn")
    titles = [buttons.nth(i).get_attribute("data-title") for i in range(buttons.count())]
    assert "Télécharger le graphique en PNG" in titles, titles
    assert not [t for t in titles if t and ("cloud" in t.lower() or "Chart Studio" in t)]
    tick = page.locator("#indicator-chart .ytick text").first.text_content()
    assert "." not in tick  # French decimals, no "2,021.5" years either


def test_a_shared_link_opens_the_same_view(page: Page, browser):
    open_page(page, "/indicator?country=MLI&indicator=inflation&lang=en")
    choose(page, "country", "Senegal")
    choose(page, "indicator", "Real GDP growth")
    expect(page.locator("#indicator-chart .gtitle")).to_contain_text("Real GDP growth — Senegal")
    shared = page.url
    assert "country=SEN" in shared and "indicator=gdp_growth" in shared and "lang=en" in shared
    other = browser.new_page()
    try:
        other.goto(shared)
        expect(other.locator("#indicator-chart .gtitle")).to_contain_text("Real GDP growth — Senegal")
        expect(other.locator("#control-country button")).to_contain_text("Senegal")
    finally:
        other.close()


def test_a_past_vintage_is_in_the_url(page: Page):
    open_page(page, "/indicator?country=MLI&indicator=inflation&lang=fr&vintage=2000-01-01")
    expect(page.locator("#control-vintage button")).to_contain_text("1er janvier 2000")
    expect(page.locator("#indicator-chart-alt")).not_to_contain_text("Dernière valeur")


def test_download_png(page: Page, base_url):
    open_page(page, "/indicator?country=MLI&indicator=inflation&lang=fr")
    link = page.locator("#indicator-downloads a[data-format=png]")
    if link.count() == 0:
        pytest.skip("the /download/chart route is not mounted (dashboard.downloads absent)")
    with page.expect_download(timeout=60_000) as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:40]
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1000 and height >= 500 and len(data) > 30_000, (width, height, len(data))


def test_keyboard_alone_changes_the_country(page: Page):
    open_page(page, "/?country=MLI&lang=fr")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content"))
    page.keyboard.press("Tab")
    assert "dash-dropdown" in page.evaluate("document.activeElement.className")
    page.keyboard.press("Enter")
    expect(page.locator("[role=listbox]")).to_be_visible()
    page.wait_for_function("document.activeElement.value === 'MLI'")  # focus lands on the chosen option
    for code in ("NER", "SEN"):  # the list opens on Mali; two steps down is Sénégal
        page.keyboard.press("ArrowDown")
        page.wait_for_function(f"document.activeElement.value === '{code}'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"country=SEN"))
    expect(page.locator("#control-country button")).to_contain_text("Sénégal")


def test_phones_get_the_compact_chart(page: Page):
    page.set_viewport_size({"width": 375, "height": 800})
    open_page(page, "/indicator?country=MLI&indicator=inflation&lang=fr")
    expect(page.locator("#indicator-chart .gtitle")).to_contain_text("Mali")
    box = page.locator("#indicator-chart .main-svg").first.bounding_box()
    assert box["width"] <= 375
    legend = page.locator("#indicator-chart .legend").bounding_box()
    title = page.locator("#indicator-chart .gtitle").bounding_box()
    assert legend["y"] >= title["y"] + title["height"]  # the legend does not cover the title


def fake_run_forecasts(engine, countries=None, indicators=None, horizon=3, as_of=None, progress=None, **_):
    """Stands in for the real engine (minutes of statsmodels): reports progress, then a run id."""
    import time

    for done in range(1, 4):
        time.sleep(0.3)
        if progress:
            progress(done, 3, f"{(countries or ['MLI'])[0]}/inflation")
    return 4242


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")  # Dash's
# DiskcacheManager forks the server process for the job; the test's threads (server, Playwright) are idle then.
def test_an_analyst_signs_in_and_reruns_in_the_background(page: Page, monkeypatch):
    import econ.forecast
    from econ.config import get_settings

    monkeypatch.setenv("ECON_API_TOKEN", "browser-test-token")
    get_settings.cache_clear()
    monkeypatch.setattr(econ.forecast, "run_forecasts", fake_run_forecasts)
    open_page(page, "/analyst?lang=en")
    page.fill("#analyst-token", "not-the-token")
    page.click("#analyst-signin")
    expect(page.locator("#analyst-status")).to_have_text("Token refused.")
    page.fill("#analyst-token", "browser-test-token")
    page.keyboard.press("Enter")
    expect(page.locator("#rerun-panel")).to_contain_text("Signed in: admin")
    page.click("#rerun-button")
    expect(page.locator("#rerun-progress-label")).to_contain_text("/3", timeout=20_000)
    expect(page.locator("#rerun-result")).to_have_text("Run #4242 stored.", timeout=30_000)
    page.reload()
    expect(page.locator("#rerun-panel")).to_contain_text("Signed in: admin")  # the session cookie keeps it
