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
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.outputs.ical import Calendars
from sociale_kaart.outputs.opendata import export_plan
from sociale_kaart.pipeline.cache import FolderCache, ParseCache, project_dir
from sociale_kaart.pipeline.open import open_kaart
from sociale_kaart.site.deploy import deploy_settings
from sociale_kaart.site.render import (
    Assets,
    Page,
    Renderer,
    RenderError,
    gemeente_pages,
    make_environment,
    province_pages,
    theme_dirs,
    theme_problems,
)
from sociale_kaart.site.search import (
    BUILD_BUNDLE_PAGES,
    gemeente_section,
    kennisbank_section,
    section_bundles,
    wants_index,
    write_bundles,
)
from sociale_kaart.site.write import Staging, claim_output, write_failure

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
    # Reuse parsed files and search bundles of earlier builds (see cache.py): only files and
    # bundles whose content is the same are reused. ``cache_dir``: the cache folder (the CLI's
    # --cache); None: the project's folder in the user's cache folder.
    cache: bool = False
    cache_dir: Path | None = None
    bundle_pages: int = BUILD_BUNDLE_PAGES  # pages per search bundle (index.py)
    # The environment the base URL, previews and the repository are read from (deploy.py);
    # None: this process's environment.
    environ: Mapping[str, str] | None = None


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
    bundles: int = 0  # search bundles in the site ...
    reused_bundles: int = 0  # ... of which copied from the cache of an earlier build
    notices: list[str] = field(default_factory=list)  # Dutch lines for the maintainer

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


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


SEARCH_CACHE = "zoekindex"  # the folder of search bundles in the cache folder


def build(options: BuildOptions) -> BuildResult:
    started = time.time()
    now = options.now or datetime.now(TZ)
    today = options.today or now.date()
    # Before anything is read or written: may the output folder be replaced at all? (Raises
    # write.OutputRefused.) Also puts back an output that a killed build left renamed away.
    claim_output(options.out, options.content)
    opened = open_kaart(options.content, today, ParseCache(project_dir(options.content,
                                                                       options.cache_dir))
                        if options.cache else None)
    kaart, diags, timings = opened.kaart, opened.diagnostics, opened.timings
    if kaart is None:
        return BuildResult(False, diags, timings=timings)
    deploy = deploy_settings(kaart.site, options.base_url,
                             os.environ if options.environ is None else options.environ)
    kaart.site = kaart.site.model_copy(update={"basis_url": deploy.base_url,
                                               "repository": deploy.repository})
    selected, problem = select_gemeenten(kaart, options.gemeenten, None)
    if problem is not None:
        return BuildResult(False, diags + [problem], timings=timings)
    notices = [] if deploy.base_url or options.gemeenten is not None else [NO_SITEMAP]

    t0 = time.perf_counter()
    dirs = theme_dirs(kaart.site.thema, options.content)
    problems = theme_problems(dirs)  # links out of the theme, FIFOs, ...: nothing is read
    if problems:
        return BuildResult(False, diags + problems, timings=timings, kaart=kaart)
    env = make_environment(dirs)
    try:
        assets = Assets.load(dirs)
    except RenderError as failed:  # a theme file changed since theme_problems looked
        return BuildResult(False, diags + [failed.diagnostic], timings=timings, kaart=kaart)
    renderer = Renderer(kaart, env, assets, noindex=deploy.preview, root_path=deploy.root_path)
    try:
        staging = Staging(options.out)
    except OSError as exc:
        raise write_failure(exc, options.out) from exc
    province = options.gemeenten is None
    indexed: dict[str, int] = {}
    index_seconds = write_seconds = 0.0
    bundles = reused_bundles = 0
    try:
        total = len(selected)
        bundle_cache = (FolderCache(project_dir(options.content, options.cache_dir) / SEARCH_CACHE)
                        if options.cache else None)
        work = SectionWork(renderer, staging, now, assets, options.search, options.bundle_pages,
                           bundle_cache)
        # The province files (exports, reports, kennisbank) are one more task, done first so
        # that it runs beside the gemeenten; the sitemap, which lists every page, comes last.
        tasks = ([PROVINCE] if province else []) + selected
        done_sections = 0
        for done in render_sections(work, tasks):
            for path, size in done.written:
                staging.record(path, size)
            indexed[done.name or "kennisbank"] = len(done.indexed)
            index_seconds += done.index_seconds
            write_seconds += done.write_seconds
            bundles += done.bundles
            reused_bundles += done.reused_bundles
            if done.name != PROVINCE:
                done_sections += 1
                if options.progress:
                    options.progress(kaart.gemeenten[done.name].naam, done_sections, total)
        if province:
            for page in province_index_files(kaart, list(staging.html_pages), deploy.preview):
                data = renderer.render_page(page)
                before = time.perf_counter()
                staging.write(page.path, data)
                write_seconds += time.perf_counter() - before
        t1 = time.perf_counter()
        # The render workers render, write and index side by side (one section after the
        # other); the time each spent writing and indexing is measured there, and counts here
        # divided by the number of workers, the rest is rendering.
        workers = _workers(len(tasks))
        timings["renderen"] = t1 - t0 - (index_seconds + write_seconds) / workers
        timings["zoekindex"] = index_seconds / workers
        timings["schrijven"] = write_seconds / workers
        t2 = time.perf_counter()
        staging.commit(only=None if options.gemeenten is None else selected)
        timings["wisselen"] = time.perf_counter() - t2
        if bundle_cache is not None and province:
            bundle_cache.forget_unused(since=started)  # keep the bundles of this build only
    except RenderError as failed:  # an error in a (site's own) template: nothing is replaced
        staging.discard()
        return BuildResult(False, diags + [failed.diagnostic], timings=timings, kaart=kaart)
    except OSError as exc:  # a full disk, no permission: in Dutch, the previous output stays
        staging.discard()
        raise write_failure(exc, options.out) from exc
    except BaseException:
        staging.discard()
        raise
    return BuildResult(True, diags, pages=staging.count, gemeenten=len(selected),
                       bytes=staging.bytes, timings=timings,
                       indexed={k: v for k, v in indexed.items() if v and options.search},
                       kaart=kaart, bundles=bundles, reused_bundles=reused_bundles,
                       notices=notices)


