"""sitemap.xml and robots.txt: what search engines may read, with absolute addresses."""


from __future__ import annotations

from sociale_kaart.model.kaart import Kaart

SITEMAP_URLS = 50_000  # the sitemaps.org limit of URLs per sitemap file


NOT_IN_SITEMAP = ("admin/", "rapport/")  # for maintainers, not for search engines


def in_sitemap(path: str) -> bool:
    """Public pages: not the 404 pages, the lists of one visitor, or maintainers' pages (also
    a gemeente's own editor, ``<gemeente>/admin/``)."""
    name = path.rsplit("/", 1)[-1]
    in_gemeente = path.split("/", 1)[1] if "/" in path else ""
    return (name != "404.html" and "/lijstje/" not in f"/{path}"
            and not path.startswith(NOT_IN_SITEMAP) and not in_gemeente.startswith("admin/"))


def sitemaps(kaart: Kaart, html_pages: list[str]) -> list[tuple[str, bytes]]:
    """sitemap.xml of every public page, with absolute URLs; none without a base URL.

    Up to ``SITEMAP_URLS`` pages it is one ``urlset``; a bigger site gets a sitemap index
    (``sitemap.xml``) of ``sitemaps/1.xml``, ``sitemaps/2.xml``, ... as the protocol requires.
    """
    from xml.sax.saxutils import escape

    if not kaart.site.basis_url:
        return []
    base = kaart.site.basis_url.rstrip("/")
    locs = [f"{base}/{p.removesuffix('index.html')}" for p in sorted(html_pages) if in_sitemap(p)]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def urlset(chunk: list[str]) -> bytes:
        rows = "".join(f"  <url><loc>{escape(loc)}</loc></url>\n" for loc in chunk)
        return f"{head}<urlset {ns}>\n{rows}</urlset>\n".encode()

    if len(locs) <= SITEMAP_URLS:
        return [("sitemap.xml", urlset(locs))]
    parts = [locs[i:i + SITEMAP_URLS] for i in range(0, len(locs), SITEMAP_URLS)]
    files = [(f"sitemaps/{n}.xml", urlset(chunk)) for n, chunk in enumerate(parts, 1)]
    rows = "".join(f"  <sitemap><loc>{escape(f'{base}/{path}')}</loc></sitemap>\n"
                   for path, _ in files)
    return [("sitemap.xml", f"{head}<sitemapindex {ns}>\n{rows}</sitemapindex>\n".encode()),
            *files]


def robots(kaart: Kaart, preview: bool = False) -> bytes:
    if preview:  # a deploy preview is for reviewers, never for search engines
        return b"User-agent: *\nDisallow: /\n"
    base = (kaart.site.basis_url or "").rstrip("/")
    text = "User-agent: *\nDisallow: /admin/\nDisallow: /rapport/\nDisallow: /*/lijstje/\n"
    if base:
        text += f"Sitemap: {base}/sitemap.xml\n"
    return text.encode("utf-8")
