"""Views: each entry as the pages show it, worked out once per build.

A template never looks anything up in the ``Kaart``: it gets its page's context (site/plan.py),
in which every entry is a view. A view reads the entry's own fields through (``a.titel``) and
adds what a page needs from the rest of the kaart or from rules, decided here and only here:

* ``Where`` -- where an activity takes place: its place, else its own address, else online,
  else only its kern and wijk; in the short form of cards, the line of booklets and hand-outs, and the
  text of calendar files;
* ``kern`` of an activity or place as pages show it: the wijk next to the kern
  ('Baalder, Hardenberg', ``ligging``);
* the contact to show in short listings (the activity's own, else its organiser's);
* the schedule in words (nl/schedule_text.py), freshness (model/freshness.py), the search
  filters and invisible search aids (site/facets.py).

Views are plain data, so a page's context describes the page completely: ``serve`` compares
contexts to know which pages must be made again (serve/incremental.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sociale_kaart.model.entries import (
    Activiteit,
    Adres,
    Contact,
    Entry,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
)
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.nl.compounds import Lexicon, SearchAids
from sociale_kaart.nl.schedule_text import describe_all
from sociale_kaart.site import facets as facet_rules

Facets = facet_rules.Facets


class _View:
    """An entry with more: attributes it does not have itself are read from the entry."""

    __slots__ = ()
    entry: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.entry, name)


def ligging(kern: str | None, wijk: str | None) -> str | None:
    """Kern and wijk as pages show them: 'Baalder, Hardenberg', else the one that is known."""
    return ", ".join(v for v in (wijk, kern) if v) or None


@dataclass(frozen=True, slots=True)
class Where:
    """Where an activity takes place (``where_of``)."""

    plek_slug: str | None  # its place, when it has one (in the same gemeente)
    plek_naam: str | None
    adres: Adres | None  # the place's address, else the activity's own
    online: str | None  # the web address of an online activity
    kern: str | None  # the activity's own kern and wijk (``ligging``)
    in_kern: str | None = None  # the kern it is in: its own, else its place's

    @property
    def kort_met_kern(self) -> str:
        """For search results: 'Buurthuis De Brug (Oost)'; as ``kort`` when that names the kern
        already ('Bibliotheek Centrum', 'Kerkplein 1, Westerdorp')."""
        kort, kern = self.kort, self.in_kern
        if kern and kort and not re.search(rf"(?<!\w){re.escape(kern)}(?!\w)", kort):
            return f"{kort} ({kern})"
        return kort or kern or ""

    @property
    def kort(self) -> str:
        """For cards: the place's name, else 'Brugstraat 12, Kampen', 'Online' or the kern."""
        if self.plek_naam is not None:
            return self.plek_naam
        if self.adres is not None:
            return f"{self.adres.straat} {self.adres.huisnummer}, {self.adres.plaats}"
        if self.online:
            return "Online"
        return self.kern or ""

    @property
    def regel(self) -> str | None:
        """For booklets and hand-outs: 'Buurthuis De Brug, Brugstraat 12a, 7701 AB Vechtstad',
        the address, or 'Online'; None when nothing is known."""
        if self.plek_naam is not None:
            return f"{self.plek_naam}, {self.adres.regel()}" if self.adres else self.plek_naam
        if self.adres is not None:
            return self.adres.regel()
        return "Online" if self.online else None

    @property
    def agenda_tekst(self) -> str | None:
        """For calendar files (LOCATION): as ``regel``, but online the web address itself."""
        if self.plek_naam is not None or self.adres is not None:
            return self.regel
        return self.online


@dataclass(frozen=True, slots=True, eq=False)
class ActivityView(_View):
    entry: Activiteit
    waar: Where
    tijden: tuple[str, ...]  # the schedule in words, a line per rule
    # who to call in short listings: its own contact, else its organiser (an Organisatie)
    contact_kort: Contact | Organisatie | None
    verouderd: bool
    filters: Facets
    zoekhulp: SearchAids

    @property
    def kern(self) -> str | None:
        """The kern with the wijk next to it (``ligging``)."""
        return ligging(self.entry.kern, self.entry.wijk)


