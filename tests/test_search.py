"""Search without a browser: Dutch compound splitting, facets, and the real search indexes.

The indexes are read back from their files (``read_index``: the cards and the word chunks of
site/search_index.py), so these tests see exactly what was indexed: URLs, words and filters.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from sociale_kaart.nl.compounds import Lexicon, expand, search_aids, stems, tokens
from sociale_kaart.nl.text import fold

# --------------------------------------------------------------------------- helpers


def read_index(folder: Path) -> dict[str, dict]:
    """url -> result card (titel, samenvatting, filters and the page's meta) of the search index
    in ``folder``, each with "woorden": {word: level} read back from the word chunks."""
    manifest = json.loads((folder / "zoekindex.json").read_text("utf-8"))
    base = folder / "zoekindex" / manifest["versie"]
    cards: list[dict] = []
    for i in range(math.ceil(manifest["documenten"] / manifest["blok"])):
        cards += json.loads((base / "k" / f"{i}.json").read_text("utf-8"))
    assert len(cards) == manifest["documenten"]
    for card in cards:
        card["woorden"] = {}
    for i in range(len(manifest["delen"])):
        chunk = json.loads((base / "w" / f"{i}.json").read_text("utf-8"))
        numbers, last = [], 0
        for delta in chunk["d"]:
            last += delta
            numbers.append(last)
        for word, items in chunk["w"]:
            position = 0
            for item in items:
                position += item >> 2
                cards[numbers[position]]["woorden"][word] = item & 3
        for word, items, _ in chunk["g"]:
            number = 0
            for item in items:
                number += item >> 2
                cards[number]["woorden"][word] = item & 3
    out = {card["url"]: card for card in cards}
    assert len(out) == len(cards), "a page is in an index once"
    return out


@pytest.fixture(scope="module")
def lexicon(fixture_content: Path) -> Lexicon:
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check

    from .conftest import TODAY

    kaart, _ = check(load_content(fixture_content), TODAY)
    assert kaart is not None
    return Lexicon.from_terms(kaart.terms)


# --------------------------------------------------------------------------- compounds


@pytest.mark.parametrize("word, parts", [
    ("buurthuis", ["buurt", "huis"]),
    ("Dorpshuis", ["dorp", "huis"]),  # linking -s-
    ("huiskamer", ["huis", "kamer"]),
    ("wandelgroep", ["wandel", "groep"]),  # stem of "wandelen" from the synonyms
    ("ontmoetingscentrum", ["ontmoeting", "centrum"]),  # known long parts stay whole
    ("dinsdagochtend", ["dinsdag", "ochtend"]),
    ("Digicafé", ["digi", "cafe"]),  # folded
    ("buurtmaaltijd", ["buurt", "maaltijd"]),
    ("Westerdorp", ["dorp"]),  # unknown first part: only the known head
    ("leestafel", ["lees", "tafel"]),
])
def test_split_compounds(lexicon: Lexicon, word: str, parts: list[str]) -> None:
    assert lexicon.split(word) == parts


@pytest.mark.parametrize("word", ["koersbal", "bibliotheek", "gezelligheid", "telefoon",
                                  "vrijwilligers", "huis", "koffie", "thuis", "samen",
                                  # a form of a known word ("ontmoeting"), not "ontmo" + "eten"
                                  "ontmoeten", "Ontmoeten"])
def test_no_split_of_plain_words(lexicon: Lexicon, word: str) -> None:
    assert lexicon.split(word) == []


@pytest.mark.parametrize("word, expected", [
    ("sporten", ["sport"]),
    ("wandelen", ["wandel"]),
    ("zwemmen", ["zwem"]),
    ("koken", ["kok", "kook"]),
    ("praatje", ["praat"]),
    ("vrijwilligers", ["vrijwilliger"]),
    ("eten", []),  # too short to strip safely
    ("sport", []),
])
def test_stems(word: str, expected: list[str]) -> None:
    assert stems(word) == expected


def test_tokens_and_fold() -> None:
    assert tokens("Koffie-inloop in De Brug") == ["koffieinloop", "koffie", "inloop", "in", "de",
                                                   "brug"]
    assert fold("Café Ééntje") == "cafe eentje"


def test_expand_adds_parts_not_words_already_there(lexicon: Lexicon) -> None:
    words = expand("Koffie-inloop in De Brug", lexicon)
    assert "inloop" in words and "koffie" in words  # hyphen parts are indexed separately
    words = expand("Buurthuis De Brug", lexicon)
    assert words == ["buurt", "huis"]
    assert "de" not in expand("De buurthuizen van de wijk", lexicon)


def test_search_aids_groups_and_synonyms(lexicon: Lexicon) -> None:
    aids = search_aids(lexicon, "Wandelgroep Samen op Pad", ["Bewegen en sport", "Ontmoeten"],
                       ["Om de week wandelen in een rustig tempo."], ["sporten", "wandelen",
                                                                      "buurthuis"])
    assert {"wandel", "groep"} <= set(aids.titel)
    assert "beweg" in aids.thema
    assert "sporten" in aids.tekst and "huis" in aids.tekst  # synonym and its compound part
    assert "wandelen" not in aids.tekst  # visible in the summary already
    everything = aids.titel + aids.thema + aids.tekst
    assert len(everything) == len(set(everything))  # each word once, in its heaviest group


# --------------------------------------------------------------------------- facets


def test_activity_facets(fixture_content: Path) -> None:
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check
    from sociale_kaart.site.facets import activity_facets

    from .conftest import TODAY

    kaart, _ = check(load_content(fixture_content), TODAY)
    assert kaart is not None
    facets = dict(activity_facets(kaart, kaart.activiteiten["vechtstad"]["koffie-inloop"],
                                  "vechtstad"))
    assert facets == {
        "gemeente": ["Vechtstad"], "thema": ["Ontmoeten", "Minder alleen"],
        "doelgroep": ["Ouderen (55+)", "Mensen die zich eenzaam voelen"],
        "dag": ["dinsdag"], "dagdeel": ["ochtend"], "kosten": ["gratis"],
        "toegankelijkheid": ["Toegankelijk met rolstoel of rollator",
                             "Binnenlopen zonder aanmelden"],
        "kern": ["Oost"],  # from its place
        "welzijn op recept": ["ja"],
    }
    wandel = dict(activity_facets(kaart, kaart.activiteiten["vechtstad"]["wandelgroep"],
                                  "vechtstad"))
    assert wandel["kosten"] == ["betaald"] and wandel["dagdeel"] == ["avond"]
    assert wandel["kern"] == ["Westerdorp"]


def test_theme_synonyms_are_forms_of_the_label_not_related_words(fixture_content: Path) -> None:
    """A theme's synonyms are mostly words about it ("voetbal", "yoga" for Bewegen en sport,
    "koffie" for Ontmoeten): an entry with the theme gets only the forms of the label's and
    the slug's words, not every related word (issue 21: aids belong to the entry)."""
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check
    from sociale_kaart.site.facets import _form_of_label, entry_search_aids

    from .conftest import TODAY

    assert _form_of_label("sporten", "Bewegen en sport")
    assert _form_of_label("beweeg", "Bewegen en sport")
    assert _form_of_label("eenzaamheid", "Minder alleen", "eenzaamheid")
    assert not _form_of_label("voetbal", "Bewegen en sport", "bewegen")
    assert not _form_of_label("koffie", "Ontmoeten", "ontmoeting")
    assert not _form_of_label("lezen", "Leren en taal", "leren-en-taal")
    assert not _form_of_label("taalcafé", "Leren en taal", "leren-en-taal")  # a kind of it
    assert _form_of_label("vrijwilliger", "Meedoen en vrijwilligerswerk")
    kaart, _ = check(load_content(fixture_content), TODAY)
    assert kaart is not None
    lexicon = Lexicon.from_terms(kaart.terms)
    koersbal = entry_search_aids(kaart, lexicon, kaart.activiteiten["vechtstad"]["koersbal"])
    words = set(koersbal.titel + koersbal.thema + koersbal.tekst)
    assert {"sporten", "beweeg"} <= words
    assert not {"voetbal", "yoga", "zwemmen", "fitness"} & words
    taal = entry_search_aids(kaart, lexicon, kaart.activiteiten["vechtstad"]["taalcafe"])
    assert "koffie" not in set(taal.titel + taal.thema + taal.tekst)  # Ontmoeten, no koffie
    inloop = entry_search_aids(kaart, lexicon, kaart.activiteiten["vechtstad"]["koffie-inloop"])
    assert "eenzaamheid" in set(inloop.titel + inloop.thema + inloop.tekst)  # Minder alleen


