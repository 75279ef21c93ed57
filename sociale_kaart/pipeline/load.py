"""Find every content file, load it (stage 1) and validate it (stage 2).

The folder layout decides the entry type and slug:

    content/site.yaml                                   Site
    content/taxonomie/<vocabulaire>.yaml                Taxonomie
    content/gemeenten/<slug>.yaml                       Gemeente
    content/organisaties/<slug>.yaml                    Organisatie
    content/ontmoetingsplekken/<gemeente>/<slug>.yaml   Ontmoetingsplek
    content/activiteiten/<gemeente>/<slug>.yaml|.md     Activiteit
    content/praktijken/<slug>.md|.yaml                  Praktijk
"""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from pydantic import BaseModel

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.entries import Entry, Site, Taxonomie
from sociale_kaart.model.fields import SLUG_PATTERN, body_control
from sociale_kaart.model.kinds import BY_FOLDER, ENTRY_TYPES, KINDS, TAXONOMY_SUFFIXES
from sociale_kaart.model.names import MAX_SLUG
from sociale_kaart.pipeline.cache import ParseCache
from sociale_kaart.pipeline.validate import validate_document
from sociale_kaart.pipeline.yaml_loader import (
    MAX_FILE_BYTES,
    Document,
    load_file,
    load_text,
    os_error_text,
    paused_gc,
    read_regular_file,
)

_SLUG = re.compile(SLUG_PATTERN)
IGNORED_NAMES = {"readme.md", ".gitkeep", ".ds_store", "thumbs.db"}

# The file types of each kind (model/kinds.py), and of the vocabularies in taxonomie/.
ALLOWED_SUFFIXES = {**{k.name: k.suffixes for k in KINDS.values()}, "taxonomie": TAXONOMY_SUFFIXES}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str  # as shown in messages
    kind: str  # entry kind, "site" or "taxonomie"
    slug: str
    gemeente: str = ""


@dataclass
class Loaded:
    site: Site | None = None
    taxonomies: dict[str, Taxonomie] = field(default_factory=dict)
    entries: dict[str, list[Entry]] = field(default_factory=lambda: {k: [] for k in ENTRY_TYPES})
    documents: dict[str, Document] = field(default_factory=dict)  # rel path -> document
    files: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Of the wall time of loading, the seconds that went to validating (stage 2): parsing and
    # validating a file happen one after the other in the same worker, so they are timed there.
    validate_seconds: float = 0.0
    # The content hash of every file (only when loaded with a ``LoadMemory``).
    digests: dict[SourceFile, str | None] = field(default_factory=dict)

    def add(self, source: SourceFile, doc: Document | None, model: object | None,
            diags: list[Diagnostic]) -> None:
        """Record the outcome of ``load_one`` for ``source``."""
        self.diagnostics.extend(diags)
        if doc is not None:
            self.documents[source.rel] = doc
        if model is None:
            return
        # validate_one checks each kind of file against its own model class.
        if source.kind == "site":
            self.site = cast(Site, model)
        elif source.kind == "taxonomie":
            self.taxonomies[source.slug] = cast(Taxonomie, model)
        else:
            self.entries[source.kind].append(cast(Entry, model))


