"""Seeded fuzzing of the content: whatever a stranger's pull request holds, ``check`` and
``build`` agree, never crash, and the site stays in proportion to the content.

Each case is a copy of the fixture content (tests/fixtures/kaart) with one or two seeded random
mutations of one kind (``KINDS``, in turn): a value replaced by an edge case of its own kind
(long strings, control characters, line breaks, unusual Unicode, empty text; huge, negative and
NaN numbers; dates at 0001 and 9999 and at the edges of the allowed years; long lists with
duplicates; schedules with hundreds of dates, 24 rules or exceptions over centuries), a value
of the wrong type, a field deleted, a Markdown text replaced, or the bytes of a file changed
(flipped, a line duplicated: a duplicate key, truncated). Then ``check`` and ``build`` run
in-process through ``sociale_kaart.cli.main`` (``--zonder-zoeken`` for speed, ``--zonder-cache``),
and:

* no traceback, and never exit code 2 ("Er ging iets mis in de generator zelf");
* ``check`` exits 0 exactly when ``build`` does: what check accepts, build builds;
* a build's output is at most ``SIZE_FACTOR`` times the size of its content;
* no built text file holds a control character, and every line of every .ics file is a
  property or a folded continuation (``output_problems``).

SIZE_FACTOR: measured on 5 December 2026 (``_size``: the bytes of the files), the fixture's own
site without search index is 665 kB for 20.6 kB of content, 32 times its size (most of it the
theme's assets and the fixed pages of two gemeenten). One rule with 500 one-off dates, the
most a rule may have, makes it 1.48 MB for 26.6 kB, 56 times: every date is a calendar event
and an HSDS schedule. 150 leaves room for that, while output that grows with the square of a
list fails at once: with every calendar event repeating every date (before this test) the
same 500 dates gave 22.8 MB, 857 times.

The seeds are fixed, so a failure is reproducible: the assertion message names the seed and
the mutations, and ``mutate(random.Random(seed), folder, kind)`` makes the same copy again.
100 cases take about 40 s; 1,000 more seeds (100..1,099) ran clean when this was written.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from sociale_kaart.cli import main

from .conftest import FIXTURE

CASES = 100
SIZE_FACTOR = 150
TODAY = "2026-11-22"


# --------------------------------------------------------------------------- edge values

def _dates(rng: random.Random) -> list[Any]:
    start = date(2026, 1, 1) + timedelta(days=rng.randrange(700))
    return [start + timedelta(days=i) for i in range(rng.choice([2, 60, 499, 500, 501]))]


TEXTS: list[Callable[[random.Random], Any]] = [
    lambda r: "x" * r.choice([200, 201, 300, 301, 5_000, 60_000]),
    lambda r: "woord " * r.choice([50, 2_000]),
    lambda r: "Koffie\ninloop",
    lambda r: "Koffie\r\ninloop\nen meer",
    lambda r: "Koffie\n",
    lambda r: "Koffie\rX-WR-CALNAME:Nep",
    lambda r: "a\x00b",
    lambda r: "\x1b[31mrood\x1b[0m",
    lambda r: "tab\tin de tekst",
    lambda r: "regel\u2028scheiding",
    lambda r: "nel\x85teken",
    lambda r: "del\x7f",
    lambda r: "😀 emoji en \u202e omgekeerd e\u0301",
    lambda r: "<script>alert(1)</script> & </p>",
    lambda r: "../../etc/passwd",
    lambda r: "{{ 7 * 7 }} {% raw %}",
    lambda r: "",
    lambda r: " ",
    lambda r: "2026-02-30",
    lambda r: "25:00",
]
NUMBERS: list[Callable[[random.Random], Any]] = [
    lambda r: 10 ** 30, lambda r: -(10 ** 9), lambda r: -1, lambda r: 0, lambda r: 1.5e308,
    lambda r: float("nan"), lambda r: 2.999, lambda r: 120, lambda r: 121,
]
DATES: list[Callable[[random.Random], Any]] = [
    lambda r: date(1, 1, 1), lambda r: date(9999, 12, 31), lambda r: date(1900, 1, 1),
    lambda r: date(2100, 12, 31), lambda r: date(1899, 12, 31), lambda r: date(2101, 1, 1),
    lambda r: "2026-02-30",
]
SCHEDULES: list[Callable[[random.Random], Any]] = [
    lambda r: [{"datums": _dates(r), "van": "14:00"}],
    lambda r: [{"datums": _dates(r)}, {"datums": _dates(r), "van": "09:00", "tot": "10:00"}],
    lambda r: [{"datums": [date(9999, 12, 31)]}],
    lambda r: [{"datums": [date(2100, 12, 31), date(1900, 1, 1)], "van": "23:00", "tot": "23:59"}],
    lambda r: [{"frequentie": "wekelijks", "dagen": ["MA", "DI", "WO", "DO", "VR", "ZA", "ZO"],
                "van": "10:00", "geldig_vanaf": date(1900, 1, 1), "geldig_tot": date(2100, 12, 31),
                "niet_op": [date(2100, 12, 31), {"van": date(1900, 1, 1), "tot": date(1901, 12, 31)}]}],
    lambda r: [{"frequentie": "maandelijks", "interval": 52, "dagen": ["-1ZO", "5MA"],
                "geldig_vanaf": date(1900, 1, 28), "niet_op": [{"van": date(2026, 1, 1),
                                                                 "tot": date(2027, 12, 31)}]}],
    lambda r: [{"frequentie": "wekelijks", "dagen": ["DI"],
                "niet_op": [{"van": date(1, 1, 1), "tot": date(9999, 12, 31)}]}],
    lambda r: [{"frequentie": "wekelijks", "dagen": ["ZA"], "van": f"{h:02d}:00"}
               for h in range(r.choice([3, 24]))],
    lambda r: [{"frequentie": "wekelijks", "dagen": ["DI"], "van": "10:00"}] * 51,
]
ANYTHING: list[Callable[[random.Random], Any]] = [
    *TEXTS, *NUMBERS, *DATES, *SCHEDULES,
    lambda r: None, lambda r: True, lambda r: [], lambda r: {},
    lambda r: {"a": {"b": {"c": [1, 2, 3]}}},
    lambda r: [r.choice(["x", 1, None, "ontmoeting"])] * r.choice([3, 31, 401, 2_000]),
]


def edge_value(rng: random.Random, key: Any, value: Any) -> Any:
    """An edge case of the value's own kind (so that many cases pass ``check`` and reach the
    build)."""
    if key in ("wanneer", "openingstijden"):
        return rng.choice(SCHEDULES)(rng)
    if isinstance(value, bool):
        return rng.choice([lambda r: not value, lambda r: "ja", lambda r: 2, lambda r: None])(rng)
    if isinstance(value, (int, float)):
        return rng.choice(NUMBERS)(rng)
    if isinstance(value, date):
        return rng.choice(DATES)(rng)
    if isinstance(value, list):
        if not value:
            return []
        return value * rng.choice([2, 16, 31, 101, 401])  # long lists, duplicates
    if isinstance(value, dict):
        return {}
    return rng.choice(TEXTS)(rng)


# --------------------------------------------------------------------------- mutations

def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in ``data`` (mappings and lists), containers included."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


class _Dumper(yaml.SafeDumper):
    """Writes a value that occurs twice in full (no anchors and aliases, which the loader
    refuses on purpose: the fuzzing is about the values)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any, rng: random.Random) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=rng.random() < 0.7, sort_keys=False,
                     width=10_000)


