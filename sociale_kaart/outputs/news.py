"""News for professionals: per gemeente, what was added, changed or stopped lately, newest first
(the page ``<g>/nieuws/`` and the Atom feed ``<g>/nieuws.xml``, RFC 4287).

The dates are those of the git history (pipeline/history.py, ``Kaart.geschiedenis``): the day a
change reached the main line. An entry without a known date is in neither. The feed names no
person: its author is the sociale kaart itself, and commit authors are never read.

Atom ids are ``urn:uuid:`` names (UUID version 5) of the site's host, the entry's page and the
change (kind and day), so they stay the same from one build to the next and differ per change:
a feed reader shows a change once.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from sociale_kaart.model.changes import GESTOPT, GEWIJZIGD, NIEUW
from sociale_kaart.model.entries import Activiteit, Entry, Ontmoetingsplek
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.schedule import TZ  # the one time zone of the kaart
from sociale_kaart.nl.dates import format_date

PAGE_ITEMS = 200  # changes on the page, newest first
FEED_ITEMS = 50  # ... and in the feed
ATOM = "http://www.w3.org/2005/Atom"
WORDS = {NIEUW: "Nieuw", GEWIJZIGD: "Gewijzigd", GESTOPT: "Gestopt"}
KINDS = {"activiteit": ("Activiteit", "activiteiten"), "ontmoetingsplek": ("Plek", "plekken"),
         "organisatie": ("Organisatie", "organisaties")}


@dataclass(frozen=True, slots=True)
class NewsItem:
    when: datetime  # aware
    datum: date  # the day in the Netherlands
    soort: str  # NIEUW, GEWIJZIGD or GESTOPT
    kind: str  # a key of KINDS
    slug: str
    titel: str
    samenvatting: str | None
    pad: str  # the entry's page below the gemeente folder: "activiteiten/x/"

    @property
    def soort_label(self) -> str:
        return WORDS[self.soort]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][0]


def _entries(kaart: Kaart, g: str) -> list[Entry]:
    """What a gemeente's site has a page for: its activities, places and organisations."""
    return [*kaart.activiteiten.get(g, {}).values(), *kaart.plekken.get(g, {}).values(),
            *kaart.organisaties_per_gemeente.get(g, [])]


def news_items(kaart: Kaart, g: str, limit: int = PAGE_ITEMS) -> list[NewsItem]:
    """The known changes of the gemeente's entries, newest first (ties by title)."""
    items = []
    history = kaart.geschiedenis
    for entry in _entries(kaart, g):
        changes = history.get(entry.file)
        if not changes:
            continue
        titel = entry.titel if isinstance(entry, Activiteit) else entry.naam  # type: ignore[attr-defined]
        summary = entry.samenvatting if isinstance(entry, (Activiteit, Ontmoetingsplek)) else None
        pad = f"{KINDS[entry.kind][1]}/{entry.slug}/"
        for c in changes:
            items.append(NewsItem(c.when, c.when.astimezone(TZ).date(), c.soort, entry.kind,
                                  entry.slug, titel, summary, pad))
    items.sort(key=lambda i: (-i.when.timestamp(), i.titel.casefold(), i.pad))
    return items[:limit]


def _id(host: str, path: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://{host}/{path}").urn


def _rfc3339(when: datetime) -> str:
    return when.astimezone(TZ).isoformat(timespec="seconds")


def atom_feed(items: list[NewsItem], *, g: str, gemeente_naam: str, site_naam: str,
              host: str, base_url: str | None, updated: datetime) -> bytes:
    """The Atom feed of ``items`` (the newest FEED_ITEMS). Links are absolute with a base URL,
    else relative to the feed (``<g>/nieuws.xml``). ``updated``: for a feed without items."""
    ET.register_namespace("", ATOM)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    def href(rel: str) -> str:
        return f"{base_url.rstrip('/')}/{g}/{rel}" if base_url else rel

    items = items[:FEED_ITEMS]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    el(feed, "id", _id(host, f"{g}/nieuws.xml"))
    el(feed, "title", f"Nieuw en gewijzigd in de sociale kaart van {gemeente_naam}")
    el(feed, "subtitle", "Activiteiten, plekken en organisaties die nieuw zijn, gewijzigd of gestopt.")
    el(feed, "updated", _rfc3339(max((i.when for i in items), default=updated)))
    author = el(feed, "author")
    el(author, "name", f"{site_naam}: {gemeente_naam}")
    el(feed, "link", rel="self", type="application/atom+xml", href=href("nieuws.xml"))
    el(feed, "link", rel="alternate", type="text/html", href=href("nieuws/"))
    el(feed, "generator", "sociale-kaart")
    for item in items:
        entry = el(feed, "entry")
        el(entry, "id", _id(host, f"{g}/{item.pad}#{item.soort}-{item.datum.isoformat()}"))
        el(entry, "title", f"{item.soort_label}: {item.titel}")
        el(entry, "updated", _rfc3339(item.when))
        el(entry, "link", rel="alternate", type="text/html", href=href(item.pad))
        el(entry, "category", term=item.soort, label=item.soort_label)
        summary = f"{item.kind_label}. {item.soort_label} op {_datum(item.datum)}."
        if item.samenvatting:
            summary += f" {item.samenvatting}"
        el(entry, "summary", summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _datum(d: date) -> str:
    return format_date(d, year=True)
