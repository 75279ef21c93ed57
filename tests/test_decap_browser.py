"""The web editor end to end, as an editor uses it: Decap CMS from npm (tests/decap), the
generated config switched to Decap's in-memory ``test-repo`` backend with the fixture's
content, real Chromium. For each kind an editor fills the form with clicks and typing, saves,
and the file Decap would commit is added to a copy of the content: ``check`` finds 0 errors.

Screenshots of every form (1280 px wide, the whole form) go to ``screenshots/decap/``
(git-ignored) to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sociale_kaart.pipeline.open import open_kaart

from .browser import axe_violations, open_page, serve_directory
from .conftest import FIXTURE, TODAY
from .decap_site import make_editor_site, require_decap

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "decap"
KEY_DELAY = 30  # ms between keys, as a quick typist (Decap drops keys typed without a pause)


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_decap()
    out = make_editor_site(FIXTURE, tmp_path_factory.mktemp("beheer"))
    with serve_directory(out) as url:
        yield url


# --------------------------------------------------------------------------- the editor

def type_into(control, value: str, attempts: int = 3) -> None:
    """Type ``value`` key by key. Decap re-renders a field when something loads in the
    background (relation options, the preview) and a key typed during that re-render is lost
    (on a busy machine): then the field is emptied and typed again."""
    for _ in range(attempts):
        control.click()
        control.press("Control+a")
        control.press("Delete")
        control.press_sequentially(value, delay=KEY_DELAY)
        if control.input_value() == value:
            return
    expect(control).to_have_value(value)


@dataclass
class Form:
    """A part of a Decap form (the whole form, a group or a list row), found by labels."""

    page: object
    scope: object

    def _label(self, text: str):
        # A label's first text is the field's label; "(optioneel)" is a span after it.
        return self.scope.locator(f"xpath=.//label[normalize-space(text()[1])=\"{text}\"]").first

    def has(self, text: str) -> bool:
        return self._label(text).count() > 0

    def control(self, text: str):
        return self.scope.locator(f"[id='{self._label(text).get_attribute('for')}']")

    def container(self, text: str):
        return self._label(text).locator(
            "xpath=ancestor::div[contains(@class,'ControlContainer')][1]")

    def kind(self, text: str) -> str:
        return self.container(text).get_attribute("aria-label") or ""

    def append(self, text: str, value: str) -> None:
        control = self.control(text)
        control.scroll_into_view_if_needed()
        before = control.input_value()
        control.click()
        control.press("End")
        control.press_sequentially(value, delay=KEY_DELAY)
        expect(control).to_have_value(before + value)

    def type(self, text: str, value: str) -> None:
        control = self.control(text)
        control.scroll_into_view_if_needed()
        type_into(control, value)

    def type_markdown(self, text: str, value: str) -> None:
        editor = self.container(text).locator("[contenteditable=true]").first
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.type(value, delay=KEY_DELAY)

    def choose(self, text: str, *options: str) -> None:
        """A select or relation: type part of an option's label and pick it from the list."""
        for option in options:
            control = self.control(text)
            control.scroll_into_view_if_needed()
            control.click()
            control.press_sequentially(option[:12], delay=KEY_DELAY)
            listed = self.page.locator("[class*='-option']").filter(has_text=option)
            exact = listed.filter(has=self.page.locator(f"xpath=self::*[normalize-space(.)=\"{option}\"]"))
            (exact if exact.count() else listed).first.click()

    def answer(self, text: str, choice: str) -> None:
        """A ja/nee question."""
        self.container(text).get_by_label(choice, exact=True).check()

    def tick(self, text: str) -> None:
        self.container(text).locator("button[role=switch], input[type=checkbox]").first.click()

    def open(self, text: str) -> Form:
        """Open an optional group; its fields."""
        container = self.container(text)
        button = container.get_by_test_id("expand-button").first
        button.scroll_into_view_if_needed()
        button.click()
        return Form(self.page, container)

    def add(self, text: str) -> Form:
        """Add a row to a list; the new row."""
        container = self.container(text)
        rows = container.locator("xpath=.//div[contains(@class,'SortableListItem')]")
        before = rows.count()  # rows of lists inside a row come after it: count first
        container.locator("button", has_text="Voeg").first.click()
        rows.nth(before).wait_for()
        return Form(self.page, rows.nth(before))

    def add_value(self, text: str, value: str) -> None:
        """Add a value to a list of single values (datums, wat werkt)."""
        container = self.container(text)
        before = container.locator("input, textarea").count()
        container.locator("button", has_text="Voeg").first.click()
        fields = container.locator("input, textarea")
        fields.nth(before).wait_for()
        type_into(fields.nth(before), value)


def fill_source(form: Form, titel: str) -> None:
    """One source, whatever shape the model gives 'bron' (text or a list of sources)."""
    if "list" in form.kind("Bron"):
        form.add("Bron").type("Titel", titel)
    else:
        form.type("Bron", titel)


