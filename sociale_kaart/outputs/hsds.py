"""The resolved ``Kaart`` as Open Referral HSDS 3.1 documents (one per gemeente and one of all).

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

The mapping between our fields and HSDS (ids, statuses, vocabularies, the facts HSDS has no
field for) is ``model/openreferral.py``, which the importer reads back with.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sociale_kaart.model.entries import Activiteit, Adres, Contact, Kosten, Ontmoetingsplek, Organisatie
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.openreferral import (
    DUTCH,
    FREQ,
    ID_SCHEME,
    ID_TYPE,
    KENMERK_TERMS,
    KENMERKEN,
    OTHER_LANGUAGES,
    PER_TEXT,
    SIGNUP,
    SIGNUP_NEEDED,
    SIGNUP_NOT_NEEDED,
    STATUS,
    VOCAB_FIELDS,
    make_id,
    schedule_description,
)
from sociale_kaart.model.schedule import Tijdschema

HSDS_VERSION = "3.1"


# --------------------------------------------------------------------------- small helpers

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
                "taxonomy_id": _shared_id("taxonomie", "", vocab), "language": DUTCH}

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
    for fld in ("kern", "wijk"):
        if getattr(p, fld):
            attrs.append(terms.attribute(KENMERKEN, fld, lid, "location", getattr(p, fld)))
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
    first = SIGNUP_NEEDED if a.aanmelden.nodig else SIGNUP_NOT_NEEDED
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
    for fld in ("kern", "wijk"):
        if getattr(a, fld):
            attrs.append(terms.attribute(KENMERKEN, fld, sid, "service", getattr(a, fld)))
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
            "id": make_id(*base, "aanmelden"), "department": SIGNUP,
            "email": a.aanmelden.email,
            "phones": _phone(a.aanmelden.telefoon, base, "aanmelden/phone")}))
    doelgroepen = [kaart.label("doelgroepen", d) for d in a.doelgroepen
                   if d in kaart.terms.get("doelgroepen", {})]
    language = {"id": make_id(*base, "language", DUTCH), "service_id": sid,
                "name": "Nederlands", "code": DUTCH}
    if OTHER_LANGUAGES in a.toegankelijkheid:
        language["note"] = "Ook in andere talen"
    return _clean({
        "id": sid, "name": a.titel, "status": STATUS[a.status],
        "description": _paragraphs(a.samenvatting, a.tekst),
        "organization_id": make_id("organisatie", "", a.organisator) if a.organisator else None,
        "url": a.contact.website if a.contact else None,
        "email": a.contact.email if a.contact else None,
        "additional_urls": ([{"id": make_id(*base, "aanmelden/url"), "label": SIGNUP,
                              "url": a.aanmelden.website}]
                            if a.aanmelden and a.aanmelden.website else []),
        "application_process": _application(a),
        "fees_description": fees,
        "eligibility_description": ("Voor: " + ", ".join(doelgroepen) + ".") if doelgroepen else None,
        "minimum_age": a.leeftijd.van if a.leeftijd else None,
        "maximum_age": a.leeftijd.tot if a.leeftijd else None,
        # Only a real check: the day someone confirmed it with the organisation (never a source's date).
        "assured_date": a.laatst_gecontroleerd.isoformat() if a.laatst_gecontroleerd else None,
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

PART_KEYS = ("services", "locations", "service_at_locations")  # the arrays of one gemeente


def no_parts() -> dict[str, list[dict[str, Any]]]:
    """Empty ``PART_KEYS`` arrays, for a document whose items are added later."""
    return {key: [] for key in PART_KEYS}


def gemeente_parts(kaart: Kaart, g: str) -> dict[str, list[dict[str, Any]]]:
    """The items of gemeente ``g`` in the ``PART_KEYS`` arrays: its places, its activities with
    their own locations, and the links between them."""
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


def hsds_document(kaart: Kaart, g: str | None, orgs: list[Organisatie],
                  parts: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The document of gemeente ``g`` (None: of all) with organisations ``orgs`` and the
    services, locations and links in ``parts`` (see ``gemeente_parts``)."""
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
    return hsds_document(kaart, g, orgs, gemeente_parts(kaart, g))


def export_all(kaart: Kaart) -> dict[str, Any]:
    """The HSDS document of the whole kaart (every gemeente and organisation)."""
    parts = no_parts()
    for g in sorted(kaart.gemeenten):
        for key, items in gemeente_parts(kaart, g).items():
            parts[key].extend(items)
    orgs = sorted(kaart.organisaties.values(), key=lambda o: o.slug)
    return hsds_document(kaart, None, orgs, parts)


__all__ = [
    "HSDS_VERSION",
    "PART_KEYS",
    "export_all",
    "export_gemeente",
    "gemeente_parts",
    "hsds_document",
    "no_parts",
]
