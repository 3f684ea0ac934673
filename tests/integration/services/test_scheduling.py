"""Scheduling through the service: DST, business hours, conflicts, updates, answers, approval."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from kit.models import MentoringSession, OutboxMessage
from kit.scheduling.errors import SchedulingError
from kit.services.audit import Actor
from kit.services.scheduling import (
    NeedsConfirmation,
    SessionDetails,
    cancel_session,
    error_message,
    reschedule_session,
    respond_to_session,
    schedule_session,
)
from kit.services.session_conflicts import SessionConflict
from kit.services.shadowing import approval_token, decide_approval

TUESDAY_BEFORE_DST = date(2027, 3, 9)
TUESDAY_AFTER_DST = date(2027, 3, 16)


@pytest.fixture
def match(factory, db):
    factory.occupation()
    match = factory.match()
    db.commit()
    return match


def mentor_of(match) -> Actor:
    return Actor("staff", match.volunteer.staff_id)


def details(day=TUESDAY_AFTER_DST, at=time(10, 0), **fields) -> SessionDetails:
    fields.setdefault("type_code", "one_on_one")
    fields.setdefault("location_building", "City Hall")
    fields.setdefault("location_room", "301")
    return SessionDetails(day=day, start=at, **fields)


def ical_of(db, session, method="REQUEST") -> list[Calendar]:
    return [Calendar.from_ical(m.ical) for m in db.query(OutboxMessage).order_by(OutboxMessage.id)
            if m.ical and f"METHOD:{method}" in m.ical and session.uid in m.ical]


def test_wall_clock_times_become_the_right_instants_across_dst(db, match):
    winter = schedule_session(db, mentor_of(match), match.id, details(TUESDAY_BEFORE_DST))
    summer = schedule_session(db, mentor_of(match), match.id, details(TUESDAY_AFTER_DST))
    assert winter.starts_at == datetime(2027, 3, 9, 18, 0, tzinfo=UTC)  # PST, UTC-8
    assert summer.starts_at == datetime(2027, 3, 16, 17, 0, tzinfo=UTC)  # PDT, UTC-7
    assert summer.duration_minutes == 60  # the one-on-one's default length
    assert summer.time_zone == "America/Vancouver"
    event = ical_of(db, summer)[0].walk("VEVENT")[0]
    assert event["dtstart"].dt.hour == 10
    assert str(event["dtstart"].dt.tzinfo) == "America/Vancouver"


def test_a_time_the_clocks_skip_is_refused_with_a_clear_message(app, db, match):
    with pytest.raises(SchedulingError) as caught:
        schedule_session(db, mentor_of(match), match.id, details(date(2027, 3, 14), time(2, 30)),
                         accept_warnings=True)
    assert caught.value.code == "nonexistent_local_time"
    with app.test_request_context():
        assert "clocks move forward" in error_message(caught.value)


def test_a_time_that_happens_twice_is_refused(app, db, match):
    with pytest.raises(SchedulingError) as caught:
        schedule_session(db, mentor_of(match), match.id, details(date(2027, 11, 7), time(1, 30)),
                         accept_warnings=True)
    assert caught.value.code == "ambiguous_local_time"
    with app.test_request_context():
        assert "clocks go back" in error_message(caught.value)


def test_outside_business_hours_weekends_and_holidays_need_the_mentors_ok(db, match):
    with pytest.raises(NeedsConfirmation) as caught:
        schedule_session(db, mentor_of(match), match.id, details(date(2027, 3, 20)))  # Saturday
    assert caught.value.warnings == ["outside_business_hours", "weekend"]
    with pytest.raises(NeedsConfirmation) as caught:
        schedule_session(db, mentor_of(match), match.id, details(date(2027, 7, 1)))  # Canada Day
    assert caught.value.warnings == ["on_holiday"]
    with pytest.raises(NeedsConfirmation) as caught:
        schedule_session(db, mentor_of(match), match.id, details(at=time(16, 0)))  # to 17:00
    assert caught.value.warnings == ["outside_business_hours"]
    saved = schedule_session(db, mentor_of(match), match.id, details(date(2027, 7, 1)),
                             accept_warnings=True)
    assert saved.id


@pytest.mark.kit_config(KIT_HOLIDAYS={"rules": None, "add": ["2027-03-16"]},
                        KIT_BUSINESS_HOURS={"opens": "07:00", "closes": "19:00",
                                            "days": [0, 1, 2, 3, 4, 5]})
def test_business_hours_and_holidays_come_from_configuration(db, match):
    with pytest.raises(NeedsConfirmation) as caught:
        schedule_session(db, mentor_of(match), match.id, details())
    assert caught.value.warnings == ["on_holiday"]
    assert schedule_session(db, mentor_of(match), match.id,
                            details(date(2027, 7, 1), time(17, 0)))  # no BC rules, open late


def test_nobody_is_in_two_sessions_at_once(app, db, factory, match):
    schedule_session(db, mentor_of(match), match.id, details())
    with pytest.raises(SessionConflict) as caught:
        schedule_session(db, mentor_of(match), match.id, details(at=time(10, 30)))
    assert caught.value.code == "staff_busy"
    # The same newcomer with another mentor: the newcomer is busy.
    other = factory.match(newcomer=match.newcomer, volunteer=factory.volunteer(
        factory.staff("Ravi Patel", email="ravi@city.example", directory_id="ravi")))
    with pytest.raises(SessionConflict) as caught:
        schedule_session(db, Actor("staff", other.volunteer.staff_id), other.id,
                         details(at=time(10, 45)))
    assert caught.value.code == "newcomer_busy"
    with app.test_request_context():
        assert match.newcomer.display_name in caught.value.message()
    # Back to back is fine.
    assert schedule_session(db, mentor_of(match), match.id, details(at=time(11, 0)))


def test_reschedule_keeps_the_uid_and_raises_the_sequence_then_cancel(db, match):
    session = schedule_session(db, mentor_of(match), match.id, details())
    uid = session.uid
    reschedule_session(db, mentor_of(match), session.id, details(at=time(13, 0)))
    assert (session.uid, session.sequence) == (uid, 1)
    updates = ical_of(db, session)
    assert sorted(int(c.walk("VEVENT")[0]["sequence"]) for c in updates) == [0, 0, 1, 1]
    assert all(str(c.walk("VEVENT")[0]["uid"]) == uid for c in updates)
    assert db.query(OutboxMessage).filter(OutboxMessage.subject.like("Updated:%")).count() == 2
    with pytest.raises(SchedulingError) as caught:
        cancel_session(db, mentor_of(match), session.id, "  ")
    assert caught.value.code == "reason_required"
    cancel_session(db, mentor_of(match), session.id, "The site visit is postponed")
    cancels = ical_of(db, session, "CANCEL")
    assert len(cancels) == 2
    event = cancels[0].walk("VEVENT")[0]
    assert (str(event["uid"]), int(event["sequence"]), str(event["status"])) == (
        uid, 2, "CANCELLED")
    assert "postponed" in db.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first(
        ).body_text


def test_only_the_mentor_schedules_and_only_for_an_active_match(db, factory, match):
    stranger = factory.staff("Someone Else", email="else@city.example", directory_id="else")
    with pytest.raises(SchedulingError) as caught:
        schedule_session(db, Actor("staff", stranger.id), match.id, details())
    assert caught.value.code == "forbidden"
    match.status = "closed"
    with pytest.raises(SchedulingError) as caught:
        schedule_session(db, mentor_of(match), match.id, details())
    assert caught.value.code == "match_not_active"


def test_the_newcomer_confirms_or_asks_for_another_time(db, match):
    match.volunteer.staff.preferred_locale = "fr"
    session = schedule_session(db, mentor_of(match), match.id, details())
    respond_to_session(db, match.newcomer_id, session.id, confirm=True)
    assert session.status == "confirmed"
    with pytest.raises(SchedulingError) as caught:
        respond_to_session(db, match.newcomer_id, session.id, confirm=False, note="")
    assert caught.value.code == "note_required"
    attendee = respond_to_session(db, match.newcomer_id, session.id, confirm=False,
                                  note="Thursdays after 13:00")
    assert (attendee.response, session.status) == ("reschedule_requested", "scheduled")
    to_mentor = [m for m in db.query(OutboxMessage)
                 if m.recipient.endswith(f"<{match.volunteer.staff.email}>")
                 and m.ical is None]
    assert len(to_mentor) == 2 and {m.locale for m in to_mentor} == {"fr"}
    assert "Thursdays after 13:00" in to_mentor[-1].body_text


@pytest.mark.kit_config(KIT_SHADOWING_APPROVAL=True)
def test_job_shadowing_waits_for_the_host_managers_approval(app, db, match):
    session = schedule_session(db, mentor_of(match), match.id,
                               details(type_code="job_shadowing",
                                       approver_email="manager@city.example"))
    assert session.approval_status == "pending"
    assert session.duration_minutes == 240
    messages = db.query(OutboxMessage).all()
    assert [m.recipient for m in messages] == ["manager@city.example"]
    token = approval_token(session)
    with app.test_request_context():
        decide_approval(db, token, approve=True)
    assert session.approval_status == "approved"
    assert len(ical_of(db, session)) == 2
    with pytest.raises(SchedulingError) as caught:
        decide_approval(db, token, approve=False)
    assert caught.value.code == "already_decided"


@pytest.mark.kit_config(KIT_SHADOWING_APPROVAL=True)
def test_a_refused_visit_is_cancelled_and_an_old_link_stops_working(db, match):
    session = schedule_session(db, mentor_of(match), match.id,
                               details(type_code="job_shadowing",
                                       approver_email="manager@city.example"))
    old = approval_token(session)
    reschedule_session(db, mentor_of(match), session.id,
                       details(type_code="job_shadowing", at=time(9, 0),
                               approver_email="manager@city.example"))
    with pytest.raises(SchedulingError) as caught:
        decide_approval(db, old, approve=True)
    assert caught.value.code == "link_invalid"
    decide_approval(db, approval_token(session), approve=False, note="Audit week")
    assert (session.status, session.approval_status) == ("cancelled", "refused")
    assert db.query(MentoringSession).count() == 1
    assert not ical_of(db, session)  # nobody was ever invited
