"""Staff accounts follow the directory: sign-in creates and updates them, sync deactivates."""

from __future__ import annotations

import pytest

from kit.auth.providers import DirectoryPerson, SignInError
from kit.models import AuditEvent, StaffMember
from kit.services.staff_accounts import RoleGroups, SyncAborted, sign_in_staff, sync_directory

GROUPS = RoleGroups.from_mapping({
    "staff": ["cn=mentors,ou=groups,dc=city,dc=example"],
    "coordinator": ["CN=Coordinators,ou=groups,dc=city,dc=example"],
})
MENTORS = "cn=mentors,ou=groups,dc=city,dc=example"
COORDINATORS = "cn=coordinators,ou=groups,dc=city,dc=example"


def person(uid: str = "nguyen.lan", groups=(MENTORS,), **fields) -> DirectoryPerson:
    fields.setdefault("email", f"{uid}@city.example")
    fields.setdefault("display_name", "Nguyễn, Thị (Lan)")
    return DirectoryPerson(directory_id=uid, groups=frozenset(groups), **fields)


def test_first_sign_in_creates_the_staff_member_from_the_directory(db) -> None:
    staff = sign_in_staff(db, person(department="Engineering Services", preferred_locale="fr"),
                          GROUPS, "127.0.0.1")
    assert staff.display_name == "Nguyễn, Thị (Lan)"
    assert staff.department == "Engineering Services"
    assert staff.preferred_locale == "fr"
    assert staff.role_names == {"staff"}
    assert staff.last_sign_in_at is not None
    assert db.query(AuditEvent).filter_by(action="staff.signed_in").count() == 1


def test_roles_follow_the_groups_at_each_sign_in(db) -> None:
    staff = sign_in_staff(db, person(groups=(MENTORS, COORDINATORS.upper())), GROUPS)
    assert staff.role_names == {"staff", "coordinator"}
    staff = sign_in_staff(db, person(groups=(MENTORS,), title="Senior engineer"), GROUPS)
    assert staff.role_names == {"staff"}
    assert staff.title == "Senior engineer"


def test_a_disabled_account_or_one_outside_the_group_loses_access(db, factory) -> None:
    staff = sign_in_staff(db, person(), GROUPS)
    factory.volunteer(staff)
    db.commit()
    with pytest.raises(SignInError, match="not_in_program"):
        sign_in_staff(db, person(groups=()), GROUPS)
    db.refresh(staff)
    assert not staff.is_active and staff.inactive_since is not None
    assert staff.volunteer_profile.status == "paused"
    with pytest.raises(SignInError, match="account_disabled"):
        sign_in_staff(db, person(enabled=False), GROUPS)


def test_without_a_staff_group_every_employee_may_sign_in(db) -> None:
    staff = sign_in_staff(db, person(groups=()), RoleGroups())
    assert staff.is_active


def test_the_sync_deactivates_who_left_and_refreshes_the_others(db) -> None:
    stays = sign_in_staff(db, person("stays"), GROUPS)
    left = sign_in_staff(db, person("left"), GROUPS)
    moved = sign_in_staff(db, person("moved"), GROUPS)
    directory = {
        "stays": person("stays", department="Finance"),
        "moved": person("moved", groups=()),
    }
    report = sync_directory(db, directory.get, GROUPS)
    assert report.checked == 3 and report.updated == 1
    assert sorted(report.deactivated) == ["left", "moved"]
    db.refresh(stays), db.refresh(left), db.refresh(moved)
    assert stays.is_active and stays.department == "Finance"
    assert not left.is_active and not moved.is_active
    assert sync_directory(db, directory.get, GROUPS).checked == 1


def test_unknown_roles_in_the_mapping_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown roles"):
        RoleGroups.from_mapping({"superuser": ["cn=x"]})


def test_groups_map_to_roles() -> None:
    roles = RoleGroups.from_mapping({"staff": ["mentors"], "coordinator": ["hr-mentoring"],
                                     "admin": ["kit-admins"]})
    assert roles.roles_of({"mentors"}) == {"staff"}
    assert roles.roles_of({"HR-Mentoring"}) == {"staff", "coordinator"}
    assert roles.roles_of({"kit-admins", "mentors"}) == {"staff", "admin"}
    assert roles.roles_of({"accounting"}) == set()
    assert RoleGroups().roles_of(set()) == {"staff"}


def test_group_dns_match_whatever_their_spacing_and_case() -> None:
    group = "CN=HR Mentoring, OU=Groups,DC=city,DC=example"
    roles = RoleGroups.from_mapping({"coordinator": [group]})
    assert "coordinator" in roles.roles_of({"cn=hr mentoring,ou=groups,dc=city,dc=example"})
    assert "coordinator" not in roles.roles_of({"cn=hr,ou=groups,dc=city,dc=example"})


def test_the_sync_refuses_to_deactivate_most_of_the_program(db) -> None:
    for number in range(6):
        sign_in_staff(db, person(f"user{number}"), GROUPS)
    with pytest.raises(SyncAborted):
        sync_directory(db, {}.get, GROUPS)
    assert all(s.is_active for s in db.query(StaffMember))
    report = sync_directory(db, {}.get, GROUPS, max_share=1.0)
    assert len(report.deactivated) == 6
