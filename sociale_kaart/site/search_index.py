"""Stage 5: index. The site's own search index (read by ``static/zoekmachine.js``): small,
precise, sharded.

Why not Pagefind (which the site used before): Pagefind matches a word that is on no page
through its longest known prefix ("dementie" found every page with "de"), and no option turns
that off (Pagefind issues #780 and #1246; the prefix backtracking came with PR #315). Issue 21
asked for precise search: only words that are on a page, or in its compound parts and
synonyms, match.

A *section* is a folder that searches on its own: every gemeente folder and the kennisbank
(``Section``). Only pages that mark their main content with ``data-pagefind-body`` are indexed
(detail pages of activities, places, organisations and praktijken; not stopped activities);
listings, the agenda and the booklet repeat that content and are left out. URLs are relative
to the section folder ("/activiteiten/x/"), so a gemeente folder works alone on its own
domain. Every section gets an index of its indexed pages, and the province gets one index of
every section's pages. The pages are read through their ``data-pagefind-*`` annotations (body,
weight, meta, filter, ignore; the names Pagefind gave them, kept so the templates stay as they
are), so the page stays the one source of what is searchable; ``extract`` turns a page into a
``Doc``.

Words. A page's words are folded (``nl.text.fold``) tokens of its text (``nl.compounds.tokens``,
a hyphenated word gives the joined word and its parts), plus their stems and, for words of the
body, their compound parts (the title, summary and labels have theirs in the page's hidden
search aids already). Stop words are left out. Each word keeps the highest *level* at which the
page has it: 3 title, 2 summary/labels/filter values, 1 hidden search aids (synonyms), 0 body.
A section's index has every level; the province index leaves out the body (level 0), so it
stays small at any number of gemeenten.

Files (``write_index``), all JSON, gzip-compressed by the web server:

- ``zoekindex.json`` (the manifest, revalidated): the version, the number of documents, the
  filter values (``waarden``: [filter, value]; a value's number is its position) with their
  totals, the group of each ``soort``, the stop words, and the first word of every word chunk.
- ``zoekindex/<versie>/w/<n>.json``: word chunks, the vocabulary in alphabetical order cut
  into pieces of about ``CHUNK_BYTES``. A chunk holds its words' postings and, once per
  document it mentions, the document's filter values as a short code (``r``), so a search
  counts filter values from the chunks it loads anyway. A frequent word (on ``FREQUENT``
  documents or more: "koffie" on half of them) is stored apart (``g``): its postings and the
  counts of the filter values of its documents, without their codes, so its first search stays
  small at any size of the province; a search that needs their codes (a filter chosen, two
  words) loads them from the ``a`` files of the documents it keeps.
- ``zoekindex/<versie>/k/<n>.json``: result cards (title, summary, URL, filters and the
  page's ``data-pagefind-meta``) of ``BLOCK`` documents each, loaded for the results shown.
- ``zoekindex/<versie>/a/<n>.json``: the filter codes of all documents, ``ALL_BLOCK`` per file,
  for a search with filters and no words and for the documents of frequent words.

``<versie>`` is a hash of the files, so they can be cached for ever; the manifest names it.
Documents are numbered by group (residents' activities and places, organisations,
praktijken; ``facets.GROUPS``), then title, so equal scores keep a stable, readable order.

Checks. The files of every index are checked (``index_problem``: a manifest of the right shape
that counts the documents, every file it names, no empty file) before they are written, and
again on disk after they are written (``_written_problem``); an index that fails is made again,
and if it fails again nothing is published (``IndexFailed``).

Cache. Reading the pages is most of the indexing time. With a ``cache.FolderCache`` (``build``
with the CLI's default cache) the documents of a section whose pages are, to the byte, those of
an earlier build come from the cache (``section_docs``); a damaged or unreadable entry is made
again. The pages show the next dates of activities, so on a new day most sections are read
again.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import unescape
from itertools import chain
from pathlib import Path

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.nl.compounds import STOPWORDS, Lexicon, stems, tokens
from sociale_kaart.nl.text import fold
from sociale_kaart.pipeline.cache import FolderCache, code_version
from sociale_kaart.site.facets import GROUP_ORDER, GROUPS
from sociale_kaart.site.pages import RenderError

MANIFEST = "zoekindex.json"
FOLDER = "zoekindex"
FORMAT = 2
CHUNK_BYTES = 24_000  # about this many bytes of JSON per word chunk
BLOCK = 24  # result cards per card file
ALL_BLOCK = 1_000  # documents per file of filter codes (searches without words; frequent words)
FREQUENT = 400  # a word on this many documents or more is stored without their filter codes
CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

INDEX_MARKER = b"data-pagefind-body"
TITLE, HEAD, AID, BODY = 3, 2, 1, 0
MIN_STEM = 4  # shorter stems ("sam" of "samen") would match too much as the start of a word


def _level(weight: str | None) -> int | None:
    """A ``data-pagefind-weight`` as a level: the title's 10 and up, the summary's 5 and up."""
    if weight is None:
        return None
    try:
        value = float(weight)
    except ValueError:
        return None
    return TITLE if value >= 10 else HEAD if value >= 2 else BODY


# --------------------------------------------------------------------------- sections


def wants_index(html: bytes) -> bool:
    return INDEX_MARKER in html


@dataclass(frozen=True)
class Section:
    """A folder with its own search: a gemeente or the kennisbank."""

    name: str
    prefix: str  # output paths under this prefix belong to the section ("vechtstad/")
    # URLs of pages that repeat another section's pages (a gemeente's copies of kennisbank
    # praktijken): the province index leaves them out.
    copies: str | None = None

    def accepts(self, path: str) -> bool:
        return path.startswith(self.prefix) and path.endswith(".html")

    def url(self, path: str) -> str:
        """The URL of output ``path`` in the index, relative to the section folder."""
        return "/" + path[len(self.prefix):].removesuffix("index.html")

    def is_copy(self, url: str) -> bool:
        return self.copies is not None and url.startswith(self.copies)


def gemeente_section(g: str) -> Section:
    return Section(g, f"{g}/", copies="/praktijken/")


def kennisbank_section() -> Section:
    return Section("kennisbank", "kennisbank/")


def sections(gemeenten: list[str], province: bool) -> list[Section]:
    out = [gemeente_section(g) for g in gemeenten]
    if province:
        out.append(kennisbank_section())
    return out


# --------------------------------------------------------------------------- pages -> docs


@dataclass
class Doc:
    """One indexed page, as the search engine sees it."""

    url: str  # relative to its section folder, starting with "/" (``Section.url``)
    titel: str
    filters: list[tuple[str, str]]  # (filter, value), in page order
    meta: dict[str, str]  # data-pagefind-meta of the page (without title and "kort")
    samenvatting: str = ""
    # Its words with their levels, compact (documents travel from the render workers to the
    # province index): "3koffie 3inloop 0kopje ..." (level digit, then the word).
    words: str = ""

    @property
    def soort(self) -> str:
        return next((v for k, v in self.filters if k == "soort"), "")

    def levels(self) -> Iterable[tuple[str, int]]:
        for item in self.words.split():
            yield item[1:], int(item[0])

    def head(self, base: str = "") -> Doc:
        """The doc without its body words, its URL below ``base`` (for the province index)."""
        return Doc(base + self.url, self.titel, self.filters, self.meta, self.samenvatting,
                   " ".join(item for item in self.words.split() if item[0] != str(BODY)))


_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<!--.*?-->|([^<]+)", re.S)
_ATTR = re.compile(r"([\w-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
SKIP = frozenset({"script", "style", "template", "noscript"})
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _attrs(raw: str) -> dict[str, str]:
    out = {}
    for name, value in _ATTR.findall(raw):
        if value[:1] in "\"'":
            value = value[1:-1]
        out[name.lower()] = unescape(value)
    return out


@dataclass
class _Open:
    tag: str
    level: int | None
    ignore: bool
    hidden: bool
    meta: list[str]  # keys that take this element's text
    filter: str | None  # filter that takes this element's text
    text: list[str] = field(default_factory=list)


def extract(html: str, url: str, lexicon: Lexicon | None = None) -> Doc | None:
    """The ``Doc`` of a page, or None when it has no ``data-pagefind-body``.

    Reads the page's annotations: the text inside the ``data-pagefind-body`` element except
    ``data-pagefind-ignore`` parts, ``data-pagefind-weight`` for the level of a text (the first
    ``h1`` is the title), ``data-pagefind-meta`` and ``data-pagefind-filter`` (``"name"``: the
    element's text; ``"name:value"``: that value). Text in a ``hidden`` element counts as a
    search aid (level 1) unless it has a weight. Every tag separates words.
    """
    start = html.find("data-pagefind-body")
    if start < 0:
        return None
    start = html.rfind("<", 0, start)
    titel = ""
    samenvatting = ""
    filters: list[tuple[str, str]] = []
    meta: dict[str, str] = {}
    texts: list[tuple[int, str]] = []
    stack: list[_Open] = []
    pos = start
    while True:
        match = _TAG.search(html, pos)
        if match is None:
            break
        pos = match.end()
        closing, tag, raw, text = match.groups()
        if text is not None:
            if not stack:
                continue
            text = unescape(text)
            for item in stack:
                if item.meta or item.filter or item.tag == "h1":
                    item.text.append(text)
            top = stack[-1]
            if not top.ignore and text.strip():
                level = top.level if top.level is not None else (AID if top.hidden else BODY)
                texts.append((level, text))
            continue
        if tag is None:  # a comment
            continue
        tag = tag.lower()
        if closing:
            if not any(item.tag == tag for item in stack):
                continue  # a stray end tag
            while stack:
                item = stack.pop()
                value = " ".join("".join(item.text).split())
                for key in item.meta:
                    if key == "kort":
                        samenvatting = value
                    elif key == "title":
                        titel = value
                    else:
                        meta[key] = value
                if item.filter and value:
                    filters.append((item.filter, value))
                if item.tag == "h1" and not titel:
                    titel = value
                if item.tag == tag:
                    break
            if not stack:
                break
            continue
        attrs = _attrs(raw)
        parent = stack[-1] if stack else None
        own_level = _level(attrs.get("data-pagefind-weight"))
        if tag == "h1" and own_level is None:
            own_level = TITLE
        if own_level is None and parent is not None:
            own_level = parent.level
        ignore = (parent.ignore if parent else False) or "data-pagefind-ignore" in attrs
        hidden = (parent.hidden if parent else False) or "hidden" in attrs
        if attrs.get("data-pagefind-ignore") == "all":
            ignore = True
        keys: list[str] = []
        for spec in (attrs.get("data-pagefind-meta") or "").split(","):
            spec = spec.strip()
            if not spec:
                continue
            key, sep, value = spec.partition(":")
            if sep:
                meta[key.strip()] = value.strip()
            elif "[" in key and key.endswith("]"):
                name, _, attr = key[:-1].partition("[")
                if attr in attrs:
                    meta[name.strip()] = attrs[attr]
            else:
                keys.append(key)
        spec_filter = attrs.get("data-pagefind-filter")
        take = None
        if spec_filter:
            key, sep, value = spec_filter.partition(":")
            if sep:
                filters.append((key.strip(), value.strip()))
            else:
                take = key.strip()
        if tag == "h1" and titel:
            keys = [k for k in keys if k != "title"]
        if tag in SKIP:  # its text is not HTML: jump to its end
            end = html.find(f"</{tag}", pos)
            end = html.find(">", end) if end >= 0 else -1
            pos = len(html) if end < 0 else end + 1
            continue
        item = _Open(tag, own_level, ignore, hidden, keys, take)
        if tag in VOID:
            continue
        stack.append(item)
    words = doc_words(texts, lexicon)
    return Doc(url, titel, filters, meta, samenvatting,
               " ".join(f"{level}{word}" for word, level in words.items()))


def doc_words(texts: Iterable[tuple[int, str]], lexicon: Lexicon | None) -> dict[str, int]:
    """Word -> highest level, from (level, text) pairs (see the module's docstring)."""
    words: dict[str, int] = {}

    def add(word: str, level: int) -> None:
        if len(word) > 1 and word not in STOPWORDS and words.get(word, -1) < level:
            words[word] = level

    for level, text in texts:
        for token in tokens(text):
            word = fold(token)
            if word in STOPWORDS:
                continue
            add(word, level)
            for stem in stems(word):
                if len(stem) >= MIN_STEM:
                    add(stem, level)
            if level == BODY and lexicon is not None:
                for part in lexicon.split(word):
                    add(part, level)
    return words


# --------------------------------------------------------------------------- docs -> files


def _code_width(values: int) -> int:
    width = 1
    while len(CODE_CHARS) ** width < values:
        width += 1
    return width


def _encode(number: int, width: int) -> str:
    out = []
    for _ in range(width):
        number, digit = divmod(number, len(CODE_CHARS))
        out.append(CODE_CHARS[digit])
    return "".join(reversed(out))


def _dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def order_docs(docs: Iterable[Doc]) -> list[Doc]:
    """Documents in index order: by group, then title, then URL."""
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(docs, key=lambda d: (rank.get(GROUPS.get(d.soort, ""), len(rank)),
                                       fold(d.titel), d.url))


def index_files(docs: list[Doc], body: bool = True) -> dict[str, bytes]:
    """The files of an index of ``docs`` (name relative to the section folder -> bytes).

    ``body``: the documents have the words of their body (a section's index) or not (the
    province index, made of ``Doc.head``s).
    """
    docs = order_docs(docs)
    values: dict[tuple[str, str], int] = {}
    for doc in docs:
        for pair in doc.filters:
            values.setdefault(pair, 0)
    ordered = sorted(values, key=lambda pair: (pair[0], fold(pair[1]), pair[1]))
    values = {pair: i for i, pair in enumerate(ordered)}
    width = _code_width(len(ordered))
    totals = [0] * len(ordered)
    rows: list[str] = []
    codes = [_encode(i, width) for i in range(len(ordered))]
    row_ids: list[list[int]] = []
    for doc in docs:
        ids = sorted({values[pair] for pair in doc.filters})
        for i in ids:
            totals[i] += 1
        row = "".join(codes[i] for i in ids)
        rows.append(row)
        row_ids.append(ids)

    postings: dict[str, list[int]] = {}
    for number, doc in enumerate(docs):
        for item in doc.words.split():  # Doc.levels, inline: this loop runs a million times
            postings.setdefault(item[1:], []).append(number << 2 | int(item[0]))

    data: dict[str, bytes] = {}
    firsts: list[str] = []
    chunk: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if not chunk:
            return
        small = [w for w in chunk if len(postings[w]) < FREQUENT]
        numbers = sorted({p >> 2 for w in small for p in postings[w]})
        position = {n: i for i, n in enumerate(numbers)}
        words = []
        for w in small:
            last, items = 0, []
            for p in postings[w]:
                i = position[p >> 2]
                items.append((i - last) << 2 | (p & 3))
                last = i
            words.append([w, items])
        frequent = []
        for w in chunk:
            plist = postings[w]
            if len(plist) < FREQUENT:
                continue
            docs_of = [p >> 2 for p in plist]  # in document order
            items = [(n - m) << 2 | (p & 3)
                     for n, m, p in zip(docs_of, [0, *docs_of], plist, strict=False)]
            counts = Counter(chain.from_iterable(map(row_ids.__getitem__, docs_of)))
            frequent.append([w, items, [[i, counts[i]] for i in sorted(counts)]])
        deltas = [n - m for n, m in zip(numbers, [0, *numbers], strict=False)]
        data[f"w/{len(firsts)}.json"] = _dumps({"d": deltas, "r": [rows[n] for n in numbers],
                                                "w": words, "g": frequent})
        firsts.append(chunk[0])
        chunk, size = [], 0

    for word in sorted(postings):
        many = len(postings[word])
        cost = len(word) + 4 + 3 * many + (8 * many if many < FREQUENT else 4 * len(ordered))
        if chunk and size + cost > CHUNK_BYTES:
            flush()
        chunk.append(word)
        size += cost
    flush()

    for start in range(0, len(docs), BLOCK):
        cards = []
        for doc in docs[start:start + BLOCK]:
            filters: dict[str, list[str]] = {}
            for name, value in doc.filters:
                filters.setdefault(name, []).append(value)
            cards.append({**doc.meta, "url": doc.url, "titel": doc.titel,
                          "samenvatting": doc.samenvatting, "filters": filters})
        data[f"k/{start // BLOCK}.json"] = _dumps(cards)
    all_files = 0
    for start in range(0, len(docs), ALL_BLOCK):
        data[f"a/{all_files}.json"] = _dumps(rows[start:start + ALL_BLOCK])
        all_files += 1

    # The number of the first document of each group (documents are ordered by group).
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    doc_ranks = [rank.get(GROUPS.get(d.soort, ""), len(rank)) for d in docs]
    starts = [bisect.bisect_left(doc_ranks, i) for i in range(len(GROUP_ORDER))]
    digest = hashlib.blake2b(digest_size=8)
    for name in sorted(data):
        digest.update(name.encode() + b"\0" + data[name] + b"\0")
    version = digest.hexdigest()
    manifest = {
        "formaat": FORMAT, "versie": version, "documenten": len(docs), "tekst": body,
        "blok": BLOCK, "alleBlok": ALL_BLOCK, "alle": all_files, "breedte": width,
        "waarden": [list(pair) for pair in ordered], "totalen": totals,
        "groepen": GROUPS, "groepVolgorde": list(GROUP_ORDER), "groepBegin": starts,
        "stopwoorden": sorted(STOPWORDS), "delen": firsts,
    }
    files = {f"{FOLDER}/{version}/{name}": content for name, content in data.items()}
    files[MANIFEST] = _dumps(manifest) + b"\n"
    return files


def province_docs(docs: dict[str, Doc], heads: dict[str, tuple[Doc, Doc]] | None = None) -> list[Doc]:
    """The documents of the province index from those of every section (output path -> Doc):
    without their body words, URLs from the site root, and without a gemeente's copies of
    kennisbank praktijken (the kennisbank's own pages are in it).

    ``heads`` (``serve``, across rebuilds): path -> (doc, its head), so only the heads of new
    documents are made; it is updated to hold exactly the documents of ``docs``."""
    out = []
    for path, doc in docs.items():
        name = path.split("/", 1)[0]
        if name != "kennisbank" and gemeente_section(name).is_copy(doc.url):
            continue
        if heads is None:
            out.append(doc.head("/" + name))
            continue
        hit = heads.get(path)
        if hit is None or hit[0] is not doc:
            hit = heads[path] = (doc, doc.head("/" + name))
        out.append(hit[1])
    if heads is not None and len(heads) > len(out):
        for path in [p for p in heads if p not in docs]:
            del heads[path]
    return out


# --------------------------------------------------------------------------- checks, writing


def index_problem(files: Mapping[str, bytes], docs: int) -> str | None:
    """What is wrong with the files of an index of ``docs`` documents (in Dutch), or None.

    Every index that is published passes this check: a manifest of the right shape that counts
    ``docs`` documents, every word chunk, card file and file of filter codes it leads the
    browser to, and no empty file."""
    raw = files.get(MANIFEST)
    if not raw:
        return f"{MANIFEST} ontbreekt of is leeg"
    try:
        manifest = json.loads(raw)
    except ValueError:
        return f"{MANIFEST} is geen geldige JSON"
    if not (isinstance(manifest, dict) and manifest.get("formaat") == FORMAT
            and isinstance(manifest.get("versie"), str) and manifest["versie"]
            and isinstance(manifest.get("documenten"), int)
            and isinstance(manifest.get("delen"), list) and isinstance(manifest.get("alle"), int)):
        return f"{MANIFEST} heeft niet de verwachte vorm"
    if manifest["documenten"] != docs:
        return f"{MANIFEST} telt {manifest['documenten']} documenten in plaats van {docs}"
    base = f"{FOLDER}/{manifest['versie']}/"
    needed = [f"{base}w/{i}.json" for i in range(len(manifest["delen"]))]
    needed += [f"{base}k/{i}.json" for i in range(math.ceil(docs / BLOCK))]
    needed += [f"{base}a/{i}.json" for i in range(manifest["alle"])]
    missing = [name for name in needed if name not in files]
    if missing:
        return f"{', '.join(missing[:3])} ontbreekt"
    empty = sorted(name for name, data in files.items() if not data)
    if empty:
        return f"{', '.join(empty[:3])} is leeg"
    return None


def _write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    made: set[Path] = set()
    for name, content in files.items():  # the manifest last: it names the new version
        path = folder / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(content)


def _written_problem(folder: Path, files: Mapping[str, bytes]) -> str | None:
    """What is wrong with ``files`` as they are on disk in ``folder``, or None."""
    for name, data in files.items():
        try:
            size = (folder / name).stat().st_size
        except OSError:
            return f"{name} ontbreekt"
        if size != len(data):
            return f"{name} is {size} bytes in plaats van {len(data)}"
    try:
        if (folder / MANIFEST).read_bytes() != files[MANIFEST]:
            return f"{MANIFEST} is niet goed geschreven"
    except OSError:
        return f"{MANIFEST} ontbreekt"
    return None


class IndexFailed(RenderError):
    """A search index could not be made correctly, not even at a second try: nothing is
    published (``build`` and ``serve`` handle it as a page that could not be made)."""


def write_index(folder: Path, docs: list[Doc], body: bool = True) -> int:
    """Write the index of ``docs`` into ``folder`` (a section folder or the site root),
    replacing an earlier one; checked before and after writing (``index_problem``), made again
    once when it fails, then ``IndexFailed``. Returns the number of bytes written."""
    wrong = None
    for _ in range(2):
        files = index_files(docs, body)
        wrong = index_problem(files, len(docs))
        if wrong is None:
            _write_files(folder, files)
            wrong = _written_problem(folder, files)
        if wrong is None:
            break
    else:
        where = folder.name + "/" if body else ""
        raise IndexFailed(Diagnostic(
            f"{where}{MANIFEST}", 0, 0, "",
            f"de zoekindex is niet goed gemaakt, ook niet bij een tweede poging ({wrong}). "
            "Er is niets gepubliceerd; probeer het opnieuw. Gebeurt dit steeds, meld het dan "
            "aan de ontwikkelaars.", "fout", "zoekindex"))
    version = json.loads(files[MANIFEST])["versie"]
    old = folder / FOLDER
    for child in old.iterdir() if old.is_dir() else ():
        if child.name != version:
            shutil.rmtree(child, ignore_errors=True)
    return sum(len(c) for c in files.values())


# --------------------------------------------------------------------------- cache

DOCS_CACHE = "zoekmachine"  # the folder of section documents in the cache folder


def _stored_docs(files: Mapping[str, bytes]) -> dict[str, Doc] | None:
    """The documents of a cache entry, or None when it is not what ``section_docs`` writes."""
    try:
        return {path: Doc(d[0], d[1], [(k, v) for k, v in d[2]], d[3], d[4], d[5])
                for path, d in json.loads(files["docs.json"]).items()}
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None


def section_docs(pages: Mapping[str, str | Path], urls: dict[str, str], lexicon: Lexicon,
                 cache: FolderCache | None = None) -> dict[str, Doc]:
    """The documents of a section's indexed pages (output path -> HTML; ``urls``: output
    path -> URL in the section), from ``cache`` when the section's pages are, to the byte, those
    of an earlier build (and the code and the compound parts the same), else read and kept. An
    entry that is damaged or not readable as documents is deleted and made again."""
    texts = {path: page.read_text("utf-8") if isinstance(page, Path) else page
             for path, page in pages.items()}
    key = ""
    if cache is not None:
        digest = hashlib.sha256(json.dumps([FORMAT, code_version(), sorted(lexicon.parts)])
                                .encode())
        for path in sorted(texts):
            digest.update(f"{path}\0{urls[path]}\0".encode())
            digest.update(hashlib.sha256(texts[path].encode("utf-8")).digest())
        key = "docs-" + digest.hexdigest()[:40]
        stored = cache.load(key, lambda files: _stored_docs(files) is not None)
        if stored is not None:
            return _stored_docs(stored) or {}
    docs = {path: d for path in texts
            if (d := extract(texts[path], urls[path], lexicon)) is not None}
    if cache is not None:
        cache.store(key, {"docs.json": _dumps({path: [d.url, d.titel, d.filters, d.meta,
                                                      d.samenvatting, d.words]
                                               for path, d in docs.items()})})
    return docs
