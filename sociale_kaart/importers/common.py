"""What both importers share: the drafts and notes they make, the error that stops an import,
unique slugs for imported names, checking one value with a field type of the model, and
schedule rules as draft data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.entries import MAX_SUMMARY
from sociale_kaart.model.names import slugify
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.words import RFC_TO_DUTCH

IMPORT_SLUG = 60  # imported names are often long; their slugs are cut earlier than in `new`
NAMELESS = "naamloos"  # the slug of a name without letters or digits


def import_slug(name: str) -> str:
    """The slug of an imported name (model/names.py), shorter than in `new`, never empty."""
    return slugify(name, IMPORT_SLUG) or NAMELESS


# Who confirmed an entry, for a check date taken over from the old kaart (HSDS ``assured_date``,
# a spreadsheet's check column): a role, as ``gecontroleerd_door`` asks.
CHECKED_BY_IMPORT = "beheerder van de vorige sociale kaart"

# The kinds an import makes (model/kinds.py has their folders and models).
IMPORTED = ("organisatie", "ontmoetingsplek", "activiteit")


@dataclass
class Draft:
    """One entry to write: its kind, slug and fields (Dutch names, as in the content files)."""

    kind: str  # organisatie | ontmoetingsplek | activiteit
    slug: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.data.get("titel") or self.data.get("naam") or self.slug)


@dataclass
class ImportResult:
    """What an import made: the drafts, and a note for every value it could not take over."""

    drafts: list[Draft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Dutch, one line each


class ImportError_(Exception):
    """Input that cannot be imported: a Dutch message and the diagnostics behind it (file,
    line, column, field). Nothing is written; the command exits with code 1."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


def validate_value(type_: Any, value: Any) -> tuple[Any, str | None]:
    """Validate one value with a field type of model/fields.py: (value, None) or (None, the
    type's Dutch message)."""
    try:
        return TypeAdapter(type_).validate_python(value), None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        return None, str(err["msg"]).removeprefix("Value error, ")


def shorten(value: Any, n: int = 70) -> str:
    """A value on one line of at most ``n`` characters, for notes."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def first_of(values: list[str] | None) -> str | None:
    """The first of ``values``; None when there are none."""
    return values[0] if values else None


def split_description(text: str | None, required: bool) -> tuple[str | None, str | None]:
    """Split a description into (samenvatting, beschrijving), the reverse of how the HSDS
    export joins them (outputs/hsds.py)."""
    if not text or not text.strip():
        return None, None
    text = text.strip().replace("\r\n", "\n")
    first, _, rest = text.partition("\n\n")
    first = first.strip()
    if len(first) <= MAX_SUMMARY:
        return first, rest.strip() or None
    if not required:
        return None, text
    # a long first paragraph: the first sentences that fit, the whole text as beschrijving
    sentences = re.split(r"(?<=[.!?])\s+", first)
    summary = ""
    for s in sentences:
        if len(summary) + len(s) + 1 > MAX_SUMMARY:
            break
        summary = f"{summary} {s}".strip()
    if not summary:
        summary = first[:MAX_SUMMARY - 4].rsplit(" ", 1)[0] + " ..."
    return summary, text


def rule_data(rule: Tijdschema) -> dict[str, Any]:
    """A schedule rule as it is written in a content file (Dutch day codes, times as text)."""
    out: dict[str, Any] = {}
    if rule.frequentie:
        out["frequentie"] = rule.frequentie
    if rule.interval != 1:
        out["interval"] = rule.interval
    if rule.dagen:
        out["dagen"] = [f"{pos or ''}{RFC_TO_DUTCH[code]}" for pos, code in rule.positioned_days]
    if rule.datums:
        out["datums"] = sorted(rule.datums)
    if rule.van:
        out["van"] = rule.van.strftime("%H:%M")
    if rule.tot:
        out["tot"] = rule.tot.strftime("%H:%M")
    if rule.geldig_vanaf:
        out["geldig_vanaf"] = rule.geldig_vanaf
    if rule.geldig_tot:
        out["geldig_tot"] = rule.geldig_tot
    if rule.niet_op:
        out["niet_op"] = [p.van if (p.tot in (None, p.van) and not p.reden) else
                          {k: v for k, v in (("van", p.van), ("tot", p.tot), ("reden", p.reden))
                           if v is not None}
                          for p in rule.niet_op]
    if rule.toelichting:
        out["toelichting"] = rule.toelichting
    return out


def make_rule(data: dict[str, Any], where: str, notes: list[str]) -> Tijdschema | None:
    """The rule of draft ``data``, or None with a note why it is not taken over."""
    try:
        return Tijdschema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        notes.append(f"{where}: tijden niet overgenomen: "
                     f"{str(err['msg']).removeprefix('Value error, ')}")
        return None


def merge_dates(rules: list[Tijdschema]) -> list[Tijdschema]:
    """Join one-off rules with the same times and note into one rule with several datums.

    The first one-off rule (without niet_op) of each (van, tot, toelichting) collects the dates
    of the later ones: one lookup per rule, so thousands of dates stay linear.
    """
    out: list[Tijdschema] = []
    first: dict[tuple[Any, Any, Any], int] = {}  # times and note -> index in out
    merged: dict[int, set[date]] = {}
    for rule in rules:
        if rule.frequentie or rule.niet_op:
            out.append(rule)
            continue
        key = (rule.van, rule.tot, rule.toelichting)
        if key in first:
            merged.setdefault(first[key], set(out[first[key]].datums)).update(rule.datums)
            continue
        first[key] = len(out)
        out.append(rule)
    for i, datums in merged.items():
        out[i] = out[i].model_copy(update={"datums": sorted(datums)})
    return out


class Slugs:
    """Unique slugs per folder (organisaties globally, the others per gemeente)."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {k: set() for k in IMPORTED}
        self.next: dict[tuple[str, str], int] = {}  # (kind, wanted) -> first number to try
        self.probes = 0  # slugs looked up (the tests count them: linear, not quadratic)

    def take(self, kind: str, wanted: str, *alternatives: str | None) -> str:
        used = self.used[kind]
        for cand in (wanted, *(import_slug(a) for a in alternatives if a)):
            self.probes += 1
            if cand and cand not in used:
                used.add(cand)
                return cand
        # 'naamloze-activiteit-2', -3, ...: continue where the last one of this name stopped
        n = self.next.get((kind, wanted), 2)
        self.probes += 1
        while f"{wanted}-{n}" in used:
            self.probes += 1
            n += 1
        self.next[(kind, wanted)] = n + 1
        used.add(f"{wanted}-{n}")
        return f"{wanted}-{n}"


__all__ = [
    "Draft",
    "ImportError_",
    "ImportResult",
    "Slugs",
    "first_of",
    "import_slug",
    "make_rule",
    "merge_dates",
    "rule_data",
    "shorten",
    "split_description",
    "validate_value",
]
