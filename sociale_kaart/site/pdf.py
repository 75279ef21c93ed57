"""Print-ready PDFs of the pages made for paper (``build --pdf``), with WeasyPrint.

A page whose context names a PDF (``paper.PDF_FILE``: the booklets and the Welzijn op Recept
folder) is rendered once without its download link, WeasyPrint lays that HTML out with the
theme's print CSS and font (the same rules Chromium prints with), and the PDF is written next
to the page; then the page is rendered with the link and the PDF's size ("Download als PDF
(18 kB)"). The link is not printed, so the PDF does not depend on its own size.

* **No network, no files.** WeasyPrint reads only the theme's fingerprinted files of the
  gemeente folder (its stylesheet and fonts), from memory; every other address (an image in
  content, a web address) is refused and left out.
* **Deterministic.** The same HTML gives the same bytes (WeasyPrint writes no dates; its
  document identifier is a hash of the content), so the PDF cache (the build's cache folder,
  ``pdf/``) holds a PDF under a hash of the HTML, WeasyPrint's version and the generator's
  code: a rebuild makes only the PDFs whose HTML changed. Pages show the build date, so the
  first build of a new day makes them all again.
* **Failures** are a Dutch ``RenderError`` naming the page: the build stops and publishes
  nothing (write.py), as for a template error. Without WeasyPrint or its system libraries
  ``build --pdf`` stops before it starts (``unavailable``).

``serve`` makes no PDFs: its pages have no download link.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import posixpath
from collections.abc import Mapping
from typing import Any

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.nl.words import file_size
from sociale_kaart.pipeline.cache import FolderCache, code_version
from sociale_kaart.site.pages import Page, RenderError
from sociale_kaart.site.paper import PDF_FILE
from sociale_kaart.site.theme import Assets

PDF_CACHE = "pdf"  # the folder of PDFs in the cache folder
_BASE = "file:///sociale-kaart/"  # where WeasyPrint believes the pages are (nothing is read there)
_TYPES = {"css": "text/css", "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf",
          "otf": "font/otf", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg"}
_CACHED_NAME = "pagina.pdf"

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def unavailable() -> str | None:
    """Why this machine cannot make PDFs (Dutch), or None when it can. WeasyPrint loads its
    system libraries when imported; when one is missing it prints English advice to standard
    output and raises: the advice is swallowed, the reason goes into the Dutch message."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except ImportError:
        return ("Voor --pdf is het Python-pakket WeasyPrint nodig. Installeer het met "
                "pip install -c constraints.txt weasyprint, of bouw zonder --pdf.")
    except Exception as exc:  # its system libraries (Pango) are missing or unusable: OSError
        return ("Voor --pdf heeft WeasyPrint de systeembibliotheek Pango nodig, maar die kon "
                f"niet geladen worden ({type(exc).__name__}: {exc}). Installeer op Debian of "
                f"Ubuntu: apt-get install {DEBIAN_PACKAGES}. Of bouw zonder --pdf.")
    return None


def _valid(files: Mapping[str, bytes]) -> bool:
    data = files.get(_CACHED_NAME, b"")
    return set(files) == {_CACHED_NAME} and data.startswith(b"%PDF-") and b"%%EOF" in data[-32:]


class PdfMaker:
    """Makes the PDF of a rendered page (``make``); ``with_pdf`` does the whole step for a
    page of the plan. ``cache``: PDFs of earlier builds (None: make every PDF)."""

    def __init__(self, assets: Assets, cache: FolderCache | None = None) -> None:
        import weasyprint

        self.version = weasyprint.__version__
        self.code = code_version()
        self.assets = {hashed: data for hashed, data in assets.files.values()}
        self.cache = cache
        self.made = 0  # PDFs made by WeasyPrint in this process ...
        self.reused = 0  # ... and taken from the cache
        # WeasyPrint's warnings (CSS it does not know, such as what only browsers read) are
        # not for maintainers; errors raise.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)

    def key(self, html: bytes, path: str) -> str:
        digest = hashlib.sha256()
        for part in (self.version.encode(), self.code.encode(), path.encode(), html):
            digest.update(len(part).to_bytes(8, "big") + part)
        return "pdf-" + digest.hexdigest()[:40]

    def make(self, html: bytes, path: str, gemeente: str) -> bytes:
        """The PDF of ``html``, the page at ``path`` (in the folder of ``gemeente``)."""
        key = self.key(html, path)
        if self.cache is not None:
            hit = self.cache.load(key, _valid)
            if hit is not None:
                self.reused += 1
                return hit[_CACHED_NAME]
        import weasyprint

        prefix = f"{gemeente}/assets/" if gemeente else "assets/"
        files = {_BASE + prefix + name: data for name, data in self.assets.items()}
        document = weasyprint.HTML(string=html.decode("utf-8"), base_url=_BASE + path,
                                   url_fetcher=_fetcher_class()(files))
        pdf = document.write_pdf(pdf_tags=True)
        assert isinstance(pdf, bytes)
        self.made += 1
        if self.cache is not None:
            self.cache.store(key, {_CACHED_NAME: pdf}, _valid)
        return pdf

    def with_pdf(self, page: Page, render: Any, write: Any) -> Page:
        """Make the PDF of ``page`` (rendered by ``render(page)`` without its link), write it
        with ``write(path, data)``, and return the page with the link and the PDF's size."""
        name = page.context[PDF_FILE]
        path = posixpath.join(posixpath.dirname(page.path), name)
        source = Page(page.path, page.template, {**page.context, "pdf": None}, page.body,
                      page.gemeente)
        html = render(source)
        try:
            pdf = self.make(html, page.path, page.gemeente)
        except Exception as exc:  # WeasyPrint's own errors: in Dutch, naming the page
            raise RenderError(Diagnostic(
                page.path, 0, 0, "", f"het PDF-bestand {path} kon niet gemaakt worden; er is "
                f"niets gepubliceerd (technische melding: {type(exc).__name__}: {exc})",
                "fout", "pdf")) from exc
        write(path, pdf)
        return Page(page.path, page.template,
                    {**page.context, "pdf": {"naam": name, "grootte": file_size(len(pdf))}},
                    page.body, page.gemeente)


@functools.cache
def _fetcher_class() -> type:
    """WeasyPrint's URL fetcher that answers only with the theme's files, from memory (made
    when first needed: importing WeasyPrint loads its system libraries)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ThemeFetcher(URLFetcher):
        def __init__(self, files: dict[str, bytes]) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.files = files

        def fetch(self, url: str, headers: Any = None) -> Any:
            clean = url.split("#", 1)[0].split("?", 1)[0]
            data = self.files.get(clean)
            if data is None:
                raise ValueError(f"{url} wordt niet gelezen: alleen de bestanden van het thema")
            kind = _TYPES.get(clean.rsplit(".", 1)[-1], "application/octet-stream")
            return URLFetcherResponse(clean, data, {"Content-Type": kind})

    return ThemeFetcher
