"""The dates of "Nieuw en gewijzigd": when each content file was added, changed or stopped,
read from the git history of the content folder.

One ``git log`` over the content folder for the last ``NEWS_DAYS`` days, along the first
parents (the main line: a merged pull request counts on the day it was merged, with the merge
commit's date, not the dates its author's commits claim), with the files each commit added
(``A``: new), changed, renamed (``M``, ``R``: changed) or deleted (no entry any more: left
out). For the entries that are stopped now, one ``git log -G`` finds the commit that wrote their
``status: gestopt``. Nothing is guessed:

- no git, no repository, git refusing the folder (another owner): no dates, so no news;
- a shallow clone: the commits at its boundary have no parent here, so what they "add" is
  unknown and they are skipped; the commits after it count;
- a commit dated in the future (a wrong clock, a forged date) is skipped;
- changes not committed yet have no date.

Netlify clones the whole history (a blobless clone: every commit and tree, file contents on
demand), so production builds and deploy previews see every date. Reading it is safe for
untrusted content: git runs without a shell, pager, external diff or text conversion, with no
prompt and no optional locks, and it refuses a bare repository found by looking (the files of
one, committed into the content folder, would otherwise be a repository with the pull
request's own config); a file in the content cannot make git run anything. What git
prints is only used to look up entries by path; it never names a file to open.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sociale_kaart.model.changes import GESTOPT, GEWIJZIGD, NIEUW, STRENGTH, Change
from sociale_kaart.model.entries import Entry
from sociale_kaart.model.kaart import Kaart

NEWS_DAYS = 90  # how far back "Nieuw en gewijzigd" looks
MAX_COMMITS = 20_000  # a bound on what one build reads
TIMEOUT = 120  # seconds for one git command
# The line that stops an entry, in YAML or Markdown front matter (git -G: a POSIX extended regex).
STOPPED_LINE = "^[[:space:]]*status:[[:space:]]*[\"']?gestopt"
_STATUS = {"A": NIEUW, "M": GEWIJZIGD, "T": GEWIJZIGD, "R": GEWIJZIGD, "C": NIEUW}


@dataclass
class History:
    """Changes per content file (``key(path)``), newest first, one per file per day."""

    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    available: bool = False  # the content folder is in a git repository that git would read
    shallow: bool = False  # ... of which the history is cut off (a shallow clone)
    since: datetime | None = None  # the start of the window read


def key(path: str | os.PathLike[str]) -> str:
    """The one spelling of a file's path on both sides (git's and the loader's)."""
    p = os.path.abspath(os.fspath(path))
    return os.path.join(_real_dir(os.path.dirname(p)), os.path.basename(p))


# Many files share a folder: resolve each folder once per read (``read_history`` clears it).
_real_dir = functools.lru_cache(maxsize=4096)(os.path.realpath)


def _git(args: list[str], cwd: Path) -> bytes | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C", GIT_PAGER="cat",
               GIT_LITERAL_PATHSPECS="1")  # a file name is a name, never a pattern
    # safe.bareRepository=explicit: a pull request can commit the files of a bare repository
    # (HEAD, config, objects/, refs/) into the content folder; git would take that folder for a
    # repository and obey its config (e.g. a lazy fetch that runs a command). Git refuses it now.
    cmd = ["git", "-c", "safe.bareRepository=explicit", "-c", "core.quotepath=off",
           "-c", "log.showSignature=false", "-c", "diff.external=", "--no-pager", *args]
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


_LOG = ["log", "--first-parent", "--diff-merges=first-parent", "--no-ext-diff", "--no-textconv",
        "--no-color", "-z", "--format=%x1e%H %ct", f"--max-count={MAX_COMMITS}"]


def _commits(out: bytes) -> Iterable[tuple[str, int, list[str]]]:
    """(hash, time, fields) per commit of ``git log -z --format=%x1e%H %ct`` with names."""
    for chunk in out.split(b"\x1e")[1:]:
        head, _, rest = chunk.partition(b"\0")
        parts = head.decode("ascii", "replace").split()
        if len(parts) != 2 or not parts[1].isdigit():
            continue
        fields = [f.decode("utf-8", "surrogateescape") for f in rest.lstrip(b"\n").split(b"\0") if f]
        yield parts[0], int(parts[1]), fields


