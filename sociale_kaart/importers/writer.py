"""Writing drafts as clean YAML files under ``content/`` (organisaties/,
ontmoetingsplekken/<g>/, activiteiten/<g>/), never overwriting a file silently: without
``update`` an existing file is skipped with a message; with ``update`` the new values are merged
into it and the unified diff is printed."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sociale_kaart.importers.common import Draft
from sociale_kaart.model.kinds import KINDS
from sociale_kaart.pipeline.load import display_path
from sociale_kaart.pipeline.yaml_loader import load_file


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else ("'" if re.fullmatch(r"\d{1,2}:\d{2}", value) else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    # short lists of words ([DI, DO], [ouderen]) in one line, like hand-written entries
    flow = bool(value) and all(isinstance(v, str) and len(v) <= 40 and "\n" not in v
                               for v in value) and sum(len(v) for v in value) <= 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def to_yaml(data: dict[str, Any]) -> str:
    """Draft data as YAML that reads like a hand-written content file."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def ordered(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Fields in the order of the model (the source and the check last, like our files)."""
    last = ("niet_dubbel", "bron", "laatst_gecontroleerd", "gecontroleerd_door")
    order = [f for f in KINDS[kind].model.model_fields if f not in last] + list(last)
    out = {k: data[k] for k in order if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    return out


def draft_path(content: Path, draft: Draft, gemeente: str) -> Path:
    """Where a draft's file goes (model/kinds.py has the folders)."""
    folder = content / KINDS[draft.kind].folder
    if draft.kind != "organisatie":
        folder = folder / gemeente
    return folder / f"{draft.slug}.yaml"


def _existing(path: Path) -> Path | None:
    for suffix in (".yaml", ".yml", ".md"):
        cand = path.with_suffix(suffix)
        if cand.is_file():
            return cand
    return None


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for key, value in new.items():
        if key == "gemeenten" and isinstance(old.get(key), list):
            out[key] = list(dict.fromkeys([*old[key], *value]))
        elif key == "bron" and key in old:
            continue  # keep the original source
        else:
            out[key] = value
    return out


def _plain(value: Any) -> Any:
    """Loaded YAML (dates as strings) and drafts (date objects) compared the same way."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_drafts(drafts: Iterable[Draft], content: Path, gemeente: str, update: bool,
                 out: Any = None) -> dict[str, int]:
    """Write the drafts as YAML files. Returns counts: nieuw, bijgewerkt, ongewijzigd, overgeslagen."""
    out = out or sys.stdout
    counts = {"nieuw": 0, "bijgewerkt": 0, "ongewijzigd": 0, "overgeslagen": 0}
    for draft in drafts:
        target = draft_path(content, draft, gemeente)
        data = ordered(draft.kind, draft.data)
        existing = _existing(target)
        shown = display_path(existing or target)
        if existing is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_yaml(data), encoding="utf-8")
            counts["nieuw"] += 1
            print(f"nieuw: {shown}", file=out)
            continue
        if not update:
            counts["overgeslagen"] += 1
            print(f"overgeslagen: {shown} bestaat al (gebruik --update om samen te voegen)",
                  file=out)
            continue
        old_text = existing.read_text(encoding="utf-8")
        doc, diags = load_file(existing, shown)
        if doc is None:
            counts["overgeslagen"] += 1
            print(f"overgeslagen: {shown} kan niet gelezen worden: "
                  + "; ".join(d.message for d in diags), file=out)
            continue
        body = None
        if existing.suffix == ".md":
            data = {k: v for k, v in data.items() if k != "beschrijving"}
            body = doc.body or ""
        merged = _merge(doc.data, data)
        if _plain(merged) == _plain(doc.data):
            counts["ongewijzigd"] += 1
            print(f"ongewijzigd: {shown}", file=out)
            continue
        new_text = to_yaml(merged) if body is None else f"---\n{to_yaml(merged)}---\n{body}"
        diff = difflib.unified_diff(old_text.splitlines(keepends=True),
                                    new_text.splitlines(keepends=True),
                                    fromfile=f"{shown} (oud)", tofile=f"{shown} (nieuw)")
        existing.write_text(new_text, encoding="utf-8")
        counts["bijgewerkt"] += 1
        print(f"bijgewerkt: {shown}", file=out)
        out.write("".join(diff))
    return counts


__all__ = ["draft_path", "ordered", "to_yaml", "write_drafts"]
