"""Search filters (facets) and search aids of entries: the one place that decides
what can be filtered on, how each filter is called, and which invisible words help Dutch search.

Which fields feed a filter is declared on the model, with ``Meta(zoekfilter=...)``
(model/fields.py): ``themas`` feeds ``thema``, ``wanneer`` feeds ``dag`` and ``dagdeel``, and
so on. ``FACETS`` names every filter for the search page (its Dutch label, the order of its
values and their labels); the build writes it as ``zoekfilters.json``, which ``zoeken.js``
reads, together with the words a visitor may type that mean a filter (``query_words``).
Detail pages carry their values as hidden ``data-pagefind-filter`` elements
(``_zoekdata.html``): first the filters that come from where the entry is (its gemeente), then
those of its fields, in the order of ``FACETS``. Values are the labels users see.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel

from sociale_kaart.model.entries import Activiteit, Entry, Ontmoetingsplek, Organisatie, Praktijk, Term
from sociale_kaart.model.fields import field_meta
from sociale_kaart.model.kaart import Kaart, gemeente_of
from sociale_kaart.nl.compounds import STOPWORDS, SUFFIXES, Lexicon, SearchAids, search_aids, tokens
from sociale_kaart.nl.text import fold
from sociale_kaart.nl.words import (
    DAGDEEL_WORDS,
    DAGDELEN,
    DAY_CODES,
    DAY_NAMES,
    FILTER_LEAD_WORDS,
    RELATIVE_DAYS,
    RFC_DAY_NAMES,
    RFC_DAYS,
    TODAY_DAGDEEL_WORDS,
    WEEKEND,
    dagdeel,
)

Facets = list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Facet:
    name: str  # the filter's name in the index (data-pagefind-filter), Dutch, lower case
    label: str  # its heading on the search page
    order: tuple[str, ...] = ()  # values in this order (else by count)
    values: dict[str, str] = field(default_factory=dict)  # labels of values that are codes


# The filters of the search page, in the order it shows them.
FACETS: tuple[Facet, ...] = (
    Facet("gemeente", "Gemeente"),
    Facet("soort", "Soort", ("activiteit", "ontmoetingsplek", "organisatie", "praktijk"),
          {"activiteit": "Activiteit", "ontmoetingsplek": "Plek", "organisatie": "Organisatie",
           "praktijk": "Voorbeeld uit de praktijk"}),
    Facet("thema", "Thema"),
    Facet("doelgroep", "Voor wie"),
    Facet("dag", "Dag", DAY_NAMES),
    Facet("dagdeel", "Deel van de dag", DAGDELEN),
    Facet("kosten", "Kosten", ("gratis", "betaald"), {"gratis": "Gratis", "betaald": "Kost geld"}),
    Facet("welzijn op recept", "Welzijn op Recept", (), {"ja": "Geschikt voor Welzijn op Recept"}),
    Facet("toegankelijkheid", "Toegankelijkheid"),
    Facet("kern", "Kern of wijk"),
    Facet("plek", "Soort plek"),
    Facet("organisatie", "Soort organisatie"),
)
_RANK = {f.name: i for i, f in enumerate(FACETS)}

# Search results come in groups, in this order: what residents go to (activities and places),
# then organisations, then the kennisbank's praktijken ("Voorbeelden voor professionals").
# Keyed by the value of the "soort" filter; read by zoekmachine.js from the index manifest.
GROUPS: dict[str, str] = {"activiteit": "bewoners", "ontmoetingsplek": "bewoners",
                          "organisatie": "organisaties", "praktijk": "praktijken"}
GROUP_ORDER: tuple[str, ...] = ("bewoners", "organisaties", "praktijken")


def facet_file(kaart: Kaart | None = None, g: str | None = None) -> bytes:
    """``zoekfilters.json``: the filters as the search page shows them, and the words that
    mean a filter (``query_words``) of gemeente ``g``, or of the province when ``g`` is None
    (read by zoeken.js)."""
    data: dict[str, Any] = {"filters": [{"naam": f.name, "label": f.label, "volgorde": list(f.order),
                                         "waarden": f.values} for f in FACETS]}
    if kaart is not None:
        data["dagen"] = list(DAY_NAMES)
        data["woorden"] = query_words(kaart, g)
        data["voorwoorden"] = list(FILTER_LEAD_WORDS)
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- query words

# What a visitor's words are cut into, here and in zoeken.js (``tokens``): runs of letters,
# digits, "+" ("55+") and "'" ("'s avonds"), after ``fold``. A phrase is its tokens joined by
# one space.
_TOKEN = re.compile(r"(?:[^\W_]|[+'])+")


def query_key(text: str) -> str:
    """'Capelle aan den IJssel' -> 'capelle aan den ijssel'; "’s Avonds" -> "'s avonds"."""
    return " ".join(_TOKEN.findall(fold(text.replace("\u2019", "'").replace("\u2018", "'"))))


def _without_aside(label: str) -> str:
    """'Ouderen (55+)' -> 'Ouderen'."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


