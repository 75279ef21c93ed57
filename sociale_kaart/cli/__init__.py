"""Command-line interface: ``sociale-kaart check|build|serve|new|rapport|import|schema|codeowners``.

One module per command in this folder, each with ``register(subparsers)`` and ``run(args)``;
``COMMANDS`` lists them in the order of the help text. Every command prints Dutch messages and
exits 0 (fine), 1 (content errors) or 2 (wrong use). No Python traceback reaches a maintainer:
unexpected failures are reported in one Dutch line.
"""

from __future__ import annotations

import argparse
import os
import sys

from sociale_kaart.cli import build, check, codeowners, importeer, new, rapport, schema, serve

COMMANDS = (check, build, serve, new, rapport, importeer, schema, codeowners)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sociale-kaart",
        description="Maak een sociale kaart: controleer de inhoud en bouw de website.")
    sub = parser.add_subparsers(dest="command", metavar="opdracht")
    for command in COMMANDS:
        command.register(sub)
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
