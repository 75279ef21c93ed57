"""The schedule model (``wanneer`` of activities, ``openingstijden`` of places).

It follows the Open Referral HSDS 3.1 ``schedule`` object (freq, interval, byday, opens_at,
closes_at, valid_from, valid_to, dtstart, notes) with Dutch field names:

    wanneer:
      - frequentie: wekelijks      # HSDS freq WEEKLY | MONTHLY
        interval: 2                # every other week (needs geldig_vanaf)
        dagen: [DO]                # HSDS byday; Dutch or RFC 5545 codes; 2MA = second Monday
        van: "19:30"               # opens_at, local time Europe/Amsterdam
        tot: "21:00"               # closes_at
        geldig_vanaf: 2026-09-04   # valid_from (and the rrule's DTSTART)
        geldig_tot: 2027-06-30     # valid_to
        niet_op:                   # dates it does not take place
          - 2026-12-25
          - {van: 2027-07-18, tot: 2027-08-30, reden: zomervakantie}
        toelichting: In de schoolvakanties op afspraak.   # notes
      - datums: [2026-12-05]       # one-off dates
        van: "14:00"

Validation lives here; Dutch wording, expansion and iCal live in their own modules.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from .types import Model, Text, Tijd

TIMEZONE = "Europe/Amsterdam"

# Dutch and RFC 5545 weekday codes; canonical form is RFC 5545 (what rrule and iCal use).
DUTCH_TO_RFC = {"MA": "MO", "DI": "TU", "WO": "WE", "DO": "TH", "VR": "FR", "ZA": "SA", "ZO": "SU"}
RFC_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY = re.compile(r"^([+-]?[0-9]+)?([A-Z]{2})$")
_ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde"}


def parse_day(value: str) -> tuple[int | None, str]:
    """'2MA' -> (2, 'MO'); '-1FR' -> (-1, 'FR'); 'DI' -> (None, 'TU'). Raises ValueError in Dutch."""
    m = _DAY.match(value.strip().upper())
    hint = ("gebruik MA, DI, WO, DO, VR, ZA of ZO, met een getal ervoor voor de hoeveelste "
            "van de maand: 2MA = tweede maandag, -1VR = laatste vrijdag")
    if not m:
        raise ValueError(f"'{value}' is geen dag: {hint}")
    pos_text, code = m.groups()
    code = DUTCH_TO_RFC.get(code, code)
    if code not in RFC_DAYS:
        raise ValueError(f"'{value}' is geen dag: {hint}")
    pos = int(pos_text) if pos_text else None
    if pos is not None and (pos == 0 or abs(pos) > 5):
        raise ValueError(f"'{value}': een maand heeft hoogstens vijf van dezelfde weekdag; "
                         "gebruik 1 tot en met 5, of -1 voor de laatste")
    return pos, code


def _day(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(f"'{value}' is geen dag: gebruik MA, DI, WO, DO, VR, ZA of ZO")
    pos, code = parse_day(value)
    return f"{pos}{code}" if pos is not None else code


Dag = Annotated[str, BeforeValidator(_day),
                WithJsonSchema({"type": "string",
                                "pattern": r"^(-?[1-5])?(MA|DI|WO|DO|VR|ZA|ZO|MO|TU|WE|TH|FR|SA|SU)$",
                                "description": "Dag: MA, DI, WO, DO, VR, ZA, ZO; 2MA = tweede "
                                               "maandag van de maand, -1VR = laatste vrijdag"})]


def _period(value: Any) -> Any:
    # `- 2026-12-25` is shorthand for a single day.
    if isinstance(value, (str, date)):
        return {"van": value}
    return value


class Periode(Model):
    """A day or a range of days on which a schedule does not apply."""

    van: date = Field(description="Eerste dag (of de enige dag)")
    tot: date | None = Field(None, description="Laatste dag (leeg bij één dag)")
    reden: Text | None = Field(None, description="Bijvoorbeeld 'zomervakantie' of 'Kerstmis'")

    @model_validator(mode="after")
    def _order(self) -> "Periode":
        if self.tot is not None and self.tot < self.van:
            raise ValueError("'tot' ligt voor 'van'")
        return self

    @property
    def last(self) -> date:
        return self.tot or self.van

    def contains(self, day: date) -> bool:
        return self.van <= day <= self.last


class Tijdschema(Model):
    """One rule of a schedule: a weekly/monthly pattern, or a list of one-off dates."""

    frequentie: Literal["wekelijks", "maandelijks"] | None = Field(
        None, description="wekelijks of maandelijks; laat weg bij losse datums")
    interval: int = Field(1, ge=1, le=52, description="1 = elke week/maand, 2 = om de week/maand")
    dagen: list[Dag] = Field(default_factory=list,
                             description="Dagen, zoals [DI] of [2MA] (tweede maandag)")
    datums: list[date] = Field(default_factory=list, description="Losse datums, zoals [2026-12-05]")
    van: Tijd | None = Field(None, description="Begintijd, zoals '10:00'")
    tot: Tijd | None = Field(None, description="Eindtijd, zoals '11:30'")
    geldig_vanaf: date | None = Field(None, description="Vanaf deze datum")
    geldig_tot: date | None = Field(None, description="Tot en met deze datum")
    niet_op: list[Annotated[Periode, BeforeValidator(_period)]] = Field(
        default_factory=list, description="Datums of periodes waarop het niet doorgaat")
    toelichting: Text | None = Field(None, description="Korte opmerking, zoals 'niet in de "
                                                       "schoolvakanties'")

    @model_validator(mode="after")
    def _consistent(self) -> "Tijdschema":
        if self.frequentie is None and not self.datums:
            raise ValueError("geef 'frequentie' en 'dagen' (bijvoorbeeld wekelijks op DI) "
                             "of losse 'datums'")
        if self.frequentie is not None and not self.dagen:
            raise ValueError("geef bij 'frequentie' ook de 'dagen', zoals [DI]")
        if self.frequentie is None and self.dagen:
            raise ValueError("'dagen' hoort bij een 'frequentie' (wekelijks of maandelijks)")
        for d in self.dagen:
            pos, _ = parse_day(d)
            if self.frequentie == "wekelijks" and pos is not None:
                raise ValueError(f"'{d}' (de hoeveelste van de maand) kan alleen bij "
                                 "frequentie: maandelijks")
            if self.frequentie == "maandelijks" and pos is None:
                raise ValueError(f"zeg bij maandelijks welke '{d}' van de maand: bijvoorbeeld "
                                 f"2{d} voor de tweede of -1{d} voor de laatste")
        if self.tot is not None and self.van is None:
            raise ValueError("er is een eindtijd ('tot') maar geen begintijd ('van')")
        if self.van is not None and self.tot is not None and self.tot <= self.van:
            raise ValueError(f"de eindtijd {self.tot:%H:%M} ligt niet na de begintijd {self.van:%H:%M}")
        if self.geldig_vanaf and self.geldig_tot and self.geldig_tot < self.geldig_vanaf:
            raise ValueError("'geldig_tot' ligt voor 'geldig_vanaf'")
        if self.interval > 1 and self.geldig_vanaf is None:
            raise ValueError("bij 'interval' (om de week of maand) is 'geldig_vanaf' nodig: "
                             "de eerste datum waarop het plaatsvindt")
        if self.interval > 1 and self.frequentie is None:
            raise ValueError("'interval' hoort bij een 'frequentie' (wekelijks of maandelijks)")
        return self

    @property
    def positioned_days(self) -> list[tuple[int | None, str]]:
        return [parse_day(d) for d in self.dagen]

    def excluded(self, day: date) -> bool:
        return any(p.contains(day) for p in self.niet_op)
