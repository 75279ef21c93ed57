"""Reading the Dutch free text of other systems and spreadsheets: days ("dinsdag en donderdag",
"2e woensdag"), times ("10.00 - 11.30 uur"), costs ("€ 2,50 per keer") and dates ("1-10-2026",
"1 oktober 2026"). The Dutch words themselves come from nl/words.py and nl/dates.py."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sociale_kaart.model.entries import PER_UNITS
from sociale_kaart.nl.dates import parse_date
from sociale_kaart.nl.text import fold_spaces
from sociale_kaart.nl.words import DAY_CODES, DAY_NAMES, ORDINALS

# The words after "per" in a cost ("per les") -> what ``Kosten.per`` calls it.
PER_WORDS = {unit: unit for unit in PER_UNITS} | {"les": "keer", "bijeenkomst": "keer",
                                                  "seizoen": "jaar"}


def read_time(value: Any) -> str | None:
    """'10:00:00' / '10.00' / '10:00' -> '10:00'."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:uur)?\s*$", value)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def read_date(value: Any) -> date | None:
    """A date as other systems write it: '2026-10-01' (also with a time after it), '1-10-2026',
    '1/10/2026', '1.10.2026' or '1 oktober 2026'; None for anything else."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        pass
    m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", v)  # Dutch 1-10-2026
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return parse_date(v)  # 1 oktober 2026


# How spreadsheets write days and positions: the names and codes of nl/words.py, their usual
# abbreviations ("din", "woe"), and positions as "2e", "2de" or "tweede" ("laatste" = -1).
DAY_WORDS = {
    **{name: code for name, code in zip(DAY_NAMES, DAY_CODES, strict=True)},
    **{code.lower(): code for code in DAY_CODES},
    **{name[:n]: code for name, code, n in zip(DAY_NAMES, DAY_CODES, (4, 3, 3, 3, 4, 3, 3),
                                               strict=True)},
}
ORDINAL_WORDS = {
    **{word: pos for pos, word in ORDINALS.items() if pos in (1, 2, 3, 4, 5, -1)},
    **{f"{pos}{suffix}": pos for pos in range(1, 6) for suffix in ("e", "ste" if pos == 1 else "de")},
}


def parse_days(text: str) -> tuple[list[str], bool] | None:
    """'Dinsdag en donderdag' -> (['DI', 'DO'], False); '2e maandag' -> (['2MA'], True)."""
    t = fold_spaces(text)
    t = re.sub(r"\b(elke|iedere|op|van de maand|in de maand|s?middags|s?ochtends|avond)\b",
               " ", t)
    t = re.sub(r"(dag)en\b", r"\1", t)
    parts = [p.strip() for p in re.split(r",|/|;|&|\ben\b|\+", t) if p.strip()]
    out, monthly = [], False
    for part in parts:
        words = part.split()
        pos = None
        if words and words[0] in ORDINAL_WORDS:
            pos, words = ORDINAL_WORDS[words[0]], words[1:]
        if len(words) != 1 or words[0].rstrip(".") not in DAY_WORDS:
            return None
        code = DAY_WORDS[words[0].rstrip(".")]
        if pos is not None:
            monthly = True
            out.append(f"{pos}{code}")
        else:
            out.append(code)
    if not out or (monthly and any(d[0] not in "-12345" for d in out)):
        return None
    return out, monthly


def parse_time_range(text: str) -> tuple[str | None, str | None] | None:
    """'10.00 - 11.30 uur' -> ('10:00', '11:30'); 'vanaf 14.00' -> ('14:00', None)."""
    t = text.strip().casefold().replace("uur", "").replace("u.", "")
    m = re.match(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|tot|t/m)\s*(\d{1,2})(?:[:.](\d{2}))?\s*$", t)
    if m:
        a = f"{int(m.group(1)):02d}:{m.group(2) or '00'}"
        b = f"{int(m.group(3)):02d}:{m.group(4) or '00'}"
        return a, b
    m = re.match(r"^(?:vanaf\s*)?(\d{1,2})[:.](\d{2})\s*$", t)
    if m:
        return f"{int(m.group(1)):02d}:{m.group(2)}", None
    return None


def parse_kosten(text: str) -> dict[str, Any] | None:
    """'Gratis' -> {'gratis': True}; '€ 2,50 per keer' -> {'gratis': False, 'bedrag': 2.5,
    'per': 'keer'}; text that says more is kept whole as 'toelichting'."""
    t = text.strip()
    low = fold_spaces(t)
    if re.fullmatch(r"(gratis|kosteloos|geen kosten|nee|0|€?\s*0([.,]00?)?|-)", low):
        return {"gratis": True}
    m = re.search(r"(\d+(?:[.,]\d{1,2})?)", low)
    if m:
        out: dict[str, Any] = {"gratis": False,
                               "bedrag": float(m.group(1).replace(",", "."))}
        per = re.search(r"(?:per|/|p\.?)\s*(\w+)", low[m.end():])
        if per and per.group(1) in PER_WORDS:
            out["per"] = PER_WORDS[per.group(1)]
        rest = re.sub(r"€|euro|\d+(?:[.,]\d{1,2})?|(?:per|/|p\.?)\s*\w+", "", low).strip(" .,-")
        if rest or (per and per.group(1) not in PER_WORDS):
            out["toelichting"] = t
        if out["bedrag"] == 0:
            return {"gratis": True}
        return out
    if "gratis" in low:
        return {"gratis": True, "toelichting": t}
    return {"gratis": False, "toelichting": t}


_STREET = re.compile(r"^(.*?\S)\s+(\d+\s*[a-zA-Z]?(?:[-/ ]?\w{1,4})?)$")


def split_street(line: str) -> tuple[str, str] | None:
    """'Dorpsstraat 12 a' -> ('Dorpsstraat', '12 a'): street and house number (with its
    addition) of an address line; None when it does not end in a house number."""
    m = _STREET.match(line)
    return (m.group(1), m.group(2).strip()) if m else None


__all__ = [
    "DAY_WORDS",
    "ORDINAL_WORDS",
    "PER_WORDS",
    "parse_days",
    "parse_kosten",
    "parse_time_range",
    "read_date",
    "read_time",
    "split_street",
]
