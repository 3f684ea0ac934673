"""The connector format (Halifax): 30-minute meetings where colleagues are introduced.

A coordinator (or the connector) schedules a first connector meeting between an approved
volunteer who offers "connector" and a newcomer. At the meeting the connector records at least
``KIT_CONNECTOR_MIN_INTRODUCTIONS`` colleagues; each becomes a suggested connector meeting that
the colleague schedules (a session, conflict-checked, with calendar invitations) or declines.
That meeting's own introductions continue the chain. Reading the chains is
:mod:`kit.services.connector_chains`.

Each function is one change with its audit event; it flushes and the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, joinedload

from kit.i18n import gettext
from kit.mail import parse_mailbox
from kit.models import (
    ConnectorIntroduction,
    MentoringSession,
    Newcomer,
    SessionAttendee,
    SessionType,
    StaffMember,
    VolunteerProfile,
)
from kit.models.sessions import DEFAULT_SESSION_TYPES
from kit.services.attendance import AttendanceResult, mark_attendance
from kit.services.audit import Actor, record
from kit.services.invitations import send_invitations
from kit.services.mail_compose import mail_context, mail_link, render_mail
from kit.services.outbox import enqueue
from kit.services.session_conflicts import lock_and_check
from kit.services.session_lists import session_of_type
from kit.state import get_state

CONNECTOR_TYPE = "connector_meeting"
#: Introductions still waiting for the colleague, or whose meeting was called off.
OPEN_STATUSES = ("suggested", "scheduled")


class ConnectorError(Exception):
    """A change the connector rules refuse; ``code`` is translated by the pages."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Place:
    """Where a meeting happens: a place at work, or an online link."""

    building: str | None = None
    room: str | None = None
    address: str | None = None
    online_url: str | None = None


#: No place given (yet).
NOWHERE = Place()


@dataclass(frozen=True)
class Colleague:
    """A colleague to introduce: a staff member of the directory, or a name and an e-mail."""

    staff_id: int | None = None
    name: str | None = None
    email: str | None = None


def session_type(db: Session, code: str) -> SessionType:
    """The session type ``code``, created with its default length if the install lacks it."""
    found = db.scalar(select(SessionType).where(SessionType.code == code))
    if found is None:
        minutes, group = next((m, g) for c, m, g in DEFAULT_SESSION_TYPES if c == code)
        found = SessionType(code=code, default_minutes=minutes, is_group=group)
        db.add(found)
        db.flush()
    return found


def is_coordinator(db: Session, actor: Actor) -> bool:
    """Whether ``actor`` is a staff member with the coordinator (or admin) role."""
    if actor.kind != "staff" or actor.id is None:
        return False
    staff = db.get(StaffMember, actor.id)
    return staff is not None and bool({"coordinator", "admin"} & staff.role_names)


def is_connector(db: Session, staff_id: int) -> bool:
    """Whether this staff member is an approved volunteer who offers connector meetings."""
    return bool(db.scalar(select(func.count()).select_from(VolunteerProfile).where(
        VolunteerProfile.staff_id == staff_id, VolunteerProfile.status == "approved",
        VolunteerProfile.offers_connector)))


def _new_meeting(db: Session, *, host_id: int, host_role: str, newcomer_id: int,
                 starts_at: datetime, place: Place) -> MentoringSession:
    kind = session_type(db, CONNECTOR_TYPE)
    ends_at = starts_at + timedelta(minutes=kind.default_minutes)
    lock_and_check(db, starts_at=starts_at, ends_at=ends_at, staff_ids=[host_id],
                   newcomer_ids=[newcomer_id])
    session = MentoringSession(
        session_type_id=kind.id, organizer_id=host_id, match_id=None, starts_at=starts_at,
        ends_at=ends_at, location_building=place.building, location_room=place.room,
        location_address=place.address, online_url=place.online_url, status="scheduled",
        time_zone=get_state().config["KIT_TIMEZONE"])
    session.attendees = [
        SessionAttendee(staff_id=host_id, role=host_role, response="confirmed"),
        SessionAttendee(newcomer_id=newcomer_id, role="newcomer", response="invited"),
    ]
    db.add(session)
    db.flush()
    send_invitations(db, session, "REQUEST")
    return session


