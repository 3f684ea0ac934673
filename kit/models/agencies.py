"""Settlement agencies that refer newcomers, and the caseworkers who sign in for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import LOCALES, Base, TimestampMixin, UTCDateTime, enum_check


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