NO_SITEMAP = ("Geen sitemap.xml gemaakt: het adres van de site is onbekend. Zet 'basis_url' in "
              "content/site.yaml of bouw met --base-url (op Netlify gaat dit vanzelf).")


# The page plan below is shared with ``serve`` (incremental.py), which renders only the pages whose
# inputs changed and must end with the same files as ``build``: add new outputs here, not in build().


def section_pages(kaart: Kaart, g: str, now: datetime, assets: Assets,
                  reuse_calendars: Calendars | None = None) -> list[Page]:
    """The pages and assets of one gemeente folder, in write order (no rendering)."""
    return gemeente_pages(kaart, g, now, reuse_calendars) + assets.pages(g, g)


def province_main(kaart: Kaart, now: datetime, assets: Assets) -> list[Page]:
    """The province-wide files except the sitemap and robots.txt."""
    pages = province_pages(kaart, now) + assets.pages("")
    # Open Referral HSDS + GeoJSON exports, made when written (their inputs in the context)
    pages += [Page(rel, None, inputs, make=make) for rel, make, inputs in export_plan(kaart)]
    return pages


def province_index_files(kaart: Kaart, html_pages: list[str], preview: bool = False) -> list[Page]:
    """robots.txt and, with a base URL, the sitemap of ``html_pages`` (every HTML page)."""
    pages = [Page(path, None, body=body) for path, body in sitemaps(kaart, html_pages)]
    return pages + [Page("robots.txt", None, body=robots(kaart, preview))]


def province_files(kaart: Kaart, now: datetime, assets: Assets, html_pages: list[str]) -> list[Page]:
    """The province-wide files; ``html_pages`` are the gemeente sections' HTML paths (sitemap)."""
    pages = province_main(kaart, now, assets)
    html = [*html_pages, *(p.path for p in pages if p.path.endswith(".html"))]
    return pages + province_index_files(kaart, html)


# Render workers: one process per gemeente section, forked so that the Kaart, the templates and
# the staging folder are inherited instead of pickled. A worker renders its section into the
# staging folder, then indexes it (its own Pagefind process), and returns the paths and sizes;
# the parent records them in the same order as a serial build, so the output is identical.


@dataclass
class SectionWork:
    renderer: Renderer
    staging: Staging
    now: datetime
    assets: Assets
    search: bool
    bundle_pages: int = BUILD_BUNDLE_PAGES
    bundle_cache: FolderCache | None = None  # search bundles of earlier builds (cache.py)


@dataclass
class SectionDone:
    name: str
    written: list[tuple[str, int]]
    indexed: list[str]  # output paths of the pages in the section's search
    index_seconds: float
    write_seconds: float
    bundles: int = 0  # search bundles made or ...
    reused_bundles: int = 0  # ... copied from the cache


PROVINCE = ""  # the task name of the province files (with the kennisbank section)


