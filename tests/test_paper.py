"""Paper (issue 23): the aanbodboekje and its variants, the Welzijn op Recept folder, the
organisation poster and their PDFs.

What is on the pages is checked in the HTML; how they print is checked in PDFs: Chromium's
print to PDF (``page.pdf``, ``-m browser``) and WeasyPrint's (``build --pdf``), read back with
pdfminer.six (pages, text, font names and sizes). Set ``PAPER_PNG=folder`` to also get every
printed page as a PNG image (pdftoppm) to look at.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from sociale_kaart.model.kaart import Kaart
from sociale_kaart.pipeline.open import open_kaart
from sociale_kaart.site.build import BuildOptions, build
from sociale_kaart.site.filters import qr_svg

from .browser import serve_directory
from .conftest import FIXTURE, NOW, TODAY

BASE = "https://sociale-kaart.example.nl"
# Words of maintainers that must never be printed: YAML field names, sources, checks.
EDITOR_WORDS = ("laatst_gecontroleerd", "bron:", "Folder Welzijn Vechtstad 2026", "niet_dubbel",
                "welzijn_op_recept", "organisatiecontact", "beheerders", "TODO")


def kaart() -> Kaart:
    opened = open_kaart(FIXTURE, TODAY)
    assert opened.kaart is not None
    return opened.kaart


def active(k: Kaart, g: str) -> list:
    return sorted((a for a in k.activiteiten.get(g, {}).values() if a.status == "actief"),
                  key=lambda a: a.slug)


def items(html: str) -> list[str]:
    return re.findall(r'class="boekje-item" data-activiteit="([a-z0-9-]+)"', html)


def read(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


# --------------------------------------------------------------------------- PDFs read back


A4 = (595.28, 841.89)  # points
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, from the lower left


@dataclass
class PdfPage:
    text: str
    sizes: list[float]  # the font size of every character
    fonts: set[str]
    size: tuple[float, float]  # the page's width and height (its media box)
    chars: list[Box]  # where every character is
    lines: list[tuple[str, Box]]  # every line of text and where it is
    unembedded: set[str]  # fonts used on the page without their font file in the PDF


def pdf_pages(data: bytes | Path) -> list[PdfPage]:
    """Each page's text, characters (size, font, place), size and fonts (pdfminer.six)."""
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    def walk(item) -> Iterator:
        yield item
        if hasattr(item, "__iter__"):
            for child in item:
                yield from walk(child)

    def unembedded(page: PDFPage) -> set[str]:
        missing = set()
        for font in (resolve1(resolve1(page.resources or {}).get("Font")) or {}).values():
            font = resolve1(font)
            described = font
            if getattr(resolve1(font.get("Subtype")), "name", None) == "Type0":
                described = resolve1(resolve1(font["DescendantFonts"])[0])
            descriptor = resolve1(described.get("FontDescriptor")) or {}
            if not any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")):
                missing.add(str(getattr(resolve1(font.get("BaseFont")), "name", font)))
        return missing

    raw = data if isinstance(data, bytes) else data.read_bytes()
    fonts = [unembedded(p) for p in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(raw))))]
    pages = []
    for layout, missing in zip(extract_pages(io.BytesIO(raw)), fonts, strict=True):
        text = "".join(el.get_text() for el in layout if isinstance(el, LTTextContainer))
        items = list(walk(layout))
        found = [c for c in items if isinstance(c, LTChar)]
        pages.append(PdfPage(text, [c.size for c in found], {c.fontname for c in found},
                             (layout.width, layout.height), [c.bbox for c in found],
                             [(el.get_text().strip(), el.bbox) for el in items
                              if isinstance(el, LTTextLine)], missing))
    return pages


def overlap(a: Box, b: Box) -> float:
    """How far two boxes overlap: the smaller of the overlap's width and height (points)."""
    return min(min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1]))


def flat(text: str) -> str:
    """Text of a PDF without its line breaks (words may be split over lines)."""
    return re.sub(r"\s+", " ", text.replace("-\n", "-"))


