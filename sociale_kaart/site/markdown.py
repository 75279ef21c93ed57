"""Safe Markdown rendering with markdown-it-py.

Raw HTML is disabled (it is shown as text), links may only be http(s), mailto or tel, and
headings in entry bodies start at level 2 (the page title is the only h1).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(SAFE_SCHEMES)


def _demote_headings(state) -> None:
    """Shift headings so that '# X' in a body becomes h2, '## X' stays h2, '### X' h3."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(max(level, 2), 6)}"


@lru_cache(maxsize=4)
def _parser(shift_headings: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]  # markdown-it-py's documented hook
    md.disable("image")  # images need alt text and hosting: not supported in entries
    if shift_headings:
        md.core.ruler.push("demote_headings", _demote_headings)
    return md


def render_markdown(text: str | None, shift_headings: bool = True) -> Markup:
    if not text:
        return Markup("")
    return Markup(_parser(shift_headings).render(text))


def headings(text: str | None) -> list[str]:
    """Level-2 headings of a Markdown body, for a table of contents."""
    if not text:
        return []
    tokens = _parser(True).parse(text)
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and i + 1 < len(tokens):
            out.append(tokens[i + 1].content)
    return out
