"""Stage 1: load. Read one content file into plain Python data plus the position of every value.

* YAML is parsed with PyYAML's C parser when available (``CSafeLoader``), composed into
  nodes, and converted by hand so that every key and value keeps its line and column.
* Scalars follow the YAML 1.2 core schema (``10:30`` is a string, not the YAML 1.1 number
  630; ``no`` is a string, not ``False``). Dates and times stay strings: the models parse them
  and so report impossible dates with the right position.
* Duplicate keys, anchors/aliases (memory bombs), deep nesting, non-UTF-8 bytes, huge files and
  non-mapping documents are reported as Dutch diagnostics, never raised.
* Markdown files carry YAML front matter between ``---`` lines; the rest is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic

try:  # the C parser is much faster; fall back to the pure-Python one when missing
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 512 * 1024  # a single entry is a few kB; anything this big is a mistake
MAX_DEPTH = 30

FieldPath = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")


@dataclass
class Document:
    """One loaded file: data, positions and (for Markdown) the body."""

    path: Path  # absolute path on disk
    rel: str  # path shown to maintainers, e.g. "content/activiteiten/kampen/x.yaml"
    data: dict[str, Any]
    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    body: str | None = None
    body_line: int = 0

    def position(self, path: FieldPath, key: bool = False) -> tuple[int, int]:
        """Line and column of ``path``, or of its closest ancestor that has one."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.keys:
                return self.keys[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


class _LoadError(Exception):
    def __init__(self, line: int, column: int, message: str, field: str = "", code: str = "yaml"):
        super().__init__(message)
        self.line, self.column, self.message, self.field, self.code = line, column, message, field, code


def field_name(path: FieldPath) -> str:
    """('wanneer', 0, 'van') -> 'wanneer[0].van'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _translate_yaml_error(exc: yaml.YAMLError) -> tuple[int, int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = (getattr(exc, "context", None) or "").strip()
    if "tab" in problem:
        msg = "tab-teken gevonden: spring in met spaties, niet met tabs"
    elif "quoted scalar" in context or ("end of stream" in problem and "quot" in context):
        msg = "aanhalingsteken wordt niet gesloten: zet aan het eind van de tekst ook een \" of '"
    elif "mapping values are not allowed" in problem:
        msg = ("onverwachte dubbele punt: zet tekst met ': ' tussen aanhalingstekens, "
               "of controleer het inspringen")
    elif "did not find expected key" in problem or "expected <block end>" in problem:
        msg = "verkeerd ingesprongen: velden op hetzelfde niveau moeten even ver inspringen"
    elif "could not find expected ':'" in problem:
        msg = "dubbele punt ontbreekt na de veldnaam (of de regel is verkeerd ingesprongen)"
    elif "another document" in problem:
        msg = "een bestand mag maar één document bevatten: haal de extra '---' weg"
    elif "found undefined alias" in problem or "found undefined anchor" in problem:
        msg = "ankers en aliassen (& en *) worden niet ondersteund: schrijf de waarde uit"
    else:
        msg = f"dit is geen geldige YAML ({problem}{'; ' + context if context else ''})"
    return line, col, msg


class _Converter:
    """Turn a composed YAML node tree into Python data, recording positions."""

    def __init__(self) -> None:
        self.values: dict[FieldPath, tuple[int, int]] = {}
        self.keys: dict[FieldPath, tuple[int, int]] = {}
        self.errors: list[_LoadError] = []
        self._seen: set[int] = set()

    def convert(self, node: yaml.Node, path: FieldPath = (), depth: int = 0) -> Any:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in self._seen:
            raise _LoadError(line, col, "ankers en aliassen (& en *) worden niet ondersteund: "
                             "schrijf de waarde uit", field_name(path), "alias")
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _LoadError(line, col, f"te diep genest (meer dan {MAX_DEPTH} niveaus)",
                             field_name(path), "te-diep")
        self.values[path] = (line, col)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            first_seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if id(key_node) in self._seen or not isinstance(key_node, yaml.ScalarNode):
                    raise _LoadError(kline, kcol, "een veldnaam moet gewone tekst zijn",
                                     field_name(path), "veldnaam")
                if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                    raise _LoadError(kline, kcol, "samenvoegen met '<<' wordt niet ondersteund: "
                                     "schrijf de velden uit", field_name(path), "alias")
                key = str(key_node.value)
                if key in first_seen:
                    self.errors.append(_LoadError(
                        kline, kcol,
                        f"veld '{key}' staat twee keer in dit bestand (eerder op regel "
                        f"{first_seen[key]}); YAML zou de eerste stilletjes weggooien",
                        field_name(path + (key,)), "dubbel-veld"))
                    continue
                first_seen[key] = kline
                self.keys[path + (key,)] = (kline, kcol)
                result[key] = self.convert(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    @staticmethod
    def _scalar(node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.style is not None:  # quoted or block scalar: always text
            return value
        if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null",
                            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                            "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp") \
                and not node.tag.startswith("tag:yaml.org,2002:"):
            raise _LoadError(node.start_mark.line + 1, node.start_mark.column + 1,
                             f"onbekend YAML-label '{node.tag}': laat het weg", "", "yaml")
        if value in _NULL:
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        return value


def _decode(raw: bytes) -> str:
    """Decode UTF-8 or raise a positioned error pointing at the first bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _LoadError(line, col, f"het bestand is geen UTF-8 (onleesbare byte 0x{raw[exc.start]:02x}): "
                         "sla het op als UTF-8", "", "codering") from None
    if "\x00" in text:
        idx = text.index("\x00")
        line = text.count("\n", 0, idx) + 1
        raise _LoadError(line, 1, "het bestand bevat een nul-teken: is het wel een tekstbestand?",
                         "", "codering")
    return text


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^|\n)---[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml_text, body, body_line) of a Markdown file with front matter."""
    m = _FRONT_MATTER.match(text)
    if not m:
        raise _LoadError(1, 1, "een Markdown-bestand begint met '---', dan de velden, dan weer '---'",
                         "", "front-matter")
    yaml_text = m.group(1)
    body = text[m.end():]
    body_line = text.count("\n", 0, m.end()) + 1
    return yaml_text, body, body_line


def parse_yaml(text: str) -> tuple[Any, _Converter]:
    node = yaml.compose(text, Loader=_Loader)
    conv = _Converter()
    data = conv.convert(node) if node is not None else None
    return data, conv


def load_file(path: Path, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """Load one entry file. Returns the document, or ``None`` and the reasons it could not be read."""

    def fail(line: int, col: int, message: str, fld: str = "", code: str = "yaml"):
        return None, [Diagnostic(rel, line, col, fld, message, "fout", code)]

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(1, 1, f"bestand is te groot ({size // 1024} kB; maximaal "
                        f"{MAX_FILE_BYTES // 1024} kB per bestand)", code="te-groot")
        raw = path.read_bytes()
    except OSError as exc:
        return fail(0, 0, f"bestand kan niet gelezen worden ({exc.strerror})", code="lezen")
    line_offset, body, body_line = 0, None, 0
    try:
        text = _decode(raw)
        if path.suffix == ".md":
            yaml_text, body, body_line = split_front_matter(text)
            line_offset = 1
        else:
            yaml_text = text
        try:
            data, conv = parse_yaml(yaml_text)
        except yaml.YAMLError as exc:
            line, col, msg = _translate_yaml_error(exc)
            return fail(line + line_offset, col, msg)
        except RecursionError:
            return fail(1, 1, f"te diep genest (meer dan {MAX_DEPTH} niveaus)", code="te-diep")
    except _LoadError as exc:
        return fail(exc.line + line_offset, exc.column, exc.message, exc.field, exc.code)
    if data is None:
        return fail(1, 1, "bestand is leeg: vul de velden in (zie `sociale-kaart new`)", code="leeg")
    if not isinstance(data, dict):
        kind = "een lijst" if isinstance(data, list) else "losse tekst"
        return fail(1, 1, f"bestand bevat {kind}; verwacht worden velden als 'naam: waarde'",
                    code="geen-velden")

    def shift(table):
        return {k: (ln + line_offset, c) for k, (ln, c) in table.items()}

    doc = Document(path, rel, data, shift(conv.values), shift(conv.keys), body, body_line)
    diags = [Diagnostic(rel, e.line + line_offset, e.column, e.field, e.message, "fout", e.code)
             for e in conv.errors]
    return doc, diags
