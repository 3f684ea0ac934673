"""Monthly check-ins: the feedback of mentor and newcomer on how the match is going."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from kit.models.base import Base, UTCDateTime, enum_check

if TYPE_CHECKING:
    from kit.models.matches import Match

CHECK_IN_RESPONDENTS = ("mentor", "newcomer")


class CheckIn(Base):
    """One respondent's answer for one month of one match."""

    __tablename__ = "kit_check_in"
    __table_args__ = (
        enum_check("respondent", CHECK_IN_RESPONDENTS),
        CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction"),
        UniqueConstraint("match_id", "respondent", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("kit_match.id", ondelete="CASCADE"))
    respondent: Mapped[str] = mapped_column(String(10))
    #: The first day of the month the check-in is about.
    period_start: Mapped[date] = mapped_column(index=True)
    satisfaction: Mapped[int | None]
    went_well: Mapped[str | None] = mapped_column(Text)
    concerns: Mapped[str | None] = mapped_column(Text)
    #: Answers to the program's extra questions (KIT_CHECKIN_QUESTIONS), by question key.
    answers: Mapped[dict[str, object] | None] = mapped_column(JSON)
    has_concern: Mapped[bool] = mapped_column(default=False, server_default=false())
    concern_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    concern_resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    match: Mapped[Match] = relationship(back_populates="check_ins")

    @validates("period_start")
    def _first_of_month(self, _key: str, value: date) -> date:
        if value is not None and value.day != 1:
            raise ValueError("period_start must be the first day of a month")
        return value

    @property
    def is_answered(self) -> bool:
        """Whether the respondent has answered."""
        return self.answered_at is not None

    def __repr__(self) -> str:
        return f"<CheckIn {self.id} match={self.match_id} {self.respondent} {self.period_start}>"
