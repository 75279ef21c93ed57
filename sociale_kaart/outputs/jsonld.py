"""schema.org JSON-LD for activity (Event with eventSchedule), place (Place) and organisation pages."""

from __future__ import annotations

from typing import Any

from sociale_kaart.model.entries import Activiteit, Adres, Ontmoetingsplek, Organisatie
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.schedule import Tijdschema

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


def _schedule(s: Tijdschema) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Schedule", "scheduleTimezone": "Europe/Amsterdam"}
    if s.frequentie:
        unit = "W" if s.frequentie == "wekelijks" else "M"
        out["repeatFrequency"] = f"P{s.interval}{unit}"
        days = [f"https://schema.org/{SCHEMA_DAYS[code]}" for _, code in s.positioned_days]
        out["byDay"] = days if len(days) > 1 else days[0]
        positions = sorted({pos for pos, _ in s.positioned_days if pos is not None})
        if positions:
            out["byMonthWeek"] = positions if len(positions) > 1 else positions[0]
    if s.van:
        out["startTime"] = s.van.strftime("%H:%M")
    if s.tot:
        out["endTime"] = s.tot.strftime("%H:%M")
    if s.geldig_vanaf:
        out["startDate"] = s.geldig_vanaf.isoformat()
    if s.geldig_tot:
        out["endDate"] = s.geldig_tot.isoformat()
    if s.datums and not s.frequentie:
        out["startDate"] = min(s.datums).isoformat()
        out["endDate"] = max(s.datums).isoformat()
    if s.niet_op:
        out["exceptDate"] = [p.van.isoformat() for p in s.niet_op]
    return out


def organization(kaart: Kaart, o: Organisatie) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "Organization", "name": o.naam,
        "url": o.website, "telephone": o.telefoon, "email": o.email,
        "address": _address(o.adres), "description": o.beschrijving,
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
        "openingHoursSpecification": hours, "description": p.samenvatting,
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
    first = upcoming[0] if upcoming else None
    start = first.start.isoformat() if first else None
    if start is None:
        # A recurring event without a computable next date: its schedule start, else the check date.
        dates = [s.geldig_vanaf for s in a.wanneer if s.geldig_vanaf] + \
                [d for s in a.wanneer for d in s.datums]
        start = min(dates).isoformat() if dates else a.laatst_gecontroleerd.isoformat()
    return _clean({
        "@context": "https://schema.org", "@type": "Event", "name": a.titel,
        "description": a.samenvatting, "url": _url(kaart, f"{g}/activiteiten/{a.slug}/"),
        "startDate": start,
        "endDate": first.end.isoformat() if first and first.end else None,
        "eventSchedule": [_schedule(s) for s in a.wanneer],
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