def check_paper(pages: list[PdfPage]) -> None:
    """Every printed page: A4, its fonts in the PDF, no text cut off or printed over other
    text, only the theme's font, nothing under 12 pt."""
    assert pages
    for i, page in enumerate(pages, 1):
        # A4 (WeasyPrint exactly, Chromium to its pixel grid)
        assert abs(page.size[0] - A4[0]) < 1.5 and abs(page.size[1] - A4[1]) < 1.5, page.size
        assert not page.unembedded, page.unembedded  # every font is in the PDF
        # Nothing cut off: every character on the page and at least 5 mm from its edges, where
        # office printers print (the running footer is in the bottom margin) ...
        margin = 5 / 25.4 * 72
        for box in page.chars:
            assert (box[0] >= margin and box[1] >= margin and box[2] <= page.size[0] - margin
                    and box[3] <= page.size[1] - margin), (i, box)
        # ... and no line of text printed over another one (columns, footer, the cover)
        lines = sorted(box for _, box in page.lines)
        for n, a in enumerate(lines):
            for b in lines[n + 1:]:
                if b[0] >= a[2]:
                    break
                assert overlap(a, b) < 2, (i, a, b)
        assert min(page.sizes) >= 11.9, (i, min(page.sizes))
        assert all("AtkinsonHyperlegible" in f.replace("-", "") for f in page.fonts), page.fonts


def check_printed(pages: list[PdfPage], titles: list[str], footer: str | None) -> None:
    """A printed booklet or folder: ``check_paper``; on every page its page number (and the
    footer text); together: every title, no editor wording."""
    check_paper(pages)
    for i, page in enumerate(pages, 1):
        if footer is not None:
            assert f"pagina {i} van {len(pages)}" in page.text, (i, page.text[-200:])
            assert footer in flat(page.text)
    everything = flat(" ".join(p.text for p in pages))
    for title in titles:
        assert title in everything, title
    for word in EDITOR_WORDS:
        assert word not in everything, word


def save_png(name: str, pdf: bytes) -> None:
    folder = os.environ.get("PAPER_PNG")
    if folder and shutil.which("pdftoppm"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(Path(folder) / f"{name}.pdf"),
                        str(Path(folder) / name)], check=True)


# --------------------------------------------------------------------------- the pages


def test_booklets_per_target_group_and_kern_are_linked_from_the_booklet(built_site: Path) -> None:
    k = kaart()
    main = read(built_site, "vechtstad/boekje/index.html")
    assert sorted(items(main)) == [a.slug for a in active(k, "vechtstad")]
    kernen = {"oost": ["koffie-inloop", "samen-eten"], "centrum": ["digicafe", "taalcafe"],
              "westerdorp": ["wandelgroep"]}  # the activity's kern, else its place's
    for kern, slugs in kernen.items():
        html = read(built_site, f"vechtstad/boekje/kern/{kern}/index.html")
        assert sorted(items(html)) == slugs
        assert f'href="kern/{kern}/"' in main
    groups = {d for a in k.activiteiten["vechtstad"].values() if a.status != "gestopt"
              for d in a.doelgroepen}
    for d in groups:
        assert f'href="{d}/"' in main
        html = read(built_site, f"vechtstad/boekje/{d}/index.html")
        assert sorted(items(html)) == [a.slug for a in active(k, "vechtstad") if d in a.doelgroepen]
    assert 'href="../welzijn-op-recept/"' in main
    # heuveldorp: its one activity is paused, so no kern booklet and no folder
    heuvel = read(built_site, "heuveldorp/boekje/index.html")
    assert items(heuvel) == [] and "Er zijn (nog) geen activiteiten voor dit boekje." in heuvel
    assert not (built_site / "heuveldorp/boekje/kern").exists()
    assert not (built_site / "heuveldorp/welzijn-op-recept").exists()
    assert "welzijn-op-recept/" not in heuvel


def test_every_entry_says_when_where_cost_sign_up_and_contact(built_site: Path) -> None:
    html = read(built_site, "vechtstad/boekje/index.html")
    entries = re.findall(r'<article class="boekje-item".*?</article>', html, re.S)
    assert len(entries) == 5
    for entry in entries:
        labels = re.findall(r"<dt>([^<]+)</dt>", entry)
        assert labels == ["Wanneer", "Waar", "Kosten", "Aanmelden", "Contact"], entry
    koffie = next(e for e in entries if "koffie-inloop" in e)
    assert "Buurthuis De Brug, Brugstraat 12a, 7701 AB Vechtstad" in koffie
    assert "Niet nodig. Gewoon binnenlopen." in koffie
    assert "Welzijnscoach, 0523 123 456, coach@welzijn-vechtstad.example.nl" in koffie