def display_path(path: Path) -> str:
    """Path as maintainers see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # other drive on Windows
        return path.as_posix()
    return Path(path).as_posix() if rel.startswith("..") else Path(rel).as_posix()


def _ignored(name: str) -> bool:
    return name.startswith((".", "_", "~")) or name.lower() in IGNORED_NAMES or name.endswith("~")


LINK_OUTSIDE = ("is een koppeling naar een plek buiten de content-map; zet de inhoud zelf in de "
                "content-map")
NOT_REGULAR = ("is geen gewoon bestand of map, maar bijvoorbeeld een named pipe (FIFO), socket of "
               "apparaatbestand; zo'n bestand wordt niet gelezen. Haal het weg uit de content-map")


def unreadable_message(exc: OSError, is_link: bool) -> tuple[str, str]:
    """(message, code) for an entry of the content folder whose type cannot be determined."""
    if exc.errno == errno.ELOOP:
        return ("deze koppeling (symlink) verwijst in een kring naar zichzelf en leidt nergens "
                "heen; haal de koppeling weg of laat haar naar een echt bestand wijzen", "pad")
    if is_link and exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ("deze koppeling (symlink) wijst naar iets dat niet bestaat; haal de koppeling "
                "weg of zet het bestand terug", "pad")
    return f"kan niet gelezen worden: {os_error_text(exc)}", "lezen"


def discover(content_dir: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """List the content files with their kind and slug; report files in unexpected places.

    Folders are read with ``os.scandir``, whose entries know whether they are links: only
    links are resolved to see whether they lead outside the content folder, and the path
    shown to maintainers is made once per folder, not once per file.

    Only regular files and folders are taken; anything else on disk is reported with its path
    and never opened: a link that leaves the content folder, a link that leads nowhere or in a
    circle, a FIFO, socket or device file, a folder that cannot be read (or that vanished
    while it was read).
    """
    files: list[SourceFile] = []
    diags: list[Diagnostic] = []
    root = Path(os.path.realpath(content_dir))
    base = display_path(content_dir)
    base = "" if base == "." else base + "/"

    def bad(shown: str, message: str, code: str = "bestand") -> None:
        diags.append(Diagnostic(shown, 0, 0, "", message, "fout", code))

    def listing(folder: Path, shown: str) -> list[os.DirEntry[str]]:
        """The entries of ``folder``, sorted by name (no extra system call per entry)."""
        try:
            with os.scandir(folder) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            bad(shown, f"deze map kan niet gelezen worden: {os_error_text(exc)}", "lezen")
            return []

    def kind_of(entry: os.DirEntry[str], shown: str) -> str | None:
        """"file" or "dir": what ``entry`` is, following links that stay inside the content
        folder. Anything else is reported and gives None."""
        is_link = entry.is_symlink()
        try:
            if is_link and not Path(os.path.realpath(entry.path)).is_relative_to(root):
                bad(shown, f"{'deze map' if _is_dir(entry) else 'dit bestand'} {LINK_OUTSIDE}", "pad")
                return None
            if entry.is_file():
                return "file"
            if entry.is_dir():
                return "dir"
            os.stat(entry.path)  # neither: a link that leads nowhere raises here
        except OSError as exc:
            bad(shown, *unreadable_message(exc, is_link))
            return None
        bad(shown, f"dit {NOT_REGULAR}", "bestand")
        return None

    def accept(folder: Path, entry: os.DirEntry[str], shown: str, kind: str,
               gemeente: str = "") -> None:
        name = entry.name
        i = name.rfind(".")  # stem and suffix as pathlib splits them
        stem, suffix = (name[:i], name[i:]) if 0 < i < len(name) - 1 else (name, "")
        if suffix.lower() not in ALLOWED_SUFFIXES[kind]:
            allowed = " of ".join(sorted(ALLOWED_SUFFIXES[kind]))
            bad(shown, f"onverwacht bestandstype '{suffix}': gebruik {allowed}", "bestand")
            return
        if not _SLUG.match(stem) or len(stem) > MAX_SLUG:
            bad(shown, f"bestandsnaam '{name}' is geen geldige korte naam: gebruik alleen "
                       "kleine letters, cijfers en streepjes, zoals 'buurthuis-de-brug.yaml'", "slug")
            return
        files.append(SourceFile(folder / name, shown, kind, stem, gemeente))

    top = listing(content_dir, display_path(content_dir)) if content_dir.is_dir() else []
    site = next((e for e in top if e.name == "site.yaml"), None)
    site_kind = kind_of(site, base + "site.yaml") if site is not None else None
    if site_kind == "file":
        files.append(SourceFile(content_dir / "site.yaml", base + "site.yaml", "site", "site"))
    elif site is None or site_kind == "dir":
        bad(display_path(content_dir / "site.yaml"), "site.yaml ontbreekt: hierin staan de naam "
            "van de site en de regio-indelingen", "ontbreekt")

    for child in top:
        name = child.name
        shown = base + name
        if _ignored(name) or name == "site.yaml":
            continue
        child_kind = kind_of(child, shown)
        if child_kind is None:
            continue
        if name == "taxonomie" and child_kind == "dir":
            folder = content_dir / name
            for f in listing(folder, shown):
                if _ignored(f.name):
                    continue
                f_kind = kind_of(f, f"{shown}/{f.name}")
                if f_kind == "file":
                    accept(folder, f, f"{shown}/{f.name}", "taxonomie")
                elif f_kind == "dir":
                    bad(f"{shown}/{f.name}", "onverwachte map", "bestand")
            continue
        if name not in BY_FOLDER or child_kind != "dir":
            bad(shown, f"onverwacht bestand of onverwachte map '{name}' in de content-map; "
                       f"bekende mappen: taxonomie, {', '.join(BY_FOLDER)}", "bestand")
            continue
        kind, per_gemeente = BY_FOLDER[name].name, BY_FOLDER[name].per_gemeente
        folder = content_dir / name
        for sub in listing(folder, shown):
            sub_shown = f"{shown}/{sub.name}"
            if _ignored(sub.name):
                continue
            sub_kind = kind_of(sub, sub_shown)
            if sub_kind is None:
                continue
            if per_gemeente:
                if sub_kind != "dir":
                    bad(sub_shown, f"zet dit bestand in de map van een gemeente: {name}/<gemeente>/"
                                   f"{sub.name}", "bestand")
                    continue
                if not _SLUG.match(sub.name):
                    bad(sub_shown, f"mapnaam '{sub.name}' is geen geldige korte naam van een "
                                   "gemeente", "slug")
                    continue
                sub_folder = folder / sub.name
                for f in listing(sub_folder, sub_shown):
                    if _ignored(f.name):
                        continue
                    f_shown = f"{sub_shown}/{f.name}"
                    f_kind = kind_of(f, f_shown)
                    if f_kind == "dir":
                        bad(f_shown, "onverwachte map: zet bestanden direct in de map van de "
                            "gemeente", "bestand")
                    elif f_kind == "file":
                        accept(sub_folder, f, f_shown, kind, sub.name)
            elif sub_kind == "dir":
                bad(sub_shown, f"onverwachte map in {name}/", "bestand")
            else:
                accept(folder, sub, sub_shown, kind)
    return files, diags


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def parse_one(source: SourceFile, raw: bytes | None = None
              ) -> tuple[Document | None, list[Diagnostic]]:
    """Stage 1 (load) for one file: read it (unless ``raw``, its content, is given: the parse
    cache hashes it first, so what is loaded is exactly what was hashed) and parse its YAML."""
    if raw is None:
        return load_file(source.path, source.rel)
    return load_text(raw, source.path, source.rel)


def validate_one(source: SourceFile, doc: Document | None, diags: list[Diagnostic]
                 ) -> tuple[Document | None, object | None, list[Diagnostic]]:
    """Stage 2 (validate) for one parsed file: check it against its model (models.py).

    Returns (document, model or None, diagnostics). The document is kept for the positions of
    values (diagnostics of later stages); its ``data`` is dropped once validated, as the model
    holds the same and more.
    """
    if doc is None:
        return None, None, diags
    model_cls: type[BaseModel]
    if source.kind == "site":
        model_cls = Site
    elif source.kind == "taxonomie":
        model_cls = Taxonomie
    else:
        model_cls = ENTRY_TYPES[source.kind]
    data = doc.data
    if doc.body is not None and source.kind == "activiteit" and "beschrijving" in data:
        line, col = doc.position(("beschrijving",), key=True)
        diags.append(Diagnostic(doc.rel, line, col, "beschrijving",
                                "in een .md-bestand staat de beschrijving onder de velden; "
                                "haal dit veld weg", "fout", "dubbel-veld"))
        return doc, None, diags
    model, errors = validate_document(doc, model_cls)
    doc.data = None  # type: ignore[assignment]  # the model has it all now; keep memory small
    diags.extend(errors)
    if model is not None and doc.body and (found := body_control(doc.body)) is not None:
        at, message = found  # the Markdown text is checked like every text field (types.py)
        line = doc.body_line + doc.body.count("\n", 0, at)
        diags.append(Diagnostic(doc.rel, line, at - doc.body.rfind("\n", 0, at), "",
                                f"de tekst onder de velden {message}", "fout", "stuurteken"))
        model = None
    if model is not None and source.kind in ENTRY_TYPES:
        # model_cls is ENTRY_TYPES[source.kind], an Entry class
        cast(Entry, model).bind(source.slug, source.rel, source.gemeente, doc.body or "")
    return doc, model, diags


def load_one(source: SourceFile, raw: bytes | None = None
             ) -> tuple[Document | None, object | None, list[Diagnostic]]:
    """Load and validate one file: ``validate_one(parse_one(...))``."""
    return validate_one(source, *parse_one(source, raw))


LoadResult = tuple[Document | None, object | None, list[Diagnostic]]  # what load_one returns
_State = tuple[tuple | None, object | None, list[Diagnostic]]  # the same, picklable
Parsed = tuple[Document | None, list[Diagnostic]]  # what parse_one returns


def _state(loaded: LoadResult) -> _State:
    """``load_one``'s result without the parts that are known from the file (path, name)."""
    doc, model, diags = loaded
    state = None if doc is None else (doc.body, doc.body_line, doc.text, doc.line_offset)
    return state, model, diags


