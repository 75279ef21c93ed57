"""Convert ``bron`` written as one line of text into structured sources, and drop check dates
that are not checks.

    python scripts/migrate_bron.py content                 # rewrite the files in place
    python scripts/migrate_bron.py content --dry-run       # only say what would change
    python scripts/migrate_bron.py tests/fixtures/kaart --gecontroleerd-door "beheerder van de kaart"

Until 2026 an entry said where it came from in one line of text, in the form

    bron: 000_eee737bd82e1cc7f.txt (Evaluatiekrant Sociale Kwaliteit, provincie Overijssel,
      juli 2023), artikel 'Overijssel in beweging'; ook 001, paragraaf 5

and its ``laatst_gecontroleerd`` often held the date of that document. A source is not a check
(model/freshness.py), so this script:

* turns every ``bron`` text into a list of sources (``titel``, ``uitgever``, ``datum``,
  ``plaats``). A source file of ``shared/bronnen`` (``NNN_hash.txt`` or just ``NNN``) gets the
  title, publisher and date the document itself gives (``DOCUMENTS``: only 000 has a date, 7 July
  2023; 001 to 004 state none, so they get none); the text after the parentheses is the place
  in the document. Any other text becomes the ``titel`` of one source, with a trailing
  ", <maand> <jaar>" taken as its date ("Website, oktober 2026" -> titel Website, datum 2026-10);
* removes ``laatst_gecontroleerd`` when it is no check: a date of a source document
  (``NOT_CHECKS``: 2023-07-07 is the Evaluatiekrant's date, 2022-12-13 the last meeting in
  report 003, 2022-07-01 is in no source) or the date of one of the entry's own sources;
* keeps any other ``laatst_gecontroleerd`` that has no ``gecontroleerd_door``: with
  ``--gecontroleerd-door ROLE`` it adds that role, else it names the file so that a maintainer
  adds who checked it (``check`` reports it as an error until then).

Nothing else in a file changes: the script edits the text where the two fields are (found with
PyYAML's node positions), so comments, order and the other fields stay as they were. Running it
again changes nothing. Exit code 0, or 1 when a file could not be read as YAML.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

# The source documents of the demo content (shared/bronnen), as each document names itself.
# Dates only where the document states one (notes/content-research.md, section 1).
DOCUMENTS: dict[str, dict[str, Any]] = {
    "000": {"titel": "Evaluatiekrant Sociale Kwaliteit", "uitgever": "provincie Overijssel",
            "datum": date(2023, 7, 7)},
    "001": {"titel": "’t Giet mooi! Óp naar een vitaal en inclusief Overijssel. Sociale Agenda "
                     "2025-2026 bij het beleid Sociale Kwaliteit", "uitgever": "provincie Overijssel"},
    "002": {"titel": "Beleidsvisie Sociale Kwaliteit 2027-2032. Tussenstand ontwikkeling nieuw beleid"},
    "003": {"titel": "Samen in beweging met kwetsbare inwoners. Slotrapportage van het vierjarige "
                     "project", "uitgever": "consortium Samen in beweging"},
    "004": {"titel": "Inspiratiebundel Gezond & sociaal in de regio",
            "uitgever": "Werkplaats Sociaal Domein Zuid-Holland Zuid"},
}

# laatst_gecontroleerd values in the demo content that are dates of documents, not checks.
NOT_CHECKS = frozenset({date(2023, 7, 7), date(2022, 12, 13), date(2022, 7, 1)})

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")

# "000_eee737bd82e1cc7f.txt (Title, publisher, date), place" or "000, place" (after "ook").
_DOCUMENT = re.compile(r"^\s*(?P<nr>[0-9]{3})(?:_[0-9a-f]{16}\.txt)?\s*(?:\((?P<paren>[^()]*)\))?"
                       r"\s*,?\s*(?P<plaats>.*?)\s*$", re.S)
_TRAILING_MONTH = re.compile(r"^(?P<titel>.+?),\s*(?P<maand>" + "|".join(MONTHS) +
                             r")\s+(?P<jaar>[12][0-9]{3})\s*$", re.I)
_SUFFIXES = {".yaml", ".yml", ".md"}


def parse_bron(text: str) -> list[dict[str, Any]]:
    """The structured sources of one ``bron`` text."""
    text = " ".join(text.split())
    sources = []
    for i, part in enumerate(re.split(r";\s*ook\s+", text)):
        m = _DOCUMENT.match(part)
        if m is not None and m.group("nr") in DOCUMENTS and (i > 0 or ".txt" in part):
            source = dict(DOCUMENTS[m.group("nr")])
            if m.group("plaats"):
                source["plaats"] = m.group("plaats")
            sources.append(source)
        elif i == 0:
            sources.append(_free_text(part))
        else:  # "...; ook <something that is no document>": keep it with the previous one
            previous = sources[-1]
            key = "plaats" if "plaats" in previous else "titel"
            previous[key] = f"{previous[key]}; ook {part}"
    return sources


def _free_text(text: str) -> dict[str, Any]:
    m = _TRAILING_MONTH.match(text)
    if m is None:
        return {"titel": text}
    month = MONTHS.index(m.group("maand").lower()) + 1
    return {"titel": m.group("titel"), "datum": f"{m.group('jaar')}-{month:02d}"}


def _scalar(value: Any) -> str:
    out = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=False)
    return out.removesuffix("\n").removesuffix("\n...").strip()


def render_sources(sources: list[dict[str, Any]]) -> str:
    """``bron:`` with the sources as a block list, fields in the model's order."""
    lines = ["bron:"]
    for source in sources:
        first = True
        for key in ("titel", "uitgever", "datum", "plaats", "url"):
            if key in source:
                lines.append(f"  {'- ' if first else '  '}{key}: {_scalar(source[key])}")
                first = False
    return "\n".join(lines)


