"""The search interface in real Chromium (issue 21): words that become filters (chips), results
grouped residents first with the facts a coach acts on, suggestions instead of dead ends,
facets that never wrap and never lead to nothing, the province page's layout on a phone, the
status line, the keyboard, axe, and the page without JavaScript.

Uses the fixture site (tests/fixtures/kaart) with its real search indexes, served on
127.0.0.1; helpers from test_search_browser.py.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .browser import axe_violations, open_page, serve_directory
from .test_search_browser import (
    SEARCH,
    checkbox,
    chosen,
    generate_activities,
    open_filters,
    ready,
    status,
    tab_until,
    titles,
    wait_status,
)

pytestmark = pytest.mark.browser

PROVINCE = "index.html"


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def ask(page, text: str, expected_status: str) -> list[str]:
    """Type ``text`` in the search field and wait for exactly ``expected_status``."""
    page.locator("input[name=q]").fill(text)
    page.wait_for_function("(t) => document.querySelector('[data-zoek-status]').textContent === t",
                           arg=expected_status)
    return titles(page)


def wait_exact(page, text: str) -> None:
    page.wait_for_function("(t) => document.querySelector('[data-zoek-status]').textContent === t",
                           arg=text)


def groups(page) -> list[str]:
    return page.locator("[data-zoek-resultaten] [data-groep]").evaluate_all(
        "els => els.map(e => e.dataset.groep)")


# --------------------------------------------------------------------------- words -> filters


@pytest.mark.parametrize("text, chips, expected_status, expected", [
    ("gratis", ["Kosten: Gratis"], "2 resultaten met Kosten: Gratis.",
     {"Koffie-inloop in De Brug", "Taalcafé"}),
    ("di", ["Dag: Dinsdag"], "1 resultaat met Dag: Dinsdag.", {"Koffie-inloop in De Brug"}),
    ("Ochtend", ["Deel van de dag: Ochtend"], "1 resultaat met Deel van de dag: Ochtend.",
     {"Koffie-inloop in De Brug"}),
    ("oost", ["Kern of wijk: Oost"], "3 resultaten met Kern of wijk: Oost.",
     {"Koffie-inloop in De Brug", "Samen eten in de buurtkamer", "Buurthuis De Brug"}),
    ("senioren", ["Voor wie: Ouderen (55+)"], "3 resultaten met Voor wie: Ouderen (55+).",
     {"Digicafé", "Koffie-inloop in De Brug", "Wandelgroep Samen op Pad"}),
    ("55+", ["Voor wie: Ouderen (55+)"], "3 resultaten met Voor wie: Ouderen (55+).",
     {"Digicafé", "Koffie-inloop in De Brug", "Wandelgroep Samen op Pad"}),
    ("dinsdagochtend", ["Dag: Dinsdag", "Deel van de dag: Ochtend"],
     "1 resultaat met Dag: Dinsdag en Deel van de dag: Ochtend.", {"Koffie-inloop in De Brug"}),
    ("gratis koffie dinsdag", ["Dag: Dinsdag", "Kosten: Gratis"],
     "1 resultaat voor ‘koffie’ met Dag: Dinsdag en Kosten: Gratis.", {"Koffie-inloop in De Brug"}),
    # A little word leading into a filter word goes with it ("voor ouderen", "op dinsdag").
    ("computer voor ouderen", ["Voor wie: Ouderen (55+)"],
     "1 resultaat voor ‘computer’ met Voor wie: Ouderen (55+).", {"Digicafé"}),
    ("koffie op dinsdag in oost", ["Dag: Dinsdag", "Kern of wijk: Oost"],
     "1 resultaat voor ‘koffie’ met Dag: Dinsdag en Kern of wijk: Oost.", {"Koffie-inloop in De Brug"}),
])
def test_words_become_filters_shown_as_chips(search_page, text: str, chips: list[str],
                                            expected_status: str, expected: set[str]) -> None:
    found = ask(search_page, text, expected_status)
    assert set(found) == expected
    assert chosen(search_page) == chips
    # The URL keeps what was typed, so a shared link means the same; the boxes are ticked.
    assert query(search_page) == {"q": [text]}
    for chip in chips:
        facet_label, value = chip.split(": ", 1)
        box = search_page.locator("fieldset", has=search_page.locator(f"legend:text-is('{facet_label}')"))
        assert box.locator("label", has_text=value).locator("input").is_checked()


def test_words_in_quotes_stay_words(search_page) -> None:
    found = ask(search_page, '"oost"', "3 resultaten voor ‘\"oost\"’.")
    assert chosen(search_page) == [] and "Buurthuis De Brug" in found


def test_words_another_vocabulary_uses_stay_words(search_page) -> None:
    # "mantelzorg" is a theme as well as a synonym of Mantelzorgers: it is searched for.
    ask(search_page, "mantelzorg", "Geen resultaten voor ‘mantelzorg’. Probeer een ander woord of "
                                   "kies een thema.")
    assert chosen(search_page) == []


@pytest.mark.parametrize("day, today, tomorrow, found_today", [
    (datetime(2026, 11, 24, 10, 0), "Dinsdag", "Woensdag", ["Koffie-inloop in De Brug"]),
    (datetime(2026, 11, 28, 10, 0), "Zaterdag", "Zondag", []),
])
def test_today_and_tomorrow_are_the_visitors_weekday(site_server: str, browser, day: datetime,
                                                     today: str, tomorrow: str,
                                                     found_today: list[str]) -> None:
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.clock.set_fixed_time(day)
        page.goto(f"{site_server}/{SEARCH}?q=vandaag")
        ready(page)
        wait_status(page, "Dag: " + today)
        assert chosen(page) == [f"Dag: {today} (vandaag)"]
        assert titles(page) == found_today
        page.locator("input[name=q]").fill("morgen")
        wait_status(page, "Dag: " + tomorrow)
        assert chosen(page) == [f"Dag: {tomorrow} (morgen)"]
        assert query(page) == {"q": ["morgen"]}  # a shared link means the reader's tomorrow
    finally:
        context.close()


def test_removing_a_chip_removes_its_word_and_back_restores_it(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{SEARCH}?q=gratis+koffie+dinsdag") as page:
        ready(page)
        wait_exact(page, "1 resultaat voor ‘koffie’ met Dag: Dinsdag en Kosten: Gratis.")
        page.get_by_role("button", name="Kosten: Gratis").click()
        wait_exact(page, "1 resultaat voor ‘koffie’ met Dag: Dinsdag.")
        assert page.locator("input[name=q]").input_value() == "koffie dinsdag"
        assert query(page) == {"q": ["koffie dinsdag"]}
        assert chosen(page) == ["Dag: Dinsdag"]
        # Unticking the box of a word's filter removes the word too.
        open_filters(page)
        checkbox(page, "dag", "dinsdag").uncheck()
        wait_status(page, "5 resultaten voor ‘koffie’.")
        assert page.locator("input[name=q]").input_value() == "koffie"
        assert chosen(page) == []
        page.go_back()
        wait_exact(page, "1 resultaat voor ‘koffie’ met Dag: Dinsdag.")
        assert page.locator("input[name=q]").input_value() == "koffie dinsdag"
        page.go_back()
        wait_status(page, "1 resultaat voor ‘koffie’ met Dag: Dinsdag en Kosten: Gratis.")
        assert chosen(page) == ["Dag: Dinsdag", "Kosten: Gratis"]


def test_province_reads_a_gemeente_name_as_the_gemeente_filter(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{PROVINCE}?q=huis+heuveldorp") as page:
        ready(page)
        wait_status(page, "voor ‘huis’ met Gemeente: Heuveldorp")
        assert chosen(page) == ["Gemeente: Heuveldorp"]
        assert "Dorpshuis De Linde" in titles(page) and "Buurthuis De Brug" not in titles(page)


# --------------------------------------------------------------------------- results


def test_results_are_grouped_residents_first(search_page, site_server: str, browser) -> None:
    search_page.locator("input[name=q]").fill("huis")
    wait_status(search_page, "‘huis’")
    # 'huis' is in 'buurthuis' and 'buurtkamer ... huiskamer'; Welzijn Vechtstad's page lists
    # the Koffie-inloop in De Brug (buurthuis): every group, residents first.
    assert groups(search_page) == ["bewoners", "organisaties", "praktijken"]
    headings = search_page.locator(".zoekgroep-kop").all_inner_texts()
    assert headings == ["Activiteiten en plekken (3)", "Organisaties (1)",
                        "Voorbeelden voor professionals (1)"]
    search_page.locator("input[name=q]").fill("koffie")
    wait_status(search_page, "‘koffie’")
    assert groups(search_page) == ["bewoners", "organisaties"]
    with open_page(browser, f"{site_server}/{PROVINCE}?q=recept") as page:
        ready(page)
        wait_status(page, "‘recept’")
        order = groups(page)
        assert order == [g for g in ["bewoners", "organisaties", "praktijken"] if g in order]
        assert "praktijken" in order
        kinds = {"bewoners": {"Activiteit", "Plek"}, "organisaties": {"Organisatie"},
                 "praktijken": {"Voorbeeld uit de praktijk"}}
        for group in order:
            facts = page.locator(f"[data-groep='{group}'] .resultaat-soort").all_inner_texts()
            assert facts and {f.split(" · ")[0] for f in facts} <= kinds[group], (group, facts)


def test_result_card_has_when_where_cost_contact_and_mijn_lijstje(site_server: str,
                                                                   browser) -> None:
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        # Mijn lijstje (lijstje.js) enriches cards added later: record what it is handed, and
        # pass it on to the real one.
        page.add_init_script("""(() => { let real;
          Object.defineProperty(window, "MijnLijstje", {configurable: true, get: () => real,
            set: (v) => { real = {verrijk: (el) => {
              (window.verrijkt = window.verrijkt || []).push(el); return v.verrijk(el); }}; }});
        })();""")
        page.goto(f"{site_server}/{SEARCH}?q=koffie")
        ready(page)
        wait_status(page, "‘koffie’")
        card = page.locator("[data-zoek-resultaten] .resultaat").first
        facts = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts(),
                         strict=True))
        assert facts == {"Wanneer": "Elke dinsdag, 10.00–11.30 uur. Niet op 29 december.",
                         "Waar": "Buurthuis De Brug (Oost)", "Kosten": "Gratis",
                         "Contact": "0523 123 456, coach@welzijn-vechtstad.example.nl"}
        assert card.get_by_role("link", name="0523 123 456").get_attribute("href") == "tel:0523123456"
        assert card.get_by_role("link", name="coach@welzijn-vechtstad.example.nl").get_attribute(
            "href") == "mailto:coach@welzijn-vechtstad.example.nl"
        assert json.loads(card.get_attribute("data-lijstje-item")) == {
            "url": "/vechtstad/activiteiten/koffie-inloop/", "titel": "Koffie-inloop in De Brug",
            "gemeente": "vechtstad"}
        # Every activity card, and only those, is handed to Mijn lijstje once it is shown.
        enriched = page.evaluate("window.verrijkt.map(e => e.querySelector('a').textContent)")
        activities = page.locator("[data-zoek-resultaten] .resultaat[data-lijstje-item] "
                                  ".resultaat-titel").all_inner_texts()
        assert enriched == activities and len(activities) == 2
        assert page.locator("[data-groep='organisaties'] [data-lijstje-item]").count() == 0
        # The schedule is worded as on the activity's own page.
        card.locator("a").first.click()
        page.wait_for_url("**/activiteiten/koffie-inloop/")
        lines = page.locator(".tijden li").all_inner_texts()
        assert " ".join(lines).startswith(facts["Wanneer"].split(".")[0])
    finally:
        context.close()


def test_more_results_per_group_by_keyboard(browser, tmp_path: Path, fixture_content: Path) -> None:
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    content = tmp_path / "content"
    shutil.copytree(fixture_content, content)
    generate_activities(content, "vechtstad", 25)
    out = tmp_path / "public"
    result = build(BuildOptions(content=content, out=out, gemeenten=["vechtstad"], today=TODAY,
                                now=NOW))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    with serve_directory(out) as base, open_page(browser, f"{base}/{SEARCH}?q=elke+week") as page:
        ready(page)
        wait_status(page, "‘elke week’")
        total = int(status(page).split()[0])
        assert total > 20
        residents = "[data-groep='bewoners'] .resultaat"
        assert page.locator(residents).count() == 10
        tab_until(page, "e.dataset && e.dataset.zoekMeer === 'bewoners'")
        eleventh = None
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.querySelectorAll(\"{residents}\").length === 20")
        eleventh = page.locator(residents).nth(10).locator("a").first.inner_text()
        # Focus moves to the first new result, so keyboard users read on from there.
        assert page.evaluate("document.activeElement.textContent") == eleventh


# --------------------------------------------------------------------------- never a dead end


def test_no_results_offers_the_province_and_the_themes(search_page, site_server: str) -> None:
    ask(search_page, "linde", "Geen resultaten voor ‘linde’. In alle gemeenten: 2 resultaten.")
    further = search_page.locator("[data-zoek-verder]")
    link = further.get_by_role("link", name="Bekijk 2 resultaten voor ‘linde’ in alle gemeenten")
    assert link.get_attribute("href") == "../../?q=linde"
    assert further.get_by_role("link", name="Ontmoeten (4)").is_visible()
    # And whom to ask: the gemeente's loket, with its hours and a number to call.
    help_ = further.locator("[data-zoek-loket-hulp]")
    assert " ".join(help_.inner_text().split()) == (
        "Liever iemand spreken? Sociaal loket Vechtstad helpt u verder. Bereikbaar: Elke maandag "
        "tot en met vrijdag, 9.00–12.30 uur. Telefoon: 0523 123 456 "
        "E-mail: loket@welzijn-vechtstad.example.nl")
    assert help_.get_by_role("link", name="0523 123 456").get_attribute("href") == "tel:0523123456"
    assert help_.locator("h1, h2, h3, h4, h5, h6").count() == 0  # below the block's own heading
    link.click()
    search_page.wait_for_url(f"{site_server}/?q=linde")
    ready(search_page)
    wait_status(search_page, "2 resultaten voor ‘linde’")


@pytest.mark.parametrize("path, expected", [
    (PROVINCE, [("Kies uw gemeente", "#kop-gemeenten"),
                ("Kijk in de kennisbank", "kennisbank/")]),
    ("kennisbank/index.html", [("Bekijk alle praktijken", "#kop-alle"),
                               ("Zoek dit bij de activiteiten in alle gemeenten", "../?q=zzzz")]),
])
def test_no_results_on_the_province_and_kennisbank_pages_points_on(site_server: str, browser, path: str,
                                                                    expected) -> None:
    with open_page(browser, f"{site_server}/{path}?q=zzzz") as page:
        ready(page)
        wait_status(page, "Geen resultaten voor ‘zzzz’.")
        page.wait_for_selector("[data-zoek-verder]:not([hidden])")
        links = page.locator("[data-zoek-verder] a")
        assert [(a.inner_text(), a.get_attribute("href")) for a in links.all()] == expected
        assert "Probeer een ander woord" not in page.locator("[data-zoek-verder]").inner_text()


def test_no_results_says_which_filter_to_remove(search_page) -> None:
    ask(search_page, "westerdorp dinsdag",
        "Geen resultaten met Dag: Dinsdag en Kern of wijk: Westerdorp. Zonder Dag: Dinsdag: "
        "1 resultaat. Zonder Kern of wijk: Westerdorp: 1 resultaat.")
    further = search_page.locator("[data-zoek-verder]")
    assert further.locator("button").all_inner_texts() == [
        "Haal ‘Dag: Dinsdag’ weg: 1 resultaat", "Haal ‘Kern of wijk: Westerdorp’ weg: 1 resultaat"]
    # By keyboard: Tab to the suggestion, Enter takes the filter away.
    tab_until(search_page, "e.dataset && e.dataset.zonder === 'dag:dinsdag'")
    search_page.keyboard.press("Enter")
    wait_status(search_page, "1 resultaat met Kern of wijk: Westerdorp.")
    assert titles(search_page) == ["Wandelgroep Samen op Pad"]
    assert search_page.locator("input[name=q]").input_value() == "westerdorp"
    assert further.is_hidden()


def test_no_results_offers_a_filter_word_as_a_word(search_page) -> None:
    ask(search_page, "wandelen iedereen",
        "Geen resultaten voor ‘wandelen’ met Voor wie: Iedereen. Zonder Voor wie: Iedereen: "
        "2 resultaten. Met ‘iedereen’ als zoekwoord: 1 resultaat.")
    search_page.get_by_role("button", name="Zoek op het woord ‘iedereen’: 1 resultaat").click()
    wait_status(search_page, "1 resultaat voor ‘wandelen \"iedereen\"’.")
    assert chosen(search_page) == []


def test_hand_chosen_filters_are_offered_for_removal_too(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{SEARCH}?q=koffie&thema=Bewegen+en+sport&kosten=gratis") as page:
        ready(page)
        wait_status(page, "Geen resultaten")
        labels = page.locator("[data-zoek-verder] button").all_inner_texts()
        assert labels == ["Haal ‘Thema: Bewegen en sport’ weg: 1 resultaat",
                          "Haal ‘Kosten: Gratis’ weg: 1 resultaat"]


# --------------------------------------------------------------------------- facets


COUNTS_ON_ONE_LINE = """() => [...document.querySelectorAll('[data-zoek-filters] .aantal')]
  .filter(e => e.offsetParent !== null).map(e => {
    const rects = e.getClientRects();
    const label = e.parentNode.firstChild;  // the label's text node
    const range = document.createRange(); range.selectNodeContents(label);
    const lines = range.getClientRects(); const last = lines[lines.length - 1];
    return {text: e.parentNode.textContent, rects: rects.length,
            sameLine: Math.abs(last.top - rects[0].top) < 2};
  })"""


@pytest.mark.parametrize("path, width", [(SEARCH, 1280), (SEARCH, 375), (PROVINCE, 1280),
                                         (PROVINCE, 375)])
def test_counts_never_wrap(site_server: str, browser, path: str, width: int) -> None:
    with open_page(browser, f"{site_server}/{path}", width=width) as page:
        ready(page)
        open_filters(page)
        measured = page.evaluate(COUNTS_ON_ONE_LINE)
    assert len(measured) > 10
    broken = [m for m in measured if m["rects"] != 1 or not m["sameLine"]]
    assert broken == [], broken


def test_values_without_results_are_hidden(search_page) -> None:
    ask(search_page, "gratis", "2 resultaten met Kosten: Gratis.")
    visible = search_page.locator("[data-zoek-filters] label:visible").all_inner_texts()
    assert visible and all("(0)" not in text for text in visible), visible
    assert checkbox(search_page, "thema", "Bewegen en sport").is_hidden()
    assert checkbox(search_page, "thema", "Ontmoeten").is_visible()
    # A filter with nothing left is hidden as a whole.
    assert search_page.locator("fieldset[data-facet='plek']").is_hidden()
    # A chosen value stays, with its count, so it can be unticked.
    search_page.goto(search_page.url.split("?")[0] + "?q=gratis&thema=Bewegen+en+sport")
    ready(search_page)
    wait_status(search_page, "Geen resultaten")
    assert checkbox(search_page, "thema", "Bewegen en sport").is_visible()


# --------------------------------------------------------------------------- province page


def test_province_page_on_a_phone_chooser_and_search_first(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{PROVINCE}", width=375, height=800) as page:
        ready(page)
        field = page.locator("input[name=q]").bounding_box()
        chooser = page.locator("#kop-gemeenten").bounding_box()
        assert field and chooser and field["y"] < chooser["y"] < 800  # both on the first screen
        assert page.locator("[data-zoek-filters] input[type=checkbox]:visible").count() == 0
        assert page.locator("[data-zoek-filters-blok]").get_attribute("open") is None
        # By keyboard: the folded filters open with Enter, and a value is chosen with Space.
        tab_until(page, "e.tagName === 'SUMMARY'")
        page.keyboard.press("Enter")
        assert page.locator("[data-zoek-filters-blok]").get_attribute("open") is not None
        tab_until(page, "e.type === 'checkbox' && e.name === 'gemeente' && e.value === 'Heuveldorp'")
        page.keyboard.press("Space")
        wait_status(page, "met Gemeente: Heuveldorp")
        assert page.locator("summary").inner_text() == "Filters (1 gekozen)"
        # Results come before the chooser.
        results = page.locator("[data-zoek-resultaten]").bounding_box()
        chooser = page.locator("#kop-gemeenten").bounding_box()
        assert results and chooser and results["y"] < chooser["y"]
        violations = axe_violations(page)
    assert violations == [], violations


def test_province_page_on_a_wide_screen_chooser_near_the_top(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{PROVINCE}", width=1280) as page:
        ready(page)
        chooser = page.locator("#kop-gemeenten").bounding_box()
        assert chooser and chooser["y"] < 900
        assert page.locator("[data-zoek-filters] input[type=checkbox]:visible").count() == 0


# --------------------------------------------------------------------------- status line


def test_status_waits_for_a_pause_in_typing(site_server: str, browser) -> None:
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.clock.install()  # the page's timers run only when the test says so
        page.goto(f"{site_server}/{SEARCH}")
        ready(page)
        page.evaluate("""() => { window.statusChanges = [];
            new MutationObserver(() => window.statusChanges.push(
                document.querySelector('[data-zoek-status]').textContent))
              .observe(document.querySelector('[data-zoek-status]'),
                       {childList: true, characterData: true, subtree: true}); }""")
        field = page.locator("input[name=q]")
        field.focus()
        for letter in "koffie":
            page.keyboard.type(letter)
            page.clock.run_for(100)  # a slow typist: under the debounce between keys
        page.clock.run_for(300)  # the search runs, results show ...
        page.wait_for_function("document.querySelectorAll('.resultaat').length === 5")
        assert status(page) == "Typ een zoekwoord of kies een filter."  # ... not yet said
        page.clock.run_for(1000)
        wait_status(page, "5 resultaten voor ‘koffie’.")
        assert page.evaluate("window.statusChanges") == [status(page)]  # said once
        # Pressing Enter says it at once.
        field.fill("koffie gratis")
        field.press("Enter")
        wait_status(page, "1 resultaat voor ‘koffie’ met Kosten: Gratis.")
    finally:
        context.close()


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("path, width", [
    (f"{SEARCH}?q=linde", 1280), (f"{SEARCH}?q=westerdorp+dinsdag", 375),
    (f"{SEARCH}?q=gratis+koffie", 375), (f"{PROVINCE}?q=recept", 1280),
])
def test_axe_clean_on_chips_groups_and_suggestions(site_server: str, browser, path: str,
                                                   width: int) -> None:
    with open_page(browser, f"{site_server}/{path}", width=width) as page:
        ready(page)
        page.wait_for_function("!document.querySelector('[data-zoek-status]').textContent"
                               ".startsWith('Typ')")
        if "linde" in path or "westerdorp" in path:
            page.wait_for_selector("[data-zoek-verder]:not([hidden])")
        open_filters(page)
        violations = axe_violations(page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert violations == [], violations
    assert scroll_width <= width


# --------------------------------------------------------------------------- without JavaScript


@pytest.mark.parametrize("path", [SEARCH, PROVINCE])
def test_without_javascript_the_page_says_so_and_shows_nothing_dead(site_server: str, browser,
                                                                    path: str) -> None:
    with open_page(browser, f"{site_server}/{path}", javascript=False) as page:
        main = page.locator("main")
        assert "Zoeken werkt alleen met JavaScript" in main.inner_text()
        for selector in ["[data-zoek-form]", "[data-zoek-layout]", "input", "button"]:
            assert main.locator(f"{selector}:visible").count() == 0, selector
        if path == SEARCH:
            assert main.get_by_role("link", name="de agenda").get_attribute("href") == "../agenda/"
            assert main.get_by_role("link", name="Ontmoeten (4)").is_visible()
            assert main.get_by_role("link", name="0523 123 456").is_visible()  # the loket
        else:
            assert main.get_by_role("link", name="Vechtstad").is_visible()


# --------------------------------------------------------------------------- the search engine


FAKE_ENGINE = """
window.geopend = []; window.gezocht = [];
const card = (url, titel, soort, extra) => () => Promise.resolve(Object.assign(
  {url: url, href: 'http://x' + url, titel: titel, soort: soort, samenvatting: 'Kort over ' + titel,
   gemeente: 'Vechtstad', kern: 'Oost', filters: {}}, extra));
