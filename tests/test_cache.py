"""The caches of ``check``, ``build`` and ``serve`` (sociale_kaart/pipeline/cache.py): where they live, that
nothing read from them can run code or change a result, and that they are written sparingly."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from sociale_kaart.cli import main
from sociale_kaart.pipeline.cache import FolderCache, ParseCache, code_version, default_base, project_dir
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.site.build import BuildOptions, build

from .conftest import FIXTURE, NOW, TODAY


class _Payload:
    """Unpickling this creates ``marker`` (as ``os.system("touch marker")`` would)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under ``root``."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with sociale-kaart content, as the working directory."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root / "content")
    (root / ".pre-commit-config.yaml").write_text("repos: []\n", "utf-8")
    monkeypatch.chdir(root)
    return root


def _broken_copy(content: Path) -> None:
    """Files whose diagnostics need positions: a YAML error, a duplicate key, a bad field."""
    folder = content / "activiteiten" / "vechtstad"
    (folder / "kapot.yaml").write_text("titel: [open\n", "utf-8")
    first = sorted(folder.glob("*.yaml"))[0].read_text("utf-8")
    (folder / "dubbel.yaml").write_text(first + "titel: nog een keer\n", "utf-8")
    (folder / "veld.yaml").write_text(first.replace("titel:", "titell:", 1), "utf-8")
    (folder / "lijst.yaml").write_text("- een\n- twee\n", "utf-8")


def _check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "content", "--format", "json", *args])
    return code, capsys.readouterr().out


# --------------------------------------------------------------------------- location


