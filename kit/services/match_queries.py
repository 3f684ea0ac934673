"""What the match pages list: a coordinator's page of matches, a mentor's and a newcomer's own.

Read-only queries, each loading what its page shows in a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, contains_eager, joinedload

from kit.models import Cohort, Match, Newcomer, StaffMember, VolunteerProfile
from kit.models.matches import MATCH_STATUSES


@dataclass(frozen=True)
class MatchRow:
    """A match as a row of the coordinator's list."""

    id: int
    status: str
    mentor: str
    newcomer_id: int
    newcomer: str
    cohort: str | None
    score: float | None
    proposed_at: object
    started_on: object
    planned_end_on: object


def list_matches(db: Session, status: str | None, page: int, page_size: int
                 ) -> tuple[list[MatchRow], int]:
    """One page of matches, newest proposal first, of one status or all; and the page count."""
    condition = Match.status == status if status in MATCH_STATUSES else true()
    total = db.scalar(select(func.count()).select_from(Match).where(condition)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    rows = db.execute(
        select(Match, StaffMember.display_name, Newcomer, Cohort.name)
        .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
        .join(Newcomer, Newcomer.id == Match.newcomer_id)
        .outerjoin(Cohort, Cohort.id == Match.cohort_id)
        .where(condition)
        .order_by(Match.proposed_at.desc(), Match.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    return [MatchRow(m.id, m.status, mentor, n.id, n.display_name, cohort, m.score,
                     m.proposed_at, m.started_on, m.planned_end_on)
            for m, mentor, n, cohort in rows], pages


def open_cohorts(db: Session) -> list[Cohort]:
    """Cohorts still taking matches, the latest first (for the batch matching links)."""
    return list(db.scalars(select(Cohort).where(Cohort.is_open)
                           .order_by(Cohort.starts_on.desc(), Cohort.id)))


def mentor_matches(db: Session, staff_id: int) -> list[Match]:
    """A mentor's matches: those awaiting their answer first, then active, then the rest."""
    order = {"proposed": 0, "mentor_accepted": 1, "active": 2, "closed": 3, "declined": 4}
    matches = list(db.scalars(
        select(Match).join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .where(VolunteerProfile.staff_id == staff_id)
        .options(joinedload(Match.newcomer), joinedload(Match.cohort))
        .order_by(Match.proposed_at.desc(), Match.id.desc())).unique())
    return sorted(matches, key=lambda m: order.get(m.status, 9))


def newcomer_matches(db: Session, newcomer_id: int) -> list[Match]:
    """A newcomer's matches the newcomer may see: the mentor accepted (or more), not declined.

    A proposal stays between the coordinator and the mentor until the mentor accepts it.
    """
    return list(db.scalars(
        select(Match)
        .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
        .where(Match.newcomer_id == newcomer_id,
               Match.status.in_(("mentor_accepted", "active", "closed")))
        .options(contains_eager(Match.volunteer).contains_eager(VolunteerProfile.staff),
                 contains_eager(Match.volunteer).selectinload(VolunteerProfile.occupation))
        .order_by(Match.proposed_at.desc(), Match.id.desc())))