def fill_checked(form: Form) -> None:
    """Where the information comes from and when it was checked, whatever shape the model
    gives these fields (text or a list of sources; a check date with who checked)."""
    fill_source(form, "Folder Welzijn Vechtstad 2026")
    form.type("Laatst gecontroleerd", "01-10-2026")
    if form.has("Gecontroleerd door"):
        form.type("Gecontroleerd door", "Welzijnscoach")


class Editor:
    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.scripts: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.scripts.append(r.url)
                     if r.resource_type == "script" else None)
        self.url = url

    def open_new(self, admin: str, collection: str) -> Form:
        return self.open(admin, f"collections/{collection}/new")

    def open(self, admin: str, route: str) -> Form:
        self.page.goto(f"{self.url}/{admin}/", wait_until="load")
        login = self.page.get_by_role("button", name="Inloggen")
        login.click()
        self.page.goto(f"{self.url}/{admin}/#/{route}")
        self.page.locator("label").first.wait_for()
        return Form(self.page, self.page.locator("body"))

    def save(self) -> None:
        self.page.get_by_role("button", name="Opslaan", exact=True).click()

    def saved_files(self) -> dict[str, str]:
        """Path -> text of every file the editorial workflow holds as a proposal."""
        # test-repo keeps them as string keys of an array: Object.values, not JSON.
        diffs = self.page.evaluate("""() => Object.values(window.repoFilesUnpublished || {})
            .flatMap(e => e.diffs.map(d => [d.path, d.content]))""")
        return dict(diffs)

    def wait_saved(self) -> dict[str, str]:
        self.page.wait_for_function(
            "() => Object.keys(window.repoFilesUnpublished || {}).length > 0", timeout=20000)
        return self.saved_files()

    def screenshot(self, name: str) -> Path:
        """The whole form and preview at 1280 px: the viewport grows to the form's height."""
        height = self.page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))")
        self.page.set_viewport_size({"width": 1280, "height": min(max(height + 100, 900), 12000)})
        self.page.wait_for_timeout(300)
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size({"width": 1280, "height": 900})
        return path

    def close(self) -> None:
        self.context.close()


def check_with(tmp_path: Path, files: dict[str, str], *, new: bool = True) -> list[str]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for rel, text in files.items():
        assert rel.startswith("content/"), rel
        target = content / rel.removeprefix("content/")
        assert target.exists() != new, f"{rel}: {'bestond al' if new else 'bestond niet'}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return [d.text() for d in open_kaart(content, TODAY).errors]


# --------------------------------------------------------------------------- the forms

def activity_at_a_place(form: Form) -> None:
    form.type("Titel", "Breiclub in De Brug")
    form.type("Samenvatting", "Samen breien en haken, met koffie.")
    form.choose("Plek", "Buurthuis De Brug")
    form.choose("Organisator", "Welzijn Vechtstad")
    form.choose("Thema's", "Ontmoeten", "Creatief en cultuur")
    form.choose("Doelgroepen", "Ouderen")
    rule = form.add("Wanneer")
    rule.choose("Frequentie", "wekelijks")
    rule.choose("Dagen", "donderdag")
    rule.choose("Van", "14:00")
    rule.choose("Tot", "16:00")
    form.open("Kosten").answer("Gratis", "Ja")
    form.tick("Welzijn op Recept")
    fill_checked(form)


def activity_with_an_address(form: Form) -> None:
    form.type("Titel", "Wandelen langs de Vecht")
    form.type("Samenvatting", "Een uur wandelen in een rustig tempo.")
    address = form.open("Adres")
    address.type("Straat", "Vechtkade")
    address.type("Huisnummer", "3")
    address.type("Postcode", "8011 AB")
    address.type("Plaats", "Vechtstad")
    form.choose("Kern", "Centrum")
    rule = form.add("Wanneer")
    rule.add_value("Datums", "05-12-2026")
    rule.choose("Van", "10:00")
    costs = form.open("Kosten")
    costs.answer("Gratis", "Nee")
    costs.type("Bedrag", "2.5")
    costs.choose("Per", "keer")
    signup = form.open("Aanmelden")
    signup.answer("Nodig", "Ja")
    signup.type("Telefoon", "0523 123 456")
    fill_checked(form)


def online_activity(form: Form) -> None:
    form.type("Titel", "Online taalcafé")
    form.type("Samenvatting", "Nederlands oefenen via de computer.")
    form.type("Online", "https://www.taalcafe.example.nl")
    form.choose("Thema's", "Leren en taal")
    rule = form.add("Wanneer")
    rule.choose("Frequentie", "maandelijks")
    rule.choose("Dagen", "tweede woensdag van de maand")
    rule.choose("Van", "19:30")
    rule.choose("Tot", "21:00")
    contact = form.open("Contact")
    contact.type("Naam", "Bibliotheek Vechtstad")
    contact.type("E-mail", "taal@bibliotheek-vechtstad.example.nl")
    fill_checked(form)


