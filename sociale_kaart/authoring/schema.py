"""Published JSON Schemas (draft 2020-12), one per file kind, generated from the models.

Editors such as VS Code with the YAML extension read ``schemas/<soort>.schema.json`` to
autocomplete field names, offer the allowed choices (enums) and underline mistakes while a
maintainer types. ``sociale-kaart schema`` writes them; ``tests/test_schema.py`` checks that
the committed files equal what this module generates.

The schemas describe the *input* a maintainer may write, so they accept the same shorthands
the validator accepts (a number as text, ``ja``/``nee``, ``- 2026-12-25`` as a free day, a
start year as a number). Cross-file rules (references, duplicate slugs) cannot be expressed
in JSON Schema; fields that refer to other entries carry an ``x-verwijzing`` marker.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from sociale_kaart.model.kinds import SCHEMA_TYPES

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Title and description of each published schema.
TYPE_TEXTS: dict[str, tuple[str, str]] = {
    "gemeente": ("Gemeente", "Een gemeente met haar kernen, regio's en beheer van de kaart. "
                 "Bestand: content/gemeenten/<korte-naam>.yaml"),
    "organisatie": ("Organisatie", "Een organisatie die activiteiten organiseert of plekken "
                    "beheert. Bestand: content/organisaties/<korte-naam>.yaml"),
    "ontmoetingsplek": ("Ontmoetingsplek", "Een plek waar mensen elkaar ontmoeten, zoals een "
                        "buurthuis of bibliotheek. Bestand: "
                        "content/ontmoetingsplekken/<gemeente>/<korte-naam>.yaml"),
    "activiteit": ("Activiteit", "Een activiteit in een gemeente. Bestand: "
                   "content/activiteiten/<gemeente>/<korte-naam>.yaml (of .md met de velden "
                   "tussen twee regels ---)"),
    "praktijk": ("Leerrijke praktijk", "Een voorbeeld uit de praktijk om van te leren. Bestand: "
                 "content/praktijken/<korte-naam>.md (velden tussen twee regels ---, daaronder "
                 "de tekst)"),
    "site": ("Site", "Instellingen van de hele site en de regio-indelingen. Bestand: "
             "content/site.yaml"),
    "taxonomie": ("Lijst met termen", "Een vaste lijst met termen, zoals thema's of doelgroepen. "
                  "Bestand: content/taxonomie/<naam>.yaml"),
}

# Dutch descriptions of the nested groups (the models' docstrings are English, for developers).
GROUP_TEXTS: dict[str, str] = {
    "Aanmelden": "Of en hoe deelnemers zich moeten aanmelden",
    "Adres": "Adres: straat, huisnummer, postcode en plaats",
    "Begeleiding": "Of iemand mee kan, zoals een maatje of een coach",
    "Bron": "Een bron: waar de informatie vandaan komt (document, website, gesprek), met de "
            "datum van de bron zelf. Een bron is geen controle: zet 'laatst_gecontroleerd' alleen "
            "als het bij de organisatie is nagevraagd",
    "Beheer": "Wie de sociale kaart van deze gemeente bijhoudt",
    "Beheerscherm": "Hoe beheerders inloggen op het beheerscherm (een eigen inlogdienst voor GitHub)",
    "Contact": "Contactgegevens van een organisatie of een functie, nooit van een privépersoon",
    "Contactpersoon": "Contactpersoon van een praktijk: naam, organisatie en rol",
    "Coordinaten": "Plaats op de kaart (breedtegraad en lengtegraad)",
    "Kosten": "Wat meedoen kost",
    "Leeftijd": "Voor welke leeftijd (van en/of tot)",
    "Link": "Een link naar meer informatie",
    "Loket": "Waar inwoners terechtkunnen met vragen: het sociaal loket of de welzijnsorganisatie",
    "Periode": "Een dag of periode waarop het niet doorgaat",
    "Regio": "Een regio binnen een indeling",
    "RegioIndeling": "Een indeling in regio's, zoals de GGD-regio's",
    "Term": "Een term uit de lijst, met synoniemen voor het zoeken",
    "WelzijnOpRecept": "Hoe huisartsen en POH's verwijzen naar Welzijn op Recept: de welzijnscoach",
    "Tijdschema": "Wanneer het is: wekelijks of maandelijks op vaste dagen, of op losse datums",
}

# Common field names without a description of their own.
FIELD_TEXTS: dict[str, str] = {
    "naam": "Naam", "titel": "Titel", "slug": "Korte naam: kleine letters, cijfers en streepjes",
    "label": "Naam zoals inwoners die zien", "beschrijving": "Beschrijving (Markdown)",
    "toelichting": "Toelichting in gewone woorden", "website": "Webadres",
    "telefoon": "Telefoonnummer", "email": "E-mailadres", "adres": "Adres",
    "contact": "Contactgegevens", "kosten": "Wat meedoen kost", "aanmelden": "Aanmelden",
    "begeleiding": "Begeleiding", "leeftijd": "Leeftijd", "provincie": "Provincie",
    "taal": "Taal van de site", "regios": "Regio's", "url": "Webadres", "titel_link": "Titel",
    "organisatie": "Organisatie", "rol": "Rol of functie", "status": "Status",
    "lede": "Korte inleiding", "toegankelijkheid_toelichting": "Toelichting op de "
    "toegankelijkheid", "regio_indelingen": "Indelingen in regio's",
    "termen": "De termen in deze lijst", "contacten": "Contactpersonen",
    "links": "Links naar meer informatie", "openingstijden": "Openingstijden",
    "beheer": "Beheer van de kaart", "coordinaten": "Plaats op de kaart",
}

# Extra input forms the validator accepts for values wrapped in these before-validators.
_TEXT_TYPES = ["string", "number"]
_JA_NEE = {"type": "string", "enum": ["ja", "nee"]}
_DAY_SHORTHAND = {"type": "string", "format": "date",
                  "description": "Eén datum, zoals 2026-12-25"}

# Extra input forms per (schema type, field) where the model uses an inline converter.
FIELD_INPUTS: dict[tuple[str, str], dict[str, Any]] = {
    ("praktijk", "start"): {"type": "integer", "minimum": 1000, "maximum": 2999,
                            "description": "Startjaar, zoals 2021"},
}


class _DutchInputSchema(GenerateJsonSchema):
    """Pydantic's generator, adjusted to describe what a maintainer may type."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # field names are already the Dutch words; automatic titles only repeat them

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema
                               ) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        name = getattr(schema["function"]["function"], "__name__", "")
        if name in ("_text", "_line") and inner.get("type") == "string":
            return {**inner, "type": _TEXT_TYPES}
        if name == "_ja_nee":
            return {"anyOf": [inner, _JA_NEE]}
        if name == "_period":
            return {"anyOf": [_DAY_SHORTHAND, inner]}
        if name == "_sources" and inner.get("type") == "array":  # one source without a list
            return {"anyOf": [inner, inner["items"]]}
        return inner

    def chain_schema(self, schema: core_schema.ChainSchema) -> JsonSchemaValue:
        # In validation mode pydantic describes only the first step of a chain; a pattern
        # (for example of a Slug) sits in a later step. Carry it over so editors check it.
        out = super().chain_schema(schema)
        for step in schema["steps"][1:]:
            inner: Any = step
            while inner.get("type", "").startswith("function-") and "schema" in inner:
                inner = inner["schema"]
            if inner.get("type") == "str" and "pattern" in inner:
                for branch in out.get("anyOf", [out]):
                    if branch.get("type") == "string" or "string" in branch.get("type", []):
                        branch["pattern"] = inner["pattern"]
        return out

    def literal_schema(self, schema: core_schema.LiteralSchema) -> JsonSchemaValue:
        out = super().literal_schema(schema)
        if "const" in out:  # editors offer completions for enums, not always for const
            out["enum"] = [out.pop("const")]
        return out


