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
cores index; each worker runs its own Pagefind service process, asks it for the files of each
bundle and writes them itself (see ``_Pagefind``). Every bundle is checked
(``bundle_problem``) before it is written, after it is written and before it is cached; one
that fails is made again, and if it fails again nothing is published (``BundleError``).

Indexing is the most expensive part of a build, and most builds change a few gemeenten only.
With a ``cache.FolderCache`` (``build`` with the CLI's default cache) a bundle whose pages are,
to the byte, what Pagefind read for a bundle of the previous build (``bundle_key``) is copied
from the cache instead of indexed again. The pages show the next dates of activities, so on a
new day nearly every bundle is made again.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import shutil
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.pipeline.cache import FolderCache, code_version, safe_name
from sociale_kaart.site.pages import RenderError

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
ENTRY = "pagefind-entry.json"

Files = dict[str, bytes]  # a bundle's files: name relative to the bundle folder -> content


def prune_files(files: Files, primary: bool = True) -> Files:
    """``files`` without those the site never loads (about 0.5 MB per index)."""
    drop = set(UNUSED) | (set() if primary else set(PRIMARY_ONLY))
    used: set[str] | None = set()
    if primary:
        try:
            entry = json.loads(files[ENTRY])
            used = {f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"
                    for lang in entry["languages"].values()}
        except (KeyError, ValueError, TypeError, AttributeError):
            used = None  # keep every language file rather than guess (``bundle_problem`` reports)
    return {name: data for name, data in files.items() if name not in drop and not (
        used is not None and "/" not in name and name.startswith("wasm.")
        and name.endswith(".pagefind") and name not in used)}


def bundle_problem(files: Mapping[str, bytes], primary: bool, pages: int) -> str | None:
    """What is wrong with the files of a bundle of ``pages`` pages (in Dutch), or None.

    Every bundle that is published or kept in the cache passes this check: a
    ``pagefind-entry.json`` of the right shape that counts the bundle's pages, the metadata file
    it names, for the primary bundle the script and WebAssembly it loads, and no empty file.
    """
    if not files.get(ENTRY):
        return f"{ENTRY} ontbreekt of is leeg"
    try:
        entry = json.loads(files[ENTRY])
    except ValueError:
        return f"{ENTRY} is geen geldige JSON"
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not (isinstance(entry, dict) and isinstance(entry.get("version"), str)
            and isinstance(languages, dict) and languages
            and all(isinstance(lang, dict) and isinstance(lang.get("hash"), str)
                    and isinstance(lang.get("page_count"), int)
                    and isinstance(lang.get("wasm"), (str, type(None)))
                    for lang in languages.values())):
        return f"{ENTRY} heeft niet de verwachte vorm"
    counted = sum(lang["page_count"] for lang in languages.values())
    if counted != pages:
        return f"{ENTRY} telt {counted} pagina's in plaats van {pages}"
    needed = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
    if primary:
        needed += [*PRIMARY_ONLY, *(f"wasm.{lang['wasm'] or 'unknown'}.pagefind"
                                   for lang in languages.values())]
    missing = [name for name in needed if name not in files]
    if missing:
        return f"{', '.join(sorted(missing))} ontbreekt"
    empty = sorted(name for name, data in files.items() if not data)
    if empty:
        return f"{', '.join(empty[:3])} is leeg"
    return None


def _write_files(folder: Path, files: Files) -> None:
    made: set[Path] = set()
    for name, data in files.items():
        path = folder / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)


def _written_problem(folder: Path, files: Files) -> str | None:
    """What is wrong with the files of ``files`` as they are on disk in ``folder``, or None."""
    for name, data in files.items():
        try:
            size = (folder / name).stat().st_size
        except OSError:
            return f"{name} ontbreekt"
        if size != len(data):
            return f"{name} is {size} bytes in plaats van {len(data)}"
    try:
        if (folder / ENTRY).read_bytes() != files[ENTRY]:
            return f"{ENTRY} is niet goed geschreven"
    except OSError:
        return f"{ENTRY} ontbreekt"
    return None


class BundleError(RenderError):
    """A search bundle could not be made correctly, not even at a second try: nothing is
    published (``build`` and ``serve`` handle it as a page that could not be made)."""


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


