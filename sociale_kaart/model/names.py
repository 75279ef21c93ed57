"""The site's own names: folders and files the build writes beside the gemeente folders.

A gemeente's slug is the name of its folder at the top of the site (``<gemeente>/``) and of its
files in shared folders (``data/hsds/<gemeente>.json``, ``rapport/<gemeente>/``). A gemeente
may therefore not take any name below: it would overwrite province-wide output (or get the
admin page's relaxed security policy). ``check`` rejects such slugs (resolve.py), and
tests/test_untrusted.py checks that every name the build writes is listed here.
"""

from __future__ import annotations

RESERVED_SLUGS: frozenset[str] = frozenset({
    "admin",  # Decap CMS (decap.py), with its own Content-Security-Policy (netlify.toml)
    "alles",  # data/hsds/alles.json, data/geojson/alles.geojson: every gemeente together
    "assets",  # the province pages' CSS and JavaScript
    "data",  # open data exports (hsds.py)
    "kennisbank",  # the praktijken and their search index
    "rapport",  # reports for maintainers (rapport.py)
    "sitemaps",  # the parts of a sitemap index (build.py)
    # kept free for province-wide pages and search
    "pagefind", "zoeken", "nieuws", "over", "feeds",
})
