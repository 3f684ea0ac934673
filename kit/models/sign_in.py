"""Sign-in attempts, kept in the database so that limits hold across several app hosts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.models.base import Base, UTCDateTime, utcnow


class SignInAttempt(Base):
    """One attempt to sign in with a password: which account, from where, and whether it worked."""

    __tablename__ = "kit_sign_in_attempt"
    __table_args__ = (
        Index("ix_kit_sign_in_attempt_account", "account_key", "occurred_at"),
        Index("ix_kit_sign_in_attempt_address", "remote_addr", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A hash of the provider and the normalised user name: the log never stores what was typed.
    account_key: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool]


class UsedToken(Base):
    """A one-time value already spent (an OIDC state or nonce), shared by every app host."""

    __tablename__ = "kit_used_token"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
