"""Personal calendar feeds: a secret URL per person that calendar programs subscribe to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base, UTCDateTime, utcnow


class CalendarFeed(Base):
    """A subscription URL of a staff member or a newcomer; only a hash of its token is kept.

    Rotating revokes the current feed and makes a new one; at most one feed per person is live.
    """

    __tablename__ = "kit_calendar_feed"
    __table_args__ = (
        CheckConstraint(
            "(staff_id IS NOT NULL AND newcomer_id IS NULL)"
            " OR (staff_id IS NULL AND newcomer_id IS NOT NULL)",
            name="one_owner",
        ),
        Index("uq_kit_calendar_feed_live_staff", "staff_id", unique=True,
              postgresql_where=text("revoked_at IS NULL"),
              sqlite_where=text("revoked_at IS NULL")),
        Index("uq_kit_calendar_feed_live_newcomer", "newcomer_id", unique=True,
              postgresql_where=text("revoked_at IS NULL"),
              sqlite_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="CASCADE"))
    newcomer_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"))
    #: SHA-256 of the secret token (hex): a leaked database does not leak the feeds.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {'revoked' if self.revoked_at else 'live'}>"
