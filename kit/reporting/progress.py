"""How the matches go: active and stalled matches, outcomes at each interval, satisfaction.

Like :mod:`kit.reporting.queries`, every figure is an aggregate computed by the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from kit.models import (
    CheckIn,
    Match,
    MentoringSession,
    Newcomer,
    Outcome,
    StaffMember,
    VolunteerProfile,
)
from kit.models.outcomes import OUTCOME_INTERVALS, OUTCOME_STATUSES
from kit.reporting.conditions import (
    Page,
    as_float,
    between_days,
    between_moments,
    days_between,
    match_conditions,
    pages_for,
    percent,
    rounded,
)
from kit.reporting.filters import ReportFilters

SCORES = (1, 2, 3, 4, 5)
WAITING = ("proposed", "mentor_accepted")


def _from_matches(query: Select[tuple[object, ...]], f: ReportFilters, match_id: object | None,
                  people: bool = False) -> Select[tuple[object, ...]]:
    """Join a match to ``query`` (unless it selects from matches: ``match_id`` None) and apply
    the match filters. The mentor and the newcomer are joined when ``people`` is asked for or
    a filter needs them: on a million rows every join left out counts."""
    if match_id is not None:
        query = query.join(Match, Match.id == match_id)
    if people or f.department is not None:
        query = (query.join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
                 .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id))
    if people or f.noc is not None:
        query = query.join(Newcomer, Newcomer.id == Match.newcomer_id)
    return query.where(*match_conditions(f, match=Match, newcomer=Newcomer,
                                         department=StaffMember.department))


@dataclass(frozen=True)
class DepartmentMatches:
    """The matches of one department's mentors."""

    department: str | None
    waiting: int
    active: int
    stalled: int
    closed: int


@dataclass(frozen=True)
class StalledMatch:
    """An active match without a session for too long."""

    match_id: int
    newcomer_id: int
    mentor: str
    department: str | None
    newcomer: str
    started_on: date | None
    last_session: datetime | None


@dataclass(frozen=True)
class MatchesReport:
    """Matches per department, the program's totals and one page of stalled matches."""

    stall_days: int
    departments: list[DepartmentMatches]
    totals: DepartmentMatches
    stalled: list[StalledMatch]
    page: int
    pages: int


def _is_stalled(now: datetime, stall_days: int, last_met: object) -> ColumnElement[bool]:
    cutoff = now - timedelta(days=stall_days)
    # A match that never met counts from its start; one without a start date has stalled.
    return and_(Match.status == "active", or_(
        last_met < cutoff,
        and_(last_met.is_(None), or_(Match.started_on.is_(None),
                                     Match.started_on < cutoff.date()))))


def matches_report(db: Session, f: ReportFilters, page: Page | None, *, now: datetime,
                   stall_days: int) -> MatchesReport:
    """Matches waiting, active, stalled and closed per department; stalled ones listed.

    A match has stalled when it is active and no session (other than cancelled ones and
    no-shows) was held or is scheduled since ``stall_days`` days ago (``KIT_STALL_DAYS``).
    The period keeps the matches started in it. Two queries.
    """
    last = (select(MentoringSession.match_id.label("match_id"),
                   func.max(MentoringSession.starts_at).label("last_met"))
            .where(MentoringSession.match_id.is_not(None),
                   MentoringSession.status.not_in(("cancelled", "no_show")))
            .group_by(MentoringSession.match_id).subquery())
    stalled = _is_stalled(now, stall_days, last.c.last_met)

    def base(*columns: object) -> Select[tuple[object, ...]]:
        query = _from_matches(select(*columns).select_from(Match), f, None, people=True)
        return (query.outerjoin(last, last.c.match_id == Match.id)
                .where(between_days(Match.started_on, f)))

    counts = (func.count().filter(Match.status.in_(WAITING)),
              func.count().filter(Match.status == "active"), func.count().filter(stalled),
              func.count().filter(Match.status == "closed"))
    rows = db.execute(
        base(StaffMember.department, *counts,
             *(func.sum(count).over() for count in counts))
        .group_by(StaffMember.department)
        .order_by(counts[1].desc(), StaffMember.department.nulls_last())
    ).all()
    listed = (base(Match.id, Newcomer.id, StaffMember.display_name, StaffMember.department,
                   Newcomer.preferred_name, Newcomer.given_name, Newcomer.family_name,
                   Match.started_on, last.c.last_met, func.count().over())
              .where(stalled)
              .order_by(last.c.last_met.nulls_first(), Match.started_on, Match.id))
    if page is not None:
        listed = listed.limit(page.size).offset(page.offset)
    stalled_rows = db.execute(listed).all()
    total = stalled_rows[0][-1] if stalled_rows else 0
    sums = rows[0][5:] if rows else (0, 0, 0, 0)
    return MatchesReport(
        stall_days=stall_days,
        departments=[DepartmentMatches(row[0], *row[1:5]) for row in rows],
        totals=DepartmentMatches(None, *(int(value or 0) for value in sums)),
        stalled=[StalledMatch(m, n, mentor, department,
                              preferred or " ".join(p for p in (given, family) if p),
                              started, last_met)
                 for m, n, mentor, department, preferred, given, family, started, last_met, _
                 in stalled_rows],
        page=page.number if page else 1,
        pages=pages_for(total, page.size if page else max(total, 1)),
    )


