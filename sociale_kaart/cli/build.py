"""``sociale-kaart build``: the site into public/ (or --out), replaced only when complete."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sociale_kaart.cli.common import Subparsers, add_cache, add_content, add_today, quiet
from sociale_kaart.diagnostics import format_diagnostics, summary


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.site.build import BuildOptions, build, terminal_progress
    from sociale_kaart.site.write import OutputRefused, WriteFailed, previous_output

    options = BuildOptions(
        content=Path(args.content), out=Path(args.out), gemeenten=args.gemeente or None,
        base_url=args.base_url, today=args.vandaag,
        search=not args.zonder_zoeken, progress=None if quiet(args) else terminal_progress(),
        cache=not args.zonder_cache, cache_dir=Path(args.cache) if args.cache else None,
        pdf=args.pdf)
    try:
        result = build(options)
    except OutputRefused as refused:
        print(f"Niet gebouwd. {refused}", file=sys.stderr)
        return 1
    except WriteFailed as failed:
        print(f"Niet gebouwd. {failed} {previous_output(args.out)}", file=sys.stderr)
        return 1
    shown = [d for d in result.diagnostics if d.is_error or not args.quiet]
    if shown:
        print(format_diagnostics(shown, args.format), file=sys.stderr)
    if not result.ok:
        print(f"Niet gebouwd: {summary(result.diagnostics)}. {previous_output(args.out)}",
              file=sys.stderr)
        return 1
    for notice in result.notices:
        print(notice, file=sys.stderr)
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    if not args.quiet:
        reused = (f" ({result.reused_indexes} van de {result.indexes} zoekindexen kwamen uit "
                  "de cache)") if result.reused_indexes else ""
        if result.pdfs:
            print(f"{result.pdfs} PDF-bestanden"
                  + (f", waarvan {result.reused_pdfs} uit de cache" if result.reused_pdfs else "")
                  + ".", file=sys.stderr)
        print(f"Klaar: {result.pages} bestanden, {result.gemeenten} "
              f"{'gemeente' if result.gemeenten == 1 else 'gemeenten'} in {seconds} s{reused} "
              f"-> {args.out}/", file=sys.stderr)
    return 0


def register(sub: Subparsers) -> None:
    p = sub.add_parser("build", help="bouw de website in public/")
    add_content(p)
    p.add_argument("--out", default="public", help="de uitvoermap (standaard: public)")
    p.add_argument("--gemeente", action="append", metavar="SLUG",
                   help="bouw alleen deze gemeente (mag vaker)")
    p.add_argument("--base-url", help="adres van de site, voor canonieke links en de sitemap")
    p.add_argument("--quiet", action="store_true", help="geen voortgang en geen samenvatting")
    p.add_argument("--zonder-zoeken", action="store_true", help="sla de zoekindex over")
    p.add_argument("--pdf", action="store_true",
                   help="maak ook PDF-bestanden van de aanbodboekjes en folders (WeasyPrint)")
    add_cache(p, "lees elk bestand opnieuw en maak elke zoekindex opnieuw (gebruik geen cache)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="vorm van de foutmeldingen")
    add_today(p)
    p.set_defaults(func=run)
