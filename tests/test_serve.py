"""``serve``: a real dev server on a free port, real files in a copy of the fixture content.

The server tests poll over HTTP with a timeout (no blind sleeps); the equivalence test drives
the incremental builder through a seeded series of random edits and compares the result with
a full ``build`` of the same content, file by file and byte by byte.
"""

from __future__ import annotations

import http.client
import random
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sociale_kaart.pipeline.load import LoadMemory, load_content
from sociale_kaart.serve.incremental import IncrementalBuilder
from sociale_kaart.serve.server import DevServer, inject, overlay_html
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.theme import THEMES_DIR

from .conftest import NOW, TODAY

TIMEOUT = 30.0
ACT = "activiteiten/vechtstad/koffie-inloop.yaml"
PAGE = "vechtstad/activiteiten/koffie-inloop/"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def poll(url: str, condition, timeout: float = TIMEOUT) -> tuple[int, str]:
    """GET ``url`` until ``condition(status, body)`` holds; fail with the last response."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = get(url)
        if condition(status, body):
            return status, body
        if time.monotonic() > deadline:
            raise AssertionError(f"no matching response from {url} within {timeout} s: "
                                 f"{status} {body[:300]!r}")
        time.sleep(0.05)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture()
def server(content_copy: Path, tmp_path: Path):
    srv = DevServer(content_copy, out=tmp_path / "voorbeeld", port=0, now=NOW, today=TODAY,
                    search=False, log=lambda line: None)
    report = srv.start()
    assert report.ok, report.errors
    try:
        yield srv
    finally:
        srv.stop()


# --------------------------------------------------------------------------- the server


def test_serves_pages_with_livereload_only_in_responses(server: DevServer) -> None:
    status, body = get(server.url + PAGE)
    assert status == 200
    assert "Koffie-inloop in De Brug" in body
    assert "/__livereload" in body
    on_disk = (server.out / PAGE / "index.html").read_text("utf-8")
    assert "Koffie-inloop in De Brug" in on_disk
    assert "data-sociale-kaart-serve" not in on_disk and "__livereload" not in on_disk
    # A folder without slash redirects; a folder gives its index.html; assets keep their type.
    status, body = get(server.url + PAGE.rstrip("/"))
    assert status == 200 and "Koffie-inloop in De Brug" in body
    status, body = get(server.url + "vechtstad/bestaat-niet/")
    assert status == 404 and 'lang="nl"' in body and "/__livereload" in body
    css = next((server.out / "vechtstad" / "assets").glob("style.*.css")).name
    with urllib.request.urlopen(f"{server.url}vechtstad/assets/{css}", timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/css")
        assert b"__livereload" not in resp.read()


def test_edit_error_fix_delete(server: DevServer, content_copy: Path) -> None:
    url = server.url + PAGE
    poll(url, lambda s, b: s == 200 and "Koffie-inloop in De Brug" in b)

    # A change shows up over HTTP, and listings that show the activity follow.
    edit(content_copy / ACT, "titel: Koffie-inloop in De Brug", "titel: Koffieochtend in De Brug")
    poll(url, lambda s, b: "Koffieochtend in De Brug" in b)
    poll(server.url + "vechtstad/activiteiten/", lambda s, b: "Koffieochtend in De Brug" in b)
    assert server.errors == []

    # An error: the overlay lists it (file:line:column, field, Dutch message); the old page stays.
    edit(content_copy / ACT, "bron:", "status: misschien\nbron:")
    status, body = poll(url, lambda s, b: 'id="sk-serve-fouten"' in b)
    assert status == 200
    assert "Koffieochtend in De Brug" in body  # the last good version
    overlay = body[body.index('id="sk-serve-fouten"'):]
    assert 'role="alert"' in body
    assert re.search(r"koffie-inloop\.yaml:\d+:\d+", overlay), overlay[:500]
    assert "veld &#x27;status&#x27;" in overlay or "veld 'status'" in overlay
    assert '<button type="button"' in overlay
    assert any(d.field == "status" for d in server.errors)
    # Every HTML response carries it, also other pages and the 404 page.
    assert 'id="sk-serve-fouten"' in get(server.url + "vechtstad/")[1]
    assert 'id="sk-serve-fouten"' in get(server.url + "vechtstad/nergens/")[1]

    # Fixed: the overlay disappears.
    edit(content_copy / ACT, "status: misschien", "status: actief")
    poll(url, lambda s, b: s == 200 and 'id="sk-serve-fouten"' not in b)
    assert server.errors == []

    # Deleted: its page is gone (404) and so is its iCal file; listings no longer show it.
    (content_copy / ACT).unlink()
    poll(url, lambda s, b: s == 404)
    assert not (server.out / PAGE).exists()
    assert not (server.out / "vechtstad/activiteiten/koffie-inloop.ics").exists()
    assert "Koffieochtend" not in get(server.url + "vechtstad/activiteiten/")[1]


def test_bad_yaml_and_template_errors_keep_the_server_alive(content_copy: Path, tmp_path: Path) -> None:
    # A project theme next to the content, so the test can break a template safely.
    theme = tmp_path / "themes" / "proef" / "templates"
    theme.mkdir(parents=True)
    shutil.copy(THEMES_DIR / "default" / "templates" / "activiteit.html", theme / "activiteit.html")
    edit(content_copy / "site.yaml", "naam: Sociale Kaart Testprovincie",
         "naam: Sociale Kaart Testprovincie\nthema: proef")
    with DevServer(content_copy, out=tmp_path / "voorbeeld", port=0, now=NOW, today=TODAY,
                   search=False, log=lambda line: None) as srv:
        url = srv.url + PAGE
        poll(url, lambda s, b: s == 200)

        # YAML that does not parse.
        good = (content_copy / ACT).read_text("utf-8")
        (content_copy / ACT).write_text(good.replace("titel: Koffie-inloop in De Brug",
                                                     'titel: "Koffie-inloop in De Brug'), "utf-8")
        status, body = poll(url, lambda s, b: 'id="sk-serve-fouten"' in b)
        assert status == 200 and "Koffie-inloop in De Brug" in body
        (content_copy / ACT).write_text(good, "utf-8")
        poll(url, lambda s, b: 'id="sk-serve-fouten"' not in b)

        # A template error (syntax) and a template that fails while rendering.
        template = theme / "activiteit.html"
        original = template.read_text("utf-8")
        template.write_text(original.replace("{% block content %}", "{% block content %}{% if %}", 1),
                            "utf-8")
        status, body = poll(url, lambda s, b: 'id="sk-serve-fouten"' in b)
        assert "activiteit.html" in body[body.index('id="sk-serve-fouten"'):]
        template.write_text(original.replace("{% block content %}",
                                             "{% block content %}{{ niet_bestaand.veld }}", 1), "utf-8")
        status, body = poll(url, lambda s, b: "niet_bestaand" in b)
        assert 'id="sk-serve-fouten"' in body
        template.write_text(original.replace("{% block content %}",
                                             "{% block content %}<p>Thema-proef</p>", 1), "utf-8")
        status, body = poll(url, lambda s, b: "Thema-proef" in b)
        assert 'id="sk-serve-fouten"' not in body
        assert srv.last_report is not None and not srv.last_report.full


def test_livereload_events_follow_rebuilds(server: DevServer, content_copy: Path) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    conn.request("GET", "/__livereload")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/event-stream"

    def next_version() -> str:
        event = None
        while True:
            line = resp.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "versie":
                return line[6:]

    first = next_version()
    generation = server.generation
    edit(content_copy / ACT, "Koffie-inloop in De Brug", "Koffie-inloop bij De Brug")
    assert server.wait_for_rebuild(generation, TIMEOUT) is not None
    assert next_version() != first
    conn.close()


def test_overlay_markup_is_escaped_and_accessible() -> None:
    from sociale_kaart.diagnostics import Diagnostic

    html = overlay_html([Diagnostic("content/a.yaml", 3, 7, "titel", "<script>x</script> ontbreekt")])
    assert "&lt;script&gt;" in html and "<script>x" not in html
    assert 'role="alert"' in html and "content/a.yaml:3:7" in html
    assert inject(b"<html><body><p>x</p></body></html>", "<i>y</i>") == \
        b"<html><body><p>x</p><i>y</i></body></html>"


# --------------------------------------------------------------------------- incremental = full


def test_load_from_memory_equals_load_content(content_copy: Path) -> None:
    memory = LoadMemory()
    first = load_content(content_copy, memory=memory)
    assert memory.parsed == len(first.files)
    edit(content_copy / ACT, "Koffie-inloop in De Brug", "Koffie-inloop bij De Brug")
    second = load_content(content_copy, memory=memory)
    assert memory.parsed == 1  # only the changed file was parsed again
    reference = load_content(content_copy)
    assert second.diagnostics == reference.diagnostics
    assert {k: [(e.file, e.model_dump()) for e in v] for k, v in second.entries.items()} == \
        {k: [(e.file, e.model_dump()) for e in v] for k, v in reference.entries.items()}


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def assert_same_site(incremental: Path, full: Path) -> None:
    """Same files with the same bytes, search indexes included (and none of them empty)."""
    a, b = _files(incremental), _files(full)
    assert set(a) == set(b), sorted(set(a) ^ set(b))[:20]
    different = [k for k in sorted(a) if a[k].read_bytes() != b[k].read_bytes()]
    assert different == [], different[:20]
    index = [k for k in a if k.endswith("zoekindex.json") or "zoekindex/" in k]
    assert not [k for k in index if not a[k].stat().st_size]


class _Editor:
    """Random edits on a content copy, the kinds a maintainer makes."""

    def __init__(self, content: Path, theme: Path, rng: random.Random) -> None:
        self.content, self.theme, self.rng = content, theme, rng
        self.added = 0

    def activities(self, g: str = "vechtstad") -> list[Path]:
        return sorted((self.content / "activiteiten" / g).glob("*.yaml"))

    def themes(self) -> list[str]:
        data = yaml.safe_load((self.content / "taxonomie" / "themas.yaml").read_text("utf-8"))
        return [t["slug"] for t in data["termen"]]

    def edit_title(self) -> str:
        path = self.rng.choice(self.activities() + self.activities("heuveldorp"))
        text = path.read_text("utf-8")
        title = re.search(r"^titel: (.*)$", text, re.MULTILINE)
        assert title
        new = f"{title.group(1).strip()} {self.rng.choice(['extra', 'nieuw', 'Zeer', 'aa'])}"
        path.write_text(text.replace(title.group(0), f"titel: {new}", 1), "utf-8")
        return f"titel {path.name}"

    def change_theme(self) -> str:
        path = self.rng.choice(self.activities())
        text = path.read_text("utf-8")
        match = re.search(r"^themas: \[(.*)\]$", text, re.MULTILINE)
        if not match:
            return self.edit_title()
        chosen = self.rng.sample(self.themes(), self.rng.randint(1, 2))
        path.write_text(text.replace(match.group(0), f"themas: [{', '.join(chosen)}]", 1), "utf-8")
        return f"thema's {path.name}: {chosen}"

    def add_activity(self) -> str:
        source = self.rng.choice(self.activities())
        self.added += 1
        target = source.with_name(f"nieuw-{self.added}.yaml")
        text = source.read_text("utf-8")
        text = re.sub(r"^titel: .*$", f"titel: Nieuwe activiteit {self.added}", text, count=1, flags=re.MULTILINE)
        target.write_text(text, "utf-8")
        return f"nieuw {target.name}"

    def remove_activity(self) -> str:
        candidates = self.activities()
        path = self.rng.choice(candidates)
        path.unlink()
        return f"weg {path.name}"

    def rename_place(self) -> str:
        plekken = sorted((self.content / "ontmoetingsplekken" / "vechtstad").glob("*.yaml"))
        path = self.rng.choice(plekken)
        text = path.read_text("utf-8")
        name = re.search(r"^naam: (.*)$", text, re.MULTILINE)
        assert name
        path.write_text(text.replace(name.group(0), f"naam: {name.group(1)} {self.rng.randint(1, 99)}", 1),
                        "utf-8")
        return f"plek {path.name}"

    def edit_template(self) -> str:
        name = self.rng.choice(["activiteit.html", "lijst.html", "macros.html"])
        path = self.theme / name
        text = path.read_text("utf-8")
        marker = f"<!-- proef {self.rng.randint(0, 10**6)} -->"
        if name == "macros.html":
            text = text.replace("<p>{{ a.samenvatting }}</p>", f"<p>{{{{ a.samenvatting }}}}{marker}</p>", 1)
        else:
            text = text.replace("{% block content %}", "{% block content %}" + marker, 1)
        path.write_text(text, "utf-8")
        return f"sjabloon {name}"

    def _rewrite(self, path: Path, pattern: str, replace: Callable[[re.Match[str]], str]) -> bool:
        text = path.read_text("utf-8")
        new, n = re.subn(pattern, replace, text, count=1, flags=re.MULTILINE)
        if n:
            path.write_text(new, "utf-8")
        return bool(n)

    def edit_organisation(self) -> str:
        """An organisation's name or phone: shown on activity, place and organisation pages of
        every gemeente it serves, and in the exports."""
        path = self.rng.choice(sorted((self.content / "organisaties").glob("*.yaml")))
        if self.rng.random() < 0.5 or not self._rewrite(
                path, r"^telefoon: (.*)$", lambda m: f"telefoon: 0523 {self.rng.randint(100, 999)} 000"):
            self._rewrite(path, r"^naam: (.*)$", lambda m: f"naam: {m.group(1)} {self.rng.randint(1, 99)}")
        return f"organisatie {path.name}"

    def edit_schedule(self) -> str:
        """A start time (agenda, .ics, dagdeel filter) or a pause (niet_op) of an activity."""
        path = self.rng.choice(self.activities())
        hour = f"{self.rng.randint(8, 20):02d}:{self.rng.choice(['00', '15', '30'])}"
        if self.rng.random() < 0.7 and self._rewrite(path, r'van: "\d\d:\d\d"', lambda m: f'van: "{hour}"'):
            return f"tijd {path.name}: {hour}"
        day = f"2026-12-{self.rng.randint(1, 28):02d}"
        if self._rewrite(path, r"^(\s+)dagen: (\[.*\])$",
                         lambda m: f"{m.group(1)}dagen: {m.group(2)}\n{m.group(1)}niet_op: [{day}]"):
            return f"niet op {path.name}: {day}"
        return self.edit_title()

    def edit_cost(self) -> str:
        """Free or paid: the cost text, the 'gratis' filter and the booklet."""
        path = self.rng.choice(self.activities())
        if self._rewrite(path, r"^kosten: \{gratis: true\}$",
                         lambda m: 'kosten: {gratis: false, bedrag: "2,50", per: keer}'):
            return f"betaald {path.name}"
        if self._rewrite(path, r"^kosten: \{.*\}$", lambda m: "kosten: {gratis: true}"):
            return f"gratis {path.name}"
        return self.edit_title()

    def edit_place(self) -> str:
        """A place's kern or street: its page, its activities' cards and the agenda's 'in ...'."""
        plekken = sorted((self.content / "ontmoetingsplekken").rglob("*.yaml"))
        path = self.rng.choice(plekken)
        if self.rng.random() < 0.5 and self._rewrite(
                path, r"straat: ([A-Za-z]+)", lambda m: f"straat: {m.group(1)}weg"):
            return f"straat {path.name}"
        return self.rename_place()

    def edit_gemeente(self) -> str:
        """A gemeente's name or intro: every page of that gemeente (its header) and the province."""
        path = self.rng.choice(sorted((self.content / "gemeenten").glob("*.yaml")))
        if self.rng.random() < 0.5 and self._rewrite(path, r"^naam: (.*)$",
                                                     lambda m: f"naam: {m.group(1)} aan de Vecht"):
            return f"gemeente {path.name}"
        self._rewrite(path, r"^intro: \|$", lambda m: "intro: |\n  Nieuw: kijk ook bij de agenda.")
        return f"intro {path.name}"

    def edit_taxonomy(self) -> str:
        """A label of a term: on nearly every page (a full rebuild is fine here)."""
        path = self.rng.choice(sorted((self.content / "taxonomie").glob("*.yaml")))
        self._rewrite(path, r"^(\s+)label: (.*)$", lambda m: f"{m.group(1)}label: {m.group(2)} en meer")
        return f"taxonomie {path.name}"

    def random_edit(self) -> str:
        ops = [self.edit_title, self.edit_title, self.change_theme, self.add_activity,
               self.rename_place, self.edit_template, self.edit_organisation, self.edit_schedule,
               self.edit_cost, self.edit_place, self.edit_gemeente, self.edit_taxonomy]
        if len(self.activities()) > 3:
            ops.append(self.remove_activity)
        return self.rng.choice(ops)()


