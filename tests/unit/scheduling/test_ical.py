"""Invitations and feeds, parsed back with the icalendar library as a calendar program would."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from kit.scheduling import (
    Attendee,
    CalendarEvent,
    Person,
    SchedulingError,
    feed,
    invitation,
    session_interval,
)
from kit.scheduling.ical import compose_description

TORONTO = "America/Toronto"
VANCOUVER = "America/Vancouver"
STAMP = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)


def event(**changes: object) -> CalendarEvent:
    start, end = session_interval(date(2027, 3, 14), time(9), 120, TORONTO)
    base = CalendarEvent(
        uid="4b0c-77@mentoring-kit",
        sequence=0,
        summary="Job shadowing: Structural engineering",
        start=start,
        end=end,
        zone=TORONTO,
        organizer=Person("zoe.obrien@cityhall.example", "Zoë O'Brien"),
        attendees=(
            Attendee("lan@example.org", "Nguyễn, Thị (Lan)"),
            Attendee("mohammed@example.org", "محمد", role="OPT-PARTICIPANT"),
        ),
        location_building="City Hall, East Wing",
        location_room="3-120; Boardroom",
        location_address="100 Queen St W, Toronto",
        description=compose_description(
            [
                ("Visitor instructions", "Badge pick-up at reception; bring photo ID."),
                ("Confidentiality", "Plans shown on site stay on site."),
                ("Empty", "  "),
            ]
        ),
    )
    return replace(base, **changes)


def parse(text: str) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(text)
    (vevent,) = calendar.walk("VEVENT")
    return calendar, vevent


def test_a_request_carries_everything_a_calendar_needs() -> None:
    text = invitation(event(), stamp=STAMP)
    assert "\r\n" in text  # RFC 5545 line breaks
    calendar, vevent = parse(text)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    assert "Mentoring kit" in str(calendar["PRODID"])
    assert str(vevent["UID"]) == "4b0c-77@mentoring-kit"
    assert int(vevent["SEQUENCE"]) == 0
    assert vevent["DTSTAMP"].dt == STAMP
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["SUMMARY"]) == "Job shadowing: Structural engineering"
    assert str(vevent["LOCATION"]) == (
        "City Hall, East Wing, 3-120; Boardroom, 100 Queen St W, Toronto"
    )
    assert str(vevent["DESCRIPTION"]) == (
        "Visitor instructions:\nBadge pick-up at reception; bring photo ID.\n\n"
        "Confidentiality:\nPlans shown on site stay on site."
    )


def test_times_carry_the_employers_zone_and_its_vtimezone() -> None:
    calendar, vevent = parse(invitation(event(), stamp=STAMP))
    assert vevent["DTSTART"].params["TZID"] == TORONTO
    assert vevent["DTEND"].params["TZID"] == TORONTO
    assert "DTSTART;TZID=America/Toronto:20270314T090000" in invitation(event(), stamp=STAMP)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == TORONTO
    # The DST change of that very morning is described, so any program computes the same hour.
    assert "20270314T030000" in vtimezone.to_ical().decode()
    # Same instants as intended: 09:00 EDT = 13:00 UTC, two hours.
    assert vevent["DTSTART"].dt == datetime(2027, 3, 14, 13, tzinfo=UTC)
    assert vevent["DTEND"].dt == datetime(2027, 3, 14, 15, tzinfo=UTC)


def test_times_survive_a_parse_that_relies_on_the_vtimezone_alone() -> None:
    # A zone name the reader does not know: only the VTIMEZONE tells it the offsets.
    text = invitation(event(), stamp=STAMP).replace(TORONTO, "Kit/Employer")
    _calendar, vevent = parse(text)
    assert vevent["DTSTART"].dt == datetime(2027, 3, 14, 13, tzinfo=UTC)
    winter = event(
        start=datetime(2027, 1, 11, 14, tzinfo=UTC), end=datetime(2027, 1, 11, 16, tzinfo=UTC)
    )
    _calendar, vevent = parse(invitation(winter, stamp=STAMP).replace(TORONTO, "Kit/Employer"))
    assert vevent["DTSTART"].dt == datetime(2027, 1, 11, 14, tzinfo=UTC)


def test_organizer_and_attendees_with_their_parameters() -> None:
    _calendar, vevent = parse(invitation(event(), stamp=STAMP))
    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:zoe.obrien@cityhall.example"
    assert organizer.params["CN"] == "Zoë O'Brien"
    first, second = vevent["ATTENDEE"]
    assert str(first) == "mailto:lan@example.org"
    assert first.params["CN"] == "Nguyễn, Thị (Lan)"
    assert first.params["ROLE"] == "REQ-PARTICIPANT"
    assert first.params["PARTSTAT"] == "NEEDS-ACTION"
    assert first.params["RSVP"] == "TRUE"
    assert second.params["CN"] == "محمد"
    assert second.params["ROLE"] == "OPT-PARTICIPANT"


@pytest.mark.parametrize(
    "name",
    ["Nguyễn, Thị (Lan)", "محمد", "Zoë O'Brien", 'Ana "Anita" Pérez; Ph.D.: MSc', "李小龙"],
)
def test_names_and_text_are_escaped_and_come_back_unchanged(name: str) -> None:
    item = event(
        summary=f"Tour with {name}",
        attendees=(Attendee("someone@example.org", name),),
        organizer=Person("host@example.org", name),
    )
    _calendar, vevent = parse(invitation(item, stamp=STAMP))
    assert str(vevent["SUMMARY"]) == f"Tour with {name}"
    assert vevent["ATTENDEE"].params["CN"] == name
    assert vevent["ORGANIZER"].params["CN"] == name


def test_a_line_break_in_a_name_or_address_cannot_inject_a_property() -> None:
    item = event(
        attendees=(
            Attendee("x@example.org", "Eve\r\nATTENDEE:mailto:eve@evil.example"),
            Attendee("y@example.org\r\nATTENDEE:mailto:mallory@evil.example", "Y"),
        ),
        summary="Tour\r\nATTENDEE:mailto:trent@evil.example",
    )
    text = invitation(item, stamp=STAMP)
    _calendar, vevent = parse(text)
    assert len(vevent["ATTENDEE"]) == 2
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded content lines
    assert sum(line.startswith("ATTENDEE") for line in lines) == 2
    assert not any(line.startswith("ATTENDEE:mailto:") for line in lines)


def test_an_online_session_gives_its_link_as_location_and_url() -> None:
    item = event(
        location_building=None,
        location_room=None,
        location_address=None,
        online_url="https://meet.example.org/j/123?pwd=a,b",
    )
    _calendar, vevent = parse(invitation(item, stamp=STAMP))
    assert str(vevent["LOCATION"]) == "https://meet.example.org/j/123?pwd=a,b"
    assert str(vevent["URL"]) == "https://meet.example.org/j/123?pwd=a,b"


def test_update_and_cancel_keep_the_uid_and_raise_the_sequence() -> None:
    first = event()
    moved = replace(
        first,
        sequence=first.sequence + 1,
        start=datetime(2027, 3, 15, 17, tzinfo=UTC),
        end=datetime(2027, 3, 15, 19, tzinfo=UTC),
    )
    cancelled = replace(moved, sequence=moved.sequence + 1)
    messages = [
        invitation(first, stamp=STAMP),
        invitation(moved, stamp=STAMP),
        invitation(cancelled, "CANCEL", stamp=STAMP),
    ]
    parsed = [parse(text) for text in messages]
    assert [str(cal["METHOD"]) for cal, _ in parsed] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(vevent["UID"]) for _, vevent in parsed} == {"4b0c-77@mentoring-kit"}
    assert [int(vevent["SEQUENCE"]) for _, vevent in parsed] == [0, 1, 2]
    assert [str(vevent["STATUS"]) for _, vevent in parsed] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]
    _cal, moved_event = parsed[1]
    assert moved_event["DTSTART"].dt == datetime(2027, 3, 15, 17, tzinfo=UTC)
    assert moved_event["DTSTART"].dt.hour == 13  # 13:00 in Toronto, as the mentor typed it
    _cal, cancel_event = parsed[2]
    # The attendees are told, and not asked for an answer.
    assert {str(a) for a in cancel_event["ATTENDEE"]} == {
        "mailto:lan@example.org",
        "mailto:mohammed@example.org",
    }
    assert {a.params["RSVP"] for a in cancel_event["ATTENDEE"]} == {"FALSE"}


def test_feed_lists_several_events_with_the_cancelled_ones_marked() -> None:
    coming = event()
    later = event(
        uid="later@mentoring-kit",
        summary="Team meeting",
        start=datetime(2027, 4, 6, 16, tzinfo=UTC),
        end=datetime(2027, 4, 6, 17, tzinfo=UTC),
    )
    called_off = event(
        uid="off@mentoring-kit",
        sequence=3,
        summary="Workplace tour",
        start=datetime(2027, 3, 20, 14, tzinfo=UTC),
        end=datetime(2027, 3, 20, 15, 30, tzinfo=UTC),
        cancelled=True,
    )
    text = feed([later, called_off, coming], "Mentoring: Zoë O'Brien", stamp=STAMP)
    calendar = Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Mentoring: Zoë O'Brien"
    assert str(calendar["X-WR-TIMEZONE"]) == TORONTO
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "4b0c-77@mentoring-kit",
        "off@mentoring-kit",
        "later@mentoring-kit",
    ]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert int(events[1]["SEQUENCE"]) == 3
    assert all("ATTENDEE" not in e for e in events)  # a feed does not list who else comes
    assert [tz.tz_name for tz in calendar.walk("VTIMEZONE")] == [TORONTO]
    assert events[2]["DTSTART"].dt == datetime(2027, 4, 6, 16, tzinfo=UTC)


def test_an_empty_feed_is_still_a_valid_calendar() -> None:
    calendar = Calendar.from_ical(feed([], "My sessions", zone=VANCOUVER, stamp=STAMP))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-TIMEZONE"]) == VANCOUVER


def test_an_event_refuses_naive_or_backward_times_and_unknown_zones() -> None:
    with pytest.raises(SchedulingError) as caught:
        event(start=datetime(2027, 3, 14, 9))
    assert caught.value.code == "naive_datetime"
    with pytest.raises(SchedulingError) as caught:
        event(end=datetime(2027, 3, 14, 12, tzinfo=UTC))
    assert caught.value.code == "invalid_interval"
    with pytest.raises(SchedulingError) as caught:
        event(zone="Mars/Olympus_Mons")
    assert caught.value.code == "unknown_time_zone"
    with pytest.raises(ValueError, match="role"):
        Attendee("a@example.org", role="GUEST")
