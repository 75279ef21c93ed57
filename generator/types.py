"""Reusable field types with Dutch validation messages (postcode, telefoon, URL, tijd, ...).

Every type here raises ``ValueError`` with a Dutch message; ``validate.py`` turns it into a
diagnostic with file, line and field. JSON Schema patterns are attached so editors can
underline mistakes while a maintainer types.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel as _BaseModel
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema


class Model(_BaseModel):
    """Base for every content model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _text(value: Any) -> Any:
    # YAML turns `12` or `true` into numbers/booleans; text fields accept them as text.
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return value


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not _SLUG.match(value):
        raise ValueError(
            f"'{value}' is geen geldige korte naam (slug): gebruik alleen kleine letters, cijfers "
            "en streepjes, zoals 'buurthuis-de-brug'")
    if isinstance(value, str) and len(value) > 80:
        raise ValueError("korte naam (slug) is te lang (maximaal 80 tekens)")
    return value


# The constraints come before the validator so that pydantic checks them in its core (Rust);
# after a BeforeValidator it checks them with a Python function per value, which is slow.
# The before-validator still runs first.
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80), BeforeValidator(_slug)]
Text = Annotated[str, Field(min_length=1), BeforeValidator(_text)]
ShortText = Annotated[str, Field(min_length=1, max_length=200), BeforeValidator(_text)]


def Ref(target: str, description: str, **kwargs: Any) -> Any:
    """A field that refers to another entry or taxonomy term by slug.

    ``target`` is a collection name understood by ``resolve.py``: ``gemeenten``,
    ``organisaties``, ``plekken`` (within the same gemeente), ``regios`` or
    ``taxonomie:<vocabulary>``. Decap CMS and the JSON Schema read the same marker.
    """
    return Field(description=description, json_schema_extra={"x-verwijzing": target}, **kwargs)


def _ja_nee(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("ja", "yes", "true", "waar"):
            return True
        if low in ("nee", "no", "false", "onwaar"):
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


Bedrag = Annotated[Decimal, BeforeValidator(_bedrag), Field(ge=0, le=100000, decimal_places=2),
                   WithJsonSchema({"anyOf": [
                       {"type": "number", "minimum": 0, "maximum": 100000},
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


Datum = Annotated[date, BeforeValidator(_datum),
                  WithJsonSchema({"type": "string", "format": "date",
                                  "description": "Datum: jaar-maand-dag, zoals 2026-03-15"})]
