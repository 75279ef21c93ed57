"""Dutch-aware search aids, computed at build time.

The search (site/search_index.py) matches a word and longer words that start with it: "huis"
finds "huiskamer" but not "buurthuis". Dutch writes compounds as one word, so a resident who
types "huis", "koffie" or "inloop" would miss the buurthuis or the koffie-inloop. This module
produces extra words for a detail page, which the templates put into invisible, indexed text
inside the page's ``data-pagefind-body``:

- the parts of compound words in the title, summary and theme labels ("buurthuis" -> "buurt",
  "huis"; "wandelgroep" -> "wandel", "groep"), split with a lexicon built from the taxonomy
  labels and synonyms plus a short list of common compound parts (``COMMON_PARTS``);
- the synonyms of the entry's taxonomy terms (and their compound parts);
- simple stem variants ("sporten" -> "sport", "wandelen" -> "wandel", "praatje" -> "praat");
- unaccented forms ("café" -> "cafe").

Everything here is a pure function of its arguments; a ``Lexicon`` is built once per build.
Words recur across entries, so word-level results (``fold``, ``stems``, ``Lexicon.split``,
``expand``) are memoized: the search aids of a page cost a few dictionary look-ups.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sociale_kaart.nl.text import fold

# Common parts of Dutch compounds in this domain. Words of three letters are only used as
# parts when listed here (taxonomy words need four letters or more), to keep splits precise.
COMMON_PARTS = frozenset("""
    huis kamer cafe café groep tuin inloop koffie thee eten eet sport wandel club centrum hulp
    winkel les cursus punt werk zorg dorp buurt wijk school maaltijd tafel koor dans fiets zwem
    yoga taal spel speel markt gym hal park plein lunch kook ontmoeting contact spreekuur loket
    maatje coach soos bingo biljart muziek zang bieb handwerk digi computer praat beweeg fit
    vrijwilliger mantelzorg jeugd jongeren ouderen senioren kinder kind ouder vrouwen mannen
    welzijn gezondheid geheugen moestuin natuur kerk bus vervoer geld schuld budget post
    ochtend middag avond maandag dinsdag woensdag donderdag vrijdag zaterdag zondag week
    maand dag uur vakantie kaart boek lees lezen schrijf ontbijt diner borrel
""".split())

# Function words that are never useful as compound parts or search aids.
STOPWORDS = frozenset("""
    aan als bij dat de den der des die dit door een en er het hoe in is je met na naar niet
    niets of om op over te tot uit van voor wat wie zo zijn u uw we wij ze zij ook nog dan
    dus maar al alle ander andere heel veel weinig goed elke iedere keer hier daar wel
""".split())

LINKERS = ("", "s", "e", "en")  # Dutch linking morphemes between compound parts
# Endings that make another form of the same word (plural, agent, abstract noun, adjective).
SUFFIXES = frozenset({"s", "e", "en", "er", "ers", "es", "heid", "te", "ing", "ingen", "ig"})
MIN_PART = 4  # minimum length of a lexicon part that is not in COMMON_PARTS
MIN_MODIFIER = 3  # an unknown first part must be at least this long
VOWELS = frozenset("aeiouy")

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Words of a text in lower case; a hyphenated word gives the joined word and its parts."""
    out: list[str] = []
    for match in _WORD.finditer(text.casefold()):
        word = match.group(0)
        if "-" in word:
            out.append(word.replace("-", ""))
            out.extend(word.split("-"))
        else:
            out.append(word)
    return out


def stems(word: str) -> list[str]:
    """Simple Dutch stem variants of a word (without the word itself).

    Strips plural and infinitive -en (undoubling the consonant: zwemmen -> zwem; doubling
    the vowel of a one-syllable stem: koken -> kook), -s after -er/-el/-en, and the
    diminutive -je(s). Good enough for search aids; not a full stemmer.
    """
    return list(_stems(word))


@lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    w = word.casefold()
    out: list[str] = []

    def add(s: str) -> None:
        if len(s) >= 3 and s != w and s not in out:
            out.append(s)

    if w.endswith("jes") and len(w) >= 7:
        add(w[:-3])
    elif w.endswith("je") and len(w) >= 6:
        add(w[:-2])
    if w.endswith(("ers", "els", "ens")) and len(w) >= 6:
        add(w[:-1])
    if w.endswith("en") and len(w) >= 5:
        base = w[:-2]
        undoubled = len(base) >= 3 and base[-1] == base[-2] and base[-1] not in VOWELS
        if undoubled:
            base = base[:-1]  # zwemmen -> zwem
        add(base)
        syllables = len(re.findall(r"[aeiouy]+", base))
        if (not undoubled and syllables == 1 and len(base) >= 3 and base[-1] not in VOWELS
                and base[-2] in VOWELS and base[-3] not in VOWELS and base[-2] != "i"):
            add(base[:-1] + base[-2] + base[-1])  # koken -> kook, spelen -> speel
    return tuple(out)


