"""Decap CMS configuration generated from the models: one editor per gemeente and one for the
province, every field, widgets an editor can fill without knowing the YAML codes, nothing
pre-filled, the cross-field rules told in the hints, valid references, login settings.
tests/test_decap_browser.py fills these forms in a real browser."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
import yaml
from pydantic import BaseModel

from sociale_kaart.authoring.decap import (
    DECAP_INTEGRITY,
    DECAP_SCRIPT,
    INSTEAD,
    RULES,
    admin_files,
    day_options,
    decap_config,
    label,
    repo_name,
    time_options,
)
from sociale_kaart.authoring.scaffold import _list_item, _literal_options, _model, reference
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
from sociale_kaart.model.fields import choice_label, field_meta
from sociale_kaart.model.schedule import Tijdschema, parse_day
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
def configs(loaded, site) -> dict[str, dict]:
    return decap_config(site, loaded.entries["gemeente"])


def collections(config: dict) -> dict[str, dict]:
    return {c["name"]: c for c in config["collections"]}


def fields_by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def all_fields(fields: list[dict]):
    for f in fields:
        yield f
        yield from all_fields(f.get("fields", []))
        if "field" in f:
            yield from all_fields([f["field"]])


def config_fields(config: dict):
    for c in config["collections"]:
        for part in [c, *c.get("files", [])]:
            yield from all_fields(part.get("fields", []))


def assert_model_fields(model: type[BaseModel], fields: list[dict], where: str) -> int:
    """Every field of ``model`` (recursively) is in ``fields``, in the model's words, with the
    right required flag."""
    by = fields_by_name(fields)
    count = 0
    for name, info in model.model_fields.items():
        assert name in by, f"{where}: field {name} missing"
        f = by[name]
        count += 1
        assert f["label"] and f["hint"], f"{where}.{name}: label and hint"
        if info.description and (model, name) not in INSTEAD and \
                f["widget"] not in ("markdown", "boolean", "janee"):
            assert f["hint"].startswith(info.description.rstrip(".")), f"{where}.{name}"
        if f["widget"] not in ("boolean", "hidden"):
            assert f["required"] == info.is_required(), f"{where}.{name}: required flag"
        item = _list_item(info.annotation)
        nested = _model(item) if item is not None else _model(info.annotation)
        if nested is not None and reference(info) is None:
            assert f["widget"] in ("list", "rijen", "object", "groep"), f"{where}.{name}"
            if f["widget"] == "groep":
                assert not info.is_required(), f"{where}.{name}: a required group is an object"
            count += assert_model_fields(nested, f["fields"], f"{where}.{name}")
        options = _literal_options(info.annotation)
        if options:  # the values, with the model's words for them where it has them
            keuzes = field_meta(info, "keuzes")
            wanted = [{"label": keuzes[o], "value": o} for o in options] if keuzes else options
            assert f["widget"] == "select" and f["options"] == wanted, f"{where}.{name}"
    return count


def test_one_editor_per_gemeente_and_one_for_the_province(configs: dict) -> None:
    assert set(configs) == {"admin/provincie", "heuveldorp/admin", "vechtstad/admin"}
    assert list(collections(configs["vechtstad/admin"])) == [
        "activiteiten", "ontmoetingsplekken", "organisaties", "gemeente", "taxonomie"]
    assert list(collections(configs["admin/provincie"])) == [
        "gemeenten", "organisaties", "praktijken", "taxonomie", "instellingen"]
    for g in ("heuveldorp", "vechtstad"):
        colls = collections(configs[f"{g}/admin"])
        assert colls["activiteiten"]["folder"] == f"content/activiteiten/{g}"
        assert colls["ontmoetingsplekken"]["folder"] == f"content/ontmoetingsplekken/{g}"
        assert [f["file"] for f in colls["gemeente"]["files"]] == [f"content/gemeenten/{g}.yaml"]
        assert colls["taxonomie"]["hide"] is True  # only the source of the term relations
        for kind in ("activiteiten", "ontmoetingsplekken"):
            gemeente = fields_by_name(colls[kind]["fields"])["gemeente"]
            assert gemeente["widget"] == "hidden" and gemeente["default"] == g
    assert collections(configs["vechtstad/admin"])["activiteiten"]["label"] == \
        "Activiteiten Vechtstad"


def test_workflow_backend_and_open_authoring(configs: dict) -> None:
    for config in configs.values():
        assert config["publish_mode"] == "editorial_workflow"
        backend = config["backend"]
        assert backend["name"] == "github" and backend["repo"] == "voorbeeld/sociale-kaart"
        assert backend["branch"] == "main"
        # A provider without push access proposes a change from a fork.
        assert backend["open_authoring"] is True and backend["auth_scope"] == "public_repo"
        assert "base_url" not in backend  # default: login through Netlify
        assert config["locale"] == "nl"
        # media outside the generator's view: files starting with '_' are ignored
        assert config["media_folder"].split("/")[-1].startswith("_")


def test_own_login_service(loaded, site) -> None:
    site = Site.model_validate({**site.model_dump(mode="json", exclude_none=True),
                                "beheerscherm": {"inlogdienst": "https://inloggen.example.nl/",
                                                 "inlogpad": "github/auth"}})
    for config in decap_config(site, loaded.entries["gemeente"]).values():
        assert config["backend"]["base_url"] == "https://inloggen.example.nl"
        assert config["backend"]["auth_endpoint"] == "github/auth"


def test_every_model_field_appears(configs: dict) -> None:
    counted = 0
    for g in ("heuveldorp", "vechtstad"):
        colls = collections(configs[f"{g}/admin"])
        counted += assert_model_fields(Activiteit, colls["activiteiten"]["fields"], g)
        counted += assert_model_fields(Ontmoetingsplek, colls["ontmoetingsplekken"]["fields"], g)
        counted += assert_model_fields(Organisatie, colls["organisaties"]["fields"], g)
        counted += assert_model_fields(Gemeente, colls["gemeente"]["files"][0]["fields"], g)
    province = collections(configs["admin/provincie"])
    counted += assert_model_fields(Organisatie, province["organisaties"]["fields"], "organisaties")
    counted += assert_model_fields(Praktijk, province["praktijken"]["fields"], "praktijken")
    counted += assert_model_fields(Gemeente, province["gemeenten"]["fields"], "gemeenten")
    files = {f["name"]: f for f in province["taxonomie"]["files"]}
    assert set(files) == set(VOCABULARIES)
    for f in files.values():
        counted += assert_model_fields(Taxonomie, f["fields"], f["name"])
    counted += assert_model_fields(Site, province["instellingen"]["files"][0]["fields"], "site")
    assert counted > 300


def test_collections_point_at_the_content_folders(configs: dict) -> None:
    for config in configs.values():
        for c in config["collections"]:
            if "folder" in c:
                assert (FIXTURES / c["folder"].removeprefix("content/")).is_dir(), c["folder"]
                assert c["extension"] == ("md" if c["name"] == "praktijken" else "yaml")
            else:
                for f in c["files"]:
                    assert (FIXTURES / f["file"].removeprefix("content/")).is_file(), f["file"]


def test_relations_point_at_collections_of_the_same_editor(configs: dict) -> None:
    seen = 0
    for config in configs.values():
        colls = collections(config)
        for f in config_fields(config):
            if f.get("widget") != "relation":
                continue
            seen += 1
            target = colls[f["collection"]]
            if "file" in f:
                assert f["file"] in {x["name"] for x in target["files"]}
                assert f["value_field"] == "termen.*.slug"
            else:
                assert f["value_field"] == "{{slug}}"
    assert seen > 20
    acts = fields_by_name(collections(configs["vechtstad/admin"])["activiteiten"]["fields"])
    assert acts["plek"]["collection"] == "ontmoetingsplekken"  # this gemeente's places only
    assert acts["themas"]["multiple"] is True and acts["themas"]["file"] == "themas"
    assert acts["organisator"]["collection"] == "organisaties"


def test_gemeenten_regions_and_kernen_are_chosen_by_name(configs: dict, loaded) -> None:
    praktijk = fields_by_name(collections(configs["admin/provincie"])["praktijken"]["fields"])
    assert praktijk["regios"]["widget"] == "select"
    assert {o["value"] for o in praktijk["regios"]["options"]} == \
        {"ggd-noord", "ggd-zuid", "vechtregio"}
    assert praktijk["gemeenten"]["options"] == [{"label": "Heuveldorp", "value": "heuveldorp"},
                                                {"label": "Vechtstad", "value": "vechtstad"}]
    vechtstad = next(g for g in loaded.entries["gemeente"] if g.slug == "vechtstad")
    acts = fields_by_name(collections(configs["vechtstad/admin"])["activiteiten"]["fields"])
    assert acts["kern"]["widget"] == "select" and acts["kern"]["options"] == list(vechtstad.kernen)


def test_nothing_is_pre_filled(configs: dict) -> None:
    """A default is saved as if the editor chose it (a schedule row holding only 'interval: 1'
    fails check): only the hidden gemeente has one."""
    for config in configs.values():
        for f in config_fields(config):
            if "default" in f:
                assert f["widget"] == "hidden" and f["name"] == "gemeente", f


def test_schedule_fields_offer_choices_check_accepts(configs: dict) -> None:
    acts = fields_by_name(collections(configs["vechtstad/admin"])["activiteiten"]["fields"])
    wanneer = fields_by_name(acts["wanneer"]["fields"])
    assert wanneer["frequentie"]["options"] == ["wekelijks", "maandelijks"]
    assert wanneer["dagen"]["widget"] == "select" and wanneer["dagen"]["multiple"] is True
    codes = [o["value"] for o in wanneer["dagen"]["options"]]
    assert len(codes) == len(set(codes)) == 7 * 7
    for code in codes:
        Tijdschema.model_validate({"frequentie": "maandelijks" if parse_day(code)[0] else
                                   "wekelijks", "dagen": [code]})
    labels = {o["value"]: o["label"] for o in day_options()}
    assert labels["DI"] == "dinsdag" and labels["2MA"] == "tweede maandag van de maand"
    assert labels["-1VR"] == "laatste vrijdag van de maand"
    for name in ("van", "tot"):
        assert wanneer[name]["widget"] == "select" and wanneer[name]["options"] == time_options()
    for t in time_options():
        Tijdschema.model_validate({"datums": ["2026-12-05"], "van": t})
    assert wanneer["datums"]["field"]["widget"] == "datum"
    assert wanneer["geldig_vanaf"]["widget"] == "datum"
    assert wanneer["interval"]["widget"] == "number" and wanneer["interval"]["min"] == 1


def test_widgets_follow_the_types_and_markers(configs: dict) -> None:
    acts = fields_by_name(collections(configs["vechtstad/admin"])["activiteiten"]["fields"])
    assert acts["beschrijving"]["widget"] == "markdown"  # Meta(opmaak="markdown")
    assert acts["samenvatting"]["widget"] == "text"
    assert acts["welzijn_op_recept"]["widget"] == "boolean"
    assert acts["laatst_gecontroleerd"]["widget"] == "datum"
    assert acts["online"]["pattern"][0] == "^https?://"
    assert acts["adres"]["widget"] == "groep" and acts["adres"]["collapsed"] is True
    kosten = fields_by_name(acts["kosten"]["fields"])
    assert kosten["bedrag"]["widget"] == "number" and kosten["bedrag"]["value_type"] == "float"
    assert kosten["gratis"]["widget"] == "janee"  # required yes/no: Decap counts 'no' as missing
    plek = fields_by_name(collections(configs["vechtstad/admin"])["ontmoetingsplekken"]["fields"])
    assert plek["coordinaten"]["widget"] == "groep"
    praktijk = collections(configs["admin/provincie"])["praktijken"]
    assert praktijk["format"] == "yaml-frontmatter"
    assert fields_by_name(praktijk["fields"])["body"]["widget"] == "markdown"
    assert fields_by_name(praktijk["fields"])["wat_werkt"]["min"] == 1
    # Meta(keuzes=...): the editor chooses a phase in the words the page shows it in
    status = fields_by_name(praktijk["fields"])["status"]
    assert {"label": "Een proef (pilot): het wordt uitgeprobeerd", "value": "pilot"} in status["options"]
    assert choice_label(Praktijk, "status", "pilot") == "Een proef (pilot): het wordt uitgeprobeerd"


def test_labels_are_dutch_words() -> None:
    assert label("themas") == "Thema's"
    assert label("email") == "E-mail"
    assert label("regios") == "Regio's"
    assert label("laatst_gecontroleerd") == "Laatst gecontroleerd"
    assert label("welzijn_op_recept") == "Welzijn op Recept"


def test_cross_field_rules_are_in_the_hints(configs: dict) -> None:
    """Each rule names a field that exists and appears in that field's hint in every form."""
    assert RULES
    for model, name in RULES:
        assert name in model.model_fields, (model.__name__, name)
    hints = [f.get("hint", "") for c in configs.values() for f in config_fields(c)]
    for rule in RULES.values():
        assert any(rule in hint for hint in hints), rule
    praktijk = fields_by_name(collections(configs["admin/provincie"])["praktijken"]["fields"])
    assert "één van de twee is verplicht" in praktijk["gemeenten"]["hint"]