def schedule_connector_meeting(db: Session, actor: Actor, *, connector_id: int,
                               newcomer_id: int, starts_at: datetime,
                               place: Place = NOWHERE) -> MentoringSession:
    """Start a chain: a 30-minute connector meeting of a connector and a newcomer.

    A coordinator schedules it for any connector, a connector for themselves. Raises
    ConnectorError ``forbidden``, ``not_a_connector`` or ``unknown_newcomer``, and
    :class:`~kit.services.session_conflicts.SessionConflict` when either is busy then.
    """
    if not (is_coordinator(db, actor) or (actor.kind == "staff" and actor.id == connector_id)):
        raise ConnectorError("forbidden")
    if not is_connector(db, connector_id):
        raise ConnectorError("not_a_connector")
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None or newcomer.is_erased:
        raise ConnectorError("unknown_newcomer")
    session = _new_meeting(db, host_id=connector_id, host_role="mentor",
                           newcomer_id=newcomer_id, starts_at=starts_at, place=place)
    record(db, actor, "connector.meeting_scheduled", "session", session.id,
           {"connector_id": connector_id, "newcomer_id": newcomer_id})
    return session


def load_meeting(db: Session, session_id: int) -> MentoringSession:
    """A connector meeting with its attendees; ConnectorError ``not_found`` otherwise."""
    session = session_of_type(db, session_id, CONNECTOR_TYPE)
    if session is None:
        raise ConnectorError("not_found")
    return session


def meeting_newcomer(session: MentoringSession) -> SessionAttendee:
    """The newcomer's attendance row of a connector meeting."""
    return next(a for a in session.attendees if a.newcomer_id is not None)


def may_host(db: Session, actor: Actor, session: MentoringSession) -> bool:
    """Whether ``actor`` hosts this meeting (organizer or staff attendee) or coordinates."""
    if actor.kind != "staff":
        return False
    return (actor.id == session.organizer_id
            or any(a.staff_id == actor.id for a in session.attendees)
            or is_coordinator(db, actor))


def leading_introduction(db: Session, session_id: int) -> ConnectorIntroduction | None:
    """The introduction this meeting follows up, or None for a chain's first meeting."""
    return db.scalar(select(ConnectorIntroduction)
                     .where(ConnectorIntroduction.follow_up_session_id == session_id))


def _normalized(db: Session, colleagues: Sequence[Colleague]) -> list[Colleague]:
    """Colleagues with directory people resolved: a typed e-mail of a staff member links them."""
    result = []
    for colleague in colleagues:
        email = (colleague.email or "").strip().lower() or None
        name = (colleague.name or "").strip() or None
        staff_id = colleague.staff_id
        if staff_id is None and email:
            staff_id = db.scalar(select(StaffMember.id).where(
                func.lower(StaffMember.email) == email))
        if staff_id is not None:
            staff = db.get(StaffMember, staff_id)
            if staff is None or not staff.is_active:
                raise ConnectorError("unknown_colleague", str(staff_id))
            result.append(Colleague(staff_id, staff.display_name, staff.email.lower()))
        elif name and email:
            try:
                parse_mailbox(email)
            except ValueError as error:
                raise ConnectorError("invalid_email", email) from error
            result.append(Colleague(None, name, email))
        else:
            raise ConnectorError("unknown_colleague", name or email or "")
    return result


