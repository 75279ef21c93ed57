"""``serve`` against whatever is on disk and whatever arrives over HTTP: a real dev server on a
free port, real files in a copy of the fixture content, raw sockets and http.client.

The watcher must keep running (links in a circle, FIFOs, an exception inside watchdog) and the
HTTP server must answer every request without a traceback and never serve a file from outside
its output folder. Waiting is done by polling with a timeout, never by fixed sleeps.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from generator.serve import DevServer

from .conftest import NOW, TODAY
from .test_serve import ACT, PAGE, TIMEOUT, edit, poll

VECHTSTAD = "activiteiten/vechtstad"


class Log(list):
    """The server's terminal lines (thread-safe enough for appends and reads)."""

    def wait_for(self, fragment: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            for line in list(self):
                if fragment in line:
                    return line
            if time.monotonic() > deadline:
                raise AssertionError(f"no terminal line with {fragment!r}: {list(self)}")
            time.sleep(0.05)


@pytest.fixture()
def log() -> Log:
    return Log()


@pytest.fixture()
def server(content_copy: Path, tmp_path: Path, log: Log):
    srv = DevServer(content_copy, out=tmp_path / "voorbeeld", port=0, now=NOW, today=TODAY,
                    search=False, log=log.append)
    report = srv.start()
    assert report.ok, report.errors
    try:
        yield srv
    finally:
        srv.stop()


def overlay(body: str) -> str:
    return body[body.index('id="sk-serve-fouten"'):] if 'id="sk-serve-fouten"' in body else ""


# --------------------------------------------------------------------------- the watcher


def test_symlink_loop_does_not_stop_the_watcher(server: DevServer, content_copy: Path,
                                                log: Log, capfd: pytest.CaptureFixture[str]) -> None:
    url = server.url + PAGE
    folder = content_copy / VECHTSTAD
    # A loop under a name the generator ignores: only the watcher sees it.
    (folder / ".lus-a").symlink_to(".lus-b")
    (folder / ".lus-b").symlink_to(".lus-a")
    # A loop of content files: reported in the overlay and the terminal, with both files.
    (folder / "lus-a.yaml").symlink_to("lus-b.yaml")
    (folder / "lus-b.yaml").symlink_to("lus-a.yaml")
    status, body = poll(url, lambda s, b: "lus-b.yaml" in overlay(b))
    assert status == 200 and "Koffie-inloop in De Brug" in body  # the last good version
    shown = overlay(body)
    assert f"content/{VECHTSTAD}/lus-a.yaml" in shown and "verwijst in een kring" in shown
    log.wait_for(f"content/{VECHTSTAD}/lus-a.yaml: deze koppeling (symlink) verwijst in een kring")

    # Edits are still seen: fixing the loop and editing an activity rebuilds the site.
    (folder / "lus-a.yaml").unlink()
    (folder / "lus-b.yaml").unlink()
    edit(content_copy / ACT, "titel: Koffie-inloop in De Brug", "titel: Koffie na de lus")
    poll(url, lambda s, b: "Koffie na de lus" in b and not overlay(b))
    assert server.watching()
    assert "Traceback" not in capfd.readouterr().err


def test_fifo_and_socket_appearing_while_serving(server: DevServer, content_copy: Path) -> None:
    url = server.url + PAGE
    folder = content_copy / VECHTSTAD
    os.mkfifo(folder / "pijp.yaml")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.fspath(folder / "sok.yaml"))
    try:
        status, body = poll(url, lambda s, b: "sok.yaml" in overlay(b) and "pijp.yaml" in overlay(b))
        assert "geen gewoon bestand" in overlay(body)
        (folder / "pijp.yaml").unlink()
        (folder / "sok.yaml").unlink()
        edit(content_copy / ACT, "titel: Koffie-inloop in De Brug", "titel: Koffie na de pijp")
        poll(url, lambda s, b: "Koffie na de pijp" in b and not overlay(b))
        assert server.watching()
    finally:
        sock.close()


def test_content_folder_deleted_and_made_again(server: DevServer, content_copy: Path,
                                               tmp_path: Path) -> None:
    """As a branch switch or a restore can do: the watched folder itself goes away and comes
    back. The watcher follows the new folder (watchdog stops watching a deleted folder)."""
    url = server.url + PAGE
    saved = tmp_path / "bewaard"
    shutil.copytree(content_copy, saved)
    shutil.rmtree(content_copy)
    status, body = poll(url, lambda s, b: "de content-map bestaat niet" in overlay(b))
    assert "Koffie-inloop in De Brug" in body  # the last good version stays online
    shutil.copytree(saved, content_copy)
    poll(url, lambda s, b: not overlay(b))
    edit(content_copy / ACT, "titel: Koffie-inloop in De Brug", "titel: Koffie in de nieuwe map")
    poll(url, lambda s, b: "Koffie in de nieuwe map" in b)
    assert server.watching()


