"""Stage 5: index. Pagefind search bundles, per site section, split into small shards.

A *section* is a folder that searches on its own: every gemeente folder and the kennisbank.
Only pages that mark their main content with ``data-pagefind-body`` are indexed (detail pages
of activities, places, organisations and praktijken; not stopped activities); listings, the
agenda and the booklet repeat that content and are left out, and so are navigation and footers
(Pagefind only gets the page's ``<main>``, see ``index_document``).
URLs are relative to the section folder ("/activiteiten/x/"), so a gemeente folder works alone
on its own domain.

Shards. Pagefind cannot update an index, and indexing costs about 2 ms per page, so one
index for a gemeente of 500 entries takes over a second to remake after every edit in
``serve``. A section's pages are therefore split over ``ceil(pages / per_bundle)`` bundles by
a stable hash of the URL: ``<section>/pagefind/`` (the primary bundle, with Pagefind's script
and WebAssembly) and ``<section>/pagefind/deel-2/``, ``deel-3/`` ... (index files only), plus
``pagefind/praktijken/`` for a gemeente's copies of kennisbank praktijken.
``pagefind/delen.json`` lists the bundles; zoeken.js merges them in the browser with
Pagefind's ``mergeIndex``, which combines results and filter counts. An edit re-indexes only
the shards whose pages changed. The province search merges the sections it searches the same
way: there is no province-wide index, so no index grows with the number of gemeenten
(Pagefind runs out of memory above about 30,000 pages in one index).

Every bundle adds its own word-index chunk to a search (about 15 kB), so ``build`` uses big
bundles (``BUILD_BUNDLE_PAGES``: one per gemeente up to that size, for the smallest transfer)
and ``serve`` small ones (``SERVE_BUNDLE_PAGES``: an edit re-indexes a few small bundles).

Indexing runs in the build's render workers, right after a section is rendered, so both
cores index; each worker runs its own Pagefind service process.

Indexing is the most expensive part of a build, and most builds change a few gemeenten only.
With a ``cache.FolderCache`` (``build`` with the CLI's default cache) a bundle whose pages are,
to the byte, what Pagefind read for a bundle of the previous build (``bundle_key``) is copied
from the cache instead of indexed again. The pages show the next dates of activities, so on a
new day nearly every bundle is made again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import shutil
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .cache import FolderCache, code_version

INDEX_MARKER = b"data-pagefind-body"
BUILD_BUNDLE_PAGES = 2000  # at most this many pages per bundle in ``build``
SERVE_BUNDLE_PAGES = 30  # ... and in ``serve``: well under 0.1 s to remake one
PRIMARY = "pagefind"
MANIFEST = "delen.json"  # in the primary bundle: the section's other bundles


def wants_index(html: bytes) -> bool:
    return INDEX_MARKER in html


@dataclass(frozen=True)
class Section:
    """A folder with its own search: a gemeente or the kennisbank."""

    name: str
    prefix: str  # output paths under this prefix belong to the section ("vechtstad/")
    # URLs of pages that repeat another section's pages (a gemeente's copies of kennisbank
    # praktijken): kept in a bundle of their own, which the province search leaves out.
    copies: str | None = None
    per_bundle: int = BUILD_BUNDLE_PAGES  # pages per search bundle (shard)

    def accepts(self, path: str) -> bool:
        return path.startswith(self.prefix) and path.endswith(".html")

    def url(self, path: str) -> str:
        """The URL Pagefind stores for output ``path``, relative to the section folder."""
        return "/" + path[len(self.prefix):].removesuffix("index.html")

    def is_copy(self, url: str) -> bool:
        return self.copies is not None and url.startswith(self.copies)


def gemeente_section(g: str, per_bundle: int = BUILD_BUNDLE_PAGES) -> Section:
    return Section(g, f"{g}/", copies="/praktijken/", per_bundle=per_bundle)


def kennisbank_section(per_bundle: int = BUILD_BUNDLE_PAGES) -> Section:
    return Section("kennisbank", "kennisbank/", per_bundle=per_bundle)


def sections(gemeenten: list[str], province: bool,
             per_bundle: int = BUILD_BUNDLE_PAGES) -> list[Section]:
    out = [gemeente_section(g, per_bundle) for g in gemeenten]
    if province:
        out.append(kennisbank_section(per_bundle))
    return out


# --------------------------------------------------------------------------- shards

COPIES = f"{PRIMARY}/praktijken"


def shard_count(pages: int, per_bundle: int) -> int:
    return max(1, math.ceil(pages / per_bundle))


def _shards(section: Section, urls: list[str]) -> tuple[list[list[str]], list[str]]:
    own = [u for u in urls if not section.is_copy(u)]
    k = shard_count(len(own), section.per_bundle)
    shards: list[list[str]] = [[] for _ in range(k)]
    for url in own:
        shards[zlib.crc32(url.encode("utf-8")) % k].append(url)
    return shards, [u for u in urls if section.is_copy(u)]


def layout(section: Section, urls: list[str]) -> dict[str, list[str]]:
    """Bundle folder name -> its URLs (sorted).

    Stable: a page keeps its bundle while the shape (``shard_shape``) stays the same. Empty
    shards get no bundle; the first non-empty one is the primary ``pagefind/``; copies go to
    ``pagefind/praktijken/`` (or are the primary when the section has nothing else).
    """
    shards, copies = _shards(section, urls)
    out: dict[str, list[str]] = {}
    for i, members in enumerate(shards):
        if members:
            out[PRIMARY if not out else f"{PRIMARY}/deel-{i + 1}"] = sorted(members)
    if copies:
        out[PRIMARY if not out else COPIES] = sorted(copies)
    return out


def shard_shape(section: Section, urls: list[str]) -> tuple:
    """Equal shapes give the same bundle names for the same pages."""
    shards, copies = _shards(section, urls)
    return len(shards), tuple(i for i, m in enumerate(shards) if m), bool(copies)


@dataclass
class Bundle:
    """One Pagefind bundle to write: ``folder/name/``."""

    section: str
    folder: Path  # the section folder
    name: str  # "pagefind", "pagefind/deel-2", ... (relative to the section folder)
    pages: list[tuple[str, str | Path]] = field(default_factory=list)  # (url, HTML or file)
    # The primary's manifest: every bundle of its section, with the copies flagged.
    parts: list[tuple[str, bool]] | None = None

    @property
    def path(self) -> Path:
        return self.folder / self.name


def section_bundles(section: Section, folder: Path, pages: Mapping[str, str | Path],
                    only: set[str] | None = None) -> list[Bundle]:
    """The bundles of one section from its indexed pages (url -> HTML or file).

    ``only``: names of the bundles to make (the others are left out); None makes all.
    """
    plan = layout(section, list(pages))
    parts = [(name, section.is_copy(urls[0])) for name, urls in plan.items()]
    bundles = []
    for name, urls in plan.items():
        if only is not None and name not in only:
            continue
        bundles.append(Bundle(section.name, folder, name, [(u, pages[u]) for u in urls],
                              parts=parts if name == PRIMARY else None))
    return bundles


# --------------------------------------------------------------------------- writing

# Parts of a Pagefind bundle that zoeken.js does not use: the ready-made UIs, the highlight
# script and the WebAssembly for languages the index does not contain. Secondary bundles are
# only merged into the primary, which brings the script and WebAssembly.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js")
PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js")


def prune_bundle(bundle: Path, primary: bool = True) -> None:
    """Remove files of ``bundle`` that the site never loads (about 0.5 MB per index)."""
    for name in UNUSED + (() if primary else PRIMARY_ONLY):
        (bundle / name).unlink(missing_ok=True)
    used: set[str] = set()
    if primary:
        try:
            entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        except (OSError, ValueError):
            return  # keep every language file rather than guess: pruning is an optimisation
        used = {f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"
                for lang in entry["languages"].values()}
    for wasm in bundle.glob("wasm.*.pagefind"):
        if wasm.name not in used:
            wasm.unlink()


def write_manifest(folder: Path, parts: list[tuple[str, bool]]) -> None:
    """``delen.json`` in the primary bundle ``folder``: every bundle of the section, relative to
    the section folder; "kopie" marks copied pages, which the province search leaves out."""
    data = [{"map": f"{name}/", **({"kopie": True} if copy else {})} for name, copy in parts]
    (folder / MANIFEST).write_text(json.dumps({"bundels": data}) + "\n", "utf-8")


def remove_obsolete(folder: Path, keep: list[str]) -> None:
    """Delete the bundle folders of a section (``folder``) that its layout no longer has."""
    found = [folder / COPIES, *(folder / PRIMARY).glob("deel-*")] if PRIMARY in keep \
        else [folder / PRIMARY]
    for path in found:
        if path.is_dir() and path.relative_to(folder).as_posix() not in keep:
            shutil.rmtree(path)


class _NoPollDelay:
    """``asyncio`` as seen by ``pagefind.service``, without its 0.1 s sleep per response.

    pagefind.service (1.x) sleeps 0.1 s before reading every response of the Pagefind binary,
    so each added page costs at least 0.1 s: 10,000 pages took over 1,000 s. Reading waits for
    data anyway, so yielding once is enough. Only the sleep differs; see ``_run``.
    """

    def __getattr__(self, name: str):
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result=None):
        return await asyncio.sleep(0, result)


async def _run(bundles: list[tuple[Bundle, Documents]], processes: int = 1) -> None:
    import pagefind.service as service_module

    # Bundles spread over ``processes`` Pagefind processes, biggest first onto the least loaded.
    groups: list[list[tuple[Bundle, Documents]]] = [
        [] for _ in range(max(1, min(processes, len(bundles))))]
    for item in sorted(bundles, key=lambda item: -len(item[1])):
        min(groups, key=lambda g: sum(len(docs) for _, docs in g)).append(item)
    patched = service_module.asyncio
    service_module.asyncio = _NoPollDelay()  # type: ignore[assignment]  # a stand-in for the module
    try:
        await asyncio.gather(*(_run_service(group) for group in groups))
    finally:
        service_module.asyncio = patched
    # Only now, with the Pagefind processes gone, are all their files complete: one may still
    # be writing when it answers write_files (seen as a cut-off pagefind-worker.js).
    for bundle, _ in bundles:
        prune_bundle(bundle.path, primary=bundle.name == PRIMARY)


async def _run_service(bundles: list[tuple[Bundle, Documents]]) -> None:
    """Write ``bundles`` one after the other with one Pagefind process."""
    service = await PagefindService().launch()
    try:
        for bundle, documents in bundles:
            await _write_one(service, bundle, documents)
    finally:
        await _close(service)


async def _close(service: PagefindService) -> None:
    """End the Pagefind process by closing its input, so that it finishes its writes
    (``PagefindService.close`` kills it); kill it only if it does not stop in time."""
    backend = service._backend  # noqa: SLF001 - the library has no graceful close
    service._poll_task.cancel()  # noqa: SLF001
    try:
        if backend.stdin is not None:
            backend.stdin.close()
        await asyncio.wait_for(backend.wait(), timeout=60)
    except (TimeoutError, OSError):
        backend.kill()
        await backend.wait()


def index_document(html: str) -> str:
    """The part of a page that Pagefind reads: its ``<main>`` (which holds the
    ``data-pagefind-body`` element) without the head, navigation and footer. Pagefind takes the
    title from the first ``h1`` of the body, so the result is the same; parsing the whole page
    (a third of it is JSON-LD and navigation) only cost time."""
    start, end = html.find("<main"), html.rfind("</main>")
    if start < 0 or end < start:
        return html
    return f'<!doctype html><html lang="nl"><body>{html[start:end + len("</main>")]}</body></html>'


CONFIG: IndexConfig = {"force_language": "nl", "keep_index_url": False}
Documents = list[tuple[str, str]]  # (url, what Pagefind reads) of each page of a bundle


def documents(bundle: Bundle) -> Documents:
    return [(url, index_document(page if isinstance(page, str) else page.read_text("utf-8")))
            for url, page in bundle.pages]


async def _write_one(service: PagefindService, bundle: Bundle, docs: Documents) -> None:
    index = await service.create_index(CONFIG)
    for url, document in docs:
        await index.add_html_file(content=document, url=url)
    await index.write_files(output_path=str(bundle.path))
    await index.delete_index()


def bundle_key(bundle: Bundle, docs: Documents) -> str:
    """A hash of everything a bundle's files are made from: the pages as Pagefind reads them,
    the bundle's name (the primary keeps Pagefind's script), Pagefind's version and this
    generator's code (``cache.code_version``, which covers the settings and pruning here)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([_pagefind_version(), code_version(), bundle.name]).encode())
    for url, document in docs:
        digest.update(b"\0%s\0%s" % (url.encode(), document.encode()))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "?"