def record_introductions(db: Session, actor: Actor, session_id: int,
                         colleagues: Sequence[Colleague], *, minimum: int | None = None,
                         note: str | None = None) -> list[ConnectorIntroduction]:
    """Record the colleagues introduced at a connector meeting; each is a suggested meeting.

    The meeting needs at least ``minimum`` introductions in all (default
    ``KIT_CONNECTOR_MIN_INTRODUCTIONS``); more can be added later. Raises ConnectorError
    ``not_found``, ``forbidden``, ``cancelled``, ``too_few_introductions`` (``detail`` is the
    minimum), ``unknown_colleague``, ``self_introduction``, ``duplicate_colleague`` or
    ``already_introduced`` (``detail`` names the colleague).
    """
    session = load_meeting(db, session_id)
    if not may_host(db, actor, session):
        raise ConnectorError("forbidden")
    if session.is_cancelled:
        raise ConnectorError("cancelled")
    # One recording at a time per meeting: two submissions at once cannot add the same colleague.
    db.execute(select(MentoringSession.id).where(MentoringSession.id == session.id)
               .with_for_update())
    minimum = minimum or get_state().config["KIT_CONNECTOR_MIN_INTRODUCTIONS"]
    newcomer_id = meeting_newcomer(session).newcomer_id
    assert newcomer_id is not None
    made_here = db.scalar(select(func.count()).select_from(ConnectorIntroduction).where(
        ConnectorIntroduction.from_session_id == session.id)) or 0
    if made_here + len(colleagues) < minimum or not colleagues:
        raise ConnectorError("too_few_introductions", str(minimum))
    resolved = _normalized(db, colleagues)
    hosts = {a.staff_id for a in session.attendees if a.staff_id is not None}
    earlier = db.scalars(select(ConnectorIntroduction).where(
        ConnectorIntroduction.newcomer_id == newcomer_id,
        ConnectorIntroduction.status != "declined")).all()
    # Whoever the newcomer already met at a connector meeting is not introduced again either.
    met = db.scalars(
        select(SessionAttendee.staff_id).join(MentoringSession).join(SessionType)
        .where(SessionType.code == CONNECTOR_TYPE, MentoringSession.status != "cancelled",
               SessionAttendee.staff_id.is_not(None),
               MentoringSession.id.in_(select(SessionAttendee.session_id).where(
                   SessionAttendee.newcomer_id == newcomer_id)))).all()
    taken_ids = {i.colleague_staff_id for i in earlier if i.colleague_staff_id} | set(met)
    taken_emails = {i.colleague_email for i in earlier if i.colleague_email}
    seen: set[str] = set()
    for colleague in resolved:
        if colleague.staff_id in hosts:
            raise ConnectorError("self_introduction", colleague.name or "")
        key = colleague.email or ""
        if key in seen:
            raise ConnectorError("duplicate_colleague", colleague.name or "")
        seen.add(key)
        if colleague.staff_id in taken_ids or colleague.email in taken_emails:
            raise ConnectorError("already_introduced", colleague.name or "")
    parent = leading_introduction(db, session.id)
    introducer = actor.id if actor.id in hosts else session.organizer_id
    made = []
    for colleague in resolved:
        introduction = ConnectorIntroduction(
            newcomer_id=newcomer_id, from_session_id=session.id, introduced_by_id=introducer,
            colleague_staff_id=colleague.staff_id, colleague_name=colleague.name,
            colleague_email=colleague.email, note=(note or "").strip() or None,
            status="suggested", parent_id=parent.id if parent else None,
            depth=parent.depth + 1 if parent else 1)
        db.add(introduction)
        made.append(introduction)
    if parent is not None and parent.status == "scheduled":
        parent.status = "met"  # introductions came out of it: the meeting was held
    db.flush()
    for introduction in made:
        _tell_colleague(db, introduction)
    record(db, actor, "connector.introductions_recorded", "session", session.id,
           {"introductions": [i.id for i in made], "newcomer_id": newcomer_id})
    return made


def _tell_colleague(db: Session, introduction: ConnectorIntroduction) -> None:
    """E-mail the colleague, in their language, that a newcomer would like to meet them."""
    db.refresh(introduction, ["colleague", "introduced_by", "newcomer"])
    colleague = introduction.colleague
    locale = (colleague.preferred_locale if colleague is not None
              else get_state().config["KIT_DEFAULT_LOCALE"])
    recipient = colleague.email if colleague is not None else introduction.colleague_email
    if not recipient:
        return
    with mail_context(), force_locale(locale):
        subject = gettext("%(connector)s introduces you to %(newcomer)s",
                          connector=introduction.introduced_by.display_name,
                          newcomer=introduction.newcomer.display_name)
        body = render_mail(locale, "kit/email/connector_introduction.txt",
                       introduction=introduction, url=mail_link("kit_staff.connector"))
    enqueue(db, recipient=recipient, recipient_name=introduction.colleague_display_name,
            subject=subject, body_text=body, locale=locale,
            dedupe_key=f"connector-introduction:{introduction.id}")


def _to_colleague(staff: StaffMember) -> ColumnElement[bool]:
    """Introductions to this staff member: by directory id, or by their e-mail only."""
    return or_(ConnectorIntroduction.colleague_staff_id == staff.id,
               ConnectorIntroduction.colleague_staff_id.is_(None)
               & (ConnectorIntroduction.colleague_email == staff.email.lower()))


