"""Program cycles ("Fall 2027": four months, 24 hours per match)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, String, true
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base

DEFAULT_TARGET_HOURS = Decimal("24")


class Cohort(Base):
    """A program cycle with dates and the hours each match aims for."""

    __tablename__ = "kit_cohort"
    __table_args__ = (
        CheckConstraint("ends_on > starts_on", name="dates"),
        CheckConstraint("target_hours > 0", name="target_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    target_hours: Mapped[Decimal] = mapped_column(
        Numeric(6, 2), default=DEFAULT_TARGET_HOURS, server_default="24"
    )
    is_open: Mapped[bool] = mapped_column(default=True, server_default=true())

    def includes(self, day: date) -> bool:
        """Whether ``day`` falls within the cycle (both ends included)."""
        return self.starts_on <= day <= self.ends_on

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"
