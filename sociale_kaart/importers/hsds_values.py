"""The parts of an HSDS object as draft values: attributes (taxonomy terms and kenmerken),
schedules, contacts, addresses, costs and how to sign up. Each value is checked with the field
types of the model; what cannot be taken over becomes a Dutch note."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sociale_kaart.importers.common import (
    make_rule,
    merge_dates,
    rule_data,
    shorten,
    validate_value,
)
from sociale_kaart.importers.hsds_document import SHAPES
from sociale_kaart.importers.match import Vocabularies
from sociale_kaart.importers.nl_text import PER_WORDS, read_date, read_time, split_street
from sociale_kaart.model.entries import PER_UNITS
from sociale_kaart.model.fields import MAX_BEDRAG, Email, Postcode, ShortText, Telefoon, Url
from sociale_kaart.model.openreferral import (
    FREQ,
    FREQ_BACK,
    KENMERKEN,
    SIGNUP,
    SIGNUP_NEEDED,
    SIGNUP_NOT_NEEDED,
    read_niet_op,
    schedule_description,
)
from sociale_kaart.model.schedule import Tijdschema, parse_day

# Schedule fields for what the sociale kaart cannot say (days of the month, weeks of the year, ...)
_UNSUPPORTED_SCHEDULE_KEYS = ("bymonthday", "byweekno", "byyearday", "wkst", "timezone",
                              "schedule_link", "attending_type")
# The schedule fields the importer handles: those it reads (``SHAPES``), the ids that link it,
# those above (with their own note) and a few it leaves out on purpose.
_SCHEDULE_KEYS = (set(SHAPES["schedule"]) | set(_UNSUPPORTED_SCHEDULE_KEYS)
                  | {"id", "service_id", "location_id", "service_at_location_id", "count",
                     "attributes", "metadata"})


class HsdsValues:
    """Reads the parts of HSDS objects; ``notes`` collects what is not taken over."""

    def __init__(self, vocab: Vocabularies):
        self.vocab = vocab
        self.notes: list[str] = []

    def note(self, where: str, message: str) -> None:
        self.notes.append(f"{where}: {message}")

    def unknown_keys(self, obj: dict, handled: set[str], where: str) -> None:
        for key, value in obj.items():
            if key in handled or value in (None, "", [], {}):
                continue
            self.note(where, f"veld '{key}' niet overgenomen (geen veld in de sociale kaart): "
                             f"{shorten(value)}")

    def value(self, type_: Any, value: Any, where: str, what: str) -> Any:
        if value in (None, ""):
            return None
        good, problem = validate_value(type_, value.strip('"') if isinstance(value, str) else value)
        if problem:
            self.note(where, f"{what} niet overgenomen: {problem}")
        return good

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
                    self.note(where, f"categorie '{shorten(name or attr)}'"
                                     f"{' uit ' + str(vocab) if vocab else ''} niet overgenomen: "
                                     "past niet bij een term in taxonomie/")
        return terms, kenmerken

    def schedules(self, items: list[dict], where: str) -> list[dict[str, Any]]:
        rules: list[Tijdschema] = []
        for s in items or []:
            rule = self.schedule(s, where)
            if rule is not None:
                rules.append(rule)
        return [rule_data(r) for r in merge_dates(rules)]

    def schedule(self, s: dict, where: str) -> Tijdschema | None:
        data: dict[str, Any] = {}
        for key in _UNSUPPORTED_SCHEDULE_KEYS:
            if s.get(key) not in (None, ""):
                self.note(where, f"tijden: '{key}' ({shorten(s[key])}) niet overgenomen: de "
                                 "sociale kaart kent alleen dagen van de week of de maand")
        self.unknown_keys(s, _SCHEDULE_KEYS, where)
        for key, target in (("opens_at", "van"), ("closes_at", "tot")):
            if s.get(key):
                t = read_time(s[key])
                if t:
                    data[target] = t
                else:
                    self.note(where, f"tijd '{s[key]}' ({key}) niet overgenomen: geen tijd")
        start = read_date(s.get("valid_from")) or read_date(s.get("dtstart"))
        end = read_date(s.get("valid_to")) or read_date(s.get("until"))
        days = [d.strip() for d in str(s.get("byday") or "").split(",") if d.strip()]
        freq = s.get("freq")
        if not freq and days:
            freq = FREQ["maandelijks" if any(parse_safe(d)[0] for d in days) else "wekelijks"]
        description = s.get("description") if isinstance(s.get("description"), str) else None
        niet_op, description = read_niet_op(description)
        if niet_op:
            data["niet_op"] = niet_op
        if freq in FREQ_BACK:
            data["frequentie"] = FREQ_BACK[freq]
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
            self.note(where, f"tijden met frequentie '{freq}' niet overgenomen: alleen "
                             f"{' en '.join(FREQ_BACK)} bestaan in HSDS en de sociale kaart")
            return None
        elif start and (end in (None, start)):
            data["datums"] = [start]
        else:
            self.note(where, "tijden zonder frequentie en zonder losse datum niet overgenomen"
                      + (f" ({shorten(description)})" if description else ""))
            return None
        notes_text = [t for t in (s.get("notes"),) if isinstance(t, str) and t.strip()]
        if notes_text:
            data["toelichting"] = notes_text[0].strip()
        rule = make_rule(data, where, self.notes)
        if rule is None:
            return None
        if description and description.strip() != schedule_description(
                rule.model_copy(update={"niet_op": []})).strip():
            extra = description.strip()
            text = f"{rule.toelichting} {extra}" if rule.toelichting else extra
            rule = make_rule({**data, "toelichting": text}, where, self.notes) or rule
        return rule

    def contact(self, contacts: list[dict], phones: list[dict], url: Any, email: Any,
                where: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(contact, aanmelden-contact fields) from HSDS contacts, phones, url and email."""
        main: dict[str, Any] = {}
        signup: dict[str, Any] = {}
        for c in contacts or []:
            is_signup = str(c.get("department") or "").casefold() == SIGNUP.casefold()
            target = signup if is_signup else main
            if target is main and main:
                self.note(where, f"extra contact '{shorten(c.get('title') or c.get('name') or '')}'"
                                 " niet overgenomen: de sociale kaart heeft één contact")
                continue
            if c.get("name"):
                self.note(where, f"naam van een persoon ('{shorten(c['name'])}') niet "
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
            self.note(where, f"extra adres niet overgenomen: {shorten(extra.get('address_1'))}")
        if a.get("country") and str(a["country"]).upper() not in ("NL", "NLD"):
            self.note(where, f"adres in land '{a['country']}': controleer het adres")
        line = str(a.get("address_1") or "").strip()
        street = split_street(line)
        if not street or not a.get("city"):
            self.note(where, f"adres '{shorten(line)}' niet overgenomen: straat, huisnummer en "
                             "plaats zijn nodig")
            return None
        out: dict[str, Any] = {"straat": street[0], "huisnummer": street[1]}
        if a.get("postal_code"):
            pc = self.value(Postcode, a["postal_code"], where, "postcode")
            if pc:
                out["postcode"] = pc
        out["plaats"] = str(a["city"]).strip()
        if a.get("address_2"):
            self.note(where, f"adresregel 2 ('{shorten(a['address_2'])}') niet overgenomen")
        return out

    def costs(self, s: dict, where: str) -> dict[str, Any] | None:
        options = [c for c in s.get("cost_options") or [] if isinstance(c, dict)]
        if options:
            c = options[0]
            for extra in options[1:]:
                self.note(where, f"extra kostenoptie '{shorten(extra.get('option') or '')}' "
                                 f"{extra.get('amount', '')} niet overgenomen")
            if c.get("currency") and str(c["currency"]).upper() != "EUR":
                self.note(where, f"kosten in {c['currency']}: alleen euro's worden overgenomen")
                return None
            out: dict[str, Any] = {}
            amount = _amount(c.get("amount"))
            if amount is None and c.get("amount") not in (None, ""):
                self.note(where, f"bedrag '{shorten(c['amount'])}' niet overgenomen: geen bedrag "
                                 f"tussen 0 en {MAX_BEDRAG} euro")
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
                                     f"(gebruik per {', '.join(PER_UNITS[:-1])} of {PER_UNITS[-1]})")
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
            if t.startswith(SIGNUP_NEEDED):
                out["nodig"], rest = True, t.removeprefix(SIGNUP_NEEDED)
            elif t.startswith(SIGNUP_NOT_NEEDED):
                out["nodig"], rest = False, t.removeprefix(SIGNUP_NOT_NEEDED)
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
            if str(u.get("label") or "").casefold() == SIGNUP.casefold():
                web = self.value(Url, u.get("url"), where, "webadres om aan te melden")
                if web:
                    out["website"] = web
            else:
                self.note(where, f"webadres '{shorten(u.get('url'))}' niet overgenomen")
        if out and "nodig" not in out:
            out["nodig"] = True
        return out or None


def _amount(value: Any) -> Decimal | None:
    """An HSDS amount (number or text) in whole cents, or None when it is no amount from 0
    to ``MAX_BEDRAG``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or not 0 <= amount <= MAX_BEDRAG:
        return None
    return amount.quantize(Decimal("0.01"))


def parse_safe(day: str) -> tuple[int | None, str | None]:
    try:
        return parse_day(day)
    except ValueError:
        return None, None


def _digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text or ""))


__all__ = ["HsdsValues"]
