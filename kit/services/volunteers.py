"""Volunteering: an employee offers to mentor, pauses, resumes or withdraws; the coordinator
approves or pauses the offer.

Each function is one change with its audit event; it flushes and the caller commits. Status
changes lock the profile row so that a coordinator and the volunteer acting at once cannot
both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kit.models import (
    AvailabilityWindow,
    Match,
    Occupation,
    StaffMember,
    VolunteerLanguage,
    VolunteerProfile,
)
from kit.models.base import utcnow
from kit.models.people import MAX_CAPACITY
from kit.services.audit import Actor, record

#: Years in the profession a mentor needs at least (the program's eligibility rule).
#: The default of KIT_MENTOR_MIN_YEARS.
MIN_YEARS_EXPERIENCE = 2
#: What a mentor can offer, as stored in the profile's ``offers_*`` columns.
FORMATS = ("one_on_one", "connector", "group")
OPEN_MATCH_STATUSES = ("proposed", "mentor_accepted", "active")
#: The coordinator's list shows offers to decide first.
STATUS_ORDER = {"pending": 0, "approved": 1, "paused": 2, "withdrawn": 3}


def _volunteer_order(sort: str, descending: bool) -> list[Any]:
    columns = {
        "name": (StaffMember.display_name,),
        "profession": (VolunteerProfile.noc_code,),
        "years": (VolunteerProfile.years_experience,),
        "capacity": (VolunteerProfile.capacity,),
    }.get(sort, (case(STATUS_ORDER, value=VolunteerProfile.status, else_=9),))
    return [column.desc() if descending else column.asc() for column in columns]


class VolunteerError(Exception):
    """A change the offer's state does not allow; ``code`` is translated by the pages."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Window:
    """A weekly time window: weekday (0 is Monday) and minutes after midnight."""

    weekday: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class Offer:
    """What an employee offers as a mentor, validated by the form."""

    noc_code: str
    years_experience: int
    capacity: int
    languages: tuple[str, ...]
    formats: frozenset[str]
    windows: tuple[Window, ...]
    goals_text: str
    naics_sector: str | None = None
    orientation_on: date | None = None


@dataclass(frozen=True)
class VolunteerRow:
    """A volunteer as a row of the coordinator's list."""

    id: int
    name: str
    department: str | None
    status: str
    noc_code: str
    title_en: str
    title_fr: str
    years_experience: int
    capacity: int
    languages: tuple[str, ...]
    repeat_mentor: bool
    manager_approval: str | None = None  # KIT_MANAGER_APPROVAL: pending, approved, declined


def profile_of(db: Session, staff_id: int) -> VolunteerProfile | None:
    """The staff member's offer to mentor, or None when they never offered."""
    return db.scalar(select(VolunteerProfile).where(VolunteerProfile.staff_id == staff_id))


def is_repeat_mentor(db: Session, staff_id: int) -> bool:
    """Whether this employee has mentored before: one of their matches is closed."""
    return bool(db.scalar(
        select(func.count()).select_from(Match)
        .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .where(VolunteerProfile.staff_id == staff_id, Match.status == "closed")))


def open_match_count(db: Session, volunteer_id: int) -> int:
    """How many matches of this mentor are proposed, accepted or active."""
    return db.scalar(select(func.count()).select_from(Match).where(
        Match.volunteer_id == volunteer_id, Match.status.in_(OPEN_MATCH_STATUSES))) or 0


def _check(offer: Offer, min_years: int) -> None:
    # The form says all this to the person; these guard other callers and the database.
    if offer.years_experience < min_years:
        raise VolunteerError("not_enough_experience")
    if not 1 <= offer.capacity <= MAX_CAPACITY:
        raise VolunteerError("invalid_capacity")
    if not offer.formats or not offer.formats <= set(FORMATS):
        raise VolunteerError("invalid_formats")
    if not offer.languages:
        raise VolunteerError("no_language")
    if not offer.windows or any(not 0 <= w.weekday <= 6 or not 0 <= w.start_minute
                                < w.end_minute <= 1440 for w in offer.windows):
        raise VolunteerError("invalid_availability")


def _apply(profile: VolunteerProfile, offer: Offer) -> None:
    profile.noc_code = offer.noc_code
    profile.naics_sector = offer.naics_sector
    profile.years_experience = offer.years_experience
    profile.capacity = offer.capacity
    profile.offers_one_on_one = "one_on_one" in offer.formats
    profile.offers_connector = "connector" in offer.formats
    profile.offers_group = "group" in offer.formats
    profile.goals_text = offer.goals_text
    profile.orientation_on = offer.orientation_on
    wanted = set(offer.languages)
    for language in list(profile.languages):
        if language.language not in wanted:
            profile.languages.remove(language)
    for code in sorted(wanted - {lang.language for lang in profile.languages}):
        profile.languages.append(VolunteerLanguage(language=code))
    profile.availability.clear()
    for window in sorted(set(offer.windows), key=lambda w: (w.weekday, w.start_minute)):
        profile.availability.append(AvailabilityWindow(
            weekday=window.weekday, start_minute=window.start_minute,
            end_minute=window.end_minute))


