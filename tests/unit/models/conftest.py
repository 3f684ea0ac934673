"""A database with the kit's tables, for model tests (SQLite by default, ``--db`` to change)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from kit.models import (
    Base,
    MentoringSession,
    Newcomer,
    Occupation,
    SessionType,
    StaffMember,
    VolunteerProfile,
    enable_sqlite_foreign_keys,
)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh database holding every kit table."""
    engine = create_engine(db_url)
    enable_sqlite_foreign_keys(engine)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """An ORM session on the fresh database."""
    with Session(engine) as session:
        yield session


class Build:
    """Committed rows that most model tests need, with plausible values."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    def save(self, *objects: object) -> None:
        self.session.add_all(objects)
        self.session.commit()

    def occupation(self, code: str = "21231", title: str = "Software engineers") -> Occupation:
        found = self.session.get(Occupation, code)
        if found is not None:
            return found
        occupation = Occupation(code=code, level="unit", title_en=title, title_fr=title, teer=1)
        self.save(occupation)
        return occupation

    def staff(self, display_name: str = "Alex Tremblay") -> StaffMember:
        n = self._next()
        staff = StaffMember(
            directory_id=f"user{n}", email=f"user{n}@example.org", display_name=display_name
        )
        self.save(staff)
        return staff

    def volunteer(self, capacity: int = 2) -> VolunteerProfile:
        volunteer = VolunteerProfile(
            staff=self.staff(), noc_code=self.occupation().code, capacity=capacity
        )
        self.save(volunteer)
        return volunteer

    def newcomer(self, given_name: str = "Amina", family_name: str | None = "Haddad") -> Newcomer:
        n = self._next()
        newcomer = Newcomer(
            given_name=given_name,
            family_name=family_name,
            email=f"newcomer{n}@example.net",
            immigration_status="permanent_resident",
        )
        self.save(newcomer)
        return newcomer

    def session_type(self, code: str = "one_on_one") -> SessionType:
        session_type = SessionType(code=code, default_minutes=60)
        self.save(session_type)
        return session_type

    def mentoring_session(self, **values: object) -> MentoringSession:
        values.setdefault("session_type", self.session_type(f"type{self._next()}"))
        values.setdefault("organizer", self.staff())
        values.setdefault("starts_at", datetime(2027, 10, 5, 14, 0, tzinfo=UTC))
        values.setdefault("ends_at", datetime(2027, 10, 5, 15, 0, tzinfo=UTC))
        meeting = MentoringSession(**values)
        self.save(meeting)
        return meeting


@pytest.fixture
def build(session: Session) -> Build:
    """Helpers that create and commit rows in ``session``."""
    return Build(session)
