"""Dutch wording for schedules, generated from the model and never written by hand.

Examples (with ``today`` = 20 August 2025)::

    Elke dinsdag, 10.00–11.30 uur
    Elke dinsdag en donderdag, 10.00–11.30 uur
    Om de week op donderdag, 19.30–21.00 uur (vanaf 4 september)
    Eens in de drie weken op maandag, vanaf 14.00 uur
    Elke tweede maandag van de maand, 14.00–16.00 uur
    Elke laatste vrijdag van de maand
    Op zaterdag 5 december 2026, 14.00–16.00 uur
    Niet van 21 december tot en met 3 januari (kerstvakantie)

Conventions (Taalunie): times as ``9.30`` and ``14.00`` with ``uur`` after a time or range,
ranges with an en dash (``10.00–11.30 uur``), lower-case day and month names, days in week
order starting on Monday, three or more consecutive days as ``maandag tot en met vrijdag``.

When a year is shown (``today`` is the build date):

* without ``today`` every date carries its year (safe for text that is read much later);
* with ``today`` a date carries its year only when it lies more than half a year (182 days)
  from ``today``. A reader takes a date without a year as the nearest such date, so "3 januari"
  read in November is the coming one and "4 september" read in November the past one;
* a range or list whose dates all fall in one year writes that year once, at the end
  ("van 1 juli tot en met 31 augustus 2027").

Also with ``today``: a start date (``geldig_vanaf``) in the past is left out for rules that
repeat every week or month (it no longer tells the reader anything), but kept for rules with an
interval ("om de week"), where it says which weeks; one-off dates and exceptions that are over
are left out; if every one-off date is over the text says "Was op ...".

A text shows at most ``SHOWN_DATES`` one-off dates of a rule and ``SHOWN_EXCEPTIONS`` of its
exceptions (the first ones), and then says how many more there are ("en nog 38 andere
datums"). The sentences are on every card of an activity, on every list it is on: without a
limit a long list of dates would be repeated on each of those pages. The calendar (.ics) and
the HSDS export have every date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sociale_kaart.nl.dates import format_date, format_dates, format_period, format_time, format_time_range
from sociale_kaart.nl.words import DAY_NAMES, RFC_DAYS, join_nl, number_word, ordinal

if TYPE_CHECKING:  # nl/ is below model/: it reads schedules, it does not import them
    from sociale_kaart.model.schedule import Periode, Tijdschema

SHOWN_DATES = 10  # one-off dates written out per rule; the rest is counted
SHOWN_EXCEPTIONS = 5  # exceptions ('niet_op') written out per rule; the rest is counted


# --------------------------------------------------------------------------- small pieces


# --------------------------------------------------------------------------- days

def _weekday_runs(indexes: list[int]) -> list[str]:
    """[0, 1, 2, 3, 5] -> ['maandag tot en met donderdag', 'zaterdag']."""
    runs: list[list[int]] = []
    for i in sorted(set(indexes)):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[str] = []
    for run in runs:
        if len(run) >= 3:
            out.append(f"{DAY_NAMES[run[0]]} tot en met {DAY_NAMES[run[-1]]}")
        else:
            out.extend(DAY_NAMES[i] for i in run)
    return out


def weekly_days_text(s: Tijdschema) -> str:
    """'dinsdag en donderdag', 'maandag tot en met vrijdag', or 'dag' for all seven days."""
    indexes = sorted({RFC_DAYS.index(code) for _, code in s.positioned_days})
    if len(indexes) == 7:
        return "dag"
    return join_nl(_weekday_runs(indexes))


def monthly_days_text(s: Tijdschema) -> str:
    """'tweede maandag', 'eerste en derde maandag', 'eerste maandag en laatste vrijdag'."""
    groups: dict[str, list[int]] = {}
    for pos, code in s.positioned_days:
        groups.setdefault(code, []).append(pos if pos is not None else 1)
    parts = []
    for code in sorted(groups, key=RFC_DAYS.index):
        # first, second, ... then counted from the end: voorlaatste (-2) before laatste (-1)
        positions = sorted(p for p in groups[code] if p > 0) + \
            sorted(p for p in groups[code] if p < 0)
        parts.append(f"{join_nl([ordinal(p) for p in positions])} "
                     f"{DAY_NAMES[RFC_DAYS.index(code)]}")
    return join_nl(parts)


# --------------------------------------------------------------------------- rules

def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def rhythm(s: Tijdschema) -> str:
    """How often a rule repeats, when not every week or month: 'om de week', 'eens in de drie
    weken', 'om de maand', 'eens in de vier maanden'; '' for every week or month."""
    unit, units = ("week", "weken") if s.frequentie == "wekelijks" else ("maand", "maanden")
    if s.interval == 1:
        return ""
    if s.interval == 2:
        return f"om de {unit}"
    return f"eens in de {number_word(s.interval)} {units}"