@dataclass(frozen=True)
class OutcomeCell:
    """How many newcomers had one status at one interval, and their share of the interval."""

    interval: str
    status: str
    count: int
    percent: float | None
    days_to_employment: float | None


@dataclass(frozen=True)
class OutcomesReport:
    """Outcomes at close and 3, 6 and 12 months after, by status."""

    cells: list[OutcomeCell]

    def cell(self, interval: str, status: str) -> OutcomeCell:
        """The figures of one interval and status (zero when nobody had it)."""
        for cell in self.cells:
            if cell.interval == interval and cell.status == status:
                return cell
        return OutcomeCell(interval, status, 0, 0.0 if self.total(interval) else None, None)

    def total(self, interval: str) -> int:
        """How many outcomes were recorded at ``interval``."""
        return sum(cell.count for cell in self.cells if cell.interval == interval)


def outcomes_report(db: Session, f: ReportFilters, timezone: str) -> OutcomesReport:
    """Employment status at each interval with its share, and the average days from the
    match's start to employment (one query). The period keeps matches closed in it."""
    dialect = db.get_bind().dialect.name
    days = days_between(Outcome.employed_since, Match.started_on, dialect)
    count = func.count(Outcome.id)
    query = _from_matches(
        select(Outcome.interval, Outcome.status, count,
               percent(count, func.sum(count).over(partition_by=Outcome.interval)),
               as_float(func.avg(case((Outcome.employed_since.is_not(None), days)))))
        .select_from(Outcome), f, Outcome.match_id)
    rows = db.execute(
        query.where(between_moments(func.coalesce(Match.closed_at, Outcome.recorded_at), f,
                                    timezone))
        .group_by(Outcome.interval, Outcome.status)
    ).all()
    order = {code: index for index, code in enumerate(OUTCOME_INTERVALS + OUTCOME_STATUSES)}
    cells = sorted((OutcomeCell(i, s, n, p, None if d is None else round(d, 1))
                    for i, s, n, p, d in rows),
                   key=lambda cell: (order.get(cell.interval, 99), order.get(cell.status, 99)))
    return OutcomesReport(cells)


@dataclass(frozen=True)
class Satisfaction:
    """The answers of one kind of respondent (mentor or newcomer)."""

    respondent: str
    answers: int
    average: float | None
    distribution: tuple[int, ...]
    concerns: int


@dataclass(frozen=True)
class MonthlySatisfaction:
    """The average satisfaction of one month's answers of one kind of respondent."""

    month: date
    respondent: str
    answers: int
    average: float


@dataclass(frozen=True)
class SatisfactionReport:
    """Satisfaction from the monthly check-ins: averages, distribution, month by month."""

    respondents: list[Satisfaction]
    months: list[MonthlySatisfaction]


def satisfaction_report(db: Session, f: ReportFilters) -> SatisfactionReport:
    """Average and distribution of the answered check-ins' satisfaction per respondent, and
    its average month by month (two queries). The period keeps the months in it."""

    def base(*columns: object) -> Select[tuple[object, ...]]:
        query = _from_matches(select(*columns).select_from(CheckIn), f, CheckIn.match_id)
        return query.where(CheckIn.satisfaction.is_not(None),
                           between_days(CheckIn.period_start, f))

    average = rounded(func.avg(as_float(CheckIn.satisfaction)), 2)
    rows = db.execute(
        base(CheckIn.respondent, func.count(CheckIn.id), average,
             *(func.count().filter(CheckIn.satisfaction == score) for score in SCORES),
             func.count().filter(CheckIn.has_concern))
        .group_by(CheckIn.respondent).order_by(CheckIn.respondent)
    ).all()
    months = db.execute(
        base(CheckIn.period_start, CheckIn.respondent, func.count(CheckIn.id), average)
        .group_by(CheckIn.period_start, CheckIn.respondent)
        .order_by(CheckIn.period_start, CheckIn.respondent)
    ).all()
    return SatisfactionReport(
        [Satisfaction(r, n, a, tuple(row[3:8]), row[8])
         for row in rows for r, n, a in [row[:3]]],
        [MonthlySatisfaction(*row) for row in months],
    )
