"""netlify.toml: build, previews, security headers, caching, 404 and the daily rebuild."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG_TEXT = (ROOT / "netlify.toml").read_text(encoding="utf-8")
CONFIG = tomllib.loads(CONFIG_TEXT)
YEAR = 31536000


def rule_regex(pattern: str) -> re.Pattern[str]:
    """Netlify path rule -> regex: ':name' is one path segment, a trailing '*' is anything."""
    out = ""
    for part in pattern.strip("/").split("/"):
        if part == "*":
            out += "(/.*)?"
        elif part.startswith(":"):
            out += "/[^/]+"
        else:
            out += "/" + re.escape(part)
    return re.compile("^" + (out or "/") + "/?$")


def headers_for(path: str) -> list[tuple[str, dict[str, str]]]:
    return [(h["for"], h["values"]) for h in CONFIG["headers"] if rule_regex(h["for"]).match(path)]


def header(path: str, name: str) -> list[str]:
    return [values[name] for _, values in headers_for(path) if name in values]


def csp_directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_rule_regex() -> None:
    assert rule_regex("/*").match("/kampen/activiteiten/x/")
    assert rule_regex("/:gemeente/zoekindex/*").match("/kampen/zoekindex/0a1b/w/0.json")
    assert not rule_regex("/:gemeente/zoekindex/*").match("/kampen/x/zoekindex/a")
    assert not rule_regex("/assets/*").match("/kampen/assets/style.css")


def test_build_installs_and_builds_into_public() -> None:
    build = CONFIG["build"]
    assert build["publish"] == "public"
    # a normal (non-editable) install, with the versions CI tested
    assert "pip install -c constraints.txt --build-constraint constraints.txt . &&" in build["command"]
    assert (ROOT / "constraints.txt").is_file()
    assert build["command"].endswith("sociale-kaart build --pdf")  # with the booklets' PDFs
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    assert build["environment"]["PYTHON_VERSION"] == minimum
    assert pyproject["project"]["scripts"]["sociale-kaart"] == "sociale_kaart.cli:main"


def test_deploy_previews_build_the_same_way_without_caches() -> None:
    """Previews build unreviewed pull requests: the same build, but no cache is read or
    written, so a preview cannot leave data behind for the next production build."""
    for context in ("deploy-preview", "branch-deploy"):
        command = CONFIG["context"][context]["command"]
        assert command == CONFIG["build"]["command"] + " --zonder-cache"


@pytest.mark.parametrize("path", ["/", "/kampen/", "/kampen/activiteiten/koffie/",
                                  "/kennisbank/", "/404.html", "/rapport/"])
def test_security_headers_on_every_page(path: str) -> None:
    csp = header(path, "Content-Security-Policy")
    assert len(csp) == 1, "exactly one policy, or browsers enforce both"
    d = csp_directives(csp[0])
    assert d["default-src"] == ["'self'"]
    assert d["script-src"] == ["'self'"]  # no inline scripts, no eval, no WebAssembly
    assert d["worker-src"] == ["'self'"]  # no workers from blobs
    assert d["connect-src"] == ["'self'"]  # the search fetches its index from the site
    assert d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]
    assert d["base-uri"] == ["'self'"]
    hsts = header(path, "Strict-Transport-Security")
    assert len(hsts) == 1 and int(re.search(r"max-age=(\d+)", hsts[0]).group(1)) >= YEAR
    assert header(path, "X-Content-Type-Options") == ["nosniff"]
    assert header(path, "Referrer-Policy") == ["strict-origin-when-cross-origin"]
    permissions = header(path, "Permissions-Policy")
    assert len(permissions) == 1 and "camera=()" in permissions[0] and "microphone=()" in permissions[0]


@pytest.mark.parametrize(("path", "rule"), [("/admin/", "/admin/*"),
                                            ("/admin/provincie/", "/admin/*"),
                                            ("/kampen/admin/", "/:gemeente/admin/*"),
                                            ("/kampen/admin/config.yml", "/:gemeente/admin/*")])
def test_admin_page_gets_a_policy_decap_can_run_under(path: str, rule: str) -> None:
    rules = [(rule, v) for rule, v in headers_for(path) if "Content-Security-Policy" in v]
    assert [r for r, _ in rules] == ["/*", rule]  # the admin rule comes last
    d = csp_directives(rules[-1][1]["Content-Security-Policy"])
    assert "https://unpkg.com" in d["script-src"]
    assert "https://api.github.com" in d["connect-src"]
    from sociale_kaart.authoring.decap import DECAP_SCRIPT

    assert DECAP_SCRIPT.startswith("https://unpkg.com/")


def test_decap_is_pinned_with_an_integrity_hash(content_copy, tmp_path) -> None:
    """An exact version (no ^ or ~ range) and Subresource Integrity on the script tag."""
    import re

    from sociale_kaart.authoring.decap import DECAP_INTEGRITY, DECAP_SCRIPT, DECAP_VERSION, admin_files
    from sociale_kaart.model.entries import Site

    assert re.fullmatch(r"\d+\.\d+\.\d+", DECAP_VERSION)
    assert f"decap-cms@{DECAP_VERSION}/" in DECAP_SCRIPT
    assert re.fullmatch(r"sha384-[A-Za-z0-9+/]{64}", DECAP_INTEGRITY)
    site = Site(naam="Kaart", repository="https://github.com/voorbeeld/kaart")
    html = admin_files(site, [])["admin/provincie/index.html"].decode()
    assert (f'<script src="{DECAP_SCRIPT}" integrity="{DECAP_INTEGRITY}" '
            'crossorigin="anonymous"></script>') in html


@pytest.mark.parametrize("path", [
    "/assets/style.3f2a1b9c.css",
    "/kampen/assets/lijstje.0a1b2c3d.js",
    "/kennisbank/zoekindex/5e1f2a0b9c8d7e6f/k/0.json",
    "/kampen/zoekindex/9a8b7c6d5e4f3a2b/w/3.json",
    "/kampen/zoekindex/9a8b7c6d5e4f3a2b/a/0.json",
    "/zoekindex/1234ab5678cd9e0f/w/0.json",
])
def test_long_cache_for_hashed_files(path: str) -> None:
    cache = header(path, "Cache-Control")
    assert len(cache) == 1, f"{path}: {cache}"
    assert "immutable" in cache[0] and f"max-age={YEAR}" in cache[0]


@pytest.mark.parametrize("path", [
    "/", "/kampen/", "/kampen/index.html", "/zoekindex.json", "/kampen/zoekindex.json",
    "/kennisbank/zoekindex.json", "/kampen/activiteiten/zoekindex/",
    "/kampen/agenda.ics", "/sitemap.xml", "/rapport/coverage.csv",
])
def test_no_long_cache_for_files_that_keep_their_name(path: str) -> None:
    for value in header(path, "Cache-Control"):
        assert "immutable" not in value and f"max-age={YEAR}" not in value


def test_no_header_is_set_twice_for_a_path() -> None:
    samples = ["/", "/kampen/", "/assets/a.1.css", "/kampen/assets/a.1.css",
               "/kampen/zoekindex/x/w/0.json", "/zoekindex/x/k/0.json", "/rapport/",
               "/rapport/a.csv"]
    for path in samples:
        seen: dict[str, str] = {}
        for rule, values in headers_for(path):
            for name in values:
                assert name.lower() not in seen, f"{path}: {name} from {seen.get(name.lower())} and {rule}"
                seen[name.lower()] = rule


def test_dutch_404_at_the_root() -> None:
    redirects = CONFIG["redirects"]
    catch_all = [r for r in redirects if r["from"] == "/*"]
    assert catch_all == [{"from": "/*", "to": "/404.html", "status": 404}]
    assert (ROOT / "sociale_kaart" / "themes" / "default" / "templates" / "404.html").is_file()


def test_daily_rebuild_is_documented() -> None:
    assert "NETLIFY_BUILD_HOOK" in CONFIG_TEXT
    assert ".github/workflows/rebuild.yml" in CONFIG_TEXT
    assert (ROOT / ".github" / "workflows" / "rebuild.yml").is_file()
