"""``sociale-kaart rapport``: freshness, coverage ("witte vlekken") and quality of the kaart.

``rapport_data(kaart)`` is a pure function from the linked ``Kaart`` to plain dataclasses;
the terminal text, Markdown (for the weekly GitHub issue), JSON, CSV files and the HTML
pages (``rapport_pages``) are all renderings of that one ``Rapport``.

Definitions (also in CONTRIBUTING.md):

* verouderd: ``laatst_gecontroleerd`` is older than the gemeente's ``controle_termijn_maanden``
  (organisations without a gemeente: 12 months). Stopped activities are left out.
* actief: an activity with ``status: actief`` (not paused, not stopped).
* zonder contact: no telephone, e-mail or website on the entry, nor in ``aanmelden``, nor at
  its organisator (activities) or beheerder (places).
* zonder tijden: an active activity without ``wanneer``, a place without ``openingstijden``.
* zonder toegankelijkheid: no ``toegankelijkheid`` terms and no ``toegankelijkheid_toelichting``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from sociale_kaart.model.entries import Activiteit, Entry, Ontmoetingsplek
from sociale_kaart.model.freshness import DEFAULT_TERM_MONTHS
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.kinds import KINDS
from sociale_kaart.nl.dates import format_date
from sociale_kaart.nl.words import count
from sociale_kaart.outputs.csvsafe import csv_text

CONTENT_PREFIX = "content"
GEEN_BEHEERDER = "(geen beheerder)"
ZONDER_GEMEENTE = ""  # pseudo-gemeente for organisations that list no gemeente
LEVELS = 4  # colour levels for non-zero coverage cells (0 has its own "gap" colour)


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class Item:
    """One entry in a list of the report."""

    soort: str  # activiteit | ontmoetingsplek | organisatie
    slug: str
    naam: str
    gemeente: str  # slug; "" for organisations without a gemeente
    bestand: str  # repository path, e.g. content/activiteiten/kampen/x.yaml
    bewerken: str | None = None  # GitHub edit link when site.repository is set


@dataclass(frozen=True)
class Verouderd:
    item: Item
    laatst_gecontroleerd: date
    maanden: int  # whole months since the last check


@dataclass
class GemeenteVersheid:
    gemeente: str
    naam: str
    termijn_maanden: int
    beheerders: list[str]
    gecontroleerd: int  # entries that count for freshness
    verouderd: list[Verouderd]  # oldest first

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

    @property
    def aantal(self) -> int:
        return len(self.zonder_contact) + len(self.zonder_tijden) + len(self.zonder_toegankelijkheid)


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


# --------------------------------------------------------------------------- computing

def repo_path(entry: Entry, content_prefix: str = CONTENT_PREFIX) -> str:
    """Path of the entry's file inside the repository, whatever the working directory was."""
    parts = Path(entry.file).as_posix().split("/")
    keep = 3 if entry._gemeente else 2  # noqa: SLF001 - <folder>/<gemeente>/<file> or <folder>/<file>
    return "/".join([content_prefix, *parts[-keep:]]) if content_prefix else "/".join(parts[-keep:])


def edit_url(repository: str | None, path: str, branch: str = "main") -> str | None:
    if not repository:
        return None
    return f"{repository.rstrip('/').removesuffix('.git')}/edit/{branch}/{path}"


def _item(kaart: Kaart, entry: Entry, kind: str, gemeente: str, prefix: str,
          branch: str) -> Item:
    path = repo_path(entry, prefix)
    naam = getattr(entry, "naam", None) or getattr(entry, "titel", entry.slug)
    return Item(kind, entry.slug, str(naam), gemeente, path,
                edit_url(kaart.site.repository, path, branch))


def _has_contact(*values: Any) -> bool:
    for v in values:
        if v is None:
            continue
        if any(getattr(v, attr, None) for attr in ("telefoon", "email", "website")):
            return True
    return False


def _termijn(kaart: Kaart, gemeente: str) -> int:
    g = kaart.gemeenten.get(gemeente)
    return g.controle_termijn_maanden if g is not None else DEFAULT_TERM_MONTHS