def _pattern(s: Tijdschema) -> str:
    if s.frequentie == "wekelijks":
        days = weekly_days_text(s)
        if s.interval == 1:
            return f"elke {days}"
        return f"{rhythm(s)} {'elke dag' if days == 'dag' else f'op {days}'}"
    days = monthly_days_text(s)
    if s.interval == 1:
        return f"elke {days} van de maand"
    return f"{rhythm(s)} op de {days}"


def qualifier(s: Tijdschema) -> str:
    """What a row of the week table adds to the hours of a rule that is not simply weekly:
    'om de week', 'tweede maandag van de maand', 'om de maand, eerste dinsdag'."""
    if s.frequentie == "maandelijks":
        days = monthly_days_text(s)
        return f"{days} van de maand" if s.interval == 1 else f"{rhythm(s)}, {days}"
    return rhythm(s)


def _validity(s: Tijdschema, today: date | None) -> str:
    vanaf = s.geldig_vanaf
    if vanaf is not None and s.interval == 1 and today is not None and vanaf <= today:
        vanaf = None
    tot = s.geldig_tot
    if vanaf is not None and tot is not None:
        return f" ({format_period(vanaf, tot, today)})"
    if vanaf is not None:
        return f" (vanaf {format_date(vanaf, today)})"
    if tot is not None:
        return f" (tot en met {format_date(tot, today)})"
    return ""


def one_off_dates(s: Tijdschema, today: date | None = None) -> list[date]:
    """The one-off dates of a rule that still count: not excluded, and not over (with today)."""
    dates = sorted(d for d in s.datums if not s.excluded(d))
    if today is not None:
        dates = [d for d in dates if d >= today]
    return dates


def describe(s: Tijdschema, today: date | None = None) -> str:
    """One rule in Dutch, such as 'Elke dinsdag, 10.00–11.30 uur'. See the module docstring."""
    times = format_time_range(s.van, s.tot)
    if s.frequentie is None:
        dates = one_off_dates(s, today)
        prefix = "Op"
        if not dates:
            # Everything is over (or excluded): say what it was, all dates with their year.
            dates, prefix, today = sorted(s.datums), "Was op", None
        shown = dates[:SHOWN_DATES]
        text = f"{prefix} {format_dates(shown, today, weekday=True, more=len(dates) - len(shown))}"
        return text + (f", {times}" if times else "")
    text = _capitalise(_pattern(s))
    validity = _validity(s, today)
    if s.van is not None and s.tot is None and validity.startswith(" (vanaf"):
        times = f"om {format_time(s.van)} uur"  # not "vanaf 14.00 uur (vanaf 1 september)"
    if times:
        text += f", {times}"
    return text + validity


def describe_exception(p: Periode, today: date | None = None) -> str:
    """'Niet op 25 december', 'Niet van 21 december tot en met 3 januari (kerstvakantie)'."""
    if p.tot is None or p.tot == p.van:
        text = f"Niet op {format_date(p.van, today)}"
    else:
        text = f"Niet {format_period(p.van, p.tot, today)}"
    return text + (f" ({p.reden})" if p.reden else "")


def describe_exceptions(s: Tijdschema, today: date | None = None) -> list[str]:
    """The rule's ``niet_op`` in Dutch, in date order; with ``today`` only those not yet over.

    One-off rules give none: their excluded dates are already left out of ``describe``. After
    ``SHOWN_EXCEPTIONS`` the rest is counted in one sentence.
    """
    if s.frequentie is None:
        return []
    periods = sorted(s.niet_op, key=lambda p: (p.van, p.last))
    if today is not None:
        periods = [p for p in periods if p.last >= today]
    lines = [describe_exception(p, today) for p in periods[:SHOWN_EXCEPTIONS]]
    rest = len(periods) - SHOWN_EXCEPTIONS
    if rest > 0:
        lines.append(f"En nog {rest} {'andere dag of periode' if rest == 1 else 'andere dagen of periodes'} "
                     "waarop het niet doorgaat")
    return lines


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def describe_all(schedules: Iterable[Tijdschema], today: date | None = None) -> list[str]:
    """One line per rule: the rule, its exceptions and its note, as full sentences.

    ['Elke woensdag, 19.30–21.00 uur. Niet van 21 december tot en met 3 januari
    (kerstvakantie).'] — for print (the booklet) and plain-text use. An empty list means no
    schedule; the page then says 'Dagen en tijden: vraag het na bij ...' (site/views.next_step).
    """
    lines = []
    for s in schedules:
        parts = [describe(s, today), *describe_exceptions(s, today)]
        if s.toelichting:
            parts.append(s.toelichting)
        lines.append(" ".join(_sentence(p) for p in parts))
    return lines


def day_label(day: date, today: date) -> str:
    """'Vandaag', 'Morgen', else 'woensdag 25 november' (year only when far away)."""
    if day == today:
        return "Vandaag"
    if day == today + timedelta(days=1):
        return "Morgen"
    return format_date(day, today, weekday=True)


__all__ = ["describe", "describe_exception", "describe_exceptions", "describe_all", "day_label",
           "one_off_dates", "weekly_days_text", "monthly_days_text", "rhythm", "qualifier"]
