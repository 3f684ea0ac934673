"""A match's lifecycle: every step, every refused step, the history, the audit and the e-mails."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from kit import get_state
from kit.models import AuditEvent, Match, MatchStatusChange, OutboxMessage
from kit.services.audit import Actor
from kit.services.matches import (
    MatchError,
    close_match,
    mentor_accept,
    mentor_decline,
    newcomer_accept,
    newcomer_decline,
)

TODAY = date(2027, 9, 6)


@pytest.fixture
def people(factory, db):
    coordinator = factory.staff("Coordinator", roles=("coordinator",))
    mentor = factory.staff("Marie Tremblay", preferred_locale="fr")
    volunteer = factory.volunteer(mentor)
    newcomer = factory.accepted_newcomer("Amara", career_goal="Design bridges again",
                                         preferred_locale="en")
    db.commit()
    return coordinator, mentor, volunteer, newcomer


def proposed(factory, db, people, **fields) -> Match:
    coordinator, _, volunteer, newcomer = people
    match = factory.match(volunteer, newcomer, status="proposed",
                          proposed_by_id=coordinator.id, **fields)
    db.commit()
    return match


def history(db, match) -> list[tuple[str | None, str, str]]:
    return [(c.from_status, c.to_status, c.actor_kind) for c in db.query(MatchStatusChange)
            .filter_by(match_id=match.id).order_by(MatchStatusChange.id)]


def mail_to(db, address) -> list[OutboxMessage]:
    return db.query(OutboxMessage).filter(OutboxMessage.recipient.contains(address)).all()


def test_mentor_then_newcomer_accept_and_the_agreement_is_recorded(factory, db, people) -> None:
    _, mentor, _, newcomer = people
    cohort = factory.cohort(starts_on=TODAY - timedelta(days=7), ends_on=TODAY + timedelta(
        weeks=16), target_hours=Decimal(30))
    match = proposed(factory, db, people, cohort_id=cohort.id)

    mentor_accept(db, Actor("staff", mentor.id), match.id, mentor.id)
    db.commit()
    assert match.status == "mentor_accepted" and match.mentor_responded_at is not None
    assert len(mail_to(db, newcomer.email)) == 1  # the newcomer is asked next

    newcomer_accept(db, Actor("newcomer", newcomer.id), match.id, newcomer.id, today=TODAY)
    db.commit()
    assert match.status == "active"
    assert (match.started_on, match.planned_end_on) == (TODAY, cohort.ends_on)
    assert match.target_hours == Decimal(30)
    assert match.goals == "Design bridges again"
    assert history(db, match) == [("proposed", "mentor_accepted", "staff"),
                                  ("mentor_accepted", "active", "newcomer")]
    assert len(mail_to(db, mentor.email)) == 1
    actions = [e.action for e in db.query(AuditEvent).filter_by(subject_type="match")]
    assert actions == ["match.mentor_accepted", "match.activated"]


def test_without_a_cohort_the_agreement_lasts_four_months_and_24_hours(factory, db,
                                                                       people) -> None:
    _, mentor, _, newcomer = people
    match = proposed(factory, db, people)
    mentor_accept(db, Actor("staff", mentor.id), match.id, mentor.id)
    newcomer_accept(db, Actor("newcomer", newcomer.id), match.id, newcomer.id,
                    today=date(2027, 10, 31))
    assert match.planned_end_on == date(2028, 2, 29)
    assert match.target_hours == Decimal(24)


def test_a_cohort_already_over_gives_four_months(factory, db, people) -> None:
    _, mentor, _, newcomer = people
    cohort = factory.cohort("Spring 2027", starts_on=TODAY - timedelta(days=200),
                            ends_on=TODAY - timedelta(days=60))
    match = proposed(factory, db, people, cohort_id=cohort.id)
    mentor_accept(db, Actor("staff", mentor.id), match.id, mentor.id)
    newcomer_accept(db, Actor("newcomer", newcomer.id), match.id, newcomer.id, today=TODAY)
    assert match.planned_end_on == date(2028, 1, 6)


def test_the_mentor_declines_with_a_reason_and_the_coordinator_hears(factory, db,
                                                                    people) -> None:
    coordinator, mentor, _, _ = people
    match = proposed(factory, db, people)
    with pytest.raises(MatchError) as refused:
        mentor_decline(db, Actor("staff", mentor.id), match.id, mentor.id, "   ")
    assert refused.value.code == "reason_required"
    mentor_decline(db, Actor("staff", mentor.id), match.id, mentor.id, "On leave in October")
    db.commit()
    assert (match.status, match.decline_reason) == ("declined", "On leave in October")
    assert history(db, match) == [("proposed", "declined", "staff")]
    assert len(mail_to(db, coordinator.email)) == 1


def test_the_newcomer_declines_with_a_reason_and_the_mentor_hears(factory, db,
                                                                 people) -> None:
    _, mentor, _, newcomer = people
    match = proposed(factory, db, people)
    mentor_accept(db, Actor("staff", mentor.id), match.id, mentor.id)
    with pytest.raises(MatchError) as refused:
        newcomer_decline(db, Actor("newcomer", newcomer.id), match.id, newcomer.id, "")
    assert refused.value.code == "reason_required"
    newcomer_decline(db, Actor("newcomer", newcomer.id), match.id, newcomer.id,
                     "I found a job, thank you")
    db.commit()
    assert match.status == "declined"
    assert len(mail_to(db, mentor.email)) == 1


@pytest.mark.parametrize(("reason", "closer"), [
    ("completed", "coordinator"), ("ended_by_coordinator", "coordinator"),
    ("ended_by_mentor", "mentor"), ("ended_by_newcomer", "newcomer")])
def test_an_active_match_closes(factory, db, people, reason, closer) -> None:
    coordinator, mentor, volunteer, newcomer = people
    match = factory.match(volunteer, newcomer, status="active")
    db.commit()
    who = {"coordinator": {}, "mentor": {"staff_id": mentor.id},
           "newcomer": {"newcomer_id": newcomer.id}}[closer]
    if reason != "completed":
        with pytest.raises(MatchError) as refused:
            close_match(db, Actor("staff", coordinator.id), match.id, reason, "", **who)
        assert refused.value.code == "note_required"
    close_match(db, Actor("staff", coordinator.id), match.id, reason, "Moved to Calgary",
                **who)
    db.commit()
    assert (match.status, match.close_reason) == ("closed", reason)
    assert match.closed_at is not None
    assert history(db, match) == [("active", "closed", "staff")]
    assert mail_to(db, mentor.email) and mail_to(db, newcomer.email)


@pytest.mark.parametrize(("status", "step", "code"), [
    ("mentor_accepted", "mentor_accept", "already_accepted"),
    ("active", "mentor_accept", "already_active"),
    ("closed", "mentor_accept", "already_closed"),
    ("declined", "mentor_decline", "already_declined"),
    ("proposed", "newcomer_accept", "not_accepted_by_mentor"),
    ("active", "newcomer_accept", "already_active"),
    ("declined", "newcomer_decline", "already_declined"),
    ("proposed", "complete", "not_accepted_by_mentor"),
    ("closed", "complete", "already_closed"),
    ("closed", "end_by_coordinator", "already_closed"),
    ("mentor_accepted", "end_by_mentor", "already_accepted"),
])
def test_invalid_transitions_are_refused_with_a_code(factory, db, people, status, step,
                                                      code) -> None:
    _, mentor, volunteer, newcomer = people
    match = factory.match(volunteer, newcomer, status=status)
    db.commit()
    staff, by_newcomer = Actor("staff", mentor.id), Actor("newcomer", newcomer.id)
    steps = {
        "mentor_accept": lambda: mentor_accept(db, staff, match.id, mentor.id),
        "mentor_decline": lambda: mentor_decline(db, staff, match.id, mentor.id, "Busy"),
        "newcomer_accept": lambda: newcomer_accept(db, by_newcomer, match.id, newcomer.id),
        "newcomer_decline": lambda: newcomer_decline(db, by_newcomer, match.id, newcomer.id,
                                                     "No"),
        "complete": lambda: close_match(db, staff, match.id, "completed"),
        "end_by_coordinator": lambda: close_match(db, staff, match.id, "ended_by_coordinator",
                                                  "Duplicate"),
        "end_by_mentor": lambda: close_match(db, staff, match.id, "ended_by_mentor", "Busy",
                                             staff_id=mentor.id),
    }
    with pytest.raises(MatchError) as refused:
        steps[step]()
    assert refused.value.code == code
    db.rollback()
    assert db.get(Match, match.id).status == status
    assert history(db, match) == []


def test_nobody_acts_on_someone_elses_match(factory, db, people) -> None:
    mentor = people[1]
    match = proposed(factory, db, people)
    stranger = factory.staff("Stranger")
    other = factory.newcomer("Other")
    for step in (lambda: mentor_accept(db, Actor("staff", stranger.id), match.id, stranger.id),
                 lambda: newcomer_accept(db, Actor("newcomer", other.id), match.id, other.id),
                 lambda: close_match(db, Actor("staff", stranger.id), match.id,
                                     "ended_by_mentor", "x", staff_id=stranger.id)):
        with pytest.raises(MatchError) as refused:
            step()
        assert refused.value.code == "not_found"
    with pytest.raises(MatchError) as refused:
        close_match(db, Actor("staff", mentor.id), match.id, "completed", staff_id=mentor.id)
    assert refused.value.code == "invalid_reason"
    with pytest.raises(MatchError) as refused:
        mentor_accept(db, Actor("staff", mentor.id), 999_999, mentor.id)
    assert refused.value.code == "not_found"


def test_the_coordinator_can_withdraw_a_proposal(factory, db, people) -> None:
    coordinator = people[0]
    match = proposed(factory, db, people)
    close_match(db, Actor("staff", coordinator.id), match.id, "ended_by_coordinator",
                "Proposed by mistake")
    assert match.status == "closed"


@pytest.mark.postgres
def test_a_match_accepted_twice_at_once_has_one_winner(app: Flask, factory, db, people,
                                                      request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with --db=postgresql")
    mentor_id = people[1].id
    match = proposed(factory, db, people)
    match_id = match.id  # read here: the threads must not touch this thread's session
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        with app.app_context():
            session = get_state().db.session
            barrier.wait()
            try:
                mentor_accept(session, Actor("staff", mentor_id), match_id, mentor_id)
                session.commit()
                outcomes.append("won")
            except MatchError as exc:
                session.rollback()
                outcomes.append(exc.code)
            finally:
                session.remove()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_accepted", "won"]
    db.expire_all()
    assert history(db, match) == [("proposed", "mentor_accepted", "staff")]
