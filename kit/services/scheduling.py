"""Scheduling sessions of a match: schedule, reschedule, cancel, and the newcomer's answer.

Times are typed on the employer's wall clock (``KIT_TIMEZONE``) and stored as UTC instants,
DST-correct: a time the clocks skip or pass twice is refused with a clear message rather than
guessed. Outside business hours, on a weekend or a holiday the mentor sees a warning and
schedules only after accepting it. Nobody can be in two sessions at once
(:func:`kit.services.session_conflicts.lock_and_check`). Every change reaches each attendee in
their language with a calendar invitation of the same UID and a higher SEQUENCE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models import Match, MentoringSession, SessionAttendee, SessionType, VolunteerProfile
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.scheduling.settings import business_hours, holidays
from kit.scheduling.times import check_business_hours, session_interval, to_local
from kit.services.attendance import load_session, may_manage
from kit.services.audit import Actor, record
from kit.services.invitations import send_invitations
from kit.services.session_conflicts import SessionConflict, lock_and_check
from kit.services.session_notices import notify_response
from kit.services.session_types import ensure_session_types
from kit.services.shadowing import needs_approval, request_approval
from kit.state import get_state

#: Statuses of a session that is still to happen and may change.
OPEN_STATUSES = ("scheduled", "confirmed")
_TEXT_FIELDS = ("title", "location_building", "location_room", "location_address",
                "online_url", "host_department", "visitor_instructions", "confidentiality_note")

ERROR_MESSAGES = {
    "nonexistent_local_time": _l("This time does not exist on that day: the clocks move "
                                 "forward one hour. Choose another time."),
    "ambiguous_local_time": _l("This time happens twice on that day: the clocks go back one "
                               "hour. Choose a time before 01:00 or after 02:00."),
    "invalid_duration": _l("A session lasts between 1 minute and 24 hours."),
    "invalid_interval": _l("A session must end after it starts."),
    "not_found": _l("This session or match does not exist."),
    "forbidden": _l("Only the mentor of this match can do this."),
    "match_not_active": _l("Sessions can be scheduled only for an active match."),
    "type_unavailable": _l("This type of session is not offered."),
    "no_location": _l("Give a building, room or address, or an online link."),
    "in_the_past": _l("This time has already passed: choose a time to come."),
    "not_changeable": _l("This session is over or cancelled: it can no longer change."),
    "reason_required": _l("Say why the session is cancelled: everyone invited reads it."),
    "note_required": _l("Say which times suit you better, so the mentor can choose another."),
    "not_held": _l("Attendance is marked once the session has started."),
    "unknown_attendee": _l("This person is not invited to the session."),
    "approver_required": _l("Give the e-mail address of the host department's manager, who "
                            "approves job-shadowing visits."),
    "link_invalid": _l("This approval link is broken, expired or was replaced by a newer one."),
    "already_decided": _l("This visit was already approved or refused."),
}
WARNING_MESSAGES = {
    "outside_business_hours": _l("The session is outside business hours."),
    "weekend": _l("The session falls on a weekend."),
    "on_holiday": _l("The session falls on a holiday."),
}


def error_message(error: SchedulingError) -> str:
    """What a person reads for ``error``, in their language."""
    if isinstance(error, SessionConflict):
        return error.message()
    return str(ERROR_MESSAGES.get(error.code, _("This session cannot be saved.")))


class NeedsConfirmation(SchedulingError):
    """The session is outside business hours or on a holiday: the mentor must accept that."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("needs_confirmation", ", ".join(warnings))
        self.warnings = warnings

    def messages(self) -> list[str]:
        """The warnings, translated."""
        return [str(WARNING_MESSAGES.get(code, code)) for code in self.warnings]


@dataclass(frozen=True)
class SessionDetails:
    """What the mentor types: when (employer's wall clock), how long, where, and notes."""

    type_code: str
    day: date
    start: time
    minutes: int | None = None
    title: str | None = None
    location_building: str | None = None
    location_room: str | None = None
    location_address: str | None = None
    online_url: str | None = None
    host_department: str | None = None
    visitor_instructions: str | None = None
    confidentiality_note: str | None = None
    approver_email: str | None = None


