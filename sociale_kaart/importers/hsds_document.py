"""An Open Referral HSDS file as input: read it (``jsonread.py``), check the type of every
field the importer reads (``SHAPES``; diagnostics with line, column and field), and find its
organisations, services, locations and links by id (``Collection``).

The input may be our own export (one object with organizations, services, locations and
service_at_locations arrays, see outputs/hsds.py), a single service, organization or location
object (nested objects are followed), an API page (``contents``) or a list of those.
"""

from __future__ import annotations

from typing import Any

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.importers.common import ImportError_
from sociale_kaart.importers.jsonread import JsonProblem, json_position, read_json
from sociale_kaart.pipeline.yaml_loader import field_name

COLLECTION_ARRAYS = ("organizations", "services", "locations", "service_at_locations", "contents")


def classify(data: dict) -> str | None:
    """What an HSDS object found at the top (or in ``contents``) is: 'container' (arrays of
    objects, like our export or an API page), 'location', 'service', 'link', 'organization' or
    None (not something the importer reads)."""
    if "id" not in data and "name" not in data and any(k in data for k in COLLECTION_ARRAYS):
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
SHAPES: dict[str, dict[str, Any]] = {
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

    Follows the same structure as ``Collection``: the document is a container, an object or
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
            found = classify(value)
            if found is None:
                continue
            kind = found
        if not isinstance(value, dict):
            problems.append((path, f"moet een {_KIND_NAMES.get(kind, 'object')} zijn "
                                   f"({{...}}), maar is {_type_word(value)}"))
            continue
        for key, shape in SHAPES[kind].items():
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


class Collection:
    """HSDS objects by id, found anywhere in the input (flat arrays or nested); an object
    without an id gets one ("zonder-id-1")."""

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
        kind = classify(data)
        if kind == "container":
            for key in COLLECTION_ARRAYS:
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


__all__ = ["SHAPES", "Collection", "classify", "hsds_shape_problems", "read_hsds"]
