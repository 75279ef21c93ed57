"""The loader's fast path (``_read_plain`` and ``_plain_positions``) must agree with the full
``_Converter`` on every text it accepts, and hand everything else to the converter."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sociale_kaart.pipeline import yaml_loader as loader
from sociale_kaart.pipeline.yaml_loader import _plain_positions, _read_plain, _Unusual, load_text, parse_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "kaart"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def converter(text: str):
    data, conv = parse_yaml(text)
    return data, conv.values, conv.keys


def same(a, b) -> bool:
    """Equal, with the same types (1 == 1.0 == True in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def assert_agree(text: str) -> None:
    try:
        fast = _read_plain(text)
    except (_Unusual, yaml.YAMLError):
        return  # the converter takes over; test_loader_properties covers what it reports
    data, values, keys = converter(text)
    assert same(fast, data)
    assert _plain_positions(text) == (values, keys)


def test_fixture_files_agree() -> None:
    for path in sorted(FIXTURE.rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            assert_agree(path.read_text("utf-8"))
        elif path.suffix == ".md":
            assert_agree(loader.split_front_matter(path.read_text("utf-8"))[0])


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(),
                    st.text(max_size=20),
                    st.sampled_from(["10:30", "0123", "1e3", ".5", "-0", "+1", "~", "null",
                                     "True", "no", "2026-02-30", ".inf", "0x1F", "<<"]))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=5)),
    max_leaves=25)


@SETTINGS
@given(data=documents, flow=st.sampled_from([None, True, False]))
def test_dumped_documents_agree(data: object, flow: bool | None) -> None:
    assert_agree(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))


YAML_BITS = st.sampled_from(list(":-#&*!|>'\"{}[],?\t\n ") + ["\r\n", "---", "<<", "a", "b",
                                                              "1", "x: ", "- ", "  ", "!!str "])


@SETTINGS
@given(text=st.lists(YAML_BITS, max_size=60).map("".join))
def test_random_text_agrees(text: str) -> None:
    assert_agree(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # duplicate key
    "a: &x 1\nb: *x\n",  # anchor and alias
    "a: !foo 1\n",  # unknown tag
    "<<: {a: 1}\n",  # merge key
    "? [a]\n: 1\n",  # a key that is not text
    "a: 1\n---\nb: 2\n",  # a second document
    "a: " + "[" * 40 + "]" * 40 + "\n",  # too deep
])
def test_unusual_texts_go_to_the_converter(text: str) -> None:
    with pytest.raises(_Unusual):
        _read_plain(text)


def test_unicode_line_breaks_keep_editor_line_numbers() -> None:
    # YAML 1.1 ends lines at NEL, LS and PS; editors (and YAML 1.2) do not
    raw = 'a: "x\u2028y"\nb: p\x85q\nc: |\n  l1\u2029l2\nd: [\n'.encode()
    doc, diags = load_text(raw, Path("x.yaml"), "x.yaml")
    assert doc is None and diags[0].line <= raw.count(b"\n") + 1
    doc, diags = load_text(raw.rsplit(b"d:", 1)[0], Path("x.yaml"), "x.yaml")
    assert doc is not None and not diags
    assert doc.data == {"a": "x\u2028y", "b": "p\x85q", "c": "l1\u2029l2\n"}
    assert doc.position(("c",)) == (3, 4)


def test_unicode_line_break_that_yaml_1_1_needed_is_pointed_at() -> None:
    raw = "naam:\u2028 Vechtstad\ncbs_code: GM9901\n".encode()
    doc, diags = load_text(raw, Path("x.yaml"), "x.yaml")
    assert doc is None
    assert (diags[0].line, diags[0].column) == (1, 6)
    assert "U+2028" in diags[0].message
