"""The output folder: ``build`` and ``serve`` replace only a folder that is empty or their own
output, never the content, a project, the home folder or ``/``; what a killed build leaves is
tidied or put back; a full disk is a Dutch message with exit code 1."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sociale_kaart.cli import main
from sociale_kaart.serve.incremental import IncrementalBuilder
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.write import (
    MARKER,
    MARKER_TEXT,
    OutputRefused,
    Staging,
    check_output,
    claim_output,
)

from .conftest import FIXTURE, NOW, TODAY

ROOT = Path(__file__).resolve().parents[1]
DAY = ["--vandaag", TODAY.isoformat()]


def _snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file (bytes) and symbolic link (target) below ``root``, ``.git`` included."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = os.readlink(path)
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A sociale-kaart project as a maintainer has it: a git repository with content/."""
    root = tmp_path / "project"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".git" / "onmisbaar").write_text("de geschiedenis van het project\n", "utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'kaart'\n", "utf-8")
    shutil.copytree(FIXTURE, root / "content")
    return root


def _build(*args: str) -> int:
    return main(["build", "--zonder-zoeken", "--quiet", *DAY, *args])


def _refused(capsys: pytest.CaptureFixture[str], code: int, folder: Path) -> str:
    """The CLI refused in one Dutch message that names the folder."""
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Klaar" not in err and "generator zelf" not in err
    assert "kan geen uitvoermap zijn" in err and "Er is niets geschreven." in err
    assert str(folder.resolve()) in err, err
    return err


# --------------------------------------------------------------------------- refused folders


