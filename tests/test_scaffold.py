"""`sociale-kaart new`: slugs, every field with a comment, modeline, and the check contract.

The contract (see sociale_kaart/authoring/scaffold.py): a freshly generated file fails `check` only on the
fields the maintainer must fill, each on its own line; once those are filled it passes.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sociale_kaart.authoring.scaffold import KINDS, ScaffoldError, new_entry, scaffold_text, unique_slug
from sociale_kaart.cli import main
from sociale_kaart.model.kinds import KINDS as ALL_KINDS
from sociale_kaart.model.names import slugify as make_slug
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.pipeline.yaml_loader import load_file, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kaart"
TODAY = date(2026, 11, 22)
GEMEENTE = {"activiteit": "vechtstad", "ontmoetingsplek": "vechtstad", "organisatie": "vechtstad",
            "praktijk": "vechtstad"}
# What a maintainer would write in the fields only they can fill.
FILL = {"samenvatting": "Samen koffie drinken.", "bron[0].titel": "Gesprek met de organisator",
        "soort": None, "lede": "Een korte inleiding.", "status": "pilot",
        "wat_werkt": "Een vaste vrijwilliger."}


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    return target


def errors_of(content: Path) -> list:
    _, diags = check(load_content(content), TODAY)
    return [d for d in diags if d.is_error]


# --------------------------------------------------------------------------- slugs

@pytest.mark.parametrize("title, slug", [
    ("Koffie-inloop in De Brug", "koffie-inloop-in-de-brug"),
    ("Café Ü — één keer!", "cafe-u-een-keer"),
    ("Eten & drinken", "eten-en-drinken"),
    ("  Digi'café  ", "digicafe"),
    ("Straße", "strasse"),
    ("!!!", ""),
])
def test_make_slug(title: str, slug: str) -> None:
    assert make_slug(title) == slug


def test_make_slug_is_short_and_cut_at_a_word() -> None:
    slug = make_slug("woord " * 40)
    assert len(slug) <= 80
    assert not slug.endswith("-") and slug.endswith("woord")


@given(st.text(max_size=120))
@settings(max_examples=200, deadline=None)
def test_make_slug_always_valid(title: str) -> None:
    slug = make_slug(title)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 80


def test_unique_slug_counts_up_across_suffixes(tmp_path: Path) -> None:
    (tmp_path / "koffie.yaml").write_text("x: 1\n")
    (tmp_path / "koffie-2.md").write_text("---\nx: 1\n---\n")
    assert unique_slug(tmp_path, "koffie") == "koffie-3"
    assert unique_slug(tmp_path, "thee") == "thee"


# --------------------------------------------------------------------------- text

@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80)
       .filter(lambda t: t.strip()))
@settings(max_examples=150, deadline=None)
def test_title_survives_yaml_quoting(title: str) -> None:
    """Titles with ': ', '#', quotes, 'yes' or '10:30' come back exactly as typed."""
    text, _ = scaffold_text("activiteit", title.strip(), TODAY, gemeente="vechtstad")
    data, _ = parse_yaml(text)
    assert data["titel"] == title.strip()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_model_field_is_present_with_a_comment(kind: str) -> None:
    text, _ = scaffold_text(kind, "Test", TODAY, gemeente="vechtstad")
    lines = text.splitlines()
    for name in KINDS[kind].model_fields:
        idx = next((i for i, line in enumerate(lines)
                    if re.match(rf"^(# )?{name}:(\s|$)", line)), None)
        assert idx is not None, f"{kind}: field {name} missing"
        assert lines[idx - 1].startswith("# ") and len(lines[idx - 1]) > 4, \
            f"{kind}: field {name} has no comment above it"


def test_generated_file_asks_for_a_source_not_a_check_date_and_has_a_modeline(content: Path) -> None:
    entry = new_entry(content, "activiteit", "Koffie-inloop", TODAY, gemeente="vechtstad")
    text = entry.path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, first
    schema = (entry.path.parent / m.group(1)).resolve()
    assert schema == (content.parent / "schemas" / "activiteit.schema.json").resolve()
    # A new file is not checked with the organisation yet: no check date (issue 22), but a
    # source to fill in, and the check fields commented out for when it is confirmed.
    assert not re.search(r"^laatst_gecontroleerd:", text, re.M)
    assert "2026-11-22" not in text
    assert re.search(r'^bron:\n  - titel: ""\n', text, re.M)
    assert re.search(r"^# laatst_gecontroleerd:$", text, re.M)
    assert re.search(r"^# gecontroleerd_door:$", text, re.M)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_modeline_points_at_the_repository_schemas(kind: str) -> None:
    folder = (ROOT / "content" / ALL_KINDS[kind].folder / ("kampen" if kind in
              ("activiteit", "ontmoetingsplek") else "")).resolve()
    from sociale_kaart.authoring.scaffold import schema_reference

    ref = schema_reference(ROOT / "content", kind, folder)
    assert (folder / ref).resolve() == ROOT / "schemas" / f"{kind}.schema.json"


# --------------------------------------------------------------------------- the check contract

def _line_of(path: Path, field: str) -> int:
    """The line of ``field``: 'samenvatting', 'wat_werkt[0]' (an item) or 'bron[0].titel' (the
    first key of an item, on the item's own line)."""
    name, _, index = field.partition("[")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    if not index:
        return start + 1
    return start + 1 + int(index.split("]")[0]) + 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_new_file_fails_only_on_fields_the_maintainer_must_fill(content: Path, kind: str) -> None:
    assert errors_of(content) == []
    entry = new_entry(content, kind, "Nieuw: Café De Hoek", TODAY, gemeente=GEMEENTE[kind])
    errors = errors_of(content)
    assert errors, "an unfilled scaffold should not pass silently"
    assert {d.file for d in errors} == {entry.path.as_posix()}
    assert sorted(d.field for d in errors) == sorted(entry.must_fill)
    for d in errors:
        assert d.line == _line_of(entry.path, d.field), d
        assert d.message and d.severity == "fout"
    expected = {"activiteit": {"samenvatting", "bron"},
                "ontmoetingsplek": {"soort", "bron"},
                "organisatie": {"soort", "bron"},
                # 'status' is optional: left out when the source names no phase (issue 22)
                "praktijk": {"lede", "wat_werkt", "bron"}}[kind]
    assert {f.split("[")[0] for f in entry.must_fill} == expected


def _fill(path: Path, content: Path, kind: str) -> None:
    text = path.read_text(encoding="utf-8")
    vocab = {"ontmoetingsplek": "plek-soorten", "organisatie": "organisatie-soorten"}.get(kind)
    for name, value in FILL.items():
        if name == "soort" and vocab:
            doc, _ = load_file(content / "taxonomie" / f"{vocab}.yaml", "t")
            value = doc.data["termen"][0]["slug"]
        if value is None:
            continue
        if name.startswith("bron"):  # the first source's title, under 'bron:'
            text = re.sub(r'^(bron:\n  - titel: )""$', rf"\g<1>{json.dumps(value, ensure_ascii=False)}",
                          text, flags=re.M)
            continue
        text = re.sub(rf'^{name}: ""$', f"{name}: {json.dumps(value, ensure_ascii=False)}",
                      text, flags=re.M)
        if name == "wat_werkt":
            text = re.sub(r'^  - ""$', f"  - {value}", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_filled_in_file_passes_check(content: Path, kind: str) -> None:
    entry = new_entry(content, kind, "Nieuw: Café De Hoek", TODAY, gemeente=GEMEENTE[kind])
    _fill(entry.path, content, kind)
    assert errors_of(content) == []
    loaded = load_content(content)
    made = [e for e in loaded.entries[kind] if e.slug == entry.slug]
    assert len(made) == 1
    assert getattr(made[0], "titel", getattr(made[0], "naam", None)) == "Nieuw: Café De Hoek"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_filled_in_file_matches_the_json_schema(content: Path, kind: str) -> None:
    schema_file = ROOT / "schemas" / f"{kind}.schema.json"  # committed, kept in sync by test_schema
    import jsonschema

    entry = new_entry(content, kind, "Nieuw", TODAY, gemeente=GEMEENTE[kind])
    _fill(entry.path, content, kind)
    doc, diags = load_file(entry.path, "x")
    assert doc is not None and not diags
    jsonschema.validate(doc.data, json.loads(schema_file.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- refusing

def test_same_title_twice_gives_a_new_slug_not_an_overwrite(content: Path) -> None:
    first = new_entry(content, "organisatie", "Buurtteam", TODAY)
    before = first.path.read_bytes()
    second = new_entry(content, "organisatie", "Buurtteam", TODAY)
    assert second.slug == "buurtteam-2"
    assert first.path.read_bytes() == before


def test_explicit_existing_slug_is_refused(content: Path, capsys) -> None:
    target = content / "activiteiten" / "vechtstad" / "koffie-inloop.yaml"
    before = target.read_bytes()
    code = main(["new", "activiteit", "Koffie", "--gemeente", "vechtstad", "--slug",
                 "koffie-inloop", "--content", str(content), "--vandaag", "2026-11-22"])
    assert code == 1
    assert target.read_bytes() == before
    err = capsys.readouterr().err
    assert "bestaat al" in err and "Traceback" not in err


def test_cli_creates_file_and_prints_path(content: Path, capsys) -> None:
    code = main(["new", "ontmoetingsplek", "Huiskamer Oost", "--gemeente", "vechtstad",
                 "--content", str(content), "--vandaag", "2026-11-22"])
    out, err = capsys.readouterr()
    assert code == 0
    path = Path(out.strip())
    assert path.name == "huiskamer-oost.yaml" and path.is_file()
    assert "Vul nog in: soort, bron" in err


@pytest.mark.parametrize("args, message", [
    (["activiteit", "Koffie"], "--gemeente"),
    (["activiteit", "Koffie", "--gemeente", "vechtstat"], "bedoelde u 'vechtstad'"),
    (["organisatie", "   "], "geef een titel"),
    (["organisatie", "???"], "geen letters of cijfers"),
    (["organisatie", "Goed", "--slug", "Niet Goed"], "geen geldige korte naam"),
])
def test_cli_wrong_use_gives_dutch_message(content: Path, capsys, args, message) -> None:
    code = main(["new", *args, "--content", str(content)])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and "Traceback" not in err


def test_missing_content_dir(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="bestaat niet"):
        new_entry(tmp_path / "nergens", "organisatie", "X", TODAY)
