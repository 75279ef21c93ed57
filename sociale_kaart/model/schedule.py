"""The schedule model (``wanneer`` of activities, ``openingstijden`` of places).

It follows the Open Referral HSDS 3.1 ``schedule`` object (freq, interval, byday, opens_at,
closes_at, valid_from, valid_to, dtstart, notes) with Dutch field names:

    wanneer:
      - frequentie: wekelijks      # HSDS freq WEEKLY | MONTHLY
        interval: 2                # every other week (needs geldig_vanaf)
        dagen: [DO]                # HSDS byday; Dutch or RFC 5545 codes; 2MA = second Monday
        van: "19:30"               # opens_at, local time Europe/Amsterdam
        tot: "21:00"               # closes_at
        geldig_vanaf: 2026-09-03   # valid_from (and the rrule's DTSTART: the first time)
        geldig_tot: 2027-06-30     # valid_to
        niet_op:                   # dates it does not take place
          - 2026-12-25
          - {van: 2027-07-18, tot: 2027-08-30, reden: zomervakantie}
        toelichting: In de schoolvakanties op afspraak.   # notes
      - datums: [2026-12-05]       # one-off dates
        van: "14:00"

A rule is either recurring (``frequentie`` + ``dagen``) or a list of one-off ``datums``, never
both. Times are wall-clock times in Europe/Amsterdam: 10:00 stays 10:00 in summer and winter.

Validation lives here (errors point at the field where possible); Dutch wording, expansion and
iCal live in ``schedule_text.py``, ``occurrences.py`` and ``ical.py``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekday as rd_weekday
from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sociale_kaart.model.fields import Datum, Meta, Model, ShortText, Text, Tijd, at_most
from sociale_kaart.nl.dates import format_date
from sociale_kaart.nl.words import DAY_NAMES, DUTCH_TO_RFC, RFC_DAYS, RFC_TO_DUTCH

TIMEZONE = "Europe/Amsterdam"

# What one schedule may ask for (README.md, "Limits"). Real schedules have a few rules, tens of
# one-off dates and a handful of exceptions; these limits keep what a file asks the build to make
# (calendar events, exception dates, sentences) in proportion to the file.
MAX_RULES = 50  # rules in one 'wanneer' or 'openingstijden'
MAX_DATES = 500  # one-off 'datums' in one rule
MAX_EXCEPTIONS = 100  # entries in one rule's 'niet_op'
MAX_EXCEPTION_DAYS = 731  # days that one rule's 'niet_op' periods cover together (two years)
TZ = ZoneInfo(TIMEZONE)

_DAY = re.compile(r"^([+-]?[0-9]+)?([A-Z]{2})$")


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


def dutch_code(day: str) -> str:
    """Canonical '2MO' -> '2MA', as a maintainer writes it (for messages)."""
    pos, code = parse_day(day)
    return f"{pos if pos is not None else ''}{RFC_TO_DUTCH[code]}"


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


def nth_weekday(year: int, month: int, pos: int, code: str) -> date | None:
    """The ``pos``-th ``code`` weekday of a month (-1 = last); None if the month has no such day.

    ``nth_weekday(2026, 3, 5, 'MO')`` is None: March 2026 has four Mondays.
    """
    wd = rd_weekday(RFC_DAYS.index(code))
    if pos > 0:
        d = date(year, month, 1) + relativedelta(weekday=wd(pos))
    else:
        d = date(year, month, 1) + relativedelta(day=31, weekday=wd(pos))
    return d if d.month == month else None


def matches_day(day: date, pos: int | None, code: str) -> bool:
    """Whether ``day`` is the weekday ``code`` (and, with ``pos``, the pos-th of its month)."""
    if day.weekday() != RFC_DAYS.index(code):
        return False
    return pos is None or nth_weekday(day.year, day.month, pos, code) == day


def wall_time_exists(day: date, t: time) -> bool:
    """False for a wall-clock time skipped by the switch to summer time (02:30 on 29 March 2026)."""
    local = datetime.combine(day, t, tzinfo=TZ)
    back = local.astimezone(UTC).astimezone(TZ)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def _in_dst_gap_hour(t: time) -> bool:
    # In Europe/Amsterdam the clock jumps from 02:00 to 03:00 on the last Sunday of March.
    return time(2, 0) <= t < time(3, 0)


def _check_dst(label: str, t: time, info: ValidationInfo) -> None:
    """Reject a wall-clock time that does not exist on a day the rule can fall on."""
    if not _in_dst_gap_hour(t):
        return
    for d in info.data.get("datums", []):
        if not wall_time_exists(d, t):
            raise ValueError(f"de {label} {t:%H:%M} bestaat niet op {format_date(d)}: die nacht "
                             "gaat de klok van 2.00 naar 3.00 uur (zomertijd)")
    # The switch is always on the last Sunday of March: weekly Sundays hit it, and so do the
    # 4th, 5th and last Sunday of a month.
    for d in info.data.get("dagen", []):
        pos, code = parse_day(d)
        if code == "SU" and pos in (None, 4, 5, -1):
            raise ValueError(f"de {label} {t:%H:%M} bestaat niet op de laatste zondag van maart: "
                             "dan gaat de klok van 2.00 naar 3.00 uur (zomertijd); kies een tijd "
                             "voor 2.00 of vanaf 3.00 uur")


def _too_long_pause(what: str) -> str:
    return (f"{what}; dat mag hoogstens {MAX_EXCEPTION_DAYS} dagen (twee jaar) zijn. Gaat het "
            "zo lang niet door? Laat de regel dan eindigen met 'geldig_tot' en begin een nieuwe "
            "regel met 'geldig_vanaf', of zet 'status: gepauzeerd'")


def _period(value: Any) -> Any:
    # `- 2026-12-25` is shorthand for a single day.
    if isinstance(value, (str, date)):
        return {"van": value}
    return value


class Periode(Model):
    """A day or a range of days on which a schedule does not apply."""

    van: Datum = Field(description="Eerste dag (of de enige dag)")
    tot: Datum | None = Field(None, description="Laatste dag (leeg bij één dag)")
    reden: ShortText | None = Field(None, description="Bijvoorbeeld 'zomervakantie' of 'Kerstmis'")

    @field_validator("tot")
    @classmethod
    def _order(cls, tot: date | None, info: ValidationInfo) -> date | None:
        van = info.data.get("van")
        if tot is not None and van is not None and tot < van:
            raise ValueError(f"'tot' ({format_date(tot)}) ligt voor 'van' ({format_date(van)})")
        if tot is not None and van is not None and (tot - van).days + 1 > MAX_EXCEPTION_DAYS:
            raise ValueError(_too_long_pause(f"deze periode duurt {(tot - van).days + 1} dagen"))
        return tot

    @property
    def days(self) -> int:
        return (self.last - self.van).days + 1

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
    datums: Annotated[list[Datum], Field(max_length=MAX_DATES), at_most(
        MAX_DATES, "Is het elke week of maand? Gebruik dan 'frequentie' en 'dagen'", "datums")] = Field(
        default_factory=list, description="Losse datums, zoals [2026-12-05]")
    van: Tijd | None = Field(None, description="Begintijd, zoals '10:00'")
    tot: Tijd | None = Field(None, description="Eindtijd, zoals '11:30'")
    geldig_vanaf: Datum | None = Field(None, description="Vanaf deze datum (bij 'interval': de "
                                                        "eerste keer)")
    geldig_tot: Datum | None = Field(None, description="Tot en met deze datum")
    niet_op: Annotated[list[Annotated[Periode, BeforeValidator(_period)]],
                       Field(max_length=MAX_EXCEPTIONS), at_most(MAX_EXCEPTIONS, noun="uitzonderingen")] = Field(
        default_factory=list, description="Datums of periodes waarop het niet doorgaat")
    toelichting: Text | None = Meta("Korte opmerking, zoals 'niet in de "
                                                       "schoolvakanties'", opmaak="lang", default=None)

    # Field validators see the fields declared before them (info.data), so an error can point
    # at the exact field and line instead of at the whole rule.

    @field_validator("dagen")
    @classmethod
    def _check_days(cls, dagen: list[str], info: ValidationInfo) -> list[str]:
        freq = info.data.get("frequentie")
        seen: set[str] = set()
        for d in dagen:
            if d in seen:
                raise ValueError(f"'{dutch_code(d)}' staat twee keer in 'dagen'")
            seen.add(d)
            pos, _ = parse_day(d)
            nl = dutch_code(d)
            if freq == "wekelijks" and pos is not None:
                raise ValueError(f"'{nl}' (de hoeveelste van de maand) kan alleen bij "
                                 "frequentie: maandelijks")
            if freq == "maandelijks" and pos is None:
                raise ValueError(f"zeg bij maandelijks welke '{nl}' van de maand: bijvoorbeeld "
                                 f"2{nl} voor de tweede of -1{nl} voor de laatste")
        return dagen

    @field_validator("datums")
    @classmethod
    def _check_dates(cls, datums: list[date], info: ValidationInfo) -> list[date]:
        if datums and info.data.get("frequentie") is not None:
            raise ValueError("losse 'datums' horen in een eigen regel onder 'wanneer', zonder "
                             "'frequentie' en 'dagen'")
        if len(set(datums)) != len(datums):
            double = next(d for d in datums if datums.count(d) > 1)
            raise ValueError(f"{format_date(double)} staat twee keer in 'datums'")
        return datums

    @field_validator("niet_op")
    @classmethod
    def _check_exceptions(cls, niet_op: list[Periode]) -> list[Periode]:
        days = sum(p.days for p in niet_op)
        if days > MAX_EXCEPTION_DAYS:
            raise ValueError(_too_long_pause(f"de periodes in 'niet_op' duren samen {days} dagen"))
        return niet_op

    @field_validator("van")
    @classmethod
    def _check_start(cls, van: time | None, info: ValidationInfo) -> time | None:
        if van is not None:
            _check_dst("begintijd", van, info)
        return van

    @field_validator("tot")
    @classmethod
    def _check_end(cls, tot: time | None, info: ValidationInfo) -> time | None:
        if tot is None:
            return tot
        if "van" not in info.data:  # 'van' itself was wrong: that error is reported already
            return tot
        van = info.data["van"]
        if van is None:
            raise ValueError("er is een eindtijd ('tot') maar geen begintijd ('van')")
        if tot <= van:
            raise ValueError(f"de eindtijd {tot:%H:%M} ligt niet na de begintijd {van:%H:%M}")
        _check_dst("eindtijd", tot, info)
        return tot

    @field_validator("geldig_vanaf")
    @classmethod
    def _check_valid_from(cls, vanaf: date | None, info: ValidationInfo) -> date | None:
        if vanaf is None:
            return vanaf
        for d in info.data.get("datums", []):
            if d < vanaf:
                raise ValueError(f"de datum {format_date(d)} ligt voor 'geldig_vanaf' "
                                 f"({format_date(vanaf)})")
        dagen = info.data.get("dagen")
        if info.data.get("interval", 1) > 1 and info.data.get("frequentie") and dagen:
            if not any(matches_day(vanaf, *parse_day(d)) for d in dagen):
                raise ValueError(
                    f"bij 'interval' is 'geldig_vanaf' de eerste keer, maar {format_date(vanaf)} "
                    f"is een {DAY_NAMES[vanaf.weekday()]} en past niet bij 'dagen' "
                    f"({', '.join(dutch_code(x) for x in dagen)})")
        return vanaf

    @field_validator("geldig_tot")
    @classmethod
    def _check_valid_until(cls, tot: date | None, info: ValidationInfo) -> date | None:
        if tot is None:
            return tot
        vanaf = info.data.get("geldig_vanaf")
        if vanaf is not None and tot < vanaf:
            raise ValueError(f"'geldig_tot' ({format_date(tot)}) ligt voor 'geldig_vanaf' "
                             f"({format_date(vanaf)})")
        for d in info.data.get("datums", []):
            if d > tot:
                raise ValueError(f"de datum {format_date(d)} ligt na 'geldig_tot' "
                                 f"({format_date(tot)})")
        return tot

    @model_validator(mode="after")
    def _consistent(self) -> Tijdschema:
        if self.frequentie is None and self.dagen:
            raise ValueError("'dagen' hoort bij een 'frequentie' (wekelijks of maandelijks)")
        if self.frequentie is None and not self.datums:
            raise ValueError("geef 'frequentie' en 'dagen' (bijvoorbeeld wekelijks op DI) "
                             "of losse 'datums'")
        if self.frequentie is not None and not self.dagen:
            raise ValueError("geef bij 'frequentie' ook de 'dagen', zoals [DI]")
        if self.interval > 1 and self.frequentie is None:
            raise ValueError("'interval' hoort bij een 'frequentie' (wekelijks of maandelijks)")
        if self.interval > 1 and self.geldig_vanaf is None:
            raise ValueError("bij 'interval' (om de week of maand) is 'geldig_vanaf' nodig: "
                             "de eerste datum waarop het plaatsvindt")
        return self

    @property
    def positioned_days(self) -> list[tuple[int | None, str]]:
        return [parse_day(d) for d in self.dagen]

    @property
    def recurring(self) -> bool:
        return self.frequentie is not None

    def excluded(self, day: date) -> bool:
        return any(p.contains(day) for p in self.niet_op)

    def valid_on(self, day: date) -> bool:
        """Whether ``day`` lies within geldig_vanaf .. geldig_tot (inclusive)."""
        return ((self.geldig_vanaf is None or day >= self.geldig_vanaf)
                and (self.geldig_tot is None or day <= self.geldig_tot))

    def matches(self, day: date) -> bool:
        """Whether the day pattern (weekday, position) fits ``day``; ignores interval and validity."""
        if not self.recurring:
            return day in self.datums
        return any(matches_day(day, pos, code) for pos, code in self.positioned_days)
