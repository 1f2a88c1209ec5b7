"""The Content-Security-Policy in a real browser: every page works under it, and it blocks what it should.

Chromium reports each blocked script, style, image or connection as a console message naming the
"Content Security Policy"; one such message on any page fails the test. The last test checks the
policy is not a dead letter: an inline script injected into a page is refused.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PAGES = ["/?country=MLI", "/indicator?country=MLI&indicator=inflation", "/indicator?country=MLI&indicator=gdp_growth",
         "/convergence", "/data?country=MLI&indicator=inflation", "/scenarios?country=MLI", "/analyst"]


@pytest.fixture
def page(browser, base_url):
    """A page whose context keeps the policy (the other browser tests' contexts bypass it)."""
    context = browser.new_context(base_url=base_url, bypass_csp=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def violations(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: seen.append(str(error)) if "Content Security Policy" in str(error) else None)
    return seen


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_runs_under_the_policy(page: Page, base_url, violations, lang):
    for path in PAGES:
        response = page.goto(path + f"&lang={lang}" if "?" in path else path + f"?lang={lang}")
        assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
        page.wait_for_selector("main h1")
        page.wait_for_load_state("networkidle")
        assert not violations, (path, violations)
        if path.startswith("/indicator"):
            expect(page.locator("#indicator-chart .main-svg").first).to_be_visible(timeout=20_000)
        assert not violations, (path, violations)


def test_an_injected_inline_script_is_refused(page: Page, base_url, violations):
    page.goto("/analyst")
    page.wait_for_selector("main h1")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__injected") is None
    assert any("Content Security Policy" in v for v in violations), violations
