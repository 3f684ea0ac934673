"""Fill an empty database with the City of Port Alder's mentoring program.

``seed_demo`` writes the models directly (demo data is not a use case: no audit events, no
outbox messages). It is reproducible: the same ``seed`` and ``today`` give the same people,
matches and sessions. It refuses to run on a database that already holds people, so that it
can never mix invented people with real ones; start from an empty schema to seed again
(``flask kit demo --reset`` does that).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kit.demo.context import DemoContext
from kit.demo.matches import seed_check_ins, seed_matches, seed_outcomes
from kit.demo.newcomers import seed_newcomers
from kit.demo.sessions import seed_sessions
from kit.demo.staff import seed_staff
from kit.models import (
    Agency,
    CheckIn,
    Cohort,
    HoursEntry,
    Match,
    MentoringSession,
    Newcomer,
    Outcome,
    Referral,
    StaffMember,
    StaffRole,
    VolunteerProfile,
)
from kit.models.base import utcnow
from kit.scheduling.times import add_months
from kit.services.occupations import load_occupations

DEFAULT_SEED = 2027
DEFAULT_TIMEZONE = "America/Vancouver"
COHORT_MONTHS = 4


class DemoDataExists(RuntimeError):
    """The database already holds people; seeding would mix demo people with them."""


@dataclass(frozen=True)
class DemoSummary:
    """How much of each thing the database holds, for the demo command to print."""

    professions: int
    staff: int
    coordinators: int
    volunteers: int
    agencies: int
    newcomers: int
    referrals_by_status: dict[str, int] = field(default_factory=dict)
    cohorts: tuple[str, ...] = ()
    matches_by_status: dict[str, int] = field(default_factory=dict)
    past_sessions: int = 0
    upcoming_sessions: int = 0
    hours: Decimal = Decimal(0)
    check_ins: int = 0
    outcomes: int = 0

    def lines(self) -> list[str]:
        """The summary as short lines of text."""
        def counts(values: dict[str, int]) -> str:
            return ", ".join(f"{count} {status}" for status, count in sorted(values.items()))

        return [
            f"{self.staff} staff members ({self.coordinators} coordinators or admins), "
            f"{self.volunteers} volunteer mentors in {self.professions} professions",
            f"{self.agencies} agencies, {self.newcomers} newcomers",
            f"referrals: {counts(self.referrals_by_status)}",
            f"cohorts: {', '.join(self.cohorts)}",
            f"matches: {counts(self.matches_by_status)}",
            f"sessions: {self.past_sessions} past, {self.upcoming_sessions} upcoming; "
            f"{self.hours} volunteer hours logged",
            f"{self.check_ins} check-ins, {self.outcomes} outcomes",
        ]


def has_people(session: Session) -> bool:
    """Whether the database already holds staff, agencies or newcomers."""
    return any(session.scalar(select(model.id).limit(1)) is not None
               for model in (StaffMember, Agency, Newcomer))


def seed_demo(session: Session, *, seed: int = DEFAULT_SEED, today: date | None = None,
              timezone: str = DEFAULT_TIMEZONE) -> DemoSummary:
    """Create the demo program in an empty database, commit, and return what it holds.

    ``today`` anchors every date (default: today in ``timezone``), so that the current cohort
    is always under way, with past and upcoming sessions. Raises :class:`DemoDataExists` when
    the database already holds people.
    """
    zone = ZoneInfo(timezone)
    if has_people(session):
        raise DemoDataExists(
            "The database already holds people; the demo only seeds an empty database. "
            "Use `flask kit demo --reset` to start over (it deletes every kit table)."
        )
    load_occupations(session)
    ctx = DemoContext(random.Random(seed), today or datetime.now(zone).date(), zone)
    cohorts = _cohorts(session, ctx.today)
    staff = seed_staff(session, ctx)
    referred = seed_newcomers(session, ctx, staff, cohorts)
    matches = seed_matches(session, ctx, staff, referred, cohorts)
    seed_sessions(session, ctx, staff, matches)
    seed_check_ins(session, ctx, matches)
    seed_outcomes(session, ctx, matches)
    session.commit()
    return summarize(session, now=ctx.now)


def cohort_name(starts_on: date) -> str:
    """"Fall 2026" and the like, from the month a cohort starts."""
    season = ("Winter", "Winter", "Spring", "Spring", "Spring", "Summer", "Summer", "Summer",
              "Fall", "Fall", "Fall", "Winter")[starts_on.month - 1]
    return f"{season} {starts_on.year}"



def _cohorts(session: Session, today: date) -> dict[str, Cohort]:
    # The current cohort started about six weeks ago, so it has history and a future;
    # the previous one ended months ago, so its outcomes have been followed up.
    starts = (today - timedelta(days=42)).replace(day=1)
    past_starts = add_months(starts, -8)
    cohorts = {
        "past": Cohort(name=cohort_name(past_starts), starts_on=past_starts,
                       ends_on=add_months(past_starts, COHORT_MONTHS) - timedelta(days=1),
                       target_hours=Decimal(24), is_open=False),
        "current": Cohort(name=cohort_name(starts), starts_on=starts,
                          ends_on=add_months(starts, COHORT_MONTHS) - timedelta(days=1),
                          target_hours=Decimal(24), is_open=True),
    }
    session.add_all(cohorts.values())
    session.flush()
    return cohorts


def summarize(session: Session, *, now: datetime | None = None) -> DemoSummary:
    """Count what the database holds (works on any kit database, not only the demo's)."""
    now = now or utcnow()

    def count(model: type, *where: object) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    def by_status(model: type) -> dict[str, int]:
        rows = session.execute(select(model.status, func.count()).group_by(model.status))
        return {status: number for status, number in rows}

    live = MentoringSession.status != "cancelled"
    return DemoSummary(
        professions=session.scalar(select(func.count(func.distinct(VolunteerProfile.noc_code))))
        or 0,
        staff=count(StaffMember),
        coordinators=session.scalar(select(func.count(func.distinct(StaffRole.staff_id)))) or 0,
        volunteers=count(VolunteerProfile),
        agencies=count(Agency),
        newcomers=count(Newcomer),
        referrals_by_status=by_status(Referral),
        cohorts=tuple(session.scalars(select(Cohort.name).order_by(Cohort.starts_on))),
        matches_by_status=by_status(Match),
        past_sessions=count(MentoringSession, MentoringSession.starts_at < now),
        upcoming_sessions=count(MentoringSession, MentoringSession.starts_at >= now, live),
        hours=session.scalar(select(func.coalesce(func.sum(HoursEntry.hours), 0))
                             .where(HoursEntry.status != "rejected")) or Decimal(0),
        check_ins=count(CheckIn),
        outcomes=count(Outcome),
    )