# A meaning of a typed word: the filter values it stands for ({filter: [values]}), and for a
# day counted from today ("morgen") how many days from the visitor's today ("over").
Meaning = dict[str, Any]


def _time_words() -> dict[str, Meaning]:
    days = {name: {"filters": {"dag": [name]}} for name in DAY_NAMES}
    out: dict[str, Meaning] = dict(days)
    for code, name in zip(DAY_CODES, DAY_NAMES, strict=True):
        out[code.lower()] = days[name]
        out[name + "s"] = out["'s " + name + "s"] = out[name + "en"] = days[name]  # dinsdags
        for part in DAGDELEN:  # dinsdagmiddag
            out[name + part] = {"filters": {"dag": [name], "dagdeel": [part]}}
    out["weekend"] = {"filters": {"dag": list(WEEKEND)}}
    for part in DAGDELEN:
        out[part] = {"filters": {"dagdeel": [part]}}
    for word, part in DAGDEEL_WORDS.items():
        out[word] = {"filters": {"dagdeel": [part]}}
    for word, days_from_today in RELATIVE_DAYS.items():
        out[word] = {"over": days_from_today, "filters": {}}
        for part in DAGDELEN:  # morgenavond
            out[word + part] = {"over": days_from_today, "filters": {"dagdeel": [part]}}
    for word, part in TODAY_DAGDEEL_WORDS.items():
        out[word] = {"over": 0, "filters": {"dagdeel": [part]}}
    return out


def _target_group_words(kaart: Kaart) -> dict[str, list[str]]:
    """Words for target groups: each term's label (also without its aside: 'Ouderen (55+)' ->
    'ouderen') and its synonyms, except synonyms that another vocabulary uses too ('jeugd' of
    the theme 'Opgroeien en opvoeden', 'mantelzorg' of the theme 'Mantelzorg'): those stay
    words to search for. A word of several groups ('jeugd') means any of them."""
    vocab = "doelgroepen"
    elsewhere = {query_key(word) for name, table in kaart.terms.items() if name != vocab
                 for term in table.values() for word in (term.label, *term.synoniemen)}
    out: dict[str, list[str]] = {}
    for term in kaart.terms.get(vocab, {}).values():
        words = [term.label, _without_aside(term.label)]
        words += [w for w in term.synoniemen if query_key(w) not in elsewhere]
        for word in words:
            key = query_key(word)
            if key and term.label not in out.setdefault(key, []):
                out[key].append(term.label)
    return out


def query_words(kaart: Kaart, g: str | None) -> dict[str, list[Meaning]]:
    """The words a visitor may type on the search page of gemeente ``g`` (of the province when
    None) that mean a filter rather than a word to find: "gratis", days ("dinsdag", "di",
    "dinsdagmiddag", "weekend"), parts of the day ("avond", "'s avonds"), days counted from
    today ("vandaag", "morgen", "vanavond"), the gemeente's kernen (in the province also the
    gemeenten) and target groups ("ouderen", "mantelzorgers").

    Folded phrase (``query_key``) -> its meanings, the first first: zoeken.js takes the first
    meaning whose filters the page has (a name that is a gemeente and a kern means the gemeente
    in the province search, where the gemeente filter is shown, and the kern in the gemeente's
    own search, where it is not). Days and parts of the day come from nl/words.py, target
    groups from the taxonomy; nothing here is a second word list."""
    meanings: dict[str, list[Meaning]] = {}

    def add(word: str, meaning: Meaning) -> None:
        key = query_key(word)
        if key and meaning not in meanings.setdefault(key, []):
            meanings[key].append(meaning)

    for word, meaning in _time_words().items():
        add(word, meaning)
    kosten = next(f for f in FACETS if f.name == "kosten")
    for value in kosten.order:
        add(value, {"filters": {"kosten": [value]}})
        add(kosten.values.get(value, value), {"filters": {"kosten": [value]}})
    gemeenten = [g] if g is not None else list(kaart.gemeenten)
    if g is None:
        for slug in gemeenten:
            add(kaart.gemeenten[slug].naam, {"filters": {"gemeente": [kaart.gemeenten[slug].naam]}})
    for slug in gemeenten:
        gemeente = kaart.gemeenten.get(slug)
        for kern in gemeente.kernen if gemeente is not None else []:
            add(kern, {"filters": {"kern": [kern]}})
    for key, labels in _target_group_words(kaart).items():
        add(key, {"filters": {"doelgroep": labels}})
    return dict(sorted(meanings.items()))


