"""Read a JSON file someone else made, with Dutch errors that give the line and column.

``read_json`` parses with the standard library and guards what ``json.loads`` lets through or
turns into an exception without a position: nesting deeper than ``MAX_DEPTH`` (the parser
itself stops with a RecursionError around 1,000 levels, and code that walks the data would
too), integers longer than ``MAX_DIGITS`` digits (Python refuses to convert more than 4,300
digits, and no field of an import needs more than a few), and ``NaN``, ``Infinity`` or a
number too large for a float. ``json_position`` finds the line and column of a value by its
path, so errors found later in the data can point into the file too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 50  # an HSDS document needs about 15 levels
MAX_DIGITS = 30

_WS = re.compile(r"[ \t\n\r]*")
# strings (skipped whole), brackets and number literals, for locating errors
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?'
                     r"|NaN|-?Infinity", re.DOTALL)

_MESSAGES = (  # json's English messages (their start) -> Dutch
    ("Expecting value", "hier wordt een waarde verwacht (tekst, getal, lijst of object)"),
    ("Expecting ',' delimiter", "hier ontbreekt een komma"),
    ("Expecting ':' delimiter", "hier ontbreekt een dubbele punt na de veldnaam"),
    ("Expecting property name enclosed in double quotes",
     "hier wordt een veldnaam tussen dubbele aanhalingstekens verwacht (of er staat een komma "
     "te veel)"),
    ("Unterminated string", "deze tekst heeft geen afsluitend aanhalingsteken"),
    ("Invalid control character", "ongeldig teken in een tekst (een tab of nieuwe regel moet "
                                  "als \\t of \\n geschreven worden)"),
    ("Invalid \\escape", "ongeldige code met een backslash (\\) in een tekst"),
    ("Invalid \\uXXXX escape", "ongeldige code \\u in een tekst"),
    ("Extra data", "na het einde van de JSON staat nog meer tekst"),
)


class JsonProblem(Exception):
    """Unreadable JSON: a Dutch message with 1-based line and column (0 when unknown)."""

    def __init__(self, line: int, column: int, message: str, code: str = "json"):
        super().__init__(message)
        self.line, self.column, self.message, self.code = line, column, message, code


class _BadNumber(ValueError):
    def __init__(self, literal: str, reason: str):
        super().__init__(reason)
        self.literal, self.reason = literal, reason


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_DIGITS:
        raise _BadNumber(literal, f"getal met {len(literal.lstrip('-'))} cijfers; een veld van "
                                  f"een import heeft er hoogstens {MAX_DIGITS}")
    return int(literal)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value) or len(literal) > 100:
        raise _BadNumber(literal, f"getal '{literal[:40]}' is te groot of te lang")
    return value


def _parse_constant(literal: str) -> Any:
    raise _BadNumber(literal, f"'{literal}' is geen getal dat in JSON mag staan")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _tokens(text: str) -> Iterable[re.Match[str]]:
    return _TOKENS.finditer(text)


def _too_deep_at(text: str) -> int | None:
    depth = 0
    for m in _tokens(text):
        c = m.group()
        if c in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif c in ("]", "}"):
            depth -= 1
    return None


def _number_at(text: str, literal: str) -> int | None:
    for m in _tokens(text):
        if m.group() == literal:
            return m.start()
    return None


def _depth(data: Any) -> int:
    """Nesting depth of parsed data, without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in children)
    return deepest


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _strings(data: Any) -> Iterable[str]:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _lone_surrogate_at(text: str, data: Any) -> int | None:
    """Offset of the first string with half of a UTF-16 pair (``"\\ud800"``): such text can
    be neither printed nor written as UTF-8. None when there is none."""
    if not _SURROGATE_ESCAPE.search(text) or not any(_SURROGATE.search(s) for s in _strings(data)):
        return None
    for m in _tokens(text):
        token = m.group()
        if token.startswith('"') and _SURROGATE_ESCAPE.search(token) and \
                _SURROGATE.search(json.loads(token)):
            return m.start()
    return 0


def decode(raw: bytes) -> str:
    """UTF-8 text (a byte order mark is allowed) or ``JsonProblem`` at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = raw.count(b"\n", 0, start) + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise JsonProblem(line, column, "dit is geen UTF-8-tekst (of geen tekst): sla het bestand "
                          "op als UTF-8", "codering") from None


def read_json(raw: bytes) -> tuple[Any, str]:
    """Parsed data and the decoded text; raises ``JsonProblem``."""
    text = decode(raw)
    too_deep = (f"te diep genest (meer dan {MAX_DEPTH} niveaus van lijsten en objecten in "
                "elkaar)")
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        message = next((dutch for start, dutch in _MESSAGES if exc.msg.startswith(start)),
                       "de JSON klopt hier niet")
        raise JsonProblem(exc.lineno, exc.colno, message) from None
    except _BadNumber as exc:
        offset = _number_at(text, exc.literal)
        line, col = line_col(text, offset) if offset is not None else (0, 0)
        raise JsonProblem(line, col, exc.reason, "getal") from None
    except RecursionError:
        offset = _too_deep_at(text)
        line, col = line_col(text, offset) if offset is not None else (0, 0)
        raise JsonProblem(line, col, too_deep, "te-diep") from None
    if _depth(data) > MAX_DEPTH:
        offset = _too_deep_at(text)
        line, col = line_col(text, offset) if offset is not None else (0, 0)
        raise JsonProblem(line, col, too_deep, "te-diep")
    offset = _lone_surrogate_at(text, data)
    if offset is not None:
        line, col = line_col(text, offset)
        raise JsonProblem(line, col, "deze tekst bevat een ongeldige code \\ud800-\\udfff (de helft "
                          "van een teken dat uit twee delen bestaat)", "codering")
    return data, text


def _skip(text: str, i: int) -> int:
    """The offset of the first character at or after ``i`` that is no JSON white space."""
    m = _WS.match(text, i)
    return m.end() if m else i


def json_position(text: str, path: Iterable[str | int]) -> tuple[int, int]:
    """Line and column of the value at ``path`` (keys and list indexes) in valid JSON ``text``.

    Walks only along the path and skips other values with the C decoder, so one lookup costs
    about one parse. Where the path ends early (a key that is not there), the position of the
    deepest value found is given. With a key twice in one object, the last one counts, as in
    ``json.loads``.
    """
    decoder = json.JSONDecoder()
    i = _skip(text, 0)
    try:
        for step in path:
            if isinstance(step, str):
                if text[i] != "{":
                    break
                i = _skip(text, i + 1)
                found = None
                while text[i] != "}":
                    key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
                    i = _skip(text, i) + 1  # past the ':'
                    i = _skip(text, i)
                    if key == step:
                        found = i
                    _, i = decoder.raw_decode(text, i)
                    i = _skip(text, i)
                    if text[i] == ",":
                        i = _skip(text, i + 1)
                if found is None:
                    break
                i = found
            else:
                if text[i] != "[":
                    break
                start = i
                i = _skip(text, i + 1)
                for _ in range(step):
                    _, i = decoder.raw_decode(text, i)
                    i = _skip(text, i)
                    if text[i] != ",":
                        break
                    i = _skip(text, i + 1)
                if text[i] == "]":  # fewer items than the index
                    i = start
                    break
    except (IndexError, ValueError):
        pass  # not the text the data came from: the position found so far
    return line_col(text, min(i, len(text)))


__all__ = ["MAX_DEPTH", "MAX_DIGITS", "JsonProblem", "decode", "json_position", "line_col",
           "read_json"]
