"""Mijn lijstje in real Chromium: a coach adds activities from every kind of card, in several
gemeenten, orders and removes them by keyboard, prints the list as a hand-out for a client (PDF
text and QR code checked) and shares it as a link that rebuilds it in a fresh browser. Without
JavaScript no control is shown that cannot work.

Screenshots (375 and 1280 px) and the printed PDF are written to ``screenshots/`` to look at.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

from .browser import axe_violations, open_page

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"
KEY = "sociale-kaart-mijn-lijstje"
MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          "december")


def add(page, url: str, title: str) -> None:
    """Open ``url`` and press the list button of ``title`` (the first, when there are several)."""
    page.goto(url)
    button = page.get_by_role("button", name=f"Zet op mijn lijstje: {title}", exact=True).first \
        .element_handle()
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text() == "Staat op mijn lijstje"


def stored(page) -> list[tuple[str, str]]:
    items = json.loads(page.evaluate(f"localStorage.getItem('{KEY}') || '[]'"))
    return [(it["g"], it["s"]) for it in items]


def titles(page) -> list[str]:
    page.wait_for_function("document.querySelectorAll('.lijstje-item .uitdeel, .lijstje-weg').length"
                           " === document.querySelectorAll('.lijstje-item').length")
    return page.locator(".lijstje-item h2 a").all_inner_texts()


def coach_list(browser, site_server: str):
    """A context whose list was made from six kinds of cards in two gemeenten."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    v = f"{site_server}/vechtstad"
    add(page, f"{v}/activiteiten/", "Koffie-inloop in De Brug")        # the activities list
    add(page, f"{v}/agenda/", "Taalcafé")                              # the agenda
    add(page, f"{v}/themas/bewegen/", "Wandelgroep Samen op Pad")      # a theme list
    add(page, f"{v}/doelgroepen/ouderen/", "Digicafé")                 # a target-group list
    add(page, f"{v}/plekken/buurthuis-de-brug/", "Samen eten in de buurtkamer")  # a place
    add(page, f"{site_server}/heuveldorp/activiteiten/dorpsmaaltijd/", "Dorpsmaaltijd")  # its page
    return context, page


EXPECTED = [("vechtstad", "koffie-inloop"), ("vechtstad", "taalcafe"), ("vechtstad", "wandelgroep"),
            ("vechtstad", "digicafe"), ("vechtstad", "samen-eten"), ("heuveldorp", "dorpsmaaltijd")]
EXPECTED_TITLES = ["Koffie-inloop in De Brug", "Taalcafé", "Wandelgroep Samen op Pad", "Digicafé",
                   "Samen eten in de buurtkamer", "Dorpsmaaltijd"]


def test_add_from_every_card_across_gemeenten(site_server: str, browser) -> None:
    context, page = coach_list(browser, site_server)
    try:
        assert stored(page) == EXPECTED
        # The organisation page knows what is on the list already (another page added it), and
        # so does the lijstje page of either gemeente: one list for the whole site.
        page.goto(f"{site_server}/vechtstad/organisaties/welzijn-vechtstad/")
        koffie = page.get_by_role("button", name="Staat op mijn lijstje: Koffie-inloop in De Brug")
        assert koffie.get_attribute("aria-pressed") == "true"
        assert page.locator("[data-lijstje-teller]").inner_text() == "6"
        for g in ("vechtstad", "heuveldorp"):
            page.goto(f"{site_server}/{g}/lijstje/")
            assert titles(page) == EXPECTED_TITLES
        # Cross-gemeente lists name each item's gemeente.
        assert page.locator(".lijstje-item h2").last.inner_text() == "Dorpsmaaltijd (Heuveldorp)"
        # The province has the list too.
        page.goto(f"{site_server}/lijstje/")
        assert titles(page) == EXPECTED_TITLES
    finally:
        context.close()


