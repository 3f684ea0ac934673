"""Reference data: the National Occupational Classification (NOC) 2021."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base

NOC_LEVELS = ("broad", "major", "submajor", "minor", "unit")


class Occupation(Base):
    """One NOC 2021 class at any level; codes are strings because leading zeros count."""

    __tablename__ = "kit_occupation"
    __table_args__ = (
        CheckConstraint("level IN ('broad', 'major', 'submajor', 'minor', 'unit')", name="level"),
        CheckConstraint("length(code) BETWEEN 1 AND 5", name="code_length"),
        CheckConstraint("teer IS NULL OR (teer BETWEEN 0 AND 5)", name="teer_range"),
        Index("ix_kit_occupation_level", "level"),
    )

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(
        String(5), ForeignKey("kit_occupation.code"), index=True
    )
    title_en: Mapped[str] = mapped_column(String(255))
    title_fr: Mapped[str] = mapped_column(String(255))
    teer: Mapped[int | None]

    def title(self, locale: str) -> str:
        """The title in ``locale`` ('fr' gives the French title, anything else English)."""
        return self.title_fr if locale == "fr" else self.title_en

    def __repr__(self) -> str:
        return f"<Occupation {self.code} {self.title_en!r}>"
