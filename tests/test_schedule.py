"""Validation of the schedule model: every error in Dutch, on the right field and line."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from pydantic import ValidationError

from sociale_kaart.model.entries import Activiteit
from sociale_kaart.model.schedule import (
    Tijdschema,
    matches_day,
    nth_weekday,
    parse_day,
    wall_time_exists,
)
from sociale_kaart.pipeline.validate import validate_document
from sociale_kaart.pipeline.yaml_loader import load_file

W = dict(frequentie="wekelijks")
M = dict(frequentie="maandelijks")

# (fields, error location inside the rule, exact Dutch message)
ERRORS: list[tuple[dict, tuple, str]] = [
    (dict(W, dagen=["DI"], van="11:00", tot="10:00"), ("tot",),
     "de eindtijd 10:00 ligt niet na de begintijd 11:00"),
    (dict(W, dagen=["DI"], van="11:00", tot="11:00"), ("tot",),
     "de eindtijd 11:00 ligt niet na de begintijd 11:00"),
    (dict(W, dagen=["DI"], tot="11:00"), ("tot",),
     "er is een eindtijd ('tot') maar geen begintijd ('van')"),
    (dict(W, dagen=["DI"], van="25:00"), ("van",),
     "'25:00' is geen bestaande tijd: uren gaan van 00 tot 23, minuten van 00 tot 59"),
    (dict(W, dagen=["DI"], van="10:75"), ("van",),
     "'10:75' is geen bestaande tijd: uren gaan van 00 tot 23, minuten van 00 tot 59"),
    (dict(W, dagen=["DI"], van="tien uur"), ("van",),
     "'tien uur' is geen tijd: schrijf uren en minuten, zoals '09:30' of '19:00'"),
    (dict(datums=["2026-03-29"], van="02:30"), ("van",),
     "de begintijd 02:30 bestaat niet op 29 maart 2026: die nacht gaat de klok van 2.00 naar "
     "3.00 uur (zomertijd)"),
    (dict(datums=["2027-03-28"], van="01:00", tot="02:00"), ("tot",),
     "de eindtijd 02:00 bestaat niet op 28 maart 2027: die nacht gaat de klok van 2.00 naar "
     "3.00 uur (zomertijd)"),
    (dict(W, dagen=["ZO"], van="02:15"), ("van",),
     "de begintijd 02:15 bestaat niet op de laatste zondag van maart: dan gaat de klok van 2.00 "
     "naar 3.00 uur (zomertijd); kies een tijd voor 2.00 of vanaf 3.00 uur"),
    (dict(M, dagen=["-1ZO"], van="01:00", tot="02:30"), ("tot",),
     "de eindtijd 02:30 bestaat niet op de laatste zondag van maart: dan gaat de klok van 2.00 "
     "naar 3.00 uur (zomertijd); kies een tijd voor 2.00 of vanaf 3.00 uur"),
    (dict(W, dagen=["DINSDAG"]), ("dagen", 0),
     "'DINSDAG' is geen dag: gebruik MA, DI, WO, DO, VR, ZA of ZO, met een getal ervoor voor de "
     "hoeveelste van de maand: 2MA = tweede maandag, -1VR = laatste vrijdag"),
    (dict(M, dagen=["6MA"]), ("dagen", 0),
     "'6MA': een maand heeft hoogstens vijf van dezelfde weekdag; gebruik 1 tot en met 5, of -1 "
     "voor de laatste"),
    (dict(M, dagen=["-6MA"]), ("dagen", 0),
     "'-6MA': een maand heeft hoogstens vijf van dezelfde weekdag; gebruik 1 tot en met 5, of -1 "
     "voor de laatste"),
    (dict(M, dagen=["0MA"]), ("dagen", 0),
     "'0MA': een maand heeft hoogstens vijf van dezelfde weekdag; gebruik 1 tot en met 5, of -1 "
     "voor de laatste"),
    (dict(W, dagen=[3]), ("dagen", 0), "'3' is geen dag: gebruik MA, DI, WO, DO, VR, ZA of ZO"),
    (dict(W, dagen=["2MA"]), ("dagen",),
     "'2MA' (de hoeveelste van de maand) kan alleen bij frequentie: maandelijks"),
    (dict(M, dagen=["DI"]), ("dagen",),
     "zeg bij maandelijks welke 'DI' van de maand: bijvoorbeeld 2DI voor de tweede of -1DI voor "
     "de laatste"),
    (dict(W, dagen=["DI", "di"]), ("dagen",), "'DI' staat twee keer in 'dagen'"),
    (dict(W, dagen=["DI"], geldig_vanaf="2027-01-05", geldig_tot="2026-12-31"), ("geldig_tot",),
     "'geldig_tot' (31 december 2026) ligt voor 'geldig_vanaf' (5 januari 2027)"),
    (dict(W, interval=2, dagen=["DO"]), (),
     "bij 'interval' (om de week of maand) is 'geldig_vanaf' nodig: de eerste datum waarop het "
     "plaatsvindt"),
    (dict(W, interval=2, dagen=["DO"], geldig_vanaf="2026-09-04"), ("geldig_vanaf",),
     "bij 'interval' is 'geldig_vanaf' de eerste keer, maar 4 september 2026 is een vrijdag en "
     "past niet bij 'dagen' (DO)"),
    (dict(M, interval=2, dagen=["2MA"], geldig_vanaf="2026-09-07"), ("geldig_vanaf",),
     "bij 'interval' is 'geldig_vanaf' de eerste keer, maar 7 september 2026 is een maandag en "
     "past niet bij 'dagen' (2MA)"),
    (dict(W, interval=0, dagen=["DO"]), ("interval",), "Input should be greater than or equal to 1"),
    (dict(datums=["2026-12-05"], interval=2, geldig_vanaf="2026-12-05"), (),
     "'interval' hoort bij een 'frequentie' (wekelijks of maandelijks)"),
    (dict(van="10:00"), (), "geef 'frequentie' en 'dagen' (bijvoorbeeld wekelijks op DI) of "
     "losse 'datums'"),
    (dict(W), (), "geef bij 'frequentie' ook de 'dagen', zoals [DI]"),
    (dict(dagen=["DI"]), (), "'dagen' hoort bij een 'frequentie' (wekelijks of maandelijks)"),
    (dict(W, dagen=["DI"], datums=["2026-12-05"]), ("datums",),
     "losse 'datums' horen in een eigen regel onder 'wanneer', zonder 'frequentie' en 'dagen'"),
    (dict(datums=["2026-12-05", "2026-12-05"]), ("datums",),
     "5 december 2026 staat twee keer in 'datums'"),
    (dict(datums=["2026-12-05"], geldig_vanaf="2026-12-06"), ("geldig_vanaf",),
     "de datum 5 december 2026 ligt voor 'geldig_vanaf' (6 december 2026)"),
    (dict(datums=["2026-12-05"], geldig_tot="2026-12-04"), ("geldig_tot",),
     "de datum 5 december 2026 ligt na 'geldig_tot' (4 december 2026)"),
    (dict(W, dagen=["DI"], niet_op=[{"van": "2026-12-31", "tot": "2026-12-21"}]),
     ("niet_op", 0, "tot"), "'tot' (21 december 2026) ligt voor 'van' (31 december 2026)"),
]


@pytest.mark.parametrize(("fields", "loc", "message"), ERRORS, ids=[e[2][:50] for e in ERRORS])
def test_each_validation_error(fields: dict, loc: tuple, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Tijdschema.model_validate(fields)
    errors = info.value.errors(include_url=False)
    found = [(e["loc"], str(e["msg"]).removeprefix("Value error, ")) for e in errors]
    assert (loc, message) in found, found


VALID = [
    dict(W, dagen=["DI"]),
    dict(W, dagen=["di", "DO"], van="10:00"),
    dict(W, dagen=["MO", "TU"], van="9.30", tot="12.00"),
    dict(M, dagen=["2MA", "-1VR"], van="14:00", tot="16:00"),
    dict(M, dagen=["5MA"]),
    dict(M, interval=2, dagen=["2MA"], geldig_vanaf="2026-09-14"),
    dict(W, interval=2, dagen=["DO"], geldig_vanaf="2026-09-03", geldig_tot="2026-09-03"),
    dict(datums=["2026-12-05", "2026-12-12"], van="14:00", niet_op=["2026-12-12"]),
    dict(datums=["2026-10-25"], van="02:30"),  # exists twice (winter time): the first is meant
    dict(M, dagen=["2ZO"], van="02:30"),  # the second Sunday is never the last of March
    dict(W, dagen=["ZA"], van="02:30"),
    dict(W, dagen=["DI"], niet_op=["2026-12-25", {"van": "2027-07-17", "tot": "2027-08-29",
                                                  "reden": "zomervakantie"}]),
]


@pytest.mark.parametrize("fields", VALID)
def test_valid_rules(fields: dict) -> None:
    Tijdschema.model_validate(fields)


def test_days_are_stored_as_rfc_codes() -> None:
    s = Tijdschema.model_validate(dict(M, dagen=["2ma", "-1VR", "+3WO"]))
    assert s.dagen == ["2MO", "-1FR", "3WE"]
    assert s.positioned_days == [(2, "MO"), (-1, "FR"), (3, "WE")]
    assert parse_day(" zo ") == (None, "SU")


def test_month_positions() -> None:
    assert nth_weekday(2026, 2, 5, "MO") is None          # February 2026 has four Mondays
    assert nth_weekday(2026, 3, 5, "MO") == date(2026, 3, 30)
    assert nth_weekday(2026, 6, 5, "MO") == date(2026, 6, 29)
    assert nth_weekday(2026, 2, -1, "FR") == date(2026, 2, 27)
    assert nth_weekday(2026, 12, -1, "TH") == date(2026, 12, 31)
    assert matches_day(date(2026, 12, 14), 2, "MO")
    assert not matches_day(date(2026, 12, 7), 2, "MO")
    assert matches_day(date(2026, 12, 7), None, "MO")


def test_wall_time_exists() -> None:
    assert not wall_time_exists(date(2026, 3, 29), time(2, 30))
    assert wall_time_exists(date(2026, 3, 29), time(3, 0))
    assert wall_time_exists(date(2026, 3, 29), time(1, 59))
    assert wall_time_exists(date(2026, 10, 25), time(2, 30))
    assert wall_time_exists(date(2026, 3, 22), time(2, 30))


ACTIVITY = """\
titel: Koffie
samenvatting: Koffie drinken.
wanneer:
  - frequentie: wekelijks
    dagen: [DI]
    van: "11:00"
    tot: "10:30"
  - frequentie: wekelijks
    interval: 2
    dagen: [DO]
    geldig_vanaf: 2026-09-04
  - frequentie: maandelijks
    dagen: [7MA]
laatst_gecontroleerd: 2026-10-01
gecontroleerd_door: beheerder
bron: {titel: test}
"""


def test_errors_point_at_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "koffie.yaml"
    path.write_text(ACTIVITY, encoding="utf-8")
    doc, diags = load_file(path, "activiteiten/vechtstad/koffie.yaml")
    assert doc is not None and not diags
    model, diags = validate_document(doc, Activiteit)
    assert model is None
    got = {(d.line, d.field, d.message) for d in diags}
    assert (7, "wanneer[0].tot", "de eindtijd 10:30 ligt niet na de begintijd 11:00") in got
    assert (11, "wanneer[1].geldig_vanaf",
            "bij 'interval' is 'geldig_vanaf' de eerste keer, maar 4 september 2026 is een "
            "vrijdag en past niet bij 'dagen' (DO)") in got
    assert any(line == 13 and field == "wanneer[2].dagen[0]" and "hoogstens vijf" in msg
               for line, field, msg in got), got
    assert all(d.file == "activiteiten/vechtstad/koffie.yaml" for d in diags)