def _source_days(sources: Any) -> set[date]:
    days = set()
    for s in sources if isinstance(sources, list) else [sources] if isinstance(sources, dict) else []:
        value = s.get("datum") if isinstance(s, dict) else None
        if isinstance(value, date):
            days.add(value)
    return days


@dataclass
class Change:
    path: Path
    notes: list[str]
    text: str


def _front_matter(text: str) -> tuple[int, str] | None:
    """(offset, YAML) of a Markdown file's front matter, or None."""
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    start = text.index("\n") + 1
    return start, text[start:end + 1]


def migrate_text(text: str, markdown: bool, checked_by: str | None) -> tuple[str, list[str]]:
    """The migrated text of one file and notes on what changed or needs a maintainer."""
    offset, body = (_front_matter(text) or (0, "")) if markdown else (0, text)
    root = yaml.compose(body, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return text, []
    fields = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    data = yaml.safe_load(body) or {}
    if root.flow_style and ("bron" in fields or "laatst_gecontroleerd" in fields):
        return _migrate_flow(text, offset, body, root, data, checked_by)
    edits: list[tuple[int, int, str]] = []
    notes: list[str] = []
    sources = data.get("bron")
    if "bron" in fields and isinstance(sources, str):
        sources = parse_bron(sources)
        k, v = fields["bron"]
        edits.append((k.start_mark.index, v.end_mark.index, render_sources(sources)))
        notes.append("bron omgezet")
    checked = data.get("laatst_gecontroleerd")
    if "laatst_gecontroleerd" in fields and isinstance(checked, date) \
            and data.get("gecontroleerd_door") is None:
        k, v = fields["laatst_gecontroleerd"]
        if checked in NOT_CHECKS or checked in _source_days(sources):
            end = v.end_mark.index
            end = end + 1 if body[end:end + 1] == "\n" else end
            edits.append((k.start_mark.index, end, ""))
            notes.append(f"laatst_gecontroleerd {checked} weggehaald: dat is de datum van een bron")
        elif checked_by:
            edits.append((v.end_mark.index, v.end_mark.index,
                          f"\ngecontroleerd_door: {_scalar(checked_by)}"))
            notes.append(f"gecontroleerd_door '{checked_by}' toegevoegd")
        else:
            notes.append(f"LET OP: laatst_gecontroleerd {checked} zonder gecontroleerd_door; zet erbij "
                         "wie het navroeg (een functie), of haal de datum weg als het niet is nagevraagd")
    for start, end, new in sorted(edits, reverse=True):
        body = body[:start] + new + body[end:]
    if markdown and edits:
        front = _front_matter(text)
        assert front is not None
        text = text[:offset] + body + text[offset + len(front[1]):]
    elif edits:
        text = body
    return text, notes


def _migrate_flow(text: str, offset: int, body: str, root: yaml.MappingNode, data: dict[str, Any],
                  checked_by: str | None) -> tuple[str, list[str]]:
    """A file written as one flow mapping ('{naam: ..., bron: ...}'): the mapping is written
    again in block style, in the same order, with the same changes as a block mapping."""
    keys = list(data)
    block = yaml.safe_dump({k: data[k] for k in keys if k not in ("bron", "laatst_gecontroleerd",
                                                                   "gecontroleerd_door")},
                           allow_unicode=True, sort_keys=False, width=100)
    rest = {k: data[k] for k in ("bron", "laatst_gecontroleerd", "gecontroleerd_door") if k in data}
    tail = yaml.safe_dump({k: v for k, v in rest.items() if k != "bron"}, allow_unicode=True,
                          sort_keys=False) if len(rest) > ("bron" in rest) else ""
    new_body = block + (tail if tail != "{}\n" else "")
    if "bron" in rest:
        new_body += "bron: " + _scalar(rest["bron"]) + "\n" if not isinstance(rest["bron"], str) \
            else "bron: " + _scalar(rest["bron"]) + "\n"
    start, end = root.start_mark.index, root.end_mark.index
    flat = body[:start] + new_body + body[end:].lstrip("\n")
    migrated, notes = migrate_text(flat, False, checked_by)
    if not notes:
        return text, []
    return text[:offset] + migrated + text[offset + len(body):], notes


def migrate(folder: Path, checked_by: str | None = None, dry_run: bool = False) -> tuple[list[Change], list[str]]:
    """Migrate every YAML and Markdown file under ``folder``; (changes, errors)."""
    changes, errors = [], []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in _SUFFIXES and p.is_file()):
        text = path.read_text(encoding="utf-8")
        try:
            new, notes = migrate_text(text, path.suffix == ".md", checked_by)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date that does not exist
            errors.append(f"{path}: geen geldige YAML ({exc.__class__.__name__}); niet omgezet")
            continue
        if notes:
            changes.append(Change(path, notes, new))
            if new != text and not dry_run:
                path.write_text(new, encoding="utf-8")
    return changes, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zet 'bron' om naar bronnen met titel, uitgever, "
                                                 "datum en plaats, en haal brondatums uit "
                                                 "'laatst_gecontroleerd'.")
    parser.add_argument("map", type=Path, help="de map met de inhoud, zoals content")
    parser.add_argument("--gecontroleerd-door", metavar="FUNCTIE",
                        help="zet deze functie bij datums in laatst_gecontroleerd die wel een "
                             "controle waren")
    parser.add_argument("--dry-run", action="store_true", help="laat alleen zien wat er verandert")
    args = parser.parse_args(argv)
    changes, errors = migrate(args.map, args.gecontroleerd_door, args.dry_run)
    for change in changes:
        for note in change.notes:
            print(f"{change.path}: {note}")
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(changes)} bestanden {'zouden veranderen' if args.dry_run else 'bijgewerkt'}.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
