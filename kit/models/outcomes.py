"""Employment outcomes of newcomers at the close of a match and 3, 6 and 12 months after."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import ACTOR_KINDS, Base, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from kit.models.matches import Match
    from kit.models.newcomers import Newcomer
    from kit.models.occupations import Occupation

#: When an outcome is recorded: at close, then months after close.
OUTCOME_INTERVALS = ("close", "3m", "6m", "12m")
OUTCOME_STATUSES = (
    "employed_in_field",
    "employed_related",
    "employed_outside",
    "in_school",
    "searching",
    "unknown",
)


class Outcome(Base):
    """A newcomer's employment status at one interval."""

    __tablename__ = "kit_outcome"
    __table_args__ = (
        # "interval" is a keyword in PostgreSQL: quote it in raw SQL.
        enum_check('"interval"', OUTCOME_INTERVALS, name="interval"),
        enum_check("status", OUTCOME_STATUSES),
        enum_check("actor_kind", ACTOR_KINDS),
        UniqueConstraint("newcomer_id", "match_id", "interval"),
        Index("ix_kit_outcome_interval_status", "interval", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newcomer_id: Mapped[int] = mapped_column(ForeignKey("kit_newcomer.id", ondelete="CASCADE"))
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_match.id", ondelete="SET NULL"), index=True
    )
    interval: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(30))
    employed_since: Mapped[date | None]
    noc_code: Mapped[str | None] = mapped_column(
        String(5), ForeignKey("kit_occupation.code", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))

    newcomer: Mapped[Newcomer] = relationship()
    match: Mapped[Match | None] = relationship()
    occupation: Mapped[Occupation | None] = relationship()

    def __repr__(self) -> str:
        return f"<Outcome {self.id} {self.interval} {self.status}>"
