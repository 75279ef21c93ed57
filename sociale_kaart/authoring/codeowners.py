"""``sociale-kaart codeowners``: a CODEOWNERS file from the maintainers of each gemeente.

A pull request that changes ``content/activiteiten/kampen/...`` then asks Kampen's
maintainers (``beheer.beheerders`` in ``content/gemeenten/kampen.yaml``) for a review.
``tests/test_codeowners.py`` keeps ``.github/CODEOWNERS`` in sync with ``content/``.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable
from pathlib import Path

from sociale_kaart.model.entries import Gemeente
from sociale_kaart.model.kinds import content_folder

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
                  f"/{content_folder('activiteit', g.slug, prefix)}/ {who}",
                  f"/{content_folder('ontmoetingsplek', g.slug, prefix)}/ {who}",
                  f"/{content_folder('gemeente', content=prefix)}/{g.slug}.yaml {who}",
                  ""]
    if without:
        lines += textwrap.wrap("Nog geen beheerders: " + ", ".join(without) + ".", 96,
                               initial_indent="# ", subsequent_indent="# ",
                               break_on_hyphens=False)
    return "\n".join(lines).rstrip("\n") + "\n"


