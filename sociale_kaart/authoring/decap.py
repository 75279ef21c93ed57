"""Decap CMS: the web editor (``/<gemeente>/admin/`` and ``/admin/provincie/``), generated from
the same models as the JSON Schemas.

Maintainers and providers who do not use git edit entries in the browser. Every save is a pull
request (editorial workflow; with open authoring a fork and a pull request for someone without
push access), so ``sociale-kaart check`` and the deploy preview run on it like on any other
change. README.md ("Web editing") explains login and who may edit what.

Design choices (the reasons are in README.md):

* **One editor per gemeente** (``/<gemeente>/admin/``): that gemeente's activities and places,
  the organisations, and the gemeente's own file; the ``plek`` relation lists exactly the
  places of that gemeente, ``kern`` its kernen. A gemeente folder deployed on its own domain
  has its editor with it. The **province editor** (``/admin/provincie/``) has what belongs to
  no single gemeente: gemeenten, organisations, praktijken, the taxonomies and site.yaml.
  ``/admin/`` is a plain page that leads to both.
* **Every field from the model** (recursively), so a model change flows through: text ->
  string/text/markdown (``Meta(opmaak=...)``), bool -> boolean, a required yes/no without
  default -> ``janee`` (our radio widget: Decap counts ``false`` as missing), numbers -> number
  with the model's bounds, dates -> ``datum`` (our widget: dd-mm-jjjj in every browser),
  times -> a select of times, days -> a select of day codes with Dutch labels, Literal ->
  select, ``Ref`` -> relation (taxonomy terms, organisations, places, gemeenten) or a select
  (regions, kernen), optional nested models -> ``groep`` (our object widget that enforces the
  required fields inside only when something in the group is filled), lists -> list, or
  ``rijen`` when the model accepts short rows (``niet_op: [2026-12-29]``).
* **Files written by hand open and save**: short rows become full rows, a yes/no written as
  a word (``gratis: ja``) becomes an answer.
* **Nothing pre-filled**: no defaults except the hidden ``gemeente``; the model's defaults
  apply to what is left out, and ``beheer.js`` drops empty values and empty groups before a
  save, so a group left closed is not written at all.
* The rules ``check`` applies across fields are in the hints (``RULES``).
* Labels from the field name (``label``), hints from the Dutch descriptions in the models.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from importlib import resources
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from markupsafe import escape
from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from sociale_kaart.authoring.scaffold import description, reference
from sociale_kaart.model.entries import (
    VOCABULARIES,
    Activiteit,
    Adres,
    Gemeente,
    Kosten,
    Leeftijd,
    Loket,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Site,
    Taxonomie,
)
from sociale_kaart.model.fields import JA_WORDS, NEE_WORDS, field_meta
from sociale_kaart.model.kinds import content_folder
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.words import DAY_CODES, DAY_NAMES, ORDINALS

# Decap CMS, pinned to one release (npm versions never change once published) and checked by
# the browser against its hash (Subresource Integrity): a changed or hijacked file on the CDN is
# refused instead of run with the editor's GitHub login. netlify.toml allows exactly this file
# (no other script from the CDN, so none of Decap's lazily loaded parts, which carry no hash).
# The browser test installs the same version from npm (tests/decap/package.json, locked with
# its integrity) and checks that this hash is the hash of that file. Update all together:
#   cd tests/decap && npm install --save-exact decap-cms@<versie> && npm ci && \
#   echo "sha384-$(openssl dgst -sha384 -binary node_modules/decap-cms/dist/decap-cms.js | openssl base64 -A)"
DECAP_VERSION = "3.16.3"
DECAP_SCRIPT = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
ADMIN_SCRIPT = "beheer.js"  # our widgets, previews and save rules (authoring/beheer.js)
PATTERNS = {  # field type marker in the JSON schema -> (regex, Dutch message)
    "Url": (r"^https?://", "Een webadres begint met https://"),
    "Email": (r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", "Schrijf een e-mailadres, zoals info@voorbeeld.nl"),
}
# The singular of list fields, for Decap's "Voeg ... toe" button.
SINGULAR = {"datums": "datum", "faciliteiten": "faciliteit", "synoniemen": "synoniem",
            "kernen": "kern", "wijken": "wijk", "wat_werkt": "punt", "links": "link",
            "wanneer": "tijd", "openingstijden": "openingstijd", "niet_op": "dag of periode",
            "termen": "term", "regio_indelingen": "indeling", "regios": "regio",
            "beheerders": "beheerder", "bron": "bron"}
TIME_STEP = 5  # minutes between the times of the time select

# Words a label gets differently from its field name (Dutch spelling: apostrophes, diaeresis).
LABEL_WORDS = {"themas": "thema's", "regios": "regio's", "email": "e-mail",
               "coordinaten": "coördinaten", "cbs": "CBS", "url": "webadres",
               "lat": "breedtegraad", "lon": "lengtegraad", "recept": "Recept",
               "welzijn": "welzijn"}

# The rules ``check`` applies across fields (model validators), for the hint of the field an
# editor fills first. Decap has no conditional fields, so they are told, not enforced;
# tests/test_decap.py checks that every (model, field) here exists.
RULES: dict[tuple[type[BaseModel], str], str] = {
    (Activiteit, "plek"): "Kies een plek óf vul hieronder een adres in, niet allebei. Is het "
                          "online? Laat plek en adres leeg en vul 'Online' in.",
    (Activiteit, "adres"): "Alleen als de activiteit niet in een ontmoetingsplek is: laat dit "
                           "dicht als u een plek heeft gekozen.",
    (Praktijk, "gemeenten"): "Vul 'Gemeenten' of 'Regio's' in (of allebei): één van de twee is "
                             "verplicht.",
    (Praktijk, "regios"): "Vul 'Gemeenten' of 'Regio's' in (of allebei): één van de twee is "
                          "verplicht.",
    (Tijdschema, "frequentie"): "Elke week of elke maand: kies hier en vul 'Dagen' in. Op losse "
                                "dagen: laat dit leeg en vul 'Datums' in.",
    (Tijdschema, "interval"): "Leeg is elke week (of maand). 2 is om de week: vul dan ook "
                              "'Geldig vanaf' in, de eerste keer.",
    (Tijdschema, "dagen"): "Bij wekelijks een gewone dag (dinsdag); bij maandelijks de "
                           "hoeveelste van de maand (tweede maandag).",
    (Tijdschema, "datums"): "Losse dagen, zoals 05-12-2026 (dag-maand-jaar). Alleen als "
                            "'Frequentie' leeg is.",
    (Tijdschema, "tot"): "Alleen met een begintijd, en later dan de begintijd.",
    (Kosten, "bedrag"): "Alleen als het niet gratis is.",
    (Leeftijd, "van"): "Vul 'Van' of 'Tot' in, of allebei.",
    (Loket, "naam"): "Geef het loket ook een telefoonnummer, e-mailadres, website of adres.",
    (Adres, "straat"): "Een adres heeft een straat, huisnummer en plaats; laat het anders "
                       "helemaal leeg.",
}


# Rules that replace the field's description in the form: the description tells how to write
# the value in YAML ('[DI]'), the form offers choices instead.
INSTEAD = {(Tijdschema, "frequentie"), (Tijdschema, "interval"), (Tijdschema, "dagen"),
           (Tijdschema, "datums")}
# A description that speaks of Markdown or .md files becomes this: the form has buttons.
MARKDOWN_HINT = "Tekst voor de pagina. Kopjes, vet, links en lijstjes maakt u met de knoppen."


def label(name: str) -> str:
    """'themas' -> "Thema's", 'email' -> 'E-mail', 'laatst_gecontroleerd' -> 'Laatst gecontroleerd'."""
    words = [LABEL_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def repo_name(repository: str | None) -> str | None:
    """'https://github.com/org/kaart(.git)' -> 'org/kaart'."""
    import re

    if not repository:
        return None
    m = re.match(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s#?]+?)(?:\.git)?/?$", repository)
    return f"{m.group(1)}/{m.group(2)}" if m else None


# --------------------------------------------------------------------------- option lists

def day_options() -> list[dict[str, str]]:
    """The day codes ``dagen`` takes (schedule.parse_day), with Dutch labels: every weekday,
    then per weekday the first to fifth and the last of the month."""
    out = [{"label": name, "value": code} for code, name in zip(DAY_CODES, DAY_NAMES, strict=True)]
    for code, name in zip(DAY_CODES, DAY_NAMES, strict=True):
        out += [{"label": f"{ORDINALS[pos]} {name} van de maand", "value": f"{pos}{code}"}
                for pos in (1, 2, 3, 4, 5, -1)]
    return out


def time_options() -> list[str]:
    """'00:00' ... '23:55', every TIME_STEP minutes."""
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, TIME_STEP)]


# --------------------------------------------------------------------------- types

def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """(bare type, metadata) of an annotation: Annotated and Optional removed; a union of a
    type and a list of it (a single value accepted for a list) becomes the list."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation, metadata = args[0], [*metadata, *args[1:]]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            lists = [a for a in rest if typing.get_origin(_unwrap(a)[0]) is list]
            annotation = lists[0] if lists else rest[0] if len(rest) == 1 else str
        else:
            return annotation, metadata


