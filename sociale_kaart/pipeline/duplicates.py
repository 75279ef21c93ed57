"""Find entries that are probably the same activity, place or organisation.

When two kaarten are merged, the same buurthuis often arrives twice: "Buurthuis De Brug" and
"Buurthuis de Brug", "Sportservice Kampen" and "SportService Kampen". ``find_duplicates``
compares entries on:

* the name after normalising Dutch spelling variants (case, diacritics, punctuation, the
  articles de/het/'t/een, ij/y, abbreviations like "st." and "bieb", legal forms like
  "stichting"), exactly or nearly (difflib ratio, or one name containing the other);
* the address (postcode + huisnummer), or for activities the ontmoetingsplek;
* phone number, website and e-mail address.

Each signal has a weight per kind (a shared phone number says little about two activities of
the same organisation, but a lot about two organisations); a pair is reported when the sum
reaches ``THRESHOLD``. Known different addresses or places, or activities on different days,
count against. Activities and places are compared within their gemeente; organisations, which
share one folder, with each other.

Pairs are found by blocking, not by comparing everything with everything: entries are grouped
by normalised name, sorted words, name prefix and suffix, address, phone, website and e-mail,
and only pairs inside a group are scored. Large groups of the fuzzy and contact keys (a shared
phone number of an organisation with hundreds of activities) are skipped for candidate
generation, so the work stays close to linear. Pairs that cannot reach ``THRESHOLD`` whatever
their names are not scored either: activities at two different places (the penalty for a
different place outweighs every contact signal and a similar name together).

A pair is silenced when either entry lists the other's slug in ``niet_dubbel``.

Pairs that reach ``THRESHOLD`` join their entries into groups (connected, as with union-find),
and each group gets one warning, on its last file, naming the others (at most ``MAX_NAMED``):
3,000 copies of one activity give one warning, not 4.5 million. Exact-name groups larger than
``MAX_BLOCK`` are not compared pair by pair either: entries that are alike in everything that
is scored (place, phone, website, e-mail, days) are chained one after the other, and the
different ones are compared with their ``MAX_BLOCK`` neighbours in that order (the "sorted
neighbourhood" of record linkage), so the comparisons stay linear in the group's size.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.entries import Activiteit, Entry, Ontmoetingsplek, Organisatie
from sociale_kaart.model.kinds import KINDS
from sociale_kaart.nl.text import fold

THRESHOLD = 3.0
MAX_BLOCK = 60  # fuzzy/contact groups larger than this do not generate candidate pairs
MAX_NAMED = 10  # files named in the warning of one group of duplicates
SIMILAR_RATIO = 0.88

ARTICLES = {"de", "het", "t", "een", "the"}
DROP = {"stichting", "stg", "st", "sint", "vereniging", "ver", "bv", "vzw"}
ABBREVIATIONS = {
    "bieb": "bibliotheek", "bibl": "bibliotheek", "ctr": "centrum", "centr": "centrum",
    "v": "van", "vd": "van", "vh": "van", "mfc": "mfa", "wijkctr": "wijkcentrum",
    "vrijw": "vrijwilligers", "gem": "gemeente", "zw": "zwemmen",
}

# weights per kind: signal -> weight
WEIGHTS: dict[str, dict[str, float]] = {
    "organisatie": {"naam": 3, "naam_lijkt": 2, "adres": 1, "telefoon": 3, "website": 3,
                    "email": 3, "ander_adres": -2},
    "ontmoetingsplek": {"naam": 3, "naam_lijkt": 2, "adres": 2, "telefoon": 1, "website": 2,
                        "email": 1, "ander_adres": -3},
    "activiteit": {"naam": 3, "naam_lijkt": 2, "adres": 1, "telefoon": 1, "website": 1,
                   "email": 1, "ander_adres": -3, "andere_dagen": -2},
}


def name_tokens(name: str) -> list[str]:
    """Normalised words of a name: "Buurthuis 't Brugje (St.)" -> ['buurthuis', 'brugje']."""
    text = fold(name).replace("ij", "y").replace("&", " en ")
    text = re.sub(r"[’'`´]", "'", text)
    text = re.sub(r"(^|\s)'t(\s|$)", " ", text)  # 't (het)
    words = re.split(r"[^a-z0-9]+", text)
    out = []
    for w in words:
        if not w or w in ARTICLES:
            continue
        w = ABBREVIATIONS.get(w, w)
        if w in DROP:
            continue
        out.append(w)
    return out


def name_key(name: str) -> str:
    """Normalised name without spaces: 'Sport Service' and 'SportService' give the same key."""
    return "".join(name_tokens(name))


def phone_key(value: str | None) -> str | None:
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and value.strip().startswith("+"):
        digits = "0" + digits[2:]
    return digits or None


def website_key(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip().casefold()
    v = re.sub(r"^https?://", "", v)
    v = re.sub(r"^www\.", "", v)
    return v.rstrip("/") or None


def address_key(adres: Any) -> str | None:
    if adres is None or not getattr(adres, "postcode", None):
        return None
    return f"{adres.postcode.replace(' ', '')} {str(adres.huisnummer).replace(' ', '').casefold()}"


# The kinds of entry that are compared (see ``find_duplicates``).
Compared = Ontmoetingsplek | Activiteit | Organisatie


@dataclass
class _Item:
    entry: Entry
    kind: str
    name: str
    key: str
    tokens: tuple[str, ...]
    place: str | None = None  # activity: "plek:<slug>" or "adres:<pc hn>"; others: "adres:..."
    address: str | None = None  # printable address
    phone: str | None = None
    website: str | None = None
    email: str | None = None
    days: frozenset[str] = field(default_factory=frozenset)


def _contact_of(entry: Entry) -> tuple[str | None, str | None, str | None]:
    fields = vars(entry)  # a missing field is slow to look up through the pydantic model
    phone = fields.get("telefoon")
    website = fields.get("website")
    email = fields.get("email")
    contact = fields.get("contact")
    if contact is not None:
        phone = phone or contact.telefoon
        website = website or contact.website
        email = email or contact.email
    return phone_key(phone), website_key(website), (email or "").strip().casefold() or None


def _item(entry: Compared, kind: str) -> _Item:
    name = str(entry.naam)
    tokens = tuple(name_tokens(name))
    phone, website, email = _contact_of(entry)
    adres = vars(entry).get("adres")
    addr = address_key(adres)
    place = f"adres:{addr}" if addr else None
    days: frozenset[str] = frozenset()
    if isinstance(entry, Activiteit):
        if entry.plek:
            place = f"plek:{entry.plek}"
        days = frozenset(f"{pos or ''}{code}" for rule in entry.wanneer
                         for pos, code in rule.positioned_days)
        days |= frozenset(d.isoformat() for rule in entry.wanneer for d in rule.datums)
    return _Item(entry, kind, name, "".join(tokens), tokens, place,
                 adres.regel() if adres is not None else None, phone, website, email, days)


def _places_must_match(kind: str) -> bool:
    """Whether two entries of ``kind`` at different known places can never reach THRESHOLD
    without the same name (pairs with the same name are found through the exact groups)."""
    w = WEIGHTS[kind]
    best = sum(max(w[s], 0) for s in ("telefoon", "website", "email"))
    return best + w["ander_adres"] + max(w["naam_lijkt"], 0) < THRESHOLD


def _blocks(items: list[_Item]) -> Iterable[tuple[int, int]]:
    exact: dict[tuple[str, str], list[int]] = defaultdict(list)
    fuzzy: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.key:
            exact[("naam", it.key)].append(i)
            exact[("woorden", " ".join(sorted(it.tokens)))].append(i)
            if len(it.key) >= 6:
                fuzzy[("begin", it.key[:6])].append(i)
                fuzzy[("eind", it.key[-6:])].append(i)
        for label, value in (("adres", it.place if it.kind != "activiteit" else None),
                             ("telefoon", it.phone), ("website", it.website),
                             ("email", it.email)):
            if value:
                fuzzy[(label, value)].append(i)
    # In the fuzzy and contact groups, skip pairs that cannot reach THRESHOLD: for activities,
    # two at different places (an organisation's e-mail address is on all its activities).
    places = [it.place for it in items]
    split = bool(items) and _places_must_match(items[0].kind)
    seen: set[tuple[int, int]] = set()
    for groups, limit in ((exact, None), (fuzzy, MAX_BLOCK)):
        for members in groups.values():
            if len(members) < 2 or (limit is not None and len(members) > limit):
                continue
            check_places = split and limit is not None
            pairs = _all_pairs(members) if len(members) <= MAX_BLOCK else \
                _neighbourhood(members, items)
            for i, j in pairs:
                if check_places and places[i] and places[j] and places[i] != places[j]:
                    continue
                if (i, j) not in seen:
                    seen.add((i, j))
                    yield i, j


def _all_pairs(members: list[int]) -> Iterable[tuple[int, int]]:
    for a, i in enumerate(members):
        for j in members[a + 1:]:
            yield i, j


def _signature(it: _Item) -> tuple[str, str, str, str, tuple[str, ...]]:
    """Everything ``_score`` looks at besides the name (equal in an exact-name group)."""
    return (it.place or "", it.phone or "", it.website or "", it.email or "",
            tuple(sorted(it.days)))


def _neighbourhood(members: list[int], items: list[_Item]) -> Iterable[tuple[int, int]]:
    """Linear candidate pairs for a large group of entries with the same name.

    Entries with the same signature score the same against everything, so they are chained
    (a-b, b-c, ...: one group if they are duplicates); the first of each signature is
    compared with the next ``MAX_BLOCK`` signatures in sorted order, where entries at the same
    place and with the same contacts are next to each other.
    """
    classes: dict[tuple, list[int]] = defaultdict(list)
    for i in members:
        classes[_signature(items[i])].append(i)
    for chain in classes.values():
        yield from pairwise(chain)  # members, and so chains, are in item order
    heads = [chain[0] for _, chain in sorted(classes.items())]
    for a, i in enumerate(heads):
        for j in heads[a + 1:a + 1 + MAX_BLOCK]:
            yield (i, j) if i < j else (j, i)


def _similar(a: _Item, b: _Item) -> bool:
    if not a.key or not b.key:
        return False
    if sorted(a.tokens) == sorted(b.tokens):
        return True
    if a.kind != "activiteit" and min(len(a.tokens), len(b.tokens)) >= 2 and (
            set(a.tokens) <= set(b.tokens) or set(b.tokens) <= set(a.tokens)):
        return True  # "Bibliotheek Centrum" and "Bibliotheek Vechtstad Centrum"
    short, long_ = sorted((a.key, b.key), key=len)
    if a.kind != "activiteit" and len(short) >= 4 and short in long_:
        return True
    if 2 * len(short) < SIMILAR_RATIO * (len(short) + len(long_)):
        return False  # difflib's real_quick_ratio: an upper bound of ratio() from the lengths
    matcher = difflib.SequenceMatcher(None, a.key, b.key)
    return matcher.quick_ratio() >= SIMILAR_RATIO and matcher.ratio() >= SIMILAR_RATIO


def _score(a: _Item, b: _Item) -> tuple[float, list[str]]:
    w = WEIGHTS[a.kind]
    score, reasons = _other_signals(a, b, w)
    if a.key and a.key == b.key:
        return score + w["naam"], [f"zelfde naam na normaliseren ('{' '.join(a.tokens)}')", *reasons]
    # The fuzzy name test is the costly part (difflib); skip it when even a similar name
    # could not lift the pair to THRESHOLD, so the reported pairs stay exactly the same.
    if score + w["naam_lijkt"] >= THRESHOLD and _similar(a, b):
        return score + w["naam_lijkt"], [f"naam lijkt erop ('{a.name}' en '{b.name}')", *reasons]
    return score, reasons


def _other_signals(a: _Item, b: _Item, w: dict[str, float]) -> tuple[float, list[str]]:
    """Score and reasons of everything but the name."""
    score, reasons = 0.0, []
    if a.place and b.place:
        if a.place == b.place:
            score += w["adres"]
            if a.place.startswith("plek:"):
                reasons.append(f"zelfde ontmoetingsplek ('{a.place[5:]}')")
            else:
                reasons.append(f"zelfde postcode en huisnummer ({a.place[6:]})")
        else:
            score += w["ander_adres"]
    if a.phone and a.phone == b.phone:
        score += w["telefoon"]
        reasons.append("zelfde telefoonnummer")
    if a.website and a.website == b.website:
        score += w["website"]
        reasons.append("zelfde website")
    if a.email and a.email == b.email:
        score += w["email"]
        reasons.append("zelfde e-mailadres")
    if "andere_dagen" in w and a.days and b.days and not (a.days & b.days):
        score += w["andere_dagen"]
    return score, reasons


def _silenced(a: Entry, b: Entry) -> bool:
    # ``slug`` is a pydantic private attribute (slow to read): look only when there is a list
    not_a, not_b = getattr(a, "niet_dubbel", None), getattr(b, "niet_dubbel", None)
    return bool(not_a and b.slug in not_a) or bool(not_b and a.slug in not_b)


def _compare(entries: list[Compared], kind: str, documents: Mapping[str, Any] | None) -> list[Diagnostic]:
    items = [_item(e, kind) for e in sorted(entries, key=lambda e: e.file)]
    parent = list(range(len(items)))  # union-find over the items

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    why: dict[int, list[str]] = {}  # item -> reasons of the first pair that put it in a group
    for i, j in _blocks(items):
        a, b = items[i], items[j]
        if _silenced(a.entry, b.entry):
            continue
        score, reasons = _score(a, b)
        if score < THRESHOLD or not reasons:
            continue
        why.setdefault(i, reasons)
        why.setdefault(j, reasons)
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in sorted(why):
        groups[root(i)].append(i)
    return [_group_warning([items[i] for i in members], [why[i] for i in members], kind, documents)
            for members in groups.values()]


def _group_warning(members: list[_Item], reasons: list[list[str]], kind: str,
                   documents: Mapping[str, Any] | None) -> Diagnostic:
    """One warning for a group of probable duplicates (in file order), on the last file."""
    last = members[-1]
    others = members[:-1]
    fld = "titel" if kind == "activiteit" else "naam"
    line, col = 0, 0
    doc = documents.get(last.entry.file) if documents else None
    if doc is not None:
        line, col = doc.position((fld,))
    named = others[-MAX_NAMED:][::-1]  # the nearest files first
    slugs = ", ".join(o.entry.slug for o in named)
    more = len(others) - len(named)
    if len(others) == 1:
        message = (f"lijkt dezelfde {KINDS[kind].word} als {others[0].entry.file}: "
                   f"{'; '.join(reasons[-1])}")
    else:
        shared = all(r == reasons[0] for r in reasons)
        files = ", ".join(o.entry.file if shared else
                          f"{o.entry.file} ({'; '.join(reasons[members.index(o)])})" for o in named)
        message = (f"lijkt dezelfde {KINDS[kind].word} als {len(others)} andere"
                   + (f" ({'; '.join(reasons[0])})" if shared else "") + f": {files}"
                   + (f" en nog {more} andere" if more else ""))
    message += (f". Voeg ze samen, of zet 'niet_dubbel: [{slugs}{', ...' if more else ''}]' in "
                "dit bestand als het echt iets anders is")
    return Diagnostic(last.entry.file, line, col, fld, message, "waarschuwing", "dubbel")


DuplicateMemo = dict[tuple[str, str], tuple[tuple[Any, ...], list[Diagnostic]]]


def find_duplicates(kaart: Any, documents: Mapping[str, Any] | None = None,
                    memo: DuplicateMemo | None = None) -> list[Diagnostic]:
    """Warnings for probable duplicates in ``kaart`` (a ``resolve.Kaart``).

    ``documents`` (rel path -> loader Document) is optional and only used for line numbers.
    ``memo`` (kept by ``serve`` between rebuilds): a group of entries (a gemeente's places or
    activities, or the organisations) that consists of the very same entry objects and
    documents as last time gets last time's warnings; only edited groups are compared again.
    """
    groups = [(("ontmoetingsplek", g), kaart.plekken[g]) for g in sorted(kaart.plekken)]
    groups += [(("activiteit", g), kaart.activiteiten[g]) for g in sorted(kaart.activiteiten)]
    groups.append((("organisatie", ""), kaart.organisaties))
    diags: list[Diagnostic] = []
    for key, table in groups:
        entries = list(table.values())
        if memo is None:
            diags += _compare(entries, key[0], documents)
            continue
        identity = (*entries, *((documents or {}).get(e.file) for e in entries))
        hit = memo.get(key)
        if hit is None or len(hit[0]) != len(identity) or \
                any(a is not b for a, b in zip(hit[0], identity, strict=True)):
            hit = memo[key] = (identity, _compare(entries, key[0], documents))
        diags += hit[1]
    if memo is not None:
        for gone in set(memo) - {key for key, _ in groups}:
            del memo[gone]
    return diags


__all__ = ["find_duplicates", "name_key", "name_tokens", "phone_key", "website_key"]
