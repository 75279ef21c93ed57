"""Import an existing sociale kaart: Open Referral HSDS JSON or a spreadsheet (CSV).

Both importers turn the input into *drafts* (entry kind, slug, Dutch field data) and a list
of Dutch notes about every value that could not be taken over. ``write_drafts`` writes them
as clean YAML under ``content/`` (organisaties/, ontmoetingsplekken/<g>/, activiteiten/<g>/),
never overwriting an existing file silently: without ``update`` it skips the file and says so;
with ``update`` it merges the new values into the file and prints a unified diff.

HSDS input may be our own export (see ``hsds.py``: one object with organizations, services,
locations and service_at_locations arrays), a single service, organization or location
object (nested objects are followed), an API page (``contents``) or a list of those.

CSV input needs a mapping file (YAML) that says which column holds which field and how
values translate; see ``tests/fixtures/import/`` and the README section "Migrating an
existing sociale kaart".

Input that cannot be imported (no JSON, no CSV, a value of the wrong type in the HSDS
document or the mapping) raises ``ImportError_`` with diagnostics (file, line, column, field)
before anything is written; ``_SHAPES`` lists the type of every HSDS field the importer reads.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, TypeAdapter, ValidationError

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.importers.jsonread import JsonProblem, json_position, read_json
from sociale_kaart.model.entries import (
    Aanmelden,
    Coordinaten,
    Gemeente,
    Kosten,
    Taxonomie,
)
from sociale_kaart.model.fields import Email, Model, Postcode, ShortText, Slug, Telefoon, Url
from sociale_kaart.model.kinds import KINDS
from sociale_kaart.model.names import slugify
from sociale_kaart.model.openreferral import (
    ID_SCHEME,
    ID_TYPE,
    KENMERKEN,
    NIET_OP,
    STATUS,
    VOCAB_FIELDS,
    schedule_description,
)
from sociale_kaart.model.schedule import Tijdschema, parse_day
from sociale_kaart.nl.words import DAY_CODES, DAY_NAMES, MONTH_NAMES, ORDINALS, RFC_TO_DUTCH
from sociale_kaart.outputs.csvsafe import describe_risk, formula_risk
from sociale_kaart.pipeline.duplicates import name_key, name_tokens
from sociale_kaart.pipeline.load import display_path
from sociale_kaart.pipeline.validate import validate_document
from sociale_kaart.pipeline.yaml_loader import field_name, load_file

STATUS_BACK = {v: k for k, v in STATUS.items()} | {"defunct": "gestopt"}
IMPORT_SLUG = 60  # imported names are often long; their slugs are cut earlier than in `new`
NAMELESS = "naamloos"  # the slug of a name without letters or digits


def import_slug(name: str) -> str:
    """The slug of an imported name (model/names.py), shorter than in `new`, never empty."""
    return slugify(name, IMPORT_SLUG) or NAMELESS


# The kinds an import makes (model/kinds.py has their folders and models).
IMPORTED = ("organisatie", "ontmoetingsplek", "activiteit")
PER_WORDS = {"keer": "keer", "les": "keer", "bijeenkomst": "keer", "week": "week",
             "maand": "maand", "kwartaal": "kwartaal", "jaar": "jaar", "seizoen": "jaar",
             "cursus": "cursus"}
_MONTH_NR = {m: i + 1 for i, m in enumerate(MONTH_NAMES)}
_DUTCH_DATE = re.compile(r"(\d{1,2}) ([a-z]+) (\d{4})")


# --------------------------------------------------------------------------- shared pieces

@dataclass
class Draft:
    kind: str  # organisatie | ontmoetingsplek | activiteit
    slug: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.data.get("titel") or self.data.get("naam") or self.slug)


@dataclass
class ImportResult:
    drafts: list[Draft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Dutch, one line each


class ImportError_(Exception):
    """Input that cannot be imported: a Dutch message and the diagnostics behind it (file,
    line, column, field). Nothing is written; the command exits with code 1."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


def _check(type_: Any, value: Any) -> tuple[Any, str | None]:
    """Validate one value with a field type from types.py; (value, None) or (None, Dutch msg)."""
    try:
        return TypeAdapter(type_).validate_python(value), None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        return None, str(err["msg"]).removeprefix("Value error, ")


def _short(value: Any, n: int = 70) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _first(values: list[str] | None) -> str | None:
    """The first of ``values``; None when there are none."""
    return values[0] if values else None


def _time_text(value: Any) -> str | None:
    """'10:00:00' / '10.00' / '10:00' -> '10:00'."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:uur)?\s*$", value)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        pass
    m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", v)  # Dutch 1-10-2026
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    m = _DUTCH_DATE.fullmatch(v.casefold())
    if m and m.group(2) in _MONTH_NR:
        try:
            return date(int(m.group(3)), _MONTH_NR[m.group(2)], int(m.group(1)))
        except ValueError:
            return None
    return None


def split_description(text: str | None, required: bool) -> tuple[str | None, str | None]:
    """Split a description into (samenvatting, beschrijving) the way hsds.py joins them."""
    if not text or not text.strip():
        return None, None
    text = text.strip().replace("\r\n", "\n")
    first, _, rest = text.partition("\n\n")
    first = first.strip()
    if len(first) <= 300:
        return first, rest.strip() or None
    if not required:
        return None, text
    # a long first paragraph: the first sentences that fit, the whole text as beschrijving
    sentences = re.split(r"(?<=[.!?])\s+", first)
    summary = ""
    for s in sentences:
        if len(summary) + len(s) + 1 > 300:
            break
        summary = f"{summary} {s}".strip()
    if not summary:
        summary = first[:296].rsplit(" ", 1)[0] + " ..."
    return summary, text


class Vocabularies:
    """Match words from another system to our taxonomy terms (slug, label or synonym)."""

    def __init__(self, taxonomies: dict[str, Taxonomie]):
        self.terms = {v: {t.slug: t for t in tax.termen} for v, tax in taxonomies.items()}
        self._words: dict[str, dict[str, str]] = {}
        for vocab, terms in self.terms.items():
            table: dict[str, str] = {}
            for t in terms.values():
                for word in (t.slug, t.label, *t.synoniemen):
                    table.setdefault(self._norm(word), t.slug)
            self._words[vocab] = table

    @staticmethod
    def _norm(text: str) -> str:
        return " ".join(name_tokens(text.replace("-", " ")))

    def has(self, vocab: str, slug: str) -> bool:
        return slug in self.terms.get(vocab, {})

    def match(self, vocab: str, text: str) -> str | None:
        if self.has(vocab, text):
            return text
        return self._words.get(vocab, {}).get(self._norm(text))

    def guess(self, vocab: str, *texts: str | None) -> str | None:
        """The first term whose label or synonym is one of the words of ``texts``."""
        table = self._words.get(vocab, {})
        for text in texts:
            if not text:
                continue
            words = name_tokens(text.replace("-", " "))
            for n in (2, 1):
                for i in range(len(words) - n + 1):
                    found = table.get(" ".join(words[i:i + n]))
                    if found:
                        return found
            for w in words:  # compounds: "wijkcentrum de linde" has "centrum"
                for key, slug in table.items():
                    if " " not in key and len(key) >= 5 and w.endswith(key):
                        return slug
        return None


def _rule_to_yaml(rule: Tijdschema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if rule.frequentie:
        out["frequentie"] = rule.frequentie
    if rule.interval != 1:
        out["interval"] = rule.interval
    if rule.dagen:
        out["dagen"] = [f"{pos or ''}{RFC_TO_DUTCH[code]}" for pos, code in rule.positioned_days]
    if rule.datums:
        out["datums"] = sorted(rule.datums)
    if rule.van:
        out["van"] = rule.van.strftime("%H:%M")
    if rule.tot:
        out["tot"] = rule.tot.strftime("%H:%M")
    if rule.geldig_vanaf:
        out["geldig_vanaf"] = rule.geldig_vanaf
    if rule.geldig_tot:
        out["geldig_tot"] = rule.geldig_tot
    if rule.niet_op:
        out["niet_op"] = [p.van if (p.tot in (None, p.van) and not p.reden) else
                          {k: v for k, v in (("van", p.van), ("tot", p.tot), ("reden", p.reden))
                           if v is not None}
                          for p in rule.niet_op]
    if rule.toelichting:
        out["toelichting"] = rule.toelichting
    return out


def _make_rule(data: dict[str, Any], where: str, notes: list[str]) -> Tijdschema | None:
    try:
        return Tijdschema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        notes.append(f"{where}: tijden niet overgenomen: "
                     f"{str(err['msg']).removeprefix('Value error, ')}")
        return None


def _merge_dates(rules: list[Tijdschema]) -> list[Tijdschema]:
    """Join one-off rules with the same times and note into one rule with several datums.

    The first one-off rule (without niet_op) of each (van, tot, toelichting) collects the dates
    of the later ones: one lookup per rule, so thousands of dates stay linear.
    """
    out: list[Tijdschema] = []
    first: dict[tuple[Any, Any, Any], int] = {}  # times and note -> index in out
    merged: dict[int, set[date]] = {}
    for rule in rules:
        if rule.frequentie or rule.niet_op:
            out.append(rule)
            continue
        key = (rule.van, rule.tot, rule.toelichting)
        if key in first:
            merged.setdefault(first[key], set(out[first[key]].datums)).update(rule.datums)
            continue
        first[key] = len(out)
        out.append(rule)
    for i, datums in merged.items():
        out[i] = out[i].model_copy(update={"datums": sorted(datums)})
    return out


class _Slugs:
    """Unique slugs per folder (organisaties globally, the others per gemeente)."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {k: set() for k in IMPORTED}
        self.next: dict[tuple[str, str], int] = {}  # (kind, wanted) -> first number to try
        self.probes = 0  # slugs looked up (the tests count them: linear, not quadratic)

    def take(self, kind: str, wanted: str, *alternatives: str | None) -> str:
        used = self.used[kind]
        for cand in (wanted, *(import_slug(a) for a in alternatives if a)):
            self.probes += 1
            if cand and cand not in used:
                used.add(cand)
                return cand
        # 'naamloze-activiteit-2', -3, ...: continue where the last one of this name stopped
        n = self.next.get((kind, wanted), 2)
        self.probes += 1
        while f"{wanted}-{n}" in used:
            self.probes += 1
            n += 1
        self.next[(kind, wanted)] = n + 1
        used.add(f"{wanted}-{n}")
        return f"{wanted}-{n}"