# --------------------------------------------------------------------------- built indexes


def test_one_search_per_section_and_one_for_the_province(built_site: Path) -> None:
    vecht = read_index(built_site / "vechtstad")
    heuvel = read_index(built_site / "heuveldorp")
    kennis = read_index(built_site / "kennisbank")
    assert "/plekken/buurthuis-de-brug/" in vecht
    assert "/activiteiten/koffie-inloop/" in vecht
    assert all(not url.startswith("/vechtstad/") for url in vecht)  # relative to the gemeente
    assert "/plekken/dorpshuis-de-linde/" in heuvel and "/plekken/buurthuis-de-brug/" not in heuvel
    assert set(kennis) == {"/welzijn-op-recept-vechtstad/"}
    # The province index: every section's pages, URLs from the root, the gemeenten's copies of
    # praktijken left out (the kennisbank has them once), and no body words.
    province = read_index(built_site)
    assert set(province) == ({f"/vechtstad{u}" for u in vecht if not u.startswith("/praktijken/")}
                             | {f"/heuveldorp{u}" for u in heuvel
                                if not u.startswith("/praktijken/")}
                             | {f"/kennisbank{u}" for u in kennis})
    assert not any(0 in card["woorden"].values() for card in province.values())
    assert any(0 in card["woorden"].values() for card in vecht.values())
    html = (built_site / "index.html").read_text()
    block = re.search(r'<div id="zoeken"[^>]*>', html).group(0)
    assert 'data-root="./"' in block
    assert 'data-bereik="provincie"' in block and 'data-filters="zoekfilters.json"' in block


