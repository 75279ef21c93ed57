"""``serve`` against whatever is on disk and whatever arrives over HTTP: a real dev server on a
free port, real files in a copy of the fixture content, raw sockets and http.client.

The watcher must keep running (links in a circle, FIFOs, an exception inside watchdog) and the
HTTP server must answer every request without a traceback and never serve a file from outside
its output folder. Waiting is done by polling with a timeout, never by fixed sleeps.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import struct
import time
from pathlib import Path

import pytest

from sociale_kaart.serve.server import DevServer

from .conftest import NOW, TODAY
from .test_serve import ACT, PAGE, TIMEOUT, edit, get, poll

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
    from sociale_kaart.serve.incremental import IncrementalBuilder

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


# --------------------------------------------------------------------------- HTTP


def raw(server: DevServer, request: bytes) -> bytes:
    """Send ``request`` as is and return the whole answer (b"" when the server sent none)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1."), answer[:200]
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize(("target", "status", "why"), [
    (b"/%00", 400, "ongeldig teken"),
    (b"/vechtstad/%00/index.html", 400, "ongeldig teken"),
    (b"/%0d%0aSet-Cookie:%20x=1", 400, "ongeldig teken"),
    (b"/" + b"a" * 8200, 414, "adres te lang"),
    (b"/vechtstad/" + b"b" * 5000, 414, "adres te lang"),
])
def test_bad_targets_get_an_answer_and_one_line(server: DevServer, log: Log, target: bytes,
                                                status: int, why: str,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    before = len(log)
    answer = raw(server, b"GET " + target + b" HTTP/1.0\r\n\r\n")
    assert status_of(answer) == status
    assert b'lang="nl"' in answer
    new = log[before:]
    assert len(new) == 1 and why in new[0] and new[0].startswith("Verzoek geweigerd:"), new
    assert len(new[0]) < 400 and "\r" not in new[0] and "\n" not in new[0]
    assert "Traceback" not in capfd.readouterr().err


def test_long_names_that_fit_are_plain_not_found(server: DevServer, log: Log,
                                                 capfd: pytest.CaptureFixture[str]) -> None:
    """Names longer than the file system allows (but a target under the limit): 404."""
    before = len(log)
    for target in (b"/" + b"a" * 3000, b"/vechtstad/" + b"a" * 300 + b"/x", b"/" + b"a/" * 1500):
        assert status_of(raw(server, b"GET " + target + b" HTTP/1.0\r\n\r\n")) == 404
    assert log[before:] == []
    assert "Traceback" not in capfd.readouterr().err


def test_nothing_outside_the_output_folder_is_served(server: DevServer, tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim-buiten-de-uitvoer-0815", "utf-8")
    (server.out / "koppeling.txt").symlink_to(secret)
    (server.out / "vechtstad" / "elders").symlink_to(tmp_path, target_is_directory=True)
    relative = os.path.relpath(secret, server.out).encode()
    targets = [
        b"/koppeling.txt", b"/vechtstad/elders/geheim.txt",
        b"/../" + relative, b"/" + relative, b"/%2e%2e/" + relative.replace(b"../", b"%2e%2e/"),
        b"/..%2f" + relative.replace(b"/", b"%2f"), b"/..\\" + relative.replace(b"/", b"\\"),
        b"/vechtstad/..%5c..%5c" + relative, b"//" + relative, b"/./../" + relative,
        b"/../../../../../../etc/passwd", b"/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        b"http://127.0.0.1/../" + relative,
    ]
    for target in targets:
        answer = raw(server, b"GET " + target + b" HTTP/1.0\r\n\r\n")
        assert status_of(answer) in (400, 404), (target, answer[:100])
        assert b"geheim-buiten-de-uitvoer-0815" not in answer, target
        assert b"root:x:0:0" not in answer, target
    # A link inside the output folder to a file inside it is fine.
    (server.out / "vechtstad" / "alias.html").symlink_to(server.out / "vechtstad" / "index.html")
    assert status_of(raw(server, b"GET /vechtstad/alias.html HTTP/1.0\r\n\r\n")) == 200


def test_head_query_and_headers(server: DevServer, log: Log,
                                capfd: pytest.CaptureFixture[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    conn.request("HEAD", "/" + PAGE)
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.headers["Content-Length"]) > 0
    assert resp.read() == b""
    conn.close()
    status, body = get(server.url + PAGE + "?q=koffie&x=%00#anker")
    assert status == 200 and "Koffie-inloop in De Brug" in body
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    conn.request("HEAD", "/__livereload")
    assert conn.getresponse().status == 200  # headers only, no event stream that never ends
    conn.close()

    before = len(log)
    big = raw(server, b"GET /vechtstad/ HTTP/1.0\r\nX-Groot: " + b"a" * 60000 + b"\r\n\r\n")
    assert status_of(big) == 200
    huge = raw(server, b"GET /vechtstad/ HTTP/1.0\r\nX-Groot: " + b"a" * 70000 + b"\r\n\r\n")
    assert status_of(huge) == 431
    many = raw(server, b"GET /vechtstad/ HTTP/1.0\r\n" + b"X-Veel: a\r\n" * 200 + b"\r\n")
    assert status_of(many) == 431
    junk = raw(server, b"\x16\x03\x01 geen http\r\n\r\n")
    assert b"Fout 400" in junk and b'lang="nl"' in junk
    new = log[before:]
    assert len(new) == 3 and all(line.startswith("Verzoek geweigerd:") for line in new), new
    assert "Traceback" not in capfd.readouterr().err


def test_clients_that_disconnect_early_are_silent(server: DevServer, log: Log,
                                                  capfd: pytest.CaptureFixture[str]) -> None:
    """A browser that goes away (reset before the answer) is not an error worth a line."""
    before = len(log)
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(f"GET /{PAGE} HTTP/1.0\r\n\r\n".encode())
        sock.close()  # SO_LINGER 0: a reset instead of a clean close
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
        sock.close()  # connected, sent nothing
    # The server answers others meanwhile (and has handled the connections above by then).
    for _ in range(5):
        assert get(server.url + PAGE)[0] == 200
    assert log[before:] == []
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err


@pytest.mark.parametrize(("host", "status"), [
    ("evil.example", 403), ("127.0.0.1.evil.example", 403), ("localhost:1", 403),
    ("127.0.0.1:{port}", 200), ("localhost:{port}", 200), ("LOCALHOST", 200), ("[::1]:{port}", 200),
])
def test_only_requests_for_this_machine_are_served(server: DevServer, host: str, status: int) -> None:
    """DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 must not be able
    to read the preview."""
    import http.client

    port = server.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", "/vechtstad/", skip_host=True)
        conn.putheader("Host", host.format(port=port))
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        assert response.status == status
    finally:
        conn.close()
