"""Nieuw en gewijzigd: the news page and Atom feed per gemeente, dated by the git history of the
content (pipeline/history.py, outputs/news.py).

A repository is made here with commits at known dates (one before the window, a change, a new
entry, a stop, a pull request merged later than its commit claims, a commit from the future,
an uncommitted edit); the feed is validated against the RELAX NG schema of RFC 4287
(tests/atom/), and a shallow clone of the same repository dates only what it can know.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree, html

from sociale_kaart.site.build import BuildOptions, build

from .browser import axe_violations, open_page
from .conftest import FIXTURE, NOW, TODAY

ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}
SCHEMA = Path(__file__).parent / "atom" / "atom.rng"
AUTHOR = ("Jan Jansen", "jan.jansen@example.org")  # a private person: never on the site

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git ontbreekt")


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME=AUTHOR[0], GIT_AUTHOR_EMAIL=AUTHOR[1], GIT_COMMITTER_NAME=AUTHOR[0],
               GIT_COMMITTER_EMAIL=AUTHOR[1], GIT_CONFIG_NOSYSTEM="1", HOME=str(repo.parent))
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content in a repository with a known history (NOW is 22 November 2026)."""
    root = tmp_path_factory.mktemp("news") / "repo"
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Start", when="2026-06-01T10:00:00+02:00")  # before the window
    acts = content / "activiteiten" / "vechtstad"
    edit(acts / "koffie-inloop.yaml", "Elke dinsdagochtend", "Iedere dinsdagochtend")
    git(root, "commit", "-qam", "Koffie-inloop: tekst", when="2026-11-02T10:00:00+01:00")
    shutil.copy(acts / "digicafe.yaml", acts / "digicafe-west.yaml")
    edit(acts / "digicafe-west.yaml", "titel: Digicafé", "titel: Digicafé West")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Nieuw: Digicafé West", when="2026-11-10T10:00:00+01:00")
    (acts / "taalcafe.yaml").write_text((acts / "taalcafe.yaml").read_text("utf-8")
                                        + "status: gestopt\n", "utf-8")
    git(root, "commit", "-qam", "Taalcafé gestopt", when="2026-11-15T10:00:00+01:00")
    # A pull request whose commit claims an old date, merged on 21 November.
    git(root, "switch", "-q", "-c", "pr")
    place = content / "ontmoetingsplekken" / "vechtstad" / "buurthuis-de-brug.yaml"
    place.write_text(place.read_text("utf-8") + "# opgeknapt\n", "utf-8")
    git(root, "commit", "-qam", "De Brug", when="2026-08-01T10:00:00+02:00")
    git(root, "switch", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pr", "pr", when="2026-11-21T16:00:00+01:00")
    # After the build's NOW (a wrong clock): not dated.
    edit(acts / "wandelgroep.md", "Samen op Pad", "Samen op Stap")
    git(root, "commit", "-qam", "Toekomst", when="2026-12-01T10:00:00+01:00")
    # Not committed: no date.
    edit(acts / "samen-eten.yaml", "buurtkamer", "buurtkamer!")
    return root


def make(content: Path, out: Path):
    result = build(BuildOptions(content=content, out=out, today=TODAY, now=NOW, search=False))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    return result


def news_rows(site: Path, g: str = "vechtstad") -> list[tuple[str, str, str]]:
    """(day heading, kind of change, title) per item of the news page, in page order."""
    doc = html.parse(str(site / g / "nieuws" / "index.html"))
    rows = []
    for section in doc.iterfind(".//section[@class='nieuws-dag']"):
        day = section.findtext("h2")
        for li in section.iterfind(".//li"):
            rows.append((day, li.findtext("strong"), li.findtext("a")))
    return rows


def test_news_page_lists_dated_changes_newest_first(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "public"
    make(repo / "content", site)
    assert news_rows(site) == [
        ("zaterdag 21 november 2026", "Gewijzigd", "Buurthuis De Brug"),  # merged then, not 1 August
        ("zondag 15 november 2026", "Gestopt", "Taalcafé"),
        ("dinsdag 10 november 2026", "Nieuw", "Digicafé West"),
        ("maandag 2 november 2026", "Gewijzigd", "Koffie-inloop in De Brug"),
    ]
    # Before the window, in the future or not committed: not news. Nothing about Heuveldorp.
    page = (site / "vechtstad" / "nieuws" / "index.html").read_text("utf-8")
    for absent in ("Wandelgroep", "Samen eten", "Koersbal"):
        assert absent not in page
    assert news_rows(site, "heuveldorp") == []
    assert "Er is de afgelopen 90 dagen niets nieuw" in \
        (site / "heuveldorp" / "nieuws" / "index.html").read_text("utf-8")
    # Linked from every page of the gemeente: the feed in the head, the page in the footer.
    home = html.parse(str(site / "vechtstad" / "index.html"))
    assert home.xpath("//link[@rel='alternate' and @type='application/atom+xml']/@href") == ["nieuws.xml"]
    assert home.xpath("//footer//a[@href='nieuws/']/text()") == ["Nieuw en gewijzigd (voor professionals)"]


def test_feed_is_valid_atom_with_stable_ids_and_no_personal_data(repo: Path, tmp_path: Path) -> None:
    make(repo / "content", tmp_path / "a")
    make(repo / "content", tmp_path / "b")
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    feeds = {}
    for site in ("a", "b"):
        for g in ("vechtstad", "heuveldorp"):
            data = (tmp_path / site / g / "nieuws.xml").read_bytes()
            doc = etree.fromstring(data)
            assert schema.validate(doc), (g, schema.error_log)
            # The schema's two Schematron rules (annotations in RELAX NG).
            assert doc.xpath("a:author/a:name/text()", namespaces=ATOM_NS)
            for entry in doc.xpath("a:entry", namespaces=ATOM_NS):
                assert entry.xpath("a:link[@rel='alternate']", namespaces=ATOM_NS)
            feeds[site, g] = doc
            for private in AUTHOR:
                assert private.encode() not in data
            assert private.split("@")[0].encode() not in data
            page = (tmp_path / site / g / "nieuws" / "index.html").read_text("utf-8")
            assert AUTHOR[0] not in page and AUTHOR[1] not in page
    doc = feeds["a", "vechtstad"]
    ids = doc.xpath("//a:id/text()", namespaces=ATOM_NS)
    assert ids == feeds["b", "vechtstad"].xpath("//a:id/text()", namespaces=ATOM_NS)  # stable
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    titles = doc.xpath("a:entry/a:title/text()", namespaces=ATOM_NS)
    assert titles == ["Gewijzigd: Buurthuis De Brug", "Gestopt: Taalcafé", "Nieuw: Digicafé West",
                      "Gewijzigd: Koffie-inloop in De Brug"]
    updated = doc.xpath("a:entry/a:updated/text()", namespaces=ATOM_NS)
    assert updated[0] == "2026-11-21T16:00:00+01:00"
    assert updated == sorted(updated, reverse=True)
    assert doc.xpath("a:updated/text()", namespaces=ATOM_NS) == [updated[0]]
    # The fixture has a base URL: links are absolute.
    assert doc.xpath("a:entry[1]/a:link/@href", namespaces=ATOM_NS) == \
        ["https://sociale-kaart.example.nl/vechtstad/plekken/buurthuis-de-brug/"]
    assert feeds["a", "heuveldorp"].xpath("a:entry", namespaces=ATOM_NS) == []


def test_shallow_clone_dates_only_what_it_reaches(repo: Path, tmp_path: Path) -> None:
    """``git clone --depth 3``: HEAD (the future commit), the merge and the stop. The stop is the
    clone's boundary: as far as the clone knows it added every file, so it dates nothing."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    result = make(clone / "content", tmp_path / "public")
    assert news_rows(tmp_path / "public") == [("zaterdag 21 november 2026", "Gewijzigd", "Buurthuis De Brug")]
    assert any("shallow clone" in n for n in result.notices)


def test_without_git_there_is_no_news_and_no_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    assert subprocess.run(["git", "-C", str(content), "rev-parse"], capture_output=True).returncode != 0
    result = make(content, tmp_path / "public")
    assert news_rows(tmp_path / "public") == []
    assert not any("shallow" in n for n in result.notices)
    feed = etree.fromstring((tmp_path / "public" / "vechtstad" / "nieuws.xml").read_bytes())
    assert etree.RelaxNG(etree.parse(str(SCHEMA))).validate(feed)


def test_history_reads_renames_as_changes_and_ignores_deleted_files(tmp_path: Path) -> None:
    from sociale_kaart.pipeline.history import key, read_history

    root = tmp_path / "r"
    (root / "content").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "content" / "a.yaml").write_text("titel: A\n" * 20, "utf-8")
    (root / "content" / "b.yaml").write_text("titel: B\n", "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "a", when="2026-11-01T10:00:00+01:00")
    git(root, "mv", "content/a.yaml", "content/a2.yaml")
    git(root, "rm", "-q", "content/b.yaml")
    git(root, "commit", "-qm", "mv", when="2026-11-05T10:00:00+01:00")
    history = read_history(root / "content", NOW)
    assert history.available and not history.shallow
    moved = history.changes[key(root / "content" / "a2.yaml")]
    assert [(c.soort, c.when.date().isoformat()) for c in moved] == [("gewijzigd", "2026-11-05")]
    # Added, then deleted: its addition is known (no entry has the file any more, so no news).
    assert key(root / "content" / "b.yaml") in history.changes
    assert [c.soort for c in history.changes[key(root / "content" / "b.yaml")]] == ["nieuw"]
    assert isinstance(moved[0].when, datetime)


@pytest.mark.browser
def test_news_page_passes_axe(repo: Path, tmp_path: Path, browser) -> None:
    from .browser import serve_directory

    make(repo / "content", tmp_path / "public")
    shots = Path(__file__).resolve().parent.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    with serve_directory(tmp_path / "public") as base:
        for width in (1280, 375):
            with open_page(browser, f"{base}/vechtstad/nieuws/", width=width) as page:
                assert axe_violations(page) == []
                page.screenshot(path=str(shots / f"nieuws-{width}.png"), full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width


def small_repo(root: Path) -> Path:
    """A repository with one content file, committed inside the window."""
    (root / "content").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "content" / "a.yaml").write_text("titel: A\n", "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "a", when="2026-11-01T10:00:00+01:00")
    return root / "content"


def test_content_cannot_make_git_run_a_command_or_read_another_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request can commit anything below content/. Two attempts that make git run a
    command: the files of a bare repository (HEAD, config, objects/, refs/) whose config has a
    promisor remote with an upload-pack command (git would take the content folder for that
    repository, lazily fetch its missing commits and run the command, reading whatever it says
    instead of the real history); and a .gitattributes that picks diff drivers the builder's own
    git config defines (textconv, external diff)."""
    from sociale_kaart.pipeline.history import _MEMO, read_history

    marker = tmp_path / "UITGEVOERD"
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        f'[diff "tekst"]\n\ttextconv = touch {marker}.textconv; cat\n'
        f'\tcommand = touch {marker}.command; true\n'
        f'[diff]\n\texternal = touch {marker}.external; true\n', "utf-8")
    monkeypatch.setenv("HOME", str(home))
    content = small_repo(tmp_path / "r")
    # The builder's textconv/external diff, picked by the content: never run.
    (content / ".gitattributes").write_text("*.yaml diff=tekst\n", "utf-8")
    (content / "a.yaml").write_text("titel: A\nstatus: gestopt\n", "utf-8")
    git(content.parent, "add", ".")
    git(content.parent, "commit", "-qm", "stop", when="2026-11-03T10:00:00+01:00")
    _MEMO.clear()
    history = read_history(content, NOW, stopped=[content / "a.yaml"])
    assert not list(tmp_path.glob("UITGEVOERD*"))
    assert [c.soort for c in history.changes[key_of(content / "a.yaml")]] == ["gestopt", "nieuw"]

    # The files of a bare repository, committed into the content folder.
    (content / "config").write_text(
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = .\n"
        "[extensions]\n\tpartialclone = origin\n"
        f'[remote "origin"]\n\turl = {tmp_path / "nergens"}\n\tpromisor = true\n'
        f"\tuploadpack = touch {marker}.fetch; false\n", "utf-8")
    (content / "HEAD").write_text("ref: refs/heads/main\n", "ascii")
    (content / "refs" / "heads").mkdir(parents=True)
    (content / "refs" / "heads" / "main").write_text("12" * 20 + "\n", "ascii")
    (content / "objects").mkdir()
    (content / "objects" / "leeg").write_text("", "ascii")
    git(content.parent, "add", ".")
    git(content.parent, "commit", "-qm", "repository", when="2026-11-04T10:00:00+01:00")
    _MEMO.clear()
    history = read_history(content, NOW, stopped=[content / "a.yaml"])
    assert not list(tmp_path.glob("UITGEVOERD*"))
    # Git refuses a bare repository it finds by looking: no dates rather than the PR's dates.
    assert not history.available and history.changes == {}


def key_of(path: Path) -> str:
    from sociale_kaart.pipeline.history import key

    return key(path)


def test_file_names_are_names_not_patterns(tmp_path: Path) -> None:
    """A stopped entry whose file name is a pathspec pattern ("[a].yaml" matches "a.yaml") dates
    its own stop only, not that of the files the pattern would match."""
    from sociale_kaart.pipeline.history import _MEMO, read_history

    content = small_repo(tmp_path / "r")
    (content / "[a].yaml").write_text("titel: Haakjes\n", "utf-8")
    git(content.parent, "add", ".")
    git(content.parent, "commit", "-qm", "haakjes", when="2026-11-02T10:00:00+01:00")
    (content / "a.yaml").write_text("titel: A\nstatus: gestopt\n", "utf-8")
    (content / "[a].yaml").write_text("titel: Haakjes\nstatus: 'gestopt'\n", "utf-8")
    git(content.parent, "commit", "-qam", "a gestopt", when="2026-11-03T10:00:00+01:00")
    _MEMO.clear()
    history = read_history(content, NOW, stopped=[content / "[a].yaml"])
    assert [c.soort for c in history.changes[key_of(content / "[a].yaml")]] == ["gestopt", "nieuw"]
    # a.yaml is not in the stopped list: its commit is a change, not a stop.
    assert [c.soort for c in history.changes[key_of(content / "a.yaml")]] == ["gewijzigd", "nieuw"]


def test_blobless_clone_as_on_netlify_dates_stops(repo: Path, tmp_path: Path) -> None:
    """Netlify clones the whole history without file contents (``--filter=blob:none``); finding
    the commit that stopped an entry needs contents, which git fetches from the origin."""
    from sociale_kaart.pipeline.history import _MEMO, read_history

    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    taalcafe = clone / "content" / "activiteiten" / "vechtstad" / "taalcafe.yaml"
    _MEMO.clear()
    history = read_history(clone / "content", NOW, stopped=[taalcafe])
    assert history.available and not history.shallow
    assert [(c.soort, c.when.date().isoformat()) for c in history.changes[key_of(taalcafe)]] == \
        [("gestopt", "2026-11-15")]


def test_blobless_clone_without_its_origin_still_dates_what_it_can(tmp_path: Path) -> None:
    """Finding a rename needs the files' contents, which a blobless clone fetches from its origin.
    When the origin cannot be reached, the rest of the news stays: the renamed file is new."""
    from sociale_kaart.pipeline.history import _MEMO, read_history

    origin = tmp_path / "origin"
    content = small_repo(origin)
    (content / "b.yaml").write_text("titel: B\n" * 20, "utf-8")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "b", when="2026-11-02T10:00:00+01:00")
    git(origin, "mv", "content/b.yaml", "content/b2.yaml")
    (content / "b2.yaml").write_text("titel: B\n" * 19 + "titel: B2\n", "utf-8")  # not exact
    (content / "a.yaml").write_text("titel: A2\n", "utf-8")
    git(origin, "commit", "-qam", "mv", when="2026-11-05T10:00:00+01:00")
    git(origin, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{origin}",
                    str(clone)], check=True, capture_output=True)
    shutil.rmtree(origin)
    _MEMO.clear()
    history = read_history(clone / "content", NOW)
    assert [c.soort for c in history.changes[key_of(clone / "content" / "a.yaml")]] == \
        ["gewijzigd", "nieuw"]
    assert [(c.soort, c.when.date().isoformat())
            for c in history.changes[key_of(clone / "content" / "b2.yaml")]] == [("nieuw", "2026-11-05")]