def test_repo_name() -> None:
    assert repo_name("https://github.com/org/kaart") == "org/kaart"
    assert repo_name("https://github.com/org/kaart.git") == "org/kaart"
    assert repo_name("https://gitlab.com/org/kaart") is None
    assert repo_name(None) is None


def test_admin_files(loaded, site, configs: dict) -> None:
    files = admin_files(site, loaded.entries["gemeente"], css="assets/style.abc.css")
    assert all(isinstance(v, bytes) for v in files.values())
    assert sorted(files) == sorted(
        ["admin/index.html"]
        + [f"{folder}/{name}" for folder in configs
           for name in ("index.html", "config.yml", "beheer.js")])
    for folder, config in configs.items():
        text = files[f"{folder}/config.yml"]
        assert text.startswith(b"# ") and yaml.safe_load(text) == config
        html = files[f"{folder}/index.html"].decode("utf-8")
        assert '<html lang="nl">' in html and 'content="noindex"' in html
        assert (f'<script src="{DECAP_SCRIPT}" integrity="{DECAP_INTEGRITY}" '
                'crossorigin="anonymous"></script>') in html
        assert '<script src="beheer.js"></script>' in html
        html5lib.HTMLParser(strict=True).parse(html)
    assert '"css": "../assets/style.abc.css"' in files["vechtstad/admin/index.html"].decode()
    chooser = files["admin/index.html"].decode("utf-8")
    html5lib.HTMLParser(strict=True).parse(chooser)
    assert '<a href="../vechtstad/admin/">Vechtstad</a>' in chooser
    assert '<a href="../heuveldorp/admin/">Heuveldorp</a>' in chooser
    assert '<a href="provincie/">' in chooser
    assert '<link rel="stylesheet" href="../assets/style.abc.css">' in chooser