def save_offer(db: Session, actor: Actor, staff_id: int, offer: Offer, *,
               min_years: int = MIN_YEARS_EXPERIENCE) -> VolunteerProfile:
    """Create or change the employee's offer to mentor.

    A new offer, or one made again after withdrawing, awaits the coordinator's approval; an
    approved or paused offer keeps its status when its details change.
    """
    _check(offer, min_years)
    if db.get(Occupation, offer.noc_code) is None:
        raise VolunteerError("unknown_occupation")
    profile = db.scalar(select(VolunteerProfile).where(VolunteerProfile.staff_id == staff_id)
                        .with_for_update())
    created = profile is None
    if profile is None:
        profile = VolunteerProfile(staff_id=staff_id, status="pending")
        db.add(profile)
    before = profile.status
    if profile.status == "withdrawn":
        profile.status = "pending"
        profile.approved_by_id = profile.approved_at = None
    _apply(profile, offer)
    # The commitment is acknowledged on every save; the first time is the one on record.
    profile.commitment_acknowledged_at = profile.commitment_acknowledged_at or utcnow()
    db.flush()
    details: dict[str, Any] = {"noc_code": offer.noc_code, "capacity": offer.capacity,
                               "status": profile.status}
    if not created and before != profile.status:
        details["from_status"] = before
    record(db, actor, "volunteer.offered" if created else "volunteer.updated", "volunteer",
           profile.id, details)
    return profile


def _locked(db: Session, condition: Any) -> VolunteerProfile:
    profile = db.scalar(select(VolunteerProfile).where(condition).with_for_update())
    if profile is None:
        raise VolunteerError("not_found")
    return profile


def _move(db: Session, actor: Actor, profile: VolunteerProfile, to_status: str,
          action: str, allowed: Iterable[str], **details: Any) -> VolunteerProfile:
    if profile.status not in allowed:
        raise VolunteerError("invalid_status")
    record(db, actor, action, "volunteer", profile.id,
           {"from_status": profile.status, "to_status": to_status, **details})
    profile.status = to_status
    db.flush()
    return profile


def pause_offer(db: Session, actor: Actor, staff_id: int) -> VolunteerProfile:
    """The volunteer takes a break: no new match is proposed to them until they resume."""
    profile = _locked(db, VolunteerProfile.staff_id == staff_id)
    return _move(db, actor, profile, "paused", "volunteer.paused", ("pending", "approved"))


def resume_offer(db: Session, actor: Actor, staff_id: int) -> VolunteerProfile:
    """The volunteer is back: approved again if approved before, else awaiting approval."""
    profile = _locked(db, VolunteerProfile.staff_id == staff_id)
    to_status = "approved" if profile.approved_at is not None else "pending"
    return _move(db, actor, profile, to_status, "volunteer.resumed", ("paused",))


def withdraw_offer(db: Session, actor: Actor, staff_id: int) -> tuple[VolunteerProfile, int]:
    """The volunteer stops mentoring; returns the profile and how many matches are still open.

    Open matches are left to the coordinator, whom the audit event tells how many there are.
    """
    profile = _locked(db, VolunteerProfile.staff_id == staff_id)
    still_open = open_match_count(db, profile.id)
    _move(db, actor, profile, "withdrawn", "volunteer.withdrawn",
          ("pending", "approved", "paused"), open_matches=still_open)
    return profile, still_open


def approve_volunteer(db: Session, actor: Actor, volunteer_id: int) -> VolunteerProfile:
    """The coordinator approves an offer awaiting approval or paused; matches may follow."""
    profile = _locked(db, VolunteerProfile.id == volunteer_id)
    _move(db, actor, profile, "approved", "volunteer.approved", ("pending", "paused"))
    profile.approved_by_id = actor.id if actor.kind == "staff" else None
    profile.approved_at = utcnow()
    db.flush()
    return profile


def pause_volunteer(db: Session, actor: Actor, volunteer_id: int) -> VolunteerProfile:
    """The coordinator pauses an offer; resuming it then needs their approval again."""
    profile = _locked(db, VolunteerProfile.id == volunteer_id)
    _move(db, actor, profile, "paused", "volunteer.paused_by_coordinator",
          ("pending", "approved"))
    profile.approved_by_id = profile.approved_at = None
    db.flush()
    return profile


#: Columns the volunteers' list can be sorted by (kit.web.sort_order's allow-list).
VOLUNTEER_SORTS = ("name", "status", "profession", "years", "capacity")


def list_volunteers(db: Session, page: int, page_size: int, *, sort: str = "status",
                    descending: bool = False) -> tuple[list[VolunteerRow], int]:
    """Volunteers, one page at a time, and the page count.

    By status by default (those awaiting approval first, then by offer date); ``sort`` is one
    of :data:`VOLUNTEER_SORTS`.
    """
    total = db.scalar(select(func.count()).select_from(VolunteerProfile)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    repeat = (select(Match.volunteer_id).where(Match.status == "closed").distinct()
              .scalar_subquery())
    rows = db.execute(
        select(VolunteerProfile, StaffMember, Occupation,
               VolunteerProfile.id.in_(repeat).label("repeat"))
        .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
        .join(Occupation, Occupation.code == VolunteerProfile.noc_code)
        .order_by(*_volunteer_order(sort, descending), VolunteerProfile.created_at,
                  VolunteerProfile.id)
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    ids = [profile.id for profile, *_ in rows]
    languages: dict[int, list[str]] = {}
    for volunteer_id, code in db.execute(
            select(VolunteerLanguage.volunteer_id, VolunteerLanguage.language)
            .where(VolunteerLanguage.volunteer_id.in_(ids))
            .order_by(VolunteerLanguage.language)):
        languages.setdefault(volunteer_id, []).append(code)
    return [
        VolunteerRow(p.id, s.display_name, s.department, p.status, o.code, o.title_en,
                     o.title_fr, p.years_experience, p.capacity,
                     tuple(languages.get(p.id, ())), bool(is_repeat), p.manager_approval)
        for p, s, o, is_repeat in rows
    ], pages
