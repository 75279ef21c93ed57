"""A praktijk's phase ('status') is optional (issue 22): many sources name no phase, and a page
must not state one the source does not give. Without a status the page says only when it started,
and without a start either it shows no 'Stand van zaken' at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sociale_kaart.site.build import BuildOptions, build

from .conftest import NOW, TODAY

PRAKTIJK = "praktijken/welzijn-op-recept-vechtstad.md"


def _fase(content: Path, tmp_path: Path) -> str | None:
    out = tmp_path / "public"
    result = build(BuildOptions(content=content, out=out, gemeenten=["vechtstad"], today=TODAY,
                                now=NOW, search=False))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    (page,) = [p for p in out.rglob("welzijn-op-recept-vechtstad/index.html")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text("utf-8")))
    found = re.search(r" Stand van zaken (.*?) (Voor wie|Thema's|Organisaties) ", text)
    return found.group(1).strip() if found else None


@pytest.mark.parametrize(("remove", "fase"), [
    ((), "Vast aanbod: het is geen proef meer (structureel). Begonnen in 2021"),
    (("status",), "Begonnen in 2021"),
    (("status", "start"), None),
])
def test_phase_only_as_far_as_it_is_known(content_copy: Path, tmp_path: Path,
                                          remove: tuple[str, ...], fase: str | None) -> None:
    path = content_copy / PRAKTIJK
    text = path.read_text("utf-8")
    for field in remove:
        text = re.sub(rf"^{field}: .*\n", "", text, flags=re.M)
    path.write_text(text, "utf-8")
    assert _fase(content_copy, tmp_path) == fase