def test_build_refuses_the_project_folder(project: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    before = _snapshot(project)
    err = _refused(capsys, _build("--out", "."), project)
    assert "content-map" in err
    assert _snapshot(project) == before
    assert (project / ".git" / "onmisbaar").is_file()


def test_build_refuses_the_content_folder_and_what_holds_it(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(project.parent)
    monkeypatch.chdir(project)
    _refused(capsys, _build("--out", "content"), project / "content")
    monkeypatch.chdir(project / "content")
    _refused(capsys, _build("--content", ".", "--out", ".."), project)
    # `..` is resolved before judging, also in the middle of a path
    _refused(capsys, _build("--content", ".", "--out", "../content/../../project"), project)
    assert _snapshot(project.parent) == before


def test_build_refuses_a_folder_inside_the_content(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    before = _snapshot(project)
    err = _refused(capsys, _build("--out", "content/site"), project / "content" / "site")
    assert "ligt in de content-map" in err
    assert _snapshot(project) == before
    assert not (project / "content" / "site").exists()


def test_build_refuses_a_project_even_with_a_marker(project: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A project folder elsewhere (the content is not in it) is refused, also when a pull
    request planted the marker in it."""
    other = tmp_path / "ander-project"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    (other / MARKER).write_text(MARKER_TEXT, "utf-8")
    before = _snapshot(other)
    err = _refused(capsys, _build("--content", str(project / "content"), "--out", str(other)),
                   other)
    assert "projectmap" in err and ".git" in err
    assert _snapshot(other) == before


def test_a_gemeente_called_content_is_not_a_project(project: Path, tmp_path: Path) -> None:
    """Our own output with a gemeente folder content/ stays replaceable; a project's content/
    (with its site.yaml) does not, marker or not."""
    out = tmp_path / "uitvoer"
    (out / "content").mkdir(parents=True)
    (out / "content" / "index.html").write_text("<h1>Gemeente Content</h1>", "utf-8")
    (out / MARKER).write_text(MARKER_TEXT, "utf-8")
    assert check_output(out, project / "content") == out.resolve()
    (out / "content" / "site.yaml").write_text("naam: Kaart\n", "utf-8")
    with pytest.raises(OutputRefused, match="projectmap"):
        check_output(out, project / "content")


def test_build_refuses_a_symlink_to_the_project(project: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A `public` link (git stores symbolic links; public/ in .gitignore does not hide a link)
    to the project itself or to a folder elsewhere: the link's target is judged."""
    monkeypatch.chdir(project)
    (project / "public").symlink_to(".")
    before = _snapshot(project)
    _refused(capsys, _build(), project)
    assert _snapshot(project) == before
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "belangrijk.txt").write_text("blijft", "utf-8")
    (project / "public").unlink()
    (project / "public").symlink_to(elsewhere)
    _refused(capsys, _build(), elsewhere)
    assert [p.name for p in elsewhere.iterdir()] == ["belangrijk.txt"]


def test_build_refuses_the_home_folder_and_root(project: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "thuis" / "maintainer"
    home.mkdir(parents=True)  # empty: only the home rule refuses it
    monkeypatch.setenv("HOME", str(home))
    content = str(project / "content")
    err = _refused(capsys, _build("--content", content, "--out", str(home)), home)
    assert "thuismap" in err
    _refused(capsys, _build("--content", content, "--out", str(home.parent)), home.parent)
    assert list(home.iterdir()) == []
    with pytest.raises(OutputRefused, match="hoofdmap"):  # checked, never built
        check_output(Path("/"), project / "content")


def test_build_refuses_a_folder_it_did_not_make(project: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "foto's"
    foreign.mkdir()
    (foreign / "vakantie.jpg").write_bytes(b"\xff\xd8 niet weggooien")
    (foreign / ".verborgen").write_text("ook niet", "utf-8")
    err = _refused(capsys, _build("--content", str(project / "content"), "--out", str(foreign)),
                   foreign)
    assert MARKER in err
    assert sorted(p.name for p in foreign.iterdir()) == [".verborgen", "vakantie.jpg"]
    a_file = tmp_path / "bestand.txt"
    a_file.write_text("tekst", "utf-8")
    _refused(capsys, _build("--content", str(project / "content"), "--out", str(a_file)), a_file)
    assert a_file.read_text("utf-8") == "tekst"
    assert not [p for p in tmp_path.iterdir() if ".bouw-" in p.name]


def test_serve_refuses_the_content_folder(project: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import sociale_kaart.serve.server

    def start(self: sociale_kaart.serve.server.DevServer) -> None:
        raise AssertionError("serve did not refuse: it would build and serve now")

    monkeypatch.setattr(sociale_kaart.serve.server.DevServer, "start", start)  # never serve forever here
    monkeypatch.chdir(project)
    before = _snapshot(project)
    code = main(["serve", "--out", "content", "--port", "0", "--zonder-zoeken", *DAY])
    err = _refused(capsys, code, project / "content")
    assert "Niet gestart" in err
    code = main(["serve", "--out", ".", "--port", "0", "--zonder-zoeken", *DAY])
    _refused(capsys, code, project)
    assert _snapshot(project) == before
    with pytest.raises(OutputRefused):
        IncrementalBuilder(project / "content", project / "content" / "voorbeeld")
    assert not (project / "content" / "voorbeeld").exists()


# --------------------------------------------------------------------------- accepted folders


def test_default_public_twice_and_partial_builds(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert _build("--gemeente", "vechtstad") == 0  # a partial build into a new folder
    assert (project / "public" / MARKER).read_text("utf-8") == MARKER_TEXT
    assert _build() == 0
    assert _build() == 0
    assert _build("--gemeente", "heuveldorp") == 0
    assert (project / "public" / "index.html").is_file()
    assert (project / "public" / "vechtstad" / "index.html").is_file()
    assert (project / "public" / MARKER).is_file()
    assert (project / ".git" / "onmisbaar").is_file()


def test_an_empty_folder_is_accepted(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert _build("--content", str(project / "content"), "--out", str(empty)) == 0
    assert (empty / "index.html").is_file()
    # what is deployed with the site says nothing about the machine that built it
    text = (empty / MARKER).read_text("utf-8")
    assert text == MARKER_TEXT and text.count("\n") == 1
    assert "/" not in text and str(tmp_path) not in text


def test_serve_out_is_updated_again_by_a_new_serve(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "voorbeeld"
    first = IncrementalBuilder(project / "content", out, now=NOW, today=TODAY, search=False)
    assert first.rebuild().ok
    assert (out / MARKER).is_file()
    again = IncrementalBuilder(project / "content", out, now=NOW, today=TODAY, search=False)
    assert again.rebuild().ok
    assert (out / "vechtstad" / "index.html").is_file()


# --------------------------------------------------------------------------- killed builds


def _run(code: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=600)


def _wait_until_gone(folder: Path, part: str, limit: float = 60.0) -> None:
    """The background clean-up (write.remove_later) deletes renamed folders."""
    deadline = time.monotonic() + limit
    while [p for p in folder.iterdir() if part in p.name]:
        assert time.monotonic() < deadline, f"still there: {list(folder.iterdir())}"
        time.sleep(0.05)


KILLED_BUILD = """
import os, signal, sys, time
from pathlib import Path
from sociale_kaart.site.write import Staging

staging = Staging(Path("public"))
staging.write("vechtstad/index.html", b"half")
child = os.fork()  # a render worker that outlives its killed parent
if child == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # let the test read the parent's output to its end
    os.dup2(null, 2)
    time.sleep(600)
    os._exit(0)
print(child, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_staging_folder_of_a_killed_build_is_removed(project: Path) -> None:
    result = _run(KILLED_BUILD, project)
    worker = int(result.stdout.split()[0])
    try:
        left = [p.name for p in project.iterdir() if p.name.startswith(".public.bouw-")]
        assert len(left) == 1
        not_ours = [project / ".public.bouw-eigen-map", project / ".anders.bouw-12345678"]
        for folder in not_ours:
            folder.mkdir()
        assert _build("--content", str(project / "content"), "--out",
                      str(project / "public")) == 0
        assert not [p for p in project.iterdir() if p.name.startswith(".public.bouw-")
                    and p not in not_ours]
        assert all(folder.is_dir() for folder in not_ours)
        _wait_until_gone(project, ".public.weg-")
    finally:
        os.kill(worker, 9)


def test_stale_folders_stay_while_another_build_runs(tmp_path: Path) -> None:
    """Two builds at once: a build's staging folder is never taken for a killed one's."""
    content = tmp_path / "content"
    out = tmp_path / "public"
    stale = tmp_path / ".public.bouw-0123abcd"
    stale.mkdir()
    running = Staging(out)  # another build, busy
    running.write("index.html", b"bezig")
    claim_output(out, content)
    assert running.root.is_dir() and (running.root / "index.html").is_file()
    assert stale.is_dir()  # cannot tell yet whether it is stale: left for later
    running.commit()
    claim_output(out, content)  # nobody builds now
    assert not stale.exists()
    assert (out / "index.html").read_bytes() == b"bezig"
    _wait_until_gone(tmp_path, ".public.weg-")


CRASH_BETWEEN_RENAMES = """
import os, sys
import sociale_kaart.site.write as write
from sociale_kaart.cli import main


def swap(new, target, old):
    if target.exists():
        os.replace(target, old)
    os._exit(9)  # the old output is renamed away, the new one not yet in its place


write._swap = swap
main(["build", "--zonder-zoeken", "--quiet", "--vandaag", "2026-11-22", *sys.argv[1:]])
"""


@pytest.mark.parametrize("partial", [[], ["--gemeente", "vechtstad"]], ids=["alles", "gemeente"])
def test_crash_between_the_renames_is_recovered(project: Path, partial: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "public"
    assert _build("--content", str(project / "content"), "--out", str(out)) == 0
    before = _snapshot(out)
    changed = project / "content/activiteiten/vechtstad/taalcafe.yaml"  # the crashed build's change
    changed.write_text(changed.read_text("utf-8").replace("titel: Taalcafé", "titel: Anders"),
                       "utf-8")
    crashed = _run(CRASH_BETWEEN_RENAMES, project, *partial)
    assert crashed.returncode == 9, crashed.stderr
    missing = out / "vechtstad" if partial else out
    assert not missing.exists()
    capsys.readouterr()
    # the next build fails on the content: it says, truthfully, that the old version is there
    (project / "content/activiteiten/vechtstad/koffie-inloop.yaml").write_text(
        "titel: [kapot\n", "utf-8")
    assert _build("--content", str(project / "content"), "--out", str(out), *partial) == 1
    err = capsys.readouterr().err
    assert f"De vorige versie in {out}/ is niet veranderd." in err
    assert _snapshot(out) == before
    assert not [p for p in project.iterdir() if p.name.startswith((".public.bouw-",
                                                                   ".public.oud-"))]


def test_a_failed_first_build_says_there_was_no_previous_version(
        content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "activiteiten/vechtstad/koffie-inloop.yaml").write_text(
        "titel: [kapot\n", "utf-8")
    out = tmp_path / "public"
    assert _build("--content", str(content_copy), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "De vorige versie in" not in err
    assert f"Er is geen vorige versie in {out}/" in err
    assert not out.exists()


# --------------------------------------------------------------------------- a full disk


@pytest.mark.parametrize(("code", "said"), [
    (errno.ENOSPC, "De schijf is vol"),
    (errno.EACCES, "Geen toestemming om te schrijven"),
    (errno.EROFS, "alleen-lezen"),
    (errno.EIO, "De site kon niet geschreven worden"),
])
def test_a_write_error_is_a_dutch_message(content_copy: Path, tmp_path: Path, code: int,
                                          said: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW,
                              search=False)).ok
    before = _snapshot(out)
    capsys.readouterr()

    def fail(self: Staging, rel: str, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(self.path(rel)))

    monkeypatch.setattr(Staging, "write", fail)  # forked render workers inherit it
    assert _build("--content", str(content_copy), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert said in err and f"{out}/" in err, err
    assert "generator zelf" not in err and "Traceback" not in err
    assert f"De vorige versie in {out}/ is niet veranderd." in err
    assert _snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public.bouw-")]


def test_a_file_that_cannot_be_read_is_not_called_a_write_error(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "themes" / "eigen" / "pagina.html"

    def fail(self: Staging, rel: str, data: bytes) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(template))

    monkeypatch.setattr(Staging, "write", fail)
    assert _build("--content", str(content_copy), "--out", str(tmp_path / "public")) == 1
    err = capsys.readouterr().err
    assert f"Geen toestemming om {template} te lezen" in err and "te schrijven" not in err
    assert "Er is geen vorige versie" in err


def test_a_write_error_in_the_swap_keeps_the_previous_output(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import sociale_kaart.site.write as write

    out = tmp_path / "public"
    assert _build("--content", str(content_copy), "--out", str(out)) == 0
    before = _snapshot(out)
    capsys.readouterr()
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if ".public.bouw-" in str(src):  # the new output cannot be put in place
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    assert _build("--content", str(content_copy), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "De schijf is vol" in err and "generator zelf" not in err
    assert _snapshot(out) == before


def test_a_full_disk_in_serve_is_a_dutch_message(content_copy: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Staging, rel: str, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path(rel)))

    monkeypatch.setattr(Staging, "write", fail)
    builder = IncrementalBuilder(content_copy, tmp_path / "voorbeeld", now=NOW, today=TODAY,
                                 search=False)
    report = builder.rebuild()
    assert not report.ok
    assert report.errors[0].message.startswith("De schijf is vol")
