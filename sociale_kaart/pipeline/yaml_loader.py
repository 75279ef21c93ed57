"""Stage 1: load. Read one content file into plain Python data; positions of values on demand.

* YAML is parsed with PyYAML's C parser when available (``CSafeLoader``); its event stream
  is turned into data by hand (no recursion, no node tree). The common case takes a lean
  loop (``_read_plain``); anything unusual goes to ``_Converter``, which reports it. The
  line and column of every key and value are only worked out when a diagnostic asks for
  them (``Document.position``), from the YAML text the document keeps.
* Scalars follow the YAML 1.2 core schema (``10:30`` is a string, not the YAML 1.1 number
  630; ``no`` is a string, not ``False``). Dates and times stay strings: the models parse them
  and so report impossible dates with the right position.
* Duplicate keys (with both lines), anchors/aliases and ``<<`` merge keys (memory bombs),
  deep nesting, unknown tags, non-UTF-8 bytes, huge files and non-mapping documents are
  reported as Dutch diagnostics, never raised. Syntax errors get a plain Dutch explanation
  (tabs, unclosed quotes, indentation, ...) at the place where the mistake is.
* Markdown files carry YAML front matter between ``---`` lines; the rest is the body.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sociale_kaart.diagnostics import Diagnostic

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # the C parser is much faster; fall back to the pure-Python one when missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 512 * 1024  # a single entry is a few kB; anything this big is a mistake
MAX_DEPTH = 30
# A longer plain number stays text (and a field that wants a number says so, with its place):
# no amount, count or coordinate needs it, and Python refuses to convert integers of more than
# 4,300 digits (a ValueError that used to end the program), floats overflow to infinity.
MAX_NUMBER_CHARS = 40

FieldPath = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")


class NotRegularFile(OSError):
    """The path leads to something that is not a regular file (a folder, FIFO, socket or device)."""


class FileTooBig(OSError):
    """The file is bigger than the limit it was read with; ``size`` is its size in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(errno.EFBIG, "file too big")
        self.size = size


# How a failing system call reads to a maintainer (``os_error_text``).
_OS_ERRORS = {
    errno.ENOENT: "het bestand bestaat niet (meer)",
    errno.EACCES: "u heeft geen toegang: controleer de rechten",
    errno.EPERM: "u heeft geen toegang: controleer de rechten",
    errno.ELOOP: "het is een koppeling (symlink) die in een kring naar zichzelf verwijst",
    errno.EISDIR: "het is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENAMETOOLONG: "de naam is te lang",
}


def os_error_text(exc: OSError) -> str:
    """A Dutch explanation of ``exc`` (the system's own text is English)."""
    if isinstance(exc, NotRegularFile):
        return "het is geen gewoon bestand (maar bijvoorbeeld een map, named pipe of socket)"
    return _OS_ERRORS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)


