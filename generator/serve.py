"""``sociale-kaart serve``: a live preview for maintainers.

The site is built into a private folder (never ``public/``) and served on 127.0.0.1. A watchdog
observer follows ``content/`` and the theme folders; bursts of file events are debounced and
trigger one incremental rebuild (``incremental.IncrementalBuilder``). Only the responses of this
dev server get two extras injected, never the files on disk:

- a live-reload script that listens to the Server-Sent Events endpoint ``/__livereload`` and
  reloads the page when the site (or its error state) changed;
- while the content or a template has errors: an overlay listing them (file:line:column, field,
  Dutch message). The last good site stays online underneath.

``DevServer`` is usable from Python (tests): ``start()``, ``stop()``, ``url``, ``rebuild_now()``
and ``wait_for_rebuild()``.
"""

from __future__ import annotations

import html
import mimetypes
import os
import posixpath
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self, TextIO
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .cache import ParseCache
from .diagnostics import Diagnostic, format_diagnostics, sort_key, summary
from .incremental import IncrementalBuilder, RebuildReport

LIVERELOAD_PATH = "/__livereload"
WRITE_EVENTS = {"created", "deleted", "modified", "moved", "closed"}
HEARTBEAT_SECONDS = 15.0

mimetypes.add_type("text/calendar", ".ics")
mimetypes.add_type("application/geo+json", ".geojson")


def seconds_text(seconds: float) -> str:
    """'0,23 s' (Dutch decimal comma)."""
    return f"{seconds:.2f} s".replace(".", ",")


def rebuild_line(report: RebuildReport) -> str:
    """The one Dutch terminal line printed after a successful rebuild."""
    took = seconds_text(report.seconds)
    cause = ""
    if report.changed_files:
        shown = ", ".join(report.changed_files[:3])
        more = len(report.changed_files) - 3
        cause = f" (gewijzigd: {shown}{f' en nog {more}' if more > 0 else ''})"
    if report.full:
        return f"Alles opnieuw gebouwd in {took}: {report.pages} bestanden{cause}."
    parts = [f"{report.written} {'bestand' if report.written == 1 else 'bestanden'} vernieuwd"]
    if report.deleted:
        parts.append(f"{report.deleted} verwijderd")
    if report.indexed:
        parts.append(f"zoekindex {', '.join(report.indexed)} opnieuw gemaakt")
    return f"Bijgewerkt in {took}: {', '.join(parts)}{cause}."


# --------------------------------------------------------------------------- injected HTML


def livereload_snippet(version: str) -> str:
    """Reloads the page when the server's version differs from the one the page was served with."""
    return (
        "<script data-sociale-kaart-serve>(function(){"
        "if(!window.EventSource)return;"
        f"var mine={_js_string(version)};"
        f"var es=new EventSource('{LIVERELOAD_PATH}');"
        "es.addEventListener('versie',function(e){if(e.data!==mine){es.close();location.reload();}});"
        "})();</script>"
    )


def _js_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c") + '"'


def overlay_html(errors: list[Diagnostic]) -> str:
    """An accessible overlay with the Dutch error messages (role="alert", focusable close button)."""
    items = []
    for d in sorted(errors, key=sort_key):
        where = html.escape(d.location()) if d.file else "algemeen"
        fld = f" <span class=\"sk-veld\">veld '{html.escape(d.field)}'</span>:" if d.field else ""
        items.append(f"<li><code>{where}</code>:{fld} {html.escape(d.message)}</li>")
    count = len(errors)
    title = f"De site is niet bijgewerkt: {count} {'fout' if count == 1 else 'fouten'}"
    return f"""<div id="sk-serve-fouten" role="alert" aria-labelledby="sk-serve-fouten-kop" data-sociale-kaart-serve>
<style>
#sk-serve-fouten{{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;
background:#fff;color:#1a1a1a;border-top:6px solid #b00020;box-shadow:0 -4px 16px rgba(0,0,0,.3);
padding:1rem 1.25rem;font:16px/1.5 system-ui,sans-serif}}
#sk-serve-fouten h2{{margin:0 0 .5rem;font-size:1.25rem;color:#b00020}}
#sk-serve-fouten ul{{margin:.5rem 0;padding-left:1.25rem}}
#sk-serve-fouten code{{font-family:ui-monospace,monospace;background:#f3f3f3;padding:0 .2em}}
#sk-serve-fouten button{{font:inherit;padding:.4rem .9rem;border:2px solid #1a1a1a;background:#fff;
color:#1a1a1a;cursor:pointer}}
#sk-serve-fouten button:focus-visible{{outline:3px solid #005fcc;outline-offset:2px}}
</style>
<h2 id="sk-serve-fouten-kop">{html.escape(title)}</h2>
<p>U ziet nog de laatste goede versie. Los de fouten hieronder op en bewaar het bestand;
deze melding verdwijnt dan vanzelf.</p>
<ul>{''.join(items)}</ul>
<button type="button" id="sk-serve-sluiten">Melding sluiten</button>
<script>document.getElementById('sk-serve-sluiten').addEventListener('click',function(){{document.getElementById('sk-serve-fouten').hidden=true;}});</script>
</div>"""


