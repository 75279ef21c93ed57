"""Diagnostics: every problem the generator reports, with file, line, column and field.

Messages are Dutch (they are read by maintainers); the code is English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["fout", "waarschuwing"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str  # path relative to the content folder's parent, posix style
    line: int  # 1-based; 0 when unknown
    column: int  # 1-based; 0 when unknown
    field: str  # dotted field path ("wanneer[0].van"); "" for the whole file
    message: str  # Dutch
    severity: Severity = "fout"
    code: str = ""  # stable machine-readable code, e.g. "onbekend-veld"

    @property
    def is_error(self) -> bool:
        return self.severity == "fout"

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file

    def text(self) -> str:
        """One terminal line. Control characters from file names or quoted values (an escape
        sequence, a line break) are shown as ``\\x1b``, ``\\n``: they never reach the terminal."""
        prefix = "" if self.is_error else "waarschuwing: "
        field = f"veld '{self.field}': " if self.field else ""
        return visible(f"{self.location()}: {prefix}{field}{self.message}")

    def github(self) -> str:
        """A GitHub Actions workflow command (an annotation on the file and line).

        Escaped as GitHub's own toolkit does (``escapeData`` / ``escapeProperty`` of
        @actions/core): %, CR and LF in the message; also ':' and ',' in property values,
        which would otherwise end the value (a file named ``koffie,thee:x.yaml``).
        """
        kind = "error" if self.is_error else "warning"
        msg = (f"veld '{self.field}': " if self.field else "") + self.message
        parts = [f"file={_escape_property(visible(self.file, lines=True))}"]
        if self.line:
            parts.append(f"line={self.line}")
            parts.append(f"col={self.column or 1}")
        return f"::{kind} {','.join(parts)}::{_escape_data(visible(msg, lines=True))}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str, lines: bool = False) -> str:
    """``text`` with every control character written as a Python escape (``\\x1b``, ``\\n``);
    ``lines``: keep CR and LF (GitHub's workflow commands escape those themselves)."""
    return (_CONTROL_BUT_LINES if lines else _CONTROL).sub(lambda m: repr(m.group())[1:-1], text)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_key(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.column, d.field, d.message)


def format_diagnostics(diags: Iterable[Diagnostic], fmt: str = "text") -> str:
    diags = sorted(diags, key=sort_key)
    if fmt == "json":
        return json.dumps(
            {
                "fouten": sum(1 for d in diags if d.is_error),
                "waarschuwingen": sum(1 for d in diags if not d.is_error),
                "meldingen": [asdict(d) for d in diags],
            },
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(d.github() for d in diags)
    return "\n".join(d.text() for d in diags)


def summary(diags: Iterable[Diagnostic]) -> str:
    diags = list(diags)
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors

    def plural(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    return f"{plural(errors, 'fout', 'fouten')}, {plural(warnings, 'waarschuwing', 'waarschuwingen')}"
