"""Command-line interface: ``sociale-kaart check|build|serve|new|rapport|...``.

Every command prints Dutch messages and exits 0 (fine), 1 (content errors) or 2 (wrong use).
No Python traceback reaches a maintainer: unexpected failures are reported in one Dutch line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .diagnostics import format_diagnostics, summary


def _today(value: str | None) -> date:
    return date.fromisoformat(value) if value else date.today()


def cmd_check(args: argparse.Namespace) -> int:
    from .content import load_content
    from .resolve import check

    loaded = load_content(Path(args.content))
    _, diags = check(loaded, _today(args.vandaag))
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
    p.add_argument("--vandaag", metavar="JJJJ-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_check)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
