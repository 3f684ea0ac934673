"""Cohorts: the default cohort of a day, setting cohorts up, counts, and who is in which.

A newly accepted newcomer lands in a cohort and in that cohort's batch matching.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from kit import get_state
from kit.models import AuditEvent, Cohort, Referral
from kit.services.audit import Actor
from kit.services.cohorts import (
    CohortError,
    CohortInput,
    create_cohort,
    default_cohort,
    list_cohorts,
    move_referral,
    program_day,
    set_cohort_open,
    update_cohort,
)
from kit.services.matching import run_batch
from kit.services.referrals import ReferralError, decide_referral

DAY = date(2027, 10, 15)
FALL = CohortInput("Fall 2027", date(2027, 9, 1), date(2027, 12, 31), Decimal(24))


@pytest.fixture
def coordinator(factory, db) -> Actor:
    staff = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    return Actor("staff", staff.id)


def cohort(factory, name: str, starts_on: date, ends_on: date, **fields) -> Cohort:
    return factory.cohort(name, starts_on=starts_on, ends_on=ends_on, **fields)


def audit(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id)))


# -- the default cohort of a day -------------------------------------------------------------

def test_the_default_is_the_open_cohort_running_that_day(factory, db) -> None:
    cohort(factory, "Spring 2027", date(2027, 3, 1), date(2027, 6, 30))
    fall = cohort(factory, "Fall 2027", date(2027, 9, 1), date(2027, 12, 31))
    cohort(factory, "Winter 2028", date(2028, 1, 1), date(2028, 4, 30))
    assert default_cohort(db, DAY) == fall
    # Both ends count as inside the cycle.
    assert default_cohort(db, date(2027, 9, 1)) == fall
    assert default_cohort(db, date(2027, 12, 31)) == fall


def test_of_two_running_cohorts_the_later_start_wins(factory, db) -> None:
    cohort(factory, "Fall 2027", date(2027, 9, 1), date(2027, 12, 31))
    late = cohort(factory, "Fall 2027 late intake", date(2027, 10, 1), date(2028, 1, 31))
    assert default_cohort(db, DAY) == late


def test_without_a_running_cohort_the_next_open_one_starting_soonest(factory, db) -> None:
    cohort(factory, "Fall 2027", date(2027, 9, 1), date(2027, 12, 31), is_open=False)
    cohort(factory, "Spring 2028", date(2028, 3, 1), date(2028, 6, 30))
    winter = cohort(factory, "Winter 2028", date(2028, 1, 1), date(2028, 4, 30))
    cohort(factory, "Winter 2028 (closed)", date(2027, 11, 1), date(2028, 2, 28),
           is_open=False)
    assert default_cohort(db, DAY) == winter


def test_no_default_when_every_open_cohort_is_over(factory, db) -> None:
    assert default_cohort(db, DAY) is None
    cohort(factory, "Spring 2027", date(2027, 3, 1), date(2027, 6, 30))
    cohort(factory, "Fall 2027", date(2027, 9, 1), date(2027, 12, 31), is_open=False)
    assert default_cohort(db, DAY) is None


@pytest.mark.kit_config(KIT_TIMEZONE="America/Vancouver")
def test_the_day_is_the_employers_day(app) -> None:
    with app.app_context():
        # 5 a.m. in London on New Year's Day is still New Year's Eve in Vancouver.
        assert program_day(datetime(2027, 1, 1, 5, 0, tzinfo=UTC)) == date(2026, 12, 31)


# -- setting cohorts up ---------------------------------------------------------------------

def test_a_cohort_is_created_and_recorded(db, coordinator) -> None:
    created = create_cohort(db, coordinator, CohortInput(
        "  Fall   2027 ", date(2027, 9, 1), date(2027, 12, 31), Decimal("24.5")))
    db.commit()
    assert (created.name, created.target_hours, created.is_open) == (
        "Fall 2027", Decimal("24.5"), True)
    [event_] = audit(db, "cohort.created")
    assert event_.subject_id == str(created.id) and event_.actor_id == str(coordinator.id)
    assert event_.details == {"name": "Fall 2027", "starts_on": "2027-09-01",
                              "ends_on": "2027-12-31", "target_hours": "24.50"}


@pytest.mark.parametrize(("data", "code", "field"), [
    (CohortInput("  ", FALL.starts_on, FALL.ends_on, Decimal(24)), "name_required", "name"),
    (CohortInput("x" * 101, FALL.starts_on, FALL.ends_on, Decimal(24)), "name_too_long",
     "name"),
    (CohortInput("Fall", None, FALL.ends_on, Decimal(24)), "start_required", "starts_on"),
    (CohortInput("Fall", FALL.starts_on, None, Decimal(24)), "end_required", "ends_on"),
    (CohortInput("Fall", FALL.ends_on, FALL.starts_on, Decimal(24)), "dates_order", "ends_on"),
    (CohortInput("Fall", FALL.starts_on, FALL.starts_on, Decimal(24)), "dates_order",
     "ends_on"),
    (CohortInput("Fall", FALL.starts_on, FALL.ends_on, Decimal(0)), "target_not_positive",
     "target_hours"),
    (CohortInput("Fall", FALL.starts_on, FALL.ends_on, Decimal(-3)), "target_not_positive",
     "target_hours"),
    (CohortInput("Fall", FALL.starts_on, FALL.ends_on, Decimal("NaN")), "target_not_positive",
     "target_hours"),
    (CohortInput("Fall", FALL.starts_on, FALL.ends_on, None), "target_not_positive",
     "target_hours"),
    (CohortInput("Fall", FALL.starts_on, FALL.ends_on, Decimal("500.01")), "target_too_high",
     "target_hours"),
])
def test_bad_input_is_refused_with_the_field_to_blame(db, coordinator, data, code,
                                                      field) -> None:
    with pytest.raises(CohortError) as refused:
        create_cohort(db, coordinator, data)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message  # a sentence for the form, not a code
    db.rollback()
    assert db.scalars(select(Cohort)).all() == [] and audit(db, "cohort.created") == []


def test_names_are_unique_whatever_their_case(db, coordinator, factory) -> None:
    factory.cohort("Fall 2027")
    winter = factory.cohort("Winter 2028")
    db.commit()
    with pytest.raises(CohortError, match="name_taken"):
        create_cohort(db, coordinator, replace(FALL, name="fall 2027"))
    db.rollback()
    with pytest.raises(CohortError, match="name_taken") as refused:
        update_cohort(db, coordinator, winter.id, replace(FALL, name="FALL 2027"))
    assert refused.value.field == "name"
    db.rollback()
    assert db.get(Cohort, winter.id).name == "Winter 2028"
    # Keeping its own name is no clash.
    update_cohort(db, coordinator, winter.id, replace(FALL, name="Winter 2028"))


def test_a_change_is_recorded_with_what_it_was(db, coordinator, factory) -> None:
    fall = create_cohort(db, coordinator, FALL)
    db.commit()
    update_cohort(db, coordinator, fall.id, CohortInput(
        "Fall 2027", FALL.starts_on, date(2028, 1, 15), Decimal(30)))
    db.commit()
    assert (fall.ends_on, fall.target_hours) == (date(2028, 1, 15), Decimal(30))
    [changed] = audit(db, "cohort.updated")
    assert changed.details == {
        "before": {"ends_on": "2027-12-31", "target_hours": "24.00"},
        "after": {"ends_on": "2028-01-15", "target_hours": "30.00"}}
    update_cohort(db, coordinator, fall.id, CohortInput(
        "Fall 2027", FALL.starts_on, date(2028, 1, 15), Decimal(30)))
    assert len(audit(db, "cohort.updated")) == 1  # nothing changed, nothing recorded
    with pytest.raises(CohortError, match="not_found"):
        update_cohort(db, coordinator, 9999, FALL)


def test_closing_and_reopening(db, coordinator, factory) -> None:
    fall = cohort(factory, "Fall 2027", date(2027, 9, 1), date(2027, 12, 31))
    db.commit()
    set_cohort_open(db, coordinator, fall.id, False)
    set_cohort_open(db, coordinator, fall.id, False)  # already closed: nothing to record
    db.commit()
    assert not fall.is_open and default_cohort(db, DAY) is None
    set_cohort_open(db, coordinator, fall.id, True)
    db.commit()
    assert fall.is_open and default_cohort(db, DAY) == fall
    assert [e.action for e in audit(db, "cohort.closed") + audit(db, "cohort.reopened")] == [
        "cohort.closed", "cohort.reopened"]
    with pytest.raises(CohortError, match="not_found"):
        set_cohort_open(db, coordinator, 9999, False)


def test_the_list_counts_newcomers_and_matches_in_one_statement(db, factory) -> None:
    fall = cohort(factory, "Fall 2027", date(2027, 9, 1), date(2027, 12, 31))
    spring = cohort(factory, "Spring 2028", date(2028, 3, 1), date(2028, 6, 30))
    waiting = factory.accepted_newcomer("Waiting", fall)
    matched = factory.accepted_newcomer("Matched", fall)
    factory.match(newcomer=matched, cohort_id=fall.id)
    declined = factory.accepted_newcomer("Declined once", fall)
    factory.match(newcomer=declined, status="declined", cohort_id=fall.id)
    gone = factory.accepted_newcomer("Erased", fall)
    gone.erased_at = datetime.now(UTC)
    factory.referral(factory.newcomer("Submitted"), cohort_id=fall.id)  # not accepted yet
    factory.referral(waiting, status="accepted", cohort_id=fall.id)  # referred twice
    db.commit()
    engine = get_state().db.engine
    statements: list[str] = []

    def count(*_args) -> None:
        statements.append("x")

    event.listen(engine, "before_cursor_execute", count)
    try:
        rows = list_cohorts(db)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert [(r.name, r.newcomers, r.waiting, r.matches) for r in rows] == [
        ("Spring 2028", 0, 0, 0), ("Fall 2027", 3, 2, 1)]
    assert rows[1].id == fall.id and rows[0].id == spring.id


# -- accepting a referral into a cohort ---------------------------------------------------

@pytest.fixture
def current(factory, db) -> Cohort:
    """The cohort running today, and a civil engineer volunteering as a mentor."""
    running = factory.cohort("Current", starts_on=date.today() - timedelta(days=10))
    factory.volunteer(factory.staff("Marie Tremblay"), noc_code="21300", capacity=2)
    db.commit()
    return running


def submitted(factory) -> Referral:
    newcomer = factory.newcomer("Lan", "Nguyen", target_noc_code=factory.occupation("21300").code)
    return factory.referral(newcomer)


def test_an_accepted_newcomer_joins_the_days_cohort_and_its_batch(db, factory, coordinator,
                                                                 current) -> None:
    assert run_batch(db, current.id).pairs == []
    referral = submitted(factory)
    db.commit()
    decide_referral(db, coordinator, referral_id=referral.id, accept=True)
    db.commit()
    assert referral.cohort_id == current.id
    assert audit(db, "referral.accepted")[0].details == {"reasons": [],
                                                         "cohort_id": current.id}
    batch = run_batch(db, current.id)
    assert [(p.newcomer.name, p.mentor.name) for p in batch.pairs] == [
        ("Lan Nguyen", "Marie Tremblay")]


def test_the_coordinator_chooses_another_cohort_or_none(db, factory, coordinator,
                                                        current) -> None:
    later = factory.cohort("Later", starts_on=date.today() + timedelta(days=60))
    first, second = submitted(factory), submitted(factory)
    db.commit()
    decide_referral(db, coordinator, referral_id=first.id, accept=True, cohort_id=later.id)
    decide_referral(db, coordinator, referral_id=second.id, accept=True, cohort_id=None)
    db.commit()
    assert (first.cohort_id, second.cohort_id) == (later.id, None)
    assert [p.newcomer.newcomer_id for p in run_batch(db, later.id).pairs] == [
        first.newcomer_id]
    assert run_batch(db, current.id).pairs == []


def test_a_closed_or_unknown_cohort_is_refused_and_nothing_changes(db, factory, coordinator,
                                                                   current) -> None:
    closed = factory.cohort("Closed", is_open=False)
    referral = submitted(factory)
    db.commit()
    for cohort_id in (closed.id, 9999):
        with pytest.raises(ReferralError, match="cohort_unavailable"):
            decide_referral(db, coordinator, referral_id=referral.id, accept=True,
                            cohort_id=cohort_id)
        db.rollback()
        assert referral.status == "submitted" and referral.cohort_id is None
    # Referring back takes no cohort.
    decide_referral(db, coordinator, referral_id=referral.id, accept=False,
                    reason_codes=["other"], cohort_id=closed.id)
    assert referral.cohort_id is None


def test_without_an_open_cohort_the_newcomer_waits_in_none(db, factory, coordinator) -> None:
    factory.cohort("Closed", is_open=False)
    referral = submitted(factory)
    db.commit()
    decide_referral(db, coordinator, referral_id=referral.id, accept=True)
    assert referral.status == "accepted" and referral.cohort_id is None


# -- moving an accepted newcomer ----------------------------------------------------------

def test_an_accepted_newcomer_moves_until_a_mentor_is_proposed(db, factory, coordinator,
                                                              current) -> None:
    later = factory.cohort("Later", starts_on=date.today() + timedelta(days=60))
    referral = submitted(factory)
    db.commit()
    decide_referral(db, coordinator, referral_id=referral.id, accept=True)
    move_referral(db, coordinator, referral.id, later.id)
    db.commit()
    assert referral.cohort_id == later.id
    assert run_batch(db, current.id).pairs == [] and run_batch(db, later.id).pairs
    [moved] = audit(db, "referral.cohort_changed")
    assert moved.details == {"from_cohort_id": current.id, "to_cohort_id": later.id}
    move_referral(db, coordinator, referral.id, None)
    move_referral(db, coordinator, referral.id, None)  # already in none: nothing to record
    db.commit()
    assert referral.cohort_id is None and len(audit(db, "referral.cohort_changed")) == 2

    later.is_open = False
    db.commit()
    with pytest.raises(CohortError, match="cohort_unavailable") as refused:
        move_referral(db, coordinator, referral.id, later.id)
    assert refused.value.field == "cohort"
    db.rollback()
    factory.match(newcomer=referral.newcomer, status="proposed")
    db.commit()
    with pytest.raises(CohortError, match="has_open_match"):
        move_referral(db, coordinator, referral.id, current.id)
    db.rollback()
    assert referral.cohort_id is None


def test_only_an_accepted_referral_moves(db, factory, coordinator, current) -> None:
    referral = submitted(factory)
    db.commit()
    with pytest.raises(CohortError, match="not_accepted"):
        move_referral(db, coordinator, referral.id, current.id)
    with pytest.raises(CohortError, match="not_found"):
        move_referral(db, coordinator, 9999, current.id)


@pytest.mark.postgres
def test_two_coordinators_naming_two_cohorts_alike_at_once(app, db, coordinator,
                                                           request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; run with --db=postgresql")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create() -> None:
        with app.app_context():
            session = get_state().db.session
            barrier.wait()
            try:
                create_cohort(session, coordinator, FALL)
                session.commit()
                outcomes.append("created")
            except CohortError as exc:
                session.rollback()
                outcomes.append(exc.code)
            finally:
                session.remove()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "name_taken"]
    assert [c.name for c in db.scalars(select(Cohort))] == ["Fall 2027"]
    assert len(audit(db, "cohort.created")) == 1