const fake = {open: function (options) {
  window.geopend.push(options);
  return {
    totalen: () => Promise.resolve({soort: {activiteit: 5, organisatie: 2}, kosten: {gratis: 2, betaald: 3}}),
    zoek: function (woorden, filters) {
      window.gezocht.push([woorden, filters]);
      return Promise.resolve({totaal: 2, bedoeld: woorden === 'kofie' ? 'koffie' : null, onbekend: [],
        groepen: {bewoners: [{id: 1, url: null, data: card('/activiteiten/a/', 'Engine A', 'activiteit',
                    {wanneer: 'Elke maandag, 10.00 uur.', waar: 'Buurthuis (Oost)', kosten: 'Gratis',
                     lijstje: '{"url": "/vechtstad/activiteiten/a/", "titel": "Engine A", "gemeente": "vechtstad"}'})}],
                  organisaties: [{id: 2, url: null, data: card('/organisaties/o/', 'Engine O', 'organisatie', {})}],
                  praktijken: []},
        filterAantallen: {soort: {activiteit: 1, organisatie: 1}, kosten: {gratis: 2, betaald: 0}}});
    }};
}};
// The page's own zoekmachine.js loads too: the stand-in stays in place.
Object.defineProperty(window, 'Zoekmachine', {configurable: true, get: () => fake, set: () => {}});
"""


def test_zoekin_asks_the_search_engine_when_it_is_loaded(site_server: str, browser) -> None:
    """With window.Zoekmachine (zoekmachine.js) on the page, every search goes to it, in the
    contract's terms (round2-team.md), and the page shows its groups, cards and correction."""
    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.add_init_script(FAKE_ENGINE)
        page.goto(f"{site_server}/{SEARCH}?q=gratis+kofie")
        ready(page)
        wait_status(page, "2 resultaten voor ‘kofie’ met Kosten: Gratis.")
        assert page.evaluate("window.geopend") == [{"bereik": "gemeente", "basis": "../"}]
        assert page.evaluate("window.gezocht") == [["kofie", {"kosten": ["gratis"]}]]
        assert groups(page) == ["bewoners", "organisaties"]
        assert titles(page) == ["Engine A", "Engine O"]
        card = page.locator(".resultaat").first
        assert card.locator("a").first.get_attribute("href") == "../activiteiten/a/"
        facts = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts(),
                         strict=True))
        assert facts == {"Wanneer": "Elke maandag, 10.00 uur.", "Waar": "Buurthuis (Oost)",
                         "Kosten": "Gratis"}
        assert json.loads(card.get_attribute("data-lijstje-item"))["titel"] == "Engine A"
        meant = page.locator("[data-zoek-bedoeld]")
        assert meant.inner_text() == "Bedoelde u koffie?"
        meant.get_by_role("button", name="koffie").click()
        page.wait_for_function("window.gezocht.length === 2")
        assert page.evaluate("window.gezocht[1]") == ["koffie", {}]
        assert page.locator("input[name=q]").input_value() == "koffie"
    finally:
        context.close()