def read_history(content: Path, now: datetime, stopped: Iterable[str] = (),
                 days: int = NEWS_DAYS) -> History:
    """The changes of the files in ``content`` in the ``days`` before ``now``. ``stopped``: the
    files of entries that are stopped now (their stopping is looked up)."""
    since = now - timedelta(days=days)
    _real_dir.cache_clear()
    info = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository", "--git-path", "shallow",
                 "HEAD"], content)
    if info is None:
        return History(since=since)
    lines = info.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 4:
        return History(since=since)
    top = Path(lines[0])
    shallow = lines[1] == "true"
    # ``serve`` asks again after every edit: the history is the same until a commit is made.
    memo_key = (os.path.realpath(content), lines[3], shallow, since.date(), now.tzinfo,
                frozenset(key(s) for s in stopped))
    if _MEMO and _MEMO[0] == memo_key:
        return _MEMO[1]
    history = _read(content, now, since, top, shallow, lines[2], stopped)
    _MEMO[:] = [memo_key, history]
    return history


_MEMO: list = []  # [key, History] of the last read


def _read(content: Path, now: datetime, since: datetime, top: Path, shallow: bool,
          shallow_file: str, stopped: Iterable[str]) -> History:
    boundary: set[str] = set()
    if shallow:
        try:
            boundary = set((content / shallow_file).read_text("ascii").split())
        except (OSError, UnicodeDecodeError):
            return History(available=True, shallow=True, since=since)
    window = [f"--since={since.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"]
    out = _git([*_LOG, *window, "-M", "--name-status", "--", "."], content)
    if out is None:  # finding renames needs file contents; in a blobless clone whose origin
        # cannot be reached they are missing: then a renamed file is new under its new name.
        out = _git([*_LOG, *window, "--no-renames", "--name-status", "--", "."], content)
    if out is None:
        return History(available=True, shallow=shallow, since=since)
    latest = now.timestamp()
    found: dict[str, dict[str, Change]] = {}  # file -> local day -> change

    def note(path: str, commit: str, ts: int, soort: str) -> None:
        when = datetime.fromtimestamp(ts, UTC)
        day = when.astimezone(now.tzinfo).date().isoformat() if now.tzinfo else when.date().isoformat()
        per_day = found.setdefault(key(top / path), {})
        old = per_day.get(day)
        if old is None:
            per_day[day] = Change(when, soort)
        else:  # one change per day: the latest time, the strongest kind
            per_day[day] = Change(max(when, old.when),
                                  soort if STRENGTH[soort] > STRENGTH[old.soort] else old.soort)

    for commit, ts, fields in _commits(out):
        if commit in boundary or ts > latest:
            continue  # a shallow clone's boundary (its "additions" are not known) or the future
        i = 0
        while i < len(fields):
            status = fields[i][:1]
            if status in ("R", "C") and i + 2 < len(fields):
                _, new = fields[i + 1], fields[i + 2]
                note(new, commit, ts, _STATUS[status])
                i += 3
                continue
            if i + 1 < len(fields) and status in _STATUS:
                note(fields[i + 1], commit, ts, _STATUS[status])
            i += 2

    # The entries stopped now: the newest commit that wrote (or removed) a "status: gestopt"
    # line in their file is when they stopped (an older one may be an earlier stop or a restart).
    # One query for the whole folder, kept to the stopped entries here: naming each file to git
    # costs a match of every path against every name (minutes for a thousand stopped entries).
    wanted = {p for p in (key(s) for s in stopped) if p in found}
    if wanted:
        out = _git([*_LOG, *window, "-G", STOPPED_LINE, "--name-only", "--", "."], content)
        done: set[str] = set()
        for commit, ts, fields in _commits(out or b""):
            if commit in boundary or ts > latest:
                continue
            for path in fields:
                if key(top / path) in wanted and key(top / path) not in done:
                    done.add(key(top / path))
                    note(path, commit, ts, GESTOPT)
    changes = {path: tuple(sorted(per_day.values(), key=lambda c: c.when, reverse=True))
               for path, per_day in found.items()}
    return History(changes, True, shallow, since)


SHALLOW_NOTICE = ("De git-geschiedenis van de inhoud is ingekort (een 'shallow clone'): "
                  "'Nieuw en gewijzigd' toont alleen wat na het begin daarvan veranderde.")


def attach_history(kaart: Kaart, content: Path, now: datetime) -> History:
    """Read the history of ``content`` and give ``kaart`` the changes of its entries
    (``Kaart.geschiedenis``, by ``Entry.file``)."""
    entries: list[Entry] = [*kaart.organisaties.values(),
                            *(e for d in kaart.plekken.values() for e in d.values()),
                            *(e for d in kaart.activiteiten.values() for e in d.values())]
    stopped = [e.file for e in entries if getattr(e, "status", None) == GESTOPT]
    history = read_history(content, now, stopped)
    kaart.geschiedenis = {e.file: history.changes[key(e.file)] for e in entries
                          if key(e.file) in history.changes}
    return history