def read_regular_file(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of ``path``, which must be (or link to) a regular file.

    Anything else (a FIFO, socket or device file) is refused with ``NotRegularFile`` before it
    is opened: opening a FIFO waits for a writer, reading a device may never end. The file is
    opened without blocking and checked again on the opened descriptor, so a file that is
    swapped for a FIFO in between cannot make the reader wait either. A file bigger than
    ``limit`` bytes raises ``FileTooBig`` (and is not read).
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(errno.EINVAL, "not a regular file", os.fspath(path))
    if limit is not None and st.st_size > limit:
        raise FileTooBig(st.st_size)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb", closefd=True) as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", os.fspath(path))
        data = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise FileTooBig(len(data))
    return data


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block without Python's cyclic garbage collector, and keep what the block made
    out of later collections until the next such block.

    Loading and checking a kaart makes millions of small objects that all stay alive. The
    collector would walk them again and again (about a second for 10,000 entries), and a few
    more times after the block, without finding anything: the loaded data has no reference
    cycles. So the collector is paused in the block, and at its end every live object is
    frozen (``gc.freeze``), which also keeps the kaart shared with forked worker processes.
    Reference counting still frees every object that is no longer used, frozen or not. The
    next block first unfreezes and collects, so garbage cycles of what was frozen are freed
    there (a long-running ``serve`` does not leak).
    """
    if not gc.isenabled():  # inside another block, or the program manages the collector
        yield
        return
    gc.unfreeze()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@dataclass(slots=True)
class Document:
    """One loaded file: its data, (for Markdown) the body, and the positions of its values.

    Positions are only needed for diagnostics, which few files have: they are worked out on
    first use by reading ``text`` (the YAML part of the file) again (``_plain_positions``, or
    ``_Converter`` for a file with duplicate keys), so a loaded kaart does not keep a position
    for every value in memory.
    """

    path: Path  # absolute path on disk
    rel: str  # path shown to maintainers, e.g. "content/activiteiten/kampen/x.yaml"
    data: dict[str, Any]  # None once validated (see ``content.load_one``)
    body: str | None = None
    body_line: int = 0
    text: str = ""  # the YAML text (for Markdown: the front matter)
    line_offset: int = 0  # lines in the file before ``text`` (1 for Markdown front matter)
    _tables: tuple[dict[FieldPath, tuple[int, int]], dict[FieldPath, tuple[int, int]]] | None = None

    @property
    def values(self) -> dict[FieldPath, tuple[int, int]]:
        """Line and column of every value, by field path."""
        return self._positions()[0]

    @property
    def keys(self) -> dict[FieldPath, tuple[int, int]]:
        """Line and column of every mapping key, by field path."""
        return self._positions()[1]

    def _positions(self) -> tuple[dict[FieldPath, tuple[int, int]], dict[FieldPath, tuple[int, int]]]:
        if self._tables is None:
            shift = self.line_offset
            try:
                self._tables = _plain_positions(self.text, shift)
            except (_Unusual, yaml.YAMLError):  # duplicate keys: the converter skips them
                conv = _Converter()
                try:
                    conv.run(yaml.parse(self.text, Loader=_Loader))
                except (yaml.YAMLError, _LoadError):  # not for a text that loaded; be safe
                    pass
                self._tables = ({k: (ln + shift, c) for k, (ln, c) in conv.values.items()},
                                {k: (ln + shift, c) for k, (ln, c) in conv.keys.items()})
        return self._tables

    def position(self, path: FieldPath, key: bool = False) -> tuple[int, int]:
        """Line and column of ``path``, or of its closest ancestor that has one."""
        values, keys = self._positions()
        table = keys if key else values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in keys:
                return keys[p]
            p = p[:-1]
        return values.get((), (1, 1))

    def __getstate__(self):  # positions are left out: they are cheap to work out again
        return (self.path, self.rel, self.data, self.body, self.body_line, self.text,
                self.line_offset)

    def __setstate__(self, state) -> None:
        (self.path, self.rel, self.data, self.body, self.body_line, self.text,
         self.line_offset) = state
        self._tables = None


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


_QUOTES = {'"': "dubbele", "'": "enkele"}
_ANCHOR_MESSAGE = "ankers en aliassen (& en *) worden niet ondersteund: schrijf de waarde uit"


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _runaway_quote(text: str, error_line: int) -> tuple[int, int, str] | None:
    """The start of a quoted value that spans several lines and ends on ``error_line``.

    A quote that is not closed on its own line swallows the following lines up to the next
    quote character (often the opening quote of a later value, like ``van: "10:00"``); the
    parser then fails right after it. That is where the error appears, far from the mistake.
    """
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line + 1 > error_line:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in _QUOTES
                    and token.end_mark.line > token.start_mark.line
                    and token.end_mark.line + 1 == error_line):
                return token.start_mark.line + 1, token.start_mark.column + 1, token.style
    except yaml.YAMLError:
        pass
    return None


def _translate_yaml_error(exc: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    """Dutch message and position for a PyYAML (C or Python) parse error.

    Errors at the end of the file are moved from the (non-existent) line after the last one
    to the end of the last line, so editors and GitHub can show them.
    """
    line, col, message = _translate(exc, text)
    lines = text.splitlines() or [""]
    if line > len(lines):
        line, col = len(lines), len(lines[-1]) + 1
    return line, col, message


def _translate(exc: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    line, col = _mark(problem_mark or context_mark)
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = (getattr(exc, "context", None) or "").strip()
    source_line = _line_text(text, line)
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]

    if "\t" in indent or "tab" in problem or source_line[col - 1: col] == "\t":
        tab_col = (indent.index("\t") + 1) if "\t" in indent else col
        return line, tab_col, "tab-teken gevonden: spring in met spaties, niet met tabs"
    if "quoted scalar" in context and "end of stream" in problem:
        qline, qcol = _mark(context_mark)
        quote = _line_text(text, qline)[qcol - 1: qcol]
        kind = _QUOTES.get(quote, "")
        return qline, qcol, (f"het {kind + ' ' if kind else ''}aanhalingsteken hier wordt nergens "
                             f"gesloten: zet aan het eind van de tekst ook een {quote or 'aanhalingsteken'}")
    if "escape" in problem:
        return line, col, ("onbekende code na een schuine streep (\\) in tekst tussen dubbele "
                           "aanhalingstekens: gebruik enkele aanhalingstekens ('...')")
    if "alias" in context or "alias" in problem or "anchor" in context or "anchor" in problem:
        return line, col, _ANCHOR_MESSAGE
    if "another document" in problem:
        return line, col, "een bestand mag maar één document bevatten: haal de extra '---' weg"
    if "directive" in problem or "directive" in context:
        return line, col, "regels die met % beginnen zijn niet toegestaan: haal de regel weg"
    if "block scalar" in context:
        return line, col, ("na | of > mag op dezelfde regel niets anders staan: begin de tekst "
                           "op de volgende regel, ingesprongen")
    runaway = _runaway_quote(text, line)
    if runaway is not None:
        qline, qcol, quote = runaway
        return qline, qcol, (f"het {_QUOTES[quote]} aanhalingsteken hier wordt niet gesloten op "
                             f"dezelfde regel: zet aan het eind van de tekst ook een {quote}")
    if "cannot start any token" in problem:
        char = source_line[col - 1: col]
        if char in ("@", "`", "%"):
            return line, col, (f"een waarde mag niet met {char} beginnen: zet de waarde tussen "
                               "aanhalingstekens")
        return line, col, ("onverwacht teken: zet de waarde tussen aanhalingstekens, of "
                           "controleer het inspringen")
    if "flow sequence" in context or "',' or ']'" in problem:
        fline, fcol = _mark(context_mark)
        return fline, fcol, ("de lijst die hier met '[' begint wordt niet goed afgesloten: "
                             "zet komma's tussen de waarden en eindig met ']'")
    if "flow mapping" in context or "',' or '}'" in problem:
        fline, fcol = _mark(context_mark)
        return fline, fcol, ("de groep die hier met '{' begint wordt niet goed afgesloten: "
                             "zet komma's tussen de velden en eindig met '}'")
    if "mapping values are not allowed" in problem:
        return line, col, ("onverwachte dubbele punt: zet tekst met ': ' tussen aanhalingstekens, "
                           "controleer het inspringen, of kijk of de regel erboven een dubbele "
                           "punt mist")
    if "could not find expected ':'" in problem:
        return line, col, "dubbele punt ontbreekt na de veldnaam (of de regel is verkeerd ingesprongen)"
    if ("expected key" in problem or "<block end>" in problem or "'-' indicator" in problem
            or "comment or line break" in problem or "comment or a line break" in problem):
        if source_line[: col - 1].strip():  # the problem is halfway a line: text after a value
            return line, col, ("onverwachte tekst na de waarde: zet de hele waarde tussen "
                               "aanhalingstekens")
        return line, col, ("verkeerd ingesprongen: velden op hetzelfde niveau moeten even ver "
                           "inspringen, en de streepjes van een lijst ook")
    if "node content" in problem:
        return line, col, "hier ontbreekt een waarde: zet tekst met speciale tekens tussen aanhalingstekens"
    return line, col, ("dit is geen geldige YAML: controleer op deze regel de aanhalingstekens, "
                       "de dubbele punten en het inspringen")


_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in
                  ("str", "null", "bool", "int", "float", "timestamp", "map", "seq")}


@dataclass
class _Frame:
    """An open mapping or sequence while the event stream is being read."""

    path: FieldPath
    container: dict[str, Any] | list[Any]
    skip: bool = False  # inside the value of a duplicate key: build nothing, record nothing
    key: str | None = None  # mappings: the key whose value comes next
    key_skip: bool = False
    first_seen: dict[str, int] = field(default_factory=dict)


class _Converter:
    """Build Python data from the YAML event stream, recording the position of every key and value.

    Working on events (not on a composed node tree) keeps memory and stack use flat: nesting
    deeper than ``MAX_DEPTH`` stops the parse at once (PyYAML's C composer recurses and can
    crash the interpreter on a deeply nested file), and the first anchor or alias is rejected
    where it stands, so alias bombs ("billion laughs") never expand.
    """

    def __init__(self) -> None:
        self.values: dict[FieldPath, tuple[int, int]] = {}
        self.keys: dict[FieldPath, tuple[int, int]] = {}
        self.errors: list[_LoadError] = []

    def run(self, events: Iterable[yaml.Event]) -> Any:
        stack: list[_Frame] = []
        root: list[Any] = []
        documents = 0
        for event in events:
            line, col = _mark(event.start_mark)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _LoadError(line, col, "een bestand mag maar één document bevatten: "
                                     "haal de extra '---' weg", "", "yaml")
                continue
            if isinstance(event, (yaml.CollectionEndEvent)):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue  # stream and document ends
            parent = stack[-1] if stack else None
            is_key = parent is not None and isinstance(parent.container, dict) and parent.key is None
            path: FieldPath = parent.path if parent else ()
            if parent is not None and not is_key:
                if isinstance(parent.container, dict):
                    assert parent.key is not None  # not a key: the key came before it
                    path = parent.path + (parent.key,)
                else:
                    path = parent.path + (len(parent.container),)
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                raise _LoadError(line, col, _ANCHOR_MESSAGE, field_name(path), "alias")
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and tag not in _STANDARD_TAGS:
                raise _LoadError(line, col, f"onbekend YAML-label '{tag}': laat het weg",
                                 field_name(path), "yaml")
            if is_key and parent is not None:  # (is_key implies a parent; this tells mypy)
                self._key(parent, event, line, col)
                continue
            skip = bool(parent and (parent.skip or parent.key_skip))
            if not skip:
                self.values[path] = (line, col)
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _LoadError(line, col, f"te diep genest (meer dan {MAX_DEPTH} niveaus)",
                                     field_name(path[:1]), "te-diep")
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
            self._attach(parent, root, value, skip)
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(_Frame(path, value, skip))
        return root[0] if root else None

    def _key(self, frame: _Frame, event: yaml.NodeEvent, line: int, col: int) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise _LoadError(line, col, "een veldnaam moet gewone tekst zijn",
                             field_name(frame.path), "veldnaam")
        key = str(event.value)
        if event.tag == "tag:yaml.org,2002:merge" or (key == "<<" and not event.style):
            raise _LoadError(line, col, "samenvoegen met '<<' wordt niet ondersteund: "
                             "schrijf de velden uit", field_name(frame.path), "alias")
        frame.key, frame.key_skip = key, frame.skip
        if frame.skip:
            return
        if key in frame.first_seen:
            self.errors.append(_LoadError(
                line, col, f"dit veld staat twee keer in dezelfde groep: op regel "
                f"{frame.first_seen[key]} en op regel {line}; haal er één weg (YAML zou "
                "de eerste stilletjes negeren)", field_name(frame.path + (key,)), "dubbel-veld"))
            frame.key_skip = True
            return
        frame.first_seen[key] = line
        self.keys[frame.path + (key,)] = (line, col)

    @staticmethod
    def _attach(parent: _Frame | None, root: list[Any], value: Any, skip: bool) -> None:
        if parent is None:
            root.append(value)
        elif isinstance(parent.container, dict):
            if not skip:
                assert parent.key is not None  # a value in a mapping comes after its key
                parent.container[parent.key] = value
            parent.key, parent.key_skip = None, False
        elif not skip:
            parent.container.append(value)


def _scalar(event: yaml.ScalarEvent) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted, block and ``!!str`` values stay text."""
    value = event.value
    if event.style or event.tag == _STR:
        return value
    special = _SPECIAL.get(value, _TEXT)
    if special is not _TEXT:
        return special
    if value[0] in _NUMBER_START and len(value) <= MAX_NUMBER_CHARS:  # "" is null, not here
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TEXT = object()  # "not a special word"
_SPECIAL: dict[str, Any] = {**dict.fromkeys(_NULL), **_BOOL}
_NUMBER_START = frozenset("0123456789+-.")