@pytest.mark.parametrize("seed", [7, 2026, 31])
def test_incremental_equals_full_build(content_copy: Path, tmp_path: Path, seed: int) -> None:
    theme = tmp_path / "themes" / "proef" / "templates"
    theme.mkdir(parents=True)
    for name in ("activiteit.html", "lijst.html", "macros.html"):
        shutil.copy(THEMES_DIR / "default" / "templates" / name, theme / name)
    edit(content_copy / "site.yaml", "naam: Sociale Kaart Testprovincie",
         "naam: Sociale Kaart Testprovincie\nthema: proef")
    out = tmp_path / "voorbeeld"
    builder = IncrementalBuilder(content_copy, out, now=NOW, today=TODAY, search=True)
    first = builder.rebuild()
    assert first.ok and first.full, first.errors
    assert (out / "vechtstad" / "zoekindex.json").is_file()
    editor = _Editor(content_copy, theme, random.Random(seed))
    log: list[str] = []
    for step in range(14):
        edits = [editor.random_edit()
                 for _ in range(random.Random(seed + step).randint(1, 2))]  # sometimes two at once
        log += edits
        report = builder.rebuild()
        assert report.ok, (log, report.errors)
        if not any(e.startswith("taxonomie") for e in edits):
            # edits of entries, gemeenten and templates stay incremental
            assert not report.full, log
            if not any(e.startswith(("gemeente", "intro")) for e in edits):
                assert report.rendered < report.pages, log
        log.append(f"-> {report.rendered} gemaakt, {report.written} geschreven, "
                   f"{report.deleted} weg, index {report.indexed}")

    full = tmp_path / "volledig"
    result = build(BuildOptions(content=content_copy, out=full, today=TODAY, now=NOW))
    assert result.ok
    assert_same_site(out, full)


