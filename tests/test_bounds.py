"""What a content file may ask for, and what the build makes of it.

* Control characters are refused in every text value, line breaks in every single-line field
  (types.py), with file, line and field; messages never echo a control character raw.
* Dates lie in 1900..2100; at the edges the build still builds (no overflow anywhere).
* The output grows linearly with a list of dates: the .ics and the HSDS export make one event
  or schedule per date without repeating the others; the HTML says how many more dates there
  are instead of repeating all of them on every card.
* The .ics writer never lets a raw CR or LF (or another control character) into a line, also
  for a value that did not come through validation.
"""

from __future__ import annotations

import copy
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar
from pydantic import ValidationError

from sociale_kaart.cli import main
from sociale_kaart.model.entries import Activiteit, Site, Taxonomie
from sociale_kaart.model.kinds import BY_FOLDER
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.schedule_text import SHOWN_DATES, SHOWN_EXCEPTIONS, describe_all
from sociale_kaart.outputs.ical import activity_calendar, gemeente_feed

from .conftest import FIXTURE

TODAY = "2026-11-22"
KOFFIE = "activiteiten/vechtstad/koffie-inloop.yaml"
# Fields that may span lines (Markdown, notes); every other text field is one line.
MULTI_LINE = {"beschrijving", "intro", "toelichting", "hoe", "lede", "wat_werkt",
              "doelgroep_toelichting", "toegankelijkheid_toelichting", "verwijzen"}


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def check_and_build(content: Path, out: Path) -> tuple[int, int, str]:
    checked, check_text = _run(["check", str(content), "--zonder-cache", "--vandaag", TODAY])
    built, build_text = _run(["build", "--content", str(content), "--out", str(out),
                              "--zonder-zoeken", "--zonder-cache", "--quiet", "--vandaag", TODAY])
    return checked, built, check_text + build_text


def _edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


# --------------------------------------------------------------------------- every text value

def _documents() -> list[tuple[str, type, dict[str, Any]]]:
    """(file, model, data) of every fixture file."""
    out = []
    for path in sorted(FIXTURE.rglob("*")):
        if path.suffix not in (".yaml", ".md"):
            continue
        text = path.read_text("utf-8")
        if text.startswith("---\n"):
            text = text[4:].split("\n---\n", 1)[0]
        rel = path.relative_to(FIXTURE)
        model = (Site if rel.name == "site.yaml" else Taxonomie if rel.parts[0] == "taxonomie"
                 else BY_FOLDER[rel.parts[0]].model)
        out.append((rel.as_posix(), model, yaml.safe_load(text)))
    return out


