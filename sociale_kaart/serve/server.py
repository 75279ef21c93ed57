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

import errno
import html
import mimetypes
import os
import posixpath
import queue
import shutil
import socket
import stat
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
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from sociale_kaart.diagnostics import Diagnostic, format_diagnostics, sort_key, summary
from sociale_kaart.pipeline.cache import ParseCache
from sociale_kaart.pipeline.yaml_loader import read_regular_file
from sociale_kaart.serve.incremental import IncrementalBuilder, RebuildReport

LIVERELOAD_PATH = "/__livereload"
WRITE_EVENTS = {"created", "deleted", "modified", "moved", "closed"}
HEARTBEAT_SECONDS = 15.0
# How often the debounce thread looks whether the file watcher still runs (and restarts it).
WATCH_CHECK_SECONDS = 1.0
# A native watcher (inotify, FSEvents, ...) that failed this often is replaced by polling.
WATCH_FAILURES_BEFORE_POLLING = 3
# Requests: longer targets get 414; a connection that sends nothing for this long is closed.
MAX_TARGET_BYTES = 4096
REQUEST_TIMEOUT_SECONDS = 60.0

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
        self._observer: BaseObserver | None = None
        self._watch_lock = threading.Lock()  # starting, restarting and stopping the watcher
        self._watch_failures = 0  # times the native watcher failed; then it polls
        self._watch_problem: str | None = None  # why the watcher stopped (reported once)
        self._watch_down_reported = False
        self._watched: list[Path] = []  # the folders the running watcher follows
        self.polling = False  # watching by polling instead of the system's notifications

    # -- lifecycle

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> RebuildReport:
        report = self.rebuild_now()
        handler = _make_handler(self)
        self._httpd = _HTTPServer((self.host, self.port), handler, self.log)
        self.port = self._httpd.server_address[1]
        self._spawn(self._httpd.serve_forever, "sk-http")
        if self.watch:
            with self._watch_lock:
                try:
                    self._start_watching()
                except OSError as exc:  # _check_watcher tries again every second
                    self._watch_problem = _one_line(f"{type(exc).__name__}: {exc}")
                    self._watched = []
            self._spawn(self._debounce_loop, "sk-debounce")
        return report

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._events.set()
        with self._watch_lock:
            observer, self._observer = self._observer, None
        if observer is not None:
            _stop_observer(observer)
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
            if not self._events.wait(WATCH_CHECK_SECONDS):
                if self._stopping:
                    return
                self._check_watcher()
                continue
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

    # -- watching

    def _watched_roots(self) -> list[Path]:
        return [root for root in [self.content, *self.builder.theme_roots()] if root.is_dir()]

    def _start_watching(self) -> None:
        """Start an observer for the content and theme folders (``_watch_lock`` held).

        Nothing on disk may stop it: the event handler never raises, an exception inside the
        observer's threads is reported as one Dutch line and ends only that thread, and
        ``_check_watcher`` then starts a new observer. When the system's notifications fail
        (or run out: the inotify watch limit), the folders are polled instead.
        """
        if self._stopping:
            return
        roots = self._watched = self._watched_roots()
        if not roots:
            return
        # Polling looks at links themselves (lstat), as inotify does: a linked folder is not
        # walked into, so a link to its own parent cannot send the poll round in circles.
        observer: BaseObserver = PollingObserverVFS(os.lstat, os.scandir, polling_interval=1.0) \
            if self.polling else Observer()
        handler = _Watcher(self)
        try:
            for root in roots:
                observer.schedule(handler, str(root), recursive=True)
            for emitter in list(observer.emitters):
                _guard(emitter, "queue_events", self._watcher_failed, stop=emitter)
            _guard(observer, "dispatch_events", self._dispatch_failed)
            observer.start()
        except OSError as exc:
            _stop_observer(observer)
            if self.polling or exc.errno not in (errno.ENOSPC, errno.EMFILE, errno.ENOMEM):
                raise
            self.log("Het systeem kan geen mappen meer volgen (limiet bereikt); ik kijk nu zelf "
                     "elke seconde of er iets veranderd is.")
            self.polling = True
            self._start_watching()
            return
        self._observer = observer

    def _watcher_failed(self, exc: BaseException) -> None:
        """An exception inside a watcher thread, which then ends: remembered for the one line
        that ``_check_watcher`` prints when it starts the watcher again."""
        self._watch_problem = _one_line(f"{type(exc).__name__}: {exc}")

    def _dispatch_failed(self, exc: BaseException) -> None:
        """An exception while an event was handed out (the thread goes on): one line, and a
        rebuild, as the event may have been a change."""
        self.log(_one_line(f"Een wijziging kon niet verwerkt worden ({type(exc).__name__}: {exc}); "
                           "ik bouw de site opnieuw."))
        self.notify_change()

    def watching(self) -> bool:
        """Whether the file watcher runs (all its threads)."""
        observer = self._observer
        return observer is not None and observer.is_alive() and \
            all(e.is_alive() for e in list(observer.emitters))

    def _check_watcher(self) -> None:
        """Start the watcher again when it stopped (a failure, or a watched folder that was
        deleted) or when a folder to watch appeared, and rebuild: edits may have been missed."""
        if not self.watch or self._stopping or \
                (self.watching() and self._watched_roots() == self._watched):
            return
        with self._watch_lock:
            if self._stopping or (self.watching() and self._watched_roots() == self._watched):
                return
            old, self._observer = self._observer, None
            if old is not None:
                _stop_observer(old)
            problem, self._watch_problem = self._watch_problem, None
            if problem is not None:
                self._watch_failures += 1
                if not self.polling and self._watch_failures >= WATCH_FAILURES_BEFORE_POLLING:
                    self.polling = True
                if not self._watch_down_reported:
                    self.log(f"Het volgen van wijzigingen is gestopt ({problem}); ik start het "
                             "opnieuw.")
                    self._watch_down_reported = True
            try:
                self._start_watching()
            except OSError as exc:  # e.g. the content folder is gone for a moment: try again
                if not self._watch_down_reported:
                    self.log(_one_line(f"Ik kan de wijzigingen nu niet volgen ({exc}); ik probeer "
                                       "het elke seconde opnieuw."))
                    self._watch_down_reported = True
                return
            if self._watch_down_reported and self._observer is not None:
                how = " (door zelf te kijken, elke seconde)" if self.polling else ""
                self.log(f"Ik volg de wijzigingen weer{how}; de site wordt opnieuw gebouwd.")
                self._watch_down_reported = False
        self.notify_change()

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
        self.out = os.path.realpath(server.out)

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Ask for a rebuild, unless the event is our own output. Never raises: whatever is on
        disk (links in a circle, folders that cannot be read, files that vanish) is reported
        by the rebuild that follows, with its file."""
        try:
            if event.event_type not in WRITE_EVENTS:
                return  # opened / closed without writing: our own reads
            paths = [event.src_path, getattr(event, "dest_path", "") or ""]
            # os.path.realpath, unlike Path.resolve, does not raise on a link loop.
            if all(not p or _inside(os.path.realpath(os.fsdecode(p)), self.out) for p in paths):
                return
        except Exception as exc:  # noqa: BLE001 - the watcher must survive anything on disk
            self.server.log(_one_line(f"Een wijziging ({event.src_path!r}) kon niet bekeken worden "
                                      f"({type(exc).__name__}: {exc}); ik bouw de site opnieuw."))
        self.server.notify_change()


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _one_line(text: str, limit: int = 300) -> str:
    """``text`` for the terminal: control characters escaped, at most ``limit`` characters."""
    clean = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return clean if len(clean) <= limit else clean[:limit - 3] + "..."


def _guard(thread: object, method: str, failed: Callable[[BaseException], None],
           stop: object | None = None) -> None:
    """Wrap ``thread.<method>`` (the step its run loop repeats) so that an exception is handed
    to ``failed`` (and ``stop.stop()`` ends the thread cleanly) instead of printing a
    traceback and killing the thread unnoticed."""
    original = getattr(thread, method)

    def guarded(*args: object, **kwargs: object) -> object:
        try:
            return original(*args, **kwargs)
        except queue.Empty:
            raise  # the dispatcher's normal "nothing to do"
        except Exception as exc:  # noqa: BLE001 - reported; the server restarts the watcher
            failed(exc)
            if stop is not None:
                stop.stop()  # type: ignore[attr-defined]
            return None

    setattr(thread, method, guarded)


def _stop_observer(observer: BaseObserver) -> None:
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=5)
    except Exception:  # noqa: BLE001, S110 - a broken observer is being thrown away anyway
        pass


# --------------------------------------------------------------------------- HTTP


ERROR_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Fout %(code)d</title></head>
<body><main><h1>Fout %(code)d</h1><p>De voorbeeldserver kon dit verzoek niet afhandelen.</p></main>
</body></html>
"""


