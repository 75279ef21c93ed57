"""``sociale-kaart serve``: a live preview on 127.0.0.1 that rebuilds on every change."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sociale_kaart.cli.common import Subparsers, add_cache, add_content, add_today, parse_cache


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.serve.server import run as serve
    from sociale_kaart.site.write import OutputError

    try:
        return serve(Path(args.content), args.port, args.gemeente or None,
                     Path(args.out) if args.out else None, today=args.vandaag,
                     search=not args.zonder_zoeken, parse_cache=parse_cache(args, Path(args.content)))
    except OutputError as refused:  # --out may not be replaced (checked before the first build)
        print(f"Niet gestart. {refused}", file=sys.stderr)
        return 1


def register(sub: Subparsers) -> None:
    p = sub.add_parser("serve", help="bekijk de site terwijl u werkt: bouwt opnieuw bij elke wijziging")
    add_content(p)
    p.add_argument("--port", type=int, default=8000, help="poort op 127.0.0.1 (standaard: 8000)")
    p.add_argument("--gemeente", action="append", metavar="SLUG",
                   help="toon alleen deze gemeente (sneller; mag vaker)")
    p.add_argument("--out", help="map voor het voorbeeld (standaard: een tijdelijke map, niet public/)")
    p.add_argument("--zonder-zoeken", action="store_true", help="sla de zoekindex over")
    add_cache(p, "lees bij het starten elk bestand opnieuw (gebruik geen cache)")
    add_today(p)
    p.set_defaults(func=run)