def test_no_pagefind_files_or_references_in_the_site(built_site: Path) -> None:
    """The site's own index is the only search index: no Pagefind bundle is built and no page
    or script asks for one."""
    assert not [p for p in built_site.rglob("*") if "pagefind" in p.name]
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".js", ".json"):
            text = path.read_text("utf-8")
            assert "pagefind.js" not in text and "data-bundle" not in text, path
            assert "delen.json" not in text, path


def test_only_detail_pages_and_main_content_are_indexed(built_site: Path) -> None:
    vecht = read_index(built_site / "vechtstad")
    kinds = {url.split("/")[1] for url in vecht}
    assert kinds == {"activiteiten", "plekken", "organisaties", "praktijken"}
    assert all(url.count("/") == 3 for url in vecht)  # no listings, agenda or booklet
    for card in vecht.values():
        assert "hoofdmenu" not in card["woorden"]  # navigation
        assert "gemaakt" not in card["woorden"]  # footer: "Gemaakt op ..."


def test_stopped_activity_is_not_indexed(built_site: Path) -> None:
    page = (built_site / "vechtstad" / "activiteiten" / "koersbal" / "index.html").read_text()
    assert "data-pagefind-body" not in page and "data-pagefind-filter" not in page
    for folder in (built_site / "vechtstad", built_site / "kennisbank", built_site):
        pages = read_index(folder)
        assert not any("koersbal" in url for url in pages)
        assert not any("koersbal" in card["woorden"] for card in pages.values())


def test_filters_of_indexed_pages(built_site: Path) -> None:
    vecht = read_index(built_site / "vechtstad")
    koffie = vecht["/activiteiten/koffie-inloop/"]["filters"]
    assert koffie["soort"] == ["activiteit"]
    assert koffie["thema"] == ["Ontmoeten", "Minder alleen"]
    assert koffie["dag"] == ["dinsdag"] and koffie["kosten"] == ["gratis"]
    assert koffie["welzijn op recept"] == ["ja"]
    brug = vecht["/plekken/buurthuis-de-brug/"]["filters"]
    assert brug["soort"] == ["ontmoetingsplek"] and brug["plek"] == ["Buurthuis"]
    assert brug["kern"] == ["Oost"]
    assert vecht["/organisaties/welzijn-vechtstad/"]["filters"]["soort"] == ["organisatie"]
    assert vecht["/praktijken/welzijn-op-recept-vechtstad/"]["filters"]["soort"] == ["praktijk"]
    assert vecht["/activiteiten/koffie-inloop/"]["samenvatting"].startswith("Elke dinsdagochtend")


def test_search_aids_are_indexed_but_hidden(built_site: Path) -> None:
    html = (built_site / "vechtstad" / "plekken" / "buurthuis-de-brug" / "index.html").read_text()
    block = re.search(r'<div class="zoekdata" hidden>(.*?)</div>', html, re.S)
    assert block is not None, "search aids must sit in an element with the hidden attribute"
    assert re.search(r'<p data-pagefind-weight="10">[^<]*\bhuis\b', block.group(1))
    # Nothing of it outside the hidden block: the visible page is unchanged.
    visible = html.replace(block.group(0), "")
    assert not re.search(r">[^<]*\bbuurt huis\b", visible)
    words = read_index(built_site / "vechtstad")["/plekken/buurthuis-de-brug/"]["woorden"]
    assert "huis" in words  # the hidden words are indexed


