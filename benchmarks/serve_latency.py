"""Measure ``serve``: time from saving one activity file to the updated page over HTTP.

    python benchmarks/serve_latency.py --activiteiten 500 [--herhalingen 10] [--alle]

Generates one gemeente with N activities (benchmarks/generate.py) in a temporary folder, starts
the dev server (watcher, debounce, incremental rebuild, search index), then repeatedly edits the
title of one activity and polls its page until the new title is served. Reported per run: the
time from the write to the first response with the new title, and the rebuild's own numbers.
``--alle`` serves the whole site (with the province pages and the province-wide search index)
instead of only the gemeente (``--gemeente``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sociale_kaart.serve.server import DevServer  # noqa: E402 - after the sys.path line


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activiteiten", type=int, default=500)
    parser.add_argument("--herhalingen", type=int, default=10)
    parser.add_argument("--alle", action="store_true", help="hele site in plaats van één gemeente")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="serve-meting-") as tmp:
        content = Path(tmp) / "content"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--gemeenten", "1",
                        "--activiteiten", str(args.activiteiten), "--out", str(content)], check=True)
        folder = next((content / "activiteiten").iterdir())
        g = folder.name
        # An active activity (shown in listings, the agenda, the booklet and the search index).
        files = [f for f in sorted(folder.glob("*.y*ml")) if "\nstatus:" not in f.read_text("utf-8")]
        target = files[len(files) // 2]
        lines: list[str] = []
        server = DevServer(content, out=Path(tmp) / "site", port=0,
                           gemeenten=None if args.alle else [g], log=lines.append)
        t = time.perf_counter()
        server.start()
        print(f"eerste build: {time.perf_counter() - t:.2f} s, {server.last_report.pages} bestanden")
        url = f"{server.url}{g}/activiteiten/{target.stem}/"
        original = target.read_text("utf-8")
        title_line = next(line for line in original.splitlines() if line.startswith("titel:"))
        latencies: list[float] = []
        rebuilds: list[float] = []
        try:
            for i in range(args.herhalingen):
                marker = f"Meting{i}x{int(time.time() * 1000) % 100000}"
                generation = server.generation
                t0 = time.perf_counter()
                target.write_text(original.replace(title_line, f"titel: {marker}", 1), "utf-8")
                while marker not in fetch(url):
                    if time.perf_counter() - t0 > 30:
                        raise SystemExit("de pagina werd niet bijgewerkt binnen 30 s")
                    time.sleep(0.005)
                latency = time.perf_counter() - t0
                report = server.wait_for_rebuild(generation, 30)
                latencies.append(latency)
                assert report is not None
                stages = ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items())
                print(f"{i + 1:2d}: {latency:.3f} s tot bijgewerkte pagina; rebuild met zoekindex "
                      f"{report.seconds:.3f} s ({stages}); {report.rendered} pagina's gemaakt, "
                      f"{report.written} geschreven, zoekindex {report.indexed}")
                rebuilds.append(report.seconds)
                time.sleep(0.3)  # let the editor "save" settle before the next run
        finally:
            server.stop()
        print(f"pagina bijgewerkt: mediaan {statistics.median(latencies):.3f} s, max {max(latencies):.3f} s "
              f"(inclusief {server.debounce * 1000:.0f} ms wachten op meer wijzigingen)")
        print(f"rebuild tot en met zoekindex: mediaan {statistics.median(rebuilds) + server.debounce:.3f} s "
              "na het bewaren (rebuild plus wachttijd)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
