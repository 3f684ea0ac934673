"""The monthly roll-up of hours stays the sum of the entries, and the reports read it exactly.

A program lives through a random sequence of what people do with hours, through the services:
mentors log and correct hours, newcomers and coordinators confirm or reject them, mentors mark
who came to sessions (which adds entries, or removes them when someone was absent after all),
and a newcomer asks to be erased. After it, the roll-up must equal the entries counted one by
one, and every hours figure of the reports, for any period, must equal the same figure counted
from the entries: whole months come from the roll-up, the days at the edges from the entries.
Run with ``--db=postgresql`` for PostgreSQL.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from kit.models import (
    AuditEvent,
    HoursEntry,
    HoursMonth,
    Match,
    Referral,
    SessionAttendee,
    StaffMember,
    VolunteerProfile,
)
from kit.reporting import Page, ReportFilters, hours_report, hours_totals
from kit.services.attendance import mark_attendance
from kit.services.audit import Actor
from kit.services.hours import (
    MANUAL_CATEGORIES,
    HoursError,
    HoursInput,
    add_entry,
    confirm_entry,
    edit_entry,
    reject_entry,
)
from kit.services.hours_rollup import differences
from kit.services.privacy import erase_newcomer

TODAY = date.today()
STEPS = 160
HOURS = ("0.25", "0.5", "1", "1.25", "2", "2.75", "3.5")
TYPES = ("one_on_one", "job_shadowing", "workplace_tour")


@dataclass
class Program:
    """Who acts in the random history."""

    coordinator: StaffMember
    mentors: list[StaffMember]
    matches: dict[int, list[int]]  # mentor's staff id -> their match ids
    sessions: list[int]
    newcomers: list[int]
    cohort_id: int
    agency_ids: list[int]


def build(db, factory) -> Program:
    """Three mentors (two departments and none, three occupations), four matches of a cohort
    or none, two agencies, and past sessions of three types, some with a colleague."""
    coordinator = factory.staff("Coordinator", roles=("coordinator",))
    cohort = factory.cohort("Spring", starts_on=TODAY - timedelta(days=150), weeks=30)
    agencies = [factory.agency("Harbourview"), factory.agency("Northside")]
    colleague = factory.staff("Colleague", department="Health")
    departments, nocs = ("Engineering", "Health", None), ("21300", "21231", "31102")
    mentors, matches, sessions, newcomers = [], defaultdict(list), [], []
    for i, (department, noc) in enumerate(zip(departments, nocs, strict=True)):
        factory.occupation(noc)
        mentor = factory.staff(f"Mentor {i}", department=department, employee_number=f"E-{i}")
        volunteer = factory.volunteer(mentor, noc_code=noc)
        mentors.append(mentor)
        for j in range(1 + (i == 0)):
            newcomer = factory.newcomer(f"Newcomer {i}{j}", target_noc_code=noc)
            factory.referral(newcomer, agencies[(i + j) % 2], status="accepted")
            match = factory.match(volunteer, newcomer, started_on=TODAY - timedelta(days=140),
                                  cohort_id=cohort.id if i != 2 else None)
            matches[mentor.id].append(match.id)
            newcomers.append(newcomer.id)
            for k in range(4):
                session = factory.session(match, starts_in=-timedelta(days=5 + 31 * k + 7 * i))
                session.session_type_id = factory.session_type(TYPES[(k + j) % 3]).id
                if k % 2:
                    db.add(SessionAttendee(session_id=session.id, staff_id=colleague.id,
                                           role="colleague"))
                sessions.append(session.id)
    db.commit()
    return Program(coordinator, mentors, dict(matches), sessions, newcomers, cohort.id,
                   [a.id for a in agencies])


def live(rng: random.Random, db, program: Program) -> None:
    """A random history of :data:`STEPS` actions, each committed like a request."""
    coordinator = Actor("staff", program.coordinator.id)
    for _step in range(STEPS):
        action = rng.choices(("log", "edit", "confirm", "reject", "attend"),
                             weights=(30, 15, 20, 10, 25))[0]
        try:
            if action == "log":
                mentor = rng.choice(program.mentors)
                add_entry(db, Actor("staff", mentor.id), mentor.id, _hours_input(
                    rng, program.matches[mentor.id]))
            elif action == "edit":
                entry = _pick(rng, db, HoursEntry.status.in_(("pending", "rejected")),
                              HoursEntry.category != "session")
                if entry is not None:
                    edit_entry(db, Actor("staff", entry.staff_id), entry.staff_id, entry.id,
                               _hours_input(rng, program.matches[entry.staff_id]))
            elif action in ("confirm", "reject"):
                entry = _pick(rng, db, HoursEntry.status == "pending")
                if entry is not None and action == "confirm":
                    confirm_entry(db, coordinator, entry.id)
                elif entry is not None:
                    reject_entry(db, coordinator, entry.id, "Not that day.")
            else:
                _attend(rng, db, rng.choice(program.sessions))
        except HoursError:
            db.rollback()  # more than 24 hours on a day: refused, as a mentor would see
            continue
        db.commit()
    erase_newcomer(db, coordinator, program.newcomers[0])
    db.commit()


def _hours_input(rng: random.Random, match_ids: list[int]) -> HoursInput:
    return HoursInput(worked_on=TODAY - timedelta(days=rng.randint(0, 130)),
                      hours=Decimal(rng.choice(HOURS)), category=rng.choice(MANUAL_CATEGORIES),
                      match_id=rng.choice([None, *match_ids]))


def _pick(rng: random.Random, db, *conditions) -> HoursEntry | None:
    ids = db.scalars(select(HoursEntry.id).where(*conditions).order_by(HoursEntry.id)).all()
    return db.get(HoursEntry, rng.choice(ids)) if ids else None


def _attend(rng: random.Random, db, session_id: int) -> None:
    attendees = db.scalars(select(SessionAttendee).where(SessionAttendee.session_id == session_id)
                           .order_by(SessionAttendee.id)).all()
    mentor = next(a for a in attendees if a.role == "mentor")
    # Mostly present: a session marked twice with someone absent removes their pending entry.
    mark_attendance(db, Actor("staff", mentor.staff_id), session_id,
                    {a.id: rng.random() < 0.8 for a in attendees})


def counted_from_entries(db) -> dict[tuple, tuple[int, int, int, int]]:
    """The roll-up as it should be, counted entry by entry in Python."""
    db.expire_all()
    rows: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for entry in db.scalars(select(HoursEntry)):
        if entry.status == "rejected":
            continue
        session_type = entry.session.session_type_id if entry.session else 0
        row = rows[(entry.staff_id, entry.worked_on.replace(day=1), entry.match_id or 0,
                    session_type)]
        column = 0 if entry.status == "confirmed" else 2
        row[column] += int(entry.hours * 100)
        row[column + 1] += 1
    return {key: tuple(row) for key, row in rows.items()}


def stored(db) -> dict[tuple, tuple[int, int, int, int]]:
    return {(r.staff_id, r.month, r.match_id, r.session_type_id):
            (r.confirmed_hundredths, r.confirmed_entries, r.pending_hundredths, r.pending_entries)
            for r in db.scalars(select(HoursMonth))}


@pytest.fixture
def program(db, factory) -> Program:
    program = build(db, factory)
    live(random.Random(20271), db, program)
    return program


def test_the_roll_up_is_the_sum_of_the_entries_after_a_random_history(db, program):
    statuses = {status for (status,) in db.execute(select(HoursEntry.status).distinct())}
    categories = {c for (c,) in db.execute(select(HoursEntry.category).distinct())}
    assert statuses == {"pending", "confirmed", "rejected"}  # the history did it all
    assert "session" in categories and len(categories) > 2
    actions = [(event.action, event.details) for event in db.scalars(select(AuditEvent))]
    assert sum(action == "hours.changed" for action, _details in actions) > 10
    assert any(details["hours_removed"] for action, details in actions
               if action == "session.attendance_marked")
    expected = counted_from_entries(db)
    assert len(expected) > 20
    assert stored(db) == expected
    assert differences(db) == []


def reference(db, f: ReportFilters) -> dict[int, tuple[Decimal, Decimal, int]]:
    """Each staff member's confirmed and pending hours and entries, entry by entry."""
    db.expire_all()
    per: dict[int, list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for entry in db.scalars(select(HoursEntry)):
        staff, match, session = entry.staff, entry.match, entry.session
        profile = db.scalar(select(VolunteerProfile).where(VolunteerProfile.staff_id == staff.id))
        kept = (entry.status != "rejected"
                and (f.date_from is None or entry.worked_on >= f.date_from)
                and (f.date_to is None or entry.worked_on <= f.date_to)
                and (f.department is None or staff.department == f.department)
                and (f.noc is None or (profile is not None and profile.noc_code.startswith(f.noc)))
                and (f.cohort_id is None or (match is not None and match.cohort_id == f.cohort_id))
                and (f.agency_id is None or (match is not None and _referred(db, match, f)))
                and (f.session_type is None
                     or (session is not None and session.session_type.code == f.session_type)))
        if kept:
            row = per[staff.id]
            row[0 if entry.status == "confirmed" else 1] += entry.hours
            row[2] += 1
    return {staff_id: (row[0], row[1], row[2]) for staff_id, row in per.items()}


def _referred(db, match: Match, f: ReportFilters) -> bool:
    return db.scalar(select(Referral.id).where(
        Referral.newcomer_id == match.newcomer_id, Referral.agency_id == f.agency_id,
        Referral.status != "draft")) is not None


def random_filters(rng: random.Random, program: Program) -> ReportFilters:
    """A random period (open, whole months or any days) and at most two other filters."""
    start = TODAY - timedelta(days=rng.randint(0, 140))
    end = start + timedelta(days=rng.randint(0, 120))
    period = rng.choice([(None, None), (start, None), (None, end), (start, end),
                         (start.replace(day=1), None), (start, end)])
    choices = {"department": ["Engineering", "Health"], "noc": ["2", "213", "31102"],
               "cohort_id": [program.cohort_id], "agency_id": program.agency_ids,
               "session_type": list(TYPES)}
    others = {name: rng.choice(choices[name])
              for name in rng.sample(sorted(choices), rng.randint(0, 2))}
    return ReportFilters(date_from=period[0], date_to=period[1], **others)


def test_every_hours_figure_is_the_one_counted_from_the_entries(db, program):
    rng = random.Random(5)
    filters = [ReportFilters(), ReportFilters(date_from=TODAY.replace(day=1)),
               ReportFilters(date_from=TODAY - timedelta(days=45),
                             date_to=TODAY - timedelta(days=3)),
               ReportFilters(date_to=(TODAY - timedelta(days=40)).replace(day=1))]
    filters += [random_filters(rng, program) for _ in range(40)]
    nonempty = 0
    for f in filters:
        expected = reference(db, f)
        report = hours_report(db, f, None)
        per_staff = {s.staff_id: (s.confirmed, s.pending, s.entries) for s in report.staff}
        assert per_staff == expected, f
        totals = (len(expected), sum((e[0] for e in expected.values()), Decimal(0)),
                  sum((e[1] for e in expected.values()), Decimal(0)),
                  sum(e[2] for e in expected.values()))
        assert (report.totals.volunteers, report.totals.confirmed, report.totals.pending,
                report.totals.entries) == totals, f
        assert hours_totals(db, f) == report.totals, f
        assert sum(d.volunteers for d in report.departments) == len(expected)
        page = hours_report(db, f, Page(1, 2))
        assert [s.staff_id for s in page.staff] == [s.staff_id for s in report.staff[:2]]
        nonempty += bool(expected)
    assert nonempty > len(filters) // 2
