"""The report as text: readable Dutch for the terminal, Markdown for the weekly GitHub issue,
JSON, and the CSV tables (every CSV cell through ``csvsafe.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from pathlib import Path

from sociale_kaart.csvsafe import csv_text
from sociale_kaart.nl.dates import format_date
from sociale_kaart.nl.words import count
from sociale_kaart.outputs.rapport.data import Rapport


def format_text(r: Rapport, sections: Iterable[str] = ("versheid", "dekking", "kwaliteit")) -> str:
    """Readable Dutch text for the terminal."""
    sections = set(sections)
    out = [f"Rapport {r.site}, {format_date(r.datum)}", ""]
    if "versheid" in sections:
        out += ["VERSHEID: vermeldingen om na te vragen bij de organisatie", ""]
        for g in r.versheid:
            head = (f"{g.naam}: {count(len(g.verouderd), 'verouderde vermelding', 'verouderde vermeldingen')}"
                    f" van {g.gecontroleerd} (termijn {g.termijn})")
            if g.beheerders:
                head += f"; beheer: {', '.join(g.beheerders)}"
            out.append(head)
            for v in g.verouderd:
                out.append(f"  {v.item.woord:<12} {v.item.naam}: {v.uitleg}  ({v.item.bestand})")
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
            for probleem, items in q.problemen():
                if items:
                    out.append(f"  {_title(probleem)} ({len(items)}):")
                    out += [f"    {i.woord:<12} {i.naam}  ({i.bestand})" for i in items]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _title(probleem: str) -> str:
    """'zonder_contact' -> 'zonder contact'."""
    return probleem.replace("_", " ")


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
                "Deze vermeldingen zijn niet of langer dan de termijn van de gemeente geleden "
                "nagevraagd bij de organisatie. Vraag na of de informatie nog klopt, pas zo nodig "
                "de tekst aan en zet `laatst_gecontroleerd` op de datum van vandaag en "
                "`gecontroleerd_door` op uw functie.", ""]
        if not r.aantal_verouderd:
            out += ["Er zijn geen verouderde vermeldingen. Goed bijgehouden!", ""]
        for g in r.versheid:
            if not g.verouderd:
                continue
            out.append(f"### {_md_escape(g.naam)} ({len(g.verouderd)})")
            out.append("")
            who = f"Beheer: {' '.join(g.beheerders)}. " if g.beheerders else ""
            out.append(f"{who}Termijn: {g.termijn}.")
            out.append("")
            shown = g.verouderd if cap is None else g.verouderd[:cap]
            for v in shown:
                link = (f"[{v.item.bestand}]({v.item.bewerken})" if v.item.bewerken
                        else f"`{v.item.bestand}`")
                age = f" ({count(v.maanden, 'maand', 'maanden')})" if v.maanden is not None else ""
                out.append(f"- [ ] {_md_escape(v.item.naam)} ({v.item.woord}), "
                           f"{_md_escape(v.uitleg)}{age}: {link}")
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
            for probleem, items in q.problemen():
                if items:
                    out.append(f"- {_title(probleem).capitalize()}: " + ", ".join(
                        f"{_md_escape(i.naam)} (`{i.bestand}`)" for i in items))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def format_json(r: Rapport) -> str:
    """The whole report as JSON (dates as YYYY-MM-DD), with ``aantal_verouderd``."""
    data = asdict(r)
    data["aantal_verouderd"] = r.aantal_verouderd
    return json.dumps(data, ensure_ascii=False, indent=2, default=date.isoformat)


def csv_tables(r: Rapport) -> dict[str, list[list[str]]]:
    """File name -> rows (header first)."""
    dekking = [["gemeente", "gemeente_naam", "lijst", "term", "term_label", "aantal_actief"]]
    for d in r.dekking:
        for t in d.termen:
            for column in d.gemeenten:
                dekking.append([column.slug, column.label, d.vocabulaire, t.slug, t.label,
                                str(d.cellen[t.slug][column.slug].aantal)])
    verouderd = [["gemeente", "gemeente_naam", "beheerders", "soort", "slug", "naam",
                  "basis", "sinds", "maanden", "uitleg", "termijn_maanden", "bestand", "bewerken"]]
    for g in r.versheid:
        for v in g.verouderd:
            verouderd.append([g.gemeente, g.naam, " ".join(g.beheerders), v.item.soort,
                              v.item.slug, v.item.naam, v.basis,
                              v.sinds.isoformat() if v.sinds else "",
                              "" if v.maanden is None else str(v.maanden), v.uitleg,
                              str(g.termijn_maanden), v.item.bestand, v.item.bewerken or ""])
    kwaliteit = [["gemeente", "gemeente_naam", "probleem", "soort", "slug", "naam", "bestand",
                  "bewerken"]]
    for q in r.kwaliteit:
        for probleem, items in q.problemen():
            for i in items:
                kwaliteit.append([q.gemeente, q.naam, probleem, i.soort, i.slug, i.naam,
                                  i.bestand, i.bewerken or ""])
    return {"coverage.csv": dekking, "verouderd.csv": verouderd, "kwaliteit.csv": kwaliteit}


def csv_files(r: Rapport) -> dict[str, bytes]:
    """File name -> the file: ';'-separated, UTF-8 with a BOM (so spreadsheets read the
    accents right), every cell made safe by ``csvsafe.csv_text``."""
    return {name: csv_text(rows).encode("utf-8-sig") for name, rows in csv_tables(r).items()}


def write_csv(r: Rapport, out_dir: Path) -> list[Path]:
    """Write coverage.csv, verouderd.csv and kwaliteit.csv (UTF-8 with BOM, ';'-separated).

    Cells that a spreadsheet could run as a formula (a title like ``=HYPERLINK(...)``) are
    neutralised by ``csvsafe.csv_text``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in csv_files(r).items():
        path = out_dir / name
        tmp = path.with_suffix(".csv.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(path)
    return written
