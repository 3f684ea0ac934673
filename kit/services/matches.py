"""A match's life: proposed -> mentor accepts -> newcomer accepts (active) -> closed.

Each step is one function: it locks the match row (``FOR UPDATE``) so that two people acting at
once cannot both win, checks the step is allowed from the current status, writes the status
history row and the audit event, and queues an e-mail to the other side in their language. It
flushes; the caller commits. A refused step raises :class:`MatchError`, whose ``code`` the pages
translate ("This match is already active").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kit.models import Match, MatchStatusChange, Newcomer, VolunteerProfile
from kit.models.base import utcnow
from kit.models.cohorts import DEFAULT_TARGET_HOURS
from kit.models.matches import CLOSE_REASONS
from kit.scheduling.times import add_months
from kit.services import match_notices
from kit.services.audit import Actor, record

#: Planned length of an agreement outside a cohort.
DEFAULT_MONTHS = 4
REASON_LENGTH = 500
#: Close reasons that end a match before its time, and so need a note.
EARLY_ENDINGS = ("ended_by_mentor", "ended_by_newcomer", "ended_by_coordinator")


class MatchError(Exception):
    """A step the match's state or the caller's rights do not allow; ``code`` is translated."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


#: Why a step from each status is refused, when the status is not the one the step needs.
_STATUS_CODES = {
    "proposed": "not_accepted_by_mentor",
    "mentor_accepted": "already_accepted",
    "active": "already_active",
    "closed": "already_closed",
    "declined": "already_declined",
}


def add_history(db: Session, match: Match, from_status: str | None, to_status: str,
                actor: Actor, note: str | None = None) -> None:
    """Write one row of the match's status history and move the match to ``to_status``."""
    db.add(MatchStatusChange(
        match_id=match.id, from_status=from_status, to_status=to_status, changed_at=utcnow(),
        actor_kind=actor.kind, staff_id=actor.id if actor.kind == "staff" else None,
        note=note))
    match.status = to_status


def _locked(db: Session, match_id: int) -> Match:
    match = db.scalar(select(Match).where(Match.id == match_id).with_for_update())
    if match is None:
        raise MatchError("not_found")
    return match


def _require(match: Match, *allowed: str) -> None:
    if match.status not in allowed:
        raise MatchError(_STATUS_CODES[match.status])


def _reason(text: str | None, code: str = "reason_required") -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise MatchError(code)
    if len(cleaned) > REASON_LENGTH:
        raise MatchError("reason_too_long")
    return cleaned


def _mentor_of(db: Session, match: Match, staff_id: int) -> None:
    volunteer = db.get(VolunteerProfile, match.volunteer_id)
    if volunteer is None or volunteer.staff_id != staff_id:
        raise MatchError("not_found")  # someone else's match is not shown to be there


def _step(db: Session, match: Match, to_status: str, actor: Actor, action: str,
          note: str | None = None, **details: object) -> Match:
    record(db, actor, action, "match", match.id,
           {"from_status": match.status, "to_status": to_status, **details})
    add_history(db, match, match.status, to_status, actor, note)
    db.flush()
    return match


def mentor_accept(db: Session, actor: Actor, match_id: int, staff_id: int) -> Match:
    """The mentor accepts a proposed match; the newcomer is asked next."""
    match = _locked(db, match_id)
    _mentor_of(db, match, staff_id)
    _require(match, "proposed")
    match.mentor_responded_at = utcnow()
    _step(db, match, "mentor_accepted", actor, "match.mentor_accepted")
    match_notices.notify_newcomer_asked(db, match)
    return match


def mentor_decline(db: Session, actor: Actor, match_id: int, staff_id: int,
                   reason: str | None) -> Match:
    """The mentor declines a proposed match, saying why; the pair is not proposed again."""
    match = _locked(db, match_id)
    _mentor_of(db, match, staff_id)
    _require(match, "proposed")
    why = _reason(reason)
    match.mentor_responded_at = utcnow()
    match.decline_reason = why
    _step(db, match, "declined", actor, "match.mentor_declined", why, by="mentor")
    match_notices.notify_declined(db, match, by="mentor")
    return match