def _entries_per_gemeente(kaart: Kaart) -> dict[str, list[tuple[str, Entry]]]:
    """(kind, entry) per gemeente slug that count for freshness and quality."""
    out: dict[str, list[tuple[str, Entry]]] = {g: [] for g in kaart.gemeenten}
    for g, acts in kaart.activiteiten.items():
        out.setdefault(g, []).extend(("activiteit", a) for a in acts.values()
                                     if a.status != "gestopt")
    for g, places in kaart.plekken.items():
        out.setdefault(g, []).extend(("ontmoetingsplek", p) for p in places.values())
    placed: set[str] = set()
    for g in kaart.gemeenten:
        for org in kaart.organisaties_per_gemeente.get(g, []):
            out[g].append(("organisatie", org))
            placed.add(org.slug)
    loose = [o for o in kaart.organisaties.values() if o.slug not in placed]
    if loose:
        out[ZONDER_GEMEENTE] = [("organisatie", o) for o in loose]
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


def _coverage(kaart: Kaart, vocab: str, titel: str, attr: str) -> Dekking:
    terms = [Term(slug, t.label) for slug, t in kaart.terms.get(vocab, {}).items()]
    gemeenten = [Term(slug, g.naam) for slug, g in kaart.gemeenten.items()]
    counts = {t.slug: {g.slug: 0 for g in gemeenten} for t in terms}
    totalen = {g.slug: 0 for g in gemeenten}
    for g in totalen:
        for a in kaart.activiteiten.get(g, {}).values():
            if a.status != "actief":
                continue
            totalen[g] += 1
            for slug in dict.fromkeys(getattr(a, attr)):
                if slug in counts:
                    counts[slug][g] += 1
    top = max((n for row in counts.values() for n in row.values()), default=0)
    cellen = {t: {g: Cel(n, _level(n, top)) for g, n in row.items()} for t, row in counts.items()}
    gaps = {g.slug: [t.slug for t in terms if counts[t.slug][g.slug] == 0] for g in gemeenten}
    return Dekking(vocab, titel, terms, gemeenten, cellen, totalen, gaps)


def rapport_data(kaart: Kaart, *, content_prefix: str = CONTENT_PREFIX,
                 branch: str = "main") -> Rapport:
    """The whole report for ``kaart`` on ``kaart.today``. Pure: reads, never writes."""
    today = kaart.today
    per_gemeente = _entries_per_gemeente(kaart)

    versheid: list[GemeenteVersheid] = []
    for g, entries in per_gemeente.items():
        termijn = _termijn(kaart, g)
        stale = []
        for kind, entry in entries:
            # The one rule of check and the pages (model/freshness.py): an organisation in
            # several gemeenten is judged by the strictest term among them.
            fresh = kaart.freshness(entry)
            if fresh is not None and fresh.stale:
                stale.append(Verouderd(_item(kaart, entry, kind, g, content_prefix, branch),
                                       fresh.checked, fresh.months_old))
        stale.sort(key=lambda v: (v.laatst_gecontroleerd, v.item.naam.casefold(), v.item.bestand))
        gem = kaart.gemeenten.get(g)
        handles = list(gem.beheer.beheerders) if gem is not None and gem.beheer else []
        versheid.append(GemeenteVersheid(g, _naam(kaart, g), termijn, handles, len(entries), stale))

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
        bv.verouderd.sort(key=lambda v: (v.laatst_gecontroleerd, v.item.naam.casefold(),
                                         v.item.bestand))

    kwaliteit: list[GemeenteKwaliteit] = []
    for g, entries in per_gemeente.items():
        if g == ZONDER_GEMEENTE:
            continue
        q = GemeenteKwaliteit(g, _naam(kaart, g), [], [], [])
        for kind, entry in entries:
            if kind == "organisatie":
                continue
            item = _item(kaart, entry, kind, g, content_prefix, branch)
            if isinstance(entry, Activiteit):
                org = kaart.organisaties.get(entry.organisator or "")
                if not _has_contact(entry.contact, entry.aanmelden, org):
                    q.zonder_contact.append(item)
                if not entry.wanneer and entry.status == "actief":
                    q.zonder_tijden.append(item)
            elif isinstance(entry, Ontmoetingsplek):
                org = kaart.organisaties.get(entry.beheerder or "")
                if not _has_contact(entry.contact, org):
                    q.zonder_contact.append(item)
                if not entry.openingstijden:
                    q.zonder_tijden.append(item)
            # Only activities and places are left: organisations were skipped above.
            place_or_activity = cast("Activiteit | Ontmoetingsplek", entry)
            if not place_or_activity.toegankelijkheid and not place_or_activity.toegankelijkheid_toelichting:
                q.zonder_toegankelijkheid.append(item)
        for lst in (q.zonder_contact, q.zonder_tijden, q.zonder_toegankelijkheid):
            lst.sort(key=lambda i: (i.soort, i.naam.casefold(), i.bestand))
        kwaliteit.append(q)

    dekking = [_coverage(kaart, "themas", "Actieve activiteiten per thema", "themas"),
               _coverage(kaart, "doelgroepen", "Actieve activiteiten per doelgroep", "doelgroepen")]
    return Rapport(today, kaart.site.naam, versheid, per_beheerder, dekking, kwaliteit)