def test_agenda_buttons_of_one_activity_move_together(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/agenda/") as page:
        buttons = page.get_by_role("button", name="Zet op mijn lijstje: Taalcafé", exact=True)
        n = buttons.count()
        assert n >= 2  # every Wednesday of the two weeks
        buttons.last.click()
        pressed = page.get_by_role("button", name="Staat op mijn lijstje: Taalcafé", exact=True)
        assert pressed.count() == n
        assert buttons.count() == 0
        assert stored(page) == [("vechtstad", "taalcafe")]


def test_search_results_get_the_button_through_the_contract(site_server: str, browser) -> None:
    """Search results are made after loading: the search script puts ``data-lijstje-item`` on a
    result and calls ``MijnLijstje.verrijk`` (the contract in notes/round2-team.md); here a
    result is made the same way on the gemeente search and on the province search."""
    for path in ("vechtstad/zoeken/", ""):
        with open_page(browser, f"{site_server}/{path}") as page:
            page.evaluate("""() => {
                const li = document.createElement('li');
                li.setAttribute('data-lijstje-item', JSON.stringify({url: '/heuveldorp/activiteiten/dorpsmaaltijd/',
                                                                   titel: 'Dorpsmaaltijd', gemeente: 'heuveldorp'}));
                li.textContent = 'Dorpsmaaltijd';
                // (a list of its own: the search script empties its results list when it loads)
                const results = document.createElement('ol');
                results.appendChild(li);
                document.querySelector('[data-zoeken]').appendChild(results);
                window.MijnLijstje.verrijk(li);
                window.MijnLijstje.verrijk(li);  // twice: still one button
            }""")
            buttons = page.get_by_role("button", name="Zet op mijn lijstje: Dorpsmaaltijd")
            assert buttons.count() == 1
            buttons.click()
            assert stored(page) == [("heuveldorp", "dorpsmaaltijd")]
            assert page.locator("[data-lijstje-teller]").inner_text() == "1"


def test_list_buttons_by_keyboard(site_server: str, browser) -> None:
    """Tab reaches the button, Enter and Space toggle it (aria-pressed and label follow)."""
    with open_page(browser, f"{site_server}/vechtstad/activiteiten/") as page:
        name = "Zet op mijn lijstje: Taalcafé"
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('aria-label')") == name:
                break
        else:
            pytest.fail("Tab never reached the list button of Taalcafé")
        page.keyboard.press("Enter")
        focused = "[document.activeElement.getAttribute('aria-pressed'), document.activeElement.textContent]"
        assert page.evaluate(focused) == ["true", "Staat op mijn lijstje"]
        assert stored(page) == [("vechtstad", "taalcafe")]
        page.keyboard.press("Space")
        assert page.evaluate(focused) == ["false", "Zet op mijn lijstje"]
        assert stored(page) == []


def test_reorder_and_remove_by_keyboard(site_server: str, browser) -> None:
    context, page = coach_list(browser, site_server)
    try:
        page.goto(f"{site_server}/vechtstad/lijstje/")
        assert titles(page) == EXPECTED_TITLES
        # The first item has no "Omhoog", the last no "Omlaag".
        assert not page.get_by_role("button", name="Omhoog: Koffie-inloop in De Brug").is_visible()
        assert not page.get_by_role("button", name="Omlaag: Dorpsmaaltijd").is_visible()
        page.get_by_role("button", name="Omlaag: Koffie-inloop in De Brug").focus()
        page.keyboard.press("Enter")
        assert titles(page)[:2] == ["Taalcafé", "Koffie-inloop in De Brug"]
        # Focus stays with the moved item; Space moves it on.
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == \
            "Omlaag: Koffie-inloop in De Brug"
        page.keyboard.press("Space")
        assert titles(page)[:3] == ["Taalcafé", "Wandelgroep Samen op Pad", "Koffie-inloop in De Brug"]
        assert "plaats 3 van 6" in page.locator("[data-lijstje-status]").inner_text()
        page.get_by_role("button", name="Omhoog: Dorpsmaaltijd").focus()
        page.keyboard.press("Enter")
        assert titles(page)[-2:] == ["Dorpsmaaltijd", "Samen eten in de buurtkamer"]
        page.get_by_role("button", name="Haal van lijstje: Wandelgroep Samen op Pad").focus()
        page.keyboard.press("Enter")
        assert "Wandelgroep Samen op Pad" not in titles(page)
        assert page.locator("[data-lijstje-status]").inner_text() == \
            "Wandelgroep Samen op Pad is van het lijstje gehaald."
        # Focus went to the next item's remove button, not to the top of the page.
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == \
            "Haal van lijstje: Koffie-inloop in De Brug"
        order = ["Taalcafé", "Koffie-inloop in De Brug", "Digicafé", "Dorpsmaaltijd",
                 "Samen eten in de buurtkamer"]
        page.reload()
        assert titles(page) == order  # kept in this browser
        assert page.locator("[data-lijstje-teller]").inner_text() == "5"
    finally:
        context.close()


def test_share_link_rebuilds_the_list_in_a_fresh_browser(site_server: str, browser) -> None:
    context, page = coach_list(browser, site_server)
    try:
        page.goto(f"{site_server}/heuveldorp/lijstje/")
        titles(page)
        link = page.locator("[data-lijstje-adres]").inner_text()
        assert link == (f"{site_server}/heuveldorp/lijstje/?a=vechtstad/koffie-inloop,taalcafe,"
                        "wandelgroep,digicafe,samen-eten,heuveldorp/dorpsmaaltijd")
        assert page.locator("[data-lijstje-adres]").get_attribute("href") == link
    finally:
        context.close()
    with open_page(browser, link, width=375) as fresh:  # new context: empty localStorage
        assert titles(fresh) == EXPECTED_TITLES
        assert "Elke dinsdag, 10.00–11.30 uur" in fresh.locator(".lijstje-item").first.inner_text()
        assert stored(fresh) == EXPECTED
        # The address bar shows the page itself: reload and Back never bring an old list back.
        assert fresh.url == f"{site_server}/heuveldorp/lijstje/"
        fresh.reload()
        assert titles(fresh) == EXPECTED_TITLES


def test_shared_link_replaces_a_list_that_can_be_put_back(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/activiteiten/") as page:
        page.get_by_role("button", name="Zet op mijn lijstje: Digicafé").click()
        page.goto(f"{site_server}/vechtstad/lijstje/?a=koffie-inloop,taalcafe")  # an old-style link
        assert titles(page) == ["Koffie-inloop in De Brug", "Taalcafé"]
        assert "Uw vorige lijstje (1 activiteit) is vervangen." in \
            page.locator("[data-lijstje-status]").inner_text()
        page.get_by_role("button", name="Zet mijn vorige lijstje terug").click()
        assert titles(page) == ["Digicafé"]


def test_lists_of_the_old_per_gemeente_key_are_taken_over(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/") as page:
        page.evaluate("""() => {
            const old = 'sociale-kaart-lijstje:';
            localStorage.setItem(old + '/vechtstad/lijstje/', JSON.stringify(['taalcafe', 'koffie-inloop']));
            localStorage.setItem(old + '/heuveldorp/lijstje/', JSON.stringify(['dorpsmaaltijd', '../x']));
        }""")
        page.goto(f"{site_server}/vechtstad/lijstje/")
        assert titles(page) == ["Dorpsmaaltijd", "Taalcafé", "Koffie-inloop in De Brug"]
        assert page.evaluate("Object.keys(localStorage).sort()") == [KEY]


def test_a_listed_activity_that_is_gone_says_so(site_server: str, browser) -> None:
    with open_page(browser, f"{site_server}/vechtstad/lijstje/?a=bestaat-niet,taalcafe") as page:
        titles(page)
        first = page.locator(".lijstje-item").first
        assert "niet (meer) te vinden" in first.inner_text()
        assert first.get_by_role("button", name="Haal van lijstje: bestaat niet").is_visible()


def _qr_text(page) -> list[str]:
    """The QR code as drawn (the SVG on a canvas, grey pixels), decoded by zxing-cpp."""
    import zxingcpp

    width, pixels = page.evaluate("""async () => {
        const svg = document.querySelector('[data-lijstje-qr] svg');
        const size = 400;
        const xml = new XMLSerializer().serializeToString(svg);
        const img = new Image(size, size);
        img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = size;
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, size, size);
        ctx.drawImage(img, 0, 0, size, size);
        const rgba = ctx.getImageData(0, 0, size, size).data;
        const grey = [];
        for (let i = 0; i < rgba.length; i += 4) grey.push(rgba[i]);
        return [size, grey];
    }""")
    image = memoryview(bytes(pixels)).cast("B", (width, width))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_printed_hand_out(site_server: str, browser) -> None:
    """Print to PDF: every item with when, where, cost, contact and how to sign up, the coach's
    name, the date and the list's address (also in the QR code); no buttons, no instructions."""
    from pypdf import PdfReader

    context, page = coach_list(browser, site_server)
    try:
        page.goto(f"{site_server}/vechtstad/lijstje/")
        titles(page)
        page.get_by_label("Uw naam (komt op de afdruk)").fill("Welzijnscoach Vechtstad")
        page.get_by_label("Notitie voor uw cliënt (komt op de afdruk)").fill("Bel Ali voor de eerste keer.")
        link = page.locator("[data-lijstje-adres]").inner_text()
        today = page.locator("[data-lijstje-datum]").inner_text()
        assert re.fullmatch(rf"\d{{1,2}} ({MONTHS}) \d{{4}}", today)
        assert _qr_text(page) == [link]
        SHOTS.mkdir(exist_ok=True)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SHOTS / f"lijstje-vol-{width}.png"), full_page=True)
        pdf = page.pdf(format="A4", print_background=True)
        (SHOTS / "lijstje.pdf").write_bytes(pdf)
    finally:
        context.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 3  # six activities on at most three A4 pages
    # Numbered pages; the facts in at least 12 pt (Chromium's PDF: text in px, scaled by 0.75).
    for number, pdf_page in enumerate(reader.pages, 1):
        assert f"Pagina {number} van {len(reader.pages)}" in pdf_page.extract_text()
    sizes: dict[float, int] = {}

    def size_of(text: str, cm: list[float], tm: list[float], font: object, font_size: float) -> None:
        if text.strip():
            pt = round(font_size * abs(cm[3] * tm[3]), 1)
            sizes[pt] = sizes.get(pt, 0) + len(text.strip())

    reader.pages[0].extract_text(visitor_text=size_of)
    assert max(sizes, key=lambda pt: sizes[pt]) >= 12, sizes
    # NFKC: the PDF's ligatures ("ﬃ") as letters.
    text = unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split())
                                                  for p in reader.pages))
    text = re.sub(r"Pagina \d van \d ", "", text)  # the page numbers, checked above
    assert text.startswith("Activiteiten voor u")
    for title in EXPECTED_TITLES:
        assert title in text
    for label in ("Wanneer:", "Waar:", "Kosten:", "Contact:", "Aanmelden:"):
        assert text.count(label) == 6, label
    for fact in ("Elke dinsdag, 10.00–11.30 uur",               # when
                 "Buurthuis De Brug, Brugstraat 12a, 7701 AB Vechtstad",  # where
                 "Gratis", "€ 7,50 per keer",                  # cost
                 "telefoon 0523 123 456",                      # contact
                 "Aanmelden is niet nodig",                    # how to sign up
                 "Uw contactpersoon: Welzijnscoach Vechtstad",
                 "Notitie: Bel Ali voor de eerste keer.",
                 f"gemaakt op {today}"):
        assert fact in text, fact
    assert link.replace("-", "") in text.replace(" ", "").replace("-", "")  # wrapped at hyphens
    for screen_only in ("Afdrukken", "Kopieer de link", "leegmaken", "Omhoog", "Omlaag",
                        "Haal van lijstje", "Zet op mijn lijstje", "Zet activiteiten op dit lijstje",
                        "komt op de afdruk", "Mijn lijstje", "Aanbodboekje", "JavaScript"):
        assert screen_only not in text, screen_only