@dataclass(frozen=True)
class Lexicon:
    """Known compound parts (folded: lower case, no diacritics)."""

    parts: frozenset[str]
    # Memoized results per word / text (not part of the value: equal lexicons compare equal).
    _splits: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False,
                                                 compare=False, hash=False)
    _expansions: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False,
                                                    repr=False, compare=False, hash=False)
    _ordered: list[str] = field(default_factory=list, init=False, repr=False, compare=False,
                                hash=False)  # the parts, sorted (filled when first needed)

    @classmethod
    def build(cls, vocabulary: Iterable[str]) -> Lexicon:
        """Lexicon from free text (taxonomy labels and synonyms) plus ``COMMON_PARTS``."""
        parts = {fold(p) for p in COMMON_PARTS}
        for text in vocabulary:
            for t in tokens(text):
                for w in [t, *stems(t)]:
                    f = fold(w)
                    if len(f) >= MIN_PART and f not in STOPWORDS:
                        parts.add(f)
        return cls(frozenset(parts))

    @classmethod
    def from_terms(cls, terms: Mapping[str, Mapping[str, Any]]) -> Lexicon:
        """Lexicon from ``Kaart.terms`` (vocabulary -> slug -> Term)."""
        texts: list[str] = []
        for table in terms.values():
            for term in table.values():
                texts.append(term.label)
                texts.extend(term.synoniemen)
        return cls.build(texts)

    def split(self, word: str) -> list[str]:
        """Parts of a compound word, or [] when it is not a known compound.

        Every part after the first must be a known part. Linking -s-, -e- and -en- between
        parts are allowed ("dorpshuis" -> "dorp", "huis"). A split whose first part is known
        wins, with the longest tail covered by as few parts as possible, so known longer words
        stay whole ("ontmoetingscentrum" -> "ontmoeting", "centrum"). Otherwise the first part
        may be unknown if it has at least ``MIN_MODIFIER`` letters; it is then left out, as
        the search finds the start of a word anyway ("Westerdorp" -> "dorp").
        """
        parts = self._splits.get(word)
        if parts is None:
            parts = self._splits[word] = tuple(self._split(word))
        return list(parts)

    def _form_of_part(self, word: str) -> bool:
        """Whether ``word`` or one of its stems (of five letters or more) starts a known part:
        an inflected form of a known word, not a compound with an unknown first part."""
        ordered = self._sorted()
        for form in (word, *stems(word)):
            if len(form) < 5:
                continue
            at = bisect.bisect_left(ordered, form)
            if at < len(ordered) and ordered[at].startswith(form):
                return True
        return False

    def _sorted(self) -> list[str]:
        if not self._ordered:
            self._ordered.extend(sorted(self.parts))
        return self._ordered

    def _split(self, word: str) -> list[str]:
        w = fold(word)
        n = len(w)
        if n < 6:
            return []
        # tail[i]: the fewest known parts that cover w[i:] exactly, or None.
        tail: list[list[str] | None] = [None] * (n + 1)
        tail[n] = []
        for i in range(n - 1, -1, -1):
            best: list[str] | None = None
            for j in range(i + 3, n + 1):
                part = w[i:j]
                if part not in self.parts:
                    continue
                for link in LINKERS:
                    k = j + len(link)
                    rest = tail[k] if k <= n else None
                    if rest is None or w[j:k] != link or (k == n and link):
                        continue  # no cover, or a linker at the very end
                    if best is None or len(rest) + 1 < len(best):
                        best = [part, *rest]
            tail[i] = best
        fallback: list[str] = []
        for i in range(MIN_MODIFIER, n - 2):
            rest = tail[i]
            if not rest:
                continue
            modifier = w[:i]
            for link in LINKERS:
                head = modifier[:len(modifier) - len(link)]
                if modifier.endswith(link) and head in self.parts:
                    return [head, *rest]
            if not fallback:
                fallback = rest
        if fallback and self._form_of_part(w):
            return []  # "ontmoeten" (a form of "ontmoeting") is no "ontmo" + "eten"
        return fallback


@dataclass(frozen=True)
class SearchAids:
    """Invisible search words of one page, by weight group."""

    titel: list[str]  # from the title: weighted like the title
    thema: list[str]  # from theme and type labels: weighted like themes
    tekst: list[str]  # from the summary, and the synonyms of the entry's terms

    def is_empty(self) -> bool:
        return not (self.titel or self.thema or self.tekst)


def expand(text: str, lexicon: Lexicon) -> list[str]:
    """Extra words for ``text``: compound parts, stem variants and unaccented forms.

    Words already in the text are not repeated (they are indexed already), except the
    parts of hyphenated words.
    """
    words = lexicon._expansions.get(text)  # noqa: SLF001 - the lexicon's own memo
    if words is None:
        words = lexicon._expansions[text] = tuple(_expand(text, lexicon))  # noqa: SLF001
    return list(words)


def _expand(text: str, lexicon: Lexicon) -> list[str]:
    present = set(_WORD.findall(text.casefold()))
    out: list[str] = []

    def add(word: str) -> None:
        if len(word) < 3 or word in STOPWORDS:
            return
        for variant in (word, fold(word)):
            if variant not in present and variant not in out:
                out.append(variant)

    for w in tokens(text):
        if w in STOPWORDS:
            continue
        add(w)
        for base in [w, *stems(w)]:
            add(base)
            for part in lexicon.split(base):
                add(part)
                for s in stems(part):
                    add(s)
    return out


def _dedupe(groups: list[list[str]]) -> list[list[str]]:
    """Each word only in the first (heaviest) group it occurs in."""
    seen: set[str] = set()
    out: list[list[str]] = []
    for group in groups:
        kept = []
        for w in group:
            if w not in seen:
                seen.add(w)
                kept.append(w)
        out.append(kept)
    return out


def search_aids(lexicon: Lexicon, titel: str, labels: Iterable[str], tekst: Iterable[str],
                synoniemen: Iterable[str]) -> SearchAids:
    """Search aids for a page with this title, theme/type labels, summary texts and synonyms."""
    labels_text = " ".join(labels)
    body_text = " ".join(tekst)
    syn: list[str] = []
    for s in synoniemen:
        syn.append(s.casefold())
        syn.extend(expand(s, lexicon))
    visible = set(tokens(" ".join([titel, labels_text, body_text])))
    syn = [s for s in syn if s not in visible]
    t, th, rest = _dedupe([expand(titel, lexicon), expand(labels_text, lexicon),
                           expand(body_text, lexicon) + syn])
    return SearchAids(t, th, rest)