# --------------------------------------------------------------------------- text outputs



def _soort(item: Item) -> str:
    return KINDS[item.soort].short_word if item.soort in KINDS else item.soort


def format_text(r: Rapport, sections: Iterable[str] = ("versheid", "dekking", "kwaliteit")) -> str:
    """Readable Dutch text for the terminal."""
    sections = set(sections)
    out = [f"Rapport {r.site}, {format_date(r.datum)}", ""]
    if "versheid" in sections:
        out += ["VERSHEID: vermeldingen die opnieuw gecontroleerd moeten worden", ""]
        for g in r.versheid:
            head = (f"{g.naam}: {count(len(g.verouderd), 'verouderde vermelding', 'verouderde vermeldingen')}"
                    f" van {g.gecontroleerd} (termijn {g.termijn_maanden} maanden)")
            if g.beheerders:
                head += f"; beheer: {', '.join(g.beheerders)}"
            out.append(head)
            for v in g.verouderd:
                out.append(f"  {v.laatst_gecontroleerd.isoformat()}  {v.maanden:>3} mnd  "
                           f"{_soort(v.item):<12} {v.item.naam}  ({v.item.bestand})")
            out.append("")
        out.append("Per beheerder:")
        for b in r.per_beheerder:
            out.append(f"  {b.beheerder}: {count(len(b.verouderd), 'verouderde vermelding', 'verouderde vermeldingen')}"
                       f" ({', '.join(b.gemeenten) or '-'})")
        out.append("")
    if "dekking" in sections:
        for d in r.dekking:
            out += [f"DEKKING: {d.titel.lower()} (witte vlekken zijn 0)", ""]
            label_w = max([len(t.label) for t in d.termen] + [10])
            cols = [g.label for g in d.gemeenten]
            widths = [max(len(c), 3) for c in cols]
            out.append(" " * label_w + "  " + "  ".join(c.rjust(w) for c, w in zip(cols, widths, strict=True)))
            for t in d.termen:
                cells = [str(d.cellen[t.slug][g.slug].aantal).rjust(w)
                         for g, w in zip(d.gemeenten, widths, strict=True)]
                out.append(t.label.ljust(label_w) + "  " + "  ".join(cells))
            totals = [str(d.totalen[g.slug]).rjust(w) for g, w in zip(d.gemeenten, widths, strict=True)]
            out.append("Totaal actief".ljust(label_w) + "  " + "  ".join(totals))
            out.append("")
    if "kwaliteit" in sections:
        out += ["KWALITEIT: vermeldingen met ontbrekende informatie", ""]
        for q in r.kwaliteit:
            out.append(f"{q.naam}: {count(q.aantal, 'punt', 'punten')}")
            for title, items in (("zonder contact", q.zonder_contact),
                                 ("zonder tijden", q.zonder_tijden),
                                 ("zonder toegankelijkheid", q.zonder_toegankelijkheid)):
                if items:
                    out.append(f"  {title} ({len(items)}):")
                    out += [f"    {_soort(i):<12} {i.naam}  ({i.bestand})" for i in items]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_escape(text: str) -> str:
    for ch in ("\\", "|", "[", "]", "*", "_", "<", ">", "`"):
        text = text.replace(ch, "\\" + ch)
    return text


