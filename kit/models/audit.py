"""The audit trail: one event per thing a person (or a job) did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what to which record, when, and from where. Rows are never updated."""

    __tablename__ = "kit_audit_event"
    __table_args__ = (
        Index("ix_kit_audit_event_subject", "subject_type", "subject_id"),
        Index("ix_kit_audit_event_action", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    #: Dotted name such as 'referral.accepted'.
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: IPv4 or IPv6 address of the request, when there was one.
    remote_addr: Mapped[str | None] = mapped_column(String(45))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.subject_type}:{self.subject_id}>"
