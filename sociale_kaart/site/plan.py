"""The page plan: which files a site has and what each one shows, without rendering.

``gemeente_pages`` lists every file of one gemeente folder, ``province_pages`` the
province-wide ones; each ``Page`` holds its template and its context (views of the entries,
site/views.py) or a function that makes its bytes. ``build`` renders the whole plan; ``serve``
plans again after an edit and renders only the pages whose plan changed.
"""


from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

from sociale_kaart.authoring.decap import gemeente_admin_files, province_admin_files, repo_name
from sociale_kaart.model.entries import Activiteit, Entry, Praktijk
from sociale_kaart.model.kaart import Kaart, gemeente_of
from sociale_kaart.model.occurrences import (
    agenda_of_occurrences,
    filter_agenda,
    occurrences,
    opening_json,
    week_table,
)
from sociale_kaart.nl.schedule_text import describe_all
from sociale_kaart.nl.words import DAGDELEN
from sociale_kaart.outputs import ical, jsonld
from sociale_kaart.outputs.ical import Calendars
from sociale_kaart.outputs.news import atom_feed, news_items
from sociale_kaart.outputs.opendata import export_plan
from sociale_kaart.outputs.rapport.data import rapport_data
from sociale_kaart.outputs.rapport.pages import rapport_csv_files, rapport_pages
from sociale_kaart.outputs.sitemap import robots, sitemaps
from sociale_kaart.pipeline.history import NEWS_DAYS
from sociale_kaart.site.facets import facet_file
from sociale_kaart.site.pages import ROOT_LINKS, Page
from sociale_kaart.site.paper import paper_pages, site_address
from sociale_kaart.site.theme import Assets
from sociale_kaart.site.views import Views, report_link

AGENDA_DAYS = 14


UPCOMING_DAYS = 60  # an activity page lists its next occurrences within this many days


def _activity_sort(a: Activiteit) -> tuple:
    return (a.titel.casefold(), a.slug)


def _per_term(kaart: Kaart, active: list[Activiteit]
              ) -> tuple[dict[str, list[Activiteit]], dict[str, list[Activiteit]]]:
    """The listed activities per theme and per target group (vocabulary order, sorted)."""
    themes: dict[str, list[Activiteit]] = {}
    groups: dict[str, list[Activiteit]] = {}
    for a in active:
        for t in a.themas:
            themes.setdefault(t, []).append(a)
        for d in a.doelgroepen:
            groups.setdefault(d, []).append(a)
    order_t = list(kaart.terms.get("themas", {}))
    order_d = list(kaart.terms.get("doelgroepen", {}))
    return ({t: sorted(themes[t], key=_activity_sort) for t in sorted(themes, key=order_t.index)},
            {d: sorted(groups[d], key=_activity_sort) for d in sorted(groups, key=order_d.index)})


def _counts(per_thema: dict[str, list], per_doelgroep: dict[str, list]) -> dict[str, dict[str, int]]:
    """``counts`` in every gemeente page's context: numbers, not the activities themselves, so
    that ``serve`` re-renders the pages that show them only when a number changes."""
    return {"per_thema": {t: len(acts) for t, acts in per_thema.items()},
            "per_doelgroep": {d: len(acts) for d, acts in per_doelgroep.items()}}


def calendars(kaart: Kaart, build_time: datetime,
              reuse: ical.Calendars | None = None) -> ical.Calendars:
    """The maker of a build's .ics files. ``reuse`` (``serve`` passes the one of its previous
    rebuild) is returned when it makes the same files: its activities' events are then not made
    again, which is most of the time the gemeente feed takes after an edit."""
    domain = _uid_domain(kaart)
    if reuse is not None and reuse.uid_domain == domain and reuse.dtstamp == build_time:
        return reuse
    return ical.Calendars(domain, build_time)


