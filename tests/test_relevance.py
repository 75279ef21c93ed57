"""The relevance suite: labelled queries, as residents and coaches type them, run in real
Chromium through the real search pages (zoeken.js + zoekmachine.js over the built indexes) of
three sites: the test fixture, the demo content (content/) and generated content
(benchmarks/generate.py). Prints and asserts floors for:

- precision at 3: of the first k results, the share that is relevant (a result is relevant
  when its title contains one of the case's title fragments), where k is 3, or fewer when
  fewer results are shown or fewer of the results shown are relevant (a query with one right
  answer scores 1 when it comes first, not 1/3);
- the zero-result rate: the share of queries with an answer that find nothing;
- the off-query share: of all results shown, the share whose visible text contains neither a
  query word, nor a word it is part of (compound: "lotgenoten" in "lotgenotencontact",
  "huis" in "buurthuis"), nor a stem of it, nor another name of it (a taxonomy term whose
  label, slug or synonym the word is, named on the page). Hidden search aids do not count.
  A corrected query ("Bedoelde u ...?") is judged by the corrected words.

Queries that must find nothing (words on no page: no prefix "backtracking") must find nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from sociale_kaart.nl.compounds import STOPWORDS, stems, tokens
from sociale_kaart.nl.text import fold

from .browser import open_page, serve_directory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
RESULT_LINKS = "[data-zoek-resultaten] .resultaat-titel a"

# Floors (the measured values are in README.md, "Zoeken").
MIN_PRECISION_AT_3 = 0.85
MAX_ZERO_RESULT_RATE = 0.05
MAX_OFF_QUERY_SHARE = 0.05


@dataclass(frozen=True)
class Case:
    site: str  # "fixture", "demo" or "generated"
    page: str  # the search page, from the site root
    query: str
    relevant: tuple[str, ...] = ()  # title fragments of relevant results; () = must find nothing
    first: bool = True  # the first fragment's result must be among the first three


VECHT = "vechtstad/zoeken/index.html"
PROV = "index.html"
HARD = "hardenberg/zoeken/index.html"
OMMEN = "ommen/zoeken/index.html"
GEN = "*/zoeken/index.html"  # the first generated gemeente (invented names)


def none(site: str, page: str, *queries: str) -> list[Case]:
    return [Case(site, page, q) for q in queries]


CASES: list[Case] = [
    # ---- the fixture, a gemeente (Vechtstad)
    Case("fixture", VECHT, "koffie", ("Koffie-inloop", "Buurthuis De Brug")),
    Case("fixture", VECHT, "kofie", ("Koffie-inloop", "Buurthuis De Brug")),  # typo
    Case("fixture", VECHT, "koffie-inloop", ("Koffie-inloop",)),
    Case("fixture", VECHT, "inloop", ("Koffie-inloop", "Buurthuis De Brug")),
    Case("fixture", VECHT, "taalcafe", ("Taalcafé",)),
    Case("fixture", VECHT, "taalcafé", ("Taalcafé",)),
    Case("fixture", VECHT, "taal", ("Taalcafé",)),
    Case("fixture", VECHT, "nederlands", ("Taalcafé",)),
    Case("fixture", VECHT, "computer", ("Digicafé", "Bibliotheek")),
    Case("fixture", VECHT, "tablet", ("Digicafé", "Bibliotheek")),
    Case("fixture", VECHT, "digicafe", ("Digicafé",)),
    Case("fixture", VECHT, "wandelen", ("Wandelgroep",)),
    Case("fixture", VECHT, "wandelgroep", ("Wandelgroep",)),
    Case("fixture", VECHT, "wandelgroepen", ("Wandelgroep",)),  # plural: a stem
    Case("fixture", VECHT, "samen eten", ("Samen eten",)),
    Case("fixture", VECHT, "buurthuis", ("Buurthuis De Brug", "Koffie-inloop in De Brug")),
    Case("fixture", VECHT, "huis", ("Buurthuis De Brug", "Koffie-inloop in De Brug")),
    Case("fixture", VECHT, "bibliotheek", ("Bibliotheek",)),
    Case("fixture", VECHT, "sport", ("Sportservice", "Wandelgroep", "Koersbal")),
    # Residents first: the activities that take part come before the praktijk.
    Case("fixture", VECHT, "welzijn op recept", ("Welzijn op Recept", "Koffie-inloop",
                                                 "Wandelgroep"), first=False),
    Case("fixture", VECHT, "ouderen", ("Koffie-inloop", "Digicafé", "Wandelgroep", "Koersbal")),
    Case("fixture", VECHT, "eenzaamheid", ("Koffie-inloop",)),
    *none("fixture", VECHT, "dementie", "alzheimer", "deurbel", "xyzzyq", "paardrijden",
          "de", "het"),
    # ---- the fixture, the province search
    Case("fixture", PROV, "dorpsmaaltijd", ("Dorpsmaaltijd",)),
    Case("fixture", PROV, "maaltijd", ("Dorpsmaaltijd", "Samen eten")),
    Case("fixture", PROV, "dorpshuis", ("Dorpshuis De Linde", "Dorpsmaaltijd")),
    Case("fixture", PROV, "recept", ("Welzijn op Recept",)),
    Case("fixture", PROV, "koffie", ("Koffie-inloop",)),
    *none("fixture", PROV, "dementie", "schaakclub", "koersbal"),  # koersbal has stopped
    # ---- the demo content, gemeenten
    Case("demo", OMMEN, "lotgenoten", ("Vechtgenotenhuis",)),
    Case("demo", OMMEN, "lotgenotencontact", ("Vechtgenotenhuis",)),
    # Stoppen met roken is part of Vitaal Vechtdal (the activities of its own were not in the
    # sources); an organisation and its praktijk, no activity.
    Case("demo", HARD, "roken", ("Vitaal Vechtdal",)),
    Case("demo", HARD, "stoppen met roken", ("Vitaal Vechtdal",)),
    Case("demo", HARD, "burendag", ("Burendag",)),
    Case("demo", HARD, "eetcafe", ("eetcafé De Buurt", "Eetcafé De Buurt")),
    Case("demo", HARD, "beweeggroep", ("beweeggroepen",)),
    *none("demo", HARD, "deurbel", "alzheimer", "xyzzyq"),
    # ---- the demo content, the province search
    Case("demo", PROV, "lotgenoten", ("Vechtgenotenhuis",)),
    Case("demo", PROV, "mantelzorg", ("mantelzorg", "Mantelzorg", "Vechtgenotenhuis")),
    Case("demo", PROV, "mantelzorger", ("mantelzorg", "Mantelzorg", "Vechtgenotenhuis")),
    Case("demo", PROV, "vrijwilligerswerk", ("Vrijwilligerswerk", "Vrijwilligers")),
    Case("demo", PROV, "vrijwiligers", ("Vrijwilligers", "Vrijwilligerswerk")),  # typo
    Case("demo", PROV, "ggz", ("ggz", "Herstelacademie", "Vrije Ruimte", "Dimence")),
    Case("demo", PROV, "clientondersteuning", ("cliëntondersteuning",)),
    Case("demo", PROV, "framerunning", ("Framerunning",)),
    Case("demo", PROV, "basketbal", ("basketbal",)),
    Case("demo", PROV, "voetbal", ("Voetbal", "voetbal")),
    Case("demo", PROV, "scootmobiel", ("scootmobiel",)),
    Case("demo", PROV, "timmerweek", ("Timmerweek",)),
    Case("demo", PROV, "skatebaan", ("skatebaan",)),
    Case("demo", PROV, "vitaal vechtdal", ("Vitaal Vechtdal",)),
    Case("demo", PROV, "huisarts", ("Welzijn op Recept", "Praktijkondersteuner", "SamSam",
                                    "Sociaal Recept", "Ouderencoach"), first=False),
    Case("demo", PROV, "welzijn op recept", ("Welzijn op Recept",)),
    Case("demo", PROV, "dans", ("Dans Mee",)),
    Case("demo", PROV, "jongerencoach", ("Jongerencoach",)),
    Case("demo", PROV, "kinderwerk", ("Kinderwerk",)),
    *none("demo", PROV, "deurbel", "alzheimer", "xyzzyq", "kwantumfysica"),
    # ---- generated content (benchmarks/generate.py), a gemeente
    Case("generated", GEN, "stoelyoga", ("Stoelyoga",)),
    Case("generated", GEN, "mantelzorgcafe", ("Mantelzorgcafé",)),
    Case("generated", GEN, "mantelzorgers", ("Mantelzorgcafé",)),
    Case("generated", GEN, "digicafe", ("Digicafé",)),
    Case("generated", GEN, "taalcafe", ("Taalcafé",)),
    Case("generated", GEN, "koffie-inloop", ("Koffie-inloop",)),
    Case("generated", GEN, "stoelyga", ("Stoelyoga",)),  # typo
    Case("generated", GEN, "dementie", ("Alzheimer Café",)),
    *none("generated", GEN, "deurbel", "xyzzyq", "paardrijden"),
]


# --------------------------------------------------------------------------- sites


@pytest.fixture(scope="module")
def sites(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from benchmarks.generate import generate
    from sociale_kaart.site.build import BuildOptions, build

    from .conftest import NOW, TODAY

    root = tmp_path_factory.mktemp("relevantie")
    out = {"fixture": built_site}
    generated = root / "generated-content"
    generate(generated, 2, 60, seed=3)
    for name, content in (("demo", ROOT / "content"), ("generated", generated)):
        site = root / name
        result = build(BuildOptions(content=content, out=site, today=TODAY, now=NOW))
        assert result.ok, [d.text() for d in result.diagnostics if d.is_error][:5]
        out[name] = site
    return out


def taxonomy_groups(content: Path) -> list[list[str]]:
    """Other names of one thing: per taxonomy term its label, slug and synonyms; of the
    vocabularies of related words (facets.RELATED_WORDS) only the label and slug."""
    from sociale_kaart.site.facets import RELATED_WORDS

    groups = []
    for file in sorted((content / "taxonomie").glob("*.yaml")):
        data = yaml.safe_load(file.read_text("utf-8"))
        for term in data.get("termen", []):
            names = [term["label"], term["slug"].replace("-", " ")]
            if file.stem not in RELATED_WORDS:
                names += term.get("synoniemen", [])
            groups.append(names)
    return groups


class _Visible(HTMLParser):
    """The visible text of a page's data-pagefind-body element (hidden parts left out)."""

    SKIP = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: whether its text is shown
        self.inside = 0  # depth inside the body element, 0 = outside
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        names = {k for k, _ in attrs}
        if not self.inside and "data-pagefind-body" in names:
            self.inside = 1
            self.stack = [True]
            return
        if self.inside:
            shown = self.stack[-1] and "hidden" not in names and tag not in self.SKIP and \
                "data-pagefind-ignore" not in names
            self.stack.append(shown)
            self.inside += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.inside:
            return
        self.stack.pop()
        self.inside -= 1

    def handle_data(self, data: str) -> None:
        if self.inside and self.stack and self.stack[-1]:
            self.text.append(data)


