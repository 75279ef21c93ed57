"""Command-line interface: ``sociale-kaart check|build|serve|new|rapport|...``.

Every command prints Dutch messages and exits 0 (fine), 1 (content errors) or 2 (wrong use).
No Python traceback reaches a maintainer: unexpected failures are reported in one Dutch line.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sociale_kaart.diagnostics import format_diagnostics, summary

if TYPE_CHECKING:
    from sociale_kaart.pipeline.cache import ParseCache


def _today(value: str | None) -> date:
    return date.fromisoformat(value) if value else date.today()


def cmd_check(args: argparse.Namespace) -> int:
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check
    from sociale_kaart.pipeline.yaml_loader import paused_gc

    content = Path(args.content)
    with paused_gc():  # one pause for both stages (see build.load_and_check)
        loaded = load_content(content, _parse_cache(args, content))
        kaart, diags = check(loaded, _today(args.vandaag))
    if kaart is not None:  # what build would refuse in the theme (links out of it, FIFOs, ...)
        from sociale_kaart.site.render import theme_dirs, theme_problems
        diags = diags + theme_problems(theme_dirs(kaart.site.thema, content))
    errors = [d for d in diags if d.is_error]
    failing = bool(errors) or (args.strict and bool(diags))
    if args.format == "json":
        print(format_diagnostics(diags, "json"))
    else:
        if diags:
            print(format_diagnostics(diags, args.format))
        if args.format == "text":
            counted = len(loaded.files)
            status = "niet in orde" if failing else "in orde"
            print(f"{counted} bestanden gecontroleerd: {summary(diags)}. De inhoud is {status}.",
                  file=sys.stderr)
    return 1 if failing else 0


def _parse_cache(args: argparse.Namespace, content: Path) -> ParseCache | None:
    """The parse cache of ``--cache MAP`` or the project's default; None with ``--zonder-cache``."""
    from sociale_kaart.pipeline.cache import ParseCache, project_dir

    if args.zonder_cache:
        return None
    return ParseCache(project_dir(content, Path(args.cache) if args.cache else None))


CACHE_HELP = ("map voor de cache (standaard: een map voor dit project in de cache-map van uw "
              "gebruiker, buiten de repository)")


def _quiet(args: argparse.Namespace) -> bool:
    return bool(args.quiet or os.environ.get("CI") or not sys.stderr.isatty())


def cmd_build(args: argparse.Namespace) -> int:
    from sociale_kaart.site.build import BuildOptions, build, terminal_progress
    from sociale_kaart.site.write import OutputRefused, WriteFailed, previous_output

    quiet = _quiet(args)
    options = BuildOptions(
        content=Path(args.content), out=Path(args.out), gemeenten=args.gemeente or None,
        base_url=args.base_url, today=_today(args.vandaag) if args.vandaag else None,
        search=not args.zonder_zoeken, progress=None if quiet else terminal_progress(),
        cache=not args.zonder_cache, cache_dir=Path(args.cache) if args.cache else None)
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
        reused = (f" ({result.reused_bundles} van de {result.bundles} zoekindexen kwamen uit "
                  "de cache)") if result.reused_bundles else ""
        print(f"Klaar: {result.pages} bestanden, {result.gemeenten} "
              f"{'gemeente' if result.gemeenten == 1 else 'gemeenten'} in {seconds} s{reused} "
              f"-> {args.out}/", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from sociale_kaart.authoring.schema import write_schemas
    from sociale_kaart.model.entries import SCHEMA_TYPES

    changed = write_schemas(Path(args.out))
    print(f"{len(SCHEMA_TYPES)} schema's in {args.out}/, {len(changed)} bijgewerkt.",
          file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from sociale_kaart.serve.server import run
    from sociale_kaart.site.write import OutputError

    try:
        return run(Path(args.content), args.port, args.gemeente or None,
                   Path(args.out) if args.out else None,
                   today=_today(args.vandaag) if args.vandaag else None,
                   search=not args.zonder_zoeken, parse_cache=_parse_cache(args, Path(args.content)))
    except OutputError as refused:  # --out may not be replaced (checked before the first build)
        print(f"Niet gestart. {refused}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sociale-kaart",
        description="Maak een sociale kaart: controleer de inhoud en bouw de website.")
    sub = parser.add_subparsers(dest="command", metavar="opdracht")

    p = sub.add_parser("check", help="controleer alle inhoud en meld elke fout")
    p.add_argument("content", nargs="?", default="content", help="de content-map (standaard: content)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (standaard), github (annotaties) of json")
    p.add_argument("--strict", action="store_true", help="waarschuwingen tellen ook als fout")
    p.add_argument("--cache", metavar="MAP", help=CACHE_HELP)
    p.add_argument("--zonder-cache", action="store_true",
                   help="lees elk bestand opnieuw (gebruik geen cache)")
    p.add_argument("--vandaag", metavar="JJJJ-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="bouw de website in public/")
    p.add_argument("--content", default="content", help="de content-map (standaard: content)")
    p.add_argument("--out", default="public", help="de uitvoermap (standaard: public)")
    p.add_argument("--gemeente", action="append", metavar="SLUG",
                   help="bouw alleen deze gemeente (mag vaker)")
    p.add_argument("--base-url", help="adres van de site, voor canonieke links en de sitemap")
    p.add_argument("--quiet", action="store_true", help="geen voortgang en geen samenvatting")
    p.add_argument("--zonder-zoeken", action="store_true", help="sla de zoekindex over")
    p.add_argument("--cache", metavar="MAP", help=CACHE_HELP)
    p.add_argument("--zonder-cache", action="store_true",
                   help="lees elk bestand opnieuw en maak elke zoekindex opnieuw "
                        "(gebruik geen cache)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="vorm van de foutmeldingen")
    p.add_argument("--vandaag", metavar="JJJJ-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="bekijk de site terwijl u werkt: bouwt opnieuw bij elke wijziging")
    p.add_argument("--content", default="content", help="de content-map (standaard: content)")
    p.add_argument("--port", type=int, default=8000, help="poort op 127.0.0.1 (standaard: 8000)")
    p.add_argument("--gemeente", action="append", metavar="SLUG",
                   help="toon alleen deze gemeente (sneller; mag vaker)")
    p.add_argument("--out", help="map voor het voorbeeld (standaard: een tijdelijke map, niet public/)")
    p.add_argument("--zonder-zoeken", action="store_true", help="sla de zoekindex over")
    p.add_argument("--cache", metavar="MAP", help=CACHE_HELP)
    p.add_argument("--zonder-cache", action="store_true",
                   help="lees bij het starten elk bestand opnieuw (gebruik geen cache)")
    p.add_argument("--vandaag", metavar="JJJJ-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("schema", help="schrijf de JSON Schema-bestanden voor editors")
    p.add_argument("--out", default="schemas", help="de map voor de schema's (standaard: schemas)")
    p.set_defaults(func=cmd_schema)

    from sociale_kaart.authoring import codeowners, scaffold
    from sociale_kaart.outputs import rapport

    for module in (scaffold, rapport, codeowners):
        module.register(sub)

    from sociale_kaart.importers.core import add_import_parser  # import hsds|csv (issue 9)

    add_import_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Gestopt.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - maintainers must never see a traceback
        if os.environ.get("SOCIALE_KAART_DEBUG"):
            raise
        print(f"Er ging iets mis in de generator zelf ({type(exc).__name__}: {exc}). Dit ligt niet "
              "aan uw inhoud. Meld het aan de ontwikkelaars; met SOCIALE_KAART_DEBUG=1 ziet u "
              "de details.", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
