"""Issue 22: honest, actionable entries.

A source is not a check (structured ``bron``, ``laatst_gecontroleerd`` + ``gecontroleerd_door``,
freshness from the check or else the source, the migration of content/); only true dates
(JSON-LD, iCal, no "Hele dag"); a next step on every page and "Klopt er iets niet?"; pages that
speak to residents ("Over deze kaart", no editor wording); B1 Dutch in one voice ("u", plurals,
readability warnings, terms explained, a province-neutral site name).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from sociale_kaart.model.entries import Activiteit, Organisatie
from sociale_kaart.model.freshness import freshness
from sociale_kaart.outputs import jsonld
from sociale_kaart.outputs.ical import activity_calendar
from sociale_kaart.pipeline.language import douma, language_warnings, readability_problem
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.open import open_kaart
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.views import next_step, report_link

from .conftest import FIXTURE, NOW, TODAY

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FILE_NAME = re.compile(r"\b[0-9]{3}_[0-9a-f]{16}\.txt\b")


def _migration():
    spec = importlib.util.spec_from_file_location("migrate_bron", ROOT / "scripts" / "migrate_bron.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["migrate_bron"] = module
    spec.loader.exec_module(module)
    return module


def _activity(**fields) -> Activiteit:
    data = {"titel": "Koffie", "samenvatting": "Samen koffie drinken.", "bron": {"titel": "Folder"},
            **fields}
    a = Activiteit.model_validate(data)
    a.bind("koffie", "activiteiten/vechtstad/koffie.yaml", "vechtstad")
    return a


def _build(content: Path, out: Path) -> Path:
    result = build(BuildOptions(content=content, out=out, today=TODAY, now=NOW, search=False,
                                environ={}))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    return out


def _text(page: Path) -> str:
    """The visible text of a page, roughly: tags and scripts removed, entities decoded."""
    raw = page.read_text("utf-8")
    raw = re.sub(r"(?s)<script.*?</script>|<head>.*?</head>|<[^>]+>", " ", raw)
    return " ".join(html.unescape(raw).split())


# --------------------------------------------------------------------------- the model

def test_a_source_is_structured_and_one_mapping_is_enough() -> None:
    a = _activity(bron={"titel": "Evaluatiekrant Sociale Kwaliteit", "uitgever": "provincie Overijssel",
                        "datum": date(2023, 7, 7), "plaats": "artikel 'X'"})
    assert len(a.bron) == 1 and a.bron[0].datum == "2023-07-07"
    assert a.bron[0].tekst == "Evaluatiekrant Sociale Kwaliteit (provincie Overijssel), juli 2023"
    two = _activity(bron=[{"titel": "A", "datum": 2023}, {"titel": "B", "datum": "2022-10"}])
    assert [b.datum for b in two.bron] == ["2023", "2022-10"]
    assert two.bron[0].tekst == "A, 2023"


@pytest.mark.parametrize("bad", ["2023-13", "2023-02-30", "juli 2023", "23", 1800])
def test_a_source_date_has_the_documents_own_precision_or_none(bad) -> None:
    with pytest.raises(ValidationError) as info:
        _activity(bron={"titel": "A", "datum": bad})
    assert "zo precies als de bron" in str(info.value) or "tussen de jaren" in str(info.value)


def test_the_old_text_form_of_bron_names_the_migration() -> None:
    with pytest.raises(ValidationError) as info:
        _activity(bron="000_eee737bd82e1cc7f.txt (Evaluatiekrant, provincie Overijssel, juli 2023)")
    assert "scripts/migrate_bron.py" in str(info.value)


def test_a_check_says_who_checked_it() -> None:
    assert _activity().laatst_gecontroleerd is None  # optional: nobody asked
    with pytest.raises(ValidationError, match="gecontroleerd_door"):
        _activity(laatst_gecontroleerd="2026-10-01")
    with pytest.raises(ValidationError, match="zonder 'laatst_gecontroleerd'"):
        _activity(gecontroleerd_door="welzijnscoach")
    a = _activity(laatst_gecontroleerd="2026-10-01", gecontroleerd_door="welzijnscoach")
    assert a.gecontroleerd_door == "welzijnscoach"


def test_check_explains_a_missing_gecontroleerd_door(content_copy: Path) -> None:
    path = content_copy / "activiteiten/vechtstad/taalcafe.yaml"
    path.write_text(path.read_text("utf-8").replace("gecontroleerd_door: beheerder van de kaart\n", ""),
                    "utf-8")
    _, diags = check(load_content(content_copy), TODAY)
    (d,) = [d for d in diags if d.is_error]
    assert d.field == "gecontroleerd_door" and d.code == "samen-nodig"
    assert d.message.startswith("zet bij 'laatst_gecontroleerd' ook 'gecontroleerd_door'")


def test_checked_by_a_person_is_a_privacy_warning(content_copy: Path) -> None:
    path = content_copy / "activiteiten/vechtstad/taalcafe.yaml"
    path.write_text(path.read_text("utf-8").replace("gecontroleerd_door: beheerder van de kaart",
                                                    "gecontroleerd_door: Jan de Vries"), "utf-8")
    _, diags = check(load_content(content_copy), TODAY)
    assert any(d.field == "gecontroleerd_door" and d.code == "privacy" for d in diags)


def test_freshness_from_the_check_else_the_source_and_says_which() -> None:
    checked = freshness(date(2026, 3, 3), 12, TODAY, ["2023-07-07"])
    assert (checked.basis, checked.stale, checked.uitleg) == ("controle", False,
                                                              "nagevraagd op 3 maart 2026")
    dated = freshness(None, 12, TODAY, ["2022", "2023-07-07", None])
    assert (dated.basis, dated.stale, dated.checked) == ("bron", True, date(2023, 7, 7))
    assert dated.uitleg == "niet nagevraagd; de bron is van juli 2023"
    assert "De bron is van juli 2023" in dated.let_op
    undated = freshness(None, 12, TODAY, [None])
    assert (undated.basis, undated.stale) == ("onbekend", True)
    assert undated.uitleg == "niet nagevraagd; de bron heeft geen datum"
    assert freshness(None, 12, TODAY, ["2026-10"]).stale is False


def test_check_rapport_and_page_say_what_the_freshness_counts_from(content_copy: Path, tmp_path: Path) -> None:
    path = content_copy / "activiteiten/vechtstad/taalcafe.yaml"
    text = path.read_text("utf-8").replace("laatst_gecontroleerd: 2026-10-01\n", "") \
        .replace("gecontroleerd_door: beheerder van de kaart\n", "") \
        .replace("  - titel: Bibliotheek Vechtstad", "  - titel: Folder van de bibliotheek\n"
                                                    "    datum: 2023-07")
    path.write_text(text, "utf-8")
    opened = open_kaart(content_copy, TODAY)
    warning = next(d for d in opened.diagnostics if d.code == "verouderd" and "taalcafe" in d.file)
    assert warning.field == "bron" and "niet nagevraagd; de bron is van juli 2023" in warning.message
    from sociale_kaart.outputs.rapport.data import rapport_data
    from sociale_kaart.outputs.rapport.formats import format_markdown
    assert opened.kaart is not None
    report = format_markdown(rapport_data(opened.kaart))
    assert "Taalcafé (activiteit), niet nagevraagd; de bron is van juli 2023" in report
    out = _build(content_copy, tmp_path / "out")
    page = _text(out / "vechtstad/activiteiten/taalcafe/index.html")
    assert "Uit: Folder van de bibliotheek, juli 2023." in page
    assert "Nagevraagd" not in page
    assert "Let op: deze informatie is niet nagevraagd bij de organisatie. De bron is van juli 2023." in page


def test_a_real_check_says_with_whom_and_when(built_site: Path) -> None:
    page = _text(built_site / "vechtstad/activiteiten/taalcafe/index.html")
    assert "Uit: Bibliotheek Vechtstad." in page
    assert "Nagevraagd bij Welzijn Vechtstad op 1 oktober 2026." in page
    assert "Let op" not in page


# --------------------------------------------------------------------------- migration

OLD = """titel: Herstelacademie
samenvatting: Voor mensen met psychische problemen.
laatst_gecontroleerd: 2022-12-13
bron: "003_e979c469ad35adcd.txt (Slotrapportage Samen in Beweging met kwetsbare inwoners,
  december 2022), 4.2.1 Kampen; ook 000, 'Regioaanpak Positieve Gezondheid'"
