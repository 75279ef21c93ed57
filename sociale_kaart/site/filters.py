"""Jinja filters: how dates, times, amounts, phone numbers and routes look on the pages."""


from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from markupsafe import Markup

from sociale_kaart.nl.dates import format_date


def datum(value: date | datetime | None, with_weekday: bool = False) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, year=True, weekday=with_weekday)


def tijd(value: time | datetime | None) -> str:
    return f"{value.hour:02d}.{value.minute:02d}" if value else ""


def euro(value: Any) -> str:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {text}"


def tel_href(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return "tel:" + digits


def route_url(address_text: str) -> str:
    return "https://www.openstreetmap.org/search?query=" + quote_plus(address_text)


def qr_svg(address: str, label: str) -> Markup:
    """A QR code of ``address`` as inline SVG (``segno``), for printed pages: black modules on
    white with a quiet zone of 4 modules, as scanners need; sized by the CSS (class ``qr``).
    ``label`` is its text alternative."""
    return Markup(_qr_svg(address, label))


@lru_cache(maxsize=256)  # every booklet of a gemeente shows the same code; about 5 ms to make one
def _qr_svg(address: str, label: str) -> str:
    import segno

    svg = segno.make(address, error="m").svg_inline(scale=1, omitsize=True, title=label,
                                                    svgclass="qr", lineclass=None, border=4)
    return svg.replace("<svg ", '<svg role="img" ', 1)