def _model(annotation: Any) -> type[BaseModel] | None:
    ann = _unwrap(annotation)[0]
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _list_item(annotation: Any) -> Any | None:
    """The item annotation (Annotated kept) of a list type, else None."""
    ann = _unwrap(annotation)[0]
    return typing.get_args(ann)[0] if typing.get_origin(ann) is list else None


def _literal_options(annotation: Any) -> list[str]:
    ann = _unwrap(annotation)[0]
    return [str(a) for a in typing.get_args(ann)] if typing.get_origin(ann) is typing.Literal else []


def _schemas(annotation: Any, metadata: Iterable[Any]) -> list[dict[str, Any]]:
    found = []
    for meta in [*metadata, *_unwrap(annotation)[1]]:
        schema = getattr(meta, "json_schema", None)
        if isinstance(schema, dict):
            found.append(schema)
    return found


def _pattern(annotation: Any, metadata: Iterable[Any]) -> tuple[str, str] | None:
    """The Decap ``pattern`` of a constrained string type (Url, Email, Postcode, Slug, ...)."""
    metadata = [*metadata, *_unwrap(annotation)[1]]
    for schema in _schemas(annotation, metadata):
        message = schema.get("description", "Ongeldige waarde")
        if schema.get("format") == "uri":
            return PATTERNS["Url"]
        if schema.get("format") == "email":
            return PATTERNS["Email"]
        if "pattern" in schema:
            return (schema["pattern"], message)
    for meta in metadata:
        for inner in [meta, *getattr(meta, "metadata", [])]:
            pattern = getattr(inner, "pattern", None)
            if isinstance(pattern, str):
                return (pattern, "Ongeldige waarde")
    return None


