"""iCalendar (RFC 5545) files: one per activity and one feed per gemeente, with ``icalendar``.

Each recurring rule of ``wanneer`` becomes one VEVENT that calendar apps keep repeating:

* DTSTART (TZID=Europe/Amsterdam) on the rule's first occurrence, DTEND on the same day;
  a rule without a start time gets no event at all: the time is unknown, and an all-day event
  would say something the content does not (the page says "Tijd: vraag het na");
* RRULE with FREQ, INTERVAL, BYDAY (positions such as 2MO and -1FR), WKST=MO and UNTIL
  (the end of ``geldig_tot``, in UTC as RFC 5545 requires with a TZID start);
* EXDATE for every occurrence that falls in a ``niet_op`` day or period (ranges expanded);
* one-off ``datums`` become separate VEVENTs (better supported than RDATE by calendar apps);
* a VTIMEZONE for Europe/Amsterdam built by ``icalendar.Timezone.from_tzid`` from zoneinfo.

Each VEVENT's DESCRIPTION has the summary, its own rule in Dutch (a one-off event: its own
date) and the link: never the whole schedule, which would repeat every date in every event and
make the file grow with the square of the number of dates.

Text from the content is validated (no control characters, no line breaks in titles), and the
writer does not rely on it: a value never brings a raw CR or LF (or another control character)
into a content line (``_line_text``, ``serialize``), so no value can add a property of its own.

DTSTART of a rule without ``geldig_vanaf`` is its first occurrence on or after the day the
information is known to hold: the day it was confirmed with the organisation
(``laatst_gecontroleerd``), else the date of its newest dated source (``known_since``); the file
stays the same from build to build. UIDs are derived from the gemeente, the slug
and the rule's position (``vechtstad-taalcafe-1@domain``), so an updated file replaces the
events in a subscribed calendar instead of adding copies. DTSTAMP is passed in (the build time)
or else the check date, so output is reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from icalendar import Calendar, Event, Timezone

from sociale_kaart.model.fields import bron_datum_first_day
from sociale_kaart.model.freshness import newest_source_date
from sociale_kaart.model.occurrences import pattern_days, rule, schedule_days
from sociale_kaart.model.schedule import TIMEZONE, TZ, Tijdschema
from sociale_kaart.nl.schedule_text import describe_all

PRODID = "-//Sociale Kaart//Sociale Kaart generator//NL"
_TZ_LAST = date(2038, 1, 1)  # icalendar's default horizon; later if a rule needs it


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def known_since(activity: Any) -> date | None:
    """The day from which an activity's information is known to hold: its check, else the
    first day its newest dated source can mean (model/freshness.py); None when neither."""
    checked = getattr(activity, "laatst_gecontroleerd", None)
    if checked is not None:
        return checked
    newest = newest_source_date(b.datum for b in getattr(activity, "bron", None) or [])
    return bron_datum_first_day(newest) if newest else None


def _default_stamp(activities: Iterable[Any]) -> datetime:
    known = [d for d in (known_since(a) for a in activities) if d is not None]
    day = max(known) if known else date(2000, 1, 1)
    return datetime.combine(day, time(0), tzinfo=UTC)


def _uid_base(activity: Any) -> str:
    gemeente = getattr(activity, "_gemeente", "") or getattr(activity, "gemeente", "") or ""
    return f"{gemeente}-{activity.slug}" if gemeente else activity.slug


def _start(s: Tijdschema, day: date) -> datetime | date:
    return datetime.combine(day, s.van, tzinfo=TZ) if s.van else day


def _end(s: Tijdschema, day: date) -> datetime | date | None:
    if s.van is None:
        return day + timedelta(days=1)
    return datetime.combine(day, s.tot, tzinfo=TZ) if s.tot else None


def _first_day(s: Tijdschema, since: date) -> date | None:
    """The first occurrence of a recurring rule (DTSTART must be one, RFC 5545 3.8.5.3)."""
    anchor = s.geldig_vanaf or since
    nxt = rule(s, anchor).after(datetime.combine(anchor, time(0)), inc=True)
    return nxt.date() if nxt else None


def _rrule(s: Tijdschema) -> dict[str, Any]:
    value: dict[str, Any] = {"freq": "WEEKLY" if s.frequentie == "wekelijks" else "MONTHLY"}
    if s.interval > 1:
        value["interval"] = s.interval
    value["byday"] = list(s.dagen)
    if s.frequentie == "wekelijks" and s.interval > 1:
        value["wkst"] = "MO"  # which weeks count depends on the week start; say it
    if s.geldig_tot:
        if s.van is None:
            value["until"] = s.geldig_tot
        else:
            end_of_day = datetime.combine(s.geldig_tot, time(23, 59, 59), tzinfo=TZ)
            value["until"] = end_of_day.astimezone(UTC)
    return value


# Control characters RFC 5545 does not allow in a value (3.1: all CTLs except HTAB), and the
# Unicode line and paragraph separators.
_CTL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_CTL_BUT_LF = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _line_text(text: str) -> str:
    """A value for a one-line property (a name, title or place): control characters and line
    breaks become spaces."""
    return _CTL.sub(" ", text) if _CTL.search(text) else text


def _multiline_text(text: str) -> str:
    """A value that may span lines (icalendar escapes LF as '\\n'): other control characters,
    CR among them, become spaces."""
    return _CTL_BUT_LF.sub(" ", text) if _CTL_BUT_LF.search(text) else text


def _event(uid: str, activity: Any, s: Tijdschema, day: date, stamp: datetime,
           url: str | None, location: str | None, description: str) -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("summary", _line_text(activity.titel))
    ev.add("dtstart", _start(s, day))
    end = _end(s, day)
    if end is not None:
        ev.add("dtend", end)
    if description:
        ev.add("description", _multiline_text(description))
    if location:
        ev.add("location", _line_text(location))
    if url:
        ev.add("url", _line_text(url))
    return ev


def _description(activity: Any, s: Tijdschema, day: date | None, url: str | None) -> str:
    """The summary, the event's own rule in Dutch (for a one-off event: its date only) and the
    link. No 'today': a calendar file is read for long."""
    parts = [activity.samenvatting.strip()]
    if day is not None:  # one event of a list of dates: that date, with the rule's note
        s = s.model_copy(update={"datums": [day], "niet_op": []})
    parts.append("\n".join(describe_all([s])))
    if url:
        parts.append(f"Meer informatie: {url}")
    return "\n\n".join(parts)


def _occurrence_starts(activity: Any) -> list[tuple[int, Tijdschema, date, bool]]:
    """(rule number, rule, first day, repeats) of each VEVENT of an activity, in file order."""
    if getattr(activity, "status", "actief") != "actief" or not activity.wanneer:
        return []
    since = known_since(activity) or date(2000, 1, 1)
    out: list[tuple[int, Tijdschema, date, bool]] = []
    for i, s in enumerate(activity.wanneer, start=1):
        if s.van is None:  # the time is unknown: no event (never an all-day one)
            continue
        if s.frequentie is None:
            out.extend((i, s, day, False) for day in schedule_days(s, date.min, date.max))
            continue
        first = _first_day(s, since)
        if first is not None:  # else the rule ended before it could take place
            out.append((i, s, first, True))
    return out


def has_events(activity: Any) -> bool:
    """Whether the activity gets an .ics file (it is 'actief' and something is still to come)."""
    return bool(_occurrence_starts(activity))


def activity_events(activity: Any, url: str | None, location_text: str | None,
                    uid_domain: str, dtstamp: datetime) -> list[Event]:
    """The VEVENTs of one activity (none for an activity that is not 'actief')."""
    starts = _occurrence_starts(activity)
    if not starts:
        return []
    stamp = _utc(dtstamp)
    base = _uid_base(activity)
    events: list[Event] = []
    for i, s, day, repeats in starts:
        if not repeats:
            events.append(_event(f"{base}-{i}-{day:%Y%m%d}@{uid_domain}", activity, s, day,
                                 stamp, url, location_text, _description(activity, s, day, url)))
            continue
        ev = _event(f"{base}-{i}@{uid_domain}", activity, s, day, stamp, url, location_text,
                    _description(activity, s, None, url))
        ev.add("rrule", _rrule(s))
        skipped = sorted({d for p in s.niet_op for d in pattern_days(s, p.van, p.last)
                          if d >= day})
        if skipped:
            ev.add("exdate", [_start(s, d) for d in skipped])
        events.append(ev)
    return events


@dataclass(frozen=True)
class EventBlock:
    """The serialized VEVENTs of one activity and the days they start on."""

    ical: bytes
    days: tuple[date, ...]


class Calendars:
    """Makes the .ics files of one build (or one gemeente's plan).

    Each activity's VEVENTs are serialized once and reused: its own file and the gemeente feed
    contain the same events. The VTIMEZONE is serialized once per date range (see
    ``_timezone_ical``). Everything is still produced by ``icalendar``; only the bytes of its
    components are put together here.
    """

    def __init__(self, uid_domain: str, dtstamp: datetime | None = None) -> None:
        self.uid_domain = uid_domain
        self.dtstamp = dtstamp
        self._blocks: dict[tuple[int, str | None, str | None], tuple[Any, EventBlock]] = {}

    def __fingerprint__(self) -> tuple[str, datetime | None]:
        """What its files depend on besides their arguments (site/fingerprint.py)."""
        return self.uid_domain, self.dtstamp

    def events(self, activity: Any, url: str | None, location_text: str | None) -> EventBlock:
        key = (id(activity), url, location_text)
        hit = self._blocks.get(key)
        if hit is not None and hit[0] is activity:
            return hit[1]
        stamp = self.dtstamp or _default_stamp([activity])
        events = activity_events(activity, url, location_text, self.uid_domain, stamp)
        block = EventBlock(b"".join(serialize(ev) for ev in events),
                           tuple(_as_date(ev.get("dtstart").dt) for ev in events))
        self._blocks[key] = (activity, block)  # the activity is kept so its id stays unique
        return block

    def forget_others(self, activities: Iterable[Any]) -> None:
        """Drop the events of activities not in ``activities`` (replaced or removed ones)."""
        kept = {id(a) for a in activities}
        self._blocks = {k: v for k, v in self._blocks.items() if k[0] in kept}

    def activity_calendar(self, activity: Any, url: str | None,
                          location_text: str | None) -> bytes | None:
        block = self.events(activity, url, location_text)
        if not block.days:
            return None
        return _calendar(activity.titel, [block], activity.samenvatting)

    def gemeente_feed(self, activities: Iterable[Any], name: str,
                      url_for: Callable[[Any], str | None] | None = None,
                      location_for: Callable[[Any], str | None] | None = None) -> bytes:
        acts = sorted(activities, key=_uid_base)
        if self.dtstamp is None:  # one stamp for the whole feed
            return Calendars(self.uid_domain, _default_stamp(acts)).gemeente_feed(
                acts, name, url_for, location_for)
        blocks = [self.events(a, url_for(a) if url_for else None,
                              location_for(a) if location_for else None) for a in acts]
        return _calendar(name, blocks)


def _calendar(name: str, blocks: list[EventBlock], description: str | None = None) -> bytes:
    days = [d for b in blocks for d in b.days]
    first = date(min(days).year, 1, 1) if days else date(2000, 1, 1)
    last = max([_TZ_LAST] + [date(d.year + 2, 1, 1) for d in days])
    opening, closing = _fixed_properties()
    # The components follow the calendar's properties, as Calendar.to_ical() would put them.
    return b"".join([opening, _inner(_named_calendar(name, description)), closing,
                     _timezone_ical(first, last), *(b.ical for b in blocks),
                     b"END:VCALENDAR\r\n"])


def _named_calendar(name: str, description: str | None) -> Calendar:
    cal = Calendar()
    if description:  # not escaped as TEXT by icalendar: one line
        cal.add("description", _line_text(description))
        cal.add("x-wr-caldesc", _line_text(description))
    cal.add("name", _line_text(name))
    cal.add("x-wr-calname", _line_text(name))
    return cal


def _inner(component: Calendar) -> bytes:
    """The property lines of a serialized component, without its BEGIN and END lines."""
    text = serialize(component)
    begin, end = b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n"
    assert text.startswith(begin) and text.endswith(end)
    return text[len(begin):-len(end)]


FOLD_LIMIT = 75  # octets per line; icalendar folds before a line would reach this


def fold(line: str) -> bytes:
    """One content line, encoded and folded exactly as ``icalendar`` folds it.

    icalendar 7 walks every character of every line in Python, which was the largest single
    cost of writing the .ics files. This works on the UTF-8 bytes: pieces of at most 74 octets,
    never split inside a character, and (as icalendar does, see its issue #1501) a backslash or
    caret that would end a piece moves to the next one. ``tests/test_ical.py`` checks that the
    result equals icalendar's own folding.
    """
    data = line.encode("utf-8")
    size = len(data)
    if size < FOLD_LIMIT:
        return data
    pieces = []
    start = 0
    while size - start >= FOLD_LIMIT:
        end = start + FOLD_LIMIT - 1
        while data[end] & 0xC0 == 0x80:  # a continuation byte: back to the character start
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def serialize(component: Any) -> bytes:
    """``component.to_ical()``: icalendar makes the content lines, ``fold`` folds them.

    A content line never holds a raw CR, LF or other control character (a value with one would
    end the line and start a property of its own): should one get through, it becomes a space.
    """
    return b"".join(fold(_line_text(line)) + b"\r\n"
                    for line in component.content_lines() if line)


@lru_cache(maxsize=1)
def _fixed_properties() -> tuple[bytes, bytes]:
    """The serialized properties that every calendar file has: those icalendar puts before the
    name and description, and those it puts after them. Made once; a file adds its own name."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # The site is rebuilt daily; subscribed calendars may refresh as often.
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    lines = _inner(cal).split(b"\r\n")
    split = next(i for i, line in enumerate(lines) if line.startswith(b"REFRESH-INTERVAL"))
    return (b"BEGIN:VCALENDAR\r\n" + b"".join(line + b"\r\n" for line in lines[:split]),
            b"".join(line + b"\r\n" for line in lines[split:] if line))


@lru_cache(maxsize=32)
def _timezone_ical(first: date, last: date) -> bytes:
    """The VTIMEZONE of Europe/Amsterdam for events between these dates, serialized."""
    return serialize(Timezone.from_tzid(TIMEZONE, first_date=first, last_date=last))


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def activity_calendar(activity: Any, url: str | None, location_text: str | None,
                      uid_domain: str, dtstamp: datetime | None = None) -> bytes | None:
    """The .ics file of one activity, or None when it has no schedule or is not 'actief'."""
    return Calendars(uid_domain, dtstamp).activity_calendar(activity, url, location_text)


def gemeente_feed(activities: Iterable[Any], name: str, uid_domain: str,
                  dtstamp: datetime | None = None,
                  url_for: Callable[[Any], str | None] | None = None,
                  location_for: Callable[[Any], str | None] | None = None) -> bytes:
    """One calendar with the events of every active activity of a gemeente.

    Activities are ordered by gemeente and slug so the file is the same for the same content.
    The feed is always a valid calendar, also when no activity has a schedule.
    """
    return Calendars(uid_domain, dtstamp).gemeente_feed(activities, name, url_for, location_for)


__all__ = ["Calendars", "activity_calendar", "activity_events", "gemeente_feed", "has_events",
           "PRODID"]
