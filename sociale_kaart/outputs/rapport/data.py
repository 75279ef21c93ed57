"""The report's data: ``rapport_data(kaart)``, a pure function from the linked ``Kaart`` to the
plain dataclasses below, which every rendering of the report reads (formats.py, pages.py).

Definitions (also in CONTRIBUTING.md):

* verouderd: the day the information counts from (``laatst_gecontroleerd``, else the date of its
  newest dated source; model/freshness.py) is older than the gemeente's
  ``controle_termijn_maanden`` (organisations without a gemeente: 12 months), or there is no
  such day (not confirmed, sources without a date). Stopped activities are left out.
* actief: an activity with ``status: actief`` (not paused, not stopped).
* zonder contact: no telephone, e-mail or website on the entry, nor in ``aanmelden``, nor at
  its organisator (activities) or beheerder (places).
* zonder tijden: an active activity without ``wanneer``, a place without ``openingstijden``.
* zonder toegankelijkheid: no ``toegankelijkheid`` terms and no ``toegankelijkheid_toelichting``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sociale_kaart.model.entries import Activiteit, Entry, Ontmoetingsplek, has_contact
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.kinds import CONTENT, KINDS, content_path
from sociale_kaart.nl.words import count

GEEN_BEHEERDER = "(geen beheerder)"
ZONDER_GEMEENTE = ""  # pseudo-gemeente for organisations that list no gemeente
LEVELS = 4  # colour levels for non-zero coverage cells (0 has its own "gap" colour)
PROBLEMEN = ("zonder_contact", "zonder_tijden", "zonder_toegankelijkheid")  # GemeenteKwaliteit


@dataclass(frozen=True)
class Item:
    """One entry in a list of the report."""

    soort: str  # activiteit | ontmoetingsplek | organisatie
    slug: str
    naam: str
    gemeente: str  # slug; "" for organisations without a gemeente
    bestand: str  # repository path, e.g. content/activiteiten/kampen/x.yaml
    bewerken: str | None = None  # GitHub edit link when site.repository is set

    @property
    def woord(self) -> str:
        """The kind in a short Dutch word, for lists: 'activiteit', 'plek', 'organisatie'."""
        return KINDS[self.soort].short_word


@dataclass(frozen=True)
class Verouderd:
    item: Item
    basis: str  # what it counts from: "controle", "bron" or "onbekend" (model/freshness.py)
    sinds: date | None  # the day it counts from; None when "onbekend"
    maanden: int | None  # whole months since then; None when "onbekend"
    uitleg: str  # 'nagevraagd op 3 maart 2025', 'niet nagevraagd; de bron is van juli 2023', ...

    @property
    def volgorde(self) -> tuple:
        """Oldest first; those without any date before all others."""
        return (self.sinds is not None, self.sinds or date.min, self.item.naam.casefold(),
                self.item.bestand)


@dataclass
class GemeenteVersheid:
    gemeente: str
    naam: str
    termijn_maanden: int
    beheerders: list[str]
    gecontroleerd: int  # entries that count for freshness
    verouderd: list[Verouderd]  # oldest first

    @property
    def termijn(self) -> str:
        """'12 maanden', '1 maand'."""
        return count(self.termijn_maanden, "maand", "maanden")

    @property
    def percentage_actueel(self) -> int:
        if not self.gecontroleerd:
            return 100
        return round(100 * (self.gecontroleerd - len(self.verouderd)) / self.gecontroleerd)


@dataclass
class BeheerderVersheid:
    beheerder: str  # '@handle', or GEEN_BEHEERDER
    gemeenten: list[str]
    verouderd: list[Verouderd]  # oldest first


@dataclass(frozen=True)
class Term:
    slug: str
    label: str


@dataclass(frozen=True)
class Cel:
    aantal: int
    niveau: int  # 0 = none (a gap), 1..LEVELS relative to the largest number in the table


@dataclass
class Dekking:
    """Active activities per term (rows) and gemeente (columns)."""

    vocabulaire: str  # themas | doelgroepen
    titel: str
    termen: list[Term]
    gemeenten: list[Term]
    cellen: dict[str, dict[str, Cel]]  # term slug -> gemeente slug -> cel
    totalen: dict[str, int]  # gemeente slug -> active activities
    witte_vlekken: dict[str, list[str]]  # gemeente slug -> term slugs without activity


@dataclass
class GemeenteKwaliteit:
    gemeente: str
    naam: str
    zonder_contact: list[Item]
    zonder_tijden: list[Item]
    zonder_toegankelijkheid: list[Item]

    def problemen(self) -> list[tuple[str, list[Item]]]:
        """(problem, items) for each kind of missing information: 'zonder_contact', ..."""
        return [(name, getattr(self, name)) for name in PROBLEMEN]

    @property
    def aantal(self) -> int:
        return sum(len(items) for _, items in self.problemen())


@dataclass
class Rapport:
    datum: date
    site: str
    versheid: list[GemeenteVersheid]
    per_beheerder: list[BeheerderVersheid]
    dekking: list[Dekking]
    kwaliteit: list[GemeenteKwaliteit]

    @property
    def aantal_verouderd(self) -> int:
        return sum(len(g.verouderd) for g in self.versheid)


def edit_url(repository: str | None, path: str, branch: str = "main") -> str | None:
    if not repository:
        return None
    return f"{repository.rstrip('/').removesuffix('.git')}/edit/{branch}/{path}"


def _item(kaart: Kaart, entry: Entry, gemeente: str, prefix: str, branch: str) -> Item:
    path = content_path(entry, prefix)
    naam = getattr(entry, "naam", None) or getattr(entry, "titel", entry.slug)
    return Item(entry.kind, entry.slug, str(naam), gemeente, path,
                edit_url(kaart.site.repository, path, branch))


def _entries_per_gemeente(kaart: Kaart) -> dict[str, list[Entry]]:
    """The entries per gemeente slug that count for freshness and quality: activities that
    have not stopped, places, and the organisations each gemeente shows (the others under
    ``ZONDER_GEMEENTE``)."""
    out: dict[str, list[Entry]] = {g: [] for g in kaart.gemeenten}
    for g in kaart.activiteiten:
        out.setdefault(g, []).extend(kaart.active(g))
    for g, places in kaart.plekken.items():
        out.setdefault(g, []).extend(places.values())
    placed: set[str] = set()
    for g in kaart.gemeenten:
        for org in kaart.organisaties_per_gemeente.get(g, []):
            out[g].append(org)
            placed.add(org.slug)
    loose = [o for o in kaart.organisaties.values() if o.slug not in placed]
    if loose:
        out[ZONDER_GEMEENTE] = list(loose)
    return out


def _naam(kaart: Kaart, gemeente: str) -> str:
    if gemeente == ZONDER_GEMEENTE:
        return "Zonder gemeente"
    g = kaart.gemeenten.get(gemeente)
    return g.naam if g is not None else gemeente


def _level(n: int, top: int) -> int:
    if n <= 0 or top <= 0:
        return 0
    return max(1, min(LEVELS, -(-n * LEVELS // top)))  # ceil(n / top * LEVELS)


def _coverage(kaart: Kaart, vocab: str, titel: str) -> Dekking:
    """Active activities per term of ``vocab`` (an attribute of Activiteit too) and gemeente."""
    terms = [Term(slug, t.label) for slug, t in kaart.terms.get(vocab, {}).items()]
    gemeenten = [Term(slug, g.naam) for slug, g in kaart.gemeenten.items()]
    counts = {t.slug: {g.slug: 0 for g in gemeenten} for t in terms}
    totalen = {g.slug: 0 for g in gemeenten}
    for g in totalen:
        for a in kaart.activiteiten.get(g, {}).values():
            if a.status != "actief":
                continue
            totalen[g] += 1
            for slug in dict.fromkeys(getattr(a, vocab)):
                if slug in counts:
                    counts[slug][g] += 1
    top = max((n for row in counts.values() for n in row.values()), default=0)
    cellen = {t: {g: Cel(n, _level(n, top)) for g, n in row.items()} for t, row in counts.items()}
    gaps = {g.slug: [t.slug for t in terms if counts[t.slug][g.slug] == 0] for g in gemeenten}
    return Dekking(vocab, titel, terms, gemeenten, cellen, totalen, gaps)


def rapport_data(kaart: Kaart, *, content_prefix: str = CONTENT,
                 branch: str = "main") -> Rapport:
    """The whole report for ``kaart`` on ``kaart.today``. Pure: reads, never writes."""
    today = kaart.today
    per_gemeente = _entries_per_gemeente(kaart)

    versheid: list[GemeenteVersheid] = []
    for g, entries in per_gemeente.items():
        stale = []
        for entry in entries:
            # The one rule of check and the pages (model/freshness.py): an organisation in
            # several gemeenten is judged by the strictest term among them.
            fresh = kaart.freshness(entry)
            if fresh is not None and fresh.stale:
                known = fresh.basis != "onbekend"
                stale.append(Verouderd(_item(kaart, entry, g, content_prefix, branch), fresh.basis,
                                       fresh.checked, fresh.months_old if known else None,
                                       fresh.uitleg))
        stale.sort(key=lambda v: v.volgorde)
        gem = kaart.gemeenten.get(g)
        handles = list(gem.beheer.beheerders) if gem is not None and gem.beheer else []
        versheid.append(GemeenteVersheid(g, _naam(kaart, g), kaart.gemeente_term_months(g), handles,
                                         len(entries), stale))

    by_handle: dict[str, BeheerderVersheid] = {}
    for gv in versheid:
        for handle in gv.beheerders or [GEEN_BEHEERDER]:
            bv = by_handle.setdefault(handle, BeheerderVersheid(handle, [], []))
            bv.gemeenten.append(gv.gemeente)
            bv.verouderd.extend(gv.verouderd)
    per_beheerder = sorted(by_handle.values(),
                           key=lambda b: (b.beheerder == GEEN_BEHEERDER, b.beheerder.casefold()))
    for bv in per_beheerder:
        unique = {v.item.bestand: v for v in bv.verouderd}  # an organisation can be in several gemeenten
        bv.verouderd = list(unique.values())
        bv.verouderd.sort(key=lambda v: v.volgorde)

    kwaliteit: list[GemeenteKwaliteit] = []
    for g, entries in per_gemeente.items():
        if g == ZONDER_GEMEENTE:
            continue
        q = GemeenteKwaliteit(g, _naam(kaart, g), [], [], [])
        for entry in entries:
            if isinstance(entry, Activiteit):
                contact = has_contact(entry.contact, entry.aanmelden,
                                      kaart.organisaties.get(entry.organisator or ""))
                times = bool(entry.wanneer) or entry.status != "actief"
            elif isinstance(entry, Ontmoetingsplek):
                contact = has_contact(entry.contact, kaart.organisaties.get(entry.beheerder or ""))
                times = bool(entry.openingstijden)
            else:
                continue  # an organisation counts for freshness only
            item = _item(kaart, entry, g, content_prefix, branch)
            if not contact:
                q.zonder_contact.append(item)
            if not times:
                q.zonder_tijden.append(item)
            if not entry.toegankelijkheid and not entry.toegankelijkheid_toelichting:
                q.zonder_toegankelijkheid.append(item)
        for _, items in q.problemen():
            items.sort(key=lambda i: (i.soort, i.naam.casefold(), i.bestand))
        kwaliteit.append(q)

    dekking = [_coverage(kaart, "themas", "Actieve activiteiten per thema"),
               _coverage(kaart, "doelgroepen", "Actieve activiteiten per doelgroep")]
    return Rapport(today, kaart.site.naam, versheid, per_beheerder, dekking, kwaliteit)
