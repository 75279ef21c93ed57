"""schema.org JSON-LD for activity (Event with eventSchedule), place (Place) and organisation pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from markdown_it import MarkdownIt

from sociale_kaart.model.entries import Activiteit, Adres, Ontmoetingsplek, Organisatie
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.occurrences import pattern_days
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.schedule_text import SHOWN_DATES, describe

_MARKDOWN = MarkdownIt("commonmark")

SCHEMA_DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
               "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}


def _url(kaart: Kaart, path: str) -> str | None:
    return f"{kaart.site.basis_url.rstrip('/')}/{path}" if kaart.site.basis_url else None


def _address(adres: Adres | None) -> dict[str, Any] | None:
    if adres is None:
        return None
    out = {"@type": "PostalAddress", "streetAddress": f"{adres.straat} {adres.huisnummer}",
           "addressLocality": adres.plaats, "addressCountry": "NL"}
    if adres.postcode:
        out["postalCode"] = adres.postcode
    return out


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {}, "")}


def plain_text(markdown: str | None) -> str | None:
    """Markdown as plain text for a ``description`` (no '**', links as their text)."""
    if not markdown:
        return None
    parts: list[str] = []
    for block in _MARKDOWN.parse(markdown):
        if block.type == "inline":
            for tok in block.children or []:
                if tok.type in ("text", "code_inline"):
                    parts.append(tok.content)
                elif tok.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        elif block.type in ("paragraph_close", "heading_close", "list_item_close") and parts:
            parts.append(" ")
        elif block.type in ("fence", "code_block"):
            parts.append(block.content + " ")
    return " ".join("".join(parts).split()) or None


def _times(s: Tijdschema, out: dict[str, Any]) -> dict[str, Any]:
    if s.van:
        out["startTime"] = s.van.strftime("%H:%M")
    if s.tot:
        out["endTime"] = s.tot.strftime("%H:%M")
    return out


def _schedules(s: Tijdschema, today: date) -> list[dict[str, Any]]:
    """The schema.org Schedules of one rule: only what the rule says.

    A weekly rule is one Schedule. A monthly rule is one Schedule per position in the month
    (``byMonthWeek`` 1 to 5, schema.org's range); a position counted from the end of the month
    ("the last Friday") has no structured form in schema.org, so it becomes a Schedule with the
    rule in words as its ``description``. One-off dates are a Schedule each: the next
    ``SHOWN_DATES`` from ``today`` (as the page writes them out; a page must not grow with every
    date of a long list). ``exceptDate`` lists every day of a ``niet_op`` period on which the rule
    would have taken place (bounded by MAX_EXCEPTION_DAYS).
    """
    base: dict[str, Any] = {"@type": "Schedule", "scheduleTimezone": "Europe/Amsterdam"}
    if s.frequentie is None:
        coming = [d for d in sorted(s.datums) if d >= today and not s.excluded(d)]
        return [_times(s, {**base, "startDate": d.isoformat(), "endDate": d.isoformat()})
                for d in coming[:SHOWN_DATES]]
    common = dict(base)
    if s.geldig_vanaf:
        common["startDate"] = s.geldig_vanaf.isoformat()
    if s.geldig_tot:
        common["endDate"] = s.geldig_tot.isoformat()
    skipped = sorted({d for p in s.niet_op for d in pattern_days(s, p.van, p.last)})
    if skipped:
        common["exceptDate"] = [d.isoformat() for d in skipped]
    unit = "W" if s.frequentie == "wekelijks" else "M"
    groups: dict[int | None, list[str]] = {}
    for pos, code in s.positioned_days:
        groups.setdefault(pos, []).append(f"https://schema.org/{SCHEMA_DAYS[code]}")
    out = []
    for pos, days in groups.items():
        if pos is not None and pos < 0:
            continue
        one = {**common, "repeatFrequency": f"P{s.interval}{unit}",
               "byDay": days if len(days) > 1 else days[0]}
        if pos is not None:
            one["byMonthWeek"] = pos
        out.append(_times(s, one))
    if any(pos is not None and pos < 0 for pos in groups):
        counted_back = s.model_copy(update={"dagen": [d for d in s.dagen if d.startswith("-")],
                                            "niet_op": [], "toelichting": None})
        out.append(_times(s, {**common, "description": describe(counted_back)}))
    return out


def organization(kaart: Kaart, o: Organisatie) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "Organization", "name": o.naam,
        "url": o.website, "telephone": o.telefoon, "email": o.email,
        "address": _address(o.adres), "description": plain_text(o.beschrijving),
    })


def place(kaart: Kaart, p: Ontmoetingsplek, g: str) -> dict[str, Any]:
    hours = []
    for s in p.openingstijden:
        if s.frequentie == "wekelijks" and s.interval == 1 and s.van and s.tot:
            hours.append(_clean({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[c]}" for _, c in s.positioned_days],
                "opens": s.van.strftime("%H:%M"), "closes": s.tot.strftime("%H:%M"),
                "validFrom": s.geldig_vanaf and s.geldig_vanaf.isoformat(),
                "validThrough": s.geldig_tot and s.geldig_tot.isoformat()}))
    geo = ({"@type": "GeoCoordinates", "latitude": p.coordinaten.lat,
            "longitude": p.coordinaten.lon} if p.coordinaten else None)
    return _clean({
        "@context": "https://schema.org", "@type": "Place", "name": p.naam,
        "url": _url(kaart, f"{g}/plekken/{p.slug}/"), "address": _address(p.adres), "geo": geo,
        "openingHoursSpecification": hours, "description": plain_text(p.samenvatting),
        "telephone": p.contact.telefoon if p.contact else None,
        "isAccessibleForFree": True if "gratis-of-goedkoop" in p.toegankelijkheid else None,
    })


def event(kaart: Kaart, a: Activiteit, g: str, plek: Ontmoetingsplek | None,
          organisator: Organisatie | None, upcoming: list) -> dict[str, Any]:
    if plek is not None:
        location: dict[str, Any] = _clean({"@type": "Place", "name": plek.naam,
                                           "address": _address(plek.adres)})
    elif a.adres is not None:
        location = {"@type": "Place", "name": a.adres.regel(), "address": _address(a.adres)}
    elif a.online:
        location = {"@type": "VirtualLocation", "url": a.online}
    else:
        location = {"@type": "Place", "name": kaart.gemeenten[g].naam,
                    "address": {"@type": "PostalAddress", "addressLocality": kaart.gemeenten[g].naam,
                                "addressCountry": "NL"}}
    offers = None
    if a.kosten is not None:
        offers = {"@type": "Offer", "price": "0" if a.kosten.gratis else str(a.kosten.bedrag or ""),
                  "priceCurrency": "EUR"}
        offers = _clean(offers)
    status = {"actief": "https://schema.org/EventScheduled",
              "gepauzeerd": "https://schema.org/EventPostponed",
              "gestopt": "https://schema.org/EventCancelled"}[a.status]
    # Dates only from the schedule: the next occurrence, else the schedule's own first date;
    # no schedule, no startDate (never the date of a source or a check).
    first = upcoming[0] if upcoming else None
    start: str | None = None
    if first is not None:
        start = first.date.isoformat() if first.all_day else first.start.isoformat()
    else:
        dates = [s.geldig_vanaf for s in a.wanneer if s.geldig_vanaf] + \
                [d for s in a.wanneer for d in s.datums]
        start = min(dates).isoformat() if dates else None
    return _clean({
        "@context": "https://schema.org", "@type": "Event", "name": a.titel,
        "description": plain_text(a.samenvatting), "url": _url(kaart, f"{g}/activiteiten/{a.slug}/"),
        "startDate": start,
        "endDate": first.end.isoformat() if first and first.end else None,
        "eventSchedule": [one for s in a.wanneer for one in _schedules(s, kaart.today)],
        "eventStatus": status,
        "eventAttendanceMode": ("https://schema.org/OnlineEventAttendanceMode" if a.online and not plek
                                and not a.adres else "https://schema.org/OfflineEventAttendanceMode"),
        "location": location,
        "organizer": organization(kaart, organisator) if organisator else None,
        "isAccessibleForFree": a.kosten.gratis if a.kosten else None,
        "offers": offers,
        "audience": [{"@type": "Audience", "audienceType": kaart.label("doelgroepen", d)}
                     for d in a.doelgroepen],
        "inLanguage": "nl",
    })
