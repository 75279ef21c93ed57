"""Duplicate detection: probable doubles within a gemeente are warned about by `check`."""

from __future__ import annotations

import shutil
import textwrap
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from sociale_kaart.model.entries import Activiteit, Ontmoetingsplek
from sociale_kaart.pipeline.duplicates import _blocks, _item, find_duplicates, name_key
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check

FIXTURE = Path(__file__).parent / "fixtures" / "kaart"
TODAY = date(2026, 11, 22)
CHECKED = "laatst_gecontroleerd: 2026-10-01\ngecontroleerd_door: beheerder\nbron: {titel: Test}\n"


def write(content: Path, rel: str, text: str) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) + CHECKED, encoding="utf-8")


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def warnings(content: Path) -> list:
    kaart, diags = check(load_content(content), TODAY)
    assert kaart is not None, [d.text() for d in diags if d.is_error]
    return [d for d in diags if d.code == "dubbel"]


def test_fixture_has_no_duplicates(content):
    assert warnings(content) == []


def test_same_place_with_different_capitals(content):
    write(content, "ontmoetingsplekken/vechtstad/de-brug.yaml", """\
        naam: Buurthuis de Brug
        soort: buurthuis
        adres: {straat: Brugstraat, huisnummer: 12A, postcode: 7701AB, plaats: Vechtstad}
        """)
    found = warnings(content)
    assert len(found) == 1
    w = found[0]
    assert w.file.endswith("ontmoetingsplekken/vechtstad/de-brug.yaml")
    assert (w.line, w.field, w.severity) == (1, "naam", "waarschuwing")
    assert "ontmoetingsplekken/vechtstad/buurthuis-de-brug.yaml" in w.message
    assert "zelfde naam na normaliseren ('buurthuis brug')" in w.message
    assert "zelfde postcode en huisnummer (7701AB 12a)" in w.message
    assert "niet_dubbel: [buurthuis-de-brug]" in w.message


def test_organisations_spelled_differently(content):
    write(content, "organisaties/sportservice-kampen.yaml", """\
        naam: Sportservice Kampen
        soort: sportorganisatie
        """)
    write(content, "organisaties/sport-service-kampen.yaml", """\
        naam: SportService Kampen
        soort: sportorganisatie
        website: https://www.sportservicekampen.example.nl
        """)
    write(content, "organisaties/stichting-welzijn-vechtstad.yaml", """\
        naam: Stichting Welzijn Vechtstad
        soort: welzijnsorganisatie
        """)
    write(content, "organisaties/vrienden-van-de-vecht.yaml", """\
        naam: Vrienden van de Vecht
        soort: vrijwilligersorganisatie
        email: Maatjes@Vriendendienst.example.nl
        """)
    found = {Path(w.file).name: w.message for w in warnings(content)}
    assert set(found) == {"sportservice-kampen.yaml", "welzijn-vechtstad.yaml",
                          "vriendendienst.yaml"}
    assert "organisaties/sport-service-kampen.yaml" in found["sportservice-kampen.yaml"]
    assert "stichting-welzijn-vechtstad.yaml" in found["welzijn-vechtstad.yaml"]
    assert "zelfde e-mailadres" in found["vriendendienst.yaml"]  # different name, same e-mail


# the fixture's koffie-inloop again, under another slug: a probable duplicate
LOOKALIKE_FILE = "activiteiten/vechtstad/koffie-inloop-brug.yaml"
LOOKALIKE = """\
    titel: Koffie inloop in de Brug
    samenvatting: Koffie drinken.
    plek: buurthuis-de-brug
    wanneer:
      - {frequentie: wekelijks, dagen: [DI], van: "10:00"}
    """


def test_activity_twice_at_the_same_place(content):
    write(content, LOOKALIKE_FILE, LOOKALIKE)
    found = warnings(content)
    assert len(found) == 1
    assert found[0].field == "titel"
    assert "zelfde ontmoetingsplek ('buurthuis-de-brug')" in found[0].message


def test_niet_dubbel_silences_a_pair(content):
    write(content, "ontmoetingsplekken/vechtstad/de-brug.yaml", """\
        naam: Buurthuis De Brug
        soort: buurthuis
        niet_dubbel: [buurthuis-de-brug]
        """)
    write(content, "organisaties/sportservice-kampen.yaml", """\
        naam: Sportservice Kampen
        soort: sportorganisatie
        """)
    write(content, "organisaties/sportservice-kampen-2.yaml", """\
        naam: SportService Kampen
        soort: sportorganisatie
        """)
    # the other side of the pair may carry the mark as well
    org = content / "organisaties/sportservice-kampen.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "niet_dubbel: [sportservice-kampen-2]\n",
                   encoding="utf-8")
    assert warnings(content) == []


