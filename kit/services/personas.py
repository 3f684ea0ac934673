"""Demo personas for the development sign-in: a few people of each kind from the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from kit.models import Agency, AgencyUser, Match, Newcomer, StaffMember, StaffRole, VolunteerProfile


@dataclass(frozen=True)
class Persona:
    """Someone the development sign-in can act as."""

    kind: str
    id: int
    name: str
    detail: str


def demo_personas(db: Session, per_group: int = 6) -> dict[str, list[Persona]]:
    """Coordinators and admins, mentors with matches, other staff, caseworkers, newcomers."""
    leaders = db.execute(
        select(StaffMember, StaffRole.role)
        .join(StaffRole, StaffRole.staff_id == StaffMember.id)
        .where(StaffMember.is_active)
        .order_by(StaffRole.role.desc(), StaffMember.display_name)
        .limit(per_group)
    ).all()
    with_matches = exists().where(Match.volunteer_id == VolunteerProfile.id,
                                  Match.status == "active")
    mentors = db.execute(
        select(StaffMember).join(VolunteerProfile, VolunteerProfile.staff_id == StaffMember.id)
        .where(StaffMember.is_active, with_matches)
        .order_by(StaffMember.display_name).limit(per_group)
    ).scalars().all()
    has_profile = exists().where(VolunteerProfile.staff_id == StaffMember.id)
    has_role = exists().where(StaffRole.staff_id == StaffMember.id)
    others = db.execute(
        select(StaffMember).where(StaffMember.is_active, ~has_profile, ~has_role)
        .order_by(StaffMember.display_name).limit(2)
    ).scalars().all()
    caseworkers = db.execute(
        select(AgencyUser, Agency.name).join(Agency, Agency.id == AgencyUser.agency_id)
        .where(AgencyUser.is_active, Agency.is_active)
        .order_by(Agency.name, AgencyUser.display_name).limit(per_group)
    ).all()
    matched = exists().where(Match.newcomer_id == Newcomer.id, Match.status == "active")
    newcomers = db.execute(
        select(Newcomer).where(matched, Newcomer.erased_at.is_(None))
        .order_by(Newcomer.given_name).limit(per_group)
    ).scalars().all()
    return {
        "coordinators": [Persona("staff", s.id, s.display_name, role) for s, role in leaders],
        "mentors": [Persona("staff", s.id, s.display_name, s.department or "") for s in mentors],
        "staff": [Persona("staff", s.id, s.display_name, s.department or "") for s in others],
        "agencies": [Persona("agency", u.id, u.display_name, name) for u, name in caseworkers],
        "newcomers": [Persona("newcomer", n.id, n.display_name, n.email) for n in newcomers],
    }
