"""Shared helpers for browser tests: a static server, Chromium via Playwright, axe-core.

Fixtures (made available to all tests by conftest.py):

- ``site_server``: base URL ("http://127.0.0.1:PORT") of the fixture site (``built_site``),
  served by ``http.server`` in a background thread for the whole session;
- ``browser``: one headless Debian Chromium (/usr/bin/chromium) for the session.

Helpers:

- ``serve_directory(path)``: context manager yielding the base URL of a static server, which
  answers a missing path as Netlify does (``netlify_404``);
- ``launch_chromium(playwright)``: Chromium with the project's flags;
- ``open_page(browser, url, width=1280, javascript=True)``: a fresh context + page, loaded;
- ``axe_violations(page, tags=WCAG_TAGS)``: axe-core violations (empty list when clean);
- ``NetworkLog``: bytes transferred by a page, per URL, including its web workers.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def axe_script() -> str:
    """axe.min.js as shipped by the axe-playwright-python package (a test dependency)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types like any production static host does
    (Netlify, GitHub Pages, nginx), so measured transfer sizes are realistic."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript",
                      ".wasm": "application/wasm", ".json": "application/json",
                      ".ics": "text/calendar", ".yml": "text/yaml"}
    COMPRESS = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".ics")

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            missing = netlify_404(Path(self.directory), self.path)
            if missing is not None:
                body = missing.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in self.COMPRESS and path.is_file()
                and self.path.split("?")[0].endswith(("/", path.suffix))):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def netlify_404(root: Path, url_path: str) -> Path | None:
    """The page Netlify shows, with status 404, for a missing ``url_path``: the first 404 rule
    of the site's ``_redirects`` that matches (``/kampen/*  /kampen/404.html  404``), else
    the catch-all rule of netlify.toml (``/*  /404.html  404``)."""
    path = url_path.split("?", 1)[0].split("#", 1)[0]
    rules = root / "_redirects"
    lines = rules.read_text("utf-8").splitlines() if rules.is_file() else []
    for line in [*lines, "/*  /404.html  404"]:
        words = line.split()
        if len(words) != 3 or line.startswith("#") or words[2] != "404":
            continue
        source, target = words[0], words[1]
        if path == source or (source.endswith("/*") and path.startswith(source[:-1])):
            page = root / target.lstrip("/")
            if page.is_file():
                return page
    return None


@contextlib.contextmanager
def serve_directory(path: Path) -> Iterator[str]:
    """Serve ``path`` on 127.0.0.1 (a free port) in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch_chromium(playwright):  # -> playwright.sync_api.Browser
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def open_page(browser, url: str, width: int = 1280, height: int = 900,
              javascript: bool = True) -> Iterator:
    """A page in a fresh browser context (own storage), loaded at ``url``."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  java_script_enabled=javascript, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        yield page
    finally:
        context.close()


def axe_violations(page, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict]:
    """Run axe-core in the page; returns violations as {id, impact, help, targets}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags))
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@dataclass
class NetworkLog:
    """Responses a page (and its dedicated workers) received, to count transferred bytes.

    Attach before navigating: ``log = NetworkLog.attach(page)``. ``bytes(pattern)`` sums the
    transferred body sizes of responses whose URL contains ``pattern`` (gzip-compressed text
    from ``serve_directory``).
    """

    responses: list = field(default_factory=list)

    @classmethod
    def attach(cls, page) -> NetworkLog:
        log = cls()
        page.on("response", lambda response: log.responses.append(response))
        return log

    def sizes(self, pattern: str = "") -> dict[str, int]:
        """URL -> bytes of the response body as transferred (compressed when it was)."""
        out: dict[str, int] = {}
        for response in list(self.responses):
            if pattern in response.url and response.status == 200:
                # The test server always sends Content-Length (Chromium reports 0 bytes for
                # a worker's own script, so the header is the reliable number).
                length = response.headers.get("content-length")
                out[response.url] = (int(length) if length is not None
                                     else response.request.sizes()["responseBodySize"])
        return out

    def bytes(self, pattern: str = "") -> int:
        return sum(self.sizes(pattern).values())

    def clear(self) -> None:
        self.responses.clear()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Base URL of the built fixture site."""
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session.

    Outside CI a missing browser skips the browser tests; in CI (where .ci/run installs
    Debian's chromium) it is a failure, so browser tests can never be skipped unnoticed.
    """
    if os.environ.get("CI") and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium ontbreekt ({CHROMIUM}); .ci/run hoort het te installeren")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium ontbreekt ({CHROMIUM})")
    with sync_api.sync_playwright() as playwright:
        b = launch_chromium(playwright)
        try:
            yield b
        finally:
            b.close()
