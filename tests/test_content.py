"""Checks on the real content in content/: it validates, nothing is lost, and it stays faithful
to the sources in ../shared/bronnen/ (issue 7).

The counts are exact on purpose: when an entry is added or removed, update the number here in the
same pull request, so that content never disappears by accident.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
BRONNEN = ROOT.parent / "shared" / "bronnen"
TODAY = date(2026, 11, 22)

# The source documents (../shared/bronnen/) by the start of their title, and the date each
# document states itself: only the evaluatiekrant has one (Zwolle, 7 juli 2023).
DOCUMENTS = {
    "000": ("Evaluatiekrant Sociale Kwaliteit", "2023-07-07"),
    "001": ("’t Giet mooi!", None),
    "002": ("Beleidsvisie Sociale Kwaliteit", None),
    "003": ("Samen in beweging met kwetsbare inwoners", None),
    "004": ("Inspiratiebundel Gezond & sociaal in de regio", None),
}
# Dates that were in laatst_gecontroleerd but are no checks (issue 22): the evaluatiekrant's
# date, the last meeting in report 003, a date in no source.
NOT_CHECKS = {date(2023, 7, 7), date(2022, 12, 13), date(2022, 7, 1)}


def _cites(entry, nr: str) -> bool:
    return any(b.titel.startswith(DOCUMENTS[nr][0]) for b in entry.bron)


def _bron_text(entry) -> str:
    """Every source of an entry as one text: titles, publishers, dates and places."""
    return " ".join(f"{b.tekst} {b.plaats or ''}" for b in entry.bron or ())

PRAKTIJKEN_004 = {
    "cultuur-dichtbij", "de-rendementsmeter", "fief", "pilot-de-scootmobiel",
    "proeftuinen-gezond-gewicht", "project-kwetsbare-capellenaren", "quasi-inbesteden",
    "spin-in-t-web", "stapjefitter", "we-zijn-zelf-het-medicijn",
}
OVERIJSSEL = {
    "almelo": "GM0141", "borne": "GM0147", "dalfsen": "GM0148", "deventer": "GM0150",
    "dinkelland": "GM1774", "enschede": "GM0153", "haaksbergen": "GM0158", "hardenberg": "GM0160",
    "hellendoorn": "GM0163", "hengelo": "GM0164", "hof-van-twente": "GM1735", "kampen": "GM0166",
    "losser": "GM0168", "oldenzaal": "GM0173", "olst-wijhe": "GM1773", "ommen": "GM0175",
    "raalte": "GM0177", "rijssen-holten": "GM1742", "staphorst": "GM0180",
    "steenwijkerland": "GM1708", "tubbergen": "GM0183", "twenterand": "GM1700",
    "wierden": "GM0189", "zwartewaterland": "GM1896", "zwolle": "GM0193",
}
ELSEWHERE = {
    "oost-gelre": "GM1586", "winterswijk": "GM0294", "ridderkerk": "GM0597",
    "dordrecht": "GM0505", "rotterdam": "GM0599", "capelle-aan-den-ijssel": "GM0502",
    "maassluis": "GM0556", "vlaardingen": "GM0622", "schiedam": "GM0606",
    "papendrecht": "GM0590", "woerden": "GM0632",
}


@pytest.fixture(scope="module")
def loaded():
    return load_content(CONTENT)


@pytest.fixture(scope="module")
def checked(loaded):
    return check(loaded, TODAY)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_content_has_no_errors(checked):
    kaart, diags = checked
    errors = [f"{d.file}:{d.line} {d.field}: {d.message}" for d in diags if d.is_error]
    assert errors == []
    assert kaart is not None


def test_only_expected_warnings(checked):
    # Entries from 2022/2023 sources are due for a check, and most activities have no times.
    _, diags = checked
    assert {d.code for d in diags if not d.is_error} <= {"verouderd", "geen-tijden"}


def test_exact_counts(loaded):
    counts = {kind: len(entries) for kind, entries in loaded.entries.items()}
    assert counts == {"gemeente": 36, "organisatie": 94, "ontmoetingsplek": 11,
                      "activiteit": 44, "praktijk": 28}


def test_gemeenten_and_cbs_codes(loaded):
    gemeenten = {g.slug: g for g in loaded.entries["gemeente"]}
    assert {s: g.cbs_code for s, g in gemeenten.items()} == {**OVERIJSSEL, **ELSEWHERE}
    assert {s for s, g in gemeenten.items() if g.provincie == "Overijssel"} == set(OVERIJSSEL)
    assert all("overijssel" in gemeenten[s].regios for s in OVERIJSSEL)
    assert len([s for s in OVERIJSSEL if "twente" in gemeenten[s].regios]) == 14


def test_every_entry_names_its_source_with_the_documents_own_date(loaded):
    for kind in ("organisatie", "ontmoetingsplek", "activiteit", "praktijk"):
        for entry in loaded.entries[kind]:
            assert any(_cites(entry, nr) for nr in DOCUMENTS), entry.file
            for b in entry.bron:
                nr = next(nr for nr, (title, _) in DOCUMENTS.items() if b.titel.startswith(title))
                assert b.datum == DOCUMENTS[nr][1], (entry.file, b.titel)
                assert ".txt" not in b.tekst and ".txt" not in (b.plaats or ""), entry.file


def test_every_gemeente_names_its_source(loaded):
    """What a gemeente's intro, kernen and regions rest on: the sources, and honestly the general
    data (CBS code, province, regions) that come from none of them (issue 22)."""
    for g in loaded.entries["gemeente"]:
        assert g.bron and any(_cites(g, nr) for nr in DOCUMENTS), g.file
        comment = "# The CBS code, the province, the regions"
        assert comment in (ROOT / g.file).read_text("utf-8"), g.file
        assert "algemene gegevens" not in _bron_text(g), g.file


def test_the_twelve_gemeenten_without_activities_have_an_intro(loaded):
    gemeenten = {g.slug: g for g in loaded.entries["gemeente"]}
    twelve = ("borne", "haaksbergen", "hellendoorn", "losser", "maassluis", "oldenzaal", "olst-wijhe",
              "raalte", "rijssen-holten", "schiedam", "staphorst", "vlaardingen")
    for slug in twelve:
        assert gemeenten[slug].intro, slug
    fief = {o.slug: o for o in loaded.entries["organisatie"]}["fief"]
    assert set(fief.gemeenten) == {"maassluis", "vlaardingen", "schiedam"}


def test_new_entries_for_gemeenten_without_activities(loaded):
    """Only what the sources support (issue 22): Fief's fietsdag and 'Fief aan de wandel' in the
    three MVS gemeenten (004), the Dorpsraad Punthorst (000, vrijwilligersprijs) and the SamSam
    aanspreekpunt in Borne (000). Where and when is unknown, so no place, kern or time is given."""
    activiteiten = {(a._gemeente, a.slug): a for a in loaded.entries["activiteit"]}
    for g in ("maassluis", "vlaardingen", "schiedam"):
        fief = activiteiten[(g, "fietsdag-en-fief-aan-de-wandel")]
        assert fief.organisator == "fief" and _cites(fief, "004")
        assert not (fief.kern or fief.plek or fief.adres or fief.wanneer)
    punthorst = activiteiten[("staphorst", "dorpsraad-punthorst")]
    assert punthorst.kern == "Punthorst" and "Dorpsraad Punthorst" in _bron_text(punthorst)
    assert not punthorst.wanneer
    samsam = activiteiten[("borne", "sociaal-werker-via-de-huisarts")]
    assert samsam.aanmelden and samsam.aanmelden.hoe == "Via de huisarts."
    assert "tierelier" in _bron_text(samsam) and not samsam.wanneer


def test_kernen_and_wijken_apart(loaded):
    gemeenten = {g.slug: g for g in loaded.entries["gemeente"]}
    assert gemeenten["hardenberg"].wijken == ["Baalder"]
    assert gemeenten["rotterdam"].wijken == ["Rotterdam-Noord"]
    assert gemeenten["steenwijkerland"].wijken == ["Clingenborgh"]
    for g in gemeenten.values():
        assert not set(g.kernen) & set(g.wijken), g.slug
    activiteiten = {(a._gemeente, a.slug): a for a in loaded.entries["activiteit"]}
    assert activiteiten[("hardenberg", "burendag-baalder")].wijk == "Baalder"
    assert activiteiten[("rotterdam", "spin-in-t-web-noord")].wijk == "Rotterdam-Noord"


def test_no_editor_wording_in_texts():
    """What is unknown is said for residents ('is niet bekend'), not as a note about the source."""
    for path in CONTENT.rglob("*"):
        if path.suffix in (".yaml", ".md"):
            text = re.sub(r"^bron: .*?(?=^\w|\Z)", "", path.read_text(encoding="utf-8"),
                          flags=re.M | re.S)
            assert not re.search(r"in de (bron|bundel)\b", text), path


def test_a_source_date_is_no_check(loaded):
    """Nobody confirmed the demo content with the organisations: no entry says it was, and a
    date of a source never sits in laatst_gecontroleerd."""
    for kind in ("organisatie", "ontmoetingsplek", "activiteit", "praktijk"):
        for entry in loaded.entries[kind]:
            checked = entry.laatst_gecontroleerd
            assert checked is None or (entry.gecontroleerd_door and checked not in NOT_CHECKS), \
                entry.file


def test_the_ten_praktijken_of_the_inspiratiebundel(loaded):
    praktijken = {p.slug: p for p in loaded.entries["praktijk"]}
    assert PRAKTIJKEN_004 <= set(praktijken)
    for slug in PRAKTIJKEN_004:
        p = praktijken[slug]
        assert len(p.wat_werkt) == 3, slug
        assert p.contacten and all(c.naam and c.organisatie for c in p.contacten), slug
        assert _cites(p, "004"), slug
        assert p.tekst.count("\n## ") >= 2 or p.tekst.startswith("## "), slug


@pytest.mark.skipif(not (BRONNEN / "004_1c10761eb46ebbeb.txt").is_file(),
                    reason="de bronnen staan niet naast de repository")
def test_wat_werkt_and_lede_are_verbatim_from_the_inspiratiebundel(loaded):
    source = _norm((BRONNEN / "004_1c10761eb46ebbeb.txt").read_text(encoding="utf-8"))
    for p in loaded.entries["praktijk"]:
        if p.slug not in PRAKTIJKEN_004:
            continue
        for item in (*p.wat_werkt, p.lede):
            assert _norm(item) in source, (p.slug, item)


def test_contacts_of_the_inspiratiebundel_are_printed_in_it(loaded):
    if not (BRONNEN / "004_1c10761eb46ebbeb.txt").is_file():
        pytest.skip("de bronnen staan niet naast de repository")
    source = (BRONNEN / "004_1c10761eb46ebbeb.txt").read_text(encoding="utf-8")
    for p in loaded.entries["praktijk"]:
        for c in p.contacten:
            assert c.naam in source, (p.slug, c.naam)


def test_praktijken_from_other_sources_name_no_persons(loaded):
    # Only the inspiratiebundel prints contact boxes; the other sources quote people.
    for p in loaded.entries["praktijk"]:
        if p.slug not in PRAKTIJKEN_004:
            assert p.contacten == [], p.slug


def test_no_private_persons_in_content():
    # Prize winners, volunteers and residents named in the sources must not appear.
    private = ("Kattepoel", "Haji Omer", "Nico Dekker", "Simon Govers", "Aktepe", "Prenger")
    for path in CONTENT.rglob("*"):
        if path.suffix in (".yaml", ".md"):
            text = path.read_text(encoding="utf-8")
            assert not [n for n in private if n in text], path


def test_samen_in_beweging_covers_its_six_gemeenten(loaded):
    praktijken = {p.slug: p for p in loaded.entries["praktijk"]}
    six = {"kampen", "hardenberg", "oost-gelre", "steenwijkerland", "winterswijk", "zwartewaterland"}
    assert set(praktijken["samen-in-beweging"].gemeenten) == six
    local = {g for p in praktijken.values() if p.slug != "samen-in-beweging"
             and _cites(p, "003") for g in p.gemeenten}
    assert six <= local


def test_spot_checks_of_places_and_activities(loaded):
    plekken = {(p._gemeente, p.slug): p for p in loaded.entries["ontmoetingsplek"]}
    activiteiten = {(a._gemeente, a.slug): a for a in loaded.entries["activiteit"]}
    assert plekken[("ommen", "vechtgenotenhuis")].soort == "inloophuis"
    assert plekken[("zwolle", "alevitisch-cultureel-centrum")].beheerder == \
        "alevitisch-cultureel-centrum-zwolle"
    impacter = activiteiten[("deventer", "impacterfabriek")]
    assert [s.dagen for s in impacter.wanneer] == [["TU"]] and impacter.wanneer[0].van is None
    assert activiteiten[("enschede", "de-vrije-ruimte")].organisator == "de-tubanters-1897"
    # No invented times, prices or phone numbers: the sources give none of these.
    for a in activiteiten.values():
        assert all(s.van is None and s.tot is None for s in a.wanneer), a.file
        assert a.kosten is None or a.kosten.bedrag is None, a.file
        assert a.contact is None or a.contact.telefoon is None, a.file
    assert not any(o.telefoon for o in loaded.entries["organisatie"])


def test_summaries_in_short_sentences(loaded):
    """B1 (issue 22): a resident reads the samenvatting first; each of its sentences has at most
    15 words, the B1 guidance that check's readability warning also uses."""
    word = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
    for kind in ("activiteit", "ontmoetingsplek"):
        for entry in loaded.entries[kind]:
            for sentence in re.split(r"(?<=[.!?])\s+", entry.samenvatting):
                assert len(word.findall(sentence)) <= 15, (entry.file, sentence)


