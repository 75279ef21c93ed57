"""Import of HSDS JSON and spreadsheets (CSV) into content files."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from sociale_kaart.cli import main
from sociale_kaart.importers.common import import_slug, split_description
from sociale_kaart.importers.nl_text import parse_days, parse_kosten, parse_time_range
from sociale_kaart.outputs import opendata
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check

ROOT = Path(__file__).parent
FIXTURE = ROOT / "fixtures" / "kaart"
IMPORT = ROOT / "fixtures" / "import"
EXAMPLES = ROOT.parent.parent / "shared" / "hsds" / "3.1" / "examples"
TODAY = "2026-11-22"

needs_examples = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="HSDS examples not available")


def empty_copy(tmp_path: Path) -> Path:
    """A content folder with site, taxonomies and gemeenten but no entries."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(FIXTURE / "site.yaml", content / "site.yaml")
    for folder in ("taxonomie", "gemeenten"):
        shutil.copytree(FIXTURE / folder, content / folder)
    return content


def full_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    return content


def run(*args: str) -> int:
    return main(["import", *args, "--vandaag", TODAY])


def kaart_of(content: Path):
    k, diags = check(load_content(content), date.fromisoformat(TODAY))
    assert k is not None, [d.text() for d in diags if d.is_error]
    return k


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- HSDS

def test_round_trip_export_import_export(tmp_path, capsys):
    first = tmp_path / "eerste"
    opendata.write_exports(kaart_of(FIXTURE), first)
    content = empty_copy(tmp_path)
    assert run("hsds", str(first / "data/hsds/vechtstad.json"), "--gemeente", "vechtstad",
               "--content", str(content)) == 0
    # Vriendendienst works in both gemeenten: the second import adds heuveldorp to it
    assert run("hsds", str(first / "data/hsds/heuveldorp.json"), "--gemeente", "heuveldorp",
               "--content", str(content), "--update") == 0
    out = capsys.readouterr().out
    assert "Niet overgenomen" not in out  # our own export maps completely
    assert "+gemeenten: [vechtstad, heuveldorp]" in out  # diff of the merged organisation
    second = tmp_path / "tweede"
    opendata.write_exports(kaart_of(content), second)
    for rel in ("data/hsds/alles.json", "data/hsds/vechtstad.json", "data/hsds/heuveldorp.json",
                "data/geojson/vechtstad.geojson"):
        before = json.loads((first / rel).read_text(encoding="utf-8"))
        after = json.loads((second / rel).read_text(encoding="utf-8"))
        assert after == before, rel
    koffie = read(content / "activiteiten/vechtstad/koffie-inloop.yaml")
    assert koffie["wanneer"][0]["niet_op"] == [date(2026, 12, 29)]
    assert koffie["laatst_gecontroleerd"] == date(2026, 10, 1)
    # The import file is the source, dated the day it was taken over; assured_date is a check.
    assert koffie["bron"] == [{"titel": "Import uit vechtstad.json (Open Referral HSDS)", "datum": TODAY}]
    assert koffie["gecontroleerd_door"] == "beheerder van de vorige sociale kaart"


@needs_examples
def test_open_referral_service_example(tmp_path, capsys):
    content = empty_copy(tmp_path)
    code = run("hsds", str(EXAMPLES / "service_full.json"), "--gemeente", "vechtstad",
               "--content", str(content))
    out = capsys.readouterr().out
    # the example has no organisation type and no place type: check reports them
    assert code == 1
    assert "veld 'soort': verplicht veld ontbreekt" in out
    activity = read(content / "activiteiten/vechtstad/community-counselling.yaml")
    assert activity["titel"] == "Community Counselling"
    assert activity["organisator"] == "example-organization-inc"
    assert activity["plek"] == "mycity-civic-center"
    assert activity["leeftijd"] == {"van": 12, "tot": 100}
    assert activity["laatst_gecontroleerd"] == date(2005, 1, 1)
    assert activity["wanneer"][0]["dagen"] == ["DO", "VR"]
    assert activity["wanneer"][0]["van"] == "10:00"
    assert "andere-talen" in activity["toegankelijkheid"]
    assert len(activity["samenvatting"]) <= 300
    # every value that could not be mapped is reported
    for expected in ("'wait_time'", "'byweekno'", "kosten in gbp",
                     "'+44 1234 234567' is geen Nederlands telefoonnummer", "coördinaten 100, 101",
                     "naam van een persoon"):
        assert expected in out, expected
    # no personal names in the written files
    written = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.yaml"))
    assert "Ann Persona" not in written
    place = read(content / "ontmoetingsplekken/vechtstad/mycity-civic-center.yaml")
    assert "coordinaten" not in place and place["contact"]["naam"] == "Reception Manager"


