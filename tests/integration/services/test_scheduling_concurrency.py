"""Concurrent requests and jobs on PostgreSQL: one booking wins, reminders are queued once."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

import pytest
from flask import Flask

from kit import get_state
from kit.models import MentoringSession, OutboxMessage
from kit.services.audit import Actor
from kit.services.scheduling import SessionDetails, error_message, schedule_session
from kit.services.session_conflicts import SessionConflict
from kit.services.session_notices import send_reminders


@pytest.mark.postgres
def test_two_concurrent_schedules_for_the_same_mentor_one_wins(app: Flask, db, factory,
                                                                request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with --db=postgresql")
    factory.occupation()
    mentor = factory.volunteer(capacity=2)
    first = factory.match(mentor, factory.newcomer("Amina", "Haddad"))
    second = factory.match(mentor, factory.newcomer("Diego", "Ramírez"))
    db.commit()
    actor = Actor("staff", mentor.staff_id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    messages: list[str] = []

    def schedule(match_id: int, at: time) -> None:
        with app.test_request_context():
            session = get_state().db.session
            barrier.wait()
            try:
                schedule_session(session, actor, match_id, SessionDetails(
                    type_code="one_on_one", day=date(2027, 3, 16), start=at,
                    location_building="City Hall"))
                session.commit()
                outcomes.append("won")
            except SessionConflict as exc:
                session.rollback()
                outcomes.append(exc.code)
                messages.append(error_message(exc))
            finally:
                session.remove()

    threads = [threading.Thread(target=schedule, args=(first.id, time(10, 0))),
               threading.Thread(target=schedule, args=(second.id, time(10, 30)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["staff_busy", "won"]
    assert "already has another session" in messages[0]
    db.expire_all()
    assert db.query(MentoringSession).count() == 1


@pytest.mark.postgres
def test_reminders_run_on_two_hosts_at_once_are_queued_once(app: Flask, db, factory,
                                                            request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; run with --db=postgresql")
    factory.occupation()
    factory.session(factory.match(), starts_in=timedelta(hours=3))
    db.commit()
    barrier = threading.Barrier(2)
    queued: list[int] = []

    def remind() -> None:
        with app.app_context():
            session = get_state().db.session
            barrier.wait()
            try:
                queued.append(send_reminders(session))
                session.commit()
            finally:
                session.remove()

    threads = [threading.Thread(target=remind) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(queued) == [0, 2]
    db.expire_all()
    assert db.query(OutboxMessage).filter(
        OutboxMessage.dedupe_key.like("session-reminder:%")).count() == 2