def _from_state(source: SourceFile, state: _State) -> LoadResult:
    fields, model, diags = state
    doc = None if fields is None else Document(
        source.path, source.rel, None, *fields)  # type: ignore[arg-type]  # validated: no data (validate_one)
    return doc, model, diags


# The parse cache (cache.ParseCache) keeps what ``parse_one`` made of a file as JSON: plain
# data only (the loader's data is dicts, lists, text, numbers, booleans and None), so reading
# it can never run code, and a hit is validated again like a freshly parsed file.
_CACHE_FORMAT = 1


def cache_value(parsed: Parsed) -> str:
    """``parse_one``'s result as the JSON text the parse cache stores."""
    doc, diags = parsed
    fields = None if doc is None else [doc.data, doc.body, doc.body_line, doc.text, doc.line_offset]
    return json.dumps([_CACHE_FORMAT, fields,
                       [[d.file, d.line, d.column, d.field, d.message, d.severity, d.code]
                        for d in diags]], separators=(",", ":"))


def from_cache_value(source: SourceFile, value: str) -> Parsed | None:
    """``parse_one``'s result from a stored ``cache_value``; None if it is not one."""
    try:
        version, fields, found = json.loads(value)
        if version != _CACHE_FORMAT or type(found) is not list:
            return None
        diags = []
        for file, line, column, fld, message, severity, code in found:
            if not (type(file) is type(fld) is type(message) is type(code) is str
                    and type(line) is type(column) is int and severity in ("fout", "waarschuwing")):
                return None
            diags.append(Diagnostic(file, line, column, fld, message, severity, code))
        if fields is None:
            return None, diags
        data, body, body_line, text, line_offset = fields
        if not (type(data) is dict and (body is None or type(body) is str) and type(text) is str
                and type(body_line) is type(line_offset) is int):
            return None
    except (ValueError, TypeError, RecursionError):
        return None
    return Document(source.path, source.rel, data, body, body_line, text, line_offset), diags