def test_theme_link_out_appearing_while_serving(content_copy: Path, tmp_path: Path) -> None:
    """serve's theme watcher: a static file that becomes a link to a host file is refused with
    its path in the overlay, and the file is never served."""
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim-van-de-host-0815", "utf-8")
    theme = tmp_path / "themes" / "proef"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    edit(content_copy / "site.yaml", "naam: Sociale Kaart Testprovincie",
         "naam: Sociale Kaart Testprovincie\nthema: proef")
    with DevServer(content_copy, out=tmp_path / "voorbeeld", port=0, now=NOW, today=TODAY,
                   search=False, log=lambda line: None) as srv:
        url = srv.url + PAGE
        (theme / "static" / "leak.css").symlink_to(secret)
        status, body = poll(url, lambda s, b: "leak.css" in overlay(b))
        assert "themes/proef/static/leak.css" in overlay(body)
        assert "buiten de themamap" in overlay(body)
        assert not list(srv.out.rglob("leak.*.css"))
        (theme / "static" / "leak.css").unlink()
        poll(url, lambda s, b: s == 200 and not overlay(b))
        served = b"".join(p.read_bytes() for p in srv.out.rglob("*") if p.is_file())
        assert b"geheim-van-de-host-0815" not in served


def test_themes_folder_out_of_the_project_is_not_watched(content_copy: Path, tmp_path: Path) -> None:
    from generator.incremental import IncrementalBuilder

    elders = tmp_path.parent / f"{tmp_path.name}-elders"
    elders.mkdir()
    (tmp_path / "themes").symlink_to(elders, target_is_directory=True)
    roots = IncrementalBuilder(content_copy, tmp_path / "voorbeeld").theme_roots()
    assert all(not Path(os.path.realpath(r)).is_relative_to(elders) for r in roots), roots
    shutil.rmtree(elders)


@pytest.mark.parametrize("failures", [1, 100])
def test_watcher_survives_an_exception_inside_watchdog(content_copy: Path, tmp_path: Path, log: Log,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capfd: pytest.CaptureFixture[str],
                                                       failures: int) -> None:
    """An exception inside the observer's own thread (not our handler): reported as one line,
    the watcher is started again (after repeated failures: by polling) and edits are rebuilt."""
    from watchdog.observers import Observer

    probe = Observer()
    probe.schedule(object(), str(tmp_path), recursive=False)  # type: ignore[arg-type]
    emitter_class = type(next(iter(probe.emitters)))
    original = emitter_class.queue_events
    left = [failures]

    def queue_events(self, *args, **kwargs):  # noqa: ANN001, ANN202 - mirrors watchdog's own
        if left[0] > 0:
            left[0] -= 1
            raise RuntimeError("proef-storing")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(emitter_class, "queue_events", queue_events)
    with DevServer(content_copy, out=tmp_path / "voorbeeld", port=0, now=NOW, today=TODAY,
                   search=False, log=log.append) as srv:
        line = log.wait_for("Het volgen van wijzigingen is gestopt")
        assert "RuntimeError: proef-storing" in line and "\n" not in line
        log.wait_for("Ik volg de wijzigingen weer" + (" (door zelf te kijken" if failures > 1 else ""))
        assert srv.polling == (failures > 1)
        # The first edit may be picked up by the rebuild that follows the restart; the second
        # can only be seen by the watcher.
        edit(content_copy / ACT, "titel: Koffie-inloop in De Brug", "titel: Koffie na de storing")
        poll(srv.url + PAGE, lambda s, b: "Koffie na de storing" in b)
        # A folder link to its own parent (ignored by the generator) must not confuse the watcher
        # either, also when it polls.
        (content_copy / VECHTSTAD / ".lus").symlink_to("..", target_is_directory=True)
        edit(content_copy / ACT, "titel: Koffie na de storing", "titel: Koffie bij de watcher")
        poll(srv.url + PAGE, lambda s, b: "Koffie bij de watcher" in b)
        assert srv.watching()
    assert "Traceback" not in capfd.readouterr().err
