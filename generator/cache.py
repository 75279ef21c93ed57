"""Caches between runs: loaded and validated files (``ParseCache``) and search bundles
(``FolderCache``), each keyed by a hash of what they were made from.

Loading and validating is most of the time ``check`` spends on a big kaart, while a pull request
changes a few files. ``ParseCache`` remembers, per file, what ``content.load_one`` returned (the
document's YAML text and body, from which positions are worked out when a diagnostic needs
them; the validated model; the diagnostics) under a key made of the file's SHA-256 and where
it sits (path, kind, slug, gemeente). A changed file gets a new key and is loaded again. The
cache belongs to one version of the generator: a change to any of its Python files starts a
new, empty cache, so a new rule is never skipped.

The parse cache is one pickle per content folder in ``.sociale-kaart-cache/`` in the working
directory (gitignored), read in one go on first use; only the most recently used ``KEEP``
pickles are kept. It is written atomically, only when a file changed, and only holds the files
of the last run. A missing, damaged or unreadable cache is simply ignored: it never changes
the result, only the time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .loader import paused_gc

CACHE_DIR = ".sociale-kaart-cache"
KEEP = 8  # pickles (content folders) kept in the cache folder
_GENERATOR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the generator's own Python files: the cache is valid for this code only."""
    digest = hashlib.sha256()
    for path in sorted(_GENERATOR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_dir() -> Path:
    """``.sociale-kaart-cache/`` in the working directory (like ``.pytest_cache``)."""
    return Path.cwd() / CACHE_DIR


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class ParseCache:
    """Maps a file key to the result of loading that file. Use ``get``/``put``, then ``save``."""

    def __init__(self, directory: Path, content_dir: Path) -> None:
        name = hashlib.sha256(os.path.realpath(content_dir).encode()).hexdigest()[:12]
        self.file = directory / f"parse-{name}-{code_version()}.pickle"
        self.directory = directory
        self._old: dict[str, Any] | None = None  # read on first use (in ``load_content``)
        self._new: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    @property
    def old(self) -> dict[str, Any]:
        """What the last run stored."""
        if self._old is None:
            with paused_gc():
                self._old = self._read()
        return self._old

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.file, "rb") as fh:
                data = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                IndexError, TypeError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def key(raw: bytes, *where: str) -> str:
        return hashlib.sha256(raw).hexdigest() + "\0" + "\0".join(where)

    def get(self, key: str) -> Any | None:
        value = self.old.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._new[key] = value

    def save(self) -> None:
        """Write the entries used in this run; nothing happens when nothing changed."""
        if self._new.keys() == self.old.keys():
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # drop other code versions of this folder, and the least recently used folders
            olds = sorted(self.directory.glob("parse-*.pickle"), key=_mtime, reverse=True)
            for i, stale in enumerate(p for p in olds if p != self.file):
                if i >= KEEP - 1 or stale.name.split("-")[1] == self.file.name.split("-")[1]:
                    stale.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".parse-")
        except OSError:
            return  # a read-only checkout: run without a cache
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self._new, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except (OSError, pickle.PicklingError):
            Path(tmp).unlink(missing_ok=True)


class FolderCache:
    """Folders made in an earlier run, each under a key that hashes everything it was made from.

    ``index.py`` keeps Pagefind bundles here (the most expensive part of a build): a bundle
    whose pages are the same as in the last build is copied instead of indexed again. An entry
    is written under a temporary name with a list of its files and their sizes (``CONTENTS``),
    then renamed; ``restore`` checks that list before copying, so an incomplete or damaged
    entry is not used. ``restore`` marks an entry used (its modification time), and
    ``forget_unused`` deletes what the last full build did not use. As with the parse cache, a
    missing, damaged or unwritable cache only costs time, never changes the result.
    """

    CONTENTS = ".inhoud"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.restored = 0  # entries restored by this object (in this process)

    def restore(self, key: str, target: Path) -> bool:
        """Copy the files of entry ``key`` into ``target`` (which may exist); False when there
        is no complete entry."""
        source = self.directory / key
        files = self._complete(source)
        if files is None:
            return False
        made: set[Path] = set()
        try:
            for name, _ in files:
                destination = target / name
                if destination.parent not in made:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    made.add(destination.parent)
                shutil.copyfile(source / name, destination)
            os.utime(source)
        except OSError:  # e.g. a full disk: take away what was copied; the caller makes it anew
            for name, _ in files:
                (target / name).unlink(missing_ok=True)
            return False
        self.restored += 1
        return True

    def _complete(self, entry: Path) -> list[tuple[str, int]] | None:
        """The files of ``entry`` with their sizes, or None if it is missing or incomplete."""
        try:
            listed = [line.split(" ", 1) for line in
                      (entry / self.CONTENTS).read_text("utf-8").splitlines()]
            files = [(name, int(size)) for size, name in listed]
            if files and all((entry / name).stat().st_size == size for name, size in files):
                return files
        except (OSError, ValueError):
            pass
        return None

    def store(self, key: str, source: Path, skip: Callable[[str], bool] = lambda name: False
              ) -> None:
        """Keep a copy of ``source`` (without its top-level entries for which ``skip`` is true);
        it replaces a damaged entry under the same key."""
        final = self.directory / key
        if final.is_dir():
            if self._complete(final) is not None:
                return
            shutil.rmtree(final, ignore_errors=True)
        temporary = self.directory / f".{key}-{os.getpid()}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, temporary, copy_function=shutil.copyfile,
                            ignore=lambda folder, names: [n for n in names if folder == str(source)
                                                          and skip(n)])
            listed = sorted(f"{p.stat().st_size} {p.relative_to(temporary).as_posix()}"
                            for p in temporary.rglob("*") if p.is_file())
            (temporary / self.CONTENTS).write_text("\n".join(listed) + "\n", "utf-8")
            os.replace(temporary, final)
        except OSError:  # stored by another process meanwhile, or no room: no cache entry
            shutil.rmtree(temporary, ignore_errors=True)

    def forget_unused(self, since: float) -> None:
        """Delete the entries not restored or stored since the time ``since`` (``time.time()``)."""
        try:
            entries = list(self.directory.iterdir())
        except OSError:
            return
        for entry in entries:
            if _mtime(entry) < since:
                shutil.rmtree(entry, ignore_errors=True)
