"""Volunteer hours: the rules of an entry, its history, confirmation and the mentor's totals."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kit.models import AuditEvent, HoursEntry
from kit.services.audit import Actor
from kit.services.hours import (
    HoursError,
    HoursInput,
    add_entry,
    confirm_entry,
    edit_entry,
    pending_entries,
    pending_for_newcomer,
    reject_entry,
    totals,
)

TODAY = date(2026, 11, 20)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def match(factory, db):
    match = factory.match(started_on=date(2026, 9, 1), planned_end_on=date(2026, 12, 31),
                          target_hours=Decimal(24))
    db.commit()
    return match


@pytest.fixture
def mentor(db, match):
    return match.volunteer.staff


def entry(hours: str = "2", worked_on: date = YESTERDAY, **fields) -> HoursInput:
    fields.setdefault("category", "preparation")
    return HoursInput(worked_on=worked_on, hours=Decimal(hours), **fields)


def add(db, mentor, data: HoursInput):
    return add_entry(db, Actor("staff", mentor.id), mentor.id, data, today=TODAY)


def test_an_entry_by_hand_awaits_confirmation_and_is_audited(db, mentor, match) -> None:
    saved = add(db, mentor, entry("1.5", match_id=match.id, category="correspondence",
                                  note="Two calls about the P.Eng. application"))
    db.commit()
    assert (saved.status, saved.hours, saved.category, saved.match_id) == (
        "pending", Decimal("1.5"), "correspondence", match.id)
    assert db.query(AuditEvent.action).scalar() == "hours.added"


@pytest.mark.parametrize(("data", "code", "field"), [
    (entry(worked_on=TODAY + timedelta(days=1)), "future", "worked_on"),
    (entry("0"), "not_positive", "hours"),
    (entry("-1"), "not_positive", "hours"),
    (entry("24.5"), "day_limit", "hours"),
    (entry(category="session"), "category", "category"),
])
def test_an_entry_breaking_a_rule_is_refused_on_its_field(db, mentor, data, code, field
                                                          ) -> None:
    with pytest.raises(HoursError) as refused:
        add(db, mentor, data)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message


def test_today_is_allowed(db, mentor) -> None:
    assert add(db, mentor, entry(worked_on=TODAY)).worked_on == TODAY


def test_no_more_than_24_hours_in_one_day_across_entries(db, mentor, factory, match) -> None:
    factory.hours(mentor, match, hours="10", worked_on=YESTERDAY, category="session",
                  status="confirmed")
    add(db, mentor, entry("8"))
    with pytest.raises(HoursError) as refused:
        add(db, mentor, entry("6.5"))
    assert refused.value.code == "day_limit" and refused.value.field == "hours"
    assert "6" in refused.value.message  # how many hours are left that day
    assert add(db, mentor, entry("6")).hours == Decimal("6")
    # Another day, and another person the same day, have their own 24 hours.
    assert add(db, mentor, entry("3", worked_on=YESTERDAY - timedelta(days=1)))
    other = factory.staff("Other mentor")
    assert add(db, other, entry("20"))


def test_rejected_hours_do_not_count_toward_the_day(db, mentor, factory) -> None:
    factory.hours(mentor, hours="20", worked_on=YESTERDAY, status="rejected")
    assert add(db, mentor, entry("20")).hours == Decimal("20")


def test_an_edit_keeps_the_earlier_values_and_who_changed_them(db, mentor, match) -> None:
    saved = add(db, mentor, entry("2", note="Draft"))
    db.commit()
    edit_entry(db, Actor("staff", mentor.id), mentor.id, saved.id,
               entry("3", worked_on=YESTERDAY - timedelta(days=2), note="Résumé review",
                     match_id=match.id), today=TODAY)
    db.commit()
    db.expire_all()
    changed = db.get(HoursEntry, saved.id)
    assert (changed.hours, changed.note, changed.match_id) == (
        Decimal("3"), "Résumé review", match.id)
    [before] = changed.revisions
    assert (before.hours, before.worked_on, before.note) == (Decimal("2"), YESTERDAY, "Draft")
    assert (before.actor_kind, before.actor_id) == ("staff", str(mentor.id))
    assert before.changed_at is not None


def test_an_edit_cannot_pass_the_day_limit_but_its_own_hours_do_not_count_twice(
        db, mentor) -> None:
    saved = add(db, mentor, entry("20"))
    add(db, mentor, entry("4"))
    with pytest.raises(HoursError):
        edit_entry(db, Actor("staff", mentor.id), mentor.id, saved.id, entry("21"),
                   today=TODAY)
    assert edit_entry(db, Actor("staff", mentor.id), mentor.id, saved.id, entry("19"),
                      today=TODAY).hours == Decimal("19")


def test_a_confirmed_entry_or_someone_elses_cannot_be_changed(db, mentor, factory) -> None:
    confirmed = factory.hours(mentor, status="confirmed")
    with pytest.raises(HoursError) as refused:
        edit_entry(db, Actor("staff", mentor.id), mentor.id, confirmed.id, entry("1"),
                   today=TODAY)
    assert refused.value.code == "settled"
    other = factory.staff("Someone else")
    with pytest.raises(HoursError) as refused:
        edit_entry(db, Actor("staff", other.id), other.id, confirmed.id, entry("1"),
                   today=TODAY)
    assert refused.value.code == "not_found"


def test_hours_can_only_be_logged_on_ones_own_match(db, factory, mentor) -> None:
    strangers = factory.match(factory.volunteer(factory.staff("Another mentor")))
    with pytest.raises(HoursError) as refused:
        add(db, mentor, entry(match_id=strangers.id))
    assert refused.value.field == "match_id"


def test_the_newcomer_confirms_only_the_hours_of_their_own_match(db, factory, mentor, match
                                                                 ) -> None:
    mine = add(db, mentor, entry(match_id=match.id))
    unrelated = add(db, mentor, entry("1"))
    other = factory.newcomer("Someone", "Else")
    assert pending_for_newcomer(db, match.newcomer_id) == [mine]
    with pytest.raises(HoursError) as refused:
        confirm_entry(db, Actor("newcomer", other.id), mine.id, newcomer_id=other.id)
    assert refused.value.code == "not_found"
    with pytest.raises(HoursError):
        confirm_entry(db, Actor("newcomer", match.newcomer_id), unrelated.id,
                      newcomer_id=match.newcomer_id)
    confirmed = confirm_entry(db, Actor("newcomer", match.newcomer_id), mine.id,
                              newcomer_id=match.newcomer_id)
    assert (confirmed.status, confirmed.confirmed_by_kind, confirmed.confirmed_by_id) == (
        "confirmed", "newcomer", match.newcomer_id)
    with pytest.raises(HoursError) as refused:
        confirm_entry(db, Actor("newcomer", match.newcomer_id), mine.id,
                      newcomer_id=match.newcomer_id)
    assert refused.value.code == "decided"


def test_a_coordinator_confirms_or_rejects_with_a_reason(db, factory, mentor) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    first, second = add(db, mentor, entry("1")), add(db, mentor, entry("2"))
    assert pending_entries(db, 1, 10) == ([first, second], 1)
    confirm_entry(db, Actor("staff", coordinator.id), first.id)
    with pytest.raises(HoursError) as refused:
        reject_entry(db, Actor("staff", coordinator.id), second.id, "  ")
    assert refused.value.field == "reason"
    rejected = reject_entry(db, Actor("staff", coordinator.id), second.id, "Same call twice")
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Same call twice")
    assert pending_entries(db, 1, 10) == ([], 1)
    # Corrected by the mentor, it awaits confirmation again.
    edited = edit_entry(db, Actor("staff", mentor.id), mentor.id, second.id, entry("1"),
                        today=TODAY)
    assert (edited.status, edited.rejection_reason) == ("pending", None)


def test_totals_and_progress_against_the_target(db, factory, mentor, match) -> None:
    factory.hours(mentor, match, hours="6", status="confirmed")
    factory.hours(mentor, match, hours="6", status="confirmed",
                  worked_on=YESTERDAY - timedelta(days=3))
    factory.hours(mentor, match, hours="2.5", status="pending",
                  worked_on=YESTERDAY - timedelta(days=4))
    factory.hours(mentor, hours="1", status="confirmed", worked_on=YESTERDAY - timedelta(days=5))
    factory.hours(mentor, hours="9", status="rejected", worked_on=YESTERDAY - timedelta(days=6))
    found = totals(db, mentor.id)
    assert (found.confirmed, found.pending, found.target) == (
        Decimal("13"), Decimal("2.5"), Decimal("24"))
    assert found.percent == 54
    [progress] = found.matches
    assert (progress.match_id, progress.confirmed, progress.target) == (
        match.id, Decimal("12"), Decimal("24"))


@pytest.mark.postgres
def test_two_entries_at_once_cannot_pass_24_hours_together(app, db, mentor, request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with --db=postgresql")
    from kit import get_state

    staff_id = mentor.id
    db.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def log_twenty() -> None:
        with app.test_request_context():
            session = get_state().db.session
            barrier.wait()
            try:
                add_entry(session, Actor("staff", staff_id), staff_id, entry("20"),
                          today=TODAY)
                # Hold the lock a moment, as a slow request would.
                time.sleep(0.2)
                session.commit()
                outcomes.append("saved")
            except HoursError as exc:
                session.rollback()
                outcomes.append(exc.code)
            finally:
                session.remove()

    threads = [threading.Thread(target=log_twenty) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["day_limit", "saved"]
    assert db.query(HoursEntry).count() == 1
