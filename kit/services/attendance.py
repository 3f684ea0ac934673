"""Attendance makes hours: after a session the mentor marks who came, hours follow by themselves.

An attended session gives each staff attendee present (mentors, colleagues) one hours entry,
category ``session``, pending the newcomer's or coordinator's confirmation: the wall-clock length
of the session on its local date, never typed again. Marking twice changes nothing; changing a
person to absent removes their entry while nobody has confirmed it yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kit.models import HoursEntry, MentoringSession, SessionAttendee
from kit.models.base import utcnow
from kit.models.hours import MAX_HOURS_PER_ENTRY
from kit.scheduling.errors import SchedulingError
from kit.scheduling.times import to_local, wall_clock_minutes
from kit.services.audit import Actor, record
from kit.services.invitations import session_zone

#: Only these may mark attendance: the session did not take place otherwise.
MARKABLE_STATUSES = ("scheduled", "confirmed", "attended", "no_show")


@dataclass(frozen=True)
class AttendanceResult:
    """What marking did: the session's new status and the hours entries added or removed."""

    status: str
    hours_added: int
    hours_removed: int


def load_session(db: Session, session_id: int) -> MentoringSession:
    """A session with its attendees and their people; ``not_found`` when there is none."""
    session = db.scalars(
        select(MentoringSession).where(MentoringSession.id == session_id)
        .options(selectinload(MentoringSession.attendees).selectinload(SessionAttendee.staff),
                 selectinload(MentoringSession.attendees).selectinload(SessionAttendee.newcomer))
    ).first()
    if session is None:
        raise SchedulingError("not_found", f"no session {session_id}")
    return session


def may_manage(actor: Actor, session: MentoringSession) -> bool:
    """Whether ``actor`` organizes the session or is one of its staff attendees."""
    if actor.kind != "staff" or actor.id is None:
        return False
    return actor.id == session.organizer_id or any(
        a.staff_id == actor.id for a in session.attendees if a.role == "mentor")


def session_hours(session: MentoringSession) -> Decimal:
    """The session's wall-clock length in hours (two decimals), at most a day."""
    minutes = wall_clock_minutes(session.starts_at, session.ends_at, session_zone(session))
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(max(hours, Decimal("0.01")), MAX_HOURS_PER_ENTRY)


def mark_attendance(db: Session, actor: Actor, session_id: int,
                    attended: Mapping[int, bool]) -> AttendanceResult:
    """Record who came (attendee id -> present) and derive the status and the hours.

    The session is ``attended`` when a newcomer came (any attendee, for an event without
    newcomers), else ``no_show``. Raises SchedulingError ``not_found``, ``forbidden``
    (not the session's mentor), ``not_held`` (cancelled or still to come) or
    ``unknown_attendee``. The caller commits.
    """
    session = load_session(db, session_id)
    if not may_manage(actor, session):
        raise SchedulingError("forbidden", "only the session's mentor marks attendance")
    if session.status not in MARKABLE_STATUSES or session.starts_at > utcnow():
        raise SchedulingError("not_held", "attendance is marked after the session started")
    by_id = {a.id: a for a in session.attendees}
    unknown = set(attended) - set(by_id)
    if unknown:
        raise SchedulingError("unknown_attendee", f"not attendees: {sorted(unknown)}")
    for attendee_id, present in attended.items():
        by_id[attendee_id].attended = bool(present)
    newcomers = [a for a in session.attendees if a.newcomer_id is not None]
    judged = newcomers or list(session.attendees)
    held = any(a.attended for a in judged)
    session.status = "attended" if held else "no_show"
    session.attendance_marked_at = utcnow()

    existing = {entry.staff_id: entry for entry in db.scalars(
        select(HoursEntry).where(HoursEntry.session_id == session.id))}
    present_staff = {a.staff_id for a in session.attendees
                     if held and a.staff_id is not None and a.attended}
    added = 0
    for staff_id in sorted(present_staff - set(existing)):
        db.add(HoursEntry(
            staff_id=staff_id, match_id=session.match_id, session_id=session.id,
            worked_on=to_local(session.starts_at, session_zone(session)).date(),
            hours=session_hours(session), category="session", status="pending"))
        added += 1
    # Entries of people now marked absent go, unless someone already confirmed them.
    stale = [entry for staff_id, entry in existing.items()
             if staff_id not in present_staff and entry.status == "pending"]
    for entry in stale:
        db.delete(entry)  # one by one, so that the monthly roll-up of hours follows
    record(db, actor, "session.attendance_marked", "session", session.id,
           {"status": session.status,
            "present": sorted(k for k, v in attended.items() if v),
            "absent": sorted(k for k, v in attended.items() if not v),
            "hours_added": added, "hours_removed": len(stale)})
    db.flush()
    return AttendanceResult(session.status, added, len(stale))
