"""The search pages in real Chromium: results as you type, facets, URL state, keyboard, axe.

Uses the fixture site (tests/fixtures/kaart) with its real search indexes, served on
127.0.0.1. Also measures what a first search transfers, on the fixture and on generated
content with 500 activities (target: under 150 kB).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .browser import NetworkLog, axe_violations, open_page, serve_directory

pytestmark = pytest.mark.browser

SEARCH = "vechtstad/zoeken/index.html"
RESULTS = "[data-zoek-resultaten] .resultaat-titel"


# --------------------------------------------------------------------------- helpers


def ready(page) -> None:
    """Wait until zoeken.js loaded the search engine and finished its first search."""
    page.wait_for_selector("[data-zoek-form]:not([hidden])")
    page.wait_for_function("document.querySelector('[data-zoek-status]').textContent !== ''")


def status(page) -> str:
    return page.locator("[data-zoek-status]").inner_text()


def titles(page) -> list[str]:
    return page.locator(RESULTS).all_inner_texts()


def wait_status(page, text: str) -> None:
    page.wait_for_function(
        "(t) => document.querySelector('[data-zoek-status]').textContent.includes(t)", arg=text)


def search(page, query: str) -> list[str]:
    page.locator("input[name=q]").fill(query)
    wait_status(page, f"‘{query}’")
    return titles(page)


def checkbox(page, facet: str, value: str):
    return page.locator(f'fieldset[data-facet="{facet}"] input[value="{value}"]')


def open_filters(page) -> None:
    """Unfold the filters (folded on a phone and on the province page)."""
    if page.locator("[data-zoek-filters-blok]").get_attribute("open") is None:
        page.locator("[data-zoek-filters-blok] > summary").click()


def toggle(page, facet: str, value: str) -> None:
    """Click a filter and wait until the chosen-filter buttons and results follow."""
    open_filters(page)
    before = page.evaluate("document.querySelector('[data-zoek-status]').textContent")
    box = checkbox(page, facet, value)
    box.click()
    page.wait_for_function(
        "(b) => document.querySelector('[data-zoek-status]').textContent !== b", arg=before)


def chosen(page) -> list[str]:
    return [t.replace("×", "").replace("(filter weghalen)", "").strip()
            for t in page.locator("[data-zoek-gekozen] button[data-facet]").all_inner_texts()]


def focused(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return e.tagName + '|' + (e.name || '') + '|' + (e.value || '') + '|' + e.textContent; }""")


