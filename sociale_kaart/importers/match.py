"""Matching imported names and words to what the content already has: taxonomy terms
(``Vocabularies``), and existing entries by name and places by address (``known_entries``),
so that an import reuses them instead of making duplicates."""

from __future__ import annotations

from typing import Any

from sociale_kaart.importers.common import IMPORTED
from sociale_kaart.model.entries import Taxonomie
from sociale_kaart.model.kinds import KINDS
from sociale_kaart.pipeline.duplicates import name_key, name_tokens


class Vocabularies:
    """Match words from another system to our taxonomy terms (slug, label or synonym)."""

    def __init__(self, taxonomies: dict[str, Taxonomie]):
        self.terms = {v: {t.slug: t for t in tax.termen} for v, tax in taxonomies.items()}
        self._words: dict[str, dict[str, str]] = {}
        for vocab, terms in self.terms.items():
            table: dict[str, str] = {}
            for t in terms.values():
                for word in (t.slug, t.label, *t.synoniemen):
                    table.setdefault(self._norm(word), t.slug)
            self._words[vocab] = table

    @staticmethod
    def _norm(text: str) -> str:
        return " ".join(name_tokens(text.replace("-", " ")))

    def has(self, vocab: str, slug: str) -> bool:
        return slug in self.terms.get(vocab, {})

    def match(self, vocab: str, text: str) -> str | None:
        if self.has(vocab, text):
            return text
        return self._words.get(vocab, {}).get(self._norm(text))

    def guess(self, vocab: str, *texts: str | None) -> str | None:
        """The first term whose label or synonym is one of the words of ``texts``."""
        table = self._words.get(vocab, {})
        for text in texts:
            if not text:
                continue
            words = name_tokens(text.replace("-", " "))
            for n in (2, 1):
                for i in range(len(words) - n + 1):
                    found = table.get(" ".join(words[i:i + n]))
                    if found:
                        return found
            for w in words:  # compounds: "wijkcentrum de linde" has "centrum"
                for key, slug in table.items():
                    if " " not in key and len(key) >= 5 and w.endswith(key):
                        return slug
        return None


def address_key(adres: dict[str, Any] | None) -> str | None:
    """'8261AB 12a': postcode and house number of draft address data; None without postcode."""
    if not adres or not adres.get("postcode"):
        return None
    return f"{str(adres['postcode']).replace(' ', '')} {str(adres['huisnummer']).casefold()}"


def known_entries(loaded: Any, gemeente: str) -> dict[str, dict[str, str]]:
    """name_key -> slug of existing entries (and postcode+huisnummer -> slug of places), so an
    import reuses existing slugs and places instead of creating duplicates."""
    known: dict[str, dict[str, str]] = {kind: {} for kind in (*IMPORTED, "adres")}
    for p in loaded.entries["ontmoetingsplek"]:
        if p._gemeente == gemeente and p.adres is not None:
            at = address_key(p.adres.model_dump())
            if at:
                known["adres"].setdefault(at, p.slug)
    for kind in IMPORTED:
        for entry in loaded.entries[kind]:
            if not KINDS[kind].per_gemeente or entry._gemeente == gemeente:
                known[kind].setdefault(name_key(entry.naam), entry.slug)
    return known


__all__ = ["Vocabularies", "address_key", "known_entries"]
