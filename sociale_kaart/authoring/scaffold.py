"""``sociale-kaart new``: write a new, commented entry file that editors can validate.

The file lists every field of the model with a short Dutch comment taken from the field
descriptions in ``models.py`` (so it never drifts from the model), the choices from the
taxonomies and the gemeente file where a field refers to them, today's
a ``bron`` to fill in (never a check date: ``laatst_gecontroleerd`` is only written once
someone confirmed the entry with the organisation) and a ``yaml-language-server`` modeline
pointing at ``schemas/<soort>.schema.json``.

Decided behaviour of the generated file (tested in ``tests/test_scaffold.py``):

* required fields we can fill are filled (titel/naam, gemeente);
* a required list of groups (``bron``) gets one item with its required sub-fields as ``""``
  and its other sub-fields commented out;
* required fields only the maintainer can fill are written as ``""``, so ``check`` reports
  exactly those fields, on their own line, and nothing else;
* optional scalar fields with a default are written with that default (``status: actief``);
* optional lists of simple values are written as ``[]``;
* every other optional field (nested groups, schedules, free text) is written commented out,
  with its sub-fields, ready to be switched on by removing the ``#``.
"""

from __future__ import annotations

import os
import textwrap
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from sociale_kaart.model.entries import Checked, Entry, Sourced
from sociale_kaart.model.kinds import KINDS as ALL_KINDS
from sociale_kaart.model.kinds import YAML_OR_MARKDOWN
from sociale_kaart.model.names import MAX_SLUG, slugify
from sociale_kaart.pipeline.yaml_loader import load_file

# What `sociale-kaart new` makes: every kind of entry except gemeenten (model/kinds.py).
KINDS: dict[str, type[Entry]] = {name: k.model for name, k in ALL_KINDS.items() if name != "gemeente"}
EXISTING_SUFFIXES = tuple(sorted(YAML_OR_MARKDOWN))
# Number of empty 'wat werkt' items: the sources name three werkzame bestanddelen each.
WAT_WERKT_ITEMS = 3
WIDTH = 100
MAX_CHOICES = 25


class ScaffoldError(Exception):
    """A Dutch message for the maintainer; the CLI prints it and exits with 1."""


# --------------------------------------------------------------------------- slugs


def _taken(folder: Path, slug: str) -> bool:
    return any((folder / f"{slug}{suffix}").exists() for suffix in EXISTING_SUFFIXES)