"""


def test_migration_converts_the_text_form_and_drops_source_dates() -> None:
    migrate = _migration()
    text, notes = migrate.migrate_text(OLD, False, None)
    data = yaml.safe_load(text)
    assert "laatst_gecontroleerd" not in data
    assert data["bron"] == [
        {"titel": "Samen in beweging met kwetsbare inwoners. Slotrapportage van het vierjarige project",
         "uitgever": "consortium Samen in beweging", "plaats": "4.2.1 Kampen"},
        {"titel": "Evaluatiekrant Sociale Kwaliteit", "uitgever": "provincie Overijssel",
         "datum": date(2023, 7, 7), "plaats": "'Regioaanpak Positieve Gezondheid'"}]
    assert text.startswith("titel: Herstelacademie\nsamenvatting:")  # the rest as it was
    assert migrate.migrate_text(text, False, None) == (text, [])  # again: nothing to do
    Activiteit.model_validate(data)


def test_migration_keeps_a_real_check_only_with_who_did_it(tmp_path: Path) -> None:
    migrate = _migration()
    old = "naam: X\nsoort: a\nlaatst_gecontroleerd: 2026-10-01\nbron: Website van de organisatie, oktober 2026\n"
    text, notes = migrate.migrate_text(old, False, None)
    assert "laatst_gecontroleerd: 2026-10-01" in text and any("LET OP" in n for n in notes)
    text, _ = migrate.migrate_text(old, False, "welzijnscoach")
    data = yaml.safe_load(text)
    assert data["gecontroleerd_door"] == "welzijnscoach"
    assert data["bron"] == [{"titel": "Website van de organisatie", "datum": "2026-10"}]
    flow = "{naam: X, soort: a, laatst_gecontroleerd: 2023-07-07, bron: '000_eee737bd82e1cc7f.txt (E), artikel'}\n"
    data = yaml.safe_load(migrate.migrate_text(flow, False, None)[0])
    assert data == {"naam": "X", "soort": "a", "bron": [
        {"titel": "Evaluatiekrant Sociale Kwaliteit", "uitgever": "provincie Overijssel",
         "datum": date(2023, 7, 7), "plaats": "artikel"}]}
    md = "---\ntitel: P\nbron: 004_1c10761eb46ebbeb.txt (I), praktijk 'Fief'\n---\n## Tekst\n"
    out = migrate.migrate_text(md, True, None)[0]
    assert out.endswith("---\n## Tekst\n") and "plaats: praktijk 'Fief'" in out


def test_content_is_migrated_and_names_no_file() -> None:
    migrate = _migration()
    copy = Path(shutil.copytree(CONTENT, Path(__import__("tempfile").mkdtemp()) / "c"))
    changes, errors = migrate.migrate(copy, dry_run=True)
    assert (changes, errors) == ([], [])
    for path in CONTENT.rglob("*"):
        if path.suffix in (".yaml", ".md"):
            assert not FILE_NAME.search(path.read_text("utf-8")), path


# --------------------------------------------------------------------------- true dates

def test_jsonld_states_only_what_the_schedule_gives() -> None:
    from sociale_kaart.model.occurrences import occurrences

    no_schedule = _activity()
    loaded = load_content(FIXTURE)
    kaart, _ = check(loaded, TODAY)
    assert kaart is not None
    event = jsonld.event(kaart, no_schedule, "vechtstad", None, None, [])
    assert "startDate" not in event and "eventSchedule" not in event

    taalcafe = kaart.activiteiten["vechtstad"]["taalcafe"]
    schedule = jsonld.event(kaart, taalcafe, "vechtstad", None, None, [])["eventSchedule"]
    # The Christmas break 21 Dec - 3 Jan: both Wednesdays of it, not only its first day.
    assert schedule[0]["exceptDate"] == ["2026-12-23", "2026-12-30"]

    last_friday = kaart.activiteiten["heuveldorp"]["dorpsmaaltijd"]
    shown = jsonld.event(kaart, last_friday, "heuveldorp", None, None, [])
    for s in shown["eventSchedule"]:
        assert s.get("byMonthWeek", 1) in range(1, 6)
    assert any("laatste vrijdag" in s.get("description", "") for s in shown["eventSchedule"])
    assert shown["startDate"] == "2026-12-18"  # the one-off date: from the schedule

    markdown = _activity(wanneer=[{"frequentie": "wekelijks", "dagen": ["DI"]}])
    ahead = occurrences(markdown.wanneer, TODAY, date(2026, 12, 31))
    event = jsonld.event(kaart, markdown, "vechtstad", None, None, ahead[:5])
    assert event["startDate"] == "2026-11-24"  # a day, no invented time
    org = kaart.organisaties["welzijn-vechtstad"]
    assert "**" not in jsonld.organization(kaart, org)["description"]
    assert "welzijnscoaches denken mee" in jsonld.organization(kaart, org)["description"]


def test_no_event_and_no_all_day_for_an_unknown_time(content_copy: Path, tmp_path: Path) -> None:
    a = _activity(wanneer=[{"frequentie": "wekelijks", "dagen": ["DI"]}])
    assert activity_calendar(a, None, None, "example.nl") is None
    timed = _activity(wanneer=[{"frequentie": "wekelijks", "dagen": ["DI"]},
                               {"frequentie": "wekelijks", "dagen": ["DO"], "van": "10:00"}])
    cal = activity_calendar(timed, None, None, "example.nl")
    assert cal is not None and cal.count(b"BEGIN:VEVENT") == 1 and b"VALUE=DATE:" not in cal

    path = content_copy / "activiteiten/vechtstad/taalcafe.yaml"
    path.write_text(path.read_text("utf-8").replace('    van: "19:30"\n    tot: "21:00"\n', ""), "utf-8")
    out = _build(content_copy, tmp_path / "out")
    page = _text(out / "vechtstad/activiteiten/taalcafe/index.html")
    assert "Tijd: vraag het na bij Welzijn Vechtstad:" in page
    assert "Zet in mijn agenda" not in page
    assert not (out / "vechtstad/activiteiten/taalcafe.ics").exists()
    assert b"Taalcaf" not in (out / "vechtstad/agenda.ics").read_bytes()
    for page in [*out.rglob("*.html")]:
        assert "Hele dag" not in page.read_text("utf-8"), page
    agenda = _text(out / "vechtstad/agenda/index.html")
    assert "Tijd: vraag het na Taalcafé" in agenda
    assert "Activiteiten waarvan de tijd niet bekend is, komen daar niet in." in agenda


# --------------------------------------------------------------------------- a next step

def _kaart(content: Path):
    kaart, diags = check(load_content(content), TODAY)
    assert kaart is not None, [d.text() for d in diags if d.is_error]
    return kaart


def test_next_step_own_contact_then_organiser_place_loket_or_plainly(content_copy: Path) -> None:
    kaart = _kaart(FIXTURE)
    digicafe = kaart.activiteiten["vechtstad"]["digicafe"]
    assert (next_step(kaart, digicafe, "vechtstad").bron, next_step(kaart, digicafe, "vechtstad").telefoon) \
        == ("eigen", "0523 777 888")
    taalcafe = kaart.activiteiten["vechtstad"]["taalcafe"]
    step = next_step(kaart, taalcafe, "vechtstad")
    assert (step.bron, step.naam, step.telefoon) == ("organisator", "Welzijn Vechtstad", "0523 123 456")
    # Heuveldorp: an organiser and a place without any phone, e-mail or website, no loket.
    maaltijd = kaart.activiteiten["heuveldorp"]["dorpsmaaltijd"]
    step = next_step(kaart, maaltijd, "heuveldorp")
    assert step.bron == "geen" and step.zin == ("Vraag het na bij de gemeente Heuveldorp, uw huisarts "
                                                "of het wijkteam.")
    # With a loket the gemeente's loket is the answer.
    path = content_copy / "gemeenten/heuveldorp.yaml"
    path.write_text(path.read_text("utf-8") + "loket: {naam: Dorpsloket, telefoon: 0523 999 999}\n", "utf-8")
    kaart = _kaart(content_copy)
    step = next_step(kaart, kaart.activiteiten["heuveldorp"]["dorpsmaaltijd"], "heuveldorp")
    assert (step.bron, step.naam, step.telefoon) == ("loket", "Dorpsloket", "0523 999 999")
    # An organisation without contact details points to the loket too.
    org = kaart.organisaties["dorpsraad-heuveldorp"]
    assert next_step(kaart, org, "heuveldorp").bron == "loket"


def test_no_page_says_call_or_mail_someone_without_a_phone_or_email(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        text = _text(page)
        assert "Bel of mail" not in text, page
        assert "Er zijn geen contactgegevens bekend" not in text, page
    maaltijd = _text(built_site / "heuveldorp/activiteiten/dorpsmaaltijd/index.html")
    assert "Vragen? Vraag het bij de gemeente Heuveldorp, uw huisarts of het wijkteam." in maaltijd
    org = _text(built_site / "heuveldorp/organisaties/dorpsraad-heuveldorp/index.html")
    assert "We hebben geen telefoonnummer, e-mailadres of website van Dorpsraad Heuveldorp." in org


def test_klopt_er_iets_niet_names_the_file(content_copy: Path, built_site: Path) -> None:
    kaart = _kaart(FIXTURE)
    taalcafe = kaart.activiteiten["vechtstad"]["taalcafe"]
    mail = report_link(kaart, taalcafe, "vechtstad", "vechtstad/activiteiten/taalcafe/")
    assert mail is not None and mail.startswith("mailto:kaart@welzijn-vechtstad.example.nl?")
    assert "content%2Factiviteiten%2Fvechtstad%2Ftaalcafe.yaml" in mail
    page = (built_site / "vechtstad/activiteiten/taalcafe/index.html").read_text("utf-8")
    assert "Klopt er iets niet?" in page and html.escape(mail) in page

    site = content_copy / "site.yaml"
    site.write_text(site.read_text("utf-8") + "repository: https://github.com/voorbeeld/kaart\n", "utf-8")
    kaart = _kaart(content_copy)
    link = report_link(kaart, kaart.activiteiten["vechtstad"]["taalcafe"], "vechtstad",
                       "vechtstad/activiteiten/taalcafe/")
    assert link is not None and link.startswith("https://github.com/voorbeeld/kaart/issues/new?")
    assert "template=klopt-er-iets-niet.yml" in link
    assert "bestand=content%2Factiviteiten%2Fvechtstad%2Ftaalcafe.yaml" in link
    assert "pagina=https%3A%2F%2Fsociale-kaart.example.nl%2Fvechtstad%2Factiviteiten%2Ftaalcafe%2F" in link
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/klopt-er-iets-niet.yml").read_text("utf-8"))
    ids = {f.get("id") for f in form["body"]}
    assert {"bestand", "pagina", "wat"} <= ids
    # Every entry page of every kind has it.
    for folder in ("activiteiten", "plekken", "organisaties", "praktijken"):
        for page in (built_site / "vechtstad" / folder).glob("*/index.html"):
            assert "Klopt er iets niet?" in page.read_text("utf-8"), page


def test_without_a_report_link_the_page_says_whom_to_tell(built_site: Path) -> None:
    """Heuveldorp has no repository, no beheer e-mail and no loket: no dead end ('read Over deze
    kaart', which would send the resident back), but whom to tell, on the page and on Over."""
    maaltijd = _text(built_site / "heuveldorp/activiteiten/dorpsmaaltijd/index.html")
    assert "Klopt er iets niet? Meld het bij de gemeente Heuveldorp." in maaltijd
    org = _text(built_site / "heuveldorp/organisaties/dorpsraad-heuveldorp/index.html")
    assert "Klopt er iets niet? Meld het bij de gemeente Heuveldorp." in org
    over = _text(built_site / "heuveldorp/over/index.html")
    assert "U kunt het ook melden bij de gemeente Heuveldorp." in over
    vechtstad_over = _text(built_site / "vechtstad/over/index.html")
    assert "U kunt ook mailen naar kaart@welzijn-vechtstad.example.nl" in vechtstad_over


# --------------------------------------------------------------------------- residents' pages

def test_no_editor_wording_or_file_names_on_public_pages(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        if "rapport" in page.parts or "admin" in page.parts:
            continue
        text = _text(page)
        assert not FILE_NAME.search(text), page
        assert "in de bron" not in text and "Bron: " not in text, page
        assert "laatst_gecontroleerd" not in text and "Rapport voor beheerders" not in text, page
        assert "Dat staat er niet bij" not in text, page


def test_over_deze_kaart_links_the_report_and_the_footer_does_not(built_site: Path) -> None:
    home = (built_site / "vechtstad/index.html").read_text("utf-8")
    footer = home[home.index('<footer'):]
    assert 'href="over/"' in footer and "rapport/" not in footer
    over = (built_site / "vechtstad/over/index.html").read_text("utf-8")
    assert 'href="../../rapport/"' in over
    text = _text(built_site / "vechtstad/over/index.html")
    for term in ("Laagdrempelig", "iCal", "Open data", "Welzijn op Recept", "Klopt er iets niet?",
                 "Welzijn Vechtstad"):
        assert term in text
    assert (built_site / "over/index.html").is_file()
    province = (built_site / "index.html").read_text("utf-8")
    assert "Sitemap" not in province[province.index("<footer"):]
    assert "/rapport/" in (ROOT / "CONTRIBUTING.md").read_text("utf-8")


def test_welzijn_op_recept_is_explained_where_it_is_named(built_site: Path) -> None:
    page = (built_site / "vechtstad/activiteiten/wandelgroep/index.html").read_text("utf-8")
    assert '<a href="../../wat-is-welzijn-op-recept/">Geschikt voor Welzijn op Recept</a>' in page
    explained = _text(built_site / "vechtstad/wat-is-welzijn-op-recept/index.html")
    assert "Wat is Welzijn op Recept?" in explained and "welzijnscoach" in explained
    for page in built_site.rglob("*.html"):
        if {"wat-is-welzijn-op-recept", "over"} & set(page.parts):  # the explanations themselves
            continue
        text = page.read_text("utf-8")
        for m in re.finditer(r"Geschikt voor Welzijn op Recept", text):
            before = text[max(0, m.start() - 120):m.start()]
            assert "wat-is-welzijn-op-recept/" in before, page


def test_plurals_and_terms(built_site: Path) -> None:
    province = _text(built_site / "index.html")
    assert "(1 activiteit)" in province and "(1 activiteiten)" not in province
    praktijk = _text(built_site / "kennisbank/welzijn-op-recept-vechtstad/index.html")
    assert "Fase" not in praktijk and "Stand van zaken" in praktijk
    # no repository, no e-mail: the praktijk's own contacts, not a loop via Over deze kaart
    assert "Klopt er iets niet? Meld het bij een van de organisaties onder Contact ." in praktijk


# --------------------------------------------------------------------------- B1 and "u"

def test_textstat_uses_douma_for_dutch() -> None:
    from textstat.backend.utils.constants import LANG_CONFIGS

    nl = LANG_CONFIGS["nl"]
    assert (nl["fre_base"], nl["fre_sentence_length"], nl["fre_syll_per_word"]) == (206.835, 0.93, 77)
    text = "Elke dinsdag drinken we samen koffie in het buurthuis."
    words, syll = 9, 15  # koffie 2, buurthuis 2, dinsdag 2, drinken 2, samen 2 ...
    assert douma(text) == pytest.approx(206.835 - 0.93 * words - 77 * syll / words)


def test_a_hard_summary_gets_a_dutch_warning_that_says_what_to_shorten() -> None:
    assert readability_problem("Elke dinsdag drinken we samen koffie in het buurthuis.") is None
    hard = ("Wij organiseren laagdrempelige bewegingsactiviteiten voor kwetsbare ouderen met "
            "multimorbiditeit in samenwerking met fysiotherapeutische praktijken in de regio.")
    message = readability_problem(hard)
    assert message is not None and "Flesch-Douma" in message and "B1" in message
    assert "'bewegingsactiviteiten'" in message and "zinnen korter (nu 17 woorden" in message


def test_check_warns_about_je_editor_wording_and_hard_summaries(content_copy: Path) -> None:
    path = content_copy / "activiteiten/vechtstad/taalcafe.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "samenvatting: Nederlands oefenen in een gezellige groep, met vrijwilligers.",
        "samenvatting: Hier oefen je Nederlands. Tijden staan niet in de bron.\n"
        "beschrijving: Wij organiseren laagdrempelige taalactiviteiten voor anderstalige "
        "nieuwkomers."), "utf-8")
    opened = open_kaart(content_copy, TODAY)
    assert opened.kaart is not None
    codes = {(d.code, d.field) for d in language_warnings(opened.kaart, opened.loaded)
             if "taalcafe" in d.file}
    assert ("aanspreekvorm", "samenvatting") in codes and ("redactie", "samenvatting") in codes
    path.write_text(path.read_text("utf-8").replace(
        "samenvatting: Hier oefen je Nederlands. Tijden staan niet in de bron.",
        "samenvatting: Nederlandstalige conversatiebijeenkomsten voor anderstalige volwassenen."),
        "utf-8")
    opened = open_kaart(content_copy, TODAY)
    assert opened.kaart is not None
    assert any(d.code == "leesbaarheid" and d.file.endswith("taalcafe.yaml") and d.line == 2
               for d in language_warnings(opened.kaart, opened.loaded))


