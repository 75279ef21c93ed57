"""Incremental rebuilds for ``serve``: re-render only the pages whose inputs changed.

One rebuild, step by step:

1. Every content file is hashed. A file whose hash did not change keeps its loaded and validated
   model (``LoadCache``), so only changed files are parsed and validated again. References are
   then checked for the whole kaart (cheap: dict lookups).
2. A change to ``site.yaml``, a taxonomy, a gemeente or a praktijk, to the theme's static files,
   to the set of template files, to the theme search path, to the selected gemeenten or to the
   date means a *full* rebuild: these feed (nearly) every page.
3. Otherwise every changed, added or removed activity, place or organisation gives *change keys*:
   the entry key ``(kind, gemeente, slug)`` plus coarse keys such as ``("plekken", g)`` for
   templates that look entries up through ``kaart`` themselves.
4. The page list is computed again (``build.section_pages``: no rendering). Each page gets a
   ``PageRecord``: a digest of its template context in which every entry is replaced by its key
   (so a changed list, order or computed value changes the digest), the entry keys found in the
   context, the coarse keys of the ``kaart.<attribute>`` lookups its templates make, and the
   templates it uses (extends, includes and imports followed).
5. A page is rendered again when it is new, its digest changed, an entry it shows (before or
   after the change) changed, a coarse key it reads changed, or one of its templates changed.
   Whatever cannot be fingerprinted (an unknown object in the context, a dynamic include, a bare
   use of ``kaart``) is rendered every time. Pages that disappeared are deleted. Only sections
   (gemeente folders, the kennisbank) whose indexed pages changed get a new Pagefind index.

Convention the tracking relies on: templates of a gemeente page reach other entries through
``kaart`` only with that page's gemeente (``kaart.plekken[g]``), and Python helpers called from
templates only read what they are given or what a full rebuild covers (site, taxonomies, gemeenten).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import meta, nodes
from pydantic import BaseModel

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.entries import Entry
from sociale_kaart.outputs.ical import Calendars
from sociale_kaart.pipeline.cache import ParseCache
from sociale_kaart.pipeline.load import Loaded, SourceFile, discover, display_path, load_files, load_one
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.pipeline.yaml_loader import read_regular_file
from sociale_kaart.site.build import PROVINCE, SectionWork, render_sections, select_gemeenten
from sociale_kaart.site.pages import Page, RenderError
from sociale_kaart.site.plan import calendars, province_files, province_index_files, section_pages
from sociale_kaart.site.render import Renderer, template_error
from sociale_kaart.site.search import (
    PRIMARY,
    SERVE_BUNDLE_PAGES,
    layout,
    remove_obsolete,
    section_bundles,
    sections,
    shard_shape,
    wants_index,
    write_bundles,
)
from sociale_kaart.site.theme import Assets, make_environment, scan_themes, theme_dirs
from sociale_kaart.site.write import Staging, building, claim_output, write_failure

if TYPE_CHECKING:
    from _typeshed import DataclassInstance  # typeshed only: the type of a dataclass

TZ = ZoneInfo("Europe/Amsterdam")

# Entry kinds whose changes are tracked page by page; any other changed file means a full rebuild.
TRACKED_KINDS = {"activiteit": "activiteiten", "ontmoetingsplek": "plekken",
                 "organisatie": "organisaties"}
# Coarse groups whose entries are global rather than per gemeente.
GLOBAL_GROUPS = {"organisaties"}
# ``kaart.<attribute>`` -> coarse groups it exposes. Attributes mapped to () only change in a full
# rebuild; attributes not listed make a page "always render".
KAART_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "plekken": ("plekken",),
    "activiteiten": ("activiteiten",),
    "active": ("activiteiten",),
    "activiteiten_per_plek": ("activiteiten",),
    "activiteiten_per_organisatie": ("activiteiten",),
    "organisaties": ("organisaties",),
    "organisaties_per_gemeente": ("activiteiten", "plekken", "organisaties"),
    **{name: () for name in ("site", "today", "taxonomies", "terms", "regios", "gemeenten",
                             "praktijken", "praktijken_per_gemeente", "term", "label",
                             "is_stale", "gemeente_of")},
}

EntryKey = tuple[str, str, str]
CoarseKey = tuple[str, str]


# --------------------------------------------------------------------------- cached loading


@dataclass
class LoadCache:
    """Loaded and validated files, keyed by source file; valid while the content hash matches."""

    files: dict[SourceFile, tuple[str, tuple[Any, Any, list[Diagnostic]]]] = field(default_factory=dict)
    parsed: int = 0  # files parsed in the last load (for reports and tests)
    disk: ParseCache | None = None  # the parse cache on disk (``serve --cache``), if any
    # (inode, size, mtime, ctime) of each file when its hash was taken: a file whose stat is the
    # same is not read again (as git does). ``serve`` looks at every file after each edit.
    stats: dict[SourceFile, tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)

    def digest(self, source: SourceFile) -> str | None:
        """The content hash of ``source``; read and hashed only when its stat changed."""
        try:
            st = source.path.stat()
        except OSError:
            return None
        key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        known = self.stats.get(source)
        # A file changed twice within one tick of the file system clock keeps its stat; like
        # git, trust the stat only of files that have not changed in the last seconds.
        if known is not None and known[0] == key and time.time_ns() - st.st_ctime_ns > RACY_NS:
            return known[1]
        digest = file_digest(source.path)
        if digest is not None:
            self.stats[source] = (key, digest)
        return digest


RACY_NS = 2_000_000_000


def file_digest(path: Path) -> str | None:
    """The content hash of the regular file ``path``; None when it is not one or cannot be read
    (a FIFO that took the place of a file is never opened for reading)."""
    try:
        return hashlib.blake2b(read_regular_file(path), digest_size=16).hexdigest()
    except OSError:
        return None


def load_cached(content_dir: Path, cache: LoadCache) -> tuple[Loaded, dict[SourceFile, str | None]]:
    """Like ``content.load_content``, but files with an unchanged hash are not parsed again.

    Files not in memory come from ``cache.disk`` (the parse cache on disk, if any) when they are
    there: ``serve`` starts as fast as a ``check`` with a filled cache. Returns the loaded
    content and the content hash of every discovered file.
    """
    result = Loaded()
    hashes: dict[SourceFile, str | None] = {}
    cache.parsed = 0
    if not content_dir.is_dir():
        result.diagnostics.append(Diagnostic(display_path(content_dir), 0, 0, "",
                                             "de content-map bestaat niet", "fout", "ontbreekt"))
        return result, hashes
    files, diags = discover(content_dir)
    result.files = files
    result.diagnostics.extend(diags)
    missing: list[SourceFile] = []
    for source in files:
        digest = hashes[source] = cache.digest(source)
        hit = cache.files.get(source)
        if digest is None or hit is None or hit[0] != digest:
            missing.append(source)
    loaded_now: dict[SourceFile, tuple[Any, Any, list[Diagnostic]]] = {}
    if cache.disk is not None and missing:
        first = not cache.files  # every file is loaded: the disk cache may forget the others
        loaded, _ = load_files(missing, cache.disk, workers=None if first else 1)
        loaded_now = dict(zip(missing, loaded, strict=True))
        cache.disk.save(prune=first)
        cache.parsed -= cache.disk.hits  # files that came from the disk were not parsed
        cache.disk.hits = cache.disk.misses = 0
    unchanged = set(files).difference(missing)
    for source in files:
        if source in unchanged:
            doc, model, diags = cache.files[source][1]
        else:
            loaded_one = loaded_now.get(source)
            doc, model, diags = loaded_one if loaded_one is not None else load_one(source)
            cache.parsed += 1
            digest = hashes[source]
            # Only cache what was read from the content we hashed (the file may change meanwhile).
            if digest is not None and file_digest(source.path) == digest:
                cache.files[source] = (digest, (doc, model, diags))
            else:
                cache.files.pop(source, None)
        result.add(source, doc, model, diags)
    for gone in set(cache.files) - set(files):
        del cache.files[gone]
    for gone in set(cache.stats) - set(files):
        del cache.stats[gone]
    return result, hashes


# --------------------------------------------------------------------------- fingerprints


class _Opaque(Exception):
    """A context value that cannot be fingerprinted: the page is rendered every time."""


_ATOMS = (str, int, float, type(None), date, datetime, dtime, timedelta, Decimal, bytes)


def entry_key(entry: Entry) -> EntryKey:
    return (type(entry).kind, entry._gemeente, entry.slug)


class Fingerprinter:
    """Digests of template contexts with entries replaced by their keys.

    One instance per rebuild: lists, dicts and objects shared by many pages (the activities of a
    gemeente, the agenda) are digested once and remembered by identity (and kept alive, so the
    identity stays theirs).
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[bytes, frozenset[EntryKey], Any]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def walk(self, value: Any, out: list, keys: set[EntryKey]) -> None:
        if isinstance(value, _ATOMS):
            out.append(value)
            return
        hit = self._memo.get(id(value))
        if isinstance(value, Entry):
            if hit is None:  # private attributes are slow to read on pydantic models
                key = entry_key(value)
                hit = (repr(key).encode(), frozenset([key]), value)
                self._memo[id(value)] = hit
            keys |= hit[1]
            out.append(hit[0])
            return
        if hit is None:
            sub_out: list = [type(value).__qualname__]
            sub_keys: set[EntryKey] = set()
            self._children(value, sub_out, sub_keys)
            digest = hashlib.blake2b(repr(sub_out).encode("utf-8"), digest_size=16).digest()
            hit = (digest, frozenset(sub_keys), value)
            self._memo[id(value)] = hit
        out.append(hit[0])
        keys |= hit[1]

    def _children(self, value: Any, out: list, keys: set[EntryKey]) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                self.walk(item, out, keys)
        elif isinstance(value, dict):
            for k, item in value.items():
                self.walk(k, out, keys)
                self.walk(item, out, keys)
        elif isinstance(value, Enum):
            out.append(repr(value))
        elif isinstance(value, (set, frozenset)):
            if not all(isinstance(v, _ATOMS) for v in value):
                raise _Opaque(type(value).__name__)
            out.append(tuple(sorted(repr(v) for v in value)))
        elif (dataclasses.is_dataclass(value) and not isinstance(value, type)) \
                or isinstance(value, BaseModel):
            # Non-entry models (terms, schedules, addresses) only change with their file.
            for name in self._field_names(type(value)):
                self.walk(getattr(value, name), out, keys)
        else:
            raise _Opaque(type(value).__name__)

    def _field_names(self, cls: type[BaseModel] | type[DataclassInstance]) -> tuple[str, ...]:
        names = self._fields.get(cls)
        if names is None:
            names = tuple(cls.model_fields) if issubclass(cls, BaseModel) else \
                tuple(f.name for f in dataclasses.fields(cls))
            self._fields[cls] = names
        return names

    def page(self, page: Page, variables: frozenset[str] | None = None
             ) -> tuple[bytes | None, frozenset[EntryKey]]:
        """Digest of a page's inputs and the entry keys among them.

        ``variables``: the context variables the page's templates read (None: all). The digest
        is ``None`` when the context holds something that cannot be fingerprinted.
        """
        h = hashlib.blake2b(digest_size=16)
        h.update(page.path.encode())
        if page.body is not None:
            h.update(b"\0body\0" + page.body)
            return h.digest(), frozenset()
        if page.template is None and not page.context:
            return None, frozenset()  # lazy content without declared inputs: always made again
        context = page.context if variables is None else \
            {k: v for k, v in page.context.items() if k in variables}
        out: list = [page.template, page.gemeente]
        keys: set[EntryKey] = set()
        try:
            self.walk(context, out, keys)
        except _Opaque:
            return None, frozenset(keys)
        h.update(repr(out).encode("utf-8"))
        return h.digest(), frozenset(keys)


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateInfo:
    closure: frozenset[str] | None  # this template and all it extends/includes/imports; None: dynamic
    kaart_attrs: frozenset[str] | None  # ``kaart.<attr>`` lookups in the closure; None: untraceable
    variables: frozenset[str] | None  # context variables the closure reads; None: unknown (all)


