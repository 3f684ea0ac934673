"""Every report's figures, computed by the database: GROUP BY, FILTER and window functions.

Each function issues a small, fixed number of statements whatever the size of the program
(no loop over rows in Python), on SQLite and PostgreSQL alike. ``page=None`` returns every row
of a long table (for the exports); a :class:`~kit.reporting.conditions.Page` returns one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from kit.models import (
    Agency,
    Cohort,
    Match,
    Newcomer,
    Outcome,
    Referral,
    SessionType,
    StaffMember,
)
from kit.models.hours_month import hours_of
from kit.reporting.conditions import (
    Page,
    between_moments,
    noc_within,
    pages_for,
)
from kit.reporting.filters import ReportFilters
from kit.reporting.hours_source import hours_rows

#: The filters each report applies; the others are not offered on its page.
PERIOD = {"date_from", "date_to"}
APPLIES: dict[str, frozenset[str]] = {
    "hours": frozenset({*PERIOD, "cohort_id", "department", "noc", "agency_id",
                        "session_type"}),
    "funnel": frozenset({*PERIOD, "cohort_id", "noc", "agency_id"}),
    "matches": frozenset({*PERIOD, "cohort_id", "department", "noc", "agency_id",
                          "session_type"}),
    "outcomes": frozenset({*PERIOD, "cohort_id", "department", "noc", "agency_id",
                           "session_type"}),
    "satisfaction": frozenset({*PERIOD, "cohort_id", "department", "noc", "agency_id",
                               "session_type"}),
}
FUNNEL_STAGES = ("referred", "accepted", "matched", "completed", "employed_in_field")


@dataclass(frozen=True)
class StaffHours:
    """One staff member's volunteer hours."""

    staff_id: int
    name: str
    department: str | None
    employee_number: str | None
    directory_id: str
    confirmed: Decimal
    pending: Decimal
    entries: int


@dataclass(frozen=True)
class DepartmentHours:
    """One department's volunteer hours."""

    department: str | None
    volunteers: int
    confirmed: Decimal
    pending: Decimal
    entries: int


@dataclass(frozen=True)
class HoursTotals:
    """The hours of everyone the filters keep."""

    volunteers: int = 0
    confirmed: Decimal = Decimal("0.00")
    pending: Decimal = Decimal("0.00")
    entries: int = 0


@dataclass(frozen=True)
class HoursReport:
    """Volunteer hours per department and per staff member (one page of them)."""

    totals: HoursTotals
    departments: list[DepartmentHours]
    staff: list[StaffHours]
    page: int
    pages: int


def _per_staff(f: ReportFilters) -> Any:
    """Each staff member's sums (hours in hundredths): the one pass that every hours figure
    starts from, over the monthly roll-up and the entries of the months the period covers in
    part (see :mod:`kit.reporting.hours_source`); grouping by the integer id first, then
    joining the people, keeps that pass lean."""
    rows = hours_rows(f)
    return (select(rows.c.staff_id.label("staff_id"),
                   func.sum(rows.c.confirmed).label("confirmed"),
                   func.sum(rows.c.pending).label("pending"),
                   func.sum(rows.c.entries).label("entries"))
            .group_by(rows.c.staff_id).subquery())


def hours_totals(db: Session, f: ReportFilters) -> HoursTotals:
    """The hours of everyone the filters keep, and how many people gave them (one query)."""
    per = _per_staff(f)
    row = db.execute(select(func.count(), func.sum(per.c.confirmed), func.sum(per.c.pending),
                            func.sum(per.c.entries))).one()
    return HoursTotals(row[0] or 0, hours_of(row[1]), hours_of(row[2]), int(row[3] or 0))


def hours_report(db: Session, f: ReportFilters, page: Page | None) -> HoursReport:
    """Volunteer hours per department and per staff member, most hours first (one query).

    The departments and the page of staff members come from one statement (``UNION ALL`` of
    two uses of one common table expression), so the hours are read once, not twice.
    """
    per = _per_staff(f)
    people = (select(StaffMember.id, StaffMember.display_name.label("name"),
                     StaffMember.department, StaffMember.employee_number,
                     StaffMember.directory_id, per.c.confirmed, per.c.pending, per.c.entries)
              .join(per, per.c.staff_id == StaffMember.id).cte("people"))
    departments = (select(literal(0).label("kind"), people.c.department,
                          null().label("id"), null().label("name"), null().label("number"),
                          null().label("directory"), func.sum(people.c.confirmed),
                          func.sum(people.c.pending), func.sum(people.c.entries),
                          func.count().label("total"))
                   .group_by(people.c.department))
    # Count the staff members before LIMIT with a window function.
    staff = (select(literal(1).label("kind"), people.c.department, people.c.id,
                    people.c.name, people.c.employee_number, people.c.directory_id,
                    people.c.confirmed, people.c.pending, people.c.entries,
                    func.count().over().label("total"))
             .order_by(people.c.confirmed.desc(), people.c.name, people.c.id))
    if page is not None:
        staff = staff.limit(page.size).offset(page.offset)
    both = union_all(departments, select(staff.subquery())).subquery()
    rows = db.execute(select(both).order_by(
        both.c.kind, both.c[6].desc(), both.c.name, both.c.id,
        both.c.department.nulls_last())).all()
    department_rows = [row for row in rows if row[0] == 0]  # at most a few hundred
    staff_rows = [row for row in rows if row[0] == 1]
    totals = HoursTotals(
        sum(row[9] for row in department_rows),
        hours_of(sum(int(row[6] or 0) for row in department_rows)),
        hours_of(sum(int(row[7] or 0) for row in department_rows)),
        int(sum(row[8] or 0 for row in department_rows)))
    staff_count = staff_rows[0][9] if staff_rows else totals.volunteers
    size = page.size if page else max(staff_count, 1)
    return HoursReport(
        totals=totals,
        departments=[DepartmentHours(row[1], row[9], hours_of(row[6]), hours_of(row[7]),
                                     int(row[8] or 0)) for row in department_rows],
        staff=[StaffHours(row[2], row[3], row[1], row[4], row[5], hours_of(row[6]),
                          hours_of(row[7]), int(row[8])) for row in staff_rows],
        page=page.number if page else 1,
        pages=pages_for(staff_count, size),
    )


