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
from typing import TYPE_CHECKING, cast

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.schedule import TZ  # the one time zone of the kaart
from sociale_kaart.outputs.ical import Calendars
from sociale_kaart.pipeline.cache import FolderCache, ParseCache, project_dir
from sociale_kaart.pipeline.history import SHALLOW_NOTICE, attach_history
from sociale_kaart.pipeline.open import open_kaart
from sociale_kaart.site.deploy import deploy_settings
from sociale_kaart.site.fingerprint import Fingerprints
from sociale_kaart.site.pages import Page, RenderError
from sociale_kaart.site.paper import PDF_FILE
from sociale_kaart.site.plan import province_index_files, province_main, section_pages
from sociale_kaart.site.reads import Reads, RecordingKaart
from sociale_kaart.site.records import SectionRecord, page_record, render_recorded
from sociale_kaart.site.render import Renderer
from sociale_kaart.site.search_index import (
    DOCS_CACHE,
    Doc,
    gemeente_section,
    kennisbank_section,
    province_docs,
    section_docs,
    wants_index,
    write_index,
)
from sociale_kaart.site.theme import Assets, make_environment, theme_dirs, theme_problems
from sociale_kaart.site.write import Staging, claim_output, write_failure

if TYPE_CHECKING:
    from sociale_kaart.site.pdf import PdfMaker



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
    # Reuse parsed files and the search documents of earlier builds (see cache.py): only files
    # and sections whose content is the same are reused. ``cache_dir``: the cache folder (the CLI's
    # --cache); None: the project's folder in the user's cache folder.
    cache: bool = False
    cache_dir: Path | None = None
    # The environment the base URL, previews and the repository are read from (deploy.py);
    # None: this process's environment.
    environ: Mapping[str, str] | None = None
    pdf: bool = False  # also the PDFs of the booklets and folders (site/pdf.py, WeasyPrint)


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
    indexes: int = 0  # section search indexes in the site ...
    reused_indexes: int = 0  # ... of which read from the cache of an earlier build
    notices: list[str] = field(default_factory=list)  # Dutch lines for the maintainer
    pdfs: int = 0  # PDFs in the site (build --pdf) ...
    reused_pdfs: int = 0  # ... of which taken from the cache of an earlier build

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


def pdf_maker(assets: Assets, cache_dir: Path | None) -> PdfMaker:
    """The PDF maker of a build (WeasyPrint must be usable: ``pdf.unavailable``), with the
    PDFs of earlier builds in ``cache_dir``'s ``pdf/`` (None: no cache)."""
    from sociale_kaart.site.pdf import PDF_CACHE, PdfMaker

    return PdfMaker(assets, FolderCache(cache_dir / PDF_CACHE) if cache_dir is not None else None)


def build(options: BuildOptions) -> BuildResult:
    started = time.time()
    now = options.now or datetime.now(TZ)
    today = options.today or now.date()
    # Before anything is read or written: may the output folder be replaced at all? (Raises
    # write.OutputRefused.) Also puts back an output that a killed build left renamed away.
    claim_output(options.out, options.content)
    if options.pdf:  # before any work: can this machine make PDFs at all?
        from sociale_kaart.site.pdf import unavailable

        problem_pdf = unavailable()
        if problem_pdf is not None:
            return BuildResult(False, [Diagnostic("", 0, 0, "", problem_pdf, "fout", "pdf")])
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
    if attach_history(kaart, options.content, now).shallow:  # the dates of "Nieuw en gewijzigd"
        notices.append(SHALLOW_NOTICE)

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
    docs_cache = (FolderCache(project_dir(options.content, options.cache_dir) / DOCS_CACHE)
                  if options.cache else None)
    pdfs = (pdf_maker(assets, project_dir(options.content, options.cache_dir)
                      if options.cache else None) if options.pdf else None)
    site = SiteWork(kaart, renderer, options.out, selected, options.gemeenten is None, now,
                    options.search, docs_cache, deploy.preview,
                    options.progress, pdfs)
    try:
        made = write_site(site)
    except RenderError as failed:  # an error in a (site's own) template: nothing is replaced
        return BuildResult(False, diags + [failed.diagnostic], timings=timings, kaart=kaart)
    timings["renderen"] = time.perf_counter() - t0 - sum(made.timings.values())
    timings.update(made.timings)
    if docs_cache is not None and site.province:
        docs_cache.forget_unused(since=started)  # keep the documents of this build only
    if pdfs is not None and pdfs.cache is not None and site.province:
        pdfs.cache.forget_unused(since=started)
    return BuildResult(True, diags, pages=made.pages, gemeenten=len(selected),
                       bytes=made.bytes, timings=timings,
                       indexed={k: v for k, v in made.indexed.items() if v and options.search},
                       kaart=kaart, indexes=made.indexes, reused_indexes=made.reused_indexes,
                       notices=notices, pdfs=made.pdfs, reused_pdfs=made.reused_pdfs)