# Pagefind runs as a service process (``pagefind --service``) that reads requests on stdin and
# answers on stdout, each a base64-encoded JSON message followed by a comma. The bundle's files
# are asked for with ``GetFiles`` and written here, not by Pagefind (``WriteFiles``): Pagefind
# answers ``WriteFiles`` before its writes have reached the files (they are still queued in its
# runtime), and it exits at once when its input closes, so a file could stay empty or cut off
# while the build went on (seen as a zero-byte pagefind-entry.json in a published site). The
# Python package's client (pagefind.service) is not used for the talking: it sleeps 0.1 s
# before every answer, hangs on an answer over 2 MiB, and hangs when the process dies.
RESPONSE_LIMIT = 1 << 30  # bytes an answer may have (the files of a bundle, in base64)


class PagefindError(Exception):
    """Pagefind answered with an error, or stopped."""


class _Pagefind:
    """One Pagefind process in service mode."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.message_id = 0

    @classmethod
    async def start(cls) -> _Pagefind:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise PagefindError("Pagefind is niet gevonden (pip install 'pagefind[bin]')")
        process = await asyncio.create_subprocess_exec(
            str(binary), "--service", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
            limit=RESPONSE_LIMIT)
        return cls(process)

    async def ask(self, requests: list[dict]) -> list[dict]:
        """Send ``requests`` and return their answers, in order. Pagefind handles one request
        after the other, so all are sent at once (no wait for each answer)."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        ids = []
        for payload in requests:
            self.message_id += 1
            ids.append(self.message_id)
            message = json.dumps({"message_id": self.message_id, "payload": payload})
            stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            await stdin.drain()
        answers = []
        for message_id in ids:
            try:
                raw = await stdout.readuntil(b",")
                answer = json.loads(base64.b64decode(raw[:-1]))
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                raise PagefindError("Pagefind stopte onverwacht of gaf een onleesbaar antwoord") from None
            payload = answer.get("payload") or {}
            if answer.get("message_id") != message_id or payload.get("type") == "Error":
                raise PagefindError(f"Pagefind gaf een fout: {payload.get('message', answer)}")
            answers.append(payload)
        return answers

    async def close(self) -> None:
        """End the process by closing its input; kill it if it does not stop in time. (Its
        work is done: every file was already received.)"""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            await asyncio.wait_for(self.process.wait(), timeout=10)
        except (TimeoutError, OSError):
            if self.process.returncode is None:
                self.process.kill()
            await self.process.wait()

    async def files(self, docs: Documents) -> Files:
        """Index ``docs`` and return the files of the bundle Pagefind made of them."""
        (created,) = await self.ask([{"type": "NewIndex", "config": CONFIG}])
        index_id = created["index_id"]
        added = await self.ask([{"type": "AddFile", "index_id": index_id, "file_path": None,
                                 "url": url, "file_contents": document} for url, document in docs])
        if any(answer.get("type") != "IndexedFile" for answer in added):
            raise PagefindError("Pagefind nam een pagina niet op")
        (answer,) = await self.ask([{"type": "GetFiles", "index_id": index_id}])
        await self.ask([{"type": "DeleteIndex", "index_id": index_id}])
        files: Files = {}
        for item in answer.get("files") or []:
            name = str(item["path"]).replace("\\", "/")
            if not safe_name(name):
                raise PagefindError(f"Pagefind gaf een onveilige bestandsnaam: {name!r}")
            files[name] = base64.b64decode(item["content"])
        return files


async def _index_group(group: list[tuple[Bundle, Documents]]) -> list[tuple[Bundle, Files]]:
    """Index ``group`` one bundle after the other with one Pagefind process."""
    pagefind = await _Pagefind.start()
    made = []
    try:
        for bundle, docs in group:
            made.append((bundle, prune_files(await pagefind.files(docs), bundle.name == PRIMARY)))
    finally:
        await pagefind.close()
    return made


async def _index(bundles: list[tuple[Bundle, Documents]], processes: int = 1
                 ) -> list[tuple[Bundle, Files]]:
    # Bundles spread over ``processes`` Pagefind processes, biggest first onto the least loaded.
    groups: list[list[tuple[Bundle, Documents]]] = [
        [] for _ in range(max(1, min(processes, len(bundles))))]
    for item in sorted(bundles, key=lambda item: -len(item[1])):
        min(groups, key=lambda g: sum(len(docs) for _, docs in g)).append(item)
    return [made for group in await asyncio.gather(*(_index_group(g) for g in groups))
            for made in group]


