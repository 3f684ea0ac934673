"""The intranet's own data, which was here long before the mentoring program."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from northshore.extensions import db


class Branch(db.Model):
    """A branch of the credit union, known by its five-digit transit number."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    transit: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(20))
    opened_on: Mapped[date]

    announcements: Mapped[list[Announcement]] = relationship(back_populates="branch")

    @classmethod
    def by_transit(cls, transit: str) -> Branch | None:
        """The branch with this transit number, or None."""
        return db.session.scalar(select(cls).where(cls.transit == transit))


class Announcement(db.Model):
    """A notice to staff, for every branch or for one, written in English or in French."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date]
    language: Mapped[str] = mapped_column(String(2), default="en")
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))

    branch: Mapped[Branch | None] = relationship(back_populates="announcements")


def latest_announcements(limit: int = 5) -> list[Announcement]:
    """The newest announcements first."""
    query = select(Announcement).order_by(Announcement.published_on.desc(),
                                          Announcement.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def all_branches() -> list[Branch]:
    """Every branch, by city then name."""
    return list(db.session.scalars(select(Branch).order_by(Branch.city, Branch.name)))