def test_cover_has_date_address_qr_code_and_where_to_ask(built_site: Path) -> None:
    html = read(built_site, "vechtstad/boekje/index.html")
    assert "Stand van 22 november 2026" in html
    assert 'data-voet="Aanbodboekje Vechtstad · 22 november 2026"' in html  # running footer
    # the address as text, breaking after a slash (not inside a word) when it needs two lines
    assert ('<strong class="webadres"><span class="adres-deel">sociale-kaart.example.nl/</span>'
            '<span class="adres-deel">vechtstad</span></strong>') in html
    label = "QR-code van sociale-kaart.example.nl/vechtstad"
    assert str(qr_svg(f"{BASE}/vechtstad/", label)) in html  # encodes the gemeente's address
    assert "Bel Sociaal loket Vechtstad: <strong" in html and "0523 123 456" in html
    assert "Elke maandag tot en met vrijdag, 9.00–12.30 uur." in html
    # No loket: the booklet says where to ask, and invents no number.
    heuvel = read(built_site, "heuveldorp/boekje/index.html")
    assert "Vraag het na bij de gemeente Heuveldorp." in heuvel
    assert "Bel " not in heuvel


def test_contents_lists_every_theme_with_a_link(built_site: Path) -> None:
    html = read(built_site, "vechtstad/boekje/index.html")
    contents = re.search(r'<nav class="inhoudsopgave".*?</nav>', html, re.S)
    assert contents is not None
    targets = re.findall(r'href="#(thema-[a-z0-9-]+)"', contents.group())
    assert targets == ["thema-ontmoeting", "thema-bewegen", "thema-eten-en-koken", "thema-leren-en-taal"]
    for target in targets:
        assert f'id="{target}"' in html


def test_welzijn_op_recept_folder(built_site: Path) -> None:
    html = read(built_site, "vechtstad/welzijn-op-recept/index.html")
    assert sorted(items(html)) == ["koffie-inloop", "wandelgroep"]  # the marked ones
    assert "Wat is Welzijn op Recept?" in html
    # how to refer: the gemeente's welzijn_op_recept
    assert "Verwijs uw patiënt naar <strong>Welzijnscoach</strong> van Welzijn Vechtstad." in html
    assert "0523 123 457" in html and "De coach belt uw patiënt binnen een week" in html
    assert ('<span class="adres-deel">vechtstad/</span><span class="adres-deel">welzijn-op-recept'
            '</span></strong>') in html
    assert "In deze folder staan 2 activiteiten in Vechtstad" in html


def test_folder_without_a_welzijnscoach_points_to_the_loket(content_copy: Path, tmp_path: Path) -> None:
    gemeente = content_copy / "gemeenten/vechtstad.yaml"
    text = gemeente.read_text("utf-8")
    gemeente.write_text(text[:text.index("welzijn_op_recept:")], "utf-8")
    result = build(BuildOptions(content=content_copy, out=tmp_path / "uit", today=TODAY, now=NOW,
                                gemeenten=["vechtstad"], search=False))
    assert result.ok
    html = read(tmp_path / "uit", "vechtstad/welzijn-op-recept/index.html")
    assert "Vraag Sociaal loket Vechtstad naar wie u kunt verwijzen." in html
    assert "0523 123 456" in html and "0523 123 457" not in html


def test_welzijn_op_recept_needs_a_way_to_refer(content_copy: Path) -> None:
    from sociale_kaart.pipeline.open import open_kaart

    gemeente = content_copy / "gemeenten/vechtstad.yaml"
    text = gemeente.read_text("utf-8")
    text = text.replace("  telefoon: 0523 123 457\n  email: coach@welzijn-vechtstad.example.nl\n", "")
    gemeente.write_text(text, "utf-8")
    opened = open_kaart(content_copy, TODAY)
    errors = [d for d in opened.diagnostics if d.is_error]
    assert len(errors) == 1
    assert errors[0].file.endswith("gemeenten/vechtstad.yaml")
    assert "zodat huisartsen kunnen verwijzen" in errors[0].message


def test_welzijnscoach_with_a_mobile_number_is_a_privacy_warning(content_copy: Path) -> None:
    gemeente = content_copy / "gemeenten/vechtstad.yaml"
    gemeente.write_text(gemeente.read_text("utf-8").replace("0523 123 457", "06 12345678"), "utf-8")
    opened = open_kaart(content_copy, TODAY)
    warnings = [d for d in opened.diagnostics if "06 12345678" in d.message]
    assert len(warnings) == 1 and warnings[0].field == "welzijn_op_recept.telefoon"