def test_search_pages_point_at_their_index(built_site: Path) -> None:
    def root(path: str) -> str:
        html = (built_site / path).read_text()
        m = re.search(r'<div[^>]* data-zoeken[ >][^>]*', html)
        assert m, path
        found = re.search(r' data-root="([^"]*)"', m.group(0))
        assert found, path
        return found.group(1)

    for path, expected, index in [("vechtstad/zoeken/index.html", "../", "vechtstad"),
                                  ("kennisbank/index.html", "./", "kennisbank"),
                                  ("index.html", "./", "")]:
        assert root(path) == expected
        assert read_index(built_site / index)


def test_a_damaged_cache_entry_is_made_again(content_copy: Path, tmp_path: Path) -> None:
    """``build`` with the cache (the CLI's default) takes the documents of an unchanged section
    from the cache. A damaged entry (a file cut short, a file gone, content that is not
    documents) costs time, never correctness: it is made again, the site is the same, and the
    next build reuses the new entries; the cache keeps the entries of the last build only."""
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    cache = tmp_path / "cache" / "zoekmachine"

    def run(out: str, use_cache: bool = True):
        result = build(BuildOptions(content=content_copy, out=tmp_path / out, today=TODAY,
                                    now=NOW, cache=use_cache, cache_dir=tmp_path / "cache"))
        assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
        return result

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    first = run("a")
    # vechtstad's, heuveldorp's and the kennisbank's documents.
    assert first.indexes == 3 and first.reused_indexes == 0
    assert len(list(cache.iterdir())) == 3
    second = run("b")
    assert second.reused_indexes == second.indexes == 3
    assert files(tmp_path / "b") == files(tmp_path / "a")  # the same files, to the byte
    assert not run("c", use_cache=False).reused_indexes

    entries = sorted(cache.iterdir())
    docs = entries[0] / "docs.json"
    docs.write_bytes(docs.read_bytes()[:10])  # cut short
    (entries[1] / "docs.json").unlink()  # gone
    # Intact to the byte (its listing updated) but not documents: not what section_docs writes.
    import hashlib

    bad = b'{"x": 1}'
    (entries[2] / "docs.json").write_bytes(bad)
    (entries[2] / ".inhoud").write_text(f"{hashlib.sha256(bad).hexdigest()} {len(bad)} docs.json\n")
    fourth = run("d")
    assert fourth.reused_indexes == 0
    assert files(tmp_path / "d") == files(tmp_path / "a")
    assert run("e").reused_indexes == 3  # the damaged entries were replaced
    assert len(list(cache.iterdir())) == 3

    activity = content_copy / "activiteiten" / "vechtstad" / "koffie-inloop.yaml"
    activity.write_text(activity.read_text("utf-8").replace("titel: ", "titel: Vernieuwde ", 1),
                        "utf-8")
    assert run("f").reused_indexes == 2  # only vechtstad's pages are read again
    assert len(list(cache.iterdir())) == 3  # the replaced entry is forgotten
    vecht = read_index(tmp_path / "f" / "vechtstad")
    assert vecht["/activiteiten/koffie-inloop/"]["titel"].startswith("Vernieuwde ")


