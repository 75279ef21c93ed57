"""HSDS 3.1 export: every item validates against the real Open Referral schemas."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from sociale_kaart.model import openreferral
from sociale_kaart.outputs import hsds, opendata
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check

ROOT = Path(__file__).parent
FIXTURE = ROOT / "fixtures" / "kaart"
HSDS_DIR = ROOT.parent.parent / "shared" / "hsds" / "3.1"
TODAY = date(2026, 11, 22)

pytestmark = pytest.mark.skipif(not HSDS_DIR.is_dir(), reason="HSDS schemas not available")


def _registry() -> Registry:
    resources = [(f.name, Resource.from_contents(json.loads(f.read_text()),
                                                 default_specification=DRAFT202012))
                 for f in HSDS_DIR.glob("*.json")]
    return Registry().with_resources(resources)


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    registry = _registry()

    def make(schema: dict) -> Draft202012Validator:
        Draft202012Validator.check_schema(schema)
        return Draft202012Validator(schema, registry=registry,
                                    format_checker=Draft202012Validator.FORMAT_CHECKER)

    compiled = HSDS_DIR / "compiled"
    return {
        "organizations": make(json.loads((compiled / "organization.json").read_text())),
        "services": make(json.loads((compiled / "service.json").read_text())),
        "service_at_locations": make(json.loads((compiled / "service_at_location.json").read_text())),
        # there is no compiled location schema: resolve location.json's $refs via the registry
        "locations": make({"$ref": "location.json"}),
        "taxonomies": make({"$ref": "taxonomy.json"}),
        "taxonomy_terms": make({"$ref": "taxonomy_term.json"}),
    }


@pytest.fixture(scope="module")
def kaart():
    k, diags = check(load_content(FIXTURE), TODAY)
    assert k is not None, [d.text() for d in diags]
    return k


def _errors(validators, doc) -> list[str]:
    out = []
    for key, validator in validators.items():
        for item in doc[key]:
            out += [f"{key} {item.get('name', item['id'])}: {e.message} at {list(e.path)}"
                    for e in validator.iter_errors(item)]
    return out


def _service(doc, name):
    return next(s for s in doc["services"] if s["name"] == name)


def test_every_exported_item_validates(kaart, validators):
    documents = [hsds.export_all(kaart)] + [hsds.export_gemeente(kaart, g) for g in kaart.gemeenten]
    counted = 0
    for doc in documents:
        assert _errors(validators, doc) == []
        counted += sum(len(doc[key]) for key in validators)
    assert counted > 100
    everything = documents[0]
    assert len(everything["services"]) == 7
    assert len(everything["organizations"]) == 4
    # 3 ontmoetingsplekken, 1 activity address, 1 organisation address
    assert len(everything["locations"]) == 5
    assert len(everything["service_at_locations"]) == 7  # every activity has a place


def test_validators_reject_broken_items(kaart, validators):
    doc = hsds.export_gemeente(kaart, "vechtstad")
    broken = dict(doc["services"][0], status="misschien", id="geen-uuid")
    messages = [e.message for e in validators["services"].iter_errors(broken)]
    assert any("misschien" in m for m in messages) and any("uuid" in m for m in messages)
    location = dict(doc["locations"][0], addresses=[{"id": str(uuid.uuid4())}])
    assert any("postal_code" in e.message for e in validators["locations"].iter_errors(location))


def test_identifiers_are_stable_and_unique(kaart):
    first, second = hsds.export_all(kaart), hsds.export_all(kaart)
    assert first == second
    koffie = _service(first, "Koffie-inloop in De Brug")
    assert koffie["id"] == str(uuid.uuid5(openreferral.NAMESPACE, "activiteit/vechtstad/koffie-inloop"))
    ids = [item["id"] for key in ("organizations", "services", "locations",
                                  "service_at_locations") for item in first[key]]
    assert len(ids) == len(set(ids))


def test_make_id_is_uuid5_of_the_namespace():
    for parts in [("activiteit", "vechtstad", "koffie-inloop"), ("term", "themas", "één"),
                  ("attribute", "x", "y", "abc", 3)]:
        name = "/".join(str(p) for p in parts)
        assert openreferral.make_id(*parts) == str(uuid.uuid5(openreferral.NAMESPACE, name))
    # enough names for every value of the digits that carry the version and the variant
    for i in range(500):
        parts = ("attribute", "themas", f"term-{i}", f"link-{i * 7}", i % 4)
        assert openreferral.make_id(*parts) == str(uuid.uuid5(openreferral.NAMESPACE, "/".join(map(str, parts))))


def test_references_point_inside_the_document(kaart):
    for g in kaart.gemeenten:
        doc = hsds.export_gemeente(kaart, g)
        orgs = {o["id"] for o in doc["organizations"]}
        services = {s["id"] for s in doc["services"]}
        locations = {loc["id"] for loc in doc["locations"]}
        for s in doc["services"]:
            assert s.get("organization_id") in orgs | {None}
        for link in doc["service_at_locations"]:
            assert link["service_id"] in services and link["location_id"] in locations
        for loc in doc["locations"]:
            assert loc.get("organization_id") in orgs | {None}


def test_gemeente_file_holds_only_its_own_entries(kaart):
    heuvel = hsds.export_gemeente(kaart, "heuveldorp")
    assert [s["name"] for s in heuvel["services"]] == ["Dorpsmaaltijd"]
    assert {o["name"] for o in heuvel["organizations"]} == {"Dorpsraad Heuveldorp",
                                                            "Vriendendienst Regio"}
    assert heuvel["gemeente"] == {"slug": "heuveldorp", "naam": "Heuveldorp", "cbs_code": "GM9902"}


def test_schedules_map_to_hsds_fields(kaart):
    doc = hsds.export_all(kaart)
    koffie = _service(doc, "Koffie-inloop in De Brug")["schedules"][0]
    assert (koffie["freq"], koffie["byday"], koffie["opens_at"], koffie["closes_at"]) == \
        ("WEEKLY", "TU", "10:00", "11:30")
    assert koffie["description"] == ("Elke dinsdag, 10.00\u201311.30 uur. "
                                     "Niet op: 29 december 2026.")
    eten = _service(doc, "Samen eten in de buurtkamer")["schedules"][0]
    assert (eten["freq"], eten["byday"]) == ("MONTHLY", "2MO")
    wandel = _service(doc, "Wandelgroep Samen op Pad")["schedules"][0]
    assert (wandel["interval"], wandel["dtstart"], wandel["valid_from"]) == \
        (2, "2026-09-03", "2026-09-03")
    maaltijd = _service(doc, "Dorpsmaaltijd")["schedules"]
    assert maaltijd[0]["byday"] == "-1FR"
    assert {k: maaltijd[1][k] for k in ("valid_from", "valid_to", "dtstart", "notes")} == \
        {"valid_from": "2026-12-18", "valid_to": "2026-12-18", "dtstart": "2026-12-18",
         "notes": "Kerstmaaltijd"}
    assert "freq" not in maaltijd[1]


def test_service_fields(kaart):
    doc = hsds.export_all(kaart)
    koffie = _service(doc, "Koffie-inloop in De Brug")
    assert koffie["status"] == "active"
    assert koffie["assured_date"] == "2026-10-01"
    assert koffie["cost_options"][0]["amount"] == 0
    assert koffie["contacts"][0]["phones"][0]["number"] == "0523 123 456"
    assert koffie["languages"][0]["code"] == "nl"
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"])
             for a in koffie["attributes"]}
    assert {("themas", "ontmoeting"), ("doelgroepen", "ouderen"),
            ("toegankelijkheid", "rolstoeltoegankelijk"),
            (openreferral.KENMERKEN, "welzijn-op-recept")} <= terms
    eten = _service(doc, "Samen eten in de buurtkamer")
    assert (eten["cost_options"][0]["amount"], eten["cost_options"][0]["currency"]) == (5, "EUR")
    assert eten["fees_description"] == "€ 5,00 per keer."
    assert _service(doc, "Koersbal")["status"] == "inactive"
    assert _service(doc, "Dorpsmaaltijd")["status"] == "temporarily closed"
    assert _service(doc, "Wandelgroep Samen op Pad")["minimum_age"] == 55
    taal = _service(doc, "Taalcafé")
    assert taal["languages"][0]["note"] == "Ook in andere talen"


def test_location_fields(kaart):
    doc = hsds.export_gemeente(kaart, "vechtstad")
    brug = next(loc for loc in doc["locations"] if loc.get("name") == "Buurthuis De Brug")
    assert (brug["latitude"], brug["longitude"]) == (52.51, 6.41)
    assert brug["addresses"][0] | {"id": None} == {
        "id": None, "address_1": "Brugstraat 12a", "city": "Vechtstad", "region": "Vechtstad",
        "state_province": "Overijssel", "postal_code": "7701 AB", "country": "NL",
        "address_type": "physical"}
    assert [a["description"] for a in brug["accessibility"]][-1] == \
        "De ingang aan de achterkant heeft geen drempel."
    assert [s["byday"] for s in brug["schedules"]] == ["MO,TU,WE,TH", "FR"]
    assert brug["external_identifier"] == "buurthuis-de-brug"


def test_write_exports_and_read_back(kaart, tmp_path):
    written = opendata.write_exports(kaart, tmp_path)
    rels = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert rels == ["data/geojson/heuveldorp.geojson", "data/geojson/vechtstad.geojson",
                    "data/hsds/alles.json", "data/hsds/heuveldorp.json",
                    "data/hsds/vechtstad.json"]
    back = json.loads((tmp_path / "data/hsds/vechtstad.json").read_text(encoding="utf-8"))
    assert back == json.loads(json.dumps(hsds.export_gemeente(kaart, "vechtstad")))
    assert back["hsds_version"] == "3.1"
    everything = json.loads((tmp_path / "data/hsds/alles.json").read_text(encoding="utf-8"))
    assert everything == json.loads(json.dumps(hsds.export_all(kaart)))
    # one item per line, so that a diff of two exports shows the changed items
    lines = (tmp_path / "data/hsds/alles.json").read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith('{"id":') for line in lines) > len(everything["services"])
    geo = json.loads((tmp_path / "data/geojson/vechtstad.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    by_slug = {f["properties"]["slug"]: f for f in geo["features"]}
    assert by_slug["buurthuis-de-brug"]["geometry"] == {"type": "Point",
                                                        "coordinates": [6.41, 52.51]}
    assert by_slug["bibliotheek-centrum"]["geometry"] is None
    assert by_slug["wandelgroep"]["properties"]["adres"] == "Kerkplein 1, 7703 GH Westerdorp"
    assert "Koffie-inloop in De Brug" in by_slug["buurthuis-de-brug"]["properties"]["activiteiten"]
    assert "Koersbal" not in by_slug["buurthuis-de-brug"]["properties"]["activiteiten"]  # gestopt