def _strings(data: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    if isinstance(data, str):
        return [(path, data)]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    return [found for k, v in items for found in _strings(v, path + (k,))]


def _with(data: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


def _insert(value: str, char: str) -> str:
    """``char`` in the middle of ``value`` (at the ends, whitespace is stripped)."""
    value = value if len(value) > 1 else value * 2
    middle = len(value) // 2
    return value[:middle] + char + value[middle:]


def _error_paths(model: type, data: dict[str, Any]) -> set[tuple]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return {tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
                for e in exc.errors()}
    return set()


DOCUMENTS = _documents()


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\r", "\x7f", "\x85", "\x0b", "\x9b"],
                         ids=["NUL", "ESC", "CR", "DEL", "NEL", "VT", "CSI"])
def test_every_text_value_refuses_control_characters(char: str) -> None:
    checked = 0
    for rel, model, data in DOCUMENTS:
        assert _error_paths(model, data) == set(), rel
        for path, value in _strings(data):
            bad = _with(data, path, _insert(value, char))
            assert path in _error_paths(model, bad), (rel, path)
            checked += 1
    assert checked > 200  # every text value of every fixture file


@pytest.mark.parametrize("brk", ["\n", "\u2028", "\u2029"], ids=["LF", "LS", "PS"])
def test_line_breaks_only_in_multi_line_fields(brk: str) -> None:
    for rel, model, data in DOCUMENTS:
        for path, value in _strings(data):
            key = next(p for p in reversed(path) if isinstance(p, str))
            errors = _error_paths(model, _with(data, path, _insert(value, brk)))
            if key in MULTI_LINE:
                assert errors == set(), (rel, path, errors)
            else:
                assert path in errors, (rel, path)


def test_tab_is_text_and_a_block_that_ends_in_a_line_break_is_one_line(tmp_path: Path) -> None:
    content = tmp_path / "kaart"
    shutil.copytree(FIXTURE, content)
    _edit(content, KOFFIE, "titel: Koffie-inloop in De Brug", 'titel: "Koffie\tinloop"')
    _edit(content, KOFFIE, "samenvatting: Elke dinsdagochtend koffie drinken en een praatje maken "
          "met buurtgenoten.", "samenvatting: |\n  Elke dinsdagochtend koffie.\n")
    checked, built, text = check_and_build(content, tmp_path / "uit")
    assert (checked, built) == (0, 0), text


def test_markdown_saved_with_crlf_line_ends_is_fine(tmp_path: Path) -> None:
    content = tmp_path / "kaart"
    shutil.copytree(FIXTURE, content)
    for md in content.rglob("*.md"):
        md.write_bytes(md.read_bytes().replace(b"\n", b"\r\n"))
    checked, built, text = check_and_build(content, tmp_path / "uit")
    assert (checked, built) == (0, 0), text


def test_messages_never_echo_a_control_character(tmp_path: Path) -> None:
    content = tmp_path / "kaart"
    shutil.copytree(FIXTURE, content)
    _edit(content, KOFFIE, "plek: buurthuis-de-brug", 'plek: "\\e[2Jx\\r\\n"')
    code, text = _run(["check", str(content), "--zonder-cache", "--vandaag", TODAY])
    assert code == 1
    assert "veld 'plek': '\\x1b[2Jx\\x0d\\x0a' is geen geldige korte naam" in text
    assert "\x1b" not in text and "\r" not in text


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_number_that_is_not_finite_gets_a_dutch_message(tmp_path: Path, value: str) -> None:
    content = tmp_path / "kaart"
    shutil.copytree(FIXTURE, content)
    _edit(content, "activiteiten/vechtstad/wandelgroep.md", "bedrag: 2.50", f"bedrag: {value}")
    code, text = _run(["check", str(content), "--zonder-cache", "--vandaag", TODAY])
    assert code == 1
    assert "veld 'kosten.bedrag': " in text and "is geen getal: schrijf bijvoorbeeld 2.50" in text


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2100_are_refused(value: str) -> None:
    for rel, model, data in DOCUMENTS:
        def dates(d: Any, path: tuple = ()) -> list[tuple]:
            if isinstance(d, date):
                return [path]
            items = d.items() if isinstance(d, dict) else enumerate(d) if isinstance(d, list) else []
            return [p for k, v in items for p in dates(v, path + (k,))]
        for path in dates(data):
            errors = _error_paths(model, _with(data, path, value))
            assert any(e[:len(path)] == path for e in errors), (rel, path, errors)


def test_dates_at_the_edges_check_and_build(tmp_path: Path) -> None:
    content = tmp_path / "kaart"
    shutil.copytree(FIXTURE, content)
    _edit(content, KOFFIE, "    niet_op: [2026-12-29]\n",
          "    niet_op: [2026-12-29, 2100-12-31, {van: 1900-01-01, tot: 1901-12-29}]\n"
          "    geldig_vanaf: 1900-01-02\n    geldig_tot: 2100-12-31\n"
          "  - datums: [1900-01-01, 2100-12-31]\n    van: '00:00'\n"
          "  - datums: [2100-12-30]\n    van: '23:00'\n    tot: '23:59'\n"
          "  - frequentie: maandelijks\n    dagen: [-1VR]\n    interval: 52\n"
          "    geldig_vanaf: 1900-01-26\n")
    _edit(content, KOFFIE, "laatst_gecontroleerd: 2026-10-01", "laatst_gecontroleerd: 1900-01-01")
    checked, built, text = check_and_build(content, tmp_path / "uit")
    assert (checked, built) == (0, 0), text
    ics = (tmp_path / "uit/vechtstad/activiteiten/koffie-inloop.ics").read_bytes()
    events = Calendar.from_ical(ics).walk("VEVENT")
    starts = {str(e["UID"]).split("@")[0]: e["DTSTART"].dt for e in events}
    assert starts["vechtstad-koffie-inloop-2-21001231"].date() == date(2100, 12, 31)
    assert starts["vechtstad-koffie-inloop-2-19000101"].date() == date(1900, 1, 1)
    assert starts["vechtstad-koffie-inloop-3-21001230"].date() == date(2100, 12, 30)
    # the monthly rule has no time: no event (never an all-day one)
    assert not any(str(e["UID"]).startswith("vechtstad-koffie-inloop-4") for e in events)


# --------------------------------------------------------------------------- output size

def _with_dates(content: Path, n: int) -> None:
    """koffie-inloop gets ``n`` one-off dates (in rules of at most 500) before its weekly rule."""
    first = date(2027, 1, 4)
    rules = "".join(
        "  - datums: [" + ", ".join((first + timedelta(days=i)).isoformat()
                                    for i in range(start, min(n, start + 500))) + "]\n"
        "    van: '10:00'\n"
        for start in range(0, n, 500))
    _edit(content, KOFFIE, "wanneer:\n", "wanneer:\n" + rules)


def _sizes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}


