"""Schedules expanded into concrete occurrences, the agenda, week tables and "Nu open" data.

Expansion uses python-dateutil's ``rrule`` on dates; each date is then combined with the rule's
wall-clock times in Europe/Amsterdam, so 10:00 stays 10:00 on both sides of a daylight-saving
change (the UTC offset changes instead). ``ical.py`` writes the same rules as RRULEs, and the
tests check that calendar software expands those to exactly these occurrences.

Rules, as in RFC 5545:

* ``geldig_vanaf`` is DTSTART: with an interval ("om de week") the weeks or months are counted
  from it; ``geldig_tot`` is the last day (inclusive).
* ``2MO`` is the second Monday of the month and ``-1FR`` the last Friday; a month without a
  fifth Monday simply has no occurrence for ``5MO``.
* ``niet_op`` days and periods are left out; one-off ``datums`` are occurrences on their own.
* Windows are inclusive: ``occurrences(s, start, end)`` includes both ``start`` and ``end``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from sociale_kaart.model.schedule import TIMEZONE, TZ, Tijdschema
from sociale_kaart.nl.dates import format_date, format_time, format_time_range, table_time_range
from sociale_kaart.nl.schedule_text import day_label, qualifier
from sociale_kaart.nl.words import DAY_NAMES, RFC_DAYS, Dagdeel, dagdeel, join_nl


@dataclass(frozen=True)
class Occurrence:
    """One concrete time something takes place.

    ``start`` is an aware datetime in Europe/Amsterdam; for a rule without times it is midnight
    and ``all_day`` is True (the time is unknown: "neem contact op"). ``end`` is None when the
    rule has no end time. ``schedule_index`` is the rule's position in its list, ``note`` its
    ``toelichting``.
    """

    start: datetime
    end: datetime | None
    all_day: bool
    schedule_index: int
    note: str | None = None

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def dagdeel(self) -> Dagdeel | None:
        return None if self.all_day else dagdeel(self.start.timetz().replace(tzinfo=None))

    @property
    def time_text(self) -> str:
        """'10.00–11.30 uur', 'vanaf 10.00 uur' or '' (all day)."""
        if self.all_day:
            return ""
        return format_time_range(self.start.time(), self.end.time() if self.end else None)

    @property
    def sort_key(self) -> tuple:
        # Timed occurrences first, by start; then those with unknown times.
        return (self.date, self.all_day, self.start, self.end or self.start, self.schedule_index)


# --------------------------------------------------------------------------- expansion

def _by_weekday(s: Tijdschema) -> list[weekday]:
    out = []
    for pos, code in s.positioned_days:
        wd = weekday(RFC_DAYS.index(code))
        out.append(wd(pos) if pos is not None else wd)
    return out


def rule(s: Tijdschema, anchor: date) -> rrule:
    """The dateutil rrule (on dates at midnight) of a recurring schedule.

    With an interval, DTSTART is ``geldig_vanaf`` (the weeks or months count from it). With
    interval 1 the start does not change the pattern, so DTSTART is ``anchor`` (the first day
    of the window, never before ``geldig_vanaf``) and no time is spent on earlier years.
    """
    if s.frequentie is None:
        raise ValueError("a rule of one-off dates has no rrule")
    if s.interval > 1 and s.geldig_vanaf is not None:
        start = s.geldig_vanaf
    else:
        start = max(anchor, s.geldig_vanaf) if s.geldig_vanaf else anchor
    until = datetime.combine(s.geldig_tot, time(0)) if s.geldig_tot else None
    return rrule(WEEKLY if s.frequentie == "wekelijks" else MONTHLY, interval=s.interval,
                 byweekday=_by_weekday(s), wkst=0, dtstart=datetime.combine(start, time(0)),
                 until=until)


def pattern_days(s: Tijdschema, start: date, end: date) -> list[date]:
    """Days in [start, end] on which the rule falls, ``niet_op`` not yet applied."""
    if end < start:
        return []
    if s.frequentie is None:
        return sorted(d for d in s.datums if start <= d <= end and s.valid_on(d))
    lo = max(start, s.geldig_vanaf) if s.geldig_vanaf else start
    hi = min(end, s.geldig_tot) if s.geldig_tot else end
    if hi < lo:
        return []
    r = rule(s, lo)
    return [dt.date() for dt in r.between(datetime.combine(lo, time(0)),
                                          datetime.combine(hi, time(0)), inc=True)]


def schedule_days(s: Tijdschema, start: date, end: date) -> list[date]:
    """Days in [start, end] on which the rule takes place (``niet_op`` applied)."""
    return [d for d in pattern_days(s, start, end) if not s.excluded(d)]


def make_occurrence(s: Tijdschema, day: date, index: int = 0) -> Occurrence:
    if s.van is None:
        return Occurrence(datetime.combine(day, time(0), tzinfo=TZ), None, True, index,
                          s.toelichting)
    end = datetime.combine(day, s.tot, tzinfo=TZ) if s.tot else None
    return Occurrence(datetime.combine(day, s.van, tzinfo=TZ), end, False, index, s.toelichting)


def occurrences(schedules: Sequence[Tijdschema], start: date, end: date) -> list[Occurrence]:
    """Every occurrence of the rules that starts on a day in [start, end], in time order."""
    out = [make_occurrence(s, d, i)
           for i, s in enumerate(schedules) for d in schedule_days(s, start, end)]
    return sorted(out, key=lambda o: o.sort_key)


def next_occurrence(schedules: Sequence[Tijdschema], today: date,
                    horizon_days: int = 400) -> Occurrence | None:
    """The first occurrence on or after ``today`` (within ``horizon_days``), if any."""
    found = occurrences(schedules, today, today + timedelta(days=horizon_days))
    return found[0] if found else None


# --------------------------------------------------------------------------- agenda

def _entry_name(entry: Any) -> tuple[str, str]:
    name = getattr(entry, "naam", None) or getattr(entry, "titel", None) or ""
    return (str(name).casefold(), getattr(entry, "slug", ""))


@dataclass(frozen=True)
class AgendaItem:
    """An entry (activity) with one of its occurrences."""

    entry: Any
    occurrence: Occurrence

    @property
    def start(self) -> datetime:
        return self.occurrence.start

    @property
    def end(self) -> datetime | None:
        return self.occurrence.end

    @property
    def all_day(self) -> bool:
        return self.occurrence.all_day

    @property
    def dagdeel(self) -> Dagdeel | None:
        return self.occurrence.dagdeel

    @property
    def time_text(self) -> str:
        return self.occurrence.time_text

    @property
    def note(self) -> str | None:
        return self.occurrence.note


@dataclass(frozen=True)
class AgendaDay:
    """One day of the agenda: ``label`` is 'Vandaag', 'Morgen' or 'woensdag 25 november'."""

    date: date
    label: str
    date_text: str  # always the date: 'woensdag 25 november'
    occurrences: tuple[AgendaItem, ...]

    def __len__(self) -> int:
        return len(self.occurrences)

    @property
    def weekday(self) -> str:
        return DAY_NAMES[self.date.weekday()]


def _is_active(entry: Any) -> bool:
    return getattr(entry, "status", "actief") == "actief"


def agenda_days(items: Iterable[tuple[Any, Sequence[Tijdschema]]], today: date,
                days: int = 14) -> list[AgendaDay]:
    """The coming ``days`` days from ``today`` (inclusive), every day even when empty.

    ``items`` are (entry, schedules) pairs; entries with a ``status`` other than 'actief' are
    left out. Within a day, occurrences with a time come first, by start time, then by name;
    occurrences without a time (all day, "neem contact op") follow, by name.
    """
    end = today + timedelta(days=days - 1)
    return agenda_of_occurrences(((entry, occurrences(schedules, today, end))
                                  for entry, schedules in items if _is_active(entry)),
                                 today, days)


def agenda_of_occurrences(items: Iterable[tuple[Any, Sequence[Occurrence]]], today: date,
                          days: int = 14) -> list[AgendaDay]:
    """``agenda_days`` from occurrences computed before, e.g. for a longer period.

    ``items`` are (entry, occurrences) pairs; occurrences outside the ``days`` from ``today``
    are left out. The caller leaves out entries that are not 'actief'.
    """
    end = today + timedelta(days=days - 1)
    per_day: dict[date, list[AgendaItem]] = {today + timedelta(days=i): [] for i in range(days)}
    for entry, found in items:
        for occ in found:
            if today <= occ.date <= end:
                per_day[occ.date].append(AgendaItem(entry, occ))
    out = []
    for day, day_items in per_day.items():
        day_items.sort(key=lambda it: (it.all_day, it.start, _entry_name(it.entry),
                                       it.end or it.start, it.occurrence.schedule_index))
        out.append(AgendaDay(day, day_label(day, today), format_date(day, today, weekday=True),
                             tuple(day_items)))
    return out


def filter_agenda(days: Sequence[AgendaDay], dagdeel: str | None = None,
                  thema: str | None = None) -> list[AgendaDay]:
    """The agenda limited to one dagdeel and/or one theme (slug in ``entry.themas``).

    Occurrences without a time belong to no dagdeel, so a dagdeel filter leaves them out.
    """
    out = []
    for day in days:
        kept = tuple(it for it in day.occurrences
                     if (dagdeel is None or it.dagdeel == dagdeel)
                     and (thema is None or thema in (getattr(it.entry, "themas", None) or ())))
        out.append(replace(day, occurrences=kept))
    return out


# --------------------------------------------------------------------------- opening hours

@dataclass(frozen=True)
class WeekRow:
    """One row of a place's week table.

    ``hours`` are the regular hours for that weekday ('09.00–17.00', or with a qualifier such
    as '14.00–16.00 (tweede maandag van de maand)'); empty means closed. ``date`` is the date
    of this weekday within the seven days from today; ``note`` tells when that date differs
    from the regular hours ('Gesloten op 25 december (Kerstmis)', 'Op 20 december: 13.00–16.00').
    """

    weekday: int
    day: str
    date: date
    hours: tuple[str, ...]
    note: str | None
    is_today: bool

    @property
    def closed(self) -> bool:
        return not self.hours


def _hours_text(s: Tijdschema) -> str:
    return table_time_range(s.van, s.tot) or "open, tijden onbekend"


def week_table(openingstijden: Sequence[Tijdschema], today: date) -> list[WeekRow]:
    """Rows maandag .. zondag with the hours that apply in the seven days from ``today``.

    A recurring rule counts for a weekday when its validity (geldig_vanaf .. geldig_tot)
    includes that weekday's date in the coming seven days, so summer hours replace winter
    hours in the week they start. Exceptions and one-off dates do not change the regular
    hours but give the row a note.
    """
    # The days each rule falls on in these seven days (``niet_op`` not applied), for the notes.
    week = [pattern_days(s, today, today + timedelta(days=6)) for s in openingstijden]
    rows = []
    for offset in range(7):
        d = today + timedelta(days=offset)
        hours: list[str] = []
        for s in openingstijden:
            if s.frequentie is None or not s.valid_on(d):
                continue
            if not any(code == RFC_DAYS[d.weekday()] for _, code in s.positioned_days):
                continue
            qual = qualifier(s)
            text = _hours_text(s)
            hours.append(f"{text} ({qual})" if qual else text)
        rows.append(WeekRow(d.weekday(), DAY_NAMES[d.weekday()], d, tuple(hours),
                            _day_note(openingstijden, week, d, today), d == today))
    return sorted(rows, key=lambda r: r.weekday)


def _day_note(openingstijden: Sequence[Tijdschema], week: list[list[date]], d: date,
              today: date) -> str | None:
    firing = [s for s, days in zip(openingstijden, week, strict=True) if d in days]
    excluded = [s for s in firing if s.excluded(d)]
    one_off = [s for s in firing if s.frequentie is None and not s.excluded(d)]
    if not excluded and not one_off:
        return None
    actual = [_hours_text(s) for s in firing if not s.excluded(d)]
    when = format_date(d, today)
    if not actual:
        reasons = [p.reden for s in excluded for p in s.niet_op if p.contains(d) and p.reden]
        return f"Gesloten op {when}" + (f" ({reasons[0]})" if reasons else "")
    return f"Op {when}: {join_nl(actual)}"


def opening_json(openingstijden: Sequence[Tijdschema]) -> dict[str, Any]:
    """The opening hours as plain data for ``nu-open.js`` (JSON-serialisable).

    ``weekday`` is 0 for Monday; ``pos`` is the position in the month (2 = second, -1 = last)
    or null; dates are ISO strings; times 'HH:MM'; ``except`` holds inclusive [from, to] pairs.
    """
    rules = []
    for s in openingstijden:
        rules.append({
            "freq": {"wekelijks": "weekly", "maandelijks": "monthly", None: "dates"}[s.frequentie],
            "interval": s.interval,
            "days": [{"weekday": RFC_DAYS.index(code), "pos": pos}
                     for pos, code in s.positioned_days],
            "dates": [d.isoformat() for d in sorted(s.datums)],
            "opens": s.van.strftime("%H:%M") if s.van else None,
            "closes": s.tot.strftime("%H:%M") if s.tot else None,
            "from": s.geldig_vanaf.isoformat() if s.geldig_vanaf else None,
            "until": s.geldig_tot.isoformat() if s.geldig_tot else None,
            "except": [[p.van.isoformat(), p.last.isoformat()] for p in s.niet_op],
        })
    return {"timezone": TIMEZONE, "rules": rules}


@dataclass(frozen=True)
class OpenStatus:
    """Whether a place is open at a moment: state is 'open', 'gesloten' or 'onbekend'."""

    state: Literal["open", "gesloten", "onbekend"]
    until: time | None = None       # when open: closing time
    opens_later: time | None = None  # when closed: the next opening time today, if any

    @property
    def text(self) -> str:
        """The text ``nu-open.js`` shows; '' when it cannot be known."""
        if self.state == "open":
            return f"Nu open (tot {format_time(self.until)} uur)" if self.until else "Nu open"
        if self.state == "gesloten":
            if self.opens_later:
                return f"Nu gesloten (vandaag open vanaf {format_time(self.opens_later)} uur)"
            return "Nu gesloten"
        return ""


def open_status(openingstijden: Sequence[Tijdschema], moment: datetime) -> OpenStatus:
    """The Python twin of ``nu-open.js`` (the tests check that both agree).

    A day's rule without times, or a start time without an end time once that time has passed,
    makes the state 'onbekend': the page then says nothing rather than something wrong.
    """
    local = moment.astimezone(TZ)
    day, now = local.date(), local.time().replace(tzinfo=None, second=0, microsecond=0)
    unknown = False
    until: time | None = None
    later: list[time] = []
    spans: list[tuple[time, time]] = []
    for occ in occurrences(openingstijden, day, day):
        if occ.all_day:
            unknown = True
            continue
        opens = occ.start.time()
        closes = occ.end.time() if occ.end else None
        if closes is not None:
            spans.append((opens, closes))
        if now < opens:
            later.append(opens)
        elif closes is None:
            unknown = True
        elif now < closes:
            until = max(until, closes) if until else closes
    if until is not None:
        # 09.00–12.00 and 12.00–17.00 are open until 17.00
        extended = True
        while extended:
            extended = False
            for opens, closes in spans:
                if opens <= until < closes:
                    until, extended = closes, True
        return OpenStatus("open", until=until)
    if unknown:
        return OpenStatus("onbekend")
    return OpenStatus("gesloten", opens_later=min(later) if later else None)


__all__ = ["Occurrence", "AgendaDay", "AgendaItem", "WeekRow", "OpenStatus",
           "occurrences", "next_occurrence", "schedule_days", "pattern_days", "rule",
           "make_occurrence", "agenda_days", "filter_agenda", "week_table", "opening_json",
           "open_status"]
