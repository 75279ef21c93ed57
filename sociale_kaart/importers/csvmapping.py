"""The mapping file of a spreadsheet import: which column holds which field (``CSV_FIELDS``),
how values translate, defaults for every row and the separator; reading it and checking it
with Dutch diagnostics (file, line, field) before any row is read. See
``tests/fixtures/import/`` and the README section "Migrating an existing sociale kaart"."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.importers.common import ImportError_
from sociale_kaart.model.entries import Aanmelden, Kosten
from sociale_kaart.model.fields import Model, ShortText
from sociale_kaart.pipeline.load import display_path
from sociale_kaart.pipeline.validate import validate_document
from sociale_kaart.pipeline.yaml_loader import field_name, load_file

# The fields a column can fill -> what the column holds (Dutch, for messages).
CSV_FIELDS = {
    "titel": "naam van de activiteit",
    "samenvatting": "korte omschrijving", "beschrijving": "lange omschrijving",
    "dagen": "dag of dagen (Dinsdag, 2e maandag)", "frequentie": "wekelijks of maandelijks",
    "tijd": "tijd als '10:00-11:30'", "van": "begintijd", "tot": "eindtijd",
    "datum": "losse datum", "toelichting_tijden": "opmerking bij de tijden",
    "plek": "naam van de ontmoetingsplek", "plek_soort": "soort plek",
    "adres": "straat en huisnummer", "straat": "straat", "huisnummer": "huisnummer",
    "postcode": "postcode", "plaats": "plaats", "kern": "kern of wijk",
    "telefoon": "telefoonnummer", "email": "e-mailadres", "website": "webadres",
    "kosten": "kosten ('Gratis', '€ 2,50 per keer')", "doelgroepen": "voor wie",
    "themas": "thema's", "toegankelijkheid": "toegankelijkheid",
    "organisator": "naam van de organisatie", "organisatie_soort": "soort organisatie",
    "aanmelden": "hoe aanmelden", "status": "actief, gepauzeerd of gestopt",
    "welzijn_op_recept": "ja of nee", "online": "webadres als het online is",
    "laatst_gecontroleerd": "datum van controle", "contact_naam": "functie of afdeling",
}
# The fields that hold taxonomy terms (lists), in the order the drafts list them.
TERM_FIELDS = ("themas", "doelgroepen", "toegankelijkheid")
LIST_FIELDS = set(TERM_FIELDS)


class CsvMapping(Model):
    """The mapping file of a spreadsheet import."""

    kolommen: dict[str, ShortText] = Field(description="Veld in de sociale kaart: kolomtitel")
    waarden: dict[str, dict[str, Any]] = Field(default_factory=dict,
                                               description="Per veld: waarde in de kolom -> "
                                                           "waarde in de sociale kaart")
    standaard: dict[str, Any] = Field(default_factory=dict,
                                      description="Waarden voor elke rij")
    scheidingsteken: str | None = Field(None, max_length=1,
                                        description="Scheidingsteken, zoals ';' of ','")


SEPARATORS = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep",
              ":": "dubbele punt"}
_WORD = (str, int, float, bool)  # what a value in 'standaard' or 'waarden' may be


def _mapping_value_problems(model: CsvMapping, doc: Any) -> list[Diagnostic]:
    """Dutch errors for values in 'standaard' and 'waarden' of a shape the importer cannot use.

    Texts, numbers and true/false everywhere; lists of those for the list fields (and dagen in
    'waarden'); a group of fields only in 'waarden' of kosten or aanmelden, checked as such.
    """
    out: list[Diagnostic] = []

    def problem(path: tuple[str, ...], message: str, code: str = "type", key: bool = False) -> None:
        line, col = doc.position(path, key=key)
        out.append(Diagnostic(doc.rel, line, col, field_name(path), message, "fout", code))

    def unknown(section: str, fld: str) -> bool:
        if fld in CSV_FIELDS:
            return False
        close = difflib.get_close_matches(fld, list(CSV_FIELDS), n=1)
        problem((section, fld), f"onbekend veld '{fld}'" + (f"; bedoelde u '{close[0]}'?" if close
                                                           else ""), "onbekend-veld", key=True)
        return True

    if model.scheidingsteken and model.scheidingsteken not in SEPARATORS:
        problem(("scheidingsteken",), f"'{model.scheidingsteken}' kan geen scheidingsteken zijn; "
                "kies uit: ; , | : of een tab (\\t)", "keuze")
    for fld, value in model.standaard.items():
        if unknown("standaard", fld):
            continue
        if fld in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(("standaard", fld), "moet een lijst met termen zijn, zoals [ontmoeting]")
        elif value is None or not isinstance(value, _WORD):
            problem(("standaard", fld), "moet tekst, een getal of true/false zijn")
    for fld, table in model.waarden.items():
        if unknown("waarden", fld):
            continue
        for raw, value in table.items():
            path = ("waarden", fld, raw)
            if isinstance(value, dict) and fld in ("kosten", "aanmelden"):
                try:
                    (Kosten if fld == "kosten" else Aanmelden).model_validate(value)
                except ValidationError as exc:
                    err = exc.errors(include_url=False)[0]
                    where = ".".join(str(x) for x in err["loc"])
                    problem(path, f"{where + ': ' if where else ''}"
                                  f"{str(err['msg']).removeprefix('Value error, ')}", "ongeldige-waarde")
            elif isinstance(value, list) and (fld in LIST_FIELDS or fld == "dagen"):
                if not all(isinstance(v, _WORD) for v in value):
                    problem(path, "moet een lijst met woorden zijn, zoals [ouderen, iedereen]")
            elif value is None or not isinstance(value, _WORD):
                hint = " of een groep velden" if fld in ("kosten", "aanmelden") else (
                    " of een lijst" if fld in LIST_FIELDS or fld == "dagen" else "")
                problem(path, f"moet tekst, een getal of true/false zijn{hint}")
    return out


def load_mapping(path: Path) -> CsvMapping:
    """The mapping file at ``path``, or ``ImportError_`` with every problem in it."""
    doc, diags = load_file(path, display_path(path))
    if doc is None:
        raise ImportError_("de mapping kan niet gelezen worden", diags)
    model, errors = validate_document(doc, CsvMapping)
    problems = list(diags) + list(errors)
    if model is not None:
        for fld in model.kolommen:
            if fld not in CSV_FIELDS:
                line, c = doc.position(("kolommen", fld), key=True)
                close = difflib.get_close_matches(fld, list(CSV_FIELDS), n=1)
                hint = f"; bedoelde u '{close[0]}'?" if close else ""
                problems.append(Diagnostic(doc.rel, line, c, f"kolommen.{fld}",
                                           f"onbekend veld '{fld}'{hint} Bekende velden: "
                                           + ", ".join(CSV_FIELDS), "fout", "onbekend-veld"))
        if "titel" not in model.kolommen:
            problems.append(Diagnostic(doc.rel, 1, 1, "kolommen", "geef bij 'kolommen' in "
                                       "welke kolom de naam van de activiteit staat "
                                       "(titel: ...)", "fout", "verplicht"))
        problems += _mapping_value_problems(model, doc)
    if problems or model is None:
        raise ImportError_("de mapping klopt niet", problems)
    return model


__all__ = ["CSV_FIELDS", "LIST_FIELDS", "SEPARATORS", "TERM_FIELDS", "CsvMapping", "load_mapping"]