def _read_for_cache(source: SourceFile) -> bytes | None:
    """The file's bytes, to hash for the parse cache; None when it is too big or unreadable
    (``load_one`` then reports that itself)."""
    try:
        return read_regular_file(source.path, MAX_FILE_BYTES)
    except OSError:
        return None


# Parallel loading. Parsing YAML and validating it is most of a ``check``; with many files it
# is spread over forked worker processes (one per core). A worker gets a chunk of files and
# sends back each file's result as ``_State`` (the model pickles; the document is rebuilt from
# its text here), in order, so the result is the same as loading one file after the other.
# A file found in the parse cache comes with its stored value instead of being parsed.
PARALLEL_MIN_FILES = 400  # below this, starting the workers costs more than it saves
CHUNK_FILES = 250
# Work to do per file: the file, its bytes (when read for the parse cache), its stored value.
_Todo = tuple[SourceFile, bytes | None, str | None]


def _load_chunk(chunk: list[_Todo]) -> tuple[list[tuple[_State, str | None]], float]:
    """Load and validate ``chunk``; per file its state and, when it was parsed for the parse
    cache, the value to store. Also returns the seconds spent validating (stage 2)."""
    out: list[tuple[_State, str | None]] = []
    validating = 0.0
    for source, raw, stored in chunk:
        parsed = None if stored is None else from_cache_value(source, stored)
        fresh = None
        if parsed is None:
            parsed = parse_one(source, raw)
            if raw is not None:
                fresh = cache_value(parsed)
        started = time.perf_counter()
        out.append((_state(validate_one(source, *parsed)), fresh))
        validating += time.perf_counter() - started
    return out, validating