class _Unusual(Exception):
    """Raised by ``_read_plain`` where ``_Converter`` has something to report."""


def _read_plain(text: str) -> Any:
    """The data of ``text``, like ``_Converter``, for the common case, without positions.

    This is the hot loop of loading a kaart (some 90 events per file), so it records nothing
    and checks only what it must. On anything ``_Converter`` would report or handle specially
    (anchors, aliases, unknown tags, ``<<``, non-text or duplicate keys, too deep nesting, a
    second document) it raises ``_Unusual``, and on a syntax error PyYAML's error; the caller
    then runs ``_Converter`` for the exact diagnostics.
    """
    parser = _Loader(text)
    try:
        # ``Any``: the class checks below tell which event it is (mypy does not narrow on
        # ``type(event) is ...``), and this hot loop should not pay for casts.
        get: Callable[[], Any] = parser.get_event
        containers: list[Any] = []  # the open mappings and sequences
        keys: list[Any] = []  # per open container: the key whose value comes next, or _TEXT
        root: Any = None
        documents = 0
        while (event := get()) is not None:
            cls = type(event)
            if cls is _ScalarEvent or cls is _MappingStart or cls is _SequenceStart:
                tag = event.tag
                if event.anchor is not None or (tag is not None and tag != "!"
                                                and tag not in _STANDARD_TAGS):
                    raise _Unusual
                if containers:
                    top = containers[-1]
                    key = keys[-1]
                    if key is _TEXT:  # a mapping key
                        if cls is not _ScalarEvent:
                            raise _Unusual
                        key = event.value
                        if key in top or tag == _MERGE or (key == "<<" and not event.style):
                            raise _Unusual
                        keys[-1] = key
                        continue
                if cls is _ScalarEvent:
                    value = _scalar(event)
                else:
                    if len(containers) >= MAX_DEPTH:
                        raise _Unusual
                    value = {} if cls is _MappingStart else []
                if not containers:
                    root = value
                elif key is None:  # a sequence
                    top.append(value)
                else:
                    top[key] = value
                    keys[-1] = _TEXT
                if cls is not _ScalarEvent:
                    containers.append(value)
                    keys.append(_TEXT if cls is _MappingStart else None)
            elif cls is _MappingEnd or cls is _SequenceEnd:
                containers.pop()
                keys.pop()
            elif cls is yaml.AliasEvent:
                raise _Unusual
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
        return root
    finally:
        parser.dispose()


