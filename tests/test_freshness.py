"""One rule for "out of date" (model/freshness.py): `check`, the entry's page and `rapport`
agree, also for an organisation that has no gemeente folder of its own."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sociale_kaart.outputs.rapport.data import rapport_data
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.site.build import BuildOptions, build

from .conftest import NOW

TODAY = date(2026, 11, 22)
LET_OP = "Let op: deze informatie is"


def _set_checked(path: Path, day: str) -> None:
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^laatst_gecontroleerd: .*$", f"laatst_gecontroleerd: {day}", text),
                    "utf-8")


def _verdicts(content: Path, tmp_path: Path, file: str, page: str) -> tuple[bool, bool, bool]:
    """(check warns, the page says "Let op", rapport lists it) for the entry in ``file``."""
    kaart, diags = check(load_content(content), TODAY)
    assert kaart is not None
    warned = any(d.code == "verouderd" and d.file.endswith(file) for d in diags)
    listed = any(v.item.bestand.endswith(file) for g in rapport_data(kaart).versheid
                 for v in g.verouderd)
    out = tmp_path / "out"
    assert build(BuildOptions(content=content, out=out, today=TODAY, now=NOW, search=False,
                              environ={})).ok
    shown = LET_OP in (out / page).read_text("utf-8")
    return warned, shown, listed


@pytest.mark.parametrize(("checked", "stale"), [("2026-02-01", True), ("2026-06-01", False)])
def test_organisation_in_a_gemeente_with_a_short_term(content_copy: Path, tmp_path: Path,
                                                     checked: str, stale: bool) -> None:
    """The issue's case: heuveldorp checks every 6 months; an organisation of heuveldorp
    last checked 2026-02-01 is out of date on 2026-11-22 everywhere, or nowhere."""
    _set_checked(content_copy / "organisaties/dorpsraad-heuveldorp.yaml", checked)
    assert _verdicts(content_copy, tmp_path, "organisaties/dorpsraad-heuveldorp.yaml",
                     "heuveldorp/organisaties/dorpsraad-heuveldorp/index.html") == (stale,) * 3


def test_organisation_in_two_gemeenten_takes_the_strictest_term(content_copy: Path,
                                                               tmp_path: Path) -> None:
    """vriendendienst serves vechtstad (12 months) and heuveldorp (6 months): 8 months old is
    stale by heuveldorp's rule, so on both gemeenten's pages and in the report."""
    _set_checked(content_copy / "organisaties/vriendendienst.yaml", "2026-03-15")
    for g in ("vechtstad", "heuveldorp"):
        assert _verdicts(content_copy, tmp_path / g, "organisaties/vriendendienst.yaml",
                         f"{g}/organisaties/vriendendienst/index.html") == (True, True, True)


def test_the_report_shows_the_term_the_rule_uses(fixture_content: Path) -> None:
    """The term the report prints per gemeente is Kaart.gemeente_term_months, the one the rule
    uses: the gemeente's own, the strictest of several, 12 months without a gemeente."""
    kaart, _ = check(load_content(fixture_content), TODAY)
    assert kaart is not None
    assert kaart.gemeente_term_months("heuveldorp") == 6
    assert kaart.gemeente_term_months("vechtstad") == 12
    assert kaart.gemeente_term_months("vechtstad", "heuveldorp") == 6
    assert kaart.gemeente_term_months() == kaart.gemeente_term_months("onbekend") == 12
    for g in rapport_data(kaart).versheid:
        assert g.termijn_maanden == kaart.gemeente_term_months(g.gemeente)
    for org in kaart.organisaties.values():
        assert kaart.term_months(org) == kaart.gemeente_term_months(
            *kaart.gemeenten_per_organisatie.get(org.slug, []))
