"""Stage 3: resolve. Check references between entries and link them into one ``Kaart``.

Reference fields are declared once in ``models.py`` with ``Ref(target, ...)``; this module
checks them generically and suggests the closest existing slug. It also reports duplicate
slugs, kernen and wijken that the gemeente does not list, and freshness warnings. All lookups are dicts,
so the work is linear in the number of entries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import cache

from pydantic import BaseModel

from sociale_kaart.diagnostics import Diagnostic, Severity
from sociale_kaart.model.entries import (
    VOCABULARIES,
    Activiteit,
    Entry,
    Gemeente,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Regio,
    RegioIndeling,
    Term,
    references,
)
from sociale_kaart.model.freshness import Freshness
from sociale_kaart.model.kaart import Kaart, gemeente_of
from sociale_kaart.model.kinds import BY_KAART_ATTRIBUTE
from sociale_kaart.model.names import RESERVED_SLUGS
from sociale_kaart.nl.words import count
from sociale_kaart.pipeline.load import Loaded, paused_gc
from sociale_kaart.pipeline.privacy import privacy_problems
from sociale_kaart.pipeline.validate import model_at, suggest
from sociale_kaart.pipeline.yaml_loader import FieldPath, field_name

_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


@cache
def _ref_fields(model: type[BaseModel]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The ``Ref`` fields of a model class (name, target), and the fields that can hold
    nested models (worked out once per class, not once per entry)."""
    nested = tuple(name for name in model.model_fields
                   if (inner := model_at(model, (name,))) is not None and _has_refs(inner))
    return tuple(references(model).items()), nested


@cache
def _has_refs(model: type[BaseModel]) -> bool:
    """Whether a model class, or a group nested in it, has ``Ref`` fields (most groups, such
    as the rules of ``wanneer``, have none and need not be walked)."""
    refs, nested = _ref_fields(model)
    return bool(refs or nested)


