"""Employees: staff members, their program roles, and their offers to mentor."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import LOCALES, Base, TimestampMixin, UTCDateTime, enum_check

if TYPE_CHECKING:
    from kit.models.newcomers import Newcomer
    from kit.models.occupations import Occupation

#: Roles stored for a staff member; every signed-in employee also has the implicit 'staff' role.
STAFF_ROLES = ("coordinator", "admin")
VOLUNTEER_STATUSES = ("pending", "approved", "paused", "withdrawn")
#: The manager's answer about mentoring on work hours (KIT_MANAGER_APPROVAL); NULL = not asked.
MANAGER_APPROVAL_STATES = ("pending", "approved", "declined")
#: A mentor takes at most this many newcomers at a time.
MAX_CAPACITY = 3


class StaffMember(TimestampMixin, Base):
    """An employee known from the employer's directory (LDAP, SSO or proxy)."""

    __tablename__ = "kit_staff_member"
    __table_args__ = (
        enum_check("preferred_locale", LOCALES),
        Index("ix_kit_staff_member_manager", "manager_directory_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    directory_id: Mapped[str] = mapped_column(String(255), unique=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    work_location: Mapped[str | None] = mapped_column(String(200))
    employee_number: Mapped[str | None] = mapped_column(String(64))
    preferred_locale: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    manager_directory_id: Mapped[str | None] = mapped_column(String(255))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    inactive_since: Mapped[datetime | None] = mapped_column(UTCDateTime())

    roles: Mapped[list[StaffRole]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", passive_deletes=True
    )
    volunteer_profile: Mapped[VolunteerProfile | None] = relationship(
        back_populates="staff",
        foreign_keys="VolunteerProfile.staff_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def role_names(self) -> set[str]:
        """Every role of this person, always including the implicit 'staff'."""
        return {"staff", *(role.role for role in self.roles)}

    def has_role(self, role: str) -> bool:
        """Whether this person holds ``role`` ('staff', 'coordinator' or 'admin')."""
        return role in self.role_names

    def __repr__(self) -> str:
        return f"<StaffMember {self.id} {self.directory_id!r}>"


class StaffRole(Base):
    """A program role granted to a staff member (beyond the directory groups)."""

    __tablename__ = "kit_staff_role"
    __table_args__ = (enum_check("role", STAFF_ROLES),)

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    staff: Mapped[StaffMember] = relationship(back_populates="roles")


class VolunteerProfile(TimestampMixin, Base):
    """An employee's offer to mentor: profession, experience, capacity and what they offer."""

    __tablename__ = "kit_volunteer_profile"
    __table_args__ = (
        CheckConstraint("years_experience >= 0", name="years_experience"),
        CheckConstraint(f"capacity BETWEEN 1 AND {MAX_CAPACITY}", name="capacity"),
        enum_check("status", VOLUNTEER_STATUSES),
        enum_check("manager_approval", MANAGER_APPROVAL_STATES),
        Index("ix_kit_volunteer_profile_status_noc", "status", "noc_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="CASCADE"), unique=True
    )
    noc_code: Mapped[str] = mapped_column(
        String(5), ForeignKey("kit_occupation.code", ondelete="RESTRICT")
    )
    naics_sector: Mapped[str | None] = mapped_column(String(5))
    years_experience: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int] = mapped_column(default=1)
    offers_one_on_one: Mapped[bool] = mapped_column(default=True, server_default=true())
    offers_connector: Mapped[bool] = mapped_column(default=False, server_default=false())
    offers_group: Mapped[bool] = mapped_column(default=False, server_default=false())
    goals_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    commitment_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    orientation_on: Mapped[date | None]
    manager_approval: Mapped[str | None] = mapped_column(String(10))
    manager_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[StaffMember] = relationship(
        back_populates="volunteer_profile", foreign_keys=[staff_id]
    )
    approved_by: Mapped[StaffMember | None] = relationship(foreign_keys=[approved_by_id])
    occupation: Mapped[Occupation] = relationship()
    languages: Mapped[list[VolunteerLanguage]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan", passive_deletes=True
    )
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="volunteer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(AvailabilityWindow.weekday, AvailabilityWindow.start_minute)",
    )

    @property
    def language_codes(self) -> list[str]:
        """The ISO 639-1 codes of the languages this mentor speaks, sorted."""
        return sorted(language.language for language in self.languages)

    @property
    def display_name(self) -> str:
        """The mentor's name as the directory gives it."""
        return self.staff.display_name

    def __repr__(self) -> str:
        return f"<VolunteerProfile {self.id} staff={self.staff_id} {self.status}>"


class VolunteerLanguage(Base):
    """A language a mentor can mentor in (ISO 639-1 code such as 'en', 'fr', 'pa', 'zh')."""

    __tablename__ = "kit_volunteer_language"

    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_volunteer_profile.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)

    volunteer: Mapped[VolunteerProfile] = relationship(back_populates="languages")


class AvailabilityWindow(Base):
    """A weekly time window of a mentor or of a newcomer (minutes after midnight, local time)."""

    __tablename__ = "kit_availability_window"
    __table_args__ = (
        CheckConstraint(
            "(volunteer_id IS NOT NULL AND newcomer_id IS NULL)"
            " OR (volunteer_id IS NULL AND newcomer_id IS NOT NULL)",
            name="one_owner",
        ),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
            name="minutes",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_volunteer_profile.id", ondelete="CASCADE"), index=True
    )
    newcomer_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"), index=True
    )
    #: 0 is Monday, as in :meth:`datetime.date.weekday`.
    weekday: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    volunteer: Mapped[VolunteerProfile | None] = relationship(back_populates="availability")
    newcomer: Mapped[Newcomer | None] = relationship(back_populates="availability")

    def __repr__(self) -> str:
        return f"<AvailabilityWindow day={self.weekday} {self.start_minute}-{self.end_minute}>"
