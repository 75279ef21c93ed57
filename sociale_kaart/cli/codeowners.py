"""``sociale-kaart codeowners``: .github/CODEOWNERS from the maintainers of each gemeente."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import cast

from sociale_kaart.cli.common import Subparsers, add_content
from sociale_kaart.diagnostics import format_diagnostics


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.authoring.codeowners import codeowners, content_prefix
    from sociale_kaart.model.entries import Gemeente
    from sociale_kaart.pipeline.load import load_content

    content_dir = Path(args.content)
    loaded = load_content(content_dir)  # only the gemeente files matter; no cross-file check
    problems = [d for d in loaded.diagnostics if d.is_error and "/gemeenten/" in f"/{d.file}"]
    if problems or not content_dir.is_dir():
        print(format_diagnostics(problems or loaded.diagnostics, "text"), file=sys.stderr)
        print("Geen CODEOWNERS gemaakt: los eerst de fouten in de gemeentebestanden op.",
              file=sys.stderr)
        return 1
    # The loader files only Gemeente models under "gemeente" (model/kinds.py).
    gemeenten = cast("list[Gemeente]", loaded.entries["gemeente"])
    text = codeowners(gemeenten, content_prefix(content_dir))
    if args.check:
        target = Path(args.check)
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{args.check} past niet bij de beheerders in de gemeentebestanden. Maak het "
                  f"opnieuw met: sociale-kaart codeowners > {args.check}", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


def register(sub: Subparsers) -> None:
    p = sub.add_parser("codeowners", help="maak een CODEOWNERS-bestand uit de beheerders per "
                                          "gemeente")
    add_content(p)
    p.add_argument("--check", metavar="BESTAND", help="schrijf niets, maar controleer of BESTAND "
                                                     "(zoals .github/CODEOWNERS) klopt")
    p.set_defaults(func=run)