def test_settings_in_the_page_cannot_close_the_script(loaded, site) -> None:
    site = site.model_copy(update={"naam": "Kaart </script><script>alert(1)</script>"})
    for rel, data in admin_files(site, loaded.entries["gemeente"]).items():
        if rel.endswith(".html"):
            assert b"<script>alert" not in data, rel


def test_no_editor_without_repository(loaded) -> None:
    assert loaded.site.repository is None
    for config in decap_config(loaded.site, loaded.entries["gemeente"]).values():
        assert "repo" not in config["backend"]



def test_decap_from_npm_is_pinned_with_integrity() -> None:
    """tests/decap installs exactly the version the admin pages load, and the lock file holds
    an integrity hash for every package (npm ci refuses a download that does not match)."""
    import json

    from sociale_kaart.authoring.decap import DECAP_VERSION

    npm = ROOT / "tests" / "decap"
    package = json.loads((npm / "package.json").read_text("utf-8"))
    assert package["dependencies"] == {"decap-cms": DECAP_VERSION}
    lock = json.loads((npm / "package-lock.json").read_text("utf-8"))
    assert lock["packages"][""]["dependencies"] == {"decap-cms": DECAP_VERSION}
    assert lock["packages"]["node_modules/decap-cms"]["version"] == DECAP_VERSION
    installed = {k: v for k, v in lock["packages"].items() if k}
    assert len(installed) > 100
    for name, entry in installed.items():
        assert entry["integrity"].startswith("sha512-"), name
    assert "npm ci" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_pinned_hash_is_the_hash_of_the_npm_file() -> None:
    from sociale_kaart.authoring.decap import script_hash

    from .decap_site import require_decap

    assert script_hash(require_decap().read_bytes()) == DECAP_INTEGRITY


