"""Dutch wording of schedules: exact strings for every kind of rule."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.dates import (
    format_date,
    format_dates,
    format_period,
    format_time,
    format_time_range,
    needs_year,
    parse_date,
    table_time_range,
)
from sociale_kaart.nl.schedule_text import day_label, describe, describe_all, describe_exceptions
from sociale_kaart.nl.words import join_nl
from sociale_kaart.pipeline.load import load_content

FIXTURE = Path(__file__).parent / "fixtures" / "kaart"
AUG_2025 = date(2025, 8, 20)   # 4 September 2025 is a Thursday
NOV_2026 = date(2026, 11, 22)  # the fixture's "today" (a Sunday)


def T(**fields: object) -> Tijdschema:
    return Tijdschema.model_validate(fields)


WEEKLY = dict(frequentie="wekelijks")
MONTHLY = dict(frequentie="maandelijks")

# (rule, today, expected text)
CASES: list[tuple[dict, date | None, str]] = [
    # weekly
    (dict(WEEKLY, dagen=["DI"], van="10:00", tot="11:30"), None, "Elke dinsdag, 10.00–11.30 uur"),
    (dict(WEEKLY, dagen=["DI", "DO"], van="10:00", tot="11:30"), None,
     "Elke dinsdag en donderdag, 10.00–11.30 uur"),
    (dict(WEEKLY, dagen=["DO", "DI"], van="10:00", tot="11:30"), None,
     "Elke dinsdag en donderdag, 10.00–11.30 uur"),
    (dict(WEEKLY, dagen=["MA", "WO", "VR"]), None, "Elke maandag, woensdag en vrijdag"),
    (dict(WEEKLY, dagen=["MA", "DI", "WO", "DO"], van="9:00", tot="17:00"), None,
     "Elke maandag tot en met donderdag, 9.00–17.00 uur"),
    (dict(WEEKLY, dagen=["MA", "DI", "WO", "VR"], van="09:00", tot="12:30"), None,
     "Elke maandag tot en met woensdag en vrijdag, 9.00–12.30 uur"),
    (dict(WEEKLY, dagen=["ZA", "ZO"]), None, "Elke zaterdag en zondag"),
    (dict(WEEKLY, dagen=["MA", "DI", "WO", "DO", "VR", "ZA", "ZO"], van="08:00", tot="22:00"),
     None, "Elke dag, 8.00–22.00 uur"),
    (dict(WEEKLY, dagen=["DI"]), None, "Elke dinsdag"),
    (dict(WEEKLY, dagen=["TU"], van="10:00"), None, "Elke dinsdag, vanaf 10.00 uur"),
    (dict(WEEKLY, dagen=["WO"], van="19:30", tot="21:00"), NOV_2026,
     "Elke woensdag, 19.30–21.00 uur"),
    # interval
    (dict(WEEKLY, interval=2, dagen=["DO"], van="19:30", tot="21:00", geldig_vanaf="2025-09-04"),
     AUG_2025, "Om de week op donderdag, 19.30–21.00 uur (vanaf 4 september)"),
    (dict(WEEKLY, interval=2, dagen=["DO"], van="19:30", tot="21:00", geldig_vanaf="2025-09-04"),
     None, "Om de week op donderdag, 19.30–21.00 uur (vanaf 4 september 2025)"),
    (dict(WEEKLY, interval=2, dagen=["DI", "DO"], geldig_vanaf="2026-09-01"), NOV_2026,
     "Om de week op dinsdag en donderdag (vanaf 1 september)"),
    (dict(WEEKLY, interval=3, dagen=["DO"], van="14:00", tot="16:00", geldig_vanaf="2026-09-03"),
     NOV_2026, "Eens in de drie weken op donderdag, 14.00–16.00 uur (vanaf 3 september)"),
    (dict(WEEKLY, interval=4, dagen=["MA"], geldig_vanaf="2026-11-02"), NOV_2026,
     "Eens in de vier weken op maandag (vanaf 2 november)"),
    (dict(WEEKLY, interval=13, dagen=["MA"], geldig_vanaf="2026-11-02"), NOV_2026,
     "Eens in de 13 weken op maandag (vanaf 2 november)"),
    (dict(WEEKLY, interval=3, dagen=["MA"], van="14:00", geldig_vanaf="2026-11-02"), NOV_2026,
     "Eens in de drie weken op maandag, om 14.00 uur (vanaf 2 november)"),
    (dict(WEEKLY, interval=2, dagen=["MA", "DI", "WO", "DO", "VR", "ZA", "ZO"],
          geldig_vanaf="2026-11-02"), NOV_2026, "Om de week elke dag (vanaf 2 november)"),
    # monthly
    (dict(MONTHLY, dagen=["2MA"], van="14:00", tot="16:00"), None,
     "Elke tweede maandag van de maand, 14.00–16.00 uur"),
    (dict(MONTHLY, dagen=["-1VR"]), None, "Elke laatste vrijdag van de maand"),
    (dict(MONTHLY, dagen=["1MA", "3MA"], van="10:00", tot="12:00"), None,
     "Elke eerste en derde maandag van de maand, 10.00–12.00 uur"),
    (dict(MONTHLY, dagen=["3MA", "1MA"]), None, "Elke eerste en derde maandag van de maand"),
    (dict(MONTHLY, dagen=["1MA", "-1VR"]), None,
     "Elke eerste maandag en laatste vrijdag van de maand"),
    (dict(MONTHLY, dagen=["-1ZA", "-2ZA"]), None,
     "Elke voorlaatste en laatste zaterdag van de maand"),
    (dict(MONTHLY, dagen=["5WO"]), None, "Elke vijfde woensdag van de maand"),
    (dict(MONTHLY, dagen=["4DO"], van="19:00"), None,
     "Elke vierde donderdag van de maand, vanaf 19.00 uur"),
    (dict(MONTHLY, interval=2, dagen=["2MA"], van="14:00", tot="16:00",
          geldig_vanaf="2026-12-14"), NOV_2026,
     "Om de maand op de tweede maandag, 14.00–16.00 uur (vanaf 14 december)"),
    (dict(MONTHLY, interval=3, dagen=["1ZA"], geldig_vanaf="2027-01-02"), NOV_2026,
     "Eens in de drie maanden op de eerste zaterdag (vanaf 2 januari)"),
    (dict(MONTHLY, interval=6, dagen=["-1VR"], geldig_vanaf="2027-06-25"), NOV_2026,
     "Eens in de zes maanden op de laatste vrijdag (vanaf 25 juni 2027)"),
    # validity
    (dict(WEEKLY, dagen=["DI"], van="10:00", tot="11:30", geldig_tot="2027-06-30"), NOV_2026,
     "Elke dinsdag, 10.00–11.30 uur (tot en met 30 juni 2027)"),
    (dict(WEEKLY, dagen=["DI"], van="10:00", tot="11:30", geldig_tot="2027-03-31"), NOV_2026,
     "Elke dinsdag, 10.00–11.30 uur (tot en met 31 maart)"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2027-01-05"), NOV_2026,
     "Elke dinsdag (vanaf 5 januari)"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2026-01-06"), NOV_2026, "Elke dinsdag"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2026-01-06"), None,
     "Elke dinsdag (vanaf 6 januari 2026)"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2026-01-06", geldig_tot="2026-12-22"), NOV_2026,
     "Elke dinsdag (tot en met 22 december)"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2027-01-05", geldig_tot="2027-06-29"), NOV_2026,
     "Elke dinsdag (van 5 januari tot en met 29 juni 2027)"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2026-12-01", geldig_tot="2027-02-23"), NOV_2026,
     "Elke dinsdag (van 1 december tot en met 23 februari)"),
    (dict(WEEKLY, dagen=["DI"], geldig_vanaf="2027-06-01", geldig_tot="2028-06-27"), NOV_2026,
     "Elke dinsdag (van 1 juni 2027 tot en met 27 juni 2028)"),
    (dict(WEEKLY, interval=2, dagen=["DO"], geldig_vanaf="2026-09-03", geldig_tot="2027-07-01"),
     NOV_2026, "Om de week op donderdag (van 3 september 2026 tot en met 1 juli 2027)"),
    # one-off dates
    (dict(datums=["2026-12-05"], van="14:00", tot="16:00"), None,
     "Op zaterdag 5 december 2026, 14.00–16.00 uur"),
    (dict(datums=["2026-12-05"], van="14:00", tot="16:00"), NOV_2026,
     "Op zaterdag 5 december, 14.00–16.00 uur"),
    (dict(datums=["2026-12-05"]), None, "Op zaterdag 5 december 2026"),
    (dict(datums=["2026-12-19", "2026-12-05", "2026-12-12"], van="14:00"), None,
     "Op zaterdag 5 december, zaterdag 12 december en zaterdag 19 december 2026, "
     "vanaf 14.00 uur"),
    (dict(datums=["2026-12-19", "2027-01-02"], van="10:00", tot="12:00"), None,
     "Op zaterdag 19 december 2026 en zaterdag 2 januari 2027, 10.00–12.00 uur"),
    (dict(datums=["2026-12-19", "2027-01-02"], van="10:00", tot="12:00"), NOV_2026,
     "Op zaterdag 19 december en zaterdag 2 januari, 10.00–12.00 uur"),
    (dict(datums=["2026-11-14", "2026-11-28", "2026-12-12"]), NOV_2026,
     "Op zaterdag 28 november en zaterdag 12 december"),
    (dict(datums=["2026-11-22"], van="15:00"), NOV_2026, "Op zondag 22 november, vanaf 15.00 uur"),
    (dict(datums=["2026-10-03", "2026-10-10"], van="15:00", tot="17:00"), NOV_2026,
     "Was op zaterdag 3 oktober en zaterdag 10 oktober 2026, 15.00–17.00 uur"),
    (dict(datums=["2027-09-04"]), NOV_2026, "Op zaterdag 4 september 2027"),
    (dict(datums=["2026-12-05", "2026-12-12"], niet_op=["2026-12-12"]), NOV_2026,
     "Op zaterdag 5 december"),
]


@pytest.mark.parametrize(("fields", "today", "expected"), CASES,
                         ids=[c[2][:60] for c in CASES])
def test_describe(fields: dict, today: date | None, expected: str) -> None:
    assert describe(T(**fields), today) == expected


EXCEPTIONS: list[tuple[list, date | None, list[str]]] = [
    (["2026-12-25"], NOV_2026, ["Niet op 25 december"]),
    (["2026-12-25"], None, ["Niet op 25 december 2026"]),
    ([{"van": "2026-12-25", "reden": "Kerstmis"}], NOV_2026, ["Niet op 25 december (Kerstmis)"]),
    ([{"van": "2026-12-21", "tot": "2027-01-03", "reden": "kerstvakantie"}], NOV_2026,
     ["Niet van 21 december tot en met 3 januari (kerstvakantie)"]),
    ([{"van": "2026-12-21", "tot": "2027-01-03", "reden": "kerstvakantie"}], None,
     ["Niet van 21 december 2026 tot en met 3 januari 2027 (kerstvakantie)"]),
    ([{"van": "2027-07-17", "tot": "2027-08-29", "reden": "zomervakantie"}], NOV_2026,
     ["Niet van 17 juli tot en met 29 augustus 2027 (zomervakantie)"]),
    ([{"van": "2027-04-27", "tot": "2027-04-27"}], NOV_2026, ["Niet op 27 april"]),
    (["2027-06-01"], NOV_2026, ["Niet op 1 juni 2027"]),
    # sorted by date; what is over is left out when today is known
    (["2027-01-05", "2026-11-03", {"van": "2026-12-22", "tot": "2026-12-29"}], NOV_2026,
     ["Niet van 22 december tot en met 29 december", "Niet op 5 januari"]),
    ([{"van": "2026-11-01", "tot": "2026-11-24", "reden": "verbouwing"}], NOV_2026,
     ["Niet van 1 november tot en met 24 november (verbouwing)"]),
    (["2026-11-03"], None, ["Niet op 3 november 2026"]),
    ([], NOV_2026, []),
]


@pytest.mark.parametrize(("niet_op", "today", "expected"), EXCEPTIONS)
def test_describe_exceptions(niet_op: list, today: date | None, expected: list[str]) -> None:
    s = T(frequentie="wekelijks", dagen=["DI"], niet_op=niet_op)
    assert describe_exceptions(s, today) == expected


def test_exceptions_of_one_off_dates_are_folded_into_the_dates() -> None:
    s = T(datums=["2026-12-05", "2026-12-12"], niet_op=["2026-12-12"])
    assert describe_exceptions(s, NOV_2026) == []
    assert describe(s, NOV_2026) == "Op zaterdag 5 december"


def test_describe_all_gives_one_line_per_rule_with_exceptions_and_note() -> None:
    rules = [
        T(frequentie="wekelijks", dagen=["WO"], van="19:30", tot="21:00",
          niet_op=[{"van": "2026-12-21", "tot": "2027-01-03", "reden": "kerstvakantie"}],
          toelichting="Neem een woordenboek mee"),
        T(datums=["2026-12-18"], van="17:00", tot="20:00", toelichting="Kerstmaaltijd."),
        T(frequentie="maandelijks", dagen=["2MA"]),
    ]
    assert describe_all(rules, NOV_2026) == [
        "Elke woensdag, 19.30–21.00 uur. Niet van 21 december tot en met 3 januari "
        "(kerstvakantie). Neem een woordenboek mee.",
        "Op vrijdag 18 december, 17.00–20.00 uur. Kerstmaaltijd.",
        "Elke tweede maandag van de maand.",
    ]
    assert describe_all([], NOV_2026) == []


def test_fixture_activities_read_naturally() -> None:
    loaded = load_content(FIXTURE)
    by_slug = {a.slug: a for a in loaded.entries["activiteit"]}
    assert describe_all(by_slug["koffie-inloop"].wanneer, NOV_2026) == [
        "Elke dinsdag, 10.00–11.30 uur. Niet op 29 december."]
    assert describe_all(by_slug["wandelgroep"].wanneer, NOV_2026) == [
        "Om de week op donderdag, 19.30–21.00 uur (vanaf 3 september)."]
    assert describe_all(by_slug["samen-eten"].wanneer, NOV_2026) == [
        "Elke tweede maandag van de maand, 17.30–19.30 uur."]
    assert describe_all(by_slug["dorpsmaaltijd"].wanneer, NOV_2026) == [
        "Elke laatste vrijdag van de maand, 18.00–20.00 uur.",
        "Op vrijdag 18 december, 17.00–20.00 uur. Kerstmaaltijd."]


# --------------------------------------------------------------------------- pieces

def test_time_formats() -> None:
    assert format_time(time(9, 30)) == "9.30"
    assert format_time(time(0, 5)) == "0.05"
    assert format_time(time(14, 0)) == "14.00"
    assert format_time_range(time(10), time(11, 30)) == "10.00–11.30 uur"
    assert format_time_range(time(10), None) == "vanaf 10.00 uur"
    assert format_time_range(None, None) == ""
    assert table_time_range(time(9), time(17)) == "09.00–17.00"
    assert table_time_range(time(9), None) == "vanaf 09.00"
    assert table_time_range(None, None) == ""


def test_year_rule_is_half_a_year_either_side() -> None:
    today = date(2026, 11, 22)
    assert not needs_year(date(2027, 5, 22), today)   # 181 days ahead
    assert needs_year(date(2027, 5, 24), today)       # 183 days ahead
    assert not needs_year(date(2026, 5, 24), today)   # 182 days back
    assert needs_year(date(2026, 5, 23), today)
    assert needs_year(date(2026, 12, 1), None)
    assert format_date(date(2027, 1, 3), today) == "3 januari"
    assert format_date(date(2027, 1, 3), today, weekday=True) == "zondag 3 januari"
    assert format_date(date(2027, 1, 3)) == "3 januari 2027"
    assert format_date(date(2027, 1, 3), today, year=True) == "3 januari 2027"


def test_lists_and_periods() -> None:
    assert join_nl([]) == ""
    assert join_nl(["a"]) == "a"
    assert join_nl(["a", "b"]) == "a en b"
    assert join_nl(["a", "b", "c"]) == "a, b en c"
    assert format_dates([date(2027, 7, 3), date(2027, 7, 1)]) == "1 juli en 3 juli 2027"
    assert format_period(date(2027, 7, 1), date(2027, 8, 31)) == \
        "van 1 juli tot en met 31 augustus 2027"
    assert format_period(date(2026, 12, 21), date(2027, 1, 3), NOV_2026) == \
        "van 21 december tot en met 3 januari"


def test_written_dates_read_back() -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:  # every day of a year, as format_date writes it
        assert parse_date(format_date(day)) == day
        day = date.fromordinal(day.toordinal() + 1)
    assert parse_date("5 December 2026") == date(2026, 12, 5)
    for text in ("31 februari 2026", "5 decembre 2026", "5 december", "2026-12-05", "5  december 2026"):
        assert parse_date(text) is None, text


def test_day_labels() -> None:
    assert day_label(NOV_2026, NOV_2026) == "Vandaag"
    assert day_label(date(2026, 11, 23), NOV_2026) == "Morgen"
    assert day_label(date(2026, 11, 25), NOV_2026) == "woensdag 25 november"
    assert day_label(date(2027, 1, 1), NOV_2026) == "vrijdag 1 januari"
