"""Stage 6: write. Pages go into a staging folder that replaces the output only when complete.

A failed build removes its staging folder and leaves the previous output byte-for-byte intact.

The output folder is replaced as a whole, so ``claim_output`` first decides whether the folder
may be replaced at all (``check_output``): never the content folder, a project folder, the home
folder or ``/``, and only a folder that is empty or was written by this generator (it holds the
``MARKER`` file). It then tidies what a killed build left next to the output (see below).

The swap is two renames. The previous output, renamed to ``.<name>.oud-<token>`` next to the
new one, is then renamed to ``.<name>.weg-<token>`` and deleted by a detached background
process (as ``git gc --auto`` detaches), so a rebuild does not wait for tens of thousands of
files to be unlinked: 10 s at 50,000 entries. An ``.oud-`` folder is therefore always a complete
previous output: when a build is killed between the two renames, the next build puts it back.

Every build holds a shared ``flock`` on the folder that holds the output while its staging
folder exists; the tidying (putting back an ``.oud-`` folder whose output is missing, deleting
staging folders of killed builds and interrupted deletions) runs only when it gets that lock
exclusively, i.e. when no other build into that folder is running.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, so no tidying of other builds' folders
    fcntl = None  # type: ignore[assignment]

# Written into every output: "this folder may be replaced by the next build". One harmless line
# (no path, name or time), so deploying it with the site tells nobody anything.
MARKER = ".sociale-kaart-uitvoer"
MARKER_TEXT = "Gemaakt door sociale-kaart: de volgende build vervangt deze map helemaal.\n"
# A folder with one of these is a project (a repository, a Python project, a sociale kaart).
PROJECT_SIGNS = (".git", "pyproject.toml", "content")

BUILDING = "bouw"  # staging folder: ".<name>.bouw-<token>"
OLD = "oud"  # replaced output, complete: ".<name>.oud-<token>[-<folder>]"
GONE = "weg"  # being deleted: ".<name>.weg-<token>[-<folder>]"


class OutputError(Exception):
    """A Dutch message for the maintainer about the output folder (the CLI exits with 1)."""


class OutputRefused(OutputError):
    """The folder may not be the output folder; nothing was written."""


class WriteFailed(OutputError):
    """Writing the output failed (a full disk, no permission, ...); the staging folder is gone."""


# ---------------------------------------------------------------------------- the output folder


def _shown(out: Path) -> str:
    """The folder as the maintainer typed it, and where it really is when that differs."""
    given = str(out).rstrip("/") + "/"
    try:
        real = str(out.resolve()).rstrip("/") + "/"
    except (OSError, RuntimeError):
        return given
    return given if given == real else f"{given} ({real})"


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)  # case-insensitive file systems, bind mounts
    except OSError:
        return False


def _within(inner: Path, outer: Path) -> bool:
    """``inner`` is ``outer`` or lies somewhere below it (both resolved)."""
    return any(_same(p, outer) for p in (inner, *inner.parents))


def _refused(out: Path, reason: str, advice: str = "",
             loss: str = "alles wat erin staat, zou verdwijnen") -> OutputRefused:
    advice = advice or "Kies een nieuwe of lege map, bijvoorbeeld --out public."
    return OutputRefused(
        f"Deze map kan geen uitvoermap zijn: {_shown(out)} {reason}. De generator vervangt de "
        f"uitvoermap helemaal: {loss}. {advice} Er is niets geschreven.")


def _holds(outer: Path, inner: Path, name: str) -> str:
    return f"is de {name}" if _same(outer, inner) else f"bevat de {name} ({inner}/)"


def check_output(out: Path, content: Path) -> Path:
    """The resolved output folder, when a build may replace it; else ``OutputRefused``.

    Refused: ``/``, the home folder and what holds it, the content folder and what holds it,
    a folder inside the content folder, what holds the working folder, a project folder (with
    ``.git``, ``pyproject.toml`` or ``content/``), a file, and a folder with files that is not
    an earlier output (no ``MARKER``). Symbolic links and ``..`` are resolved first. The rules
    before the last one hold even when the folder has a marker (a pull request can add one).
    """
    try:
        target = out.resolve()
        source = content.resolve()
        working = Path.cwd().resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links, a deleted working folder
        raise OutputRefused(f"De map {out}/ kan niet gevonden worden ({exc}). Kies een andere "
                            "map met --out. Er is niets geschreven.") from exc
    if target.parent == target:
        raise _refused(out, "is de hoofdmap van de schijf")
    try:
        home: Path | None = Path.home().resolve()
    except (KeyError, RuntimeError):
        home = None
    if home is not None and _within(home, target):
        raise _refused(out, _holds(target, home, "thuismap"))
    if _within(source, target):
        raise _refused(out, _holds(target, source, "content-map"),
                       loss="alles wat erin staat, ook uw inhoud, zou verdwijnen")
    if _within(target, source):
        raise OutputRefused(
            f"Deze map kan geen uitvoermap zijn: {_shown(out)} ligt in de content-map "
            f"({source}/). Daar hoort alleen inhoud: de site zou de volgende keer als inhoud "
            "gelezen worden. Kies een map buiten de content-map, bijvoorbeeld --out public. "
            "Er is niets geschreven.")
    if _within(working, target):
        raise _refused(out, f"bevat de map waarin u nu werkt ({working}/)")
    if not os.path.lexists(target):
        return target
    if not target.is_dir():
        raise _refused(out, "is een bestand, geen map", "Kies een map, bijvoorbeeld --out public.",
                       loss="het bestand zou verdwijnen")
    signs = [name for name in PROJECT_SIGNS if os.path.lexists(target / name)]
    if signs == ["content"] and (target / MARKER).is_file() \
            and not os.path.lexists(target / "content" / "site.yaml"):
        signs = []  # our own output, with the pages of a gemeente whose slug is "content"
    if signs:
        raise _refused(out, f"is een projectmap (er staat {' en '.join(signs)} in)")
    try:
        if (target / MARKER).is_file() or not any(target.iterdir()):
            return target
    except OSError as exc:
        raise _refused(out, f"kan niet gelezen worden ({exc.strerror or exc})",
                       "Kies een andere map met --out.") from exc
    raise _refused(
        out, f"bestaat al en is niet door sociale-kaart gemaakt (het bestand {MARKER} ontbreekt)",
        "Kies een nieuwe of lege map, bijvoorbeeld --out public. Is het de uitvoer van een "
        "oudere versie van sociale-kaart? Verwijder de map dan één keer zelf.")


def claim_output(out: Path, content: Path) -> Path:
    """``check_output``, then tidy up after killed builds when no other build is running:
    put back a replaced output whose new version never arrived, and delete the staging folders
    and half-deleted old outputs they left. Call it before reading the content."""
    target = check_output(out, content)
    lock = FolderLock(target.parent, exclusive=True, wait=False)
    try:
        if lock.held:
            _recover(target)
            remove_later(_stale(target))
    finally:
        lock.release()
    return target


def _ours(out: Path, kind: str) -> Iterator[tuple[Path, str]]:
    """``(path, folder)`` of the ``.<out>.<kind>-<token>[-<folder>]`` folders next to ``out``."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.{kind}-[0-9a-f]{{8}}(?:-(.+))?")
    try:
        entries = sorted(os.scandir(out.parent), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found and entry.is_dir(follow_symlinks=False):
            yield Path(entry.path), found.group(1) or ""


def _recover(out: Path) -> None:
    """A build killed between the two renames of the swap left the previous output (or a
    gemeente folder of it) as ``.oud-`` and nothing in its place: put it back."""
    whole = [path for path, folder in _ours(out, OLD) if not folder]
    if whole and not os.path.lexists(out):
        newest = max(whole, key=lambda p: p.lstat().st_ctime)
        try:
            os.rename(newest, out)
        except OSError:
            pass
    if out.is_dir() and not out.is_symlink():
        for path, folder in _ours(out, OLD):
            if folder and not os.path.lexists(out / folder):
                try:
                    os.rename(path, out / folder)
                except OSError:
                    pass


def _stale(out: Path) -> list[Path]:
    """What killed builds left next to ``out``, renamed for deletion. Only with the lock."""
    found = [path for path, _ in _ours(out, BUILDING)]
    found += [path for path, _ in _ours(out, OLD)]  # those whose output is there (_recover)
    doomed = [_doom(path, out) for path in found]
    return [path for path in doomed if path is not None] + [path for path, _ in _ours(out, GONE)]


def _doom(path: Path, out: Path) -> Path | None:
    """Rename a folder to a ``.weg-`` name: no build takes it for anything else any more."""
    gone = out.parent / f".{out.name}.{GONE}-{uuid.uuid4().hex[:8]}"
    try:
        os.rename(path, gone)
    except OSError:
        return None
    return gone


def previous_output(out: Path | str) -> str:
    """The Dutch sentence for a build that wrote nothing: is there a previous version?"""
    shown = str(out).rstrip("/") + "/"
    path = Path(out)
    try:
        there = path.is_dir() and any(path.iterdir())
    except OSError:
        there = False
    if there:
        return f"De vorige versie in {shown} is niet veranderd."
    return f"Er is geen vorige versie in {shown}: er is niets geschreven."


def write_failure(exc: OSError, out: Path | str) -> WriteFailed:
    """A Dutch message for an ``OSError`` while writing the output."""
    shown = str(out).rstrip("/") + "/"
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        text = (f"De schijf is vol: de site past niet meer in {shown}{where}. Maak ruimte vrij "
                "op de schijf en bouw opnieuw.")
    elif exc.errno in (errno.EACCES, errno.EPERM) and not _writing(exc.filename, out):
        text = (f"Geen toestemming om {exc.filename} te lezen. Controleer de rechten van dat "
                "bestand.")
    elif exc.errno in (errno.EACCES, errno.EPERM):
        text = (f"Geen toestemming om te schrijven in {shown} of de map erboven{where}. Geef "
                "uzelf schrijfrechten op die map, of kies met --out een andere map.")
    elif exc.errno == errno.EROFS:
        text = (f"De schijf van {shown} is alleen-lezen: er kan niets geschreven worden{where}. "
                "Kies met --out een map op een andere schijf.")
    else:
        text = (f"De site kon niet geschreven worden in {shown}: "
                f"{exc.strerror or type(exc).__name__}{where}.")
    return WriteFailed(text)


def _writing(filename: object, out: Path | str) -> bool:
    """The failing file is in the output or its staging folder, or unknown: a write error."""
    if not isinstance(filename, (str, os.PathLike)):
        return True
    try:
        path = Path(filename).resolve()
        target = Path(out).resolve()
    except (OSError, RuntimeError):
        return True
    if path.is_relative_to(target) or target.is_relative_to(path):  # also making its parents
        return True
    return path.is_relative_to(target.parent) and path != target.parent and \
        path.relative_to(target.parent).parts[0].startswith(f".{target.name}.")


# ---------------------------------------------------------------------------- locks


_LOCKS: set[int] = set()  # file descriptors of the locks this process holds


def _forget_locks_in_child() -> None:
    """A forked render worker must not keep its parent's locks: when the parent is killed, a
    lingering worker would otherwise make every later build believe that a build is running
    (``flock`` locks belong to the open file, which a fork shares)."""
    for fd in list(_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


class FolderLock:
    """A ``flock`` on a folder itself (no lock file next to the output). Shared: a build is
    running; exclusive: none is. ``held`` is False when the lock could not be taken (another
    build holds it, ``wait`` False; or the system has no ``flock``)."""

    def __init__(self, folder: Path, exclusive: bool, wait: bool = True) -> None:
        self.fd: int | None = None
        if fcntl is None:
            return
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return
        try:
            mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
            fcntl.flock(fd, mode)
        except OSError:
            os.close(fd)
            return
        self.fd = fd
        _LOCKS.add(fd)

    @property
    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            _LOCKS.discard(self.fd)
            os.close(self.fd)
            self.fd = None


# ---------------------------------------------------------------------------- staging


class Staging:
    """A temporary folder next to the output, swapped in with renames when the build succeeds.

    ``background``: delete the replaced output in a detached process (False: before returning).
    """

    def __init__(self, out: Path, background: bool = True) -> None:
        self.out = out.resolve()
        self.background = background
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FolderLock(self.out.parent, exclusive=False)
        try:
            token = uuid.uuid4().hex[:8]
            self.root = self.out.parent / f".{self.out.name}.{BUILDING}-{token}"
            self.root.mkdir()
            (self.root / MARKER).write_text(MARKER_TEXT, "utf-8")
        except BaseException:
            self._lock.release()
            raise
        self._made: set[Path] = set()
        self.count = 0
        self.bytes = 0
        self.html_pages: list[str] = []

    def path(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise ValueError(f"unsafe output path: {rel}")
        return self.root.joinpath(*pure.parts)

    def write(self, rel: str, data: bytes) -> None:
        target = self.path(rel)
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        target.write_bytes(data)
        self.record(rel, len(data))

    def record(self, rel: str, size: int) -> None:
        """Count a staged file; render worker processes write, the parent process counts."""
        if rel.endswith(".html"):
            self.html_pages.append(rel)
        self.count += 1
        self.bytes += size

    def discard(self) -> None:
        try:
            remove_tree(self.root)
        finally:
            self._lock.release()

    def commit(self, only: list[str] | None = None) -> None:
        """Swap the staged output in. ``only``: replace just these top-level folders."""
        try:
            if only is None:
                replaced = [_swap(self.root, self.out, self._old_name(""))]
            else:
                self.out.mkdir(parents=True, exist_ok=True)
                if not (self.out / MARKER).is_file():
                    (self.out / MARKER).write_text(MARKER_TEXT, "utf-8")
                replaced = [_swap(self.root / name, self.out / name, self._old_name(name))
                            for name in only]
                replaced.append(self.root)  # what is left of the staging folder
            gone = [_doom(p, self.out) for p in replaced if p is not None]
        finally:
            self._lock.release()
        done = [p for p in gone if p is not None]
        if self.background:
            remove_later(done)
        else:
            for path in done:
                remove_tree(path)

    def _old_name(self, folder: str) -> Path:
        """Where a replaced folder goes: next to the output (never inside it, where a deploy
        of the output folder would pick it up)."""
        token = uuid.uuid4().hex[:8]
        return self.out.parent / f".{self.out.name}.{OLD}-{token}{'-' + folder if folder else ''}"


def _swap(new: Path, target: Path, old: Path) -> Path | None:
    """Put ``new`` in the place of ``target``, which is renamed to ``old``; returns ``old``
    when there was a target."""
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    return old if old.exists() else None


_REMOVER = """import os, shutil, sys
try:
    os.nice(10)
except OSError:
    pass
for path in sys.argv[1:]:
    shutil.rmtree(path, ignore_errors=True)
"""


def remove_later(paths: list[Path]) -> None:
    """Delete folders in a detached background process; at once when that cannot start."""
    if not paths:
        return
    try:
        subprocess.Popen([sys.executable, "-c", _REMOVER, *map(str, paths)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        for path in paths:
            remove_tree(path)


def remove_tree(path: Path, threads: int = 8) -> None:
    """Delete a folder tree, its top-level entries in parallel threads.

    Deleting waits on the file system more than on the CPU, and threads deleting different
    folders do not wait for each other: on the 34,000 files of a 10,000-entry site this takes
    half the time of one ``shutil.rmtree``. Errors are ignored, as with ``ignore_errors``.
    """
    try:
        entries = list(os.scandir(path))
    except OSError:
        return

    def remove(entry: os.DirEntry) -> None:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(remove, entries))
    shutil.rmtree(path, ignore_errors=True)