def test_facts_of_issue_22_fixed_or_sourced(loaded):
    """The facts issue 22 found wrong or unsourced, each as the sources give it."""
    praktijken = {p.slug: p for p in loaded.entries["praktijk"]}
    activiteiten = {(a._gemeente, a.slug): a for a in loaded.entries["activiteit"]}
    plekken = {(p._gemeente, p.slug): p for p in loaded.entries["ontmoetingsplek"]}
    crowd = praktijken["crowdfunding-samen-voor-elkaar"]
    assert "40 procent" in crowd.tekst and "21 campagnes" in crowd.tekst
    assert _cites(crowd, "001")
    winterswijk = praktijken["welzijn-op-recept-winterswijk"].tekst
    assert "In totaal waren er tien" in _norm(winterswijk)
    assert "In 2022" not in activiteiten[("winterswijk", "welzijn-op-recept")].beschrijving
    assert "1.3.2" in _bron_text(praktijken["welzijn-op-recept-de-krim"])
    # Vitaal Vechtdal: 000 names the three Vechtdal gemeenten only as such
    assert not [k for k in activiteiten if "vitaal-vechtdal" in k[1] or "stoppen-met-roken" in k[1]]
    vechtdal = praktijken["vitaal-vechtdal"]
    assert vechtdal.gemeenten == [] and vechtdal.regios == ["vechtdal"]
    # FBK-stadion and the Special Friends Sportdag: no town in the source, so no Hengelo entries
    assert ("hengelo", "fbk-stadion") not in plekken
    assert ("hengelo", "special-friends-sportdag") not in activiteiten
    assert "FBK-stadion" in praktijken["g-sport-twente"].tekst
    for key in (("olst-wijhe", "pumptrack-en-skatebaan-wijhe"),
                ("hellendoorn", "beweeg-en-wandelroute-daarle")):
        assert "2023" not in (plekken[key].beschrijving or ""), key
    for slug in ("impacterfabriek", "jongerencoach-impacter"):
        assert activiteiten[("deventer", slug)].leeftijd is None, slug
    grip = activiteiten[("steenwijkerland", "grip-en-glans-cursus")].beschrijving
    assert "vaak een wachtlijst" not in grip and "zeven mensen" in grip
    for slug in ("cultuur-dichtbij", "fief", "we-zijn-zelf-het-medicijn", "de-rendementsmeter",
                 "proeftuinen-gezond-gewicht"):
        assert praktijken[slug].status is None, slug
    scootmobiel = praktijken["pilot-de-scootmobiel"]
    assert scootmobiel.gemeenten == ["rotterdam"] and "mvs-regio" not in scootmobiel.regios
    assert "misschien" in praktijken["de-rendementsmeter"].tekst
    # 003 names no employer of the welzijnscoach in Zwartewaterland
    assert activiteiten[("zwartewaterland", "welzijn-op-recept")].organisator is None