def test_many_stopped_entries_are_one_query_that_names_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Naming each stopped file to git makes it match every path against every name (for a
    thousand stops, longer than git is given) and the command line grow with the content; the
    query covers the folder and Python keeps the stopped entries."""
    from sociale_kaart.pipeline import history

    content = small_repo(tmp_path / "r")
    for i in range(40):
        (content / f"s{i}.yaml").write_text(f"titel: S{i}\n", "utf-8")
    git(content.parent, "add", ".")
    git(content.parent, "commit", "-qm", "s", when="2026-11-02T10:00:00+01:00")
    for i in range(40):
        (content / f"s{i}.yaml").write_text(f"titel: S{i}\nstatus: gestopt\n", "utf-8")
    git(content.parent, "commit", "-qam", "gestopt", when="2026-11-04T10:00:00+01:00")
    calls: list[list[str]] = []
    real = history._git

    def spy(args: list[str], cwd: Path) -> bytes | None:
        calls.append(args)
        return real(args, cwd)

    monkeypatch.setattr(history, "_git", spy)
    history._MEMO.clear()
    stopped = [content / f"s{i}.yaml" for i in range(30)]  # s30..s39 are not stopped now
    found = history.read_history(content, NOW, stopped=stopped)
    assert all(len(args) < 25 for args in calls), calls
    assert [a[a.index("--") + 1:] for a in calls if "--" in a] == [["."], ["."]]
    soorten = {p.name: [c.soort for c in found.changes[key_of(p)]] for p in content.glob("s*.yaml")}
    assert soorten == {f"s{i}.yaml": ["gestopt" if i < 30 else "gewijzigd", "nieuw"] for i in range(40)}