def tab_until(page, predicate: str, limit: int = 120) -> None:
    """Press Tab until ``predicate`` (JS, gets the focused element as ``e``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!({predicate}); }})()"):
            return
    raise AssertionError(f"Tab never reached: {predicate}")


@pytest.fixture()
def search_page(site_server: str, browser):
    with open_page(browser, f"{site_server}/{SEARCH}") as page:
        ready(page)
        yield page


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("query, first", [
    ("huis", "Buurthuis De Brug"),          # compound part of "buurthuis"
    ("koffie", "Koffie-inloop in De Brug"),
    ("inloop", "Koffie-inloop in De Brug"),  # second part of a hyphenated compound
    ("wandelen", "Wandelgroep Samen op Pad"),
    ("taal", "Taalcafé"),
    ("computer", "Digicafé"),               # theme synonym, not in the visible text
    ("eten", "Samen eten in de buurtkamer"),
    ("kamer", "Samen eten in de buurtkamer"),  # "buurtkamer" in the title
])
def test_query_puts_expected_entry_first(search_page, query: str, first: str) -> None:
    found = search(search_page, query)
    assert found and found[0] == first, found


@pytest.mark.parametrize("query", ["sporten", "sport", "beweeg", "bewegen"])
def test_sport_words_find_the_walking_group(search_page, query: str) -> None:
    assert "Wandelgroep Samen op Pad" in search(search_page, query)


@pytest.mark.parametrize("query, expected", [
    ("cafe", {"Digicafé", "Taalcafé"}),     # without the accent, as the second part
    ("dorp", set()),                        # heuveldorp content is not in this gemeente
    ("groep", {"Wandelgroep Samen op Pad"}),
])
def test_dutch_matching_finds_compound_parts(search_page, query: str, expected: set[str]) -> None:
    found = set(search(search_page, query))
    assert expected <= found
    if not expected:
        assert "Dorpshuis De Linde" not in found


def test_stopped_activity_never_appears(search_page) -> None:
    assert search(search_page, "koersbal") == []
    assert "Geen resultaten" in status(search_page)
    search_page.locator("input[name=q]").fill("")
    wait_status(search_page, "Typ een zoekwoord")
    toggle(search_page, "thema", "Bewegen en sport")
    assert titles(search_page) == ["Wandelgroep Samen op Pad"]


def test_results_link_to_pages_relative_to_the_gemeente(search_page, site_server: str) -> None:
    search(search_page, "koffie")
    link = search_page.locator(RESULTS + " a").first
    assert link.get_attribute("href") == "../activiteiten/koffie-inloop/"
    link.click()
    search_page.wait_for_url(f"{site_server}/vechtstad/activiteiten/koffie-inloop/")
    assert search_page.locator("h1").inner_text() == "Koffie-inloop in De Brug"


def test_status_announces_the_number_of_results(search_page) -> None:
    live = search_page.locator("[data-zoek-status]")
    assert live.get_attribute("role") == "status"
    search(search_page, "koffie")
    # The number, and per group when there is more than one.
    assert status(search_page) == ("5 resultaten voor ‘koffie’. 3 bij activiteiten en plekken en 2 "
                                   "bij organisaties.")
    assert len(titles(search_page)) == 5
    search_page.locator("input[name=q]").fill("")
    wait_status(search_page, "Typ een zoekwoord")
    toggle(search_page, "kosten", "gratis")
    toggle(search_page, "dag", "dinsdag")
    # The filters are said too.
    assert status(search_page) == "1 resultaat met Dag: Dinsdag en Kosten: Gratis."
    search(search_page, "zzzz")
    assert status(search_page) == ("Geen resultaten voor ‘zzzz’ met Dag: Dinsdag en Kosten: "
                                   "Gratis. Probeer een ander woord of kies een thema.")


# --------------------------------------------------------------------------- facets


def test_two_filters_give_exactly_the_expected_set(search_page) -> None:
    toggle(search_page, "thema", "Ontmoeten")
    toggle(search_page, "doelgroep", "Ouderen (55+)")
    assert sorted(titles(search_page)) == ["Koffie-inloop in De Brug", "Wandelgroep Samen op Pad"]
    assert chosen(search_page) == ["Thema: Ontmoeten", "Voor wie: Ouderen (55+)"]
    query = parse_qs(urlsplit(search_page.url).query)
    assert query == {"thema": ["Ontmoeten"], "doelgroep": ["Ouderen (55+)"]}


def test_values_of_one_filter_combine_with_or(search_page) -> None:
    toggle(search_page, "thema", "Leren en taal")
    toggle(search_page, "doelgroep", "Ouderen (55+)")
    assert titles(search_page) == ["Digicafé"]
    toggle(search_page, "doelgroep", "Nieuwkomers")
    assert sorted(titles(search_page)) == ["Digicafé", "Taalcafé"]


def test_counts_per_value(search_page) -> None:
    def count(facet: str, value: str) -> str:
        return checkbox(search_page, facet, value).locator("xpath=..").locator(".aantal").inner_text()

    assert count("soort", "activiteit") == "(5)"  # not the stopped koersbal
    assert count("soort", "ontmoetingsplek") == "(2)"
    assert count("kosten", "gratis") == "(2)"
    toggle(search_page, "kosten", "gratis")
    assert count("thema", "Ontmoeten") == "(2)"  # gratis and Ontmoeten: koffie-inloop, taalcafé
    assert count("thema", "Bewegen en sport") == "(0)"
    assert count("kosten", "betaald") == "(2)"  # own facet: counted without its own choice
    assert count("dag", "dinsdag") == "(1)"
    assert count("dag", "donderdag") == "(0)"


def test_remove_a_filter_with_its_button(search_page) -> None:
    toggle(search_page, "thema", "Ontmoeten")
    toggle(search_page, "kosten", "gratis")
    assert sorted(titles(search_page)) == ["Koffie-inloop in De Brug", "Taalcafé"]
    button = search_page.get_by_role("button", name="Kosten: Gratis")
    before = status(search_page)
    button.click()
    search_page.wait_for_function(
        "(b) => document.querySelector('[data-zoek-status]').textContent !== b", arg=before)
    assert chosen(search_page) == ["Thema: Ontmoeten"]
    assert not checkbox(search_page, "kosten", "gratis").is_checked()
    assert sorted(titles(search_page)) == ["Koffie-inloop in De Brug", "Samen eten in de buurtkamer",
                                           "Taalcafé", "Wandelgroep Samen op Pad"]
    assert "kosten" not in parse_qs(urlsplit(search_page.url).query)


def test_reload_and_back_restore_the_state(search_page) -> None:
    search(search_page, "koffie")
    toggle(search_page, "welzijn op recept", "ja")
    url = search_page.url
    assert parse_qs(urlsplit(url).query) == {"q": ["koffie"], "welzijn op recept": ["ja"]}
    results = titles(search_page)
    assert results[0] == "Koffie-inloop in De Brug" and len(results) == 2
    search_page.reload()
    ready(search_page)
    assert search_page.locator("input[name=q]").input_value() == "koffie"
    assert checkbox(search_page, "welzijn op recept", "ja").is_checked()
    wait_status(search_page, "2 resultaten")
    assert titles(search_page) == results
    search_page.go_back()  # back to the state before the filter
    search_page.wait_for_function("!location.search.includes('recept')")
    wait_status(search_page, "5 resultaten")
    assert not checkbox(search_page, "welzijn op recept", "ja").is_checked()
    assert chosen(search_page) == []


def test_a_shared_link_opens_with_its_filters(site_server: str, browser) -> None:
    url = f"{site_server}/{SEARCH}?dag=dinsdag&dag=woensdag&onbekend=x"
    with open_page(browser, url) as page:
        ready(page)
        assert sorted(titles(page)) == ["Koffie-inloop in De Brug", "Taalcafé"]
        assert chosen(page) == ["Dag: Dinsdag", "Dag: Woensdag"]


# --------------------------------------------------------------------------- keyboard


def test_keyboard_only(search_page, site_server: str) -> None:
    page = search_page
    tab_until(page, "e.name === 'q'")
    page.keyboard.type("koffie")
    wait_status(page, "‘koffie’")
    tab_until(page, "e.name === 'kosten' && e.value === 'gratis'")
    page.keyboard.press("Space")
    wait_status(page, "1 resultaat")
    # (The Taalcafé is an Ontmoeten activity, but says nothing about koffie.)
    assert titles(page) == ["Koffie-inloop in De Brug"]
    # The chosen filter is a button after the filters; Enter removes it and focus stays near.
    tab_until(page, "e.dataset && e.dataset.facet === 'kosten'")
    page.keyboard.press("Enter")
    wait_status(page, "5 resultaten")
    assert chosen(page) == []
    assert page.evaluate("document.activeElement.name") == "q"
    tab_until(page, "e.tagName === 'A' && e.closest('[data-zoek-resultaten]')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_server}/vechtstad/activiteiten/koffie-inloop/")


def test_more_results_button_hidden_when_all_results_shown(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{SEARCH}?soort=activiteit") as page:
        ready(page)
        assert sorted(titles(page))[0] == "Digicafé"  # filter-only: sorted by title
        assert titles(page) == sorted(titles(page), key=str.casefold)
        assert page.locator("[data-zoek-meer]").count() == 0


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_clean_with_results_and_filters(site_server: str, browser, width: int) -> None:
    url = f"{site_server}/{SEARCH}?q=gratis&thema=Ontmoeten&thema=Minder+alleen&kosten=gratis"
    with open_page(browser, url, width=width) as page:
        ready(page)
        # 'gratis' is understood as the cost filter (a chip), not searched as a word.
        wait_status(page, "2 resultaten met Thema: Minder alleen of Ontmoeten en Kosten: Gratis.")
        assert titles(page) == ["Koffie-inloop in De Brug", "Taalcafé"]
        if width < 600:  # on a phone the filters are folded; open them for the check
            page.locator("[data-zoek-filters-blok] > summary").click()
        assert len(chosen(page)) == 3
        violations = axe_violations(page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert violations == [], violations
    assert scroll_width <= width


def test_filters_sit_above_the_results_on_a_phone(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{SEARCH}?thema=Ontmoeten", width=375) as page:
        ready(page)
        filters = page.locator("[data-zoek-filters-blok]").bounding_box()
        results = page.locator("[data-zoek-resultaten]").bounding_box()
        assert filters and results and filters["y"] < results["y"]
        assert page.locator("[data-zoek-filters-blok]").get_attribute("open") is not None
    with open_page(browser, f"{site_server}/{SEARCH}", width=1280) as page:
        ready(page)
        filters = page.locator("[data-zoek-filters-blok]").bounding_box()
        results = page.locator("[data-zoek-resultaten]").bounding_box()
        assert filters and results and filters["x"] < results["x"]  # beside the results


def test_without_javascript_the_page_links_to_themes(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/{SEARCH}", javascript=False) as page:
        assert page.locator("[data-zoek-form]").is_hidden()
        page.get_by_role("link", name="Ontmoeten (4)").click()
        page.wait_for_url("**/themas/ontmoeting/")


def test_home_search_form_hands_the_query_over(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/index.html") as page:
        page.locator("#zoek-home").fill("huis")
        page.locator("#zoek-home").press("Enter")
        page.wait_for_url("**/zoeken/?q=huis")
        ready(page)
        wait_status(page, "‘huis’")
        assert titles(page)[0] == "Buurthuis De Brug"


# --------------------------------------------------------------------------- other search pages


def test_province_search_across_gemeenten_with_gemeente_filter(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/index.html") as page:
        ready(page)
        found = search(page, "huis")
        assert {"Buurthuis De Brug", "Dorpshuis De Linde"} <= set(found)
        toggle(page, "gemeente", "Heuveldorp")
        found = titles(page)
        assert "Dorpshuis De Linde" in found and "Buurthuis De Brug" not in found
        facts = page.locator("[data-zoek-resultaten] .resultaat-soort").first.inner_text()
        assert "Heuveldorp" in facts
        link = page.locator(RESULTS + " a", has_text="Dorpshuis De Linde")
        assert link.get_attribute("href") == "./heuveldorp/plekken/dorpshuis-de-linde/"
        link.click()
        page.wait_for_url("**/heuveldorp/plekken/dorpshuis-de-linde/")


def test_kennisbank_search(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/kennisbank/index.html") as page:
        ready(page)
        assert page.locator('fieldset[data-facet="soort"]').count() == 0  # all praktijken
        found = search(page, "recept")
        assert found == ["Welzijn op Recept in Vechtstad"]
        page.locator(RESULTS + " a").first.click()
        page.wait_for_url("**/kennisbank/welzijn-op-recept-vechtstad/")
        violations = axe_violations(page)
    assert violations == []


@pytest.mark.parametrize("path", ["index.html", "kennisbank/index.html"])
def test_axe_clean_on_other_search_pages(site_server: str, browser, path: str) -> None:
    with open_page(browser, f"{site_server}/{path}") as page:
        ready(page)
        search(page, "koffie" if path == "index.html" else "recept")
        violations = axe_violations(page)
    assert violations == [], violations


# --------------------------------------------------------------------------- transfer size


def search_file(url: str) -> bool:
    """Whether ``url`` is a file of search: its scripts, filter labels and index files."""
    path = urlsplit(url).path
    return "/zoekindex/" in path or path.rsplit("/", 1)[-1].startswith("zoek")


def first_search_bytes(browser, url: str, query: str) -> tuple[int, dict[str, int]]:
    """Bytes of the search files (``search_file``) a fresh visitor loads, as transferred
    (compressed), up to the results of a first search of ``query``."""
    context = browser.new_context()
    try:
        page = context.new_page()
        log = NetworkLog.attach(page)
        page.goto(url)
        ready(page)
        search(page, query)
        page.locator(RESULTS).first.wait_for()
        sizes = {u: n for u, n in log.sizes().items() if search_file(u)}
    finally:
        context.close()
    return sum(sizes.values()), sizes


def test_first_search_transfer_on_fixture(site_server: str, browser) -> None:
    total, sizes = first_search_bytes(browser, f"{site_server}/{SEARCH}", "koffie")
    names = {urlsplit(u).path.rsplit("/", 1)[-1] for u in sizes}
    assert "zoekindex.json" in names and any(n.startswith("zoekmachine.") for n in names)
    print(f"\nfirst search (fixture, vechtstad): {total} bytes in {len(sizes)} files")
    assert total < 40_000 and len(sizes) <= 10


def generate_activities(content: Path, gemeente: str, n: int, seed: int = 1) -> None:
    """Add ``n`` plausible activities to ``gemeente`` in a copy of the fixture content."""
    rng = random.Random(seed)
    themes = ["ontmoeting", "eenzaamheid", "bewegen", "gezond-leven", "eten-en-koken",
              "creatief", "leren-en-taal", "meedoen", "geldzaken", "mantelzorg"]
    groups = ["ouderen", "volwassenen", "jongeren", "iedereen", "mantelzorgers", "nieuwkomers"]
    heads = ["koffie-inloop", "wandelgroep", "taalcafé", "buurtmaaltijd", "breiclub",
             "schildercursus", "fietsgroep", "spreekuur", "moestuin", "zangkoor", "yogales",
             "repaircafé", "computerles", "kookclub", "biljartclub"]
    places = ["Oost", "Centrum", "Westerdorp"]  # the kernen of vechtstad
    days = ["MA", "DI", "WO", "DO", "VR", "ZA"]
    folder = content / "activiteiten" / gemeente
    for i in range(n):
        head = rng.choice(heads)
        kern = rng.choice(places)
        start, end = rng.choice([("10:00", "12:00"), ("14:00", "16:00"), ("19:30", "21:30")])
        (folder / f"gen-{i:04d}.yaml").write_text(
            f"titel: {head.capitalize()} {kern} {i}\n"
            f"samenvatting: Elke week {head} in {kern}, samen met buurtgenoten en vrijwilligers.\n"
            f"kern: {kern}\n"
            f"organisator: welzijn-vechtstad\n"
            f"themas: [{', '.join(rng.sample(themes, 2))}]\n"
            f"doelgroepen: [{rng.choice(groups)}]\n"
            f"wanneer:\n  - {{frequentie: wekelijks, dagen: [{rng.choice(days)}], "
            f"van: \"{start}\", tot: \"{end}\"}}\n"
            f"kosten: {{gratis: {str(rng.random() < 0.5).lower()}}}\n"
            f"laatst_gecontroleerd: 2026-10-01\ngecontroleerd_door: beheerder\n"
            f"bron: {{titel: Gegenereerd voor de zoektest}}\n", "utf-8")


def test_first_search_transfer_with_500_activities(browser, tmp_path: Path,
                                                   fixture_content: Path) -> None:
    """The README target: a first search on a gemeente of 500 entries stays under 150 kB."""
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    content = tmp_path / "content"
    shutil.copytree(fixture_content, content)
    generate_activities(content, "vechtstad", 494)  # plus the fixture's six: 500 entries
    out = tmp_path / "public"
    result = build(BuildOptions(content=content, out=out, gemeenten=["vechtstad"], today=TODAY,
                                now=NOW))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    assert result.indexed["vechtstad"] >= 500
    index_bytes = sum(f.stat().st_size for f in (out / "vechtstad" / "zoekindex").rglob("*")
                      if f.is_file())
    with serve_directory(out) as base:
        total, sizes = first_search_bytes(browser, f"{base}/{SEARCH}", "koffie")
        filtered, _ = first_search_bytes(browser, f"{base}/{SEARCH}?thema=Ontmoeten", "wandel")
    print(f"\n500 activities: index {index_bytes} bytes on disk, {result.indexed['vechtstad']} "
          f"pages; first search 'koffie' {total} bytes in {len(sizes)} files; "
          f"with a filter {filtered} bytes")
    assert total < 150_000
    assert filtered < 150_000


def test_province_search_has_each_praktijk_once(site_server: str, browser) -> None:
    """The province search reads the province index, which has the kennisbank's praktijken and
    not the gemeenten's copies of them: no duplicates, honest counts, no gemeente file loaded."""
    context = browser.new_context()
    try:
        page = context.new_page()
        log = NetworkLog.attach(page)
        page.goto(f"{site_server}/index.html")
        ready(page)
        found = search(page, "recept")
        sizes = log.sizes()
        assert found.count("Welzijn op Recept in Vechtstad") == 1
        link = page.locator(RESULTS + " a", has_text="Welzijn op Recept in Vechtstad")
        assert link.get_attribute("href") == "./kennisbank/welzijn-op-recept-vechtstad/"
        open_filters(page)
        count = checkbox(page, "soort", "praktijk").locator("xpath=..").inner_text()
        assert "(1)" in count
    finally:
        context.close()
    assert any(urlsplit(url).path == "/zoekindex.json" for url in sizes)
    assert not any(name in url for url in sizes for name in ("/vechtstad/", "/heuveldorp/",
                                                             "/kennisbank/"))