def test_organisation_page_shows_everything_it_does_and_prints_as_poster(built_site: Path) -> None:
    html = read(built_site, "vechtstad/organisaties/welzijn-vechtstad/index.html")
    assert 'class="record poster"' in html
    assert 'href="../../praktijken/welzijn-op-recept-vechtstad/"' in html  # its praktijk
    assert 'href="../../plekken/buurthuis-de-brug/"' in html  # the place it manages
    for slug in ("koffie-inloop", "samen-eten", "taalcafe"):
        assert f'href="../../activiteiten/{slug}/"' in html
    url = f"{BASE}/vechtstad/organisaties/welzijn-vechtstad/"
    assert str(qr_svg(url, "QR-code van sociale-kaart.example.nl/vechtstad/organisaties/"
                           "welzijn-vechtstad")) in html


def test_stylesheets_point_at_the_fingerprinted_fonts(built_site: Path) -> None:
    for css in built_site.glob("*/assets/style.*.css"):
        urls = re.findall(r"url\(([^)]+)\)", css.read_text("utf-8"))
        assert len(urls) == 3 and all(u.endswith(".woff2") for u in urls), urls
        for u in urls:
            assert (css.parent / u).is_file(), u
    assert (built_site / "vechtstad/assets").glob("fonts/OFL.*.txt")  # the font's licence