def gemeente_pages(kaart: Kaart, g: str, build_time: datetime,
                   reuse_calendars: ical.Calendars | None = None,
                   views: Views | None = None) -> list[Page]:
    """Every page of one gemeente's site, under ``<g>/``. Templates get views of the entries
    (site/views.py), never the kaart."""
    views = views or Views(kaart)
    gemeente = kaart.gemeenten[g]
    today = kaart.today
    all_acts = sorted(kaart.activiteiten.get(g, {}).values(), key=_activity_sort)
    listed = [a for a in all_acts if a.status != "gestopt"]
    active = [a for a in all_acts if a.status == "actief"]
    plekken = sorted(kaart.plekken.get(g, {}).values(), key=lambda p: (p.naam.casefold(), p.slug))
    orgs = kaart.organisaties_per_gemeente.get(g, [])
    praktijken = kaart.praktijken_per_gemeente.get(g, [])
    per_thema, per_doelgroep = _per_term(kaart, listed)
    counts = _counts(per_thema, per_doelgroep)
    listed_views = views.activities(listed, g)
    plek_views = [views.place(p, g) for p in plekken]  # lists show a place's wijk next to its kern
    # The coming occurrences of each active activity: its page shows the first few, the agenda
    # the first AGENDA_DAYS days.
    ahead = {a.slug: occurrences(a.wanneer, today, today + timedelta(days=UPCOMING_DAYS))
             for a in active if a.wanneer}
    agenda = agenda_of_occurrences([(views.activity(a, g), ahead[a.slug]) for a in active
                                    if a.wanneer], today, AGENDA_DAYS)
    beheer = gemeente.beheer
    beheerder = kaart.organisaties.get(beheer.organisatie) if beheer and beheer.organisatie else None
    base = {"gemeente": gemeente, "g": g, "counts": counts, "build_time": build_time,
            "praktijken": praktijken, "beheerder": beheerder}
    pages: list[Page] = []

    def add(path: str, template: str, **ctx: Any) -> None:
        pages.append(Page(f"{g}/{path}", template, {**base, **ctx}, gemeente=g))

    add("index.html", "home.html", activiteiten=listed_views, plekken=plek_views,
        deze_week=agenda[:7])
    add("activiteiten/index.html", "activiteiten.html", activiteiten=listed_views)
    # Each activity's events are serialized once, for its own .ics and for the gemeente feed.
    cals = calendars(kaart, build_time, reuse_calendars)
    for a in all_acts:
        view = views.activity(a, g)
        plek = kaart.plekken.get(g, {}).get(a.plek) if a.plek else None
        organisator = kaart.organisaties.get(a.organisator) if a.organisator else None
        upcoming = ahead.get(a.slug, [])[:5] if a.status == "actief" else []
        has_ics = bool(a.wanneer) and a.status == "actief" and ical.has_events(a)
        add(f"activiteiten/{a.slug}/index.html", "activiteit.html", a=view, plek=plek,
            organisator=organisator, upcoming=upcoming, heeft_ics=has_ics,
            jsonld=jsonld.event(kaart, a, g, plek, organisator, upcoming))
        if has_ics:
            make = partial(cals.activity_calendar, a, url=activity_url(kaart, g, a.slug),
                           location_text=view.waar.agenda_tekst)
            # make() is never None here: the activity has events (has_ics).
            pages.append(Page(f"{g}/activiteiten/{a.slug}.ics", None, {"a": view},
                              gemeente=g, make=cast("Callable[[], bytes]", make)))
    add("plekken/index.html", "plekken.html", plekken=plek_views)
    for p in plekken:
        acts = sorted((a for a in kaart.activiteiten_per_plek.get((g, p.slug), [])
                       if a.status != "gestopt"), key=_activity_sort)
        add(f"plekken/{p.slug}/index.html", "plek.html", p=views.place(p, g),
            activiteiten=views.activities(acts, g), week=week_table(p.openingstijden, today),
            opening=opening_json(p.openingstijden),
            jsonld=jsonld.place(kaart, p, g))
    add("organisaties/index.html", "organisaties.html", organisaties=orgs)
    for o in orgs:
        acts = sorted((a for a in kaart.activiteiten_per_organisatie.get(o.slug, [])
                       if gemeente_of(a) == g and a.status != "gestopt"), key=_activity_sort)
        beheert = [p for p in plekken if p.beheerder == o.slug]
        add(f"organisaties/{o.slug}/index.html", "organisatie.html", o=views.organisation(o, g),
            activiteiten=views.activities(acts, g), plekken_beheerd=beheert,
            praktijken_betrokken=[pr for pr in praktijken if o.slug in pr.organisaties],
            web_adres=site_address(kaart, g, f"organisaties/{o.slug}/"),
            jsonld=jsonld.organization(kaart, o))
    add("themas/index.html", "themas.html")
    for t, acts in per_thema.items():
        add(f"themas/{t}/index.html", "lijst.html", soort="thema",
            term=kaart.term("themas", t), activiteiten=views.activities(acts, g))
    add("doelgroepen/index.html", "doelgroepen.html")
    for d, acts in per_doelgroep.items():
        add(f"doelgroepen/{d}/index.html", "lijst.html", soort="doelgroep",
            term=kaart.term("doelgroepen", d), activiteiten=views.activities(acts, g))
    add("praktijken/index.html", "praktijken.html")
    for pr in praktijken:
        add(f"praktijken/{pr.slug}/index.html", "praktijk.html", pr=views.praktijk(pr),
            related=_related_praktijken(kaart, pr),
            melden_link=report_link(kaart, pr, g, f"{g}/praktijken/{pr.slug}/"))
    # For residents: who keeps the kaart, where its information comes from, how to report a
    # mistake, what its words mean (the maintainers' report is linked from here, not from
    # every footer); and Welzijn op Recept explained where an activity says it suits it.
    shown: list[Entry] = [*all_acts, *plekken, *orgs, *praktijken]
    add("over/index.html", "over.html", bronnen=sources_used(shown),
        handleiding=handbook_url(kaart))
    add("wat-is-welzijn-op-recept/index.html", "wat-is-welzijn-op-recept.html",
        aantal_wor=sum(1 for a in listed if a.welzijn_op_recept))
    # Agenda: all, and one page per dagdeel and per theme (filters as links).
    add("agenda/index.html", "agenda.html", agenda=agenda, filter_dagdeel=None, filter_thema=None)
    for dd in DAGDELEN:
        add(f"agenda/{dd}/index.html", "agenda.html", agenda=filter_agenda(agenda, dagdeel=dd),
            filter_dagdeel=dd, filter_thema=None)
    for t in per_thema:
        add(f"agenda/thema/{t}/index.html", "agenda.html", agenda=filter_agenda(agenda, thema=t),
            filter_dagdeel=None, filter_thema=t)
    in_feed = [a for a in active if a.wanneer]
    # The feed's arguments are plain data (site/fingerprint.py): its events' addresses and places.
    urls = {a.slug: activity_url(kaart, g, a.slug) for a in in_feed}
    locations = {a.slug: views.activity(a, g).waar.agenda_tekst for a in in_feed}
    feed = partial(cals.gemeente_feed, in_feed, name=f"{kaart.site.naam}: {gemeente.naam}",
                   url_for=SlugLookup(urls), location_for=SlugLookup(locations))
    pages.append(Page(f"{g}/agenda.ics", None, gemeente=g, make=feed))
    # Paper: the booklets (all, per target group, per kern) and the Welzijn op Recept folder.
    paper_pages(kaart, g, views, listed, add, build_time)
    # Mijn lijstje shows no activities of its own: its script fetches each listed one's page.
    add("lijstje/index.html", "lijstje.html")
    # The search page offers the loket when nothing is found: its opening hours in words.
    add("zoeken/index.html", "zoeken.html", loket_tijden=tuple(
        describe_all(gemeente.loket.openingstijden, today)) if gemeente.loket else ())
    # News for professionals: what was added, changed or stopped lately (dates from git).
    nieuws = news_items(kaart, g)
    add("nieuws/index.html", "nieuws.html", nieuws=nieuws, nieuws_dagen=NEWS_DAYS)
    pages.append(Page(f"{g}/nieuws.xml", None, {"nieuws": nieuws}, gemeente=g, make=partial(
        atom_feed, nieuws, g=g, gemeente_naam=gemeente.naam, site_naam=kaart.site.naam,
        host=_uid_domain(kaart), base_url=kaart.site.basis_url, updated=build_time)))
    pages.append(Page(f"{g}/zoekfilters.json", None, body=facet_file(kaart, g), gemeente=g))
    add("404.html", "404.html", **{ROOT_LINKS: True})
    return pages