def test_sharded_gemeente_search_in_the_browser(browser, tmp_path: Path,
                                                fixture_content: Path) -> None:
    """A gemeente big enough for several word chunks of its index: one search finds every page
    with the word (the index read back says which), the filter counts follow, and the province
    search finds the pages whose title or summary has it (its index leaves the body out)."""
    import json

    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY
    from .test_search import read_index

    content = tmp_path / "content"
    shutil.copytree(fixture_content, content)
    generate_activities(content, "vechtstad", 250)
    out = tmp_path / "public"
    result = build(BuildOptions(content=content, out=out, today=TODAY, now=NOW))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    pages = read_index(out / "vechtstad")
    expected = sum(1 for card in pages.values() if "kookclub" in card["woorden"])
    assert expected >= 5
    in_title = sum(1 for card in pages.values() if "kookclub" in card["titel"].lower())
    assert 5 <= in_title < expected  # the organisation lists them in its body
    manifest = json.loads((out / "vechtstad" / "zoekindex.json").read_text())
    assert len(manifest["delen"]) >= 2
    with serve_directory(out) as base:
        with open_page(browser, f"{base}/{SEARCH}") as page:
            ready(page)
            search(page, "kookclub")
            status = page.locator("[data-zoek-status]").inner_text()
            assert status.startswith(f"{expected} resultaten"), status
            toggle(page, "kosten", "gratis")
            gratis = page.locator("[data-zoek-status]").inner_text()
            assert int(gratis.split()[0]) < expected
        with open_page(browser, f"{base}/index.html") as page:
            ready(page)
            search(page, "kookclub")
            status = page.locator("[data-zoek-status]").inner_text()
            assert int(status.split()[0]) >= in_title, status  # other gemeenten may match too
            # (The count may stay the same: only Vechtstad has kookclubs.)
            open_filters(page)  # folded away on the province page
            checkbox(page, "gemeente", "Vechtstad").click()
            page.wait_for_function("location.search.includes('Vechtstad')")
            wait_status(page, f"{in_title} resultaten")
            assert chosen(page) == ["Gemeente: Vechtstad"]