def place(form: Form) -> None:
    form.type("Naam", "Huiskamer Oost")
    form.choose("Soort", "Huiskamer")
    form.choose("Kern", "Oost")
    address = form.open("Adres")
    address.type("Straat", "Oosterstraat")
    address.type("Huisnummer", "14a")
    address.type("Plaats", "Vechtstad")
    hours = form.add("Openingstijden")
    hours.choose("Frequentie", "wekelijks")
    hours.choose("Dagen", "maandag", "woensdag")
    hours.choose("Van", "09:30")
    hours.choose("Tot", "12:00")
    form.choose("Beheerder", "Welzijn Vechtstad")
    form.choose("Toegankelijkheid", "Toegankelijk met rolstoel of rollator")
    fill_checked(form)


def organisation(form: Form) -> None:
    form.type("Naam", "Repaircafé Vechtstad")
    form.choose("Soort", "Vrijwilligersorganisatie")
    form.choose("Gemeenten", "Vechtstad")
    form.type("Website", "https://www.repaircafe-vechtstad.example.nl")
    fill_checked(form)


def praktijk(form: Form) -> None:
    form.type("Titel", "Buurtkamers in Heuveldorp")
    form.type("Lede", "Vrijwilligers openen elke week een huiskamer in de wijk.")
    form.choose("Gemeenten", "Heuveldorp")
    form.choose("Thema's", "Ontmoeten")
    form.add_value("Wat werkt", "Een vaste plek en vaste tijden.")
    form.add_value("Wat werkt", "Vrijwilligers uit de buurt.")
    form.choose("Status", "Een proef (pilot): het wordt uitgeprobeerd")
    fill_source(form, "Evaluatie buurtkamers 2025")
    form.type_markdown("Tekst", "De buurtkamers begonnen in 2024.")


@dataclass(frozen=True)
class Case:
    name: str
    admin: str
    collection: str
    fill: Callable[[Form], None]
    folder: str
    preview: tuple[str, ...] = ()  # shown in the preview, in the site's words