@needs_examples
@pytest.mark.parametrize("name, files", [
    ("organization_full.json", {"organisaties/example-organization-inc.yaml",
                                "ontmoetingsplekken/vechtstad/mycity-civic-center.yaml",
                                "activiteiten/vechtstad/community-counselling.yaml"}),
    ("location.json", {"ontmoetingsplekken/vechtstad/mycity-civic-center.yaml"}),
    ("service_list.json", {"organisaties/example-organization-inc.yaml",
                           "activiteiten/vechtstad/community-counselling.yaml"}),
])
def test_other_open_referral_examples(tmp_path, capsys, name, files):
    content = empty_copy(tmp_path)
    run("hsds", str(EXAMPLES / name), "--gemeente", "vechtstad", "--content", str(content))
    created = {p.relative_to(content).as_posix() for p in content.rglob("*.yaml")
               if p.parent != content and p.parts[-2] not in ("taxonomie", "gemeenten")}
    assert created == files
    assert "Controle van" in capsys.readouterr().out


def test_existing_file_is_skipped_then_merged_with_update(tmp_path, capsys):
    content = full_copy(tmp_path)
    export = tmp_path / "export"
    opendata.write_exports(kaart_of(content), export)
    source = export / "data/hsds/vechtstad.json"
    target = content / "activiteiten/vechtstad/koffie-inloop.yaml"
    before = target.read_text(encoding="utf-8")

    assert run("hsds", str(source), "--gemeente", "vechtstad", "--content", str(content)) == 0
    out = capsys.readouterr().out
    assert "overgeslagen: " in out and "koffie-inloop.yaml bestaat al" in out
    assert target.read_text(encoding="utf-8") == before

    data = json.loads(source.read_text(encoding="utf-8"))
    service = next(s for s in data["services"] if s["name"] == "Koffie-inloop in De Brug")
    service["description"] = service["description"].replace("Elke dinsdagochtend", "Iedere dinsdag")
    source.write_text(json.dumps(data), encoding="utf-8")
    target.write_text(before + "niet_dubbel: [koffieochtend]\n", encoding="utf-8")
    assert run("hsds", str(source), "--gemeente", "vechtstad", "--content", str(content),
               "--update") == 0
    out = capsys.readouterr().out
    assert "bijgewerkt: " in out
    assert "-samenvatting: Elke dinsdagochtend" in out
    assert "+samenvatting: Iedere dinsdag" in out
    merged = read(target)
    assert merged["samenvatting"].startswith("Iedere dinsdag")
    assert merged["niet_dubbel"] == ["koffieochtend"]  # fields the import does not know stay
    assert merged["bron"] == [{"titel": "Folder Welzijn Vechtstad 2026"}]  # the original source stays
    assert "ongewijzigd: " in out  # the other entries did not change


def test_markdown_entry_keeps_its_body_on_update(tmp_path, capsys):
    content = full_copy(tmp_path)
    export = tmp_path / "export"
    opendata.write_exports(kaart_of(content), export)
    md = content / "activiteiten/vechtstad/wandelgroep.md"
    body = md.read_text(encoding="utf-8").split("---\n", 2)[2]
    run("hsds", str(export / "data/hsds/vechtstad.json"), "--gemeente", "vechtstad",
        "--content", str(content), "--update")
    assert not (content / "activiteiten/vechtstad/wandelgroep.yaml").exists()
    assert md.read_text(encoding="utf-8").endswith(body)
    kaart_of(content)


def test_bad_input_gives_dutch_message(tmp_path, capsys):
    content = empty_copy(tmp_path)
    bad = tmp_path / "kapot.json"
    bad.write_text('{"services": [', encoding="utf-8")
    assert run("hsds", str(bad), "--gemeente", "vechtstad", "--content", str(content)) == 1
    err = capsys.readouterr().err
    assert "kapot.json is geen geldige JSON" in err
    assert "kapot.json:1:15: hier wordt een waarde verwacht" in err
    assert run("hsds", str(bad), "--gemeente", "nergens", "--content", str(content)) == 2
    assert "Gemeente 'nergens' bestaat niet" in capsys.readouterr().err
    assert run("hsds", str(tmp_path / "weg.json"), "--gemeente", "vechtstad",
               "--content", str(content)) == 2
    assert "bestaat niet" in capsys.readouterr().err


