"""When information is out of date: the one rule that ``check``, the pages, ``rapport`` and the
weekly issue of stale entries use.

A source is not a check. An entry counts from:

* ``controle``: the day someone confirmed it with the organisation (``laatst_gecontroleerd``,
  with ``gecontroleerd_door``), when there is one;
* ``bron``: else the date of its newest dated source (``bron[].datum``, as precise as the
  document: "2023" counts from 1 January 2023, "2023-07" from 1 July);
* ``onbekend``: else nothing. Nobody confirmed it and its sources have no date, so it is
  always due for a check.

It is stale when that day lies more than its term before today: the
``controle_termijn_maanden`` of its gemeente. An organisation has no gemeente folder of its own
but is shown in every gemeente it serves; it takes the shortest term of those (the strictest
gemeente decides), and 12 months when it is in none.

``Freshness.uitleg`` says in Dutch which of the three it is ("niet nagevraagd; de bron is van
juli 2023"); pages, warnings and the report all use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from dateutil.relativedelta import relativedelta

from sociale_kaart.model.fields import bron_datum_first_day
from sociale_kaart.nl.dates import format_date, format_source_date

DEFAULT_TERM_MONTHS = 12

Basis = Literal["controle", "bron", "onbekend"]


@dataclass(frozen=True)
class Freshness:
    basis: Basis  # what the information counts from (see the module docstring)
    checked: date | None  # the day it counts from; None when "onbekend"
    term_months: int  # how long it stays fresh
    stale: bool  # older than the term on the day of the build (always when "onbekend")
    months_old: int  # whole months between ``checked`` and today (0 when unknown)
    future: bool  # ``checked`` lies after today (a typing mistake)
    bron_datum: str | None = None  # the source's date as written ("2023-07"), when "bron"

    @property
    def uitleg(self) -> str:
        """'nagevraagd op 3 maart 2026', 'niet nagevraagd; de bron is van juli 2023' or
        'niet nagevraagd; de bron heeft geen datum'."""
        if self.basis == "controle" and self.checked is not None:
            return f"nagevraagd op {format_date(self.checked, year=True)}"
        if self.basis == "bron" and self.bron_datum is not None:
            return f"niet nagevraagd; de bron is van {format_source_date(self.bron_datum)}"
        return "niet nagevraagd; de bron heeft geen datum"

    @property
    def let_op(self) -> str:
        """The warning on a page when the information is stale, for residents."""
        if self.basis == "controle" and self.checked is not None:
            return (f"Let op: deze informatie is voor het laatst nagevraagd op "
                    f"{format_date(self.checked, year=True)}. Dat is lang geleden.")
        if self.basis == "bron" and self.bron_datum is not None:
            return ("Let op: deze informatie is niet nagevraagd bij de organisatie. De bron is "
                    f"van {format_source_date(self.bron_datum)}.")
        return ("Let op: deze informatie is niet nagevraagd bij de organisatie, en de bron "
                "heeft geen datum.")


@lru_cache(maxsize=64)
def months_before(day: date, months: int) -> date:
    return day - relativedelta(months=months)


@lru_cache(maxsize=4096)  # tens of thousands of calls per build, a few hundred distinct dates
def months_between(earlier: date, later: date) -> int:
    delta = relativedelta(later, earlier)
    return delta.years * 12 + delta.months


def newest_source_date(dates: Iterable[str | None]) -> str | None:
    """The newest of the sources' dates (as written), by the first day each can mean."""
    known = [d for d in dates if d]
    return max(known, key=bron_datum_first_day) if known else None


def freshness(checked: date | None, term_months: int, today: date,
              source_dates: Iterable[str | None] = ()) -> Freshness:
    """The freshness of an entry confirmed on ``checked`` (None: never) whose sources have
    ``source_dates`` (as written; None for a source without a date)."""
    if checked is not None:
        return Freshness("controle", checked, term_months, checked < months_before(today, term_months),
                         months_between(checked, today) if checked <= today else 0, checked > today)
    newest = newest_source_date(source_dates)
    if newest is None:
        return Freshness("onbekend", None, term_months, True, 0, False)
    day = bron_datum_first_day(newest)
    return Freshness("bron", day, term_months, day < months_before(today, term_months),
                     months_between(day, today) if day <= today else 0, day > today, newest)
