"""Cron jobs: reminders and nudges exactly once, idle matches warned then proposed for closing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kit.models import OutboxMessage
from kit.models.base import utcnow
from kit.services.session_notices import check_idle_matches


@pytest.fixture
def match(factory, db):
    factory.occupation()
    match = factory.match()
    db.commit()
    return match


def outbox(db, like: str) -> list[OutboxMessage]:
    db.expire_all()
    return db.query(OutboxMessage).filter(OutboxMessage.dedupe_key.like(like)).all()


def test_reminders_are_queued_once_however_often_the_job_runs(runner, db, factory, match):
    soon = factory.session(match, starts_in=timedelta(hours=20))
    factory.session(match, starts_in=timedelta(hours=30))
    factory.session(match, starts_in=timedelta(hours=5), status="cancelled")
    db.commit()
    first = runner.invoke(args=["kit", "sessions", "remind"])
    second = runner.invoke(args=["kit", "sessions", "remind"])
    assert "Queued 2 reminders." in first.output
    assert "Queued 0 reminders." in second.output
    reminders = outbox(db, "session-reminder:%")
    assert len(reminders) == 2
    assert {m.dedupe_key.split(":")[1] for m in reminders} == {str(soon.id)}
    assert all(m.subject.startswith("Reminder:") for m in reminders)


def test_a_mentor_is_nudged_once_to_mark_attendance(runner, db, factory, match):
    unmarked = factory.session(match, starts_in=timedelta(days=-3))
    factory.session(match, starts_in=timedelta(days=-1))  # not two days yet
    factory.session(match, starts_in=timedelta(days=-5), status="attended",
                    attendance_marked_at=utcnow())
    db.commit()
    assert "Queued 1 attendance nudges." in runner.invoke(
        args=["kit", "sessions", "nudge"]).output
    assert "Queued 0 attendance nudges." in runner.invoke(
        args=["kit", "sessions", "nudge"]).output
    nudges = outbox(db, "session-nudge:%")
    assert [m.dedupe_key for m in nudges] == [f"session-nudge:{unmarked.id}"]
    assert match.volunteer.staff.email in nudges[0].recipient


@pytest.mark.kit_config(KIT_IDLE_WARNING_DAYS=28, KIT_IDLE_CLOSE_DAYS=42)
def test_idle_matches_warn_both_sides_then_ask_the_coordinator(runner, db, factory):
    factory.occupation()
    factory.staff("Coordinator", roles=("coordinator",), email="coord@city.example",
                  directory_id="coord")
    idle = factory.match(started_on=date.today() - timedelta(days=45))
    busy = factory.match(started_on=date.today() - timedelta(days=45))
    factory.session(busy, starts_in=timedelta(days=2))
    db.commit()
    output = runner.invoke(args=["kit", "sessions", "pace"]).output
    assert "Queued 2 idle warnings and 0 closing proposals." in output
    assert len(outbox(db, f"match-idle:{idle.id}:%:warning:%")) == 2
    assert not outbox(db, f"match-idle:{busy.id}:%")
    # Two days later: the warning is old enough, the coordinator is asked, once.
    later = utcnow() + timedelta(days=2)
    assert check_idle_matches(db, now=later).proposals == 1
    db.commit()
    assert check_idle_matches(db, now=later).proposals == 0
    proposal = outbox(db, f"match-idle:{idle.id}:%:close:%")
    assert len(proposal) == 1 and "coord@city.example" in proposal[0].recipient