def _index_all(bundles: list[tuple[Bundle, Documents]], processes: int
               ) -> tuple[dict[int, Files], str | None]:
    """The files of each bundle (by ``id``), made by Pagefind; and what went wrong (in Dutch)
    when Pagefind failed, then without files."""
    if not bundles:
        return {}, None
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            made = asyncio.run(_index(bundles, processes))
        else:
            # Called from code that runs an event loop (async callers, Playwright's sync API):
            # asyncio.run() is not allowed there, so index in a thread of our own.
            with ThreadPoolExecutor(max_workers=1) as pool:
                made = pool.submit(asyncio.run, _index(bundles, processes)).result()
    except PagefindError as failed:
        return {}, str(failed)
    return {id(bundle): files for bundle, files in made}, None


def index_document(html: str) -> str:
    """The part of a page that Pagefind reads: its ``<main>`` (which holds the
    ``data-pagefind-body`` element) without the head, navigation and footer. Pagefind takes the
    title from the first ``h1`` of the body, so the result is the same; parsing the whole page
    (a third of it is JSON-LD and navigation) only cost time."""
    start, end = html.find("<main"), html.rfind("</main>")
    if start < 0 or end < start:
        return html
    return f'<!doctype html><html lang="nl"><body>{html[start:end + len("</main>")]}</body></html>'


CONFIG = {"force_language": "nl", "keep_index_url": False}
Documents = list[tuple[str, str]]  # (url, what Pagefind reads) of each page of a bundle


def documents(bundle: Bundle) -> Documents:
    return [(url, index_document(page if isinstance(page, str) else page.read_text("utf-8")))
            for url, page in bundle.pages]


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


def write_bundles(bundles: list[Bundle], processes: int = 1,
                  cache: FolderCache | None = None) -> dict[str, int]:
    """Write every bundle into its folder, with up to ``processes`` Pagefind processes at once
    (``serve`` uses one per core for the few bundles of an edit; ``build`` indexes in its render
    workers, which already fill every core).

    ``cache``: bundles whose pages are exactly those of an earlier build (``bundle_key``) are
    copied from it instead of indexed again; those that are made are stored in it.
    Every bundle is checked (``bundle_problem``) before it is written, after it is written and
    before it is kept in the cache; one that fails is made again, and if it fails again
    ``BundleError`` is raised. Returns the number of indexed pages per section.
    """
    bundles = [b for b in bundles if b.pages]
    counts: dict[str, int] = {}
    for b in bundles:
        counts[b.section] = counts.get(b.section, 0) + len(b.pages)

    def problem(bundle: Bundle, files: Mapping[str, bytes]) -> str | None:
        return bundle_problem(files, bundle.name == PRIMARY, len(bundle.pages))

    def valid(bundle: Bundle) -> Callable[[Mapping[str, bytes]], bool]:
        return lambda files: problem(bundle, files) is None

    made: dict[int, Files] = {}
    todo: list[tuple[Bundle, Documents]] = []
    keys: dict[int, str] = {}
    for bundle in bundles:
        docs = documents(bundle)
        if cache is not None:
            keys[id(bundle)] = key = bundle_key(bundle, docs)
            files = cache.load(key, valid(bundle))
            if files is not None:
                made[id(bundle)] = files
                continue
        todo.append((bundle, docs))
    indexed, error = _index_all(todo, processes)
    made.update(indexed)
    fresh = {id(bundle) for bundle, _ in todo}
    pending = bundles
    for attempt in range(2):
        failed: list[tuple[Bundle, str]] = []
        for bundle in pending:
            files = made.pop(id(bundle), None)
            if files is None:
                failed.append((bundle, error or "Pagefind gaf geen bestanden"))
                continue
            wrong = problem(bundle, files)
            if wrong is None:
                _write_files(bundle.path, files)
                wrong = _written_problem(bundle.path, files)
            if wrong is not None:
                failed.append((bundle, wrong))
            elif cache is not None and id(bundle) in fresh:
                cache.store(keys[id(bundle)], files, valid(bundle))
        if not failed:
            break
        if attempt:
            bundle, wrong = failed[0]
            raise BundleError(Diagnostic(
                f"{bundle.section}/{bundle.name}/", 0, 0, "",
                f"de zoekindex is niet goed gemaakt, ook niet bij een tweede poging ({wrong}). "
                "Er is niets gepubliceerd; probeer het opnieuw. Gebeurt dit steeds, meld het dan "
                "aan de ontwikkelaars.", "fout", "zoekindex"))
        pending = [bundle for bundle, _ in failed]
        made, error = _index_all([(bundle, documents(bundle)) for bundle in pending], processes)
        fresh.update(id(bundle) for bundle in pending)
    for bundle in bundles:
        if bundle.parts is not None:
            write_manifest(bundle.path, bundle.parts)
    return counts
