"""Decap CMS configuration generated from the models: every field, right widgets, valid refs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from sociale_kaart.authoring.decap import DECAP_SCRIPT, admin_files, decap_config, repo_name, write_admin
from sociale_kaart.authoring.scaffold import _list_item, _literal_options, _model
from sociale_kaart.model.entries import (
    VOCABULARIES,
    Activiteit,
    Gemeente,
    Ontmoetingsplek,
    Organisatie,
    Praktijk,
    Site,
    Taxonomie,
    references,
)
from sociale_kaart.pipeline.load import load_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kaart"
REPO = "https://github.com/voorbeeld/sociale-kaart"


@pytest.fixture(scope="module")
def loaded():
    return load_content(FIXTURES)


@pytest.fixture(scope="module")
def site(loaded) -> Site:
    return loaded.site.model_copy(update={"repository": REPO})


@pytest.fixture(scope="module")
def config(loaded, site) -> dict:
    return decap_config(site, loaded.entries["gemeente"])


def collections(config: dict) -> dict[str, dict]:
    return {c["name"]: c for c in config["collections"]}


def fields_by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def assert_model_fields(model: type[BaseModel], fields: list[dict], where: str) -> int:
    """Every field of ``model`` (recursively) is in ``fields`` with the right required flag."""
    by = fields_by_name(fields)
    count = 0
    for name, info in model.model_fields.items():
        assert name in by, f"{where}: field {name} missing"
        f = by[name]
        count += 1
        assert f["label"] and f["hint"], f"{where}.{name}: label and hint"
        if info.description:
            assert f["hint"] == info.description
        if f["widget"] not in ("boolean", "hidden"):
            assert f["required"] == info.is_required(), f"{where}.{name}: required flag"
        item = _list_item(info.annotation)
        nested = _model(item) if item is not None else _model(info.annotation)
        if nested is not None and name not in references(model):
            assert f["widget"] in ("list", "object"), f"{where}.{name}"
            count += assert_model_fields(nested, f["fields"], f"{where}.{name}")
        options = _literal_options(info.annotation)
        if options:
            assert f["widget"] == "select" and f["options"] == options
    return count


def test_workflow_and_backend(config: dict) -> None:
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "voorbeeld/sociale-kaart"
    assert config["backend"]["branch"] == "main"
    assert config["locale"] == "nl"
    # media outside the generator's view: content/_media is ignored by content.py
    assert config["media_folder"].split("/")[-1].startswith("_")


def test_every_model_field_appears(config: dict) -> None:
    colls = collections(config)
    counted = 0
    for g in ("heuveldorp", "vechtstad"):
        counted += assert_model_fields(Activiteit, colls[f"activiteiten-{g}"]["fields"], g)
        counted += assert_model_fields(Ontmoetingsplek, colls[f"ontmoetingsplekken-{g}"]["fields"], g)
    counted += assert_model_fields(Organisatie, colls["organisaties"]["fields"], "organisaties")
    counted += assert_model_fields(Praktijk, colls["praktijken"]["fields"], "praktijken")
    counted += assert_model_fields(Gemeente, colls["gemeenten"]["fields"], "gemeenten")
    files = {f["name"]: f for f in colls["taxonomie"]["files"]}
    assert set(files) == set(VOCABULARIES)
    for f in files.values():
        counted += assert_model_fields(Taxonomie, f["fields"], f["name"])
    counted += assert_model_fields(Site, colls["instellingen"]["files"][0]["fields"], "site")
    assert counted > 200


def test_collections_point_at_the_content_folders(config: dict) -> None:
    for c in config["collections"]:
        if "folder" in c:
            assert (FIXTURES / c["folder"].removeprefix("content/")).is_dir(), c["folder"]
            suffix = "md" if c["name"] == "praktijken" else "yaml"
            assert c["extension"] == suffix
        else:
            for f in c["files"]:
                assert (FIXTURES / f["file"].removeprefix("content/")).is_file(), f["file"]


def test_gemeente_is_hidden_and_follows_the_folder(config: dict) -> None:
    for name, c in collections(config).items():
        if name.startswith(("activiteiten-", "ontmoetingsplekken-")):
            g = name.split("-", 1)[1]
            field = fields_by_name(c["fields"])["gemeente"]
            assert field["widget"] == "hidden" and field["default"] == g
            assert c["folder"].endswith(f"/{g}")


def _relations(fields: list[dict]):
    for f in fields:
        if f.get("widget") == "relation":
            yield f
        if "fields" in f:
            yield from _relations(f["fields"])


def test_relations_point_at_existing_collections(config: dict) -> None:
    colls = collections(config)
    seen = 0
    for c in config["collections"]:
        for part in [c] + c.get("files", []):
            for rel in _relations(part.get("fields", [])):
                seen += 1
                target = colls[rel["collection"]]
                if "file" in rel:
                    assert rel["file"] in {f["name"] for f in target["files"]}
                    assert rel["value_field"] == "termen.*.slug"
                else:
                    assert rel["value_field"] == "{{slug}}"
                if c["name"].startswith("activiteiten-") and rel["name"] == "plek":
                    g = c["name"].split("-", 1)[1]
                    assert rel["collection"] == f"ontmoetingsplekken-{g}"
    assert seen > 20
    acts = fields_by_name(colls["activiteiten-vechtstad"]["fields"])
    assert acts["themas"]["multiple"] is True and acts["themas"]["file"] == "themas"
    assert acts["organisator"]["collection"] == "organisaties"
    regios = fields_by_name(colls["praktijken"]["fields"])["regios"]
    assert regios["widget"] == "select" and {o["value"] for o in regios["options"]} == \
        {"ggd-noord", "ggd-zuid", "vechtregio"}


def test_widgets_follow_the_types(config: dict) -> None:
    acts = fields_by_name(collections(config)["activiteiten-vechtstad"]["fields"])
    assert acts["beschrijving"]["widget"] == "markdown"
    assert acts["samenvatting"]["widget"] == "text"
    assert acts["welzijn_op_recept"]["widget"] == "boolean"
    assert acts["laatst_gecontroleerd"]["widget"] == "datetime"
    assert acts["laatst_gecontroleerd"]["format"] == "YYYY-MM-DD"
    assert acts["laatst_gecontroleerd"]["time_format"] is False
    assert acts["online"]["pattern"][0] == "^https?://"
    wanneer = fields_by_name(acts["wanneer"]["fields"])
    assert wanneer["van"]["widget"] == "string" and "pattern" in wanneer["van"]
    assert wanneer["interval"]["widget"] == "number" and wanneer["interval"]["default"] == 1
    assert wanneer["datums"]["field"]["widget"] == "datetime"
    assert "pattern" in wanneer["dagen"]["field"]
    kosten = fields_by_name(acts["kosten"]["fields"])
    assert kosten["bedrag"]["widget"] == "number" and kosten["bedrag"]["value_type"] == "float"
    assert acts["status"]["default"] == "actief"
    praktijk = collections(config)["praktijken"]
    assert praktijk["format"] == "yaml-frontmatter"
    assert fields_by_name(praktijk["fields"])["body"]["widget"] == "markdown"
    assert fields_by_name(praktijk["fields"])["wat_werkt"]["min"] == 1


def test_repo_name() -> None:
    assert repo_name("https://github.com/org/kaart") == "org/kaart"
    assert repo_name("https://github.com/org/kaart.git") == "org/kaart"
    assert repo_name("https://gitlab.com/org/kaart") is None
    assert repo_name(None) is None


def test_write_admin(tmp_path: Path, loaded, site) -> None:
    written = write_admin(tmp_path, site, loaded.entries["gemeente"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == \
        ["admin/config.yml", "admin/index.html"]
    parsed = yaml.safe_load((tmp_path / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert parsed == decap_config(site, loaded.entries["gemeente"])
    html = (tmp_path / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and f'<script src="{DECAP_SCRIPT}" integrity=' in html
    assert 'content="noindex"' in html
    import html5lib

    html5lib.HTMLParser(strict=True).parse(html)


def test_no_admin_without_repository(tmp_path: Path, loaded) -> None:
    assert loaded.site.repository is None
    assert write_admin(tmp_path, loaded.site, loaded.entries["gemeente"]) == []
    assert not (tmp_path / "admin").exists()
    assert "repo" not in decap_config(loaded.site, loaded.entries["gemeente"])["backend"]


def test_admin_files_are_bytes(loaded, site) -> None:
    files = admin_files(site, loaded.entries["gemeente"])
    assert all(isinstance(v, bytes) for v in files.values())
    assert files["admin/config.yml"].startswith(b"# ")
