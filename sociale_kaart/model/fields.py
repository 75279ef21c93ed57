"""Reusable field types with Dutch validation messages (postcode, telefoon, URL, tijd, ...).

Every type here raises ``ValueError`` with a Dutch message; ``validate.py`` turns it into a
diagnostic with file, line and field. JSON Schema patterns are attached so editors can
underline mistakes while a maintainer types.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema
from pydantic import BaseModel as _BaseModel

from sociale_kaart.model.names import MAX_SLUG


class Model(_BaseModel):
    """Base for every content model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# Characters no text value may hold (checked here, in the text types, so that it holds for
# every field): the C0 control characters except TAB and LF, DEL and the C1 control characters.
# They are invisible, and some break the output: a bare CR splits a line of an .ics file (a
# property of one's own), NUL and ESC reach HTML and calendars as they are.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Line breaks of any kind, for single-line fields (titles, names, summaries, labels).
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CHAR_NAMES = {0x00: "NUL", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
               0x2028: "regelscheiding", 0x2029: "alineascheiding"}


def _char_name(char: str) -> str:
    code = ord(char)
    name = _CHAR_NAMES.get(code)
    return f"U+{code:04X}" + (f", {name}" if name else "")


def _where(value: str, index: int) -> str:
    """'aan het begin' or "na 'Koffie-inloop'": where in ``value`` position ``index`` is."""
    before = _CONTROL.sub("", _LINE_BREAK.sub(" ", value[:index])).strip()
    if not before:
        return "aan het begin"
    return f"na '{'...' if len(before) > 40 else ''}{before[-40:]}'"


def _control_message(value: str, index: int) -> str:
    return (f"bevat een onzichtbaar stuurteken ({_char_name(value[index])}) "
            f"{_where(value, index)}; haal het weg (het komt vaak mee bij kopiëren en plakken)")


