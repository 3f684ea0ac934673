"""Newcomers (mentees), the languages they speak and their personal sign-in links."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.models.base import LOCALES, Base, TimestampMixin, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from kit.models.occupations import Occupation
    from kit.models.people import AvailabilityWindow
    from kit.models.referrals import Referral

IMMIGRATION_STATUSES = (
    "permanent_resident",
    "convention_refugee",
    "protected_person",
    "citizen",
    "work_permit",
    "other",
)
#: Canadian Language Benchmarks (English) and Niveaux de compétence linguistique canadiens.
LANGUAGE_TESTS = ("CLB", "NCLC")
CLB_SKILLS = ("listening", "speaking", "reading", "writing")
LINK_PURPOSES = ("portal",)


class Newcomer(TimestampMixin, Base):
    """A skilled immigrant referred to the program; has no employer account."""

    __tablename__ = "kit_newcomer"
    __table_args__ = (
        enum_check("preferred_locale", LOCALES),
        enum_check("immigration_status", IMMIGRATION_STATUSES),
        enum_check("language_test", LANGUAGE_TESTS),
        CheckConstraint("years_experience >= 0", name="years_experience"),
        *(
            CheckConstraint(f"clb_{skill} BETWEEN 1 AND 12", name=f"clb_{skill}")
            for skill in CLB_SKILLS
        ),
        # Lists leave erased people out with an anti-join: the index holds only the erased.
        Index("ix_kit_newcomer_erased", "id", postgresql_where=text("erased_at IS NOT NULL"),
              sqlite_where=text("erased_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    #: Some people have a single name.
    family_name: Mapped[str | None] = mapped_column(String(200))
    preferred_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(40), index=True)
    birth_date: Mapped[date | None]
    preferred_locale: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    immigration_status: Mapped[str] = mapped_column(String(30))
    #: ISO 3166-1 alpha-2 code of the country where the highest credential was earned.
    country_of_education: Mapped[str | None] = mapped_column(String(2))
    highest_credential: Mapped[str | None] = mapped_column(String(200))
    target_noc_code: Mapped[str | None] = mapped_column(
        String(5), ForeignKey("kit_occupation.code", ondelete="SET NULL"), index=True
    )
    years_experience: Mapped[int | None]
    naics_sector: Mapped[str | None] = mapped_column(String(5))
    career_goal: Mapped[str] = mapped_column(Text, default="")
    residence_area: Mapped[str | None] = mapped_column(String(100))
    language_test: Mapped[str | None] = mapped_column(String(4))
    clb_listening: Mapped[int | None]
    clb_speaking: Mapped[int | None]
    clb_reading: Mapped[int | None]
    clb_writing: Mapped[int | None]
    job_search_workshop_completed: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    availability_note: Mapped[str | None] = mapped_column(String(500))
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    target_occupation: Mapped[Occupation | None] = relationship()
    languages: Mapped[list[NewcomerLanguage]] = relationship(
        back_populates="newcomer", cascade="all, delete-orphan", passive_deletes=True
    )
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="newcomer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(AvailabilityWindow.weekday, AvailabilityWindow.start_minute)",
    )
    links: Mapped[list[NewcomerLink]] = relationship(
        back_populates="newcomer", cascade="all, delete-orphan", passive_deletes=True
    )
    referrals: Mapped[list[Referral]] = relationship(back_populates="newcomer")

    @property
    def full_name(self) -> str:
        """Given and family name, or the single name when there is no family name."""
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def display_name(self) -> str:
        """The name to show: the preferred name when given, else the full name."""
        return self.name_of(self.preferred_name, self.given_name, self.family_name)

    @staticmethod
    def name_of(preferred_name: str | None, given_name: str, family_name: str | None) -> str:
        """``display_name`` from the three name columns, for lists that read rows, not objects."""
        return preferred_name or " ".join(part for part in (given_name, family_name) if part)

    @property
    def clb_levels(self) -> dict[str, int | None]:
        """The language-test level per skill ('listening', 'speaking', 'reading', 'writing')."""
        return {skill: getattr(self, f"clb_{skill}") for skill in CLB_SKILLS}

    @property
    def is_erased(self) -> bool:
        """Whether this person's personal data has been erased on request."""
        return self.erased_at is not None

    @property
    def language_codes(self) -> list[str]:
        """The ISO 639-1 codes of the languages this newcomer speaks, sorted."""
        return sorted(language.language for language in self.languages)

    def __repr__(self) -> str:
        return f"<Newcomer {self.id}>"


class NewcomerLanguage(Base):
    """A language a newcomer speaks (ISO 639-1 code)."""

    __tablename__ = "kit_newcomer_language"

    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)

    newcomer: Mapped[Newcomer] = relationship(back_populates="languages")


class NewcomerLink(Base):
    """A personal, expiring sign-in link sent to a newcomer by email; it can be revoked."""

    __tablename__ = "kit_newcomer_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("kit_newcomer.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20), default="portal")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    newcomer: Mapped[Newcomer] = relationship(back_populates="links")

    def is_usable(self, now: datetime | None = None) -> bool:
        """Whether the link still opens the portal: not revoked and not expired at ``now``."""
        moment = now or utcnow()
        return self.revoked_at is None and moment < self.expires_at

    def __repr__(self) -> str:
        return f"<NewcomerLink {self.id} newcomer={self.newcomer_id}>"
