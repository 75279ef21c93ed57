"""The build pipeline: load -> validate -> resolve -> render -> index -> write.

``build()`` is the one entry point used by the CLI, ``serve`` and the benchmarks. It returns a
``BuildResult`` with the diagnostics and the time spent in each stage. On any content error
nothing is written: the previous output stays as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from .cache import ParseCache, default_dir as default_cache_dir
from .content import load_content
from .diagnostics import Diagnostic
from .hsds import export_files
from .index import IndexJob, build_indexes, wants_index
from .render import (Assets, Page, Renderer, gemeente_pages, make_environment, province_pages,
                     theme_dirs)
from .resolve import Kaart, check
from .write import Staging

TZ = ZoneInfo("Europe/Amsterdam")


@dataclass
class BuildOptions:
    content: Path
    out: Path
    gemeenten: list[str] | None = None  # None: all gemeenten plus the province pages
    base_url: str | None = None
    today: date | None = None
    now: datetime | None = None  # build timestamp shown on pages (reproducible in tests)
    search: bool = True
    progress: Callable[[str, int, int], None] | None = None
    cache: bool = False  # reuse parsed files from .sociale-kaart-cache/ (see cache.py)


@dataclass
class BuildResult:
    ok: bool
    diagnostics: list[Diagnostic]
    pages: int = 0
    gemeenten: int = 0
    bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    indexed: dict[str, int] = field(default_factory=dict)
    kaart: Kaart | None = None

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def load_and_check(content: Path, today: date, cache: bool = False
                   ) -> tuple[Kaart | None, list[Diagnostic], dict[str, float]]:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    loaded = load_content(content, ParseCache(default_cache_dir(), content) if cache else None)
    t1 = time.perf_counter()
    kaart, diags = check(loaded, today)
    t2 = time.perf_counter()
    timings["laden en valideren"] = t1 - t0
    timings["verwijzingen"] = t2 - t1
    return kaart, diags, timings


def select_gemeenten(kaart: Kaart, wanted: list[str] | None, base_url: str | None
                     ) -> tuple[list[str], Diagnostic | None]:
    """Apply ``--base-url`` and pick the gemeenten to build (all when ``wanted`` is empty)."""
    if base_url:
        kaart.site = kaart.site.model_copy(update={"basis_url": base_url})
    if not wanted:
        return list(kaart.gemeenten), None
    unknown = [g for g in wanted if g not in kaart.gemeenten]
    if unknown:
        return [], Diagnostic("", 0, 0, "", f"onbekende gemeente: {', '.join(unknown)}",
                              "fout", "gemeente")
    return list(wanted), None


def build(options: BuildOptions) -> BuildResult:
    now = options.now or datetime.now(TZ)
    today = options.today or now.date()
    kaart, diags, timings = load_and_check(options.content, today, options.cache)
    if kaart is None:
        return BuildResult(False, diags, timings=timings)
    if kaart.site.repository is None and os.environ.get("REPOSITORY_URL", "").startswith("https://"):
        # Netlify sets REPOSITORY_URL during its builds: the Decap admin and edit links use it.
        kaart.site = kaart.site.model_copy(update={"repository": os.environ["REPOSITORY_URL"]})
    selected, problem = select_gemeenten(kaart, options.gemeenten, options.base_url)
    if problem is not None:
        return BuildResult(False, diags + [problem], timings=timings)
        selected = options.gemeenten

    t0 = time.perf_counter()
    dirs = theme_dirs(kaart.site.thema, options.content)
    env = make_environment(dirs)
    assets = Assets.load(dirs)
    renderer = Renderer(kaart, env, assets)
    staging = Staging(options.out)
    province = options.gemeenten is None
    jobs = index_jobs(selected, province, staging.path)
    try:
        total = len(selected)
        if _workers(len(selected)) > 1:
            sections = _render_parallel(renderer, staging, selected, now, assets)
            for i, (g, written) in enumerate(sections, 1):
                if options.progress:
                    options.progress(kaart.gemeenten[g].naam, i, total)
                for path, size, indexed in written:
                    staging.record(path, size)
                    if indexed:
                        for job in jobs:
                            if job.accepts(path):
                                job.add(path, staging.path(path))
        else:
            for i, g in enumerate(selected, 1):
                if options.progress:
                    options.progress(kaart.gemeenten[g].naam, i, total)
                _write_pages(renderer, staging, section_pages(kaart, g, now, assets), jobs)
        if province:
            _write_pages(renderer, staging,
                         province_files(kaart, now, assets, list(staging.html_pages)), jobs)
        t1 = time.perf_counter()
        timings["renderen en schrijven"] = t1 - t0
        indexed = build_indexes(jobs) if options.search else {}
        t2 = time.perf_counter()
        timings["zoekindex"] = t2 - t1
        staging.commit(only=None if options.gemeenten is None else selected)
        timings["wisselen"] = time.perf_counter() - t2
    except BaseException:
        staging.discard()
        raise
    return BuildResult(True, diags, pages=staging.count, gemeenten=len(selected),
                       bytes=staging.bytes, timings=timings, indexed=indexed, kaart=kaart)


# The page plan below is shared with ``serve`` (incremental.py), which renders only the pages whose
# inputs changed and must end with the same files as ``build``: add new outputs here, not in build().


def section_pages(kaart: Kaart, g: str, now: datetime, assets: Assets) -> list[Page]:
    """The pages and assets of one gemeente folder, in write order (no rendering)."""
    return gemeente_pages(kaart, g, now) + assets.pages(g, g)


def province_files(kaart: Kaart, now: datetime, assets: Assets, html_pages: list[str]) -> list[Page]:
    """The province-wide files; ``html_pages`` are the gemeente sections' HTML paths (sitemap)."""
    pages = province_pages(kaart, now) + assets.pages("")
    # Open Referral HSDS + GeoJSON exports
    pages += [Page(rel, None, body=data) for rel, data in export_files(kaart).items()]
    html = [*html_pages, *(p.path for p in pages if p.path.endswith(".html"))]
    pages += [Page("sitemap.xml", None, body=sitemap(kaart, html)),
              Page("robots.txt", None, body=robots(kaart))]
    return pages


