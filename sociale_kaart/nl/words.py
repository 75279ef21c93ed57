"""Dutch words the site and the messages use, each written once.

Days start on Monday (index 0, as ``date.weekday()``). Day codes are the ones maintainers
write in ``dagen`` (``MA`` ... ``ZO``); the model stores RFC 5545 codes (``MO`` ... ``SU``),
which rrule, iCal and HSDS use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Literal

DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DAY_CODES = ("MA", "DI", "WO", "DO", "VR", "ZA", "ZO")  # as maintainers write them
RFC_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545, as the model keeps them
DUTCH_TO_RFC = dict(zip(DAY_CODES, RFC_DAYS, strict=True))
RFC_TO_DUTCH = dict(zip(RFC_DAYS, DAY_CODES, strict=True))
RFC_DAY_NAMES = dict(zip(RFC_DAYS, DAY_NAMES, strict=True))  # "MO" -> "maandag"

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")

# The position of a day in its month: 2 = "tweede", -1 = "laatste".
ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde",
            -1: "laatste", -2: "voorlaatste", -3: "op twee na laatste",
            -4: "op drie na laatste", -5: "op vier na laatste"}

NUMBER_WORDS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht",
                9: "negen", 10: "tien", 11: "elf", 12: "twaalf"}

Dagdeel = Literal["ochtend", "middag", "avond"]
DAGDELEN: tuple[Dagdeel, ...] = ("ochtend", "middag", "avond")
MIDDAY, EVENING = time(12, 0), time(18, 0)  # where middag and avond begin


# Words for a part of the day ("'s avonds") and for a day counted from today ("morgen"; the
# search page reads them as filters, site/facets.py ``query_words``).
DAGDEEL_WORDS: dict[str, Dagdeel] = {"'s ochtends": "ochtend", "'s morgens": "ochtend",
                                     "'s middags": "middag", "'s avonds": "avond"}
RELATIVE_DAYS = {"vandaag": 0, "morgen": 1, "overmorgen": 2}  # days from today
TODAY_DAGDEEL_WORDS: dict[str, Dagdeel] = {"vanochtend": "ochtend", "vanmorgen": "ochtend",
                                           "vanmiddag": "middag", "vanavond": "avond"}
WEEKEND = ("zaterdag", "zondag")
# Little words that lead into such a filter word and go with it: "voor ouderen", "op dinsdag",
# "in Oost", "elke woensdag" (the search page takes them out of the words to find with it).
FILTER_LEAD_WORDS = ("voor", "op", "in", "bij", "elke", "iedere", "met")


def dagdeel(t: time) -> Dagdeel:
    """Part of the day a start time falls in: before 12:00 ochtend, before 18:00 middag, else avond."""
    if t < MIDDAY:
        return "ochtend"
    if t < EVENING:
        return "middag"
    return "avond"


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
    return NUMBER_WORDS.get(n, str(n))


def ordinal(pos: int) -> str:
    """2 -> 'tweede', -1 -> 'laatste'."""
    return ORDINALS[pos]


def count(n: int, one: str, many: str) -> str:
    """'1 activiteit', '3 activiteiten': the number with the right form of the noun."""
    return f"{n} {one if n == 1 else many}"


def file_size(n: int) -> str:
    """The size of a file as a download link shows it: '18 kB', '1,2 MB' (1 kB = 1,000 bytes,
    rounded up, so a file is never smaller than it says)."""
    if n < 1_000_000:
        return f"{max(1, -(-n // 1000))} kB"
    return f"{-(-n // 100_000) / 10:.1f} MB".replace(".", ",")
