"""Reading the connector chains: one newcomer's tree, the coordinator's list, the figures.

A chain starts at a newcomer's first connector meeting; each introduction made there may lead
to a meeting with that colleague, whose introductions lead further. A meeting is *held* when its
attendance says the newcomer came or when introductions were recorded at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from kit.models import (
    ConnectorIntroduction,
    MentoringSession,
    Newcomer,
    Referral,
    SessionAttendee,
    SessionType,
    StaffMember,
    VolunteerProfile,
)
from kit.services.connectors import CONNECTOR_TYPE, OPEN_STATUSES


@dataclass
class IntroductionNode:
    """An introduction and, once the colleague scheduled it, the meeting it led to."""

    introduction: ConnectorIntroduction
    meeting: MeetingNode | None = None


@dataclass
class MeetingNode:
    """A connector meeting of the chain with the introductions made at it."""

    session: MentoringSession
    depth: int
    introductions: list[IntroductionNode] = field(default_factory=list)


@dataclass(frozen=True)
class ChainRow:
    """One newcomer's chain as a row of the coordinator's list."""

    newcomer_id: int
    name: str
    first_meeting_at: datetime
    meetings: int
    meetings_held: int
    introductions: int
    open_introductions: int
    depth: int


@dataclass(frozen=True)
class ChainSummary:
    """Figures of the connector format for reports.

    ``depth`` is the number of held meetings in the longest chain (1: only first meetings).
    """

    newcomers_met: int
    introductions_made: int
    meetings_held: int
    depth: int
    introductions_open: int = 0
    introductions_declined: int = 0


def _held() -> ColumnElement[bool]:
    """The meeting took place: attended, or introductions were recorded at it."""
    return or_(MentoringSession.status == "attended",
               exists(select(ConnectorIntroduction.id).where(
                   ConnectorIntroduction.from_session_id == MentoringSession.id)))


def _meetings(*conditions: ColumnElement[bool]):  # type: ignore[no-untyped-def]
    """(session id, newcomer id, starts_at, held, level) of every connector meeting not called off.

    ``level`` is the meeting's place in its chain: 1 for a first meeting, 2 for a meeting that
    followed an introduction made at a first meeting, ...
    """
    lead = aliased(ConnectorIntroduction)
    return (
        select(MentoringSession.id.label("session_id"),
               SessionAttendee.newcomer_id.label("newcomer_id"),
               MentoringSession.starts_at.label("starts_at"),
               case((_held(), 1), else_=0).label("held"),
               (func.coalesce(lead.depth, 0) + 1).label("level"))
        .join(SessionType, SessionType.id == MentoringSession.session_type_id)
        .join(SessionAttendee, and_(SessionAttendee.session_id == MentoringSession.id,
                                    SessionAttendee.newcomer_id.is_not(None)))
        .outerjoin(lead, lead.follow_up_session_id == MentoringSession.id)
        .where(SessionType.code == CONNECTOR_TYPE, MentoringSession.status != "cancelled",
               *conditions)
        .subquery())


def newcomer_chain(db: Session, newcomer_id: int) -> list[MeetingNode]:
    """The newcomer's chains as trees: first meetings, then what each introduction led to."""
    sessions = {s.id: s for s in db.scalars(
        select(MentoringSession).join(SessionType)
        .join(SessionAttendee, SessionAttendee.session_id == MentoringSession.id)
        .where(SessionType.code == CONNECTOR_TYPE, SessionAttendee.newcomer_id == newcomer_id)
        .options(joinedload(MentoringSession.organizer))
        .order_by(MentoringSession.starts_at, MentoringSession.id))}
    introductions = db.scalars(
        select(ConnectorIntroduction).where(ConnectorIntroduction.newcomer_id == newcomer_id)
        .options(joinedload(ConnectorIntroduction.colleague),
                 joinedload(ConnectorIntroduction.introduced_by))
        .order_by(ConnectorIntroduction.id)).all()
    by_meeting: dict[int, list[ConnectorIntroduction]] = {}
    for introduction in introductions:
        by_meeting.setdefault(introduction.from_session_id, []).append(introduction)
    follow_ups = {i.follow_up_session_id for i in introductions if i.follow_up_session_id}
    placed: set[int] = set()

    def node(session_id: int, depth: int) -> MeetingNode:
        placed.add(session_id)
        meeting = MeetingNode(sessions[session_id], depth)
        for introduction in by_meeting.get(session_id, []):
            child = introduction.follow_up_session_id
            meeting.introductions.append(IntroductionNode(
                introduction, node(child, depth + 1)
                if child in sessions and child not in placed else None))
        return meeting

    return [node(session_id, 1) for session_id in sessions
            if session_id not in follow_ups and session_id not in placed]