def _nested_bundle(name: str) -> bool:
    """Top-level names in a primary bundle's folder that are other bundles (not its files)."""
    return name.startswith("deel-") or name == COPIES.rsplit("/", 1)[1]


def write_bundles(bundles: list[Bundle], processes: int = 1,
                  cache: FolderCache | None = None) -> dict[str, int]:
    """Write every bundle into its folder, with up to ``processes`` Pagefind processes at once
    (``serve`` uses one per core for the few bundles of an edit; ``build`` indexes in its render
    workers, which already fill every core).

    ``cache``: bundles whose pages are exactly those of an earlier build (``bundle_key``) are
    copied from it instead of indexed again; those that are made are stored in it.
    Returns the number of indexed pages per section.
    """
    bundles = [b for b in bundles if b.pages]
    counts: dict[str, int] = {}
    for b in bundles:
        counts[b.section] = counts.get(b.section, 0) + len(b.pages)
    todo: list[tuple[Bundle, Documents]] = []
    keys: dict[int, str] = {}
    for bundle in bundles:
        docs = documents(bundle)
        if cache is not None:
            keys[id(bundle)] = key = bundle_key(bundle, docs)
            if cache.restore(key, bundle.path):
                continue
        todo.append((bundle, docs))
    if todo:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(_run(todo, processes))
        else:
            # Called from code that runs an event loop (async callers, Playwright's sync API):
            # asyncio.run() is not allowed there, so index in a thread of our own.
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(asyncio.run, _run(todo, processes)).result()
    if cache is not None:
        for bundle, _ in todo:
            cache.store(keys[id(bundle)], bundle.path,
                        skip=_nested_bundle if bundle.name == PRIMARY else lambda name: False)
    for bundle in bundles:
        if bundle.parts is not None:
            write_manifest(bundle.path, bundle.parts)
    return counts
