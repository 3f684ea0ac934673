"""Demo sessions (past and upcoming, one-on-one and group events), attendees and hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.demo.context import DemoContext
from kit.demo.people import WORK_LOCATIONS
from kit.demo.staff import StaffData
from kit.models import (
    HoursEntry,
    HoursRevision,
    Match,
    MentoringSession,
    Newcomer,
    SessionAttendee,
    SessionType,
    StaffMember,
)
from kit.models.sessions import DEFAULT_SESSION_TYPES

#: Session types of a match after the first meeting, with their relative frequency.
FOLLOW_UP_TYPES = {"one_on_one": 10, "job_shadowing": 2, "workplace_tour": 1,
                   "team_meeting": 2, "connector_meeting": 2}
CANCEL_REASONS = ("Mentor called to an urgent site meeting.", "Newcomer had a job interview.",
                  "Office closed: snowfall warning.")
MANUAL_HOURS = (
    ("preparation", "Reviewed résumé and cover letter before our session."),
    ("preparation", "Prepared the job-shadowing day with the project team."),
    ("correspondence", "Emails about an interview invitation."),
    ("correspondence", "Introduced the newcomer to two colleagues by email."),
)
ADDRESSES = {location.name: location.address for location in WORK_LOCATIONS}


@dataclass
class SessionData:
    """Everything this step created."""

    sessions: list[MentoringSession] = field(default_factory=list)
    hours: list[HoursEntry] = field(default_factory=list)
    busy: set[tuple[int, date]] = field(default_factory=set)  # (staff id, day) with a session


def ensure_session_types(session: Session) -> dict[str, SessionType]:
    """The default session types, created when missing; keyed by code."""
    existing = {t.code: t for t in session.scalars(select(SessionType))}
    for code, minutes, is_group in DEFAULT_SESSION_TYPES:
        if code not in existing:
            existing[code] = SessionType(code=code, default_minutes=minutes, is_group=is_group)
            session.add(existing[code])
    session.flush()
    return existing


def seed_sessions(session: Session, ctx: DemoContext, staff: StaffData,
                  matches: list[Match]) -> SessionData:
    """Sessions of every match that started, group events, and the hours they produced."""
    types = ensure_session_types(session)
    data = SessionData()
    for match in matches:
        if match.started_on is not None:
            _match_sessions(ctx, staff, types, match, data)
            _manual_hours(ctx, match, data)
    _group_events(ctx, staff, types, matches, data)
    session.add_all(data.sessions)
    session.add_all(data.hours)
    return data


def _match_sessions(ctx: DemoContext, staff: StaffData, types: dict[str, SessionType],
                    match: Match, data: SessionData) -> None:
    rng = ctx.rng
    assert match.started_on is not None and match.planned_end_on is not None
    last = match.closed_at.date() if match.closed_at else match.planned_end_on
    day, first, upcoming, max_upcoming = match.started_on, True, 0, rng.randint(1, 3)
    mentor: StaffMember = match.volunteer.staff
    while upcoming < max_upcoming:
        day, start_minute = _next_slot(ctx, match, day)
        if day > last:
            break
        # Neither past nor upcoming is ambiguous; and a mentor meets one newcomer a day.
        if day == ctx.today or (mentor.id, day) in data.busy:
            day += timedelta(days=1)
            continue
        data.busy.add((mentor.id, day))
        if day > ctx.today:
            upcoming += 1
        code = "one_on_one" if first else rng.choices(
            list(FOLLOW_UP_TYPES), list(FOLLOW_UP_TYPES.values()))[0]
        record = _session(ctx, types[code], mentor, day, match=match,
                          start_minute=None if code == "job_shadowing" else start_minute)
        if day < ctx.today:
            record.status = rng.choices(("attended", "no_show", "cancelled"), (84, 6, 10))[0]
        else:
            record.status = rng.choice(("scheduled", "confirmed"))
        if record.status == "cancelled":
            record.cancel_reason, record.sequence = rng.choice(CANCEL_REASONS), 1
        _invite(record, "mentor", staff=mentor)
        _invite(record, "newcomer", newcomer=match.newcomer,
                response="invited" if record.status == "scheduled" else "confirmed")
        if code in ("job_shadowing", "team_meeting"):
            colleagues = [m for m in staff.colleagues_of(mentor) if m.is_active]
            if colleagues:
                _invite(record, "colleague", staff=rng.choice(colleagues))
        data.sessions.append(record)
        if record.status == "attended":
            data.hours.append(_session_hours(ctx, record, mentor, match))
        first = False
        day += timedelta(days=rng.choice((7, 7, 10, 14)))


def _next_slot(ctx: DemoContext, match: Match, day: date) -> tuple[date, int]:
    """The first day from ``day`` on which the mentor is available, and the window's start."""
    windows = match.volunteer.availability
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        fitting = [w for w in windows if w.weekday == candidate.weekday()]
        if fitting:
            return candidate, ctx.rng.choice(fitting).start_minute
    return ctx.workday(day), 10 * 60


