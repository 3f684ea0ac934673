"""Builders for test records: each method fills sensible defaults and flushes."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.models import (
    Agency,
    AgencyUser,
    HoursEntry,
    Match,
    MentoringSession,
    Newcomer,
    Occupation,
    Referral,
    SessionAttendee,
    SessionType,
    StaffMember,
    StaffRole,
    VolunteerProfile,
)
from kit.models.base import utcnow


class Factory:
    """Creates people and program records in ``db``; the test commits when it needs to."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self._numbers = itertools.count(1)

    def _add(self, record: Any) -> Any:
        self.db.add(record)
        self.db.flush()
        return record

    def occupation(self, code: str = "21300", title_en: str = "Civil engineers",
                   title_fr: str = "Ingénieurs civils/ingénieures civiles") -> Occupation:
        """A NOC unit group with its parents (only those the test needs)."""
        parent = None
        for length in range(1, len(code) + 1):
            prefix = code[:length]
            existing = self.db.get(Occupation, prefix)
            if existing is None:
                level = ("broad", "major", "submajor", "minor", "unit")[length - 1]
                existing = self._add(Occupation(
                    code=prefix, level=level, parent_code=parent,
                    title_en=title_en if length == len(code) else f"Group {prefix}",
                    title_fr=title_fr if length == len(code) else f"Groupe {prefix}",
                    teer=int(code[1]) if length == 5 else None))
            parent = prefix
        return existing

    def staff(self, name: str = "Zoë O'Brien", roles: tuple[str, ...] = (), **fields: Any
              ) -> StaffMember:
        """An active employee; ``roles`` may hold 'coordinator' and 'admin'."""
        n = next(self._numbers)
        fields.setdefault("directory_id", f"user{n}")
        fields.setdefault("email", f"user{n}@city.example")
        fields.setdefault("department", "Engineering Services")
        staff = self._add(StaffMember(display_name=name, **fields))
        for role in roles:
            self._add(StaffRole(staff_id=staff.id, role=role))
        self.db.refresh(staff)
        return staff

    def volunteer(self, staff: StaffMember | None = None, status: str = "approved",
                  **fields: Any) -> VolunteerProfile:
        """A volunteer profile for ``staff`` (a new employee when None)."""
        staff = staff or self.staff()
        fields.setdefault("noc_code", self.occupation().code)
        fields.setdefault("years_experience", 8)
        fields.setdefault("capacity", 1)
        return self._add(VolunteerProfile(staff_id=staff.id, status=status, **fields))

    def agency(self, name: str = "Harbourview Newcomer Services") -> Agency:
        """A referring agency."""
        return self._add(Agency(name=name, email="intake@harbourview.example"))

    def agency_user(self, agency: Agency | None = None, name: str = "Ana Souza",
                    **fields: Any) -> AgencyUser:
        """A caseworker of ``agency``."""
        agency = agency or self.agency(name=f"Agency {next(self._numbers)}")
        fields.setdefault("email", f"caseworker{next(self._numbers)}@agency.example")
        return self._add(AgencyUser(agency_id=agency.id, display_name=name, **fields))

    def newcomer(self, given_name: str = "Nguyễn Thị", family_name: str | None = "Lan",
                 **fields: Any) -> Newcomer:
        """A newcomer with the profile fields a referral needs."""
        fields.setdefault("email", f"newcomer{next(self._numbers)}@mail.example")
        fields.setdefault("immigration_status", "permanent_resident")
        fields.setdefault("country_of_education", "VN")
        return self._add(Newcomer(given_name=given_name, family_name=family_name, **fields))

    def referral(self, newcomer: Newcomer | None = None, agency: Agency | None = None,
                 status: str = "submitted", **fields: Any) -> Referral:
        """A referral of ``newcomer`` by ``agency``."""
        newcomer = newcomer or self.newcomer()
        agency = agency or self.agency(name=f"Agency {next(self._numbers)}")
        fields.setdefault("submitted_at", utcnow())
        return self._add(Referral(newcomer_id=newcomer.id, agency_id=agency.id, status=status,
                                  **fields))

    def match(self, volunteer: VolunteerProfile | None = None, newcomer: Newcomer | None = None,
              status: str = "active", **fields: Any) -> Match:
        """A match; an active one has a start, a planned end and 24 target hours."""
        volunteer = volunteer or self.volunteer()
        newcomer = newcomer or self.newcomer()
        fields.setdefault("proposed_at", utcnow())
        if status in ("active", "closed"):
            fields.setdefault("started_on", date.today() - timedelta(days=30))
            fields.setdefault("planned_end_on", date.today() + timedelta(days=90))
            fields.setdefault("target_hours", Decimal(24))
        return self._add(Match(volunteer_id=volunteer.id, newcomer_id=newcomer.id, status=status,
                               **fields))

    def session_type(self, code: str = "job_shadowing") -> SessionType:
        """A session type, created once per code."""
        existing = self.db.query(SessionType).filter_by(code=code).one_or_none()
        return existing or self._add(SessionType(code=code, default_minutes=120))

    def session(self, match: Match, starts_in: timedelta = timedelta(days=3),
                hours: int = 2, status: str = "scheduled", **fields: Any) -> MentoringSession:
        """A session of ``match`` with its mentor and newcomer as attendees."""
        starts_at = utcnow().replace(microsecond=0) + starts_in
        volunteer = self.db.get(VolunteerProfile, match.volunteer_id)
        session = self._add(MentoringSession(
            match_id=match.id, session_type_id=self.session_type().id,
            organizer_id=volunteer.staff_id, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours), status=status,
            location_building="City Hall", location_room="Room 301", **fields))
        self._add(SessionAttendee(session_id=session.id, staff_id=volunteer.staff_id,
                                  role="mentor"))
        self._add(SessionAttendee(session_id=session.id, newcomer_id=match.newcomer_id,
                                  role="newcomer"))
        return session

    def hours(self, staff: StaffMember, match: Match | None = None, hours: str = "2",
              status: str = "confirmed", **fields: Any) -> HoursEntry:
        """A volunteer hours entry."""
        fields.setdefault("worked_on", date.today() - timedelta(days=1))
        fields.setdefault("category", "preparation")
        return self._add(HoursEntry(staff_id=staff.id, match_id=match.id if match else None,
                                    hours=Decimal(hours), status=status, **fields))

    def cohort(self, name: str = "Fall 2027", weeks: int = 17, **fields: Any) -> Any:
        """A program cycle starting today (``weeks`` long, 24 target hours)."""
        from kit.models import Cohort

        fields.setdefault("starts_on", date.today())
        fields.setdefault("ends_on", date.today() + timedelta(weeks=weeks))
        return self._add(Cohort(name=name, **fields))

    def accepted_newcomer(self, given_name: str = "Amara", cohort: Any = None,
                          languages: tuple[str, ...] = ("en",), **fields: Any) -> Newcomer:
        """A newcomer whose referral is accepted (of ``cohort``), ready to be matched."""
        from kit.models import NewcomerLanguage

        fields.setdefault("target_noc_code", self.occupation().code)
        newcomer = self.newcomer(given_name, **fields)
        for code in languages:
            self._add(NewcomerLanguage(newcomer_id=newcomer.id, language=code))
        self.referral(newcomer, status="accepted",
                      cohort_id=cohort.id if cohort is not None else None)
        return newcomer
