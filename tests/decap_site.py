"""A local copy of the web editor for browser tests: the generated admin pages with Decap CMS
from npm (tests/decap, ``npm ci``), the config switched to Decap's in-memory ``test-repo``
backend, and the fixture's content loaded into that backend (``window.repoFiles``)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from sociale_kaart.authoring.decap import DECAP_SCRIPT, admin_files
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.site.theme import Assets, theme_dirs

ROOT = Path(__file__).resolve().parent.parent
NPM_FOLDER = ROOT / "tests" / "decap"
DECAP_DIST = NPM_FOLDER / "node_modules" / "decap-cms" / "dist"
DECAP_FILE = DECAP_DIST / "decap-cms.js"
REPOSITORY = "https://github.com/voorbeeld/sociale-kaart"


def require_decap() -> Path:
    """decap-cms.js as installed by ``npm ci`` in tests/decap; in CI (where .ci/run installs
    it) a missing file fails, elsewhere it skips."""
    if not DECAP_FILE.is_file():
        message = "Decap CMS ontbreekt: voer 'npm ci' uit in tests/decap (.ci/run doet dat)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return DECAP_FILE


def repo_tree(content: Path, prefix: str = "content") -> dict:
    """The content folder as test-repo's ``window.repoFiles`` tree. test-repo reads a file by
    walking the tree one folder at a time, but lists a folder collection by its whole path
    as one key ('content/activiteiten/vechtstad'), so every folder is in it both ways."""
    tree: dict = {}
    for path in sorted(content.rglob("*")):
        if not path.is_file():
            continue
        rel = f"{prefix}/{path.relative_to(content).as_posix()}"
        file = {"path": rel, "content": path.read_text("utf-8")}
        node = tree
        parts = rel.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = file
        folder, name = rel.rsplit("/", 1)
        if "/" in folder:
            tree.setdefault(folder, {})[name] = file
    return tree


def make_editor_site(content: Path, out: Path) -> Path:
    """Write the editors for ``content`` into ``out``, ready for a static server."""
    loaded = load_content(content)
    site = loaded.site.model_copy(update={"repository": REPOSITORY})
    assets = Assets.load(theme_dirs(site.thema, content))
    css = assets.path("style.css")
    files = admin_files(site, loaded.entries["gemeente"], css=css)
    shutil.copytree(DECAP_DIST, out / "decap", ignore=shutil.ignore_patterns("*.map"))
    (out / "repo.js").write_text("window.repoFiles = " + json.dumps(repo_tree(content)) + ";\n",
                                 "utf-8")
    for hashed, data in assets.files.values():
        for folder in ["", *(g.slug for g in loaded.entries["gemeente"])]:
            target = out / folder / "assets" / hashed
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith("config.yml"):  # the generated text, only the backend replaced
            config = yaml.safe_load(data)
            header, _ = data.split(b"\n", 1)
            config["backend"] = {"name": "test-repo"}
            data = header + b"\n" + json.dumps(config, ensure_ascii=False).encode("utf-8")
        elif rel.endswith("index.html") and rel != "admin/index.html":
            html = data.decode("utf-8")
            assert DECAP_SCRIPT in html
            html = html.replace(f'<script src="{DECAP_SCRIPT}"',
                                '<script src="/repo.js"></script>\n<script src="/decap/decap-cms.js"')
            data = html.encode("utf-8")
        target.write_bytes(data)
    return out
