"""Settlement agencies that refer newcomers, and the caseworkers who sign in for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import LOCALES, Base, TimestampMixin, UTCDateTime, enum_check, utcnow


class Agency(TimestampMixin, Base):
    """A settlement agency (outside the employer) allowed to refer newcomers."""

    __tablename__ = "kit_agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    region: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    users: Mapped[list[AgencyUser]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Agency {self.id} {self.name!r}>"


class AgencyUser(TimestampMixin, Base):
    """A caseworker account of an agency; the password is set when the invitation is accepted."""

    __tablename__ = "kit_agency_user"
    __table_args__ = (enum_check("preferred_locale", LOCALES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("kit_agency.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    preferred_locale: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agency: Mapped[Agency] = relationship(back_populates="users")

    @property
    def has_accepted_invitation(self) -> bool:
        """Whether this caseworker has chosen a password (accepted the invitation)."""
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<AgencyUser {self.id} {self.email!r}>"


#: What an agency API key may do.
API_SCOPES = ("referrals:read", "referrals:write")


class AgencyApiKey(Base):
    """A key an agency's system uses on the API; only a hash of the secret is stored."""

    __tablename__ = "kit_agency_api_key"
    __table_args__ = (
        CheckConstraint("length(prefix) = 8", name="prefix_length"),
        Index("ix_kit_agency_api_key_agency", "agency_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("kit_agency.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    #: The key's first characters, shown in lists so that people can tell their keys apart.
    prefix: Mapped[str] = mapped_column(String(8), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agency: Mapped[Agency] = relationship()

    @property
    def is_active(self) -> bool:
        """Whether the key still opens the API."""
        return self.revoked_at is None
