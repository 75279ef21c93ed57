"""Decap CMS configuration (``/admin/``), generated from the same models as the JSON Schemas.

Maintainers who do not use git edit entries in the browser; with the editorial workflow every
save becomes a pull request, so ``sociale-kaart check`` and the deploy preview run on it like
on any other change.

Design choices:

* One collection per gemeente for activiteiten and ontmoetingsplekken (folder
  ``content/activiteiten/<gemeente>``): maintainers see "Activiteiten Kampen", the folder
  decides the gemeente as in ``content.py``, and the ``plek`` relation can point at exactly
  the places of that gemeente. The hidden ``gemeente`` field is filled with the folder's
  gemeente.
* Field widgets follow the annotations: text -> string/text/markdown, bool -> boolean,
  int/float/Decimal -> number, date -> datetime (date only), Literal -> select,
  ``Ref`` markers -> relation (taxonomy terms via the ``taxonomie`` files collection,
  regions -> select from site.yaml), nested models -> object, lists of models -> list with
  fields, lists of values -> list with a single field.
* Labels come from the field name, hints from the Dutch descriptions in ``models.py``.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sociale_kaart.authoring.scaffold import (
    _default,
    _has_default,
    _list_item,
    _literal_options,
    _model,
    _strip_optional,
    description,
    humanize,
    ordered_fields,
    reference,
)
from sociale_kaart.model.entries import (
    VOCABULARIES,
    Activiteit,
    Gemeente,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Site,
    Taxonomie,
)
from sociale_kaart.model.fields import field_meta
from sociale_kaart.model.kinds import content_folder

# Decap CMS, pinned to one release (npm versions never change once published) and checked by
# the browser against its hash (Subresource Integrity): a changed or hijacked file on the CDN is
# refused instead of run with the editor's GitHub login. Update both together:
#   npm pack decap-cms@<versie> && tar xzf decap-cms-<versie>.tgz &&
#   echo "sha384-$(openssl dgst -sha384 -binary package/dist/decap-cms.js | openssl base64 -A)"
DECAP_VERSION = "3.16.3"
DECAP_SCRIPT = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
PATTERNS = {  # field type marker in the JSON schema -> (regex, Dutch message)
    "Tijd": (r"^([01]?[0-9]|2[0-3])[:.][0-5][0-9]$", "Schrijf een tijd, zoals 09:30"),
    "Url": (r"^https?://", "Een webadres begint met https://"),
    "Email": (r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", "Schrijf een e-mailadres, zoals info@voorbeeld.nl"),
    "Postcode": (r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", "Schrijf een postcode, zoals 8261 AB"),
    "Slug": (r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "Alleen kleine letters, cijfers en streepjes"),
}


def repo_name(repository: str | None) -> str | None:
    """'https://github.com/org/kaart(.git)' -> 'org/kaart'."""
    if not repository:
        return None
    m = re.match(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s#?]+?)(?:\.git)?/?$", repository)
    return f"{m.group(1)}/{m.group(2)}" if m else None


# --------------------------------------------------------------------------- fields

def _pattern_in(metadata: Iterable[Any]) -> tuple[str, str] | None:
    for meta in metadata:
        if isinstance(meta, FieldInfo):
            found = _pattern_in(meta.metadata)
            if found:
                return found
            continue
        schema = getattr(meta, "json_schema", None)
        if isinstance(schema, dict):
            for branch in schema.get("anyOf", []):  # e.g. Tijd: "09:30" or the number 9
                if branch.get("type") == "string" and "pattern" in branch:
                    return (branch["pattern"], schema.get("description", "Ongeldige waarde"))
            if schema.get("format") == "uri":
                return PATTERNS["Url"]
            if schema.get("format") == "email":
                return PATTERNS["Email"]
            if "pattern" in schema:
                return (schema["pattern"], schema.get("description", "Ongeldige waarde"))
        pattern = getattr(meta, "pattern", None)
        if isinstance(pattern, str):
            return (pattern, "Ongeldige waarde")
    return None


def _pattern_for(annotation: Any, metadata: Iterable[Any] = ()) -> tuple[str, str] | None:
    """The Decap ``pattern`` of a constrained string type (Url, Email, Tijd, Slug, ...)."""
    found = _pattern_in(metadata)
    if found:
        return found
    if typing.get_origin(annotation) is typing.Annotated:
        return _pattern_in(annotation.__metadata__) or _pattern_for(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation):
        if arg is not type(None) and typing.get_origin(annotation) is not list:
            found = _pattern_for(arg)
            if found:
                return found
    return None


def _base_type(annotation: Any) -> Any:
    return _strip_optional(annotation)


class Context:
    """What relation fields can point at, for one collection."""

    def __init__(self, site: Site, gemeente: str | None = None) -> None:
        self.site = site
        self.gemeente = gemeente
        self.regios = [(r.slug, f"{r.naam} ({i.naam})") for i in site.regio_indelingen
                       for r in i.regios]


def _relation(target: str, ctx: Context, multiple: bool) -> dict[str, Any]:
    if target.startswith("taxonomie:"):
        vocab = target.split(":", 1)[1]
        out: dict[str, Any] = {"widget": "relation", "collection": "taxonomie", "file": vocab,
               "value_field": "termen.*.slug", "search_fields": ["termen.*.label"],
               "display_fields": ["termen.*.label"]}
    elif target == "regios":
        return {"widget": "select", "multiple": multiple,
                "options": [{"label": label, "value": slug} for slug, label in ctx.regios]}
    elif target == "plekken":
        out = {"widget": "relation", "collection": f"ontmoetingsplekken-{ctx.gemeente}",
               "value_field": "{{slug}}", "search_fields": ["naam"], "display_fields": ["naam"]}
    else:  # gemeenten, organisaties
        out = {"widget": "relation", "collection": target, "value_field": "{{slug}}",
               "search_fields": ["naam"], "display_fields": ["naam"]}
    if multiple:
        out["multiple"] = True
    return out


def _scalar_widget(annotation: Any, metadata: Iterable[Any] = (), opmaak: str | None = None
                   ) -> dict[str, Any]:
    """The widget of a value; ``opmaak`` is the field's ``Meta`` marker (model/fields.py):
    Markdown text gets the rich-text editor, long text a text box."""
    ann = _base_type(annotation)
    options = _literal_options(annotation)
    if options:
        return {"widget": "select", "options": options}
    if ann is bool:
        return {"widget": "boolean"}
    if ann is int:
        return {"widget": "number", "value_type": "int"}
    if ann in (float, Decimal):
        return {"widget": "number", "value_type": "float"}
    if ann is date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD-MM-YYYY",
                "time_format": False, "picker_utc": True}
    widget: dict[str, Any]
    if opmaak == "markdown":
        widget = {"widget": "markdown", "buttons": ["bold", "italic", "link", "heading-two",
                                                     "heading-three", "bulleted-list",
                                                     "numbered-list"],
                  "editor_components": [], "modes": ["rich_text", "raw"]}
    elif opmaak == "lang":
        widget = {"widget": "text"}
    else:
        widget = {"widget": "string"}
    if ann is time:
        widget = {"widget": "string"}
    pattern = _pattern_for(annotation, metadata)
    if pattern:
        widget["pattern"] = [pattern[0], pattern[1]]
    return widget


def decap_field(name: str, info: FieldInfo, ctx: Context, *, hidden_default: Any = None) -> dict[str, Any]:
    """One Decap field for one model field (recursively for nested models)."""
    out: dict[str, Any] = {"label": humanize(name), "name": name}
    out["hint"] = description(name, info)
    out["required"] = bool(info.is_required())
    item = _list_item(info.annotation)
    nested = _model(info.annotation)
    target = reference(info)
    if hidden_default is not None:
        out.update({"widget": "hidden", "default": hidden_default})
        return out
    if target:
        out.update(_relation(target, ctx, multiple=item is not None))
        if item is not None and not out["required"]:
            out["required"] = False
    elif item is not None and (item_model := _model(item)):
        out.update({"widget": "list", "fields": model_fields(item_model, ctx),
                    "collapsed": False})
        if info.metadata and any(getattr(m, "min_length", None) for m in info.metadata):
            out["min"] = 1
    elif item is not None:
        raw_item = typing.get_args(_strip_optional(info.annotation))[0]  # keeps Annotated
        sub = {"label": humanize(name), "name": "waarde",
               **_scalar_widget(raw_item, opmaak=field_meta(info, "opmaak"))}
        out.update({"widget": "list", "field": sub})
        if any(getattr(m, "min_length", None) for m in info.metadata):
            out["min"] = 1
    elif nested is not None:
        out.update({"widget": "object", "fields": model_fields(nested, ctx), "collapsed": True})
    else:
        out.update(_scalar_widget(info.annotation, info.metadata, field_meta(info, "opmaak")))
        if out["widget"] == "boolean":
            # An unticked box is a valid answer (false); Decap would call it missing.
            out["required"] = False
            out.setdefault("default", False)
    if _has_default(info):
        default = _default(info)
        if isinstance(default, (bool, int, float, str)) and not isinstance(default, Decimal):
            out["default"] = default
    return out


def model_fields(model: type[BaseModel], ctx: Context,
                 hidden: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    hidden = hidden or {}
    return [decap_field(name, info, ctx, hidden_default=hidden.get(name))
            for name, info in ordered_fields(model)]


# --------------------------------------------------------------------------- collections

def _folder_collection(name: str, label: str, singular: str, folder: str, model: type[BaseModel],
                       ctx: Context, identifier: str, *, markdown: bool = False,
                       hidden: dict[str, Any] | None = None, description_text: str = "") -> dict:
    fields = model_fields(model, ctx, hidden)
    coll: dict[str, Any] = {
        "name": name, "label": label, "label_singular": singular, "folder": folder,
        "create": True, "delete": False, "slug": "{{slug}}", "identifier_field": identifier,
        "summary": "{{" + identifier + "}}",
    }
    if description_text:
        coll["description"] = description_text
    if markdown:
        coll.update({"extension": "md", "format": "yaml-frontmatter"})
        fields.append({"label": "Tekst", "name": "body", "widget": "markdown", "required": False,
                       "hint": "De tekst van de pagina, met kopjes als 'Aanleiding', 'Aanpak' "
                               "en 'Resultaten'"})
    else:
        coll.update({"extension": "yaml", "format": "yaml"})
    coll["fields"] = fields
    return coll


def decap_config(site: Site, gemeenten: Iterable[Gemeente], content: str = "content",
                 branch: str = "main") -> dict[str, Any]:
    """The whole ``admin/config.yml`` as a dict."""
    gemeenten = sorted(gemeenten, key=lambda g: g.naam.casefold())
    base = Context(site)
    collections: list[dict[str, Any]] = []
    for g in gemeenten:
        ctx = Context(site, g.slug)
        collections.append(_folder_collection(
            f"activiteiten-{g.slug}", f"Activiteiten {g.naam}", "Activiteit",
            content_folder("activiteit", g.slug, content), Activiteit, ctx, "titel",
            hidden={"gemeente": g.slug},
            description_text=f"Activiteiten in {g.naam}. Opslaan maakt een voorstel (pull "
                             "request) dat een beheerder controleert."))
    for g in gemeenten:
        ctx = Context(site, g.slug)
        collections.append(_folder_collection(
            f"ontmoetingsplekken-{g.slug}", f"Plekken {g.naam}", "Ontmoetingsplek",
            content_folder("ontmoetingsplek", g.slug, content), Ontmoetingsplek, ctx, "naam",
            hidden={"gemeente": g.slug}))
    collections.append(_folder_collection("organisaties", "Organisaties", "Organisatie",
                                          content_folder("organisatie", content=content), Organisatie, base, "naam"))
    collections.append(_folder_collection("praktijken", "Leerrijke praktijken", "Praktijk",
                                          content_folder("praktijk", content=content), Praktijk, base, "titel",
                                          markdown=True))
    collections.append(_folder_collection("gemeenten", "Gemeenten", "Gemeente",
                                          content_folder("gemeente", content=content), Gemeente, base, "naam"))
    collections.append({
        "name": "taxonomie", "label": "Keuzelijsten", "label_singular": "Keuzelijst",
        "description": "Thema's, doelgroepen en andere lijsten waaruit je kiest.",
        "files": [{"name": vocab, "label": humanize(vocab.replace("-", " ")),
                   "file": f"{content}/taxonomie/{vocab}.yaml",
                   "fields": model_fields(Taxonomie, base)} for vocab in VOCABULARIES],
    })
    collections.append({
        "name": "instellingen", "label": "Instellingen", "files": [
            {"name": "site", "label": "Site", "file": f"{content}/site.yaml",
             "fields": model_fields(Site, base)}]})

    backend: dict[str, Any] = {"name": "github", "branch": branch,
                               "commit_messages": {
                                   "create": "Nieuw in {{collection}}: {{slug}}",
                                   "update": "Bijgewerkt in {{collection}}: {{slug}}",
                                   "delete": "Verwijderd uit {{collection}}: {{slug}}",
                                   "uploadMedia": "Bestand toegevoegd: {{path}}",
                                   "deleteMedia": "Bestand verwijderd: {{path}}",
                                   "openAuthoring": "{{message}}"}}
    repo = repo_name(site.repository)
    if repo:
        backend["repo"] = repo
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "locale": "nl",
        # Files starting with '_' are ignored by the generator (content.py).
        "media_folder": f"{content}/_media",
        "public_folder": "/media",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }
    if site.basis_url:
        config["site_url"] = site.basis_url
        config["display_url"] = site.basis_url
    return config


ADMIN_HTML = """<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Beheer - {title}</title>
</head>
<body>
<noscript><p>Voor het beheerscherm is JavaScript nodig. U kunt bestanden ook op GitHub aanpassen;
zie CONTRIBUTING.md in de repository.</p></noscript>
<script src="{script}" integrity="{integrity}" crossorigin="anonymous"></script>
</body>
</html>
"""


def admin_files(site: Site, gemeenten: Iterable[Gemeente], content: str = "content") -> dict[str, bytes]:
    """``admin/config.yml`` and ``admin/index.html`` (paths relative to the site root)."""
    config = decap_config(site, gemeenten, content)
    text = ("# Gemaakt door sociale-kaart (generator/decap.py) uit de modellen; niet met de hand "
            "aanpassen.\n" + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100))
    from markupsafe import escape

    html = ADMIN_HTML.format(title=escape(site.naam), script=DECAP_SCRIPT,
                             integrity=DECAP_INTEGRITY)
    return {"admin/config.yml": text.encode("utf-8"), "admin/index.html": html.encode("utf-8")}


def write_admin(out_dir: Path, site: Site, gemeenten: Iterable[Gemeente],
                content: str = "content") -> list[Path]:
    """Write ``<out_dir>/admin/config.yml`` and ``index.html``.

    Nothing is written when ``site.repository`` is not a GitHub repository: Decap cannot
    work without one, and a broken admin page helps nobody.
    """
    if not repo_name(site.repository):
        return []
    written = []
    for rel, data in admin_files(site, gemeenten, content).items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
