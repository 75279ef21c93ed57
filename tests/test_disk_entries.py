"""Whatever is on disk in content/ or a theme: links in a circle or to nothing, links out of
their folder, FIFOs, sockets, folders that cannot be read or vanish. Each gets a Dutch
diagnostic with its path and exit code 1; nothing is opened that is not a regular file, and
nothing outside the content or theme folder is read or published.

The commands that could hang on a FIFO run in a subprocess with a (generous) timeout, so that a
regression fails instead of blocking the test run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sociale_kaart.cli import main
from sociale_kaart.pipeline.load import discover
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.theme import THEMES_DIR, make_environment, theme_dirs

from .conftest import NOW, TODAY

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "kaart"
REPO = TESTS.parent
HANG_GUARD = 120  # seconds; only reached when a command hangs (on a FIFO)
VECHTSTAD = "activiteiten/vechtstad"


@pytest.fixture
def kaart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the clean fixture as ./kaart, with the working directory next to it."""
    shutil.copytree(FIXTURE, tmp_path / "kaart")
    monkeypatch.chdir(tmp_path)
    return Path("kaart")


def check_json(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["check", "kaart", "--format", "json", "--vandaag", TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, [m for m in json.loads(out)["meldingen"] if m["severity"] == "fout"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "sociale_kaart", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=HANG_GUARD)


def make_socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.fspath(path))
    return sock


# --------------------------------------------------------------------------- content/


@pytest.mark.parametrize("where", [f"{VECHTSTAD}/lus.yaml", "activiteiten/lus", "taxonomie/lus.yaml",
                                   "lus", "praktijken/lus.md"])
def test_symlink_loop_is_a_dutch_error(where: str, kaart: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    first, second = kaart / where, (kaart / where).with_name("lus-b.yaml")
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    code, found = check_json(capsys)
    assert code == 1
    assert {m["file"] for m in found} == {f"kaart/{where}", f"kaart/{Path(where).parent / 'lus-b.yaml'}"}
    assert all("verwijst in een kring naar zichzelf" in m["message"] and m["code"] == "pad"
               for m in found)


def test_site_yaml_as_a_symlink_loop(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kaart / "site.yaml").unlink()
    (kaart / "site.yaml").symlink_to("site.yaml")
    code, found = check_json(capsys)
    assert code == 1
    (m,) = [m for m in found if m["file"] == "kaart/site.yaml"]
    assert "verwijst in een kring naar zichzelf" in m["message"]


def test_dangling_symlink_is_a_dutch_error(kaart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kaart / VECHTSTAD / "weg.yaml").symlink_to("bestaat-niet.yaml")
    code, found = check_json(capsys)
    assert code == 1
    (m,) = found
    assert m["file"] == f"kaart/{VECHTSTAD}/weg.yaml"
    assert "wijst naar iets dat niet bestaat" in m["message"]


@pytest.mark.parametrize("where", ["taxonomie/buiten.yaml", f"{VECHTSTAD}/buiten.yaml",
                                   "organisaties/buiten.yaml", "site.yaml"])
def test_links_out_of_content_stay_refused(where: str, kaart: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The new code paths (every entry is classified once) keep refusing links that leave the
    content folder, also for taxonomies and site.yaml, and also when the outside target is
    itself a link in a circle."""
    secret = tmp_path / "geheim.yaml"
    secret.write_text("naam: geheim\n", "utf-8")
    (kaart / where).unlink(missing_ok=True)
    (kaart / where).symlink_to(secret)
    loop = tmp_path / "lus"
    loop.symlink_to(loop)
    (kaart / "activiteiten" / "lus").symlink_to(loop)
    code, found = check_json(capsys)
    assert code == 1
    by_file = {m["file"]: m["message"] for m in found}
    assert "koppeling naar een plek buiten de content-map" in by_file[f"kaart/{where}"]
    assert "koppeling naar een plek buiten de content-map" in by_file["kaart/activiteiten/lus"]


def test_fifo_and_socket_in_content_are_reported_not_opened(kaart: Path, tmp_path: Path) -> None:
    """A named pipe would make ``check`` wait forever for a writer: it is reported instead. So
    are a socket and a FIFO as site.yaml or a taxonomy; ``build`` refuses them too."""
    os.mkfifo(kaart / VECHTSTAD / "pijp.yaml")
    os.mkfifo(kaart / "taxonomie" / "pijp.yaml")
    sock = make_socket(kaart / VECHTSTAD / "sok.yaml")
    try:
        result = run_cli("check", "kaart", "--format", "json", "--vandaag", TODAY.isoformat(),
                         cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        found = {m["file"]: m for m in json.loads(result.stdout)["meldingen"] if m["severity"] == "fout"}
        assert set(found) == {f"kaart/{VECHTSTAD}/pijp.yaml", "kaart/taxonomie/pijp.yaml",
                              f"kaart/{VECHTSTAD}/sok.yaml"}
        assert all("geen gewoon bestand" in m["message"] and "named pipe" in m["message"]
                   for m in found.values())
        # The same without the parse cache (another reading path), and in build.
        result = run_cli("check", "kaart", "--zonder-cache", "--vandaag", TODAY.isoformat(),
                         cwd=tmp_path)
        assert result.returncode == 1 and "pijp.yaml" in result.stdout
        result = run_cli("build", "--content", "kaart", "--out", "site", "--zonder-zoeken",
                         "--quiet", "--vandaag", TODAY.isoformat(), cwd=tmp_path)
        assert result.returncode == 1 and "pijp.yaml" in result.stderr
        assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()
    finally:
        sock.close()


def test_fifo_as_site_yaml(kaart: Path, tmp_path: Path) -> None:
    (kaart / "site.yaml").unlink()
    os.mkfifo(kaart / "site.yaml")
    result = run_cli("check", "kaart", "--vandaag", TODAY.isoformat(), cwd=tmp_path)
    assert result.returncode == 1
    assert "kaart/site.yaml: dit is geen gewoon bestand of map" in result.stdout


@pytest.mark.parametrize("error", [PermissionError, FileNotFoundError])
def test_folder_that_cannot_be_read_or_vanished(error: type[OSError], kaart: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder without read permission (the tests may run as root, who may read anything) or
    one that is deleted between being listed and being read."""
    real = os.scandir
    broken = os.path.join("kaart", VECHTSTAD)

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.fspath(path) == broken:
            raise error(13 if error is PermissionError else 2, "nope", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, diags = discover(kaart)
    (d,) = [d for d in diags if d.is_error]
    assert d.file == f"kaart/{VECHTSTAD}"
    assert "deze map kan niet gelezen worden" in d.message
    assert ("geen toegang" if error is PermissionError else "bestaat niet (meer)") in d.message
    assert files and not any(f.gemeente == "vechtstad" and f.kind == "activiteit" for f in files)


def test_file_that_vanishes_before_it_is_read(kaart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sociale_kaart.pipeline import load as content

    files, _ = discover(kaart)
    victim = next(f for f in files if f.kind == "activiteit")
    victim.path.unlink()
    doc, model, diags = content.load_one(victim)
    assert doc is None and model is None
    (d,) = diags
    assert d.file == victim.rel and d.code == "lezen"
    assert "bestand kan niet gelezen worden: het bestand bestaat niet (meer)" in d.message


def test_read_regular_file_refuses_a_fifo_without_waiting(tmp_path: Path) -> None:
    from sociale_kaart.pipeline.yaml_loader import NotRegularFile, read_regular_file

    os.mkfifo(tmp_path / "pijp")
    with pytest.raises(NotRegularFile):
        read_regular_file(tmp_path / "pijp")
    (tmp_path / "gewoon").write_bytes(b"abc")
    assert read_regular_file(tmp_path / "gewoon") == b"abc"


# --------------------------------------------------------------------------- themes/


def theme_site(kaart: Path, name: str = "lek") -> Path:
    """A project theme ``name`` next to the content, selected in site.yaml; its folder."""
    theme = kaart.parent / "themes" / name
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    site = kaart / "site.yaml"
    text = site.read_text("utf-8")
    site.write_text(text.replace("naam: Sociale Kaart Testprovincie",
                                 f"naam: Sociale Kaart Testprovincie\nthema: {name}", 1), "utf-8")
    return theme


def build_site(kaart: Path, out: Path):
    return build(BuildOptions(content=kaart, out=out, today=TODAY, now=NOW, search=False))


def published(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file()) if out.exists() else b""


def test_theme_static_links_to_host_files_are_refused(kaart: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SK_PROEF_GEHEIM", "geheim-uit-de-omgeving-4711")
    secret = tmp_path / "geheim.txt"
    secret.write_text("root:x:0:0:geheim-bestand-0815\n", "utf-8")
    theme = theme_site(kaart)
    (theme / "static" / "leak.css").symlink_to(secret)
    (theme / "static" / "env.js").symlink_to("/proc/self/environ")
    out = tmp_path / "site"
    result = build_site(kaart, out)
    assert not result.ok
    errors = {d.file: d.message for d in result.diagnostics if d.is_error}
    assert set(errors) == {"themes/lek/static/leak.css", "themes/lek/static/env.js"}
    assert all("koppeling naar een plek buiten de themamap lek/" in m for m in errors.values())
    data = published(out)
    assert b"geheim-bestand-0815" not in data and b"geheim-uit-de-omgeving-4711" not in data
    # check reports the same, so that a passing check never means a failing build
    code, found = check_json(capsys)
    assert code == 1 and {m["file"] for m in found} == set(errors)


def test_theme_template_link_to_a_host_file_is_refused(kaart: Path, tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim-sjabloon-0815\n", "utf-8")
    theme = theme_site(kaart)
    (theme / "templates" / "lijstje.html").symlink_to(secret)
    out = tmp_path / "site"
    result = build_site(kaart, out)
    assert not result.ok
    (d,) = [d for d in result.diagnostics if d.is_error]
    assert d.file == "themes/lek/templates/lijstje.html"
    assert "koppeling naar een plek buiten de themamap" in d.message
    assert b"geheim-sjabloon-0815" not in published(out)


def test_theme_include_through_a_linked_folder_is_refused(kaart: Path, tmp_path: Path) -> None:
    elders = tmp_path / "elders"
    elders.mkdir()
    (elders / "passwd").write_text("geheim-include-0815\n", "utf-8")
    theme = theme_site(kaart)
    templates = theme / "templates"
    (templates / "x").symlink_to(elders, target_is_directory=True)
    base = (THEMES_DIR / "default" / "templates" / "lijstje.html").read_text("utf-8")
    (templates / "lijstje.html").write_text(
        base.replace("{% block content %}", '{% block content %}{% include "x/passwd" %}', 1), "utf-8")
    out = tmp_path / "site"
    result = build_site(kaart, out)
    assert not result.ok
    (d,) = [d for d in result.diagnostics if d.is_error]
    assert d.file == "themes/lek/templates/x" and "buiten de themamap" in d.message
    assert b"geheim-include-0815" not in published(out)

    # The Jinja loader refuses it on its own too (templates rendered without the scan first),
    # and Jinja keeps refusing names with '..'.
    from sociale_kaart.site.theme import UnsafeTemplate

    env = make_environment(theme_dirs("lek", kaart))
    with pytest.raises(UnsafeTemplate) as refused:
        env.get_template("x/passwd")
    assert refused.value.diagnostic.file == "themes/lek/templates/x/passwd"
    with pytest.raises(Exception, match="passwd") as missing:
        env.get_template("../../etc/passwd")
    assert not isinstance(missing.value, UnsafeTemplate)


def test_theme_folder_that_is_a_link_out_of_the_project(kaart: Path, tmp_path: Path) -> None:
    elders = tmp_path / "elders" / "lek"
    (elders / "static").mkdir(parents=True)
    (elders / "templates").mkdir()
    (elders / "static" / "geheim.css").write_text("geheim-thema-0815", "utf-8")
    project = tmp_path / "project"
    shutil.move(kaart, project / "kaart")
    theme_site(project / "kaart")
    shutil.rmtree(project / "themes" / "lek")
    (project / "themes" / "lek").symlink_to(elders, target_is_directory=True)
    out = tmp_path / "site"
    result = build_site(project / "kaart", out)
    assert not result.ok
    (d,) = [d for d in result.diagnostics if d.is_error]
    assert d.file.endswith("themes/lek") and "buiten het project" in d.message
    assert b"geheim-thema-0815" not in published(out)


def test_fifo_in_a_theme_is_reported(kaart: Path, tmp_path: Path) -> None:
    theme = theme_site(kaart)
    os.mkfifo(theme / "static" / "pijp.css")
    result = build_site(kaart, tmp_path / "site")
    assert not result.ok
    (d,) = [d for d in result.diagnostics if d.is_error]
    assert d.file == "themes/lek/static/pijp.css" and "geen gewoon bestand" in d.message


def test_links_inside_a_theme_and_editor_leftovers_are_fine(kaart: Path, tmp_path: Path) -> None:
    theme = theme_site(kaart)
    (theme / "static" / "eigen.css").write_text("body{color:#123456}", "utf-8")
    (theme / "static" / "alias.css").symlink_to("eigen.css")
    (theme / "templates" / ".#lijstje.html").symlink_to("gebruiker@machine.1234:1700000000")
    (theme / "static" / "~oud.css").write_text("x", "utf-8")
    out = tmp_path / "site"
    result = build_site(kaart, out)
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    assets = {p.name.split(".")[0] for p in (out / "vechtstad" / "assets").iterdir()}
    assert {"eigen", "alias", "style"} <= assets and "~oud" not in assets