@pytest.mark.parametrize("text, where, message", [
    ("[" * 5000 + "]" * 5000, ":1:51: ", "te diep genest (meer dan 50 niveaus"),
    ('{"services": [{"id": "a", "name": "x", "status": "active", "minimum_age": ' + "9" * 5000
     + "}]}", ":1:75: ", "getal met 5000 cijfers"),
    ('{"services": [{"id": "a", "name": "x", "status": "active", "minimum_age": 1e999}]}',
     ":1:75: ", "getal '1e999' is te groot"),
    ('{"services": [{"id": "a", "name": NaN}]}', ":1:35: ", "'NaN' is geen getal"),
    ('{"services": [{"id": "a", "name": "\\ud800"}]}', ":1:35: ", "deze tekst bevat een ongeldige code \\ud800"),
    ('{"services": [{"id": "a", "name": ["Koffie"], "status": "active"}]}',
     ":1:35: veld 'services[0].name': ", "moet tekst zijn, maar is een lijst"),
    ('{"services": [{"id": "a", "name": "x", "status": "active", "schedules": "elke week"}]}',
     ":1:73: veld 'services[0].schedules': ", "moet een lijst zijn ([...]), maar is tekst"),
    ('{"services": [{"id": "a", "name": "x", "status": "active", "attributes": "x"}]}',
     ":1:74: veld 'services[0].attributes': ", "moet een lijst zijn ([...]), maar is tekst"),
    ('{"organizations": [{"id": "o", "name": "O",\n  "services": [{"id": "s", "status": "active",'
     '\n  "cost_options": [{"amount": {"x": 1}}], "contacts": [7]}]}]}',
     ":3:31: veld 'organizations[0].services[0].cost_options[0].amount': ",
     "moet tekst of een getal zijn, maar is een object"),
    ('{"services": [{"id": "a", "status": ["active"]}]}', ":1:37: veld 'services[0].status': ",
     "moet tekst zijn"),
    ('"alleen tekst"', ":1:1: ", "het bestand bevat tekst; verwacht wordt een HSDS-object"),
    (b"\xff\xfe{}", ":1:1: ", "dit is geen UTF-8-tekst"),
])
def test_malformed_hsds_is_refused_with_a_position(tmp_path, capsys, text, where, message):
    content = empty_copy(tmp_path)
    bad = tmp_path / "kapot.json"
    bad.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert run("hsds", str(bad), "--gemeente", "vechtstad", "--content", str(content)) == 1
    err = capsys.readouterr().err
    assert f"kapot.json{where}{message}" in err, err
    assert "generator zelf" not in err and "Er is niets geschreven." in err
    assert not (content / "activiteiten").exists()


def test_every_wrong_type_is_reported():
    from sociale_kaart.importers.hsds_document import hsds_shape_problems

    data = {"services": [{"id": 1, "name": "x", "status": "active", "phones": [{"number": []}],
                          "contacts": [{"phones": "x"}], "organization": {"name": 5},
                          "service_at_locations": [{"location": {"location_type": "physical",
                                                                  "addresses": [{"city": []}]}}]}]}
    found = {".".join(map(str, path)): message for path, message in hsds_shape_problems(data)}
    assert set(found) == {"services.0.id", "services.0.phones.0.number", "services.0.contacts.0.phones",
                          "services.0.organization.name",
                          "services.0.service_at_locations.0.location.addresses.0.city"}


def test_json_position():
    from sociale_kaart.importers.jsonread import json_position

    text = '{"a": [1, {"b": "x", "c": [true, {"d": null}]}],\n "e": {"a": 1, "a": 2}}'
    assert json_position(text, ("a", 1, "c", 1, "d")) == (1, 40)
    assert json_position(text, ("e", "a")) == (2, 21)  # the last of a key twice, as json.loads
    assert json_position(text, ("a", 5)) == (1, 7)  # not there: the deepest value found
    assert json_position(text, ()) == (1, 1)


def _setting():
    from sociale_kaart.importers.match import Vocabularies

    loaded = load_content(FIXTURE)
    gemeente = next(g for g in loaded.entries["gemeente"] if g.slug == "vechtstad")
    return Vocabularies(loaded.taxonomies), gemeente


