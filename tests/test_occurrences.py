"""Expansion of schedules into occurrences, the agenda, week tables and "Nu open"."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from sociale_kaart.model.occurrences import (
    AgendaDay,
    Occurrence,
    agenda_days,
    filter_agenda,
    next_occurrence,
    occurrences,
    open_status,
    opening_json,
    week_table,
)
from sociale_kaart.model.schedule import Tijdschema
from sociale_kaart.nl.words import dagdeel
from sociale_kaart.pipeline.load import load_content

AMS = ZoneInfo("Europe/Amsterdam")
ROOT = Path(__file__).parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "kaart"
NU_OPEN_JS = ROOT / "sociale_kaart" / "themes" / "default" / "static" / "nu-open.js"
TODAY = date(2026, 11, 22)


def T(**fields: object) -> Tijdschema:
    return Tijdschema.model_validate(fields)


def starts(schedules: list[Tijdschema], start: date, end: date) -> list[str]:
    return [o.start.isoformat() for o in occurrences(schedules, start, end)]


@pytest.fixture(scope="module")
def loaded():
    return load_content(FIXTURE)


def entries(loaded, kind: str) -> dict[str, object]:
    return {e.slug: e for e in loaded.entries[kind]}


# --------------------------------------------------------------------------- DST

def test_wall_clock_time_is_kept_across_the_spring_switch() -> None:
    s = T(frequentie="wekelijks", dagen=["DI"], van="10:00", tot="11:30")
    occ = occurrences([s], date(2026, 3, 20), date(2026, 4, 3))
    assert [o.start.isoformat() for o in occ] == [
        "2026-03-24T10:00:00+01:00", "2026-03-31T10:00:00+02:00"]
    assert [o.end.isoformat() for o in occ] == [
        "2026-03-24T11:30:00+01:00", "2026-03-31T11:30:00+02:00"]
    assert all(o.start.tzinfo == AMS for o in occ)
    # one hour less in UTC after the switch
    assert occ[0].start.astimezone(UTC).hour == 9
    assert occ[1].start.astimezone(UTC).hour == 8


def test_wall_clock_time_is_kept_across_the_autumn_switch() -> None:
    s = T(frequentie="wekelijks", dagen=["DI"], van="10:00", tot="11:30")
    assert starts([s], date(2026, 10, 19), date(2026, 11, 1)) == [
        "2026-10-20T10:00:00+02:00", "2026-10-27T10:00:00+01:00"]


def test_on_the_switch_sundays_themselves() -> None:
    s = T(frequentie="wekelijks", dagen=["ZO"], van="10:00", tot="12:00")
    assert starts([s], date(2026, 3, 28), date(2026, 3, 29)) == ["2026-03-29T10:00:00+02:00"]
    assert starts([s], date(2026, 10, 25), date(2026, 10, 25)) == ["2026-10-25T10:00:00+01:00"]
    # an occurrence that spans the autumn switch lasts three hours of real time
    night = T(datums=["2026-10-25"], van="01:00", tot="03:00")
    (o,) = occurrences([night], date(2026, 10, 25), date(2026, 10, 25))
    assert o.end - o.start == timedelta(hours=2)  # wall-clock difference
    assert o.end.astimezone(UTC) - o.start.astimezone(UTC) == timedelta(hours=3)
    # 02:30 on that night happens twice; RFC 5545 says the first (summer time) is meant
    twice = T(datums=["2026-10-25"], van="02:30")
    assert starts([twice], date(2026, 10, 25), date(2026, 10, 25)) == [
        "2026-10-25T02:30:00+02:00"]


def test_monthly_rule_across_dst() -> None:
    s = T(frequentie="maandelijks", dagen=["-1ZO"], van="14:00", tot="16:00")
    assert starts([s], date(2026, 2, 1), date(2026, 11, 30)) == [
        "2026-02-22T14:00:00+01:00", "2026-03-29T14:00:00+02:00", "2026-04-26T14:00:00+02:00",
        "2026-05-31T14:00:00+02:00", "2026-06-28T14:00:00+02:00", "2026-07-26T14:00:00+02:00",
        "2026-08-30T14:00:00+02:00", "2026-09-27T14:00:00+02:00", "2026-10-25T14:00:00+01:00",
        "2026-11-29T14:00:00+01:00"]


# --------------------------------------------------------------------------- month ends

def test_last_friday_of_the_month() -> None:
    s = T(frequentie="maandelijks", dagen=["-1VR"], van="18:00", tot="20:00")
    days = [o.date.isoformat() for o in occurrences([s], date(2026, 1, 1), date(2026, 6, 30))]
    assert days == ["2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24", "2026-05-29",
                    "2026-06-26"]


def test_fifth_monday_only_in_months_that_have_one() -> None:
    s = T(frequentie="maandelijks", dagen=["5MA"])
    days = [o.date.isoformat() for o in occurrences([s], date(2026, 1, 1), date(2026, 12, 31))]
    assert days == ["2026-03-30", "2026-06-29", "2026-08-31", "2026-11-30"]


def test_several_positions_and_a_leap_day() -> None:
    s = T(frequentie="maandelijks", dagen=["1MA", "-1ZO", "3WO"])
    days = [o.date.isoformat() for o in occurrences([s], date(2028, 2, 1), date(2028, 3, 10))]
    assert days == ["2028-02-07", "2028-02-16", "2028-02-27", "2028-03-06"]
    leap = T(frequentie="maandelijks", dagen=["-1DI"])
    assert [o.date for o in occurrences([leap], date(2028, 2, 1), date(2028, 2, 29))] == [
        date(2028, 2, 29)]


def test_window_edges_are_inclusive_and_year_end_is_crossed() -> None:
    s = T(frequentie="wekelijks", dagen=["DO"], van="19:00")
    assert starts([s], date(2026, 12, 31), date(2027, 1, 7)) == [
        "2026-12-31T19:00:00+01:00", "2027-01-07T19:00:00+01:00"]
    assert starts([s], date(2027, 1, 8), date(2027, 1, 13)) == []
    assert starts([s], date(2027, 1, 8), date(2027, 1, 1)) == []  # end before start


# --------------------------------------------------------------------------- interval

def test_every_other_week_counts_from_the_start_date() -> None:
    s = T(frequentie="wekelijks", interval=2, dagen=["DO"], van="19:30", tot="21:00",
          geldig_vanaf="2026-09-03")
    days = [o.date.isoformat() for o in occurrences([s], date(2026, 8, 1), date(2026, 11, 30))]
    assert days == ["2026-09-03", "2026-09-17", "2026-10-01", "2026-10-15", "2026-10-29",
                    "2026-11-12", "2026-11-26"]
    # a window that starts in an "off" week still finds the right weeks
    assert [o.date for o in occurrences([s], date(2026, 11, 13), date(2026, 11, 27))] == [
        date(2026, 11, 26)]


def test_interval_with_two_days_uses_monday_weeks() -> None:
    # weeks start on Monday (WKST=MO): Sunday 6 Sep belongs to the first week
    s = T(frequentie="wekelijks", interval=2, dagen=["DI", "ZO"], geldig_vanaf="2026-09-01")
    days = [o.date.isoformat() for o in occurrences([s], date(2026, 9, 1), date(2026, 9, 30))]
    assert days == ["2026-09-01", "2026-09-06", "2026-09-15", "2026-09-20", "2026-09-29"]


def test_every_three_weeks_and_every_other_month() -> None:
    s = T(frequentie="wekelijks", interval=3, dagen=["MA"], geldig_vanaf="2026-11-02")
    assert [o.date.isoformat() for o in occurrences([s], date(2026, 11, 1), date(2027, 1, 1))] \
        == ["2026-11-02", "2026-11-23", "2026-12-14"]
    m = T(frequentie="maandelijks", interval=2, dagen=["2MA"], van="14:00",
          geldig_vanaf="2026-09-14")
    assert [o.date.isoformat() for o in occurrences([m], date(2026, 9, 1), date(2027, 3, 31))] \
        == ["2026-09-14", "2026-11-09", "2027-01-11", "2027-03-08"]


# --------------------------------------------------------------------------- validity, exceptions

def test_validity_window_is_inclusive() -> None:
    s = T(frequentie="wekelijks", dagen=["DI"], van="10:00",
          geldig_vanaf="2026-12-01", geldig_tot="2026-12-15")
    assert [o.date.isoformat() for o in occurrences([s], date(2026, 11, 1), date(2027, 1, 31))] \
        == ["2026-12-01", "2026-12-08", "2026-12-15"]
    assert occurrences([s], date(2026, 11, 1), date(2026, 11, 30)) == []
    assert occurrences([s], date(2026, 12, 16), date(2027, 1, 31)) == []


def test_exceptions_days_and_ranges(loaded) -> None:
    acts = entries(loaded, "activiteit")
    koffie = acts["koffie-inloop"].wanneer
    assert [o.date.isoformat() for o in occurrences(koffie, date(2026, 12, 15), date(2027, 1, 12))] \
        == ["2026-12-15", "2026-12-22", "2027-01-05", "2027-01-12"]
    taal = acts["taalcafe"].wanneer
    assert [o.date.isoformat() for o in occurrences(taal, date(2026, 12, 14), date(2027, 1, 14))] \
        == ["2026-12-16", "2027-01-06", "2027-01-13"]


def test_one_off_dates_with_window_and_exceptions() -> None:
    s = T(datums=["2026-12-19", "2026-12-05", "2026-12-12", "2027-01-09"], van="14:00",
          tot="16:00", niet_op=["2026-12-12"], toelichting="Kerstmarkt")
    occ = occurrences([s], date(2026, 12, 1), date(2026, 12, 31))
    assert [o.start.isoformat() for o in occ] == ["2026-12-05T14:00:00+01:00",
                                                  "2026-12-19T14:00:00+01:00"]
    assert occ[0] == Occurrence(datetime(2026, 12, 5, 14, tzinfo=AMS),
                                datetime(2026, 12, 5, 16, tzinfo=AMS), False, 0, "Kerstmarkt")


def test_days_without_times_are_all_day() -> None:
    s = T(frequentie="wekelijks", dagen=["DI"])
    (o,) = occurrences([s], date(2026, 11, 23), date(2026, 11, 29))
    assert o.all_day and o.end is None and o.dagdeel is None and o.time_text == ""
    assert o.start == datetime(2026, 11, 24, 0, 0, tzinfo=AMS)
    only_start = T(frequentie="wekelijks", dagen=["DI"], van="19:00")
    (o,) = occurrences([only_start], date(2026, 11, 23), date(2026, 11, 29))
    assert not o.all_day and o.end is None and o.time_text == "vanaf 19.00 uur"


def test_several_rules_are_merged_in_time_order() -> None:
    rules = [T(frequentie="wekelijks", dagen=["DO"], van="19:00", tot="21:00"),
             T(frequentie="wekelijks", dagen=["DI", "DO"], van="09:30", tot="11:00"),
             T(frequentie="wekelijks", dagen=["DO"])]
    occ = occurrences(rules, date(2026, 11, 24), date(2026, 11, 26))
    assert [(o.start.strftime("%a %H:%M"), o.schedule_index, o.all_day) for o in occ] == [
        ("Tue 09:30", 1, False), ("Thu 09:30", 1, False), ("Thu 19:00", 0, False),
        ("Thu 00:00", 2, True)]
    assert next_occurrence(rules, date(2026, 11, 25)).start == datetime(2026, 11, 26, 9, 30,
                                                                          tzinfo=AMS)
    ended = T(frequentie="wekelijks", dagen=["DI"], geldig_tot="2026-01-06")
    assert next_occurrence([ended], TODAY) is None


@pytest.mark.parametrize(("t", "part"), [
    (time(0, 0), "ochtend"), (time(11, 59), "ochtend"), (time(12, 0), "middag"),
    (time(17, 59), "middag"), (time(18, 0), "avond"), (time(23, 30), "avond")])
def test_dagdeel(t: time, part: str) -> None:
    assert dagdeel(t) == part


# --------------------------------------------------------------------------- agenda

def test_agenda_for_a_fixed_today(loaded) -> None:
    acts = list(entries(loaded, "activiteit").values())
    days = agenda_days([(a, a.wanneer) for a in acts], TODAY, 14)
    assert len(days) == 14 and all(isinstance(d, AgendaDay) for d in days)
    assert [d.label for d in days[:4]] == ["Vandaag", "Morgen", "dinsdag 24 november",
                                           "woensdag 25 november"]
    assert days[0].date_text == "zondag 22 november" and days[0].weekday == "zondag"
    assert days[-1].date == date(2026, 12, 5)
    content = [(d.date.isoformat(), [(it.entry.slug, it.time_text, it.dagdeel)
                                     for it in d.occurrences]) for d in days if d.occurrences]
    # koersbal (gestopt) and dorpsmaaltijd (gepauzeerd) are left out; digicafe has no times
    assert content == [
        ("2026-11-24", [("koffie-inloop", "10.00–11.30 uur", "ochtend")]),
        ("2026-11-25", [("taalcafe", "19.30–21.00 uur", "avond")]),
        ("2026-11-26", [("wandelgroep", "19.30–21.00 uur", "avond")]),
        ("2026-12-01", [("koffie-inloop", "10.00–11.30 uur", "ochtend")]),
        ("2026-12-02", [("taalcafe", "19.30–21.00 uur", "avond")]),
    ]


def test_agenda_orders_a_day_by_time_then_name_and_filters() -> None:
    def act(slug: str, titel: str, themas: list[str], **rule: object):
        return SimpleNamespace(slug=slug, titel=titel, themas=themas, status="actief"), [T(**rule)]

    items = [
        act("b", "Breien", ["ontmoeting"], frequentie="wekelijks", dagen=["MA"], van="14:00"),
        act("a", "Avondwandeling", ["bewegen"], frequentie="wekelijks", dagen=["MA"], van="19:00"),
        act("z", "Zingen", ["ontmoeting"], frequentie="wekelijks", dagen=["MA"], van="09:00"),
        act("k", "Kaarten", ["ontmoeting"], frequentie="wekelijks", dagen=["MA"], van="14:00"),
        act("o", "Open huis", ["ontmoeting"], frequentie="wekelijks", dagen=["MA"]),
        act("x", "Gestopt", ["bewegen"], frequentie="wekelijks", dagen=["MA"], van="10:00"),
    ]
    items[-1][0].status = "gestopt"
    (monday,) = [d for d in agenda_days(items, TODAY, 7) if d.occurrences]
    assert monday.label == "Morgen"
    assert [it.entry.slug for it in monday.occurrences] == ["z", "b", "k", "a", "o"]
    middag = filter_agenda(agenda_days(items, TODAY, 7), dagdeel="middag")
    assert len(middag) == 7
    assert [it.entry.slug for d in middag for it in d.occurrences] == ["b", "k"]
    bewegen = filter_agenda(agenda_days(items, TODAY, 7), thema="bewegen")
    assert [it.entry.slug for d in bewegen for it in d.occurrences] == ["a"]
    both = filter_agenda(agenda_days(items, TODAY, 7), dagdeel="ochtend", thema="ontmoeting")
    assert [it.entry.slug for d in both for it in d.occurrences] == ["z"]


# --------------------------------------------------------------------------- week table

def test_week_table_of_a_fixture_place(loaded) -> None:
    brug = entries(loaded, "ontmoetingsplek")["buurthuis-de-brug"]
    rows = week_table(brug.openingstijden, date(2026, 12, 22))
    assert [(r.day, r.date.isoformat(), r.hours, r.note, r.is_today) for r in rows] == [
        ("maandag", "2026-12-28", ("09.00–17.00",), None, False),
        ("dinsdag", "2026-12-22", ("09.00–17.00",), None, True),
        ("woensdag", "2026-12-23", ("09.00–17.00",), None, False),
        ("donderdag", "2026-12-24", ("09.00–17.00",), None, False),
        ("vrijdag", "2026-12-25", ("09.00–12.00",), "Gesloten op 25 december (kerstvakantie)",
         False),
        ("zaterdag", "2026-12-26", (), None, False),
        ("zondag", "2026-12-27", (), None, False),
    ]
    assert rows[5].closed and not rows[0].closed


def test_week_table_with_seasons_positions_and_extra_days() -> None:
    rules = [
        T(frequentie="wekelijks", dagen=["MA", "WO"], van="09:00", tot="12:00",
          geldig_tot="2026-11-30"),
        T(frequentie="wekelijks", dagen=["MA", "WO"], van="10:00", tot="16:00",
          geldig_vanaf="2026-12-01"),
        T(frequentie="wekelijks", dagen=["MA"], van="13:00", tot="17:00",
          niet_op=[{"van": "2026-11-30", "reden": "studiedag"}]),
        T(frequentie="maandelijks", dagen=["1ZA"], van="10:00", tot="13:00"),
        T(frequentie="wekelijks", interval=2, dagen=["DO"], van="19:00", tot="21:00",
          geldig_vanaf="2026-11-26"),
        T(datums=["2026-11-29"], van="13:00", tot="16:00"),
        T(frequentie="wekelijks", dagen=["VR"]),
    ]
    rows = week_table(rules, date(2026, 11, 25))
    got = {r.day: (r.hours, r.note) for r in rows}
    assert got["maandag"] == (("09.00–12.00", "13.00–17.00"), "Op 30 november: 09.00–12.00")
    assert got["woensdag"] == (("09.00–12.00",), None)
    assert got["donderdag"] == (("19.00–21.00 (om de week)",), None)
    assert got["vrijdag"] == (("open, tijden onbekend",), None)
    assert got["zaterdag"] == (("10.00–13.00 (eerste zaterdag van de maand)",), None)
    assert got["zondag"] == ((), "Op 29 november: 13.00–16.00")
    assert got["dinsdag"] == ((), None)
    # a week later the winter hours apply
    later = {r.day: r.hours for r in week_table(rules, date(2026, 12, 2))}
    assert later["woensdag"] == ("10.00–16.00",)
    assert later["maandag"] == ("10.00–16.00", "13.00–17.00")


def test_opening_json_is_plain_data(loaded) -> None:
    brug = entries(loaded, "ontmoetingsplek")["buurthuis-de-brug"]
    data = opening_json(brug.openingstijden)
    assert json.loads(json.dumps(data)) == data
    assert data == {"timezone": "Europe/Amsterdam", "rules": [
        {"freq": "weekly", "interval": 1, "days": [{"weekday": i, "pos": None} for i in range(4)],
         "dates": [], "opens": "09:00", "closes": "17:00", "from": None, "until": None,
         "except": []},
        {"freq": "weekly", "interval": 1, "days": [{"weekday": 4, "pos": None}], "dates": [],
         "opens": "09:00", "closes": "12:00", "from": None, "until": None,
         "except": [["2026-12-24", "2027-01-01"]]}]}
    monthly = opening_json([T(frequentie="maandelijks", interval=2, dagen=["-1VR"],
                              geldig_vanaf="2026-11-27"), T(datums=["2026-12-05"])])
    assert monthly["rules"][0]["days"] == [{"weekday": 4, "pos": -1}]
    assert monthly["rules"][0]["from"] == "2026-11-27"
    assert monthly["rules"][1]["freq"] == "dates" and monthly["rules"][1]["dates"] == ["2026-12-05"]


# --------------------------------------------------------------------------- Nu open

def at(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=AMS)


OPENING = [
    T(frequentie="wekelijks", dagen=["MA", "DI", "WO", "DO"], van="09:00", tot="12:00"),
    T(frequentie="wekelijks", dagen=["MA", "DI", "WO", "DO"], van="12:00", tot="17:00",
      niet_op=[{"van": "2026-12-24", "tot": "2027-01-01", "reden": "kerstvakantie"}]),
    T(frequentie="wekelijks", dagen=["VR"], van="13:30", tot="16:00"),
    T(frequentie="maandelijks", dagen=["-1ZA"], van="10:00", tot="14:00"),
    T(frequentie="maandelijks", dagen=["2DI", "5DO"], van="18:00", tot="20:00"),
    T(frequentie="wekelijks", interval=2, dagen=["ZO"], van="19:00", tot="21:00",
      geldig_vanaf="2026-11-22"),
    T(datums=["2026-12-26"], van="20:00"),
]


@pytest.mark.parametrize(("moment", "text"), [
    (at("2026-11-23", "08:59"), "Nu gesloten (vandaag open vanaf 9.00 uur)"),
    (at("2026-11-23", "09:00"), "Nu open (tot 17.00 uur)"),   # 09-12 and 12-17 join up
    (at("2026-11-23", "16:59"), "Nu open (tot 17.00 uur)"),
    (at("2026-11-23", "17:00"), "Nu gesloten"),
    (at("2026-12-08", "17:30"), "Nu gesloten (vandaag open vanaf 18.00 uur)"),  # 2nd Tuesday
    (at("2026-12-08", "18:00"), "Nu open (tot 20.00 uur)"),
    (at("2026-12-01", "17:30"), "Nu gesloten"),
    (at("2026-10-29", "19:59"), "Nu open (tot 20.00 uur)"),  # 5th Thursday
    (at("2026-12-24", "11:00"), "Nu open (tot 12.00 uur)"),   # afternoon off: kerstvakantie
    (at("2026-11-27", "12:00"), "Nu gesloten (vandaag open vanaf 13.30 uur)"),
    (at("2026-11-28", "10:30"), "Nu open (tot 14.00 uur)"),   # last Saturday
    (at("2026-11-21", "10:30"), "Nu gesloten"),
    (at("2026-11-22", "19:15"), "Nu open (tot 21.00 uur)"),   # every other Sunday
    (at("2026-11-29", "19:15"), "Nu gesloten"),
    (at("2026-12-26", "19:00"), "Nu gesloten (vandaag open vanaf 20.00 uur)"),
    (at("2026-12-26", "20:30"), ""),  # open from 20.00 without a closing time: unknown
])
def test_open_status(moment: datetime, text: str) -> None:
    assert open_status(OPENING, moment).text == text


def test_open_status_uses_amsterdam_time_whatever_the_input_zone() -> None:
    utc = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam (winter)
    assert open_status(OPENING, utc).state == "open"
    summer = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)  # 09:30 in Amsterdam (summer)
    assert open_status(OPENING, summer).state == "open"
    assert open_status([T(frequentie="wekelijks", dagen=["MA"])], utc).state == "onbekend"


@pytest.mark.browser
def test_nu_open_js_agrees_with_python(browser) -> None:
    """The browser script and open_status() give the same text for many moments."""
    data = opening_json(OPENING)
    start = datetime(2026, 3, 27, 0, 0, tzinfo=AMS)  # spans the spring DST switch
    moments = [start + timedelta(minutes=97 * i) for i in range(700)]
    moments += [datetime(2026, 10, 24, 22, 0, tzinfo=UTC) + timedelta(minutes=30 * i)
                for i in range(96)]  # and the autumn one
    moments += [at("2026-12-26", "00:00") + timedelta(minutes=30 * i) for i in range(48)]
    # 11:00 on every day of a year: every month end (31 January and 31 October 2026 are
    # Saturdays, so "last Saturday" is both the last day and seven days before it)
    moments += [at("2026-01-01", "11:00") + timedelta(days=i) for i in range(365)]
    moments += [at("2026-12-21", "00:00") + timedelta(minutes=60 * i) for i in range(24 * 14)]
    expected = [open_status(OPENING, m).text for m in moments]
    context = browser.new_context(timezone_id="America/New_York")  # not the place's zone
    try:
        page = context.new_page()
        page.set_content("<!doctype html><title>t</title>")
        page.add_script_tag(content=NU_OPEN_JS.read_text(encoding="utf-8"))
        got = page.evaluate(
            "([data, times]) => times.map(t => "
            "NuOpen.statusText(NuOpen.openStatus(data, new Date(t))))",
            [data, [int(m.timestamp() * 1000) for m in moments]])
    finally:
        context.close()
    mismatches = [(m.isoformat(), e, g) for m, e, g in zip(moments, expected, got, strict=True) if e != g]
    assert not mismatches, mismatches[:5]
    assert {"Nu open (tot 17.00 uur)", "Nu gesloten", ""} <= set(got)


@pytest.mark.browser
def test_nu_open_js_fills_the_page(browser) -> None:
    data = json.dumps(opening_json(OPENING))
    html = ("<!doctype html><html lang=nl><title>Plek</title><section data-openingstijden>"
            f"<script type='application/json'>{data}</script><p data-nu-open hidden></p>"
            "<table><tr><th>maandag</th><td>09.00–17.00</td></tr></table></section>"
            "<section data-openingstijden><p data-nu-open></p></section>")
    context = browser.new_context(timezone_id="UTC")
    try:
        page = context.new_page()
        # Monday 23 November 2026, 15:00 in Amsterdam
        page.clock.set_fixed_time(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
        page.set_content(html)
        page.add_script_tag(content=NU_OPEN_JS.read_text(encoding="utf-8"))
        first = page.locator("[data-nu-open]").nth(0)
        assert first.text_content() == "Nu open (tot 17.00 uur)"
        assert first.is_visible()
        assert first.get_attribute("data-state") == "open"
        # a section without data is left alone
        assert page.locator("[data-nu-open]").nth(1).text_content() == ""
    finally:
        context.close()