def province_pages(kaart: Kaart, build_time: datetime, views: Views | None = None) -> list[Page]:
    views = views or Views(kaart)
    base = {"gemeente": None, "g": "", "build_time": build_time}
    # The gemeente chooser: per province (in alphabetical order), the gemeenten by name.
    per_provincie: dict[str, list[tuple[str, str, int]]] = {}
    for g, gm in kaart.gemeenten.items():
        per_provincie.setdefault(gm.provincie, []).append((g, gm.naam, len(kaart.active(g))))
    keuze = [(prov, per_provincie[prov]) for prov in sorted(per_provincie)]
    praktijken = sorted(kaart.praktijken.values(), key=lambda p: p.titel.casefold())
    pages = [Page("index.html", "province.html", {**base, "gemeente_keuze": keuze,
                                                   "aantal_praktijken": len(kaart.praktijken)}),
             Page("kennisbank/index.html", "kennisbank.html",
                  {**base, "praktijken": [views.praktijk(pr) for pr in praktijken]}),
             Page("404.html", "404.html", {**base, ROOT_LINKS: True}),
             Page("lijstje/index.html", "lijstje.html", base)]
    pages.append(Page("_redirects", None, body=netlify_redirects(kaart)))
    pages.append(Page("zoekfilters.json", None, body=facet_file(kaart)))
    for pr in kaart.praktijken.values():
        pages.append(Page(f"kennisbank/{pr.slug}/index.html", "praktijk.html",
                          {**base, "pr": views.praktijk(pr),
                           "related": _related_praktijken(kaart, pr),
                           "melden_link": report_link(kaart, pr, "", f"kennisbank/{pr.slug}/")}))
    everything: list[Entry] = [*kaart.organisaties.values(), *kaart.praktijken.values(),
                               *(p for d in kaart.plekken.values() for p in d.values()),
                               *(a for d in kaart.activiteiten.values() for a in d.values())]
    pages.append(Page("over/index.html", "over.html",
                      {**base, "bronnen": sources_used(everything),
                       "handleiding": handbook_url(kaart)}))
    # Reports for maintainers and policy makers (not indexed by search).
    report = rapport_data(kaart)
    for path, ctx in rapport_pages(report):
        pages.append(Page(path, ctx["template"], {**base, **ctx}))
    for path, data in rapport_csv_files(report):
        pages.append(Page(path, None, body=data))
    return pages


