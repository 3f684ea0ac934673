"""Group mentoring (London): an event with 2-3 mentors and a limited number of newcomers.

A coordinator, or an approved mentor who offers group mentoring, creates the event (a
``group_event`` session without a match). Newcomers register through their link: while seats
are left they get one (response ``confirmed``), then they join the waiting list
(``waitlisted``), served in the order people registered. When someone with a seat cancels, the
first person waiting who is free at that time gets the seat and an e-mail in their language.

Two newcomers taking the last seat at once: the event's row is locked (``FOR UPDATE``) before
seats are counted, so on PostgreSQL the second waits for the first to commit and then finds
the event full. SQLite has one writer at a time. A mentor marks attendance afterwards; each
mentor present gets hours (:func:`kit.services.attendance.mark_attendance`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session, selectinload

from kit.i18n import gettext
from kit.models import (
    MentoringSession,
    Newcomer,
    SessionAttendee,
    SessionType,
    StaffMember,
    VolunteerProfile,
)
from kit.models.base import utcnow
from kit.services.attendance import AttendanceResult, mark_attendance
from kit.services.audit import Actor, record
from kit.services.connectors import NOWHERE, Place, is_coordinator, session_type
from kit.services.invitations import send_invitations
from kit.services.mail_compose import mail_context, mail_link, render_mail
from kit.services.outbox import enqueue
from kit.services.session_conflicts import SessionConflict, lock_and_check
from kit.services.session_lists import session_of_type
from kit.state import get_state

GROUP_TYPE = "group_event"
#: A group event is led by at least two mentors (or one, where the maximum is set to one).
MIN_MENTORS = 2


class GroupEventError(Exception):
    """A change the group-event rules refuse; ``code`` is translated by the pages."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class EventRow:
    """An upcoming event as a newcomer sees it in the list, with their own registration."""

    session: MentoringSession
    seats_taken: int
    waiting: int
    response: str | None
    position: int | None

    @property
    def seats_left(self) -> int:
        """Seats still free (0 when full)."""
        return max(0, (self.session.capacity or 0) - self.seats_taken)


@dataclass(frozen=True)
class Roster:
    """An event with its mentors, the newcomers holding a seat and the waiting list in order."""

    session: MentoringSession
    mentors: list[SessionAttendee]
    seated: list[SessionAttendee]
    waiting: list[SessionAttendee]


def group_mentors(db: Session) -> list[StaffMember]:
    """Approved mentors who offer group mentoring, by name: who can lead an event."""
    return list(db.scalars(
        select(StaffMember).join(VolunteerProfile, VolunteerProfile.staff_id == StaffMember.id)
        .where(VolunteerProfile.status == "approved", VolunteerProfile.offers_group,
               StaffMember.is_active)
        .order_by(StaffMember.display_name, StaffMember.id)))


def may_create(db: Session, actor: Actor) -> bool:
    """Coordinators and approved mentors who offer group mentoring create events."""
    if actor.kind != "staff" or actor.id is None:
        return False
    return is_coordinator(db, actor) or any(m.id == actor.id for m in group_mentors(db))


def create_event(db: Session, actor: Actor, *, title: str, starts_at: datetime,
                 ends_at: datetime, mentor_ids: Sequence[int], capacity: int | None = None,
                 place: Place = NOWHERE, visitor_instructions: str | None = None
                 ) -> MentoringSession:
    """A group mentoring event led by ``mentor_ids``, invitations sent to the mentors.

    Raises GroupEventError ``forbidden``, ``mentor_count`` (``detail``: "min-max"),
    ``not_a_group_mentor``, ``capacity`` (``detail``: the maximum) or ``in_the_past``, and
    SessionConflict when a mentor is busy then.
    """
    config = get_state().config
    if not may_create(db, actor):
        raise GroupEventError("forbidden")
    most = config["KIT_GROUP_MAX_MENTORS"]
    least = min(MIN_MENTORS, most)
    mentors = sorted(set(mentor_ids))
    if not least <= len(mentors) <= most:
        raise GroupEventError("mentor_count", f"{least}-{most}")
    allowed = {m.id for m in group_mentors(db)}
    if not set(mentors) <= allowed:
        raise GroupEventError("not_a_group_mentor")
    seats = config["KIT_GROUP_MAX_NEWCOMERS"] if capacity is None else capacity
    if not 1 <= seats <= config["KIT_GROUP_MAX_NEWCOMERS"]:
        raise GroupEventError("capacity", str(config["KIT_GROUP_MAX_NEWCOMERS"]))
    if starts_at <= utcnow():
        raise GroupEventError("in_the_past")
    lock_and_check(db, starts_at=starts_at, ends_at=ends_at, staff_ids=mentors,
                   newcomer_ids=[])
    session = MentoringSession(
        session_type_id=session_type(db, GROUP_TYPE).id, match_id=None, organizer_id=actor.id,
        title=title.strip(), starts_at=starts_at, ends_at=ends_at, capacity=seats,
        location_building=place.building, location_room=place.room,
        location_address=place.address, online_url=place.online_url,
        visitor_instructions=visitor_instructions, status="scheduled",
        time_zone=config["KIT_TIMEZONE"])
    session.attendees = [SessionAttendee(staff_id=staff_id, role="mentor", response="confirmed")
                         for staff_id in mentors]
    db.add(session)
    db.flush()
    send_invitations(db, session, "REQUEST")
    record(db, actor, "group_event.created", "session", session.id,
           {"mentors": mentors, "capacity": seats})
    return session