def inject(page: bytes, extra: str) -> bytes:
    """Insert ``extra`` before the last ``</body>`` (or at the end)."""
    data = extra.encode("utf-8")
    pos = page.lower().rfind(b"</body>")
    if pos < 0:
        return page + data
    return page[:pos] + data + page[pos:]


NO_SITE_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Nog geen voorbeeld</title></head>
<body><main><h1>Er is nog geen voorbeeld van de site</h1>
<p>De site kon niet gebouwd worden. Los de fouten op; deze pagina ververst dan vanzelf.</p></main>
</body></html>"""


# --------------------------------------------------------------------------- the server


class DevServer:
    """Build, serve and watch. Thread-safe; ``start()`` returns after the first build."""

    def __init__(self, content: Path, out: Path | None = None, port: int = 8000,
                 host: str = "127.0.0.1", gemeenten: list[str] | None = None,
                 now: datetime | None = None, today: date | None = None, search: bool = True,
                 watch: bool = True, debounce: float = 0.15,
                 log: Callable[[str], None] | None = None, stream: TextIO | None = None,
                 parse_cache: ParseCache | None = None) -> None:
        self.content = Path(content)
        self._own_out = out is None
        self.out = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="sociale-kaart-serve-")) / "site"
        self.host = host
        self.port = port
        self.gemeenten = list(gemeenten) if gemeenten else None
        self.watch = watch
        self.debounce = debounce
        self.stream = stream or sys.stderr
        self.log = log or self._print
        self.builder = IncrementalBuilder(self.content, self.out, gemeenten=self.gemeenten,
                                          now=now, today=today, search=search,
                                          on_written=self._pages_written, parse_cache=parse_cache)
        self.session = uuid.uuid4().hex[:8]
        self.generation = 0  # number of rebuilds done
        self.version = 0  # bumped when what a browser shows changes (reload)
        self.errors: list[Diagnostic] = []
        self.has_site = False
        self.last_report: RebuildReport | None = None
        self._cond = threading.Condition()
        self._build_lock = threading.Lock()
        self._stopping = False
        self._reloaded = False  # browsers were told to reload during the running rebuild
        self._events = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._observer: Observer | None = None

    # -- lifecycle

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> RebuildReport:
        report = self.rebuild_now()
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._spawn(self._httpd.serve_forever, "sk-http")
        if self.watch:
            self._observer = Observer()
            watcher = _Watcher(self)
            for root in [self.content, *self.builder.theme_roots()]:
                if root.is_dir():
                    self._observer.schedule(watcher, str(root), recursive=True)
            self._observer.start()
            self._spawn(self._debounce_loop, "sk-debounce")
        return report

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._events.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for t in self._threads:
            t.join(timeout=5)
        if self._own_out:
            shutil.rmtree(self.out.parent, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    # -- rebuilding

    def notify_change(self) -> None:
        """A file changed: rebuild after ``debounce`` seconds without further changes."""
        self._events.set()

    def _debounce_loop(self) -> None:
        while True:
            self._events.wait()
            if self._stopping:
                return
            # Wait until the burst is over: no new event for ``debounce`` seconds.
            while True:
                self._events.clear()
                if not self._events.wait(self.debounce) or self._stopping:
                    break
            if self._stopping:
                return
            self.rebuild_now()

    def _pages_written(self, report: RebuildReport) -> None:
        """Pages are on disk (the search index follows): let browsers reload already.

        They were written because everything rendered: the errors are gone, also for requests
        that arrive before the rebuild (search index) is complete.
        """
        with self._cond:
            self.errors = []
            self.has_site = True
            self.version += 1
            self._reloaded = True
            self._cond.notify_all()

    def rebuild_now(self) -> RebuildReport:
        """Rebuild synchronously, update the error state and wake waiting browsers and tests."""
        with self._build_lock:
            self._reloaded = False
            with self._cond:
                had_errors = bool(self.errors)
            try:
                report = self.builder.rebuild()
            except Exception as exc:  # noqa: BLE001 - the server must survive generator bugs
                report = RebuildReport(False, errors=[Diagnostic(
                    "", 0, 0, "", f"er ging iets mis in de generator zelf ({type(exc).__name__}: "
                    f"{exc}); de laatste goede versie blijft staan", "fout", "intern")])
            first = self.generation == 0
            with self._cond:
                before = (list(self.errors), self.has_site)
                if report.ok:
                    self.errors = []
                    self.has_site = True
                else:
                    self.errors = report.errors
                if (list(self.errors), self.has_site) != before or \
                        (report.ok and report.changed_output and not self._reloaded):
                    self.version += 1
                self.generation += 1
                self.last_report = report
                self._cond.notify_all()
            self._report(report, first, cleared=had_errors and report.ok)
            return report

    def wait_for_rebuild(self, after: int, timeout: float = 30.0) -> RebuildReport | None:
        """Wait until a rebuild numbered higher than ``after`` (a past ``generation``) finished."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.generation <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self.last_report

    def current(self) -> tuple[str, list[Diagnostic], bool]:
        with self._cond:
            return f"{self.session}-{self.version}", list(self.errors), self.has_site

    def wait_version(self, seen: str, timeout: float) -> str | None:
        """For the SSE endpoint: the new version once it differs from ``seen`` (None: stopping)."""
        with self._cond:
            self._cond.wait_for(lambda: self._stopping or f"{self.session}-{self.version}" != seen,
                                timeout)
            if self._stopping:
                return None
            return f"{self.session}-{self.version}"

    # -- terminal

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def _report(self, report: RebuildReport, first: bool, cleared: bool = False) -> None:
        if report.ok:
            if cleared:
                self.log("De fouten zijn opgelost.")
            if first:
                self.log(f"Site gebouwd in {seconds_text(report.seconds)}: {report.pages} bestanden "
                         f"({summary(report.diagnostics)}).")
            elif report.changed_files or report.changed_output:
                self.log(rebuild_line(report))
            return
        self.log(format_diagnostics(report.errors))
        where = "De browser toont de laatste goede versie met deze meldingen." if self.has_site \
            else "Er is nog geen goede versie om te tonen."
        self.log(f"Niet bijgewerkt ({summary(report.errors)}, na {seconds_text(report.seconds)}). "
                 f"{where}")


