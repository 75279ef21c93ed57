"""Export the resolved ``Kaart`` as Open Referral HSDS 3.1 JSON and as GeoJSON.

Document shape
--------------
HSDS 3.1 defines objects (organization, service, location, service_at_location, ...) and an
API, but no single-file JSON bundle. Every exported file is therefore one JSON object::

    {
      "hsds_version": "3.1",
      "beschrijving": "...",                  # Dutch note for people who open the file
      "bron": "<site naam>", "basis_url": "...", "datum": "2026-11-22",
      "gemeente": {"slug": ..., "naam": ..., "cbs_code": ...} | null,   # null in alles.json
      "organizations": [...],          # each item validates against compiled/organization.json
      "services": [...],               # each item validates against compiled/service.json
      "locations": [...],              # each item validates against location.json
      "service_at_locations": [...],   # each item validates against compiled/service_at_location.json
      "taxonomies": [...],             # taxonomy.json
      "taxonomy_terms": [...]          # taxonomy_term.json
    }

The arrays are normalised like the HSDS tabular format: objects refer to each other by id
(``service.organization_id``, ``service_at_location.service_id``/``location_id``,
``location.organization_id``) instead of nesting, so nothing is repeated. Children that HSDS
models as arrays of the parent (schedules, phones, contacts, cost_options, languages,
addresses, accessibility, attributes) are nested in their parent.

Mapping
-------
* organisatie -> organization (+ a location of its ``adres``); soort -> attribute.
* activiteit -> service (one per activiteit): ``wanneer`` -> schedules, ``contact`` and
  ``aanmelden`` -> contacts/phones, ``kosten`` -> cost_options + fees_description, leeftijd ->
  minimum/maximum_age, thema's/doelgroepen/gezondheid/toegankelijkheid -> attributes with
  taxonomy terms, ``laatst_gecontroleerd`` -> assured_date, status actief/gepauzeerd/gestopt ->
  active/temporarily closed/inactive. The location is a service_at_location to the
  ontmoetingsplek, to a location made of the activity's own ``adres``, or to a virtual
  location (``online``).
* ontmoetingsplek -> location with addresses, latitude/longitude, accessibility, schedules
  (``openingstijden``), contacts, phones and attributes (soort, kern, faciliteiten).
* Facts HSDS has no field for (slug, kern, begeleiding, Welzijn op Recept, faciliteiten) are
  attributes of the taxonomy ``sociale-kaart-kenmerken``; slugs of places and organisations
  use the native ``external_identifier`` and ``organization_identifiers``. ``niet_op``
  (exceptions) has no HSDS field: it is written in Dutch in the schedule ``description``.
  ``importers.py`` reads all of this back.

Identifiers are UUID 5 of a fixed namespace and ``"<kind>/<gemeente>/<slug>"`` (gemeente is
empty for organisations), so they never change between builds; children append their role
and position (``".../schedule/0"``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sociale_kaart.model.entries import Activiteit, Adres, Contact, Kosten, Ontmoetingsplek, Organisatie
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.dates import format_date
from sociale_kaart.nl.schedule_text import describe

HSDS_VERSION = "3.1"
NAMESPACE = uuid.UUID("6f1d3c52-8a4e-5b7f-9c2d-3e4f5a6b7c8d")  # fixed forever: ids depend on it
_NAMESPACE_BYTES = NAMESPACE.bytes
KENMERKEN = "sociale-kaart-kenmerken"  # taxonomy of facts that HSDS has no field for
ID_TYPE = {  # external_identifier_type of the locations we export
    "plek": "sociale-kaart:ontmoetingsplek",
    "adres": "sociale-kaart:adres",
    "online": "sociale-kaart:online",
    "organisatie": "sociale-kaart:organisatie",
}
ID_SCHEME = "sociale-kaart"  # organization_identifiers.identifier_scheme
STATUS = {"actief": "active", "gepauzeerd": "temporarily closed", "gestopt": "inactive"}
FREQ = {"wekelijks": "WEEKLY", "maandelijks": "MONTHLY"}
VOCAB_FIELDS = {  # activiteit field -> vocabulary
    "themas": "themas", "doelgroepen": "doelgroepen", "gezondheid": "positieve-gezondheid",
    "toegankelijkheid": "toegankelijkheid",
}
KENMERK_TERMS = {  # code -> (name, description)
    "korte-naam": ("Korte naam", "De korte naam (slug) van de vermelding in de sociale kaart"),
    "kern": ("Kern of wijk", "De kern of wijk waar het is"),
    "welzijn-op-recept": ("Geschikt voor Welzijn op Recept",
                          "Een welzijnscoach kan hiernaar verwijzen"),
    "maatje": ("Een maatje kan mee", "Een vrijwilliger (maatje) kan mee"),
    "eerste-keer-mee": ("Coach gaat de eerste keer mee", "Een coach kan de eerste keer meegaan"),
    "begeleiding": ("Begeleiding", "Toelichting op de begeleiding"),
    "toegankelijkheid-toelichting": ("Toelichting toegankelijkheid",
                                     "Toelichting op de toegankelijkheid"),
    "faciliteit": ("Faciliteit", "Wat er op de plek is, zoals koffie en thee of wifi"),
}

PER_TEXT = {"keer": "per keer", "week": "per week", "maand": "per maand",
            "kwartaal": "per kwartaal", "jaar": "per jaar", "cursus": "per cursus"}
NIET_OP = "Niet op: "


# --------------------------------------------------------------------------- small helpers

def make_id(kind: str, gemeente: str, slug: str, *child: object) -> str:
    """Stable UUID for ``<kind>/<gemeente>/<slug>`` (and an optional child path).

    ``str(uuid.uuid5(NAMESPACE, name))``, computed without building ``UUID`` objects: an export
    makes about 40 ids per activity, and this is four times faster (tests compare the two).
    """
    name = f"{kind}/{gemeente}/{slug}"
    if child:
        name = "/".join((name, *map(str, child)))
    h = hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).hexdigest()
    # the first 16 bytes, with the version (5) in the 13th hex digit and the RFC 4122 variant
    # in the high bits of the 17th
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_VARIANT = {d: f"{(int(d, 16) & 0x3) | 0x8:x}" for d in "0123456789abcdef"}


@functools.lru_cache(maxsize=4096)
def _shared_id(kind: str, gemeente: str, slug: str) -> str:
    """``make_id`` for ids that recur in every document (taxonomies and their terms)."""
    return make_id(kind, gemeente, slug)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    # "v or ...": most values are filled in, and need no comparison
    return {k: v for k, v in data.items() if v or not (v is None or v == [] or v == "")}


def _money(amount: Decimal) -> str:
    return "€ " + f"{amount:.2f}".replace(".", ",")


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _paragraphs(*parts: str | None) -> str | None:
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    return text or None


def schedule_description(s: Tijdschema) -> str:
    """One rule in plain Dutch: the site's own sentence (nl/schedule_text.py) with every date's
    year, and its exceptions after ``NIET_OP``, which the importer reads back."""
    text = describe(s) + "."
    if s.niet_op:
        periods = []
        for p in s.niet_op:
            part = format_date(p.van)
            if p.tot and p.tot != p.van:
                part += f" tot en met {format_date(p.tot)}"
            if p.reden:
                part += f" ({p.reden})"
            periods.append(part)
        text += " " + NIET_OP + "; ".join(periods) + "."
    return text


def schedules(rules: Iterable[Tijdschema], owner: str, owner_id: str,
              base: tuple[str, str, str]) -> list[dict[str, Any]]:
    """HSDS schedules for the rules of a ``wanneer`` / ``openingstijden`` list.

    ``owner`` is ``service_id`` or ``location_id``. One-off ``datums`` become one schedule per
    date (valid_from = valid_to = dtstart), since HSDS has no list of dates.
    """
    out: list[dict[str, Any]] = []
    for i, s in enumerate(rules):
        common = {
            "opens_at": s.van.strftime("%H:%M") if s.van else None,
            "closes_at": s.tot.strftime("%H:%M") if s.tot else None,
            "notes": s.toelichting,
        }
        if s.frequentie:
            out.append(_clean({
                "id": make_id(*base, "schedule", i), owner: owner_id,
                "freq": FREQ[s.frequentie], "interval": s.interval,
                "byday": ",".join(f"{pos or ''}{code}" for pos, code in s.positioned_days),
                "valid_from": s.geldig_vanaf and s.geldig_vanaf.isoformat(),
                "valid_to": s.geldig_tot and s.geldig_tot.isoformat(),
                "dtstart": s.geldig_vanaf and s.geldig_vanaf.isoformat(),
                **common, "description": schedule_description(s),
            }))
        else:
            for j, d in enumerate(sorted(s.datums)):
                # Each date's schedule describes that date (and an exception that holds it),
                # not the whole list: that would repeat every date once per date.
                own = s.model_copy(update={"datums": [d],
                                           "niet_op": [p for p in s.niet_op if p.contains(d)]})
                out.append(_clean({
                    "id": make_id(*base, "schedule", i, j), owner: owner_id,
                    "valid_from": d.isoformat(), "valid_to": d.isoformat(),
                    "dtstart": d.isoformat(), **common, "description": schedule_description(own),
                }))
    return out


def _phone(number: str | None, base: tuple[str, ...], role: str,
           description: str | None = None) -> list[dict[str, Any]]:
    if not number:
        return []
    return [_clean({"id": make_id(*base, role), "number": number, "type": "voice",
                    "description": description})]


def _contacts(contact: Contact | None, base: tuple[str, str, str]) -> list[dict[str, Any]]:
    if contact is None or (contact.is_empty and not contact.naam):
        return []
    return [_clean({"id": make_id(*base, "contact"), "title": contact.naam,
                    "email": contact.email,
                    "phones": _phone(contact.telefoon, base, "contact/phone")})]


def _address(adres: Adres, base: tuple[str, ...], gemeente_naam: str,
             provincie: str) -> dict[str, Any]:
    return {"id": make_id(*base, "address"), "address_1": f"{adres.straat} {adres.huisnummer}",
            "city": adres.plaats, "region": gemeente_naam, "state_province": provincie,
            "postal_code": adres.postcode or "", "country": "NL", "address_type": "physical"}


class _Terms:
    """Builds taxonomy-term attributes and collects the used taxonomies."""

    def __init__(self, kaart: Kaart):
        self.kaart = kaart

    def term(self, vocab: str, slug: str) -> dict[str, Any]:
        if vocab == KENMERKEN:
            name, description = KENMERK_TERMS[slug]
        else:
            t = self.kaart.terms[vocab][slug]
            name, description = t.label, t.beschrijving or t.label
        return {"id": _shared_id("term", vocab, slug), "code": slug, "name": name,
                "description": description, "taxonomy": vocab,
                "taxonomy_id": _shared_id("taxonomie", "", vocab), "language": "nl"}

    def attribute(self, vocab: str, slug: str, link_id: str, entity: str,
                  value: str | None = None, n: int = 0) -> dict[str, Any]:
        term = self.term(vocab, slug)
        return _clean({"id": make_id("attribute", vocab, slug, link_id, n), "link_id": link_id,
                       "link_type": "kenmerk" if vocab == KENMERKEN else "categorie",
                       "link_entity": entity, "taxonomy_term_id": term["id"],
                       "taxonomy_term": term, "value": value, "label": term["name"]})

    def taxonomies(self) -> list[dict[str, Any]]:
        out = [{"id": make_id("taxonomie", "", KENMERKEN), "name": KENMERKEN,
                "description": "Kenmerken uit de sociale kaart waarvoor HSDS geen veld heeft",
                "version": "1"}]
        for vocab, tax in sorted(self.kaart.taxonomies.items()):
            out.append(_clean({"id": make_id("taxonomie", "", vocab), "name": vocab,
                               "description": tax.beschrijving or tax.naam}))
        return out

    def all_terms(self) -> list[dict[str, Any]]:
        out = [self.term(KENMERKEN, code) for code in KENMERK_TERMS]
        for vocab in sorted(self.kaart.terms):
            out.extend(self.term(vocab, slug) for slug in self.kaart.terms[vocab])
        return out


# --------------------------------------------------------------------------- objects

def organization(kaart: Kaart, o: Organisatie) -> dict[str, Any]:
    base = ("organisatie", "", o.slug)
    oid = make_id(*base)
    terms = _Terms(kaart)
    attrs = []
    if o.soort in kaart.terms.get("organisatie-soorten", {}):
        attrs.append(terms.attribute("organisatie-soorten", o.soort, oid, "organization"))
    out = _clean({
        "id": oid, "name": o.naam,
        "email": o.email, "website": o.website,
        "phones": _phone(o.telefoon, base, "phone"),
        "organization_identifiers": [{"id": make_id(*base, "identifier"),
                                      "identifier_scheme": ID_SCHEME,
                                      "identifier_type": "korte naam", "identifier": o.slug}],
        "attributes": attrs,
    })
    # HSDS requires a description; an empty one says honestly that there is none.
    return {"id": oid, "name": o.naam, "description": (o.beschrijving or "").strip(), **out}


def organization_location(kaart: Kaart, o: Organisatie) -> dict[str, Any] | None:
    if o.adres is None:
        return None
    base = ("locatie-organisatie", "", o.slug)
    g = kaart.gemeenten.get(o.gemeenten[0]) if o.gemeenten else None
    provincie = g.provincie if g else (kaart.site.provincie or "")
    return {"id": make_id(*base), "location_type": "physical", "name": o.naam,
            "organization_id": make_id("organisatie", "", o.slug),
            "external_identifier": o.slug, "external_identifier_type": ID_TYPE["organisatie"],
            "addresses": [_address(o.adres, base, g.naam if g else o.adres.plaats, provincie)]}


def location(kaart: Kaart, p: Ontmoetingsplek, g: str) -> dict[str, Any]:
    base = ("ontmoetingsplek", g, p.slug)
    lid = make_id(*base)
    gem = kaart.gemeenten[g]
    terms = _Terms(kaart)
    attrs = []
    if p.soort in kaart.terms.get("plek-soorten", {}):
        attrs.append(terms.attribute("plek-soorten", p.soort, lid, "location"))
    for slug in p.toegankelijkheid:
        attrs.append(terms.attribute("toegankelijkheid", slug, lid, "location"))
    if p.kern:
        attrs.append(terms.attribute(KENMERKEN, "kern", lid, "location", p.kern))
    for n, f in enumerate(p.faciliteiten):
        attrs.append(terms.attribute(KENMERKEN, "faciliteit", lid, "location", f, n))
    access = [{"id": make_id(*base, "accessibility", slug),
               "description": kaart.label("toegankelijkheid", slug)}
              for slug in p.toegankelijkheid if slug in kaart.terms.get("toegankelijkheid", {})]
    if p.toegankelijkheid_toelichting:
        access.append({"id": make_id(*base, "accessibility", "toelichting"),
                       "description": p.toegankelijkheid_toelichting})
    return _clean({
        "id": lid, "location_type": "physical", "name": p.naam,
        "description": _paragraphs(p.samenvatting, p.beschrijving),
        "url": p.contact.website if p.contact else None,
        "organization_id": make_id("organisatie", "", p.beheerder) if p.beheerder else None,
        "latitude": p.coordinaten.lat if p.coordinaten else None,
        "longitude": p.coordinaten.lon if p.coordinaten else None,
        "external_identifier": p.slug, "external_identifier_type": ID_TYPE["plek"],
        "addresses": [_address(p.adres, base, gem.naam, gem.provincie)] if p.adres else [],
        "accessibility": access,
        "contacts": _contacts(p.contact, base),
        "phones": _phone(p.contact.telefoon if p.contact else None, base, "phone"),
        "schedules": schedules(p.openingstijden, "location_id", lid, base),
        "attributes": attrs,
    })


def activity_location(kaart: Kaart, a: Activiteit, g: str) -> dict[str, Any] | None:
    """The location of an activity that is not at an ontmoetingsplek (own address or online)."""
    if a.plek:
        return None
    gem = kaart.gemeenten[g]
    if a.adres:
        base = ("adres", g, a.slug)
        return {"id": make_id(*base), "location_type": "physical",
                "name": f"{a.adres.straat} {a.adres.huisnummer}, {a.adres.plaats}",
                "external_identifier": a.slug, "external_identifier_type": ID_TYPE["adres"],
                "addresses": [_address(a.adres, base, gem.naam, gem.provincie)]}
    if a.online:
        base = ("online", g, a.slug)
        return {"id": make_id(*base), "location_type": "virtual", "name": "Online",
                "url": a.online, "external_identifier": a.slug,
                "external_identifier_type": ID_TYPE["online"]}
    return None


def _kosten(kosten: Kosten | None, base: tuple[str, str, str],
            sid: str) -> tuple[str | None, list[dict[str, Any]]]:
    if kosten is None:
        return None, []
    if kosten.gratis:
        text = "Gratis."
        option: dict[str, Any] = {"amount": 0}
    elif kosten.bedrag is not None:
        text = f"{_money(kosten.bedrag)}{' ' + PER_TEXT[kosten.per] if kosten.per else ''}."
        option = {"amount": _number(kosten.bedrag),
                  "amount_description": PER_TEXT[kosten.per] if kosten.per else None}
    else:
        text = "Niet gratis."
        option = {}
    if kosten.toelichting:
        text += " " + kosten.toelichting
    cost = _clean({"id": make_id(*base, "cost"), "service_id": sid, "currency": "EUR",
                   "option": kosten.toelichting, **option})
    if kosten.gratis:
        cost["amount"] = 0
    return text, [cost]


def _application(a: Activiteit) -> str | None:
    if a.aanmelden is None:
        return None
    first = "Vooraf aanmelden is nodig." if a.aanmelden.nodig else "Aanmelden is niet nodig."
    return f"{first} {a.aanmelden.hoe}" if a.aanmelden.hoe else first


def service(kaart: Kaart, a: Activiteit, g: str) -> dict[str, Any]:
    base = ("activiteit", g, a.slug)
    sid = make_id(*base)
    terms = _Terms(kaart)
    attrs = [terms.attribute(KENMERKEN, "korte-naam", sid, "service", a.slug)]
    for fld, vocab in VOCAB_FIELDS.items():
        for slug in getattr(a, fld):
            if slug in kaart.terms.get(vocab, {}):
                attrs.append(terms.attribute(vocab, slug, sid, "service"))
    if a.kern:
        attrs.append(terms.attribute(KENMERKEN, "kern", sid, "service", a.kern))
    if a.welzijn_op_recept:
        attrs.append(terms.attribute(KENMERKEN, "welzijn-op-recept", sid, "service"))
    if a.begeleiding:
        if a.begeleiding.maatje:
            attrs.append(terms.attribute(KENMERKEN, "maatje", sid, "service"))
        if a.begeleiding.eerste_keer_mee:
            attrs.append(terms.attribute(KENMERKEN, "eerste-keer-mee", sid, "service"))
        if a.begeleiding.toelichting:
            attrs.append(terms.attribute(KENMERKEN, "begeleiding", sid, "service",
                                         a.begeleiding.toelichting))
    if a.toegankelijkheid_toelichting:
        attrs.append(terms.attribute(KENMERKEN, "toegankelijkheid-toelichting", sid, "service",
                                     a.toegankelijkheid_toelichting))
    fees, costs = _kosten(a.kosten, base, sid)
    contacts = _contacts(a.contact, base)
    if a.aanmelden and (a.aanmelden.telefoon or a.aanmelden.email):
        contacts.append(_clean({
            "id": make_id(*base, "aanmelden"), "department": "Aanmelden",
            "email": a.aanmelden.email,
            "phones": _phone(a.aanmelden.telefoon, base, "aanmelden/phone")}))
    doelgroepen = [kaart.label("doelgroepen", d) for d in a.doelgroepen
                   if d in kaart.terms.get("doelgroepen", {})]
    language = {"id": make_id(*base, "language", "nl"), "service_id": sid,
                "name": "Nederlands", "code": "nl"}
    if "andere-talen" in a.toegankelijkheid:
        language["note"] = "Ook in andere talen"
    return _clean({
        "id": sid, "name": a.titel, "status": STATUS[a.status],
        "description": _paragraphs(a.samenvatting, a.tekst),
        "organization_id": make_id("organisatie", "", a.organisator) if a.organisator else None,
        "url": a.contact.website if a.contact else None,
        "email": a.contact.email if a.contact else None,
        "additional_urls": ([{"id": make_id(*base, "aanmelden/url"), "label": "Aanmelden",
                              "url": a.aanmelden.website}]
                            if a.aanmelden and a.aanmelden.website else []),
        "application_process": _application(a),
        "fees_description": fees,
        "eligibility_description": ("Voor: " + ", ".join(doelgroepen) + ".") if doelgroepen else None,
        "minimum_age": a.leeftijd.van if a.leeftijd else None,
        "maximum_age": a.leeftijd.tot if a.leeftijd else None,
        "assured_date": a.laatst_gecontroleerd.isoformat(),
        "phones": _phone(a.contact.telefoon if a.contact else None, base, "phone", "Contact"),
        "schedules": schedules(a.wanneer, "service_id", sid, base),
        "contacts": contacts,
        "languages": [language],
        "cost_options": costs,
        "attributes": attrs,
    })


def service_at_location(a: Activiteit, g: str) -> dict[str, Any] | None:
    sid = make_id("activiteit", g, a.slug)
    if a.plek:
        lid = make_id("ontmoetingsplek", g, a.plek)
    elif a.adres:
        lid = make_id("adres", g, a.slug)
    elif a.online:
        lid = make_id("online", g, a.slug)
    else:
        return None
    return {"id": make_id("service_at_location", g, a.slug), "service_id": sid,
            "location_id": lid}


# --------------------------------------------------------------------------- documents

_PART_KEYS = ("services", "locations", "service_at_locations")


def _no_parts() -> dict[str, list[dict[str, Any]]]:
    return {key: [] for key in _PART_KEYS}


def _gemeente_parts(kaart: Kaart, g: str) -> dict[str, list[dict[str, Any]]]:
    services, locations, links = [], [], []
    for p in sorted(kaart.plekken.get(g, {}).values(), key=lambda p: p.slug):
        locations.append(location(kaart, p, g))
    for a in sorted(kaart.activiteiten.get(g, {}).values(), key=lambda a: a.slug):
        services.append(service(kaart, a, g))
        own = activity_location(kaart, a, g)
        if own:
            locations.append(own)
        link = service_at_location(a, g)
        if link:
            links.append(link)
    return {"services": services, "locations": locations, "service_at_locations": links}


def _document(kaart: Kaart, g: str | None, orgs: list[Organisatie],
              parts: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    terms = _Terms(kaart)
    org_locations = [loc for o in orgs if (loc := organization_location(kaart, o))]
    gem = kaart.gemeenten.get(g) if g else None
    return {
        "hsds_version": HSDS_VERSION,
        "beschrijving": ("Open Referral HSDS 3.1-export van de sociale kaart"
                         + (f" van {gem.naam}" if gem else "") + ". Elk item in organizations, "
                         "services, locations en service_at_locations volgt het HSDS-schema."),
        "bron": kaart.site.naam,
        "basis_url": kaart.site.basis_url,
        "datum": kaart.today.isoformat(),
        "gemeente": ({"slug": g, "naam": gem.naam, "cbs_code": gem.cbs_code} if gem else None),
        "organizations": [organization(kaart, o) for o in orgs],
        "services": parts["services"],
        "locations": parts["locations"] + org_locations,
        "service_at_locations": parts["service_at_locations"],
        "taxonomies": terms.taxonomies(),
        "taxonomy_terms": terms.all_terms(),
    }


def export_gemeente(kaart: Kaart, g: str) -> dict[str, Any]:
    """The HSDS document of one gemeente: its activities, places and organisations."""
    orgs = sorted(kaart.organisaties_per_gemeente.get(g, []), key=lambda o: o.slug)
    return _document(kaart, g, orgs, _gemeente_parts(kaart, g))


def export_all(kaart: Kaart) -> dict[str, Any]:
    """The HSDS document of the whole kaart (every gemeente and organisation)."""
    parts = _no_parts()
    for g in sorted(kaart.gemeenten):
        for key, items in _gemeente_parts(kaart, g).items():
            parts[key].extend(items)
    orgs = sorted(kaart.organisaties.values(), key=lambda o: o.slug)
    return _document(kaart, None, orgs, parts)


def geojson_gemeente(kaart: Kaart, g: str) -> dict[str, Any]:
    """GeoJSON (RFC 7946) FeatureCollection of the places of a gemeente.

    Ontmoetingsplekken and the own addresses of activities; a place without coordinates has
    ``geometry: null`` (allowed by RFC 7946) so that the list stays complete.
    """
    features = []
    per_plek = kaart.activiteiten_per_plek
    for p in sorted(kaart.plekken.get(g, {}).values(), key=lambda p: p.slug):
        acts = sorted(a.titel for a in per_plek.get((g, p.slug), []) if a.status != "gestopt")
        features.append(_feature(make_id("ontmoetingsplek", g, p.slug), p.coordinaten, {
            "soort": "ontmoetingsplek", "slug": p.slug, "naam": p.naam, "gemeente": g,
            "plek_soort": p.soort, "kern": p.kern,
            "adres": p.adres.regel() if p.adres else None,
            "toegankelijkheid": list(p.toegankelijkheid), "activiteiten": acts}))
    for a in sorted(kaart.activiteiten.get(g, {}).values(), key=lambda a: a.slug):
        if a.adres and not a.plek and a.status != "gestopt":
            features.append(_feature(make_id("adres", g, a.slug), None, {
                "soort": "adres van activiteit", "slug": a.slug, "naam": a.titel,
                "gemeente": g, "kern": a.kern, "adres": a.adres.regel(),
                "toegankelijkheid": list(a.toegankelijkheid), "activiteiten": [a.titel]}))
    return {"type": "FeatureCollection", "features": features}


def _feature(fid: str, coords: Any, props: dict[str, Any]) -> dict[str, Any]:
    geometry = ({"type": "Point", "coordinates": [coords.lon, coords.lat]} if coords else None)
    return {"type": "Feature", "id": fid, "geometry": geometry,
            "properties": {k: v for k, v in props.items() if v is not None}}


def _json(value: Any) -> bytes:
    # Compact separators keep json on its C encoder (``indent`` switches to the Python one).
    # UTF-8 bytes, not str: a str with one "€" takes two bytes per character in memory.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _dump(data: dict[str, Any]) -> bytes:
    return _compose(data, {})


def _compose(doc: dict[str, Any], parts: dict[str, list[bytes]]) -> bytes:
    """``doc`` as JSON with one array item per line; ``parts`` are JSON texts of items that go
    before the items of ``doc``'s array of the same name. Joined once, so that the biggest
    file (``alles.json``) is in memory once besides its items."""
    pieces = [b"{"]
    for n, (key, value) in enumerate(doc.items()):
        pieces += [b",\n" if n else b"", _json(key), b":"]
        if not isinstance(value, list):
            pieces.append(_json(value))
            continue
        items = [*parts.get(key, ()), *map(_json, value)]
        if not items:
            pieces.append(b"[]")
            continue
        pieces.append(b"[\n")
        for i, item in enumerate(items):
            pieces += [b",\n" if i else b"", item]
        pieces.append(b"\n]")
    pieces.append(b"}\n")
    return b"".join(pieces)


def export_plan(kaart: Kaart) -> list[tuple[str, Callable[[], bytes], dict[str, Any]]]:
    """Every export file as (relative output path, function that makes it, its inputs).

    Made lazily: the build makes each file once; ``serve`` makes a file again only when one of
    its inputs (the entries it shows) changed. Site, taxonomies and gemeenten are inputs of
    every file; a change to them rebuilds everything anyway. A gemeente's services and
    locations are encoded once per plan, for its own file and for ``alles.json``; only their
    JSON text is kept, which is a tenth of the memory of the objects.
    """
    encoded: dict[str, dict[str, list[bytes]]] = {}

    def parts(g: str) -> dict[str, list[bytes]]:
        if g not in encoded:
            encoded[g] = {key: [_json(item) for item in items]
                          for key, items in _gemeente_parts(kaart, g).items()}
        return encoded[g]

    def everything_json() -> bytes:
        joined: dict[str, list[bytes]] = {key: [] for key in _PART_KEYS}
        for g in sorted(kaart.gemeenten):
            for key, texts in parts(g).items():
                joined[key].extend(texts)
        orgs = sorted(kaart.organisaties.values(), key=lambda o: o.slug)
        return _compose(_document(kaart, None, orgs, _no_parts()), joined)

    def gemeente_json(g: str) -> Callable[[], bytes]:
        orgs = sorted(kaart.organisaties_per_gemeente.get(g, []), key=lambda o: o.slug)
        return lambda: _compose(_document(kaart, g, orgs, _no_parts()), parts(g))

    def gemeente_geojson(g: str) -> Callable[[], bytes]:
        return lambda: _dump(geojson_gemeente(kaart, g))

    everything = {"activiteiten": [a for g in sorted(kaart.activiteiten)
                                   for a in kaart.activiteiten[g].values()],
                  "plekken": [p for g in sorted(kaart.plekken) for p in kaart.plekken[g].values()],
                  "organisaties": list(kaart.organisaties.values())}
    plan = [("data/hsds/alles.json", everything_json, everything)]
    for g in sorted(kaart.gemeenten):
        own = {"activiteiten": list(kaart.activiteiten.get(g, {}).values()),
               "plekken": list(kaart.plekken.get(g, {}).values())}
        plan.append((f"data/hsds/{g}.json", gemeente_json(g),
                     {**own, "organisaties": kaart.organisaties_per_gemeente.get(g, [])}))
        plan.append((f"data/geojson/{g}.geojson",
                     gemeente_geojson(g), own))
    return plan


def export_files(kaart: Kaart) -> dict[str, bytes]:
    """Relative output path -> file content, for every export file."""
    return {path: make() for path, make, _ in export_plan(kaart)}


def write_exports(kaart: Kaart, out_dir: Path) -> list[Path]:
    """Write data/hsds/<gemeente>.json, data/hsds/alles.json and data/geojson/<gemeente>.geojson
    under ``out_dir`` (the site's output folder, e.g. ``public``). Returns the written paths."""
    written = []
    for rel, data in export_files(kaart).items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


__all__ = [
    "ID_TYPE",
    "KENMERKEN",
    "NAMESPACE",
    "STATUS",
    "export_all",
    "export_files",
    "export_plan",
    "export_gemeente",
    "geojson_gemeente",
    "make_id",
    "schedule_description",
    "write_exports",
]