def _plain_positions(text: str, shift: int = 0
                     ) -> tuple[dict[FieldPath, tuple[int, int]], dict[FieldPath, tuple[int, int]]]:
    """Line (plus ``shift``) and column of every value and key of a text ``_read_plain`` reads.

    The lean twin of ``_Converter`` for ``Document`` positions; it raises ``_Unusual`` where
    that one has to skip or report something (duplicate keys, anchors, aliases).
    """
    values: dict[FieldPath, tuple[int, int]] = {}
    keys: dict[FieldPath, tuple[int, int]] = {}
    parser = _Loader(text)
    try:
        get: Callable[[], Any] = parser.get_event  # Any: see _read_plain
        paths: list[FieldPath] = []  # the path of each open mapping and sequence
        nexts: list[Any] = []  # per open container: _TEXT (a key comes next), a key, or an index
        while (event := get()) is not None:
            cls = type(event)
            if cls is _ScalarEvent or cls is _MappingStart or cls is _SequenceStart:
                if event.anchor is not None:
                    raise _Unusual
                mark = event.start_mark
                position = (mark.line + 1 + shift, mark.column + 1)
                if not paths:
                    path: FieldPath = ()
                else:
                    part = nexts[-1]
                    if part is _TEXT:  # a mapping key
                        if cls is not _ScalarEvent:
                            raise _Unusual
                        key = event.value
                        path = paths[-1] + (key,)
                        if path in keys:
                            raise _Unusual
                        keys[path] = position
                        nexts[-1] = key
                        continue
                    path = paths[-1] + (part,)
                    nexts[-1] = part + 1 if type(part) is int else _TEXT
                values[path] = position
                if cls is not _ScalarEvent:
                    paths.append(path)
                    nexts.append(_TEXT if cls is _MappingStart else 0)
            elif cls is _MappingEnd or cls is _SequenceEnd:
                paths.pop()
                nexts.pop()
            elif cls is yaml.AliasEvent:
                raise _Unusual
        return values, keys
    finally:
        parser.dispose()