class _Watcher(FileSystemEventHandler):
    def __init__(self, server: DevServer) -> None:
        self.server = server
        self.out = server.out.resolve()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WRITE_EVENTS:
            return  # opened / closed without writing: our own reads
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if all(not p or Path(os.fsdecode(p)).resolve().is_relative_to(self.out) for p in paths):
            return
        self.server.notify_change()


def _make_handler(server: DevServer) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(server.out), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            return  # keep the terminal for rebuild lines and errors

        def do_GET(self) -> None:
            self._respond(head=False)

        def do_HEAD(self) -> None:
            self._respond(head=True)

        def _respond(self, head: bool) -> None:
            path = urlsplit(self.path).path
            if path == LIVERELOAD_PATH:
                return self._events()
            version, errors, has_site = server.current()
            extra = livereload_snippet(version) + (overlay_html(errors) if errors else "")
            if not has_site:
                return self._send(HTTPStatus.SERVICE_UNAVAILABLE, NO_SITE_PAGE.encode(),
                                  "text/html; charset=utf-8", extra, head)
            fs_path = Path(self.translate_path(path))
            if fs_path.is_dir():
                if not path.endswith("/"):
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", path + "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                index = fs_path / "index.html"
                if not index.is_file() and path == "/" and server.gemeenten:
                    self.send_response(HTTPStatus.FOUND)
                    self.send_header("Location", f"/{server.gemeenten[0]}/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                fs_path = index
            try:
                data = fs_path.read_bytes()
            except OSError:
                return self._not_found(path, extra, head)
            self._send(HTTPStatus.OK, data, self.guess_type(str(fs_path)), extra, head)

        def _not_found(self, path: str, extra: str, head: bool) -> None:
            parts = [p for p in unquote(path).split("/") if p and p not in (".", "..")]
            candidates = ([server.out / parts[0] / "404.html"] if parts else []) + [server.out / "404.html"]
            for candidate in candidates:
                if candidate.is_file():
                    return self._send(HTTPStatus.NOT_FOUND, candidate.read_bytes(),
                                      "text/html; charset=utf-8", extra, head)
            body = (b"<!doctype html><html lang=\"nl\"><title>Niet gevonden</title><body>"
                    b"<h1>Deze pagina bestaat niet</h1></body></html>")
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", extra, head)

        def _send(self, status: HTTPStatus, data: bytes, ctype: str, extra: str, head: bool) -> None:
            if ctype.startswith("text/html"):
                data = inject(data, extra)
                ctype = "text/html; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = server.current()[0]
            try:
                self.wfile.write(f"event: versie\ndata: {seen}\n\n".encode())
                self.wfile.flush()
                while True:
                    new = server.wait_version(seen, HEARTBEAT_SECONDS)
                    if new is None:
                        return
                    if new == seen:
                        self.wfile.write(b": nog hier\n\n")
                    else:
                        seen = new
                        self.wfile.write(f"event: versie\ndata: {seen}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                return

    return Handler


def run(content: Path, port: int, gemeenten: list[str] | None, out: Path | None,
        today: date | None = None, search: bool = True, stream: TextIO | None = None,
        parse_cache: ParseCache | None = None) -> int:
    """The ``serve`` command: runs until Ctrl+C."""
    server = DevServer(content, out=out, port=port, gemeenten=gemeenten, today=today,
                       search=search, stream=stream, parse_cache=parse_cache)
    stream = server.stream
    try:
        server.start()
    except OSError as exc:
        server.stop()
        print(f"De server kon niet starten op poort {port} ({exc.strerror or exc}). Kies een "
              "andere poort met --port.", file=stream)
        return 2
    print(f"Voorbeeld op {server.url} (stoppen: Ctrl+C). Ik let op wijzigingen in "
          f"{posixpath.normpath(str(content))}/ en de thema's.", file=stream, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Gestopt.", file=stream)
    finally:
        server.stop()
    return 0
