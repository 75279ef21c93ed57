"""``sociale-kaart schema``: the JSON Schemas that editors use to check files as you type."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sociale_kaart.cli.common import Subparsers


def run(args: argparse.Namespace) -> int:
    from sociale_kaart.authoring.schema import write_schemas
    from sociale_kaart.model.kinds import SCHEMA_TYPES

    changed = write_schemas(Path(args.out))
    print(f"{len(SCHEMA_TYPES)} schema's in {args.out}/, {len(changed)} bijgewerkt.",
          file=sys.stderr)
    return 0


def register(sub: Subparsers) -> None:
    p = sub.add_parser("schema", help="schrijf de JSON Schema-bestanden voor editors")
    p.add_argument("--out", default="schemas", help="de map voor de schema's (standaard: schemas)")
    p.set_defaults(func=run)