def _introduction_for(db: Session, actor: Actor, introduction_id: int) -> ConnectorIntroduction:
    """An introduction to ``actor`` (by directory id or by their e-mail), locked for change."""
    if actor.kind != "staff" or actor.id is None:
        raise ConnectorError("forbidden")
    staff = db.get(StaffMember, actor.id)
    introduction = db.scalar(select(ConnectorIntroduction)
                             .where(ConnectorIntroduction.id == introduction_id)
                             .with_for_update())
    if introduction is None:
        raise ConnectorError("not_found")
    db.refresh(introduction, ["follow_up_session"])
    mine = introduction.colleague_staff_id == actor.id or (
        introduction.colleague_staff_id is None and staff is not None
        and introduction.colleague_email == staff.email.lower())
    if not mine:
        raise ConnectorError("forbidden")
    return introduction


def _awaits_scheduling(introduction: ConnectorIntroduction) -> bool:
    follow_up = introduction.follow_up_session
    return introduction.status == "suggested" or (
        introduction.status == "scheduled" and follow_up is not None and follow_up.is_cancelled)


def schedule_introduction(db: Session, actor: Actor, introduction_id: int, *,
                          starts_at: datetime, place: Place = NOWHERE) -> MentoringSession:
    """The colleague schedules the suggested 30-minute meeting with the newcomer.

    Also when the meeting was scheduled and then cancelled. Raises ConnectorError
    ``not_found``, ``forbidden`` or ``not_suggested``, and SessionConflict.
    """
    introduction = _introduction_for(db, actor, introduction_id)
    if not _awaits_scheduling(introduction):
        raise ConnectorError("not_suggested")
    assert actor.id is not None
    session = _new_meeting(db, host_id=actor.id, host_role="colleague",
                           newcomer_id=introduction.newcomer_id, starts_at=starts_at,
                           place=place)
    introduction.colleague_staff_id = actor.id
    introduction.status = "scheduled"
    introduction.follow_up_session_id = session.id
    record(db, actor, "connector.introduction_scheduled", "connector_introduction",
           introduction.id, {"session_id": session.id})
    db.flush()
    return session


def decline_introduction(db: Session, actor: Actor, introduction_id: int) -> None:
    """The colleague cannot meet the newcomer; the connector may introduce someone else."""
    introduction = _introduction_for(db, actor, introduction_id)
    if not _awaits_scheduling(introduction):
        raise ConnectorError("not_suggested")
    introduction.colleague_staff_id = actor.id
    introduction.status = "declined"
    record(db, actor, "connector.introduction_declined", "connector_introduction",
           introduction.id)
    db.flush()


def suggested_to(db: Session, staff_id: int) -> list[ConnectorIntroduction]:
    """Introductions waiting for this colleague to schedule (or to decline), oldest first."""
    staff = db.get(StaffMember, staff_id)
    if staff is None:
        return []
    rows = db.scalars(
        select(ConnectorIntroduction)
        .where(_to_colleague(staff), ConnectorIntroduction.status.in_(OPEN_STATUSES))
        .options(joinedload(ConnectorIntroduction.newcomer),
                 joinedload(ConnectorIntroduction.introduced_by),
                 joinedload(ConnectorIntroduction.follow_up_session))
        .order_by(ConnectorIntroduction.created_at, ConnectorIntroduction.id))
    return [row for row in rows if _awaits_scheduling(row)]


def mark_meeting_attendance(db: Session, actor: Actor, session_id: int,
                            attended: Mapping[int, bool]) -> AttendanceResult:
    """Who came to a connector meeting; hours for the host present, the chain moves on.

    Through :func:`kit.services.attendance.mark_attendance` (its SchedulingError codes). When
    the newcomer came to a follow-up meeting, the introduction that led to it is ``met``.
    """
    load_meeting(db, session_id)
    result = mark_attendance(db, actor, session_id, attended)
    introduction = leading_introduction(db, session_id)
    if introduction is not None and introduction.status in OPEN_STATUSES:
        introduction.status = "met" if result.status == "attended" else "scheduled"
        db.flush()
    return result
