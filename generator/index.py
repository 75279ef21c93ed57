"""Stage 5: index. Pagefind indexes: one per gemeente, one for the kennisbank, one for the province.

Only pages that mark their main content with ``data-pagefind-body`` are indexed (detail
pages of activities, places, organisations and praktijken; not stopped activities); listings,
the agenda and the booklet repeat that content and are left out, and so are navigation and
footers. One Pagefind service process builds all indexes.

- ``<g>/pagefind/``: a gemeente's own search, URLs relative to the gemeente folder
  ("/activiteiten/x/"), so the folder works alone on its own domain.
- ``kennisbank/pagefind/``: the leerrijke praktijken.
- ``pagefind/`` (province): every gemeente's detail pages plus the kennisbank, URLs relative to
  the site root, with a ``gemeente`` filter. The gemeente copies of praktijken
  (``<g>/praktijken/``) are left out: the kennisbank has them once. See README "Search" for
  why one province index beats merging the gemeente indexes in the browser.

Jobs keep the paths of written pages, not their HTML, so memory stays flat on big sites.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

INDEX_MARKER = b"data-pagefind-body"


@dataclass
class IndexJob:
    """Pages of one self-contained site section and where its index goes."""

    name: str  # gemeente slug, "kennisbank" or "provincie"
    out_dir: Path  # folder that receives pagefind/
    prefix: str = ""  # output paths under this prefix belong to the job ("vechtstad/")
    exclude: tuple[str, ...] = ()  # fnmatch patterns of output paths to leave out
    pages: list[tuple[str, Path]] = field(default_factory=list)  # (url in section, file)

    def accepts(self, path: str) -> bool:
        return (path.endswith(".html") and path.startswith(self.prefix)
                and not any(fnmatch.fnmatchcase(path, p) for p in self.exclude))

    def add(self, path: str, file: Path) -> None:
        """Add the written page ``path`` (relative to the output root)."""
        url = "/" + path[len(self.prefix):].removesuffix("index.html")
        self.pages.append((url, file))


# Parts of a Pagefind bundle that zoeken.js does not use: the ready-made UIs, the highlight
# script and the WebAssembly for languages the index does not contain.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js")


def prune_bundle(bundle: Path) -> None:
    """Remove files of ``bundle`` that the site never loads (about 0.5 MB per index)."""
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return  # keep every language file rather than guess: pruning is only an optimisation
    used = {f"wasm.{lang.get('wasm') or 'unknown'}.pagefind" for lang in entry["languages"].values()}
    for wasm in bundle.glob("wasm.*.pagefind"):
        if wasm.name not in used:
            wasm.unlink()


def wants_index(html: bytes) -> bool:
    return INDEX_MARKER in html


class _NoPollDelay:
    """``asyncio`` as seen by ``pagefind.service``, without its 0.1 s sleep per response.

    pagefind.service (1.x) sleeps 0.1 s before reading every response of the Pagefind binary,
    so each added page costs at least 0.1 s: 10,000 pages took over 1,000 s. Reading waits for
    data anyway, so yielding once is enough. Only the sleep differs; see ``_run``.
    """

    def __getattr__(self, name: str):
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result=None):
        return await asyncio.sleep(0, result)


async def _run(jobs: list[IndexJob]) -> dict[str, int]:
    import pagefind.service as service_module

    counts: dict[str, int] = {}
    patched, service_module.asyncio = service_module.asyncio, _NoPollDelay()  # type: ignore[assignment]
    try:
        return await _index_all(jobs, counts)
    finally:
        service_module.asyncio = patched  # type: ignore[assignment]


async def _index_all(jobs: list[IndexJob], counts: dict[str, int]) -> dict[str, int]:
    service = await PagefindService().launch()
    try:
        for job in jobs:
            config: IndexConfig = {"force_language": "nl", "keep_index_url": False}
            index = await service.create_index(config)
            for url, file in job.pages:
                await index.add_html_file(content=file.read_text("utf-8"), url=url)
            bundle = job.out_dir / "pagefind"
            await index.write_files(output_path=str(bundle))
            await index.delete_index()
            prune_bundle(bundle)
            counts[job.name] = len(job.pages)
    finally:
        await service.close()
    return counts


def build_indexes(jobs: list[IndexJob]) -> dict[str, int]:
    """Write every job's Pagefind bundle; returns the number of indexed pages per job."""
    jobs = [j for j in jobs if j.pages]
    if not jobs:
        return {}
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_run(jobs))
    # Called from code that runs an event loop (async callers, Playwright's sync API):
    # asyncio.run() is not allowed there, so index in a thread of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _run(jobs)).result()
