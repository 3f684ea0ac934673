"""Group mentoring: events with 2-3 mentors, seats, the waiting list, attendance and hours."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask

from kit import get_state
from kit.models import HoursEntry, MentoringSession, OutboxMessage, SessionAttendee
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.group_events import (
    GroupEventError,
    cancel_registration,
    create_event,
    events_led_by,
    open_events,
    record_attendance,
    register,
    roster,
)
from kit.services.privacy import erase_newcomer
from kit.services.session_conflicts import SessionConflict


def at(days: int = 7, hour: int = 18):
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                     microsecond=0)


@pytest.fixture
def crew(factory):
    factory.occupation("21300")
    coordinator = factory.staff("Priya Coordinator", roles=("coordinator",))
    mentors = [factory.volunteer(factory.staff(name), offers_group=True).staff
               for name in ("Ama Mensah", "Ben Ortiz", "Chloé Roy", "Dev Patel")]
    newcomers = [factory.newcomer(f"Newcomer {i}", preferred_locale="fr" if i % 2 else "en")
                 for i in range(5)]
    return {"coordinator": coordinator, "mentors": mentors, "newcomers": newcomers}


def staff(person) -> Actor:
    return Actor("staff", person.id)


def newcomer(person) -> Actor:
    return Actor("newcomer", person.id)


def event(db, crew, *, capacity=2, days=7, mentors=2):
    return create_event(db, staff(crew["coordinator"]), title="Engineering in Canada",
                        starts_at=at(days), ends_at=at(days) + timedelta(hours=2),
                        mentor_ids=[m.id for m in crew["mentors"][:mentors]],
                        capacity=capacity)


def test_an_event_has_no_match_two_or_three_mentors_and_invites_them(db, crew):
    created = event(db, crew, capacity=None, mentors=3)
    assert created.match_id is None and created.capacity == 10
    assert created.session_type.code == "group_event"
    assert [a.role for a in created.attendees] == ["mentor"] * 3
    assert db.query(OutboxMessage).count() == 3
    for count in (1, 4):
        with pytest.raises(GroupEventError) as error:
            event(db, crew, mentors=count, days=9)
        assert (error.value.code, error.value.detail) == ("mentor_count", "2-3")


def test_capacity_is_at_most_the_configured_maximum(db, crew):
    with pytest.raises(GroupEventError) as error:
        event(db, crew, capacity=11)
    assert (error.value.code, error.value.detail) == ("capacity", "10")


def test_mentors_or_coordinators_create_events_others_do_not(db, factory, crew):
    mentor = crew["mentors"][0]
    created = create_event(db, staff(mentor), title="Résumés", starts_at=at(3),
                           ends_at=at(3) + timedelta(hours=1),
                           mentor_ids=[mentor.id, crew["mentors"][1].id])
    assert created.organizer_id == mentor.id
    someone = factory.staff("Not a mentor")
    with pytest.raises(GroupEventError) as error:
        create_event(db, staff(someone), title="x", starts_at=at(4),
                     ends_at=at(4) + timedelta(hours=1), mentor_ids=[m.id for m in
                                                                   crew["mentors"][:2]])
    assert error.value.code == "forbidden"
    with pytest.raises(GroupEventError) as error:
        create_event(db, staff(mentor), title="x", starts_at=at(4),
                     ends_at=at(4) + timedelta(hours=1), mentor_ids=[mentor.id, someone.id])
    assert error.value.code == "not_a_group_mentor"


def test_a_busy_mentor_cannot_lead_two_events_at_once(db, crew):
    event(db, crew)
    with pytest.raises(SessionConflict) as error:
        create_event(db, staff(crew["coordinator"]), title="Overlap",
                     starts_at=at() + timedelta(hours=1), ends_at=at() + timedelta(hours=3),
                     mentor_ids=[crew["mentors"][1].id, crew["mentors"][2].id])
    assert error.value.code == "staff_busy"


def test_over_capacity_newcomers_wait_in_order_and_are_promoted_by_e_mail(db, crew):
    created = event(db, crew, capacity=2)
    people = crew["newcomers"]
    responses = [register(db, newcomer(p), created.id, p.id).response for p in people[:4]]
    assert responses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    rows = {row.session.id: row for row in open_events(db, people[3].id)}
    assert (rows[created.id].seats_left, rows[created.id].waiting,
            rows[created.id].position) == (0, 2, 2)

    promoted = cancel_registration(db, newcomer(people[0]), created.id, people[0].id)
    assert promoted is not None and promoted.newcomer_id == people[2].id
    seat_mail = db.query(OutboxMessage).filter(
        OutboxMessage.dedupe_key.like("group-event-seat:%")).one()
    assert people[2].email in seat_mail.recipient and seat_mail.locale == "en"
    assert open_events(db, people[3].id)[0].position == 1
    listed = roster(db, created.id)
    assert [a.newcomer_id for a in listed.seated] == [people[1].id, people[2].id]
    assert [a.newcomer_id for a in listed.waiting] == [people[3].id]

    # Someone who cancels and registers again goes to the end of the list.
    cancel_registration(db, newcomer(people[3]), created.id, people[3].id)
    register(db, newcomer(people[4]), created.id, people[4].id)
    again = register(db, newcomer(people[3]), created.id, people[3].id)
    assert again.response == "waitlisted"
    assert [a.newcomer_id for a in roster(db, created.id).waiting] == [people[4].id,
                                                                       people[3].id]


def test_an_erased_newcomer_leaves_their_seat_to_the_first_waiting(db, crew):
    created = event(db, crew, capacity=1)
    first, second = crew["newcomers"][:2]
    register(db, newcomer(first), created.id, first.id)
    register(db, newcomer(second), created.id, second.id)
    erase_newcomer(db, staff(crew["coordinator"]), first.id)
    assert [a.newcomer_id for a in roster(db, created.id).seated] == [second.id]
    assert roster(db, created.id).waiting == []
    assert db.get(MentoringSession, created.id).status == "scheduled"  # the event goes on


def test_leaving_the_waiting_list_promotes_nobody(db, crew):
    created = event(db, crew, capacity=1)
    first, second = crew["newcomers"][:2]
    register(db, newcomer(first), created.id, first.id)
    register(db, newcomer(second), created.id, second.id)
    assert cancel_registration(db, newcomer(second), created.id, second.id) is None
    assert [a.newcomer_id for a in roster(db, created.id).seated] == [first.id]


def test_registering_twice_or_for_someone_else_is_refused(db, crew):
    created = event(db, crew)
    first, second = crew["newcomers"][:2]
    register(db, newcomer(first), created.id, first.id)
    for who, whom, code in ((first, first, "already_registered"),
                            (first, second, "forbidden")):
        with pytest.raises(GroupEventError) as error:
            register(db, newcomer(who), created.id, whom.id)
        assert error.value.code == code
    with pytest.raises(GroupEventError) as error:
        cancel_registration(db, newcomer(second), created.id, second.id)
    assert error.value.code == "not_registered"


def test_a_newcomer_in_another_session_then_cannot_register(db, factory, crew):
    created = event(db, crew)
    person = crew["newcomers"][0]
    match = factory.match(newcomer=person)
    factory.session(match, starts_in=created.starts_at - utcnow() + timedelta(minutes=30))
    with pytest.raises(SessionConflict) as error:
        register(db, newcomer(person), created.id, person.id)
    assert error.value.code == "newcomer_busy"


def test_a_promotion_skips_whoever_became_busy_meanwhile(db, factory, crew):
    created = event(db, crew, capacity=1)
    first, busy, free = crew["newcomers"][:3]
    for person in (first, busy, free):
        register(db, newcomer(person), created.id, person.id)
    # Waitlisted people's time is free, so a session can be booked for them meanwhile.
    factory.session(factory.match(newcomer=busy), starts_in=created.starts_at - utcnow())
    promoted = cancel_registration(db, newcomer(first), created.id, first.id)
    assert promoted is not None and promoted.newcomer_id == free.id
    assert [a.newcomer_id for a in roster(db, created.id).waiting] == [busy.id]


def test_attendance_by_a_mentor_gives_hours_to_each_mentor_present(db, crew):
    created = event(db, crew, capacity=3, mentors=3)
    for person in crew["newcomers"][:2]:
        register(db, newcomer(person), created.id, person.id)
    created.starts_at -= timedelta(days=8)  # the event has taken place
    created.ends_at -= timedelta(days=8)
    db.flush()
    ama, ben, chloe = crew["mentors"][:3]
    present = {a.id: a.staff_id != chloe.id for a in created.attendees}
    result = record_attendance(db, staff(ben), created.id, present)
    assert result.status == "attended" and result.hours_added == 2
    hours = {e.staff_id: str(e.hours) for e in db.query(HoursEntry)
             .filter_by(session_id=created.id)}
    assert hours == {ama.id: "2.00", ben.id: "2.00"}
    assert [row[1:] for row in events_led_by(db, ama.id)] == [(2, 0)]


def test_a_newcomer_cannot_mark_attendance(db, crew):
    created = event(db, crew)
    person = crew["newcomers"][0]
    register(db, newcomer(person), created.id, person.id)
    with pytest.raises(Exception) as error:
        record_attendance(db, newcomer(person), created.id, {})
    assert getattr(error.value, "code", None) == "forbidden"


@pytest.mark.postgres
def test_two_newcomers_taking_the_last_seat_at_once_one_waits(app: Flask, db, crew,
                                                              request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with --db=postgresql")
    created = event(db, crew, capacity=1)
    session_id = created.id
    contenders = [p.id for p in crew["newcomers"][:2]]
    db.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(newcomer_id: int) -> None:
        with app.app_context():
            session = get_state().db.session
            barrier.wait()
            try:
                attendee = register(session, Actor("newcomer", newcomer_id), session_id,
                                    newcomer_id)
                session.commit()
                outcomes.append(attendee.response)
            finally:
                session.remove()

    threads = [threading.Thread(target=take, args=(person,)) for person in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed", "waitlisted"]
    db.expire_all()
    assert db.query(SessionAttendee).filter_by(session_id=session_id, role="newcomer",
                                               response="confirmed").count() == 1
