"""``sociale-kaart codeowners``: a CODEOWNERS file from the maintainers of each gemeente.

A pull request that changes ``content/activiteiten/kampen/...`` then asks Kampen's
maintainers (``beheer.beheerders`` in ``content/gemeenten/kampen.yaml``) for a review.
``tests/test_codeowners.py`` keeps ``.github/CODEOWNERS`` in sync with ``content/``.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from sociale_kaart.model.entries import Gemeente

HEADER = """\
# Gemaakt met `sociale-kaart codeowners > .github/CODEOWNERS`; pas dit bestand niet met de
# hand aan, maar de beheerders (beheer.beheerders) in content/gemeenten/<gemeente>.yaml.
# Een pull request voor een gemeente vraagt om een review van de beheerders van die gemeente.
"""


def content_prefix(content_dir: Path, repo_root: Path | None = None) -> str:
    """The content folder as a path from the repository root, posix style ('content')."""
    root = (repo_root or Path.cwd()).resolve()
    try:
        rel = Path(os.path.relpath(content_dir.resolve(), root))
    except ValueError:  # another drive on Windows
        return content_dir.name
    return content_dir.name if rel.as_posix().startswith("..") else rel.as_posix()


def codeowners(gemeenten: Iterable[Gemeente], prefix: str = "content") -> str:
    """CODEOWNERS text: per gemeente its activities, places and gemeente file."""
    prefix = prefix.strip("/")
    lines = [HEADER]
    without: list[str] = []
    for g in sorted(gemeenten, key=lambda g: g.slug):
        owners = list(dict.fromkeys(g.beheer.beheerders)) if g.beheer else []
        if not owners:
            without.append(g.naam)
            continue
        who = " ".join(owners)
        lines += [f"# {g.naam}",
                  f"/{prefix}/activiteiten/{g.slug}/ {who}",
                  f"/{prefix}/ontmoetingsplekken/{g.slug}/ {who}",
                  f"/{prefix}/gemeenten/{g.slug}.yaml {who}",
                  ""]
    if without:
        lines += textwrap.wrap("Nog geen beheerders: " + ", ".join(without) + ".", 96,
                               initial_indent="# ", subsequent_indent="# ",
                               break_on_hyphens=False)
    return "\n".join(lines).rstrip("\n") + "\n"


def cmd_codeowners(args: argparse.Namespace) -> int:
    from sociale_kaart.diagnostics import format_diagnostics
    from sociale_kaart.pipeline.load import load_content

    content_dir = Path(args.content)
    loaded = load_content(content_dir)
    problems = [d for d in loaded.diagnostics if d.is_error and "/gemeenten/" in f"/{d.file}"]
    if problems or not content_dir.is_dir():
        print(format_diagnostics(problems or loaded.diagnostics, "text"), file=sys.stderr)
        print("Geen CODEOWNERS gemaakt: los eerst de fouten in de gemeentebestanden op.",
              file=sys.stderr)
        return 1
    # The loader files only Gemeente models under "gemeente" (models.ENTRY_TYPES).
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


def register(sub: Any) -> None:
    p = sub.add_parser("codeowners", help="maak een CODEOWNERS-bestand uit de beheerders per "
                                          "gemeente")
    p.add_argument("--content", default="content", help="de content-map (standaard: content)")
    p.add_argument("--check", metavar="BESTAND", help="schrijf niets, maar controleer of BESTAND "
                                                     "(zoals .github/CODEOWNERS) klopt")
    p.set_defaults(func=cmd_codeowners)
