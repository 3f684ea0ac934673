"""A coordinator's standing rules for batch matching: pairs pinned together or kept apart."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import Base, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from kit.models.cohorts import Cohort
    from kit.models.newcomers import Newcomer
    from kit.models.people import StaffMember, VolunteerProfile

PAIR_RULE_KINDS = ("pin", "exclude")


class MatchPairRule(Base):
    """A pair the coordinator pinned (always assigned) or excluded (never proposed).

    One rule per pair: pinning an excluded pair replaces the exclusion. A pin may be limited to
    one cohort's batch; an exclusion holds everywhere (suggestions too).
    """

    __tablename__ = "kit_match_pair_rule"
    __table_args__ = (
        enum_check("kind", PAIR_RULE_KINDS),
        UniqueConstraint("volunteer_id", "newcomer_id", name="uq_kit_match_pair_rule_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_volunteer_profile.id", ondelete="CASCADE"), index=True
    )
    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_cohort.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    volunteer: Mapped[VolunteerProfile] = relationship()
    newcomer: Mapped[Newcomer] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    created_by: Mapped[StaffMember | None] = relationship()

    def __repr__(self) -> str:
        return f"<MatchPairRule {self.kind} {self.volunteer_id}-{self.newcomer_id}>"