def load_workers(files: int) -> int:
    """How many processes load ``files`` files: one per core for big kaarten, else 1."""
    if files < PARALLEL_MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, files // CHUNK_FILES))


def _load_all(todo: list[_Todo], workers: int) -> tuple[list[tuple[_State, str | None]], float]:
    """The results of ``todo`` in order, and the seconds of validating as part of the wall time
    (the workers' total divided by their number, as they validate side by side).

    Only files that must be parsed go to the workers; files with a stored value are validated
    in this process meanwhile (sending their models back from a worker costs more than that)."""
    parse = [i for i, (_, _, stored) in enumerate(todo) if stored is None]
    if workers <= 1 or not parse:
        return _load_chunk(todo)
    started = time.perf_counter()
    stored_ones = [i for i, (_, _, stored) in enumerate(todo) if stored is not None]
    chunks = [[todo[i] for i in parse[n:n + CHUNK_FILES]] for n in range(0, len(parse), CHUNK_FILES)]
    results: list[tuple[_State, str | None] | None] = [None] * len(todo)
    parsed: list[tuple[_State, str | None]] = []
    validating = 0.0
    # concurrent.futures notices a worker that dies (killed, out of memory): the pool breaks
    # and iterating raises, where multiprocessing.Pool would wait for its result forever.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending = pool.map(_forked_chunk, chunks)
        here, validating_here = _load_chunk([todo[i] for i in stored_ones])
        try:
            for part, seconds in pending:
                parsed.extend(part)
                validating += seconds
        except BrokenProcessPool:
            raise WorkerDied(LOAD_WORKER_DIED) from None
    for i, result in zip(stored_ones, here, strict=True):
        results[i] = result
    for i, result in zip(parse, parsed, strict=True):
        results[i] = result
    # (the two overlap: never more than the time it all took)
    validating = min(validating_here + validating / workers, time.perf_counter() - started)
    return results, validating  # type: ignore[return-value]


def _forked_chunk(chunk: list[_Todo]) -> tuple[list[tuple[_State, str | None]], float]:
    """``_load_chunk`` as the workers call it: looked up when called, in the forked process."""
    return _load_chunk(chunk)


LOAD_WORKER_DIED = ("het inlezen is afgebroken: een werkproces dat bestanden las, stopte "
                    "onverwacht (meestal omdat de computer te weinig geheugen had). Probeer het "
                    "opnieuw; gebeurt het weer, meld het dan aan de ontwikkelaars")


class WorkerDied(Exception):
    """A load worker process died; the message is Dutch, for the maintainer."""


