"""Matches: a mentor and a newcomer in a mentoring agreement, and their status history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import (
    ACTOR_KINDS,
    Base,
    TimestampMixin,
    UTCDateTime,
    enum_check,
    in_values,
    utcnow,
)
from kit.models.history import StatusChangeMixin

if TYPE_CHECKING:
    from kit.models.checkins import CheckIn
    from kit.models.cohorts import Cohort
    from kit.models.newcomers import Newcomer
    from kit.models.people import StaffMember, VolunteerProfile
    from kit.models.sessions import MentoringSession

MATCH_STATUSES = ("proposed", "mentor_accepted", "active", "closed", "declined")
#: Statuses in which a match still holds the pair (and counts against the mentor's capacity).
MATCH_OPEN_STATUSES = ("proposed", "mentor_accepted", "active")
CLOSE_REASONS = ("completed", "ended_by_mentor", "ended_by_newcomer", "ended_by_coordinator")


class Match(TimestampMixin, Base):
    """A mentor and a newcomer: proposed, accepted by both, active, then closed (or declined)."""

    __tablename__ = "kit_match"
    __table_args__ = (
        enum_check("status", MATCH_STATUSES),
        enum_check("close_reason", CLOSE_REASONS),
        CheckConstraint("planned_end_on > started_on", name="planned_end"),
        CheckConstraint("target_hours > 0", name="target_hours"),
        # At most one open match per pair; closed and declined ones stay as history.
        Index(
            "uq_kit_match_open_pair",
            "volunteer_id",
            "newcomer_id",
            unique=True,
            postgresql_where=text(in_values("status", MATCH_OPEN_STATUSES)),
            sqlite_where=text(in_values("status", MATCH_OPEN_STATUSES)),
        ),
        Index("ix_kit_match_status", "status"),
        Index("ix_kit_match_volunteer_status", "volunteer_id", "status"),
        Index("ix_kit_match_newcomer_status", "newcomer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_cohort.id", ondelete="SET NULL"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_volunteer_profile.id", ondelete="RESTRICT")
    )
    newcomer_id: Mapped[int] = mapped_column(ForeignKey("kit_newcomer.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    score: Mapped[float | None]
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    mentor_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    newcomer_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    started_on: Mapped[date | None]
    planned_end_on: Mapped[date | None]
    target_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    goals: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[str | None] = mapped_column(String(30))

    cohort: Mapped[Cohort | None] = relationship()
    volunteer: Mapped[VolunteerProfile] = relationship()
    newcomer: Mapped[Newcomer] = relationship()
    proposed_by: Mapped[StaffMember | None] = relationship()
    status_changes: Mapped[list[MatchStatusChange]] = relationship(
        back_populates="match",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(MatchStatusChange.changed_at, MatchStatusChange.id)",
    )
    sessions: Mapped[list[MentoringSession]] = relationship(
        back_populates="match", order_by="MentoringSession.starts_at"
    )
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="match",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(CheckIn.period_start, CheckIn.respondent)",
    )

    @property
    def is_open(self) -> bool:
        """Whether the match still holds the pair (proposed, accepted or active)."""
        return self.status in MATCH_OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Match {self.id} {self.status}>"


class MatchStatusChange(StatusChangeMixin, Base):
    """One step of a match's history: who moved it from which status to which."""

    __tablename__ = "kit_match_status_change"
    __table_args__ = (
        enum_check("from_status", MATCH_STATUSES),
        enum_check("to_status", MATCH_STATUSES),
        enum_check("actor_kind", ACTOR_KINDS),
    )

    match_id: Mapped[int] = mapped_column(
        ForeignKey("kit_match.id", ondelete="CASCADE"), index=True
    )

    match: Mapped[Match] = relationship(back_populates="status_changes")
