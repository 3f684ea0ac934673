"""What keeps the monthly roll-up of hours true besides the services: moves, refusals, repair.

Sessions and matches that change or go move their entries' hours; bulk statements that the
roll-up would miss are refused; a roll-up put out of step by SQL says so, and the
``flask kit reports`` commands find and repair it; two people confirming hours of the same
month at once both count (PostgreSQL); the migration fills the roll-up from existing entries.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, delete, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from kit import migrations
from kit.models import (
    BulkHoursWriteError,
    HoursEntry,
    HoursMonth,
    MentoringSession,
    SessionType,
    StaffMember,
)
from kit.models.hours_tracking import RollupOutOfStep
from kit.services.attendance import mark_attendance
from kit.services.audit import Actor
from kit.services.hours import confirm_entry
from kit.services.hours_rollup import differences

MONTH = date.today().replace(day=1)


def rollup(db) -> list[tuple]:
    """The roll-up's rows: staff, month, match, session type, confirmed and pending sums."""
    db.expire_all()
    return [(r.staff_id, r.month, r.match_id, r.session_type_id, r.confirmed_hundredths,
             r.confirmed_entries, r.pending_hundredths, r.pending_entries)
            for r in db.scalars(select(HoursMonth).order_by(
                HoursMonth.staff_id, HoursMonth.month, HoursMonth.match_id,
                HoursMonth.session_type_id))]


@pytest.fixture
def mentor(factory):
    return factory.volunteer(factory.staff("Ana Lima"))


@pytest.fixture
def match(factory, mentor):
    return factory.match(mentor)


def test_a_session_that_changes_type_or_goes_moves_its_hours(db, factory, mentor, match):
    session = factory.session(match, starts_in=timedelta(days=-1))
    mark_attendance(db, Actor("staff", mentor.staff_id), session.id,
                    {a.id: True for a in session.attendees})
    db.commit()
    entry = db.scalars(select(HoursEntry)).one()
    key = (mentor.staff_id, entry.worked_on.replace(day=1), match.id)
    shadowing = session.session_type_id
    assert rollup(db) == [(*key, shadowing, 0, 0, 200, 1)]

    session.session_type = factory.session_type("workplace_tour")
    db.commit()
    assert rollup(db) == [(*key, session.session_type_id, 0, 0, 200, 1)]

    db.delete(session)  # the database sets the entry's session to NULL
    db.commit()
    assert db.get(HoursEntry, entry.id).session_id is None
    assert rollup(db) == [(*key, 0, 0, 0, 200, 1)]
    assert differences(db) == []


def test_a_deleted_match_leaves_its_hours_without_a_match(db, factory, mentor, match):
    factory.hours(mentor.staff, match, hours="1.5", worked_on=MONTH)
    factory.hours(mentor.staff, None, hours="2", worked_on=MONTH, status="pending")
    db.commit()
    db.delete(match)
    db.commit()
    assert rollup(db) == [(mentor.staff_id, MONTH, 0, 0, 150, 1, 200, 1)]
    assert differences(db) == []


def test_a_month_without_hours_leaves_no_row_and_its_person_can_go(db, factory):
    colleague = factory.staff("Ben Okafor")
    entry = factory.hours(colleague, hours="3", worked_on=MONTH)
    db.commit()
    assert len(rollup(db)) == 1
    db.delete(entry)
    db.commit()
    assert rollup(db) == []
    db.delete(colleague)  # nothing of theirs is left to hold them back
    db.commit()
    assert db.get(StaffMember, colleague.id) is None


@pytest.mark.parametrize("statement", [
    update(HoursEntry).values(status="confirmed"),
    delete(HoursEntry),
    insert(HoursEntry).values(staff_id=1, worked_on=MONTH, hours=1, category="other"),
], ids=["update", "delete", "insert"])
def test_bulk_statements_on_entries_are_refused(db, factory, mentor, statement):
    factory.hours(mentor.staff, status="pending")
    db.commit()
    with pytest.raises(BulkHoursWriteError, match="monthly roll-up"):
        db.execute(statement)
    db.rollback()
    assert rollup(db)[0][4:] == (0, 0, 200, 1)


def test_a_roll_up_out_of_step_refuses_to_count_wrong(db, factory, mentor, match):
    entry = factory.hours(mentor.staff, match, status="pending")
    db.commit()
    db.execute(text("DELETE FROM kit_hours_month"))  # someone's "cleanup" in SQL
    db.commit()
    with pytest.raises(RollupOutOfStep, match="rebuild-rollup"):
        confirm_entry(db, Actor("staff", 1), entry.id)
    db.rollback()


