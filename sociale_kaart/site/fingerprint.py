"""Fingerprints: a short digest of everything a page is made from, so ``serve`` can tell whether a
page must be made again without making it.

A page is its template (and every template that rendering it loaded) and its context, or the
function that makes its bytes and that function's arguments. Contexts hold plain data: views
(site/views.py), entries, dates, numbers, text. ``Fingerprints.of`` digests such data; anything
it does not know raises ``Unfingerprintable``, and such a page is simply always made again.

Entries are digested once per object and the digest is kept as long as the object lives, so a
``serve`` that keeps unchanged entries in memory (pipeline/load.LoadMemory) digests only the
edited ones. Frozen dataclasses (the views, occurrences) are digested once per object until
``forget_others`` (once per rebuild) finds them unused: a listing, the agenda and the booklet
share the views of the detail pages, so each view is walked once instead of once per page that
shows it, and a view that ``serve`` keeps across rebuilds is walked once. A frozen
view must therefore not be changed through a mutable field once it is made (none is). A
``RecordingKaart`` (site/reads.py) counts as the token ``kaart``: what a page reads from it while
it is made is recorded separately.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from sociale_kaart.model.entries import Entry
from sociale_kaart.model.kaart import Kaart

_ATOMS = (str, int, float, bool, type(None), bytes, date, datetime, time, timedelta, Decimal)


class Unfingerprintable(Exception):
    """A value whose content cannot be digested (the page is then always made again)."""


class Fingerprints:
    """Digests of values; entries are remembered by identity for as long as they live."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Entry, bytes]] = {}
        self._frozen: dict[int, tuple[Any, bytes]] = {}
        self._used: set[int] = set()  # frozen dataclasses digested or looked up since forget_others

    def forget_others(self, keep: set[int]) -> None:
        """Drop the digests of entries whose ``id`` is not in ``keep`` (replaced or removed), and
        of the frozen dataclasses that were not used since the last call (the views of earlier
        rebuilds that were made again; ``serve`` keeps the others, site/views.Views)."""
        self._entries = {k: v for k, v in self._entries.items() if k in keep}
        self._frozen = {k: v for k, v in self._frozen.items() if k in self._used}
        self._used = set()

    def entry(self, entry: Entry) -> bytes:
        hit = self._entries.get(id(entry))
        if hit is not None and hit[0] is entry:
            return hit[1]
        private = entry.__pydantic_private__
        h = hashlib.blake2b(digest_size=16)
        h.update(type(entry).__name__.encode())
        for name in ("_file", "_slug", "_gemeente", "_body"):
            h.update(b"\0" + str(private.get(name, "")).encode())
        h.update(b"\0" + entry.model_dump_json().encode())
        digest = h.digest()
        self._entries[id(entry)] = (entry, digest)  # the entry is kept: its id stays its own
        return digest

    def of(self, value: Any) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value)
        return h.digest()

    def _feed(self, h: Any, value: Any) -> None:
        t = type(value)
        if t in _ATOMS or isinstance(value, Enum) or isinstance(value, str):
            h.update(f"{t.__name__}:{value!r}\0".encode())
        elif isinstance(value, (list, tuple)):
            h.update(f"{t.__name__}[{len(value)}\0".encode())
            for item in value:
                self._feed(h, item)
        elif isinstance(value, (set, frozenset)):
            h.update(f"set[{len(value)}\0".encode())
            for item in sorted(value, key=repr):
                self._feed(h, item)
        elif isinstance(value, dict):
            h.update(f"dict[{len(value)}\0".encode())
            for k in sorted(value, key=repr):
                self._feed(h, k)
                self._feed(h, value[k])
        elif isinstance(value, Kaart):
            # Never a page's input as such: the whole kaart would be its fingerprint. What a page
            # reads of it goes through a RecordingKaart (site/reads.py), which has a token.
            raise Unfingerprintable("Kaart")
        elif isinstance(value, Entry):
            h.update(b"entry\0" + self.entry(value))
        elif isinstance(value, BaseModel):
            h.update(f"{t.__name__}\0{value.model_dump_json()}\0".encode())
        elif hasattr(value, "__fingerprint__"):
            h.update(f"{t.__qualname__}\0".encode())
            self._feed(h, value.__fingerprint__())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if not t.__dataclass_params__.frozen:
                self._feed_fields(h, value)
                return
            hit = self._frozen.get(id(value))
            if hit is None or hit[0] is not value:
                sub = hashlib.blake2b(digest_size=16)
                self._feed_fields(sub, value)
                hit = self._frozen[id(value)] = (value, sub.digest())
            self._used.add(id(value))
            h.update(b"frozen\0" + hit[1])
        elif isinstance(value, functools.partial):
            h.update(b"partial\0")
            self._feed(h, value.func)
            self._feed(h, value.args)
            self._feed(h, value.keywords)
        elif isinstance(value, types.MethodType) or (
                isinstance(value, types.BuiltinMethodType) and not isinstance(value.__self__, types.ModuleType)):
            h.update(f"method:{value.__name__}\0".encode())  # a bound method: its object counts
            self._feed(h, value.__self__)
        elif isinstance(value, types.FunctionType) and value.__closure__ is None \
                and "<lambda>" not in value.__qualname__ and "<locals>" not in value.__qualname__:
            h.update(f"function:{value.__module__}.{value.__qualname__}\0".encode())
        else:
            raise Unfingerprintable(f"{t.__module__}.{t.__qualname__}")

    def _feed_fields(self, h: Any, value: Any) -> None:
        t = type(value)
        h.update(f"{t.__module__}.{t.__qualname__}\0".encode())
        for f in dataclasses.fields(value):
            self._feed(h, getattr(value, f.name))