def unique_slug(folder: Path, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``, ... when a file with that slug already exists."""
    if not _taken(folder, base):
        return base
    n = 2
    while True:
        tail = f"-{n}"
        candidate = base[:MAX_SLUG - len(tail)].rstrip("-") + tail
        if not _taken(folder, candidate):
            return candidate
        n += 1


# --------------------------------------------------------------------------- choices

@dataclass
class Choices:
    """What a maintainer can pick from, read from the content folder (best effort)."""

    terms: dict[str, list[str]] = field(default_factory=dict)  # vocabulary -> slugs
    gemeenten: list[str] = field(default_factory=list)
    organisaties: list[str] = field(default_factory=list)
    plekken: list[str] = field(default_factory=list)
    regios: list[str] = field(default_factory=list)
    kernen: list[str] = field(default_factory=list)
    wijken: list[str] = field(default_factory=list)

    def for_target(self, target: str) -> list[str]:
        if target.startswith("taxonomie:"):
            return self.terms.get(target.split(":", 1)[1], [])
        return {"gemeenten": self.gemeenten, "organisaties": self.organisaties,
                "plekken": self.plekken, "regios": self.regios}.get(target, [])


def _stems(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted({p.stem for p in folder.iterdir()
                   if p.is_file() and p.suffix in EXISTING_SUFFIXES and not p.name.startswith(".")})


def _data(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    doc, _ = load_file(path, path.as_posix())
    return doc.data if doc is not None else {}


def read_choices(content_dir: Path, gemeente: str | None) -> Choices:
    """Collect slugs from file names and raw YAML; invalid files are simply skipped."""
    choices = Choices()
    tax = content_dir / "taxonomie"
    if tax.is_dir():
        for path in sorted(tax.glob("*.y*ml")):
            termen = _data(path).get("termen")
            if isinstance(termen, list):
                choices.terms[path.stem] = [str(t["slug"]) for t in termen
                                            if isinstance(t, dict) and t.get("slug")]
    choices.gemeenten = _stems(content_dir / "gemeenten")
    choices.organisaties = _stems(content_dir / "organisaties")
    for indeling in _data(content_dir / "site.yaml").get("regio_indelingen") or []:
        if isinstance(indeling, dict):
            choices.regios += [str(r["slug"]) for r in indeling.get("regios") or []
                               if isinstance(r, dict) and r.get("slug")]
    if gemeente:
        choices.plekken = _stems(content_dir / "ontmoetingsplekken" / gemeente)
        data = _data(content_dir / "gemeenten" / f"{gemeente}.yaml")
        for list_field in ("kernen", "wijken"):
            names = data.get(list_field)
            if isinstance(names, list):
                setattr(choices, list_field, [str(k) for k in names])
    return choices


# --------------------------------------------------------------------------- rendering

def humanize(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _strip_optional(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _strip_optional(rest[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _strip_optional(args[0])
    return annotation


def _list_item(annotation: Any) -> Any | None:
    ann = _strip_optional(annotation)
    if typing.get_origin(ann) is list:
        return _strip_optional(typing.get_args(ann)[0])
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    ann = _strip_optional(annotation)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _literal_options(annotation: Any) -> list[str]:
    ann = _strip_optional(annotation)
    if typing.get_origin(ann) is typing.Literal:
        return [str(a) for a in typing.get_args(ann)]
    return []


def reference(info: FieldInfo) -> str | None:
    extra = info.json_schema_extra
    if isinstance(extra, dict) and "x-verwijzing" in extra:
        return str(extra["x-verwijzing"])
    return None


def _has_default(info: FieldInfo) -> bool:
    return info.default is not PydanticUndefined or info.default_factory is not None


def _default(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]  # our models' factories take no data
    return None if info.default is PydanticUndefined else info.default


def yaml_scalar(value: Any) -> str:
    """One YAML value on one line, quoted only when needed (so '10:30' stays text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    text = str(value)
    if text == "":
        return '""'
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**6, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


TARGET_FOLDERS = {"organisaties": "organisaties/", "gemeenten": "gemeenten/",
                  "plekken": "ontmoetingsplekken/<gemeente>/", "regios": "site.yaml"}


def _choice_text(options: list[str], target: str | None = None) -> str:
    if not options:
        return ""
    if len(options) > MAX_CHOICES:
        where = TARGET_FOLDERS.get(target or "", "taxonomie/" + (target or "").split(":")[-1]
                                   + ".yaml")
        return f"Gebruik de korte naam (bestandsnaam) uit {where}; er zijn er {len(options)}"
    return "Kies uit: " + ", ".join(options)


def _annotation_description(annotation: Any) -> str | None:
    """A description attached to the type itself (``Field(description=...)`` inside
    ``Annotated``, or the ``WithJsonSchema`` of types like Telefoon)."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in reversed(typing.get_args(annotation)[1:]):
            desc = getattr(meta, "description", None)
            if desc:
                return str(desc)
            schema = getattr(meta, "json_schema", None)
            if isinstance(schema, dict) and schema.get("description"):
                return str(schema["description"])
    for arg in typing.get_args(annotation):
        if arg is not type(None) and typing.get_origin(annotation) is not typing.Annotated:
            found = _annotation_description(arg)
            if found:
                return found
    return None


def description(name: str, info: FieldInfo) -> str:
    """The Dutch description of a field; the field name when the model has none."""
    for meta in info.metadata:
        schema = getattr(meta, "json_schema", None)
        if not info.description and isinstance(schema, dict) and schema.get("description"):
            return str(schema["description"])
    return (info.description or _annotation_description(info.annotation) or humanize(name)).strip()


def field_comment(name: str, info: FieldInfo, choices: Choices | None = None,
                  required_mark: bool = True) -> str:
    """The Dutch explanation of one field: description, choices, whether it is required."""
    text = description(name, info)
    if not text.endswith((".", "?", "!")):
        text += "."
    options = _literal_options(info.annotation)
    target = reference(info)
    if choices is not None:
        if target:
            options = choices.for_target(target)
        elif name == "kern":
            options = choices.kernen
        elif name == "wijk":
            options = choices.wijken
    extra = _choice_text(options, target)
    if extra and not (options and all(o in text for o in options)):
        text += " " + extra + "."
    if required_mark and info.is_required():
        text += " Verplicht."
    return text


def _comment_lines(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, WIDTH - len(indent) - 2,
                                                           break_on_hyphens=False)]


def _sub_skeleton(model: type[BaseModel], prefix: str, first_prefix: str) -> list[str]:
    """Commented sub-fields of a nested group, with aligned explanations."""
    rows: list[tuple[str, str]] = []
    for i, (name, info) in enumerate(model.model_fields.items()):
        lead = first_prefix if i == 0 else prefix
        if _model(info.annotation) or _model(_list_item(info.annotation) or int):
            value = "[]" if _list_item(info.annotation) is not None else ""
        elif _has_default(info):
            value = yaml_scalar(_default(info))
        else:
            value = ""
        key = f"{lead}{name}:" + (f" {value}" if value else "")
        rows.append((key, field_comment(name, info)))
    width = max(len(k) for k, _ in rows) + 2
    out = []
    for key, comment in rows:
        out.append(f"# {key.ljust(width)}# {comment}" if len(key) + len(comment) < WIDTH + 20
                   else f"# {key}")
    return out


def ordered_fields(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """The model's own fields first, then those shared by all entries with sources
    (bron, laatst_gecontroleerd, gecontroleerd_door, niet_dubbel), which pydantic lists first."""
    shared = set(Checked.model_fields) if issubclass(model, Sourced) else set()
    items = list(model.model_fields.items())
    return [kv for kv in items if kv[0] not in shared] + [kv for kv in items if kv[0] in shared]


def render_fields(model: type[BaseModel], values: dict[str, Any], choices: Choices,
                  must_fill: list[str]) -> list[str]:
    """Every field of ``model`` as YAML lines with comments; appends must-fill fields."""
    lines: list[str] = []
    for name, info in ordered_fields(model):
        lines.append("")
        lines += _comment_lines(field_comment(name, info, choices))
        item = _list_item(info.annotation)
        nested = _model(info.annotation) or (_model(item) if item is not None else None)
        if name in values:
            lines.append(f"{name}: {yaml_scalar(values[name])}".rstrip())
        elif info.is_required() and nested is not None and item is not None:
            lines.append(f"{name}:")
            for i, (sub, sub_info) in enumerate(nested.model_fields.items()):
                lead = "  - " if i == 0 else "    "
                if sub_info.is_required():
                    lines.append(f'{lead}{sub}: ""')
                    must_fill.append(f"{name}[0].{sub}")
                else:
                    lines.append(f"# {lead}{sub}:".ljust(20) + f"  # {field_comment(sub, sub_info)}")
        elif info.is_required():
            if item is not None:
                count = WAT_WERKT_ITEMS if name == "wat_werkt" else 1
                lines.append(f"{name}:")
                lines += ['  - ""'] * count
                must_fill += [f"{name}[{i}]" for i in range(count)]
            else:
                lines.append(f'{name}: ""')
                must_fill.append(name)
        elif nested is not None and item is not None:
            lines.append(f"# {name}:")
            lines += _sub_skeleton(nested, "    ", "  - ")
        elif nested is not None:
            lines.append(f"# {name}:")
            lines += _sub_skeleton(nested, "  ", "  ")
        elif item is not None:
            lines.append(f"{name}: []")
        elif _has_default(info) and _default(info) is not None:
            lines.append(f"{name}: {yaml_scalar(_default(info))}")
        elif name in ("beschrijving", "intro"):
            lines.append(f"# {name}: |")
            lines.append("#   Schrijf hier de tekst. **Vet** en [links](https://...) mogen.")
        else:
            lines.append(f"# {name}:")
    return lines


HEADER = {
    "activiteit": "Nieuwe activiteit",
    "ontmoetingsplek": "Nieuwe ontmoetingsplek",
    "organisatie": "Nieuwe organisatie",
    "praktijk": "Nieuwe leerrijke praktijk",
}


def scaffold_text(kind: str, titel: str, today: date, *, gemeente: str | None = None,
                  schema: str = "", choices: Choices | None = None) -> tuple[str, list[str]]:
    """The text of a new entry file and the fields the maintainer still has to fill."""
    model = KINDS[kind]
    choices = choices or Choices()
    values: dict[str, Any] = {"titel" if "titel" in model.model_fields else "naam": titel}
    if gemeente and kind in ("organisatie", "praktijk"):
        values["gemeenten"] = [gemeente]
    must_fill: list[str] = []
    intro = [
        f"# {HEADER[kind]}. Vul de velden met \"\" in; die zijn verplicht.",
        "# Regels die met # beginnen zijn uitleg of staan uit: haal '# ' weg om een veld te",
        "# gebruiken. Controleer het bestand daarna met: sociale-kaart check",
    ]
    if kind == "praktijk":
        intro += ["# Schrijf de tekst onder de laatste '---', met kopjes als '## Aanleiding',",
                  "# '## Aanpak' en '## Resultaten'."]
    if ALL_KINDS[kind].per_gemeente:
        intro.append(f"# De gemeente volgt uit de map: {gemeente}.")
    body = render_fields(model, values, choices, must_fill)
    modeline = [f"# yaml-language-server: $schema={schema}"] if schema else []
    yaml_text = "\n".join(modeline + intro + body) + "\n"
    if ALL_KINDS[kind].new_suffix == ".md":
        return f"---\n{yaml_text}---\n", must_fill
    return yaml_text, must_fill


# --------------------------------------------------------------------------- files

@dataclass(frozen=True)
class NewEntry:
    path: Path
    slug: str
    must_fill: list[str]


def target_folder(content_dir: Path, kind: str, gemeente: str | None) -> Path:
    folder = content_dir / ALL_KINDS[kind].folder
    return folder / gemeente if ALL_KINDS[kind].per_gemeente and gemeente else folder


def schema_reference(content_dir: Path, kind: str, folder: Path) -> str:
    """Relative path from ``folder`` to ``schemas/<kind>.schema.json`` next to the content dir."""
    schema = content_dir.resolve().parent / "schemas" / f"{kind}.schema.json"
    return Path(os.path.relpath(schema, folder.resolve())).as_posix()


def new_entry(content_dir: Path, kind: str, titel: str, today: date, *,
              gemeente: str | None = None, slug: str | None = None) -> NewEntry:
    """Write the new file; raise ``ScaffoldError`` (Dutch) instead of overwriting anything."""
    if kind not in KINDS:
        raise ScaffoldError(f"onbekende soort '{kind}': kies uit {', '.join(KINDS)}")
    titel = " ".join(titel.split())
    if not titel:
        raise ScaffoldError("geef een titel, zoals: sociale-kaart new activiteit "
                            "--gemeente kampen \"Koffie-inloop\"")
    if len(titel) > 200:
        raise ScaffoldError("de titel is te lang (maximaal 200 tekens)")
    if not content_dir.is_dir():
        raise ScaffoldError(f"de content-map '{content_dir}' bestaat niet")
    known = _stems(content_dir / "gemeenten")
    if gemeente is not None and gemeente not in known:
        from sociale_kaart.pipeline.validate import suggest

        close = suggest(gemeente, known)
        hint = f"; bedoelde u '{close}'?" if close else (
            f"; bekende gemeenten: {', '.join(known)}" if known else
            "; er zijn nog geen gemeenten in de map gemeenten/")
        raise ScaffoldError(f"gemeente '{gemeente}' bestaat niet{hint}")
    if ALL_KINDS[kind].per_gemeente and not gemeente:
        hint = f" Kies uit: {', '.join(known)}." if known else ""
        raise ScaffoldError(f"geef bij een {kind} de gemeente met --gemeente SLUG.{hint}")
    folder = target_folder(content_dir, kind, gemeente)
    if slug is not None:
        if slugify(slug) != slug:
            raise ScaffoldError(f"'{slug}' is geen geldige korte naam: gebruik alleen kleine "
                                "letters, cijfers en streepjes, zoals 'koffie-inloop'")
        if _taken(folder, slug):
            raise ScaffoldError(f"er bestaat al een bestand met de korte naam '{slug}' in "
                                f"{folder}; kies een andere naam")
    else:
        base = slugify(titel)
        if not base:
            raise ScaffoldError("de titel bevat geen letters of cijfers; geef een andere titel "
                                "of kies een korte naam met --slug")
        slug = unique_slug(folder, base)
    path = folder / f"{slug}{ALL_KINDS[kind].new_suffix}"
    text, must_fill = scaffold_text(kind, titel, today, gemeente=gemeente,
                                    schema=schema_reference(content_dir, kind, folder),
                                    choices=read_choices(content_dir, gemeente))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # never overwrite
            fh.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} bestaat al; er is niets overschreven") from None
    return NewEntry(path, slug, must_fill)


# --------------------------------------------------------------------------- CLI


