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
* ``NextStep`` -- whom a resident can ask (``next_step``): the entry's own contact, else its
  organiser's or place's, else the gemeente's ``loket``, else a plain sentence; every template
  that says "vraag het na" or shows a contact uses it, so a page never says "bel of mail X"
  when X has no phone or e-mail;
* ``Herkomst`` -- where the information comes from and whether it was confirmed with the
  organisation (``origin_of``, from model/freshness.py);
* the "Klopt er iets niet?" link of an entry (``report_link``): a prefilled GitHub issue form
  when the site has a repository, else an e-mail to the gemeente's beheer;
* the schedule in words (nl/schedule_text.py), freshness (model/freshness.py), the search
  filters and invisible search aids (site/facets.py).

Views are plain data, so a page's context describes the page completely: ``serve`` compares
contexts to know which pages must be made again (serve/incremental.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import quote, urlencode

from sociale_kaart.authoring.decap import repo_name
from sociale_kaart.model.entries import (
    Activiteit,
    Adres,
    Contact,
    Entry,
    Gemeente,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Sourced,
    has_contact,
)
from sociale_kaart.model.fields import choice_label
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.kinds import content_path
from sociale_kaart.nl.compounds import SearchAids
from sociale_kaart.nl.dates import format_date
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


class _LocatedView(_View):
    """The view of an entry with a kern and a wijk (activities and places)."""

    __slots__ = ()

    @property
    def kern(self) -> str | None:
        """The kern with the wijk next to it (``ligging``)."""
        return ligging(self.entry.kern, self.entry.wijk)


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


StepSource = Literal["eigen", "organisator", "plek", "beheerder", "loket", "gemeente", "geen"]


@dataclass(frozen=True, slots=True)
class NextStep:
    """Whom a resident can ask about an entry (``next_step``). ``naam`` is who it is; at least
    one of ``telefoon``, ``email`` and ``website`` is set, except when ``bron`` is "geen": then
    nothing is known and ``zin`` says plainly whom to ask."""

    bron: StepSource  # where it came from: the entry itself, its organiser, place, the loket ...
    naam: str | None
    telefoon: str | None = None
    email: str | None = None
    website: str | None = None
    pagina: str | None = None  # the path of its page in the gemeente site, e.g. 'organisaties/x/'
    gemeente: str = ""  # the gemeente's name, for ``zin``

    @property
    def bij(self) -> str:
        """'bij Wijz', for 'Vraag het na bij Wijz'."""
        if self.bron == "geen" or not self.naam:
            return f"bij de gemeente {self.gemeente}, uw huisarts of het wijkteam"
        return f"bij {self.naam}"

    @property
    def zin(self) -> str:
        """The whole advice as one sentence, without the ways to reach them."""
        return f"Vraag het na {self.bij}."


def _step(source: StepSource, naam: str | None, holder: Any, pagina: str | None = None,
          gemeente: str = "") -> NextStep:
    return NextStep(source, naam, getattr(holder, "telefoon", None), getattr(holder, "email", None),
                    getattr(holder, "website", None), pagina, gemeente)


def next_step(kaart: Kaart, entry: Entry, g: str) -> NextStep:
    """The one rule for whom a resident can ask about ``entry`` on the pages of gemeente ``g``:
    its own contact (and sign-up details), else its organiser's, else its place's (or that
    place's beheerder), else the gemeente's ``loket``, else the gemeente's website, else a plain
    sentence (``NextStep.bron == "geen"``). Only someone who can be reached counts."""
    gemeente: Gemeente | None = kaart.gemeenten.get(g)
    gname = gemeente.naam if gemeente is not None else ""

    def org_step(source: StepSource, slug: str | None) -> NextStep | None:
        org = kaart.organisaties.get(slug) if slug else None
        if org is not None and has_contact(org):
            return _step(source, org.naam, org, f"organisaties/{org.slug}/", gname)
        return None

    candidates: list[NextStep | None] = []
    if isinstance(entry, Activiteit):
        own = entry.contact
        if own is not None and has_contact(own):
            candidates.append(_step("eigen", own.naam or _org_name(kaart, entry.organisator) or entry.titel,
                                    own, gemeente=gname))
        if entry.aanmelden is not None and has_contact(entry.aanmelden):
            candidates.append(_step("eigen", _org_name(kaart, entry.organisator) or entry.titel,
                                    entry.aanmelden, gemeente=gname))
        candidates.append(org_step("organisator", entry.organisator))
        plek = kaart.plekken.get(g, {}).get(entry.plek) if entry.plek else None
        if plek is not None:
            if plek.contact is not None and has_contact(plek.contact):
                candidates.append(_step("plek", plek.naam, plek.contact, f"plekken/{plek.slug}/", gname))
            candidates.append(org_step("plek", plek.beheerder))
    elif isinstance(entry, Ontmoetingsplek):
        if entry.contact is not None and has_contact(entry.contact):
            candidates.append(_step("eigen", entry.contact.naam or entry.naam, entry.contact,
                                    gemeente=gname))
        candidates.append(org_step("beheerder", entry.beheerder))
    elif isinstance(entry, Organisatie):
        if has_contact(entry):
            candidates.append(_step("eigen", entry.naam, entry, gemeente=gname))
    elif isinstance(entry, Praktijk):
        for person in entry.contacten:
            if person.email or person.telefoon:
                candidates.append(_step("eigen", person.organisatie or entry.titel, person,
                                        gemeente=gname))
        candidates.extend(org_step("organisator", slug) for slug in entry.organisaties)
    for found in candidates:
        if found is not None:
            return found
    return gemeente_step(gemeente)


def gemeente_step(gemeente: Gemeente | None) -> NextStep:
    """Whom to ask when nothing more specific can be reached (the end of ``next_step``, and
    the printed pages' ``paper.vraagpunt``): the gemeente's ``loket``, else the gemeente's
    website, else a plain sentence."""
    gname = gemeente.naam if gemeente is not None else ""
    loket = gemeente.loket if gemeente is not None else None
    if loket is not None and has_contact(loket):
        return _step("loket", loket.naam, loket, gemeente=gname)
    if gemeente is not None and gemeente.website:
        return NextStep("gemeente", f"de gemeente {gname}", website=gemeente.website, gemeente=gname)
    return NextStep("geen", None, gemeente=gname)


def _org_name(kaart: Kaart, slug: str | None) -> str | None:
    org = kaart.organisaties.get(slug) if slug else None
    return org.naam if org is not None else None


@dataclass(frozen=True, slots=True)
class Herkomst:
    """Where an entry's information comes from, for the bottom of its page (``origin_of``)."""

    bronnen: tuple[tuple[str, str | None], ...]  # (text as cited, web address) per source
    nagevraagd: str | None  # 'Nagevraagd bij Wijz op 3 maart 2026.' only when it was
    let_op: str | None  # the warning when the information is out of date


def origin_of(kaart: Kaart, entry: Entry, asked: str | None) -> Herkomst | None:
    """The ``Herkomst`` of an entry with sources; ``asked`` is the organisation it was confirmed
    with (its organiser, beheerder or itself), when known."""
    if not isinstance(entry, Sourced):
        return None
    fresh = kaart.freshness(entry)
    checked = entry.laatst_gecontroleerd
    nagevraagd = None
    if checked is not None:
        nagevraagd = (f"Nagevraagd{f' bij {asked}' if asked else ''} op "
                      f"{format_date(checked, year=True)}.")
    return Herkomst(tuple((b.tekst, b.url) for b in entry.bron), nagevraagd,
                    fresh.let_op if fresh is not None and fresh.stale else None)


ISSUE_FORM = "klopt-er-iets-niet.yml"  # .github/ISSUE_TEMPLATE/, fields 'bestand' and 'pagina'


def report_link(kaart: Kaart, entry: Entry, g: str, page: str) -> str | None:
    """The "Klopt er iets niet?" link of an entry's page ``page`` (a path from the site root):
    GitHub's issue form with the entry's file and page filled in when the site has a GitHub
    repository, else an e-mail to the gemeente's beheer contact (or its loket); None when
    there is neither."""
    name = str(getattr(entry, "naam", entry.slug))
    file = content_path(entry)
    base = kaart.site.basis_url
    address = f"{base.rstrip('/')}/{page}" if base else f"/{page}"
    repository = kaart.site.repository
    if repository and repo_name(repository):
        query = urlencode({"template": ISSUE_FORM, "title": f"Klopt niet: {name}",
                           "bestand": file, "pagina": address})
        return f"{repository.rstrip('/').removesuffix('.git')}/issues/new?{query}"
    gemeente = kaart.gemeenten.get(g)
    beheer = gemeente.beheer.contact if gemeente is not None and gemeente.beheer else None
    email = (beheer.email if beheer is not None else None) or \
        (gemeente.loket.email if gemeente is not None and gemeente.loket else None)
    if not email:
        return None
    body = (f"Wat klopt er niet op de pagina over {name}?\n\n\n\nPagina: {address}\n"
            f"Voor de beheerder: het bestand is {file}")
    return f"mailto:{email}?" + urlencode({"subject": f"Klopt er iets niet? {name}", "body": body},
                                          quote_via=quote)


@dataclass(frozen=True, slots=True, eq=False)
class ActivityView(_LocatedView):
    entry: Activiteit
    waar: Where
    tijden: tuple[str, ...]  # the schedule in words, a line per rule
    # who to call in short listings: its own contact, else its organiser (an Organisatie)
    contact_kort: Contact | Organisatie | None
    verouderd: bool
    filters: Facets
    zoekhulp: SearchAids
    stap: NextStep  # whom to ask (next_step)
    herkomst: Herkomst | None
    melden: str | None  # the "Klopt er iets niet?" link (report_link)
    tijd_onbekend: bool  # a rule of 'wanneer' has days but no time: "Tijd: vraag het na"


@dataclass(frozen=True, slots=True, eq=False)
class PlaceView(_LocatedView):
    entry: Ontmoetingsplek
    beheerder: Organisatie | None
    verouderd: bool
    filters: Facets
    zoekhulp: SearchAids
    waar: Where  # its address and kern, as an activity's
    tijden: tuple[str, ...]  # the opening hours in words, a line per rule
    stap: NextStep
    herkomst: Herkomst | None
    melden: str | None


@dataclass(frozen=True, slots=True, eq=False)
class OrganisationView(_View):
    entry: Organisatie
    verouderd: bool
    filters: Facets
    zoekhulp: SearchAids
    stap: NextStep
    herkomst: Herkomst | None
    melden: str | None


@dataclass(frozen=True, slots=True, eq=False)
class PraktijkView(_View):
    entry: Praktijk
    gemeente_namen: tuple[str, ...]
    regio_namen: tuple[str, ...]
    organisatie_namen: tuple[str, ...]
    filters: Facets
    zoekhulp: SearchAids
    herkomst: Herkomst | None

    @property
    def status_tekst(self) -> str | None:
        """The phase in words for residents (the model's ``keuzes``)."""
        status = self.entry.status
        return choice_label(Praktijk, "status", status) if status else None


def where_of(kaart: Kaart, a: Activiteit, g: str) -> Where:
    """The one rule for where an activity is (see ``Where``)."""
    plek = kaart.plekken.get(g, {}).get(a.plek) if a.plek else None
    in_kern = next(iter(facet_rules.activity_kern(kaart, a)), None)
    if plek is not None:
        return Where(plek.slug, plek.naam, plek.adres, None, ligging(a.kern, a.wijk), in_kern)
    return Where(None, None, a.adres, a.online, ligging(a.kern, a.wijk), in_kern)


class Views:
    """Makes the views of one kaart, each once (a card is on many lists).

    Views are kept with the kaart (``Kaart.memo``): in ``serve`` a view stays across rebuilds
    until something it read of the kaart changes or its entry is replaced (an edited file), so
    a rebuild after one edit makes (and fingerprints, site/fingerprint.py) only the views that
    the edit can have changed."""

    def __init__(self, kaart: Kaart) -> None:
        self.kaart = kaart
        self.lexicon = kaart.lexicon()

    def _search(self, entry: Activiteit | Ontmoetingsplek | Organisatie | Praktijk) -> SearchAids:
        return facet_rules.entry_search_aids(self.kaart, self.lexicon, entry)

    def _stale(self, entry: Entry) -> bool:
        return self.kaart.is_stale(entry)

    def _view(self, kind: str, g: str, entry: Any, make: Any) -> Any:
        return self.kaart.memo("view", (kind, g, entry.slug), make,
                               keep=lambda view: view.entry is entry)

    def activity(self, a: Activiteit, g: str) -> ActivityView:
        def make() -> ActivityView:
            kaart = self.kaart
            organiser = kaart.organisaties.get(a.organisator) if a.organisator else None
            contact = a.contact if a.contact is not None and not a.contact.is_empty else organiser
            page = f"{g}/activiteiten/{a.slug}/"
            return ActivityView(
                a, where_of(kaart, a, g), tuple(describe_all(a.wanneer, kaart.today)), contact,
                self._stale(a), facet_rules.activity_facets(kaart, a, g), self._search(a),
                next_step(kaart, a, g), origin_of(kaart, a, organiser.naam if organiser else None),
                report_link(kaart, a, g, page), any(s.van is None for s in a.wanneer))
        return cast(ActivityView, self._view("activiteit", g, a, make))

    def activities(self, entries: list[Activiteit], g: str) -> list[ActivityView]:
        return [self.activity(a, g) for a in entries]

    def place(self, p: Ontmoetingsplek, g: str) -> PlaceView:
        def make() -> PlaceView:
            kaart = self.kaart
            beheerder = kaart.organisaties.get(p.beheerder) if p.beheerder else None
            return PlaceView(
                p, beheerder, self._stale(p), facet_rules.place_facets(kaart, p, g), self._search(p),
                Where(None, None, p.adres, None, ligging(p.kern, p.wijk), p.kern or p.wijk),
                tuple(describe_all(p.openingstijden, kaart.today)),
                next_step(kaart, p, g), origin_of(kaart, p, beheerder.naam if beheerder else p.naam),
                report_link(kaart, p, g, f"{g}/plekken/{p.slug}/"))
        return cast(PlaceView, self._view("ontmoetingsplek", g, p, make))

    def organisation(self, o: Organisatie, g: str) -> OrganisationView:
        def make() -> OrganisationView:
            kaart = self.kaart
            return OrganisationView(
                o, self._stale(o), facet_rules.organisation_facets(kaart, o, g), self._search(o),
                next_step(kaart, o, g), origin_of(kaart, o, o.naam),
                report_link(kaart, o, g, f"{g}/organisaties/{o.slug}/"))
        return cast(OrganisationView, self._view("organisatie", g, o, make))

    def praktijk(self, pr: Praktijk) -> PraktijkView:
        def make() -> PraktijkView:
            kaart = self.kaart
            return PraktijkView(
                pr, tuple(kaart.gemeenten[s].naam for s in pr.gemeenten),
                tuple(kaart.regios[r][1].naam for r in pr.regios),
                tuple(kaart.organisaties[o].naam for o in pr.organisaties),
                facet_rules.praktijk_facets(kaart, pr), self._search(pr), origin_of(kaart, pr, None))
        return cast(PraktijkView, self._view("praktijk", "", pr, make))
