"""``sociale-kaart new``: a new entry file with every field and its explanation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sociale_kaart.cli.common import Subparsers, add_content, add_today, today


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.authoring.scaffold import ScaffoldError, new_entry
    from sociale_kaart.pipeline.load import display_path

    try:
        result = new_entry(Path(args.content), args.soort, args.titel, today(args),
                           gemeente=args.gemeente, slug=args.slug)
    except ScaffoldError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"fout: het bestand kan niet geschreven worden ({exc.strerror})", file=sys.stderr)
        return 1
    print(display_path(result.path))
    fields = ", ".join(dict.fromkeys(f.split("[")[0] for f in result.must_fill))
    print(f"Nieuw bestand gemaakt. Vul nog in: {fields}. Controleer daarna met "
          "'sociale-kaart check'.", file=sys.stderr)
    return 0


def register(sub: Subparsers) -> None:
    from sociale_kaart.authoring.scaffold import KINDS

    p = sub.add_parser("new", help="maak een nieuw bestand met alle velden en uitleg")
    p.add_argument("soort", choices=tuple(KINDS), help="activiteit, ontmoetingsplek, "
                   "organisatie of praktijk")
    p.add_argument("titel", help="de titel of naam, tussen aanhalingstekens")
    p.add_argument("--gemeente", metavar="SLUG", help="de gemeente (verplicht bij activiteit en "
                   "ontmoetingsplek)")
    add_content(p)
    p.add_argument("--slug", help="eigen korte naam voor het bestand (anders volgt die uit de titel)")
    add_today(p)
    p.set_defaults(func=run)
