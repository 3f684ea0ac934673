"""Sessions at the workplace (one-on-one, job shadowing, tours, group events) and attendees."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import Base, TimestampMixin, UTCDateTime, enum_check

if TYPE_CHECKING:
    from kit.models.matches import Match
    from kit.models.newcomers import Newcomer
    from kit.models.people import StaffMember

#: Session types created at installation: (code, default length in minutes, is a group event).
#: Their display names are translated in code, keyed by ``code``.
DEFAULT_SESSION_TYPES: tuple[tuple[str, int, bool], ...] = (
    ("one_on_one", 60, False),
    ("job_shadowing", 240, False),
    ("team_meeting", 60, False),
    ("workplace_tour", 90, False),
    ("professional_development", 120, True),
    ("connector_meeting", 30, False),
    ("group_event", 120, True),
)
SESSION_TYPE_CODES = tuple(code for code, _minutes, _group in DEFAULT_SESSION_TYPES)
SESSION_STATUSES = ("scheduled", "confirmed", "cancelled", "attended", "no_show")
ATTENDEE_ROLES = ("mentor", "newcomer", "colleague")
ATTENDEE_RESPONSES = ("invited", "confirmed", "declined", "waitlisted", "reschedule_requested")
#: Attendee responses that free the person's time (they will not be there).
NOT_ATTENDING_RESPONSES = ("declined", "waitlisted")
#: The host department manager's answer to a job-shadowing visit (None: no approval needed).
APPROVAL_STATUSES = ("pending", "approved", "refused")
#: Suffix of generated iCalendar UIDs, so that calendars keep the kit's events apart.
UID_DOMAIN = "mentoring-kit"


def new_session_uid() -> str:
    """A fresh, globally unique iCalendar UID for a session."""
    return f"{uuid4()}@{UID_DOMAIN}"


class SessionType(Base):
    """A kind of session; administrators may switch types off or change their length."""

    __tablename__ = "kit_session_type"
    __table_args__ = (CheckConstraint("default_minutes > 0", name="default_minutes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    default_minutes: Mapped[int]
    is_group: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    def __repr__(self) -> str:
        return f"<SessionType {self.code}>"


class MentoringSession(TimestampMixin, Base):
    """A meeting at the workplace, sent to calendars as an iCalendar event (``uid``)."""

    __tablename__ = "kit_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity"),
        enum_check("status", SESSION_STATUSES),
        enum_check("approval_status", APPROVAL_STATUSES),
        Index("ix_kit_session_starts_at", "starts_at"),
        Index("ix_kit_session_match_starts_at", "match_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_session_uid)
    #: iCalendar SEQUENCE: raised each time the event changes, so calendars take the update.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Group events belong to no match.
    match_id: Mapped[int | None] = mapped_column(ForeignKey("kit_match.id", ondelete="CASCADE"))
    session_type_id: Mapped[int] = mapped_column(
        ForeignKey("kit_session_type.id", ondelete="RESTRICT"), index=True
    )
    organizer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location_building: Mapped[str | None] = mapped_column(String(200))
    location_room: Mapped[str | None] = mapped_column(String(100))
    location_address: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    host_department: Mapped[str | None] = mapped_column(String(200))
    visitor_instructions: Mapped[str | None] = mapped_column(Text)
    confidentiality_note: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    #: The IANA zone the session was typed in (the employer's at the time), shown in invitations.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    #: Job shadowing where the host requires it: the host department manager's answer.
    approval_status: Mapped[str | None] = mapped_column(String(20))
    approver_email: Mapped[str | None] = mapped_column(String(320))
    approval_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the 24-hour reminder and the "mark attendance" nudge were queued (once each).
    reminder_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    match: Mapped[Match | None] = relationship(back_populates="sessions")
    session_type: Mapped[SessionType] = relationship()
    organizer: Mapped[StaffMember] = relationship()
    attendees: Mapped[list[SessionAttendee]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionAttendee.id",
    )

    @property
    def duration_minutes(self) -> int:
        """The length of the session in whole minutes."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        """Whether the session was called off."""
        return self.status == "cancelled"

    def __repr__(self) -> str:
        return f"<MentoringSession {self.id} {self.starts_at:%Y-%m-%d %H:%M} {self.status}>"


class SessionAttendee(Base):
    """A person invited to a session: a staff member (mentor, colleague) or a newcomer."""

    __tablename__ = "kit_session_attendee"
    __table_args__ = (
        CheckConstraint(
            "(staff_id IS NOT NULL AND newcomer_id IS NULL)"
            " OR (staff_id IS NULL AND newcomer_id IS NOT NULL)",
            name="one_person",
        ),
        enum_check("role", ATTENDEE_ROLES),
        enum_check("response", ATTENDEE_RESPONSES),
        UniqueConstraint("session_id", "staff_id"),
        UniqueConstraint("session_id", "newcomer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("kit_session.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="CASCADE"), index=True
    )
    newcomer_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    response: Mapped[str] = mapped_column(String(20), default="invited")
    #: None until someone records attendance.
    attended: Mapped[bool | None]
    #: What the person wrote when asking to reschedule (or declining).
    response_note: Mapped[str | None] = mapped_column(String(500))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[MentoringSession] = relationship(back_populates="attendees")
    staff: Mapped[StaffMember | None] = relationship()
    newcomer: Mapped[Newcomer | None] = relationship()
