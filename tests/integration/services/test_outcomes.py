"""Employment outcomes: intervals due, asked once, recorded, time to employment, agencies."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kit.models import OutboxMessage, Outcome
from kit.services.audit import Actor
from kit.services.outcomes import (
    OutcomeError,
    OutcomeInput,
    add_months,
    agency_sees,
    due_intervals,
    matched_newcomers,
    newcomer_intervals,
    record_outcome,
    request_outcomes,
    time_to_employment,
)

CLOSED = datetime(2026, 1, 31, 17, 0, tzinfo=UTC)


@pytest.fixture
def match(factory, db):
    factory.occupation("21300")
    match = factory.match(status="closed", started_on=date(2025, 10, 1),
                          planned_end_on=date(2026, 1, 31), closed_at=CLOSED,
                          close_reason="completed")
    db.commit()
    return match


def test_months_are_calendar_months() -> None:
    assert add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 12) == date(2027, 1, 31)


def test_intervals_fall_due_at_close_and_3_6_and_12_months_after(factory, match) -> None:
    assert due_intervals(match, date(2026, 1, 30)) == []
    assert due_intervals(match, date(2026, 1, 31)) == ["close"]
    assert due_intervals(match, date(2026, 4, 29)) == ["close"]
    assert due_intervals(match, date(2026, 4, 30)) == ["close", "3m"]
    assert due_intervals(match, date(2026, 7, 31)) == ["close", "3m", "6m"]
    assert due_intervals(match, date(2027, 1, 31)) == ["close", "3m", "6m", "12m"]
    assert due_intervals(factory.match(), date(2030, 1, 1)) == []  # still active


def test_the_newcomer_is_asked_once_per_due_interval(app, db, match) -> None:
    def ask(today):
        with app.test_request_context():
            count = request_outcomes(db, lambda n: f"https://city.example/link/{n}", today)
        db.commit()
        return count

    assert ask(date(2026, 1, 1)) == 0
    assert ask(date(2026, 2, 1)) == 1
    assert ask(date(2026, 2, 2)) == 0  # run again: not asked twice
    assert ask(date(2026, 5, 1)) == 1  # 3 months
    record_outcome(db, Actor("newcomer", match.newcomer_id), match.newcomer_id, match.id, "6m",
                   OutcomeInput("searching"), date(2026, 8, 1))
    db.commit()
    assert ask(date(2026, 8, 1)) == 0  # already answered
    keys = [m.dedupe_key for m in db.query(OutboxMessage).order_by(OutboxMessage.id)]
    assert keys == [f"outcome:{match.id}:close", f"outcome:{match.id}:3m"]
    assert "https://city.example/link/" in db.query(OutboxMessage).first().body_text


def test_an_outcome_is_recorded_and_corrected_with_time_to_employment(db, match) -> None:
    actor = Actor("newcomer", match.newcomer_id)
    record_outcome(db, actor, match.newcomer_id, match.id, "close", OutcomeInput("searching"),
                   date(2026, 2, 1))
    saved = record_outcome(db, actor, match.newcomer_id, match.id, "close",
                           OutcomeInput("employed_in_field", date(2026, 3, 2), "21300"),
                           date(2026, 3, 10))
    db.commit()
    assert db.query(Outcome).count() == 1
    assert (saved.status, saved.employed_since, saved.noc_code, saved.actor_kind) == (
        "employed_in_field", date(2026, 3, 2), "21300", "newcomer")
    # 1 October 2025 -> 2 March 2026; 31 January -> 2 March 2026.
    assert time_to_employment(saved, match) == (152, 30)
    rows = newcomer_intervals(db, match.newcomer_id, date(2026, 3, 10))
    assert [(r.interval, r.outcome is not None) for r in rows] == [
        ("close", True), ("3m", False), ("6m", False), ("12m", False)]
    assert rows[0].days_from_start == 152


@pytest.mark.parametrize(("data", "interval", "today", "field"), [
    (OutcomeInput("searching"), "3m", date(2026, 2, 1), "interval"),
    (OutcomeInput("employed_related"), "close", date(2026, 2, 1), "employed_since"),
    (OutcomeInput("employed_related", date(2026, 3, 1)), "close", date(2026, 2, 1),
     "employed_since"),
    (OutcomeInput("employed_related", date(2026, 1, 1), "99999"), "close", date(2026, 2, 1),
     "noc_code"),
    (OutcomeInput("retired"), "close", date(2026, 2, 1), "status"),
])
def test_an_outcome_breaking_a_rule_is_refused_on_its_field(db, match, data, interval, today,
                                                             field) -> None:
    with pytest.raises(OutcomeError) as refused:
        record_outcome(db, Actor("system"), match.newcomer_id, match.id, interval, data, today)
    assert refused.value.field == field


def test_an_outcome_for_another_newcomers_match_is_refused(db, factory, match) -> None:
    other = factory.newcomer("Someone", "Else")
    with pytest.raises(OutcomeError) as refused:
        record_outcome(db, Actor("newcomer", other.id), other.id, match.id, "close",
                       OutcomeInput("searching"), date(2026, 2, 1))
    assert refused.value.code == "not_found"


def test_an_agency_sees_only_its_own_newcomers(db, factory, match) -> None:
    ours, theirs = factory.agency("Harbourview"), factory.agency("Elsewhere")
    factory.referral(match.newcomer, ours, status="accepted")
    other = factory.match(factory.volunteer(factory.staff("Mentor 2")), status="closed",
                          closed_at=CLOSED, close_reason="completed")
    factory.referral(other.newcomer, theirs, status="accepted")
    assert agency_sees(db, ours.id, match.newcomer_id)
    assert not agency_sees(db, ours.id, other.newcomer_id)
    assert not agency_sees(db, None, match.newcomer_id)
    rows, _pages = matched_newcomers(db, 1, 10, agency_id=ours.id)
    assert [n.id for n, _m, _o in rows] == [match.newcomer_id]
    assert {n.id for n, _m, _o in matched_newcomers(db, 1, 10)[0]} == {
        match.newcomer_id, other.newcomer_id}