_ScalarEvent, _MappingStart, _SequenceStart = (yaml.ScalarEvent, yaml.MappingStartEvent,
                                               yaml.SequenceStartEvent)
_MappingEnd, _SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent


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


# YAML 1.1 (and so libyaml) also ends a line at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR;
# YAML 1.2 and editors do not. They stand in for Unicode noncharacters while parsing, so line
# numbers are the ones an editor shows and the characters stay part of the text.
_UNICODE_BREAKS = {"\x85": "\ufdd0", "\u2028": "\ufdd1", "\u2029": "\ufdd2"}
_HIDE_BREAKS = str.maketrans(_UNICODE_BREAKS)
_SHOW_BREAKS = str.maketrans({v: k for k, v in _UNICODE_BREAKS.items()})


def _hide_unicode_breaks(text: str) -> tuple[str, bool]:
    if not any(c in text for c in _UNICODE_BREAKS) or any(
            c in text for c in _UNICODE_BREAKS.values()):
        return text, False
    return text.translate(_HIDE_BREAKS), True


def _first_unicode_break(text: str) -> tuple[int, int, str]:
    """Line, column and code (like U+2028) of the first hidden break in ``text``."""
    index = min(i for i in (text.find(c) for c in _UNICODE_BREAKS.values()) if i >= 0)
    line_start = text.rfind("\n", 0, index) + 1
    original = ord(_SHOW_BREAKS[ord(text[index])])
    return text.count("\n", 0, index) + 1, index - line_start + 1, f"U+{original:04X}"


