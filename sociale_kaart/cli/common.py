"""Options that several commands share, defined and read in one place."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sociale_kaart.model.schedule import TZ
from sociale_kaart.pipeline.cache import ParseCache, project_dir

CACHE_HELP = ("map voor de cache (standaard: een map voor dit project in de cache-map van uw "
              "gebruiker, buiten de repository)")


def iso_date(value: str) -> date:
    """The type of ``--vandaag``: a date as JJJJ-MM-DD, else a Dutch usage error (exit 2)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is geen datum (JJJJ-MM-DD)") from None


def add_today(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """``--vandaag``: the date the content is judged on (tests, reports); hidden unless
    ``help_text`` says what it is for."""
    parser.add_argument("--vandaag", metavar="JJJJ-MM-DD", type=iso_date,
                        help=help_text or argparse.SUPPRESS)


def today(args: argparse.Namespace) -> date:
    """``--vandaag``, else today in the Netherlands (as ``build`` and ``serve`` count it), not
    the machine's date: a server in UTC is a day behind between midnight and 1 or 2 o'clock."""
    return args.vandaag or datetime.now(TZ).date()


def add_content(parser: argparse.ArgumentParser, positional: bool = False) -> None:
    if positional:
        parser.add_argument("content", nargs="?", default="content",
                            help="de content-map (standaard: content)")
    else:
        parser.add_argument("--content", default="content", help="de content-map (standaard: content)")


def add_cache(parser: argparse.ArgumentParser, without: str) -> None:
    parser.add_argument("--cache", metavar="MAP", help=CACHE_HELP)
    parser.add_argument("--zonder-cache", action="store_true", help=without)


def parse_cache(args: argparse.Namespace, content: Path) -> ParseCache | None:
    """The parse cache of ``--cache MAP`` or the project's default; None with ``--zonder-cache``."""
    if args.zonder_cache:
        return None
    return ParseCache(project_dir(content, Path(args.cache) if args.cache else None))


def quiet(args: argparse.Namespace) -> bool:
    return bool(args.quiet or os.environ.get("CI") or not sys.stderr.isatty())


Subparsers = Any  # argparse's private _SubParsersAction