def test_look_alikes_that_are_different(content):
    # the same activity name at another place, on another day
    write(content, "activiteiten/vechtstad/koffie-inloop-bieb.yaml", """\
        titel: Koffie-inloop in De Brug
        samenvatting: Koffie in de bibliotheek.
        plek: bibliotheek-centrum
        wanneer:
          - {frequentie: wekelijks, dagen: [DO], van: "10:00"}
        """)
    # a buurthuis with the same name in another gemeente
    write(content, "ontmoetingsplekken/heuveldorp/buurthuis-de-brug.yaml", """\
        naam: Buurthuis De Brug
        soort: buurthuis
        """)
    # the same name but a known different address
    write(content, "ontmoetingsplekken/vechtstad/brug-west.yaml", """\
        naam: Buurthuis de Brug
        soort: buurthuis
        adres: {straat: Westweg, huisnummer: "40", postcode: 7705 KL, plaats: Vechtstad}
        """)
    # same organisation phone on several activities, different names
    write(content, "activiteiten/vechtstad/breicafe.yaml", """\
        titel: Breicafé
        samenvatting: Breien.
        plek: buurthuis-de-brug
        contact: {telefoon: 0523 123 456}
        """)
    # organisations with similar but different names
    write(content, "organisaties/welzijn-heuveldorp.yaml", """\
        naam: Welzijn Heuveldorp
        soort: welzijnsorganisatie
        """)
    assert warnings(content) == []


def test_name_normalisation():
    same = [("Buurthuis De Brug", "Buurthuis de Brug"), ("Sportservice Kampen", "SportService Kampen"),
            ("Café 't Hoekje", "Cafe Het Hoekje"), ("St. Welzijn Oost", "Stichting Welzijn Oost"),
            ("Wijkcentrum Bijeen", "wijkcentrum Byeen"), ("Bieb Centrum", "Bibliotheek Centrum"),
            ("Koffie-inloop", "Koffie inloop")]
    for a, b in same:
        assert name_key(a) == name_key(b), (a, b)
    assert name_key("Buurthuis De Brug") != name_key("Buurthuis De Boog")


def test_blocking_keeps_the_work_small():
    # 2000 places of one beheerder share a phone number; names and addresses all differ
    places = []
    for i in range(2000):
        p = Ontmoetingsplek.model_validate({
            "naam": f"Plek {i:04d} {'abcdefghij'[i % 10]}{i}", "soort": "buurthuis",
            "contact": {"telefoon": "0523 123 456"},
            "adres": {"straat": "Laan", "huisnummer": str(i + 1), "postcode": "7701 AB",
                      "plaats": "Vechtstad"},
            "laatst_gecontroleerd": "2026-10-01", "gecontroleerd_door": "beheerder", "bron": {"titel": "Test"}})
        p.bind(f"plek-{i}", f"content/ontmoetingsplekken/vechtstad/plek-{i}.yaml", "vechtstad")
        places.append(p)
    items = [_item(p, "ontmoetingsplek") for p in places]
    pairs = list(_blocks(items))
    assert len(pairs) < 20 * len(items)  # all pairs would be about 2 million

    kaart = SimpleNamespace(plekken={"vechtstad": {p.slug: p for p in places}},
                            activiteiten={}, organisaties={})  # what find_duplicates reads
    assert find_duplicates(kaart) == []


def test_memo_compares_only_groups_whose_entries_changed(content, monkeypatch):
    import sociale_kaart.pipeline.duplicates as duplicates

    loaded = load_content(content)
    kaart, _ = check(loaded, TODAY)
    compared: list[str] = []
    real = duplicates._compare
    monkeypatch.setattr(duplicates, "_compare",
                        lambda entries, kind, docs: compared.append(kind) or real(entries, kind, docs))
    memo: dict = {}
    assert find_duplicates(kaart, loaded.documents, memo) == find_duplicates(kaart, loaded.documents)
    groups = len(compared) // 2
    compared.clear()
    assert find_duplicates(kaart, loaded.documents, memo) == []  # same objects: nothing compared
    assert compared == []
    # a new look-alike in one gemeente: only that group is compared again, and it is found
    write(content, LOOKALIKE_FILE, LOOKALIKE)
    changed = load_content(content)
    for kind, entries in changed.entries.items():  # unchanged files keep their objects
        old = {e.file: e for e in loaded.entries[kind]}
        changed.entries[kind] = [old.get(e.file, e) if e.file != LOOKALIKE_FILE else e
                                 for e in entries]
    changed.documents = {f: loaded.documents.get(f, d) for f, d in changed.documents.items()}
    kaart2, _ = check(changed, TODAY)
    compared.clear()
    found = find_duplicates(kaart2, changed.documents, memo)
    assert compared == ["activiteit"] and groups > 1
    assert [d.field for d in found] == ["titel"]


