"""When information is out of date: the one rule that ``check``, the pages and ``rapport`` use.

An entry counts from its ``laatst_gecontroleerd`` date. It is stale when that date lies more
than its term before today: the ``controle_termijn_maanden`` of its gemeente. An organisation
has no gemeente folder of its own but is shown in every gemeente it serves; it takes the
shortest term of those (the strictest gemeente decides), and 12 months when it is in none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

DEFAULT_TERM_MONTHS = 12


@dataclass(frozen=True)
class Freshness:
    checked: date  # the date the information counts from
    term_months: int  # how long it stays fresh
    stale: bool  # older than the term on the day of the build
    months_old: int  # whole months between ``checked`` and today
    future: bool  # ``checked`` lies after today (a typing mistake)


@lru_cache(maxsize=64)
def months_before(day: date, months: int) -> date:
    return day - relativedelta(months=months)


def months_between(earlier: date, later: date) -> int:
    delta = relativedelta(later, earlier)
    return delta.years * 12 + delta.months


def freshness(checked: date, term_months: int, today: date) -> Freshness:
    return Freshness(checked, term_months, checked < months_before(today, term_months),
                     months_between(checked, today) if checked <= today else 0, checked > today)