def _show_unicode_breaks(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_SHOW_BREAKS)
    if isinstance(value, list):
        return [_show_unicode_breaks(v) for v in value]
    if isinstance(value, dict):
        return {_show_unicode_breaks(k): _show_unicode_breaks(v) for k, v in value.items()}
    return value


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


_OPENS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken,
          yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _nesting_error(text: str) -> _LoadError | None:
    """The ``te-diep`` error of ``text`` when it nests deeper than ``MAX_DEPTH``, else None.

    ``_Converter`` reports deep nesting from the events, but a parser may stop on deep nesting
    before it delivers them (LibYAML 0.2.5 raises "exceeded maximum nesting depth" past 1,000
    levels while it looks ahead). So after any parse error the text's tokens are counted here
    with PyYAML's pure-Python scanner, which has no such limit, up to the first level too deep
    (a tenth of a second for the worst case: its look-ahead for simple keys is 1,024
    characters). Where the error is reported does not depend on any parser's limit.
    """
    depth = 0
    top_key: str = ""
    key_next = False
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = _mark(token.start_mark)
                    return _LoadError(line, col, f"te diep genest (meer dan {MAX_DEPTH} niveaus)",
                                      top_key, "te-diep")
            elif isinstance(token, _CLOSES):
                depth -= 1
            elif isinstance(token, yaml.KeyToken):
                key_next = depth == 1
            elif isinstance(token, yaml.ScalarToken) and key_next:
                top_key, key_next = token.value, False
            else:
                key_next = False
    except yaml.YAMLError:
        pass  # a syntax error before any level too deep: the parser's own message says it
    return None


