"""What the build makes: a ``Page`` (a path and how to make its bytes), and the error of a page
that cannot be made."""


from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sociale_kaart.diagnostics import Diagnostic

# Context flag of pages served at other addresses than their own: the 404 pages, which a host
# shows for any missing path at any depth. Their links start at the site's root instead of
# being relative to the page (``Renderer.root_path``: "/" unless the base URL has a path).
ROOT_LINKS = "links_from_root"


@dataclass(frozen=True)
class Page:
    path: str  # output path relative to the output root, posix, e.g. "kampen/index.html"
    template: str | None  # Jinja2 template, or None for raw ``body``
    context: dict[str, Any] = field(default_factory=dict)
    body: bytes | None = None  # pre-rendered content (iCal, XML)
    gemeente: str = ""  # the gemeente folder this page belongs to ("" = province-wide)
    # Lazy raw content, made when rendered. Its inputs go in ``context`` so that ``serve`` can
    # tell whether it changed without making it (see incremental.py).
    make: Callable[[], bytes] | None = None


class RenderError(Exception):
    """A page could not be made (mostly an error in a template): its Dutch diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic)
        self.diagnostic = diagnostic