def newcomer_accept(db: Session, actor: Actor, match_id: int, newcomer_id: int,
                    today: date | None = None) -> Match:
    """The newcomer accepts their mentor: the match is active and its agreement recorded.

    The agreement starts today and ends with the cohort (or after four months outside one,
    or when the cohort is already over); it aims at the cohort's target hours (24 by default)
    and takes its goals from the newcomer's career goal.
    """
    match = _locked(db, match_id)
    if match.newcomer_id != newcomer_id:
        raise MatchError("not_found")
    _require(match, "mentor_accepted")
    start = today or date.today()
    cohort = match.cohort
    end = cohort.ends_on if cohort is not None and cohort.ends_on > start else None
    match.started_on = start
    match.planned_end_on = end or add_months(start, DEFAULT_MONTHS)
    match.target_hours = (cohort.target_hours if cohort is not None
                          else Decimal(DEFAULT_TARGET_HOURS))
    newcomer = db.get(Newcomer, newcomer_id)
    match.goals = ((newcomer.career_goal if newcomer else "") or "").strip() or None
    match.newcomer_responded_at = utcnow()
    _step(db, match, "active", actor, "match.activated",
          started_on=start.isoformat(), planned_end_on=match.planned_end_on.isoformat())
    match_notices.notify_activated(db, match)
    return match


def newcomer_decline(db: Session, actor: Actor, match_id: int, newcomer_id: int,
                     reason: str | None) -> Match:
    """The newcomer declines the proposed mentor, saying why."""
    match = _locked(db, match_id)
    if match.newcomer_id != newcomer_id:
        raise MatchError("not_found")
    _require(match, "mentor_accepted")
    why = _reason(reason)
    match.newcomer_responded_at = utcnow()
    match.decline_reason = why
    _step(db, match, "declined", actor, "match.newcomer_declined", why, by="newcomer")
    match_notices.notify_declined(db, match, by="newcomer")
    return match


def close_match(db: Session, actor: Actor, match_id: int, reason: str,
                note: str | None = None, *, staff_id: int | None = None,
                newcomer_id: int | None = None) -> Match:
    """End a match: completed, or ended early by the mentor, the newcomer or the coordinator.

    The coordinator (neither ``staff_id`` nor ``newcomer_id``) may end any open match; the
    mentor (``staff_id``) and the newcomer (``newcomer_id``) end their own active match, early
    and with a note. Ending early always needs a note.
    """
    if reason not in CLOSE_REASONS:
        raise MatchError("invalid_reason")
    match = _locked(db, match_id)
    if staff_id is not None:
        _mentor_of(db, match, staff_id)
        if reason != "ended_by_mentor":
            raise MatchError("invalid_reason")
    elif newcomer_id is not None:
        if match.newcomer_id != newcomer_id:
            raise MatchError("not_found")
        if reason != "ended_by_newcomer":
            raise MatchError("invalid_reason")
    if reason == "completed" or staff_id is not None or newcomer_id is not None:
        _require(match, "active")
    else:
        _require(match, "proposed", "mentor_accepted", "active")
    text = _reason(note, "note_required") if reason in EARLY_ENDINGS else (
        " ".join((note or "").split())[:REASON_LENGTH] or None)
    match.closed_at = utcnow()
    match.close_reason = reason
    _step(db, match, "closed", actor, "match.closed", text, reason=reason)
    match_notices.notify_closed(db, match)
    return match


def match_detail(db: Session, match_id: int) -> Match:
    """A match with its mentor, newcomer, cohort and history loaded (for a detail page)."""
    match = db.scalar(
        select(Match).where(Match.id == match_id)
        .options(joinedload(Match.volunteer).joinedload(VolunteerProfile.staff),
                 joinedload(Match.newcomer), joinedload(Match.cohort),
                 joinedload(Match.proposed_by),
                 joinedload(Match.status_changes).joinedload(MatchStatusChange.staff)))
    if match is None:
        raise MatchError("not_found")
    return match
