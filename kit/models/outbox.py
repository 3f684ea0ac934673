"""The outbox: email written in the same transaction as the change, sent afterwards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base, UTCDateTime, enum_check, utcnow

OUTBOX_STATUSES = ("pending", "sent", "failed")


class OutboxMessage(Base):
    """One email to one recipient, with its sending attempts."""

    __tablename__ = "kit_outbox_message"
    __table_args__ = (
        enum_check("status", OUTBOX_STATUSES),
        Index("ix_kit_outbox_message_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recipient: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: An iCalendar attachment (text/calendar) for session invitations and updates.
    ical: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set when the same message must never be queued twice (e.g. 'checkin:12:2027-10:mentor').
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status} to={self.recipient!r}>"
