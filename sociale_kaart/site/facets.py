"""Search facets (Pagefind filters) and search aids of entries: one place that decides what
can be filtered on and which invisible words help Dutch search.

The templates put the facet values into ``data-pagefind-filter`` elements of detail pages
(``_zoekdata.html``); the search page (``zoeken.js``) shows them as checkboxes with counts.
Filter names are Dutch and lower case; values are the labels users see.

| filter            | activiteit | ontmoetingsplek | organisatie | praktijk |
|-------------------|:----------:|:---------------:|:-----------:|:--------:|
| soort             | x          | x               | x           | x        |
| gemeente          | x          | x               | x           | x        |
| thema, doelgroep  | x          |                 |             | x        |
| dag, dagdeel      | x          |                 |             |          |
| kosten            | x          |                 |             |          |
| toegankelijkheid  | x          | x               |             |          |
| kern              | x          | x               |             |          |
| welzijn op recept | x          |                 |             |          |
| plek              |            | x               |             |          |
| organisatie       |            |                 | x           |          |
"""

from __future__ import annotations

from collections.abc import Iterable

from sociale_kaart.model.entries import Activiteit, Ontmoetingsplek, Organisatie, Praktijk
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.nl.compounds import Lexicon, SearchAids, search_aids
from sociale_kaart.nl.words import DAGDELEN, DAY_NAMES, RFC_DAY_NAMES, RFC_DAYS, dagdeel

Facets = list[tuple[str, list[str]]]


def _labels(kaart: Kaart, vocab: str, slugs: Iterable[str]) -> list[str]:
    table = kaart.terms.get(vocab, {})
    return [table[s].label for s in slugs if s in table]


def _synonyms(kaart: Kaart, vocab: str, slugs: Iterable[str]) -> list[str]:
    table = kaart.terms.get(vocab, {})
    return [syn for s in slugs if s in table for syn in table[s].synoniemen]


def _gemeente(kaart: Kaart, g: str) -> list[str]:
    return [kaart.gemeenten[g].naam] if g in kaart.gemeenten else []


def activity_facets(kaart: Kaart, a: Activiteit, g: str) -> Facets:
    days: list[str] = []
    parts: list[str] = []
    for s in a.wanneer:
        for _, code in s.positioned_days:
            if RFC_DAY_NAMES[code] not in days:
                days.append(RFC_DAY_NAMES[code])
        for d in s.datums:
            name = RFC_DAY_NAMES[RFC_DAYS[d.weekday()]]
            if name not in days:
                days.append(name)
        if s.van:
            part = dagdeel(s.van)
            if part not in parts:
                parts.append(part)
    days.sort(key=DAY_NAMES.index)
    parts.sort(key=DAGDELEN.index)
    kern = a.kern
    plek = kaart.plekken.get(g, {}).get(a.plek) if a.plek else None
    if not kern and plek is not None:
        kern = plek.kern
    kosten = []
    if a.kosten is not None:
        kosten = ["gratis"] if a.kosten.gratis else ["betaald"]
    return [
        ("gemeente", _gemeente(kaart, g)),
        ("thema", _labels(kaart, "themas", a.themas)),
        ("doelgroep", _labels(kaart, "doelgroepen", a.doelgroepen)),
        ("dag", days),
        ("dagdeel", parts),
        ("kosten", kosten),
        ("toegankelijkheid", _labels(kaart, "toegankelijkheid", a.toegankelijkheid)),
        ("kern", [kern] if kern else []),
        ("welzijn op recept", ["ja"] if a.welzijn_op_recept else []),
    ]


def place_facets(kaart: Kaart, p: Ontmoetingsplek, g: str) -> Facets:
    return [
        ("gemeente", _gemeente(kaart, g)),
        ("plek", _labels(kaart, "plek-soorten", [p.soort])),
        ("toegankelijkheid", _labels(kaart, "toegankelijkheid", p.toegankelijkheid)),
        ("kern", [p.kern] if p.kern else []),
    ]


def organisation_facets(kaart: Kaart, o: Organisatie, g: str) -> Facets:
    return [
        ("gemeente", _gemeente(kaart, g)),
        ("organisatie", _labels(kaart, "organisatie-soorten", [o.soort])),
    ]


def praktijk_facets(kaart: Kaart, p: Praktijk) -> Facets:
    return [
        ("thema", _labels(kaart, "themas", p.themas)),
        ("doelgroep", _labels(kaart, "doelgroepen", p.doelgroepen)),
        ("gemeente", [kaart.gemeenten[s].naam for s in p.gemeenten if s in kaart.gemeenten]),
    ]


def entry_search_aids(kaart: Kaart, lexicon: Lexicon,
                      entry: Activiteit | Ontmoetingsplek | Organisatie | Praktijk) -> SearchAids:
    """Invisible search words of a detail page (see compounds.py)."""
    if isinstance(entry, Activiteit):
        return search_aids(
            lexicon, entry.titel, _labels(kaart, "themas", entry.themas), [entry.samenvatting],
            _synonyms(kaart, "themas", entry.themas)
            + _synonyms(kaart, "doelgroepen", entry.doelgroepen)
            + _synonyms(kaart, "positieve-gezondheid", entry.gezondheid)
            + _synonyms(kaart, "toegankelijkheid", entry.toegankelijkheid))
    if isinstance(entry, Ontmoetingsplek):
        return search_aids(
            lexicon, entry.naam, _labels(kaart, "plek-soorten", [entry.soort]),
            [entry.samenvatting or "", *entry.faciliteiten],
            _synonyms(kaart, "plek-soorten", [entry.soort])
            + _synonyms(kaart, "toegankelijkheid", entry.toegankelijkheid))
    if isinstance(entry, Organisatie):
        return search_aids(
            lexicon, entry.naam, _labels(kaart, "organisatie-soorten", [entry.soort]), [],
            _synonyms(kaart, "organisatie-soorten", [entry.soort]))
    return search_aids(
        lexicon, entry.titel, _labels(kaart, "themas", entry.themas), [entry.lede],
        _synonyms(kaart, "themas", entry.themas)
        + _synonyms(kaart, "doelgroepen", entry.doelgroepen))
