"""Stage 2: validate. Turn a loaded document into a typed model, or into Dutch diagnostics.

Pydantic does the checking (see ``models.py``); this module translates its errors into
plain Dutch with the file, line, column and field of the offending value, and suggests the
closest known field name for typos.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.pipeline.yaml_loader import Document, FieldPath, field_name

ModelT = TypeVar("ModelT", bound=BaseModel)

TYPE_NAMES = {
    "gemeente": "een gemeente", "organisatie": "een organisatie",
    "ontmoetingsplek": "een ontmoetingsplek", "activiteit": "een activiteit",
    "praktijk": "een praktijk", "site": "site.yaml", "taxonomie": "een lijst met termen",
}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the pydantic model class inside an annotation like ``list[X] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def model_at(model: type[BaseModel], path: FieldPath) -> type[BaseModel] | None:
    """The model class that owns the fields at ``path`` (list indexes are skipped)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _model_in(info.annotation)
    return current


def suggest(word: str, options: typing.Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes (``\\x1b``), so that
    a message that quotes a value can never move the cursor or colour a maintainer's terminal,
    or break a line of the output."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(err: ErrorDetails, model: type[BaseModel]) -> tuple[str, str]:
    """Dutch message and code for one pydantic error."""
    kind = err["type"]
    loc = tuple(p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function-"))
    ctx = err.get("ctx") or {}
    value = err.get("input")
    shown = f"'{_short(value)}'" if isinstance(value, (str, int, float)) else "deze waarde"
    if kind == "missing":
        return "verplicht veld ontbreekt", "verplicht"
    if kind == "extra_forbidden":
        name = str(loc[-1])
        owner = model_at(model, loc[:-1])
        known = list(owner.model_fields) if owner else []
        close = suggest(name, known)
        hint = f"; bedoelde u '{close}'?" if close else (
            f"; bekende velden: {', '.join(known)}" if known and len(known) <= 12 else "")
        return f"onbekend veld '{name}'{hint}", "onbekend-veld"
    if kind == "samen_nodig":  # a field that another one needs (model/entries.py)
        return str(err["msg"]), "samen-nodig"
    if value == "" or (value is None and kind not in ("missing",)):
        return "is nog leeg: vul dit veld in", "leeg"
    if kind == "value_error":
        msg = str(err["msg"])
        return msg.removeprefix("Value error, "), "ongeldige-waarde"
    if kind in ("string_type",):
        if loc and loc[-1] == "cbs_code":
            return (f"{shown} is geen CBS-gemeentecode: schrijf GM en vier cijfers, "
                    "zoals GM0166"), "patroon"
        return f"{shown} moet tekst zijn", "type"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{shown} moet een heel getal zijn", "type"
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing"):
        return f"{shown} moet een getal zijn, zoals 2.50", "type"
    if kind == "finite_number":  # .nan or .inf in YAML
        return f"{shown} is geen getal: schrijf bijvoorbeeld 2.50", "type"
    if kind == "decimal_max_places":
        return f"{shown}: gebruik hoogstens 2 cijfers achter de punt", "type"
    if kind in ("bool_type", "bool_parsing"):
        return f"{shown} moet true of false zijn", "type"
    if kind.startswith("date") or kind.startswith("datetime"):
        if isinstance(value, str) and ("range" in str(err["msg"]) or "month" in str(err["msg"])):
            return f"datum '{value}' bestaat niet", "datum"
        return f"{shown} is geen datum: schrijf jaar-maand-dag, zoals 2026-03-15", "datum"
    if kind in ("list_type", "tuple_type"):
        return ("moet een lijst zijn: zet elk item op een eigen regel die met '- ' begint, "
                "of schrijf [a, b]"), "type"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "moet een groep velden zijn (ingesprongen regels als 'naam: waarde')", "type"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{shown} is geen geldige keuze; kies uit: {expected}", "keuze"
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        if limit == 0:
            return f"{shown} mag niet negatief zijn", "bereik"
        return f"{shown} is te laag (minimaal {limit})", "bereik"
    if kind in ("less_than_equal", "less_than"):
        return f"{shown} is te hoog (maximaal {ctx.get('le', ctx.get('lt'))})", "bereik"
    if kind == "string_too_short":
        return "is nog leeg: vul dit veld in", "leeg"
    if kind == "string_too_long":
        return f"is te lang (maximaal {ctx.get('max_length')} tekens)", "te-lang"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"moet minstens {n} {'item' if n == 1 else 'items'} bevatten", "leeg"
    if kind == "too_long":
        return f"bevat te veel items (maximaal {ctx.get('max_length')})", "te-lang"
    if kind == "string_pattern_mismatch":
        field = str(loc[-1]) if loc else ""
        if field == "cbs_code":
            return (f"{shown} is geen CBS-gemeentecode: schrijf GM en vier cijfers, "
                    "zoals GM0166"), "patroon"
        if field == "start":
            return f"{shown} is geen startjaar: schrijf bijvoorbeeld 2021 of 2021-09", "patroon"
        return f"{shown} heeft niet de goede vorm", "patroon"
    return f"ongeldige waarde ({err['msg']})", kind


def diagnostics_from_error(exc: ValidationError, doc: Document,
                           model: type[BaseModel]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    errors = exc.errors(include_url=False)
    # A misspelled required field gives "unknown field" and "missing field"; when the unknown
    # one is close to the missing one, the suggestion says it all.
    def plain(loc: tuple) -> FieldPath:
        return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))

    suggested: set[FieldPath] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = plain(err["loc"])
            owner = model_at(model, loc[:-1])
            close = suggest(str(loc[-1]), owner.model_fields) if owner else None
            if close:
                suggested.add(loc[:-1] + (close,))
    for err in errors:
        if err["type"] == "missing" and plain(err["loc"]) in suggested:
            continue
        loc = tuple(p for p in err["loc"]
                    if not (isinstance(p, str) and p.startswith("function-")))
        message, code = _describe(err, model)
        message = visible(message)
        # Errors inside a union repeat once per branch; keep the first per field.
        key = (loc, code)
        if key in seen:
            continue
        seen.add(key)
        if err["type"] == "extra_forbidden":
            line, col = doc.position(loc, key=True)
        elif err["type"] == "missing":
            line, col = doc.position(loc[:-1])
        else:
            line, col = doc.position(loc)
        out.append(Diagnostic(doc.rel, line, col, field_name(loc), message, "fout", code))
    return out


def validate_document(doc: Document, model: type[ModelT]) -> tuple[ModelT | None, list[Diagnostic]]:
    data = dict(doc.data)
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, diagnostics_from_error(exc, doc, model)


__all__ = ["validate_document", "model_at", "suggest", "TYPE_NAMES"]