def test_nameless_services_take_linear_work(monkeypatch):
    import sociale_kaart.importers.hsds as importers

    probes = [0]

    class CountingSet(set):
        def __contains__(self, item):
            probes[0] += 1
            return super().__contains__(item)

    class CountingSlugs(importers.Slugs):
        def __init__(self):
            super().__init__()
            self.used = {k: CountingSet() for k in self.used}

    monkeypatch.setattr(importers, "Slugs", CountingSlugs)
    vocab, gemeente = _setting()
    n = 3000
    data = {"services": [{"id": f"s{i}", "status": "active"} for i in range(n)]}
    result = importers.import_hsds(data, vocab, gemeente, date.fromisoformat(TODAY), "Test")
    slugs = [d.slug for d in result.drafts]
    assert len(set(slugs)) == n and slugs[-1] == f"naamloze-activiteit-{n}"
    assert probes[0] <= 3 * n  # every slug compared with every earlier one: 4.5 million


def test_many_dates_are_merged_in_linear_work(monkeypatch):
    import sociale_kaart.importers.hsds as importers
    from sociale_kaart.model.schedule import Tijdschema

    copies = [0]
    real = Tijdschema.model_copy

    def counting(self, *args, **kwargs):
        copies[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Tijdschema, "model_copy", counting)
    vocab, gemeente = _setting()
    n = 3000
    days = [date(2027, 1, 1).toordinal() + i for i in range(n)]
    service = {"id": "s", "name": "Spreekuur", "status": "active", "description": "Elke dag.",
               "schedules": [{"valid_from": date.fromordinal(d).isoformat(), "opens_at": "10:00"}
                             for d in reversed(days)] + [{"valid_from": "2027-01-01",
                                                          "opens_at": "11:00"}]}
    result = importers.import_hsds({"services": [service]}, vocab, gemeente,
                                   date.fromisoformat(TODAY), "Test")
    wanneer = result.drafts[0].data["wanneer"]
    assert [len(r["datums"]) for r in wanneer] == [n, 1]
    assert wanneer[0]["datums"][0] == date(2027, 1, 1)  # sorted
    assert copies[0] <= 5  # one copy per merged rule (each date was one growing copy: 3,000)


# --------------------------------------------------------------------------- CSV

def test_csv_import_of_a_gemeente_spreadsheet(tmp_path, capsys):
    content = full_copy(tmp_path)
    code = run("csv", str(IMPORT / "vechtstad-aanbod.csv"), "--mapping",
               str(IMPORT / "vechtstad-mapping.yaml"), "--gemeente", "vechtstad",
               "--content", str(content))
    out = capsys.readouterr().out
    assert code == 0, out
    acts = content / "activiteiten/vechtstad"
    koffie = read(acts / "koffieochtend.yaml")
    assert koffie["plek"] == "buurthuis-de-brug"  # "Buurthuis de Brug" is the existing place
    assert koffie["organisator"] == "welzijn-vechtstad"
    assert koffie["wanneer"] == [{"frequentie": "wekelijks", "dagen": ["DI"], "van": "10:00",
                                  "tot": "11:30"}]
    assert koffie["doelgroepen"] == ["ouderen"]  # "55+" via the value map
    assert koffie["themas"] == ["ontmoeting"]  # from 'standaard'
    assert koffie["kosten"] == {"gratis": True}
    assert koffie["laatst_gecontroleerd"] == date(2026, 10, 1)
    jeu = read(acts / "jeu-de-boules.yaml")
    assert jeu["wanneer"][0]["dagen"] == ["MA", "DO"]
    assert jeu["kosten"] == {"gratis": False, "bedrag": 2.5, "per": "keer"}
    assert jeu["doelgroepen"] == ["ouderen", "iedereen"]
    koken = read(acts / "samen-koken.yaml")
    assert koken["wanneer"][0]["frequentie"] == "maandelijks"
    assert koken["wanneer"][0]["dagen"] == ["2WO"]
    assert koken["organisator"] == "stichting-kookgroep-vechtstad"
    org = read(content / "organisaties/stichting-kookgroep-vechtstad.yaml")
    assert org["soort"] == "welzijnsorganisatie" and org["gemeenten"] == ["vechtstad"]
    sport = read(content / "ontmoetingsplekken/vechtstad/sportpark-oost.yaml")
    assert sport["soort"] == "sportlocatie"  # guessed from the name, before 'standaard'
    assert sport["adres"]["postcode"] == "7701 XY"
    brei = read(acts / "breicafe.yaml")
    assert brei["plek"] == "bibliotheek-centrum"  # same address as the existing library
    assert brei["kosten"] == {"gratis": False, "toelichting": "Vrijwillige bijdrage"}
    assert "contact" not in brei
    kunst = read(acts / "kunstmiddag.yaml")
    assert "wanneer" not in kunst and kunst["adres"]["straat"] == "Kerkplein"
    for expected in ("kolom 'Opmerking intern' staat niet in de mapping",
                     "'06-1234' is geen Nederlands telefoonnummer",
                     "'Kunstliefhebbers' past niet bij een term",
                     "'Soms' is geen dag", "rij 8: geen naam van de activiteit",
                     "heeft hetzelfde adres als de bestaande plek 'bibliotheek-centrum'"):
        assert expected in out, expected
    assert "8 nieuw" in out
    assert "0 fouten" in out

    # a second run never overwrites silently
    run("csv", str(IMPORT / "vechtstad-aanbod.csv"), "--mapping",
        str(IMPORT / "vechtstad-mapping.yaml"), "--gemeente", "vechtstad", "--content", str(content))
    assert "0 nieuw, 0 bijgewerkt, 0 ongewijzigd, 5 overgeslagen" in capsys.readouterr().out
    run("csv", str(IMPORT / "vechtstad-aanbod.csv"), "--mapping",
        str(IMPORT / "vechtstad-mapping.yaml"), "--gemeente", "vechtstad", "--content",
        str(content), "--update")
    assert "0 nieuw, 0 bijgewerkt, 5 ongewijzigd" in capsys.readouterr().out


