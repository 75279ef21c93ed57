"""The theme: where templates and static files come from, and the Jinja environment.

A site theme (``thema`` in site.yaml, in the project's ``themes/<naam>/``) overrides the
default theme, which ships in the package. Nothing outside a theme's folder is rendered or
published: links that leave it are refused (``walk_theme``, ``ThemeLoader``), as for content.
Static files are fingerprinted (``Assets``) so they can be cached forever.
"""


from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.loaders import split_template_path

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.nl.words import count, dagdeel
from sociale_kaart.pipeline.yaml_loader import os_error_text, read_regular_file
from sociale_kaart.site.filters import datum, euro, qr_svg, route_url, tel_href, tijd
from sociale_kaart.site.markdown import headings, render_markdown
from sociale_kaart.site.pages import Page, RenderError

# The default theme ships inside the package (package data), so a normal, non-editable
# install can build; a site's own theme lives in the project's themes/ folder.
THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"


def asset_name(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"


def theme_dirs(site_theme: str, content_dir: Path | None) -> list[Path]:
    """Template search path: a site theme (in the project's themes/) overrides the default."""
    dirs = []
    for base in ([content_dir.parent / "themes"] if content_dir else []) + [THEMES_DIR]:
        candidate = base / site_theme / "templates"
        if site_theme != "default" and candidate.is_dir() and candidate not in dirs:
            dirs.append(candidate)
    dirs.append(THEMES_DIR / "default" / "templates")
    return dirs


def theme_root(templates: Path) -> Path | None:
    """The real path of the theme folder (``themes/<x>``) of the template folder ``templates``:
    everything a theme publishes or renders must lie inside it. None when the theme folder
    itself is a link that leaves the folder holding its ``themes/`` folder (the project)."""
    theme = templates.parent
    real = Path(os.path.realpath(theme))
    return real if real.is_relative_to(os.path.realpath(theme.parent.parent)) else None


def _theme_ignored(name: str) -> bool:
    """Hidden files and editor leftovers (backups, lock files that are dangling links): never
    published, never read, never reported."""
    return name.startswith((".", "~")) or name.endswith("~")


def walk_theme(folder: Path, root: Path | None) -> tuple[list[Path], list[Diagnostic]]:
    """The regular files under ``folder`` (a theme's templates/ or static/), sorted, and a Dutch
    diagnostic for everything else that is there.

    Links are followed only when they stay inside ``root`` (the theme folder, ``theme_root``);
    linked folders are not descended into (as ``Path.rglob`` did). A link that leaves the theme,
    a link in a circle or to nothing, a FIFO, socket or device file, a folder that cannot be
    read: each is reported with its path and never opened.
    """
    from sociale_kaart.pipeline.load import display_path

    files: list[Path] = []
    problems: list[Diagnostic] = []

    def bad(path: Path | str, message: str, code: str) -> None:
        problems.append(Diagnostic(display_path(Path(path)), 0, 0, "", message, "fout", code))

    if root is None:
        bad(folder.parent, "deze themamap is een koppeling naar een plek buiten het project; zet "
            "het thema zelf in de map themes/", "pad")
        return files, problems
    if not os.path.lexists(folder):
        return files, problems
    todo = [folder]
    if folder.is_symlink():  # templates/ or static/ itself
        if not Path(os.path.realpath(folder)).is_relative_to(root):
            bad(folder, f"deze map is een koppeling naar een plek buiten de themamap {root.name}/; "
                "zet de inhoud zelf in de themamap", "pad")
            return files, problems
    while todo:
        current = todo.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            bad(current, f"deze map kan niet gelezen worden: {os_error_text(exc)}", "lezen")
            continue
        for entry in entries:
            if _theme_ignored(entry.name):
                continue
            is_link = entry.is_symlink()
            try:
                if is_link and not Path(os.path.realpath(entry.path)).is_relative_to(root):
                    bad(entry.path, "dit bestand is een koppeling naar een plek buiten de themamap "
                        f"{root.name}/; zo'n bestand wordt niet gebruikt. Zet de inhoud zelf in "
                        "de themamap", "pad")
                elif entry.is_file():
                    files.append(Path(entry.path))
                elif entry.is_dir():
                    if not is_link:
                        todo.append(Path(entry.path))
                else:
                    os.stat(entry.path)  # neither: a link to nothing raises here
                    bad(entry.path, "dit is geen gewoon bestand of map, maar bijvoorbeeld een "
                        "named pipe (FIFO), socket of apparaatbestand; haal het weg uit het thema",
                        "bestand")
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    bad(entry.path, "deze koppeling (symlink) verwijst in een kring naar zichzelf; "
                        "haal de koppeling weg", "pad")
                elif is_link and exc.errno in (errno.ENOENT, errno.ENOTDIR):
                    bad(entry.path, "deze koppeling (symlink) wijst naar iets dat niet bestaat; "
                        "haal de koppeling weg", "pad")
                else:
                    bad(entry.path, f"kan niet gelezen worden: {os_error_text(exc)}", "lezen")
    return sorted(files), problems


def scan_themes(dirs: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Every usable file of the themes of ``dirs`` (templates and static files) and the
    diagnostics of what is not usable (``walk_theme``)."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for templates in dirs:
        root = theme_root(templates)
        for folder in (templates, templates.parent / "static"):
            found, bad = walk_theme(folder, root)
            files += found
            problems += [d for d in bad if d not in problems]
    return files, problems


def theme_problems(dirs: Iterable[Path]) -> list[Diagnostic]:
    """What in the theme folders cannot be used (links that leave the theme, FIFOs, ...)."""
    return scan_themes(dirs)[1]


class UnsafeTemplate(jinja2.TemplateError):
    """A template that lies outside its theme folder (through a link): not rendered."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a template (or a folder on its path) that is a link leaving its
    theme folder is refused, also when it is reached through ``{% include %}``, ``extends`` or
    ``import``. Jinja itself already refuses names with ``..``."""

    def __init__(self, dirs: list[Path]) -> None:
        super().__init__([str(d) for d in dirs])
        self.roots = [theme_root(d) for d in dirs]

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        from sociale_kaart.pipeline.load import display_path

        pieces = split_template_path(template)
        for searchpath, root in zip(self.searchpath, self.roots, strict=True):
            filename = posixpath.join(searchpath, *pieces)  # as Jinja does
            if os.path.isfile(filename):  # the one Jinja would take
                if root is None or not Path(os.path.realpath(filename)).is_relative_to(root):
                    raise UnsafeTemplate(Diagnostic(
                        display_path(Path(filename)), 0, 0, "",
                        f"sjabloon '{template}' is een koppeling naar een plek buiten de themamap; "
                        "zo'n sjabloon wordt niet gebruikt. Zet het sjabloon zelf in de themamap",
                        "fout", "pad"))
                break
        return super().get_source(environment, template)


class RecordingEnvironment(jinja2.Environment):
    """Jinja's environment, which can record the names of the templates a render loads: the
    page's own, and every one it extends, includes or imports (Jinja asks the environment for
    each of them while it renders). ``serve`` makes a page again when one of them changed."""

    _recorded: set[str] | None = None

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        outer, self._recorded = self._recorded, set()
        try:
            yield self._recorded
        finally:
            self._recorded = outer

    def get_template(self, name: str | jinja2.Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:  # noqa: A002
        if self._recorded is not None and isinstance(name, str):
            self._recorded.add(name)
        return super().get_template(name, parent, globals)


def make_environment(dirs: list[Path]) -> RecordingEnvironment:
    env = RecordingEnvironment(
        loader=ThemeLoader(dirs),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # No modification-time check on every template lookup: a build reads the theme once,
        # and ``serve`` makes a new environment when a theme file's hash changes.
        auto_reload=False,
    )
    env.filters.update(markdown=render_markdown, datum=datum, tijd=tijd, euro=euro,
                       tel_href=tel_href, route_url=route_url, urlquote=quote, qr_svg=qr_svg)
    env.globals.update(headings=headings, dagdeel=dagdeel, aantal=count)
    return env


# ``url(...)`` in a stylesheet: its target, with or without quotes.
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


def _link_stylesheets(files: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """Stylesheets point at the fingerprinted names of the theme files they use (fonts,
    images): ``url(fonts/x.woff2)`` in ``style.css`` becomes ``url(fonts/x.<hash>.woff2)``,
    and the stylesheet's own fingerprint covers them. Other addresses stay as they are."""
    out = dict(files)
    for rel, (_, data) in files.items():
        if not rel.endswith(".css"):
            continue
        folder = posixpath.dirname(rel)

        def fingerprinted(match: re.Match[str], folder: str = folder) -> str:
            target = posixpath.normpath(posixpath.join(folder, match.group(2)))
            if target not in files or target.endswith(".css"):
                return match.group(0)
            return f"url({posixpath.relpath(files[target][0], folder or '.')})"

        text = _CSS_URL.sub(fingerprinted, data.decode("utf-8", "surrogateescape"))
        linked = text.encode("utf-8", "surrogateescape")
        out[rel] = (asset_name(rel, linked), linked)
    return out


@dataclass(frozen=True)
class Assets:
    """Static files of the theme, fingerprinted so they can be cached forever."""

    files: dict[str, tuple[str, bytes]]  # logical name -> (fingerprinted name, content)

    @classmethod
    def load(cls, dirs: Iterable[Path]) -> Assets:
        """The static files of the themes of ``dirs``. A file that cannot be published (a link
        that leaves its theme, a FIFO, ...) raises ``RenderError`` with its diagnostic; the
        build reports these before (``theme_problems``)."""
        files: dict[str, tuple[str, bytes]] = {}
        for templates in reversed(list(dirs)):  # later (default) first, overridden by theme
            static = templates.parent / "static"
            found, problems = walk_theme(static, theme_root(templates))
            if problems:
                raise RenderError(problems[0])
            for path in found:
                if "admin" not in path.relative_to(static).parts:
                    rel = path.relative_to(static).as_posix()
                    try:
                        data = read_regular_file(path)
                    except OSError as exc:
                        from sociale_kaart.pipeline.load import display_path
                        raise RenderError(Diagnostic(
                            display_path(path), 0, 0, "", "dit bestand van het thema kan niet "
                            f"gelezen worden: {os_error_text(exc)}", "fout", "lezen")) from exc
                    files[rel] = (asset_name(rel, data), data)
        return cls(_link_stylesheets(files))

    def path(self, name: str) -> str | None:
        """'style.css' -> 'assets/style.<hash>.css' (from a section folder); None if missing."""
        found = self.files.get(name)
        return f"assets/{found[0]}" if found else None

    def pages(self, prefix: str, gemeente: str = "") -> list[Page]:
        return [Page(posixpath.join(prefix, "assets", hashed), None, body=data, gemeente=gemeente)
                for hashed, data in self.files.values()]
