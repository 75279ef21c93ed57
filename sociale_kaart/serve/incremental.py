"""Incremental rebuilds for ``serve``: plan again what an edit can have changed, and make again
only the pages whose plan changed.

One rebuild, step by step:

1. ``open_kaart`` loads the content with the build's own stages; unchanged files come from
   memory (pipeline/load.LoadMemory: a file is read again only when its stat changed) or from
   the parse cache, and the duplicate checks of unchanged groups are remembered.
2. Every key of the kaart gets a digest (site/reads.kaart_digests); the keys whose digest
   differs from the last build are what changed. A change to the site settings, a vocabulary,
   the regions or the date, to the theme's static files, to the set of templates or to the
   selected gemeenten rebuilds everything, with the build's own stages (``write_site``: one
   worker per gemeente, a staging folder swapped in place). Their records come back with it.
3. Otherwise a section (a gemeente folder, or the province files) is planned again when its
   last plan read a changed key, or when one of its pages must be made again (below). The
   plan is made through a ``RecordingKaart``, so what it reads is recorded as it reads: there
   is no list of what a page may depend on, and no convention a template must follow.
4. A page of a planned section is made again when it is new, its fingerprint changed (its
   context of views and entries, its template name, or the function and arguments that make
   its bytes), a template it loaded changed, or something it read of the kaart while it was
   made changed (site/records.py). Pages that disappeared are deleted; only the changed pages
   are read again for the search index (search_index.py), whose files are then rewritten.
5. The gemeente sections come first (what the maintainer is looking at), with their search;
   browsers reload then. The province-wide files (exports, reports, sitemap) and the
   province's search index (every section's documents: a second at 10,000 entries) follow.
"""

from __future__ import annotations

import gc
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import cast

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.model.schedule import TZ  # the one time zone of the kaart
from sociale_kaart.outputs.ical import Calendars
from sociale_kaart.pipeline.cache import ParseCache
from sociale_kaart.pipeline.history import attach_history
from sociale_kaart.pipeline.load import LoadMemory, SourceFile, display_path, file_digest
from sociale_kaart.pipeline.open import open_kaart
from sociale_kaart.site.build import PROVINCE, SiteWork, plan_section, select_gemeenten, write_site
from sociale_kaart.site.fingerprint import Fingerprints
from sociale_kaart.site.pages import Page, RenderError
from sociale_kaart.site.plan import calendars, province_index_files
from sociale_kaart.site.reads import GLOBAL, Key, Memos, Reads, RecordingKaart, changed_keys, kaart_digests
from sociale_kaart.site.records import PageRecord, SectionRecord, render_recorded
from sociale_kaart.site.render import Renderer, template_error
from sociale_kaart.site.search_index import (
    Doc,
    extract,
    province_docs,
    sections,
    wants_index,
    write_index,
)
from sociale_kaart.site.theme import (
    THEMES_DIR,
    Assets,
    RecordingEnvironment,
    make_environment,
    scan_themes,
    theme_dirs,
)
from sociale_kaart.site.write import WriteFailed, claim_output, write_failure


@dataclass
class RebuildReport:
    ok: bool
    full: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)  # content errors and warnings
    errors: list[Diagnostic] = field(default_factory=list)  # what stopped this rebuild
    changed_files: list[str] = field(default_factory=list)  # sources and templates that changed
    pages: int = 0  # pages in the site
    rendered: int = 0  # pages rendered in this rebuild
    rendered_paths: list[str] = field(default_factory=list)
    written: int = 0  # files whose bytes changed on disk
    deleted: int = 0
    indexed: list[str] = field(default_factory=list)  # sections whose search index was rebuilt
    planned_sections: list[str] = field(default_factory=list)  # gemeenten planned again
    # Seconds until the gemeente pages and their search were up to date (the province-wide
    # files follow); equals ``seconds`` for a full rebuild.
    page_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    parsed: int = 0  # content files parsed again
    seconds: float = 0.0

    @property
    def changed_output(self) -> bool:
        return self.full or bool(self.written or self.deleted or self.indexed)


@dataclass
class _State:
    """What the last successful build produced; the base for the next incremental one."""

    sources: dict[SourceFile, str | None]
    keys: dict[Key, bytes]  # the digest of every key of the kaart (site/reads.py)
    theme_files: dict[str, str | None]  # absolute path -> hash (templates and static files)
    dirs: list[Path]
    selected: list[str]
    now: datetime
    sections: dict[str, SectionRecord]  # gemeente (or PROVINCE) -> what it read and made
    indexed: set[str]  # output paths of pages that went into a search index