def _no_control(value: str) -> None:
    """Reject invisible control characters (see ``_CONTROL``) in any text value, in Dutch."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(_control_message(value, found.start()))


# The Markdown text under the front matter of a .md file: as Text, and its lines may end in
# CR LF (a file saved on Windows).
_BODY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def body_control(body: str) -> tuple[int, str] | None:
    """(index, Dutch message) of the first control character in a Markdown body, or None."""
    found = _BODY_CONTROL.search(body)
    return None if found is None else (found.start(), _control_message(body, found.start()))


def _text(value: Any) -> Any:
    # YAML turns `12` or `true` into numbers/booleans; text fields accept them as text.
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        _no_control(value)
    return value


def _line(value: Any, info: ValidationInfo) -> Any:
    """A single-line text: as ``_text``, and no line breaks inside it.

    Leading and trailing whitespace (also the line break that ``veld: |`` ends with) is
    stripped as in every text field, so only breaks within the text count.
    """
    value = _text(value)
    if isinstance(value, str):
        value = value.strip()
        found = _LINE_BREAK.search(value)
        if found:
            name = info.field_name or "veld"
            raise ValueError(
                f"mag maar één regel zijn, maar er begint een nieuwe regel "
                f"{_where(value, found.start())}. Zet de tekst op één regel; staat er "
                f"'{name}: |', schrijf dan '{name}: >' (dan worden de regels samengevoegd)")
    return value


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not _SLUG.match(value):
        raise ValueError(
            f"'{value}' is geen geldige korte naam (slug): gebruik alleen kleine letters, cijfers "
            "en streepjes, zoals 'buurthuis-de-brug'")
    if isinstance(value, str) and len(value) > MAX_SLUG:
        raise ValueError("korte naam (slug) is te lang (maximaal 80 tekens)")
    return value


# The constraints come before the validator so that pydantic checks them in its core (Rust);
# after a BeforeValidator it checks them with a Python function per value, which is slow.
# The before-validator still runs first.
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG), BeforeValidator(_slug)]
# Text: may span several lines (descriptions, Markdown). Line: a single line (a summary of
# one or two sentences). ShortText: a single line of at most 200 characters (titles, names,
# labels, address parts). See ``_text`` and ``_line`` for what none of them may hold.
Text = Annotated[str, Field(min_length=1), BeforeValidator(_text)]
Line = Annotated[str, Field(min_length=1), BeforeValidator(_line)]
ShortText = Annotated[str, Field(min_length=1, max_length=200), BeforeValidator(_line)]


Opmaak = Literal["markdown", "lang"]


def Meta(description: str | None = None, *, ref: str | None = None, opmaak: Opmaak | None = None,
         zoekfilter: str | None = None, keuzes: dict[str, str] | None = None,
         **kwargs: Any) -> Any:
    """A field with what the rest of the generator needs to know about it, declared once here
    and read by the JSON Schemas (authoring/schema.py), Decap (authoring/decap.py), the search
    filters (site/facets.py) and the reference checks (pipeline/resolve.py):

    * ``ref``: the field refers to another entry or taxonomy term by slug (see ``Ref``);
    * ``opmaak``: ``markdown`` for text written in Markdown, ``lang`` for text of more than a
      line (a text box in Decap instead of one line);
    * ``zoekfilter``: the search filter(s) the field's values go into, comma separated
      (site/facets.FACETS names them);
    * ``keuzes``: for a field of fixed values (a ``Literal``), each value's words for residents
      and editors (``choice_label``): the page, Decap's select and its preview show these.
    """
    extra: dict[str, Any] = {}
    if ref:
        extra["x-verwijzing"] = ref
    if opmaak:
        extra["x-opmaak"] = opmaak
    if zoekfilter:
        extra["x-zoekfilter"] = zoekfilter
    if keuzes:
        extra["x-keuzes"] = keuzes
    return Field(description=description, json_schema_extra=extra or None, **kwargs)


def Ref(target: str, description: str, **kwargs: Any) -> Any:
    """A field that refers to another entry or taxonomy term by slug (``Meta`` with ``ref``).

    ``target`` is a collection name understood by ``resolve.py``: ``gemeenten``,
    ``organisaties``, ``plekken`` (within the same gemeente), ``regios`` or
    ``taxonomie:<vocabulary>``. Decap CMS and the JSON Schema read the same marker.
    """
    return Meta(description, ref=target, **kwargs)


def field_meta(info: Any, key: str) -> Any:
    """A marker of ``Meta`` on a pydantic ``FieldInfo`` ('verwijzing', 'opmaak', 'zoekfilter')."""
    extra = info.json_schema_extra
    return extra.get(f"x-{key}") if isinstance(extra, dict) else None


def choice_label(model: type[_BaseModel], field: str, value: str) -> str:
    """The words for ``value`` of ``model.field`` (``Meta(keuzes=...)``), else the value."""
    return (field_meta(model.model_fields[field], "keuzes") or {}).get(value, value)


JA_WORDS = ("ja", "yes", "true", "waar")  # also read by the web editor (authoring/decap.py)
NEE_WORDS = ("nee", "no", "false", "onwaar")


def _ja_nee(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in JA_WORDS:
            return True
        if low in NEE_WORDS:
            return False
        raise ValueError(f"'{value}' is geen ja of nee: schrijf true of false")
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


JaNee = Annotated[bool, BeforeValidator(_ja_nee)]

# Postcode: four digits (not starting with 0), optional space, two capitals; SA, SD and SS are
# never issued by PostNL.
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")


def _postcode(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # `postcode: 12345` is read as a number
    if not isinstance(value, str):
        raise ValueError("postcode moet tekst zijn, zoals '8261 AB'")
    m = _POSTCODE.match(value.strip().upper())
    if not m or m.group(2) in ("SA", "SD", "SS"):
        raise ValueError(f"'{value}' is geen Nederlandse postcode: schrijf vier cijfers, een spatie "
                         "en twee hoofdletters, zoals '8261 AB'")
    return f"{m.group(1)} {m.group(2)}"


Postcode = Annotated[str, BeforeValidator(_postcode),
                     WithJsonSchema({"type": "string",
                                     "pattern": r"^[1-9][0-9]{3} ?(?![Ss][ADSads])[A-Za-z]{2}$",
                                     "description": "Postcode, zoals '8261 AB'"})]

_PHONE_OK = re.compile(r"^(\+31[1-9][0-9]{8}|0[1-9][0-9]{8}|0[89]00[0-9]{4,7}|140[0-9]{2,3})$")


def _telefoon(value: Any) -> Any:
    if isinstance(value, int):
        value = "0" + str(value)  # YAML read 0612345678 as a number and dropped the 0
    if not isinstance(value, str):
        raise ValueError("telefoonnummer moet tekst zijn, zoals '038 123 45 67'")
    _no_control(value)
    if _LINE_BREAK.search(value.strip()):
        raise ValueError("een telefoonnummer staat op één regel: haal de regelovergang weg")
    digits = re.sub(r"[\s\-().]", "", value)
    if digits.startswith("0031"):
        digits = "+31" + digits[4:]
    if not _PHONE_OK.match(digits):
        raise ValueError(f"'{value}' is geen Nederlands telefoonnummer: schrijf bijvoorbeeld "
                         "'038 123 45 67', '06 12345678', '+31 38 123 45 67' of '14 038'")
    return value.strip()


Telefoon = Annotated[str, BeforeValidator(_telefoon),
                     WithJsonSchema({"type": "string", "pattern": r"^[+0-9][0-9 \-().]{3,20}$",
                                     "description": "Telefoonnummer, zoals '038 123 45 67'"})]

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def _email(value: Any) -> Any:
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise ValueError(f"'{value}' is geen e-mailadres: schrijf bijvoorbeeld 'info@voorbeeld.nl'")
    return value.strip()


Email = Annotated[str, BeforeValidator(_email),
                  WithJsonSchema({"type": "string", "format": "email", "pattern": _EMAIL.pattern,
                                  "description": "E-mailadres, zoals 'info@voorbeeld.nl'"})]


def _url(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("webadres moet tekst zijn, zoals 'https://www.voorbeeld.nl'")
    v = value.strip()
    # urlsplit silently drops tabs and line breaks; the value itself would still hold them.
    if any(c.isspace() for c in v) or _CONTROL.search(v):
        raise ValueError(f"'{value}' is geen geldig webadres: er staat een spatie, regelovergang "
                         "of onzichtbaar teken in")
    try:
        parts = urlsplit(v)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unbalanced '[' in the host part
        raise ValueError(f"'{value}' is geen geldig webadres: schrijf bijvoorbeeld "
                         "'https://www.voorbeeld.nl'") from None
    if not parts.scheme or parts.scheme.lower() in ("www", "localhost") or not parts.netloc and \
            "." in parts.scheme:
        raise ValueError(f"'{value}' is geen webadres: begin met https://, zoals "
                         "'https://www.voorbeeld.nl'")
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"'{value}' is geen veilig webadres: alleen adressen die met https:// of "
                         "http:// beginnen zijn toegestaan")
    if "." not in host or any(c in v for c in ' <>"\\') or not _valid_host(host):
        raise ValueError(f"'{value}' is geen geldig webadres: schrijf bijvoorbeeld "
                         "'https://www.voorbeeld.nl'")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"'{value}' bevat een gebruikersnaam of wachtwoord (voor de '@'): laat "
                         "dat weg, het komt anders op de website te staan")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port outside 0..65535
    except ValueError:
        raise ValueError(f"'{value}' heeft een poortnummer dat niet bestaat: laat ':' en het "
                         "nummer na de naam van de website weg") from None
    return v


_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _valid_host(host: str) -> bool:
    """A domain name of at least two labels, each 1-63 letters, digits or hyphens (after IDNA
    for names with accents), with a top-level domain of letters: not '.nl' or 'a..nl'."""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return (len(labels) >= 2 and all(_LABEL.match(label) for label in labels)
            and (labels[-1].isalpha() or labels[-1].startswith("xn--")) and len(ascii_host) <= 253)


Url = Annotated[str, BeforeValidator(_url),
                WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://",
                                "description": "Webadres dat met https:// begint"})]

_TIME = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")


def _tijd(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and 0 <= value <= 24:
        value = f"{value}:00"
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"'{value}' is geen tijd: schrijf uren en minuten, zoals '09:30' of '19:00'")
    h, m = (int(x) for x in match.groups())
    if h > 23 or m > 59:
        raise ValueError(f"'{value}' is geen bestaande tijd: uren gaan van 00 tot 23, "
                         "minuten van 00 tot 59")
    return time(h, m)


Tijd = Annotated[time, BeforeValidator(_tijd),
                 WithJsonSchema({"anyOf": [
                     {"type": "string", "pattern": r"^([01]?[0-9]|2[0-3])[:.][0-5][0-9]$"},
                     {"type": "integer", "minimum": 0, "maximum": 23}],
                     "description": "Tijd, zoals '09:30'"})]


def _bedrag(value: Any) -> Any:
    if isinstance(value, str):
        v = value.strip().replace("€", "").replace(" ", "")
        if "," in v and "." not in v:
            v = v.replace(",", ".")  # Dutch decimal comma: 2,50
        try:
            return Decimal(v)
        except InvalidOperation:
            raise ValueError(f"'{value}' is geen bedrag: schrijf bijvoorbeeld 2.50") from None
    if isinstance(value, float):
        return Decimal(str(value))
    return value


MAX_BEDRAG = 100000  # euro: more is a typing error

Bedrag = Annotated[Decimal, BeforeValidator(_bedrag), Field(ge=0, le=MAX_BEDRAG, decimal_places=2),
                   WithJsonSchema({"anyOf": [
                       {"type": "number", "minimum": 0, "maximum": MAX_BEDRAG},
                       {"type": "string", "pattern": r"^ *€? *[0-9]+([.,][0-9]{1,2})? *$"}],
                       "description": "Bedrag in euro, zoals 2.50"})]


def _handle(value: Any) -> Any:
    if not isinstance(value, str) or not re.match(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(/[A-Za-z0-9._-]+)?$",
                                                  value.strip()):
        raise ValueError(f"'{value}' is geen GitHub-gebruikersnaam of team, zoals '@jansen' of "
                         "'@organisatie/team'")
    v = value.strip()
    return v if v.startswith("@") else "@" + v


GithubHandle = Annotated[str, BeforeValidator(_handle),
                         WithJsonSchema({"type": "string", "pattern": r"^@?[A-Za-z0-9][A-Za-z0-9-/._]*$",
                                         "description": "GitHub-gebruikersnaam, zoals '@jansen'"})]


def _datum(value: Any) -> Any:
    # Pydantic would read a number as seconds since 1970; a maintainer never means that.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"'{value}' is geen datum: schrijf jaar-maand-dag, zoals 2026-03-15")
    return value


# Every date of the content lies in these years. Real content (check dates, schedules, their
# exceptions) stays within a few years of today; a date far outside is a typing error, and a
# date at the edge of the calendar (9999-12-31) would overflow when the day after is computed
# (the end of an all-day event) or make a calendar's time zone span thousands of years.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _datum_range(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value.isoformat()} ligt niet tussen de jaren {FIRST_YEAR} en "
                         f"{LAST_YEAR}; klopt het jaartal?")
    return value


Datum = Annotated[date, BeforeValidator(_datum), AfterValidator(_datum_range),
                  WithJsonSchema({"type": "string", "format": "date",
                                  "description": "Datum: jaar-maand-dag, zoals 2026-03-15 "
                                                 f"(tussen {FIRST_YEAR} en {LAST_YEAR})"})]


# The date of a source document, as precise as the document gives it: a year ("2023"), a month
# ("2023-07") or a day ("2023-07-07"). Kept as that text, so no precision is invented.
_BRON_DATUM = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
BRON_DATUM_HINT = ("schrijf de datum zo precies als de bron zelf: het jaar (2023), jaar en maand "
                   "(2023-07) of de hele datum (2023-07-07); heeft de bron geen datum, laat "
                   "'datum' dan weg")


def _bron_datum(value: Any) -> Any:
    if isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    match = _BRON_DATUM.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"'{value}' is geen datum van een bron: {BRON_DATUM_HINT}")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year or 1, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"'{value}' is geen bestaande datum: {BRON_DATUM_HINT}") from None
    if not FIRST_YEAR <= (year or 0) <= LAST_YEAR:
        raise ValueError(f"{value} ligt niet tussen de jaren {FIRST_YEAR} en {LAST_YEAR}; klopt "
                         "het jaartal?")
    return match.group(0)


def bron_datum_first_day(value: str) -> date:
    """The first day a source date can mean: '2023' -> 1 January 2023, '2023-07' -> 1 July."""
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


BronDatum = Annotated[str, BeforeValidator(_bron_datum),
                      WithJsonSchema({"anyOf": [
                          {"type": "string",
                           "pattern": r"^[12][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"},
                          {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}],
                          "description": "Datum van de bron, zo precies als de bron die geeft: "
                                         "2023, 2023-07 of 2023-07-07"})]


# --------------------------------------------------------------------------- list sizes
# A file may not ask for more than real content ever needs: every list that the pages repeat
# (an activity's card is on the list of each of its themes) has a maximum length, so that the
# size of the site grows with the size of the content and not faster. The limits are far above
# real use; README.md ("Limits") lists them.


def at_most(limit: int, hint: str = "", noun: str = "items") -> Any:
    """A list of at most ``limit`` items, checked before its items are (a list of 100,000 dates
    is refused at once). ``hint`` is added to the message: what to do instead."""
    def check(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) > limit:
            raise ValueError(f"bevat {len(value)} {noun}; dat mogen er hoogstens {limit} zijn"
                             + (f". {hint}" if hint else ""))
        return value
    return BeforeValidator(check)


def _distinct(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"'{v}' staat twee keer in deze lijst")
        seen.add(v)
    return values


MAX_TERMS = 30  # taxonomy terms in one list of an entry (themas, doelgroepen, ...)
MAX_GEMEENTEN = 400  # gemeenten in one list (the Netherlands have 342)
MAX_REFS = 100  # other references in one list (regios, organisaties, niet_dubbel)
MAX_SYNONYMS = 30  # synonyms of one taxonomy term (each entry's page carries them)

# Lists of references: distinct slugs, and not more than these.
TermRefs = Annotated[list[Slug], Field(max_length=MAX_TERMS), at_most(MAX_TERMS),
                     AfterValidator(_distinct)]
GemeenteRefs = Annotated[list[Slug], Field(max_length=MAX_GEMEENTEN), at_most(MAX_GEMEENTEN),
                         AfterValidator(_distinct)]
Refs = Annotated[list[Slug], Field(max_length=MAX_REFS), at_most(MAX_REFS),
                 AfterValidator(_distinct)]
