"""The ``Kaart``: every entry of a content folder, linked and indexed (made by pipeline.resolve).

It is the input of every output: the pages (site/), the exports and reports (outputs/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from sociale_kaart.model.changes import Change
from sociale_kaart.model.entries import (
    Activiteit,
    Entry,
    Gemeente,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Regio,
    RegioIndeling,
    Site,
    Sourced,
    Taxonomie,
    Term,
)
from sociale_kaart.model.freshness import DEFAULT_TERM_MONTHS, Freshness, freshness
from sociale_kaart.nl.compounds import Lexicon

T = TypeVar("T")


@dataclass
class Kaart:
    """Everything the renderer needs, linked and indexed. Built once per build."""

    site: Site
    today: date
    taxonomies: dict[str, Taxonomie]
    terms: dict[str, dict[str, Term]]
    regios: dict[str, tuple[RegioIndeling, Regio]]
    gemeenten: dict[str, Gemeente]
    organisaties: dict[str, Organisatie]
    plekken: dict[str, dict[str, Ontmoetingsplek]]
    activiteiten: dict[str, dict[str, Activiteit]]
    praktijken: dict[str, Praktijk]
    # derived indexes
    activiteiten_per_plek: dict[tuple[str, str], list[Activiteit]] = field(default_factory=dict)
    activiteiten_per_organisatie: dict[str, list[Activiteit]] = field(default_factory=dict)
    organisaties_per_gemeente: dict[str, list[Organisatie]] = field(default_factory=dict)
    gemeenten_per_organisatie: dict[str, list[str]] = field(default_factory=dict)
    praktijken_per_gemeente: dict[str, list[Praktijk]] = field(default_factory=dict)
    # When entries were added, changed or stopped, per entry file (``Entry.file``), newest first;
    # read from git by the build (pipeline/history.py), empty when unknown.
    geschiedenis: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    # Values worked out once per kaart and shared by the files that need them (``memo``).
    memos: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def term(self, vocab: str, slug: str) -> Term:
        return self.terms[vocab][slug]

    def label(self, vocab: str, slug: str) -> str:
        return self.terms[vocab][slug].label

    def gemeente_of(self, entry: Entry) -> str:
        return gemeente_of(entry)

    def active(self, gemeente: str) -> list[Activiteit]:
        return [a for a in self.activiteiten.get(gemeente, {}).values() if a.status != "gestopt"]

    def term_months(self, entry: Entry) -> int:
        """How long ``entry`` stays fresh: its gemeente's term; for an organisation the
        shortest term of the gemeenten that show it (model/freshness.py)."""
        g = gemeente_of(entry)
        slugs = [g] if g else self.gemeenten_per_organisatie.get(entry.slug, []) \
            if isinstance(entry, Organisatie) else []
        return self.gemeente_term_months(*slugs)

    def gemeente_term_months(self, *gemeenten: str) -> int:
        """The term of these gemeenten: the shortest ``controle_termijn_maanden`` of them, 12
        months when none is a gemeente of the kaart (model/freshness.py)."""
        terms = [self.gemeenten[s].controle_termijn_maanden for s in gemeenten if s in self.gemeenten]
        return min(terms, default=DEFAULT_TERM_MONTHS)

    def freshness(self, entry: Entry) -> Freshness | None:
        """Whether ``entry`` is out of date, from its check or else its sources
        (model/freshness.py); None for entries that have no sources (gemeenten) and praktijken
        (a praktijk is a story from its source, not information that goes out of date)."""
        if not isinstance(entry, Sourced) or isinstance(entry, Praktijk):
            return None
        return freshness(entry.laatst_gecontroleerd, self.term_months(entry), self.today,
                         (b.datum for b in entry.bron))

    def memo(self, name: str, key: Any, compute: Callable[[], T],
             keep: Callable[[T], bool] | None = None) -> T:
        """``compute()``, kept under ``(name, key)`` for the next caller: a value several files
        need, such as a gemeente's encoded exports or an entry's view. ``compute`` reads only the
        kaart and what ``key`` names; ``keep``: whether a kept value may still be used (else it
        is computed again), for a value made from an argument the kaart did not give (a view
        keeps its entry: ``keep`` checks that it is the caller's). (A recording kaart,
        site/reads.py, gives each later caller what computing it read, and in ``serve`` keeps
        the value across rebuilds until something it read changes.)"""
        slot = (name, key)
        if slot not in self.memos or (keep is not None and not keep(self.memos[slot])):
            self.memos[slot] = compute()
        return cast(T, self.memos[slot])

    def lexicon(self) -> Lexicon:
        """The compound parts of the taxonomy's words (nl/compounds.py), for search aids and the
        search index; made once per kaart (``serve``: until the taxonomies change)."""
        return self.memo("lexicon", None, lambda: Lexicon.from_terms(self.terms))

    def is_stale(self, entry: Entry) -> bool:
        fresh = self.freshness(entry)
        return fresh is not None and fresh.stale


def gemeente_of(entry: Entry) -> str:
    """The gemeente folder of ``entry`` ("" outside one), set by the loader. Read from
    ``__pydantic_private__``: ``entry._gemeente`` goes through pydantic's slow ``__getattr__``."""
    return entry.__pydantic_private__["_gemeente"]
