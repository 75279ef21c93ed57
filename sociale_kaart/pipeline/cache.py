"""Caches between runs: loaded files (``ParseCache``) and sets of files such as the search
documents of a section and the PDFs (``FolderCache``), each keyed by a hash of what they were
made from.

Where. By default a folder per project (a hash of the content folder's real path) in the
user's own cache folder (``platformdirs.user_cache_dir("sociale-kaart")``, e.g.
``~/.cache/sociale-kaart/`` on Linux), never in the working tree: the working tree is what a
pull request controls, and a cache written there would also change the repository (a
pre-commit hook that runs ``check`` must leave it as it was). ``--cache MAP`` chooses the
folder (CI, Netlify); ``--zonder-cache`` uses none. Only the ``KEEP`` most recently used
project folders are kept in the default location.

Trust boundary. Nothing read from a cache can execute code: both caches hold plain data
(JSON text in SQLite, and the bytes of files), never pickles or other serialized objects.
Every entry is checked before use: a parse-cache row by a SHA-256 of its value, a folder
entry's file by its SHA-256 and size, and the entry as a whole by its user's check (the search
documents must read as documents, ``search_index.section_docs``); a damaged, unreadable or
foreign entry is a miss (it costs time), never an error or a different result. These checks
catch damage, not intent: whoever can write the cache folder can make a build publish wrong
data (never run code). So the cache folder must only be writable by whoever runs the build; do not
share one cache folder between trusted builds (main) and builds of untrusted pull requests.

``ParseCache``. Loading is most of the time ``check`` spends on a big kaart, while a pull
request changes a few files. Per file the cache keeps what the loader made of it (the parsed
YAML data, the YAML text and Markdown body from which positions are worked out when a
diagnostic needs them, and the load diagnostics) as JSON, under a key made of the SHA-256 of
the file's bytes, where it sits (path, kind, slug, gemeente) and the generator's code version
(a change to any of its Python files starts afresh, so a new rule is never skipped). A hit
is not parsed again but is validated again (cheap), so no model object is ever stored. The
rows live in one SQLite database (``parse.sqlite3``, write-ahead log: a ``serve`` and a
``build`` may use it at once); a run inserts the rows of changed files and deletes the rows
it did not use, nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath

APP = "sociale-kaart"
KEEP = 8  # project folders kept in the default cache location
_PACKAGE = Path(__file__).resolve().parent.parent  # sociale_kaart/


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the generator's own Python files: the cache is valid for this code only."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_base() -> Path:
    """The user's cache folder for this program (outside every repository)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def project_dir(content_dir: Path, chosen: Path | None = None) -> Path:
    """The cache folder of the project whose content is ``content_dir``: ``chosen`` (``--cache``)
    or a folder per project in ``default_base()``. Nothing is created here."""
    if chosen is not None:
        return Path(chosen)
    name = hashlib.sha256(os.path.realpath(content_dir).encode()).hexdigest()[:16]
    return default_base() / name


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _prepare(directory: Path) -> None:
    """Create ``directory`` (only its owner may write it) and mark it used; in the default
    location, forget the least recently used other projects."""
    fresh = not directory.is_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.utime(directory)
    if fresh and directory.parent == default_base():
        others = sorted((p for p in directory.parent.iterdir() if p.is_dir() and p != directory),
                        key=_mtime, reverse=True)
        for stale in others[KEEP - 1:]:
            _discard(stale)


def _discard(folder: Path) -> None:
    """Delete ``folder``: first renamed away (atomic), so no reader sees it half deleted."""
    trash = folder.with_name(f".weg-{uuid.uuid4().hex[:12]}")
    try:
        os.replace(folder, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- parse cache

_TABLE = "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, digest TEXT NOT NULL)"
# What sqlite_master holds in a database this module made; anything else (another table, a
# view, a trigger) is not ours: the file is treated as damaged and made anew.
_SCHEMA = [("table", "entries", "entries", _TABLE),
           ("index", "sqlite_autoindex_entries_1", "entries", None)]
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}  # codes of a file that is no good
_BUSY_SECONDS = 10  # how long to wait for another process that writes the database
_BATCH = 500  # keys per query (well below SQLite's limit on parameters)