@dataclass(frozen=True, slots=True, eq=False)
class PlaceView(_View):
    entry: Ontmoetingsplek
    beheerder: Organisatie | None
    verouderd: bool
    filters: Facets
    zoekhulp: SearchAids
    waar: Where  # its address and kern, as an activity's
    tijden: tuple[str, ...]  # the opening hours in words, a line per rule

    @property
    def kern(self) -> str | None:
        """The kern with the wijk next to it (``ligging``)."""
        return ligging(self.entry.kern, self.entry.wijk)


@dataclass(frozen=True, slots=True, eq=False)
class OrganisationView(_View):
    entry: Organisatie
    verouderd: bool
    filters: Facets
    zoekhulp: SearchAids


@dataclass(frozen=True, slots=True, eq=False)
class PraktijkView(_View):
    entry: Praktijk
    gemeente_namen: tuple[str, ...]
    regio_namen: tuple[str, ...]
    organisatie_namen: tuple[str, ...]
    filters: Facets
    zoekhulp: SearchAids


def where_of(kaart: Kaart, a: Activiteit, g: str) -> Where:
    """The one rule for where an activity is (see ``Where``)."""
    plek = kaart.plekken.get(g, {}).get(a.plek) if a.plek else None
    in_kern = next(iter(facet_rules.activity_kern(kaart, a)), None)
    if plek is not None:
        return Where(plek.slug, plek.naam, plek.adres, None, ligging(a.kern, a.wijk), in_kern)
    return Where(None, None, a.adres, a.online, ligging(a.kern, a.wijk), in_kern)


class Views:
    """Makes the views of one kaart, each once (a card is on many lists)."""

    def __init__(self, kaart: Kaart, lexicon: Lexicon | None = None) -> None:
        self.kaart = kaart
        self.lexicon = lexicon or Lexicon.from_terms(kaart.terms)
        self._made: dict[tuple[str, str, str], Any] = {}

    def _search(self, entry: Activiteit | Ontmoetingsplek | Organisatie | Praktijk) -> SearchAids:
        return facet_rules.entry_search_aids(self.kaart, self.lexicon, entry)

    def _stale(self, entry: Entry) -> bool:
        return self.kaart.is_stale(entry)

    def activity(self, a: Activiteit, g: str) -> ActivityView:
        key = ("activiteit", g, a.slug)
        view = self._made.get(key)
        if view is None or view.entry is not a:
            kaart = self.kaart
            organiser = kaart.organisaties.get(a.organisator) if a.organisator else None
            contact = a.contact if a.contact is not None and not a.contact.is_empty else organiser
            view = self._made[key] = ActivityView(
                a, where_of(kaart, a, g), tuple(describe_all(a.wanneer, kaart.today)), contact,
                self._stale(a), facet_rules.activity_facets(kaart, a, g), self._search(a))
        return view

    def activities(self, entries: list[Activiteit], g: str) -> list[ActivityView]:
        return [self.activity(a, g) for a in entries]

    def place(self, p: Ontmoetingsplek, g: str) -> PlaceView:
        key = ("ontmoetingsplek", g, p.slug)
        view = self._made.get(key)
        if view is None or view.entry is not p:
            kaart = self.kaart
            view = self._made[key] = PlaceView(
                p, kaart.organisaties.get(p.beheerder) if p.beheerder else None, self._stale(p),
                facet_rules.place_facets(kaart, p, g), self._search(p),
                Where(None, None, p.adres, None, p.kern, p.kern),
                tuple(describe_all(p.openingstijden, kaart.today)))
        return view

    def organisation(self, o: Organisatie, g: str) -> OrganisationView:
        key = ("organisatie", g, o.slug)
        view = self._made.get(key)
        if view is None or view.entry is not o:
            view = self._made[key] = OrganisationView(
                o, self._stale(o), facet_rules.organisation_facets(self.kaart, o, g), self._search(o))
        return view

    def praktijk(self, pr: Praktijk) -> PraktijkView:
        key = ("praktijk", "", pr.slug)
        view = self._made.get(key)
        if view is None or view.entry is not pr:
            kaart = self.kaart
            view = self._made[key] = PraktijkView(
                pr, tuple(kaart.gemeenten[s].naam for s in pr.gemeenten),
                tuple(kaart.regios[r][1].naam for r in pr.regios),
                tuple(kaart.organisaties[o].naam for o in pr.organisaties),
                facet_rules.praktijk_facets(kaart, pr), self._search(pr))
        return view
