"""Volunteer hours: entries from sessions or logged by hand, and their revision history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import ACTOR_KINDS, Base, TimestampMixin, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from kit.models.matches import Match
    from kit.models.people import StaffMember
    from kit.models.sessions import MentoringSession

HOURS_CATEGORIES = ("session", "preparation", "correspondence", "event", "other")
HOURS_STATUSES = ("pending", "confirmed", "rejected")
#: Nobody volunteers more than a day in a day.
MAX_HOURS_PER_ENTRY = Decimal("24")


class HoursEntry(TimestampMixin, Base):
    """Time a staff member gave to the program on one day."""

    __tablename__ = "kit_hours_entry"
    __table_args__ = (
        CheckConstraint("hours > 0 AND hours <= 24", name="hours_range"),
        enum_check("category", HOURS_CATEGORIES),
        enum_check("status", HOURS_STATUSES),
        enum_check("confirmed_by_kind", ACTOR_KINDS),
        # One entry per person per session; entries without a session never collide (NULL).
        UniqueConstraint("session_id", "staff_id"),
        Index("ix_kit_hours_entry_staff_worked_on", "staff_id", "worked_on"),
        Index("ix_kit_hours_entry_worked_on", "worked_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("kit_staff_member.id", ondelete="RESTRICT"))
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_match.id", ondelete="SET NULL"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_session.id", ondelete="SET NULL")
    )
    worked_on: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    category: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_kind: Mapped[str | None] = mapped_column(String(20))
    #: Who confirmed or rejected the entry: a staff member's or a newcomer's id (see the kind).
    confirmed_by_id: Mapped[int | None]
    #: Why the newcomer or the coordinator rejected the entry.
    rejection_reason: Mapped[str | None] = mapped_column(Text)

    staff: Mapped[StaffMember] = relationship()
    match: Mapped[Match | None] = relationship()
    session: Mapped[MentoringSession | None] = relationship()
    revisions: Mapped[list[HoursRevision]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(HoursRevision.changed_at, HoursRevision.id)",
    )

    def __repr__(self) -> str:
        return f"<HoursEntry {self.id} {self.worked_on} {self.hours}h {self.status}>"


class HoursRevision(Base):
    """The values of an hours entry before one change, with who changed it."""

    __tablename__ = "kit_hours_revision"
    __table_args__ = (enum_check("actor_kind", ACTOR_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("kit_hours_entry.id", ondelete="CASCADE"), index=True
    )
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    worked_on: Mapped[date]
    category: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))

    entry: Mapped[HoursEntry] = relationship(back_populates="revisions")