def plan_pages(kaart: Kaart, selected: list[str], now: datetime, assets: Assets,
               province: bool) -> list[Page]:
    """Every output file of a build in write order, without rendering."""
    pages = [p for g in selected for p in section_pages(kaart, g, now, assets)]
    if province:
        pages += province_files(kaart, now, assets, [p.path for p in pages if p.path.endswith(".html")])
    return pages


def index_jobs(selected: list[str], province: bool, where: Callable[[str], Path]) -> list[IndexJob]:
    """The search indexes of a build; ``where(section)`` is the folder that receives pagefind/."""
    jobs = [IndexJob(g, where(g), prefix=f"{g}/") for g in selected]
    if province:
        jobs.append(IndexJob("kennisbank", where("kennisbank"), prefix="kennisbank/"))
        # Province-wide search: all gemeenten and the kennisbank in one index.
        jobs.append(IndexJob("provincie", where(""), exclude=("*/praktijken/*",)))
    return jobs


# Render workers: one process per gemeente section, forked so that the Kaart, the templates and
# the staging folder are inherited instead of pickled. Workers write their files into the staging
# folder and return (path, size, indexed) per file; the parent counts them in the same order as a
# serial build, so the output (sitemap, indexes) is identical.
_FORKED: tuple | None = None


def _workers(sections: int) -> int:
    if sections < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, sections)


def _render_section(g: str) -> tuple[str, list[tuple[str, int, bool]]]:
    renderer, staging, now, assets = _FORKED  # type: ignore[misc]
    written = []
    for page in section_pages(renderer.kaart, g, now, assets):
        data = renderer.render(page)
        staging.write(page.path, data)
        written.append((page.path, len(data), wants_index(data)))
    return g, written


def _render_parallel(renderer: Renderer, staging: Staging, selected: list[str], now: datetime,
                     assets: Assets):
    global _FORKED
    _FORKED = (renderer, staging, now, assets)
    try:
        with multiprocessing.get_context("fork").Pool(_workers(len(selected))) as pool:
            yield from pool.imap(_render_section, selected)
    finally:
        _FORKED = None


def _write_pages(renderer: Renderer, staging: Staging, pages: list[Page],
                 jobs: list[IndexJob]) -> None:
    for page in pages:
        data = renderer.render(page)
        staging.write(page.path, data)
        targets = [job for job in jobs if job.accepts(page.path)]
        if targets and wants_index(data):
            for job in targets:
                job.add(page.path, staging.path(page.path))


def sitemap(kaart: Kaart, html_pages: list[str]) -> bytes:
    """sitemap.xml of every public page; absolute URLs need a base URL, else relative ones."""
    from xml.sax.saxutils import escape
    base = (kaart.site.basis_url or "").rstrip("/")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(html_pages):
        if path.endswith("404.html") or "/lijstje/" in path:
            continue
        loc = path.removesuffix("index.html")
        lines.append(f"  <url><loc>{escape(f'{base}/{loc}' if base else loc)}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(kaart: Kaart) -> bytes:
    base = (kaart.site.basis_url or "").rstrip("/")
    text = "User-agent: *\nDisallow: /admin/\nDisallow: /rapport/\nDisallow: /*/lijstje/\n"
    if base:
        text += f"Sitemap: {base}/sitemap.xml\n"
    return text.encode("utf-8")


def terminal_progress(stream=sys.stderr) -> Callable[[str, int, int], None]:
    started = time.perf_counter()

    def show(name: str, i: int, total: int) -> None:
        if time.perf_counter() - started < 0.5 and i < total:
            return  # quick builds stay quiet
        stream.write(f"\r\x1b[K[{i}/{total}] {name}")
        stream.flush()
        if i == total:
            stream.write("\r\x1b[K")
    return show