def test_entry_edit_renders_few_pages_and_one_gemeente_index(content_copy: Path, tmp_path: Path) -> None:
    builder = IncrementalBuilder(content_copy, tmp_path / "voorbeeld", gemeenten=["vechtstad"],
                                 now=NOW, today=TODAY, search=True)
    assert builder.rebuild().full
    edit(content_copy / ACT, "samenvatting: Elke dinsdagochtend", "samenvatting: Iedere dinsdagochtend")
    report = builder.rebuild()
    assert report.ok and not report.full and report.parsed == 1
    assert report.indexed == ["vechtstad"]
    rendered = set(report.rendered_paths)
    # Its own page, the listings and the agenda, its place and its organiser, the booklet ...
    for path in (PAGE + "index.html", "vechtstad/index.html", "vechtstad/activiteiten/index.html",
                 "vechtstad/themas/ontmoeting/index.html", "vechtstad/agenda/index.html",
                 "vechtstad/plekken/buurthuis-de-brug/index.html", "vechtstad/boekje/index.html",
                 "vechtstad/organisaties/welzijn-vechtstad/index.html", "vechtstad/agenda.ics",
                 "vechtstad/activiteiten/koffie-inloop.ics"):
        assert path in rendered, path
    # ... but not other activities, places that do not show it, or assets.
    for path in ("vechtstad/activiteiten/taalcafe/index.html",
                 "vechtstad/plekken/bibliotheek-centrum/index.html", "vechtstad/404.html"):
        assert path not in rendered, path
    assert not any("/assets/" in p for p in rendered)
    assert "Iedere dinsdagochtend" in (tmp_path / "voorbeeld" / PAGE / "index.html").read_text("utf-8")
    # An edit in the other gemeente is outside this preview: nothing to render.
    edit(content_copy / "activiteiten/heuveldorp/dorpsmaaltijd.yaml", "titel: ", "titel: Grote ")
    report = builder.rebuild()
    assert report.ok and report.written == 0 and report.indexed == []

    # A change that touches everything (taxonomy) falls back to a full rebuild.
    edit(content_copy / "taxonomie/themas.yaml", "label: ", "label: Het ")
    report = builder.rebuild()
    assert report.ok and report.full