# --------------------------------------------------------------------------- WeasyPrint


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture built with --pdf (and a PDF cache): (site, cache folder)."""
    from sociale_kaart.site.pdf import unavailable

    problem = unavailable()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("pdf")
    result = build(BuildOptions(content=FIXTURE, out=folder / "uit", today=TODAY, now=NOW,
                                search=False, pdf=True, cache=True, cache_dir=folder / "cache"))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    assert result.pdfs == 13 and result.reused_pdfs == 0
    return folder / "uit", folder / "cache"


PAPER = {  # page -> (its PDF, activity titles in it, most pages)
    "vechtstad/boekje/index.html": ("aanbodboekje-vechtstad.pdf", 5, 2),
    "vechtstad/boekje/ouderen/index.html": ("aanbodboekje-vechtstad-ouderen.pdf", 3, 1),
    "vechtstad/boekje/kern/oost/index.html": ("aanbodboekje-vechtstad-oost.pdf", 2, 1),
    "vechtstad/welzijn-op-recept/index.html": ("welzijn-op-recept-vechtstad.pdf", 2, 2),
    "heuveldorp/boekje/index.html": ("aanbodboekje-heuveldorp.pdf", 0, 1),
}


@pytest.mark.parametrize("path", sorted(PAPER))
def test_weasyprint_pdfs(pdf_site: tuple[Path, Path], path: str) -> None:
    site, _ = pdf_site
    name, count, most = PAPER[path]
    html = read(site, path)
    pdf = (site / path).parent / name
    data = pdf.read_bytes()
    size = re.search(rf'<a class="knop knop-rustig" href="{re.escape(name)}" download>'
                     r"Download als PDF \((\d+) kB\)</a>", html)
    assert size is not None and int(size.group(1)) == math.ceil(len(data) / 1000)
    pages = pdf_pages(data)
    save_png("weasyprint-" + path.replace("/", "-").removesuffix("-index.html"), data)
    assert len(pages) <= most
    if "/boekje/" in path:  # at most one A4 per four activities (the folder: two sides)
        assert len(pages) <= max(1, math.ceil(count / 4))
    titles = re.findall(r'<article class="boekje-item" data-activiteit="[^"]+">\s*<h[34]>([^<]+)<', html)
    assert len(titles) == count
    footer = re.search(r'data-voet="([^"]+)"', html)
    assert footer is not None
    check_printed(pages, [t.replace("&#39;", "'") for t in titles], footer.group(1))
    cover = flat(pages[0].text).replace("/ ", "/")
    g = path.split("/")[0]
    assert "22 november 2026." in cover and f"sociale-kaart.example.nl/{g}" in cover
    if path.endswith("welzijn-op-recept/index.html"):
        assert len(pages) == 2  # a double-sided A4
        assert "Wat is Welzijn op Recept?" in pages[0].text and "Koffie-inloop" in pages[1].text
        assert "Telefoon: 0523 123 457" in cover  # the welzijnscoach
    else:  # the booklet's cover: where to ask, and the contents when there are activities
        assert "Vragen?" in cover and ("Inhoud" in cover) == (count > 0)
        assert ("Bel Sociaal loket Vechtstad: 0523 123 456" in cover
                if g == "vechtstad" else "Vraag het na bij de gemeente Heuveldorp." in cover)


def contents_numbers(page: PdfPage, names: list[str]) -> dict[str, int]:
    """The page number the contents give for each name: the number printed on the name's
    line ("Ontmoeten (25) . . . . 1"), however pdfminer grouped the dots and the number."""
    numbers = {}
    for name in names:
        [(text, box)] = [(t, b) for t, b in page.lines if t.startswith(f"{name} (")]
        found = re.search(r"(\d+)$", text.replace(".", "").strip())
        if found is None or text.endswith(")"):  # the number is a line of its own
            row = [(b[0], t) for t, b in page.lines if re.fullmatch(r"[. ]*\d+", t)
                   and b[0] > box[0] and abs((b[1] + b[3]) / 2 - (box[1] + box[3]) / 2) < 3]
            found = re.search(r"(\d+)$", min(row)[1])
        assert found is not None, (name, text)
        numbers[name] = int(found.group(1))
    return numbers


def test_weasyprint_contents_page_numbers_are_right(tmp_path: Path, pdf_site: tuple[Path, Path]) -> None:
    """The contents (target-counter) name the page each theme starts on; with enough
    activities in the first theme that the others start on later pages."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    source = (content / "activiteiten/vechtstad/koffie-inloop.yaml").read_text("utf-8")
    for i in range(24):
        (content / f"activiteiten/vechtstad/koffie-{i}.yaml").write_text(
            source.replace("titel: Koffie-inloop in De Brug", f"titel: Koffie-inloop {i}"),
            "utf-8")
    result = build(BuildOptions(content=content, out=tmp_path / "uit", today=TODAY, now=NOW,
                                gemeenten=["vechtstad"], search=False, pdf=True))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    pages = pdf_pages(tmp_path / "uit/vechtstad/boekje/aanbodboekje-vechtstad.pdf")
    save_png("weasyprint-inhoud", (tmp_path / "uit/vechtstad/boekje/aanbodboekje-vechtstad.pdf")
             .read_bytes())
    assert 3 <= len(pages) <= math.ceil(29 / 4)
    names = ["Ontmoeten", "Bewegen en sport", "Samen eten en koken", "Leren en taal"]
    numbers = contents_numbers(pages[0], names)
    assert numbers["Ontmoeten"] == 1 and numbers["Leren en taal"] >= 3, numbers
    for name, number in numbers.items():
        # the theme's heading is on that page, and on no page before it
        assert name in [t for t, _ in pages[number - 1].lines], (name, number)
        for earlier in pages[:number - 1]:
            assert name not in [t for t, _ in earlier.lines], (name, number)
    check_printed(pages, ["Koffie-inloop 23"], "Aanbodboekje Vechtstad · 22 november 2026")


def test_pdfs_are_deterministic_and_cached(pdf_site: tuple[Path, Path], tmp_path: Path) -> None:
    site, cache = pdf_site
    again = build(BuildOptions(content=FIXTURE, out=tmp_path / "uit", today=TODAY, now=NOW,
                               search=False, pdf=True, cache=True, cache_dir=cache))
    assert again.ok and again.pdfs == 13 and again.reused_pdfs == 13
    fresh = build(BuildOptions(content=FIXTURE, out=tmp_path / "vers", today=TODAY, now=NOW,
                               search=False, pdf=True, gemeenten=["vechtstad"]))
    assert fresh.ok and fresh.reused_pdfs == 0
    for pdf in (site / "vechtstad").rglob("*.pdf"):
        rel = pdf.relative_to(site)
        assert (tmp_path / "uit" / rel).read_bytes() == pdf.read_bytes(), rel
        assert (tmp_path / "vers" / rel).read_bytes() == pdf.read_bytes(), rel  # made anew