def test_csv_mapping_errors_point_at_the_line(tmp_path, capsys):
    content = full_copy(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("kolommen:\n  titel: Naam activiteit\n  dag: Dag\n", encoding="utf-8")
    assert run("csv", str(IMPORT / "vechtstad-aanbod.csv"), "--mapping", str(mapping),
               "--gemeente", "vechtstad", "--content", str(content)) == 1
    err = capsys.readouterr().err
    assert "mapping.yaml:3:3: veld 'kolommen.dag': onbekend veld 'dag'; bedoelde u 'dagen'?" in err
    mapping.write_text("kolommen:\n  titel: Naam\n", encoding="utf-8")
    assert run("csv", str(IMPORT / "vechtstad-aanbod.csv"), "--mapping", str(mapping),
               "--gemeente", "vechtstad", "--content", str(content)) == 1
    assert "vechtstad-aanbod.csv:1:1: deze kolommen uit de mapping staan niet in het bestand: " \
        "'Naam' (titel)" in capsys.readouterr().err
    mapping.write_text("kolommen:\n  titel: Naam activiteit\nstandaard:\n  themas: 5\n"
                       "waarden:\n  dagen: {Dinsdag: {a: 1}}\n  kosten: {Gratis: {gratis: ja, bedrag: 3}}\n"
                       "scheidingsteken: '\"'\n", encoding="utf-8")
    assert run("csv", str(IMPORT / "vechtstad-aanbod.csv"), "--mapping", str(mapping),
               "--gemeente", "vechtstad", "--content", str(content)) == 1
    err = capsys.readouterr().err
    assert "mapping.yaml:4:11: veld 'standaard.themas': moet een lijst met termen zijn" in err
    assert "mapping.yaml:6:20: veld 'waarden.dagen.Dinsdag': moet tekst, een getal of true/false " \
        "zijn of een lijst" in err
    assert "veld 'waarden.kosten.Gratis': 'gratis' is true maar er staat ook een 'bedrag'" in err
    assert "veld 'scheidingsteken': '\"' kan geen scheidingsteken zijn" in err
    assert "mapping.yaml" in err and "Er is niets geschreven." in err


def test_csv_import_refuses_spreadsheet_formulas(tmp_path, capsys):
    content = full_copy(tmp_path)
    sheet = tmp_path / "aanbod.csv"
    header = (IMPORT / "vechtstad-aanbod.csv").read_text(encoding="utf-8").splitlines()[0]
    sheet.write_text("\n".join([
        header,
        '"=HYPERLINK(""https://evil.example"";""Klik"")";Tekst.;Dinsdag;;;;;;;;;;',
        "Koffie;+cmd|' /C calc'!A0;Dinsdag;;-2+3;;;+31 6 12345678;-;;@SUM(1+1);;",
        "Thee;Gewoon thee.;Dinsdag;;;;;;;;;;",
    ]) + "\n", encoding="utf-8")
    code = run("csv", str(sheet), "--mapping", str(IMPORT / "vechtstad-mapping.yaml"),
               "--gemeente", "vechtstad", "--content", str(content))
    out = capsys.readouterr().out
    assert code in (0, 1), out
    for row, col, char in ((2, "Naam activiteit", "'='"), (3, "Omschrijving", "'+'"),
                           (3, "Locatie", "'-'"), (3, "Organisatie", "'@'")):
        line = next(x for x in out.splitlines() if f"aanbod.csv, rij {row}, kolom '{col}': " in x)
        assert f"begint met {char}; een spreadsheet kan dat als formule uitvoeren" in line
    assert "rij 2: geen naam van de activiteit; rij overgeslagen" in out
    written = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.yaml"))
    for formula in ("HYPERLINK", "cmd|", "-2+3", "@SUM"):
        assert formula not in written, formula
    koffie = read(content / "activiteiten/vechtstad/koffie.yaml")
    assert koffie["contact"] == {"telefoon": "+31 6 12345678"}  # a phone number is no formula
    assert koffie["kosten"] == {"gratis": True}  # '-' means free
    assert "Omschrijving': 'Gewoon thee." not in out


@pytest.mark.parametrize("raw, where, message", [
    ("Naam activiteit;Omschrijving\nKoffie;" + "x" * 140_000 + "\n", ":2:1: ",
     "een cel is langer dan 131.072 tekens"),
    (b"Naam activiteit;Omschrijving\n\x00\x01\x02\xff;\x00\n", ":2:1: ", "het bestand bevat nultekens"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), ": ", "dit is een Excel-bestand, geen CSV"),
    (bytes(range(256)) * 4, ":1:1: ", "het bestand bevat nultekens"),
])
def test_unreadable_csv_is_refused_with_a_line(tmp_path, capsys, raw, where, message):
    content = full_copy(tmp_path)
    sheet = tmp_path / "aanbod.csv"
    sheet.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    assert run("csv", str(sheet), "--mapping", str(IMPORT / "vechtstad-mapping.yaml"),
               "--gemeente", "vechtstad", "--content", str(content)) == 1
    err = capsys.readouterr().err
    assert f"aanbod.csv{where}{message}" in err, err
    assert "generator zelf" not in err and "Er is niets geschreven." in err


