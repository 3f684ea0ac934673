"""Demo matches in every state, with their history, monthly check-ins and outcomes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from kit.demo.context import DemoContext
from kit.demo.newcomers import Referred
from kit.demo.people import CLOSE_NOTES
from kit.demo.staff import StaffData
from kit.models import (
    CheckIn,
    Cohort,
    Match,
    MatchStatusChange,
    Newcomer,
    Outcome,
    StaffMember,
    VolunteerProfile,
)

#: Match status by newcomer fate (see ``kit.demo.newcomers.FATES``).
FATE_STATUS = {"active": "active", "proposed": "proposed", "mentor_accepted": "mentor_accepted",
               "declined": "declined", "closed_early": "closed", "past_closed": "closed"}
#: Close reasons of the previous cohort's matches, in order.
PAST_CLOSE_REASONS = ("ended_by_newcomer", "ended_by_mentor", "ended_by_coordinator",
                      "ended_by_newcomer") + ("completed",) * 8
MATCH_GOALS = (
    "Understand how projects move from design to council approval; two job-shadowing days.",
    "Review résumé against city postings; practise a behavioural interview.",
    "Meet three colleagues in related teams; learn the software used day to day.",
    "Prepare the licensing application and gather Canadian references.",
)
CHECK_IN_WELL = (
    "The site visit was the highlight so far.",
    "We reviewed my résumé line by line; very useful.",
    "Good questions, well prepared, on time for every session.",
    "La visite du service m'a beaucoup aidé à comprendre l'organisation.",
)


def seed_matches(session: Session, ctx: DemoContext, staff: StaffData,
                 referred: list[Referred], cohorts: dict[str, Cohort]) -> list[Match]:
    """Pair newcomers with mentors of their profession (respecting capacity) in every state."""
    approved = [v for v in staff.volunteers if v.status == "approved"]
    open_load: Counter[int] = Counter()
    matches = []
    past_reasons = iter(PAST_CLOSE_REASONS)
    early_reasons = iter(("ended_by_newcomer", "ended_by_coordinator"))
    for position, item in enumerate(referred):
        status = FATE_STATUS.get(item.fate)
        if status is None:
            continue
        cohort = cohorts["past" if item.fate == "past_closed" else "current"]
        holds_place = status in ("proposed", "mentor_accepted", "active")
        mentor = _pick_mentor(ctx, approved, open_load, item.newcomer, holds_place)
        if holds_place:
            open_load[mentor.id] += 1
        reason = None
        if item.fate == "past_closed":
            reason = next(past_reasons, "completed")
        elif item.fate == "closed_early":
            reason = next(early_reasons, "ended_by_coordinator")
        match = _match(ctx, staff, mentor, item.newcomer, cohort, status, reason, position)
        matches.append(match)
    session.add_all(matches)
    session.flush()
    return matches


def _pick_mentor(ctx: DemoContext, approved: list[VolunteerProfile], load: Counter[int],
                 newcomer: Newcomer, holds_place: bool) -> VolunteerProfile:
    def free(volunteer: VolunteerProfile) -> bool:
        return not holds_place or load[volunteer.id] < volunteer.capacity

    same = [v for v in approved if v.noc_code == newcomer.target_noc_code and free(v)]
    candidates = same or [v for v in approved if free(v)]
    speaks = {language.language for language in newcomer.languages} - {"en"}
    shared = [v for v in candidates if speaks & {lang.language for lang in v.languages}]
    return ctx.rng.choice(shared or candidates)


def _match(ctx: DemoContext, staff: StaffData, mentor: VolunteerProfile, newcomer: Newcomer,
           cohort: Cohort, status: str, reason: str | None, position: int) -> Match:
    rng = ctx.rng
    coordinator = rng.choice(staff.coordinators)
    proposed = ctx.at(ctx.workday(cohort.starts_on - timedelta(days=rng.randint(4, 12))), 10)
    if status == "proposed":
        proposed = ctx.days_ago(rng.randint(1, 6))
    elif status == "mentor_accepted":
        proposed = ctx.days_ago(rng.randint(7, 12))
    same_profession = mentor.noc_code == newcomer.target_noc_code
    match = Match(
        cohort=cohort, volunteer=mentor, newcomer=newcomer, status=status,
        score=round(rng.uniform(0.72, 0.96) if same_profession else rng.uniform(0.45, 0.6), 2),
        proposed_at=proposed, proposed_by=coordinator, created_at=proposed,
    )
    change = _history(match)
    change(None, "proposed", proposed, staff=coordinator)
    if status == "proposed":
        return match
    mentor_said = proposed + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
    match.mentor_responded_at = mentor_said
    if status == "declined" and position % 2 == 0:
        match.decline_reason = "Budget season: no time for a new mentee before January."
        change("proposed", "declined", mentor_said, staff=mentor.staff)
        return match
    change("proposed", "mentor_accepted", mentor_said, staff=mentor.staff)
    if status == "mentor_accepted":
        return match
    newcomer_said = mentor_said + timedelta(days=rng.randint(1, 3))
    match.newcomer_responded_at = newcomer_said
    if status == "declined":
        match.decline_reason = "Accepted a contract position with hours that clash."
        change("mentor_accepted", "declined", newcomer_said, kind="newcomer")
        return match
    match.started_on = ctx.workday(max(cohort.starts_on, newcomer_said.date() + timedelta(days=1)))
    match.planned_end_on = cohort.ends_on
    match.target_hours = cohort.target_hours
    match.goals = rng.choice(MATCH_GOALS)
    change("mentor_accepted", "active", ctx.at(match.started_on, 9), kind="newcomer")
    if status == "closed":
        if reason == "completed":
            closed_on = cohort.ends_on
        else:
            closed_on = match.started_on + timedelta(days=rng.randint(25, 45))
        match.closed_at = ctx.at(ctx.workday(closed_on) if closed_on < ctx.today
                                 else ctx.today - timedelta(days=1), 15)
        match.close_reason = reason
        actor = {"ended_by_newcomer": {"kind": "newcomer"},
                 "ended_by_mentor": {"staff": mentor.staff}}.get(reason or "",
                                                                  {"staff": coordinator})
        change("active", "closed", match.closed_at, note=CLOSE_NOTES[reason or "completed"],
               **actor)
    return match


def _history(match: Match) -> Callable[..., None]:
    def change(old: str | None, new: str, when: datetime, *, staff: StaffMember | None = None,
               kind: str = "staff", note: str | None = None) -> None:
        match.status_changes.append(MatchStatusChange(
            from_status=old, to_status=new, changed_at=when, note=note, staff=staff,
            actor_kind=kind))
    return change


def _month_starts(first: date, last: date) -> list[date]:
    """First days of the months from ``first``'s month up to, not including, ``last``'s."""
    months, day = [], first.replace(day=1)
    while day < last.replace(day=1):
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def seed_check_ins(session: Session, ctx: DemoContext, matches: list[Match]) -> list[CheckIn]:
    """Monthly check-ins of both sides for every month a match has completed."""
    rng = ctx.rng
    check_ins = []
    concern_given = False
    for match in matches:
        if match.started_on is None:
            continue
        until = match.closed_at.date() if match.closed_at else ctx.today
        for period in _month_starts(match.started_on, until):
            sent = ctx.at((period + timedelta(days=32)).replace(day=1), 9)
            for respondent in ("mentor", "newcomer"):
                check_in = CheckIn(match=match, respondent=respondent, period_start=period,
                                   sent_at=sent)
                answered = sent + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
                if answered < ctx.now and rng.random() < 0.85:
                    check_in.answered_at = answered
                    check_in.satisfaction = rng.choice((4, 4, 5, 5, 3))
                    check_in.went_well = rng.choice(CHECK_IN_WELL)
                    if not concern_given and match.status == "active" and respondent == "newcomer":
                        concern_given = True
                        check_in.satisfaction, check_in.has_concern = 2, True
                        check_in.concerns = "Two sessions were cancelled at short notice."
                check_ins.append(check_in)
    session.add_all(check_ins)
    return check_ins


def seed_outcomes(session: Session, ctx: DemoContext, matches: list[Match]) -> list[Outcome]:
    """Employment status at close, and 3 and 6 months later where that time has passed."""
    rng = ctx.rng
    outcomes = []
    for match in matches:
        if match.closed_at is None:
            continue
        newcomer = match.newcomer
        if match.close_reason == "ended_by_newcomer":
            status = "employed_in_field"
        elif match.close_reason == "completed":
            status = rng.choice(("searching", "employed_related", "employed_in_field",
                                 "searching", "in_school"))
        else:
            status = rng.choice(("searching", "unknown"))
        closed = match.closed_at
        employed_since = (closed - timedelta(days=rng.randint(0, 10))).date()
        for interval, days in (("close", 0), ("3m", 91), ("6m", 182)):
            when = closed + timedelta(days=days)
            if when > ctx.now:
                break
            if interval != "close" and status in ("searching", "unknown") and rng.random() < 0.5:
                # Found work since the last answer.
                status, employed_since = "employed_related", (when - timedelta(days=30)).date()
            outcomes.append(Outcome(
                newcomer=newcomer, match=match, interval=interval, status=status,
                employed_since=employed_since if status.startswith("employed") else None,
                noc_code=newcomer.target_noc_code if status == "employed_in_field" else None,
                recorded_at=when, actor_kind="staff" if interval == "close" else "newcomer",
            ))
    session.add_all(outcomes)
    return outcomes

