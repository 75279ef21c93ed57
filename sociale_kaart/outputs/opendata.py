"""The open data files under ``data/``: which files there are (an HSDS document per gemeente
and of all, a GeoJSON file per gemeente), the entries each is made of, and their bytes.

The documents themselves are made by ``hsds.py`` and ``geojson.py``; this module writes them
as JSON with one array item per line, lazily, so that ``serve`` remakes only what changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sociale_kaart.model.kaart import Kaart
from sociale_kaart.outputs.geojson import geojson_gemeente
from sociale_kaart.outputs.hsds import PART_KEYS, gemeente_parts, hsds_document, no_parts


def _json(value: Any) -> bytes:
    # Compact separators keep json on its C encoder (``indent`` switches to the Python one).
    # UTF-8 bytes, not str: a str with one "€" takes two bytes per character in memory.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _dump(data: dict[str, Any]) -> bytes:
    return _compose(data, {})


def _compose(doc: dict[str, Any], parts: dict[str, list[bytes]]) -> bytes:
    """``doc`` as JSON with one array item per line; ``parts`` are JSON texts of items that go
    before the items of ``doc``'s array of the same name. Joined once, so that the biggest
    file (``alles.json``) is in memory once besides its items."""
    pieces = [b"{"]
    for n, (key, value) in enumerate(doc.items()):
        pieces += [b",\n" if n else b"", _json(key), b":"]
        if not isinstance(value, list):
            pieces.append(_json(value))
            continue
        items = [*parts.get(key, ()), *map(_json, value)]
        if not items:
            pieces.append(b"[]")
            continue
        pieces.append(b"[\n")
        for i, item in enumerate(items):
            pieces += [b",\n" if i else b"", item]
        pieces.append(b"\n]")
    pieces.append(b"}\n")
    return b"".join(pieces)


def encoded_parts(kaart: Kaart, g: str) -> dict[str, list[bytes]]:
    """The JSON texts of a gemeente's services and locations, encoded once per kaart (and in
    ``serve`` kept until they change): for the gemeente's own file and for ``alles.json``."""
    return kaart.memo("hsds-delen", g, lambda: {key: [_json(item) for item in items]
                                                 for key, items in gemeente_parts(kaart, g).items()})


def everything_json(kaart: Kaart) -> bytes:
    """``data/hsds/alles.json``: every gemeente's services and locations, every organisation."""
    joined: dict[str, list[bytes]] = {key: [] for key in PART_KEYS}
    for g in sorted(kaart.gemeenten):
        for key, texts in encoded_parts(kaart, g).items():
            joined[key].extend(texts)
    orgs = sorted(kaart.organisaties.values(), key=lambda o: o.slug)
    return _compose(hsds_document(kaart, None, orgs, no_parts()), joined)


def gemeente_json(kaart: Kaart, g: str) -> bytes:
    """``data/hsds/<g>.json``."""
    orgs = sorted(kaart.organisaties_per_gemeente.get(g, []), key=lambda o: o.slug)
    return _compose(hsds_document(kaart, g, orgs, no_parts()), encoded_parts(kaart, g))


def gemeente_geojson(kaart: Kaart, g: str) -> bytes:
    """``data/geojson/<g>.geojson``."""
    return _dump(geojson_gemeente(kaart, g))


def export_plan(kaart: Kaart) -> list[tuple[str, Callable[[], bytes]]]:
    """Every export file as (relative output path, function that makes it), made lazily.

    Each function is one of the module's own with its arguments (``functools.partial``), so
    ``serve`` can tell which file to make again: what making it reads of the kaart is recorded
    (site/reads.py), and the rest is in its arguments.
    """
    plan: list[tuple[str, Callable[[], bytes]]] = [
        ("data/hsds/alles.json", partial(everything_json, kaart))]
    for g in sorted(kaart.gemeenten):
        plan.append((f"data/hsds/{g}.json", partial(gemeente_json, kaart, g)))
        plan.append((f"data/geojson/{g}.geojson", partial(gemeente_geojson, kaart, g)))
    return plan


def export_files(kaart: Kaart) -> dict[str, bytes]:
    """Relative output path -> file content, for every export file."""
    return {path: make() for path, make in export_plan(kaart)}


def write_exports(kaart: Kaart, out_dir: Path) -> list[Path]:
    """Write data/hsds/<gemeente>.json, data/hsds/alles.json and data/geojson/<gemeente>.geojson
    under ``out_dir`` (the site's output folder, e.g. ``public``). Returns the written paths."""
    written = []
    for rel, data in export_files(kaart).items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


__all__ = ["export_files", "export_plan", "write_exports"]