def sources_used(entries: list[Entry]) -> list[tuple[str, str | None, int]]:
    """The sources of ``entries`` as pages cite them, each once: (text, web address, number of
    entries from it), most used first."""
    used: dict[tuple[str, str | None], int] = {}
    for entry in entries:
        for key in dict.fromkeys((b.tekst, b.url) for b in getattr(entry, "bron", None) or []):
            used[key] = used.get(key, 0) + 1
    return [(tekst, url, n) for (tekst, url), n in sorted(used.items(), key=lambda kv: (-kv[1], kv[0][0]))]


def handbook_url(kaart: Kaart) -> str | None:
    """The maintainers' handbook (CONTRIBUTING.md) in the site's repository, when known."""
    repository = kaart.site.repository
    if not repository or not repo_name(repository):
        return None
    return f"{repository.rstrip('/').removesuffix('.git')}/blob/main/CONTRIBUTING.md"


def activity_url(kaart: Kaart, g: str, slug: str) -> str | None:
    """The absolute address of an activity's page, when the site has a base URL."""
    base = kaart.site.basis_url
    return f"{base.rstrip('/')}/{g}/activiteiten/{slug}/" if base else None


@dataclass(frozen=True)
class SlugLookup:
    """A value per activity slug, as a function of the activity (for the calendar feed)."""

    values: dict[str, str | None]

    def __call__(self, activity: Any) -> str | None:
        return self.values.get(activity.slug)