def plan(details: SessionDetails, minutes: int) -> tuple[datetime, datetime, list[str]]:
    """UTC start and end of ``details`` and its business-hours warnings (codes)."""
    config = get_state().config
    zone = config["KIT_TIMEZONE"]
    if not 0 < minutes <= 24 * 60:
        raise SchedulingError("invalid_duration", "1 minute to 24 hours")
    starts_at, ends_at = session_interval(details.day, details.start, minutes, zone,
                                          ambiguous="refuse")
    years = range(details.day.year, to_local(ends_at, zone).year + 1)
    warnings = check_business_hours(starts_at, ends_at, zone,
                                    business_hours(config["KIT_BUSINESS_HOURS"]),
                                    holidays(config["KIT_HOLIDAYS"], years))
    return starts_at, ends_at, warnings


def _active_match(db: Session, actor: Actor, match_id: int) -> Match:
    match = db.scalars(select(Match).where(Match.id == match_id)
                       .options(selectinload(Match.volunteer))).first()
    if match is None:
        raise SchedulingError("not_found", f"no match {match_id}")
    if actor.kind != "staff" or match.volunteer.staff_id != actor.id:
        raise SchedulingError("forbidden", "only the match's mentor schedules its sessions")
    if match.status != "active":
        raise SchedulingError("match_not_active", f"match {match_id} is {match.status}")
    return match


def _prepare(db: Session, details: SessionDetails, accept_warnings: bool,
             default_minutes: int | None = None) -> tuple[SessionType, datetime, datetime]:
    types = {t.code: t for t in ensure_session_types(db)}
    session_type = types.get(details.type_code)
    if session_type is None or not session_type.is_active:
        raise SchedulingError("type_unavailable", details.type_code)
    if not (details.location_building or details.location_room or details.location_address
            or details.online_url):
        raise SchedulingError("no_location", "a place or a link is needed")
    minutes = details.minutes or default_minutes or session_type.default_minutes
    starts_at, ends_at, warnings = plan(details, minutes)
    if starts_at <= utcnow():
        raise SchedulingError("in_the_past", "sessions are scheduled ahead")
    if warnings and not accept_warnings:
        raise NeedsConfirmation(warnings)
    return session_type, starts_at, ends_at


def _apply(session: MentoringSession, details: SessionDetails, session_type: SessionType,
           starts_at: datetime, ends_at: datetime) -> None:
    session.session_type = session_type
    session.starts_at, session.ends_at = starts_at, ends_at
    session.time_zone = get_state().config["KIT_TIMEZONE"]
    for name in _TEXT_FIELDS:
        value = getattr(details, name)
        setattr(session, name, value.strip() if value and value.strip() else None)


def _announce(db: Session, session: MentoringSession, approver_email: str | None) -> None:
    """Ask the host manager first where required, else invite everyone."""
    if needs_approval(db, session):
        request_approval(db, session, approver_email)
    else:
        send_invitations(db, session)


def schedule_session(db: Session, actor: Actor, match_id: int, details: SessionDetails, *,
                     accept_warnings: bool = False) -> MentoringSession:
    """Schedule a session of an active match; its mentor and newcomer are invited.

    Raises :class:`NeedsConfirmation` for warnings not accepted, :class:`SessionConflict` when
    someone is busy, and SchedulingError with the codes of :data:`ERROR_MESSAGES`.
    """
    match = _active_match(db, actor, match_id)
    session_type, starts_at, ends_at = _prepare(db, details, accept_warnings)
    mentor_id = match.volunteer.staff_id
    lock_and_check(db, starts_at=starts_at, ends_at=ends_at, staff_ids=[mentor_id],
                   newcomer_ids=[match.newcomer_id])
    session = MentoringSession(match_id=match.id, organizer_id=mentor_id, status="scheduled")
    _apply(session, details, session_type, starts_at, ends_at)
    session.attendees = [SessionAttendee(staff_id=mentor_id, role="mentor", response="confirmed"),
                         SessionAttendee(newcomer_id=match.newcomer_id, role="newcomer")]
    db.add(session)
    db.flush()
    record(db, actor, "session.scheduled", "session", session.id,
           {"match_id": match.id, "starts_at": starts_at.isoformat(), "type": details.type_code})
    _announce(db, session, details.approver_email)
    return session


