"""Sociale Kaart: a static site generator for Dutch sociale kaarten.

Pipeline (one module per stage):
    loader    -> read files, parse YAML/front matter, keep line/column of every value
    validate  -> typed models (models.py, schedule.py), Dutch diagnostics
    resolve   -> check references between entries, build the linked ``Kaart``
    render    -> Jinja2 pages per gemeente and province-wide
    index     -> the site's own search indexes (site/search_index.py)
    write     -> atomic swap of the output folder
"""

__version__ = "0.1.0"
