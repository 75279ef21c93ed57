"""`sociale-kaart check` on broken content: every bad input gives one exact Dutch message.

Each folder in tests/broken/<case>/ mirrors tests/fixtures/kaart and holds the one file that
is broken in that case. A test copies the clean fixture into a temporary folder, lays the
broken file over it and runs the real CLI. Cases that cannot live in git as files (a huge
file, symlinks, a backslash in a file name) are built inside the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sociale_kaart.cli import main
from sociale_kaart.pipeline.yaml_loader import MAX_FILE_BYTES

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "kaart"
BROKEN = TESTS / "broken"
REPO = TESTS.parent
TODAY = "2026-11-22"

KOFFIE = "kaart/activiteiten/vechtstad/koffie-inloop.yaml"
BRUG = "kaart/ontmoetingsplekken/vechtstad/buurthuis-de-brug.yaml"
WELZIJN = "kaart/organisaties/welzijn-vechtstad.yaml"

# case folder -> (file, line, column, field, fragment of the Dutch message)
CASES: dict[str, tuple[str, int, int, str, str]] = {
    "tab-inspringen": (KOFFIE, 15, 1, "", "tab-teken gevonden: spring in met spaties"),
    "aanhalingsteken-niet-gesloten": (KOFFIE, 1, 8, "", "aanhalingsteken hier wordt niet gesloten"),
    "aanhalingsteken-niet-gesloten-einde": (KOFFIE, 27, 7, "", "aanhalingsteken hier wordt nergens "
                                            "gesloten"),
    "verkeerd-ingesprongen": (KOFFIE, 15, 4, "", "verkeerd ingesprongen"),
    "leeg-bestand": (KOFFIE, 1, 1, "", "bestand is leeg"),
    "lijst-in-plaats-van-velden": (KOFFIE, 1, 1, "", "bestand bevat een lijst; verwacht worden "
                                   "velden als 'naam: waarde'"),
    "geen-utf8": (KOFFIE, 2, 60, "", "het bestand is geen UTF-8 (onleesbare byte 0xe9)"),
    "onbekend-veld": (KOFFIE, 11, 1, "doelgroepn", "onbekend veld 'doelgroepn'; bedoelde u "
                      "'doelgroepen'?"),
    "datum-bestaat-niet": (KOFFIE, 25, 23, "laatst_gecontroleerd", "datum '2025-02-30' bestaat niet"),
    "tijd-bestaat-niet": (KOFFIE, 17, 10, "wanneer[0].tot", "'25:00' is geen bestaande tijd"),
    "negatieve-prijs": ("kaart/activiteiten/vechtstad/wandelgroep.md", 18, 33, "kosten.bedrag",
                        "mag niet negatief zijn"),
    "onbekende-dag": (KOFFIE, 15, 13, "wanneer[0].dagen[0]", "'DINSDAG' is geen dag"),
    "postcode-begint-met-0": (BRUG, 4, 56, "adres.postcode", "'0123 AB' is geen Nederlandse postcode"),
    "postcode-sa": (BRUG, 4, 56, "adres.postcode", "'1234 SA' is geen Nederlandse postcode"),
    "postcode-vijf-cijfers": (BRUG, 4, 56, "adres.postcode", "'12345' is geen Nederlandse postcode"),
    "loket-onbereikbaar": ("kaart/gemeenten/vechtstad.yaml", 18, 3, "loket",
                           "geef het loket een 'telefoon', 'email', 'website' of 'adres'"),
    "cbs-code": ("kaart/gemeenten/vechtstad.yaml", 2, 11, "cbs_code",
                 "'GM990' is geen CBS-gemeentecode: schrijf GM en vier cijfers"),
    "email": (KOFFIE, 24, 63, "contact.email", "is geen e-mailadres"),
    "url": (WELZIJN, 4, 10, "website", "is geen webadres: begin met https://"),
    "javascript-url": (WELZIJN, 4, 10, "website", "'javascript:alert(document.cookie)' is geen "
                       "veilig webadres"),
    "verwijzing-plek": (KOFFIE, 8, 7, "plek", "ontmoetingsplek 'buurthuis-de-bruk' bestaat niet in "
                        "gemeente 'vechtstad'; bedoelde u 'buurthuis-de-brug'?"),
    "verwijzing-organisator": (KOFFIE, 9, 14, "organisator", "organisatie 'welzijn-vechstad' bestaat "
                               "niet; bedoelde u 'welzijn-vechtstad'?"),
    "verwijzing-thema": (KOFFIE, 10, 22, "themas[1]", "'eenzaamheidd' bestaat niet; bedoelde u "
                         "'eenzaamheid'?"),
    "verwijzing-gemeente": (WELZIJN, 3, 13, "gemeenten[0]", "gemeente 'vechtstat' bestaat niet; "
                            "bedoelde u 'vechtstad'?"),
    "dubbele-slug": (KOFFIE, 1, 1, "", "de korte naam 'koffie-inloop' wordt ook gebruikt door "
                     "kaart/activiteiten/vechtstad/koffie-inloop.md"),
    "slug-met-pad": (KOFFIE, 8, 7, "plek", "'../../../etc/passwd' is geen geldige korte naam"),
    "bestandsnaam-met-spatie": ("kaart/activiteiten/vechtstad/Koffie Inloop.yaml", 0, 0, "",
                                "bestandsnaam 'Koffie Inloop.yaml' is geen geldige korte naam"),
    "anker-alias-bom": (KOFFIE, 1, 4, "a", "ankers en aliassen (& en *) worden niet ondersteund"),
    "dubbel-veld": (KOFFIE, 11, 1, "themas", "staat twee keer in dezelfde groep: op regel 10 en op "
                    "regel 11"),
    "samenvoegen": (KOFFIE, 20, 3, "kosten", "samenvoegen met '<<' wordt niet ondersteund"),
    # Single-line fields, control characters (types.py)
    "titel-met-regelovergang": (KOFFIE, 1, 8, "titel", "mag maar één regel zijn, maar er begint "
                                "een nieuwe regel na 'Koffie-inloop'"),
    "samenvatting-als-blok": (KOFFIE, 2, 15, "samenvatting", "staat er 'samenvatting: |', schrijf "
                              "dan 'samenvatting: >'"),
    "stuurteken-cr": (KOFFIE, 1, 8, "titel", "bevat een onzichtbaar stuurteken (U+000D, CR) na "
                      "'Koffie-inloop'"),
    "stuurteken-esc": (KOFFIE, 20, 32, "aanmelden.hoe", "bevat een onzichtbaar stuurteken (U+001B, "
                       "ESC) na 'Gewoon'"),
    "stuurteken-in-tekst": ("kaart/activiteiten/vechtstad/wandelgroep.md", 33, 19, "",
                            "de tekst onder de velden bevat een onzichtbaar stuurteken (U+001B, ESC)"),
    # What one file may ask the build to make (schedule.py, types.py)
    "datum-9999": (KOFFIE, 19, 14, "wanneer[1].datums[0]", "9999-12-31 ligt niet tussen de jaren "
                   "1900 en 2100"),
    "te-veel-datums": (KOFFIE, 19, 13, "wanneer[1].datums", "bevat 501 datums; dat mogen er "
                       "hoogstens 500 zijn"),
    "te-veel-regels": (KOFFIE, 14, 3, "wanneer", "bevat 51 regels; dat mogen er hoogstens 50 zijn"),
    "niet-op-te-lang": (KOFFIE, 18, 38, "wanneer[0].niet_op[0].tot", "deze periode duurt 1461 "
                        "dagen; dat mag hoogstens 731 dagen (twee jaar) zijn"),
    "niet-op-samen-te-lang": (KOFFIE, 19, 7, "wanneer[0].niet_op", "de periodes in 'niet_op' duren "
                              "samen 792 dagen"),
    "thema-twee-keer": (KOFFIE, 10, 9, "themas", "'ontmoeting' staat twee keer in deze lijst"),
}


@pytest.fixture
def kaart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the clean fixture as ./kaart, with the working directory next to it."""
    shutil.copytree(FIXTURE, tmp_path / "kaart")
    monkeypatch.chdir(tmp_path)
    return Path("kaart")


