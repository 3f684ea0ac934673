"""People's names, roles and personal data as users see them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from kit.models import (
    AgencyUser,
    CheckIn,
    Newcomer,
    NewcomerLink,
    StaffMember,
    StaffRole,
    VolunteerLanguage,
    VolunteerProfile,
)

from .conftest import Build

NAMES = ["Zoë O'Brien-Nguyễn", "محمد", "李小龙", "Ngũgĩ wa Thiong'o"]


@pytest.mark.parametrize("name", NAMES)
def test_unicode_names_round_trip(session: Session, build: Build, name: str) -> None:
    staff = build.staff(display_name=name)
    newcomer = build.newcomer(given_name=name, family_name=None)
    staff_id, newcomer_id = staff.id, newcomer.id
    session.expunge_all()
    assert session.get(StaffMember, staff_id).display_name == name
    assert session.get(Newcomer, newcomer_id).display_name == name


def test_newcomer_display_name() -> None:
    assert Newcomer(given_name="Thi Hoa", family_name="Nguyễn").display_name == "Thi Hoa Nguyễn"
    assert Newcomer(given_name="Sukarno").display_name == "Sukarno"
    preferred = Newcomer(given_name="Xiaolong", family_name="Li", preferred_name="Bruce")
    assert preferred.display_name == "Bruce"
    assert preferred.full_name == "Xiaolong Li"


def test_every_employee_has_the_staff_role(session: Session, build: Build) -> None:
    staff = build.staff()
    assert staff.role_names == {"staff"}
    build.save(StaffRole(staff=staff, role="coordinator"))
    session.expire_all()
    assert staff.role_names == {"staff", "coordinator"}
    assert staff.has_role("coordinator")
    assert not staff.has_role("admin")


def test_removing_an_employee_removes_roles_and_mentor_profile(
    session: Session, build: Build
) -> None:
    volunteer = build.volunteer()
    staff = volunteer.staff
    build.save(
        StaffRole(staff=staff, role="admin"),
        VolunteerLanguage(volunteer=volunteer, language="fr"),
        VolunteerLanguage(volunteer=volunteer, language="pa"),
    )
    assert staff.volunteer_profile is volunteer
    assert volunteer.language_codes == ["fr", "pa"]
    session.delete(staff)
    session.commit()
    assert session.scalars(select(StaffRole)).all() == []
    assert session.scalars(select(VolunteerProfile)).all() == []
    assert session.scalars(select(VolunteerLanguage)).all() == []


def test_timestamps_come_back_in_utc(session: Session, build: Build) -> None:
    montreal = timezone(timedelta(hours=-4))
    staff = build.staff()
    staff.last_sign_in_at = datetime(2027, 10, 5, 9, 30, tzinfo=montreal)
    session.commit()
    session.expire_all()
    assert staff.last_sign_in_at == datetime(2027, 10, 5, 13, 30, tzinfo=UTC)
    assert staff.last_sign_in_at.tzinfo is UTC
    assert staff.created_at.tzinfo is UTC


def test_naive_timestamps_are_refused(session: Session, build: Build) -> None:
    staff = build.staff()
    staff.last_sign_in_at = datetime(2027, 10, 5, 9, 30)  # naive on purpose
    with pytest.raises(StatementError, match="naive datetime"):
        session.commit()


def test_newcomer_link_expires_and_can_be_revoked(build: Build) -> None:
    newcomer = build.newcomer()
    now = datetime(2027, 10, 5, 12, 0, tzinfo=UTC)
    link = NewcomerLink(newcomer=newcomer, expires_at=now + timedelta(days=30))
    build.save(link)
    assert link.purpose == "portal"
    assert link.is_usable(now)
    assert not link.is_usable(now + timedelta(days=31))
    link.revoked_at = now
    assert not link.is_usable(now)


def test_check_in_period_is_the_first_of_a_month() -> None:
    assert CheckIn(period_start=date(2027, 10, 1)).period_start == date(2027, 10, 1)
    with pytest.raises(ValueError, match="first day"):
        CheckIn(period_start=date(2027, 10, 15))


def test_agency_user_accepts_invitation_by_choosing_a_password() -> None:
    user = AgencyUser(email="case@agency.example", display_name="Fatima Diallo")
    assert not user.has_accepted_invitation
    user.password_hash = "scrypt:..."
    assert user.has_accepted_invitation
