"""Stage 4: render. Turn the resolved ``Kaart`` into HTML, iCal and XML pages.

``gemeente_pages`` and ``province_pages`` list what to render (pure functions returning
``Page`` objects); ``Renderer`` turns a page into bytes with Jinja2. Every link is relative, so a
gemeente folder works on its own domain as well as inside the province site.
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, quote_plus

import jinja2
from jinja2.loaders import split_template_path
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from sociale_kaart.authoring.decap import admin_files, repo_name
from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.entries import Activiteit, Ontmoetingsplek, Praktijk
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.occurrences import (
    agenda_of_occurrences,
    filter_agenda,
    occurrences,
    opening_json,
    week_table,
)
from sociale_kaart.nl.compounds import Lexicon
from sociale_kaart.nl.dates import format_date
from sociale_kaart.nl.schedule_text import describe, describe_all, describe_exceptions
from sociale_kaart.nl.words import DAGDELEN, dagdeel
from sociale_kaart.outputs import ical, jsonld
from sociale_kaart.outputs.rapport.pages import rapport_csv_files, rapport_pages
from sociale_kaart.pipeline.yaml_loader import os_error_text, read_regular_file
from sociale_kaart.site import facets as facet_rules
from sociale_kaart.site.markdown import headings, render_markdown

# The default theme ships inside the package (package data), so a normal, non-editable
# install can build; a site's own theme lives in the project's themes/ folder.
THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
AGENDA_DAYS = 14
UPCOMING_DAYS = 60  # an activity page lists its next occurrences within this many days
# Context flag of pages served at other addresses than their own: the 404 pages, which a host
# shows for any missing path at any depth. Their links start at the site's root instead of
# being relative to the page (``Renderer.root_path``: "/" unless the base URL has a path).
ROOT_LINKS = "links_from_root"


@dataclass(frozen=True)
class Page:
    path: str  # output path relative to the output root, posix, e.g. "kampen/index.html"
    template: str | None  # Jinja2 template, or None for raw ``body``
    context: dict[str, Any] = field(default_factory=dict)
    body: bytes | None = None  # pre-rendered content (iCal, XML)
    gemeente: str = ""  # the gemeente folder this page belongs to ("" = province-wide)
    # Lazy raw content, made when rendered. Its inputs go in ``context`` so that ``serve`` can
    # tell whether it changed without making it (see incremental.py).
    make: Callable[[], bytes] | None = None


# --------------------------------------------------------------------------- filters


def datum(value: date | datetime | None, with_weekday: bool = False) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, year=True, weekday=with_weekday)


def tijd(value: time | datetime | None) -> str:
    return f"{value.hour:02d}.{value.minute:02d}" if value else ""


def euro(value: Any) -> str:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {text}"


def tel_href(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return "tel:" + digits


def route_url(address_text: str) -> str:
    return "https://www.openstreetmap.org/search?query=" + quote_plus(address_text)


def asset_name(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"


# --------------------------------------------------------------------------- environment


def theme_dirs(site_theme: str, content_dir: Path | None) -> list[Path]:
    """Template search path: a site theme (in the project's themes/) overrides the default."""
    dirs = []
    for base in ([content_dir.parent / "themes"] if content_dir else []) + [THEMES_DIR]:
        candidate = base / site_theme / "templates"
        if site_theme != "default" and candidate.is_dir() and candidate not in dirs:
            dirs.append(candidate)
    dirs.append(THEMES_DIR / "default" / "templates")
    return dirs


def theme_root(templates: Path) -> Path | None:
    """The real path of the theme folder (``themes/<x>``) of the template folder ``templates``:
    everything a theme publishes or renders must lie inside it. None when the theme folder
    itself is a link that leaves the folder holding its ``themes/`` folder (the project)."""
    theme = templates.parent
    real = Path(os.path.realpath(theme))
    return real if real.is_relative_to(os.path.realpath(theme.parent.parent)) else None


def _theme_ignored(name: str) -> bool:
    """Hidden files and editor leftovers (backups, lock files that are dangling links): never
    published, never read, never reported."""
    return name.startswith((".", "~")) or name.endswith("~")


def walk_theme(folder: Path, root: Path | None) -> tuple[list[Path], list[Diagnostic]]:
    """The regular files under ``folder`` (a theme's templates/ or static/), sorted, and a Dutch
    diagnostic for everything else that is there.

    Links are followed only when they stay inside ``root`` (the theme folder, ``theme_root``);
    linked folders are not descended into (as ``Path.rglob`` did). A link that leaves the theme,
    a link in a circle or to nothing, a FIFO, socket or device file, a folder that cannot be
    read: each is reported with its path and never opened.
    """
    from sociale_kaart.pipeline.load import display_path

    files: list[Path] = []
    problems: list[Diagnostic] = []

    def bad(path: Path | str, message: str, code: str) -> None:
        problems.append(Diagnostic(display_path(Path(path)), 0, 0, "", message, "fout", code))

    if root is None:
        bad(folder.parent, "deze themamap is een koppeling naar een plek buiten het project; zet "
            "het thema zelf in de map themes/", "pad")
        return files, problems
    if not os.path.lexists(folder):
        return files, problems
    todo = [folder]
    if folder.is_symlink():  # templates/ or static/ itself
        if not Path(os.path.realpath(folder)).is_relative_to(root):
            bad(folder, f"deze map is een koppeling naar een plek buiten de themamap {root.name}/; "
                "zet de inhoud zelf in de themamap", "pad")
            return files, problems
    while todo:
        current = todo.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            bad(current, f"deze map kan niet gelezen worden: {os_error_text(exc)}", "lezen")
            continue
        for entry in entries:
            if _theme_ignored(entry.name):
                continue
            is_link = entry.is_symlink()
            try:
                if is_link and not Path(os.path.realpath(entry.path)).is_relative_to(root):
                    bad(entry.path, "dit bestand is een koppeling naar een plek buiten de themamap "
                        f"{root.name}/; zo'n bestand wordt niet gebruikt. Zet de inhoud zelf in "
                        "de themamap", "pad")
                elif entry.is_file():
                    files.append(Path(entry.path))
                elif entry.is_dir():
                    if not is_link:
                        todo.append(Path(entry.path))
                else:
                    os.stat(entry.path)  # neither: a link to nothing raises here
                    bad(entry.path, "dit is geen gewoon bestand of map, maar bijvoorbeeld een "
                        "named pipe (FIFO), socket of apparaatbestand; haal het weg uit het thema",
                        "bestand")
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    bad(entry.path, "deze koppeling (symlink) verwijst in een kring naar zichzelf; "
                        "haal de koppeling weg", "pad")
                elif is_link and exc.errno in (errno.ENOENT, errno.ENOTDIR):
                    bad(entry.path, "deze koppeling (symlink) wijst naar iets dat niet bestaat; "
                        "haal de koppeling weg", "pad")
                else:
                    bad(entry.path, f"kan niet gelezen worden: {os_error_text(exc)}", "lezen")
    return sorted(files), problems


def scan_themes(dirs: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Every usable file of the themes of ``dirs`` (templates and static files) and the
    diagnostics of what is not usable (``walk_theme``)."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for templates in dirs:
        root = theme_root(templates)
        for folder in (templates, templates.parent / "static"):
            found, bad = walk_theme(folder, root)
            files += found
            problems += [d for d in bad if d not in problems]
    return files, problems


def theme_problems(dirs: Iterable[Path]) -> list[Diagnostic]:
    """What in the theme folders cannot be used (links that leave the theme, FIFOs, ...)."""
    return scan_themes(dirs)[1]


class UnsafeTemplate(jinja2.TemplateError):
    """A template that lies outside its theme folder (through a link): not rendered."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a template (or a folder on its path) that is a link leaving its
    theme folder is refused, also when it is reached through ``{% include %}``, ``extends`` or
    ``import``. Jinja itself already refuses names with ``..``."""

    def __init__(self, dirs: list[Path]) -> None:
        super().__init__([str(d) for d in dirs])
        self.roots = [theme_root(d) for d in dirs]

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        from sociale_kaart.pipeline.load import display_path

        pieces = split_template_path(template)
        for searchpath, root in zip(self.searchpath, self.roots, strict=True):
            filename = posixpath.join(searchpath, *pieces)  # as Jinja does
            if os.path.isfile(filename):  # the one Jinja would take
                if root is None or not Path(os.path.realpath(filename)).is_relative_to(root):
                    raise UnsafeTemplate(Diagnostic(
                        display_path(Path(filename)), 0, 0, "",
                        f"sjabloon '{template}' is een koppeling naar een plek buiten de themamap; "
                        "zo'n sjabloon wordt niet gebruikt. Zet het sjabloon zelf in de themamap",
                        "fout", "pad"))
                break
        return super().get_source(environment, template)


def make_environment(dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=ThemeLoader(dirs),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(markdown=render_markdown, datum=datum, tijd=tijd, euro=euro,
                       tel_href=tel_href, route_url=route_url, urlquote=quote)
    env.globals.update(headings=headings, dagdeel=dagdeel,
                       facets=_FacetRules())
    return env


# --------------------------------------------------------------------------- assets


@dataclass(frozen=True)
class Assets:
    """Static files of the theme, fingerprinted so they can be cached forever."""

    files: dict[str, tuple[str, bytes]]  # logical name -> (fingerprinted name, content)

    @classmethod
    def load(cls, dirs: Iterable[Path]) -> Assets:
        """The static files of the themes of ``dirs``. A file that cannot be published (a link
        that leaves its theme, a FIFO, ...) raises ``RenderError`` with its diagnostic; the
        build reports these before (``theme_problems``)."""
        files: dict[str, tuple[str, bytes]] = {}
        for templates in reversed(list(dirs)):  # later (default) first, overridden by theme
            static = templates.parent / "static"
            found, problems = walk_theme(static, theme_root(templates))
            if problems:
                raise RenderError(problems[0])
            for path in found:
                if "admin" not in path.relative_to(static).parts:
                    rel = path.relative_to(static).as_posix()
                    try:
                        data = read_regular_file(path)
                    except OSError as exc:
                        from sociale_kaart.pipeline.load import display_path
                        raise RenderError(Diagnostic(
                            display_path(path), 0, 0, "", "dit bestand van het thema kan niet "
                            f"gelezen worden: {os_error_text(exc)}", "fout", "lezen")) from exc
                    files[rel] = (asset_name(rel, data), data)
        return cls(files)

    def pages(self, prefix: str, gemeente: str = "") -> list[Page]:
        return [Page(posixpath.join(prefix, "assets", hashed), None, body=data, gemeente=gemeente)
                for hashed, data in self.files.values()]


# --------------------------------------------------------------------------- page lists


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


def booklet_sections(kaart: Kaart, activities: list[Activiteit]) -> list[tuple[str, str, list[Activiteit]]]:
    """Each activity once, under its first theme: (slug, label, activities) in vocabulary order."""
    buckets: dict[str, list[Activiteit]] = {}
    for a in activities:
        buckets.setdefault(a.themas[0] if a.themas else "", []).append(a)
    out = []
    for slug, term in kaart.terms.get("themas", {}).items():
        if slug in buckets:
            out.append((slug, term.label, sorted(buckets[slug], key=_activity_sort)))
    if "" in buckets:
        out.append(("overig", "Overig", sorted(buckets[""], key=_activity_sort)))
    return out


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
                   reuse_calendars: ical.Calendars | None = None) -> list[Page]:
    """Every page of one gemeente's site, under ``<g>/``."""
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
    # The coming occurrences of each active activity: its page shows the first few, the agenda
    # the first AGENDA_DAYS days.
    ahead = {a.slug: occurrences(a.wanneer, today, today + timedelta(days=UPCOMING_DAYS))
             for a in active if a.wanneer}
    agenda = agenda_of_occurrences([(a, ahead[a.slug]) for a in active if a.wanneer], today,
                                   AGENDA_DAYS)
    base = {"gemeente": gemeente, "g": g, "counts": counts, "build_time": build_time,
            "praktijken": praktijken}
    pages: list[Page] = []

    def add(path: str, template: str, **ctx: Any) -> None:
        pages.append(Page(f"{g}/{path}", template, {**base, **ctx}, gemeente=g))

    add("index.html", "home.html", activiteiten=listed, plekken=plekken,
        deze_week=agenda[:7])
    add("activiteiten/index.html", "activiteiten.html", activiteiten=listed)
    # Each activity's events are serialized once, for its own .ics and for the gemeente feed.
    cals = calendars(kaart, build_time, reuse_calendars)
    for a in all_acts:
        plek = kaart.plekken.get(g, {}).get(a.plek) if a.plek else None
        organisator = kaart.organisaties.get(a.organisator) if a.organisator else None
        upcoming = ahead.get(a.slug, [])[:5] if a.status == "actief" else []
        has_ics = bool(a.wanneer) and a.status == "actief" and ical.has_events(a)
        add(f"activiteiten/{a.slug}/index.html", "activiteit.html", a=a, plek=plek,
            organisator=organisator, upcoming=upcoming, heeft_ics=has_ics,
            jsonld=jsonld.event(kaart, a, g, plek, organisator, upcoming))
        if has_ics:
            make = partial(cals.activity_calendar, a, url=kaart.site.basis_url and
                           f"{kaart.site.basis_url.rstrip('/')}/{g}/activiteiten/{a.slug}/",
                           location_text=_location_text(a, plek))
            # make() is never None here: the activity has events (has_ics).
            pages.append(Page(f"{g}/activiteiten/{a.slug}.ics", None, {"a": a, "plek": plek},
                              gemeente=g, make=cast("Callable[[], bytes]", make)))
    add("plekken/index.html", "plekken.html", plekken=plekken)
    for p in plekken:
        beheerder = kaart.organisaties.get(p.beheerder) if p.beheerder else None
        acts = sorted((a for a in kaart.activiteiten_per_plek.get((g, p.slug), [])
                       if a.status != "gestopt"), key=_activity_sort)
        add(f"plekken/{p.slug}/index.html", "plek.html", p=p, beheerder=beheerder,
            activiteiten=acts, week=week_table(p.openingstijden, today),
            opening=opening_json(p.openingstijden),
            jsonld=jsonld.place(kaart, p, g))
    add("organisaties/index.html", "organisaties.html", organisaties=orgs)
    for o in orgs:
        acts = sorted((a for a in kaart.activiteiten_per_organisatie.get(o.slug, [])
                       if a._gemeente == g and a.status != "gestopt"), key=_activity_sort)  # noqa: SLF001
        beheert = [p for p in plekken if p.beheerder == o.slug]
        add(f"organisaties/{o.slug}/index.html", "organisatie.html", o=o, activiteiten=acts,
            plekken_beheerd=beheert, jsonld=jsonld.organization(kaart, o))
    add("themas/index.html", "themas.html")
    for t, acts in per_thema.items():
        add(f"themas/{t}/index.html", "lijst.html", soort="thema",
            term=kaart.term("themas", t), activiteiten=acts)
    add("doelgroepen/index.html", "doelgroepen.html")
    for d, acts in per_doelgroep.items():
        add(f"doelgroepen/{d}/index.html", "lijst.html", soort="doelgroep",
            term=kaart.term("doelgroepen", d), activiteiten=acts)
    add("praktijken/index.html", "praktijken.html")
    for pr in praktijken:
        add(f"praktijken/{pr.slug}/index.html", "praktijk.html", pr=pr,
            related=_related_praktijken(kaart, pr))
    # Agenda: all, and one page per dagdeel and per theme (filters as links).
    add("agenda/index.html", "agenda.html", agenda=agenda, filter_dagdeel=None, filter_thema=None)
    for dd in DAGDELEN:
        add(f"agenda/{dd}/index.html", "agenda.html", agenda=filter_agenda(agenda, dagdeel=dd),
            filter_dagdeel=dd, filter_thema=None)
    for t in per_thema:
        add(f"agenda/thema/{t}/index.html", "agenda.html", agenda=filter_agenda(agenda, thema=t),
            filter_dagdeel=None, filter_thema=t)
    in_feed = [a for a in active if a.wanneer]
    feed = partial(cals.gemeente_feed, in_feed, name=f"{kaart.site.naam}: {gemeente.naam}",
                   url_for=lambda a: kaart.site.basis_url and
                   f"{kaart.site.basis_url.rstrip('/')}/{g}/activiteiten/{a.slug}/",
                   location_for=lambda a: _location_text(
                       a, kaart.plekken.get(g, {}).get(a.plek) if a.plek else None))
    pages.append(Page(f"{g}/agenda.ics", None, {"activiteiten": in_feed,
                                                 "plekken": kaart.plekken.get(g, {})},
                      gemeente=g, make=feed))
    # Booklet: everything, and one per target group.
    add("boekje/index.html", "boekje.html", secties=booklet_sections(kaart, active), doelgroep=None)
    for d in per_doelgroep:  # also when all its activities are paused: linked from lists
        acts = [a for a in active if d in a.doelgroepen]
        add(f"boekje/{d}/index.html", "boekje.html", secties=booklet_sections(kaart, acts),
            doelgroep=kaart.term("doelgroepen", d))
    add("lijstje/index.html", "lijstje.html", activiteiten=listed)
    add("zoeken/index.html", "zoeken.html")
    add("404.html", "404.html", **{ROOT_LINKS: True})
    return pages


def province_pages(kaart: Kaart, build_time: datetime) -> list[Page]:
    base = {"gemeente": None, "g": "", "build_time": build_time}
    # The province search merges every gemeente's search bundles (see index.py).
    sections = [{"map": f"{g}/", "basis": f"/{g}/"} for g in kaart.gemeenten]
    pages = [Page("index.html", "province.html", {**base, "zoek_secties": sections}),
             Page("kennisbank/index.html", "kennisbank.html",
                  {**base, "praktijken": sorted(kaart.praktijken.values(),
                                                key=lambda p: p.titel.casefold())}),
             Page("404.html", "404.html", {**base, ROOT_LINKS: True})]
    pages.append(Page("_redirects", None, body=netlify_redirects(kaart)))
    for pr in kaart.praktijken.values():
        pages.append(Page(f"kennisbank/{pr.slug}/index.html", "praktijk.html",
                          {**base, "pr": pr, "related": _related_praktijken(kaart, pr)}))
    # Reports for maintainers and policy makers (not indexed by search).
    for path, ctx in rapport_pages(kaart):
        pages.append(Page(path, ctx["template"], {**base, **ctx}))
    for path, data in rapport_csv_files(kaart):
        pages.append(Page(path, None, body=data))
    if repo_name(kaart.site.repository):  # Decap CMS needs the GitHub repository
        for path, data in admin_files(kaart.site, kaart.gemeenten.values()).items():
            pages.append(Page(path, None, body=data))
    return pages


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


def _location_text(a: Activiteit, plek: Ontmoetingsplek | None) -> str | None:
    if plek is not None:
        return f"{plek.naam}, {plek.adres.regel()}" if plek.adres else plek.naam
    if a.adres is not None:
        return a.adres.regel()
    return a.online


# --------------------------------------------------------------------------- rendering


def relative_url(from_page: str, target: str) -> str:
    """Relative link from the page at ``from_page`` to ``target`` (both relative to the root).

    A target ending in '/' is a folder (served as its index.html).
    """
    # Plain root-relative paths (all of ours): count the folders up from the page's folder to
    # the first folder it shares with the target, then go down.
    is_dir = target.endswith("/") or target == ""
    clean = target.rstrip("/")
    src = from_page.split("/")
    src.pop()  # the page's own file name
    dst = clean.split("/") if clean else []
    if "" in src or "" in dst or "." in src or "." in dst or ".." in src or ".." in dst:
        return _relative_url_general(from_page, target)
    common = 0
    for a, b in zip(src, dst, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(src) - common) + dst[common:]) or "."
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


def _relative_url_general(from_page: str, target: str) -> str:
    from_dir = posixpath.dirname(from_page) or "."
    is_dir = target.endswith("/") or target == ""
    rel = posixpath.relpath(target.rstrip("/") or ".", from_dir)
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


class Renderer:
    def __init__(self, kaart: Kaart, env: jinja2.Environment, assets: Assets,
                 noindex: bool = False, root_path: str = "/") -> None:
        self.kaart = kaart
        self.env = env
        self.assets = assets
        self.noindex = noindex  # a deploy preview: no page is for search engines (deploy.py)
        self.root_path = root_path  # the site root's path on its host, for ROOT_LINKS pages
        self.lexicon = Lexicon.from_terms(kaart.terms)  # compound parts for search aids
        # Template output that many pages of a gemeente share (see ``reuse``), and the schedule
        # texts that cards, booklets and detail pages all show (by identity of the schedule).
        self._reused: dict[tuple, Markup] = {}
        self._schedule_texts: dict[int, tuple[Any, tuple[str, ...]]] = {}
        self._reused_for: str | None = None

    def render_page(self, page: Page) -> bytes:
        """``render``, with an error turned into ``RenderError`` (a Dutch diagnostic that names
        the template and line). Unlike the exception, the diagnostic survives being sent from a
        render worker process to the parent."""
        try:
            return self.render(page)
        except Exception as exc:
            raise RenderError(template_error(exc, page)) from exc

    def render(self, page: Page) -> bytes:
        if page.make is not None:
            return page.make()
        if page.body is not None:
            return page.body
        assert page.template is not None
        if page.gemeente != self._reused_for:  # a worker renders one gemeente after another
            self._reused.clear()
            self._schedule_texts.clear()
            self._reused_for = page.gemeente
        template = self.env.get_template(page.template)
        return template.render(self.context(page)).encode("utf-8")

    def reuse(self, key: tuple, macro: Callable[..., Markup], *args: Any) -> Markup:
        """``macro(*args)``, made once per ``key`` and then repeated (templates: ``reuse``).

        For a piece of HTML that many pages show identically, such as an activity's card on
        every list it is on. ``key`` must identify the output completely given the kaart, which
        does not change while a Renderer lives (``serve`` makes a new one for every rebuild).
        """
        hit = self._reused.get(key)
        if hit is None:
            hit = self._reused[key] = macro(*args)
        return hit

    def describe_all(self, schedules: list) -> tuple[str, ...]:
        """``schedule_text.describe_all`` for the build date, once per schedule list."""
        hit = self._schedule_texts.get(id(schedules))
        if hit is None or hit[0] is not schedules:  # the list is kept, so its id stays its own
            hit = self._schedule_texts[id(schedules)] = (
                schedules, tuple(describe_all(schedules, self.kaart.today)))
        return hit[1]

    def context(self, page: Page) -> dict[str, Any]:
        kaart = self.kaart
        g = page.gemeente
        prefix = f"{g}/" if g else ""

        root_links = bool(page.context.get(ROOT_LINKS))

        def url(target: str) -> str:
            if root_links:
                return self.root_path + target
            return relative_url(page.path, target)

        def g_url(target: str = "") -> str:
            return url(prefix + target)

        def asset(name: str) -> str:
            return url(f"{prefix}assets/{self.assets.files[name][0]}")

        parts = page.path.split("/")
        # What the header and footer depend on (base.html): the links are relative and mark
        # the current section, so they differ by gemeente, folder depth and section.
        nav_key = (g, len(parts), parts[0], parts[1] if len(parts) > 2 else "", root_links)
        canonical = None
        if kaart.site.basis_url and not root_links:
            clean = page.path[:-len("index.html")] if page.path.endswith("index.html") else page.path
            canonical = f"{kaart.site.basis_url.rstrip('/')}/{clean}"
        return {
            **page.context,
            "kaart": kaart, "site": kaart.site, "today": kaart.today,
            "page_path": page.path, "url": url, "g_url": g_url, "asset": asset,
            "canonical": canonical, "nav_key": nav_key,
            "noindex": self.noindex or bool(page.context.get("noindex")), "label": kaart.label, "terms": kaart.terms,
            "is_stale": kaart.is_stale, "jsonld_script": _jsonld_script, "reuse": self.reuse,
            "zoekhulp": lambda entry: facet_rules.entry_search_aids(kaart, self.lexicon, entry),
            "describe": lambda s: describe(s, kaart.today),
            "describe_all": self.describe_all,
            "describe_exceptions": lambda s: describe_exceptions(s, kaart.today),
        }


class _FacetRules:
    """Template access to the search facets of each entry type (see facets.py)."""

    activity = staticmethod(facet_rules.activity_facets)
    place = staticmethod(facet_rules.place_facets)
    organisation = staticmethod(facet_rules.organisation_facets)
    praktijk = staticmethod(facet_rules.praktijk_facets)


def _jsonld_script(data: dict | None) -> Markup:
    """JSON-LD in a script element. Inside it the HTML parser still looks for ``</script``,
    ``<!--`` and ``<script``: a title such as ``<!--<script>`` would swallow the rest of the
    page. So every ``<``, ``>``, ``&`` and ``'`` is written as a JSON unicode escape, exactly
    as Jinja's ``tojson`` filter does for every other JSON in our HTML (plek.html)."""
    if not data:
        return Markup("")
    text = htmlsafe_json_dumps(data, ensure_ascii=False, indent=None, default=str)
    return Markup(f'<script type="application/ld+json">{text}</script>')


class RenderError(Exception):
    """A page could not be made (mostly an error in a template): its Dutch diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic)
        self.diagnostic = diagnostic


def template_error(exc: BaseException, page: Page | None = None) -> Diagnostic:
    """A Dutch diagnostic for an error while rendering, pointing at the template line if known."""
    from sociale_kaart.pipeline.load import display_path

    if isinstance(exc, UnsafeTemplate):
        return exc.diagnostic
    if isinstance(exc, RenderError):
        return exc.diagnostic
    file, line = "", 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = exc.filename or exc.name or "", exc.lineno or 0
        detail = exc.message or str(exc)
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
                file, line = frame.filename, frame.lineno or 0
        if isinstance(exc, jinja2.TemplateNotFound):
            detail = f"sjabloon '{exc.name}' bestaat niet"
        else:
            detail = f"{type(exc).__name__}: {exc}"
    where = f" bij het maken van {page.path}" if page is not None else ""
    shown = display_path(Path(file)) if file else (page.template or "" if page else "")
    return Diagnostic(shown, line, 0, "", f"fout in sjabloon{where} (technische melding: {detail})",
                      "fout", "sjabloon")