def overlay(kaart: Path, case: str) -> None:
    shutil.copytree(BROKEN / case, kaart, dirs_exist_ok=True)


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--vandaag", TODAY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code, out, _ = check(capsys, "kaart", "--format", "json", *args)
    return code, json.loads(out)["meldingen"]


def errors(meldingen: list[dict]) -> list[dict]:
    return [m for m in meldingen if m["severity"] == "fout"]


def text_line(file: str, line: int, column: int, field: str) -> str:
    """The start of a text-format message: ``pad:regel:kolom: veld 'x': ``."""
    where = f"{file}:{line}:{column}" if line else file
    return f"{where}: " + (f"veld '{field}': " if field else "")


def test_corpus_and_table_agree() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_case_reports_one_exact_error(case: str, kaart: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    file, line, column, field, fragment = CASES[case]
    overlay(kaart, case)

    code, meldingen = check_json(capsys)
    assert code == 1
    found = errors(meldingen)
    assert len(found) == 1, found
    (m,) = found
    assert (m["file"], m["line"], m["column"], m["field"]) == (file, line, column, field)
    assert fragment in m["message"]

    code, out, err = check(capsys, "kaart")
    assert code == 1
    assert any(row.startswith(text_line(file, line, column, field)) and fragment in row
               for row in out.splitlines()), out
    assert "De inhoud is niet in orde." in err


def test_clean_fixture_passes(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, "kaart")
    assert code == 0
    assert "0 fouten" in err and "De inhoud is in orde." in err


def test_file_over_size_limit(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    text = big.read_text()
    big.write_text(text + "# " + "x" * (MAX_FILE_BYTES - len(text)) + "\n")
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert (m["file"], m["line"], m["code"]) == (KOFFIE, 1, "te-groot")
    assert "bestand is te groot" in m["message"] and f"{MAX_FILE_BYTES // 1024} kB" in m["message"]


def test_symlinked_file_outside_content_is_refused(kaart: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "buiten.yaml"
    shutil.copy(FIXTURE / "activiteiten/vechtstad/koffie-inloop.yaml", secret)
    (kaart / "activiteiten/vechtstad/koppeling.yaml").symlink_to(secret)
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert m["file"] == "kaart/activiteiten/vechtstad/koppeling.yaml"
    assert "koppeling naar een plek buiten de content-map" in m["message"]


def test_symlinked_folder_outside_content_is_refused(kaart: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "elders"
    outside.mkdir()
    shutil.copy(FIXTURE / "activiteiten/vechtstad/koffie-inloop.yaml", outside / "x.yaml")
    (kaart / "activiteiten/elders").symlink_to(outside, target_is_directory=True)
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert m["file"] == "kaart/activiteiten/elders"
    assert "deze map is een koppeling naar een plek buiten de content-map" in m["message"]


def test_symlink_inside_content_is_allowed(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    (kaart / "activiteiten/vechtstad/koffie-kopie.yaml").symlink_to(target.resolve())
    code, meldingen = check_json(capsys)
    assert code == 0, errors(meldingen)


@pytest.mark.parametrize("name", ["x\\..\\..\\y.yaml", "Koffie.yaml", "koffie_inloop.yaml",
                                  "koffie--inloop.yaml", "-koffie.yaml"])
def test_file_names_that_are_not_slugs(name: str, kaart: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FIXTURE / "activiteiten/vechtstad/koffie-inloop.yaml",
                kaart / "activiteiten/vechtstad" / name)
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert m["file"] == f"kaart/activiteiten/vechtstad/{name}"
    assert m["code"] == "slug" and "geen geldige korte naam" in m["message"]


def test_gemeente_folder_name_that_is_not_a_slug(kaart: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (kaart / "activiteiten/vechtstad").rename(kaart / "activiteiten/Vecht Stad")
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert m["file"] == "kaart/activiteiten/Vecht Stad"
    assert "mapnaam 'Vecht Stad' is geen geldige korte naam" in m["message"]


def test_reference_to_invalid_entry_is_not_reported_twice(kaart: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A broken place has its own error; the activities that use it do not add more."""
    overlay(kaart, "postcode-vijf-cijfers")
    code, meldingen = check_json(capsys)
    assert code == 1
    assert [m["file"] for m in errors(meldingen)] == [BRUG]


def test_nested_reference_is_checked(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = kaart / "gemeenten/vechtstad.yaml"
    path.write_text(path.read_text().replace("  organisatie: welzijn-vechtstad",
                                             "  organisatie: welzijn-vechtsta", 1))
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert (m["file"], m["line"], m["column"], m["field"]) == (
        "kaart/gemeenten/vechtstad.yaml", 11, 16, "beheer.organisatie")
    assert "bedoelde u 'welzijn-vechtstad'?" in m["message"]


def test_loket_reference_is_checked(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = kaart / "gemeenten/vechtstad.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("loket:")] + text[text.index("loket:"):].replace(
        "organisatie: welzijn-vechtstad", "organisatie: welzijn-elders", 1))
    code, meldingen = check_json(capsys)
    assert code == 1
    (m,) = errors(meldingen)
    assert (m["file"], m["field"]) == ("kaart/gemeenten/vechtstad.yaml", "loket.organisatie")


def test_misspelled_required_field_gives_only_the_suggestion(
        kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    path.write_text(path.read_text().replace("kosten: {gratis: true}", "kosten: {gratiss: true}"))
    code, meldingen = check_json(capsys)
    (m,) = errors(meldingen)
    assert (m["line"], m["column"], m["field"]) == (19, 10, "kosten.gratiss")
    assert m["message"] == "onbekend veld 'gratiss'; bedoelde u 'gratis'?"


def test_all_problems_are_reported_at_once(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = ["postcode-sa", "cbs-code", "javascript-url", "negatieve-prijs", "tab-inspringen"]
    for case in cases:
        overlay(kaart, case)
    code, meldingen = check_json(capsys)
    assert code == 1
    got = {(m["file"], m["line"], m["column"], m["field"]) for m in errors(meldingen)}
    assert got == {CASES[c][:4] for c in cases}


def test_several_problems_in_one_file(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    text = path.read_text()
    for old, new in [('tot: "11:30"', 'tot: "24:30"'), ("doelgroepen:", "doelgroep:"),
                     ("laatst_gecontroleerd: 2026-10-01", "laatst_gecontroleerd: 2026-13-01"),
                     ("welzijn_op_recept: true", "welzijn_op_recept: misschien")]:
        text = text.replace(old, new)
    path.write_text(text)
    code, meldingen = check_json(capsys)
    assert code == 1
    assert [(m["line"], m["field"]) for m in errors(meldingen)] == [
        (11, "doelgroep"), (17, "wanneer[0].tot"), (23, "welzijn_op_recept"),
        (25, "laatst_gecontroleerd")]


def test_github_format(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay(kaart, "onbekend-veld")
    overlay(kaart, "bestandsnaam-met-spatie")
    code, out, _ = check(capsys, "kaart", "--format", "github")
    assert code == 1
    rows = out.splitlines()
    assert f"::error file={KOFFIE},line=11,col=1::veld 'doelgroepn': onbekend veld 'doelgroepn'; " \
           "bedoelde u 'doelgroepen'?" in rows
    assert any(r.startswith("::error file=kaart/activiteiten/vechtstad/Koffie Inloop.yaml::")
               for r in rows)
    assert any(r.startswith("::warning file=kaart/organisaties/vriendendienst.yaml,line=6,col=23::")
               for r in rows)
    annotation = re.compile(r"^::(error|warning) file=[^,:]+(,line=\d+,col=\d+)?::\S.*$")
    assert rows and all(annotation.match(r) for r in rows), rows


def _unescape(value: str) -> str:
    """GitHub's runner decodes workflow command values like this."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def test_github_annotations_escape_properties_and_data(
        kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ':' or ',' in a file name would end the property early (GitHub would annotate a file
    'kaart/.../koffie' at no line); %, CR and LF must be escaped everywhere."""
    source = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    odd = source.with_name("koffie,thee:x.yaml")
    odd.write_text(source.read_text())
    code, out, _ = check(capsys, "kaart", "--format", "github")
    assert code == 1
    command = re.compile(r"^::(error|warning) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::(.*)$")
    found = []
    for row in out.splitlines():
        m = command.match(row)
        assert m, row
        props = dict(part.split("=", 1) for part in m.group(2).split(","))
        if _unescape(props["file"]).endswith("koffie,thee:x.yaml"):
            found.append((props, _unescape(m.group(3))))
    assert found, out
    assert all(p["file"] == "kaart/activiteiten/vechtstad/koffie%2Cthee%3Ax.yaml" for p, _ in found)
    (_, message), = found
    assert "bestandsnaam 'koffie,thee:x.yaml'" in message


def test_github_escaping_of_control_characters() -> None:
    from sociale_kaart.diagnostics import Diagnostic

    d = Diagnostic("a%b\r\n.yaml", 3, 2, "titel", "50% af\r\n::warning::x")
    line = d.github()
    assert "\n" not in line and "\r" not in line
    assert line == ("::error file=a%25b%0D%0A.yaml,line=3,col=2::veld 'titel': 50%25 af%0D%0A::warning::x")


def test_json_format(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay(kaart, "verwijzing-plek")
    code, out, _ = check(capsys, "kaart", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["fouten"] == 1 and data["waarschuwingen"] == 2
    for m in data["meldingen"]:
        assert set(m) == {"file", "line", "column", "field", "message", "severity", "code"}
        assert m["severity"] in ("fout", "waarschuwing")
    (m,) = errors(data["meldingen"])
    assert m == {"file": KOFFIE, "line": 8, "column": 7, "field": "plek", "severity": "fout",
                 "code": "verwijzing",
                 "message": "ontmoetingsplek 'buurthuis-de-bruk' bestaat niet in gemeente "
                            "'vechtstad'; bedoelde u 'buurthuis-de-brug'?"}


def test_stale_entry_is_a_warning_unless_strict(kaart: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    path.write_text(path.read_text().replace("laatst_gecontroleerd: 2026-10-01",
                                             "laatst_gecontroleerd: 2024-03-01"))
    code, out, err = check(capsys, "kaart")
    assert code == 0
    assert (f"{KOFFIE}:25:23: waarschuwing: veld 'laatst_gecontroleerd': nagevraagd op "
            "1 maart 2024, langer dan 12 maanden geleden: vraag het opnieuw na bij de organisatie") in out
    assert "De inhoud is in orde." in err
    code, out, err = check(capsys, "kaart", "--strict")
    assert code == 1
    assert "De inhoud is niet in orde." in err


def _run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "sociale_kaart", "check", *args, "--vandaag", TODAY],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_subprocess_reports_broken_yaml_without_traceback(kaart: Path, tmp_path: Path) -> None:
    overlay(kaart, "aanhalingsteken-niet-gesloten")
    proc = _run_cli("kaart", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert any(row.startswith(f"{KOFFIE}:1:8: het dubbele aanhalingsteken hier wordt niet "
                              "gesloten op dezelfde regel") for row in proc.stdout.splitlines())
    assert "1 fout," in proc.stderr


def test_subprocess_clean_fixture_exits_0(tmp_path: Path) -> None:
    proc = _run_cli(str(FIXTURE), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "De inhoud is in orde." in proc.stderr


def test_subprocess_deep_nesting_does_not_crash(kaart: Path, tmp_path: Path) -> None:
    """PyYAML's C composer recursed on nesting and crashed the interpreter; the loader must not."""
    path = kaart / "activiteiten/vechtstad/koffie-inloop.yaml"
    path.write_text("themas: " + "[" * 200_000 + "]" * 200_000 + "\n")
    proc = _run_cli("kaart", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    (m,) = errors(json.loads(proc.stdout)["meldingen"])
    assert (m["file"], m["line"], m["field"], m["code"]) == (KOFFIE, 1, "themas", "te-diep")


@pytest.mark.parametrize(("text", "line", "field"), [
    # below LibYAML's own limit (1,000 levels): the converter sees the events
    ("themas: " + "[" * 40 + "]" * 40 + "\n", 1, "themas"),
    # above it: the parser stops while looking ahead, before any event of the deep part
    ("themas: " + "[" * 1_001 + "]" * 1_001 + "\n", 1, "themas"),
    ("doelgroepen:\n  - " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", 2, "doelgroepen"),
    # block nesting: compact sequences in sequences
    ("titel: x\nwanneer:\n  " + "- " * 1_500 + "x\n", 3, "wanneer"),
], ids=["flow-40", "flow-1001", "flow-mapping-5000", "block-1500"])
def test_deep_nesting_is_reported_whatever_the_parser_limit(
        kaart: Path, capsys: pytest.CaptureFixture[str], text: str, line: int,
        field: str) -> None:
    """The te-diep diagnostic does not depend on a parser stopping on deep nesting itself."""
    (kaart / "activiteiten/vechtstad/koffie-inloop.yaml").write_text(text)
    code, out, _ = check(capsys, "kaart", "--format", "json")
    assert code == 1
    (m,) = errors(json.loads(out)["meldingen"])
    assert (m["file"], m["line"], m["field"], m["code"]) == (KOFFIE, line, field, "te-diep")


@pytest.mark.parametrize(("text", "line", "column", "fragment"), [
    ("a: 1\nb:\n\t- x\n", 3, 1, "tab-teken gevonden"),
    ("a: [x, y\nb: 1\n", 1, 4, "de lijst die hier met '[' begint wordt niet goed afgesloten"),
    ("a: {x: 1\nb: 1\n", 1, 4, "de groep die hier met '{' begint wordt niet goed afgesloten"),
    ("a: @jansen\n", 1, 4, "een waarde mag niet met @ beginnen"),
    ("a: `x`\n", 1, 4, "een waarde mag niet met ` beginnen"),
    ('a: "C:\\qdir"\n', 1, 7, "onbekende code na een schuine streep"),
    ("a: 1\n---\nb: 2\n", 2, 1, "een bestand mag maar één document bevatten"),
    ("a: !!python/object:os.system x\n", 1, 4, "onbekend YAML-label"),
    ("a: |x\n  tekst\n", 1, 5, "na | of > mag op dezelfde regel niets anders staan"),
    ('a: "x" y\n', 1, 8, "onverwachte tekst na de waarde"),
    ("a: 1\n  b: 2\n", 2, 4, "onverwachte dubbele punt"),
    ("a:\n    b: 1\n  c: 2\n", 3, 3, "verkeerd ingesprongen"),
    ("a: *x\n", 1, 4, "ankers en aliassen"),
    ("? [a, b]\n: 1\n", 1, 3, "een veldnaam moet gewone tekst zijn"),
    ("a: 'open\n", 1, 4, "aanhalingsteken hier wordt nergens gesloten"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", 1, 33, "te diep genest (meer dan 30 niveaus)"),
])
def test_yaml_syntax_errors_are_explained_in_dutch(text: str, line: int, column: int,
                                                   fragment: str, tmp_path: Path) -> None:
    from sociale_kaart.pipeline.yaml_loader import load_file

    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    doc, diags = load_file(path, "x.yaml")
    assert doc is None
    (d,) = diags
    assert (d.line, d.column) == (line, column)
    assert fragment in d.message
    assert not re.search(r"\b(found|expected|while|scanning|parsing)\b", d.message), d.message


def test_today_is_the_dutch_date_not_the_machines() -> None:
    """``check``, ``rapport``, ``new`` and ``import`` judge the content on today's date in the
    Netherlands, as ``build`` and ``serve`` do: a server in UTC is a day behind after midnight."""
    import argparse
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from sociale_kaart.cli.common import today

    before = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    got = today(argparse.Namespace(vandaag=None))
    after = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    assert got in (before, after)
    # Between midnight in Amsterdam and midnight in UTC the two dates differ; then it must be
    # Amsterdam's (checked whenever the test runs in that hour).
    utc = datetime.now(UTC).date()
    if utc != before:
        assert got != utc
    assert today(argparse.Namespace(vandaag=date(2026, 1, 2))) == date(2026, 1, 2)
