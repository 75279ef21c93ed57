"""`check` warns about contact details that look like a private person's (privacy.py)."""

from __future__ import annotations

import shutil
import textwrap
from datetime import date
from pathlib import Path

import pytest

from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.privacy import mobile_number, person_name, webmail_domain
from sociale_kaart.pipeline.resolve import check

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "kaart"
TODAY = date(2026, 11, 22)
CHECKED = "laatst_gecontroleerd: 2026-10-01\ngecontroleerd_door: beheerder\nbron: {titel: Test}\n"


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def write(content: Path, rel: str, text: str, checked: bool = True) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) + (CHECKED if checked else ""), encoding="utf-8")


def privacy(content: Path) -> list:
    kaart, diags = check(load_content(content), TODAY)
    assert kaart is not None, [d.text() for d in diags if d.is_error]
    return sorted((d for d in diags if d.code == "privacy"), key=lambda d: (d.file, d.line))


ACTIVITY = """\
    titel: Breicafé
    samenvatting: Samen breien.
    plek: buurthuis-de-brug
    contact: {naam: Jan de Vries, telefoon: 06 12345678, email: jan.devries@gmail.com}
    """


def test_a_private_person_as_contact_is_warned_about(content):
    write(content, "activiteiten/vechtstad/breicafe.yaml", ACTIVITY)
    found = privacy(content)
    assert [(Path(d.file).name, d.line, d.field, d.severity) for d in found] == [
        ("breicafe.yaml", 4, "contact.naam", "waarschuwing"),
        ("breicafe.yaml", 4, "contact.telefoon", "waarschuwing"),
        ("breicafe.yaml", 4, "contact.email", "waarschuwing"),
    ]
    naam, telefoon, email = (d.message for d in found)
    assert naam.startswith("'Jan de Vries' lijkt de naam van een persoon. Noem hier een functie")
    assert telefoon.startswith("'06 12345678' is een mobiel nummer (06)")
    assert email.startswith("'jan.devries@gmail.com' is een adres bij gmail.com")
    assert all("zet dan 'organisatiecontact: true' bij het contact" in m for m in (naam, telefoon, email))
    assert found[0].column > 1  # on the value, not the start of the line


def test_organisatiecontact_silences_the_warnings(content):
    write(content, "activiteiten/vechtstad/breicafe.yaml",
          ACTIVITY.replace("gmail.com}", "gmail.com, organisatiecontact: true}"))
    assert privacy(content) == []


def test_every_kind_of_contact_is_checked(content):
    write(content, "ontmoetingsplekken/vechtstad/huiskamer.yaml", """\
        naam: Huiskamer Oost
        soort: buurthuis
        contact: {naam: Mevrouw Jansen, telefoon: +31 6 1234 5678}
        """)
    write(content, "activiteiten/vechtstad/soep.yaml", """\
        titel: Soep
        samenvatting: Soep eten.
        plek: buurthuis-de-brug
        aanmelden: {nodig: true, email: soep@hotmail.nl, hoe: Bel Anja op 06-87654321.}
        """)
    write(content, "organisaties/breiclub.yaml", """\
        naam: Breiclub Vechtstad
        soort: vrijwilligersorganisatie
        telefoon: 0612345678
        email: breiclub@ziggo.nl
        """)
    write(content, "organisaties/zangkoor.yaml", """\
        naam: Zangkoor Vechtstad
        soort: vrijwilligersorganisatie
        telefoon: 06 11223344
        email: zangkoor@gmail.com
        organisatiecontact: true
        """)
    gemeente = content / "gemeenten/heuveldorp.yaml"
    gemeente.write_text(gemeente.read_text(encoding="utf-8").replace(
        "beheer:\n", "beheer:\n  contact: {naam: J. Pietersen, email: jp@outlook.com}\n"),
        encoding="utf-8")
    found = {(Path(d.file).name, d.field) for d in privacy(content)}
    assert found == {
        ("huiskamer.yaml", "contact.naam"), ("huiskamer.yaml", "contact.telefoon"),
        ("soep.yaml", "aanmelden.email"), ("soep.yaml", "aanmelden.hoe"),
        ("breiclub.yaml", "telefoon"), ("breiclub.yaml", "email"),
        ("heuveldorp.yaml", "beheer.contact.naam"), ("heuveldorp.yaml", "beheer.contact.email"),
    }


def test_praktijk_contacts_are_people_in_their_work(content):
    write(content, "praktijken/buurtaanpak.md", """\
        ---
        titel: Buurtaanpak
        lede: Samen in de buurt.
        gemeenten: [vechtstad]
        wat_werkt: [Samen optrekken.]
        status: pilot
        bron: {titel: Inspiratiebundel 2022}
        contacten:
          - {naam: Femke Hartendorp, organisatie: Welzijn Vechtstad, rol: opbouwwerker}
          - {naam: Jenny Zwijnenburg, organisatie: AanEen}
          - {naam: Anja Bakker}
          - {naam: Piet Smit, organisatie: Welzijn Vechtstad, telefoon: 06 12345678}
        ---
        Tekst.
        """, checked=False)
    found = privacy(content)
    assert [(d.field, d.message.split(" is ")[0]) for d in found] == [
        ("contacten[2].naam", "'Anja Bakker'"), ("contacten[3].telefoon", "'06 12345678'")]
    assert "zonder organisatie of rol. Vul 'organisatie' en 'rol' in" in found[0].message


def test_fixture_and_demo_content_have_no_private_contacts():
    for folder in (FIXTURE, ROOT / "content"):
        _, diags = check(load_content(folder), TODAY)
        assert [d.text() for d in diags if d.code == "privacy"] == [], folder


@pytest.mark.parametrize("text", ["Jan de Vries", "Anja", "Welzijnscoach Anja", "mevrouw De Vries",
                                  "Dhr. Jansen", "J. de Vries", "A.B. van der Berg", "Xandra van Os",
                                  "Anne-Marie Jansen", "JAN JANSEN", "de heer Bakker",
                                  "Coördinator Mohammed"])
def test_names_of_people(text):
    assert person_name(text)


@pytest.mark.parametrize("text", ["Welzijnscoach", "Receptie", "Coördinator Welzijn op Recept",
                                  "Huis van Cultuur", "Stichting de Brug", "Zorg in de Wijk",
                                  "Vrijwilligerscentrale Kampen", "Team Oost", "Raad van Kerken",
                                  "Hof van Twente", "Buurtkamer De Krim", "Jongerencoach van Impacter",
                                  "Spin in 't Web", "WMO-loket", "Balie", "Sociaal team"])
def test_roles_and_organisations(text):
    assert person_name(text) is None


def test_phone_numbers_and_mail_domains():
    for mobile in ("06 12345678", "06-12345678", "+31 6 1234 5678", "0031612345678", "(06) 12 34 56 78"):
        assert mobile_number(mobile), mobile
    for fixed in ("0523 123 456", "038 123 45 67", "+31 38 123 45 67", "14 038", "0800 1234"):
        assert not mobile_number(fixed), fixed
    assert webmail_domain("Jan@GMail.com") == "gmail.com"
    assert webmail_domain("info@kpnmail.nl") == "kpnmail.nl"
    assert webmail_domain("info@welzijn-vechtstad.nl") is None
    assert webmail_domain("info@gmail.com.example.nl") is None


def test_the_word_lists_live_in_one_place():
    holders = sorted(p.name for p in (ROOT / "sociale_kaart").rglob("*.py")
                     if "kpnmail" in p.read_text(encoding="utf-8")
                     or "tussenvoegsel" in p.read_text(encoding="utf-8").casefold())
    assert holders == ["privacy.py"]