def render_section(work: SectionWork, g: str) -> SectionDone:
    """Render and index a gemeente section, or (``g`` is PROVINCE) the province files."""
    kaart = work.renderer.kaart
    if g == PROVINCE:
        section = kennisbank_section(work.bundle_pages)
        pages = province_main(kaart, work.now, work.assets)
    else:
        section = gemeente_section(g, work.bundle_pages)
        pages = section_pages(kaart, g, work.now, work.assets)
    written: list[tuple[str, int]] = []
    found: dict[str, str | Path] = {}
    indexed: list[str] = []
    writing = 0.0
    for page in pages:
        data = work.renderer.render_page(page)
        before = time.perf_counter()
        work.staging.write(page.path, data)
        writing += time.perf_counter() - before
        written.append((page.path, len(data)))
        if section.accepts(page.path) and wants_index(data):
            found[section.url(page.path)] = data.decode("utf-8")
            indexed.append(page.path)
    started = time.perf_counter()
    bundles: list = []
    reused = work.bundle_cache.restored if work.bundle_cache else 0
    if work.search:
        bundles = section_bundles(section, work.staging.path(section.name), found)
        write_bundles(bundles, cache=work.bundle_cache)
    reused = (work.bundle_cache.restored if work.bundle_cache else 0) - reused
    return SectionDone(g, written, indexed, time.perf_counter() - started, writing,
                       len([b for b in bundles if b.pages]), reused)


_FORKED: SectionWork | None = None


def _workers(sections: int) -> int:
    if sections < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, sections)


def _forked_section(g: str) -> SectionDone:
    assert _FORKED is not None
    return render_section(_FORKED, g)


WORKER_DIED = ("het bouwen is afgebroken: een werkproces dat pagina's maakte, stopte "
               "onverwacht (meestal omdat de computer te weinig geheugen had). Er is niets "
               "veranderd in de uitvoermap. Probeer het opnieuw; gebeurt het weer, meld het dan "
               "aan de ontwikkelaars")


def render_sections(work: SectionWork, selected: list[str]):
    """Render and index every gemeente section, in parallel where possible, in order.

    A worker that dies (killed, out of memory) breaks the pool: the build then stops with a
    Dutch ``RenderError`` instead of waiting for a result that never comes (as
    ``multiprocessing.Pool`` would: it replaces the worker and loses its task).
    """
    if _workers(len(selected)) == 1:
        for g in selected:
            yield render_section(work, g)
        return
    global _FORKED
    _FORKED = work
    pool = ProcessPoolExecutor(_workers(len(selected)),
                               mp_context=multiprocessing.get_context("fork"))
    try:
        yield from pool.map(_forked_section, selected)
    except BrokenProcessPool:
        raise RenderError(Diagnostic("", 0, 0, "", WORKER_DIED, "fout", "werkproces")) from None
    finally:
        # On an error the sections not started are dropped; those running finish first (they
        # write into the staging folder, which the caller then discards).
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = None


SITEMAP_URLS = 50_000  # the sitemaps.org limit of URLs per sitemap file
NOT_IN_SITEMAP = ("admin/", "rapport/")  # for maintainers, not for search engines


def in_sitemap(path: str) -> bool:
    """Public pages: not the 404 pages, the lists of one visitor, or maintainers' pages."""
    name = path.rsplit("/", 1)[-1]
    return (name != "404.html" and "/lijstje/" not in f"/{path}"
            and not path.startswith(NOT_IN_SITEMAP))


def sitemaps(kaart: Kaart, html_pages: list[str]) -> list[tuple[str, bytes]]:
    """sitemap.xml of every public page, with absolute URLs; none without a base URL.

    Up to ``SITEMAP_URLS`` pages it is one ``urlset``; a bigger site gets a sitemap index
    (``sitemap.xml``) of ``sitemaps/1.xml``, ``sitemaps/2.xml``, ... as the protocol requires.
    """
    from xml.sax.saxutils import escape

    if not kaart.site.basis_url:
        return []
    base = kaart.site.basis_url.rstrip("/")
    locs = [f"{base}/{p.removesuffix('index.html')}" for p in sorted(html_pages) if in_sitemap(p)]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def urlset(chunk: list[str]) -> bytes:
        rows = "".join(f"  <url><loc>{escape(loc)}</loc></url>\n" for loc in chunk)
        return f"{head}<urlset {ns}>\n{rows}</urlset>\n".encode()

    if len(locs) <= SITEMAP_URLS:
        return [("sitemap.xml", urlset(locs))]
    parts = [locs[i:i + SITEMAP_URLS] for i in range(0, len(locs), SITEMAP_URLS)]
    files = [(f"sitemaps/{n}.xml", urlset(chunk)) for n, chunk in enumerate(parts, 1)]
    rows = "".join(f"  <sitemap><loc>{escape(f'{base}/{path}')}</loc></sitemap>\n"
                   for path, _ in files)
    return [("sitemap.xml", f"{head}<sitemapindex {ns}>\n{rows}</sitemapindex>\n".encode()),
            *files]


def robots(kaart: Kaart, preview: bool = False) -> bytes:
    if preview:  # a deploy preview is for reviewers, never for search engines
        return b"User-agent: *\nDisallow: /\n"
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
