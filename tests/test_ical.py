"""iCalendar output: parses back, and calendar software expands it to the site's occurrences.

The expansion on the calendar side uses ``recurring_ical_events`` (a test dependency): an
independent RFC 5545 implementation of RRULE, EXDATE, RDATE and VTIMEZONE handling, as a
calendar app would do it. Expanding with dateutil's ``rrulestr`` would reuse the engine that
``occurrences.py`` is built on and would not catch a wrong translation into iCalendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from sociale_kaart.model.entries import Activiteit
from sociale_kaart.model.occurrences import occurrences
from sociale_kaart.outputs.ical import activity_calendar, gemeente_feed
from sociale_kaart.pipeline.load import load_content

AMS = ZoneInfo("Europe/Amsterdam")
FIXTURE = Path(__file__).parent / "fixtures" / "kaart"
STAMP = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
DOMAIN = "kaart.example.nl"
# Both DST switches: 25 October 2026 and 28 March 2027.
WINDOW = (date(2026, 10, 1), date(2027, 4, 30))


def activity(slug: str, *rules: dict, **fields: Any) -> Activiteit:
    data = {"titel": slug.replace("-", " ").capitalize(), "samenvatting": "Samen iets doen.",
            "wanneer": list(rules), "laatst_gecontroleerd": "2026-01-01",
            "gecontroleerd_door": "beheerder", "bron": {"titel": "test"},
            **fields}
    a = Activiteit.model_validate(data)
    a.bind(slug, f"activiteiten/vechtstad/{slug}.yaml", "vechtstad")
    return a


SYNTHETIC = [
    activity("dinsdag", {"frequentie": "wekelijks", "dagen": ["DI"], "van": "10:00",
                         "tot": "11:30"}),
    activity("kerst-pauze", {"frequentie": "wekelijks", "dagen": ["MA", "DO"], "van": "19:30",
                             "tot": "21:00",
                             "niet_op": ["2026-10-29", {"van": "2026-12-21", "tot": "2027-01-03",
                                                        "reden": "kerstvakantie"}]}),
    activity("om-de-week", {"frequentie": "wekelijks", "interval": 2, "dagen": ["DO"],
                            "van": "19:30", "tot": "21:00", "geldig_vanaf": "2026-09-03"}),
    activity("om-de-week-twee-dagen", {"frequentie": "wekelijks", "interval": 2,
                                       "dagen": ["DI", "ZO"], "van": "14:00", "tot": "15:00",
                                       "geldig_vanaf": "2026-09-01"}),
    activity("drie-weken", {"frequentie": "wekelijks", "interval": 3, "dagen": ["MA"],
                            "van": "09:00", "geldig_vanaf": "2026-11-02",
                            "geldig_tot": "2027-03-29"}),
    activity("maandelijks", {"frequentie": "maandelijks", "dagen": ["2MA", "-1VR"],
                             "van": "17:30", "tot": "19:30", "niet_op": ["2026-12-14"]}),
    activity("vijfde-maandag", {"frequentie": "maandelijks", "dagen": ["5MA"], "van": "14:00",
                                "tot": "16:00"}),
    activity("laatste-zondag", {"frequentie": "maandelijks", "dagen": ["-1ZO"], "van": "11:00",
                                "tot": "12:00"}),
    activity("om-de-maand", {"frequentie": "maandelijks", "interval": 2, "dagen": ["1ZA"],
                             "van": "10:00", "tot": "12:00", "geldig_vanaf": "2026-11-07"}),
    activity("hele-dag", {"frequentie": "wekelijks", "dagen": ["WO"],
                          "niet_op": [{"van": "2026-12-23", "tot": "2026-12-30"}],
                          "geldig_tot": "2027-02-24"}),
    activity("maand-hele-dag", {"frequentie": "maandelijks", "dagen": ["-1DI"]}),
    activity("seizoen", {"frequentie": "wekelijks", "dagen": ["ZA"], "van": "09:00",
                         "tot": "12:00", "geldig_vanaf": "2027-03-01"},
             {"frequentie": "wekelijks", "dagen": ["ZA"], "van": "10:00", "tot": "12:00",
              "geldig_tot": "2027-02-27"}),
    activity("losse-datums", {"datums": ["2026-12-05", "2026-12-12", "2027-03-28"],
                              "van": "14:00", "tot": "16:00", "niet_op": ["2026-12-12"]},
             {"datums": ["2026-11-01"]}),
    activity("over-de-nacht", {"datums": ["2026-10-25"], "van": "01:00", "tot": "03:00"}),
    activity("voorbij", {"frequentie": "wekelijks", "dagen": ["DI"], "van": "10:00",
                         "geldig_tot": "2026-06-30"},
             {"frequentie": "wekelijks", "dagen": ["VR"], "van": "10:00"}),
]


def fixture_activities() -> list[Activiteit]:
    loaded = load_content(FIXTURE)
    return [a for a in loaded.entries["activiteit"] if a.wanneer and a.status == "actief"]


def normalise_ours(a: Activiteit, start: date, end: date) -> list[tuple]:
    """The site's occurrences that a calendar file holds: those with a start time. A day
    without a known time ('Tijd: vraag het na') is no event, and never an all-day one."""
    out = []
    for o in occurrences(a.wanneer, start, end):
        if not o.all_day:
            out.append(("tijd", o.start.isoformat(), o.end.isoformat() if o.end else None))
    return sorted(out, key=str)


def normalise_ics(body: bytes, start: date, end: date) -> list[tuple]:
    cal = Calendar.from_ical(body)
    events = recurring_ical_events.of(cal).between(start, end + timedelta(days=1))
    out = []
    for ev in events:
        s = ev["DTSTART"].dt
        e = ev["DTEND"].dt if "DTEND" in ev else None
        assert isinstance(s, datetime), f"an all-day event: {ev['UID']}"
        # an event without DTEND ends when it starts (RFC 5545 3.6.1)
        s = s.astimezone(AMS)
        e = e.astimezone(AMS) if e is not None and e != s else None
        out.append(("tijd", s.isoformat(), e.isoformat() if e else None))
    return sorted(out, key=str)


@pytest.mark.parametrize("a", SYNTHETIC + fixture_activities(), ids=lambda a: a.slug)
def test_calendar_expands_to_the_same_occurrences_as_the_site(a: Activiteit) -> None:
    body = activity_calendar(a, f"https://{DOMAIN}/vechtstad/activiteiten/{a.slug}/",
                             "Brugstraat 12a, Vechtstad", DOMAIN, STAMP)
    if all(s.van is None for s in a.wanneer):  # no time anywhere: no calendar file at all
        assert body is None
        return
    assert body is not None
    ours = normalise_ours(a, *WINDOW)
    theirs = normalise_ics(body, *WINDOW)
    assert theirs == ours
    assert ours or a.slug == "voorbij"


def test_dst_is_in_the_offsets() -> None:
    (a,) = [x for x in SYNTHETIC if x.slug == "dinsdag"]
    got = normalise_ics(activity_calendar(a, None, None, DOMAIN, STAMP),
                        date(2026, 10, 19), date(2026, 11, 1))
    assert got == [("tijd", "2026-10-20T10:00:00+02:00", "2026-10-20T11:30:00+02:00"),
                   ("tijd", "2026-10-27T10:00:00+01:00", "2026-10-27T11:30:00+01:00")]


def event_lines(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8").replace("\r\n ", "")
    blocks = text.split("BEGIN:VEVENT\r\n")[1:]
    return [b.split("END:VEVENT")[0].strip().split("\r\n") for b in blocks]


def test_the_properties_calendar_apps_need() -> None:
    a = [x for x in SYNTHETIC if x.slug == "kerst-pauze"][0]
    body = activity_calendar(a, "https://kaart.example.nl/vechtstad/activiteiten/kerst-pauze/",
                             "Buurthuis De Brug, Brugstraat 12a, 7701 AB Vechtstad", DOMAIN,
                             STAMP)
    text = body.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sociale Kaart//")
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n" in text
    assert "TZOFFSETTO:+0200" in text and "TZOFFSETTO:+0100" in text
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    (lines,) = event_lines(body)
    assert "UID:vechtstad-kerst-pauze-1@kaart.example.nl" in lines
    assert "DTSTAMP:20261122T070000Z" in lines
    # DTSTART is the first occurrence on or after laatst_gecontroleerd (Thursday 1 January 2026)
    assert "DTSTART;TZID=Europe/Amsterdam:20260101T193000" in lines
    assert "DTEND;TZID=Europe/Amsterdam:20260101T210000" in lines
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TH" in lines
    assert ("EXDATE;TZID=Europe/Amsterdam:20261029T193000,20261221T193000,20261224T193000,"
            "20261228T193000,20261231T193000") in lines
    assert "SUMMARY:Kerst pauze" in lines
    assert "LOCATION:Buurthuis De Brug\\, Brugstraat 12a\\, 7701 AB Vechtstad" in lines
    assert "URL:https://kaart.example.nl/vechtstad/activiteiten/kerst-pauze/" in lines
    desc = Calendar.from_ical(body).walk("VEVENT")[0]["DESCRIPTION"]
    assert desc == ("Samen iets doen.\n\nElke maandag en donderdag, 19.30–21.00 uur. "
                    "Niet op 29 oktober 2026. Niet van 21 december 2026 tot en met 3 januari "
                    "2027 (kerstvakantie).\n\nMeer informatie: "
                    "https://kaart.example.nl/vechtstad/activiteiten/kerst-pauze/")


@pytest.mark.parametrize(("slug", "expected"), [
    ("om-de-week", ["DTSTART;TZID=Europe/Amsterdam:20260903T193000",
                    "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;WKST=MO"]),
    ("drie-weken", ["DTSTART;TZID=Europe/Amsterdam:20261102T090000",
                    "RRULE:FREQ=WEEKLY;UNTIL=20270329T215959Z;INTERVAL=3;BYDAY=MO;WKST=MO"]),
    ("maandelijks", ["DTSTART;TZID=Europe/Amsterdam:20260112T173000",
                     "RRULE:FREQ=MONTHLY;BYDAY=2MO,-1FR",
                     "EXDATE;TZID=Europe/Amsterdam:20261214T173000"]),
    ("om-de-maand", ["DTSTART;TZID=Europe/Amsterdam:20261107T100000",
                     "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA"]),
    ("vijfde-maandag", ["DTSTART;TZID=Europe/Amsterdam:20260330T140000",
                        "RRULE:FREQ=MONTHLY;BYDAY=5MO"]),
])
def test_rrule_lines(slug: str, expected: list[str]) -> None:
    (a,) = [x for x in SYNTHETIC if x.slug == slug]
    (lines,) = event_lines(activity_calendar(a, None, None, DOMAIN, STAMP))
    for line in expected:
        assert line in lines, lines


def test_one_off_dates_become_separate_events_and_ended_rules_none() -> None:
    (a,) = [x for x in SYNTHETIC if x.slug == "losse-datums"]
    events = event_lines(activity_calendar(a, None, None, DOMAIN, STAMP))
    uids = [line for ev in events for line in ev if line.startswith("UID:")]
    # rule 2 (1 November, no time) is no event: the time is unknown
    assert uids == ["UID:vechtstad-losse-datums-1-20261205@kaart.example.nl",
                    "UID:vechtstad-losse-datums-1-20270328@kaart.example.nl"]
    assert "DTSTART;TZID=Europe/Amsterdam:20270328T140000" in events[1]
    (b,) = [x for x in SYNTHETIC if x.slug == "voorbij"]
    events = event_lines(activity_calendar(b, None, None, DOMAIN, STAMP))
    # the Tuesday rule ran from January to June 2026: still an event, with UNTIL
    assert [line for ev in events for line in ev if line.startswith("UID:")] == [
        "UID:vechtstad-voorbij-1@kaart.example.nl", "UID:vechtstad-voorbij-2@kaart.example.nl"]
    ended = activity("klaar", {"frequentie": "wekelijks", "dagen": ["DI"],
                               "geldig_tot": "2025-12-30"})
    assert activity_calendar(ended, None, None, DOMAIN, STAMP) is None


@pytest.mark.parametrize("slug", ["hele-dag", "maand-hele-dag"])
def test_days_without_a_time_are_no_events_and_never_all_day(slug: str) -> None:
    """Issue 22: a rule with days but no time says "Tijd: vraag het na" on the page; a calendar
    file would have to invent a time or an all-day event, so it gets none."""
    (a,) = [x for x in SYNTHETIC if x.slug == slug]
    assert occurrences(a.wanneer, *WINDOW)  # the site does show the days
    assert activity_calendar(a, None, None, DOMAIN, STAMP) is None
    body = gemeente_feed([a, SYNTHETIC[0]], name="x", uid_domain=DOMAIN, dtstamp=STAMP)
    assert b"VALUE=DATE" not in body and slug.encode() not in body


def test_no_file_without_schedule_or_when_not_active() -> None:
    assert activity_calendar(activity("zonder"), None, None, DOMAIN, STAMP) is None
    rule = {"frequentie": "wekelijks", "dagen": ["DI"]}
    assert activity_calendar(activity("stop", rule, status="gestopt"), None, None, DOMAIN,
                             STAMP) is None
    assert activity_calendar(activity("pauze", rule, status="gepauzeerd"), None, None, DOMAIN,
                             STAMP) is None


def test_output_is_reproducible() -> None:
    a = SYNTHETIC[1]
    first = activity_calendar(a, "https://x.example.nl/", "Plek", DOMAIN, STAMP)
    assert first == activity_calendar(a, "https://x.example.nl/", "Plek", DOMAIN, STAMP)
    # without a stamp the check date is used, never the clock
    default = activity_calendar(a, None, None, DOMAIN)
    assert b"DTSTAMP:20260101T000000Z" in default
    assert default == activity_calendar(a, None, None, DOMAIN)


def test_gemeente_feed_combines_everything_active() -> None:
    stopped = activity("gestopt", {"frequentie": "wekelijks", "dagen": ["DI"]}, status="gestopt")
    acts = list(reversed(SYNTHETIC)) + [stopped, activity("zonder-tijden")]
    body = gemeente_feed(acts, name="Sociale Kaart: Vechtstad", uid_domain=DOMAIN, dtstamp=STAMP,
                         url_for=lambda a: f"https://{DOMAIN}/vechtstad/activiteiten/{a.slug}/",
                         location_for=lambda a: "Vechtstad")
    cal = Calendar.from_ical(body)
    assert str(cal["X-WR-CALNAME"]) == "Sociale Kaart: Vechtstad"
    assert len(cal.walk("VTIMEZONE")) == 1
    uids = [str(ev["UID"]) for ev in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert not any("gestopt" in u for u in uids)
    # ordered by slug, so the same content gives the same file
    assert body == gemeente_feed(SYNTHETIC + [stopped], name="Sociale Kaart: Vechtstad",
                                 uid_domain=DOMAIN, dtstamp=STAMP,
                                 url_for=lambda a: f"https://{DOMAIN}/vechtstad/activiteiten/"
                                                   f"{a.slug}/",
                                 location_for=lambda a: "Vechtstad")
    expected = sorted(x for a in SYNTHETIC for x in normalise_ours(a, *WINDOW))
    assert sorted(normalise_ics(body, *WINDOW)) == expected


def test_empty_feed_is_still_a_valid_calendar() -> None:
    body = gemeente_feed([], name="Leeg", uid_domain=DOMAIN, dtstamp=STAMP)
    cal = Calendar.from_ical(body)
    assert cal.walk("VEVENT") == [] and len(cal.walk("VTIMEZONE")) == 1
    assert list(recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2027, 1, 1))) == []


def test_every_ics_file_of_the_built_site(built_site: Path) -> None:
    """Each .ics the build wrote parses, and each activity's file matches its occurrences."""
    files = sorted(built_site.rglob("*.ics"))
    assert files, "the build wrote no .ics files"
    acts = {(a._gemeente, a.slug): a for a in load_content(FIXTURE).entries["activiteit"]}
    for path in files:
        body = path.read_bytes()
        cal = Calendar.from_ical(body)
        assert cal.walk("VTIMEZONE"), path
        rel = path.relative_to(built_site).parts
        if len(rel) == 3 and rel[1] == "activiteiten":
            a = acts[(rel[0], path.stem)]
            assert normalise_ics(body, *WINDOW) == normalise_ours(a, *WINDOW), path