def _split(text: str) -> tuple[str, str | None]:
    """(YAML, Markdown body or None) of a content file."""
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        head, body = text[4:].split("\n---\n", 1)
        return head, body
    return text, None


def _join(head: str, body: str | None) -> str:
    return head if body is None else f"---\n{head}---\n{body}"


# The kinds of mutation; case ``seed`` gets kind ``seed % len(KINDS)``, so that every kind
# has its share of the cases. Each picks the values it changes (path -> is it a candidate).
SINGLE_LINE = {"titel", "naam", "samenvatting", "kern", "straat", "huisnummer", "plaats", "label",
               "reden", "kernen", "faciliteiten", "synoniemen", "rol", "organisatie", "uitgever"}
MULTI_LINE = {"beschrijving", "intro", "toelichting", "hoe", "lede", "wat_werkt",
              "doelgroep_toelichting", "toegankelijkheid_toelichting"}


def _key(path: tuple) -> Any:
    return next((p for p in reversed(path) if isinstance(p, str)), None)


KINDS: dict[str, Callable[[tuple, Any], bool]] = {
    "one-line text": lambda path, v: isinstance(v, str) and _key(path) in SINGLE_LINE,
    "multi-line text": lambda path, v: isinstance(v, str) and _key(path) in MULTI_LINE,
    "schedule": lambda path, v: path[-1] in ("wanneer", "openingstijden"),
    "date": lambda path, v: isinstance(v, date),
    "number or yes/no": lambda path, v: isinstance(v, (int, float)),
    "list": lambda path, v: isinstance(v, list) and bool(v),
    "wrong type": lambda path, v: True,
    "delete": lambda path, v: True,
    "bytes": lambda path, v: True,
    "body": lambda path, v: True,
}


def _structural(rng: random.Random, kind: str, file: Path) -> str | None:
    head, body = _split(file.read_text("utf-8"))
    data = yaml.safe_load(head)
    if kind == "body":
        if body is None:
            return None
        body = rng.choice([body * 200, body + "\x00\x1b[2J", "", body + "\n" + "# kop\n" * 500,
                           "<script>alert(1)</script>\n" + body, body + "\r\n\u2028 \x85"])
        file.write_text(_join(_dump(data, rng), body), "utf-8")
        return f"{file.name}: body"
    paths = [p for p in _paths(data) if KINDS[kind](p, _get(data, p))]
    if not paths:
        return None
    path = rng.choice(paths)
    parent = _get(data, path[:-1])
    if kind == "delete":
        del parent[path[-1]]
        what = "deleted"
    elif kind == "wrong type":
        parent[path[-1]] = rng.choice(ANYTHING)(rng)
        what = f"= {str(parent[path[-1]])[:40]!r}"
    else:
        parent[path[-1]] = edge_value(rng, path[-1], parent[path[-1]])
        what = f"= {str(parent[path[-1]])[:40]!r}"
    file.write_text(_join(_dump(data, rng), body), "utf-8")
    return f"{file.name}: {'.'.join(map(str, path))} {what}"