def _load(db: Session, session_id: int, *, lock: bool = False) -> MentoringSession:
    query = (select(MentoringSession).join(SessionType)
             .where(MentoringSession.id == session_id, SessionType.code == GROUP_TYPE))
    if lock:
        # Serializes registrations to this event: seats are counted after the lock.
        query = query.with_for_update(of=MentoringSession).execution_options(
            populate_existing=True)
    session = db.scalar(query)
    if session is None:
        raise GroupEventError("not_found")
    if lock:
        db.refresh(session, ["attendees"])
    return session


def roster(db: Session, session_id: int) -> Roster:
    """The event with its mentors, seated newcomers and waiting list (first to wait first)."""
    session = session_of_type(db, session_id, GROUP_TYPE)
    if session is None:
        raise GroupEventError("not_found")
    people = session.attendees  # ordered by id: the order of registration
    return Roster(session, [a for a in people if a.role == "mentor"],
                  [a for a in people if a.role == "newcomer" and a.response == "confirmed"],
                  [a for a in people if a.role == "newcomer" and a.response == "waitlisted"])


def may_lead(db: Session, actor: Actor, session: MentoringSession) -> bool:
    """The event's organizer, one of its mentors, or a coordinator."""
    return actor.kind == "staff" and (
        actor.id == session.organizer_id
        or any(a.staff_id == actor.id and a.role == "mentor" for a in session.attendees)
        or is_coordinator(db, actor))


def _seated(session: MentoringSession) -> int:
    return sum(1 for a in session.attendees if a.role == "newcomer" and a.response == "confirmed")


def register(db: Session, actor: Actor, session_id: int, newcomer_id: int) -> SessionAttendee:
    """Register a newcomer: a seat while there is one, else the end of the waiting list.

    Raises GroupEventError ``not_found``, ``forbidden``, ``closed`` (cancelled or started) or
    ``already_registered``, and SessionConflict when the newcomer is in another session then.
    """
    if not (actor.kind == "newcomer" and actor.id == newcomer_id) and not is_coordinator(
            db, actor):
        raise GroupEventError("forbidden")
    session = _load(db, session_id, lock=True)
    if session.is_cancelled or session.starts_at <= utcnow():
        raise GroupEventError("closed")
    mine = next((a for a in session.attendees if a.newcomer_id == newcomer_id), None)
    if mine is not None and mine.response != "declined":
        raise GroupEventError("already_registered")
    lock_and_check(db, starts_at=session.starts_at, ends_at=session.ends_at, staff_ids=[],
                   newcomer_ids=[newcomer_id], exclude_session_id=session.id)
    if mine is not None:
        # Registering again after cancelling: a new row, so the waiting list's order
        # (attendee ids) puts them last, as anyone registering now.
        db.execute(delete(SessionAttendee).where(SessionAttendee.id == mine.id))
        db.expire(session, ["attendees"])
    seat = _seated(session) < (session.capacity or 0)
    attendee = SessionAttendee(session_id=session.id, newcomer_id=newcomer_id, role="newcomer",
                               response="confirmed" if seat else "waitlisted")
    db.add(attendee)
    db.flush()
    db.expire(session, ["attendees"])
    if seat:
        send_invitations(db, session, "REQUEST")
    record(db, actor, "group_event.registered", "session", session.id,
           {"newcomer_id": newcomer_id, "response": attendee.response})
    return attendee


def cancel_registration(db: Session, actor: Actor, session_id: int,
                        newcomer_id: int) -> SessionAttendee | None:
    """Cancel a newcomer's seat or place on the waiting list; returns who was promoted, if any.

    A freed seat goes to the first person waiting who is free at that time; they are told by
    e-mail. Raises GroupEventError ``not_found``, ``forbidden``, ``closed`` or
    ``not_registered``.
    """
    if not (actor.kind == "newcomer" and actor.id == newcomer_id) and not is_coordinator(
            db, actor):
        raise GroupEventError("forbidden")
    session = _load(db, session_id, lock=True)
    if session.is_cancelled or session.starts_at <= utcnow():
        raise GroupEventError("closed")
    if not any(a.newcomer_id == newcomer_id and a.response in ("confirmed", "waitlisted")
               for a in session.attendees):
        raise GroupEventError("not_registered")
    return release_seat(db, actor, session, newcomer_id)


