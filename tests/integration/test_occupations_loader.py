"""Loading NOC 2021 into kit_occupation on a real SQLite file with foreign keys enforced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from kit.models.base import Base
from kit.models.occupations import Occupation
from kit.services.occupations import load_occupations


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'kit.sqlite'}")

    @event.listens_for(engine, "connect")
    def enforce_foreign_keys(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Occupation))


def test_load_inserts_every_class(engine):
    with Session(engine) as session:
        assert load_occupations(session) == 822
    with Session(engine) as session:
        assert count(session) == 822
        rows = session.execute(
            select(Occupation.level, func.count()).group_by(Occupation.level)
        ).all()
        levels = {level: n for level, n in rows}
        assert levels == {"broad": 10, "major": 45, "submajor": 89, "minor": 162, "unit": 516}


def test_foreign_keys_are_enforced_by_the_test_database(engine):
    with Session(engine) as session:
        orphan = Occupation(code="99", level="major", parent_code="9", title_en="x", title_fr="x")
        session.add(orphan)
        with pytest.raises(IntegrityError):
            session.flush()


def test_load_twice_keeps_822_rows_and_updates_titles(engine):
    with Session(engine) as session:
        load_occupations(session)
    with Session(engine) as session:
        civil = session.get(Occupation, "21300")
        civil.title_en = "Out of date title"
        civil.teer = 5
        session.commit()
    with Session(engine) as session:
        assert load_occupations(session) == 822
    with Session(engine) as session:
        assert count(session) == 822
        civil = session.get(Occupation, "21300")
        assert civil.title_en == "Civil engineers"
        assert civil.teer == 1


def test_every_parent_exists_and_codes_keep_their_zeros(engine):
    with Session(engine) as session:
        load_occupations(session)
        load_occupations(session)
    with Session(engine) as session:
        parent = aliased(Occupation)
        orphans = session.scalars(
            select(Occupation.code)
            .outerjoin(parent, Occupation.parent_code == parent.code)
            .where(Occupation.parent_code.is_not(None), parent.code.is_(None))
        ).all()
        assert orphans == []
        roots = session.scalars(select(Occupation.code).where(Occupation.parent_code.is_(None)))
        assert sorted(roots) == [str(n) for n in range(10)]
        legislators = session.get(Occupation, "00010")
        assert legislators.parent_code == "0001"
        assert legislators.level == "unit"


def test_titles_in_both_languages(engine):
    with Session(engine) as session:
        load_occupations(session)
    with Session(engine) as session:
        civil = session.get(Occupation, "21300")
        assert civil.title("en") == "Civil engineers"
        assert civil.title("fr") == "Ingénieurs civils/ingénieures civiles"
        data = session.get(Occupation, "21211")
        assert data.title_fr == "Scientifiques des données"
        assert session.get(Occupation, "213").teer is None
