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

from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta

from sociale_kaart.model.schedule import DAY_NAMES, MONTH_NAMES, RFC_DAYS, Periode, Tijdschema

EN_DASH = "\u2013"
SHOWN_DATES = 10  # one-off dates written out per rule; the rest is counted
SHOWN_EXCEPTIONS = 5  # exceptions ('niet_op') written out per rule; the rest is counted
NEAR_DAYS = 182  # half a year: dates closer than this to today are shown without their year

_NUMBER_WORDS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht",
                 9: "negen", 10: "tien", 11: "elf", 12: "twaalf"}
_ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde",
             -1: "laatste", -2: "voorlaatste", -3: "op twee na laatste",
             -4: "op drie na laatste", -5: "op vier na laatste"}


# --------------------------------------------------------------------------- small pieces

def join_nl(items: Sequence[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a en b'; ['a', 'b', 'c'] -> 'a, b en c'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " en " + items[-1]


def number_word(n: int) -> str:
    """2 -> 'twee' ... 12 -> 'twaalf'; larger numbers as digits (easier to read)."""
    return _NUMBER_WORDS.get(n, str(n))


def format_time(t: time) -> str:
    """time(9, 30) -> '9.30'; time(14, 0) -> '14.00'."""
    return f"{t.hour}.{t.minute:02d}"


def format_time_range(van: time | None, tot: time | None) -> str:
    """'10.00–11.30 uur', 'vanaf 10.00 uur', or '' without times."""
    if van is None:
        return ""
    if tot is None:
        return f"vanaf {format_time(van)} uur"
    return f"{format_time(van)}{EN_DASH}{format_time(tot)} uur"


def table_time_range(van: time | None, tot: time | None) -> str:
    """For tables, with leading zeros so columns line up: '09.00–17.00', 'vanaf 09.00'."""
    if van is None:
        return ""
    if tot is None:
        return f"vanaf {van:%H.%M}"
    return f"{van:%H.%M}{EN_DASH}{tot:%H.%M}"


def needs_year(d: date, today: date | None) -> bool:
    """Whether ``d`` must be written with its year (see the module docstring)."""
    return today is None or abs((d - today).days) > NEAR_DAYS


def format_date(d: date, today: date | None = None, *, weekday: bool = False,
                year: bool | None = None) -> str:
    """'5 december', '5 december 2026' or 'zaterdag 5 december 2026'.

    ``year`` forces the year on (True) or off (False); by default ``needs_year`` decides.
    """
    show_year = needs_year(d, today) if year is None else year
    text = f"{d.day} {MONTH_NAMES[d.month - 1]}" + (f" {d.year}" if show_year else "")
    return f"{DAY_NAMES[d.weekday()]} {text}" if weekday else text


def format_dates(dates: Sequence[date], today: date | None = None, *,
                 weekday: bool = False, more: int = 0) -> str:
    """A list of dates in Dutch; one shared year is written once, after the last date.

    ``more``: the number of dates left out, said at the end ("en nog 3 andere datums").
    """
    dates = sorted(dates)
    if not dates:
        return ""
    show = any(needs_year(d, today) for d in dates)
    one_year = len({d.year for d in dates}) == 1
    parts = []
    for i, d in enumerate(dates):
        last = i == len(dates) - 1
        parts.append(format_date(d, today, weekday=weekday,
                                 year=show and (last or not one_year)))
    if more:
        return f"{', '.join(parts)} en nog {more} andere {'datum' if more == 1 else 'datums'}"
    return join_nl(parts)


def format_period(van: date, tot: date, today: date | None = None) -> str:
    """'van 21 december tot en met 3 januari' (both inclusive)."""
    show = needs_year(van, today) or needs_year(tot, today)
    same_year = van.year == tot.year
    return (f"van {format_date(van, year=show and not same_year)} "
            f"tot en met {format_date(tot, year=show)}")


def _ordinal(pos: int) -> str:
    return _ORDINALS[pos]


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
        parts.append(f"{join_nl([_ordinal(p) for p in positions])} "
                     f"{DAY_NAMES[RFC_DAYS.index(code)]}")
    return join_nl(parts)


# --------------------------------------------------------------------------- rules

def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pattern(s: Tijdschema) -> str:
    if s.frequentie == "wekelijks":
        days = weekly_days_text(s)
        if s.interval == 1:
            return f"elke {days}"
        on = "elke dag" if days == "dag" else f"op {days}"
        if s.interval == 2:
            return f"om de week {on}"
        return f"eens in de {number_word(s.interval)} weken {on}"
    days = monthly_days_text(s)
    if s.interval == 1:
        return f"elke {days} van de maand"
    if s.interval == 2:
        return f"om de maand op de {days}"
    return f"eens in de {number_word(s.interval)} maanden op de {days}"


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
    schedule; the template then says 'Tijden: neem contact op'.
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
           "format_date", "format_dates", "format_period", "format_time", "format_time_range",
           "table_time_range", "join_nl", "needs_year", "number_word", "one_off_dates",
           "weekly_days_text", "monthly_days_text", "EN_DASH"]