class IncrementalBuilder:
    """Builds the site into ``out`` and keeps it up to date with ``rebuild()``.

    ``now`` fixed: every rebuild uses it (tests, reproducible output). ``now`` None: the clock is
    read once and kept until the date changes (then everything is rebuilt).
    ``parse_cache``: the parse cache on disk (``serve``'s default, see cache.py); files not yet
    in memory come from it, so the first rebuild of a big kaart parses only changed files.
    """

    def __init__(self, content: Path, out: Path, gemeenten: list[str] | None = None,
                 base_url: str | None = None, now: datetime | None = None,
                 today: date | None = None, search: bool = True,
                 clock: Callable[[], datetime] | None = None,
                 on_written: Callable[[RebuildReport], None] | None = None,
                 parse_cache: ParseCache | None = None) -> None:
        self.content = Path(content)
        # Refuses (write.OutputRefused) a folder that may not be replaced, before anything is
        # written; puts back an output that a killed build left renamed away.
        self.out = claim_output(Path(out), self.content)
        self.gemeenten = list(gemeenten) if gemeenten else None
        self.base_url = base_url
        self.fixed_now = now
        self.fixed_today = today
        self.search = search
        self.clock = clock or (lambda: datetime.now(TZ))
        # Called in an incremental rebuild once the pages are on disk, before the search index
        # (the dev server lets browsers reload then).
        self.on_written = on_written
        self.parse_cache = parse_cache
        self.memory = LoadMemory()  # unchanged files are not read or parsed again
        self.prints = Fingerprints()  # entry digests, kept while the entries live
        self.memos = Memos()  # Kaart.memo values, kept until something they read changes
        self._duplicates: dict = {}  # duplicates.find_duplicates memo, per group of entries
        self._state: _State | None = None
        # The search engine's documents of the indexed pages as they are in ``out`` (output
        # path -> Doc, see search_index.py).
        self._docs: dict[str, Doc] = {}
        # A section's documents changed since the province index was last written.
        self._province_index_stale = False
        self._heads: dict[str, tuple[Doc, Doc]] = {}  # their province documents (province_docs)
        self._env: RecordingEnvironment | None = None
        self._env_key: tuple | None = None
        # The .ics maker of the last rebuild: the events of unchanged activities are reused
        # (the gemeente feed is remade after every edit of one of its activities).
        self._calendars: Calendars | None = None
        self._current_now: datetime | None = None
        self._started = 0.0

    # -- inputs

    def _now(self) -> datetime:
        if self.fixed_now is not None:
            return self.fixed_now
        now = self.clock()
        if self._current_now is None or self._current_now.date() != now.date():
            self._current_now = now
        return self._current_now

    def theme_roots(self) -> list[Path]:
        """Folders whose files shape the output besides the content (for the watcher)."""
        roots = [THEMES_DIR]
        project = Path(os.path.abspath(self.content)).parent
        themes = project / "themes"
        # A themes/ folder that is a link out of the project is not watched (and its themes
        # are refused: theme.theme_root): watching it could mean watching the whole disk.
        if themes.is_dir() and Path(os.path.realpath(themes)).is_relative_to(os.path.realpath(project)) \
                and Path(os.path.realpath(themes)) != THEMES_DIR.resolve():
            roots.insert(0, themes)
        return roots

    @staticmethod
    def _theme_files(dirs: list[Path]) -> tuple[dict[str, str | None], list[Diagnostic]]:
        """The hash of every usable template and static file, and what is not usable."""
        found, problems = scan_themes(dirs)
        return {str(path): file_digest(path) for path in found}, problems

    def _environment(self, dirs: list[Path], theme_files: dict[str, str | None]) -> RecordingEnvironment:
        key = (tuple(dirs), tuple(sorted(theme_files.items(), key=lambda kv: kv[0])))
        if self._env is None or self._env_key != key:
            # A fresh environment: Jinja's own reload check only looks at modification times.
            self._env = make_environment(dirs)
            self._env_key = key
        return self._env

    @staticmethod
    def _template_name(path: str, dirs: list[Path]) -> str | None:
        for d in dirs:
            p = Path(path)
            if p.is_relative_to(d):
                return p.relative_to(d).as_posix()
        return None

    # -- rebuild

    def rebuild(self, force_full: bool = False) -> RebuildReport:
        """Bring ``out`` up to date. Never raises for bad content or templates: see the report."""
        self._started = started = time.perf_counter()
        # No garbage collection while rebuilding (see yaml_loader.paused_gc): the loaded content
        # is millions of objects, and one full collection takes a third of a second on 10,000
        # entries. The garbage of the previous rebuild is collected when everything is written.
        collecting = gc.isenabled()
        gc.disable()
        try:
            report = self._rebuild(force_full)
            if not report.ok:  # values from a kaart that did not become the state
                self.memos.forget()
        finally:
            if collecting:
                gc.unfreeze()
                gc.collect()
                gc.freeze()
                gc.enable()
        report.seconds = time.perf_counter() - started
        report.page_seconds = report.page_seconds or report.seconds
        return report

    def _rebuild(self, force_full: bool) -> RebuildReport:
        now = self._now()
        today = self.fixed_today or now.date()
        watch = _Stopwatch()
        opened = open_kaart(self.content, today, self.parse_cache, self._duplicates, self.memory)
        kaart, hashes = opened.kaart, opened.loaded.digests
        report = RebuildReport(False, diagnostics=opened.diagnostics, parsed=self.memory.parsed)
        state = self._state
        if state is not None:
            report.changed_files = sorted(
                {s.rel for s in set(hashes) ^ set(state.sources)}
                | {s.rel for s, h in hashes.items() if s in state.sources and state.sources[s] != h})
        if kaart is None:
            report.errors = opened.errors
            return report
        selected, problem = select_gemeenten(kaart, self.gemeenten, self.base_url)
        if problem is not None:
            report.errors = [problem]
            return report
        attach_history(kaart, self.content, now)  # "Nieuw en gewijzigd" (memoized per commit)

        watch.mark()
        dirs = theme_dirs(kaart.site.thema, self.content)
        theme_files, problems = self._theme_files(dirs)
        if problems:
            report.errors = problems
            return report
        keys = kaart_digests(kaart, self.prints)
        self.prints.forget_others({id(e) for entries in opened.loaded.entries.values()
                                   for e in entries})

        # What changed since the last successful build?
        full = force_full or state is None or state.dirs != dirs or state.selected != selected \
            or state.now != now or not self.out.is_dir()
        changed: set[Key] = set()
        templates: set[str] = set()
        if not full:
            assert state is not None
            changed = changed_keys(state.keys, keys)
            full = any(key[0] in GLOBAL for key in changed)
        if not full:
            assert state is not None
            if set(theme_files) != set(state.theme_files):
                full = True  # a template or static file was added or removed
            for path, digest in theme_files.items():
                if state.theme_files.get(path) == digest:
                    continue
                name = self._template_name(path, dirs)
                if name is None:
                    full = True  # a static file: fingerprinted asset names change everywhere
                else:
                    templates.add(name)
            report.changed_files += sorted(display_path(Path(p)) for p, d in theme_files.items()
                                           if state.theme_files.get(p) != d)

        try:
            env = self._environment(dirs, theme_files)
            assets = Assets.load(dirs)
        except Exception as exc:  # noqa: BLE001 - template syntax errors and the like
            report.errors = [template_error(exc)]
            return report
        self.memos.forget(None if full else changed)
        recorder = RecordingKaart(kaart, self.memos)
        renderer = Renderer(kaart, env, assets)
        if full or self._calendars is None:
            self._calendars = calendars(kaart, now)  # a fresh one: nothing left over
        else:
            self._calendars = calendars(kaart, now, self._calendars)
            self._calendars.forget_others(a for acts in kaart.activiteiten.values()
                                          for a in acts.values())
        report.timings = watch.lap("laden en controleren", "vergelijken")

        try:
            if full:
                records, indexed = self._full(recorder, renderer, selected, now, report)
            else:
                assert state is not None
                records, indexed = self._partial(recorder, renderer, assets, selected, now, state,
                                                 changed, templates, report)
        except RenderError as failed:
            report.errors = [failed.diagnostic]
            return report
        except WriteFailed as failed:  # a full disk and the like, already in Dutch
            report.errors = [Diagnostic("", 0, 0, "", str(failed), "fout", "schrijven")]
            return report
        except Exception as exc:  # noqa: BLE001 - e.g. the search indexer; the output is unknown now
            self._state = None if not full else self._state
            text = str(write_failure(exc, self.out)) if isinstance(exc, OSError) else \
                f"de site kon niet geschreven worden ({type(exc).__name__}: {exc})"
            report.errors = [Diagnostic("", 0, 0, "", text, "fout", "schrijven")]
            return report
        report.ok = True
        report.full = full
        report.pages = sum(len(r.pages) for r in records.values())
        self._state = _State(dict(hashes), keys, theme_files, dirs, selected, now, records, indexed)
        return report

    # -- full

    def _full(self, recorder: RecordingKaart, renderer: Renderer, selected: list[str],
              now: datetime, report: RebuildReport) -> tuple[dict[str, SectionRecord], set[str]]:
        """Everything, with the build's own stages (``write_site``): one worker process per
        gemeente on every core, into a staging folder that replaces the output only when
        complete (a template error leaves the previous site as it was). The workers plan and
        render through the recorder and send back what each section and page read."""
        watch = _Stopwatch()
        province = self.gemeenten is None
        made = write_site(SiteWork(recorder, renderer, self.out, selected, province, now,
                                   self.search))
        report.indexed = sorted(name for name, n in made.indexed.items() if n and self.search)
        self._docs = made.docs
        self._province_index_stale = False  # write_site wrote it
        report.rendered = report.written = made.pages
        report.planned_sections = list(selected)
        report.timings["renderen, schrijven en zoekindex"] = watch.split()
        return made.sections, made.indexed_pages

    # -- partial

    def _partial(self, recorder: RecordingKaart, renderer: Renderer, assets: Assets,
                 selected: list[str], now: datetime, state: _State, changed: set[Key],
                 templates: set[str], report: RebuildReport
                 ) -> tuple[dict[str, SectionRecord], set[str]]:
        """Two rounds: first the gemeente sections that must be planned again (what the
        maintainer is looking at) with their search; browsers reload then. Only then the
        province-wide files (exports, reports, sitemap): on a big site that takes seconds."""
        records = dict(state.sections)
        indexed = set(state.indexed)
        watch = _Stopwatch()
        planned = [g for g in selected if records[g].touched(changed, templates)]
        report.planned_sections = planned
        todo: list[tuple[Page, PageRecord | None]] = []
        removed: list[str] = []
        for g in planned:
            new_pages, removed_here = self._plan(recorder, g, now, assets, records, changed,
                                                 templates)
            todo += new_pages
            removed += removed_here
        report.timings["plannen"] = watch.split()
        self._round(renderer, recorder, todo, removed, indexed, selected, records, report)
        report.page_seconds = time.perf_counter() - self._started
        if self.on_written is not None and (report.written or report.deleted):
            self.on_written(report)

        if self.gemeenten is None:  # the province files, also when pages came or went (sitemap)
            watch.split()
            html = _gemeente_html(records)
            if records[PROVINCE].touched(changed, templates) or html != _gemeente_html(state.sections):
                later, gone = self._plan(recorder, PROVINCE, now, assets, records, changed,
                                         templates, html)
                report.timings["plannen provincie"] = watch.split()
                if later or gone:
                    before = report.written
                    self._round(renderer, recorder, later, gone, indexed, selected,
                                records, report, timing="provincie")
                    if self.on_written is not None and report.written > before and any(
                            p.path.endswith(".html") for p, _ in later):
                        self.on_written(report)
                todo += later
            self._province_index(report)
        report.rendered = len(todo)
        report.rendered_paths = [p.path for p, _ in todo]
        return records, indexed

    def _plan(self, recorder: RecordingKaart, g: str, now: datetime, assets: Assets,
              records: dict[str, SectionRecord], changed: set[Key], templates: set[str],
              html: list[str] | None = None) -> tuple[list[tuple[Page, PageRecord | None]], list[str]]:
        """Plan section ``g`` again (recording what the plan reads). Returns the pages that
        must be made again, each with its old record, and the paths of pages that are gone."""
        old = records[g]
        reads = Reads()
        with recorder.recording(reads):
            pages = plan_section(recorder, g, now, assets, self._calendars)
            if g == PROVINCE and html is not None:
                html = html + [p.path for p in pages if p.path.endswith(".html")]
                pages += province_index_files(cast(Kaart, recorder), html)
        new = SectionRecord(reads, {})
        todo: list[tuple[Page, PageRecord | None]] = []
        for page in pages:
            was = old.pages.get(page.path)
            fresh = PageRecord(_fingerprint(page, self.prints), frozenset(), frozenset())
            if was is None or was.stale(fresh, changed, templates):
                todo.append((page, was))
                new.pages[page.path] = fresh  # completed when it is made (_round)
            else:
                new.pages[page.path] = was
        records[g] = new
        return todo, sorted(set(old.pages) - set(new.pages))

    def _round(self, renderer: Renderer, recorder: RecordingKaart,
               todo: list[tuple[Page, PageRecord | None]], removed: list[str], indexed: set[str],
               selected: list[str], records: dict[str, SectionRecord],
               report: RebuildReport, timing: str = "") -> None:
        """Render ``todo``, write what changed, delete ``removed``, remake touched search indexes."""
        watch = _Stopwatch()
        fresh: dict[str, bytes] = {}
        owner = {path: name for name, r in records.items() for path in r.pages}
        for page, _ in todo:
            planned = records[owner[page.path]].pages.get(page.path)
            data, record = render_recorded(renderer, recorder, page, self.prints,
                                           planned.fingerprint if planned is not None else None)
            fresh[page.path] = data
            records[owner[page.path]].pages[page.path] = record
        report.timings[timing or "renderen"] = watch.split()
        touched: set[str] = set()  # indexed pages (before or after) whose bytes changed
        for page, _ in todo:
            target = self._target(page.path)
            data = fresh[page.path]
            try:
                old = target.read_bytes()
            except OSError:
                old = None
            if old == data:
                continue
            _write_atomic(target, data)
            report.written += 1
            wanted = page.path.endswith(".html") and wants_index(data)
            if wanted or page.path in indexed:
                touched.add(page.path)
            if wanted:
                indexed.add(page.path)
            else:
                indexed.discard(page.path)
        for path in removed:
            target = self._target(path)
            if path in indexed:
                touched.add(path)
                indexed.discard(path)
            if target.exists():
                target.unlink()
                report.deleted += 1
            _prune_empty(target.parent, self.out)
        if not timing:
            report.timings["schrijven"] = watch.split()
        if not self.search or not touched:
            return

        # Only the touched pages are read again; the indexes of their sections and the
        # province's are written again from the documents kept in memory.
        done = []
        for section in sections(selected, self.gemeenten is None):
            pages = [p for p in touched if section.accepts(p)]
            if not pages:
                continue
            for p in pages:
                doc = extract(fresh[p].decode("utf-8"), section.url(p),
                              recorder.lexicon()) if p in indexed else None
                if doc is None:
                    self._docs.pop(p, None)
                else:
                    self._docs[p] = doc
            write_index(self._target(section.name),
                        [d for p, d in self._docs.items() if section.accepts(p)])
            done.append(section.name)
        # The province index (every section's documents) is written with the province files,
        # after browsers reloaded: on a big site it takes a second (``_province_index``).
        self._province_index_stale = self._province_index_stale or bool(done)
        report.indexed = sorted(set(report.indexed) | set(done))
        report.timings["zoekindex"] = report.timings.get("zoekindex", 0.0) + watch.split()

    def _province_index(self, report: RebuildReport) -> None:
        """Write the province's search index again when a section's documents changed."""
        if not (self.search and self._province_index_stale):
            return
        watch = _Stopwatch()
        write_index(self.out, province_docs(self._docs, self._heads), body=False)
        self._province_index_stale = False
        report.timings["zoekindex provincie"] = watch.split()

    def _target(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise ValueError(f"unsafe output path: {rel}")
        return self.out.joinpath(*pure.parts)


def _gemeente_html(records: dict[str, SectionRecord]) -> list[str]:
    """The HTML pages of the gemeente sections (the sitemap lists them)."""
    return sorted(p for name, r in records.items() if name != PROVINCE for p in r.pages
                  if p.endswith(".html"))


def _fingerprint(page: Page, prints: Fingerprints) -> bytes | None:
    from sociale_kaart.site.records import page_fingerprint

    return page_fingerprint(page, prints)


class _Stopwatch:
    def __init__(self) -> None:
        self._last = time.perf_counter()
        self._marks: list[float] = []

    def split(self) -> float:
        now = time.perf_counter()
        took, self._last = now - self._last, now
        return took

    def mark(self) -> None:
        self._marks.append(time.perf_counter())

    def lap(self, *names: str) -> dict[str, float]:
        """Durations between the marks (and from the last mark to now), named in order."""
        points = [self._last, *self._marks, time.perf_counter()]
        self._last, self._marks = points[-1], []
        return {name: b - a for name, a, b in zip(names, points, points[1:], strict=False)}


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