@cache
def model_facets(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(filter, field) of a model's fields marked ``zoekfilter``, in the order of ``FACETS``."""
    found = [(name.strip(), field_name) for field_name, info in model.model_fields.items()
             for name in (field_meta(info, "zoekfilter") or "").split(",") if name.strip()]
    unknown = [name for name, _ in found if name not in _RANK]
    if unknown:
        raise ValueError(f"{model.__name__}: unknown search filters {unknown}")
    return tuple(sorted(found, key=lambda nf: _RANK[nf[0]]))


def _labels(kaart: Kaart, vocab: str, slugs: Iterable[str]) -> list[str]:
    table = kaart.terms.get(vocab, {})
    return [table[s].label for s in slugs if s in table]


# Vocabularies whose synonyms are mostly words *about* a term ("koffie", "inloop" for the
# theme Ontmoeten; "voetbal", "yoga" for Bewegen en sport), not other names for it. An entry
# with such a term gets only the synonyms that are forms of the label's own words ("sporten",
# "beweeg" for Bewegen en sport) or of its slug ("eenzaam" for Minder alleen, slug
# eenzaamheid; ``_form_of_label``): a dance class tagged Bewegen en sport is
# not found with "voetbal", an Ontmoeten activity not with "koffie" unless its own text says
# so. The synonyms of the other vocabularies ("senioren" for Ouderen (55+)) are other names
# for the label: every entry with the term gets them.
RELATED_WORDS = frozenset({"themas", "positieve-gezondheid"})
MIN_SHARED = 4  # letters a synonym's word and a label word share at their start, at least


def _content_words(phrase: str) -> list[str]:
    return [w for w in (fold(t) for t in tokens(phrase)) if w not in STOPWORDS and len(w) > 2]


def _same_word(synonym: str, label: str) -> bool:
    """Whether a synonym's word is a form of a label's word ("sporten"/"sport",
    "beweeg"/"bewegen", "eenzaamheid"/"eenzaam") or the start of it ("vrijwilliger" of
    "vrijwilligerswerk"); not a compound that starts with it ("taalcafe" of "taal")."""
    if len(synonym) < 3 or len(label) < 3:
        return False
    if label.startswith(synonym):
        return True
    if synonym.startswith(label):
        return synonym[len(label):] in SUFFIXES
    shared = len(os.path.commonprefix([synonym, label]))
    return shared >= MIN_SHARED and shared >= max(len(synonym), len(label)) - 3


def _form_of_label(synonym: str, label: str, slug: str = "") -> bool:
    """Whether every word of ``synonym`` is a form of a word of the term's ``label`` or of its
    ``slug``, its other name ("eenzaam" for Minder alleen, slug eenzaamheid; ``_same_word``)."""
    label_words = _content_words(label) + _content_words(slug.replace("-", " "))
    words = _content_words(synonym)
    return bool(words) and all(any(_same_word(w, lw) for lw in label_words) for w in words)


def _synonyms(kaart: Kaart, vocab: str, slugs: Iterable[str]) -> list[str]:
    """Synonyms of an entry's terms; of a vocabulary of related words (``RELATED_WORDS``) only
    the forms of the label's words."""
    table = kaart.terms.get(vocab, {})

    def of(term: Term) -> list[str]:
        return [syn for syn in term.synoniemen
                if vocab not in RELATED_WORDS or _form_of_label(syn, term.label, term.slug)]

    out: list[str] = []
    for slug in slugs:
        term = table.get(slug)
        if term is not None:  # worked out once per term, not once per entry that has it
            out += kaart.memo("synoniemen", (vocab, slug), functools.partial(of, term))
    return out


def _days(a: Activiteit) -> list[str]:
    days: list[str] = []
    for s in a.wanneer:
        for _, code in s.positioned_days:
            if RFC_DAY_NAMES[code] not in days:
                days.append(RFC_DAY_NAMES[code])
        for d in s.datums:
            name = RFC_DAY_NAMES[RFC_DAYS[d.weekday()]]
            if name not in days:
                days.append(name)
    return sorted(days, key=DAY_NAMES.index)


def _dagdelen(a: Activiteit) -> list[str]:
    parts = {dagdeel(s.van) for s in a.wanneer if s.van}
    return sorted(parts, key=DAGDELEN.index)


def _kosten(a: Activiteit) -> list[str]:
    if a.kosten is None:
        return []
    return ["gratis"] if a.kosten.gratis else ["betaald"]


def activity_kern(kaart: Kaart, a: Activiteit) -> list[str]:
    """The 'Kern of wijk' filter of an activity: its own kern and wijk, else its place's (also
    where result cards say it is)."""
    where: Activiteit | Ontmoetingsplek | None = a
    if not a.kern and not a.wijk and a.plek:
        where = kaart.plekken.get(gemeente_of(a), {}).get(a.plek)
    return [v for v in (where.kern, where.wijk) if v] if where is not None else []


# Filters whose values are more than a field's value: (model, filter) -> values.
_DERIVED: dict[tuple[type, str], Callable[[Kaart, Any], list[str]]] = {
    (Activiteit, "dag"): lambda kaart, a: _days(a),
    (Activiteit, "dagdeel"): lambda kaart, a: _dagdelen(a),
    (Activiteit, "kosten"): lambda kaart, a: _kosten(a),
    (Activiteit, "kern"): activity_kern,
}


def _field_values(kaart: Kaart, entry: Entry, field_name: str) -> list[str]:
    """A field's values as filter values: the labels of taxonomy terms, the names of
    gemeenten, 'ja' for a true yes/no field, else the text itself."""
    value = getattr(entry, field_name)
    target = field_meta(type(entry).model_fields[field_name], "verwijzing")
    values = value if isinstance(value, list) else [value]
    if target and target.startswith("taxonomie:"):
        return _labels(kaart, target.split(":", 1)[1], values)
    if target == "gemeenten":
        return [kaart.gemeenten[s].naam for s in values if s in kaart.gemeenten]
    if isinstance(value, bool):
        return ["ja"] if value else []
    return [str(v) for v in values if v]


def entry_facets(kaart: Kaart, entry: Entry, g: str = "") -> Facets:
    """The filter values of an entry's detail page (``g``: the gemeente folder it is shown in).
    Several fields may feed one filter (``kern`` and ``wijk`` both feed 'Kern of wijk'): their
    values are one filter, in field order, each once."""
    out: Facets = []
    if g:
        out.append(("gemeente", [kaart.gemeenten[g].naam] if g in kaart.gemeenten else []))
    for name, field_name in model_facets(type(entry)):
        derive = _DERIVED.get((type(entry), name))
        if out and out[-1][0] == name:  # a further field of the same filter
            if not derive:
                out[-1][1].extend(v for v in _field_values(kaart, entry, field_name)
                                  if v not in out[-1][1])
            continue
        out.append((name, derive(kaart, entry) if derive else _field_values(kaart, entry, field_name)))
    return out


def activity_facets(kaart: Kaart, a: Activiteit, g: str) -> Facets:
    return entry_facets(kaart, a, g)


def place_facets(kaart: Kaart, p: Ontmoetingsplek, g: str) -> Facets:
    return entry_facets(kaart, p, g)


def organisation_facets(kaart: Kaart, o: Organisatie, g: str) -> Facets:
    return entry_facets(kaart, o, g)


def praktijk_facets(kaart: Kaart, p: Praktijk) -> Facets:
    return entry_facets(kaart, p)


def entry_search_aids(kaart: Kaart, lexicon: Lexicon,
                      entry: Activiteit | Ontmoetingsplek | Organisatie | Praktijk) -> SearchAids:
    """Invisible search words of a detail page (see compounds.py): compound parts and stems of
    its own words, the synonyms of its terms (``_synonyms``)."""
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