def test_check_leaves_the_project_folder_unchanged(project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The exported pre-commit hook runs ``check`` in the user's repository: it must not write
    there (a cache in the repository made every later run fail with "files were modified by
    this hook"). The cache lives in the user's cache folder instead, and is used."""
    before = _snapshot(project)
    for _ in range(2):  # the second run reads the cache the first one wrote
        assert main(["check", "content"]) == 0
    assert _snapshot(project) == before
    cache = project_dir(project / "content")
    assert (cache / ParseCache.FILE).is_file()
    assert not cache.resolve().is_relative_to(project.resolve())


def test_default_cache_is_outside_the_project(project: Path, user_cache: Path) -> None:
    folder = project_dir(project / "content")
    assert folder.parent == default_base()
    assert folder.resolve().is_relative_to(user_cache.resolve())
    assert not folder.resolve().is_relative_to(project.resolve())
    # one folder per content folder, the same for the same folder by any path
    assert project_dir(Path("content")) == folder
    assert project_dir(project / "other") != folder
    assert project_dir(project / "content", Path("elders")) == Path("elders")


def test_cache_option_is_honoured(project: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    chosen = tmp_path / "ci-cache"
    assert main(["check", "content", "--cache", str(chosen)]) == 0
    assert (chosen / ParseCache.FILE).is_file()
    assert not project_dir(project / "content").exists()
    out = tmp_path / "public"
    for _ in range(2):
        assert main(["build", "--content", "content", "--out", str(out), "--cache", str(chosen),
                     "--vandaag", TODAY.isoformat()]) == 0
    assert any((chosen / "zoekmachine").iterdir())
    assert "zoekindexen kwamen uit de cache" in capsys.readouterr().err
    assert not project_dir(project / "content").exists()
    assert not (project / ".sociale-kaart-cache").exists()


# --------------------------------------------------------------------------- no code from a cache


def test_a_crafted_cache_never_runs_code(project: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A pull request that commits a pickle where the parse cache used to be read from
    (``.sociale-kaart-cache/`` in the working directory), or garbage in the cache database,
    runs no code and changes no result."""
    content = project / "content"
    _broken_copy(content)
    expected = _check_json(capsys, "--zonder-cache")
    assert expected[0] == 1
    marker = tmp_path / "pwned"
    payload = pickle.dumps({"entry": _Payload(marker)})
    old = project / ".sociale-kaart-cache"
    old.mkdir()
    name = hashlib.sha256(os.path.realpath(content).encode()).hexdigest()[:12]
    (old / f"parse-{name}-{code_version()}.pickle").write_bytes(payload)
    database = project_dir(content) / ParseCache.FILE
    database.parent.mkdir(parents=True)
    database.write_bytes(payload)
    assert _check_json(capsys) == expected
    assert not marker.exists()
    assert main(["build", "--content", "content", "--out", str(tmp_path / "public"),
                 "--vandaag", TODAY.isoformat()]) == 1
    assert not marker.exists()
    # the damaged database was made anew: the next run reads it
    cache = ParseCache(database.parent)
    load_content(Path("content"), cache)
    assert cache.hits and not cache.misses


def test_damaged_or_foreign_rows_are_misses(project: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    content = project / "content"
    _broken_copy(content)
    expected = _check_json(capsys, "--zonder-cache")
    assert _check_json(capsys) == expected  # fills the cache
    database = project_dir(content) / ParseCache.FILE
    marker = tmp_path / "pwned"
    with sqlite3.connect(database) as con:
        rows = con.execute("SELECT key, value FROM entries ORDER BY key").fetchall()
        assert len(rows) > 6
        (k1, _), (k2, v2), (k3, _), (k4, v4), (k5, _), (k6, _) = rows[:6]
        payload = pickle.dumps(_Payload(marker))
        # a pickle instead of JSON (with and without a matching hash), JSON that says
        # something else (changed data, hash not updated), a value that is not text
        con.execute("UPDATE entries SET value = ? WHERE key = ?", (payload.hex(), k1))
        text = json.dumps(payload.decode("latin-1"))
        con.execute("UPDATE entries SET value = ?, digest = ? WHERE key = ?",
                    (text, hashlib.sha256(text.encode()).hexdigest(), k2))
        con.execute("UPDATE entries SET value = ? WHERE key = ?",
                    (v2.replace("Vechtstad", "Elders"), k3))
        con.execute("UPDATE entries SET value = ? WHERE key = ?", (payload, k4))
        con.execute("UPDATE entries SET value = ?, digest = ? WHERE key = ?",
                    ('[1, {"a": 1}, []]', hashlib.sha256(b'[1, {"a": 1}, []]').hexdigest(), k5))
        con.execute("UPDATE entries SET digest = 'x' WHERE key = ?", (k6,))
        assert v4
    assert _check_json(capsys) == expected
    assert not marker.exists()
    cache = ParseCache(database.parent)
    load_content(Path("content"), cache)
    assert cache.misses == 0  # the damaged rows were replaced


def test_a_database_with_foreign_objects_is_made_anew(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Only the schema this module makes is used: a trigger or view (which could run SQL on
    our writes) makes the file count as damaged."""
    content = project / "content"
    expected = _check_json(capsys, "--zonder-cache")
    database = project_dir(content) / ParseCache.FILE
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as con:
        con.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                    "digest TEXT NOT NULL)")
        con.execute("CREATE TABLE log (what TEXT)")
        con.execute("CREATE TRIGGER spy AFTER INSERT ON entries BEGIN "
                    "INSERT INTO log VALUES (new.value); END")
    assert _check_json(capsys) == expected
    with sqlite3.connect(database) as con:
        names = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
        assert "spy" not in names and "log" not in names
        assert con.execute("SELECT count(*) FROM entries").fetchone()[0] > 0


# --------------------------------------------------------------------------- same results


def test_cache_hits_give_the_same_diagnostics_and_site(project: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    content = project / "content"
    _broken_copy(content)
    (content / "activiteiten" / "vechtstad" / "veld.yaml").unlink()
    fresh = _check_json(capsys, "--zonder-cache")
    cache = tmp_path / "cache"
    assert _check_json(capsys, "--cache", str(cache)) == fresh  # fills it
    hits = ParseCache(cache)
    load_content(Path("content"), hits)
    assert hits.misses == 0
    assert _check_json(capsys, "--cache", str(cache)) == fresh
    for text in ("text", "github"):
        main(["check", "content", "--format", text, "--zonder-cache"])
        plain = capsys.readouterr()
        main(["check", "content", "--format", text, "--cache", str(cache)])
        assert capsys.readouterr() == plain

    for broken in ("kapot", "dubbel", "lijst"):
        (content / "activiteiten" / "vechtstad" / f"{broken}.yaml").unlink()
    sites = {}
    for name, use in (("fresh", False), ("fill", True), ("hit", True)):
        result = build(BuildOptions(content=Path("content"), out=tmp_path / name, today=TODAY,
                                    now=NOW, search=False, cache=use, cache_dir=cache))
        assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
        sites[name] = _snapshot(tmp_path / name)
    assert sites["hit"] == sites["fill"] == sites["fresh"]


def test_save_writes_only_changed_rows(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = ParseCache(cache_dir)
    load_content(Path("content"), first)
    database = cache_dir / ParseCache.FILE

    def rows() -> dict[str, int]:
        with sqlite3.connect(database) as con:
            return {key: rowid for rowid, key in con.execute("SELECT rowid, key FROM entries")}

    before, stamp = rows(), database.stat().st_mtime_ns
    assert len(before) == first.misses
    load_content(Path("content"), ParseCache(cache_dir))  # nothing changed: nothing written
    assert database.stat().st_mtime_ns == stamp and rows() == before
    victim = sorted((project / "content" / "activiteiten").rglob("*.yaml"))[0]
    victim.write_text(victim.read_text("utf-8") + "\n# bewerkt\n", "utf-8")
    again = ParseCache(cache_dir)
    load_content(Path("content"), again)
    assert again.misses == 1
    after = rows()
    assert len(after) == len(before)
    kept = set(after) & set(before)
    assert len(kept) == len(before) - 1
    assert all(after[key] == before[key] for key in kept)  # the other rows were not rewritten


def _load_with_cache(cache_dir: str) -> int:
    cache = ParseCache(Path(cache_dir))
    load_content(Path("content"), cache, workers=1)
    return cache.hits


def test_concurrent_runs_do_not_damage_the_cache(project: Path, tmp_path: Path) -> None:
    """A ``serve`` and a ``build`` (or two builds) may use the cache at the same time."""
    cache_dir = tmp_path / "cache"
    ctx = multiprocessing.get_context("fork")
    for _ in range(2):
        with ctx.Pool(4) as pool:
            pool.map(_load_with_cache, [str(cache_dir)] * 8)
    with sqlite3.connect(cache_dir / ParseCache.FILE) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    cache = ParseCache(cache_dir)
    load_content(Path("content"), cache)
    assert cache.misses == 0 and cache.hits


def test_an_unwritable_cache_only_costs_time(project: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("geen map", "utf-8")
    expected = _check_json(capsys, "--zonder-cache")
    assert _check_json(capsys, "--cache", str(blocked / "cache")) == expected


# --------------------------------------------------------------------------- the search cache


def test_folder_cache_checks_every_file_by_its_hash(tmp_path: Path) -> None:
    cache = FolderCache(tmp_path / "cache")
    files = {"a.json": b'{"x": 1}', "sub/b.bin": b"\x00\x01", "c": b"c"}
    cache.store("k", files)
    assert cache.load("k") == files
    assert "sub/b.bin" in (tmp_path / "cache" / "k" / FolderCache.CONTENTS).read_text("utf-8")
    # the same size, other bytes: not served, and the entry is gone
    (tmp_path / "cache" / "k" / "a.json").write_bytes(b'{"x": 2}')
    assert cache.load("k") is None
    assert not (tmp_path / "cache" / "k").exists()
    # a set of files that fails the caller's check is neither stored nor served
    cache.store("k", files, valid=lambda found: False)
    assert not (tmp_path / "cache" / "k").exists()
    cache.store("k", files)
    assert cache.load("k", valid=lambda found: False) is None
    assert not (tmp_path / "cache" / "k").exists()
    # names that leave the entry's folder are never read or written
    cache.store("k", {"../weg": b"x"})
    assert not (tmp_path / "cache" / "k").exists() and not (tmp_path / "weg").exists()
    entry = tmp_path / "cache" / "e"
    entry.mkdir()
    (tmp_path / "geheim").write_bytes(b"geheim")
    digest = hashlib.sha256(b"geheim").hexdigest()
    (entry / FolderCache.CONTENTS).write_text(f"{digest} 6 ../../geheim\n", "utf-8")
    assert cache.load("e") is None


def test_two_writers_of_one_cache_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two render workers may store the same entry at once (the same pages in two builds):
    whichever renames its copy first wins, the other's copy is dropped, and the entry stays
    complete. The interleaving is forced: the first writer completes while the second writes."""
    import sociale_kaart.pipeline.cache as cache_module

    first = {"docs.json": b'{"a": 1}', "x": b"1"}
    second = {"docs.json": b'{"a": 1}', "x": b"1"}
    cache = FolderCache(tmp_path / "cache")
    real_mkdtemp = cache_module.tempfile.mkdtemp
    interleaved = []

    def mkdtemp(**kwargs):
        folder = real_mkdtemp(**kwargs)
        if not interleaved:
            interleaved.append(folder)
            FolderCache(tmp_path / "cache").store("k", first)  # the other worker, meanwhile
        return folder

    monkeypatch.setattr(cache_module.tempfile, "mkdtemp", mkdtemp)
    cache.store("k", second)
    assert interleaved
    assert cache.load("k") == first
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["k"]  # no leftovers


# --------------------------------------------------------------------------- serve


def test_serve_starts_from_the_parse_cache(content_copy: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from sociale_kaart.serve.incremental import IncrementalBuilder

    cache = tmp_path / "cache"

    def builder(out: str) -> IncrementalBuilder:
        return IncrementalBuilder(content_copy, tmp_path / out, now=NOW, today=TODAY,
                                  search=False, parse_cache=ParseCache(cache))

    first = builder("a")
    report = first.rebuild()
    assert report.ok and report.parsed == len(list(content_copy.rglob("*.yaml"))) + len(
        list(content_copy.rglob("*.md")))
    second = builder("b")
    report = second.rebuild()
    assert report.ok and report.parsed == 0  # every file came from the cache
    assert _snapshot(tmp_path / "b") == _snapshot(tmp_path / "a")
    victim = content_copy / "activiteiten" / "vechtstad" / "koffie-inloop.yaml"
    victim.write_text(victim.read_text("utf-8").replace("titel: ", "titel: Vernieuwd ", 1), "utf-8")
    report = second.rebuild()
    assert report.ok and report.parsed == 1
    assert "Vernieuwd " in (tmp_path / "b" / "vechtstad" / "activiteiten" / "koffie-inloop"
                         / "index.html").read_text("utf-8")
    hits = ParseCache(cache)  # an edit in serve keeps the other files in the cache
    load_content(content_copy, hits)
    assert hits.misses == 0

    # the command line: --cache and --zonder-cache reach the server
    import sociale_kaart.serve.server

    seen = []
    monkeypatch.setattr(sociale_kaart.serve.server, "run", lambda *args, **kwargs: seen.append(kwargs) or 0)
    assert main(["serve", "--content", str(content_copy), "--cache", str(cache)]) == 0
    assert main(["serve", "--content", str(content_copy), "--zonder-cache"]) == 0
    assert seen[0]["parse_cache"].directory == cache and seen[1]["parse_cache"] is None
