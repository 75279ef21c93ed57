"""Records of a built site, for ``serve``: per section what its plan read of the kaart, and per
page its fingerprint, the templates that rendering it loaded and what making it read.

A page must be made again when its fingerprint changed (its context, its template name, or
the function and arguments that make its bytes: site/fingerprint.py), when one of the
templates it loaded changed, or when something it read of the kaart while it was made changed
(site/reads.py). A section must be planned again when something its plan read changed, or
when one of its pages must be made again. Nothing else is needed: templates see only their
context, and everything else goes through the recorder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sociale_kaart.site.fingerprint import Fingerprints, Unfingerprintable
from sociale_kaart.site.pages import Page
from sociale_kaart.site.reads import Key, Reads, RecordingKaart, affected
from sociale_kaart.site.render import Renderer


@dataclass(frozen=True)
class PageRecord:
    fingerprint: bytes | None  # None: cannot be fingerprinted, made every time
    templates: frozenset[str]  # the templates rendering it loaded
    reads: frozenset[Key]  # what making it read of the kaart (made files, such as exports)

    def stale(self, new: PageRecord, changed: set[Key], templates: set[str]) -> bool:
        """Whether the page of this (old) record must be made again as ``new`` is planned."""
        return (new.fingerprint is None or new.fingerprint != self.fingerprint
                or bool(templates & self.templates) or affected(set(self.reads), changed))


@dataclass
class SectionRecord:
    reads: Reads  # what the section's plan read
    pages: dict[str, PageRecord] = field(default_factory=dict)

    def touched(self, changed: set[Key], templates: set[str]) -> bool:
        """Whether the section must be planned again (see the module docstring)."""
        return affected(self.reads.keys, changed) or any(
            bool(templates & p.templates) or affected(set(p.reads), changed)
            for p in self.pages.values())


def page_fingerprint(page: Page, prints: Fingerprints) -> bytes | None:
    try:
        return prints.of((page.path, page.template, page.context, page.body, page.make))
    except Unfingerprintable:
        return None


def page_record(page: Page, templates: set[str], reads: Reads, prints: Fingerprints,
                fingerprint: bytes | None = None) -> PageRecord:
    return PageRecord(fingerprint if fingerprint is not None else page_fingerprint(page, prints),
                      frozenset(templates), frozenset(reads.keys))


def render_recorded(renderer: Renderer, recorder: RecordingKaart, page: Page,
                    prints: Fingerprints, fingerprint: bytes | None = None) -> tuple[bytes, PageRecord]:
    """The bytes of ``page`` and its record: the templates the render loaded (from the
    renderer's RecordingEnvironment) and what it read through ``recorder``. ``fingerprint``:
    the page's, when the caller has already computed it."""
    reads = Reads()
    env = renderer.env
    with env.recording() as templates, recorder.recording(reads):
        data = renderer.render_page(page)
    return data, page_record(page, templates, reads, prints, fingerprint)
