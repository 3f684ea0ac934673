"""Pace of matches: hours toward the target, expected by now, stalled, behind; no N+1."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from kit import get_state
from kit.scheduling.times import add_months
from kit.services.pace import match_paces, matches_needing_attention


@pytest.fixture
def occupation(factory, db):
    factory.occupation()
    db.commit()


def test_hours_expected_pace_and_flags(db, factory, occupation):
    match = factory.match()  # started 30 days ago, ends in 90: 120 days for 24 hours
    staff = match.volunteer.staff
    factory.hours(staff, match, "2", status="confirmed")
    factory.hours(staff, match, "2", status="pending")
    factory.hours(staff, match, "5", status="rejected")
    db.commit()
    (pace,) = match_paces(db)
    assert (pace.hours, pace.target) == (Decimal("4"), Decimal("24"))
    # 24 hours over 120 days, 30 days in (29 where the employer's day has not turned yet).
    assert Decimal("5.8") <= pace.expected <= Decimal("6.0")
    assert pace.behind and pace.stalled and pace.next_session_at is None
    assert [p.match_id for p in matches_needing_attention(db)] == [match.id]

    upcoming = factory.session(match, starts_in=timedelta(days=4))
    factory.hours(staff, match, "1")
    db.commit()
    (pace,) = match_paces(db)
    assert not pace.stalled and not pace.behind
    assert pace.next_session_at == upcoming.starts_at
    assert matches_needing_attention(db) == []


def test_a_recent_session_keeps_a_match_from_stalling(db, factory, occupation):
    match = factory.match()
    factory.session(match, starts_in=timedelta(days=-5), status="attended")
    factory.session(match, starts_in=timedelta(days=-2), status="cancelled")
    db.commit()
    (pace,) = match_paces(db)
    assert not pace.stalled
    assert pace.last_session_at is not None


def test_a_new_match_is_neither_stalled_nor_behind(db, factory, occupation):
    factory.match(started_on=date.today() - timedelta(days=5), planned_end_on=None)
    db.commit()
    (pace,) = match_paces(db)
    assert not pace.needs_attention
    assert pace.ends_on == add_months(pace.starts_on, 4)


def test_one_statement_for_any_number_of_matches(app, db, factory, occupation):
    def statements() -> int:
        seen: list[str] = []
        engine = get_state().db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            match_paces(db)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    factory.match()
    db.commit()
    one = statements()
    for _ in range(4):
        match = factory.match()
        factory.session(match, starts_in=timedelta(days=2))
        factory.hours(match.volunteer.staff, match)
    db.commit()
    assert statements() == one == 1


def test_add_months_keeps_the_day_or_takes_the_last():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 10, 15), 4) == date(2028, 2, 15)