def test_lijstje_pages_pass_axe_with_a_list(site_server: str, browser) -> None:
    context, page = coach_list(browser, site_server)
    try:
        for path in ("vechtstad/lijstje/", "lijstje/"):
            for width in (1280, 375):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{site_server}/{path}")
                titles(page)
                assert axe_violations(page) == [], (path, width)
                assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


NO_JS_PAGES = ["vechtstad/lijstje/", "lijstje/", "vechtstad/boekje/", "vechtstad/activiteiten/",
               "vechtstad/activiteiten/koffie-inloop/", "vechtstad/agenda/", "vechtstad/themas/ontmoeting/",
               "vechtstad/plekken/buurthuis-de-brug/", "vechtstad/zoeken/", ""]


@pytest.mark.parametrize("path", NO_JS_PAGES)
def test_without_javascript_no_dead_controls(site_server: str, browser, path: str) -> None:
    """Every button on these pages needs JavaScript (print, list, search): without it none is
    visible. The booklet's print button was: `display: inline-block` beat its `hidden`."""
    with open_page(browser, f"{site_server}/{path}", javascript=False) as page:
        assert page.locator("button:visible").count() == 0, page.locator("button:visible").all_inner_texts()
        hidden_shown = page.evaluate("""[...document.querySelectorAll('[hidden]')]
            .filter(el => getComputedStyle(el).display !== 'none').map(el => el.outerHTML.slice(0, 80))""")
        assert hidden_shown == []
        if "lijstje" in path:
            text = page.locator("main").inner_text()
            assert "Mijn lijstje werkt alleen als JavaScript aan staat" in text
            assert "Zet activiteiten op dit lijstje" not in text  # instructions for buttons that are not there
            assert page.locator("input:visible, textarea:visible").count() == 0
