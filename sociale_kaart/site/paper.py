"""Paper: what a gemeente's site offers to print and hand out, and what those pages show.

* the aanbodboekje (booklet) of every active activity, and one per target group and per kern,
  each under its first theme (``booklet_sections``);
* the Welzijn op Recept folder for GP practices: what it is, how to refer (the gemeente's
  ``welzijn_op_recept``, else its ``loket``), and the activities marked ``welzijn_op_recept``;
  made only when at least one active activity is marked;
* what a printed page needs besides: the site's address (text and QR code, ``site/qr.py``),
  where to ask questions (``Vraagpunt``), the running footer (``voetregel``, read by the print CSS
  from ``<html data-voet>``) and the name of the page's PDF (``build --pdf``, site/pdf.py).

The pages are planned in site/plan.py (``paper_pages``); the print layout is the print block
of the theme's style.css.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sociale_kaart.model.entries import Activiteit, Gemeente
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.names import slugify
from sociale_kaart.nl.dates import format_date
from sociale_kaart.nl.schedule_text import describe_all
from sociale_kaart.site.facets import activity_kern
from sociale_kaart.site.views import ActivityView, Views, gemeente_step

# The context key of a page that also exists as a PDF (``build --pdf``): the PDF's file name,
# in the page's own folder. The build adds ``pdf`` = {"naam", "grootte"} when it made it.
PDF_FILE = "pdf_bestand"

FOLDER_PATH = "welzijn-op-recept/"  # the Welzijn op Recept folder, in a gemeente's folder


def _activity_sort(a: Activiteit) -> tuple:
    return (a.titel.casefold(), a.slug)


def booklet_sections(kaart: Kaart, activities: list[Activiteit], views: Views, g: str
                     ) -> list[tuple[str, str, list[ActivityView]]]:
    """Each activity once, under its first theme: (slug, label, activities) in vocabulary order."""
    buckets: dict[str, list[Activiteit]] = {}
    for a in activities:
        buckets.setdefault(a.themas[0] if a.themas else "", []).append(a)
    out = []
    for slug, term in kaart.terms.get("themas", {}).items():
        if slug in buckets:
            out.append((slug, term.label, views.activities(sorted(buckets[slug], key=_activity_sort), g)))
    if "" in buckets:
        out.append(("overig", "Overig", views.activities(sorted(buckets[""], key=_activity_sort), g)))
    return out


@dataclass(frozen=True, slots=True)
class Vraagpunt:
    """Where a reader of a printed page can ask questions: the gemeente's loket, else the
    gemeente itself (with its website when it has one). Never made up."""

    naam: str
    telefoon: str | None = None
    email: str | None = None
    website: str | None = None
    tijden: tuple[str, ...] = ()  # when it is open or can be called, in words


def vraagpunt(kaart: Kaart, gemeente: Gemeente) -> Vraagpunt:
    """The pages' own rule (``views.gemeente_step``), with the loket's opening times."""
    step = gemeente_step(gemeente)
    if step.bron == "loket" and gemeente.loket is not None:
        return Vraagpunt(step.naam or gemeente.loket.naam, step.telefoon, step.email, step.website,
                         tuple(describe_all(gemeente.loket.openingstijden, kaart.today)))
    return Vraagpunt(f"de gemeente {gemeente.naam}", website=step.website)


@dataclass(frozen=True, slots=True)
class Verwijzen:
    """How a GP practice refers someone to Welzijn op Recept (the folder): the gemeente's
    ``welzijn_op_recept`` when it has one (``coach``), else where to ask (``vraagpunt``)."""

    naam: str
    organisatie: str | None
    telefoon: str | None
    email: str | None
    website: str | None
    hoe: str | None
    coach: bool  # True: the gemeente names who takes referrals; False: ask the loket/gemeente


def verwijzen(kaart: Kaart, gemeente: Gemeente) -> Verwijzen:
    wor = gemeente.welzijn_op_recept
    if wor is not None:
        org = kaart.organisaties.get(wor.organisatie) if wor.organisatie else None
        return Verwijzen(wor.naam, org.naam if org else None, wor.telefoon, wor.email,
                         wor.website, wor.verwijzen, True)
    ask = vraagpunt(kaart, gemeente)
    return Verwijzen(ask.naam, None, ask.telefoon, ask.email, ask.website, None, False)


def site_address(kaart: Kaart, g: str, path: str = "") -> str | None:
    """The absolute address of a page of gemeente ``g`` (its home by default), when the site
    has a base URL; without one the printed pages show no address and no QR code."""
    base = kaart.site.basis_url
    return f"{base.rstrip('/')}/{g}/{path}" if base else None


def kernen(kaart: Kaart, g: str, activities: list[Activiteit]) -> list[tuple[str, str, list[Activiteit]]]:
    """(slug, name, activities) of each kern or wijk with activities: the gemeente's own list
    of kernen first, in its order, then the others by name. An activity's kern is its own,
    else its place's (the search filter's rule, ``facets.activity_kern``); names that make the
    same slug are one kern."""
    per: dict[str, list[Activiteit]] = {}
    names: dict[str, str] = {}
    for a in activities:
        for kern in activity_kern(kaart, a):
            slug = slugify(kern)
            if slug:
                per.setdefault(slug, []).append(a)
                names.setdefault(slug, kern)
    order = {slugify(k): i for i, k in reversed(list(enumerate(kaart.gemeenten[g].kernen)))}
    ranked = sorted(per, key=lambda s: (order.get(s, len(order)), names[s].casefold(), s))
    return [(s, names[s], per[s]) for s in ranked]


def voetregel(titel: str, when: datetime) -> str:
    """The running footer of a printed page (left of the page number)."""
    return f"{titel} · {format_date(when.date(), year=True)}"


def paper_pages(kaart: Kaart, g: str, views: Views, listed: list[Activiteit],
                add: Callable[..., None], build_time: datetime) -> None:
    """Plan the booklets and the Welzijn op Recept folder of gemeente ``g`` with ``add(path,
    template, **context)`` (plan.py). ``listed``: the activities that are not stopped; the
    paper shows the active ones among them."""
    gemeente = kaart.gemeenten[g]
    ask = vraagpunt(kaart, gemeente)
    active = [a for a in listed if a.status == "actief"]
    order_d = list(kaart.terms.get("doelgroepen", {}))
    # A booklet per target group of a listed activity, also when all its activities are paused
    # (the target-group lists link to it).
    groups = sorted({d for a in listed for d in a.doelgroepen}, key=order_d.index)
    per_kern = kernen(kaart, g, active)
    wor = [a for a in active if a.welzijn_op_recept]
    # What every booklet page links to (on screen): the other booklets and the folder.
    varianten = {
        "doelgroepen": [(d, kaart.label("doelgroepen", d)) for d in groups],
        "kernen": [(slug, naam) for slug, naam, _ in per_kern],
        "folder": bool(wor),
    }
    titel = f"Aanbodboekje {gemeente.naam}"
    common: dict[str, Any] = {"vraagpunt": ask, "web_adres": site_address(kaart, g),
                              "voetregel": voetregel(titel, build_time), "varianten": varianten}

    def booklet(path: str, acts: list[Activiteit], pdf: str, **ctx: Any) -> None:
        add(path + "index.html", "boekje.html", secties=booklet_sections(kaart, acts, views, g),
            aantal_activiteiten=len(acts), **{PDF_FILE: pdf}, **common, **ctx)

    booklet("boekje/", active, f"aanbodboekje-{g}.pdf", doelgroep=None, kern=None)
    for d in groups:
        booklet(f"boekje/{d}/", [a for a in active if d in a.doelgroepen],
                f"aanbodboekje-{g}-{d}.pdf", doelgroep=kaart.term("doelgroepen", d), kern=None)
    for slug, naam, acts in per_kern:
        booklet(f"boekje/kern/{slug}/", acts, f"aanbodboekje-{g}-{slug}.pdf", doelgroep=None,
                kern=naam)
    if wor:
        add(FOLDER_PATH + "index.html", "folder.html",
            secties=booklet_sections(kaart, wor, views, g), aantal_activiteiten=len(wor),
            verwijzen=verwijzen(kaart, gemeente), vraagpunt=ask,
            web_adres=site_address(kaart, g, FOLDER_PATH),
            voetregel=voetregel(f"Welzijn op Recept in {gemeente.naam}", build_time),
            **{PDF_FILE: f"welzijn-op-recept-{g}.pdf"})
