"""The open data files under ``data/``: which files there are (an HSDS document per gemeente
and of all, a GeoJSON file per gemeente), the entries each is made of, and their bytes.

The documents themselves are made by ``hsds.py`` and ``geojson.py``; this module writes them
as JSON with one array item per line, lazily, so that ``serve`` remakes only what changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


def export_plan(kaart: Kaart) -> list[tuple[str, Callable[[], bytes], dict[str, Any]]]:
    """Every export file as (relative output path, function that makes it, its inputs).

    Made lazily: the build makes each file once; ``serve`` makes a file again only when one of
    its inputs (the entries it shows) changed. Site, taxonomies and gemeenten are inputs of
    every file; a change to them rebuilds everything anyway. A gemeente's services and
    locations are encoded once per plan, for its own file and for ``alles.json``; only their
    JSON text is kept, which is a tenth of the memory of the objects.
    """
    encoded: dict[str, dict[str, list[bytes]]] = {}

    def parts(g: str) -> dict[str, list[bytes]]:
        if g not in encoded:
            encoded[g] = {key: [_json(item) for item in items]
                          for key, items in gemeente_parts(kaart, g).items()}
        return encoded[g]

    def everything_json() -> bytes:
        joined: dict[str, list[bytes]] = {key: [] for key in PART_KEYS}
        for g in sorted(kaart.gemeenten):
            for key, texts in parts(g).items():
                joined[key].extend(texts)
        orgs = sorted(kaart.organisaties.values(), key=lambda o: o.slug)
        return _compose(hsds_document(kaart, None, orgs, no_parts()), joined)

    def gemeente_json(g: str) -> Callable[[], bytes]:
        orgs = sorted(kaart.organisaties_per_gemeente.get(g, []), key=lambda o: o.slug)
        return lambda: _compose(hsds_document(kaart, g, orgs, no_parts()), parts(g))

    def gemeente_geojson(g: str) -> Callable[[], bytes]:
        return lambda: _dump(geojson_gemeente(kaart, g))

    everything = {"activiteiten": [a for g in sorted(kaart.activiteiten)
                                   for a in kaart.activiteiten[g].values()],
                  "plekken": [p for g in sorted(kaart.plekken) for p in kaart.plekken[g].values()],
                  "organisaties": list(kaart.organisaties.values())}
    plan = [("data/hsds/alles.json", everything_json, everything)]
    for g in sorted(kaart.gemeenten):
        own = {"activiteiten": list(kaart.activiteiten.get(g, {}).values()),
               "plekken": list(kaart.plekken.get(g, {}).values())}
        plan.append((f"data/hsds/{g}.json", gemeente_json(g),
                     {**own, "organisaties": kaart.organisaties_per_gemeente.get(g, [])}))
        plan.append((f"data/geojson/{g}.geojson",
                     gemeente_geojson(g), own))
    return plan


def export_files(kaart: Kaart) -> dict[str, bytes]:
    """Relative output path -> file content, for every export file."""
    return {path: make() for path, make, _ in export_plan(kaart)}


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