def load_files(files: list[SourceFile], cache: ParseCache | None = None,
               workers: int | None = None) -> tuple[list[LoadResult], float]:
    """``load_one`` of every file, in order; unchanged files are not parsed but come from
    ``cache`` (and are validated again).

    ``workers``: processes for the files that must be parsed; None chooses (``load_workers``).
    Also returns the part of the wall time that went to validating (stage 2).
    """
    raws: list[bytes | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    stored: dict[str, str] = {}
    if cache is not None:
        for i, source in enumerate(files):
            if (raw := _read_for_cache(source)) is not None:
                raws[i] = raw
                keys[i] = cache.key(raw, str(source.path), source.rel, source.kind, source.slug,
                                    source.gemeente)
        stored = cache.get_many(k for k in keys if k is not None)
    todo: list[_Todo] = [(source, raw, None if key is None else stored.get(key))
                         for source, raw, key in zip(files, raws, keys, strict=True)]
    if workers is None:  # the workers parse; files with a stored value stay here
        workers = load_workers(sum(1 for _, _, value in todo if value is None))
    done, validating = _load_all(todo, workers)
    results: list[LoadResult] = []
    for source, key, (state, fresh) in zip(files, keys, done, strict=True):
        if fresh is not None and key is not None:
            cache.put(key, fresh)  # type: ignore[union-attr]
        results.append(_from_state(source, state))
    return results, validating


RACY_NS = 2_000_000_000  # a file changed this recently may change again within its stat's tick


def file_digest(path: Path) -> str | None:
    """The content hash of the regular file ``path``; None when it is not one or cannot be read
    (a FIFO that took the place of a file is never opened for reading)."""
    try:
        return hashlib.blake2b(read_regular_file(path), digest_size=16).hexdigest()
    except OSError:
        return None


@dataclass
class LoadMemory:
    """What a long-running process (``serve``) keeps of the files it loaded, in memory: per file
    its content hash (read again only when its stat changed) and what loading it gave. A file
    whose hash did not change is neither read, parsed nor validated again."""

    stats: dict[SourceFile, tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)
    results: dict[SourceFile, tuple[str, LoadResult]] = field(default_factory=dict)
    parsed: int = 0  # files loaded (not from memory or the parse cache) in the last load

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


def load_content(content_dir: Path, cache: ParseCache | None = None,
                 workers: int | None = None, memory: LoadMemory | None = None) -> Loaded:
    """Load and validate every file; with ``cache``, unchanged files come from the parse cache;
    with ``memory``, files whose content hash did not change since the last call come from it.

    ``workers``: processes that parse files (None: one per core when there are many files)."""
    result = Loaded()
    if not content_dir.is_dir():
        result.diagnostics.append(Diagnostic(display_path(content_dir), 0, 0, "",
                                             "de content-map bestaat niet", "fout", "ontbreekt"))
        return result
    with paused_gc():
        files, diags = discover(content_dir)
        result.files = files
        result.diagnostics.extend(diags)
        todo = files
        if memory is not None:
            result.digests = {source: memory.digest(source) for source in files}
            todo = [source for source in files if (hit := memory.results.get(source)) is None
                    or hit[0] != result.digests[source] or result.digests[source] is None]
        try:
            loaded_files, result.validate_seconds = load_files(
                todo, cache, workers if memory is None or not memory.results else 1)
        except WorkerDied as died:
            result.diagnostics.append(Diagnostic(display_path(content_dir), 0, 0, "", str(died),
                                                 "fout", "werkproces"))
            return result
        fresh = dict(zip(todo, loaded_files, strict=True))
        if memory is not None:
            memory.parsed = len(todo) - (cache.hits if cache is not None else 0)
            for source, loaded in fresh.items():
                digest = result.digests[source]
                # Only what was read from the content we hashed (the file may change meanwhile).
                if digest is not None and file_digest(source.path) == digest:
                    memory.results[source] = (digest, loaded)
                else:
                    memory.results.pop(source, None)
            for gone in set(memory.results) - set(files):
                del memory.results[gone]
            for gone in set(memory.stats) - set(files):
                del memory.stats[gone]
        for source in files:
            now_loaded = fresh.get(source)
            if now_loaded is None:
                assert memory is not None  # only files held in memory are not loaded now
                now_loaded = memory.results[source][1]
            result.add(source, *now_loaded)
        if cache is not None:
            cache.save(prune=memory is None or len(todo) == len(files))
            if memory is not None:  # the same cache serves the next load: count per load
                cache.hits = cache.misses = 0
    return result
