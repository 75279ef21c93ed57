"""The package's layers: imports flow one way, from the command line down to the Dutch words.

    cli -> serve -> site, importers -> outputs, authoring -> pipeline -> model -> nl

``diagnostics`` and ``csvsafe`` sit at the bottom (any layer may use them, they use none). A
module may import its own layer and the layers this table allows, nothing above; ``nl`` may
name model types for the type checker only (under ``if TYPE_CHECKING:``). Imports inside
functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sociale_kaart"
BOTTOM = {"diagnostics", "csvsafe"}
# layer -> the layers (besides itself and BOTTOM) it may import at run time
ALLOWED: dict[str, set[str]] = {
    "nl": set(),
    "model": {"nl"},
    "pipeline": {"model", "nl"},
    "outputs": {"pipeline", "model", "nl"},
    "authoring": {"pipeline", "model", "nl"},
    "site": {"outputs", "authoring", "pipeline", "model", "nl"},
    "importers": {"pipeline", "model", "nl"},
    "serve": {"site", "outputs", "authoring", "pipeline", "model", "nl"},
    "cli": {"serve", "site", "importers", "outputs", "authoring", "pipeline", "model", "nl"},
    "__main__": {"cli"},
    "__init__": set(),
    **{b: set() for b in BOTTOM},
}
TYPE_ONLY: dict[str, set[str]] = {"nl": {"model"}}


def layer_of(module: str) -> str:
    """``sociale_kaart.site.plan`` -> ``site``; ``sociale_kaart`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported sociale_kaart module, only for the type checker) of every import."""
    tree = ast.parse(path.read_text("utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: use an absolute import (sociale_kaart....)")
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            if name == "sociale_kaart" or name.startswith("sociale_kaart."):
                found.append((node.lineno, name, id(node) in typing_only))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def violations(path: Path) -> list[str]:
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    own = layer_of(module)
    assert own in ALLOWED, f"{path}: layer {own!r} is not in the table of tests/test_layers.py"
    out = []
    for line, name, typing_only in imports(path):
        target = layer_of(name)
        if target == own or target in BOTTOM and own not in BOTTOM or target in ALLOWED[own]:
            continue
        if typing_only and target in TYPE_ONLY.get(own, set()):
            continue
        out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own} imports {name}")
    return out


def test_every_module_is_in_a_known_layer() -> None:
    layers = {layer_of(".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts))
              for p in modules()}
    assert layers <= set(ALLOWED), layers - set(ALLOWED)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_down(path: Path) -> None:
    assert violations(path) == []


def test_the_check_sees_a_wrong_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: an upward import (model -> site), a lazy one inside a function,
    and a type-only import in a layer that may not have one are all found."""
    fake = tmp_path / "sociale_kaart"
    (fake / "model").mkdir(parents=True)
    (fake / "pipeline").mkdir()
    bad = fake / "model" / "x.py"
    bad.write_text("from sociale_kaart.nl.words import count\n"
                   "def f():\n    from sociale_kaart.site.plan import plan\n", "utf-8")
    typed = fake / "pipeline" / "y.py"
    typed.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from sociale_kaart.site.views import View\n", "utf-8")
    allowed = fake / "pipeline" / "z.py"
    allowed.write_text("from sociale_kaart.diagnostics import Diagnostic\n", "utf-8")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert violations(bad) == ["sociale_kaart/model/x.py:3: model imports sociale_kaart.site.plan"]
    assert violations(typed) == ["sociale_kaart/pipeline/y.py:3: pipeline imports sociale_kaart.site.views"]
    assert violations(allowed) == []