def test_an_edit_makes_only_the_pdfs_that_show_it(pdf_site: tuple[Path, Path], tmp_path: Path) -> None:
    _, cache = pdf_site
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    digicafe = content / "activiteiten/vechtstad/digicafe.yaml"
    digicafe.write_text(digicafe.read_text("utf-8").replace("titel: Digicafé", "titel: Digicafé!"),
                        "utf-8")
    result = build(BuildOptions(content=content, out=tmp_path / "uit", today=TODAY, now=NOW,
                                search=False, pdf=True, cache=True, cache_dir=cache))
    assert result.ok
    # digicafe is in the booklet, the ouderen booklet and the Centrum booklet
    assert result.pdfs - result.reused_pdfs == 3


def test_a_pdf_failure_publishes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         pdf_site: tuple[Path, Path]) -> None:
    from sociale_kaart.site import pdf

    out = tmp_path / "uit"
    assert build(BuildOptions(content=FIXTURE, out=out, today=TODAY, now=NOW, search=False)).ok
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))

    def broken(self, html: bytes, path: str, gemeente: str) -> bytes:
        raise RuntimeError("Pango is op")

    monkeypatch.setattr(pdf.PdfMaker, "make", broken)
    result = build(BuildOptions(content=FIXTURE, out=out, today=TODAY, now=NOW, search=False,
                                pdf=True))
    assert not result.ok
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.message.startswith("het PDF-bestand ")
    assert "kon niet gemaakt worden; er is niets gepubliceerd" in error.message
    assert "Pango is op" in error.message
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


def test_build_pdf_without_weasyprint_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pango(name: str, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    result = build(BuildOptions(content=FIXTURE, out=tmp_path / "uit", today=TODAY, now=NOW,
                                search=False, pdf=True))
    assert not result.ok and not (tmp_path / "uit").exists()
    [error] = result.diagnostics
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in error.message
    assert "Of bouw zonder --pdf." in error.message


def test_cli_build_pdf_without_pango_is_one_dutch_message(tmp_path: Path) -> None:
    """A WeasyPrint that cannot load its libraries prints English advice and raises when
    imported (weasyprint/text/ffi.py); ``build --pdf`` shows only its Dutch message."""
    fake = tmp_path / "pakketten/weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "print('WeasyPrint could not import some external libraries.')\n"
        "raise OSError(\"cannot load library 'libpango-1.0-0': No such file or directory\")\n")
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, "-m", "sociale_kaart", "build", "--content", str(FIXTURE),
                          "--out", str(tmp_path / "uit"), "--pdf", "--zonder-cache"],
                         capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": f"{tmp_path / 'pakketten'}:{root}"})
    assert run.returncode == 1
    assert run.stdout == ""
    assert "Traceback" not in run.stderr and "could not import" not in run.stderr
    assert ("Voor --pdf heeft WeasyPrint de systeembibliotheek Pango nodig, maar die kon niet "
            "geladen worden (OSError: cannot load library 'libpango-1.0-0'") in run.stderr
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in run.stderr
    assert "er is niets geschreven" in run.stderr and not (tmp_path / "uit").exists()


def test_cli_build_pdf(tmp_path: Path, pdf_site: tuple[Path, Path]) -> None:
    """``build --pdf`` from the command line says how many PDFs it made."""
    run = subprocess.run([sys.executable, "-m", "sociale_kaart", "build", "--content", str(FIXTURE),
                          "--out", str(tmp_path / "uit"), "--pdf", "--zonder-zoeken",
                          "--gemeente", "heuveldorp", "--zonder-cache", "--vandaag", "2026-11-22"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(
                             Path(__file__).resolve().parent.parent)})
    assert run.returncode == 0, run.stderr
    assert "2 PDF-bestanden." in run.stderr
    assert (tmp_path / "uit/heuveldorp/boekje/aanbodboekje-heuveldorp.pdf").is_file()


# --------------------------------------------------------------------------- Chromium


PRINTED = {  # path -> most pages
    "vechtstad/boekje/index.html": 2,
    "vechtstad/boekje/ouderen/index.html": 1,
    "vechtstad/boekje/eenzame-mensen/index.html": 1,
    "vechtstad/boekje/iedereen/index.html": 1,
    "vechtstad/boekje/laaggeletterden/index.html": 1,
    "vechtstad/boekje/nieuwkomers/index.html": 1,
    "vechtstad/boekje/volwassenen/index.html": 1,
    "vechtstad/boekje/kern/oost/index.html": 1,
    "vechtstad/boekje/kern/centrum/index.html": 1,
    "vechtstad/boekje/kern/westerdorp/index.html": 1,
    "heuveldorp/boekje/index.html": 1,
    "heuveldorp/boekje/iedereen/index.html": 1,
    "vechtstad/welzijn-op-recept/index.html": 2,
}


