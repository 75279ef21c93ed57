"""CODEOWNERS from the maintainers in each gemeente file, and the committed file in sync."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sociale_kaart.authoring.codeowners import codeowners, content_prefix
from sociale_kaart.cli import main
from sociale_kaart.pipeline.load import load_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kaart"


def owner_lines(text: str) -> dict[str, list[str]]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            path, *owners = line.split()
            out[path] = owners
    return out


def test_paths_per_gemeente_ask_its_maintainers() -> None:
    text = codeowners(load_content(FIXTURES).entries["gemeente"], "content")
    rules = owner_lines(text)
    vecht = ["@vechtstad-beheer", "@welzijn-vechtstad/redactie"]
    assert rules == {
        "/content/activiteiten/heuveldorp/": ["@heuveldorp"],
        "/content/ontmoetingsplekken/heuveldorp/": ["@heuveldorp"],
        "/content/gemeenten/heuveldorp.yaml": ["@heuveldorp"],
        "/content/activiteiten/vechtstad/": vecht,
        "/content/ontmoetingsplekken/vechtstad/": vecht,
        "/content/gemeenten/vechtstad.yaml": vecht,
    }
    for path in rules:  # every rule points at something that exists in the content
        assert (FIXTURES / path.removeprefix("/content/")).exists(), path


def test_gemeente_without_maintainers_gets_no_rule(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    g = content / "gemeenten" / "heuveldorp.yaml"
    g.write_text(g.read_text(encoding="utf-8").replace('  beheerders: ["@heuveldorp"]\n', ""),
                 encoding="utf-8")
    text = codeowners(load_content(content).entries["gemeente"])
    assert "heuveldorp" not in "".join(owner_lines(text))
    assert "# Nog geen beheerders: Heuveldorp." in text


def test_content_prefix(tmp_path: Path) -> None:
    assert content_prefix(ROOT / "content", ROOT) == "content"
    assert content_prefix(FIXTURES, ROOT) == "tests/fixtures/kaart"
    assert content_prefix(tmp_path / "x", ROOT) == "x"  # outside the repository


def test_committed_codeowners_matches_content() -> None:
    """Regenerate with: sociale-kaart codeowners > .github/CODEOWNERS"""
    committed = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    expected = codeowners(load_content(ROOT / "content").entries["gemeente"], "content")
    assert committed == expected


def test_cli_prints_and_checks(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["codeowners", "--content", "tests/fixtures/kaart"]) == 0
    printed = capsys.readouterr().out
    assert "/tests/fixtures/kaart/activiteiten/vechtstad/ @vechtstad-beheer" in printed
    target = tmp_path / "CODEOWNERS"
    target.write_text(printed, encoding="utf-8")
    assert main(["codeowners", "--content", "tests/fixtures/kaart", "--check", str(target)]) == 0
    target.write_text(printed + "/extra @iemand\n", encoding="utf-8")
    assert main(["codeowners", "--content", "tests/fixtures/kaart", "--check", str(target)]) == 1
    assert "past niet" in capsys.readouterr().err


def test_cli_reports_broken_gemeente_file(tmp_path: Path, capsys) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    (content / "gemeenten" / "vechtstad.yaml").write_text("naam: Vechtstad\n", encoding="utf-8")
    assert main(["codeowners", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "vechtstad.yaml" in err and "Traceback" not in err