def test_the_commands_find_a_roll_up_out_of_step_and_rebuild_it(db, factory, runner, mentor,
                                                                 match):
    for day, hours, status in ((1, "2", "confirmed"), (2, "1.25", "pending"),
                               (3, "4", "rejected"), (4, "0.5", "confirmed")):
        factory.hours(mentor.staff, match, hours=hours, status=status,
                      worked_on=MONTH - timedelta(days=day))
    db.commit()
    good = rollup(db)
    check = runner.invoke(args=["kit", "reports", "check-rollup"])
    assert (check.exit_code, check.output.splitlines()[-1]) == (
        0, "The monthly roll-up of hours matches the entries.")

    db.execute(text("UPDATE kit_hours_month SET confirmed_hundredths = confirmed_entries"))
    db.execute(text("INSERT INTO kit_hours_month VALUES (:staff, '2020-01-01', 0, 0, 0, 0, 5, 1)"),
               {"staff": mentor.staff_id})
    db.commit()
    check = runner.invoke(args=["kit", "reports", "check-rollup"])
    assert check.exit_code == 1
    assert f"staff {mentor.staff_id}, 2020-01, match 0, session type 0: roll-up 0.00 h " \
           "confirmed in 0 entries, 0.05 h pending in 1; entries none" in check.output
    assert "2 rows of the roll-up differ from the entries" in check.output
    assert "flask kit reports rebuild-rollup" in check.output

    rebuilt = runner.invoke(args=["kit", "reports", "rebuild-rollup"])
    assert rebuilt.exit_code == 0
    assert rebuilt.output == f"Rebuilt the monthly roll-up of hours: {len(good)} rows.\n"
    assert rollup(db) == good
    assert runner.invoke(args=["kit", "reports", "check-rollup"]).exit_code == 0


@pytest.mark.postgres
def test_two_confirmations_of_the_same_month_at_once_both_count(app, db, factory, mentor,
                                                                  match, request):
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; run with --db=postgresql")
    from kit import get_state

    ids = [factory.hours(mentor.staff, match, hours=h, status="pending", worked_on=MONTH).id
           for h in ("1.5", "2.25")]
    db.commit()
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def confirm(entry_id: int) -> None:
        with app.app_context():
            session = get_state().db.session
            try:
                barrier.wait()
                confirm_entry(session, Actor("staff", 1), entry_id)
                time.sleep(0.2)  # hold the roll-up row, as a slow request would
                session.commit()
            except BaseException as exc:  # reported below, in the test's thread
                failures.append(exc)
            finally:
                session.remove()

    threads = [threading.Thread(target=confirm, args=(entry_id,)) for entry_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert rollup(db) == [(mentor.staff_id, MONTH, match.id, 0, 375, 2, 0, 0)]


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A fresh, empty database on each engine (SQLite, then PostgreSQL)."""
    return empty_engine


def test_the_migration_fills_the_roll_up_from_the_entries_already_there(engine):
    migrations.upgrade(engine, "0006")
    with Session(engine) as db:
        ana = StaffMember(directory_id="ana", email="ana@city.example", display_name="Ana")
        tour = SessionType(code="workplace_tour", default_minutes=60)
        db.add_all([ana, tour])
        db.flush()
        start = datetime(2026, 3, 31, 22, tzinfo=UTC)
        event = MentoringSession(session_type_id=tour.id, organizer_id=ana.id, starts_at=start,
                                 ends_at=start + timedelta(hours=1), status="attended")
        db.add(event)
        db.flush()
        rows = [(date(2026, 3, 31), "0.29", "confirmed", event.id),
                (date(2026, 3, 1), "0.1", "confirmed", None),
                (date(2026, 3, 2), "0.2", "confirmed", None),
                (date(2026, 3, 3), "24", "pending", None),
                (date(2026, 4, 1), "3", "rejected", None),
                (date(2026, 4, 2), "1.75", "pending", None)]
        # Written as the kit of revision 0006 would have: no roll-up to follow yet.
        db.execute(insert(HoursEntry.__table__), [
            {"staff_id": ana.id, "worked_on": day, "hours": Decimal(hours), "status": status,
             "session_id": session_id, "category": "other"}
            for day, hours, status, session_id in rows])
        db.commit()
        ana_id, tour_id = ana.id, tour.id

    migrations.upgrade(engine)
    with Session(engine) as db:
        assert rollup(db) == [
            (ana_id, date(2026, 3, 1), 0, 0, 30, 2, 2400, 1),
            (ana_id, date(2026, 3, 1), 0, tour_id, 29, 1, 0, 0),
            (ana_id, date(2026, 4, 1), 0, 0, 0, 0, 175, 1)]
        assert differences(db) == []

    migrations.downgrade(engine, "0006")
    assert "kit_hours_month" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM kit_hours_entry")) == len(rows)
