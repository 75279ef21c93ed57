"""What a page plan reads of the kaart, recorded while it reads (the way Lektor records the
dependencies of a page while it builds it), and what changed in the kaart between two builds.

``RecordingKaart`` stands in for a ``Kaart``. Every lookup through it adds a key to the current
``Reads``: ``("plekken", "kampen", "de-brug")`` for one place, ``("plekken", "kampen", "*")``
for going through all places of Kampen, ``("gemeenten", "*")`` for all gemeenten;
``("site",)`` for the site settings. A lookup of something that is not there is recorded too
(it may be added later). The Kaart's own methods run against the recorder, so what they read
is recorded as well. Nothing has to declare what it reads: a plan, a view or an export that
reads the kaart through the recorder is complete by construction.

``kaart_digests`` gives every key of a kaart a digest; ``changed_keys`` compares two builds and
``affected`` tells whether recorded reads saw any of the changes.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, TypeVar, cast

from sociale_kaart.model.entries import Entry
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.site.fingerprint import Fingerprints

Key = tuple[Any, ...]
T = TypeVar("T")
ALL = "*"  # a key part: every key at this level
# Kaart attributes that every page depends on through the environment or its header: a change
# to one of them rebuilds the whole site (serve/incremental.py).
GLOBAL = frozenset({"site", "today", "taxonomies", "terms", "regios"})
_DICTS = tuple(f.name for f in fields(Kaart) if f.name not in GLOBAL and f.init)  # not ``memos``


class Reads:
    """The keys one page or plan read."""

    def __init__(self) -> None:
        self.keys: set[Key] = set()

    def add(self, key: Key) -> None:
        self.keys.add(key)


class _Recorded:
    """A dict of the kaart (or a dict in one) whose lookups are recorded under ``path``."""

    __slots__ = ("_data", "_path", "_recorder")

    def __init__(self, data: dict[Any, Any], path: Key, recorder: RecordingKaart) -> None:
        self._data, self._path, self._recorder = data, path, recorder

    def _wrap(self, key: Any, value: Any) -> Any:
        return _Recorded(value, self._path + (key,), self._recorder) if isinstance(value, dict) \
            else value

    def _record(self, key: Any) -> None:
        self._recorder.record(self._path + (key,))

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self._data:
            self._record(key)
            return default
        value = self._data[key]
        if not isinstance(value, dict):
            self._record(key)
        return self._wrap(key, value)

    def __getitem__(self, key: Any) -> Any:
        value = self._data[key]
        if not isinstance(value, dict):
            self._record(key)
        return self._wrap(key, value)

    def __contains__(self, key: Any) -> bool:
        self._record(key)
        return key in self._data

    def _all(self) -> None:
        self._record(ALL)

    def __iter__(self) -> Iterator[Any]:
        self._all()
        return iter(self._data)

    def __len__(self) -> int:
        self._all()
        return len(self._data)

    def __bool__(self) -> bool:
        self._all()
        return bool(self._data)

    def keys(self) -> Any:
        self._all()
        return self._data.keys()

    def values(self) -> list[Any]:
        self._all()
        return [self._wrap(k, v) for k, v in self._data.items()]

    def items(self) -> list[tuple[Any, Any]]:
        self._all()
        return [(k, self._wrap(k, v)) for k, v in self._data.items()]


class Memos:
    """Values of ``Kaart.memo``, each with what computing it read. ``serve`` keeps one across
    rebuilds and forgets the values whose reads saw a change (``forget``)."""

    def __init__(self) -> None:
        self.values: dict[Any, tuple[Any, frozenset[Key]]] = {}

    def forget(self, changed: set[Key] | None = None) -> None:
        """Forget the values that read any of ``changed``; every value when it is None."""
        if changed is None:
            self.values = {}
        else:
            self.values = {k: v for k, v in self.values.items() if not affected(set(v[1]), changed)}


class RecordingKaart:
    """A ``Kaart`` whose every lookup is recorded in the innermost ``recording`` block."""

    def __init__(self, kaart: Kaart, memos: Memos | None = None) -> None:
        self._kaart = kaart
        self._sinks: list[Reads] = []
        self._memos = memos if memos is not None else Memos()

    @property
    def real(self) -> Kaart:
        return self._kaart

    def record(self, key: Key) -> None:
        if self._sinks:
            self._sinks[-1].add(key)

    @contextmanager
    def recording(self, reads: Reads) -> Iterator[Reads]:
        self._sinks.append(reads)
        try:
            yield reads
        finally:
            self._sinks.pop()

    def __fingerprint__(self) -> str:
        return "kaart"  # what is read of it is recorded, not fingerprinted

    def memo(self, name: str, key: Any, compute: Callable[[], T],
             keep: Callable[[T], bool] | None = None) -> T:
        """``Kaart.memo``: ``compute()`` once; every caller, also the later ones that get the
        kept value, is recorded as having read what computing it read."""
        slot = (name, key)
        hit = self._memos.values.get(slot)
        if hit is None or (keep is not None and not keep(hit[0])):
            reads = Reads()
            with self.recording(reads):
                value = compute()
            hit = self._memos.values[slot] = (value, frozenset(reads.keys))
        for read in hit[1]:
            self.record(read)
        return cast(T, hit[0])

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._kaart, name)
        if callable(value) and hasattr(Kaart, name):
            # The Kaart's own methods run against the recorder: what they read is recorded.
            return functools.partial(getattr(Kaart, name), self)
        if isinstance(value, dict) and name in _DICTS:
            return _Recorded(value, (name,), self)
        self.record((name,))
        return value


# --------------------------------------------------------------------------- what changed


def kaart_digests(kaart: Kaart, prints: Fingerprints) -> dict[Key, bytes]:
    """A digest per key of the kaart: per entry (``("plekken", g, slug)``), per key of the
    derived indexes (``("activiteiten_per_plek", (g, p))``), and one per global attribute."""
    out: dict[Key, bytes] = {}
    for name in GLOBAL:
        out[(name,)] = _global(getattr(kaart, name), prints)
    for name in _DICTS:
        table = getattr(kaart, name)
        for key, value in table.items():
            if isinstance(value, dict):
                out[(name, key)] = b"dict"
                for inner, item in value.items():
                    out[(name, key, inner)] = _value(item, prints)
            else:
                out[(name, key)] = _value(value, prints)
    return out


def _value(value: Any, prints: Fingerprints) -> bytes:
    if isinstance(value, Entry):
        return prints.entry(value)
    if isinstance(value, list):
        h = hashlib.blake2b(digest_size=16)
        for item in value:
            h.update(_value(item, prints))
        return h.digest()
    return prints.of(value)


def _global(value: Any, prints: Fingerprints) -> bytes:
    return prints.of(value)


def changed_keys(before: dict[Key, bytes], after: dict[Key, bytes]) -> set[Key]:
    """Keys added, removed or changed between two builds."""
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def affected(reads: set[Key], changed: set[Key]) -> bool:
    """Whether any of the ``changed`` keys was seen by ``reads``.

    A read sees a change when the read is a prefix of the changed key (reading a dict of places
    sees a change to one of them), when the changed key is a prefix of the read (a gemeente's
    places added or removed as a whole), or when they agree up to an ``ALL`` of the read.
    """
    if not reads or not changed:
        return False
    by_attr: dict[Any, list[Key]] = {}
    for key in changed:
        by_attr.setdefault(key[0], []).append(key)
    for read in reads:
        for key in by_attr.get(read[0], ()):
            if _sees(read, key):
                return True
    return False


def _sees(read: Key, key: Key) -> bool:
    for r, k in zip(read, key, strict=False):
        if r == ALL:
            return True
        if r != k:
            return False
    return True  # one is a prefix of the other