def netlify_redirects(kaart: Kaart) -> bytes:
    """Netlify's ``_redirects``: a missing page under a gemeente gets that gemeente's 404 page
    (with its search), any other missing page the root's (the rule in netlify.toml, which
    Netlify reads after this file). A rule never hides a file that exists."""
    lines = ["# Made by sociale-kaart build: the 404 page of each gemeente."]
    lines += [f"/{g}/*  /{g}/404.html  404" for g in sorted(kaart.gemeenten)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _related_praktijken(kaart: Kaart, pr: Praktijk, limit: int = 3) -> list[Praktijk]:
    def score(other: Praktijk) -> int:
        return (2 * len(set(other.themas) & set(pr.themas))
                + len(set(other.doelgroepen) & set(pr.doelgroepen))
                + len(set(other.regios) & set(pr.regios)))
    others = [(score(o), o.titel.casefold(), o) for o in kaart.praktijken.values()
              if o.slug != pr.slug]
    return [o for s, _, o in sorted(others, key=lambda t: (-t[0], t[1])) if s > 0][:limit]


def _uid_domain(kaart: Kaart) -> str:
    from urllib.parse import urlsplit
    host = urlsplit(kaart.site.basis_url).hostname if kaart.site.basis_url else None
    return host or "sociale-kaart.local"  # a validated Url always has a host


def section_pages(kaart: Kaart, g: str, now: datetime, assets: Assets,
                  reuse_calendars: Calendars | None = None) -> list[Page]:
    """The pages and assets of one gemeente folder, in write order (no rendering)."""
    pages = gemeente_pages(kaart, g, now, reuse_calendars) + assets.pages(g, g)
    if repo_name(kaart.site.repository):  # the web editor (Decap CMS) needs the repository
        files = gemeente_admin_files(kaart.site, kaart.gemeenten[g], kaart.gemeenten.values(),
                                     css=assets.path("style.css"))
        pages += [Page(path, None, body=data, gemeente=g) for path, data in files.items()]
    return pages


def province_main(kaart: Kaart, now: datetime, assets: Assets) -> list[Page]:
    """The province-wide files except the sitemap and robots.txt."""
    pages = province_pages(kaart, now) + assets.pages("")
    if repo_name(kaart.site.repository):  # the web editor (Decap CMS) needs the repository
        files = province_admin_files(kaart.site, kaart.gemeenten.values(),
                                     css=assets.path("style.css"))
        pages += [Page(path, None, body=data) for path, data in files.items()]
    # Open Referral HSDS + GeoJSON exports, made when written (their inputs in the context)
    pages += [Page(rel, None, make=make) for rel, make in export_plan(kaart)]
    return pages


def province_index_files(kaart: Kaart, html_pages: list[str], preview: bool = False) -> list[Page]:
    """robots.txt and, with a base URL, the sitemap of ``html_pages`` (every HTML page)."""
    pages = [Page(path, None, body=body) for path, body in sitemaps(kaart, html_pages)]
    return pages + [Page("robots.txt", None, body=robots(kaart, preview))]


def province_files(kaart: Kaart, now: datetime, assets: Assets, html_pages: list[str]) -> list[Page]:
    """The province-wide files; ``html_pages`` are the gemeente sections' HTML paths (sitemap)."""
    pages = province_main(kaart, now, assets)
    html = [*html_pages, *(p.path for p in pages if p.path.endswith(".html"))]
    return pages + province_index_files(kaart, html)
