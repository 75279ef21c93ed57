"""WCAG 2.2 AA with axe-core in real Chromium on the main page types, at desktop and phone width.

Screenshots of every checked page are written to ``screenshots/`` (git-ignored) to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import axe_violations, open_page

PAGES = [
    "vechtstad/index.html",
    "vechtstad/activiteiten/koffie-inloop/index.html",
    "vechtstad/activiteiten/digicafe/index.html",
    "vechtstad/plekken/buurthuis-de-brug/index.html",
    "vechtstad/praktijken/welzijn-op-recept-vechtstad/index.html",
    "vechtstad/boekje/index.html",
    "vechtstad/boekje/ouderen/index.html",
    "vechtstad/boekje/kern/oost/index.html",
    "heuveldorp/boekje/index.html",
    "vechtstad/welzijn-op-recept/index.html",
    "vechtstad/organisaties/welzijn-vechtstad/index.html",
    "vechtstad/themas/ontmoeting/index.html",
    "vechtstad/organisaties/index.html",
    "vechtstad/agenda/index.html",
    "vechtstad/lijstje/index.html",
    "lijstje/index.html",
    "vechtstad/over/index.html",
    "vechtstad/wat-is-welzijn-op-recept/index.html",
    "heuveldorp/activiteiten/dorpsmaaltijd/index.html",
    "over/index.html",
    "index.html",
    "kennisbank/index.html",
    "kennisbank/welzijn-op-recept-vechtstad/index.html",
    "404.html",
]
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_and_screenshot(site_server: str, browser, path: str, width: int) -> None:
    with open_page(browser, f"{site_server}/{path}", width=width) as page:
        violations = axe_violations(page)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path.replace('/', '_')}-{width}.png"), full_page=True)
        # Text reflows: nothing wider than the viewport at phone width (WCAG 1.4.10).
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert violations == [], violations
    assert scroll_width <= width, f"{path} scrolls sideways at {width}px ({scroll_width}px)"


def test_nu_open_is_computed_in_the_browser(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/plekken/buurthuis-de-brug/index.html") as page:
        text = page.locator("[data-nu-open]").inner_text()
    assert text.startswith(("Nu open", "Nu gesloten"))


def test_pages_work_without_javascript(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/index.html", javascript=False) as page:
        page.get_by_role("link", name="Ontmoeten (4)").click()
        page.get_by_role("link", name="Koffie-inloop in De Brug").click()
        assert page.locator("h1").inner_text() == "Koffie-inloop in De Brug"