def release_seat(db: Session, actor: Actor, session: MentoringSession,
                 newcomer_id: int) -> SessionAttendee | None:
    """Take a newcomer off a group event (erasure); the seat goes to the next person waiting.

    The caller has locked the session row. Returns who was promoted, if anyone.
    """
    mine = next((a for a in session.attendees if a.newcomer_id == newcomer_id
                 and a.response in ("confirmed", "waitlisted")), None)
    if mine is None:
        return None
    had_seat = mine.response == "confirmed"
    mine.response, mine.responded_at = "declined", utcnow()
    record(db, actor, "group_event.cancelled_registration", "session", session.id,
           {"newcomer_id": newcomer_id, "had_seat": had_seat})
    db.flush()
    return _promote(db, session) if had_seat else None


def _promote(db: Session, session: MentoringSession) -> SessionAttendee | None:
    """Give a free seat to the first person waiting who has no other session at that time."""
    if _seated(session) >= (session.capacity or 0):
        return None
    waiting = [a for a in session.attendees if a.role == "newcomer"
               and a.response == "waitlisted"]
    for attendee in waiting:
        assert attendee.newcomer_id is not None
        try:
            lock_and_check(db, starts_at=session.starts_at, ends_at=session.ends_at,
                           staff_ids=[], newcomer_ids=[attendee.newcomer_id],
                           exclude_session_id=session.id)
        except SessionConflict:
            continue  # busy elsewhere meanwhile: they keep their place for the next seat
        attendee.response = "confirmed"
        attendee.responded_at = utcnow()
        record(db, Actor("system"), "group_event.promoted", "session", session.id,
               {"newcomer_id": attendee.newcomer_id})
        db.flush()
        _tell_promoted(db, session, attendee)
        send_invitations(db, session, "REQUEST")
        return attendee
    return None


def _tell_promoted(db: Session, session: MentoringSession, attendee: SessionAttendee) -> None:
    """E-mail the newcomer, in their language, that a seat opened for them."""
    newcomer = db.get(Newcomer, attendee.newcomer_id)
    if newcomer is None or newcomer.is_erased:
        return
    locale = newcomer.preferred_locale
    with mail_context(), force_locale(locale):
        subject = gettext("A seat opened for you: %(title)s", title=session.title or "")
        body = render_mail(locale, "kit/email/group_event_seat.txt", session=session,
                       newcomer=newcomer, url=mail_link("kit_newcomer.group_events"))
    enqueue(db, recipient=newcomer.email, recipient_name=newcomer.display_name,
            subject=subject, body_text=body, locale=locale,
            dedupe_key=f"group-event-seat:{session.id}:{attendee.id}")


def open_events(db: Session, newcomer_id: int, now: datetime | None = None) -> list[EventRow]:
    """Upcoming group events with seats taken, the waiting list's length and the newcomer's
    own registration (response and place on the waiting list), soonest first."""
    now = now or utcnow()
    sessions = db.scalars(
        select(MentoringSession).join(SessionType)
        .where(SessionType.code == GROUP_TYPE, MentoringSession.status != "cancelled",
               MentoringSession.starts_at > now)
        .options(selectinload(MentoringSession.attendees).joinedload(SessionAttendee.staff))
        .order_by(MentoringSession.starts_at, MentoringSession.id)).all()
    rows = []
    for session in sessions:
        newcomers = [a for a in session.attendees if a.role == "newcomer"]
        waiting = [a for a in newcomers if a.response == "waitlisted"]
        mine = next((a for a in newcomers if a.newcomer_id == newcomer_id), None)
        position = next((i for i, a in enumerate(waiting, 1) if a is mine), None)
        rows.append(EventRow(session, sum(1 for a in newcomers if a.response == "confirmed"),
                             len(waiting), mine.response if mine else None, position))
    return rows


def events_led_by(db: Session, staff_id: int) -> list[tuple[MentoringSession, int, int]]:
    """Events this staff member leads or organized, latest first: (event, seated, waiting)."""
    seated = func.sum(case((SessionAttendee.response == "confirmed", 1), else_=0))
    waiting = func.sum(case((SessionAttendee.response == "waitlisted", 1), else_=0))
    counts = (select(SessionAttendee.session_id, seated.label("seated"),
                     waiting.label("waiting"))
              .where(SessionAttendee.role == "newcomer")
              .group_by(SessionAttendee.session_id).subquery())
    led = select(SessionAttendee.session_id).where(SessionAttendee.staff_id == staff_id,
                                                   SessionAttendee.role == "mentor")
    rows = db.execute(
        select(MentoringSession, counts.c.seated, counts.c.waiting).join(SessionType)
        .outerjoin(counts, counts.c.session_id == MentoringSession.id)
        .where(SessionType.code == GROUP_TYPE,
               (MentoringSession.organizer_id == staff_id) | MentoringSession.id.in_(led))
        .order_by(MentoringSession.starts_at.desc(), MentoringSession.id.desc())).all()
    return [(row[0], int(row[1] or 0), int(row[2] or 0)) for row in rows]


def record_attendance(db: Session, actor: Actor, session_id: int,
                      attended: Mapping[int, bool]) -> AttendanceResult:
    """A mentor marks who came; each mentor present gets hours for the event.

    Through :func:`kit.services.attendance.mark_attendance`; raises GroupEventError
    ``not_found`` and that function's SchedulingError codes.
    """
    _load(db, session_id)
    return mark_attendance(db, actor, session_id, attended)