def test_the_site_says_u_and_has_a_province_neutral_name() -> None:
    for vocab in (CONTENT / "taxonomie").glob("*.yaml"):
        data = yaml.safe_load(vocab.read_text("utf-8"))
        for term in data["termen"]:
            for text in (term["label"], term.get("beschrijving") or ""):
                assert not re.search(r"\b(je|jij|jouw|jezelf)\b", text, re.I), (vocab.name, text)
    site = yaml.safe_load((CONTENT / "site.yaml").read_text("utf-8"))
    provinces = {yaml.safe_load(p.read_text("utf-8"))["provincie"] for p in (CONTENT / "gemeenten").glob("*.yaml")}
    assert len(provinces) > 1
    assert not any(p in site["naam"] for p in provinces)


def test_the_chooser_is_grouped_by_province(tmp_path: Path) -> None:
    out = _build(CONTENT, tmp_path / "out")
    page = (out / "index.html").read_text("utf-8")
    heads = re.findall(r"<h3>([^<]+)</h3>", page)
    assert heads == sorted({"Overijssel", "Gelderland", "Utrecht", "Zuid-Holland"})


# --------------------------------------------------------------------------- exports, new, import

def test_hsds_assured_date_only_for_real_checks() -> None:
    from sociale_kaart.outputs.hsds import service

    kaart = _kaart(FIXTURE)
    assert service(kaart, kaart.activiteiten["vechtstad"]["taalcafe"], "vechtstad")["assured_date"] \
        == "2026-10-01"
    assert "assured_date" not in service(kaart, _activity(), "vechtstad")