def parse_yaml(text: str) -> tuple[Any, _Converter]:
    """Data and positions of ``text``; raises ``_LoadError`` or ``yaml.YAMLError``."""
    conv = _Converter()
    data = conv.run(yaml.parse(text, Loader=_Loader))
    return data, conv


def load_file(path: Path, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """Load one entry file. Returns the document, or ``None`` and the reasons it could not be read."""

    def fail(line: int, col: int, message: str, fld: str = "", code: str = "yaml"):
        return None, [Diagnostic(rel, line, col, fld, message, "fout", code)]

    try:
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooBig as exc:
        return fail(1, 1, f"bestand is te groot ({exc.size // 1024} kB; maximaal "
                    f"{MAX_FILE_BYTES // 1024} kB per bestand)", code="te-groot")
    except OSError as exc:
        return fail(0, 0, f"bestand kan niet gelezen worden: {os_error_text(exc)}", code="lezen")
    return load_text(raw, path, rel)


def load_text(raw: bytes, path: Path, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """``load_file`` for bytes already read from ``path`` (at most ``MAX_FILE_BYTES``)."""

    def fail(line: int, col: int, message: str, fld: str = "", code: str = "yaml"):
        return None, [Diagnostic(rel, line, col, fld, message, "fout", code)]

    if len(raw) > MAX_FILE_BYTES:
        return fail(1, 1, f"bestand is te groot ({len(raw) // 1024} kB; maximaal "
                    f"{MAX_FILE_BYTES // 1024} kB per bestand)", code="te-groot")
    line_offset, body, body_line = 0, None, 0
    errors: list[_LoadError] = []
    try:
        text = _decode(raw)
        if path.suffix == ".md":
            yaml_text, body, body_line = split_front_matter(text)
            line_offset = 1
        else:
            yaml_text = text
        yaml_text, hidden = _hide_unicode_breaks(yaml_text)
        try:
            data = _read_plain(yaml_text)
        except (_Unusual, yaml.YAMLError):
            try:  # again, with positions, for the exact diagnostics
                data, conv = parse_yaml(yaml_text)
            except yaml.YAMLError as exc:
                too_deep = _nesting_error(yaml_text)
                if too_deep is not None:  # whatever limit the parser itself may have
                    raise too_deep from None
                if hidden:  # most likely the cause: YAML 1.1 read it as a new line
                    line, col, char = _first_unicode_break(yaml_text)
                    return fail(line + line_offset, col, f"onzichtbaar regeleinde-teken ({char}) "
                                "gevonden: vervang het door een gewone nieuwe regel of een spatie")
                line, col, msg = _translate_yaml_error(exc, yaml_text)
                return fail(line + line_offset, col, msg)
            errors = conv.errors
    except _LoadError as exc:
        return fail(exc.line + line_offset, exc.column, exc.message, exc.field, exc.code)
    if data is None:
        return fail(1, 1, "bestand is leeg: vul de velden in (zie `sociale-kaart new`)", code="leeg")
    if not isinstance(data, dict):
        kind = "een lijst" if isinstance(data, list) else "losse tekst"
        return fail(1, 1, f"bestand bevat {kind}; verwacht worden velden als 'naam: waarde'",
                    code="geen-velden")
    if hidden:
        data = _show_unicode_breaks(data)
    doc = Document(path, rel, data, body, body_line, yaml_text, line_offset)
    diags = [Diagnostic(rel, e.line + line_offset, e.column, e.field, e.message, "fout", e.code)
             for e in errors]
    return doc, diags