def _session(ctx: DemoContext, session_type: SessionType, organizer: StaffMember, day: date,
             *, match: Match | None = None, start_minute: int | None = None,
             title: str | None = None) -> MentoringSession:
    rng = ctx.rng
    if start_minute is None:  # long sessions take the morning
        start_minute = 9 * 60 if session_type.default_minutes > 120 else 14 * 60
    starts = ctx.at(day, start_minute // 60, start_minute % 60)
    building = organizer.work_location or "City Hall"
    record = MentoringSession(
        uid=ctx.uid(), match=match, session_type=session_type, organizer=organizer,
        title=title, starts_at=starts,
        ends_at=starts + timedelta(minutes=session_type.default_minutes),
        location_building=building,
        # Each organizer books the same meeting room near their desk.
        location_room=f"Room {1 + organizer.id % 4}-{101 + organizer.id % 37}",
        location_address=ADDRESSES.get(building), host_department=organizer.department,
        visitor_instructions=f"Check in at the front desk and ask for {organizer.display_name}.",
        created_at=starts - timedelta(days=rng.randint(5, 12)),
    )
    if session_type.code == "job_shadowing":
        record.confidentiality_note = ("You may see draft reports and personal information; "
                                       "please keep what you see and hear confidential.")
    return record


def _invite(record: MentoringSession, role: str, *, staff: StaffMember | None = None,
            newcomer: Newcomer | None = None, response: str = "confirmed",
            attended: bool | None = None) -> None:
    if attended is None and record.status in ("attended", "no_show"):
        # At a no-show the mentor waited in vain; everyone else came.
        attended = not (record.status == "no_show" and role == "newcomer")
    record.attendees.append(SessionAttendee(role=role, response=response, attended=attended,
                                            staff=staff, newcomer=newcomer))


def _confirmation(ctx: DemoContext, ended: datetime, entry: HoursEntry, kind: str) -> None:
    # Recent entries wait for the newcomer; older ones are confirmed.
    if ended.date() >= ctx.today - timedelta(days=10) and ctx.rng.random() < 0.7:
        return
    entry.status, entry.confirmed_by_kind = "confirmed", kind
    entry.confirmed_at = min(ended + timedelta(days=ctx.rng.randint(1, 4)), ctx.now)


def _session_hours(ctx: DemoContext, record: MentoringSession, mentor: StaffMember,
                   match: Match | None) -> HoursEntry:
    hours = Decimal(record.duration_minutes) / 60
    entry = HoursEntry(
        staff=mentor, match=match, session=record, worked_on=record.starts_at.date(),
        hours=hours.quantize(Decimal("0.01")),
        category="event" if match is None else "session", status="pending",
        created_at=record.ends_at + timedelta(hours=2),
    )
    _confirmation(ctx, record.ends_at, entry, "newcomer" if match else "staff")
    return entry


def _manual_hours(ctx: DemoContext, match: Match, data: SessionData) -> None:
    rng = ctx.rng
    assert match.started_on is not None
    last = min(match.closed_at.date() if match.closed_at else ctx.today, ctx.today)
    span = (last - match.started_on).days
    if span < 3:
        return
    for _n in range(rng.randint(1, 3)):
        worked_on = match.started_on + timedelta(days=rng.randint(1, span - 1))
        category, note = rng.choice(MANUAL_HOURS)
        entry = HoursEntry(staff=match.volunteer.staff, match=match, worked_on=worked_on,
                           hours=rng.choice((Decimal("0.5"), Decimal("0.75"), Decimal("1"))),
                           category=category, note=note, status="pending",
                           created_at=ctx.at(worked_on, 17))
        _confirmation(ctx, ctx.at(worked_on, 17), entry, rng.choice(("newcomer", "staff")))
        data.hours.append(entry)
    if rng.random() < 0.15:
        # The mentor first logged too much and corrected it; the revision keeps the old value.
        entry = data.hours[-1]
        entry.revisions.append(HoursRevision(
            hours=entry.hours + 1, worked_on=entry.worked_on, category=entry.category,
            note=entry.note, changed_at=entry.created_at + timedelta(hours=1),
            actor_kind="staff", actor_id=str(match.volunteer.staff.directory_id)))
    if match.status == "active" and rng.random() < 0.1:
        data.hours.append(HoursEntry(
            staff=match.volunteer.staff, match=match, worked_on=last, hours=Decimal("6"),
            category="other", note="Whole day on site (duplicate of the session entry).",
            status="rejected", confirmed_at=ctx.now, confirmed_by_kind="staff",
            created_at=ctx.at(last, 9)))


def _group_events(ctx: DemoContext, staff: StaffData, types: dict[str, SessionType],
                  matches: list[Match], data: SessionData) -> None:
    rng = ctx.rng
    current = [m for m in matches if m.status == "active"]
    organizer = staff.coordinators[0]
    events = (
        ("group_event", -40, "Networking breakfast: careers at the City", "attended"),
        ("professional_development", -18, "Workshop: the public-sector interview", "attended"),
        ("group_event", 12, "Mid-cohort networking lunch", "confirmed"),
        ("professional_development", 26, "Panel: getting your engineering licence recognised",
         "scheduled"),
    )
    for code, offset, title, status in events:
        day = ctx.workday(ctx.today + timedelta(days=offset))
        record = _session(ctx, types[code], organizer, day, title=title,
                          start_minute=12 * 60 if code == "group_event" else 14 * 60)
        record.status, record.capacity = status, 8
        record.location_building, record.location_room = "City Hall", "Council Committee Room"
        record.location_address = ADDRESSES["City Hall"]
        picked = rng.sample(current, min(len(current), 9))
        for position, match in enumerate(picked):
            waitlisted = position >= record.capacity and status != "attended"
            _invite(record, "newcomer", newcomer=match.newcomer,
                    response="waitlisted" if waitlisted else "confirmed",
                    attended=(position % 5 != 4) if status == "attended" else None)
            if position < 4 and match.volunteer.staff not in [a.staff for a in record.attendees]:
                _invite(record, "mentor", staff=match.volunteer.staff,
                        attended=True if status == "attended" else None)
                if status == "attended":
                    data.hours.append(_session_hours(ctx, record, match.volunteer.staff, None))
        data.sessions.append(record)
