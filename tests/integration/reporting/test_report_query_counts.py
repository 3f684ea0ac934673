"""Each report asks the database the same few questions, whatever the size of the program."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from report_program import NOW, STALL_DAYS, TIMEZONE, build
from sqlalchemy import event

from factories import Factory
from kit.models import CheckIn, Outcome
from kit.reporting import (
    Page,
    ReportFilters,
    funnel_report,
    funnel_total,
    hours_report,
    hours_totals,
    matches_report,
    outcomes_report,
    satisfaction_report,
)

#: Report -> (how to run it, the statements it may issue).
REPORTS: dict[str, tuple[Callable[[Any, ReportFilters], object], int]] = {
    "hours page": (lambda db, f: hours_report(db, f, Page(1, 2)), 1),
    "hours file": (lambda db, f: hours_report(db, f, None), 1),
    "hours totals": (hours_totals, 1),
    "funnel": (lambda db, f: funnel_report(db, f, TIMEZONE), 2),
    "funnel total": (lambda db, f: funnel_total(db, f, TIMEZONE), 1),
    "matches": (lambda db, f: matches_report(db, f, Page(1, 2), now=NOW,
                                             stall_days=STALL_DAYS), 2),
    "outcomes": (lambda db, f: outcomes_report(db, f, TIMEZONE), 1),
    "satisfaction": (satisfaction_report, 2),
}
FILTERS = [ReportFilters(), ReportFilters(date_from=date(2026, 1, 1), department="Engineering",
                                          noc="21", session_type="one_on_one")]


def count(db, run: Callable[[Any, ReportFilters], object], f: ReportFilters) -> int:
    engine = db.get_bind()
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run(db, f)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def grow(db) -> None:
    """Five times more of everything a report counts, in the same departments."""
    make = Factory(db)
    agency = make.agency("Grown agency")
    for i in range(20):
        mentor = make.volunteer(make.staff(f"Grown mentor {i}", department="Engineering",
                                           directory_id=f"grown{i}",
                                           email=f"grown{i}@city.example"), noc_code="21300")
        newcomer = make.newcomer(f"Grown {i}", target_noc_code="21300")
        make.referral(newcomer, agency, status="accepted")
        match = make.match(mentor, newcomer, status="closed" if i % 2 else "active",
                           started_on=date(2026, 2, 1), closed_at=NOW - timedelta(days=30))
        session = make.session(match, starts_in=timedelta(days=-100), status="attended")
        make.session_type("one_on_one")
        make.hours(mentor.staff, match, hours="1.5", worked_on=date(2026, 3, 1))
        make.hours(mentor.staff, match, hours="2", worked_on=date(2026, 3, 2),
                   session_id=session.id, status="pending")
        db.add(CheckIn(match_id=match.id, respondent="mentor", period_start=date(2026, 3, 1),
                       satisfaction=1 + i % 5))
        db.add(Outcome(newcomer_id=newcomer.id, match_id=match.id, interval="close",
                       status="employed_related", actor_kind="staff",
                       employed_since=date(2026, 5, 1)))
    db.commit()


@pytest.mark.parametrize("f", FILTERS, ids=["unfiltered", "filtered"])
def test_every_report_issues_as_many_statements_for_a_larger_program(db, f):
    build(db)
    small = {name: count(db, run, f) for name, (run, _limit) in REPORTS.items()}
    grow(db)
    large = {name: count(db, run, f) for name, (run, _limit) in REPORTS.items()}
    assert large == small
    assert small == {name: limit for name, (_run, limit) in REPORTS.items()}
    assert hours_totals(db, ReportFilters()).confirmed > Decimal("13.00")  # it did grow
