"""``sociale-kaart check``: every problem in the content, in Dutch, with file, line and field."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sociale_kaart.cli.common import Subparsers, add_cache, add_content, add_today, parse_cache, today
from sociale_kaart.diagnostics import format_diagnostics, summary
from sociale_kaart.pipeline.language import language_warnings
from sociale_kaart.pipeline.open import open_kaart


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.site.theme import theme_dirs, theme_problems

    content = Path(args.content)
    opened = open_kaart(content, today(args), parse_cache(args, content))
    diags = opened.diagnostics
    if opened.kaart is not None:  # what build would refuse in the theme (links out of it, FIFOs)
        diags = diags + theme_problems(theme_dirs(opened.kaart.site.thema, content))
        # Plain Dutch for residents (B1, 'u', no notes for editors): check only, not build.
        diags = diags + language_warnings(opened.kaart, opened.loaded)
    errors = [d for d in diags if d.is_error]
    failing = bool(errors) or (args.strict and bool(diags))
    if args.format == "json":
        print(format_diagnostics(diags, "json"))
    else:
        if diags:
            print(format_diagnostics(diags, args.format))
        if args.format == "text":
            counted = len(opened.loaded.files)
            status = "niet in orde" if failing else "in orde"
            print(f"{counted} bestanden gecontroleerd: {summary(diags)}. De inhoud is {status}.",
                  file=sys.stderr)
    return 1 if failing else 0


def register(sub: Subparsers) -> None:
    p = sub.add_parser("check", help="controleer alle inhoud en meld elke fout")
    add_content(p, positional=True)
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (standaard), github (annotaties) of json")
    p.add_argument("--strict", action="store_true", help="waarschuwingen tellen ook als fout")
    add_cache(p, "lees elk bestand opnieuw (gebruik geen cache)")
    add_today(p)
    p.set_defaults(func=run)