def _nested_refs(model: BaseModel, prefix: FieldPath = ()):
    """(path prefix, field, target, value) of every ``Ref`` field, also in nested groups
    such as ``beheer.organisatie`` of a gemeente."""
    refs, nested = _ref_fields(type(model))
    for name, target in refs:
        yield prefix, name, target, getattr(model, name)
    for name in nested:
        value = getattr(model, name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _nested_refs(item, prefix + (name, i))
        elif isinstance(value, BaseModel):
            yield from _nested_refs(value, prefix + (name,))


# Where in a gemeente an entry is: field -> (the gemeente's list of names, Dutch word). Each
# value must be in the gemeente's list when the gemeente has one.
_PLACE_NAMES = (("kern", "kernen", "kern"), ("wijk", "wijken", "wijk"))


def _place_name_problems(entry: Entry, gemeente: Gemeente) -> list[tuple[FieldPath, str]]:
    """(field, message) for a ``kern`` or ``wijk`` that the gemeente does not list; a kern
    written as ``wijk`` (or the other way round) is named as such."""
    problems: list[tuple[FieldPath, str]] = []
    for fld, list_field, word in _PLACE_NAMES:
        value = getattr(entry, fld, None)
        names: list[str] = getattr(gemeente, list_field)
        if not value or not names or value in names:
            continue
        other = next(((o_fld, o_list) for o_fld, o_list, _ in _PLACE_NAMES
                      if o_fld != fld and value in getattr(gemeente, o_list)), None)
        if other is not None:
            hint = f"; het is een {other[0]} van de gemeente: schrijf {other[0]}: {value}"
        elif close := suggest(value, names):
            hint = f"; bedoelde u '{close}'?"
        else:
            hint = f"; voeg de {word} toe aan '{list_field}' in {gemeente.file}"
        problems.append(((fld,), f"{word} '{value}' staat niet bij de {list_field} van de "
                                 f"gemeente{hint}"))
    return problems


def _by_name(entries, attr: str = "naam"):
    return sorted(entries, key=lambda e: (str(getattr(e, attr)).casefold(), e.slug))


def resolve(loaded: Loaded, today: date) -> tuple[Kaart | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []

    def report(entry_file: str, path: FieldPath, message: str, severity: Severity = "fout",
               code: str = "verwijzing", key: bool = False) -> None:
        doc = loaded.documents.get(entry_file)
        line, col = doc.position(path, key=key) if doc else (0, 0)
        diags.append(Diagnostic(entry_file, line, col, field_name(path), message, severity, code))

    site = loaded.site
    if site is None:
        return None, diags

    # -- taxonomies
    terms: dict[str, dict[str, Term]] = {}
    for vocab, tax in loaded.taxonomies.items():
        table: dict[str, Term] = {}
        rel = next((f.rel for f in loaded.files if f.kind == "taxonomie" and f.slug == vocab), "")
        for i, term in enumerate(tax.termen):
            if term.slug in table:
                report(rel, ("termen", i, "slug"), f"de term '{term.slug}' staat twee keer in deze "
                       "lijst", code="dubbel")
            table[term.slug] = term
        terms[vocab] = table
    site_rel = next((f.rel for f in loaded.files if f.kind == "site"), "content/site.yaml")
    tax_dir = site_rel.rsplit("/", 1)[0] + "/taxonomie" if "/" in site_rel else "taxonomie"
    for vocab in VOCABULARIES:
        if vocab not in terms and not any(f.kind == "taxonomie" and f.slug == vocab
                                          for f in loaded.files):
            diags.append(Diagnostic(f"{tax_dir}/{vocab}.yaml", 0, 0, "",
                                    f"de lijst '{vocab}' ontbreekt in de map taxonomie",
                                    "fout", "ontbreekt"))

    # -- regions from site.yaml
    regios: dict[str, tuple[RegioIndeling, Regio]] = {}
    for i, indeling in enumerate(site.regio_indelingen):
        for j, regio in enumerate(indeling.regios):
            if regio.slug in regios:
                report(site_rel, ("regio_indelingen", i, "regios", j, "slug"),
                       f"de regio '{regio.slug}' bestaat al; gebruik een andere korte naam",
                       code="dubbel")
            regios[regio.slug] = (indeling, regio)

    # -- collections with duplicate-slug checks
    def collect(kind: str, scoped: bool):
        table: dict = defaultdict(dict) if scoped else {}
        for entry in loaded.entries[kind]:
            scope = table[gemeente_of(entry)] if scoped else table
            if entry.slug in scope:
                other = scope[entry.slug]
                diags.append(Diagnostic(entry.file, 1, 1, "", f"de korte naam '{entry.slug}' wordt "
                                        f"ook gebruikt door {other.file}; elke naam mag maar "
                                        "één keer voorkomen", "fout", "dubbele-slug"))
                continue
            scope[entry.slug] = entry
        return table

    gemeenten: dict[str, Gemeente] = collect("gemeente", False)
    organisaties: dict[str, Organisatie] = collect("organisatie", False)
    plekken: dict[str, dict[str, Ontmoetingsplek]] = collect("ontmoetingsplek", True)
    activiteiten: dict[str, dict[str, Activiteit]] = collect("activiteit", True)
    praktijken: dict[str, Praktijk] = collect("praktijk", False)

    for g in gemeenten.values():
        if g.slug in RESERVED_SLUGS:
            diags.append(Diagnostic(
                g.file, 1, 1, "", f"de korte naam '{g.slug}' is al in gebruik door de site zelf "
                f"(de map /{g.slug}/); geef het bestand een andere naam, bijvoorbeeld "
                f"'{g.slug}-gemeente.yaml'", "fout", "gereserveerde-naam"))

    cbs_seen: dict[str, Gemeente] = {}
    for g in gemeenten.values():
        if g.cbs_code in cbs_seen:
            report(g.file, ("cbs_code",), f"CBS-code {g.cbs_code} hoort ook bij "
                   f"{cbs_seen[g.cbs_code].file}", code="dubbel")
        cbs_seen[g.cbs_code] = g

    # -- generic reference checks
    def targets(target: str, entry: Entry) -> dict | None:
        if target == "gemeenten":
            return gemeenten
        if target == "organisaties":
            return organisaties
        if target == "regios":
            return regios
        if target == "plekken":
            return plekken.get(gemeente_of(entry), {})
        if target.startswith("taxonomie:"):
            return terms.get(target.split(":", 1)[1])
        raise KeyError(target)

    # Files that exist but did not validate have their own error; references to them are not
    # reported again as "bestaat niet".
    valid_files = {e.file for entries in loaded.entries.values() for e in entries}
    invalid = {(f.kind, f.gemeente, f.slug) for f in loaded.files
               if f.kind in loaded.entries and f.rel not in valid_files}
    target_kind = {"gemeenten": "gemeente", "organisaties": "organisatie",
                   "plekken": "ontmoetingsplek"}

    def check_refs(entry: Entry) -> None:
        for prefix, name, target, value in _nested_refs(entry):
            if value is None:
                continue
            table = targets(target, entry)
            if table is None:  # the vocabulary itself is missing; reported above
                continue
            values = value if isinstance(value, list) else [value]
            scope = gemeente_of(entry) if target == "plekken" else ""
            for i, slug in enumerate(values):
                if slug in table or (target_kind.get(target), scope, slug) in invalid:
                    continue
                path: FieldPath = prefix + ((name, i) if isinstance(value, list) else (name,))
                close = suggest(slug, table.keys())
                what = (BY_KAART_ATTRIBUTE[target].word if target in BY_KAART_ATTRIBUTE else
                        "regio" if target == "regios" else
                        "term in taxonomie/" + target.split(":")[-1] + ".yaml")
                where = (f" in gemeente '{scope}'" if target == "plekken" else "")
                hint = f"; bedoelde u '{close}'?" if close else ""
                report(entry.file, path, f"{what} '{slug}' bestaat niet{where}{hint}")

    for by_slug in (gemeenten, organisaties, praktijken):
        for unscoped in by_slug.values():
            check_refs(unscoped)
    for scoped in (plekken, activiteiten):
        for g_slug, entries in scoped.items():
            for entry in entries.values():
                check_refs(entry)
                if g_slug not in gemeenten:
                    if ("gemeente", "", g_slug) in invalid:
                        continue
                    close = suggest(g_slug, gemeenten.keys())
                    hint = f"; bedoelde u '{close}'?" if close else ""
                    report(entry.file, (), f"de map '{g_slug}' hoort niet bij een bekende gemeente"
                           f"{hint}", code="verwijzing")
                    continue
                if entry.gemeente in gemeenten and entry.gemeente != g_slug:
                    report(entry.file, ("gemeente",), f"dit bestand staat in de map van "
                           f"'{g_slug}' maar noemt gemeente '{entry.gemeente}'")
                for problem in _place_name_problems(entry, gemeenten[g_slug]):
                    report(entry.file, *problem)

    kaart = Kaart(site=site, today=today, taxonomies=loaded.taxonomies, terms=terms,
                  regios=regios, gemeenten=dict(sorted(gemeenten.items(),
                                                       key=lambda kv: kv[1].naam.casefold())),
                  organisaties=organisaties, plekken=dict(plekken),
                  activiteiten=dict(activiteiten), praktijken=praktijken)

    # -- warnings: missing schedules, raw HTML
    for d in activiteiten.values():
        for a in d.values():
            if not a.wanneer and a.status == "actief":
                report(a.file, (), "er staat niet bij wanneer dit is ('wanneer'); de site toont "
                       "'Dagen en tijden: vraag het na bij ...'", "waarschuwing", "geen-tijden")
    for described in [*(a for d in activiteiten.values() for a in d.values()), *praktijken.values(),
                      *organisaties.values(), *(p for d in plekken.values() for p in d.values())]:
        for fld in ("beschrijving", "tekst"):
            text = getattr(described, fld, None)
            if text and _RAW_HTML.search(text):
                report(described.file, ("beschrijving",) if fld == "beschrijving" else (),
                       "HTML-code wordt niet getoond; gebruik Markdown (zoals **vet** of "
                       "[link](https://...))", "waarschuwing", "html")
                break

    # -- warnings: contact details that look like a private person's (see privacy.py)
    with_contacts: list[Entry] = [*gemeenten.values(), *organisaties.values(), *praktijken.values(),
                                  *(p for d in plekken.values() for p in d.values()),
                                  *(a for d in activiteiten.values() for a in d.values())]
    for contact_entry in with_contacts:
        for path, message in contact_entry.kept("privacy", privacy_problems):
            report(contact_entry.file, path, message, "waarschuwing", "privacy")

    # -- derived indexes for rendering
    for g_slug, entries in activiteiten.items():
        for a in entries.values():
            if a.plek:
                kaart.activiteiten_per_plek.setdefault((g_slug, a.plek), []).append(a)
            if a.organisator:
                kaart.activiteiten_per_organisatie.setdefault(a.organisator, []).append(a)
    for g_slug, g in gemeenten.items():
        orgs = {o.slug: o for o in organisaties.values() if g_slug in o.gemeenten}
        for a in activiteiten.get(g_slug, {}).values():
            if a.organisator in organisaties:
                orgs[a.organisator] = organisaties[a.organisator]
        for p in plekken.get(g_slug, {}).values():
            if p.beheerder in organisaties:
                orgs[p.beheerder] = organisaties[p.beheerder]
        kaart.organisaties_per_gemeente[g_slug] = _by_name(orgs.values())
        for org_slug in orgs:
            kaart.gemeenten_per_organisatie.setdefault(org_slug, []).append(g_slug)
        kaart.praktijken_per_gemeente[g_slug] = _by_name(
            [p for p in praktijken.values()
             if g_slug in p.gemeenten or set(p.regios) & set(g.regios)], "titel")

    # -- warnings: freshness (model/freshness.py: the same rule as the pages and rapport)
    for checked_entry in [*organisaties.values(), *(p for d in plekken.values() for p in d.values()),
                          *(a for d in activiteiten.values() for a in d.values())]:
        fresh = kaart.freshness(checked_entry)
        if fresh is None:
            continue
        if fresh.future:
            where = ("laatst_gecontroleerd",) if fresh.basis == "controle" else ("bron",)
            report(checked_entry.file, where, f"datum {fresh.checked:%Y-%m-%d} ligt in de toekomst",
                   code="datum")
        elif fresh.stale:
            report(checked_entry.file, *stale_message(fresh), "waarschuwing", "verouderd")

    if any(d.is_error for d in diags):
        return None, diags
    return kaart, diags


def stale_message(fresh: Freshness) -> tuple[tuple[str, ...], str]:
    """(field, Dutch message) of the warning for a stale entry: what it counts from and what to
    do (model/freshness.py)."""
    todo = ("vraag bij de organisatie na of het nog klopt en zet dan 'laatst_gecontroleerd' "
            "(de datum van vandaag) en 'gecontroleerd_door' (uw functie)")
    if fresh.basis == "controle":
        return ("laatst_gecontroleerd",), (
            f"{fresh.uitleg}, langer dan {count(fresh.term_months, 'maand', 'maanden')} geleden: "
            "vraag het opnieuw na bij de organisatie en pas de datum aan")
    if fresh.basis == "bron":
        return ("bron",), (f"{fresh.uitleg}, langer dan {count(fresh.term_months, 'maand', 'maanden')} "
                           f"geleden: {todo}")
    return ("bron",), f"{fresh.uitleg}: {todo}"


def check(loaded: Loaded, today: date, duplicate_memo: dict | None = None
          ) -> tuple[Kaart | None, list[Diagnostic]]:
    """Load-validate-resolve in one call: all diagnostics, and the Kaart if there are no errors.

    ``duplicate_memo``: see ``duplicates.find_duplicates`` (``serve`` keeps one).
    """
    with paused_gc():  # see content.paused_gc: the kaart is millions of live objects
        kaart, diags = resolve(loaded, today)
        all_diags = loaded.diagnostics + diags
        if any(d.is_error for d in all_diags):
            return None, all_diags
        if kaart is not None:
            from sociale_kaart.pipeline.duplicates import find_duplicates  # warnings about probable duplicates
            all_diags += find_duplicates(kaart, loaded.documents, duplicate_memo)
    return kaart, all_diags
