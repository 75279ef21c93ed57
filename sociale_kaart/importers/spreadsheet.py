"""A spreadsheet (CSV) with a mapping file to drafts: decode and parse the file as spreadsheet
programs write it, then one activity per row, with the places and organisations the rows name.
Dutch free text in cells is read by ``nl_text.py``; cells that a spreadsheet would run as a
formula are never taken over.

(Not named ``csv.py``: the module reads files with the standard library's ``csv``.)
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from sociale_kaart.csvsafe import describe_risk, formula_risk
from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.importers.common import (
    CHECKED_BY_IMPORT,
    Draft,
    ImportError_,
    ImportResult,
    Slugs,
    import_slug,
    make_rule,
    rule_data,
    shorten,
    split_description,
    validate_value,
)
from sociale_kaart.importers.csvmapping import LIST_FIELDS, TERM_FIELDS, CsvMapping
from sociale_kaart.importers.match import Vocabularies, address_key
from sociale_kaart.importers.nl_text import (
    parse_days,
    parse_kosten,
    parse_time_range,
    read_date,
    read_time,
    split_street,
)
from sociale_kaart.model.entries import ACTIVITEIT_STATUSES, Activiteit, Gemeente, Kosten, term_fields
from sociale_kaart.model.fields import Email, Postcode, Telefoon, Url
from sociale_kaart.nl.text import fold_spaces
from sociale_kaart.pipeline.duplicates import name_key

_CSV_ERRORS = (  # the csv module's English messages (their start) -> Dutch
    ("field larger than field limit",
     f"een cel is langer dan {csv.field_size_limit():,} tekens".replace(",", ".")
     + "; is dit wel een spreadsheet met één regel per activiteit?"),
    ("new-line character seen in unquoted field", "een regeleinde midden in een cel"),
)


def _csv_problem(source: str, line: int, message: str) -> ImportError_:
    return ImportError_(f"{source} is geen bruikbaar CSV-bestand",
                        [Diagnostic(source, line, 1 if line else 0, "", message, "fout", "csv")])


def read_csv(raw: bytes, delimiter: str | None, source: str = "het bestand"
             ) -> tuple[list[str], list[dict[str, str]]]:
    """Decode (UTF-8, UTF-16 with a byte order mark, or Windows-1252 as Excel writes it) and
    parse a spreadsheet export. Raises ``ImportError_`` (file and line) for what is no CSV."""
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise _csv_problem(source, 0, "dit is een Excel-bestand, geen CSV: kies in Excel "
                           "'Opslaan als' en dan 'CSV (gescheiden door lijstscheidingsteken)'")
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _csv_problem(source, line, "het bestand bevat nultekens: dit is geen tekstbestand. "
                           "Sla de spreadsheet op als CSV")
    if not delimiter:
        sample = text[:4096]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
        except csv.Error:
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        rows = [{(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
                 for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        message = next((dutch for start, dutch in _CSV_ERRORS if str(exc).startswith(start)),
                       "deze regel kan niet gelezen worden als CSV")
        raise _csv_problem(source, reader.reader.line_num, message) from None
    return header, rows


VOCABULARIES = term_fields(Activiteit)  # field -> the taxonomy its terms come from
# Columns whose values are checked by their own type, where a leading '+' is normal (+31 ...).
NO_FORMULA_CHECK = {"telefoon"}


class CsvImporter:
    """The rows of a spreadsheet -> drafts; ``notes`` collects what is not taken over."""

    def __init__(self, mapping: CsvMapping, vocab: Vocabularies, gemeente: Gemeente,
                 today: date, bron: dict[str, Any], known: dict[str, dict[str, str]] | None = None,
                 source: str = "het bestand"):
        self.m = mapping
        self.source = source
        self.n = 1  # the spreadsheet row being read (row 1 holds the column titles)
        self.vocab = vocab
        self.gemeente = gemeente
        self.today = today
        self.bron = bron
        self.known = known or {}
        self.notes: list[str] = []
        self.slugs = Slugs()
        self.places: dict[str, Draft] = {}
        self.orgs: dict[str, Draft] = {}
        self.values = {f: {fold_spaces(k): v for k, v in table.items()}
                       for f, table in mapping.waarden.items()}

    def mapped(self, fld: str, raw: str) -> Any:
        """Apply the value map of a field (whole cell, case-insensitive)."""
        table = self.values.get(fld, {})
        return table.get(fold_spaces(raw), raw)

    def cell(self, row: dict[str, str], fld: str) -> str:
        col = self.m.kolommen.get(fld)
        value = row.get(col, "") if col else ""
        risk = formula_risk(value) if value and fld not in NO_FORMULA_CHECK else None
        if risk:  # a spreadsheet would run it as a formula: never passed on to the content
            self.notes.append(f"{self.source}, rij {self.n}, kolom '{col}': '{shorten(value)}' "
                              f"begint met {describe_risk(risk)}; een spreadsheet kan dat als "
                              "formule uitvoeren. Niet overgenomen: neem de tekst zelf over als "
                              "hij klopt")
            value = ""
        if not value and fld in self.m.standaard and fld not in LIST_FIELDS:
            value = str(self.m.standaard[fld])
        return value.strip()

    def terms(self, row: dict[str, str], fld: str, vocab: str, where: str) -> list[str]:
        out: list[str] = list(self.m.standaard.get(fld) or [])  # a list of texts: see load_mapping
        raw = self.cell(row, fld)
        if not raw:
            return list(dict.fromkeys(out))
        whole = self.mapped(fld, raw)
        parts = whole if isinstance(whole, list) else (
            [whole] if whole != raw else [p for p in re.split(r"[,;/]|\ben\b", raw) if p.strip()])
        for part in parts:
            part = self.mapped(fld, str(part).strip())
            values = part if isinstance(part, list) else [part]
            for value in values:
                slug = self.vocab.match(vocab, str(value).strip())
                if slug:
                    out.append(slug)
                else:
                    self.notes.append(f"{where}, kolom '{self.m.kolommen[fld]}': '{value}' past "
                                      f"niet bij een term in taxonomie/{vocab}.yaml; voeg het "
                                      f"toe aan 'waarden: {fld}:' in de mapping")
        return list(dict.fromkeys(out))

    def check_value(self, type_: Any, value: str, where: str, fld: str) -> Any:
        if not value:
            return None
        good, problem = validate_value(type_, value)
        if problem:
            self.notes.append(f"{where}, kolom '{self.m.kolommen.get(fld, fld)}': {problem}")
        return good

    def address(self, row: dict[str, str], where: str) -> dict[str, Any] | None:
        straat, nummer = self.cell(row, "straat"), self.cell(row, "huisnummer")
        line = self.cell(row, "adres")
        if line and not straat:
            street = split_street(line)
            if street:
                straat, nummer = street
            else:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['adres']}': '{line}' is "
                                  "geen straat met huisnummer")
                return None
        plaats = self.cell(row, "plaats") or self.cell(row, "kern") or self.gemeente.naam
        if not straat or not nummer:
            return None
        out: dict[str, Any] = {"straat": straat, "huisnummer": nummer}
        pc = self.check_value(Postcode, self.cell(row, "postcode"), where, "postcode")
        if pc:
            out["postcode"] = pc
        out["plaats"] = plaats
        return out

    def run(self, header: list[str], rows: list[dict[str, str]]) -> list[Draft]:
        unused = [h for h in header if h and h not in self.m.kolommen.values()]
        for col in unused:
            self.notes.append(f"kolom '{col}' staat niet in de mapping en is niet overgenomen")
        drafts: list[Draft] = []
        for n, row in enumerate(rows, start=2):  # row 1 holds the column titles
            if not any(row.values()):
                continue
            self.n = n
            draft = self.row(row, n)
            if draft:
                drafts.append(draft)
        return list(self.orgs.values()) + list(self.places.values()) + drafts

    def row(self, row: dict[str, str], n: int) -> Draft | None:
        titel = self.cell(row, "titel")
        if not titel:
            self.notes.append(f"rij {n}: geen naam van de activiteit; rij overgeslagen")
            return None
        where = f"rij {n} ('{titel}')"
        data: dict[str, Any] = {"titel": titel}
        summary, text = split_description(self.cell(row, "samenvatting"), required=True)
        long_text = self.cell(row, "beschrijving")
        if summary:
            data["samenvatting"] = summary
        elif long_text:
            summary, text = split_description(long_text, required=True)
            data["samenvatting"] = summary
            long_text = ""
        else:
            self.notes.append(f"{where}: geen omschrijving; schrijf zelf een 'samenvatting'")
        if text or long_text:
            data["beschrijving"] = "\n\n".join(t for t in (text, long_text) if t)
        plek_naam = self.cell(row, "plek")
        adres = self.address(row, where)
        if plek_naam:
            data["plek"] = self.place(plek_naam, adres, row, where)
        elif adres:
            data["adres"] = adres
        online = self.check_value(Url, self.cell(row, "online"), where, "online")
        if online:
            data["online"] = online
        kern = self.cell(row, "kern")
        if kern and not plek_naam:
            data["kern"] = kern
        org = self.cell(row, "organisator")
        if org:
            data["organisator"] = self.organisation(org, where)
        for fld in TERM_FIELDS:
            found = self.terms(row, fld, VOCABULARIES[fld], where)
            if found:
                data[fld] = found
        rule = self.schedule(row, where)
        if rule:
            data["wanneer"] = [rule]
        kosten_raw = self.cell(row, "kosten")
        if kosten_raw:
            mapped = self.mapped("kosten", kosten_raw)
            kosten = mapped if isinstance(mapped, dict) else parse_kosten(str(mapped))
            try:
                Kosten.model_validate(kosten)
                data["kosten"] = kosten
            except ValidationError as exc:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['kosten']}': "
                                  f"'{kosten_raw}' niet overgenomen ({exc.errors()[0]['msg']})")
        aanmelden = self.cell(row, "aanmelden")
        if aanmelden:
            mapped = self.mapped("aanmelden", aanmelden)
            if isinstance(mapped, dict):
                data["aanmelden"] = mapped
            else:
                nodig = not re.search(r"^(nee|niet nodig|geen)", fold_spaces(str(mapped)))
                data["aanmelden"] = {"nodig": nodig} | (
                    {} if fold_spaces(str(mapped)) in ("ja", "nee") else {"hoe": str(mapped)})
        contact: dict[str, Any] = {}
        naam = self.cell(row, "contact_naam")
        if naam:
            contact["naam"] = naam
        for fld, type_ in (("telefoon", Telefoon), ("email", Email), ("website", Url)):
            good = self.check_value(type_, self.cell(row, fld), where, fld)
            if good:
                contact[fld] = good
        if contact:
            data["contact"] = contact
        wor = self.cell(row, "welzijn_op_recept")
        if wor:
            value = self.mapped("welzijn_op_recept", wor)
            if fold_spaces(str(value)) in ("ja", "true", "x", "1", "yes"):
                data["welzijn_op_recept"] = True
        status = self.cell(row, "status")
        if status:
            value = self.mapped("status", status)
            if value in ACTIVITEIT_STATUSES:
                if value != "actief":
                    data["status"] = value
            else:
                self.notes.append(f"{where}: status '{status}' onbekend; 'actief' gebruikt")
        data["bron"] = [self.bron]
        checked = self.cell(row, "laatst_gecontroleerd")
        day = read_date(checked) if checked else None
        if checked and day is None:
            self.notes.append(f"{where}: '{checked}' is geen datum; niet overgenomen")
        if day is not None:  # a check in the spreadsheet; never 'today'
            data["laatst_gecontroleerd"] = day
            data["gecontroleerd_door"] = CHECKED_BY_IMPORT
        wanted = self.known.get("activiteit", {}).get(name_key(titel)) or import_slug(titel)
        slug = self.slugs.take("activiteit", wanted, f"{titel} {plek_naam or kern}")
        return Draft("activiteit", slug, data)

    def schedule(self, row: dict[str, str], where: str) -> dict[str, Any] | None:
        days_raw = self.cell(row, "dagen")
        datum_raw = self.cell(row, "datum")
        data: dict[str, Any] = {}
        times = self.cell(row, "tijd")
        if times:
            parsed = parse_time_range(str(self.mapped("tijd", times)))
            if parsed:
                data["van"], tot = parsed
                if tot:
                    data["tot"] = tot
            else:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['tijd']}': '{times}' is "
                                  "geen tijd zoals '10:00-11:30'")
        for fld in ("van", "tot"):
            raw = self.cell(row, fld)
            if raw:
                t = read_time(raw)
                if t:
                    data[fld] = t
                else:
                    self.notes.append(f"{where}: '{raw}' is geen tijd")
        note = self.cell(row, "toelichting_tijden")
        if note:
            data["toelichting"] = note
        if days_raw:
            mapped = self.mapped("dagen", days_raw)
            parsed_days = None
            if isinstance(mapped, list):
                parsed_days = ([str(d) for d in mapped], any(str(d)[0] in "-12345" for d in mapped))
            else:
                parsed_days = parse_days(str(mapped))
                if parsed_days is None and re.fullmatch(r"(-?[1-5])?[A-Z]{2}", str(mapped)):
                    parsed_days = ([str(mapped)], str(mapped)[0] in "-12345")
            if parsed_days is None:
                self.notes.append(f"{where}, kolom '{self.m.kolommen['dagen']}': '{days_raw}' "
                                  "is geen dag; voeg het toe aan 'waarden: dagen:' in de mapping")
                return None
            days, monthly = parsed_days
            freq = self.cell(row, "frequentie") or ("maandelijks" if monthly else "wekelijks")
            data["frequentie"] = self.mapped("frequentie", freq)
            data["dagen"] = days
        elif datum_raw:
            day = read_date(datum_raw)
            if day is None:
                self.notes.append(f"{where}: '{datum_raw}' is geen datum")
                return None
            data["datums"] = [day]
        else:
            return None
        rule = make_rule(data, where, self.notes)
        return rule_data(rule) if rule else None

    def place(self, naam: str, adres: dict[str, Any] | None, row: dict[str, str],
              where: str) -> str:
        key = name_key(naam)
        if key in self.places:
            return self.places[key].slug
        existing = self.known.get("ontmoetingsplek", {}).get(key)
        if existing:
            return existing
        at = address_key(adres)
        existing = self.known.get("adres", {}).get(at) if at else None
        if existing:
            self.notes.append(f"{where}: plek '{naam}' heeft hetzelfde adres als de bestaande "
                              f"plek '{existing}' en is daaraan gekoppeld: controleer dit")
            return existing
        data: dict[str, Any] = {"naam": naam}
        col = self.m.kolommen.get("plek_soort")
        raw = row.get(col, "").strip() if col else ""
        soort = self.vocab.match("plek-soorten", str(self.mapped("plek_soort", raw))) if raw \
            else None
        if raw and not soort:
            self.notes.append(f"{where}: soort '{raw}' past niet bij taxonomie/plek-soorten.yaml")
        soort = soort or self.vocab.guess("plek-soorten", naam)
        if not soort and self.m.standaard.get("plek_soort"):
            soort = self.vocab.match("plek-soorten", str(self.m.standaard["plek_soort"]))
            if soort:
                self.notes.append(f"{where}: plek '{naam}' krijgt soort '{soort}' uit 'standaard' "
                                  "in de mapping: controleer dit")
        if soort:
            data["soort"] = soort
        else:
            self.notes.append(f"{where}: soort van plek '{naam}' onbekend; vul 'soort' zelf in "
                              "of zet 'plek_soort' in de mapping")
        kern = self.cell(row, "kern")
        if kern:
            data["kern"] = kern
        if adres:
            data["adres"] = adres
        data["bron"] = [self.bron]
        draft = Draft("ontmoetingsplek", self.slugs.take("ontmoetingsplek", import_slug(naam)), data)
        self.places[key] = draft
        return draft.slug

    def organisation(self, naam: str, where: str) -> str:
        key = name_key(naam)
        if key in self.orgs:
            return self.orgs[key].slug
        existing = self.known.get("organisatie", {}).get(key)
        if existing:
            return existing
        data: dict[str, Any] = {"naam": naam}
        soort = self.m.standaard.get("organisatie_soort")
        soort = (self.vocab.match("organisatie-soorten", str(soort)) if soort else None) or \
            self.vocab.guess("organisatie-soorten", naam)
        if soort:
            data["soort"] = soort
        else:
            self.notes.append(f"{where}: soort van organisatie '{naam}' onbekend; vul 'soort' "
                              "zelf in of zet 'organisatie_soort' onder 'standaard' in de mapping")
        data["gemeenten"] = [self.gemeente.slug]
        data["bron"] = [self.bron]
        draft = Draft("organisatie", self.slugs.take("organisatie", import_slug(naam)), data)
        self.orgs[key] = draft
        return draft.slug


def import_csv(raw: bytes, mapping: CsvMapping, vocab: Vocabularies, gemeente: Gemeente,
               today: date, bron: dict[str, Any], known: dict[str, dict[str, str]] | None = None,
               source: str = "het bestand") -> ImportResult:
    """Pure: spreadsheet bytes + mapping -> drafts and notes."""
    header, rows = read_csv(raw, mapping.scheidingsteken, source)
    missing = [f"'{c}' ({f})" for f, c in mapping.kolommen.items() if c not in header]
    if missing:
        shown = ", ".join(f"'{shorten(h, 40)}'" for h in header[:40]) + (", ..." if len(header) > 40 else "")
        raise ImportError_("de kolommen van de mapping passen niet bij het bestand", [Diagnostic(
            source, 1, 1, "", "deze kolommen uit de mapping staan niet in het bestand: "
            + ", ".join(missing) + ". Kolommen in het bestand: " + shown, "fout", "csv")])
    imp = CsvImporter(mapping, vocab, gemeente, today, bron, known, source)
    drafts = imp.run(header, rows)
    return ImportResult(drafts, list(dict.fromkeys(imp.notes)))


__all__ = ["CsvImporter", "import_csv", "read_csv"]
