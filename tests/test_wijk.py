"""Kern and wijk apart (issue 22): a gemeente lists its ``kernen`` (villages and towns) and its
``wijken`` (neighbourhoods); an activity or place names a ``kern`` and/or a ``wijk`` from those
lists. ``check`` reports a wijk the gemeente does not list, in Dutch, with file, line and field;
pages show the wijk next to the kern, and both feed the search filter 'Kern of wijk'.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sociale_kaart.cli import main
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check as check_kaart
from sociale_kaart.site.facets import activity_facets, place_facets
from sociale_kaart.site.views import Views, ligging

from .conftest import NOW, TODAY

GEMEENTE = "gemeenten/vechtstad.yaml"
BRUG = "ontmoetingsplekken/vechtstad/buurthuis-de-brug.yaml"
WANDEL = "activiteiten/vechtstad/wandelgroep.md"


def _add_line(path: Path, after: str, line: str) -> None:
    """Insert ``line`` after the first line that starts with ``after``."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    i = next(n for n, text in enumerate(lines) if text.startswith(after))
    lines.insert(i + 1, line + "\n")
    path.write_text("".join(lines), "utf-8")


def _line_of(path: Path, start: str) -> int:
    return next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text.startswith(start))


@pytest.fixture
def with_wijken(content_copy: Path) -> Path:
    """The fixture with two wijken in Vechtstad; the buurthuis lies in one of them."""
    _add_line(content_copy / GEMEENTE, "kernen:", "wijken: [Brinkhoven, Molenwijk]")
    _add_line(content_copy / BRUG, "kern:", "wijk: Brinkhoven")
    return content_copy


def _check_json(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["check", str(content), "--format", "json", "--vandaag", TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out)["meldingen"]


def test_known_wijk_passes(with_wijken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, meldingen = _check_json(with_wijken, capsys)
    assert code == 0, [m for m in meldingen if m["severity"] == "fout"]


@pytest.mark.parametrize("entry", [BRUG, WANDEL])
def test_unknown_wijk_is_a_dutch_error_with_file_line_and_field(
        with_wijken: Path, entry: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_wijken / entry
    text = path.read_text("utf-8")
    if "wijk:" in text:
        path.write_text(text.replace("wijk: Brinkhoven", "wijk: Brinkhove"), "utf-8")
    else:
        _add_line(path, "kern:", "wijk: Zuiderpark")
    code, meldingen = _check_json(with_wijken, capsys)
    assert code == 1
    (fout,) = [m for m in meldingen if m["severity"] == "fout"]
    assert fout["file"].endswith(entry)
    assert fout["line"] == _line_of(path, "wijk:") and fout["field"] == "wijk"
    if entry == BRUG:  # a typo: the closest wijk is suggested
        assert fout["message"] == ("wijk 'Brinkhove' staat niet bij de wijken van de gemeente; "
                                   "bedoelde u 'Brinkhoven'?")
    else:  # unknown: where to add it
        assert fout["message"].startswith("wijk 'Zuiderpark' staat niet bij de wijken van de "
                                          "gemeente; voeg de wijk toe aan 'wijken' in ")
        assert fout["message"].endswith(GEMEENTE)


def test_a_wijk_written_as_kern_is_named_as_such(with_wijken: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = with_wijken / WANDEL
    path.write_text(path.read_text("utf-8").replace("kern: Westerdorp", "kern: Molenwijk"), "utf-8")
    code, meldingen = _check_json(with_wijken, capsys)
    assert code == 1
    (fout,) = [m for m in meldingen if m["severity"] == "fout"]
    assert (fout["field"], fout["line"]) == ("kern", _line_of(path, "kern:"))
    assert fout["message"] == ("kern 'Molenwijk' staat niet bij de kernen van de gemeente; het is "
                               "een wijk van de gemeente: schrijf wijk: Molenwijk")


def test_wijk_and_kern_feed_one_filter(with_wijken: Path) -> None:
    kaart, diags = check_kaart(load_content(with_wijken), TODAY)
    assert kaart is not None, [d.text() for d in diags if d.is_error]
    brug = kaart.plekken["vechtstad"]["buurthuis-de-brug"]
    assert dict(place_facets(kaart, brug, "vechtstad"))["kern"] == ["Oost", "Brinkhoven"]
    # an activity without kern or wijk of its own has its place's
    koffie = kaart.activiteiten["vechtstad"]["koffie-inloop"]
    facets = activity_facets(kaart, koffie, "vechtstad")
    assert [name for name, _ in facets].count("kern") == 1
    assert dict(facets)["kern"] == ["Oost", "Brinkhoven"]


def test_ligging() -> None:
    assert ligging("Hardenberg", "Baalder") == "Baalder, Hardenberg"
    assert ligging(None, "Baalder") == "Baalder"
    assert ligging("De Krim", None) == "De Krim"
    assert ligging(None, None) is None


def test_pages_show_the_wijk_next_to_the_kern(with_wijken: Path, tmp_path: Path) -> None:
    from sociale_kaart.site.build import BuildOptions, build

    wandel = with_wijken / WANDEL  # no address: the page says where it is by kern and wijk
    wandel.write_text(re.sub(r"^adres: .*\n", "", wandel.read_text("utf-8"), flags=re.M), "utf-8")
    (with_wijken / GEMEENTE).write_text((with_wijken / GEMEENTE).read_text("utf-8").replace(
        "wijken: [Brinkhoven, Molenwijk]", "wijken: [Brinkhoven, Molenwijk, Achter de Kerk]"), "utf-8")
    _add_line(wandel, "kern:", "wijk: Achter de Kerk")
    out = tmp_path / "public"
    result = build(BuildOptions(content=with_wijken, out=out, gemeenten=["vechtstad"], today=TODAY,
                                now=NOW, search=False))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    assert result.kaart is not None
    views = Views(result.kaart)
    assert views.place(result.kaart.plekken["vechtstad"]["buurthuis-de-brug"], "vechtstad").kern \
        == "Brinkhoven, Oost"

    def text(page: str) -> str:
        html = (out / "vechtstad" / page / "index.html").read_text("utf-8")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "Buurthuis in Brinkhoven, Oost" in text("plekken/buurthuis-de-brug")
    assert "Buurthuis in Brinkhoven, Oost" in text("plekken")
    assert "Buurthuis De Brug (Brinkhoven, Oost)" in text("")
    assert "In Achter de Kerk, Westerdorp." in text("activiteiten/wandelgroep")
