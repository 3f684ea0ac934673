"""Referrals of newcomers by agencies, their status history and eligibility results."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import ACTOR_KINDS, Base, TimestampMixin, UTCDateTime, enum_check, utcnow
from kit.models.history import StatusChangeMixin

if TYPE_CHECKING:
    from kit.models.agencies import Agency, AgencyUser
    from kit.models.cohorts import Cohort
    from kit.models.newcomers import Newcomer
    from kit.models.people import StaffMember

REFERRAL_STATUSES = ("draft", "submitted", "accepted", "referred_back", "withdrawn")
#: Statuses after which a referral no longer changes (except to be re-submitted as a new one).
REFERRAL_FINAL_STATUSES = ("accepted", "referred_back", "withdrawn")


class Referral(TimestampMixin, Base):
    """An agency's recommendation of one newcomer to the program."""

    __tablename__ = "kit_referral"
    __table_args__ = (
        enum_check("status", REFERRAL_STATUSES),
        Index("ix_kit_referral_agency_status", "agency_id", "status"),
        Index("ix_kit_referral_status_submitted", "status", "submitted_at"),
        # The queue's duplicate badge asks which referrals others duplicate: only those few.
        Index("ix_kit_referral_duplicate_of", "duplicate_of_id",
              postgresql_where=text("duplicate_of_id IS NOT NULL"),
              sqlite_where=text("duplicate_of_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="RESTRICT"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("kit_agency.id", ondelete="RESTRICT"))
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_agency_user.id", ondelete="SET NULL")
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_cohort.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    decision_note: Mapped[str | None] = mapped_column(Text)
    #: Codes of the reasons for referring back (e.g. ["clb_below_minimum"]); translated in code.
    reason_codes: Mapped[list[str] | None] = mapped_column(JSON)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_referral.id", ondelete="SET NULL")
    )

    newcomer: Mapped[Newcomer] = relationship(back_populates="referrals")
    agency: Mapped[Agency] = relationship()
    referred_by: Mapped[AgencyUser | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    decided_by: Mapped[StaffMember | None] = relationship()
    duplicate_of: Mapped[Referral | None] = relationship(remote_side=[id])
    status_changes: Mapped[list[ReferralStatusChange]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ReferralStatusChange.changed_at, ReferralStatusChange.id)",
    )
    eligibility_results: Mapped[list[EligibilityResult]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EligibilityResult.criterion",
    )

    @property
    def is_final(self) -> bool:
        """Whether a decision (or a withdrawal) has closed this referral."""
        return self.status in REFERRAL_FINAL_STATUSES

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.status}>"


class ReferralStatusChange(StatusChangeMixin, Base):
    """One step of a referral's history: who moved it from which status to which."""

    __tablename__ = "kit_referral_status_change"
    __table_args__ = (
        enum_check("from_status", REFERRAL_STATUSES),
        enum_check("to_status", REFERRAL_STATUSES),
        enum_check("actor_kind", ACTOR_KINDS),
    )

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("kit_referral.id", ondelete="CASCADE"), index=True
    )

    referral: Mapped[Referral] = relationship(back_populates="status_changes")


class EligibilityResult(Base):
    """The result of one eligibility criterion for one referral; ``passed`` None means unknown."""

    __tablename__ = "kit_eligibility_result"
    __table_args__ = (UniqueConstraint("referral_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("kit_referral.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(40))
    passed: Mapped[bool | None]
    detail: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="eligibility_results")