def format_markdown(r: Rapport, sections: Iterable[str] = ("versheid", "dekking", "kwaliteit"),
                    max_chars: int | None = None) -> str:
    """GitHub-flavoured Markdown, used for the weekly issue with stale entries.

    With ``max_chars`` (a GitHub issue holds at most 65536 characters) the lists of stale
    entries are shortened per gemeente, oldest first kept, until the text fits.
    """
    sections = tuple(sections)
    text = _markdown(r, sections, None)
    cap = max((len(g.verouderd) for g in r.versheid), default=0)
    while max_chars is not None and len(text) > max_chars and cap > 0:
        cap = cap // 2 if cap > 1 else 0
        text = _markdown(r, sections, cap)
    return text


def _markdown(r: Rapport, sections: Iterable[str], cap: int | None) -> str:
    sections = set(sections)
    out = [f"# Rapport {_md_escape(r.site)}", "",
           f"Gemaakt op {format_date(r.datum)} met `sociale-kaart rapport`.", ""]
    if "versheid" in sections:
        out += ["## Verouderde vermeldingen", "",
                "Deze vermeldingen zijn langer dan de controletermijn van de gemeente niet "
                "nagevraagd. Vraag na of de informatie nog klopt, pas zo nodig de tekst aan en zet "
                "`laatst_gecontroleerd` op de datum van vandaag.", ""]
        if not r.aantal_verouderd:
            out += ["Er zijn geen verouderde vermeldingen. Goed bijgehouden!", ""]
        for g in r.versheid:
            if not g.verouderd:
                continue
            out.append(f"### {_md_escape(g.naam)} ({len(g.verouderd)})")
            out.append("")
            who = f"Beheer: {' '.join(g.beheerders)}. " if g.beheerders else ""
            out.append(f"{who}Termijn: {g.termijn_maanden} maanden.")
            out.append("")
            shown = g.verouderd if cap is None else g.verouderd[:cap]
            for v in shown:
                link = (f"[{v.item.bestand}]({v.item.bewerken})" if v.item.bewerken
                        else f"`{v.item.bestand}`")
                out.append(f"- [ ] {_md_escape(v.item.naam)} ({_soort(v.item)}), gecontroleerd "
                           f"op {v.laatst_gecontroleerd.isoformat()} ({v.maanden} maanden): {link}")
            if len(shown) < len(g.verouderd):
                out.append(f"- ... en nog {len(g.verouderd) - len(shown)}; zie het rapport op de "
                           "site (/rapport/) of `sociale-kaart rapport`.")
            out.append("")
    if "dekking" in sections:
        for d in r.dekking:
            out += [f"## {d.titel}", ""]
            out.append("| | " + " | ".join(_md_escape(g.label) for g in d.gemeenten) + " |")
            out.append("|---|" + "---:|" * len(d.gemeenten))
            for t in d.termen:
                cells = []
                for column in d.gemeenten:
                    n = d.cellen[t.slug][column.slug].aantal
                    cells.append("**0**" if n == 0 else str(n))
                out.append(f"| {_md_escape(t.label)} | " + " | ".join(cells) + " |")
            out.append("")
    if "kwaliteit" in sections:
        out += ["## Ontbrekende informatie", ""]
        for q in r.kwaliteit:
            if not q.aantal:
                continue
            out += [f"### {_md_escape(q.naam)}", ""]
            for title, items in (("Zonder contact", q.zonder_contact),
                                 ("Zonder tijden", q.zonder_tijden),
                                 ("Zonder toegankelijkheid", q.zonder_toegankelijkheid)):
                if items:
                    out.append(f"- {title}: " + ", ".join(
                        f"{_md_escape(i.naam)} (`{i.bestand}`)" for i in items))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def format_json(r: Rapport) -> str:
    data = asdict(r)
    data["aantal_verouderd"] = r.aantal_verouderd
    return json.dumps(_jsonable(data), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- CSV

def csv_tables(r: Rapport) -> dict[str, list[list[str]]]:
    """File name -> rows (header first)."""
    dekking = [["gemeente", "gemeente_naam", "lijst", "term", "term_label", "aantal_actief"]]
    for d in r.dekking:
        for t in d.termen:
            for column in d.gemeenten:
                dekking.append([column.slug, column.label, d.vocabulaire, t.slug, t.label,
                                str(d.cellen[t.slug][column.slug].aantal)])
    verouderd = [["gemeente", "gemeente_naam", "beheerders", "soort", "slug", "naam",
                  "laatst_gecontroleerd", "maanden", "termijn_maanden", "bestand", "bewerken"]]
    for g in r.versheid:
        for v in g.verouderd:
            verouderd.append([g.gemeente, g.naam, " ".join(g.beheerders), v.item.soort,
                              v.item.slug, v.item.naam, v.laatst_gecontroleerd.isoformat(),
                              str(v.maanden), str(g.termijn_maanden), v.item.bestand,
                              v.item.bewerken or ""])
    kwaliteit = [["gemeente", "gemeente_naam", "probleem", "soort", "slug", "naam", "bestand",
                  "bewerken"]]
    for q in r.kwaliteit:
        for probleem, items in (("zonder_contact", q.zonder_contact),
                                ("zonder_tijden", q.zonder_tijden),
                                ("zonder_toegankelijkheid", q.zonder_toegankelijkheid)):
            for i in items:
                kwaliteit.append([q.gemeente, q.naam, probleem, i.soort, i.slug, i.naam,
                                  i.bestand, i.bewerken or ""])
    return {"coverage.csv": dekking, "verouderd.csv": verouderd, "kwaliteit.csv": kwaliteit}


def write_csv(r: Rapport, out_dir: Path) -> list[Path]:
    """Write coverage.csv, verouderd.csv and kwaliteit.csv (UTF-8 with BOM, ';'-separated).

    Cells that a spreadsheet could run as a formula (a title like ``=HYPERLINK(...)``) are
    neutralised by ``csvsafe.csv_text``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in csv_tables(r).items():
        path = out_dir / name
        tmp = path.with_suffix(".csv.tmp")
        tmp.write_text(csv_text(rows), encoding="utf-8-sig", newline="")
        tmp.replace(path)
        written.append(path)
    return written


# --------------------------------------------------------------------------- site pages

def rapport_pages(kaart: Kaart) -> list[tuple[str, dict[str, Any]]]:
    """Pages for the built site: (output path relative to the site root, template context).

    One overview page (coverage of every gemeente, freshness and quality in numbers) and
    one page per gemeente with the lists. All use template ``rapport.html``; the pages are
    meant to stay out of the search index (the template has no ``data-pagefind-body``).
    The overview links the CSV files of ``rapport_csv_files`` (``rapport/coverage.csv``, ...),
    which the build writes next to it.
    """
    r = rapport_data(kaart)
    pages: list[tuple[str, dict[str, Any]]] = [
        ("rapport/index.html", {"template": "rapport.html", "rapport": r, "rapport_gemeente": None,
                                "title": "Rapport voor beheerders", "noindex": True,
                                "csv_bestanden": list(csv_tables(r))}),
    ]
    kwaliteit = {q.gemeente: q for q in r.kwaliteit}
    for g in r.versheid:
        if g.gemeente == ZONDER_GEMEENTE:
            slug = "zonder-gemeente"
        else:
            slug = g.gemeente
        pages.append((f"rapport/{slug}/index.html", {
            "template": "rapport.html", "rapport": r, "title": f"Rapport {g.naam}",
            "rapport_gemeente": {"slug": slug, "versheid": g, "kwaliteit": kwaliteit.get(g.gemeente)},
            "noindex": True, "csv_bestanden": []}))
    return pages


def rapport_csv_files(kaart: Kaart) -> list[tuple[str, bytes]]:
    """The CSV files for the built site (``rapport/coverage.csv`` etc.), UTF-8 with BOM."""
    r = rapport_data(kaart)
    return [(f"rapport/{name}", csv_text(rows).encode("utf-8-sig"))
            for name, rows in csv_tables(r).items()]


# --------------------------------------------------------------------------- CLI


