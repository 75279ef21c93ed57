"""Open Referral HSDS objects to drafts: which location is a place, an address, an online
location or an organisation's address; organisations, ontmoetingsplekken and activiteiten with
their slugs (our own, or new ones that do not clash with existing entries). The parts of each
object are read by ``hsds_values.py``, the file by ``hsds_document.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from sociale_kaart.importers.common import (
    CHECKED_BY_IMPORT,
    Draft,
    ImportResult,
    Slugs,
    first_of,
    import_slug,
    shorten,
    split_description,
    validate_value,
)
from sociale_kaart.importers.hsds_document import SHAPES, Collection
from sociale_kaart.importers.hsds_values import HsdsValues
from sociale_kaart.importers.match import Vocabularies
from sociale_kaart.importers.nl_text import read_date
from sociale_kaart.model.entries import MAX_AGE, Coordinaten, Gemeente
from sociale_kaart.model.fields import Slug, Url
from sociale_kaart.model.kinds import KINDS
from sociale_kaart.model.openreferral import (
    DUTCH_CODES,
    ID_SCHEME,
    ID_TYPE,
    OTHER_LANGUAGES,
    STATUS_BACK,
    VOCAB_FIELDS,
)
from sociale_kaart.pipeline.duplicates import name_key

# The fields of each object the importer handles: those it reads (``SHAPES``) and a few it
# leaves out on purpose. Any other field with a value is noted as not taken over.
_ORG_KEYS = set(SHAPES["organization"]) | {"metadata"}
_SERVICE_KEYS = set(SHAPES["service"]) | {"last_modified", "metadata"}
_LOCATION_KEYS = set(SHAPES["location"]) | {"service_at_locations", "metadata"}  # links: see services


class HsdsImporter(HsdsValues):
    """HSDS organisations, locations and services (``Collection``) -> drafts and notes."""

    def __init__(self, vocab: Vocabularies, gemeente: Gemeente, today: date, bron: dict[str, Any],
                 known: dict[str, dict[str, str]] | None = None):
        super().__init__(vocab)
        self.gemeente = gemeente
        self.today = today
        self.bron = bron
        self.slugs = Slugs()
        self.known = known or {}  # kind -> name_key -> existing slug

    def slug_for(self, kind: str, name: str, own: str | None) -> str:
        if own:
            good, _ = validate_value(Slug, own)
            if good:
                return self.slugs.take(kind, good)
        existing = self.known.get(kind, {}).get(name_key(name))
        return self.slugs.take(kind, existing or import_slug(name))

    def run(self, coll: Collection) -> list[Draft]:
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
        self.unknown_keys(org, _ORG_KEYS, where)
        for other in org.get("organization_identifiers") or []:
            if other.get("identifier_scheme") != ID_SCHEME:
                self.note(where, f"kenmerk {other.get('identifier_type') or ''} "
                                 f"{other.get('identifier') or ''} niet overgenomen")
        terms, _ = self.attributes(org, where)
        data: dict[str, Any] = {"naam": name}
        soort = first_of(terms.get("organisatie-soorten")) or self.vocab.guess(
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
        data["bron"] = [self.bron]
        return Draft("organisatie", slug, data)

    def place(self, loc: dict, org_slugs: dict[str, str]) -> Draft:
        name = str(loc.get("name") or "").strip() or "Naamloze plek"
        own = loc.get("external_identifier") if loc.get("external_identifier_type") == \
            ID_TYPE["plek"] else None
        slug = self.slug_for("ontmoetingsplek", name, own)
        where = (f"ontmoetingsplek '{name}' ({KINDS['ontmoetingsplek'].folder}/"
                 f"{self.gemeente.slug}/{slug}.yaml)")
        handled = _LOCATION_KEYS
        if own is None and loc.get("external_identifier"):
            handled = handled - {"external_identifier", "external_identifier_type"}
        self.unknown_keys(loc, handled, where)
        terms, kenmerken = self.attributes(loc, where)
        data: dict[str, Any] = {"naam": name}
        soort = first_of(terms.get("plek-soorten")) or self.vocab.guess(
            "plek-soorten", name, loc.get("description"))
        if soort:
            data["soort"] = soort
            if not terms.get("plek-soorten"):
                self.note(where, f"soort '{soort}' geraden uit de naam: controleer dit")
        else:
            self.note(where, "soort onbekend: vul 'soort' zelf in (zie taxonomie/"
                             "plek-soorten.yaml)")
        for fld in ("kern", "wijk"):
            if kenmerken.get(fld):
                data[fld] = kenmerken[fld][0]
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
            if str(lang.get("code") or "").lower() not in (*DUTCH_CODES, ""):
                self.note(where, f"taal '{lang.get('name') or lang.get('code')}' niet overgenomen")
        summary, text = split_description(loc.get("description"), required=False)
        if summary:
            data["samenvatting"] = summary
        if text:
            data["beschrijving"] = text
        data["bron"] = [self.bron]
        return Draft("ontmoetingsplek", slug, data)

    def activity(self, s: dict, links: list[dict], coll: Collection, loc_kind: dict[str, str],
                 org_slugs: dict[str, str], plek_slugs: dict[str, str]) -> Draft:
        name = str(s.get("name") or "").strip() or "Naamloze activiteit"
        terms, kenmerken = self.attributes(s, f"activiteit '{name}'")
        own = first_of(kenmerken.get("korte-naam"))
        slug = self.slug_for("activiteit", name, own)
        where = (f"activiteit '{name}' ({KINDS['activiteit'].folder}/{self.gemeente.slug}/"
                 f"{slug}.yaml)")
        self.unknown_keys(s, _SERVICE_KEYS, where)
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
        for fld in ("kern", "wijk"):
            if kenmerken.get(fld):
                data[fld] = kenmerken[fld][0]
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
            self.note(where, f"doelgroep '{shorten(s['eligibility_description'])}' niet "
                             "overgenomen: kies zelf 'doelgroepen'")
        leeftijd = {}
        for key, target in (("minimum_age", "van"), ("maximum_age", "tot")):
            if s.get(key) is not None:
                try:
                    leeftijd[target] = int(s[key])
                except (TypeError, ValueError):
                    self.note(where, f"{key} '{s[key]}' is geen leeftijd")
        if leeftijd:
            if all(0 <= v <= MAX_AGE for v in leeftijd.values()):
                data["leeftijd"] = leeftijd
            else:
                self.note(where, f"leeftijd {leeftijd} niet overgenomen: tussen 0 en {MAX_AGE}")
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
            if code not in (*DUTCH_CODES, ""):
                self.note(where, f"taal '{lang.get('name') or code}': '{OTHER_LANGUAGES}' toegevoegd")
                if self.vocab.has("toegankelijkheid", OTHER_LANGUAGES) and \
                        OTHER_LANGUAGES not in access:
                    access.append(OTHER_LANGUAGES)
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
        # HSDS assured_date is the day the service was last checked: a check, the only one an
        # import takes over. Without it the entry is not confirmed (never 'today').
        data["bron"] = [self.bron]
        checked = read_date(s.get("assured_date"))
        if s.get("assured_date") and checked is None:
            self.note(where, f"assured_date '{s['assured_date']}' is geen datum: niet overgenomen")
        if checked is not None:
            data["laatst_gecontroleerd"] = checked
            data["gecontroleerd_door"] = CHECKED_BY_IMPORT
        return Draft("activiteit", slug, data)


def import_hsds(data: Any, vocab: Vocabularies, gemeente: Gemeente, today: date, bron: dict[str, Any],
                known: dict[str, dict[str, str]] | None = None) -> ImportResult:
    """Pure: HSDS JSON data -> drafts and notes."""
    coll = Collection()
    coll.add(data)
    imp = HsdsImporter(vocab, gemeente, today, bron, known)
    drafts = imp.run(coll)
    if not drafts:
        imp.notes.append("er staan geen organisaties, diensten (services) of locaties in het "
                         "bestand")
    return ImportResult(drafts, list(dict.fromkeys(imp.notes)))


__all__ = ["HsdsImporter", "import_hsds"]