class TemplateAnalyser:
    """Static analysis of Jinja templates: which templates and which ``kaart`` attributes a
    template (with everything it extends, includes and imports) uses."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._own: dict[str, tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str]]] = {}
        self._info: dict[str, TemplateInfo] = {}

    def _analyse_one(self, name: str) -> tuple[frozenset[str] | None, frozenset[str] | None,
                                               frozenset[str]]:
        if name not in self._own:
            loader = self.env.loader
            assert loader is not None  # make_environment always gives the environment a loader
            source, filename, _ = loader.get_source(self.env, name)
            ast = self.env.parse(source, name, filename)
            refs = list(meta.find_referenced_templates(ast))
            names = [r for r in refs if r is not None]
            referenced = frozenset(names) if len(names) == len(refs) else None
            attrs: set[str] = set()
            traceable = True
            covered: set[int] = set()
            # find_all yields only the node types asked for; its typing joins them to Expr.
            lookups = cast("Iterator[nodes.Getattr | nodes.Getitem]",
                           ast.find_all((nodes.Getattr, nodes.Getitem)))
            for node in lookups:
                base = node.node
                if isinstance(base, nodes.Name) and base.name == "kaart":
                    covered.add(id(base))
                    if isinstance(node, nodes.Getattr):
                        attrs.add(node.attr)
                    elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                        attrs.add(node.arg.value)
                    else:
                        traceable = False
            for call in ast.find_all(nodes.Call):
                # ``kaart`` handed to a macro: the macro's own lookups are analysed (same name).
                for arg in [*call.args, *(kw.value for kw in call.kwargs)]:
                    if isinstance(arg, nodes.Name) and arg.name == "kaart":
                        covered.add(id(arg))
            for name_node in ast.find_all(nodes.Name):
                if name_node.name == "kaart" and name_node.ctx == "load" and id(name_node) not in covered:
                    traceable = False
            variables = frozenset(meta.find_undeclared_variables(ast))
            self._own[name] = (referenced, frozenset(attrs) if traceable else None, variables)
        return self._own[name]

    def info(self, name: str) -> TemplateInfo:
        if name in self._info:
            return self._info[name]
        closure: set[str] = set()
        attrs: set[str] | None = set()
        variables: set[str] = set()
        todo = [name]
        dynamic = False
        while todo:
            current = todo.pop()
            if current in closure:
                continue
            closure.add(current)
            refs, own_attrs, own_variables = self._analyse_one(current)
            variables |= own_variables
            if refs is None:
                dynamic = True
            else:
                todo.extend(refs)
            if own_attrs is None:
                attrs = None
            elif attrs is not None:
                attrs |= own_attrs
        info = TemplateInfo(None if dynamic else frozenset(closure),
                            None if attrs is None else frozenset(attrs),
                            None if dynamic else frozenset(variables))
        self._info[name] = info
        return info


def coarse_keys(attrs: frozenset[str] | None, gemeente: str) -> frozenset[CoarseKey] | None:
    if attrs is None:
        return None
    keys: set[CoarseKey] = set()
    for attr in attrs:
        if attr not in KAART_ATTRIBUTES:
            return None
        for group in KAART_ATTRIBUTES[attr]:
            keys.add((group, "*" if group in GLOBAL_GROUPS or not gemeente else gemeente))
    return frozenset(keys)


def changed_keys(kind: str, gemeente: str, slug: str) -> tuple[set[EntryKey], set[CoarseKey]]:
    group = TRACKED_KINDS[kind]
    coarse = {(group, "*")}
    if group not in GLOBAL_GROUPS:
        coarse.add((group, gemeente))
    return {(kind, gemeente, slug)}, coarse


# --------------------------------------------------------------------------- page records


@dataclass(frozen=True)
class PageRecord:
    digest: bytes | None
    entries: frozenset[EntryKey]
    coarse: frozenset[CoarseKey] | None
    templates: frozenset[str] | None


def page_record(page: Page, analyser: TemplateAnalyser, prints: Fingerprinter) -> PageRecord:
    if page.template is None:
        digest, entries = prints.page(page)
        return PageRecord(digest, entries, frozenset(), frozenset())
    info = analyser.info(page.template)
    digest, entries = prints.page(page, info.variables)
    return PageRecord(digest, entries, coarse_keys(info.kaart_attrs, page.gemeente), info.closure)


def needs_render(old: PageRecord | None, new: PageRecord, entries: set[EntryKey],
                 coarse: set[CoarseKey], templates: set[str]) -> bool:
    if old is None or new.digest is None or old.digest != new.digest:
        return True
    if new.coarse is None or new.templates is None:
        return True
    if entries and not entries.isdisjoint(new.entries | old.entries):
        return True
    if coarse and not coarse.isdisjoint(new.coarse | (old.coarse or frozenset())):
        return True
    return bool(templates) and not templates.isdisjoint(new.templates)


# --------------------------------------------------------------------------- the builder


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
    theme_files: dict[str, str | None]  # absolute path -> hash (templates and static files)
    dirs: list[Path]
    selected: list[str]
    now: datetime
    records: dict[str, PageRecord]
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
                 bundle_pages: int = SERVE_BUNDLE_PAGES,
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
        # Small search bundles: an edit re-indexes only the few that hold changed pages.
        self.bundle_pages = bundle_pages
        self.cache = LoadCache(disk=parse_cache)
        self._duplicates: dict = {}  # duplicates.find_duplicates memo, per group of entries
        self._state: _State | None = None
        self._env: jinja2.Environment | None = None
        self._env_key: tuple | None = None
        self._analyser: TemplateAnalyser | None = None
        # The .ics maker of the last rebuild: the events of unchanged activities are reused
        # (the gemeente feed is remade after every edit of one of its activities).
        self._calendars: Calendars | None = None
        self._current_now: datetime | None = None
        self._indexed_now: set[str] = set()
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
        from sociale_kaart.site.theme import THEMES_DIR
        roots = [THEMES_DIR]
        project = Path(os.path.abspath(self.content)).parent
        themes = project / "themes"
        # A themes/ folder that is a link out of the project is not watched (and its themes
        # are refused: render.theme_root): watching it could mean watching the whole disk.
        if themes.is_dir() and Path(os.path.realpath(themes)).is_relative_to(os.path.realpath(project)) \
                and Path(os.path.realpath(themes)) != THEMES_DIR.resolve():
            roots.insert(0, themes)
        return roots

    @staticmethod
    def _theme_files(dirs: list[Path]) -> tuple[dict[str, str | None], list[Diagnostic]]:
        """The hash of every usable template and static file, and what is not usable."""
        found, problems = scan_themes(dirs)
        return {str(path): file_digest(path) for path in found}, problems

    def _environment(self, dirs: list[Path], theme_files: dict[str, str | None]) -> jinja2.Environment:
        key = (tuple(dirs), tuple(sorted(theme_files.items(), key=lambda kv: kv[0])))
        if self._env is None or self._env_key != key:
            # A fresh environment: Jinja's own reload check only looks at modification times.
            self._env = make_environment(dirs)
            self._env_key = key
            self._analyser = TemplateAnalyser(self._env)
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
        # No garbage collection while rebuilding (see loader.paused_gc): the loaded content is
        # millions of objects, and one full collection takes a third of a second on 10,000
        # entries. The garbage of the previous rebuild is collected when everything is written.
        collecting = gc.isenabled()
        gc.disable()
        try:
            report = self._rebuild(force_full)
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
        loaded, hashes = load_cached(self.content, self.cache)
        kaart, diags = check(loaded, today, self._duplicates)
        report = RebuildReport(False, diagnostics=diags, parsed=self.cache.parsed)
        state = self._state
        if state is not None:
            report.changed_files = sorted(
                {s.rel for s in set(hashes) ^ set(state.sources)}
                | {s.rel for s, h in hashes.items() if s in state.sources and state.sources[s] != h})
        if kaart is None:
            report.errors = [d for d in diags if d.is_error]
            return report
        selected, problem = select_gemeenten(kaart, self.gemeenten, self.base_url)
        if problem is not None:
            report.errors = [problem]
            return report

        watch.mark()
        dirs = theme_dirs(kaart.site.thema, self.content)
        theme_files, problems = self._theme_files(dirs)
        if problems:
            report.errors = problems
            return report

        # What changed since the last successful build?
        full = force_full or state is None or state.dirs != dirs or state.selected != selected \
            or state.now != now or not self.out.is_dir()
        entries: set[EntryKey] = set()
        coarse: set[CoarseKey] = set()
        templates: set[str] = set()
        touched_sections: set[str] | None = set()  # gemeenten to plan again (None: all)
        if not full:
            assert state is not None
            for source in set(hashes) | set(state.sources):
                if hashes.get(source, "?") == state.sources.get(source, "?"):
                    continue
                if source.kind not in TRACKED_KINDS:
                    full = True
                    break
                e, c = changed_keys(source.kind, source.gemeente, source.slug)
                entries |= e
                coarse |= c
                if touched_sections is not None and source.gemeente in selected:
                    touched_sections.add(source.gemeente)
                else:
                    touched_sections = None  # an organisation shows up in several gemeenten
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
                    touched_sections = None
            report.changed_files += sorted(display_path(Path(p)) for p, d in theme_files.items()
                                           if state.theme_files.get(p) != d)
        if full:
            touched_sections = None

        # Plan the pages again: all of them, or (when only activities and places of some
        # gemeenten changed) those gemeenten's sections and the province files. The other
        # sections cannot have changed: their pages only show entries of their own gemeente
        # (see the convention above); their records are kept as they were.
        try:
            env = self._environment(dirs, theme_files)
            assets = Assets.load(dirs)
            planned = selected if touched_sections is None else \
                [g for g in selected if g in touched_sections]
            if full or self._calendars is None:
                self._calendars = calendars(kaart, now)  # a fresh one: nothing left over
            else:
                self._calendars = calendars(kaart, now, self._calendars)
                self._calendars.forget_others(a for acts in kaart.activiteiten.values()
                                              for a in acts.values())
            pages = [p for g in planned
                     for p in section_pages(kaart, g, now, assets, self._calendars)]
            kept: dict[str, PageRecord] = {}
            if touched_sections is not None:
                assert state is not None
                untouched = tuple(f"{g}/" for g in selected if g not in touched_sections)
                kept = {path: rec for path, rec in state.records.items()
                        if path.startswith(untouched)}
            html = [p.path for p in pages if p.path.endswith(".html")]
            html += [path for path in kept if path.endswith(".html")]

            def plan_province() -> list[Page]:
                """The province-wide files (``html``: every gemeente page, for the sitemap)."""
                return province_files(kaart, now, assets, html) if self.gemeenten is None else []

            if full:
                pages += plan_province()
            records = self._records(pages)
        except Exception as exc:  # noqa: BLE001 - template syntax errors and the like
            report.errors = [template_error(exc)]
            return report
        renderer = Renderer(kaart, env, assets)
        report.timings = watch.lap("laden en controleren", "plannen")
        report.pages = len(pages) + len(kept)
        report.planned_sections = list(planned)

        try:
            if full:
                self._full(renderer, pages, selected, now, assets, report)
            else:
                assert state is not None
                self._partial(renderer, pages, records, kept, state, selected, entries, coarse,
                              templates, report, plan_province)
        except RenderError as failed:
            report.errors = [failed.diagnostic]
            return report
        except Exception as exc:  # noqa: BLE001 - e.g. the search indexer; the output is unknown now
            self._state = None if not full else self._state
            text = str(write_failure(exc, self.out)) if isinstance(exc, OSError) else \
                f"de site kon niet geschreven worden ({type(exc).__name__}: {exc})"
            report.errors = [Diagnostic("", 0, 0, "", text, "fout", "schrijven")]
            return report
        report.ok = True
        report.full = full
        self._state = _State(dict(hashes), theme_files, dirs, selected, now, {**kept, **records},
                             set(self._indexed_now))
        return report

    # -- full

    def _full(self, renderer: Renderer, pages: list[Page], selected: list[str], now: datetime,
              assets: Assets, report: RebuildReport) -> None:
        """Everything, as ``build`` makes it: one worker process per gemeente on every core
        (the first rebuild of a big kaart), into a staging folder that replaces the output
        only when complete (a template error leaves the previous site as it was).

        ``pages`` is the same plan that the workers make for their sections (``records``
        were made from it); it is only used here for the count."""
        watch = _Stopwatch()
        province = self.gemeenten is None
        staging = Staging(self.out)
        try:
            work = SectionWork(renderer, staging, now, assets, self.search, self.bundle_pages)
            self._indexed_now = set()
            indexed: set[str] = set()
            for done in render_sections(work, ([PROVINCE] if province else []) + selected):
                for path, size in done.written:
                    staging.record(path, size)
                self._indexed_now.update(done.indexed)
                if done.indexed and self.search:
                    indexed.add(done.name or "kennisbank")
            if province:
                for page in province_index_files(renderer.kaart, list(staging.html_pages)):
                    staging.write(page.path, renderer.render_page(page))
            report.indexed = sorted(indexed)
            staging.commit(only=None if province else selected)
        except BaseException:
            staging.discard()
            raise
        report.rendered = len(pages)
        report.written = staging.count
        report.timings["renderen, schrijven en zoekindex"] = watch.split()

    def _records(self, pages: list[Page]) -> dict[str, PageRecord]:
        assert self._analyser is not None
        prints = Fingerprinter()
        return {p.path: page_record(p, self._analyser, prints) for p in pages}

    def _partial(self, renderer: Renderer, pages: list[Page], records: dict[str, PageRecord],
                 kept: dict[str, PageRecord], state: _State, selected: list[str],
                 entries: set[EntryKey], coarse: set[CoarseKey], templates: set[str],
                 report: RebuildReport, plan_province: Callable[[], list[Page]]) -> None:
        """Two rounds: first the planned gemeente sections (what the maintainer is looking at)
        with their search; browsers reload then. Only then are the province-wide files
        (exports, reports, sitemap) planned and made: on a big site that takes seconds.
        ``pages`` and ``records`` are the sections'; ``records`` gets the province's too."""
        def stale(page: Page) -> bool:
            return needs_render(state.records.get(page.path), records[page.path], entries,
                                coarse, templates)

        sections = set(selected)

        def in_sections(path: str) -> bool:
            return path.split("/", 1)[0] in sections

        todo = [p for p in pages if stale(p)]
        indexed = set(state.indexed)
        removed = sorted(path for path in state.records
                         if in_sections(path) and path not in records and path not in kept)
        self._round(renderer, todo, removed, indexed, state, selected, report)
        report.page_seconds = time.perf_counter() - self._started
        if self.on_written is not None and (report.written or report.deleted):
            self.on_written(report)

        watch = _Stopwatch()
        province = plan_province()
        records.update(self._records(province))
        report.timings["plannen provincie"] = watch.split()
        report.pages += len(province)
        later = [p for p in province if stale(p)]
        todo += later
        gone = sorted(path for path in state.records if not in_sections(path)
                      and path not in records and path not in kept)
        if later or gone:
            before = report.written
            self._round(renderer, later, gone, indexed, state, selected, report,
                        timing="provincie")
            if self.on_written is not None and report.written > before and any(
                    p.path.endswith(".html") for p in later):
                self.on_written(report)
        report.rendered = len(todo)
        report.rendered_paths = [p.path for p in todo]
        self._indexed_now = indexed

    def _round(self, renderer: Renderer, todo: list[Page], removed: list[str], indexed: set[str],
               state: _State, selected: list[str], report: RebuildReport,
               timing: str = "") -> None:
        """Render ``todo``, write what changed, delete ``removed``, remake touched search bundles."""
        watch = _Stopwatch()
        fresh = {p.path: renderer.render_page(p) for p in todo}
        report.timings[timing or "renderen"] = watch.split()
        touched: set[str] = set()  # indexed pages (before or after) whose bytes changed
        for page in todo:
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

        # Only the search bundles (shards, see index.py) that hold a touched page are made
        # again, complete, next to the output and then swapped in. When the shape of a
        # section's shards changes, all its bundles are made again.
        tmp_root = self.out.parent / f".{self.out.name}.index-{uuid.uuid4().hex[:8]}"
        plans = []
        for section in sections(selected, self.gemeenten is None, self.bundle_pages):
            changed = {section.url(p) for p in touched if section.accepts(p)}
            if not changed:
                continue
            before = [section.url(p) for p in state.indexed if section.accepts(p)]
            now = {section.url(p): self._target(p) for p in indexed if section.accepts(p)}
            plan = layout(section, list(now))
            if shard_shape(section, before) == shard_shape(section, list(now)):
                only = {name for layout_ in (layout(section, before), plan)
                        for name, urls in layout_.items() if changed & set(urls)}
            else:
                only = set(plan)
            plans.append((section, plan, section_bundles(section, tmp_root / section.name,
                                                         now, only)))
        with building(self.out):  # while tmp_root exists, no build may take it for a stale one
            try:
                write_bundles([b for _, _, bundles in plans for b in bundles],
                              processes=os.cpu_count() or 1)
                for section, plan, bundles in plans:
                    folder = self._target(section.name)
                    names = {b.name for b in bundles}
                    if PRIMARY in names:
                        # The other bundles live inside the primary's folder: carry over the
                        # ones that were not made again, then swap the whole folder.
                        fresh_folder = tmp_root / section.name
                        for name in plan:
                            if name not in names and (folder / name).is_dir():
                                os.replace(folder / name, fresh_folder / name)
                        _swap_dir(fresh_folder / PRIMARY, folder / PRIMARY)
                    else:
                        for bundle in bundles:
                            _swap_dir(bundle.path, folder / bundle.name)
                    remove_obsolete(folder, list(plan))
                report.indexed = sorted(set(report.indexed) | {s.name for s, _, _ in plans})
                report.timings["zoekindex"] = report.timings.get("zoekindex", 0.0) + watch.split()
            finally:
                shutil.rmtree(tmp_root, ignore_errors=True)

    def _target(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise ValueError(f"unsafe output path: {rel}")
        return self.out.joinpath(*pure.parts)



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


def _swap_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.oud-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.replace(target, old)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
