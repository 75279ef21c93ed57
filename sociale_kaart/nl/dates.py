"""Dates and times in Dutch, as the Taalunie writes them: '5 december 2026', '9.30',
'10.00–11.30 uur' (an en dash), lower-case day and month names.

When a year is shown (``today`` is the build date): without ``today`` every date carries its
year (safe for text that is read much later); with ``today`` a date carries its year only
when it lies more than half a year (182 days) from ``today``. A reader takes a date without a
year as the nearest such date, so "3 januari" read in November is the coming one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time

from sociale_kaart.nl.words import DAY_NAMES, MONTH_NAMES, join_nl

EN_DASH = "\u2013"
NEAR_DAYS = 182  # half a year: dates closer than this to today are shown without their year
_MONTH_NUMBER = {name: n for n, name in enumerate(MONTH_NAMES, start=1)}
_WRITTEN_DATE = re.compile(r"(\d{1,2}) ([a-z]+) (\d{4})")


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


def parse_date(text: str) -> date | None:
    """'5 december 2026' (in any case) -> date(2026, 12, 5): a date as ``format_date`` writes it
    with its year; None for any other text and for a day that does not exist."""
    m = _WRITTEN_DATE.fullmatch(text.casefold())
    if m is None or m.group(2) not in _MONTH_NUMBER:
        return None
    try:
        return date(int(m.group(3)), _MONTH_NUMBER[m.group(2)], int(m.group(1)))
    except ValueError:
        return None


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


def format_source_date(value: str) -> str:
    """The date of a source document as a reader cites it: '2023' -> '2023', '2023-07' and
    '2023-07-07' -> 'juli 2023' (a publication is cited by month and year)."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    return f"{MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
