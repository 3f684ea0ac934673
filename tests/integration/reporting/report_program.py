"""A small program whose every report figure is computed by hand in the tests.

Four mentors (two in Engineering, one in Health, one without a department), six newcomers
referred by two agencies, five matches, a few sessions, hours entries, outcomes and check-ins.
The clock is fixed at 2026-06-15 12:00 UTC and a match stalls after 21 days without a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from factories import Factory
from kit.models import (
    CheckIn,
    Cohort,
    HoursEntry,
    Match,
    MentoringSession,
    Outcome,
    Referral,
    StaffMember,
)

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
STALL_DAYS = 21
TIMEZONE = "America/Vancouver"


def at(day: str, hour: int = 17) -> datetime:
    """A moment on ``day`` (ISO), by default 17:00 UTC: mid-morning in Vancouver."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class Program:
    """The ids the tests refer to."""

    staff: dict[str, StaffMember]
    agencies: dict[str, int]
    cohorts: dict[str, int]
    newcomers: dict[str, int]
    matches: dict[str, int]


def build(db: Session) -> Program:
    """Fill ``db`` with the program and commit."""
    make = Factory(db)
    for code in ("21300", "21231", "31102"):
        make.occupation(code, title_en=f"Occupation {code}", title_fr=f"Profession {code}")
    c1 = Cohort(name="Fall 2026", starts_on=date(2026, 1, 1), ends_on=date(2026, 4, 30))
    c2 = Cohort(name="Winter 2027", starts_on=date(2026, 3, 1), ends_on=date(2026, 7, 31))
    db.add_all([c1, c2])
    db.flush()
    harbour, north = make.agency("Harbourview"), make.agency("Northside")

    staff = {
        "ana": make.staff("Ana Lima", department="Engineering", employee_number="E-100"),
        "ben": make.staff("Ben Okafor", department="Engineering", employee_number="E-200"),
        "chen": make.staff("Chen Wei", department="Health", employee_number="E-300"),
        "dev": make.staff("=Dev Patel", department=None, employee_number="E-400"),
    }
    nocs = {"ana": "21300", "ben": "21231", "chen": "31102", "dev": "21300"}
    mentors = {key: make.volunteer(person, noc_code=nocs[key]) for key, person in staff.items()}

    targets = {"n1": "21300", "n2": "21231", "n3": "31102", "n4": "21300", "n5": "21231",
               "n6": "21300", "n7": "21300"}
    newcomers = {key: make.newcomer(f"Newcomer {key}", "Test", target_noc_code=code)
                 for key, code in targets.items()}

    def refer(key: str, agency: object, status: str, day: str, cohort: Cohort | None = None
              ) -> None:
        db.add(Referral(newcomer_id=newcomers[key].id, agency_id=agency.id, status=status,
                        submitted_at=None if status == "draft" else at(day),
                        cohort_id=cohort.id if cohort else None))

    refer("n1", harbour, "accepted", "2026-01-10", c1)
    refer("n2", harbour, "accepted", "2026-02-10", c1)
    refer("n3", north, "accepted", "2026-03-10", c2)
    refer("n4", north, "accepted", "2026-03-15", c2)
    refer("n5", harbour, "referred_back", "2026-04-01")
    refer("n5", harbour, "submitted", "2026-04-20")
    refer("n6", harbour, "submitted", "2026-05-01")
    refer("n6", north, "accepted", "2026-05-01")
    refer("n7", harbour, "draft", "2026-05-02")

    def match(key: str, mentor: str, newcomer: str, status: str, cohort: Cohort | None,
              started: str | None, **fields: object) -> Match:
        record = Match(volunteer_id=mentors[mentor].id, newcomer_id=newcomers[newcomer].id,
                       status=status, cohort_id=cohort.id if cohort else None,
                       started_on=date.fromisoformat(started) if started else None, **fields)
        db.add(record)
        db.flush()
        return record

    x1 = match("x1", "ana", "n1", "closed", c1, "2026-02-01", closed_at=at("2026-05-31"),
               close_reason="completed")
    x2 = match("x2", "ben", "n2", "active", c1, "2026-03-01")
    x3 = match("x3", "chen", "n3", "active", c2, "2026-04-01")
    x4 = match("x4", "dev", "n4", "closed", c2, "2026-04-01", closed_at=at("2026-05-01"),
               close_reason="ended_by_newcomer")
    x5 = match("x5", "ana", "n6", "proposed", None, None)

    def session(m: Match, code: str, day: str, status: str = "attended") -> MentoringSession:
        record = MentoringSession(
            match_id=m.id, session_type_id=make.session_type(code).id,
            organizer_id=mentors["ana"].staff_id, starts_at=at(day),
            ends_at=at(day) + timedelta(hours=2), status=status)
        db.add(record)
        db.flush()
        return record

    s2 = session(x2, "one_on_one", "2026-06-10")
    s3 = session(x3, "job_shadowing", "2026-05-01")
    session(x3, "one_on_one", "2026-06-01", status="cancelled")  # does not count
    session(x3, "one_on_one", "2026-06-05", status="no_show")  # nor does a no-show
    session(x1, "one_on_one", "2026-03-01")

    def log(person: str, hours: str, status: str, day: str, m: Match,
            s: MentoringSession | None = None) -> None:
        db.add(HoursEntry(staff_id=staff[person].id, match_id=m.id,
                          session_id=s.id if s else None, worked_on=date.fromisoformat(day),
                          hours=Decimal(hours), category="session" if s else "preparation",
                          status=status))

    log("ana", "2.5", "confirmed", "2026-02-05", x1)
    log("ana", "3", "confirmed", "2026-03-05", x1)
    log("ana", "1.25", "pending", "2026-06-01", x1)
    log("ana", "4", "rejected", "2026-03-06", x1)
    log("ben", "2", "confirmed", "2026-06-10", x2, s2)
    log("ben", "0.5", "pending", "2026-06-11", x2)
    log("chen", "4", "confirmed", "2026-05-01", x3, s3)
    log("dev", "1.5", "confirmed", "2026-04-10", x4)

    def outcome(newcomer: str, m: Match, interval: str, status: str,
                since: str | None = None) -> None:
        db.add(Outcome(newcomer_id=newcomers[newcomer].id, match_id=m.id, interval=interval,
                       status=status, actor_kind="staff", recorded_at=at("2026-06-12"),
                       employed_since=date.fromisoformat(since) if since else None))

    outcome("n1", x1, "close", "employed_in_field", "2026-06-01")
    outcome("n1", x1, "3m", "employed_in_field", "2026-06-01")
    outcome("n4", x4, "close", "searching")
    outcome("n4", x4, "3m", "employed_in_field", "2026-07-01")

    def check_in(m: Match, respondent: str, month: str, score: int | None,
                 concern: bool = False) -> None:
        db.add(CheckIn(match_id=m.id, respondent=respondent,
                       period_start=date.fromisoformat(month), satisfaction=score,
                       has_concern=concern, answered_at=NOW if score else None))

    check_in(x1, "mentor", "2026-03-01", 5)
    check_in(x1, "newcomer", "2026-03-01", 4)
    check_in(x1, "mentor", "2026-04-01", 4)
    check_in(x1, "newcomer", "2026-04-01", 2, concern=True)
    check_in(x2, "mentor", "2026-04-01", 3)
    check_in(x2, "newcomer", "2026-04-01", None)  # sent, never answered
    check_in(x3, "newcomer", "2026-05-01", 5)
    db.commit()
    return Program(
        staff=staff, agencies={"harbour": harbour.id, "north": north.id},
        cohorts={"c1": c1.id, "c2": c2.id},
        newcomers={key: n.id for key, n in newcomers.items()},
        matches={"x1": x1.id, "x2": x2.id, "x3": x3.id, "x4": x4.id, "x5": x5.id})
