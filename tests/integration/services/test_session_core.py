"""The services other formats build on: conflicts, invitations, attendance -> hours."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar

from kit.models import HoursEntry, OutboxMessage
from kit.scheduling.errors import SchedulingError
from kit.services.attendance import mark_attendance
from kit.services.audit import Actor
from kit.services.invitations import send_invitations
from kit.services.session_conflicts import SessionConflict, lock_and_check


@pytest.fixture
def match(factory, db):
    factory.occupation()
    match = factory.match()
    db.commit()
    return match


def _people(match):
    return [match.volunteer.staff_id], [match.newcomer_id]


def test_an_overlapping_session_of_the_mentor_conflicts(app, db, factory, match):
    held = factory.session(match, starts_in=timedelta(days=3), hours=2)
    db.commit()
    staff, newcomers = _people(match)
    with app.test_request_context():
        with pytest.raises(SessionConflict) as caught:
            lock_and_check(db, starts_at=held.starts_at + timedelta(hours=1),
                           ends_at=held.ends_at + timedelta(hours=1),
                           staff_ids=staff, newcomer_ids=[])
        assert caught.value.code == "staff_busy"
        assert caught.value.session.id == held.id
        assert "already has another session" in caught.value.message()
        with pytest.raises(SessionConflict) as caught:
            lock_and_check(db, starts_at=held.starts_at, ends_at=held.ends_at,
                           staff_ids=[], newcomer_ids=newcomers)
        assert caught.value.code == "newcomer_busy"


def test_back_to_back_cancelled_and_the_moved_session_itself_do_not_conflict(db, factory, match):
    held = factory.session(match, starts_in=timedelta(days=3), hours=2)
    cancelled = factory.session(match, starts_in=timedelta(days=5), status="cancelled")
    db.commit()
    staff, newcomers = _people(match)
    lock_and_check(db, starts_at=held.ends_at, ends_at=held.ends_at + timedelta(hours=1),
                   staff_ids=staff, newcomer_ids=newcomers)
    lock_and_check(db, starts_at=cancelled.starts_at, ends_at=cancelled.ends_at,
                   staff_ids=staff, newcomer_ids=newcomers)
    lock_and_check(db, starts_at=held.starts_at, ends_at=held.ends_at, staff_ids=staff,
                   newcomer_ids=newcomers, exclude_session_id=held.id)
    with pytest.raises(SchedulingError):
        lock_and_check(db, starts_at=held.ends_at, ends_at=held.starts_at, staff_ids=staff,
                       newcomer_ids=newcomers)


def test_invitations_one_per_attendee_in_their_language(app, db, factory, match):
    match.newcomer.preferred_locale = "fr"
    session = factory.session(match)
    db.commit()
    assert send_invitations(db, session) == 2
    assert send_invitations(db, session) == 0  # same sequence: queued once
    messages = db.query(OutboxMessage).order_by(OutboxMessage.id).all()
    assert {m.locale for m in messages} == {"en", "fr"}
    calendar = Calendar.from_ical(messages[0].ical)
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == session.uid
    session.sequence += 1
    session.status = "cancelled"
    assert send_invitations(db, session, "CANCEL", reason="Strike") == 2
    cancel = Calendar.from_ical(db.query(OutboxMessage).order_by(OutboxMessage.id.desc())
                                .first().ical)
    assert cancel["method"] == "CANCEL"
    assert int(cancel.walk("VEVENT")[0]["sequence"]) == 1
    assert str(cancel.walk("VEVENT")[0]["uid"]) == session.uid


def test_attendance_makes_hours_once(db, factory, match):
    session = factory.session(match, starts_in=timedelta(days=-1), hours=2)
    db.commit()
    mentor = next(a for a in session.attendees if a.role == "mentor")
    newcomer = next(a for a in session.attendees if a.role == "newcomer")
    actor = Actor("staff", mentor.staff_id)
    result = mark_attendance(db, actor, session.id, {mentor.id: True, newcomer.id: True})
    assert (result.status, result.hours_added) == ("attended", 1)
    again = mark_attendance(db, actor, session.id, {mentor.id: True, newcomer.id: True})
    assert again.hours_added == 0
    entries = db.query(HoursEntry).all()
    assert [(e.hours, e.category, e.status) for e in entries] == [
        (Decimal("2.00"), "session", "pending")]
    no_show = mark_attendance(db, actor, session.id, {newcomer.id: False})
    assert (no_show.status, no_show.hours_removed) == ("no_show", 1)
    with pytest.raises(SchedulingError) as caught:
        mark_attendance(db, Actor("staff", 9999), session.id, {})
    assert caught.value.code == "forbidden"