def test_overviews_follow_numbers_and_the_feed_follows_schedules(content_copy: Path,
                                                                  tmp_path: Path) -> None:
    """Pages that show how many activities a theme has are made again only when a number
    changes; the gemeente feed (whose events are reused between rebuilds) follows a changed
    schedule; and the result equals a full build."""
    out = tmp_path / "voorbeeld"
    builder = IncrementalBuilder(content_copy, out, gemeenten=["vechtstad"], now=NOW,
                                 today=TODAY, search=False)
    assert builder.rebuild().full
    overviews = ("vechtstad/themas/index.html", "vechtstad/doelgroepen/index.html",
                 "vechtstad/zoeken/index.html", "vechtstad/agenda/middag/index.html")

    edit(content_copy / ACT, "titel: Koffie-inloop in De Brug", "titel: Koffie-inloop Brug")
    report = builder.rebuild()
    assert report.ok and not report.full
    rendered = set(report.rendered_paths)
    assert PAGE + "index.html" in rendered and "vechtstad/agenda.ics" in rendered
    assert rendered.isdisjoint(overviews), sorted(rendered & set(overviews))

    edit(content_copy / ACT, "themas: [ontmoeting, eenzaamheid]",
         "themas: [ontmoeting, eenzaamheid, bewegen]")
    report = builder.rebuild()
    assert {"vechtstad/themas/index.html", "vechtstad/zoeken/index.html"} <= set(report.rendered_paths)

    feed = out / "vechtstad" / "agenda.ics"
    assert b"T100000" in feed.read_bytes() and b"T093000" not in feed.read_bytes()
    edit(content_copy / ACT, 'van: "10:00"', 'van: "09:30"')
    report = builder.rebuild()
    assert report.ok and not report.full
    assert b"T093000" in feed.read_bytes()
    assert b"T093000" in (out / "vechtstad" / "activiteiten" / "koffie-inloop.ics").read_bytes()

    full = tmp_path / "volledig"
    assert build(BuildOptions(content=content_copy, out=full, today=TODAY, now=NOW,
                              gemeenten=["vechtstad"], search=False)).ok
    assert_same_site(out, full)


def test_load_memory_reads_a_file_again_only_when_its_stat_changed(tmp_path, monkeypatch):
    from sociale_kaart.pipeline import load as incremental
    from sociale_kaart.pipeline.load import SourceFile

    path = tmp_path / "a.yaml"
    path.write_text("titel: een\n", "utf-8")
    source = SourceFile(path, "a.yaml", "activiteit", "a", "x")
    reads: list[Path] = []
    real = incremental.file_digest
    monkeypatch.setattr(incremental, "file_digest", lambda p: reads.append(p) or real(p))
    cache = LoadMemory()
    first = cache.digest(source)
    # a file changed in the last seconds is always read (its stat may not show a second edit)
    assert cache.digest(source) == first and len(reads) == 2
    monkeypatch.setattr(incremental, "RACY_NS", -1)  # as if the edit was long ago
    assert cache.digest(source) == first and len(reads) == 2
    path.write_text("titel: twee\n", "utf-8")  # same size, new content: the stat differs
    assert cache.digest(source) not in (None, first) and len(reads) == 3
    path.unlink()
    assert cache.digest(source) is None