def test_new_writes_no_check_date_and_asks_for_a_source() -> None:
    from sociale_kaart.authoring.scaffold import scaffold_text

    text, must = scaffold_text("activiteit", "Breiclub", TODAY, gemeente="vechtstad")
    assert "\nlaatst_gecontroleerd:" not in text and "# laatst_gecontroleerd:" in text
    assert 'bron:\n  - titel: ""\n' in text and "bron[0].titel" in must
    filled = yaml.safe_load(text.replace('titel: ""', "titel: Folder").replace('samenvatting: ""',
                                                                                 "samenvatting: Breien."))
    filled.pop("gemeente", None)
    Activiteit.model_validate(filled)


def test_json_schema_accepts_one_source_or_a_list() -> None:
    import jsonschema

    schema = json.loads((ROOT / "schemas/organisatie.schema.json").read_text("utf-8"))
    base = {"naam": "X", "soort": "a"}
    jsonschema.validate({**base, "bron": {"titel": "Folder", "datum": "2023-07"}}, schema)
    jsonschema.validate({**base, "bron": [{"titel": "Folder", "datum": 2023}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**base, "bron": {"titel": "Folder", "datum": "juli 2023"}}, schema)
    Organisatie.model_validate({**base, "bron": {"titel": "Folder"}})