def _textual(rng: random.Random, file: Path) -> str:
    data = bytearray(file.read_bytes())
    kind = rng.choice(["flip", "duplicate-line", "truncate"])
    if kind == "flip":
        for _ in range(rng.choice([1, 3, 20])):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "duplicate-line":  # mostly a key twice
        lines = bytes(data).split(b"\n")
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        data = bytearray(b"\n".join(lines))
    else:
        data = data[:rng.randrange(len(data))]
    file.write_bytes(bytes(data))
    return f"{file.name}: {kind}"


def mutate(rng: random.Random, content: Path, kind: str) -> list[str]:
    """Apply one or two seeded mutations of ``kind`` to the content folder; returns what was
    done."""
    files = sorted(p for p in content.rglob("*") if p.suffix in (".yaml", ".md"))
    # Half of the mutations go to activities and places: most of what the build makes of a
    # value (calendars, agenda, cards, exports) is made from theirs.
    entries = [p for p in files if p.parent.parent.name in ("activiteiten", "ontmoetingsplekken")]
    done: list[str] = []
    for _ in range(rng.choice([1, 1, 2])):
        for _attempt in range(20):  # a file with a candidate value for this kind
            file = rng.choice(entries if rng.random() < 0.5 else files)
            if kind == "bytes":
                done.append(_textual(rng, file))
                break
            try:
                found = _structural(rng, kind, file)
            except (yaml.YAMLError, UnicodeDecodeError):  # broken by the mutation before
                found = None
            if found:
                done.append(found)
                break
    return done


# --------------------------------------------------------------------------- the test

def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ICS_LINE = re.compile(rb"^(?:[A-Z][A-Z0-9-]*[;:]| )")


def output_problems(site: Path) -> list[str]:
    """What no built file may hold, whatever the content: a control character (NUL, ESC, ...)
    in a text file, and in a calendar a line that is not a property or a folded continuation
    (a CR or LF from a value would start a property of its own)."""
    problems = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".ics", ".json", ".geojson", ".xml",
                                                     ".txt", ".csv", ""):
            continue
        data = path.read_bytes()
        if found := _CONTROL.search(data):
            problems.append(f"{path.relative_to(site)}: {found.group()!r}")
        if path.suffix == ".ics":
            lines = data.split(b"\r\n")
            bad = [line for line in lines[:-1] if not _ICS_LINE.match(line) or b"\r" in line
                   or b"\n" in line]
            if bad or lines[-1]:
                problems.append(f"{path.relative_to(site)}: {(bad or lines[-1:])[0][:80]!r}")
    return problems


def test_fixture_size_factor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unmutated fixture builds well within SIZE_FACTOR (the margin the docstring names)."""
    monkeypatch.chdir(tmp_path)
    code, text = _run(["build", "--content", str(FIXTURE), "--out", "uit", "--zonder-zoeken",
                       "--zonder-cache", "--quiet", "--vandaag", TODAY])
    assert code == 0, text
    assert _size(tmp_path / "uit") < SIZE_FACTOR / 2 * _size(FIXTURE)
    assert output_problems(tmp_path / "uit") == []


@pytest.mark.parametrize("seed", range(CASES))
def test_mutated_content(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "kaart"
    shutil.copytree(FIXTURE, content)
    kind = list(KINDS)[seed % len(KINDS)]
    mutations = mutate(random.Random(seed), content, kind)
    assert mutations, f"seed {seed}: no value to mutate ({kind})"
    monkeypatch.chdir(tmp_path)
    where = f"seed {seed}: {mutations}"

    checked, check_text = _run(["check", "kaart", "--zonder-cache", "--vandaag", TODAY])
    built, build_text = _run(["build", "--content", "kaart", "--out", "uit", "--zonder-zoeken",
                              "--zonder-cache", "--quiet", "--vandaag", TODAY])
    for code, text in ((checked, check_text), (built, build_text)):
        assert "Traceback" not in text, f"{where}\n{text}"
        assert code in (0, 1), f"{where}: exit code {code}\n{text[-3000:]}"
    assert (checked == 0) == (built == 0), (
        f"{where}: check {checked}, build {built}\n{check_text[-2000:]}\n{build_text[-2000:]}")
    if built == 0:
        size, limit = _size(tmp_path / "uit"), SIZE_FACTOR * _size(content)
        assert size <= limit, f"{where}: {size} bytes of output for {_size(content)} of content"
        assert output_problems(tmp_path / "uit") == [], where
