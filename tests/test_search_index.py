"""The search engine's index without a browser (sociale_kaart/site/search_index.py): what it
reads from a page, and the files it writes (the browser side: test_search_browser.py and
test_relevance.py)."""

from __future__ import annotations

import json
from pathlib import Path

from sociale_kaart.site import search_index
from sociale_kaart.site.search_index import AID, BODY, HEAD, TITLE, Doc, extract, index_files

PAGE = """<html><head><title>x</title><script>var koffie = 1;</script></head><body>
<nav>Menu buurthuis</nav>
<article data-pagefind-body data-pagefind-meta="wanneer:Elke dinsdag">
  <h1>Koffie-inloop in De Brug</h1>
  <p data-pagefind-meta="kort" data-pagefind-weight="5">Samen een kopje koffie drinken.</p>
  <p>Iedere week <strong>gezellig</strong> praten met buren.</p>
  <h2 data-pagefind-ignore>Kosten</h2>
  <div class="zoekdata" hidden>
    <span data-pagefind-filter="soort">activiteit</span>
    <span data-pagefind-filter="gemeente">Vechtstad</span><span data-pagefind-filter="thema">Ontmoeten</span>
    <p>senioren</p>
  </div>
</article>
<footer>Over deze kaart</footer>
</body></html>"""


def levels(doc: Doc) -> dict[str, int]:
    return dict(doc.levels())


def test_extract_reads_the_pages_annotations() -> None:
    doc = extract(PAGE, "/activiteiten/koffie-inloop/")
    assert doc is not None
    assert doc.titel == "Koffie-inloop in De Brug"
    assert doc.samenvatting == "Samen een kopje koffie drinken."
    assert doc.meta == {"wanneer": "Elke dinsdag"}
    assert doc.filters == [("soort", "activiteit"), ("gemeente", "Vechtstad"),
                           ("thema", "Ontmoeten")]
    words = levels(doc)
    assert words["koffie"] == TITLE and words["koffieinloop"] == TITLE  # hyphen: whole and parts
    assert words["kopje"] == HEAD and words["gezellig"] == BODY and words["senioren"] == AID
    # Every tag separates words: filter values never run together ("VechtstadOntmoeten").
    assert "vechtstad" in words and "ontmoeten" in words and "vechtstadontmoeten" not in words
    # Outside the body, ignored parts, scripts and stop words are not indexed.
    assert not {"menu", "kosten", "var", "footer", "deze", "in", "de"} & set(words)


def test_pages_without_a_body_are_not_indexed() -> None:
    assert extract("<html><body><h1>Activiteiten</h1></body></html>", "/x/") is None


def doc(n: int, words: str, soort: str = "activiteit", gemeente: str = "Vechtstad") -> Doc:
    return Doc(f"/a/{n}/", f"Titel {n:03}", [("soort", soort), ("gemeente", gemeente)], {}, "",
               words)


def test_files_order_by_group_and_frequent_words_carry_counts(monkeypatch) -> None:
    monkeypatch.setattr(search_index, "FREQUENT", 3)
    docs = [doc(1, "3koffie", "praktijk"), doc(2, "3koffie 0thee", "organisatie"),
            doc(3, "3koffie", gemeente="Heuveldorp"), doc(4, "0thee", "ontmoetingsplek")]
    files = index_files(docs)
    manifest = json.loads(files["zoekindex.json"])
    assert manifest["documenten"] == 4
    # residents (activities, places) first, then organisations, then praktijken
    assert manifest["groepBegin"] == [0, 2, 3]
    chunk = json.loads(next(v for k, v in files.items() if "/w/" in k))
    (word, items, counts), = chunk["g"]
    assert word == "koffie" and len(items) == 3
    values = [tuple(v) for v in manifest["waarden"]]
    named = {values[i]: n for i, n in counts}
    assert named == {("gemeente", "Vechtstad"): 2, ("gemeente", "Heuveldorp"): 1,
                     ("soort", "activiteit"): 1, ("soort", "organisatie"): 1,
                     ("soort", "praktijk"): 1}
    assert [w for w, _ in chunk["w"]] == ["thee"]  # a rare word with the codes of its pages
    assert len(chunk["r"]) == len(chunk["d"]) == 2


def test_province_docs_leave_out_body_words_and_copies() -> None:
    docs = {
        "vechtstad/activiteiten/x/index.html": doc(1, "3koffie 0kopje"),
        "vechtstad/praktijken/p/index.html": Doc("/praktijken/p/", "P", [], {}, "", "3recept"),
        "kennisbank/p/index.html": Doc("/p/", "P", [], {}, "", "3recept"),
    }
    province = search_index.province_docs(docs)
    assert sorted(d.url for d in province) == ["/kennisbank/p/", "/vechtstad/a/1/"]
    mine = next(d for d in province if d.url == "/vechtstad/a/1/")
    assert dict(mine.levels()) == {"koffie": TITLE}


def test_write_index_replaces_the_old_version(tmp_path: Path) -> None:
    search_index.write_index(tmp_path, [doc(1, "3koffie")])
    first = json.loads((tmp_path / "zoekindex.json").read_text())["versie"]
    search_index.write_index(tmp_path, [doc(1, "3thee")])
    second = json.loads((tmp_path / "zoekindex.json").read_text())["versie"]
    assert first != second
    assert [p.name for p in (tmp_path / "zoekindex").iterdir()] == [second]


def test_unchanged_sections_take_their_documents_from_the_cache(content_copy: Path,
                                                               tmp_path: Path,
                                                               monkeypatch) -> None:
    """A section whose pages are, to the byte, those of the previous build is not read again:
    its documents come from the cache, the index is the same."""
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    calls = tmp_path / "calls.txt"
    real = search_index.extract

    def counted(html: str, url: str, lexicon=None):
        with calls.open("a") as f:  # the render workers are other processes
            f.write(url + "\n")
        return real(html, url, lexicon)

    monkeypatch.setattr(search_index, "extract", counted)

    def run(out: str) -> list[str]:
        calls.write_text("")
        result = build(BuildOptions(content=content_copy, out=tmp_path / out, today=TODAY,
                                    now=NOW, cache=True, cache_dir=tmp_path / "cache"))
        assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
        return calls.read_text().split()

    def index(out: str) -> dict[str, bytes]:
        root = tmp_path / out
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and "zoekindex" in p.relative_to(root).as_posix()}

    first = run("a")
    assert "/activiteiten/koffie-inloop/" in first and len(first) >= 10
    assert run("b") == []
    assert index("b") == index("a")
    activity = content_copy / "activiteiten" / "vechtstad" / "koffie-inloop.yaml"
    activity.write_text(activity.read_text("utf-8").replace("titel: ", "titel: Vernieuwde ", 1),
                        "utf-8")
    third = run("c")
    assert "/activiteiten/koffie-inloop/" in third
    assert len(third) < len(first)  # heuveldorp and the kennisbank from the cache
    province = json.loads((tmp_path / "c" / "zoekindex.json").read_text())
    cards = (tmp_path / "c" / "zoekindex" / province["versie"] / "k").glob("*.json")
    assert any("Vernieuwde Koffie-inloop" in p.read_text("utf-8") for p in cards)