def chain_rows(db: Session, page: int, per_page: int) -> tuple[list[ChainRow], int]:
    """Newcomers with connector meetings, latest first chain first, and the number of pages."""
    meetings = _meetings()
    per_newcomer = (
        select(meetings.c.newcomer_id, func.min(meetings.c.starts_at).label("first_at"),
               func.count().label("meetings"), func.sum(meetings.c.held).label("held"),
               func.max(case((meetings.c.held == 1, meetings.c.level), else_=0)).label("depth"))
        .group_by(meetings.c.newcomer_id).subquery())
    total = db.scalar(select(func.count()).select_from(per_newcomer)) or 0
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    rows = db.execute(
        select(per_newcomer, Newcomer)
        .join(Newcomer, Newcomer.id == per_newcomer.c.newcomer_id)
        .order_by(per_newcomer.c.first_at.desc(), per_newcomer.c.newcomer_id)
        .offset((page - 1) * per_page).limit(per_page)).all()
    ids = [row.newcomer_id for row in rows]
    counts = {newcomer_id: (made, open_) for newcomer_id, made, open_ in db.execute(
        select(ConnectorIntroduction.newcomer_id, func.count(),
               func.sum(case((ConnectorIntroduction.status.in_(OPEN_STATUSES), 1), else_=0)))
        .where(ConnectorIntroduction.newcomer_id.in_(ids))
        .group_by(ConnectorIntroduction.newcomer_id))} if ids else {}
    return [ChainRow(
        newcomer_id=row.newcomer_id, name=row.Newcomer.display_name, first_meeting_at=row.first_at,
        meetings=row.meetings, meetings_held=int(row.held or 0),
        introductions=counts.get(row.newcomer_id, (0, 0))[0],
        open_introductions=int(counts.get(row.newcomer_id, (0, 0))[1] or 0),
        depth=int(row.depth or 0)) for row in rows], pages


def chain_summary(db: Session, *, since: datetime | None = None,
                  until: datetime | None = None) -> ChainSummary:
    """The connector format's figures: newcomers met, introductions, meetings held, depth.

    ``since``/``until`` (aware instants, ``until`` excluded) select meetings by their start and
    introductions by when they were recorded; None leaves that side open. Three queries, all
    aggregated in the database.
    """
    when = []
    if since is not None:
        when.append(MentoringSession.starts_at >= since)
    if until is not None:
        when.append(MentoringSession.starts_at < until)
    meetings = _meetings(*when)
    newcomers, held, depth = db.execute(
        select(func.count(func.distinct(meetings.c.newcomer_id)), func.count(),
               func.max(meetings.c.level)).where(meetings.c.held == 1)).one()
    made = []
    if since is not None:
        made.append(ConnectorIntroduction.created_at >= since)
    if until is not None:
        made.append(ConnectorIntroduction.created_at < until)
    total, open_, declined = db.execute(
        select(func.count(),
               func.sum(case((ConnectorIntroduction.status.in_(OPEN_STATUSES), 1), else_=0)),
               func.sum(case((ConnectorIntroduction.status == "declined", 1), else_=0)))
        .where(*made)).one()
    return ChainSummary(newcomers_met=newcomers or 0, introductions_made=total or 0,
                        meetings_held=held or 0, depth=depth or 0,
                        introductions_open=int(open_ or 0),
                        introductions_declined=int(declined or 0))


def connectors(db: Session) -> list[StaffMember]:
    """Active staff members who may host a first connector meeting, by name."""
    return list(db.scalars(
        select(StaffMember).join(VolunteerProfile, VolunteerProfile.staff_id == StaffMember.id)
        .where(VolunteerProfile.status == "approved", VolunteerProfile.offers_connector,
               StaffMember.is_active)
        .order_by(StaffMember.display_name, StaffMember.id)))


def find_colleagues(db: Session, text: str, limit: int = 8) -> list[StaffMember]:
    """Active staff members whose name or e-mail contains ``text`` (an exact e-mail first)."""
    text = text.strip().lower()
    if not text:
        return []
    exact = db.scalar(select(StaffMember).where(func.lower(StaffMember.email) == text,
                                                StaffMember.is_active))
    if exact is not None:
        return [exact]
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(db.scalars(
        select(StaffMember)
        .where(StaffMember.is_active,
               or_(func.lower(StaffMember.display_name).like(pattern, escape="\\"),
                   func.lower(StaffMember.email).like(pattern, escape="\\")))
        .order_by(StaffMember.display_name, StaffMember.id).limit(limit)))


def meetings_of(db: Session, staff_id: int) -> list[MentoringSession]:
    """Connector meetings this staff member hosts, latest first."""
    return list(db.scalars(
        select(MentoringSession).join(SessionType)
        .join(SessionAttendee, SessionAttendee.session_id == MentoringSession.id)
        .where(SessionType.code == CONNECTOR_TYPE, SessionAttendee.staff_id == staff_id)
        .options(selectinload(MentoringSession.attendees).joinedload(SessionAttendee.newcomer))
        .order_by(MentoringSession.starts_at.desc(), MentoringSession.id.desc())))


def introductions_from(db: Session, session_id: int) -> list[ConnectorIntroduction]:
    """The introductions made at one meeting, with their colleagues and follow-up meetings."""
    return list(db.scalars(
        select(ConnectorIntroduction).where(ConnectorIntroduction.from_session_id == session_id)
        .options(joinedload(ConnectorIntroduction.colleague),
                 joinedload(ConnectorIntroduction.follow_up_session))
        .order_by(ConnectorIntroduction.id)))


def newcomers_to_connect(db: Session) -> list[Newcomer]:
    """Newcomers a first connector meeting can be scheduled for: accepted into the program."""
    accepted = select(Referral.newcomer_id).where(Referral.status == "accepted")
    return list(db.scalars(
        select(Newcomer).where(Newcomer.id.in_(accepted), Newcomer.erased_at.is_(None))
        .order_by(Newcomer.given_name, Newcomer.family_name, Newcomer.id)))
