"""Every search bundle a build publishes or caches is complete (sociale_kaart/site/search.py).

Pagefind answers a request to write its files before the data is on disk, and exits at once
when its input closes; on a busy machine builds published a zero-byte pagefind-entry.json and
kept it in the search cache. ``pagefind_proxy.py`` forces that interleaving (and broken
answers) in front of the real Pagefind, so these tests do not depend on timing.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from pathlib import Path

import pytest

from sociale_kaart.cli import main
from sociale_kaart.site.build import BuildOptions, build

from .conftest import NOW, TODAY
from .test_search import fragments

SECTIONS = ("vechtstad", "heuveldorp", "kennisbank")

PROXY = Path(__file__).parent / "pagefind_proxy.py"


def proxy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str = "") -> Path:
    """Put the proxy in front of Pagefind (for this process and its workers); its state folder."""
    from pagefind_bin import get_executable

    state = tmp_path / "proxy"
    state.mkdir()
    script = state / "pagefind"
    script.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(PROXY))} "
                      '"$@"\n', "utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    monkeypatch.setenv("PROXY_REAL", str(get_executable()))
    monkeypatch.setenv("PROXY_STATE", str(state))
    monkeypatch.setenv("PROXY_BREAK", mode)
    return state


def entries(root: Path) -> dict[str, bytes]:
    """Every pagefind-entry.json under ``root`` (a site or a cache folder)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("pagefind-entry.json"))}


def assert_complete(root: Path, expected: int) -> None:
    found = entries(root)
    assert len(found) == expected, sorted(found)
    for name, data in found.items():
        entry = json.loads(data)  # not empty, valid JSON
        assert entry["languages"]["nl"]["page_count"] > 0, name
        folder = root / name.removesuffix("pagefind-entry.json")
        assert (folder / f"pagefind.{entry['languages']['nl']['hash']}.pf_meta").stat().st_size
    empty = [p for p in root.rglob("*") if p.is_file() and p.stat().st_size == 0
             and "pagefind" in p.as_posix()]
    assert not empty


def run(content: Path, out: Path, cache: Path | None):
    result = build(BuildOptions(content=content, out=out, today=TODAY, now=NOW,
                                cache=cache is not None, cache_dir=cache))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    return result


def test_pagefind_answering_before_its_writes_are_done_publishes_nothing_empty(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = proxy(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    result = run(content_copy, tmp_path / "public", cache)
    assert (state / "starts").read_text().strip()  # Pagefind ran behind the proxy
    assert result.bundles == 4
    assert_complete(tmp_path / "public", 4)
    assert_complete(cache / "zoekindex", 4)


def test_a_broken_bundle_is_made_again_and_never_cached(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = proxy(tmp_path, monkeypatch, "once")
    cache = tmp_path / "cache"
    run(content_copy, tmp_path / "public", cache)
    assert (state / "broken").exists()  # one answer of Pagefind had an empty entry file
    assert_complete(tmp_path / "public", 4)
    assert_complete(cache / "zoekindex", 4)


@pytest.mark.parametrize(("mode", "reason"), [
    ("always", "pagefind-entry.json ontbreekt of is leeg"),
    ("crash", "Pagefind stopte onverwacht"),
])
def test_a_bundle_that_stays_broken_fails_the_build(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], mode: str, reason: str) -> None:
    out = tmp_path / "public"
    run(content_copy, out, None)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proxy(tmp_path, monkeypatch, mode)
    cache = tmp_path / "cache"
    code = main(["build", "--content", str(content_copy), "--out", str(out), "--cache", str(cache),
                 "--vandaag", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "zoekindex" in err and "Niet gebouwd" in err and "generator zelf" not in err
    assert reason in err
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # the previous site stays
    assert not entries(cache)  # nothing broken was kept


def _relist(entry: Path, listing: str) -> str:
    """The cache entry's listing of its files, made again (in the format it is in) after a file
    was changed: the listing agrees with the damaged file, as when the damage was stored."""
    lines = []
    for line in listing.splitlines():
        parts = line.split(" ")
        name = parts[-1]
        data = (entry / name).read_bytes()
        if len(parts) == 3:
            lines.append(f"{hashlib.sha256(data).hexdigest()} {len(data)} {name}")
        else:
            lines.append(f"{len(data)} {name}")
    return "\n".join(lines) + "\n"


def test_an_empty_bundle_in_the_cache_is_neither_served_nor_kept(
        content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(content_copy, tmp_path / "a", cache)
    assert first.bundles == 4
    damaged = sorted((cache / "zoekindex").iterdir())[0]
    (damaged / "pagefind-entry.json").write_bytes(b"")
    listing = damaged / ".inhoud"
    listing.write_text(_relist(damaged, listing.read_text("utf-8")), "utf-8")
    # another entry with a wrong page count in a valid, consistently listed entry file
    other = sorted((cache / "zoekindex").iterdir())[1]
    entry = json.loads((other / "pagefind-entry.json").read_bytes())
    entry["languages"]["nl"]["page_count"] += 1
    (other / "pagefind-entry.json").write_text(json.dumps(entry), "utf-8")
    (other / ".inhoud").write_text(_relist(other, (other / ".inhoud").read_text("utf-8")), "utf-8")

    second = run(content_copy, tmp_path / "b", cache)
    assert second.bundles == 4 and second.reused_bundles == 2
    assert_complete(tmp_path / "b", 4)
    for section in SECTIONS:
        assert fragments(tmp_path / "b" / section / "pagefind") == \
            fragments(tmp_path / "a" / section / "pagefind")
    assert_complete(cache / "zoekindex", 4)  # the damaged entries were replaced
    assert run(content_copy, tmp_path / "c", cache).reused_bundles == 4


def test_bundle_check_reports_what_is_wrong() -> None:
    from sociale_kaart.site.search import bundle_problem

    entry = {"version": "1.5.2", "languages": {"nl": {"hash": "nl_1", "wasm": "nl",
                                                      "page_count": 2}}}
    good = {"pagefind-entry.json": json.dumps(entry).encode(), "pagefind.nl_1.pf_meta": b"m",
            "pagefind.js": b"j", "pagefind-worker.js": b"w", "wasm.nl.pagefind": b"a",
            "fragment/x.pf_fragment": b"f"}
    assert bundle_problem(good, True, 2) is None
    secondary = {k: v for k, v in good.items() if k not in ("pagefind.js", "pagefind-worker.js",
                                                              "wasm.nl.pagefind")}
    assert bundle_problem(secondary, False, 2) is None
    assert "ontbreekt" in bundle_problem(secondary, True, 2)
    assert "leeg" in bundle_problem({**good, "pagefind-entry.json": b""}, True, 2)
    assert "JSON" in bundle_problem({**good, "pagefind-entry.json": b"{"}, True, 2)
    assert "vorm" in bundle_problem({**good, "pagefind-entry.json": b"[]"}, True, 2)
    assert "3" in bundle_problem(good, True, 3)
    assert "leeg" in bundle_problem({**good, "fragment/x.pf_fragment": b""}, True, 2)
    assert "ontbreekt" in bundle_problem({k: v for k, v in good.items()
                                          if not k.endswith(".pf_meta")}, True, 2)


def test_proxy_is_transparent(content_copy: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The proxy alone changes nothing: the same search as with Pagefind itself."""
    run(content_copy, tmp_path / "plain", None)
    proxy(tmp_path, monkeypatch)
    run(content_copy, tmp_path / "proxied", None)
    for section in SECTIONS:
        assert fragments(tmp_path / "proxied" / section / "pagefind") == \
            fragments(tmp_path / "plain" / section / "pagefind")
