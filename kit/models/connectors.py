"""The connector format (Halifax): introductions to colleagues made at 30-minute meetings.

A staff connector meets a newcomer (a ``connector_meeting`` session without a match) and
introduces at least three colleagues. Each introduction is a suggested connector meeting with
that colleague; when the colleague schedules it, ``follow_up_session_id`` names the new meeting,
whose own introductions continue the chain (``parent_id``, ``depth``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import Base, TimestampMixin, enum_check

if TYPE_CHECKING:
    from kit.models.newcomers import Newcomer
    from kit.models.people import StaffMember
    from kit.models.sessions import MentoringSession

INTRODUCTION_STATUSES = ("suggested", "scheduled", "met", "declined")


class ConnectorIntroduction(TimestampMixin, Base):
    """A colleague a connector introduced a newcomer to, and what became of it."""

    __tablename__ = "kit_connector_introduction"
    __table_args__ = (
        CheckConstraint(
            "colleague_staff_id IS NOT NULL"
            " OR (colleague_name IS NOT NULL AND colleague_email IS NOT NULL)",
            name="colleague",
        ),
        CheckConstraint("depth >= 1", name="depth"),
        enum_check("status", INTRODUCTION_STATUSES),
        Index("ix_kit_connector_introduction_colleague_email", "colleague_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"), index=True
    )
    #: The connector meeting at which the colleague was introduced.
    from_session_id: Mapped[int] = mapped_column(
        ForeignKey("kit_session.id", ondelete="CASCADE"), index=True
    )
    introduced_by_id: Mapped[int] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="RESTRICT"), index=True
    )
    #: The colleague from the directory; None for someone named by name and e-mail only
    #: (linked by e-mail when they schedule the meeting).
    colleague_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL"), index=True
    )
    colleague_name: Mapped[str | None] = mapped_column(String(200))
    #: Stored in lower case, so that a colleague signing in later finds their introductions.
    colleague_email: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="suggested")
    #: The connector meeting the colleague scheduled with the newcomer.
    follow_up_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_session.id", ondelete="SET NULL"), unique=True
    )
    #: The introduction whose meeting produced this one (None at the chain's first meeting).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_connector_introduction.id", ondelete="SET NULL"), index=True
    )
    #: 1 for introductions made at the first meeting, 2 at the meeting they led to, ...
    depth: Mapped[int] = mapped_column(default=1)

    newcomer: Mapped[Newcomer] = relationship()
    from_session: Mapped[MentoringSession] = relationship(foreign_keys=[from_session_id])
    follow_up_session: Mapped[MentoringSession | None] = relationship(
        foreign_keys=[follow_up_session_id]
    )
    introduced_by: Mapped[StaffMember] = relationship(foreign_keys=[introduced_by_id])
    colleague: Mapped[StaffMember | None] = relationship(foreign_keys=[colleague_staff_id])

    @property
    def colleague_display_name(self) -> str:
        """The colleague's name from the directory, else the name the connector typed."""
        if self.colleague is not None:
            return self.colleague.display_name
        return self.colleague_name or self.colleague_email or ""

    def __repr__(self) -> str:
        return f"<ConnectorIntroduction {self.id} newcomer={self.newcomer_id} {self.status}>"