class _Foreign(Exception):
    """The database file is not one this module wrote."""


class ParseCache:
    """File key -> JSON text of what the loader made of that file. ``get_many``, ``put``,
    then ``save``. The values are made and read by ``content.py``."""

    FILE = "parse.sqlite3"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.file = self.directory / self.FILE
        self._used: set[str] = set()  # keys found or put in this run
        self._new: dict[str, str] = {}
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(raw: bytes, *where: str) -> str:
        """The key of a file with content ``raw`` at ``where`` (path, kind, slug, ...)."""
        return f"{_sha256(raw)} {code_version()} {json.dumps(where)}"

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """An open database with the expected schema; None when ``create`` is false and the
        file holds no table yet. Raises ``_Foreign`` for a file that is not ours."""
        con = sqlite3.connect(self.file, timeout=_BUSY_SECONDS, isolation_level=None)
        try:
            # Defensive settings for a file that may be damaged (the cache folder is not
            # trusted to be intact): no functions from the schema, checked cell sizes.
            con.execute("PRAGMA trusted_schema = OFF")
            con.execute("PRAGMA cell_size_check = ON")
            schema = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
            if not schema:
                if not create:
                    con.close()
                    return None
                con.execute("PRAGMA journal_mode = WAL")
                con.execute("PRAGMA synchronous = NORMAL")
                con.execute(_TABLE.replace("TABLE", "TABLE IF NOT EXISTS", 1))
                schema = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
            if sorted(schema, key=repr) != sorted(_SCHEMA, key=repr):
                raise _Foreign
        except BaseException:
            con.close()
            raise
        return con

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The stored values of those ``keys`` that have an intact one."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        if wanted and self.file.is_file():
            try:
                con = self._connect(create=False)
                try:
                    for i in range(0, len(wanted) if con is not None else 0, _BATCH):
                        assert con is not None
                        batch = wanted[i:i + _BATCH]
                        rows = con.execute("SELECT key, value, digest FROM entries WHERE key IN "
                                           f"({','.join('?' * len(batch))})", batch)
                        for key, value, digest in rows:
                            if (type(key) is str and type(value) is str and type(digest) is str
                                    and _value_digest(value) == digest):
                                found[key] = value
                finally:
                    if con is not None:
                        con.close()
            except (sqlite3.Error, _Foreign, OSError, UnicodeError, ValueError, MemoryError):
                found = {}  # unreadable: as if empty (``save`` makes it anew when damaged)
        self._used.update(found)
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def put(self, key: str, value: str) -> None:
        self._new[key] = value
        self._used.add(key)

    def save(self, prune: bool = True) -> None:
        """Insert the new values; with ``prune``, delete the rows this run did not use (so the
        database holds the files of the last run). Writes nothing when nothing changed. A
        cache that cannot be written (read-only, busy for long, damaged) is left as it is,
        or made anew when damaged."""
        try:
            _prepare(self.directory)  # also marks the project's cache used
        except OSError:
            return  # e.g. a read-only location: run without a cache
        if not self._new and not (prune and self.file.is_file()):
            return
        for attempt in range(2):
            try:
                self._write(prune)
                return
            except (_Foreign, sqlite3.DatabaseError) as exc:
                damaged = isinstance(exc, _Foreign) or (
                    not isinstance(exc, sqlite3.OperationalError)
                    and getattr(exc, "sqlite_errorcode", None) in _DAMAGED)
                if not damaged or attempt:
                    return
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            except (sqlite3.Error, OSError, MemoryError):
                return

    def _write(self, prune: bool) -> None:
        con = self._connect(create=True)
        assert con is not None
        try:
            stale: list[str] = []
            if prune:
                count = con.execute("SELECT count(*) FROM entries").fetchone()[0]
                if count > len(self._used) - len(self._new):
                    stale = [k for (k,) in con.execute("SELECT key FROM entries")
                             if k not in self._used]
            if not self._new and not stale:
                return
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany("DELETE FROM entries WHERE key = ?", ((k,) for k in stale))
                con.executemany("INSERT OR REPLACE INTO entries (key, value, digest) "
                                "VALUES (?, ?, ?)",
                                ((k, v, _value_digest(v)) for k, v in self._new.items()))
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
                raise
            self._new = {}
        finally:
            con.close()