@dataclass(frozen=True)
class FunnelRow:
    """How far one agency's newcomers went (``agency`` None: every agency together)."""

    agency_id: int | None
    agency: str | None
    referred: int
    accepted: int
    matched: int
    completed: int
    employed_in_field: int

    def stage(self, name: str) -> int:
        """The count at one stage of :data:`FUNNEL_STAGES`."""
        return int(getattr(self, name))

    def share(self, name: str) -> float | None:
        """The stage as a percentage of the newcomers referred (None when none was)."""
        return round(self.stage(name) * 100 / self.referred, 1) if self.referred else None


@dataclass(frozen=True)
class FunnelReport:
    """The referral funnel per agency and for the whole program."""

    agencies: list[FunnelRow]
    total: FunnelRow


def _funnel_query(f: ReportFilters, timezone: str, *group: object) -> Select[tuple[object, ...]]:
    # Per newcomer: did a match start, did one complete, was the newcomer employed in field.
    progress = (select(Match.newcomer_id.label("newcomer_id"),
                       func.max(case((Match.status.in_(("active", "closed")), 1), else_=0))
                       .label("matched"),
                       func.max(case((and_(Match.status == "closed",
                                           Match.close_reason == "completed"), 1), else_=0))
                       .label("completed"))
                .group_by(Match.newcomer_id).subquery())
    employed = (select(Outcome.newcomer_id.label("newcomer_id"), literal(1).label("employed"))
                .where(Outcome.status == "employed_in_field")
                .group_by(Outcome.newcomer_id).subquery())
    accepted = Referral.status == "accepted"
    newcomer = Referral.newcomer_id

    def reached(condition: object) -> object:
        # A newcomer referred twice counts once: the funnel counts people, not papers.
        return func.count(case((condition, newcomer)).distinct())

    query = (select(*group, func.count(newcomer.distinct()), reached(accepted),
                    reached(and_(accepted, progress.c.matched == 1)),
                    reached(and_(accepted, progress.c.completed == 1)),
                    reached(and_(accepted, progress.c.completed == 1,
                                 employed.c.employed == 1)))
             .select_from(Referral)
             .outerjoin(progress, progress.c.newcomer_id == newcomer)
             .outerjoin(employed, employed.c.newcomer_id == newcomer)
             .where(Referral.status != "draft",
                    between_moments(Referral.submitted_at, f, timezone)))
    if f.cohort_id is not None:
        query = query.where(Referral.cohort_id == f.cohort_id)
    if f.agency_id is not None:
        query = query.where(Referral.agency_id == f.agency_id)
    if f.noc is not None:
        query = query.join(Newcomer, Newcomer.id == newcomer).where(
            noc_within(Newcomer.target_noc_code, f.noc))
    return query


def funnel_total(db: Session, f: ReportFilters, timezone: str) -> FunnelRow:
    """The funnel of the whole program (one query)."""
    return FunnelRow(None, None, *db.execute(_funnel_query(f, timezone)).one())


def funnel_report(db: Session, f: ReportFilters, timezone: str) -> FunnelReport:
    """Referred, accepted, matched, completed, employed in field: per agency (two queries).

    Each stage counts the newcomers of the stage before who went on; the program's total
    counts a newcomer referred by two agencies once.
    """
    rows = db.execute(
        _funnel_query(f, timezone, Agency.id, Agency.name)
        .join(Agency, Agency.id == Referral.agency_id)
        .group_by(Agency.id, Agency.name).order_by(Agency.name)
    ).all()
    return FunnelReport([FunnelRow(*row) for row in rows], funnel_total(db, f, timezone))



@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers: cohorts, departments, agencies and session types."""

    cohorts: list[tuple[int, str]]
    departments: list[str]
    agencies: list[tuple[int, str]]
    session_types: list[str]


def filter_choices(db: Session) -> FilterChoices:
    """The values each filter can take, from the program's own records (four queries)."""
    return FilterChoices(
        cohorts=[(i, n) for i, n in db.execute(
            select(Cohort.id, Cohort.name).order_by(Cohort.starts_on.desc(), Cohort.name))],
        departments=list(db.scalars(
            select(StaffMember.department).where(StaffMember.department.is_not(None))
            .distinct().order_by(StaffMember.department))),
        agencies=[(i, n) for i, n in db.execute(
            select(Agency.id, Agency.name).order_by(Agency.name))],
        session_types=list(db.scalars(select(SessionType.code).order_by(SessionType.id))),
    )