def _changeable(db: Session, actor: Actor, session_id: int) -> MentoringSession:
    session = load_session(db, session_id)
    if not may_manage(actor, session):
        raise SchedulingError("forbidden", "only the session's mentor changes it")
    if session.status not in OPEN_STATUSES or session.ends_at <= utcnow():
        raise SchedulingError("not_changeable", f"session {session_id} is {session.status}")
    return session


def reschedule_session(db: Session, actor: Actor, session_id: int, details: SessionDetails, *,
                       accept_warnings: bool = False) -> MentoringSession:
    """Change the time, place or notes; everyone gets an update (same UID, SEQUENCE + 1)."""
    session = _changeable(db, actor, session_id)
    session_type, starts_at, ends_at = _prepare(db, details, accept_warnings)
    lock_and_check(db, starts_at=starts_at, ends_at=ends_at,
                   staff_ids=[a.staff_id for a in session.attendees if a.staff_id],
                   newcomer_ids=[a.newcomer_id for a in session.attendees if a.newcomer_id],
                   exclude_session_id=session.id)
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    _apply(session, details, session_type, starts_at, ends_at)
    session.sequence += 1
    session.status = "scheduled"
    for attendee in session.attendees:
        if attendee.newcomer_id is not None and attendee.response != "waitlisted":
            attendee.response, attendee.response_note = "invited", None
    session.reminder_queued_at = None
    if moved and session.approval_status is not None:
        session.approval_status = None  # a new time is a new visit for the host manager
    record(db, actor, "session.rescheduled", "session", session.id,
           {"starts_at": starts_at.isoformat(), "sequence": session.sequence})
    _announce(db, session, details.approver_email or session.approver_email)
    return session


def cancel_session(db: Session, actor: Actor, session_id: int, reason: str) -> MentoringSession:
    """Call the session off with a reason; everyone gets a METHOD:CANCEL with SEQUENCE + 1."""
    reason = (reason or "").strip()
    if not reason:
        raise SchedulingError("reason_required", "a cancellation needs a reason")
    session = _changeable(db, actor, session_id)
    session.status = "cancelled"
    session.cancel_reason = reason[:500]
    session.sequence += 1
    record(db, actor, "session.cancelled", "session", session.id, {"reason": session.cancel_reason})
    send_invitations(db, session, "CANCEL", reason=session.cancel_reason)
    return session


def respond_to_session(db: Session, newcomer_id: int, session_id: int, *, confirm: bool,
                       note: str | None = None) -> SessionAttendee:
    """The newcomer confirms, or asks for another time with a note; the mentor is told."""
    session = load_session(db, session_id)
    attendee = next((a for a in session.attendees if a.newcomer_id == newcomer_id), None)
    if attendee is None:
        raise SchedulingError("not_found", f"newcomer {newcomer_id} is not invited")
    if session.status not in OPEN_STATUSES or session.starts_at <= utcnow():
        raise SchedulingError("not_changeable", f"session {session_id} is {session.status}")
    note = (note or "").strip()[:500] or None
    if not confirm and not note:
        raise SchedulingError("note_required", "say which times suit better")
    attendee.response = "confirmed" if confirm else "reschedule_requested"
    attendee.response_note = note
    attendee.responded_at = utcnow()
    newcomers = [a for a in session.attendees if a.newcomer_id is not None
                 and a.response != "waitlisted"]
    if all(a.response == "confirmed" for a in newcomers):
        session.status = "confirmed"
    elif session.status == "confirmed":
        session.status = "scheduled"
    record(db, Actor("newcomer", newcomer_id), "session.responded", "session", session.id,
           {"response": attendee.response})
    db.flush()
    notify_response(db, session, attendee)
    return attendee


def sessions_of_match(db: Session, match_id: int) -> list[MentoringSession]:
    """A match's sessions, latest first, with their types."""
    return list(db.scalars(
        select(MentoringSession).where(MentoringSession.match_id == match_id)
        .options(selectinload(MentoringSession.session_type))
        .order_by(MentoringSession.starts_at.desc())))


def mentor_matches(db: Session, staff_id: int) -> list[Match]:
    """The active matches of a mentor, with their newcomers."""
    return list(db.scalars(
        select(Match).join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .where(VolunteerProfile.staff_id == staff_id, Match.status == "active")
        .options(selectinload(Match.newcomer)).order_by(Match.id)))