@dataclass
class SiteWork:
    """What ``write_site`` makes: the site of ``kaart`` (or of its ``selected`` gemeenten) in
    ``out``, with everything the build worked out before (renderer, deploy settings)."""

    kaart: Kaart | RecordingKaart  # ``serve`` passes a RecordingKaart to get the records
    renderer: Renderer
    out: Path
    selected: list[str]
    province: bool  # also the province-wide files (all gemeenten were selected)
    now: datetime
    search: bool = True
    docs_cache: FolderCache | None = None  # search documents of earlier builds (search_index.py)
    preview: bool = False
    progress: Callable[[str, int, int], None] | None = None
    pdfs: PdfMaker | None = None  # build --pdf


@dataclass
class SiteMade:
    pages: int = 0
    bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # zoekindex, schrijven, wisselen
    indexed: dict[str, int] = field(default_factory=dict)
    indexed_pages: set[str] = field(default_factory=set)  # output paths of indexed pages
    indexes: int = 0
    reused_indexes: int = 0
    pdfs: int = 0
    reused_pdfs: int = 0
    # With a RecordingKaart: what each section's plan read and the record of each page.
    sections: dict[str, SectionRecord] = field(default_factory=dict)
    # The search engine's documents of the indexed pages (output path -> Doc; search_index.py):
    # complete with a RecordingKaart (serve keeps them), else without their body words.
    docs: dict[str, Doc] = field(default_factory=dict)


def write_site(site: SiteWork) -> SiteMade:
    """Render, index and write the site into a staging folder, then swap it in place of the
    output (the build's own stages; ``serve`` uses them for its full rebuilds). Raises
    ``RenderError``, or ``WriteFailed`` for a full disk and the like; the previous output stays
    as it was then."""
    kaart = site.kaart
    try:
        staging = Staging(site.out)
    except OSError as exc:
        raise write_failure(exc, site.out) from exc
    made = SiteMade()
    index_seconds = write_seconds = pdf_seconds = 0.0
    try:
        work = SectionWork(site.renderer, staging, site.now, site.renderer.assets, site.search,
                           site.docs_cache,
                           kaart if isinstance(kaart, RecordingKaart) else None, pdfs=site.pdfs)
        # The province files (exports, reports, kennisbank) are one more task, done first so
        # that it runs beside the gemeenten; the sitemap, which lists every page, comes last.
        tasks = ([PROVINCE] if site.province else []) + site.selected
        done_sections = 0
        for done in render_sections(work, tasks):
            for path, size in done.written:
                staging.record(path, size)
            made.indexed[done.name or "kennisbank"] = len(done.indexed)
            if site.search:
                made.indexed_pages.update(done.indexed)
            index_seconds += done.index_seconds
            write_seconds += done.write_seconds
            made.docs.update(done.docs)
            made.indexes += done.indexes
            made.reused_indexes += done.reused_indexes
            pdf_seconds += done.pdf_seconds
            made.pdfs += done.pdfs
            made.reused_pdfs += done.reused_pdfs
            if done.record is not None:
                made.sections[done.name] = done.record
            if done.name != PROVINCE:
                done_sections += 1
                if site.progress:
                    site.progress(kaart.gemeenten[done.name].naam, done_sections, len(site.selected))
        if site.province:
            record = made.sections.get(PROVINCE)
            for page in province_index_files(cast(Kaart, kaart), list(staging.html_pages), site.preview):
                data = site.renderer.render_page(page)
                before = time.perf_counter()
                staging.write(page.path, data)
                write_seconds += time.perf_counter() - before
                if record is not None:
                    record.pages[page.path] = page_record(page, set(), Reads(), work.prints)
            if site.search:
                # The province-wide index of every section's pages (without their body words).
                before = time.perf_counter()
                write_index(staging.root, province_docs(made.docs), body=False)
                index_seconds += (time.perf_counter() - before) * _workers(len(tasks))
        # The render workers render, write and index side by side (one section after the
        # other); the time each spent writing and indexing is measured there, and counts here
        # divided by the number of workers (the caller counts the rest as rendering).
        workers = _workers(len(tasks))
        made.timings["zoekindex"] = index_seconds / workers
        made.timings["schrijven"] = write_seconds / workers
        if site.pdfs is not None:
            made.timings["pdf"] = pdf_seconds / workers
        t2 = time.perf_counter()
        staging.commit(only=None if site.province else site.selected)
        made.timings["wisselen"] = time.perf_counter() - t2
    except OSError as exc:  # a full disk, no permission: in Dutch, the previous output stays
        staging.discard()
        raise write_failure(exc, site.out) from exc
    except BaseException:
        staging.discard()
        raise
    made.pages, made.bytes = staging.count, staging.bytes
    return made