def test_output_grows_linearly_with_the_dates(tmp_path: Path) -> None:
    """Four times the dates: at most about four times the bytes they add to any file (the .ics
    and HSDS files repeated every date in every event, sixteen times), and no more HTML at all
    beyond the first SHOWN_DATES dates (every card showed every date)."""
    sizes = {}
    for n in (0, 100, 400):
        content = tmp_path / f"kaart{n}"
        shutil.copytree(FIXTURE, content)
        if n:
            _with_dates(content, n)
        checked, built, text = check_and_build(content, tmp_path / f"uit{n}")
        assert (checked, built) == (0, 0), text
        sizes[n] = _sizes(tmp_path / f"uit{n}")
    assert sizes[0].keys() == sizes[100].keys() == sizes[400].keys()
    grown = {f: (sizes[100][f] - sizes[0][f], sizes[400][f] - sizes[0][f]) for f in sizes[0]}
    for file, (by100, by400) in grown.items():
        assert by400 <= 4.5 * by100 + 1000, (file, by100, by400)
    assert grown["vechtstad/activiteiten/koffie-inloop.ics"][1] < 400 * 800
    html = [g for f, g in grown.items() if f.endswith(".html")]
    assert sum(by400 for _, by400 in html) - sum(by100 for by100, _ in html) < 2000
    koffie = (tmp_path / "uit400/vechtstad/activiteiten/koffie-inloop/index.html").read_text("utf-8")
    assert "en nog 390 andere datums" in koffie


def test_sentences_show_the_first_dates_and_exceptions_and_count_the_rest() -> None:
    first = date(2027, 1, 4)
    s = Tijdschema.model_validate({"datums": [first + timedelta(days=i) for i in range(40)],
                                   "van": "10:00"})
    (line,) = describe_all([s], date(2026, 12, 1))
    assert line.count("januari") == SHOWN_DATES and "en nog 30 andere datums" in line
    weekly = Tijdschema.model_validate({
        "frequentie": "wekelijks", "dagen": ["DI"],
        "niet_op": [first + timedelta(days=7 * i + 1) for i in range(SHOWN_EXCEPTIONS + 7)]})
    (line,) = describe_all([weekly], date(2026, 12, 1))
    assert line.count("Niet op") == SHOWN_EXCEPTIONS
    assert line.endswith("En nog 7 andere dagen of periodes waarop het niet doorgaat.")


def test_each_calendar_event_describes_only_its_own_date() -> None:
    a = Activiteit.model_validate({
        "titel": "Losse datums", "samenvatting": "Samen.", "laatst_gecontroleerd": "2026-01-01",
        "gecontroleerd_door": "beheerder",
        "bron": {"titel": "test"}, "wanneer": [{"datums": ["2026-12-05", "2026-12-12", "2026-12-19"],
                                     "van": "14:00", "toelichting": "Neem een beker mee."}]})
    a.bind("losse-datums", "activiteiten/vechtstad/losse-datums.yaml", "vechtstad")
    cal = Calendar.from_ical(activity_calendar(a, None, None, "example.nl",
                                               datetime(2026, 11, 22, tzinfo=UTC)))
    descriptions = [str(e["DESCRIPTION"]) for e in cal.walk("VEVENT")]
    assert descriptions == [
        f"Samen.\n\nOp zaterdag {d} december 2026, vanaf 14.00 uur. Neem een beker mee."
        for d in (5, 12, 19)]


# --------------------------------------------------------------------------- the .ics writer

def test_the_ics_writer_never_writes_a_raw_line_break_or_control_character() -> None:
    """Validation refuses these values; the writer does not rely on that (a value made in
    code, or a future field): no value can end a line and add a property of its own."""
    a = Activiteit.model_validate({
        "titel": "Titel", "samenvatting": "Samen.", "laatst_gecontroleerd": "2026-01-01",
        "gecontroleerd_door": "beheerder",
        "bron": {"titel": "test"}, "wanneer": [{"frequentie": "wekelijks", "dagen": ["DI"], "van": "10:00"},
                                    {"datums": ["2026-12-05"]}]})
    evil = "Nep\r\nX-INJECTED:1\rX-OTHER:2\n\x00\x1b[2J\u2028"
    a = a.model_copy(update={"titel": evil, "samenvatting": evil})  # no validation
    a.bind("nep", "activiteiten/vechtstad/nep.yaml", "vechtstad")
    stamp = datetime(2026, 11, 22, tzinfo=UTC)
    for body in (activity_calendar(a, "https://x.nl/\r\nX-URL:1", evil, "example.nl", stamp),
                 gemeente_feed([a], evil, "example.nl", stamp)):
        assert body is not None
        lines = body.split(b"\r\n")
        assert lines[-1] == b""
        for line in lines[:-1]:
            assert b"\r" not in line and b"\n" not in line and b"\x00" not in line
            assert b"\x1b" not in line
            assert line.startswith(b" ") or line.split(b":")[0].split(b";")[0].isupper(), line
        assert b"\nX-INJECTED" not in body and b"\nX-OTHER" not in body
        assert b"\nX-URL" not in body
        cal = Calendar.from_ical(body)
        assert not any("X-INJECTED" in c or "X-OTHER" in c for c in [cal, *cal.walk("VEVENT")])
