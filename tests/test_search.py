"""Search without a browser: Dutch compound splitting, facets, and the real Pagefind indexes.

The indexes are read back from their fragment files (gzip, "pagefind_dcd" + JSON per page), so
these tests see exactly what Pagefind indexed: URLs, text and filters.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from sociale_kaart.nl.compounds import Lexicon, expand, search_aids, stems, tokens
from sociale_kaart.nl.text import fold

# --------------------------------------------------------------------------- helpers


def bundle_fragments(bundle: Path) -> dict[str, dict]:
    """url -> fragment (content, filters, meta) of one Pagefind bundle."""
    out = {}
    for file in (bundle / "fragment").iterdir():
        data = gzip.decompress(file.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        out[fragment["url"]] = fragment
    return out


def fragments(primary: Path, copies: bool = True) -> dict[str, dict]:
    """url -> fragment of a section's whole search: its primary bundle and every bundle its
    delen.json lists (index.py); ``copies=False`` leaves out the bundles marked "kopie"."""
    parts = json.loads((primary / "delen.json").read_text("utf-8"))["bundels"]
    assert parts[0] == {"map": "pagefind/"}
    out: dict[str, dict] = {}
    for part in parts:
        if part.get("kopie") and not copies:
            continue
        found = bundle_fragments(primary.parent / part["map"])
        assert not set(found) & set(out), "a page is in one bundle only"
        out.update(found)
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


def test_one_search_per_gemeente_and_kennisbank_none_for_the_province(built_site: Path) -> None:
    vecht = fragments(built_site / "vechtstad" / "pagefind")
    heuvel = fragments(built_site / "heuveldorp" / "pagefind")
    kennis = fragments(built_site / "kennisbank" / "pagefind")
    assert "/plekken/buurthuis-de-brug/" in vecht
    assert "/activiteiten/koffie-inloop/" in vecht
    assert all(not url.startswith("/vechtstad/") for url in vecht)  # relative to the gemeente
    assert "/plekken/dorpshuis-de-linde/" in heuvel and "/plekken/buurthuis-de-brug/" not in heuvel
    assert set(kennis) == {"/welzijn-op-recept-vechtstad/"}
    # No province-wide index: the province search merges the sections (see zoeken.js). The
    # gemeente copies of praktijken sit in a bundle marked "kopie", which it leaves out, so
    # the kennisbank has them once.
    assert not (built_site / "pagefind").exists()
    own = fragments(built_site / "vechtstad" / "pagefind", copies=False)
    assert set(vecht) - set(own) == {"/praktijken/welzijn-op-recept-vechtstad/"}
    manifest = json.loads((built_site / "vechtstad" / "pagefind" / "delen.json").read_text())
    assert manifest == {"bundels": [{"map": "pagefind/"},
                                    {"map": "pagefind/praktijken/", "kopie": True}]}
    html = (built_site / "index.html").read_text()
    block = re.search(r'<div id="zoeken"[^>]*>', html).group(0)
    assert 'data-bundle="kennisbank/pagefind/"' in block and 'data-basis="/kennisbank/"' in block
    assert 'data-bereik="provincie"' in block and 'data-filters="zoekfilters.json"' in block
    # The sections to merge are listed in the province's zoekfilters.json.
    sections = json.loads((built_site / "zoekfilters.json").read_text("utf-8"))["secties"]
    assert sections == [{"map": "heuveldorp/", "basis": "/heuveldorp/"},
                        {"map": "vechtstad/", "basis": "/vechtstad/"}]


def test_shards_split_a_big_section_and_stay_stable() -> None:
    from sociale_kaart.site.search import gemeente_section, layout, shard_shape

    SHARD_PAGES = 100
    section = gemeente_section("x", per_bundle=SHARD_PAGES)
    urls = [f"/activiteiten/a{i}/" for i in range(SHARD_PAGES * 3 - 10)] + ["/praktijken/p/"]
    plan = layout(section, urls)
    assert list(plan)[0] == "pagefind" and plan["pagefind/praktijken"] == ["/praktijken/p/"]
    assert sum(len(v) for v in plan.values()) == len(urls)
    assert sorted(plan) == ["pagefind", "pagefind/deel-2", "pagefind/deel-3",
                            "pagefind/praktijken"]
    assert max(len(v) for v in plan.values()) < 2 * SHARD_PAGES
    # Removing one page keeps the shape: every other page stays in its bundle.
    smaller = layout(section, urls[1:])
    assert shard_shape(section, urls) == shard_shape(section, urls[1:])
    where = {u: n for n, us in plan.items() for u in us}
    assert all(where[u] == n for n, us in smaller.items() for u in us)
    # Small sections have one bundle; copies alone become the primary.
    assert list(layout(section, urls[:5])) == ["pagefind"]
    assert layout(section, ["/praktijken/p/"]) == {"pagefind": ["/praktijken/p/"]}


def test_bundles_written_by_two_pagefind_processes_are_complete(tmp_path: Path) -> None:
    """``serve`` spreads the bundles of an edit over one Pagefind process per core: every bundle
    gets its own complete index, the same files as with one process."""
    from sociale_kaart.site.search import gemeente_section, section_bundles, write_bundles

    section = gemeente_section("x", per_bundle=4)
    pages = {f"/activiteiten/a{i}/": f'<html lang="nl"><body><main data-pagefind-body>'
             f'<h1>Activiteit {i}</h1><p>woord{i} koffie</p></main></body></html>'
             for i in range(13)}
    found = {}
    for processes in (1, 2):
        folder = tmp_path / str(processes)
        bundles = section_bundles(section, folder, pages)
        assert len(bundles) >= 3
        assert write_bundles(bundles, processes=processes) == {"x": len(pages)}
        entries = {b.name: json.loads((b.path / "pagefind-entry.json").read_text("utf-8"))
                   for b in bundles}
        assert sum(e["languages"]["nl"]["page_count"] for e in entries.values()) == len(pages)
        found[processes] = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                                  if p.is_file() and "/filter/" not in p.as_posix()
                                  and "/fragment/" not in p.as_posix() and "/index/" not in p.as_posix()
                                  and not p.name.endswith(".pf_meta"))
    assert found[1] == found[2]


def test_only_detail_pages_and_main_content_are_indexed(built_site: Path) -> None:
    vecht = fragments(built_site / "vechtstad" / "pagefind")
    kinds = {url.split("/")[1] for url in vecht}
    assert kinds == {"activiteiten", "plekken", "organisaties", "praktijken"}
    assert all(url.count("/") == 3 for url in vecht)  # no listings, agenda or booklet
    for fragment in vecht.values():
        assert "Hoofdmenu" not in fragment["content"] and "Naar de inhoud" not in fragment["content"]
        assert "Gemaakt op" not in fragment["content"]  # footer


def test_stopped_activity_is_not_indexed(built_site: Path) -> None:
    page = (built_site / "vechtstad" / "activiteiten" / "koersbal" / "index.html").read_text()
    assert "data-pagefind-body" not in page and "data-pagefind-filter" not in page
    for bundle in (built_site / "vechtstad" / "pagefind", built_site / "kennisbank" / "pagefind"):
        pages = fragments(bundle)
        assert not any("koersbal" in url for url in pages)
        assert not any("Koersbal" in f["content"] for f in pages.values())


def test_filters_of_indexed_pages(built_site: Path) -> None:
    vecht = fragments(built_site / "vechtstad" / "pagefind")
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
    assert vecht["/activiteiten/koffie-inloop/"]["meta"]["kort"].startswith("Elke dinsdagochtend")


def test_search_aids_are_indexed_but_hidden(built_site: Path) -> None:
    html = (built_site / "vechtstad" / "plekken" / "buurthuis-de-brug" / "index.html").read_text()
    block = re.search(r'<div class="zoekdata" hidden>(.*?)</div>', html, re.S)
    assert block is not None, "search aids must sit in an element with the hidden attribute"
    assert re.search(r'<p data-pagefind-weight="10">[^<]*\bhuis\b', block.group(1))
    # Nothing of it outside the hidden block: the visible page is unchanged.
    visible = html.replace(block.group(0), "")
    assert not re.search(r">[^<]*\bbuurt huis\b", visible)
    content = fragments(built_site / "vechtstad" / "pagefind")["/plekken/buurthuis-de-brug/"][
        "content"]
    assert re.search(r"\bhuis\b", content)  # Pagefind indexed the hidden words


def test_unused_pagefind_files_are_pruned(built_site: Path) -> None:
    bundle = built_site / "vechtstad" / "pagefind"
    names = {p.name for p in bundle.iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.nl.pagefind"} <= names
    assert not names & {"pagefind-ui.js", "pagefind-component-ui.js", "wasm.unknown.pagefind"}
    # A secondary bundle is merged into the primary: no script or WebAssembly of its own.
    part = {p.name for p in (bundle / "praktijken").iterdir()}
    assert "pagefind-entry.json" in part
    assert not part & {"pagefind.js", "pagefind-worker.js", "wasm.nl.pagefind", "pagefind-ui.js"}


def test_search_pages_point_at_their_bundles(built_site: Path) -> None:
    def attrs(path: str) -> tuple[str, str]:
        html = (built_site / path).read_text()
        m = re.search(r'<div[^>]* data-zoeken[ >][^>]*', html)
        assert m, path
        bundle = re.search(r' data-bundle="([^"]*)"', m.group(0))
        root = re.search(r' data-root="([^"]*)"', m.group(0))
        assert bundle and root, path
        return bundle.group(1), root.group(1)

    assert attrs("vechtstad/zoeken/index.html") == ("../pagefind/", "../")
    assert attrs("kennisbank/index.html") == ("pagefind/", "./")
    assert attrs("index.html") == ("kennisbank/pagefind/", "./")


def test_unchanged_search_bundles_come_from_the_cache(content_copy: Path, tmp_path: Path) -> None:
    """``build`` with the cache (the CLI's default) copies a bundle whose pages are the same as
    in the previous build instead of indexing them again; an edited page's bundle is made anew,
    and the cache keeps the bundles of the last full build only."""
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    cache = tmp_path / "cache" / "zoekindex"

    def run(out: str, use_cache: bool = True):
        result = build(BuildOptions(content=content_copy, out=tmp_path / out, today=TODAY,
                                    now=NOW, cache=use_cache, cache_dir=tmp_path / "cache"))
        assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
        return result

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    first = run("a")
    # vechtstad's own bundle and its copies of praktijken, heuveldorp's, the kennisbank's.
    assert first.bundles == 4 and first.reused_bundles == 0
    assert len(list(cache.iterdir())) == 4
    second = run("b")
    assert second.reused_bundles == second.bundles == 4
    assert files(tmp_path / "b") == files(tmp_path / "a")  # the same files, to the byte
    assert not run("c", use_cache=False).reused_bundles

    activity = content_copy / "activiteiten" / "vechtstad" / "koffie-inloop.yaml"
    text = activity.read_text("utf-8")
    activity.write_text(text.replace("titel: ", "titel: Vernieuwde ", 1), "utf-8")
    third = run("d")
    assert third.bundles == 4 and third.reused_bundles == 3  # only vechtstad's own is new
    vecht = fragments(tmp_path / "d" / "vechtstad" / "pagefind")
    assert vecht["/activiteiten/koffie-inloop/"]["meta"]["title"].startswith("Vernieuwde ")
    assert fragments(tmp_path / "d" / "heuveldorp" / "pagefind") == \
        fragments(tmp_path / "a" / "heuveldorp" / "pagefind")
    assert len(list(cache.iterdir())) == 4  # the replaced bundle is forgotten

    # A damaged entry (a file cut short, a file gone) costs time, never correctness: the
    # bundle is made again, and the search is complete.
    entries = sorted(cache.iterdir())
    fragment = next((entries[0] / "fragment").iterdir())
    fragment.write_bytes(fragment.read_bytes()[:10])
    next((entries[1] / "index").iterdir()).unlink()
    fourth = run("e")
    assert fourth.reused_bundles == 2
    # (Pagefind's filter files are not byte-reproducible, so their names and that of the
    # metadata file that lists them may differ.)
    def same_names(root: Path) -> set[str]:
        return {n for n in files(root) if "/filter/" not in n and not n.endswith(".pf_meta")}

    assert same_names(tmp_path / "e") == same_names(tmp_path / "d")
    for section in ("vechtstad", "heuveldorp", "kennisbank"):
        assert fragments(tmp_path / "e" / section / "pagefind") == \
            fragments(tmp_path / "d" / section / "pagefind")
    assert run("f").reused_bundles == 4  # the damaged entries were replaced


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