def test_every_index_is_checked_before_it_is_published(content_copy: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    """The files of each section's index and the province's are checked before and after they
    are written: a broken index (here one that names a word chunk it lacks, or an empty file)
    is made again, and when it is broken again the build stops with a Dutch message and
    publishes nothing: the previous site stays."""
    from sociale_kaart.site import search_index
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    out = tmp_path / "public"
    assert build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW)).ok
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = search_index.index_files

    def broken(kind: str):
        def index_files(docs, body=True):
            files = real(docs, body)
            chunk = next(n for n in files if "/w/" in n)
            if kind == "missing":
                del files[chunk]
            else:
                files[chunk] = b""
            return files
        return index_files

    for kind, problem in (("missing", "ontbreekt"), ("empty", "is leeg")):
        monkeypatch.setattr(search_index, "index_files", broken(kind))
        result = build(BuildOptions(content=content_copy, out=out, today=TODAY, now=NOW))
        assert not result.ok
        (error,) = [d for d in result.diagnostics if d.is_error]
        assert "de zoekindex is niet goed gemaakt" in error.text() and problem in error.text()
        assert {p.relative_to(out).as_posix(): p.read_bytes()
                for p in out.rglob("*") if p.is_file()} == before

    # A write that goes wrong once (a file cut short on disk) is made again: the site is whole.
    monkeypatch.setattr(search_index, "index_files", real)
    real_write = search_index._write_files
    failed: list[Path] = []

    def write_once_short(folder: Path, files) -> None:
        real_write(folder, files)
        if not failed:
            failed.append(folder)
            name = next(n for n in files if "/w/" in n)
            (folder / name).write_bytes(files[name][:5])

    monkeypatch.setattr(search_index, "_write_files", write_once_short)
    other = tmp_path / "other"
    assert build(BuildOptions(content=content_copy, out=other, today=TODAY, now=NOW)).ok
    assert {p.relative_to(other).as_posix(): p.read_bytes()
            for p in other.rglob("*") if p.is_file()} == before


def test_index_problem_names_what_is_wrong() -> None:
    from sociale_kaart.site.search_index import Doc, index_files, index_problem

    docs = [Doc(f"/a/{i}/", f"Titel {i}", [("soort", "activiteit")], {}, "", "3koffie 0thee")
            for i in range(30)]
    good = index_files(docs)
    assert index_problem(good, 30) is None
    assert "telt 30 documenten in plaats van 31" in index_problem(good, 31)
    cards = next(n for n in good if "/k/1.json" in n)
    assert index_problem({k: v for k, v in good.items() if k != cards}, 30) == f"{cards} ontbreekt"
    assert "ontbreekt of is leeg" in index_problem({**good, "zoekindex.json": b""}, 30)
    assert "geen geldige JSON" in index_problem({**good, "zoekindex.json": b"{"}, 30)
    assert "niet de verwachte vorm" in index_problem({**good, "zoekindex.json": b"[]"}, 30)
    assert "is leeg" in index_problem({**good, cards: b""}, 30)


def test_filters_are_named_in_one_place(built_site: Path) -> None:
    """site/facets.FACETS names the filters; the build writes them as zoekfilters.json, which
    zoeken.js reads instead of a list of its own, and every filter on a page is in it."""
    import json

    from sociale_kaart.site.facets import FACETS

    script = (Path(__file__).parent.parent / "sociale_kaart/themes/default/static/zoeken.js").read_text()
    for facet in FACETS:
        assert f'"{facet.label}"' not in script, facet.label
    for folder in (built_site, built_site / "vechtstad", built_site / "heuveldorp"):
        data = json.loads((folder / "zoekfilters.json").read_text("utf-8"))
        assert [f["naam"] for f in data["filters"]] == [f.name for f in FACETS]
    used = {m for page in built_site.rglob("*.html")
            for m in re.findall(r'data-pagefind-filter="([^"]+)"', page.read_text("utf-8"))}
    assert used and used <= {f.name for f in FACETS}, used - {f.name for f in FACETS}


def test_field_markers_feed_the_filters() -> None:
    """A field marked Meta(zoekfilter=...) on the model is what a filter is made of."""
    from sociale_kaart.model.kinds import KINDS
    from sociale_kaart.site.facets import FACETS, model_facets

    names = {f.name for f in FACETS}
    declared: dict[str, dict[str, str]] = {}
    for kind, k in KINDS.items():
        for name, field_name in model_facets(k.model):  # several fields may feed one filter
            declared.setdefault(kind, {})[name] = " ".join(
                filter(None, (declared.get(kind, {}).get(name), field_name)))
    assert declared["activiteit"] == {
        "thema": "themas", "doelgroep": "doelgroepen", "dag": "wanneer", "dagdeel": "wanneer",
        "kosten": "kosten", "welzijn op recept": "welzijn_op_recept",
        "toegankelijkheid": "toegankelijkheid", "kern": "kern wijk"}
    assert declared["ontmoetingsplek"] == {"toegankelijkheid": "toegankelijkheid",
                                           "kern": "kern wijk", "plek": "soort"}
    assert declared["organisatie"] == {"organisatie": "soort"}
    assert declared["praktijk"] == {"gemeente": "gemeenten", "thema": "themas",
                                    "doelgroep": "doelgroepen"}
    assert all(set(d) <= names for d in declared.values())
