"""CSV that is safe to open in a spreadsheet: no cell can start a formula.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula when they open a CSV file (OWASP "CSV Injection"): a title such as
``=HYPERLINK("https://evil.example", "Klik")`` or ``+cmd|' /C calc'!A0`` from a content file
would become a live link or command in the rapport/*.csv files a maintainer opens. A leading
TAB or CR hides such a start from a quick look and some programs drop them on import.

``safe_cell`` neutralises such a cell as OWASP advises: it puts a single quote in front, so
the spreadsheet shows it as text. A cell that is only a number (``-2``, ``+3``, ``-2,50``) is
left alone: a spreadsheet reads it as that number, which is all it can be; nothing in it can
call a function or refer to another cell or program. So is a lone ``-`` (spreadsheets use it
for "none"), which a spreadsheet shows as it is.

Every CSV file the generator writes goes through ``csv_text`` (a test checks that no other
module calls ``csv.writer``); the CSV importer uses ``formula_risk`` to refuse such cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]+)?)?")  # also a lone '-' (for "none")
CSV_DIALECT: dict[str, Any] = {"delimiter": ";", "lineterminator": "\r\n"}  # what Dutch spreadsheets expect


def formula_risk(value: str) -> str | None:
    """The character by which a spreadsheet could read ``value`` as a formula, or None.

    Checked on the first character and on the first one after leading white space (some
    programs trim it before they look); a plain number is no risk.
    """
    if not value:
        return None
    if value[0] in "\t\r":
        return value[0]
    stripped = value.lstrip()
    if stripped and stripped[0] in FORMULA_START and not _PLAIN_NUMBER.fullmatch(stripped.rstrip()):
        return stripped[0]
    return None


def safe_cell(value: Any) -> str:
    """``value`` as text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if formula_risk(text) else text


def csv_text(rows: Iterable[Iterable[Any]], dialect: dict[str, Any] | None = None) -> str:
    """CSV text of ``rows`` (header first) with every cell passed through ``safe_cell``."""
    buf = io.StringIO()
    writer = csv.writer(buf, **(dialect or CSV_DIALECT))
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buf.getvalue()


def describe_risk(char: str) -> str:
    """Dutch name of the character ``formula_risk`` found, for messages."""
    return {"\t": "een tab", "\r": "een regelterugloop (CR)"}.get(char, f"'{char}'")


__all__ = ["CSV_DIALECT", "csv_text", "describe_risk", "formula_risk", "safe_cell"]
