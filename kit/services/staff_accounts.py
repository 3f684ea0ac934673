"""Staff accounts follow the employer's directory: created, updated and deactivated from it.

The directory is the authority: at each sign-in the staff member's name, department, language
and program roles are copied from what the directory (LDAP, OIDC or proxy) vouches for, and the
sync command deactivates people who left the employer or the program's group.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.auth.providers import DirectoryPerson, SignInError
from kit.models import StaffMember, StaffRole, VolunteerProfile
from kit.models.base import utcnow
from kit.services.audit import SYSTEM, Actor, record

#: Roles a directory group can grant; 'staff' is access to the program itself.
GROUP_ROLES = ("staff", "coordinator", "admin")


def canonical_group(group: str) -> str:
    """One spelling of a group: a DN without spaces around separators, in lower case.

    ``CN=Mentors, OU=Groups,DC=city,DC=example`` and ``cn=mentors,ou=groups,dc=city,dc=example``
    name the same LDAP group; an SSO group claim is compared without case.
    """
    if "=" not in group:
        return group.strip().casefold()
    rdns = re.split(r"(?<!\\),", group)
    return ",".join(
        f"{kind.strip().casefold()}={value.strip().casefold()}"
        for kind, _sep, value in (rdn.partition("=") for rdn in rdns)
    )


@dataclass(frozen=True)
class RoleGroups:
    """Which directory groups (DNs or claim values, compared without case) grant which role.

    With no 'staff' group every employee may sign in; with one, only its members (and the
    coordinators and admins) may.
    """

    staff: frozenset[str] = frozenset()
    coordinator: frozenset[str] = frozenset()
    admin: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Iterable[str]]) -> RoleGroups:
        """Build from ``{"staff": [...], "coordinator": [...], "admin": [...]}``."""
        unknown = set(mapping) - set(GROUP_ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)}; choose from {GROUP_ROLES}")
        return cls(**{role: frozenset(canonical_group(g) for g in mapping.get(role, ()))
                      for role in GROUP_ROLES})

    def roles_of(self, groups: Iterable[str]) -> set[str]:
        """The program roles that ``groups`` grant ('staff' included when allowed in)."""
        held = {canonical_group(group) for group in groups}
        roles = {role for role in ("coordinator", "admin") if held & getattr(self, role)}
        if not self.staff or held & self.staff or roles:
            roles.add("staff")
        return roles


@dataclass
class SyncReport:
    """What a directory sync did."""

    checked: int = 0
    deactivated: list[str] = field(default_factory=list)
    updated: int = 0


def _copy_directory_fields(staff: StaffMember, person: DirectoryPerson) -> None:
    staff.email = person.email
    staff.display_name = person.display_name
    staff.department = person.department
    staff.title = person.title
    staff.work_location = person.work_location
    staff.employee_number = person.employee_number
    staff.manager_directory_id = person.manager_directory_id
    language = (person.preferred_locale or "")[:2].lower()  # "fr-CA" is French
    if language in ("en", "fr"):
        staff.preferred_locale = language


def _set_roles(db: Session, staff: StaffMember, roles: set[str]) -> None:
    wanted = roles & {"coordinator", "admin"}
    for role in list(staff.roles):
        if role.role not in wanted:
            staff.roles.remove(role)
    for role in wanted - {role.role for role in staff.roles}:
        staff.roles.append(StaffRole(role=role))
    db.flush()


def _deactivate(db: Session, staff: StaffMember, actor: Actor, reason: str) -> None:
    if not staff.is_active:
        return
    staff.is_active = False
    staff.inactive_since = utcnow()
    profile = db.scalar(select(VolunteerProfile).where(VolunteerProfile.staff_id == staff.id))
    if profile is not None and profile.status in ("pending", "approved"):
        # Never proposed again as a mentor; open matches show on the coordinator's page.
        profile.status = "paused"
    record(db, actor, "staff.deactivated", "staff", staff.id, {"reason": reason})


def sign_in_staff(db: Session, person: DirectoryPerson, groups: RoleGroups,
                  remote_addr: str | None = None) -> StaffMember:
    """Create or update the staff member the directory vouches for; commits.

    Raises :class:`SignInError` ('account_disabled' or 'not_in_program') and deactivates the
    account when the directory says the person may no longer take part.
    """
    staff = db.scalar(select(StaffMember).where(StaffMember.directory_id == person.directory_id))
    roles = groups.roles_of(person.groups)
    refusal = "account_disabled" if not person.enabled else (
        None if "staff" in roles else "not_in_program")
    if refusal:
        if staff is not None:
            _deactivate(db, staff, Actor("staff", staff.id, remote_addr), refusal)
            db.commit()
        raise SignInError(refusal)
    if staff is None:
        staff = StaffMember(directory_id=person.directory_id)
        db.add(staff)
    _copy_directory_fields(staff, person)
    staff.is_active = True
    staff.inactive_since = None
    staff.last_sign_in_at = utcnow()
    db.flush()
    _set_roles(db, staff, roles)
    record(db, Actor("staff", staff.id, remote_addr), "staff.signed_in", "staff", staff.id,
           {"roles": sorted(roles)})
    db.commit()
    return staff


class SyncAborted(Exception):
    """The sync would deactivate so many people that the directory is more likely wrong."""

    def __init__(self, report: SyncReport) -> None:
        super().__init__(f"{len(report.deactivated)} of {report.checked} would be deactivated")
        self.report = report


def sync_directory(db: Session, lookup: Callable[[str], DirectoryPerson | None],
                   groups: RoleGroups, *, max_share: float = 0.2,
                   min_count: int = 5) -> SyncReport:
    """Check every active staff member against the directory; safe to run from cron.

    People missing from the directory, disabled, or out of the program's group are deactivated
    (and their volunteer offer paused); the others get their directory fields refreshed.
    When more than ``max_share`` of them (and at least ``min_count``) would be deactivated,
    nothing is changed and :class:`SyncAborted` is raised: a renamed group or a wrong base DN
    must not switch the whole program off. Pass ``max_share=1`` to accept it.
    """
    report = SyncReport()
    active = db.scalars(select(StaffMember).where(StaffMember.is_active)).all()
    for staff in active:
        report.checked += 1
        person = lookup(staff.directory_id)
        if person is None or not person.enabled or "staff" not in groups.roles_of(person.groups):
            reason = "left_directory" if person is None else (
                "account_disabled" if not person.enabled else "not_in_program")
            _deactivate(db, staff, SYSTEM, reason)
            report.deactivated.append(staff.directory_id)
            continue
        _copy_directory_fields(staff, person)
        _set_roles(db, staff, groups.roles_of(person.groups))
        report.updated += 1
    gone = len(report.deactivated)
    if gone >= min_count and gone > max_share * report.checked:
        db.rollback()
        raise SyncAborted(report)
    db.commit()
    return report
