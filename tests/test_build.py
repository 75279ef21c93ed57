"""The built site: every entry has its page, links resolve, HTML and JSON-LD are valid,
the booklet is complete, and a failed build leaves the previous output untouched."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest

from sociale_kaart.cli import main
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.write import MARKER

from .conftest import FIXTURE, NOW, TODAY


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.h1 = 0
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) is not None and tag != "form":
                self.links.append(a[key])
        if tag == "h1":
            self.h1 += 1
        if tag == "script":
            self._script, self._buf = a, []

    def handle_data(self, data):
        if self._script is not None:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buf)))
            self._script = None


def parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text("utf-8"))
    return p


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def kaart():
    k, diags = check(load_content(FIXTURE), TODAY)
    assert k is not None
    return k


def test_every_entry_has_its_page(built_site: Path) -> None:
    k = kaart()
    for g in k.gemeenten:
        assert (built_site / g / "index.html").is_file()
        for sub in ("activiteiten", "plekken", "organisaties", "themas", "doelgroepen", "agenda",
                    "boekje", "lijstje", "zoeken", "praktijken"):
            assert (built_site / g / sub / "index.html").is_file(), (g, sub)
        for slug in k.activiteiten.get(g, {}):
            assert (built_site / g / "activiteiten" / slug / "index.html").is_file()
        for slug in k.plekken.get(g, {}):
            assert (built_site / g / "plekken" / slug / "index.html").is_file()
        for o in k.organisaties_per_gemeente[g]:
            assert (built_site / g / "organisaties" / o.slug / "index.html").is_file()
        for pr in k.praktijken_per_gemeente[g]:
            assert (built_site / g / "praktijken" / pr.slug / "index.html").is_file()
    for slug in k.praktijken:
        assert (built_site / "kennisbank" / slug / "index.html").is_file()
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "kennisbank/index.html"):
        assert (built_site / name).is_file(), name


def test_internal_links_resolve_and_are_relative(built_site: Path) -> None:
    broken = []
    for page in html_files(built_site):
        parsed = parse(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "tel"):
                continue
            assert not parts.scheme, f"{page}: unexpected scheme in {link}"
            if not parts.path:  # same-page anchor
                if parts.fragment and parts.fragment not in parsed.ids:
                    broken.append((page, link))
                continue
            if page.name == "404.html":  # shown at any depth: its links start at the root
                assert link.startswith("/"), f"{page}: relative link {link} on a 404 page"
                target = (built_site / unquote(parts.path).lstrip("/")).resolve()
            else:
                assert not link.startswith("/"), f"{page}: absolute link {link} breaks standalone folders"
                target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file() and not (target / "index.html").is_file():
                broken.append((page.relative_to(built_site), link))
    assert not broken, broken[:20]


def test_html_parses_strictly_with_one_h1(built_site: Path) -> None:
    parser = html5lib.HTMLParser(strict=True)
    for page in html_files(built_site):
        text = page.read_text("utf-8")
        try:
            parser.parse(text)
        except html5lib.html5parser.ParseError as exc:  # pragma: no cover - shows the failure
            pytest.fail(f"{page.relative_to(built_site)}: {exc}")
        assert parse(page).h1 == 1, page
        assert re.search(r'<html lang="nl"[ >]', text)  # printed pages add data-voet
        assert 'href="#inhoud"' in text and 'id="inhoud"' in text


def _jsonld(page: Path) -> list[dict]:
    return [json.loads(body) for attrs, body in parse(page).scripts
            if attrs.get("type") == "application/ld+json"]


def test_jsonld_parses_with_required_fields(built_site: Path) -> None:
    k = kaart()
    for g in k.gemeenten:
        for slug in k.activiteiten.get(g, {}):
            (data,) = _jsonld(built_site / g / "activiteiten" / slug / "index.html")
            assert data["@type"] == "Event"
            for key in ("@context", "name", "location", "eventStatus"):
                assert key in data, (slug, key)
            # A date only from the schedule: never invented for an activity without one (issue 22).
            if not k.activiteiten[g][slug].wanneer:
                assert "startDate" not in data and "eventSchedule" not in data, slug
        for slug in k.plekken.get(g, {}):
            (data,) = _jsonld(built_site / g / "plekken" / slug / "index.html")
            assert data["@type"] == "Place" and data["name"]
        for o in k.organisaties_per_gemeente[g]:
            (data,) = _jsonld(built_site / g / "organisaties" / o.slug / "index.html")
            assert data["@type"] == "Organization" and data["name"] == o.naam
    koffie = _jsonld(built_site / "vechtstad/activiteiten/koffie-inloop/index.html")[0]
    assert koffie["eventSchedule"][0]["byDay"] == "https://schema.org/Tuesday"
    assert koffie["eventSchedule"][0]["startTime"] == "10:00"
    assert koffie["isAccessibleForFree"] is True
    assert koffie["url"] == "https://sociale-kaart.example.nl/vechtstad/activiteiten/koffie-inloop/"


def test_booklet_contains_every_active_activity_once(built_site: Path) -> None:
    k = kaart()
    for g in k.gemeenten:
        text = (built_site / g / "boekje" / "index.html").read_text("utf-8")
        found = re.findall(r'class="boekje-item" data-activiteit="([a-z0-9-]+)"', text)
        active = sorted(a.slug for a in k.activiteiten.get(g, {}).values() if a.status == "actief")
        assert sorted(found) == active
    ouderen = (built_site / "vechtstad/boekje/ouderen/index.html").read_text("utf-8")
    found = set(re.findall(r'class="boekje-item" data-activiteit="([a-z0-9-]+)"', ouderen))
    assert found == {"koffie-inloop", "wandelgroep", "digicafe"}  # koersbal (gestopt) is left out
    assert "Inhoud" in ouderen and "Ouderen (55+)" in ouderen


def test_activity_page_content(built_site: Path) -> None:
    text = (built_site / "vechtstad/activiteiten/koffie-inloop/index.html").read_text("utf-8")
    assert "Elke dinsdag, 10.00–11.30 uur" in text
    assert "Gratis" in text and "badge-gratis" in text
    assert "Geschikt voor Welzijn op Recept" in text
    assert "Uit: Folder Welzijn Vechtstad 2026." in text
    assert "Nagevraagd bij Welzijn Vechtstad op 1 oktober 2026." in text
    assert "Een coach kan de eerste keer met u meegaan." in text
    assert "openstreetmap.org" in text
    assert 'href="../koffie-inloop.ics"' in text  # "Zet in mijn agenda"
    digicafe = (built_site / "vechtstad/activiteiten/digicafe/index.html").read_text("utf-8")
    assert "Dagen en tijden:</strong> vraag het na bij Bibliotheek Vechtstad" in digicafe
    assert "0523 777 888" in digicafe


def test_stopped_activity_is_marked_and_not_listed(built_site: Path) -> None:
    page = (built_site / "vechtstad/activiteiten/koersbal/index.html").read_text("utf-8")
    assert "Deze activiteit is gestopt." in page
    assert "data-pagefind-body" not in page
    listing = (built_site / "vechtstad/activiteiten/index.html").read_text("utf-8")
    assert "Koersbal" not in listing


def test_markdown_is_safe(content_copy: Path, tmp_path: Path) -> None:
    f = content_copy / "activiteiten/vechtstad/koffie-inloop.yaml"
    text = f.read_text("utf-8").replace(
        "Er is altijd een vrijwilliger die u welkom heet.",
        "Er is altijd een vrijwilliger. <script>alert(1)</script> [klik](javascript:alert(1)) "
        "<img src=x onerror=alert(1)>")
    f.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False))
    assert result.ok
    page = (out / "vechtstad/activiteiten/koffie-inloop/index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page.lower()  # the unsafe link stays plain text
    assert "<img" not in page


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_failed_build_leaves_previous_output_intact(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW)).ok
    before = _snapshot(out)
    (content_copy / "activiteiten/vechtstad/koffie-inloop.yaml").write_text(
        "titel: Kapot\nsamenvatting: [niet gesloten\n", "utf-8")
    code = main(["build", "--content", str(content_copy), "--out", str(out), "--quiet",
                 "--vandaag", "2026-11-22"])
    assert code == 1
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_build_one_gemeente_replaces_only_that_folder(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    heuvel_before = _snapshot(out / "heuveldorp")
    f = content_copy / "activiteiten/vechtstad/taalcafe.yaml"
    f.write_text(f.read_text("utf-8").replace("titel: Taalcafé", "titel: Taalcafé Centrum"), "utf-8")
    result = build(BuildOptions(content=content_copy, out=out, gemeenten=["vechtstad"],
                                today=TODAY, now=NOW, search=False))
    assert result.ok and result.gemeenten == 1
    assert "Taalcafé Centrum" in (out / "vechtstad/activiteiten/taalcafe/index.html").read_text("utf-8")
    assert _snapshot(out / "heuveldorp") == heuvel_before
    assert (out / "index.html").is_file()
    # the replaced gemeente folder is deleted next to the output, never inside it
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MARKER]
    _wait_until_gone(tmp_path, ".public.")


def _wait_until_gone(folder: Path, prefix: str, limit: float = 60.0) -> None:
    """Wait for the background clean-up (write.remove_later) to delete the replaced output."""
    import time
    deadline = time.monotonic() + limit
    while [p for p in folder.iterdir() if p.name.startswith(prefix)]:
        assert time.monotonic() < deadline, f"still there: {list(folder.iterdir())}"
        time.sleep(0.05)


def test_rebuild_swaps_in_the_new_site_and_deletes_the_old_one(content_copy: Path,
                                                               tmp_path: Path) -> None:
    """The old output is renamed away and deleted by a background process; a folder left
    over by an interrupted clean-up goes with the next build; nothing is left behind."""
    from sociale_kaart.site.write import Staging

    out = tmp_path / "public"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    leftover = tmp_path / ".public.oud-12345678"
    (leftover / "vechtstad").mkdir(parents=True)
    (leftover / "vechtstad" / "index.html").write_text("oud", "utf-8")
    (out / "vechtstad" / "weg.html").write_text("verdwijnt", "utf-8")
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    assert not (out / "vechtstad" / "weg.html").exists()
    assert (out / "vechtstad" / "index.html").is_file()
    _wait_until_gone(tmp_path, ".public.")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # without the background process, the old output is gone when commit returns
    staging = Staging(out, background=False)
    staging.write("index.html", b"nieuw")
    staging.commit()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]


def test_cli_build_prints_summary(content_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "public"
    code = main(["build", "--content", str(content_copy), "--out", str(out), "--zonder-zoeken",
                 "--vandaag", "2026-11-22"])
    assert code == 0
    err = capsys.readouterr().err
    assert re.search(r"Klaar: \d+ bestanden, 2 gemeenten in \d+,\d s", err)


def test_sitemap_robots_and_canonical(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://sociale-kaart.example.nl/vechtstad/activiteiten/koffie-inloop/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://sociale-kaart.example.nl/sitemap.xml" in (built_site / "robots.txt").read_text()
    page = (built_site / "vechtstad/plekken/buurthuis-de-brug/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://sociale-kaart.example.nl/vechtstad/plekken/buurthuis-de-brug/">' in page
    assert 'property="og:title"' in page


def test_each_gemeente_folder_is_self_contained(built_site: Path) -> None:
    """Apart from links to the province pages, a gemeente folder needs nothing outside itself:
    no asset, page or search index of the province or of another gemeente."""
    province = {built_site.resolve(), (built_site / "rapport").resolve(),
                (built_site / "kennisbank").resolve()}
    for page in html_files(built_site / "vechtstad"):
        if page.name == "404.html":  # shown at any depth, so its links start at the site's root
            continue
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or not parts.path:
                continue
            target = (page.parent / parts.path).resolve()
            inside = target.is_relative_to((built_site / "vechtstad").resolve())
            assert inside or target in province, (page, link)


def use_theme(content: Path, name: str, template: str, text: str) -> None:
    """A site theme ``name`` (next to the content) with one template, chosen in site.yaml."""
    theme = content.parent / "themes" / name / "templates"
    theme.mkdir(parents=True)
    (theme / template).write_text(text, "utf-8")
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8") + f"thema: {name}\n", "utf-8")


def test_site_theme_overrides_default_templates(content_copy: Path, tmp_path: Path) -> None:
    """A theme named in site.yaml replaces templates of the default theme, the rest stays."""
    use_theme(content_copy, "gemeentehuis", "404.html",
              '{% extends "base.html" %}{% block content %}<h1>Eigen 404 van de gemeente</h1>'
              "{% endblock %}")
    out = tmp_path / "out"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    assert "Eigen 404 van de gemeente" in (out / "404.html").read_text("utf-8")
    assert "Koffie-inloop in De Brug" in (out / "vechtstad/activiteiten/koffie-inloop/index.html").read_text("utf-8")


def test_template_error_in_a_site_theme_is_reported_not_a_crash(content_copy: Path,
                                                                  tmp_path: Path, capsys) -> None:
    """An error in a theme's template (made in a render worker process) reaches the maintainer
    as a Dutch message with the template and line; the previous site stays as it was."""
    out = tmp_path / "out"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    before = _snapshot(out)
    use_theme(content_copy, "kapot", "plek.html",
              '{% extends "base.html" %}\n{% block content %}\n<h1>{{ p.naam }}</h1>\n'
              "{{ p.niet_bestaand.veld }}\n{% endblock %}\n")
    result = build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False))
    assert not result.ok
    error = result.diagnostics[-1]
    assert error.code == "sjabloon" and error.file.endswith("kapot/templates/plek.html")
    assert error.line == 4 and "niet_bestaand" in error.message
    assert _snapshot(out) == before
    code = main(["build", "--content", str(content_copy), "--out", str(out), "--quiet",
                 "--vandaag", "2026-11-22"])
    err = capsys.readouterr()
    assert code == 1 and "fout in sjabloon" in err.out + err.err
    assert "Er ging iets mis in de generator zelf" not in err.out + err.err
    assert _snapshot(out) == before


def test_decap_admin_uses_netlifys_repository_url(content_copy: Path, tmp_path: Path,
                                                   monkeypatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("REPOSITORY_URL", "https://github.com/voorbeeld/sociale-kaart")
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    for folder in ("admin/provincie", "vechtstad/admin", "heuveldorp/admin"):
        config = (out / folder / "config.yml").read_text("utf-8")
        assert "voorbeeld/sociale-kaart" in config and "editorial_workflow" in config
        assert (out / folder / "index.html").is_file() and (out / folder / "beheer.js").is_file()
    assert (out / "admin/index.html").is_file()
    # the editor's preview uses the site's stylesheet, which that folder has
    settings = (out / "vechtstad/admin/index.html").read_text("utf-8")
    css = re.search(r'"css": "\.\./(assets/style\.[0-9a-f]+\.css)"', settings)
    assert css and (out / "vechtstad" / css.group(1)).is_file()
    monkeypatch.delenv("REPOSITORY_URL")
    out2 = tmp_path / "out2"
    assert build(BuildOptions(content=content_copy, out=out2, today=TODAY, now=NOW, search=False)).ok
    assert not (out2 / "admin").exists()  # no repository known: no broken admin page
    assert not (out2 / "vechtstad" / "admin").exists()


def test_no_calendar_link_when_no_calendar_file(content_copy: Path, tmp_path: Path) -> None:
    """An active activity whose only rule ended before it could take place gets no .ics file,
    so its page must not offer "Zet in mijn agenda" (a dead link)."""
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    path = content_copy / "activiteiten" / "vechtstad" / "taalcafe.yaml"
    text = path.read_text("utf-8").replace(
        '    tot: "21:00"\n', '    tot: "21:00"\n    geldig_tot: 2026-09-01\n', 1)
    path.write_text(text, "utf-8")
    out = tmp_path / "public"
    result = build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW,
                                search=False))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    assert not (out / "vechtstad" / "activiteiten" / "taalcafe.ics").exists()
    page = (out / "vechtstad" / "activiteiten" / "taalcafe" / "index.html").read_text("utf-8")
    assert "Zet in mijn agenda" not in page and "taalcafe.ics" not in page
    other = (out / "vechtstad" / "activiteiten" / "koffie-inloop" / "index.html").read_text("utf-8")
    assert "Zet in mijn agenda" in other


@pytest.mark.parametrize("death", ["exit", "sigkill"])
def test_a_render_worker_that_dies_fails_the_build_instead_of_hanging(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, death: str
) -> None:
    """A worker killed by the kernel (out of memory) or exiting without a result: the build
    stops with a Dutch message and exit code 1, and the previous output stays as it was."""
    import os
    import signal
    import threading

    import sociale_kaart.site.build as build_module

    out = tmp_path / "public"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False)).ok
    before = _snapshot(out)
    parent = os.getpid()
    real = build_module.render_section

    def dying(work, g):
        if g == "vechtstad" and os.getpid() != parent:  # only ever in a forked worker
            if death == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(work, g)

    monkeypatch.setattr(build_module, "render_section", dying)
    monkeypatch.setattr(build_module, "_workers", lambda sections: 2)  # also on one core
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(main(
        ["build", "--content", str(content_copy), "--out", str(out), "--zonder-zoeken",
         "--zonder-cache", "--vandaag", "2026-11-22"])), daemon=True)
    runner.start()
    runner.join(120)  # not a time limit on the build: without one a hang would stop the suite
    assert codes == [1], "the build waited for a dead worker" if not codes else codes
    err = capsys.readouterr().err
    assert "een werkproces dat pagina's maakte, stopte onverwacht" in err
    assert "Traceback" not in err and "Er ging iets mis in de generator zelf" not in err
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_load_worker_that_dies_fails_check_instead_of_hanging(
        content_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Big kaarten are parsed by forked load workers (content.load_files): one that dies
    makes `check` report it in Dutch with exit code 1, never wait for it."""
    import os
    import threading

    import sociale_kaart.pipeline.load as content_module

    parent = os.getpid()
    real = content_module._load_chunk

    def dying(chunk):
        if os.getpid() != parent:  # only ever in a forked worker
            os._exit(3)
        return real(chunk)

    monkeypatch.setattr(content_module, "_load_chunk", dying)
    monkeypatch.setattr(content_module, "load_workers", lambda files: 2)  # also for few files
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(main(
        ["check", str(content_copy), "--zonder-cache", "--vandaag", "2026-11-22"])), daemon=True)
    runner.start()
    runner.join(120)  # not a time limit on check: without one a hang would stop the suite
    assert codes == [1], "check waited for a dead worker" if not codes else codes
    out, err = capsys.readouterr()
    assert "een werkproces dat bestanden las, stopte onverwacht" in out + err
    assert "Traceback" not in out + err and "Er ging iets mis in de generator zelf" not in out + err
