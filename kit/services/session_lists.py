"""What the session pages show: a person's sessions, eagerly loaded (no query per row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, selectinload

from kit.models import MentoringSession, SessionAttendee, SessionType
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError

#: Rows per list: older sessions stay in the feed and the reports.
LIST_LIMIT = 50


@dataclass(frozen=True)
class SessionLists:
    """A person's sessions: to come (soonest first) and past (latest first)."""

    upcoming: list[MentoringSession]
    past: list[MentoringSession]


def _loaded(query: Select) -> Select:
    return query.options(
        selectinload(MentoringSession.session_type),
        selectinload(MentoringSession.organizer),
        selectinload(MentoringSession.attendees).selectinload(SessionAttendee.staff),
        selectinload(MentoringSession.attendees).selectinload(SessionAttendee.newcomer))


def _lists(db: Session, person_filter: ColumnElement[bool],
           now: datetime | None) -> SessionLists:
    now = now or utcnow()
    base = (select(MentoringSession)
            .join(SessionAttendee, SessionAttendee.session_id == MentoringSession.id)
            .where(person_filter))
    upcoming = db.scalars(_loaded(base.where(MentoringSession.ends_at > now)
                                  .order_by(MentoringSession.starts_at, MentoringSession.id)
                                  .limit(LIST_LIMIT))).all()
    past = db.scalars(_loaded(base.where(MentoringSession.ends_at <= now)
                              .order_by(MentoringSession.starts_at.desc(),
                                        MentoringSession.id.desc())
                              .limit(LIST_LIMIT))).all()
    return SessionLists(list(upcoming), list(past))


def staff_sessions(db: Session, staff_id: int, now: datetime | None = None) -> SessionLists:
    """The sessions a staff member attends (as mentor or colleague)."""
    return _lists(db, SessionAttendee.staff_id == staff_id, now)


def newcomer_sessions(db: Session, newcomer_id: int,
                      now: datetime | None = None) -> SessionLists:
    """The sessions a newcomer is invited to (cancelled ones too, so they know)."""
    return _lists(db, SessionAttendee.newcomer_id == newcomer_id, now)


def session_of_staff(db: Session, staff_id: int, session_id: int) -> MentoringSession:
    """A session this staff member organizes or attends; ``not_found`` otherwise."""
    session = db.scalars(_loaded(select(MentoringSession)
                                 .where(MentoringSession.id == session_id))).first()
    if session is None or (session.organizer_id != staff_id
                           and all(a.staff_id != staff_id for a in session.attendees)):
        raise SchedulingError("not_found", f"no session {session_id} for staff {staff_id}")
    return session


def session_of_type(db: Session, session_id: int, type_code: str) -> MentoringSession | None:
    """One session of the type ``type_code`` with its organizer and attendees, or None."""
    return db.scalar(_loaded(
        select(MentoringSession).join(SessionType)
        .where(MentoringSession.id == session_id, SessionType.code == type_code)))
