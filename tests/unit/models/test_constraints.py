"""The database itself refuses data that would make no sense to the program."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.models import (
    Agency,
    AvailabilityWindow,
    Cohort,
    HoursEntry,
    Match,
    Newcomer,
    Referral,
    SessionAttendee,
    StaffRole,
)

from .conftest import Build


def refused(session: Session, *objects: object) -> None:
    """Assert that the database refuses ``objects``, then leave the session usable."""
    session.add_all(objects)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def hours_entry(staff_id: int, hours: str) -> HoursEntry:
    return HoursEntry(
        staff_id=staff_id, worked_on=date(2027, 10, 5), hours=Decimal(hours), category="session"
    )


@pytest.mark.parametrize("hours", ["0", "-1", "24.01", "25"])
def test_hours_outside_one_day_are_refused(session: Session, build: Build, hours: str) -> None:
    staff = build.staff()
    refused(session, hours_entry(staff.id, hours))


@pytest.mark.parametrize("hours", ["0.25", "1.5", "24"])
def test_hours_within_one_day_are_kept(session: Session, build: Build, hours: str) -> None:
    staff = build.staff()
    build.save(hours_entry(staff.id, hours))
    assert session.scalars(select(HoursEntry.hours)).one() == Decimal(hours)


def test_hours_of_an_unknown_person_are_refused(session: Session) -> None:
    refused(session, hours_entry(999, "2"))


def test_one_hours_entry_per_person_per_session(session: Session, build: Build) -> None:
    meeting = build.mentoring_session()
    staff = build.staff()
    first = hours_entry(staff.id, "1")
    first.session_id = meeting.id
    build.save(first)
    second = hours_entry(staff.id, "1")
    second.session_id = meeting.id
    refused(session, second)
    # Entries logged by hand (no session) never collide.
    build.save(hours_entry(staff.id, "1"), hours_entry(staff.id, "2"))
    assert len(session.scalars(select(HoursEntry)).all()) == 3


@pytest.mark.parametrize("minutes", [0, -30])
def test_session_must_end_after_it_starts(session: Session, build: Build, minutes: int) -> None:
    start = datetime(2027, 10, 5, 14, 0, tzinfo=UTC)
    end = start.replace(minute=0) if minutes == 0 else start.replace(hour=13, minute=30)
    with pytest.raises(IntegrityError):
        build.mentoring_session(starts_at=start, ends_at=end)


def test_session_gets_a_calendar_uid(build: Build) -> None:
    first = build.mentoring_session()
    second = build.mentoring_session()
    assert first.uid.endswith("@mentoring-kit")
    assert first.uid != second.uid
    assert first.sequence == 0
    assert first.duration_minutes == 60


def test_same_person_cannot_attend_a_session_twice(session: Session, build: Build) -> None:
    meeting = build.mentoring_session()
    newcomer = build.newcomer()
    build.save(SessionAttendee(session=meeting, newcomer_id=newcomer.id, role="newcomer"))
    refused(
        session, SessionAttendee(session_id=meeting.id, newcomer_id=newcomer.id, role="newcomer")
    )


def test_attendee_is_exactly_one_person(session: Session, build: Build) -> None:
    meeting = build.mentoring_session()
    staff, newcomer = build.staff(), build.newcomer()
    refused(session, SessionAttendee(session_id=meeting.id, role="colleague"))
    refused(
        session,
        SessionAttendee(
            session_id=meeting.id, staff_id=staff.id, newcomer_id=newcomer.id, role="mentor"
        ),
    )


@pytest.mark.parametrize("capacity", [0, 4])
def test_mentor_capacity_is_one_to_three(session: Session, build: Build, capacity: int) -> None:
    volunteer = build.volunteer()
    volunteer.capacity = capacity
    with pytest.raises(IntegrityError):
        session.commit()


def test_mentor_capacity_of_three_is_kept(session: Session, build: Build) -> None:
    volunteer = build.volunteer(capacity=3)
    session.expire_all()
    assert volunteer.capacity == 3


def open_match(volunteer_id: int, newcomer_id: int) -> Match:
    return Match(volunteer_id=volunteer_id, newcomer_id=newcomer_id)


def test_pair_has_at_most_one_open_match(session: Session, build: Build) -> None:
    volunteer, newcomer = build.volunteer(), build.newcomer()
    first = open_match(volunteer.id, newcomer.id)
    build.save(first)
    for status in ("proposed", "mentor_accepted", "active"):
        second = open_match(volunteer.id, newcomer.id)
        second.status = status
        refused(session, second)


@pytest.mark.parametrize("ending", ["closed", "declined"])
def test_pair_may_match_again_after_the_first_match_ended(
    session: Session, build: Build, ending: str
) -> None:
    volunteer, newcomer = build.volunteer(), build.newcomer()
    first = open_match(volunteer.id, newcomer.id)
    build.save(first)
    first.status = ending
    session.commit()
    build.save(open_match(volunteer.id, newcomer.id))
    statuses = session.scalars(select(Match.status).order_by(Match.id)).all()
    assert statuses == [ending, "proposed"]


def test_same_mentor_may_have_open_matches_with_different_newcomers(build: Build) -> None:
    volunteer = build.volunteer(capacity=2)
    build.save(
        open_match(volunteer.id, build.newcomer().id),
        open_match(volunteer.id, build.newcomer().id),
    )


def test_match_planned_end_after_start(session: Session, build: Build) -> None:
    match = open_match(build.volunteer().id, build.newcomer().id)
    match.started_on, match.planned_end_on = date(2027, 10, 1), date(2027, 9, 1)
    refused(session, match)


def test_unknown_status_is_refused(session: Session, build: Build) -> None:
    newcomer = build.newcomer()
    agency = Agency(name="Welcome Centre")
    build.save(agency)
    refused(session, Referral(newcomer_id=newcomer.id, agency_id=agency.id, status="approved"))


def test_unknown_role_is_refused(session: Session, build: Build) -> None:
    staff = build.staff()
    refused(session, StaffRole(staff_id=staff.id, role="superuser"))


@pytest.mark.parametrize("field", ["clb_listening", "clb_speaking", "clb_reading", "clb_writing"])
@pytest.mark.parametrize("level", [0, 13])
def test_language_levels_are_1_to_12(
    session: Session, build: Build, field: str, level: int
) -> None:
    newcomer = build.newcomer()
    setattr(newcomer, field, level)
    with pytest.raises(IntegrityError):
        session.commit()


def test_unknown_immigration_status_is_refused(session: Session) -> None:
    refused(
        session,
        Newcomer(given_name="Li", email="li@example.net", immigration_status="tourist"),
    )


def test_availability_belongs_to_exactly_one_person(session: Session, build: Build) -> None:
    volunteer, newcomer = build.volunteer(), build.newcomer()
    window = {"weekday": 1, "start_minute": 540, "end_minute": 600}
    refused(session, AvailabilityWindow(**window))
    refused(
        session,
        AvailabilityWindow(volunteer_id=volunteer.id, newcomer_id=newcomer.id, **window),
    )
    build.save(AvailabilityWindow(volunteer_id=volunteer.id, **window))
    assert len(volunteer.availability) == 1


@pytest.mark.parametrize(
    ("weekday", "start", "end"), [(7, 540, 600), (1, 600, 540), (1, -10, 60), (1, 0, 1441)]
)
def test_availability_window_is_a_real_time_of_week(
    session: Session, build: Build, weekday: int, start: int, end: int
) -> None:
    volunteer = build.volunteer()
    refused(
        session,
        AvailabilityWindow(
            volunteer_id=volunteer.id, weekday=weekday, start_minute=start, end_minute=end
        ),
    )


def test_cohort_ends_after_it_starts(session: Session) -> None:
    refused(
        session, Cohort(name="Backwards", starts_on=date(2027, 12, 1), ends_on=date(2027, 9, 1))
    )


def test_cohort_defaults_to_24_hours(session: Session, build: Build) -> None:
    cohort = Cohort(name="Fall 2027", starts_on=date(2027, 9, 1), ends_on=date(2027, 12, 31))
    build.save(cohort)
    session.expire_all()
    assert cohort.target_hours == Decimal("24")
    assert cohort.includes(date(2027, 12, 31))