def test_hints_speak_of_the_form_not_of_yaml(configs: dict) -> None:
    """A hint tells what to choose or type in the form: no YAML lists ('[DI]'), no dates in
    the file's order in a date field (2026-12-05: its picker takes 05-12-2026; a text field such
    as a source's date, 2023-07, is typed as the hint shows), no Markdown or .md files."""
    import re

    for config in configs.values():
        for f in config_fields(config):
            hint = f.get("hint", "")
            assert "[" not in hint, hint
            if f.get("widget") != "string":
                assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", hint), (f.get("name"), hint)
            assert "Markdown" not in hint and ".md" not in hint, hint
            assert not re.search(r"\b(true|false)\b", hint), hint
    acts = fields_by_name(collections(configs["vechtstad/admin"])["activiteiten"]["fields"])
    wanneer = fields_by_name(acts["wanneer"]["fields"])
    assert "05-12-2026" in wanneer["datums"]["hint"]
    assert acts["wanneer"]["label_singular"] == "tijd"
    assert wanneer["datums"]["label_singular"] == "datum"


def test_rows_written_short_are_known_to_the_form(configs: dict) -> None:
    """`niet_op: [2026-12-29]` is short for `[{van: 2026-12-29}]` (the model's own
    BeforeValidator): the list says which field a short row fills, so beheer.js can show it."""
    acts = fields_by_name(collections(configs["vechtstad/admin"])["activiteiten"]["fields"])
    niet_op = fields_by_name(acts["wanneer"]["fields"])["niet_op"]
    assert niet_op["widget"] == "rijen" and niet_op["verkort"] == "van"
    assert Tijdschema.model_validate({"datums": ["2026-12-05"], "niet_op": ["2026-12-29"]}) \
        .niet_op[0].van.isoformat() == "2026-12-29"
    rijen = [f for c in configs.values() for f in config_fields(c) if f["widget"] == "rijen"]
    assert {f["name"] for f in rijen} == {"niet_op"}
