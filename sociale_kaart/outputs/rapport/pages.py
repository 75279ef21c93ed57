"""What the built site shows of the report: the contexts of the ``/rapport/`` pages (template
``rapport.html``) and the CSV files beside them."""

from __future__ import annotations

from typing import Any

from sociale_kaart.outputs.rapport.data import ZONDER_GEMEENTE, Rapport
from sociale_kaart.outputs.rapport.formats import csv_files, csv_tables

ZONDER_GEMEENTE_PAGINA = "zonder-gemeente"  # rapport/zonder-gemeente/: organisations in no gemeente


def page_slug(gemeente: str) -> str:
    """The folder of a gemeente's report page under ``rapport/``."""
    return ZONDER_GEMEENTE_PAGINA if gemeente == ZONDER_GEMEENTE else gemeente


def rapport_pages(r: Rapport) -> list[tuple[str, dict[str, Any]]]:
    """Pages for the built site: (output path relative to the site root, template context).

    One overview page (coverage of every gemeente, freshness and quality in numbers) and
    one page per gemeente with the lists (``rapport/<page_slug>/``). All use template
    ``rapport.html``; the pages are meant to stay out of the search index (the template has no
    ``data-pagefind-body``).
    The overview links the CSV files of ``rapport_csv_files`` (``rapport/coverage.csv``, ...),
    which the build writes next to it.
    """
    pages: list[tuple[str, dict[str, Any]]] = [
        ("rapport/index.html", {"template": "rapport.html", "rapport": r, "rapport_gemeente": None,
                                "title": "Rapport voor beheerders", "noindex": True,
                                "csv_bestanden": list(csv_tables(r)),
                                "rapport_paginas": {g.gemeente: page_slug(g.gemeente) for g in r.versheid}}),
    ]
    kwaliteit = {q.gemeente: q for q in r.kwaliteit}
    for g in r.versheid:
        slug = page_slug(g.gemeente)
        pages.append((f"rapport/{slug}/index.html", {
            "template": "rapport.html", "rapport": r, "title": f"Rapport {g.naam}",
            "rapport_gemeente": {"slug": slug, "versheid": g, "kwaliteit": kwaliteit.get(g.gemeente)},
            "noindex": True, "csv_bestanden": []}))
    return pages


def rapport_csv_files(r: Rapport) -> list[tuple[str, bytes]]:
    """The CSV files for the built site (``rapport/coverage.csv`` etc.), UTF-8 with BOM."""
    return [(f"rapport/{name}", data) for name, data in csv_files(r).items()]
