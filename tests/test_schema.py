"""The published JSON Schemas: in sync with the models, valid, and useful in an editor."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sociale_kaart.authoring.schema import GROUP_TEXTS, generate_schema, generate_schemas, render, schema_filename
from sociale_kaart.cli import main
from sociale_kaart.model.entries import references
from sociale_kaart.model.kinds import SCHEMA_TYPES
from sociale_kaart.pipeline.load import discover
from sociale_kaart.pipeline.yaml_loader import load_file

REPO = Path(__file__).parent.parent
SCHEMAS = REPO / "schemas"
FIXTURE = REPO / "tests" / "fixtures" / "kaart"
CONTENT = REPO / "content"
MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$", re.M)


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / schema_filename(kind)).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def fixture_data(rel: str) -> dict[str, Any]:
    doc, diags = load_file(FIXTURE / rel, rel)
    assert doc is not None and not diags
    return copy.deepcopy(doc.data)


def schema_errors(kind: str, data: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(kind).iter_errors(data)]


def test_committed_schemas_match_the_models() -> None:
    generated = generate_schemas()
    assert set(generated) == set(SCHEMA_TYPES)
    on_disk = {p.name for p in SCHEMAS.glob("*.schema.json")}
    assert on_disk == {schema_filename(k) for k in generated}
    for kind, schema in generated.items():
        committed = (SCHEMAS / schema_filename(kind)).read_text(encoding="utf-8")
        assert committed == render(schema), (
            f"schemas/{schema_filename(kind)} is out of date: run `sociale-kaart schema`")


def test_schema_command_writes_the_same_files(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", str(tmp_path / "uit")]) == 0
    assert "7 schema's" in capsys.readouterr().err
    for kind in SCHEMA_TYPES:
        name = schema_filename(kind)
        assert (tmp_path / "uit" / name).read_text() == (SCHEMAS / name).read_text()
    assert main(["schema", "--out", str(tmp_path / "uit")]) == 0
    assert "0 bijgewerkt" in capsys.readouterr().err


@pytest.mark.parametrize("kind", sorted(SCHEMA_TYPES))
def test_schema_is_valid_draft_2020_12_with_dutch_texts(kind: str) -> None:
    schema = generate_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["description"].startswith("Een ") or kind == "site"
    for name, definition in schema.get("$defs", {}).items():
        assert definition["description"] == GROUP_TEXTS[name]
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for prop in definition.get("properties", {}).values():
            assert "title" not in prop  # no English-style automatic titles


@pytest.mark.parametrize("kind", sorted(SCHEMA_TYPES))
def test_reference_markers_are_kept(kind: str) -> None:
    schema = generate_schema(kind)
    for field, target in references(SCHEMA_TYPES[kind]).items():
        assert schema["properties"][field]["x-verwijzing"] == target


def test_choices_are_enums_for_editors() -> None:
    activiteit = generate_schema("activiteit")
    assert activiteit["properties"]["status"]["enum"] == ["actief", "gepauzeerd", "gestopt"]
    frequentie = activiteit["$defs"]["Tijdschema"]["properties"]["frequentie"]["anyOf"][0]
    assert frequentie["enum"] == ["wekelijks", "maandelijks"]
    assert "Overijssel" in generate_schema("gemeente")["properties"]["provincie"]["enum"]
    assert generate_schema("site")["properties"]["taal"]["enum"] == ["nl"]
    assert "const" not in json.dumps(generate_schemas())


FIXTURE_SOURCES, _ = discover(FIXTURE)


@pytest.mark.parametrize("source", FIXTURE_SOURCES, ids=lambda s: s.path.name)
def test_fixture_files_validate_against_their_schema(source) -> None:
    doc, diags = load_file(source.path, source.rel)
    assert doc is not None and not diags
    assert schema_errors(source.kind, doc.data) == []


def test_content_files_validate_against_their_schema() -> None:
    sources, _ = discover(CONTENT)
    assert sources
    for source in sources:
        doc, _ = load_file(source.path, source.rel)
        if doc is not None:
            assert schema_errors(source.kind, doc.data) == [], source.rel


ACTIVITEIT = "activiteiten/vechtstad/koffie-inloop.yaml"
PLEK = "ontmoetingsplekken/vechtstad/buurthuis-de-brug.yaml"


def _set(data: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(("kind", "rel", "path", "value"), [
    ("ontmoetingsplek", PLEK, ("adres", "postcode"), "1234 SA"),
    ("ontmoetingsplek", PLEK, ("adres", "postcode"), "0123 AB"),
    ("ontmoetingsplek", PLEK, ("adres", "postcode"), 12345),
    ("ontmoetingsplek", PLEK, ("coordinaten", "lat"), 40.0),
    ("gemeente", "gemeenten/vechtstad.yaml", ("cbs_code",), "GM99"),
    ("gemeente", "gemeenten/vechtstad.yaml", ("provincie",), "Overijsel"),
    ("organisatie", "organisaties/welzijn-vechtstad.yaml", ("website",), "javascript:alert(1)"),
    ("organisatie", "organisaties/welzijn-vechtstad.yaml", ("email",), "info.voorbeeld.nl"),
    ("activiteit", ACTIVITEIT, ("laatst_gecontroleerd",), "2025-02-30"),
    ("activiteit", ACTIVITEIT, ("wanneer", 0, "tot"), "25:00"),
    ("activiteit", ACTIVITEIT, ("wanneer", 0, "dagen", 0), "XY"),
    ("activiteit", ACTIVITEIT, ("kosten",), {"gratis": False, "bedrag": -2}),
    ("activiteit", ACTIVITEIT, ("status",), "weg"),
    ("activiteit", ACTIVITEIT, ("doelgroepn",), ["ouderen"]),
    ("activiteit", ACTIVITEIT, ("plek",), "../x"),
    ("activiteit", ACTIVITEIT, ("titel",), ""),
])
def test_broken_values_are_rejected_by_the_schema(kind: str, rel: str, path: tuple,
                                                  value: Any) -> None:
    data = fixture_data(rel)
    assert schema_errors(kind, data) == []
    assert schema_errors(kind, _set(data, path, value)) != []


@pytest.mark.parametrize(("path", "value"), [
    (("kosten",), {"gratis": False, "bedrag": "2,50"}),
    (("kosten",), {"gratis": "ja"}),
    (("wanneer", 0, "niet_op"), [{"van": "2026-12-24", "tot": "2026-12-31", "reden": "kerst"}]),
    (("wanneer", 0, "van"), 10),
    (("samenvatting",), 42),
])
def test_shorthands_the_checker_accepts_are_accepted_by_the_schema(path: tuple, value: Any) -> None:
    assert schema_errors("activiteit", _set(fixture_data(ACTIVITEIT), path, value)) == []


def test_modelines_point_at_the_right_schema() -> None:
    sources, _ = discover(CONTENT)
    found = 0
    for source in sources:
        match = MODELINE.search(source.path.read_text(encoding="utf-8"))
        if match is None:
            continue
        found += 1
        target = (source.path.parent / match.group(1)).resolve()
        assert target == (SCHEMAS / schema_filename(source.kind)).resolve(), source.rel
    assert found >= 1


def _glob_regex(glob: str) -> re.Pattern[str]:
    out = ""
    for part in re.split(r"(\*\*/|\*)", glob):
        out += "(?:.*/)?" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
    return re.compile(out + "$")


def test_vscode_settings_map_every_file_to_its_schema() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert {Path(k).name for k in mapping} == {schema_filename(k) for k in SCHEMA_TYPES}
    for key in mapping:
        assert (REPO / key).is_file(), key
    for source in FIXTURE_SOURCES:
        if source.path.suffix == ".md":
            continue  # the YAML extension does not read Markdown front matter
        rel = source.path.relative_to(REPO).as_posix()
        as_content = "content/" + source.path.relative_to(FIXTURE).as_posix()
        for path in (rel, as_content):
            hits = [Path(schema).name for schema, globs in mapping.items()
                    if any(_glob_regex(g).match(path) for g in globs)]
            assert hits == [schema_filename(source.kind)], path
