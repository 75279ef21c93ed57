"""Property-based tests: whatever bytes a maintainer saves, the loader and validator either give
a model or report Dutch diagnostics with a file and a line. They never raise.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.kinds import SCHEMA_TYPES
from sociale_kaart.pipeline.load import SourceFile, discover, load_content, load_one
from sociale_kaart.pipeline.resolve import check

FIXTURE = Path(__file__).parent / "fixtures" / "kaart"
TODAY = date(2026, 11, 22)
SOURCES, _ = discover(FIXTURE)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])

FIELD_NAMES = sorted({name for model in SCHEMA_TYPES.values() for name in model.model_fields}
                     | {"van", "tot", "dagen", "frequentie", "gratis", "bedrag", "postcode"})
YAML_CHARS = st.sampled_from(list(":-#&*!|>'\"%@`{}[],?\t\n ") + ["\r\n", "---", "<<", "\ufeff"])


def assert_outcome(text_lines: int, rel: str, result: tuple) -> None:
    """A model, or at least one error; every diagnostic is well-formed and points into the file."""
    doc, model, diags = result
    assert isinstance(diags, list)
    for d in diags:
        assert isinstance(d, Diagnostic)
        assert d.file == rel
        assert 0 <= d.line <= text_lines + 1, d
        assert d.column >= 0
        assert d.severity in ("fout", "waarschuwing")
        assert d.message.strip()
        assert "Traceback" not in d.message and "Error" not in d.message
        assert d.text().startswith(rel)
    if model is None:
        assert any(d.is_error for d in diags), "no model and no error"
    else:
        assert doc is not None


def load_bytes(raw: bytes, source: SourceFile) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.path.name
        path.write_bytes(raw)
        rel = f"kaart/{source.path.name}"
        result = load_one(dataclasses.replace(source, path=path, rel=rel))
    assert_outcome(raw.count(b"\n") + raw.count(b"\r"), rel, result)


KINDS = {s.kind: s for s in SOURCES}
SOURCE_KINDS = st.sampled_from(sorted(KINDS))
MD_SOURCE = next(s for s in SOURCES if s.path.suffix == ".md" and s.kind == "activiteit")


@PROPERTY_SETTINGS
@given(raw=st.binary(max_size=2000), kind=SOURCE_KINDS)
def test_random_bytes(raw: bytes, kind: str) -> None:
    load_bytes(raw, KINDS[kind])


@PROPERTY_SETTINGS
@given(text=st.lists(st.one_of(YAML_CHARS, st.sampled_from(FIELD_NAMES), st.text(max_size=8)),
                     max_size=80).map("".join), kind=SOURCE_KINDS, markdown=st.booleans())
def test_random_text(text: str, kind: str, markdown: bool) -> None:
    source = MD_SOURCE if markdown else KINDS[kind]
    if markdown:
        text = "---\n" + text + "\n---\nTekst.\n"
    load_bytes(text.encode("utf-8"), source)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["2025-02-30", "25:00", "10:30", "0123 AB", "GM0166",
                                           "javascript:alert(1)", "https://x.nl", "DI", "2MA",
                                           "ja", "~", "vechtstad", "../x", ""]))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES),
                                                      st.text(max_size=10)), inner, max_size=6)),
    max_leaves=25)


@PROPERTY_SETTINGS
@given(data=documents, kind=SOURCE_KINDS, flow=st.sampled_from([None, True, False]))
def test_random_yaml_documents(data: object, kind: str, flow: bool | None) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    load_bytes(text.encode("utf-8"), KINDS[kind])


FLIPS = ["true", "12", "-1", "[]", "{}", "''", "null", "2025-02-30", "'25:00'", "[a, b]",
         "{x: 1}", "x" * 300, "&a 1", "*a", "!!python/object:os.system x", "|", "- x", "\"",
         "javascript:alert(1)"]


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[SourceFile, str]:
    source = draw(st.sampled_from(SOURCES))
    lines = source.path.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "tab", "colon", "quote", "flip",
                                   "indent", "dedent", "swap", "truncate"]))
        line = lines[i]
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op in ("tab", "colon", "quote"):
            char = {"tab": "\t", "colon": ": ", "quote": draw(st.sampled_from(["'", '"']))}[op]
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + char + line[pos:]
        elif op == "flip" and ":" in line:
            key = line.split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(FLIPS))}\n"
        elif op == "indent":
            lines[i] = "  " * draw(st.integers(1, 3)) + line
        elif op == "dedent":
            lines[i] = line.lstrip(" ")
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines[i] = line[: draw(st.integers(0, len(line)))]
    return source, "".join(lines)


@PROPERTY_SETTINGS
@given(case=mutated_fixture())
def test_mutated_fixture_files(case: tuple[SourceFile, str]) -> None:
    source, text = case
    load_bytes(text.encode("utf-8"), source)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated_fixture())
def test_mutated_file_in_whole_pipeline(case: tuple[SourceFile, str]) -> None:
    """load, validate and resolve a full content folder with one mutated file."""
    source, text = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kaart"
        shutil.copytree(FIXTURE, root)
        target = root / source.path.relative_to(FIXTURE)
        target.write_text(text, encoding="utf-8")
        loaded = load_content(root)
        kaart, diags = check(loaded, TODAY)
    for d in diags:
        assert isinstance(d, Diagnostic)
        assert d.file and d.line >= 0 and d.column >= 0 and d.message.strip()
    errors = [d for d in diags if d.is_error]
    assert (kaart is None) == bool(errors)