def visible_words(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return [fold(t) for t in tokens(" ".join(parser.text))]


def _forms(word: str) -> list[str]:
    return [word] + [s for s in stems(word) if len(s) >= 4]


def has_word(word: str, words: list[str]) -> bool:
    """The word, a compound it is part of, or a stem of it, among ``words``."""
    return any(f in w or w in _forms(word) or any(s == f for s in stems(w))
               for f in _forms(word) for w in words)


def explains(word: str, words: list[str], groups: list[list[str]]) -> bool:
    if has_word(word, words):
        return True
    for names in groups:
        name_words = [[fold(t) for t in tokens(n) if fold(t) not in STOPWORDS] for n in names]
        if any(word in _forms(w) or w in _forms(word) for ws in name_words for w in ws):
            if any(ws and all(has_word(w, words) for w in ws) for ws in name_words):
                return True
    return False


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    case: Case
    bedoeld: str  # the correction line ("Bedoelde u ...?") when one is shown, else ""
    results: list[tuple[str, str]]  # (title, href) of the results shown


def run_cases(browser, sites: dict[str, Path]) -> list[Outcome]:
    outcomes = []
    by_page: dict[tuple[str, str], list[Case]] = {}
    for case in CASES:
        by_page.setdefault((case.site, case.page), []).append(case)
    for (site, page_path), cases in by_page.items():
        if page_path.startswith("*/"):
            page_path = sorted(p.relative_to(sites[site]).as_posix()
                               for p in sites[site].glob(page_path))[0]
        with serve_directory(sites[site]) as base, \
                open_page(browser, f"{base}/{page_path}") as page:
            page.wait_for_selector("[data-zoek-form]:not([hidden])")
            page.wait_for_function(
                "document.querySelector('[data-zoek-status]').textContent !== ''")
            for case in cases:
                page.locator("input[name=q]").fill(case.query)
                # Done when the search box says which words it answered (words that mean a
                # filter, such as 'gratis', become chips and leave the status line).
                page.wait_for_function(
                    "(t) => document.querySelector('[data-zoeken]').getAttribute("
                    "'data-zoek-klaar') === t", arg=case.query)
                links = page.locator(RESULT_LINKS)
                results = [(links.nth(i).inner_text(),
                            urljoin(page.url, links.nth(i).get_attribute("href") or ""))
                           for i in range(links.count())]
                results = [(t, urlsplit(h).path) for t, h in results]
                # The correction line ("Bedoelde u ...") is shown with the results. (The status
                # line says it too, but only after a pause in typing: it may still be the last
                # query's.)
                meant = page.locator("[data-zoek-bedoeld]")
                said = meant.inner_text() if meant.count() and meant.is_visible() else ""
                outcomes.append(Outcome(case, said, results))
    return outcomes


def judged_words(outcome: Outcome) -> list[str]:
    status = outcome.bedoeld
    query = outcome.case.query
    meant = re.match(r"Bedoelde u ‘?([^’?]+)’?\?", status)
    if meant:
        query = meant.group(1)
    return [w for w in (fold(t) for t in tokens(query)) if w not in STOPWORDS and len(w) > 1]


def page_words(site: Path, path: str) -> list[str]:
    file = site / unquote(path).lstrip("/")
    if file.is_dir() or path.endswith("/"):
        file = file / "index.html"
    return visible_words(file.read_text("utf-8"))


def test_relevance_suite(browser, sites: dict[str, Path]) -> None:
    assert len(CASES) >= 60
    outcomes = run_cases(browser, sites)
    contents = {"fixture": ROOT / "tests" / "fixtures" / "kaart", "demo": ROOT / "content"}
    precision: list[float] = []
    zero = answered = shown = off = 0
    problems: list[str] = []
    lines = []
    for o in outcomes:
        c = o.case
        titles = [t for t, _ in o.results]
        if not c.relevant:
            if titles:
                problems.append(f"{c.site} {c.page} '{c.query}' must find nothing: {titles[:3]}")
            lines.append(f"  {c.site:9} {c.query!r:22} nothing -> {len(titles)}")
            continue
        answered += 1
        if not titles:
            zero += 1
            problems.append(f"{c.site} {c.page} '{c.query}' finds nothing")
            lines.append(f"  {c.site:9} {c.query!r:22} NO RESULTS")
            continue
        good = [any(f.lower() in t.lower() for f in c.relevant) for t in titles]
        k = min(3, len(titles), max(1, sum(good)))
        top = titles[:3]
        precision.append(sum(good[:k]) / k)
        if c.first and not any(c.relevant[0].lower() in t.lower() for t in top):
            problems.append(f"{c.site} '{c.query}': '{c.relevant[0]}' not in the first three {top}")
        groups = taxonomy_groups(contents.get(c.site, contents["fixture"]))
        words = judged_words(o)
        for _, path in o.results:
            shown += 1
            text = page_words(sites[c.site], path)
            if not any(explains(w, text, groups) for w in words):
                off += 1
                problems.append(f"{c.site} '{c.query}': {path} has none of {words}")
        lines.append(f"  {c.site:9} {c.query!r:22} P@3 {precision[-1]:.2f}  {len(titles)} shown: "
                     f"{top}")
    p_at_3 = sum(precision) / len(precision)
    zero_rate = zero / answered
    off_share = off / max(shown, 1)
    print("\n" + "\n".join(lines))
    print(f"\nrelevance: {len(CASES)} queries ({answered} with an answer, "
          f"{len(CASES) - answered} that must find nothing); precision at 3 {p_at_3:.3f}; "
          f"zero-result rate {zero_rate:.3f}; off-query results {off}/{shown} "
          f"= {off_share:.3f}")
    for p in problems:
        print("  -", p)
    nothing = [p for p in problems if "must find nothing" in p]
    assert nothing == []
    assert p_at_3 >= MIN_PRECISION_AT_3
    assert zero_rate <= MAX_ZERO_RESULT_RATE
    assert off_share <= MAX_OFF_QUERY_SHARE
    missing_first = [p for p in problems if "not in the first three" in p]
    assert len(missing_first) <= 2, missing_first
