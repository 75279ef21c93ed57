"""Names in the site: slugs (the short names of files and web addresses), and the site's own
names, the folders and files the build writes beside the gemeente folders.

A gemeente's slug is the name of its folder at the top of the site (``<gemeente>/``) and of its
files in shared folders (``data/hsds/<gemeente>.json``, ``rapport/<gemeente>/``). A gemeente
may therefore not take any name below: it would overwrite province-wide output (or get the
admin page's relaxed security policy). ``check`` rejects such slugs (resolve.py), and
tests/test_untrusted.py checks that every name the build writes is listed here.
"""

from __future__ import annotations

import re

from sociale_kaart.nl.text import fold

RESERVED_SLUGS: frozenset[str] = frozenset({
    "admin",  # Decap CMS (decap.py), with its own Content-Security-Policy (netlify.toml)
    "alles",  # data/hsds/alles.json, data/geojson/alles.geojson: every gemeente together
    "assets",  # the province pages' CSS and JavaScript
    "data",  # open data exports (outputs/opendata.py)
    "kennisbank",  # the praktijken and their search index
    "rapport",  # reports for maintainers (outputs/rapport/pages.py)
    "sitemaps",  # the parts of a sitemap index (build.py)
    "lijstje",  # Mijn lijstje of the whole site (one list across gemeenten)
    "zoekindex",  # the province-wide search index (site/search_index.py)
    # kept free for province-wide pages and search
    "zoeken", "nieuws", "over", "feeds",
})


MAX_SLUG = 80  # characters in a slug (file names and web addresses stay readable)


def slugify(title: str, max_length: int = MAX_SLUG) -> str:
    """The slug of a title or name, as `new` and the importers make it: lower case, letters
    without accents, digits and hyphens, cut at a word; '' when nothing is left.

    'Koffie-inloop in Café De Brug!' -> 'koffie-inloop-in-cafe-de-brug'."""
    text = fold(title)  # nl/text.py: lower case, no accents; 'ß' -> 'ss', 'ĳ' -> 'ij'
    text = text.replace("&", " en ").replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[:max_length] else slug[:max_length]
        slug = slug.strip("-")
    return slug
