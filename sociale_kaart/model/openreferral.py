"""The mapping between our model and Open Referral HSDS 3.1: the one place that says how a
fact of the sociale kaart is written in HSDS, for the exporter (outputs/hsds.py) that writes it
and the importer (importers/hsds.py) that reads it back.

Mapping
-------
* organisatie -> organization (+ a location of its ``adres``); soort -> attribute.
* activiteit -> service (one per activiteit): ``wanneer`` -> schedules, ``contact`` and
  ``aanmelden`` -> contacts/phones, ``kosten`` -> cost_options + fees_description, leeftijd ->
  minimum/maximum_age, thema's/doelgroepen/gezondheid/toegankelijkheid -> attributes with
  taxonomy terms (``VOCAB_FIELDS``), ``laatst_gecontroleerd`` -> assured_date, status
  actief/gepauzeerd/gestopt -> active/temporarily closed/inactive (``STATUS``). The location is
  a service_at_location to the ontmoetingsplek, to a location made of the activity's own
  ``adres``, or to a virtual location (``online``); ``ID_TYPE`` tells them apart.
* ontmoetingsplek -> location with addresses, latitude/longitude, accessibility, schedules
  (``openingstijden``), contacts, phones and attributes (soort, kern, wijk, faciliteiten).
* Facts HSDS has no field for (slug, kern, wijk, begeleiding, Welzijn op Recept, faciliteiten) are
  attributes of the taxonomy ``KENMERKEN``; slugs of places and organisations use the native
  ``external_identifier`` and ``organization_identifiers`` (``ID_SCHEME``). ``niet_op``
  (exceptions) has no HSDS field: it is written in Dutch in the schedule ``description``
  (``schedule_description``, read back by ``read_niet_op``); whether one must sign up opens
  ``application_process`` (``SIGNUP_NEEDED``, ``SIGNUP_NOT_NEEDED``).

Identifiers are UUID 5 of a fixed namespace and ``"<kind>/<gemeente>/<slug>"`` (gemeente is
empty for organisations), so they never change between builds; children append their role
and position (``".../schedule/0"``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date
from typing import Any

from sociale_kaart.model.entries import PER_UNITS, Activiteit, ActiviteitStatus, term_fields
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.dates import format_date, parse_date
from sociale_kaart.nl.schedule_text import describe

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
STATUS: dict[ActiviteitStatus, str] = {"actief": "active", "gepauzeerd": "temporarily closed", "gestopt": "inactive"}
STATUS_BACK = {v: k for k, v in STATUS.items()} | {"defunct": "gestopt"}
FREQ = {"wekelijks": "WEEKLY", "maandelijks": "MONTHLY"}
FREQ_BACK = {v: k for k, v in FREQ.items()}
VOCAB_FIELDS = term_fields(Activiteit)  # activiteit field -> vocabulary: each term an attribute
KENMERK_TERMS = {  # code -> (name, description)
    "korte-naam": ("Korte naam", "De korte naam (slug) van de vermelding in de sociale kaart"),
    "kern": ("Kern", "De kern (het dorp of de stad) waar het is"),
    "wijk": ("Wijk", "De wijk waar het is"),
    "welzijn-op-recept": ("Geschikt voor Welzijn op Recept",
                          "Een welzijnscoach kan hiernaar verwijzen"),
    "maatje": ("Een maatje kan mee", "Een vrijwilliger (maatje) kan mee"),
    "eerste-keer-mee": ("Coach gaat de eerste keer mee", "Een coach kan de eerste keer meegaan"),
    "begeleiding": ("Begeleiding", "Toelichting op de begeleiding"),
    "toegankelijkheid-toelichting": ("Toelichting toegankelijkheid",
                                     "Toelichting op de toegankelijkheid"),
    "faciliteit": ("Faciliteit", "Wat er op de plek is, zoals koffie en thee of wifi"),
}
PER_TEXT = {unit: f"per {unit}" for unit in PER_UNITS}  # amount_description: "per keer"
# application_process starts with one of these; the rest is ``aanmelden.hoe``
SIGNUP_NEEDED = "Vooraf aanmelden is nodig."
SIGNUP_NOT_NEEDED = "Aanmelden is niet nodig."
SIGNUP = "Aanmelden"  # the department of the contact and the label of the url to sign up with
NIET_OP = "Niet op: "  # starts the exceptions in a schedule's description
DUTCH = "nl"  # the language of everything we export (ISO 639-1)
DUTCH_CODES = (DUTCH, "nld", "dut")  # Dutch as other systems may write it (ISO 639-2/T and /B)
OTHER_LANGUAGES = "andere-talen"  # the toegankelijkheid term for a service in other languages


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


def schedule_description(s: Tijdschema) -> str:
    """One rule in plain Dutch: the site's own sentence (nl/schedule_text.py) with every date's
    year, and its exceptions after ``NIET_OP``, which ``read_niet_op`` reads back."""
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


_PERIOD = re.compile(r"^(\d{1,2} [a-z]+ \d{4})(?: tot en met (\d{1,2} [a-z]+ \d{4}))?(?: \((.*)\))?$")


def read_niet_op(description: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Split the exceptions that ``schedule_description`` wrote ('Niet op: 29 december 2026;
    ...') off a description: (niet_op periods as draft data, the rest of the description).
    A description that is not ours comes back whole, without periods."""
    if not description or NIET_OP not in description:
        return [], description
    head, _, tail = description.partition(" " + NIET_OP)
    if not tail:
        head, _, tail = description.partition(NIET_OP)
    periods = []
    for part in tail.rstrip(".").split("; "):
        m = _PERIOD.match(part.strip())
        van: date | None = parse_date(m.group(1)) if m else None
        if not m or van is None:
            return [], description  # not ours: keep the text as it is
        period: dict[str, Any] = {"van": van}
        if m.group(2):
            period["tot"] = parse_date(m.group(2))
        if m.group(3):
            period["reden"] = m.group(3)
        periods.append(period)
    return periods, head