CASES = [
    Case("activiteit-bij-een-plek", "vechtstad/admin", "activiteiten", activity_at_a_place,
         "content/activiteiten/vechtstad/",
         ("Buurthuis De Brug", "Organisator: Welzijn Vechtstad", "Ouderen (55+)",
          "Elke week: donderdag, 14:00–16:00 uur", "Thema's: Ontmoeten, Creatief en cultuur")),
    Case("activiteit-met-adres", "vechtstad/admin", "activiteiten", activity_with_an_address,
         "content/activiteiten/vechtstad/"),
    Case("activiteit-online", "vechtstad/admin", "activiteiten", online_activity,
         "content/activiteiten/vechtstad/",
         ("Elke maand: tweede woensdag van de maand, 19:30–21:00 uur",)),
    Case("ontmoetingsplek", "vechtstad/admin", "ontmoetingsplekken", place,
         "content/ontmoetingsplekken/vechtstad/"),
    Case("organisatie", "vechtstad/admin", "organisaties", organisation, "content/organisaties/"),
    Case("praktijk", "admin/provincie", "praktijken", praktijk, "content/praktijken/",
         ("Waar: Heuveldorp", "Een proef (pilot): het wordt uitgeprobeerd")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_an_editor_saves_what_check_accepts(browser, editor_url: str, tmp_path: Path,
                                            case: Case) -> None:
    editor = Editor(browser, editor_url)
    try:
        form = editor.open_new(case.admin, case.collection)
        case.fill(form)
        editor.screenshot(case.name)
        # The preview renders (an error in it replaces the frame with Decap's error page).
        expect(editor.page.locator("#preview-pane")).to_be_attached()
        preview = editor.page.frame_locator("#preview-pane").locator("body")
        for text in case.preview:  # names and Dutch words, not short names or codes
            expect(preview).to_contain_text(text)
        editor.save()
        files = editor.wait_saved()
        assert list(files) and all(p.startswith(case.folder) for p in files), files
        errors = check_with(tmp_path, files)
        saved = SHOTS / f"{case.name}.txt"
        saved.write_text("".join(f"# {p}\n{t}" for p, t in files.items()), "utf-8")
        assert errors == [], "\n".join([*errors, *files.values()])
        assert editor.errors == []
        # Nothing of Decap but its one script (the one pinned with a hash) was loaded.
        decap = [u for u in editor.scripts if "/decap/" in u]
        assert [u.rsplit("/", 1)[1] for u in decap] == ["decap-cms.js"], decap
    finally:
        editor.close()


EDITS = [  # (editor, route, field, file): existing entries of the fixture, as written by hand
    ("vechtstad/admin", "collections/activiteiten/entries/koffie-inloop", "Samenvatting",
     "content/activiteiten/vechtstad/koffie-inloop.yaml"),  # niet_op: [2026-12-29]
    ("vechtstad/admin", "collections/ontmoetingsplekken/entries/buurthuis-de-brug", "Samenvatting",
     "content/ontmoetingsplekken/vechtstad/buurthuis-de-brug.yaml"),
    ("vechtstad/admin", "collections/organisaties/entries/welzijn-vechtstad", "Naam",
     "content/organisaties/welzijn-vechtstad.yaml"),
    ("vechtstad/admin", "collections/gemeente/entries/vechtstad", "Naam",
     "content/gemeenten/vechtstad.yaml"),
    ("admin/provincie", "collections/praktijken/entries/welzijn-op-recept-vechtstad", "Lede",
     "content/praktijken/welzijn-op-recept-vechtstad.md"),
]


@pytest.mark.parametrize(("admin", "route", "field", "path"), EDITS,
                         ids=[e[3].rsplit("/", 1)[1] for e in EDITS])
def test_an_editor_changes_an_existing_entry(browser, editor_url: str, tmp_path: Path, admin: str,
                                             route: str, field: str, path: str) -> None:
    """Files written by hand use the short forms check accepts; the form opens them, and a
    small change saves a file check still accepts, with the change in it."""
    editor = Editor(browser, editor_url)
    try:
        form = editor.open(admin, route)
        form.append(field, " Nu ook")
        expect(editor.page.locator("#preview-pane")).to_be_attached()
        editor.save()
        files = editor.wait_saved()
        assert list(files) == [path], files
        assert " Nu ook" in files[path]
        errors = check_with(tmp_path, files, new=False)
        assert errors == [], "\n".join([*errors, *files.values()])
        assert editor.errors == []
    finally:
        editor.close()


def test_a_save_with_a_missing_field_names_it_without_a_page_error(browser, editor_url: str) -> None:
    """Decap refuses the save and names the missing fields; its promise rejection without a
    reason no longer surfaces as an uncaught page error ('undefined')."""
    editor = Editor(browser, editor_url)
    try:
        form = editor.open_new("vechtstad/admin", "activiteiten")
        form.type("Titel", "Alleen een titel")
        editor.save()
        expect(form.container("Samenvatting")).to_contain_text("is vereist", ignore_case=True)
        expect(editor.page.get_by_text("verplichte velden zijn niet ingevuld").first).to_be_visible()
        editor.page.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")
        assert editor.errors == []
        assert editor.saved_files() == {}
    finally:
        editor.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_way_to_the_editors(browser, editor_url: str, width: int) -> None:
    """/admin/ passes axe, reflows at phone width, and leads to a gemeente's editor."""
    with open_page(browser, f"{editor_url}/admin/", width=width) as page:
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"admin-{width}.png"), full_page=True)
        page.get_by_role("link", name="Vechtstad").click()
        expect(page).to_have_url(f"{editor_url}/vechtstad/admin/")
        expect(page.get_by_role("button", name="Inloggen")).to_be_visible(timeout=30000)


def test_a_yes_or_no_written_as_a_word_opens_as_an_answer(browser, tmp_path: Path) -> None:
    """`gratis: ja` and `nodig: nee` (words check accepts, text for Decap's YAML reader) show
    as answers, not as a missing answer that blocks the save, and are saved as true/false."""
    require_decap()
    content = tmp_path / "inhoud"
    shutil.copytree(FIXTURE, content)
    entry = content / "activiteiten" / "vechtstad" / "koffie-inloop.yaml"
    text = entry.read_text("utf-8")
    assert "kosten: {gratis: true}" in text and "aanmelden: {nodig: false," in text
    entry.write_text(text.replace("kosten: {gratis: true}", "kosten: {gratis: ja}")
                     .replace("aanmelden: {nodig: false,", "aanmelden: {nodig: Nee,"), "utf-8")
    site = make_editor_site(content, tmp_path / "site")
    with serve_directory(site) as url:
        editor = Editor(browser, url)
        try:
            form = editor.open("vechtstad/admin", "collections/activiteiten/entries/koffie-inloop")
            expect(form.container("Kosten").get_by_label("Ja", exact=True)).to_be_checked()
            expect(form.container("Aanmelden").get_by_label("Nee", exact=True)).to_be_checked()
            form.append("Samenvatting", " Nu ook")
            editor.save()
            files = editor.wait_saved()
            saved = files["content/activiteiten/vechtstad/koffie-inloop.yaml"]
            assert "gratis: true" in saved and "nodig: false" in saved, saved
            assert check_with(tmp_path / "check", files, new=False) == []
            assert editor.errors == []
        finally:
            editor.close()