# Dutch reasons for the requests that ``http.server`` itself refuses (its texts are English).
REFUSALS = {
    400: "ongeldig verzoek", 404: "niet gevonden", 408: "te lang gewacht op het verzoek",
    414: "adres te lang", 431: "kopregels te groot of te veel", 501: "methode niet ondersteund",
    505: "HTTP-versie niet ondersteund",
}


class _HTTPServer(ThreadingHTTPServer):
    """The dev server's HTTP server: one thread per connection; a failing request is one line
    in the terminal, a browser that goes away is not worth a line at all."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[SimpleHTTPRequestHandler],
                 log: Callable[[str], None]) -> None:
        self.log = log
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return  # the browser closed the connection (or went quiet): nothing to report
        self.log(_one_line(f"Een verzoek aan de voorbeeldserver mislukte ({type(exc).__name__}: "
                           f"{exc})."))


def _make_handler(server: DevServer) -> type[SimpleHTTPRequestHandler]:
    root = os.path.realpath(server.out)

    class Handler(SimpleHTTPRequestHandler):
        timeout = REQUEST_TIMEOUT_SECONDS
        error_message_format = ERROR_PAGE
        error_content_type = "text/html; charset=utf-8"

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(server.out), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            return  # keep the terminal for rebuild lines and errors

        def log_error(self, format: str, *args: object) -> None:
            """Requests the standard library refuses (bad syntax, huge headers): one line. A
            connection that stays silent until the timeout is closed without a word."""
            if format.startswith("code %d") and args and isinstance(args[0], int):
                code = args[0]
                self._refused(f"{code} {REFUSALS.get(code, 'ongeldig verzoek')}")

        def _refused(self, why: str) -> None:
            target = getattr(self, "path", "") or getattr(self, "requestline", "")
            server.log(_one_line(f"Verzoek geweigerd: {why} ({target[:120]!r})."))

        def do_GET(self) -> None:
            self._respond(head=False)

        def do_HEAD(self) -> None:
            self._respond(head=True)

        def _respond(self, head: bool) -> None:
            if len(self.path.encode("utf-8", "surrogateescape")) > MAX_TARGET_BYTES:
                return self._error(HTTPStatus.REQUEST_URI_TOO_LONG, "adres te lang", head)
            if not _local_host(self.headers.get("Host", ""), server.port):
                # A web page elsewhere could point its own name at 127.0.0.1 (DNS rebinding)
                # and read the preview; only requests for this machine's own names are served.
                return self._error(HTTPStatus.FORBIDDEN, "onbekende naam in Host", head)
            path = urlsplit(self.path).path
            if path == LIVERELOAD_PATH:
                return self._events(head)
            decoded = unquote(path, errors="surrogateescape")
            if any(not c.isprintable() for c in decoded):
                return self._error(HTTPStatus.BAD_REQUEST, "ongeldig teken in het adres", head)
            version, errors, has_site = server.current()
            extra = livereload_snippet(version) + (overlay_html(errors) if errors else "")
            if not has_site:
                return self._send(HTTPStatus.SERVICE_UNAVAILABLE, NO_SITE_PAGE.encode(),
                                  "text/html; charset=utf-8", extra, head)
            fs_path = self._file(path)
            if fs_path is not None and stat.S_ISDIR(_mode(fs_path)):
                if not path.endswith("/"):
                    self._redirect(HTTPStatus.MOVED_PERMANENTLY, path + "/")
                    return
                index = os.path.join(fs_path, "index.html")
                if _mode(index) == 0 and path == "/" and server.gemeenten:
                    self._redirect(HTTPStatus.FOUND, f"/{server.gemeenten[0]}/")
                    return
                fs_path = self._file(path + "index.html")
            data = _read(fs_path)
            if data is None:
                return self._not_found(path, extra, head)
            self._send(HTTPStatus.OK, data, self.guess_type(fs_path or ""), extra, head)

        def _file(self, path: str) -> str | None:
            """The file or folder for the URL path ``path``: inside the output folder, also
            after following links, or None."""
            try:
                real = os.path.realpath(self.translate_path(path))
            except (OSError, ValueError):
                return None
            return real if _inside(real, root) else None

        def _redirect(self, status: HTTPStatus, location: str) -> None:
            self.send_response(status)
            # One leading slash: "//host/" would send the browser to another site.
            self.send_header("Location", "/" + location.lstrip("/\\"))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _error(self, status: HTTPStatus, why: str, head: bool) -> None:
            self._refused(f"{status.value} {why}")
            body = (ERROR_PAGE % {"code": status.value}).encode("utf-8")
            self.close_connection = True
            self._write_response(status, body, "text/html; charset=utf-8", head)

        def _not_found(self, path: str, extra: str, head: bool) -> None:
            parts = [p for p in unquote(path).split("/") if p and p not in (".", "..")]
            candidates = ([f"/{parts[0]}/404.html"] if parts else []) + ["/404.html"]
            for candidate in candidates:
                data = _read(self._file(candidate))
                if data is not None:
                    return self._send(HTTPStatus.NOT_FOUND, data, "text/html; charset=utf-8",
                                      extra, head)
            body = (b"<!doctype html><html lang=\"nl\"><title>Niet gevonden</title><body>"
                    b"<h1>Deze pagina bestaat niet</h1></body></html>")
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", extra, head)

        def _send(self, status: HTTPStatus, data: bytes, ctype: str, extra: str, head: bool) -> None:
            if ctype.startswith("text/html"):
                data = inject(data, extra)
                ctype = "text/html; charset=utf-8"
            self._write_response(status, data, ctype, head)

        def _write_response(self, status: HTTPStatus, data: bytes, ctype: str, head: bool) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if not head:
                    self.wfile.write(data)
            except (ConnectionError, TimeoutError):
                self.close_connection = True  # the browser went away: nothing to report

        def _events(self, head: bool) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if head:
                return
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
            except (ConnectionError, TimeoutError):
                return

    return Handler


_LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _local_host(host: str, port: int) -> bool:
    """Whether a Host header names this machine (with the server's port, or none). Browsers
    always send one; a request without it (HTTP/1.0 tools) cannot come from a web page."""
    host = host.strip().lower()
    if not host:
        return True
    if host.startswith("["):  # "[::1]" or "[::1]:8000"
        inside, _, rest = host.partition("]")
        name, given = inside + "]", rest[1:] if rest.startswith(":") else rest
    else:
        name, _, given = host.partition(":")
    return name in _LOCAL_NAMES and given in ("", str(port))


def _mode(path: str | None) -> int:
    """The file type bits of ``path`` (links followed); 0 when it does not exist or is unusable."""
    if path is None:
        return 0
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return 0


def _read(path: str | None) -> bytes | None:
    """The bytes of the regular file ``path``; None for anything else (never opens a FIFO)."""
    if path is None:
        return None
    try:
        return read_regular_file(path)
    except (OSError, ValueError):
        return None


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
