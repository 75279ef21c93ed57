"""``sociale-kaart import hsds|csv``: take over an existing sociale kaart, one YAML file per entry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import cast

from sociale_kaart.cli.common import Subparsers, add_content, add_today, today
from sociale_kaart.diagnostics import format_diagnostics, summary

MAX_SHOWN = 50  # diagnostics printed when an input cannot be imported


def _print_failure(exc: Exception, diagnostics: list) -> None:
    print(f"Importeren lukt niet: {exc}", file=sys.stderr)
    if diagnostics:
        print(format_diagnostics(diagnostics[:MAX_SHOWN]), file=sys.stderr)
        if len(diagnostics) > MAX_SHOWN:
            print(f"... en nog {len(diagnostics) - MAX_SHOWN} meldingen.", file=sys.stderr)
    print("Er is niets geschreven.", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.importers.common import ImportError_
    from sociale_kaart.importers.csvmapping import load_mapping
    from sociale_kaart.importers.hsds import import_hsds
    from sociale_kaart.importers.hsds_document import read_hsds
    from sociale_kaart.importers.match import Vocabularies, known_entries
    from sociale_kaart.importers.spreadsheet import import_csv
    from sociale_kaart.importers.writer import write_drafts
    from sociale_kaart.model.entries import Gemeente
    from sociale_kaart.pipeline.load import display_path, load_content
    from sociale_kaart.pipeline.open import open_kaart

    day = today(args)
    content = Path(args.content)
    source = Path(args.bestand)
    if not content.is_dir():
        print(f"De content-map {content} bestaat niet.", file=sys.stderr)
        return 2
    if not source.is_file():
        print(f"Het bestand {source} bestaat niet.", file=sys.stderr)
        return 2
    loaded = load_content(content)  # what exists already: matched, never duplicated
    # The loader files only Gemeente models under "gemeente" (model/kinds.py).
    gemeenten = {g.slug: g for g in cast("list[Gemeente]", loaded.entries["gemeente"])}
    gemeente = gemeenten.get(args.gemeente)
    if gemeente is None:
        names = ", ".join(sorted(gemeenten)) or "geen"
        print(f"Gemeente '{args.gemeente}' bestaat niet in {content}/gemeenten/ (bekend: "
              f"{names}). Maak eerst {content}/gemeenten/{args.gemeente}.yaml.", file=sys.stderr)
        return 2
    vocab = Vocabularies(loaded.taxonomies)
    kind = "Open Referral HSDS" if args.soort == "hsds" else "spreadsheet"
    # The file is the source; its date is the day its data were taken over.
    bron = {"titel": f"Import uit {source.name} ({kind})", "datum": day.isoformat()}
    known = known_entries(loaded, gemeente.slug)
    if args.soort == "csv" and not Path(args.mapping).is_file():
        print(f"Het mappingbestand {args.mapping} bestaat niet.", file=sys.stderr)
        return 2
    try:
        raw = source.read_bytes()
    except OSError as exc:
        print(f"Het bestand {source} kan niet gelezen worden ({exc.strerror}).", file=sys.stderr)
        return 2
    try:
        if args.soort == "hsds":
            data = read_hsds(raw, display_path(source))
            result = import_hsds(data, vocab, gemeente, day, bron, known)
        else:
            mapping = load_mapping(Path(args.mapping))
            result = import_csv(raw, mapping, vocab, gemeente, day, bron, known,
                                display_path(source))
    except ImportError_ as exc:
        _print_failure(exc, exc.diagnostics)
        return 1
    counts = write_drafts(result.drafts, content, gemeente.slug, args.update)
    if result.notes:
        print(f"\nNiet overgenomen of nakijken ({len(result.notes)}):")
        for note in result.notes:
            print(f"- {note}")
    print("\n" + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".")
    print(f"\nControle van {content}:")
    diags = open_kaart(content, day).diagnostics
    if diags:
        print(format_diagnostics(diags))
    errors = any(d.is_error for d in diags)
    print(f"{summary(diags)}. "
          + ("Los de fouten op voordat u de wijziging voorstelt." if errors else
             "Kijk de nieuwe bestanden na en stel de wijziging voor (pull request)."))
    return 1 if errors else 0


def register(sub: Subparsers) -> None:
    p = sub.add_parser("import", help="neem een bestaande sociale kaart over (HSDS of CSV)")
    kinds = p.add_subparsers(dest="soort", metavar="soort", required=True)
    for name, help_text in (("hsds", "Open Referral HSDS JSON-bestand"),
                            ("csv", "spreadsheet als CSV, met een mapping")):
        q = kinds.add_parser(name, help=help_text)
        q.add_argument("bestand", help="het bestand om te importeren")
        if name == "csv":
            q.add_argument("--mapping", required=True, metavar="MAPPING.yaml",
                           help="welke kolom bij welk veld hoort")
        q.add_argument("--gemeente", required=True, metavar="SLUG",
                       help="de gemeente waar het aanbod bij hoort")
        add_content(q)
        q.add_argument("--update", action="store_true",
                       help="voeg samen met bestaande bestanden en toon de verschillen")
        add_today(q)
        q.set_defaults(func=run)
