"""The one way into the pipeline: load -> validate -> resolve, as every command needs it.

``open_kaart`` loads and validates every file of a content folder (with the parse cache when
one is given), resolves references and runs the cross-file checks, under one pause of the
garbage collector (see ``yaml_loader.paused_gc``). ``check``, ``build``, ``serve``, ``rapport``,
``codeowners`` and ``import`` all come through here, so they see the same kaart and the same
diagnostics.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.pipeline.cache import ParseCache
from sociale_kaart.pipeline.load import Loaded, LoadMemory, load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.pipeline.yaml_loader import paused_gc


@dataclass
class Opened:
    kaart: Kaart | None  # None when there are errors
    diagnostics: list[Diagnostic]
    loaded: Loaded
    timings: dict[str, float] = field(default_factory=dict)  # laden, valideren, verwijzingen

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def open_kaart(content: Path, today: date, cache: ParseCache | None = None,
               duplicates: dict[Any, Any] | None = None, memory: LoadMemory | None = None) -> Opened:
    """Load, validate and resolve ``content``. ``serve`` keeps ``duplicates`` (the memo of the
    duplicate comparisons: unchanged groups are not compared again) and ``memory`` (unchanged
    files are not read again) from one rebuild to the next."""
    # One pause of the garbage collector for both stages: a pause of its own for ``check``
    # would first collect, walking every object that loading made (0.2 s at 10,000 entries).
    with paused_gc():
        t0 = time.perf_counter()
        loaded = load_content(content, cache, memory=memory)
        t1 = time.perf_counter()
        kaart, diags = check(loaded, today, duplicates)
        t2 = time.perf_counter()
    # Files are parsed and validated one after the other in the same workers; the validating
    # part is timed there (see load.Loaded.validate_seconds).
    timings = {"laden": t1 - t0 - loaded.validate_seconds, "valideren": loaded.validate_seconds,
               "verwijzingen": t2 - t1}
    return Opened(kaart, diags, loaded, timings)
