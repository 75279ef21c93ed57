"""``sociale-kaart rapport``: freshness, coverage (witte vlekken) and quality of the content."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sociale_kaart.cli.common import Subparsers, add_content, add_today, today
from sociale_kaart.diagnostics import format_diagnostics, summary


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.outputs.rapport.data import rapport_data
    from sociale_kaart.outputs.rapport.formats import format_json, format_markdown, format_text, write_csv
    from sociale_kaart.pipeline.open import open_kaart

    opened = open_kaart(Path(args.content), today(args))
    if opened.kaart is None:
        print(format_diagnostics(opened.errors, "text"), file=sys.stderr)
        print(f"Geen rapport: de inhoud heeft {summary(opened.errors)}. Los die eerst op "
              "(zie 'sociale-kaart check').", file=sys.stderr)
        return 1
    report = rapport_data(opened.kaart)
    sections = args.onderdeel or ["versheid", "dekking", "kwaliteit"]
    if args.format == "markdown":
        sys.stdout.write(format_markdown(report, sections, args.max_tekens))
    elif args.format == "json":
        print(format_json(report))
    else:
        sys.stdout.write(format_text(report, sections))
    if args.csv:
        for path in write_csv(report, Path(args.csv)):
            print(f"Geschreven: {path}", file=sys.stderr)
    return 0


def register(sub: Subparsers) -> None:
    p = sub.add_parser("rapport", help="rapport over versheid, dekking (witte vlekken) en "
                                       "kwaliteit van de inhoud")
    add_content(p)
    add_today(p, "rekendatum voor de versheid (standaard: vandaag)")
    p.add_argument("--csv", metavar="MAP", help="schrijf ook coverage.csv, verouderd.csv en "
                                                "kwaliteit.csv in deze map")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text (standaard), markdown (voor een GitHub-issue) of json")
    p.add_argument("--max-tekens", type=int, metavar="N",
                   help="maak de markdown hoogstens N tekens (een GitHub-issue past 65536)")
    p.add_argument("--onderdeel", action="append", choices=("versheid", "dekking", "kwaliteit"),
                   help="toon alleen dit onderdeel (mag vaker)")
    p.set_defaults(func=run)
