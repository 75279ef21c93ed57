"""Publishing: base URL from site.yaml, --base-url or Netlify's environment; the sitemap
(valid against the official sitemaps.org XSD), previews marked noindex, and 404 pages that
work at any depth."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree

from sociale_kaart.cli import main
from sociale_kaart.model.entries import Site
from sociale_kaart.outputs.sitemap import SITEMAP_URLS, sitemaps
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.deploy import deploy_settings

from .browser import open_page, serve_directory
from .conftest import NOW, TODAY

XSD = Path(__file__).parent / "xsd"
FIXTURE_BASE = "https://sociale-kaart.example.nl"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def assert_valid(data: bytes, xsd: str) -> etree._Element:
    doc = etree.fromstring(data)
    validator = schema(xsd)
    assert validator.validate(doc), validator.error_log
    return doc


def locs(doc: etree._Element) -> list[str]:
    return [e.text or "" for e in doc.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def without_base_url(content: Path) -> None:
    site = content / "site.yaml"
    site.write_text(re.sub(r"(?m)^basis_url:.*\n", "", site.read_text("utf-8")), "utf-8")


# --------------------------------------------------------------------------- base URL


@pytest.mark.parametrize(("site_url", "option", "environ", "expected"), [
    (None, None, {}, (None, "", False)),
    ("https://kaart.nl", None, {}, ("https://kaart.nl", "site.yaml", False)),
    ("https://kaart.nl", "https://ander.nl/", {}, ("https://ander.nl", "--base-url", False)),
    (None, None, {"NETLIFY": "true", "CONTEXT": "production", "URL": "https://prod.nl",
                  "DEPLOY_PRIME_URL": "https://main--x.netlify.app"},
     ("https://prod.nl", "URL", False)),
    (None, None, {"NETLIFY": "true", "CONTEXT": "deploy-preview", "URL": "https://prod.nl",
                  "DEPLOY_PRIME_URL": "https://deploy-preview-7--x.netlify.app"},
     ("https://deploy-preview-7--x.netlify.app", "DEPLOY_PRIME_URL", True)),
    (None, None, {"NETLIFY": "true", "CONTEXT": "branch-deploy",
                  "DEPLOY_PRIME_URL": "https://proef--x.netlify.app"},
     ("https://proef--x.netlify.app", "DEPLOY_PRIME_URL", True)),
    # site.yaml wins, but a preview stays a preview
    ("https://kaart.nl", None, {"NETLIFY": "true", "CONTEXT": "deploy-preview",
                                "DEPLOY_PRIME_URL": "https://deploy-preview-7--x.netlify.app"},
     ("https://kaart.nl", "site.yaml", True)),
    # not on Netlify: its variables mean nothing; no URL without a scheme and a host
    (None, None, {"URL": "https://prod.nl", "CONTEXT": "production"}, (None, "", False)),
    (None, None, {"NETLIFY": "true", "CONTEXT": "production", "URL": "prod.nl"}, (None, "", False)),
])
def test_base_url_comes_from_one_place(site_url, option, environ, expected) -> None:
    site = Site(naam="Kaart", basis_url=site_url)
    d = deploy_settings(site, option, environ)
    assert (d.base_url, d.source, d.preview) == expected


def test_root_path_of_a_base_url_with_a_path() -> None:
    site = Site(naam="Kaart", basis_url="https://provincie.nl/sociale-kaart/")
    assert deploy_settings(site, None, {}).root_path == "/sociale-kaart/"
    assert deploy_settings(Site(naam="Kaart"), None, {}).root_path == "/"


# --------------------------------------------------------------------------- sitemap


def test_sitemap_is_valid_against_the_official_xsd(built_site: Path) -> None:
    doc = assert_valid((built_site / "sitemap.xml").read_bytes(), "sitemap.xsd")
    urls = locs(doc)
    assert f"{FIXTURE_BASE}/" in urls and f"{FIXTURE_BASE}/vechtstad/" in urls
    assert f"{FIXTURE_BASE}/vechtstad/activiteiten/koffie-inloop/" in urls
    assert all(u.startswith(FIXTURE_BASE + "/") for u in urls)
    for path in (urlsplit(u).path for u in urls):
        assert not path.startswith(("/admin/", "/rapport/")), path
        assert "/lijstje/" not in path and not path.endswith("404.html"), path
    # every listed page exists
    for u in urls:
        page = built_site / urlsplit(u).path.lstrip("/")
        assert (page / "index.html" if u.endswith("/") else page).is_file(), u
    robots = (built_site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {FIXTURE_BASE}/sitemap.xml" in robots


def test_admin_is_never_in_the_sitemap(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {"REPOSITORY_URL": "https://github.com/voorbeeld/sociale-kaart"}
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW, search=False,
                              environ=env)).ok
    assert (out / "admin/index.html").is_file()
    assert (out / "vechtstad/admin/index.html").is_file()  # each gemeente's editor
    assert "/admin/" not in (out / "sitemap.xml").read_text("utf-8")


def test_a_big_site_gets_a_sitemap_index(fixture_content: Path) -> None:
    """The protocol allows 50,000 URLs per file: more pages get an index of several files."""
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check

    kaart, _ = check(load_content(fixture_content), TODAY)
    assert kaart is not None
    pages = [f"g{i // 1000}/activiteiten/a{i}/index.html" for i in range(2 * SITEMAP_URLS + 5)]
    files = dict(sitemaps(kaart, pages))
    assert sorted(files) == ["sitemap.xml", "sitemaps/1.xml", "sitemaps/2.xml", "sitemaps/3.xml"]
    index = assert_valid(files["sitemap.xml"], "siteindex.xsd")
    assert locs(index) == [f"{FIXTURE_BASE}/sitemaps/{n}.xml" for n in (1, 2, 3)]
    counts = [len(locs(assert_valid(files[f"sitemaps/{n}.xml"], "sitemap.xsd"))) for n in (1, 2, 3)]
    assert counts == [SITEMAP_URLS, SITEMAP_URLS, 5]


def test_without_a_base_url_no_sitemap_and_one_dutch_line(
        content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NETLIFY", "URL", "DEPLOY_PRIME_URL", "CONTEXT"):
        monkeypatch.delenv(name, raising=False)
    without_base_url(content_copy)
    out = tmp_path / "out"
    code = main(["build", "--content", str(content_copy), "--out", str(out), "--zonder-zoeken",
                 "--vandaag", "2026-11-22"])
    err = capsys.readouterr().err
    assert code == 0
    assert not (out / "sitemap.xml").exists()
    lines = [line for line in err.splitlines() if "sitemap" in line.lower()]
    assert lines == ["Geen sitemap.xml gemaakt: het adres van de site is onbekend. Zet 'basis_url' "
                     "in content/site.yaml of bouw met --base-url (op Netlify gaat dit vanzelf)."]
    assert "Sitemap:" not in (out / "robots.txt").read_text("utf-8")
    home = (out / "index.html").read_text("utf-8")
    assert 'rel="canonical"' not in home and "sitemap.xml" not in home


def test_netlify_production_and_preview(content_copy: Path, tmp_path: Path) -> None:
    without_base_url(content_copy)
    prod = tmp_path / "prod"
    env = {"NETLIFY": "true", "CONTEXT": "production", "URL": "https://kaart.example.org",
           "DEPLOY_PRIME_URL": "https://main--kaart.netlify.app"}
    assert build(BuildOptions(content=content_copy, out=prod, today=TODAY, now=NOW, search=False,
                              environ=env)).ok
    doc = assert_valid((prod / "sitemap.xml").read_bytes(), "sitemap.xsd")
    assert "https://kaart.example.org/vechtstad/" in locs(doc)
    page = (prod / "vechtstad/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://kaart.example.org/vechtstad/">' in page
    assert 'name="robots"' not in page

    preview = tmp_path / "preview"
    env = {**env, "CONTEXT": "deploy-preview",
           "DEPLOY_PRIME_URL": "https://deploy-preview-12--kaart.netlify.app"}
    assert build(BuildOptions(content=content_copy, out=preview, today=TODAY, now=NOW,
                              search=False, environ=env)).ok
    assert (preview / "robots.txt").read_text("utf-8") == "User-agent: *\nDisallow: /\n"
    pages = list(preview.rglob("*.html"))
    assert len(pages) > 20
    for html in pages:
        assert '<meta name="robots" content="noindex">' in html.read_text("utf-8"), html
    assert "https://deploy-preview-12--kaart.netlify.app/" in \
        (preview / "sitemap.xml").read_text("utf-8")


# --------------------------------------------------------------------------- 404 at any depth


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def links_and_assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"#]+)"', html)


@pytest.mark.parametrize(("missing", "expected_home"), [
    ("/vechtstad/activiteiten/bestaat-niet/", "/vechtstad/"),
    ("/vechtstad/a/b/c/d/e/", "/vechtstad/"),
    ("/vechtstad/niet-hier.html", "/vechtstad/"),
    ("/bestaat/niet/diep/", "/"),
    ("/nergens", "/"),
])
def test_deep_404_links_and_css_resolve(built_site: Path, missing: str, expected_home: str) -> None:
    """Netlify shows the 404 page at the missing address itself, at any depth: every link,
    the stylesheet and the scripts of that page must work from there."""
    with serve_directory(built_site) as base:
        status, body = fetch(base + missing)
        assert status == 404
        html = body.decode("utf-8")
        targets = links_and_assets(html)
        assert any(t.endswith(".css") for t in targets)
        assert expected_home in targets
        if expected_home != "/":  # a gemeente's 404 offers its home and its search
            assert f'action="{expected_home}zoeken/"' in html
        for target in targets:
            if urlsplit(target).scheme:
                continue
            status, _ = fetch(urljoin(base + missing, target))
            assert status == 200, (missing, target)


@pytest.mark.browser
def test_deep_404_is_styled_and_searches_the_gemeente(built_site: Path, browser) -> None:
    with serve_directory(built_site) as base, \
            open_page(browser, base + "/vechtstad/activiteiten/bestaat-niet/", width=375) as page:
        assert page.locator("h1").inner_text() == "Deze pagina bestaat niet (meer)"
        # the theme's stylesheet applied (it moves the skip link out of view)
        assert page.evaluate("getComputedStyle(document.querySelector('.skip')).position") \
            == "absolute"
        page.fill("#zoek-404", "koffie")
        page.keyboard.press("Enter")
        page.wait_for_url("**/vechtstad/zoeken/?q=koffie")
        page.wait_for_selector("[data-zoek-resultaten] li")
        assert "koffie" in page.locator("[data-zoek-resultaten]").inner_text().lower()


def test_netlify_redirects_send_a_gemeente_to_its_own_404(built_site: Path) -> None:
    rules = (built_site / "_redirects").read_text("utf-8").splitlines()
    assert "/vechtstad/*  /vechtstad/404.html  404" in rules
    assert "/heuveldorp/*  /heuveldorp/404.html  404" in rules