# --------------------------------------------------------------------------- HSDS import

_ORG_KEYS = {"id", "name", "description", "email", "website", "phones",
             "organization_identifiers", "attributes", "locations", "services"}
_SERVICE_KEYS = {"id", "name", "status", "description", "organization_id", "organization",
                 "url", "email", "additional_urls", "application_process", "fees_description",
                 "fees", "eligibility_description", "minimum_age", "maximum_age",
                 "assured_date", "phones", "schedules", "contacts", "languages",
                 "cost_options", "attributes", "service_at_locations", "last_modified"}
_LOCATION_KEYS = {"id", "location_type", "name", "description", "url", "organization_id",
                  "latitude", "longitude", "external_identifier", "external_identifier_type",
                  "addresses", "accessibility", "contacts", "phones", "schedules", "attributes",
                  "languages", "service_at_locations"}
_SCHEDULE_KEYS = {"id", "service_id", "location_id", "service_at_location_id", "freq",
                  "interval", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
                  "dtstart", "until", "notes", "description", "count"}


_COLLECTION_ARRAYS = ("organizations", "services", "locations", "service_at_locations", "contents")


def _classify(data: dict) -> str | None:
    """What an HSDS object found at the top (or in ``contents``) is: 'container' (arrays of
    objects, like our export or an API page), 'location', 'service', 'link', 'organization' or
    None (not something the importer reads)."""
    if "id" not in data and "name" not in data and any(k in data for k in _COLLECTION_ARRAYS):
        return "container"
    if "location_type" in data:
        return "location"
    if "status" in data or "service_at_locations" in data:
        return "service"
    if "service_id" in data or ("service" in data and "location" in data):
        return "link"
    if "name" in data:
        return "organization"
    return None


# The shape of every HSDS field the importer reads: TEXT (a string), TEXT_OR_NUMBER (a string
# or a number, for values that some systems write as numbers: phone numbers, postcodes, ages,
# coordinates, amounts), ("lijst", kind) a list of objects of that kind, ("object", kind) one
# object. ``null`` is always allowed (the field is then absent). Fields not listed are not read
# as values (the importer notes them as not taken over), so any JSON value is fine there.
TEXT, TEXT_OR_NUMBER = "tekst", "tekst of getal"
_SHAPES: dict[str, dict[str, Any]] = {
    "container": {"organizations": ("lijst", "organization"), "services": ("lijst", "service"),
                  "locations": ("lijst", "location"),
                  "service_at_locations": ("lijst", "link"), "contents": ("lijst", "root")},
    "organization": {"id": TEXT, "name": TEXT, "description": TEXT, "email": TEXT,
                     "website": TEXT, "phones": ("lijst", "phone"),
                     "organization_identifiers": ("lijst", "identifier"),
                     "attributes": ("lijst", "attribute"), "locations": ("lijst", "location"),
                     "services": ("lijst", "service")},
    "service": {"id": TEXT, "name": TEXT, "status": TEXT, "description": TEXT,
                "organization_id": TEXT, "organization": ("object", "organization"),
                "url": TEXT, "email": TEXT, "additional_urls": ("lijst", "url"),
                "application_process": TEXT, "fees_description": TEXT, "fees": TEXT,
                "eligibility_description": TEXT, "minimum_age": TEXT_OR_NUMBER,
                "maximum_age": TEXT_OR_NUMBER, "assured_date": TEXT,
                "phones": ("lijst", "phone"), "schedules": ("lijst", "schedule"),
                "contacts": ("lijst", "contact"), "languages": ("lijst", "language"),
                "cost_options": ("lijst", "cost_option"), "attributes": ("lijst", "attribute"),
                "service_at_locations": ("lijst", "link")},
    "location": {"id": TEXT, "location_type": TEXT, "name": TEXT, "description": TEXT,
                 "url": TEXT, "organization_id": TEXT, "latitude": TEXT_OR_NUMBER,
                 "longitude": TEXT_OR_NUMBER, "external_identifier": TEXT,
                 "external_identifier_type": TEXT, "addresses": ("lijst", "address"),
                 "accessibility": ("lijst", "accessibility"), "contacts": ("lijst", "contact"),
                 "phones": ("lijst", "phone"), "schedules": ("lijst", "schedule"),
                 "attributes": ("lijst", "attribute"), "languages": ("lijst", "language")},
    "link": {"id": TEXT, "service_id": TEXT, "location_id": TEXT,
             "service": ("object", "service"), "location": ("object", "location")},
    "phone": {"number": TEXT_OR_NUMBER},
    "identifier": {"identifier": TEXT_OR_NUMBER, "identifier_scheme": TEXT,
                   "identifier_type": TEXT},
    "attribute": {"taxonomy_term": ("object", "taxonomy_term"), "label": TEXT, "value": TEXT},
    "taxonomy_term": {"taxonomy": TEXT, "code": TEXT, "name": TEXT},
    "schedule": {"freq": TEXT, "interval": TEXT_OR_NUMBER, "byday": TEXT, "opens_at": TEXT,
                 "closes_at": TEXT, "valid_from": TEXT, "valid_to": TEXT, "dtstart": TEXT,
                 "until": TEXT, "notes": TEXT, "description": TEXT},
    "contact": {"name": TEXT, "title": TEXT, "department": TEXT, "email": TEXT,
                "phones": ("lijst", "phone")},
    "address": {"address_type": TEXT, "address_1": TEXT, "address_2": TEXT, "city": TEXT,
                "postal_code": TEXT_OR_NUMBER, "country": TEXT},
    "accessibility": {"description": TEXT, "details": TEXT},
    "language": {"code": TEXT, "name": TEXT},
    "url": {"url": TEXT, "label": TEXT},
    "cost_option": {"option": TEXT, "amount": TEXT_OR_NUMBER, "currency": TEXT,
                    "amount_description": TEXT},
}
_KIND_NAMES = {"organization": "organisatie (organization)", "service": "dienst (service)",
               "location": "locatie (location)", "link": "koppeling (service_at_location)",
               "root": "HSDS-object", "container": "HSDS-object"}


def _type_word(value: Any) -> str:
    if isinstance(value, bool):
        return "true of false"
    if isinstance(value, (int, float)):
        return "een getal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, list):
        return "een lijst"
    return "een object ({...})"


