"""The kinds of entries and the files they live in: the one table that the loader, ``new``, the
importers, the reports, ``serve`` and the messages read.

A kind is a model (model/entries.py) in a folder of ``content/``; activities and places sit in
a subfolder per gemeente. ``site.yaml`` and ``taxonomie/`` are files of the kaart too, but not
entries: they are in ``SCHEMA_TYPES`` (for the JSON Schemas) and not in ``KINDS``.

``content_folder`` and ``content_path`` say where a kind's files are, as paths from the root of
the repository: for CODEOWNERS, Decap CMS, and the file names and edit links of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sociale_kaart.model.entries import (
    Activiteit,
    Entry,
    Gemeente,
    Model,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Site,
    Taxonomie,
)
from sociale_kaart.model.kaart import gemeente_of

CONTENT = "content"  # the content folder, from the root of the repository
YAML = frozenset({".yaml", ".yml"})
YAML_OR_MARKDOWN = YAML | {".md"}


@dataclass(frozen=True)
class Kind:
    name: str  # "activiteit": the kind's name in code, schemas and `sociale-kaart new`
    model: type[Entry]
    folder: str  # "activiteiten": its folder in content/
    per_gemeente: bool  # files in content/<folder>/<gemeente>/
    suffixes: frozenset[str]  # the file types it may have
    new_suffix: str  # the file type that `new` and the importers write
    word: str  # Dutch, for messages: "lijkt dezelfde ontmoetingsplek als ..."
    short_word: str  # Dutch, short, for reports and lists: "plek"
    kaart_attribute: str  # where a Kaart holds these entries: "plekken"


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("gemeente", Gemeente, "gemeenten", False, YAML, ".yaml", "gemeente", "gemeente",
         "gemeenten"),
    Kind("organisatie", Organisatie, "organisaties", False, YAML, ".yaml", "organisatie",
         "organisatie", "organisaties"),
    Kind("ontmoetingsplek", Ontmoetingsplek, "ontmoetingsplekken", True, YAML, ".yaml",
         "ontmoetingsplek", "plek", "plekken"),
    Kind("activiteit", Activiteit, "activiteiten", True, YAML_OR_MARKDOWN, ".yaml", "activiteit",
         "activiteit", "activiteiten"),
    Kind("praktijk", Praktijk, "praktijken", False, YAML_OR_MARKDOWN, ".md", "praktijk",
         "praktijk", "praktijken"),
)}

BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS.values()}
# The reference targets of ``Ref`` fields (model/entries.py) that are entries, by Kaart attribute.
BY_KAART_ATTRIBUTE: dict[str, Kind] = {k.kaart_attribute: k for k in KINDS.values()}

ENTRY_TYPES: dict[str, type[Entry]] = {k.name: k.model for k in KINDS.values()}
# Every published schema: entry types plus the two file kinds that are not entries.
SCHEMA_TYPES: dict[str, type[Model]] = {**ENTRY_TYPES, "site": Site, "taxonomie": Taxonomie}
TAXONOMY_SUFFIXES = YAML


def content_folder(kind: str, gemeente: str = "", content: str = CONTENT) -> str:
    """The folder of the files of ``kind``, from the root of the repository, posix style:
    ``content/activiteiten/kampen`` for a kind kept per gemeente, ``content/organisaties`` for
    another (``gemeente`` is then not used). With ``content=""`` the path inside the content
    folder."""
    k = KINDS[kind]
    return "/".join(part for part in (content, k.folder, gemeente if k.per_gemeente else "") if part)


def content_path(entry: Entry, content: str = CONTENT) -> str:
    """The file of ``entry`` from the root of the repository
    (``content/activiteiten/kampen/koffie-inloop.yaml``), whatever folder it was loaded from."""
    folder = content_folder(entry.kind, gemeente_of(entry), content)
    return f"{folder}/{Path(entry.file).name}"