def _describe_groups(schema: dict[str, Any]) -> None:
    for name, definition in schema.get("$defs", {}).items():
        if name not in GROUP_TEXTS:
            raise KeyError(f"no Dutch description for nested group {name!r}: add it to GROUP_TEXTS")
        definition["description"] = GROUP_TEXTS[name]
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for field, prop in definition.get("properties", {}).items():
            if "description" not in prop and field in FIELD_TEXTS:
                prop["description"] = FIELD_TEXTS[field]


def _add_inputs(kind: str, schema: dict[str, Any]) -> None:
    for (owner, field), extra in FIELD_INPUTS.items():
        if owner != kind:
            continue
        prop = schema["properties"][field]
        branches = prop.pop("anyOf", None)
        if branches is None:
            branches = [{k: prop.pop(k) for k in list(prop) if k not in ("description", "default")}]
        prop["anyOf"] = [*branches[:-1], extra, branches[-1]] if branches[-1] == {"type": "null"} \
            else [*branches, extra]


def generate_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind (a key of ``SCHEMA_TYPES``)."""
    model = SCHEMA_TYPES[kind]
    body = model.model_json_schema(mode="validation", schema_generator=_DutchInputSchema)
    _describe_groups(body)
    _add_inputs(kind, body)
    title, description = TYPE_TEXTS[kind]
    body.pop("title", None)
    body.pop("description", None)
    return {"$schema": DIALECT, "title": title, "description": description, **body}


def generate_schemas() -> dict[str, dict[str, Any]]:
    return {kind: generate_schema(kind) for kind in SCHEMA_TYPES}


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def render(schema: dict[str, Any]) -> str:
    """Text of a schema file: the generator's key order is stable, so diffs stay small."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into ``out``; return the paths of files whose content changed."""
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for kind, schema in generate_schemas().items():
        path = out / schema_filename(kind)
        text = render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