def _activities(n: int, **fields) -> list[Activiteit]:
    """``n`` activities in gemeente vechtstad; a field given as a function gets the number."""
    out = []
    for i in range(n):
        data = {"titel": "Koffieochtend", "samenvatting": "Koffie.", "plek": "buurthuis",
                "wanneer": [{"frequentie": "wekelijks", "dagen": ["DI"]}],
                "laatst_gecontroleerd": "2026-10-01", "gecontroleerd_door": "beheerder", "bron": {"titel": "Test"}}
        data.update({k: v(i) if callable(v) else v for k, v in fields.items()})
        a = Activiteit.model_validate({k: v for k, v in data.items() if v is not None})
        a.bind(f"koffie-{i:05d}", f"content/activiteiten/vechtstad/koffie-{i:05d}.yaml", "vechtstad")
        out.append(a)
    return out


def _kaart(activities: list[Activiteit]) -> SimpleNamespace:
    return SimpleNamespace(plekken={}, organisaties={},
                           activiteiten={"vechtstad": {a.slug: a for a in activities}})


def test_copies_give_one_warning_per_group():
    n = 1000
    found = find_duplicates(_kaart(_activities(n)))
    assert len(found) == 1  # every pair: 499,500 warnings
    w = found[0]
    assert w.file.endswith(f"koffie-{n - 1:05d}.yaml")
    assert f"lijkt dezelfde activiteit als {n - 1} andere (zelfde naam na normaliseren " \
           "('koffieochtend'); zelfde ontmoetingsplek ('buurthuis'))" in w.message
    assert w.message.count("content/activiteiten/vechtstad/koffie-") == 10  # capped list
    assert f"koffie-{n - 2:05d}.yaml" in w.message and f"en nog {n - 11} andere" in w.message
    assert f"niet_dubbel: [koffie-{n - 2:05d}, " in w.message


@pytest.mark.parametrize("fields", [
    {},  # all the same
    {"plek": lambda i: f"plek-{i}"},  # the same name at 3,000 places: no duplicates
    {"plek": lambda i: f"plek-{i % 7}", "wanneer": lambda i: [{"datums": [f"2027-01-{i % 28 + 1:02d}"]}]},
    {"plek": None, "contact": lambda i: {"telefoon": f"0523 {i:06d}"}},
])
def test_a_large_group_with_one_name_takes_linear_comparisons(fields):
    from sociale_kaart.pipeline.duplicates import MAX_BLOCK

    n = 3000
    items = [_item(a, "activiteit") for a in _activities(n, **fields)]
    pairs = list(_blocks(items))
    assert len(pairs) <= (MAX_BLOCK + 2) * n  # all pairs: 4.5 million


def test_three_look_alikes_are_one_group(content):
    write(content, LOOKALIKE_FILE, LOOKALIKE)
    write(content, "activiteiten/vechtstad/koffie-inloop-3.yaml", LOOKALIKE)
    found = warnings(content)
    assert len(found) == 1
    w = found[0]
    assert w.file.endswith("activiteiten/vechtstad/koffie-inloop.yaml")  # the last file
    assert "lijkt dezelfde activiteit als 2 andere (zelfde naam na normaliseren ('koffie inloop " \
           "in brug'); zelfde ontmoetingsplek ('buurthuis-de-brug')): " in w.message
    assert "activiteiten/vechtstad/koffie-inloop-brug.yaml, " in w.message
    assert w.message.index("koffie-inloop-brug.yaml") < w.message.index("koffie-inloop-3.yaml")
    assert "niet_dubbel: [koffie-inloop-brug, koffie-inloop-3]" in w.message


def test_a_group_names_the_reason_per_file_when_they_differ(content):
    write(content, LOOKALIKE_FILE, LOOKALIKE)
    write(content, "activiteiten/vechtstad/koffie-brug.yaml",
          LOOKALIKE.replace("Koffie inloop in de Brug", "Koffie-inloop Brug"))
    found = warnings(content)
    assert len(found) == 1
    message = found[0].message
    assert "lijkt dezelfde activiteit als 2 andere: " in message
    assert "koffie-brug.yaml (naam lijkt erop ('Koffie-inloop Brug' en " in message
    assert "koffie-inloop-brug.yaml (zelfde naam na normaliseren" in message