def test_fold_equals_icalendar_folding() -> None:
    """``fold`` is a faster copy of icalendar's line folding: same bytes for ASCII, accented
    and 4-byte characters, escapes (backslash, caret) at every fold position, and any length."""
    import random

    from icalendar.parser import Contentline

    from sociale_kaart.outputs.ical import fold

    rng = random.Random(7)
    alphabet = ["a", "Z", " ", ",", ";", "\\", "^", "é", "ë", "–", "€", "😀", "ß"]
    lines = [f"DESCRIPTION:{'x' * n}\\\\n{'é' * m}" for n in range(55, 80) for m in range(0, 4)]
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400)))
              for _ in range(3000)]
    for line in lines:
        assert fold(line) == Contentline(line).to_ical(), line


def test_serialize_equals_to_ical() -> None:
    """Calendars written by the generator are byte for byte what ``to_ical()`` would write."""
    from sociale_kaart.outputs.ical import activity_events, serialize

    long = "Elke week samen koken en eten, met uitleg over gezonde voeding – ook voor wie "\
        "weinig ervaring heeft; \\ ^ € 2,50 per keer."
    a = activity("kookcafe", {"frequentie": "wekelijks", "dagen": ["di"], "van": "10:00",
                              "tot": "12:00", "niet_op": ["2026-12-29"]}, samenvatting=long)
    events = activity_events(a, "https://kaart.example.nl/vechtstad/activiteiten/kookcafe/",
                             "Buurthuis De Brug, Dorpsstraat 1, Vechtstad", DOMAIN, STAMP)
    assert events
    for ev in events:
        assert serialize(ev) == ev.to_ical()
    assert any(b"\r\n " in serialize(ev) for ev in events)  # long lines were folded