def test_csv_in_utf16_and_with_old_mac_line_ends(tmp_path, capsys):
    text = (IMPORT / "vechtstad-aanbod.csv").read_text(encoding="utf-8")
    for name, raw in (("utf16.csv", text.encode("utf-16")),
                      ("mac.csv", text.replace("\n", "\r").encode("cp1252"))):
        content = full_copy(tmp_path / name.removesuffix(".csv"))
        sheet = tmp_path / name
        sheet.write_bytes(raw)
        code = run("csv", str(sheet), "--mapping", str(IMPORT / "vechtstad-mapping.yaml"),
                   "--gemeente", "vechtstad", "--content", str(content))
        out = capsys.readouterr().out
        assert code == 0 and "8 nieuw" in out, (name, out)


def test_parsers():
    assert parse_days("Dinsdag") == (["DI"], False)
    assert parse_days("maandag en donderdag") == (["MA", "DO"], False)
    assert parse_days("elke 2e maandag van de maand") == (["2MA"], True)
    assert parse_days("laatste vrijdag") == (["-1VR"], True)
    assert parse_days("soms") is None
    assert parse_time_range("10.00 - 11.30 uur") == ("10:00", "11:30")
    assert parse_time_range("19:30") == ("19:30", None)
    assert parse_time_range("na de lunch") is None
    assert parse_kosten("Gratis") == {"gratis": True}
    assert parse_kosten("€ 2,50 per keer") == {"gratis": False, "bedrag": 2.5, "per": "keer"}
    assert parse_kosten("15 euro per maand") == {"gratis": False, "bedrag": 15.0, "per": "maand"}
    assert parse_kosten("€ 3,- (met U-pas gratis)")["toelichting"] == "€ 3,- (met U-pas gratis)"
    assert import_slug("Café 't Hoekje & Co (Oost)") == "cafe-t-hoekje-en-co-oost"
    assert import_slug("!!!") == "naamloos"
    long_text = "Eerste zin. " * 40
    summary, rest = split_description(long_text, required=True)
    assert len(summary) <= 300 and summary.endswith(".") and rest == long_text.strip()
