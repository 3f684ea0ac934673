"""What agency intake needs besides the referral itself: files, rules, API bookkeeping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base, UTCDateTime, enum_check, utcnow

DOCUMENT_KINDS = ("resume",)
#: The eligibility criteria the kit knows how to evaluate (defaults from the Ottawa program).
ELIGIBILITY_CRITERIA = ("immigration_status", "education_abroad", "language_level",
                        "residence", "job_search_workshop")


class NewcomerDocument(Base):
    """A file about a newcomer (a résumé), stored outside static files, served to the allowed."""

    __tablename__ = "kit_newcomer_document"
    __table_args__ = (
        enum_check("kind", DOCUMENT_KINDS),
        CheckConstraint("size > 0", name="size_positive"),
        Index("ix_kit_newcomer_document_newcomer", "newcomer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newcomer_id: Mapped[int] = mapped_column(ForeignKey("kit_newcomer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    #: Where the bytes live inside KIT_UPLOAD_FOLDER; never a path a user chose.
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EligibilityRule(Base):
    """A program admin's setting for one eligibility criterion."""

    __tablename__ = "kit_eligibility_rule"
    __table_args__ = (enum_check("criterion", ELIGIBILITY_CRITERIA),)

    criterion: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL"))


class IdempotencyRecord(Base):
    """The first answer to an API request with an ``Idempotency-Key``, replayed on retries."""

    __tablename__ = "kit_idempotency_record"
    __table_args__ = (Index("ix_kit_idempotency_record_created_at", "created_at"),)

    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("kit_agency_api_key.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiRateWindow(Base):
    """Requests one API key made in one window: the rate limit holds across app hosts."""

    __tablename__ = "kit_api_rate_window"

    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("kit_agency_api_key.id", ondelete="CASCADE"), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