def _value_digest(value: str) -> str:
    return _sha256(value.encode("utf-8"))


# --------------------------------------------------------------------------- folder cache


def safe_name(name: str) -> bool:
    """True for a relative path of plain parts (no '..', no absolute path, no backslash): a
    file name from a cache entry that stays inside the folder it is for."""
    path = PurePosixPath(name)
    return (bool(name) and "\\" not in name and "\0" not in name and not path.is_absolute()
            and all(part not in ("", ".", "..") for part in name.split("/")))


class FolderCache:
    """Sets of files (a name -> bytes mapping) made in an earlier run, each under a key that
    hashes everything they were made from.

    ``search_index.py`` keeps the documents of each section here (reading the pages is most of
    the indexing time): a section whose pages are the same as in the last build is not read
    again; ``pdf.py`` keeps the PDFs. An entry
    is a folder with the files and a listing (``CONTENTS``) of each file's SHA-256, size and
    name; it is written under a temporary name and then renamed, so it appears complete or not
    at all. ``load`` reads every file and checks it against the listing, and the whole against
    the caller's check; an entry that fails is deleted, never used. ``load`` marks an entry used
    (its modification time), and ``forget_unused`` deletes what the last full build did not use.
    A missing, damaged or unwritable cache only costs time, never changes the result.
    """

    CONTENTS = ".inhoud"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.restored = 0  # entries loaded by this object (in this process)

    def load(self, key: str, valid: Callable[[Mapping[str, bytes]], bool] = lambda files: True
             ) -> dict[str, bytes] | None:
        """The files of entry ``key``, or None when there is no intact entry for which
        ``valid`` holds (a damaged one is deleted)."""
        entry = self.directory / key
        if not entry.is_dir():
            return None
        files = self._read(entry)
        if files is None or not valid(files):
            _discard(entry)
            return None
        try:
            os.utime(entry)
        except OSError:
            pass
        self.restored += 1
        return files

    def _read(self, entry: Path) -> dict[str, bytes] | None:
        try:
            listing = (entry / self.CONTENTS).read_text("utf-8").splitlines()
            files: dict[str, bytes] = {}
            for line in listing:
                digest, size, name = line.split(" ", 2)
                if not safe_name(name) or name == self.CONTENTS or name in files:
                    return None
                data = (entry / name).read_bytes()
                if len(data) != int(size) or _sha256(data) != digest:
                    return None
                files[name] = data
        except (OSError, ValueError):
            return None
        return files or None

    def store(self, key: str, files: Mapping[str, bytes],
              valid: Callable[[Mapping[str, bytes]], bool] = lambda files: True) -> None:
        """Keep ``files`` under ``key`` when ``valid`` holds for them; an intact entry under the
        same key (made by another process meanwhile) stays, a damaged one is replaced."""
        if not files or not valid(files) or not all(safe_name(n) and n != self.CONTENTS
                                                    for n in files):
            return
        final = self.directory / key
        if final.is_dir():
            if self._read(final) is not None:
                return
            _discard(final)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(dir=self.directory, prefix=f".{key}-"))
        except OSError:
            return
        try:
            for name, data in files.items():
                path = temporary / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            listed = sorted(f"{_sha256(data)} {len(data)} {name}" for name, data in files.items())
            (temporary / self.CONTENTS).write_text("\n".join(listed) + "\n", "utf-8")
            os.replace(temporary, final)
        except OSError:  # stored by another process meanwhile, or no room: no cache entry
            shutil.rmtree(temporary, ignore_errors=True)

    def forget_unused(self, since: float) -> None:
        """Delete the entries not loaded or stored since the time ``since`` (``time.time()``)."""
        try:
            entries = list(self.directory.iterdir())
        except OSError:
            return
        for entry in entries:
            if _mtime(entry) < since:
                shutil.rmtree(entry, ignore_errors=True)
