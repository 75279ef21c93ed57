"""The places of a gemeente as a GeoJSON (RFC 7946) FeatureCollection, for maps in other
systems. Feature ids are the HSDS ids of the same places (model/openreferral.py)."""

from __future__ import annotations

from typing import Any

from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.openreferral import make_id


def geojson_gemeente(kaart: Kaart, g: str) -> dict[str, Any]:
    """GeoJSON (RFC 7946) FeatureCollection of the places of a gemeente.

    Ontmoetingsplekken and the own addresses of activities; a place without coordinates has
    ``geometry: null`` (allowed by RFC 7946) so that the list stays complete.
    """
    features = []
    per_plek = kaart.activiteiten_per_plek
    for p in sorted(kaart.plekken.get(g, {}).values(), key=lambda p: p.slug):
        acts = sorted(a.titel for a in per_plek.get((g, p.slug), []) if a.status != "gestopt")
        features.append(_feature(make_id("ontmoetingsplek", g, p.slug), p.coordinaten, {
            "soort": "ontmoetingsplek", "slug": p.slug, "naam": p.naam, "gemeente": g,
            "plek_soort": p.soort, "kern": p.kern, "wijk": p.wijk,
            "adres": p.adres.regel() if p.adres else None,
            "toegankelijkheid": list(p.toegankelijkheid), "activiteiten": acts}))
    for a in sorted(kaart.activiteiten.get(g, {}).values(), key=lambda a: a.slug):
        if a.adres and not a.plek and a.status != "gestopt":
            features.append(_feature(make_id("adres", g, a.slug), None, {
                "soort": "adres van activiteit", "slug": a.slug, "naam": a.titel,
                "gemeente": g, "kern": a.kern, "wijk": a.wijk, "adres": a.adres.regel(),
                "toegankelijkheid": list(a.toegankelijkheid), "activiteiten": [a.titel]}))
    return {"type": "FeatureCollection", "features": features}


def _feature(fid: str, coords: Any, props: dict[str, Any]) -> dict[str, Any]:
    geometry = ({"type": "Point", "coordinates": [coords.lon, coords.lat]} if coords else None)
    return {"type": "Feature", "id": fid, "geometry": geometry,
            "properties": {k: v for k, v in props.items() if v is not None}}


__all__ = ["geojson_gemeente"]