def _bounds(annotation: Any, metadata: Iterable[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for meta in [*metadata, *_unwrap(annotation)[1]]:
        for inner in [meta, *getattr(meta, "metadata", [])]:
            if isinstance(inner, Ge | Gt):
                out["min"] = inner.ge if isinstance(inner, Ge) else inner.gt
            if isinstance(inner, Le | Lt):
                out["max"] = inner.le if isinstance(inner, Le) else inner.lt
    return out


def _shorthand(item: Any) -> str | None:
    """The field a short list item fills, as ``niet_op: [2026-12-25]`` for
    ``[{van: 2026-12-25}]``: asked of the item's own BeforeValidator, so the shorthand is known
    in one place (the model)."""
    for meta in _unwrap(item)[1]:
        func = getattr(meta, "func", None)
        if isinstance(meta, BeforeValidator) and callable(func):
            try:
                expanded = func("2026-01-01")
            except (ValueError, TypeError):
                continue
            if isinstance(expanded, dict) and len(expanded) == 1:
                return str(next(iter(expanded)))
    return None


def _is_day(annotation: Any) -> bool:
    return any("MA|DI" in s.get("pattern", "") for s in _schemas(annotation, ()))


# --------------------------------------------------------------------------- fields

@dataclass
class Context:
    """What relation and select fields can offer, for one editor. Gemeenten and regions are
    known when the site is built (a select); the rest is read from the repository as the
    editor sees it (a relation)."""

    site: Site
    gemeenten: list[Gemeente]
    gemeente: Gemeente | None = None
    regios: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.regios = [(r.slug, f"{r.naam} ({i.naam})") for i in self.site.regio_indelingen
                       for r in i.regios]
        self.gemeenten = sorted(self.gemeenten, key=lambda g: g.naam.casefold())


def _relation(target: str, ctx: Context, multiple: bool) -> dict[str, Any]:
    if target.startswith("taxonomie:"):
        out: dict[str, Any] = {"widget": "relation", "collection": "taxonomie",
                               "file": target.split(":", 1)[1], "value_field": "termen.*.slug",
                               "search_fields": ["termen.*.label"],
                               "display_fields": ["termen.*.label"]}
    elif target == "regios":
        out = {"widget": "select", "options": [{"label": lab, "value": slug}
                                                for slug, lab in ctx.regios]}
    elif target == "gemeenten":
        out = {"widget": "select", "options": [{"label": g.naam, "value": g.slug}
                                                for g in ctx.gemeenten]}
    elif target == "plekken":
        out = {"widget": "relation", "collection": "ontmoetingsplekken",
               "value_field": "{{slug}}", "search_fields": ["naam"], "display_fields": ["naam"]}
    else:  # organisaties
        out = {"widget": "relation", "collection": target, "value_field": "{{slug}}",
               "search_fields": ["naam"], "display_fields": ["naam"]}
    if multiple:
        out["multiple"] = True
    return out


def _value_widget(name: str, annotation: Any, metadata: Iterable[Any], ctx: Context,
                  opmaak: str | None = None, keuzes: dict[str, str] | None = None) -> dict[str, Any]:
    """The widget of one value (not a list, not a group)."""
    ann, _ = _unwrap(annotation)
    widget: dict[str, Any]
    options = _literal_options(annotation)
    if options and keuzes:
        return {"widget": "select", "options": [{"label": keuzes.get(o, o), "value": o}
                                                for o in options]}
    if options:
        return {"widget": "select", "options": options}
    if ann is bool:
        return {"widget": "boolean"}
    if ann in (int, float, Decimal):
        widget = {"widget": "number", "value_type": "int" if ann is int else "float",
                  **_bounds(annotation, metadata)}
        if ann is not int:
            # 0.0001 (about 10 m for coordinates), not smaller: JSON would write 1e-06, which
            # YAML 1.1 readers take for a string
            widget["step"] = 0.01 if ann is Decimal else 0.0001
        return widget
    if ann is date:
        return {"widget": "datum"}
    if ann is time:
        return {"widget": "select", "options": time_options()}
    if _is_day(annotation):
        return {"widget": "select", "options": day_options()}
    if name == "kern" and ctx.gemeente is not None and ctx.gemeente.kernen:
        return {"widget": "select", "options": list(ctx.gemeente.kernen)}
    if opmaak == "markdown":
        widget = {"widget": "markdown", "buttons": ["bold", "italic", "link", "heading-two",
                                                     "heading-three", "bulleted-list",
                                                     "numbered-list"],
                  "editor_components": [], "modes": ["rich_text", "raw"]}
    elif opmaak == "lang":
        widget = {"widget": "text"}
    else:
        widget = {"widget": "string"}
    pattern = _pattern(annotation, metadata)
    if pattern:
        widget["pattern"] = [pattern[0], pattern[1]]
    return widget


def _min_items(info: FieldInfo) -> int | None:
    for meta in [*info.metadata, *_unwrap(info.annotation)[1]]:
        for inner in [meta, *getattr(meta, "metadata", [])]:
            if getattr(inner, "min_length", None):
                return int(inner.min_length)
    return None


def _hint(model: type[BaseModel] | None, name: str, info: FieldInfo) -> str:
    text = description(name, info)
    rule = RULES.get((model, name)) if model is not None else None
    if rule and (model, name) in INSTEAD:
        return rule
    if "Markdown" in text or ".md" in text:
        text = MARKDOWN_HINT
    if text.startswith("true als "):  # the file's word; the form has a switch or ja/nee
        text = "Ja als " + text.removeprefix("true als ")
    if rule:
        text = f"{text.rstrip('.')}. {rule}"
    return text


def decap_field(name: str, info: FieldInfo, ctx: Context, model: type[BaseModel] | None = None,
                *, hidden_default: Any = None) -> dict[str, Any]:
    """One Decap field for one model field (recursively for nested models)."""
    out: dict[str, Any] = {"label": label(name), "name": name, "hint": _hint(model, name, info),
                           "required": bool(info.is_required())}
    if hidden_default is not None:
        out.update({"widget": "hidden", "default": hidden_default})
        return out
    item = _list_item(info.annotation)
    nested = _model(info.annotation)
    target = reference(info)
    if target:
        out.update(_relation(target, ctx, multiple=item is not None))
    elif item is not None and (item_model := _model(item)):
        out["widget"] = "list"
        short = _shorthand(item)
        if short:  # rows written short in a file become full rows in the form (beheer.js)
            out.update({"widget": "rijen", "verkort": short})
        out.update({"fields": model_fields(item_model, ctx),
                    "collapsed": False,
                    "label_singular": SINGULAR.get(name, label(name).lower())})
    elif item is not None and _is_day(item):
        out.update({"widget": "select", "multiple": True, "options": day_options()})
    elif item is not None:
        sub = {"label": label(name), "name": "waarde",
               **_value_widget(name, item, (), ctx, field_meta(info, "opmaak"))}
        out.update({"widget": "list", "field": sub})
        if name in SINGULAR:
            out["label_singular"] = SINGULAR[name]
    elif nested is not None:
        # An optional group is written only when something in it is filled (beheer.js).
        out.update({"widget": "object" if info.is_required() else "groep",
                    "fields": model_fields(nested, ctx), "collapsed": not info.is_required()})
    else:
        out.update(_value_widget(name, info.annotation, info.metadata, ctx,
                                 field_meta(info, "opmaak"), field_meta(info, "keuzes")))
        if out["widget"] == "boolean":
            if info.is_required():  # Decap counts an unticked box as missing: ask ja/nee
                out["widget"] = "janee"
            else:  # unticked and not written: the model's default (false) applies
                out["required"] = False
    if out["widget"] in ("list", "rijen", "select", "relation") and item is not None:
        minimum = _min_items(info)
        if minimum:
            out["min"] = minimum
    return out


def model_fields(model: type[BaseModel], ctx: Context,
                 hidden: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    hidden = hidden or {}
    return [decap_field(name, info, ctx, model, hidden_default=hidden.get(name))
            for name, info in ordered_fields(model)]


def ordered_fields(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    from sociale_kaart.authoring.scaffold import ordered_fields as scaffold_order

    return scaffold_order(model)


# --------------------------------------------------------------------------- collections

def _folder_collection(name: str, label_text: str, singular: str, folder: str,
                       model: type[BaseModel], ctx: Context, identifier: str, *,
                       markdown: bool = False, hidden: dict[str, Any] | None = None,
                       description_text: str = "") -> dict[str, Any]:
    fields = model_fields(model, ctx, hidden)
    coll: dict[str, Any] = {
        "name": name, "label": label_text, "label_singular": singular, "folder": folder,
        "create": True, "delete": False, "slug": "{{slug}}", "identifier_field": identifier,
        "summary": "{{" + identifier + "}}", "sortable_fields": [identifier],
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


PROPOSAL = ("Opslaan maakt een voorstel (pull request); een beheerder controleert het en zet "
            "het op de site.")


def _taxonomie(ctx: Context, content: str, hide: bool) -> dict[str, Any]:
    coll: dict[str, Any] = {
        "name": "taxonomie", "label": "Keuzelijsten", "label_singular": "Keuzelijst",
        "description": "Thema's, doelgroepen en andere lijsten waaruit u kiest.",
        "files": [{"name": vocab, "label": label(vocab.replace("-", "_")),
                   "file": f"{content}/taxonomie/{vocab}.yaml",
                   "fields": model_fields(Taxonomie, ctx)} for vocab in VOCABULARIES]}
    if hide:  # only as the source of the term relations
        coll["hide"] = True
    return coll


def _organisaties(ctx: Context, content: str) -> dict[str, Any]:
    return _folder_collection("organisaties", "Organisaties", "Organisatie",
                              content_folder("organisatie", content=content), Organisatie, ctx,
                              "naam", description_text="Organisaties in de hele provincie. "
                              + PROPOSAL)


def _backend(site: Site, branch: str) -> dict[str, Any]:
    backend: dict[str, Any] = {
        "name": "github", "branch": branch,
        # A provider without push access forks the repository and proposes a pull request.
        "open_authoring": True, "auth_scope": "public_repo",
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
    login = site.beheerscherm
    if login is not None and login.inlogdienst:
        backend["base_url"] = login.inlogdienst.rstrip("/")
        if login.inlogpad:
            backend["auth_endpoint"] = login.inlogpad.strip("/")
    return backend


def _config(site: Site, collections: list[dict[str, Any]], content: str, branch: str,
            url: str | None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "backend": _backend(site, branch),
        "publish_mode": "editorial_workflow",
        "locale": "nl",
        # Files starting with '_' are ignored by the generator (pipeline/load.py).
        "media_folder": f"{content}/_media",
        "public_folder": "/media",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }
    if url:
        config["site_url"] = url
        config["display_url"] = url
    return config


def gemeente_config(site: Site, gemeente: Gemeente, gemeenten: Iterable[Gemeente],
                    content: str = "content", branch: str = "main") -> dict[str, Any]:
    """The editor of one gemeente (``/<gemeente>/admin/config.yml``)."""
    ctx = Context(site, list(gemeenten), gemeente)
    g = gemeente.slug
    collections = [
        _folder_collection("activiteiten", f"Activiteiten {gemeente.naam}", "Activiteit",
                           content_folder("activiteit", g, content), Activiteit, ctx, "titel",
                           hidden={"gemeente": g},
                           description_text=f"Activiteiten in {gemeente.naam}. " + PROPOSAL),
        _folder_collection("ontmoetingsplekken", f"Plekken {gemeente.naam}", "Ontmoetingsplek",
                           content_folder("ontmoetingsplek", g, content), Ontmoetingsplek, ctx,
                           "naam", hidden={"gemeente": g},
                           description_text=f"Ontmoetingsplekken in {gemeente.naam}. " + PROPOSAL),
        _organisaties(ctx, content),
        {"name": "gemeente", "label": f"Gemeente {gemeente.naam}", "files": [
            {"name": g, "label": gemeente.naam, "file": f"{content_folder('gemeente', content=content)}/{g}.yaml",
             "fields": model_fields(Gemeente, ctx)}]},
        _taxonomie(ctx, content, hide=True),
    ]
    url = f"{site.basis_url.rstrip('/')}/{g}/" if site.basis_url else None
    return _config(site, collections, content, branch, url)


def province_config(site: Site, gemeenten: Iterable[Gemeente], content: str = "content",
                    branch: str = "main") -> dict[str, Any]:
    """The province editor (``/admin/provincie/config.yml``): what belongs to no one gemeente."""
    ctx = Context(site, list(gemeenten))
    collections = [
        _folder_collection("gemeenten", "Gemeenten", "Gemeente",
                           content_folder("gemeente", content=content), Gemeente, ctx, "naam"),
        _organisaties(ctx, content),
        _folder_collection("praktijken", "Leerrijke praktijken", "Praktijk",
                           content_folder("praktijk", content=content), Praktijk, ctx, "titel",
                           markdown=True, description_text="De kennisbank. " + PROPOSAL),
        _taxonomie(ctx, content, hide=False),
        {"name": "instellingen", "label": "Instellingen", "files": [
            {"name": "site", "label": "Site", "file": f"{content}/site.yaml",
             "fields": model_fields(Site, ctx)}]},
    ]
    return _config(site, collections, content, branch, site.basis_url)


def decap_config(site: Site, gemeenten: Iterable[Gemeente], content: str = "content",
                 branch: str = "main") -> dict[str, dict[str, Any]]:
    """Every editor's config by its folder: 'admin/provincie' and '<gemeente>/admin'."""
    gemeenten = list(gemeenten)
    configs = {"admin/provincie": province_config(site, gemeenten, content, branch)}
    for g in sorted(gemeenten, key=lambda g: g.slug):
        configs[f"{g.slug}/admin"] = gemeente_config(site, g, gemeenten, content, branch)
    return configs


# --------------------------------------------------------------------------- pages

# The start of both admin pages: never for search engines.
ADMIN_HEAD = """<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
"""

PAGE = ADMIN_HEAD + """<title>{title}</title>
<script type="application/json" id="sociale-kaart-beheer">{settings}</script>
</head>
<body>
<noscript><p>Voor het beheerscherm is JavaScript nodig. U kunt bestanden ook op GitHub aanpassen;
zie CONTRIBUTING.md in de repository.</p></noscript>
<script src="{script}" integrity="{integrity}" crossorigin="anonymous"></script>
<script src="{admin_script}"></script>
</body>
</html>
"""

CHOOSER = ADMIN_HEAD + """<title>Beheer - {site}</title>
{css}</head>
<body>
<main id="inhoud" class="wrap beheer-keuze">
<h1>Beheer van {site}</h1>
<p>Hier past u de sociale kaart aan. Wat u opslaat, wordt een voorstel (pull request); een
beheerder controleert het en zet het daarna op de site. U logt in met een GitHub-account. Heeft
u geen toegang tot de repository? Dan maakt het beheerscherm eerst een eigen kopie (fork) voor
u; uw wijziging wordt dan op dezelfde manier een voorstel.</p>
<h2>Kies uw gemeente</h2>
<p>Activiteiten, ontmoetingsplekken en organisaties van één gemeente:</p>
<ul class="beheer-gemeenten">
{gemeenten}</ul>
<h2>Voor de hele provincie</h2>
<p><a href="provincie/">Gemeenten, organisaties, leerrijke praktijken, keuzelijsten en
instellingen</a></p>
</main>
</body>
</html>
"""


def _json_for_html(data: Any) -> str:
    """JSON that is safe inside <script type="application/json">."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def admin_script() -> bytes:
    return resources.files("sociale_kaart.authoring").joinpath("beheer.js").read_bytes()


def _config_text(config: dict[str, Any]) -> bytes:
    """config.yml, written as JSON: JSON is YAML (1.2, which Decap reads), and writing it is
    a thousand times faster than PyYAML's emitter (37 editors of 80 KiB each for 36 gemeenten)."""
    text = ("# Gemaakt door sociale-kaart (authoring/decap.py) uit de modellen; niet met de hand "
            "aanpassen.\n" + json.dumps(config, ensure_ascii=False) + "\n")
    return text.encode("utf-8")


def _editor_page(title: str, settings: dict[str, Any]) -> bytes:
    return PAGE.format(title=escape(title), settings=_json_for_html(settings), script=DECAP_SCRIPT,
                       integrity=DECAP_INTEGRITY, admin_script=ADMIN_SCRIPT).encode("utf-8")


def _settings(css: str | None, gemeente: str | None = None) -> dict[str, Any]:
    """What beheer.js reads from the page: the stylesheet for the previews (a path from the
    page), the Dutch labels of the day codes and of a praktijk's phase, the gemeente of the
    editor, the words a yes/no may be written as in a file."""
    return {"css": css, "gemeente": gemeente,
            "dagen": {o["value"]: o["label"] for o in day_options()},
            "praktijkStatus": field_meta(Praktijk.model_fields["status"], "keuzes"),
            "ja": list(JA_WORDS), "nee": list(NEE_WORDS)}


def gemeente_admin_files(site: Site, gemeente: Gemeente, gemeenten: Iterable[Gemeente],
                         content: str = "content", *, css: str | None = None,
                         branch: str = "main") -> dict[str, bytes]:
    """``<gemeente>/admin/``: ``index.html``, ``config.yml`` and ``beheer.js`` (paths from the
    site root). ``css`` is the site's stylesheet as a path from the gemeente folder."""
    folder = f"{gemeente.slug}/admin"
    settings = _settings(f"../{css}" if css else None, gemeente.slug)
    return {f"{folder}/index.html": _editor_page(f"Beheer {gemeente.naam} - {site.naam}", settings),
            f"{folder}/config.yml": _config_text(gemeente_config(site, gemeente, gemeenten, content, branch)),
            f"{folder}/{ADMIN_SCRIPT}": admin_script()}


def province_admin_files(site: Site, gemeenten: Iterable[Gemeente], content: str = "content", *,
                         css: str | None = None, branch: str = "main") -> dict[str, bytes]:
    """``admin/index.html`` (the way to every editor) and ``admin/provincie/`` (paths from the
    site root). ``css`` is the site's stylesheet as a path from the site root."""
    gemeenten = sorted(gemeenten, key=lambda g: g.naam.casefold())
    items = "".join(f'<li><a href="../{escape(g.slug)}/admin/">{escape(g.naam)}</a></li>\n'
                    for g in gemeenten)
    sheet = f'<link rel="stylesheet" href="../{escape(css)}">\n' if css else ""
    settings = _settings(f"../../{css}" if css else None)
    return {"admin/index.html": CHOOSER.format(site=escape(site.naam), css=sheet,
                                               gemeenten=items).encode("utf-8"),
            "admin/provincie/index.html": _editor_page(f"Beheer provincie - {site.naam}", settings),
            "admin/provincie/config.yml": _config_text(province_config(site, gemeenten, content, branch)),
            f"admin/provincie/{ADMIN_SCRIPT}": admin_script()}


def admin_files(site: Site, gemeenten: Iterable[Gemeente], content: str = "content", *,
                css: str | None = None, branch: str = "main") -> dict[str, bytes]:
    """Every file of every editor, by path from the site root (``css``: the stylesheet's
    path from any section folder, as ``assets/style.<hash>.css``)."""
    gemeenten = list(gemeenten)
    files = province_admin_files(site, gemeenten, content, css=css, branch=branch)
    for g in gemeenten:
        files.update(gemeente_admin_files(site, g, gemeenten, content, css=css, branch=branch))
    return files


def script_hash(data: bytes) -> str:
    """The Subresource Integrity value of a script (sha384, as DECAP_INTEGRITY)."""
    import base64

    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")
