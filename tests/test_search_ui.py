"""What the search page needs from the build, without a browser: the words that mean a filter
(zoekfilters.json, site/facets.py ``query_words``) and the result facts on indexed pages
(search metadata from _zoekdata.html). The page itself is tested in
test_search_ui_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sociale_kaart.model.entries import Adres
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.nl.schedule_text import describe_all
from sociale_kaart.nl.words import DAGDELEN, DAY_CODES, DAY_NAMES, FILTER_LEAD_WORDS, RELATIVE_DAYS
from sociale_kaart.site.facets import query_key, query_words
from sociale_kaart.site.views import Where

from .test_search import read_index


@pytest.fixture(scope="module")
def kaart(fixture_content: Path) -> Kaart:
    from sociale_kaart.pipeline.load import load_content
    from sociale_kaart.pipeline.resolve import check

    from .conftest import TODAY

    loaded, _ = check(load_content(fixture_content), TODAY)
    assert loaded is not None
    return loaded


# --------------------------------------------------------------------------- query words


def test_days_and_parts_of_the_day_come_from_nl_words(kaart: Kaart) -> None:
    words = query_words(kaart, "vechtstad")
    for name, code in zip(DAY_NAMES, DAY_CODES, strict=True):
        assert words[name] == [{"filters": {"dag": [name]}}]
        assert words[code.lower()] == words[name]  # "di"
        assert words[name + "s"] == words[name]  # "dinsdags"
        for part in DAGDELEN:
            assert words[name + part] == [{"filters": {"dag": [name], "dagdeel": [part]}}]
    for part in DAGDELEN:
        assert words[part] == [{"filters": {"dagdeel": [part]}}]
    assert words["'s avonds"] == [{"filters": {"dagdeel": ["avond"]}}]
    for word, days in RELATIVE_DAYS.items():  # the visitor's today decides the weekday
        assert words[word] == [{"over": days, "filters": {}}]
    assert words["vanavond"] == [{"over": 0, "filters": {"dagdeel": ["avond"]}}]
    assert words["morgenochtend"] == [{"over": 1, "filters": {"dagdeel": ["ochtend"]}}]
    assert words["weekend"] == [{"filters": {"dag": ["zaterdag", "zondag"]}}]


def test_cost_words(kaart: Kaart) -> None:
    words = query_words(kaart, "vechtstad")
    assert words["gratis"] == [{"filters": {"kosten": ["gratis"]}}]
    assert words["kost geld"] == [{"filters": {"kosten": ["betaald"]}}]


def test_kernen_of_the_gemeente_and_in_the_province_the_gemeenten(kaart: Kaart) -> None:
    vechtstad = query_words(kaart, "vechtstad")
    assert vechtstad["oost"] == [{"filters": {"kern": ["Oost"]}}]
    assert "lindeveld" not in vechtstad  # a kern of Heuveldorp
    assert "heuveldorp" not in vechtstad
    province = query_words(kaart, None)
    assert province["lindeveld"] == [{"filters": {"kern": ["Lindeveld"]}}]
    # Heuveldorp is a gemeente and one of its kernen: the gemeente first, where it is shown.
    assert province["heuveldorp"] == [{"filters": {"gemeente": ["Heuveldorp"]}},
                                      {"filters": {"kern": ["Heuveldorp"]}}]
    assert query_words(kaart, "heuveldorp")["heuveldorp"] == [{"filters": {"kern": ["Heuveldorp"]}}]


def test_target_groups_from_the_taxonomy(kaart: Kaart) -> None:
    words = query_words(kaart, "vechtstad")
    ouderen = [{"filters": {"doelgroep": ["Ouderen (55+)"]}}]
    for word in ["ouderen", "ouderen (55+)", "senioren", "55+", "Senioren"]:
        assert words[query_key(word)] == ouderen, word
    assert words["mantelzorgers"] == [{"filters": {"doelgroep": ["Mantelzorgers"]}}]
    assert words["mensen met een beperking"] == [{"filters": {"doelgroep": ["Mensen met een beperking"]}}]
    # Words another vocabulary uses too stay words to find: "mantelzorg" is a theme,
    # "jeugd" and "ouders" are synonyms of the theme "Opgroeien en opvoeden", "eenzaamheid" of
    # "Minder alleen".
    for word in ["mantelzorg", "jeugd", "ouders", "eenzaamheid", "alleen"]:
        assert word not in words, word


def test_query_key_folds_and_cuts_like_the_search_page() -> None:
    assert query_key("Capelle aan den IJssel") == "capelle aan den ijssel"
    assert query_key("’s Avonds") == "'s avonds"
    assert query_key("Café-Brug") == "cafe brug"
    assert query_key("Ouderen (55+)") == "ouderen 55+"


def test_zoekfilters_json_of_gemeente_and_province(built_site: Path) -> None:
    gemeente = json.loads((built_site / "vechtstad" / "zoekfilters.json").read_text("utf-8"))
    assert gemeente["dagen"] == list(DAY_NAMES)
    assert gemeente["woorden"]["oost"] == [{"filters": {"kern": ["Oost"]}}]
    assert gemeente["voorwoorden"] == list(FILTER_LEAD_WORDS)
    province = json.loads((built_site / "zoekfilters.json").read_text("utf-8"))
    assert "secties" not in province  # the province has an index of its own
    assert "lindeveld" in province["woorden"] and "oost" in province["woorden"]
    # Small enough to load with the first search.
    assert len((built_site / "vechtstad" / "zoekfilters.json").read_bytes()) < 30_000


# --------------------------------------------------------------------------- result facts


def test_activity_result_facts_in_the_pages_wording(built_site: Path, kaart: Kaart) -> None:
    pages = read_index(built_site / "vechtstad")
    meta = pages["/activiteiten/koffie-inloop/"]
    activity = kaart.activiteiten["vechtstad"]["koffie-inloop"]
    assert meta["wanneer"] == " ".join(describe_all(activity.wanneer, kaart.today))
    assert meta["wanneer"].startswith("Elke dinsdag, 10.00–11.30 uur.")
    assert meta["waar"] == "Buurthuis De Brug (Oost)"
    assert meta["kosten"] == "Gratis"
    assert meta["telefoon"] == "0523 123 456" and meta["bellen"] == "tel:0523123456"
    assert meta["email"] == "coach@welzijn-vechtstad.example.nl"
    assert json.loads(meta["lijstje"]) == {"url": "/vechtstad/activiteiten/koffie-inloop/",
                                           "titel": "Koffie-inloop in De Brug",
                                           "gemeente": "vechtstad"}
    # The facts are metadata only: their words are not indexed a second time.
    assert "0523" not in pages["/activiteiten/koffie-inloop/"]["woorden"]
    # Costs as the activity page words them; no schedule: the page's own words.
    assert pages["/activiteiten/samen-eten/"]["kosten"] == "€ 5,00 per keer"
    assert pages["/activiteiten/digicafe/"]["wanneer"] == "Dagen en tijden: vraag het na"


def test_place_and_organisation_result_facts(built_site: Path) -> None:
    pages = read_index(built_site / "vechtstad")
    place = pages["/plekken/buurthuis-de-brug/"]
    assert place["wanneer"].startswith("Elke maandag tot en met donderdag, 9.00–17.00 uur.")
    assert place["waar"] == "Brugstraat 12a, Vechtstad (Oost)"
    assert "lijstje" not in place  # Mijn lijstje holds activities
    organisation = pages["/organisaties/vriendendienst/"]
    assert organisation["email"] == "maatjes@vriendendienst.example.nl"
    assert "telefoon" not in organisation and "contact" not in organisation  # zoeken.js joins them


@pytest.mark.parametrize("where, expected", [
    (Where("brug", "Buurthuis De Brug", None, None, None, "Oost"), "Buurthuis De Brug (Oost)"),
    (Where("bieb", "Bibliotheek Vechtstad Centrum", None, None, None, "Centrum"),
     "Bibliotheek Vechtstad Centrum"),  # the name says the kern already
    (Where(None, None, Adres(straat="Kerkplein", huisnummer="1", plaats="Westerdorp"), None,
           "Westerdorp", "Westerdorp"), "Kerkplein 1, Westerdorp"),
    (Where(None, None, None, None, "Oost", "Oost"), "Oost"),
    (Where(None, None, None, "https://x.example", None, None), "Online"),
    (Where("oosterhof", "De Oosterhof", None, None, None, "Oost"), "De Oosterhof (Oost)"),
])
def test_where_with_kern(where: Where, expected: str) -> None:
    assert where.kort_met_kern == expected