NO_SITEMAP = ("Geen sitemap.xml gemaakt: het adres van de site is onbekend. Zet 'basis_url' in "
              "content/site.yaml of bouw met --base-url (op Netlify gaat dit vanzelf).")


# The page plan below is shared with ``serve`` (incremental.py), which renders only the pages whose
# inputs changed and must end with the same files as ``build``: add new outputs here, not in build().


# Render workers: one process per gemeente section, forked so that the Kaart, the templates and
# the staging folder are inherited instead of pickled. A worker renders its section into the
# staging folder, then indexes it (search_index.py), and returns the paths and sizes;
# the parent records them in the same order as a serial build, so the output is identical.


@dataclass
class SectionWork:
    renderer: Renderer
    staging: Staging
    now: datetime
    assets: Assets
    search: bool
    docs_cache: FolderCache | None = None  # search documents of earlier builds (search_index.py)
    # ``serve``: plan and render through this recorder, and return what each page read.
    recorder: RecordingKaart | None = None
    prints: Fingerprints = field(default_factory=Fingerprints)
    pdfs: PdfMaker | None = None  # build --pdf: the PDFs of the pages made for paper


@dataclass
class SectionDone:
    name: str
    written: list[tuple[str, int]]
    indexed: list[str]  # output paths of the pages in the section's search
    index_seconds: float
    write_seconds: float
    indexes: int = 0  # search indexes made (0 or 1) ...
    reused_indexes: int = 0  # ... of which from documents in the cache
    record: SectionRecord | None = None  # with a recorder: what the plan and each page read
    pdf_seconds: float = 0.0  # time spent making (or finding) the section's PDFs
    pdfs: int = 0  # PDFs made or ...
    reused_pdfs: int = 0  # ... taken from the cache
    docs: dict[str, Doc] = field(default_factory=dict)  # see SiteMade.docs


PROVINCE = ""  # the task name of the province files (with the kennisbank section)


def plan_section(kaart: Kaart | RecordingKaart, g: str, now: datetime, assets: Assets,
                 reuse_calendars: Calendars | None = None) -> list[Page]:
    """The pages of a gemeente section, or (``g`` is PROVINCE) the province files."""
    real = cast(Kaart, kaart)  # a RecordingKaart reads as a Kaart (site/reads.py)
    if g == PROVINCE:
        return province_main(real, now, assets)
    return section_pages(real, g, now, assets, reuse_calendars)


def render_section(work: SectionWork, g: str) -> SectionDone:
    """Render and index a gemeente section, or (``g`` is PROVINCE) the province files."""
    recorder = work.recorder
    kaart = recorder if recorder is not None else work.renderer.kaart
    section = kennisbank_section() if g == PROVINCE else gemeente_section(g)
    record = None
    if recorder is not None:
        record = SectionRecord(Reads(), {})
        with recorder.recording(record.reads):
            pages = plan_section(kaart, g, work.now, work.assets)
    else:
        pages = plan_section(kaart, g, work.now, work.assets)
    written: list[tuple[str, int]] = []
    found: dict[str, str | Path] = {}
    indexed: list[str] = []
    writing = pdf_seconds = 0.0
    pdfs = work.pdfs
    made_before = (pdfs.made, pdfs.reused) if pdfs is not None else (0, 0)

    def write_pdf(path: str, data: bytes) -> None:
        work.staging.write(path, data)
        written.append((path, len(data)))

    for page in pages:
        if pdfs is not None and page.context.get(PDF_FILE):
            before = time.perf_counter()
            page = pdfs.with_pdf(page, work.renderer.render_page, write_pdf)
            pdf_seconds += time.perf_counter() - before
        if recorder is not None and record is not None:
            data, record.pages[page.path] = render_recorded(work.renderer, recorder, page,
                                                             work.prints)
        else:
            data = work.renderer.render_page(page)
        before = time.perf_counter()
        work.staging.write(page.path, data)
        writing += time.perf_counter() - before
        written.append((page.path, len(data)))
        if section.accepts(page.path) and wants_index(data):
            found[section.url(page.path)] = data.decode("utf-8")
            indexed.append(page.path)
    started = time.perf_counter()
    cache = work.docs_cache
    reused = cache.restored if cache else 0
    docs: dict[str, Doc] = {}
    if work.search:
        full = section_docs({path: found[section.url(path)] for path in indexed},
                            {path: section.url(path) for path in indexed},
                            work.renderer.kaart.lexicon(), cache)
        write_index(work.staging.path(section.name), list(full.values()))
        docs = {path: d if recorder is not None else d.head() for path, d in full.items()}
    reused = (cache.restored if cache else 0) - reused
    made_pdfs = (pdfs.made + pdfs.reused - sum(made_before), pdfs.reused - made_before[1]) \
        if pdfs is not None else (0, 0)
    return SectionDone(g, written, indexed, time.perf_counter() - started, writing,
                       int(work.search), reused, record, pdf_seconds, *made_pdfs, docs)


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