def chromium_pdf(browser, url: str) -> bytes:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        return page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        context.close()


@pytest.mark.browser
def test_chromium_prints_every_booklet_and_the_folder(site_server: str, built_site: Path,
                                                      browser) -> None:
    assert set(PRINTED) == {p.relative_to(built_site).as_posix() for p in
                            [*built_site.glob("*/boekje/**/index.html"),
                             *built_site.glob("*/welzijn-op-recept/index.html")]}
    for path, most in PRINTED.items():
        html = read(built_site, path)
        data = chromium_pdf(browser, f"{site_server}/{path}")
        save_png("chromium-" + path.replace("/", "-").removesuffix("-index.html"), data)
        pages = pdf_pages(data)
        titles = re.findall(r'<article class="boekje-item" data-activiteit="[^"]+">\s*<h[34]>([^<]+)<', html)
        assert len(pages) <= most, path
        if "/boekje/" in path:  # at most one A4 per four activities (the folder: two sides)
            assert len(pages) <= max(1, math.ceil(len(titles) / 4)), path
        footer = re.search(r'data-voet="([^"]+)"', html)
        assert footer is not None
        check_printed(pages, [t.replace("&#39;", "'") for t in titles], footer.group(1))
        if path.endswith("welzijn-op-recept/index.html"):
            assert len(pages) == 2 and "Zo verwijst u" in pages[0].text
        else:
            assert "Vragen?" in pages[0].text and "Inhoud" in pages[0].text or not titles
        for hidden in ("Andere boekjes", "afdrukken", "Download als PDF"):  # screen only
            assert hidden not in flat(" ".join(p.text for p in pages)), (path, hidden)


@pytest.mark.browser
def test_chromium_prints_the_organisation_poster_on_one_page(site_server: str, browser) -> None:
    path = "vechtstad/organisaties/welzijn-vechtstad/index.html"
    data = chromium_pdf(browser, f"{site_server}/{path}")
    save_png("chromium-poster", data)
    [page] = pdf_pages(data)
    check_paper([page])
    assert max(page.sizes) >= 30  # large type
    assert sum(s >= 15.9 for s in page.sizes) > 0.7 * len(page.sizes)  # mostly 16 pt or more
    text = flat(page.text)
    for words in ("Welzijn Vechtstad", "Telefoon: 0523 123 456", "Buurthuis De Brug",
                  "Koffie-inloop in De Brug", "sociale-kaart.example.nl/vechtstad/organisaties/"):
        assert words in text.replace("/ ", "/"), words
    assert "pagina" not in text  # a poster has no footer


@pytest.mark.browser
def test_chromium_booklet_of_generated_content(tmp_path: Path, browser) -> None:
    """200 generated activities in one gemeente (benchmarks/generate.py): at most one page per
    four activities; the poster of an organisation with many activities stays one page."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate

    content = tmp_path / "content"
    generate(content, 1, 200, 1)
    [g] = [p.stem for p in (content / "gemeenten").glob("*.yaml")]
    result = build(BuildOptions(content=content, out=tmp_path / "uit", today=date(2026, 11, 22),
                                now=NOW, search=False, base_url=BASE))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    site = tmp_path / "uit"
    html = read(site, f"{g}/boekje/index.html")
    count = len(items(html))
    assert count > 150
    orgs = sorted(site.glob(f"{g}/organisaties/*/index.html"),
                  key=lambda p: -p.read_text("utf-8").count('class="kaartje'))
    with serve_directory(site) as base:
        data = chromium_pdf(browser, f"{base}/{g}/boekje/index.html")
        pages = pdf_pages(data)
        print(f"\ngenerated booklet: {count} activities on {len(pages)} pages (Chromium)")
        assert len(pages) <= math.ceil(count / 4)
        check_printed(pages, [], f"Aanbodboekje {g.capitalize()}")
        poster = pdf_pages(chromium_pdf(browser, f"{base}/{orgs[0].relative_to(site).as_posix()}"))
        assert len(poster) == 1 and "En nog " in flat(poster[0].text)
        check_paper(poster)