def hsds_shape_problems(data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """(path, Dutch message) for every value of the wrong type in an HSDS document.

    Follows the same structure as ``_Collection``: the document is a container, an object or
    a list of those; nested organisations, services, locations and links are checked as what
    they are. Works without recursion (the depth is limited by ``jsonread`` anyway).
    """
    problems: list[tuple[tuple[str | int, ...], str]] = []
    stack: list[tuple[Any, str, tuple[str | int, ...]]] = [(data, "root", ())]
    while stack:
        value, kind, path = stack.pop()
        if kind == "root":
            if isinstance(value, list):
                stack.extend((item, "root", (*path, i)) for i, item in enumerate(value))
                continue
            if not isinstance(value, dict):
                if not path:
                    problems.append((path, f"het bestand bevat {_type_word(value)}; verwacht "
                                           "wordt een HSDS-object of een lijst daarvan"))
                continue
            found = _classify(value)
            if found is None:
                continue
            kind = found
        if not isinstance(value, dict):
            problems.append((path, f"moet een {_KIND_NAMES.get(kind, 'object')} zijn "
                                   f"({{...}}), maar is {_type_word(value)}"))
            continue
        for key, shape in _SHAPES[kind].items():
            item = value.get(key)
            if item is None:
                continue
            where = (*path, key)
            if shape == TEXT:
                if not isinstance(item, str):
                    problems.append((where, f"moet tekst zijn, maar is {_type_word(item)}"))
            elif shape == TEXT_OR_NUMBER:
                if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                    problems.append((where, f"moet tekst of een getal zijn, maar is "
                                            f"{_type_word(item)}"))
            elif shape[0] == "object":
                stack.append((item, shape[1], where))
            elif not isinstance(item, list):
                problems.append((where, f"moet een lijst zijn ([...]), maar is {_type_word(item)}"))
            else:
                stack.extend((element, shape[1], (*where, i)) for i, element in enumerate(item))
    problems.sort(key=lambda p: [str(x) if isinstance(x, str) else f"{x:09d}" for x in p[0]])
    return problems


def read_hsds(raw: bytes, rel: str, max_positions: int = 100) -> Any:
    """The parsed HSDS document of file ``rel``, or ``ImportError_`` with a diagnostic (line,
    column, field) for unreadable JSON and for every value of the wrong type."""
    try:
        data, text = read_json(raw)
    except JsonProblem as exc:
        raise ImportError_(f"{rel} is geen geldige JSON",
                           [Diagnostic(rel, exc.line, exc.column, "", exc.message, "fout",
                                       exc.code)]) from None
    problems = hsds_shape_problems(data)
    if problems:
        diags = []
        for n, (path, message) in enumerate(problems):
            line, col = json_position(text, path) if n < max_positions else (0, 0)
            diags.append(Diagnostic(rel, line, col, field_name(path), message, "fout", "hsds-type"))
        raise ImportError_(f"{rel} is geen bruikbaar HSDS-bestand: "
                           f"{len(problems)} {'waarde heeft' if len(problems) == 1 else 'waarden hebben'}"
                           " niet de soort die HSDS voorschrijft", diags)
    return data


class _Collection:
    """HSDS objects by id, found anywhere in the input (flat arrays or nested)."""

    def __init__(self) -> None:
        self.organizations: dict[str, dict] = {}
        self.services: dict[str, dict] = {}
        self.locations: dict[str, dict] = {}
        self.links: dict[str, dict] = {}
        self._n = 0

    def _id(self, obj: dict) -> str:
        if isinstance(obj.get("id"), str) and obj["id"]:
            return obj["id"]
        self._n += 1
        obj["id"] = f"zonder-id-{self._n}"
        return obj["id"]

    def add(self, data: Any) -> None:
        if isinstance(data, list):
            for item in data:
                self.add(item)
            return
        if not isinstance(data, dict):
            return
        kind = _classify(data)
        if kind == "container":
            for key in _COLLECTION_ARRAYS:
                for item in data.get(key) or []:
                    if isinstance(item, dict):
                        {"organizations": self.organization, "services": self.service,
                         "locations": self.location, "service_at_locations": self.link,
                         "contents": self.add}[key](item)
        elif kind == "location":
            self.location(data)
        elif kind == "service":
            self.service(data)
        elif kind == "link":
            self.link(data)
        elif kind == "organization":
            self.organization(data)

    def organization(self, org: dict) -> str:
        oid = self._id(org)
        self.organizations.setdefault(oid, org)
        for s in org.get("services") or []:
            if isinstance(s, dict):
                s.setdefault("organization_id", oid)
                self.service(s)
        for loc in org.get("locations") or []:
            if isinstance(loc, dict):
                loc.setdefault("organization_id", oid)
                self.location(loc)
        return oid

    def service(self, s: dict) -> str:
        sid = self._id(s)
        self.services.setdefault(sid, s)
        if isinstance(s.get("organization"), dict):
            s.setdefault("organization_id", self.organization(s["organization"]))
        for link in s.get("service_at_locations") or []:
            if isinstance(link, dict):
                link.setdefault("service_id", sid)
                self.link(link)
        return sid

    def location(self, loc: dict) -> str:
        lid = self._id(loc)
        self.locations.setdefault(lid, loc)
        return lid

    def link(self, link: dict) -> str:
        if isinstance(link.get("location"), dict):
            link.setdefault("location_id", self.location(link["location"]))
        if isinstance(link.get("service"), dict):
            link.setdefault("service_id", self.service(link["service"]))
        lid = self._id(link)
        self.links.setdefault(lid, link)
        return lid


class HsdsImporter:
    def __init__(self, vocab: Vocabularies, gemeente: Gemeente, today: date, bron: str,
                 known: dict[str, dict[str, str]] | None = None):
        self.vocab = vocab
        self.gemeente = gemeente
        self.today = today
        self.bron = bron
        self.notes: list[str] = []
        self.slugs = _Slugs()
        self.known = known or {}  # kind -> name_key -> existing slug

    # -- helpers
    def note(self, where: str, message: str) -> None:
        self.notes.append(f"{where}: {message}")

    def unknown_keys(self, obj: dict, handled: set[str], where: str) -> None:
        for key, value in obj.items():
            if key in handled or value in (None, "", [], {}):
                continue
            self.note(where, f"veld '{key}' niet overgenomen (geen veld in de sociale kaart): "
                             f"{_short(value)}")

    def value(self, type_: Any, value: Any, where: str, what: str) -> Any:
        if value in (None, ""):
            return None
        good, problem = _check(type_, value.strip('"') if isinstance(value, str) else value)
        if problem:
            self.note(where, f"{what} niet overgenomen: {problem}")
        return good

    def slug_for(self, kind: str, name: str, own: str | None) -> str:
        if own:
            good, _ = _check(Slug, own)
            if good:
                return self.slugs.take(kind, good)
        existing = self.known.get(kind, {}).get(name_key(name))
        return self.slugs.take(kind, existing or import_slug(name))

    def attributes(self, obj: dict, where: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """(vocab -> [term slugs], kenmerk code -> [values]) from HSDS attributes."""
        terms: dict[str, list[str]] = {}
        kenmerken: dict[str, list[str]] = {}
        for attr in obj.get("attributes") or []:
            term = attr.get("taxonomy_term") or {}
            vocab, code = term.get("taxonomy"), term.get("code")
            name = term.get("name") or attr.get("label") or code
            if vocab == KENMERKEN and code:
                kenmerken.setdefault(code, []).append(attr.get("value") or "")
            elif vocab in self.vocab.terms and code and self.vocab.has(vocab, code):
                terms.setdefault(vocab, []).append(code)
            else:
                found = None
                for v in ("themas", "doelgroepen", "toegankelijkheid", "positieve-gezondheid"):
                    if name and (found := self.vocab.match(v, str(name))):
                        terms.setdefault(v, []).append(found)
                        break
                if not found:
                    self.note(where, f"categorie '{_short(name or attr)}'"
                                     f"{' uit ' + str(vocab) if vocab else ''} niet overgenomen: "
                                     "past niet bij een term in taxonomie/")
        return terms, kenmerken

    def schedules(self, items: list[dict], where: str) -> list[dict[str, Any]]:
        rules: list[Tijdschema] = []
        for s in items or []:
            rule = self.schedule(s, where)
            if rule is not None:
                rules.append(rule)
        return [_rule_to_yaml(r) for r in _merge_dates(rules)]

    def schedule(self, s: dict, where: str) -> Tijdschema | None:
        data: dict[str, Any] = {}
        for key in ("bymonthday", "byweekno", "byyearday", "wkst", "timezone", "schedule_link",
                    "attending_type"):
            if s.get(key) not in (None, ""):
                self.note(where, f"tijden: '{key}' ({_short(s[key])}) niet overgenomen: de "
                                 "sociale kaart kent alleen dagen van de week of de maand")
        self.unknown_keys(s, _SCHEDULE_KEYS | {"bymonthday", "byweekno", "byyearday", "wkst",
                                               "timezone", "schedule_link", "attending_type",
                                               "attributes", "metadata"}, where)
        for key, target in (("opens_at", "van"), ("closes_at", "tot")):
            if s.get(key):
                t = _time_text(s[key])
                if t:
                    data[target] = t
                else:
                    self.note(where, f"tijd '{s[key]}' ({key}) niet overgenomen: geen tijd")
        start = _date(s.get("valid_from")) or _date(s.get("dtstart"))
        end = _date(s.get("valid_to")) or _date(s.get("until"))
        days = [d.strip() for d in str(s.get("byday") or "").split(",") if d.strip()]
        freq = s.get("freq")
        if not freq and days:
            freq = "MONTHLY" if any(parse_safe(d)[0] for d in days) else "WEEKLY"
        description = s.get("description") if isinstance(s.get("description"), str) else None
        niet_op, description = _parse_niet_op(description)
        if niet_op:
            data["niet_op"] = niet_op
        if freq in ("WEEKLY", "MONTHLY"):
            data["frequentie"] = "wekelijks" if freq == "WEEKLY" else "maandelijks"
            data["dagen"] = days
            if s.get("interval") not in (None, "", 1):
                try:
                    data["interval"] = int(s["interval"])
                except (TypeError, ValueError):
                    self.note(where, f"interval '{s['interval']}' is geen getal")
            if start:
                data["geldig_vanaf"] = start
            if end:
                data["geldig_tot"] = end
        elif freq:
            self.note(where, f"tijden met frequentie '{freq}' niet overgenomen: alleen WEEKLY "
                             "en MONTHLY bestaan in HSDS en de sociale kaart")
            return None
        elif start and (end in (None, start)):
            data["datums"] = [start]
        else:
            self.note(where, "tijden zonder frequentie en zonder losse datum niet overgenomen"
                      + (f" ({_short(description)})" if description else ""))
            return None
        notes_text = [t for t in (s.get("notes"),) if isinstance(t, str) and t.strip()]
        if notes_text:
            data["toelichting"] = notes_text[0].strip()
        rule = _make_rule(data, where, self.notes)
        if rule is None:
            return None
        if description and description.strip() != schedule_description(
                rule.model_copy(update={"niet_op": []})).strip():
            extra = description.strip()
            text = f"{rule.toelichting} {extra}" if rule.toelichting else extra
            rule = _make_rule({**data, "toelichting": text}, where, self.notes) or rule
        return rule

    def contact(self, contacts: list[dict], phones: list[dict], url: Any, email: Any,
                where: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(contact, aanmelden-contact fields) from HSDS contacts, phones, url and email."""
        main: dict[str, Any] = {}
        signup: dict[str, Any] = {}
        for c in contacts or []:
            is_signup = str(c.get("department") or "").casefold() == "aanmelden"
            target = signup if is_signup else main
            if target is main and main:
                self.note(where, f"extra contact '{_short(c.get('title') or c.get('name') or '')}'"
                                 " niet overgenomen: de sociale kaart heeft één contact")
                continue
            if c.get("name"):
                self.note(where, f"naam van een persoon ('{_short(c['name'])}') niet "
                                 "overgenomen: de sociale kaart noemt functies, geen personen")
            if not is_signup:
                naam = self.value(ShortText, c.get("title") or c.get("department"), where,
                                  "naam van het contact")
                if naam:
                    target["naam"] = naam
            for p in c.get("phones") or []:
                tel = self.value(Telefoon, p.get("number"), where, "telefoonnummer")
                if tel and "telefoon" not in target:
                    target["telefoon"] = tel
            if c.get("email"):
                mail = self.value(Email, c["email"], where, "e-mailadres")
                if mail:
                    target["email"] = mail
        for p in phones or []:
            number = str(p.get("number") or "").strip('"')
            if main.get("telefoon") and _digits(number) == _digits(main["telefoon"]):
                continue
            if signup.get("telefoon") and _digits(number) == _digits(signup["telefoon"]):
                continue
            tel = self.value(Telefoon, number, where, "telefoonnummer")
            if tel and "telefoon" not in main:
                main["telefoon"] = tel
            elif tel:
                self.note(where, f"extra telefoonnummer {tel} niet overgenomen")
        if email and "email" not in main:
            mail = self.value(Email, email, where, "e-mailadres")
            if mail:
                main["email"] = mail
        if url:
            web = self.value(Url, url, where, "webadres")
            if web:
                main["website"] = web
        return (main or None), signup

    def address(self, loc: dict, where: str) -> dict[str, Any] | None:
        addresses = [a for a in loc.get("addresses") or [] if isinstance(a, dict)]
        if not addresses:
            return None
        addresses.sort(key=lambda a: a.get("address_type") != "physical")
        a = addresses[0]
        for extra in addresses[1:]:
            self.note(where, f"extra adres niet overgenomen: {_short(extra.get('address_1'))}")
        if a.get("country") and str(a["country"]).upper() not in ("NL", "NLD"):
            self.note(where, f"adres in land '{a['country']}': controleer het adres")
        line = str(a.get("address_1") or "").strip()
        m = re.match(r"^(.*?\S)\s+(\d+\s*[a-zA-Z]?(?:[-/ ]?\w{1,4})?)$", line)
        if not m or not a.get("city"):
            self.note(where, f"adres '{_short(line)}' niet overgenomen: straat, huisnummer en "
                             "plaats zijn nodig")
            return None
        out: dict[str, Any] = {"straat": m.group(1), "huisnummer": m.group(2).strip()}
        if a.get("postal_code"):
            pc = self.value(Postcode, a["postal_code"], where, "postcode")
            if pc:
                out["postcode"] = pc
        out["plaats"] = str(a["city"]).strip()
        if a.get("address_2"):
            self.note(where, f"adresregel 2 ('{_short(a['address_2'])}') niet overgenomen")
        return out

    # -- objects
    def run(self, coll: _Collection) -> list[Draft]:
        drafts: list[Draft] = []
        org_slugs: dict[str, str] = {}
        loc_kind: dict[str, str] = {}
        linked = {link.get("location_id") for link in coll.links.values()}
        for lid, loc in coll.locations.items():
            typ = loc.get("external_identifier_type")
            if typ == ID_TYPE["organisatie"]:
                loc_kind[lid] = "organisatie"
            elif typ == ID_TYPE["adres"] or (loc.get("location_type") == "physical"
                                             and not loc.get("name") and lid in linked):
                loc_kind[lid] = "adres"
            elif loc.get("location_type") == "virtual" or typ == ID_TYPE["online"]:
                loc_kind[lid] = "online"
            elif loc.get("location_type") == "postal" and loc.get("organization_id") \
                    and lid not in linked:
                loc_kind[lid] = "organisatie"
            else:
                loc_kind[lid] = "plek"
        org_address = {loc["organization_id"]: loc for lid, loc in coll.locations.items()
                       if loc_kind[lid] == "organisatie" and loc.get("organization_id")}
        for oid, org in coll.organizations.items():
            draft = self.organisation(org, org_address.get(oid))
            org_slugs[oid] = draft.slug
            drafts.append(draft)
        plek_slugs: dict[str, str] = {}
        for lid, loc in coll.locations.items():
            if loc_kind[lid] == "plek":
                draft = self.place(loc, org_slugs)
                plek_slugs[lid] = draft.slug
                drafts.append(draft)
        links_by_service: dict[str, list[dict]] = {}
        for link in coll.links.values():
            links_by_service.setdefault(str(link.get("service_id")), []).append(link)
        for sid, s in coll.services.items():
            drafts.append(self.activity(s, links_by_service.get(sid, []), coll, loc_kind,
                                        org_slugs, plek_slugs))
        return drafts

    def organisation(self, org: dict, address_loc: dict | None) -> Draft:
        name = str(org.get("name") or "").strip() or "Naamloze organisatie"
        own = next((i.get("identifier") for i in org.get("organization_identifiers") or []
                    if i.get("identifier_scheme") == ID_SCHEME), None)
        slug = self.slug_for("organisatie", name, own)
        where = f"organisatie '{name}' ({KINDS['organisatie'].folder}/{slug}.yaml)"
        self.unknown_keys(org, _ORG_KEYS | {"metadata"}, where)
        for other in org.get("organization_identifiers") or []:
            if other.get("identifier_scheme") != ID_SCHEME:
                self.note(where, f"kenmerk {other.get('identifier_type') or ''} "
                                 f"{other.get('identifier') or ''} niet overgenomen")
        terms, _ = self.attributes(org, where)
        data: dict[str, Any] = {"naam": name}
        soort = _first(terms.get("organisatie-soorten")) or self.vocab.guess(
            "organisatie-soorten", name, org.get("description"))
        if soort:
            data["soort"] = soort
            if not terms.get("organisatie-soorten"):
                self.note(where, f"soort '{soort}' geraden uit de naam of beschrijving: "
                                 "controleer dit")
        else:
            self.note(where, "soort onbekend: vul 'soort' zelf in (zie taxonomie/"
                             "organisatie-soorten.yaml)")
        data["gemeenten"] = [self.gemeente.slug]
        contact, _ = self.contact([], org.get("phones") or [], org.get("website"),
                                  org.get("email"), where)
        for key in ("website", "telefoon", "email"):
            if contact and contact.get(key):
                data[key] = contact[key]
        if address_loc is not None:
            adres = self.address(address_loc, where)
            if adres:
                data["adres"] = adres
        if isinstance(org.get("description"), str) and org["description"].strip():
            data["beschrijving"] = org["description"].strip()
        data["laatst_gecontroleerd"] = self.today
        data["bron"] = self.bron
        return Draft("organisatie", slug, data)

    def place(self, loc: dict, org_slugs: dict[str, str]) -> Draft:
        name = str(loc.get("name") or "").strip() or "Naamloze plek"
        own = loc.get("external_identifier") if loc.get("external_identifier_type") == \
            ID_TYPE["plek"] else None
        slug = self.slug_for("ontmoetingsplek", name, own)
        where = (f"ontmoetingsplek '{name}' ({KINDS['ontmoetingsplek'].folder}/"
                 f"{self.gemeente.slug}/{slug}.yaml)")
        handled = _LOCATION_KEYS | {"metadata"}
        if own is None and loc.get("external_identifier"):
            handled = handled - {"external_identifier", "external_identifier_type"}
        self.unknown_keys(loc, handled, where)
        terms, kenmerken = self.attributes(loc, where)
        data: dict[str, Any] = {"naam": name}
        soort = _first(terms.get("plek-soorten")) or self.vocab.guess(
            "plek-soorten", name, loc.get("description"))
        if soort:
            data["soort"] = soort
            if not terms.get("plek-soorten"):
                self.note(where, f"soort '{soort}' geraden uit de naam: controleer dit")
        else:
            self.note(where, "soort onbekend: vul 'soort' zelf in (zie taxonomie/"
                             "plek-soorten.yaml)")
        if kenmerken.get("kern"):
            data["kern"] = kenmerken["kern"][0]
        adres = self.address(loc, where)
        if adres:
            data["adres"] = adres
        if loc.get("latitude") is not None or loc.get("longitude") is not None:
            try:
                c = Coordinaten(lat=loc.get("latitude"), lon=loc.get("longitude"))
                data["coordinaten"] = {"lat": c.lat, "lon": c.lon}
            except ValidationError:
                self.note(where, f"coördinaten {loc.get('latitude')}, {loc.get('longitude')} "
                                 "niet overgenomen: ze liggen niet in Nederland")
        rules = self.schedules(loc.get("schedules") or [], where)
        if rules:
            data["openingstijden"] = rules
        if loc.get("organization_id"):
            if loc["organization_id"] in org_slugs:
                data["beheerder"] = org_slugs[loc["organization_id"]]
            else:
                self.note(where, "beheerder niet overgenomen: de organisatie staat niet in het "
                                 "bestand")
        if kenmerken.get("faciliteit"):
            data["faciliteiten"] = [f for f in kenmerken["faciliteit"] if f]
        access = list(dict.fromkeys(terms.get("toegankelijkheid", [])))
        extra = []
        for item in loc.get("accessibility") or []:
            detail = " ".join(str(item.get(k) or "") for k in ("description", "details")).strip()
            found = self.vocab.match("toegankelijkheid", str(item.get("description") or ""))
            if found:
                if found not in access:
                    access.append(found)
            elif detail:
                extra.append(detail)
        if access:
            data["toegankelijkheid"] = access
        if extra:
            data["toegankelijkheid_toelichting"] = " ".join(extra)
        contact, _ = self.contact(loc.get("contacts") or [], loc.get("phones") or [],
                                  loc.get("url"), None, where)
        if contact:
            data["contact"] = contact
        for lang in loc.get("languages") or []:
            if str(lang.get("code") or "").lower() not in ("nl", "nld", "dut", ""):
                self.note(where, f"taal '{lang.get('name') or lang.get('code')}' niet overgenomen")
        summary, text = split_description(loc.get("description"), required=False)
        if summary:
            data["samenvatting"] = summary
        if text:
            data["beschrijving"] = text
        data["laatst_gecontroleerd"] = self.today
        data["bron"] = self.bron
        return Draft("ontmoetingsplek", slug, data)

    def activity(self, s: dict, links: list[dict], coll: _Collection, loc_kind: dict[str, str],
                 org_slugs: dict[str, str], plek_slugs: dict[str, str]) -> Draft:
        name = str(s.get("name") or "").strip() or "Naamloze activiteit"
        terms, kenmerken = self.attributes(s, f"activiteit '{name}'")
        own = _first(kenmerken.get("korte-naam"))
        slug = self.slug_for("activiteit", name, own)
        where = (f"activiteit '{name}' ({KINDS['activiteit'].folder}/{self.gemeente.slug}/"
                 f"{slug}.yaml)")
        self.unknown_keys(s, _SERVICE_KEYS | {"metadata"}, where)
        data: dict[str, Any] = {"titel": name}
        summary, text = split_description(s.get("description"), required=True)
        if summary:
            data["samenvatting"] = summary
        else:
            self.note(where, "geen beschrijving: schrijf zelf een 'samenvatting'")
        if text:
            data["beschrijving"] = text
        # where
        for i, link in enumerate(links):
            lid = link.get("location_id")
            if i > 0:
                self.note(where, "meer dan één locatie: alleen de eerste is overgenomen; maak "
                                 "voor de andere een eigen activiteit")
                break
            kind = loc_kind.get(str(lid))
            loc = coll.locations.get(str(lid), {})
            if kind == "plek":
                data["plek"] = plek_slugs[str(lid)]
            elif kind == "adres":
                adres = self.address(loc, where)
                if adres:
                    data["adres"] = adres
            elif kind == "online":
                web = self.value(Url, loc.get("url"), where, "online adres")
                if web:
                    data["online"] = web
            else:
                self.note(where, "locatie niet gevonden in het bestand")
        if kenmerken.get("kern"):
            data["kern"] = kenmerken["kern"][0]
        if s.get("organization_id"):
            if s["organization_id"] in org_slugs:
                data["organisator"] = org_slugs[s["organization_id"]]
            else:
                self.note(where, "organisator niet overgenomen: de organisatie staat niet in "
                                 "het bestand")
        for fld, vocab in VOCAB_FIELDS.items():
            if terms.get(vocab):
                data[fld] = list(dict.fromkeys(terms[vocab]))
        if not terms.get("doelgroepen") and s.get("eligibility_description"):
            self.note(where, f"doelgroep '{_short(s['eligibility_description'])}' niet "
                             "overgenomen: kies zelf 'doelgroepen'")
        leeftijd = {}
        for key, target in (("minimum_age", "van"), ("maximum_age", "tot")):
            if s.get(key) is not None:
                try:
                    leeftijd[target] = int(s[key])
                except (TypeError, ValueError):
                    self.note(where, f"{key} '{s[key]}' is geen leeftijd")
        if leeftijd:
            if all(0 <= v <= 120 for v in leeftijd.values()):
                data["leeftijd"] = leeftijd
            else:
                self.note(where, f"leeftijd {leeftijd} niet overgenomen: tussen 0 en 120")
        rules = self.schedules(s.get("schedules") or [], where)
        if rules:
            data["wanneer"] = rules
        kosten = self.costs(s, where)
        if kosten:
            data["kosten"] = kosten
        contact, signup = self.contact(s.get("contacts") or [], s.get("phones") or [],
                                       s.get("url"), s.get("email"), where)
        aanmelden = self.application(s, signup, where)
        if aanmelden:
            data["aanmelden"] = aanmelden
        begeleiding: dict[str, bool | str] = {}
        if "maatje" in kenmerken:
            begeleiding["maatje"] = True
        if "eerste-keer-mee" in kenmerken:
            begeleiding["eerste_keer_mee"] = True
        if kenmerken.get("begeleiding"):
            begeleiding["toelichting"] = kenmerken["begeleiding"][0]
        if begeleiding:
            data["begeleiding"] = begeleiding
        access = list(data.get("toegankelijkheid", []))
        for lang in s.get("languages") or []:
            code = str(lang.get("code") or "").lower()
            if code not in ("nl", "nld", "dut", ""):
                self.note(where, f"taal '{lang.get('name') or code}': 'andere-talen' toegevoegd")
                if self.vocab.has("toegankelijkheid", "andere-talen") and \
                        "andere-talen" not in access:
                    access.append("andere-talen")
        if access:
            data["toegankelijkheid"] = access
        if kenmerken.get("toegankelijkheid-toelichting"):
            data["toegankelijkheid_toelichting"] = kenmerken["toegankelijkheid-toelichting"][0]
        if "welzijn-op-recept" in kenmerken:
            data["welzijn_op_recept"] = True
        if contact:
            data["contact"] = contact
        status = s.get("status")
        if status in STATUS_BACK:
            if STATUS_BACK[status] != "actief":
                data["status"] = STATUS_BACK[status]
        elif status:
            self.note(where, f"status '{status}' onbekend: 'actief' gebruikt")
        checked = _date(s.get("assured_date"))
        if s.get("assured_date") and checked is None:
            self.note(where, f"assured_date '{s['assured_date']}' is geen datum: vandaag gebruikt")
        data["laatst_gecontroleerd"] = checked or self.today
        data["bron"] = self.bron
        return Draft("activiteit", slug, data)

    def costs(self, s: dict, where: str) -> dict[str, Any] | None:
        options = [c for c in s.get("cost_options") or [] if isinstance(c, dict)]
        if options:
            c = options[0]
            for extra in options[1:]:
                self.note(where, f"extra kostenoptie '{_short(extra.get('option') or '')}' "
                                 f"{extra.get('amount', '')} niet overgenomen")
            if c.get("currency") and str(c["currency"]).upper() != "EUR":
                self.note(where, f"kosten in {c['currency']}: alleen euro's worden overgenomen")
                return None
            out: dict[str, Any] = {}
            amount = _amount(c.get("amount"))
            if amount is None and c.get("amount") not in (None, ""):
                self.note(where, f"bedrag '{_short(c['amount'])}' niet overgenomen: geen bedrag "
                                 "tussen 0 en 100000 euro")
            if amount is not None and amount == 0:
                out["gratis"] = True
            elif amount is not None:
                out["gratis"] = False
                out["bedrag"] = float(amount)
                desc = str(c.get("amount_description") or "").casefold()
                m = re.match(r"^per (\w+)$", desc.strip())
                if m and m.group(1) in PER_WORDS:
                    out["per"] = PER_WORDS[m.group(1)]
                elif desc:
                    self.note(where, f"kosten '{c['amount_description']}' niet overgenomen "
                                     "(gebruik per keer, week, maand, kwartaal, jaar of cursus)")
            else:
                out["gratis"] = False
            if c.get("option"):
                out["toelichting"] = str(c["option"]).strip()
            if c.get("valid_from") or c.get("valid_to"):
                self.note(where, "geldigheid van de kosten niet overgenomen")
            return out
        text = s.get("fees_description") or s.get("fees")
        if isinstance(text, str) and text.strip():
            if re.search(r"\b(gratis|kosteloos|free)\b", text, re.IGNORECASE):
                return {"gratis": True}
            return {"gratis": False, "toelichting": text.strip()}
        return None

    def application(self, s: dict, signup: dict[str, Any], where: str) -> dict[str, Any] | None:
        text = s.get("application_process")
        out: dict[str, Any] = {}
        if isinstance(text, str) and text.strip():
            t = text.strip()
            if t.startswith("Vooraf aanmelden is nodig."):
                out["nodig"], rest = True, t.removeprefix("Vooraf aanmelden is nodig.")
            elif t.startswith("Aanmelden is niet nodig."):
                out["nodig"], rest = False, t.removeprefix("Aanmelden is niet nodig.")
            else:
                out["nodig"] = not re.search(r"niet nodig|geen aanmelding|zonder aanmelden|"
                                             r"vrije inloop|binnenlopen|no referral|drop.?in",
                                             t, re.IGNORECASE)
                rest = t
                self.note(where, f"aanmelden: 'nodig: {str(out['nodig']).lower()}' geraden uit "
                                 "de tekst: controleer dit")
            if rest.strip():
                out["hoe"] = rest.strip()
        for key in ("telefoon", "email"):
            if signup.get(key):
                out[key] = signup[key]
        for u in s.get("additional_urls") or []:
            if str(u.get("label") or "").casefold() == "aanmelden":
                web = self.value(Url, u.get("url"), where, "webadres om aan te melden")
                if web:
                    out["website"] = web
            else:
                self.note(where, f"webadres '{_short(u.get('url'))}' niet overgenomen")
        if out and "nodig" not in out:
            out["nodig"] = True
        return out or None


def _amount(value: Any) -> Decimal | None:
    """An HSDS amount (number or text) in whole cents, or None when it is no amount from 0
    to 100000."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or not 0 <= amount <= 100000:
        return None
    return amount.quantize(Decimal("0.01"))


def parse_safe(day: str) -> tuple[int | None, str | None]:
    try:
        return parse_day(day)
    except ValueError:
        return None, None


def _digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text or ""))


def _parse_niet_op(description: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Split 'Niet op: 29 december 2026; ...' off a schedule description written by hsds.py."""
    if not description or NIET_OP not in description:
        return [], description
    head, _, tail = description.partition(" " + NIET_OP)
    if not tail:
        head, _, tail = description.partition(NIET_OP)
    periods = []
    for part in tail.rstrip(".").split("; "):
        m = re.match(r"^(\d{1,2} [a-z]+ \d{4})(?: tot en met (\d{1,2} [a-z]+ \d{4}))?"
                     r"(?: \((.*)\))?$", part.strip())
        van = _date(m.group(1)) if m else None
        if not m or van is None:
            return [], description  # not ours: keep the text as it is
        period: dict[str, Any] = {"van": van}
        if m.group(2):
            period["tot"] = _date(m.group(2))
        if m.group(3):
            period["reden"] = m.group(3)
        periods.append(period)
    return periods, head


def import_hsds(data: Any, vocab: Vocabularies, gemeente: Gemeente, today: date, bron: str,
                known: dict[str, dict[str, str]] | None = None) -> ImportResult:
    """Pure: HSDS JSON data -> drafts and notes."""
    coll = _Collection()
    coll.add(data)
    imp = HsdsImporter(vocab, gemeente, today, bron, known)
    drafts = imp.run(coll)
    if not drafts:
        imp.notes.append("er staan geen organisaties, diensten (services) of locaties in het "
                         "bestand")
    return ImportResult(drafts, list(dict.fromkeys(imp.notes)))


# --------------------------------------------------------------------------- CSV import

CSV_FIELDS = {
    "titel": "naam van de activiteit",
    "samenvatting": "korte omschrijving", "beschrijving": "lange omschrijving",
    "dagen": "dag of dagen (Dinsdag, 2e maandag)", "frequentie": "wekelijks of maandelijks",
    "tijd": "tijd als '10:00-11:30'", "van": "begintijd", "tot": "eindtijd",
    "datum": "losse datum", "toelichting_tijden": "opmerking bij de tijden",
    "plek": "naam van de ontmoetingsplek", "plek_soort": "soort plek",
    "adres": "straat en huisnummer", "straat": "straat", "huisnummer": "huisnummer",
    "postcode": "postcode", "plaats": "plaats", "kern": "kern of wijk",
    "telefoon": "telefoonnummer", "email": "e-mailadres", "website": "webadres",
    "kosten": "kosten ('Gratis', '€ 2,50 per keer')", "doelgroepen": "voor wie",
    "themas": "thema's", "toegankelijkheid": "toegankelijkheid",
    "organisator": "naam van de organisatie", "organisatie_soort": "soort organisatie",
    "aanmelden": "hoe aanmelden", "status": "actief, gepauzeerd of gestopt",
    "welzijn_op_recept": "ja of nee", "online": "webadres als het online is",
    "laatst_gecontroleerd": "datum van controle", "contact_naam": "functie of afdeling",
}
LIST_FIELDS = {"doelgroepen", "themas", "toegankelijkheid"}


class CsvMapping(Model):
    """The mapping file of a spreadsheet import."""

    kolommen: dict[str, ShortText] = Field(description="Veld in de sociale kaart: kolomtitel")
    waarden: dict[str, dict[str, Any]] = Field(default_factory=dict,
                                               description="Per veld: waarde in de kolom -> "
                                                           "waarde in de sociale kaart")
    standaard: dict[str, Any] = Field(default_factory=dict,
                                      description="Waarden voor elke rij")
    scheidingsteken: str | None = Field(None, max_length=1,
                                        description="Scheidingsteken, zoals ';' of ','")


# How spreadsheets write days and positions: the names and codes of nl/words.py, their usual
# abbreviations ("din", "woe"), and positions as "2e", "2de" or "tweede" ("laatste" = -1).
DAY_WORDS = {
    **{name: code for name, code in zip(DAY_NAMES, DAY_CODES, strict=True)},
    **{code.lower(): code for code in DAY_CODES},
    **{name[:n]: code for name, code, n in zip(DAY_NAMES, DAY_CODES, (4, 3, 3, 3, 4, 3, 3),
                                               strict=True)},
}
ORDINAL_WORDS = {
    **{word: pos for pos, word in ORDINALS.items() if pos in (1, 2, 3, 4, 5, -1)},
    **{f"{pos}{suffix}": pos for pos in range(1, 6) for suffix in ("e", "ste" if pos == 1 else "de")},
}


def parse_days(text: str) -> tuple[list[str], bool] | None:
    """'Dinsdag en donderdag' -> (['DI', 'DO'], False); '2e maandag' -> (['2MA'], True)."""
    t = _fold_text(text)
    t = re.sub(r"\b(elke|iedere|op|van de maand|in de maand|s?middags|s?ochtends|avond)\b",
               " ", t)
    t = re.sub(r"(dag)en\b", r"\1", t)
    parts = [p.strip() for p in re.split(r",|/|;|&|\ben\b|\+", t) if p.strip()]
    out, monthly = [], False
    for part in parts:
        words = part.split()
        pos = None
        if words and words[0] in ORDINAL_WORDS:
            pos, words = ORDINAL_WORDS[words[0]], words[1:]
        if len(words) != 1 or words[0].rstrip(".") not in DAY_WORDS:
            return None
        code = DAY_WORDS[words[0].rstrip(".")]
        if pos is not None:
            monthly = True
            out.append(f"{pos}{code}")
        else:
            out.append(code)
    if not out or (monthly and any(d[0] not in "-12345" for d in out)):
        return None
    return out, monthly


def parse_time_range(text: str) -> tuple[str | None, str | None] | None:
    t = text.strip().casefold().replace("uur", "").replace("u.", "")
    m = re.match(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|tot|t/m)\s*(\d{1,2})(?:[:.](\d{2}))?\s*$", t)
    if m:
        a = f"{int(m.group(1)):02d}:{m.group(2) or '00'}"
        b = f"{int(m.group(3)):02d}:{m.group(4) or '00'}"
        return a, b
    m = re.match(r"^(?:vanaf\s*)?(\d{1,2})[:.](\d{2})\s*$", t)
    if m:
        return f"{int(m.group(1)):02d}:{m.group(2)}", None
    return None


def parse_kosten(text: str) -> dict[str, Any] | None:
    t = text.strip()
    low = _fold_text(t)
    if re.fullmatch(r"(gratis|kosteloos|geen kosten|nee|0|€?\s*0([.,]00?)?|-)", low):
        return {"gratis": True}
    m = re.search(r"(\d+(?:[.,]\d{1,2})?)", low)
    if m:
        out: dict[str, Any] = {"gratis": False,
                               "bedrag": float(m.group(1).replace(",", "."))}
        per = re.search(r"(?:per|/|p\.?)\s*(\w+)", low[m.end():])
        if per and per.group(1) in PER_WORDS:
            out["per"] = PER_WORDS[per.group(1)]
        rest = re.sub(r"€|euro|\d+(?:[.,]\d{1,2})?|(?:per|/|p\.?)\s*\w+", "", low).strip(" .,-")
        if rest or (per and per.group(1) not in PER_WORDS):
            out["toelichting"] = t
        if out["bedrag"] == 0:
            return {"gratis": True}
        return out
    if "gratis" in low:
        return {"gratis": True, "toelichting": t}
    return {"gratis": False, "toelichting": t}


def _fold_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


_CSV_ERRORS = (  # the csv module's English messages (their start) -> Dutch
    ("field larger than field limit",
     f"een cel is langer dan {csv.field_size_limit():,} tekens".replace(",", ".")
     + "; is dit wel een spreadsheet met één regel per activiteit?"),
    ("new-line character seen in unquoted field", "een regeleinde midden in een cel"),
)


def _csv_problem(source: str, line: int, message: str) -> ImportError_:
    return ImportError_(f"{source} is geen bruikbaar CSV-bestand",
                        [Diagnostic(source, line, 1 if line else 0, "", message, "fout", "csv")])


def read_csv(raw: bytes, delimiter: str | None, source: str = "het bestand"
             ) -> tuple[list[str], list[dict[str, str]]]:
    """Decode (UTF-8, UTF-16 with a byte order mark, or Windows-1252 as Excel writes it) and
    parse a spreadsheet export. Raises ``ImportError_`` (file and line) for what is no CSV."""
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise _csv_problem(source, 0, "dit is een Excel-bestand, geen CSV: kies in Excel "
                           "'Opslaan als' en dan 'CSV (gescheiden door lijstscheidingsteken)'")
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _csv_problem(source, line, "het bestand bevat nultekens: dit is geen tekstbestand. "
                           "Sla de spreadsheet op als CSV")
    if not delimiter:
        sample = text[:4096]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
        except csv.Error:
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        rows = [{(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
                 for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        message = next((dutch for start, dutch in _CSV_ERRORS if str(exc).startswith(start)),
                       "deze regel kan niet gelezen worden als CSV")
        raise _csv_problem(source, reader.reader.line_num, message) from None
    return header, rows


# Columns whose values are checked by their own type, where a leading '+' is normal (+31 ...).
NO_FORMULA_CHECK = {"telefoon"}


class CsvImporter:
    def __init__(self, mapping: CsvMapping, vocab: Vocabularies, gemeente: Gemeente,
                 today: date, bron: str, known: dict[str, dict[str, str]] | None = None,
                 source: str = "het bestand"):
        self.m = mapping
        self.source = source
        self.n = 1  # the spreadsheet row being read (row 1 holds the column titles)
        self.vocab = vocab
        self.gemeente = gemeente
        self.today = today
        self.bron = bron
        self.known = known or {}
        self.notes: list[str] = []
        self.slugs = _Slugs()
        self.places: dict[str, Draft] = {}
        self.orgs: dict[str, Draft] = {}
        self.values = {f: {_fold_text(k): v for k, v in table.items()}
                       for f, table in mapping.waarden.items()}

    def mapped(self, fld: str, raw: str) -> Any:
        """Apply the value map of a field (whole cell, case-insensitive)."""
        table = self.values.get(fld, {})
        return table.get(_fold_text(raw), raw)

    def cell(self, row: dict[str, str], fld: str) -> str:
        col = self.m.kolommen.get(fld)
        value = row.get(col, "") if col else ""
        risk = formula_risk(value) if value and fld not in NO_FORMULA_CHECK else None
        if risk:  # a spreadsheet would run it as a formula: never passed on to the content
            self.notes.append(f"{self.source}, rij {self.n}, kolom '{col}': '{_short(value)}' "
                              f"begint met {describe_risk(risk)}; een spreadsheet kan dat als "
                              "formule uitvoeren. Niet overgenomen: neem de tekst zelf over als "
                              "hij klopt")
            value = ""
        if not value and fld in self.m.standaard and fld not in LIST_FIELDS:
            value = str(self.m.standaard[fld])
        return value.strip()

    def terms(self, row: dict[str, str], fld: str, vocab: str, where: str) -> list[str]:
        out: list[str] = list(self.m.standaard.get(fld) or [])  # a list of texts: see load_mapping
        raw = self.cell(row, fld)
        if not raw:
            return list(dict.fromkeys(out))
        whole = self.mapped(fld, raw)
        parts = whole if isinstance(whole, list) else (
            [whole] if whole != raw else [p for p in re.split(r"[,;/]|\ben\b", raw) if p.strip()])
        for part in parts:
            part = self.mapped(fld, str(part).strip())
            values = part if isinstance(part, list) else [part]
            for value in values:
                slug = self.vocab.match(vocab, str(value).strip())
                if slug:
                    out.append(slug)
                else:
                    self.notes.append(f"{where}, kolom '{self.m.kolommen[fld]}': '{value}' past "
                                      f"niet bij een term in taxonomie/{vocab}.yaml; voeg het "
                                      f"toe aan 'waarden: {fld}:' in de mapping")
        return list(dict.fromkeys(out))

    def check_value(self, type_: Any, value: str, where: str, fld: str) -> Any:
        if not value:
            return None
        good, problem = _check(type_, value)
        if problem:
            self.notes.append(f"{where}, kolom '{self.m.kolommen.get(fld, fld)}': {problem}")
        return good

    def address(self, row: dict[str, str], where: str) -> dict[str, Any] | None:
        straat, nummer = self.cell(row, "straat"), self.cell(row, "huisnummer")
        line = self.cell(row, "adres")
        if line and not straat:
            m = re.match(r"^(.*?\S)\s+(\d+\s*[a-zA-Z]?(?:[-/ ]?\w{1,4})?)$", line)
            if m:
                straat, nummer = m.group(1), m.group(2).strip()
            else:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['adres']}': '{line}' is "
                                  "geen straat met huisnummer")
                return None
        plaats = self.cell(row, "plaats") or self.cell(row, "kern") or self.gemeente.naam
        if not straat or not nummer:
            return None
        out: dict[str, Any] = {"straat": straat, "huisnummer": nummer}
        pc = self.check_value(Postcode, self.cell(row, "postcode"), where, "postcode")
        if pc:
            out["postcode"] = pc
        out["plaats"] = plaats
        return out

    def run(self, header: list[str], rows: list[dict[str, str]]) -> list[Draft]:
        unused = [h for h in header if h and h not in self.m.kolommen.values()]
        for col in unused:
            self.notes.append(f"kolom '{col}' staat niet in de mapping en is niet overgenomen")
        drafts: list[Draft] = []
        for n, row in enumerate(rows, start=2):  # row 1 holds the column titles
            if not any(row.values()):
                continue
            self.n = n
            draft = self.row(row, n)
            if draft:
                drafts.append(draft)
        return list(self.orgs.values()) + list(self.places.values()) + drafts

    def row(self, row: dict[str, str], n: int) -> Draft | None:
        titel = self.cell(row, "titel")
        if not titel:
            self.notes.append(f"rij {n}: geen naam van de activiteit; rij overgeslagen")
            return None
        where = f"rij {n} ('{titel}')"
        data: dict[str, Any] = {"titel": titel}
        summary, text = split_description(self.cell(row, "samenvatting"), required=True)
        long_text = self.cell(row, "beschrijving")
        if summary:
            data["samenvatting"] = summary
        elif long_text:
            summary, text = split_description(long_text, required=True)
            data["samenvatting"] = summary
            long_text = ""
        else:
            self.notes.append(f"{where}: geen omschrijving; schrijf zelf een 'samenvatting'")
        if text or long_text:
            data["beschrijving"] = "\n\n".join(t for t in (text, long_text) if t)
        plek_naam = self.cell(row, "plek")
        adres = self.address(row, where)
        if plek_naam:
            data["plek"] = self.place(plek_naam, adres, row, where)
        elif adres:
            data["adres"] = adres
        online = self.check_value(Url, self.cell(row, "online"), where, "online")
        if online:
            data["online"] = online
        kern = self.cell(row, "kern")
        if kern and not plek_naam:
            data["kern"] = kern
        org = self.cell(row, "organisator")
        if org:
            data["organisator"] = self.organisation(org, where)
        for fld, vocab in (("themas", "themas"), ("doelgroepen", "doelgroepen"),
                           ("toegankelijkheid", "toegankelijkheid")):
            found = self.terms(row, fld, vocab, where)
            if found:
                data[fld] = found
        rule = self.schedule(row, where)
        if rule:
            data["wanneer"] = [rule]
        kosten_raw = self.cell(row, "kosten")
        if kosten_raw:
            mapped = self.mapped("kosten", kosten_raw)
            kosten = mapped if isinstance(mapped, dict) else parse_kosten(str(mapped))
            try:
                Kosten.model_validate(kosten)
                data["kosten"] = kosten
            except ValidationError as exc:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['kosten']}': "
                                  f"'{kosten_raw}' niet overgenomen ({exc.errors()[0]['msg']})")
        aanmelden = self.cell(row, "aanmelden")
        if aanmelden:
            mapped = self.mapped("aanmelden", aanmelden)
            if isinstance(mapped, dict):
                data["aanmelden"] = mapped
            else:
                nodig = not re.search(r"^(nee|niet nodig|geen)", _fold_text(str(mapped)))
                data["aanmelden"] = {"nodig": nodig} | (
                    {} if _fold_text(str(mapped)) in ("ja", "nee") else {"hoe": str(mapped)})
        contact: dict[str, Any] = {}
        naam = self.cell(row, "contact_naam")
        if naam:
            contact["naam"] = naam
        for fld, type_ in (("telefoon", Telefoon), ("email", Email), ("website", Url)):
            good = self.check_value(type_, self.cell(row, fld), where, fld)
            if good:
                contact[fld] = good
        if contact:
            data["contact"] = contact
        wor = self.cell(row, "welzijn_op_recept")
        if wor:
            value = self.mapped("welzijn_op_recept", wor)
            if _fold_text(str(value)) in ("ja", "true", "x", "1", "yes"):
                data["welzijn_op_recept"] = True
        status = self.cell(row, "status")
        if status:
            value = self.mapped("status", status)
            if value in ("actief", "gepauzeerd", "gestopt"):
                if value != "actief":
                    data["status"] = value
            else:
                self.notes.append(f"{where}: status '{status}' onbekend; 'actief' gebruikt")
        checked = self.cell(row, "laatst_gecontroleerd")
        day = _date(checked) if checked else None
        if checked and day is None:
            self.notes.append(f"{where}: '{checked}' is geen datum; vandaag gebruikt")
        data["laatst_gecontroleerd"] = day or self.today
        data["bron"] = self.bron
        wanted = self.known.get("activiteit", {}).get(name_key(titel)) or import_slug(titel)
        slug = self.slugs.take("activiteit", wanted, f"{titel} {plek_naam or kern}")
        return Draft("activiteit", slug, data)

    def schedule(self, row: dict[str, str], where: str) -> dict[str, Any] | None:
        days_raw = self.cell(row, "dagen")
        datum_raw = self.cell(row, "datum")
        data: dict[str, Any] = {}
        times = self.cell(row, "tijd")
        if times:
            parsed = parse_time_range(str(self.mapped("tijd", times)))
            if parsed:
                data["van"], tot = parsed
                if tot:
                    data["tot"] = tot
            else:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['tijd']}': '{times}' is "
                                  "geen tijd zoals '10:00-11:30'")
        for fld in ("van", "tot"):
            raw = self.cell(row, fld)
            if raw:
                t = _time_text(raw)
                if t:
                    data[fld] = t
                else:
                    self.notes.append(f"{where}: '{raw}' is geen tijd")
        note = self.cell(row, "toelichting_tijden")
        if note:
            data["toelichting"] = note
        if days_raw:
            mapped = self.mapped("dagen", days_raw)
            parsed_days = None
            if isinstance(mapped, list):
                parsed_days = ([str(d) for d in mapped], any(str(d)[0] in "-12345" for d in mapped))
            else:
                parsed_days = parse_days(str(mapped))
                if parsed_days is None and re.fullmatch(r"(-?[1-5])?[A-Z]{2}", str(mapped)):
                    parsed_days = ([str(mapped)], str(mapped)[0] in "-12345")
            if parsed_days is None:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['dagen']}': '{days_raw}' "
                                  "is geen dag; voeg het toe aan 'waarden: dagen:' in de mapping")
                return None
            days, monthly = parsed_days
            freq = self.cell(row, "frequentie") or ("maandelijks" if monthly else "wekelijks")
            data["frequentie"] = self.mapped("frequentie", freq)
            data["dagen"] = days
        elif datum_raw:
            day = _date(datum_raw)
            if day is None:
                self.notes.append(f"{where}: '{datum_raw}' is geen datum")
                return None
            data["datums"] = [day]
        else:
            return None
        rule = _make_rule(data, where, self.notes)
        return _rule_to_yaml(rule) if rule else None

    def place(self, naam: str, adres: dict[str, Any] | None, row: dict[str, str],
              where: str) -> str:
        key = name_key(naam)
        if key in self.places:
            return self.places[key].slug
        existing = self.known.get("ontmoetingsplek", {}).get(key)
        if existing:
            return existing
        at = _address_key(adres)
        existing = self.known.get("adres", {}).get(at) if at else None
        if existing:
            self.notes.append(f"{where}: plek '{naam}' heeft hetzelfde adres als de bestaande "
                              f"plek '{existing}' en is daaraan gekoppeld: controleer dit")
            return existing
        data: dict[str, Any] = {"naam": naam}
        col = self.m.kolommen.get("plek_soort")
        raw = row.get(col, "").strip() if col else ""
        soort = self.vocab.match("plek-soorten", str(self.mapped("plek_soort", raw))) if raw \
            else None
        if raw and not soort:
            self.notes.append(f"{where}: soort '{raw}' past niet bij taxonomie/plek-soorten.yaml")
        soort = soort or self.vocab.guess("plek-soorten", naam)
        if not soort and self.m.standaard.get("plek_soort"):
            soort = self.vocab.match("plek-soorten", str(self.m.standaard["plek_soort"]))
            if soort:
                self.notes.append(f"{where}: plek '{naam}' krijgt soort '{soort}' uit 'standaard' "
                                  "in de mapping: controleer dit")
        if soort:
            data["soort"] = soort
        else:
            self.notes.append(f"{where}: soort van plek '{naam}' onbekend; vul 'soort' zelf in "
                              "of zet 'plek_soort' in de mapping")
        kern = self.cell(row, "kern")
        if kern:
            data["kern"] = kern
        if adres:
            data["adres"] = adres
        data["laatst_gecontroleerd"] = self.today
        data["bron"] = self.bron
        draft = Draft("ontmoetingsplek", self.slugs.take("ontmoetingsplek", import_slug(naam)), data)
        self.places[key] = draft
        return draft.slug

    def organisation(self, naam: str, where: str) -> str:
        key = name_key(naam)
        if key in self.orgs:
            return self.orgs[key].slug
        existing = self.known.get("organisatie", {}).get(key)
        if existing:
            return existing
        data: dict[str, Any] = {"naam": naam}
        soort = self.m.standaard.get("organisatie_soort")
        soort = (self.vocab.match("organisatie-soorten", str(soort)) if soort else None) or \
            self.vocab.guess("organisatie-soorten", naam)
        if soort:
            data["soort"] = soort
        else:
            self.notes.append(f"{where}: soort van organisatie '{naam}' onbekend; vul 'soort' "
                              "zelf in of zet 'organisatie_soort' onder 'standaard' in de mapping")
        data["gemeenten"] = [self.gemeente.slug]
        data["laatst_gecontroleerd"] = self.today
        data["bron"] = self.bron
        draft = Draft("organisatie", self.slugs.take("organisatie", import_slug(naam)), data)
        self.orgs[key] = draft
        return draft.slug


def import_csv(raw: bytes, mapping: CsvMapping, vocab: Vocabularies, gemeente: Gemeente,
               today: date, bron: str, known: dict[str, dict[str, str]] | None = None,
               source: str = "het bestand") -> ImportResult:
    """Pure: spreadsheet bytes + mapping -> drafts and notes."""
    header, rows = read_csv(raw, mapping.scheidingsteken, source)
    missing = [f"'{c}' ({f})" for f, c in mapping.kolommen.items() if c not in header]
    if missing:
        shown = ", ".join(f"'{_short(h, 40)}'" for h in header[:40]) + (", ..." if len(header) > 40 else "")
        raise ImportError_("de kolommen van de mapping passen niet bij het bestand", [Diagnostic(
            source, 1, 1, "", "deze kolommen uit de mapping staan niet in het bestand: "
            + ", ".join(missing) + ". Kolommen in het bestand: " + shown, "fout", "csv")])
    imp = CsvImporter(mapping, vocab, gemeente, today, bron, known, source)
    drafts = imp.run(header, rows)
    return ImportResult(drafts, list(dict.fromkeys(imp.notes)))


SEPARATORS = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep",
              ":": "dubbele punt"}
_WORD = (str, int, float, bool)  # what a value in 'standaard' or 'waarden' may be


def _mapping_value_problems(model: CsvMapping, doc: Any) -> list[Diagnostic]:
    """Dutch errors for values in 'standaard' and 'waarden' of a shape the importer cannot use.

    Texts, numbers and true/false everywhere; lists of those for the list fields (and dagen in
    'waarden'); a group of fields only in 'waarden' of kosten or aanmelden, checked as such.
    """
    out: list[Diagnostic] = []

    def problem(path: tuple[str, ...], message: str, code: str = "type", key: bool = False) -> None:
        line, col = doc.position(path, key=key)
        out.append(Diagnostic(doc.rel, line, col, field_name(path), message, "fout", code))

    def unknown(section: str, fld: str) -> bool:
        if fld in CSV_FIELDS:
            return False
        close = difflib.get_close_matches(fld, list(CSV_FIELDS), n=1)
        problem((section, fld), f"onbekend veld '{fld}'" + (f"; bedoelde je '{close[0]}'?" if close
                                                           else ""), "onbekend-veld", key=True)
        return True

    if model.scheidingsteken and model.scheidingsteken not in SEPARATORS:
        problem(("scheidingsteken",), f"'{model.scheidingsteken}' kan geen scheidingsteken zijn; "
                "kies uit: ; , | : of een tab (\\t)", "keuze")
    for fld, value in model.standaard.items():
        if unknown("standaard", fld):
            continue
        if fld in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(("standaard", fld), "moet een lijst met termen zijn, zoals [ontmoeting]")
        elif value is None or not isinstance(value, _WORD):
            problem(("standaard", fld), "moet tekst, een getal of true/false zijn")
    for fld, table in model.waarden.items():
        if unknown("waarden", fld):
            continue
        for raw, value in table.items():
            path = ("waarden", fld, raw)
            if isinstance(value, dict) and fld in ("kosten", "aanmelden"):
                try:
                    (Kosten if fld == "kosten" else Aanmelden).model_validate(value)
                except ValidationError as exc:
                    err = exc.errors(include_url=False)[0]
                    where = ".".join(str(x) for x in err["loc"])
                    problem(path, f"{where + ': ' if where else ''}"
                                  f"{str(err['msg']).removeprefix('Value error, ')}", "ongeldige-waarde")
            elif isinstance(value, list) and (fld in LIST_FIELDS or fld == "dagen"):
                if not all(isinstance(v, _WORD) for v in value):
                    problem(path, "moet een lijst met woorden zijn, zoals [ouderen, iedereen]")
            elif value is None or not isinstance(value, _WORD):
                hint = " of een groep velden" if fld in ("kosten", "aanmelden") else (
                    " of een lijst" if fld in LIST_FIELDS or fld == "dagen" else "")
                problem(path, f"moet tekst, een getal of true/false zijn{hint}")
    return out


def load_mapping(path: Path) -> CsvMapping:
    doc, diags = load_file(path, display_path(path))
    if doc is None:
        raise ImportError_("de mapping kan niet gelezen worden", diags)
    model, errors = validate_document(doc, CsvMapping)
    problems = list(diags) + list(errors)
    if model is not None:
        for fld in model.kolommen:
            if fld not in CSV_FIELDS:
                line, c = doc.position(("kolommen", fld), key=True)
                close = difflib.get_close_matches(fld, list(CSV_FIELDS), n=1)
                hint = f"; bedoelde je '{close[0]}'?" if close else ""
                problems.append(Diagnostic(doc.rel, line, c, f"kolommen.{fld}",
                                           f"onbekend veld '{fld}'{hint} Bekende velden: "
                                           + ", ".join(CSV_FIELDS), "fout", "onbekend-veld"))
        if "titel" not in model.kolommen:
            problems.append(Diagnostic(doc.rel, 1, 1, "kolommen", "geef bij 'kolommen' in "
                                       "welke kolom de naam van de activiteit staat "
                                       "(titel: ...)", "fout", "verplicht"))
        problems += _mapping_value_problems(model, doc)
    if problems or model is None:
        raise ImportError_("de mapping klopt niet", problems)
    return model


# --------------------------------------------------------------------------- writing

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else ("'" if re.fullmatch(r"\d{1,2}:\d{2}", value) else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    # short lists of words ([DI, DO], [ouderen]) in one line, like hand-written entries
    flow = bool(value) and all(isinstance(v, str) and len(v) <= 40 and "\n" not in v
                               for v in value) and sum(len(v) for v in value) <= 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def _ordered(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Fields in the order of the model (bron and laatst_gecontroleerd last, like our files)."""
    order = [f for f in KINDS[kind].model.model_fields if f not in
             ("laatst_gecontroleerd", "bron", "niet_dubbel")] + \
        ["niet_dubbel", "laatst_gecontroleerd", "bron"]
    out = {k: data[k] for k in order if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    return out


def draft_path(content: Path, draft: Draft, gemeente: str) -> Path:
    folder = content / KINDS[draft.kind].folder
    if draft.kind != "organisatie":
        folder = folder / gemeente
    return folder / f"{draft.slug}.yaml"


def _existing(path: Path) -> Path | None:
    for suffix in (".yaml", ".yml", ".md"):
        cand = path.with_suffix(suffix)
        if cand.is_file():
            return cand
    return None


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for key, value in new.items():
        if key == "gemeenten" and isinstance(old.get(key), list):
            out[key] = list(dict.fromkeys([*old[key], *value]))
        elif key == "bron" and key in old:
            continue  # keep the original source
        else:
            out[key] = value
    return out


def _plain(value: Any) -> Any:
    """Loaded YAML (dates as strings) and drafts (date objects) compared the same way."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_drafts(drafts: Iterable[Draft], content: Path, gemeente: str, update: bool,
                 out: Any = None) -> dict[str, int]:
    """Write the drafts as YAML files. Returns counts: nieuw, bijgewerkt, ongewijzigd, overgeslagen."""
    out = out or sys.stdout
    counts = {"nieuw": 0, "bijgewerkt": 0, "ongewijzigd": 0, "overgeslagen": 0}
    for draft in drafts:
        target = draft_path(content, draft, gemeente)
        data = _ordered(draft.kind, draft.data)
        existing = _existing(target)
        shown = display_path(existing or target)
        if existing is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_yaml(data), encoding="utf-8")
            counts["nieuw"] += 1
            print(f"nieuw: {shown}", file=out)
            continue
        if not update:
            counts["overgeslagen"] += 1
            print(f"overgeslagen: {shown} bestaat al (gebruik --update om samen te voegen)",
                  file=out)
            continue
        old_text = existing.read_text(encoding="utf-8")
        doc, diags = load_file(existing, shown)
        if doc is None:
            counts["overgeslagen"] += 1
            print(f"overgeslagen: {shown} kan niet gelezen worden: "
                  + "; ".join(d.message for d in diags), file=out)
            continue
        body = None
        if existing.suffix == ".md":
            data = {k: v for k, v in data.items() if k != "beschrijving"}
            body = doc.body or ""
        merged = _merge(doc.data, data)
        if _plain(merged) == _plain(doc.data):
            counts["ongewijzigd"] += 1
            print(f"ongewijzigd: {shown}", file=out)
            continue
        new_text = to_yaml(merged) if body is None else f"---\n{to_yaml(merged)}---\n{body}"
        diff = difflib.unified_diff(old_text.splitlines(keepends=True),
                                    new_text.splitlines(keepends=True),
                                    fromfile=f"{shown} (oud)", tofile=f"{shown} (nieuw)")
        existing.write_text(new_text, encoding="utf-8")
        counts["bijgewerkt"] += 1
        print(f"bijgewerkt: {shown}", file=out)
        out.write("".join(diff))
    return counts


# --------------------------------------------------------------------------- command

def _address_key(adres: dict[str, Any] | None) -> str | None:
    if not adres or not adres.get("postcode"):
        return None
    return f"{str(adres['postcode']).replace(' ', '')} {str(adres['huisnummer']).casefold()}"


def known_entries(loaded: Any, gemeente: str) -> dict[str, dict[str, str]]:
    """name_key -> slug of existing entries (and postcode+huisnummer -> slug of places), so an
    import reuses existing slugs and places instead of creating duplicates."""
    known: dict[str, dict[str, str]] = {"organisatie": {}, "ontmoetingsplek": {},
                                        "activiteit": {}, "adres": {}}
    for p in loaded.entries["ontmoetingsplek"]:
        if p._gemeente == gemeente and p.adres is not None:
            at = _address_key(p.adres.model_dump())
            if at:
                known["adres"].setdefault(at, p.slug)
    for o in loaded.entries["organisatie"]:
        known["organisatie"].setdefault(name_key(o.naam), o.slug)
    for p in loaded.entries["ontmoetingsplek"]:
        if p._gemeente == gemeente:
            known["ontmoetingsplek"].setdefault(name_key(p.naam), p.slug)
    for a in loaded.entries["activiteit"]:
        if a._gemeente == gemeente:
            known["activiteit"].setdefault(name_key(a.titel), a.slug)
    return known


__all__ = [
    "CsvMapping",
    "Draft",
    "ImportResult",
    "Vocabularies",
    "import_csv",
    "known_entries",
    "import_hsds",
    "import_slug",
    "load_mapping",
    "write_drafts",
]
