"""Stage 4: render. Turn the resolved ``Kaart`` into HTML, iCal and XML pages.

``gemeente_pages`` and ``province_pages`` list what to render (pure functions returning
``Page`` objects); ``Renderer`` turns a page into bytes with Jinja2. Every link is relative, so a
gemeente folder works on its own domain as well as inside the province site.
"""

from __future__ import annotations

import posixpath
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.nl.schedule_text import describe, describe_exceptions
from sociale_kaart.site.pages import ROOT_LINKS, Page, RenderError
from sociale_kaart.site.theme import Assets, RecordingEnvironment, UnsafeTemplate

# --------------------------------------------------------------------------- filters


# --------------------------------------------------------------------------- environment


# --------------------------------------------------------------------------- assets


# --------------------------------------------------------------------------- page lists


# --------------------------------------------------------------------------- rendering


def relative_url(from_page: str, target: str) -> str:
    """Relative link from the page at ``from_page`` to ``target`` (both relative to the root).

    A target ending in '/' is a folder (served as its index.html).
    """
    # Plain root-relative paths (all of ours): count the folders up from the page's folder to
    # the first folder it shares with the target, then go down.
    is_dir = target.endswith("/") or target == ""
    clean = target.rstrip("/")
    src = from_page.split("/")
    src.pop()  # the page's own file name
    dst = clean.split("/") if clean else []
    if "" in src or "" in dst or "." in src or "." in dst or ".." in src or ".." in dst:
        return _relative_url_general(from_page, target)
    common = 0
    for a, b in zip(src, dst, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(src) - common) + dst[common:]) or "."
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


def _relative_url_general(from_page: str, target: str) -> str:
    from_dir = posixpath.dirname(from_page) or "."
    is_dir = target.endswith("/") or target == ""
    rel = posixpath.relpath(target.rstrip("/") or ".", from_dir)
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


class Renderer:
    def __init__(self, kaart: Kaart, env: RecordingEnvironment, assets: Assets,
                 noindex: bool = False, root_path: str = "/") -> None:
        self.kaart = kaart
        self.env = env
        self.assets = assets
        self.noindex = noindex  # a deploy preview: no page is for search engines (deploy.py)
        self.root_path = root_path  # the site root's path on its host, for ROOT_LINKS pages
        # Template output that many pages of a gemeente share (see ``reuse``).
        self._reused: dict[tuple, Markup] = {}
        self._reused_for: str | None = None

    def render_page(self, page: Page) -> bytes:
        """``render``, with an error turned into ``RenderError`` (a Dutch diagnostic that names
        the template and line). Unlike the exception, the diagnostic survives being sent from a
        render worker process to the parent."""
        try:
            return self.render(page)
        except Exception as exc:
            raise RenderError(template_error(exc, page)) from exc

    def render(self, page: Page) -> bytes:
        if page.make is not None:
            return page.make()
        if page.body is not None:
            return page.body
        assert page.template is not None
        if page.gemeente != self._reused_for:  # a worker renders one gemeente after another
            self._reused.clear()
            self._reused_for = page.gemeente
        template = self.env.get_template(page.template)
        return template.render(self.context(page)).encode("utf-8")

    def reuse(self, key: tuple, macro: Callable[..., Markup], *args: Any) -> Markup:
        """``macro(*args)``, made once per ``key`` and then repeated (templates: ``reuse``).

        For a piece of HTML that many pages show identically, such as an activity's card on
        every list it is on. ``key`` must identify the output completely given the kaart, which
        does not change while a Renderer lives (``serve`` makes a new one for every rebuild).
        """
        hit = self._reused.get(key)
        if hit is None:
            hit = self._reused[key] = macro(*args)
        return hit

    def context(self, page: Page) -> dict[str, Any]:
        kaart = self.kaart
        g = page.gemeente
        prefix = f"{g}/" if g else ""

        root_links = bool(page.context.get(ROOT_LINKS))

        def url(target: str) -> str:
            if root_links:
                return self.root_path + target
            return relative_url(page.path, target)

        def g_url(target: str = "") -> str:
            return url(prefix + target)

        def asset(name: str) -> str:
            return url(f"{prefix}assets/{self.assets.files[name][0]}")

        parts = page.path.split("/")
        # What the header and footer depend on (base.html): the links are relative and mark
        # the current section, so they differ by gemeente, folder depth and section.
        nav_key = (g, len(parts), parts[0], parts[1] if len(parts) > 2 else "", root_links)
        canonical = None
        if kaart.site.basis_url and not root_links:
            clean = page.path[:-len("index.html")] if page.path.endswith("index.html") else page.path
            canonical = f"{kaart.site.basis_url.rstrip('/')}/{clean}"
        return {
            **page.context,
            "site": kaart.site, "today": kaart.today,
            "page_path": page.path, "url": url, "g_url": g_url, "asset": asset,
            "canonical": canonical, "nav_key": nav_key,
            "noindex": self.noindex or bool(page.context.get("noindex")),
            # The vocabularies are the same on every page (a change to one rebuilds the site).
            "label": kaart.label, "terms": kaart.terms,
            "jsonld_script": _jsonld_script, "reuse": self.reuse,
            "describe": lambda s: describe(s, kaart.today),
            "describe_exceptions": lambda s: describe_exceptions(s, kaart.today),
        }


def _jsonld_script(data: dict | None) -> Markup:
    """JSON-LD in a script element. Inside it the HTML parser still looks for ``</script``,
    ``<!--`` and ``<script``: a title such as ``<!--<script>`` would swallow the rest of the
    page. So every ``<``, ``>``, ``&`` and ``'`` is written as a JSON unicode escape, exactly
    as Jinja's ``tojson`` filter does for every other JSON in our HTML (plek.html)."""
    if not data:
        return Markup("")
    text = htmlsafe_json_dumps(data, ensure_ascii=False, indent=None, default=str)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def template_error(exc: BaseException, page: Page | None = None) -> Diagnostic:
    """A Dutch diagnostic for an error while rendering, pointing at the template line if known."""
    from sociale_kaart.pipeline.load import display_path

    if isinstance(exc, UnsafeTemplate):
        return exc.diagnostic
    if isinstance(exc, RenderError):
        return exc.diagnostic
    file, line = "", 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = exc.filename or exc.name or "", exc.lineno or 0
        detail = exc.message or str(exc)
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
                file, line = frame.filename, frame.lineno or 0
        if isinstance(exc, jinja2.TemplateNotFound):
            detail = f"sjabloon '{exc.name}' bestaat niet"
        else:
            detail = f"{type(exc).__name__}: {exc}"
    where = f" bij het maken van {page.path}" if page is not None else ""
    shown = display_path(Path(file)) if file else (page.template or "" if page else "")
    return Diagnostic(shown, line, 0, "", f"fout in sjabloon{where} (technische melding: {detail})",
                      "fout", "sjabloon")
