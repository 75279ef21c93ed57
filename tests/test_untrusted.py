"""Content from strangers cannot break pages or overwrite the site's own output: markup in
titles, reserved gemeente names, web addresses that are not what they look like."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from sociale_kaart.model.fields import _url
from sociale_kaart.model.names import RESERVED_SLUGS
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.site.build import BuildOptions, build

from .conftest import NOW, TODAY

ACTIVITY = "activiteiten/vechtstad/koffie-inloop.yaml"
PLACE = "ontmoetingsplekken/vechtstad/buurthuis-de-brug.yaml"
ORGANISATION = "organisaties/welzijn-vechtstad.yaml"

# What the HTML tokenizer treats specially inside a <script> element.
PAYLOADS = ["Koffie <!--<script>", "</script><script>alert(1)</script>", "Thee <!-- x",
            "<script>", "a & b ' c > d"]


def _set(path: Path, field: str, value: str) -> None:
    text = path.read_text("utf-8")
    quoted = "'" + value.replace("'", "''") + "'"
    new, n = re.subn(rf"(?m)^{field}: .*$", lambda _: f"{field}: {quoted}", text, count=1)
    assert n == 1, (path, field)
    path.write_text(new, "utf-8")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_names_never_swallows_the_page(content_copy: Path, tmp_path: Path,
                                                 payload: str) -> None:
    """Inside the JSON-LD <script>, '<!--' and '<script' change how the HTML parser reads on:
    the rest of the page disappeared (body text of length 0 in Chromium). Every page that
    embeds the value must still have its article, footer and scripts, as a browser parses it
    (html5lib implements the same tokenizer)."""
    _set(content_copy / ACTIVITY, "titel", payload)
    _set(content_copy / PLACE, "naam", payload)
    _set(content_copy / ORGANISATION, "naam", payload)
    out = tmp_path / "out"
    result = build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    pages = ["vechtstad/activiteiten/koffie-inloop/index.html",
             "vechtstad/plekken/buurthuis-de-brug/index.html",
             "vechtstad/organisaties/welzijn-vechtstad/index.html"]
    for rel in pages:
        doc = html5lib.parse((out / rel).read_text("utf-8"), namespaceHTMLElements=False)
        main = doc.find(".//main")
        assert main is not None, rel
        assert payload in "".join(main.itertext()), rel  # shown as text, in full
        assert doc.find(".//footer") is not None, rel
        scripts = doc.findall(".//script")
        assert any(s.get("src", "").endswith(".js") for s in scripts), rel
        for script in scripts:
            assert "alert(1)" not in (script.text or "") or script.get("type") == "application/ld+json"
            assert "<" not in (script.text or ""), rel  # written as \u003c


def test_reserved_names_cannot_be_gemeenten(content_copy: Path) -> None:
    source = content_copy / "gemeenten" / "heuveldorp.yaml"
    for name in sorted(RESERVED_SLUGS):
        target = content_copy / "gemeenten" / f"{name}.yaml"
        target.write_text(re.sub(r"(?m)^cbs_code: .*$", "cbs_code: GM9990", source.read_text("utf-8")),
                          "utf-8")
        kaart, diags = check(load_content(content_copy), TODAY)
        errors = [d for d in diags if d.is_error]
        assert kaart is None and [(d.file.rsplit("/", 1)[-1], d.code) for d in errors] == \
            [(f"{name}.yaml", "gereserveerde-naam")], (name, [d.text() for d in errors])
        assert f"de korte naam '{name}' is al in gebruik door de site zelf" in errors[0].message
        target.unlink()


def test_every_name_the_build_writes_beside_the_gemeenten_is_reserved(built_site: Path,
                                                                        fixture_content: Path) -> None:
    """RESERVED_SLUGS keeps up with the build: a new province-wide folder, or a new file in a
    folder shared with the gemeenten, must be added to it."""
    gemeenten = {p.stem for p in (fixture_content / "gemeenten").glob("*.yaml")}
    top = {p.name for p in built_site.iterdir() if p.is_dir()} - gemeenten
    assert top <= RESERVED_SLUGS, top - RESERVED_SLUGS
    # where each gemeente also has an entry: data/hsds/<g>.json, data/geojson/<g>.geojson and
    # the folder rapport/<g>/
    shared = {p.stem for p in (built_site / "data" / "hsds").glob("*.json")}
    shared |= {p.stem for p in (built_site / "data" / "geojson").glob("*.geojson")}
    shared |= {p.name for p in (built_site / "rapport").iterdir() if p.is_dir()}
    assert shared - gemeenten <= RESERVED_SLUGS, shared - gemeenten - RESERVED_SLUGS


@pytest.mark.parametrize("value", [
    "https://.nl", "https://a..nl", "https://-voorbeeld.nl", "https://voorbeeld.nl.",
    "https://user:pass@voorbeeld.nl", "https://iemand@voorbeeld.nl/",
    "https://voorbeeld.nl:99999/", "https://voorbeeld.nl:0x50/", "http://localhost/",
    "https://192.168.1.1/", "javascript://voorbeeld.nl/%0aalert(1)", "https://voorbeeld.123/",
])
def test_web_addresses_that_are_not_what_they_look_like(value: str) -> None:
    with pytest.raises(ValueError):
        _url(value)


@pytest.mark.parametrize("value", [
    "https://www.voorbeeld.nl", "http://voorbeeld.nl/pad?a=1&b=2#x", "https://café.nl/",
    "https://voorbeeld.nl:8443/", "https://xn--caf-dma.nl/", "https://a.b.c.voorbeeld.frl/",
])
def test_ordinary_web_addresses_pass(value: str) -> None:
    assert _url(value) == value


def test_control_characters_in_file_names_never_reach_the_terminal(
        content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An escape sequence would clear or recolour the maintainer's terminal; a line break in
    a file name would start a GitHub workflow command of its own (`::error::...`)."""
    from sociale_kaart.cli import main

    folder = content_copy / "activiteiten" / "vechtstad"
    (folder / "koffie\x1b[2J\n::error file=x::nep.yaml").write_text(
        (folder / "koffie-inloop.yaml").read_text("utf-8"), "utf-8")
    for fmt in ("text", "github"):
        code = main(["check", str(content_copy), "--format", fmt, "--vandaag", "2026-11-22"])
        out, err = capsys.readouterr()
        assert code == 1
        assert "\x1b" not in out + err
        rows = out.splitlines()
        assert rows and all(r.startswith("::" if fmt == "github" else str(content_copy)) for r in rows), rows
        assert sum("nep.yaml" in r for r in rows) == 1


@pytest.mark.parametrize("value", ["9" * 5000, "-" + "1" * 4301, "1" * 400 + ".5", "1e999"])
def test_huge_numbers_are_diagnostics_not_crashes(content_copy: Path, capsys, value: str) -> None:
    """Python refuses int() of more than 4,300 digits: that ended `check` with exit 2."""
    import json as jsonlib

    from sociale_kaart.cli import main

    path = content_copy / ACTIVITY
    text = path.read_text("utf-8")
    path.write_text(text + f"leeftijd:\n  van: {value}\n", "utf-8")
    code = main(["check", str(content_copy), "--format", "json", "--zonder-cache",
                 "--vandaag", "2026-11-22"])
    out, err = capsys.readouterr()
    assert code == 1, err
    problems = [m for m in jsonlib.loads(out)["meldingen"] if m["severity"] == "fout"]
    assert [(m["file"].rsplit("/", 1)[-1], m["field"]) for m in problems] == \
        [("koffie-inloop.yaml", "leeftijd.van")], problems
    assert problems[0]["line"] == text.count("\n") + 2
