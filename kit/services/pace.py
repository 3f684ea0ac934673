"""Pace of active matches: hours toward the target, the next session, stalled or behind.

One SQL statement for any number of matches: hours (entries not rejected), the next session
and the last one held are aggregated per match in the database. The target is the match's, else
its cohort's, else ``KIT_MATCH_TARGET_HOURS``; the period runs from the start to the planned end
(else the cohort's end, else ``KIT_MATCH_LENGTH_MONTHS`` later). The expected hours grow evenly
over the period, like the Toronto "one day of your life": 24 hours over four months.

A match is *stalled* when no session took place or is scheduled within ``KIT_STALL_DAYS`` (a
new match gets that long from its start), *behind* when its hours are under three quarters of
what the period so far expects (after its first two weeks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kit.models import (
    Cohort,
    HoursEntry,
    Match,
    MentoringSession,
    Newcomer,
    StaffMember,
    VolunteerProfile,
)
from kit.models.base import utcnow
from kit.scheduling.times import add_months, to_local
from kit.state import get_state

#: Under this share of the expected hours, a match is behind.
BEHIND_RATIO = Decimal("0.75")
#: No match is judged behind in its first days.
GRACE = timedelta(days=14)
_UPCOMING = ("scheduled", "confirmed")
_TOOK_TIME = ("scheduled", "confirmed", "attended")


@dataclass(frozen=True)
class MatchPace:
    """Where one active match stands."""

    match_id: int
    mentor_staff_id: int
    mentor_name: str
    newcomer_id: int
    newcomer_name: str
    hours: Decimal
    target: Decimal
    expected: Decimal
    starts_on: date
    ends_on: date
    next_session_at: datetime | None
    last_session_at: datetime | None
    stalled: bool
    behind: bool

    @property
    def needs_attention(self) -> bool:
        """Whether the coordinator should look at this match."""
        return self.stalled or self.behind

    @property
    def idle_since(self) -> date:
        """The last day something happened: the last session held, else the start."""
        if self.last_session_at is None:
            return self.starts_on
        return max(self.starts_on, self.last_session_at.date())



def _query(now: datetime) -> Select:
    hours = (select(HoursEntry.match_id, func.sum(HoursEntry.hours).label("hours"))
             .where(HoursEntry.status != "rejected", HoursEntry.match_id.is_not(None))
             .group_by(HoursEntry.match_id).subquery())
    upcoming = (select(MentoringSession.match_id, func.min(MentoringSession.starts_at).label("at"))
                .where(MentoringSession.status.in_(_UPCOMING), MentoringSession.starts_at > now)
                .group_by(MentoringSession.match_id).subquery())
    last = (select(MentoringSession.match_id, func.max(MentoringSession.starts_at).label("at"))
            .where(MentoringSession.status.in_(_TOOK_TIME), MentoringSession.starts_at <= now)
            .group_by(MentoringSession.match_id).subquery())
    return (
        select(Match.id, Match.started_on, Match.planned_end_on, Match.target_hours,
               Match.proposed_at, Cohort.starts_on, Cohort.ends_on, Cohort.target_hours,
               VolunteerProfile.staff_id, StaffMember.display_name, Newcomer,
               hours.c.hours, upcoming.c.at, last.c.at)
        .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
        .join(Newcomer, Newcomer.id == Match.newcomer_id)
        .outerjoin(Cohort, Cohort.id == Match.cohort_id)
        .outerjoin(hours, hours.c.match_id == Match.id)
        .outerjoin(upcoming, upcoming.c.match_id == Match.id)
        .outerjoin(last, last.c.match_id == Match.id)
        .where(Match.status == "active")
        .order_by(Match.id)
    )


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates skip the column type: SQLite hands back naive UTC or even text.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def match_paces(db: Session, *, staff_id: int | None = None, match_ids: list[int] | None = None,
                now: datetime | None = None) -> list[MatchPace]:
    """The pace of active matches (of one mentor, or the given ids, or all)."""
    config = get_state().config
    now = now or utcnow()
    today = to_local(now, config["KIT_TIMEZONE"]).date()
    query = _query(now)
    if staff_id is not None:
        query = query.where(VolunteerProfile.staff_id == staff_id)
    if match_ids is not None:
        query = query.where(Match.id.in_(match_ids))
    stall = timedelta(days=config["KIT_STALL_DAYS"])
    paces = []
    for row in db.execute(query):
        (match_id, started, planned_end, target, proposed_at, cohort_start, cohort_end,
         cohort_target, mentor_id, mentor_name, newcomer, done, next_at, last_at) = row
        starts_on = started or cohort_start or proposed_at.date()
        ends_on = planned_end or cohort_end or add_months(starts_on, config[
            "KIT_MATCH_LENGTH_MONTHS"])
        target = Decimal(target or cohort_target or config["KIT_MATCH_TARGET_HOURS"])
        done = Decimal(done or 0)
        total_days = max((ends_on - starts_on).days, 1)
        elapsed = min(max((today - starts_on).days, 0), total_days)
        expected = (target * elapsed / total_days).quantize(Decimal("0.1"))
        next_at, last_at = _aware(next_at), _aware(last_at)
        since = max(starts_on, last_at.date()) if last_at else starts_on
        stalled = next_at is None and (today - since) > stall
        behind = today - starts_on >= GRACE and done < expected * BEHIND_RATIO
        paces.append(MatchPace(
            match_id=match_id, mentor_staff_id=mentor_id, mentor_name=mentor_name,
            newcomer_id=newcomer.id, newcomer_name=newcomer.display_name, hours=done,
            target=target, expected=expected, starts_on=starts_on, ends_on=ends_on,
            next_session_at=next_at, last_session_at=last_at, stalled=stalled,
            behind=behind))
    return paces


def matches_needing_attention(db: Session, now: datetime | None = None) -> list[MatchPace]:
    """Active matches that are stalled or behind, the longest idle first."""
    paces = [p for p in match_paces(db, now=now) if p.needs_attention]
    return sorted(paces, key=lambda p: (p.idle_since, p.match_id))