def test_frequent_words_give_the_same_answers(built_site: Path, browser, tmp_path: Path,
                                              monkeypatch) -> None:
    """Words on many documents are stored without the filter codes of their documents, with
    counts instead (search_index.FREQUENT). With every word of two documents or more stored so,
    every search gives the same results, groups, counts and corrections as with none."""
    import json

    from sociale_kaart.nl.compounds import Lexicon
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check
    from sociale_kaart.site import search_index

    from .conftest import FIXTURE, TODAY

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    kaart, _ = check(load_content(FIXTURE), TODAY)
    assert kaart is not None
    lexicon = Lexicon.from_terms(kaart.terms)
    monkeypatch.setattr(search_index, "FREQUENT", 2)
    docs = {}
    for section in ("vechtstad", "heuveldorp", "kennisbank"):
        mine = {}
        for page in (site / section).rglob("index.html"):
            rel = page.relative_to(site).as_posix()
            doc = search_index.extract(page.read_text("utf-8"), "/" + rel[len(section) + 1:]
                                       .removesuffix("index.html"), lexicon)
            if doc:
                mine[rel] = doc
        search_index.write_index(site / section, list(mine.values()))
        docs.update(mine)
    search_index.write_index(site, search_index.province_docs(docs), body=False)
    chunks = [json.loads(p.read_bytes()) for p in (site / "vechtstad" / "zoekindex").rglob("w/*.json")]
    assert any(c["g"] for c in chunks)
    searches = [("koffie", {}), ("kofie", {}), ("samen", {}), ("huis", {}), ("koffie samen", {}),
                ("samen", {"kosten": ["gratis"]}), ("", {"kosten": ["gratis"]}),
                ("samen xyzzyq", {}), ("eten", {"thema": ["Ontmoeten", "Minder alleen"]})]
    script = """async ([bereik, basis, searches]) => {
        const machine = Zoekmachine.open({bereik, basis});
        const out = [];
        for (const [q, f] of searches) {
            const r = await machine.zoek(q, f);
            const groups = {};
            for (const g in r.groepen) groups[g] = r.groepen[g].map((x) => x.id);
            const urls = ["bewoners", "organisaties", "praktijken"]
                .flatMap((g) => r.groepen[g]).slice(0, 10).map((x) => x.url);
            out.push({totaal: r.totaal, groups, counts: r.filterAantallen, bedoeld: r.bedoeld,
                      onbekend: r.onbekend, urls});
        }
        return out;
    }"""

    def answers(root: Path) -> list:
        with serve_directory(root) as base:
            got = []
            for page_path, bereik, basis in ((SEARCH, "gemeente", "../"),
                                             ("index.html", "provincie", "./")):
                with open_page(browser, f"{base}/{page_path}") as page:
                    ready(page)
                    got.append(page.evaluate(script, [bereik, basis, searches]))
            return got

    normal, frequent = answers(built_site), answers(site)
    assert normal[0][0]["totaal"] >= 3 and normal[1][0]["totaal"] >= 3
    # The engine <-> page contract: the first results come with their URL.
    assert normal[0][0]["urls"][0] == "/activiteiten/koffie-inloop/"
    assert all(isinstance(u, str) and u.startswith("/") for g in normal for a in g for u in a["urls"])
    assert frequent == normal
