"""The kit's migrations build exactly the model's schema and never touch the host's tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit import migrations
from kit.models import (
    Base,
    Match,
    Newcomer,
    Occupation,
    OutboxMessage,
    StaffMember,
    VolunteerProfile,
)

KIT_TABLES = set(Base.metadata.tables)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A fresh, empty database on each engine (SQLite, then PostgreSQL)."""
    return empty_engine


@pytest.fixture
def host_tables(engine: Engine) -> Engine:
    """The host application's own tables and Alembic version table, with a row each."""
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE host_person (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(text("INSERT INTO host_person VALUES (1, 'Zoë')"))
        connection.execute(
            text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        )
        connection.execute(text("INSERT INTO alembic_version VALUES ('host0042')"))
    return engine


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def host_rows(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as connection:
        people = connection.execute(text("SELECT id, name FROM host_person")).all()
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [tuple(row) for row in people], [tuple(row) for row in versions]


def test_upgrade_builds_exactly_the_models_schema(engine: Engine) -> None:
    assert migrations.current(engine) is None
    migrations.upgrade(engine)
    assert migrations.current(engine) == migrations.head()
    assert table_names(engine) == KIT_TABLES | {migrations.VERSION_TABLE}
    assert migrations.check(engine) == []


def test_downgrade_to_base_leaves_no_kit_table(engine: Engine) -> None:
    migrations.upgrade(engine)
    migrations.downgrade(engine, "base")
    assert not {name for name in table_names(engine) if name.startswith("kit_")}
    assert migrations.current(engine) is None
    # And the schema can be built again from nothing.
    migrations.upgrade(engine)
    assert migrations.check(engine) == []


def test_host_tables_are_invisible_and_untouched(host_tables: Engine) -> None:
    engine = host_tables
    before = host_rows(engine)
    migrations.upgrade(engine)
    assert migrations.check(engine) == []
    assert host_rows(engine) == before
    migrations.downgrade(engine, "base")
    assert table_names(engine) == {"host_person", "alembic_version"}
    assert host_rows(engine) == before


def test_check_on_an_empty_database_lists_every_kit_table_and_nothing_else(
    host_tables: Engine,
) -> None:
    differences = migrations.check(host_tables)
    added = {table.name for kind, table in differences if kind == "add_table"}
    assert added == KIT_TABLES
    # The rest are the new tables' indexes; nothing mentions the host's tables.
    indexed = {index.table.name for kind, index in differences if kind == "add_index"}
    assert indexed <= KIT_TABLES
    assert len(differences) == len(added) + sum(kind == "add_index" for kind, _ in differences)


def test_check_notices_a_schema_that_drifted(engine: Engine) -> None:
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_kit_session_starts_at"))
    differences = migrations.check(engine)
    assert [(kind, index.name) for kind, index in differences] == [
        ("add_index", "ix_kit_session_starts_at")
    ]


def test_upgrade_joins_the_callers_transaction(engine: Engine) -> None:
    with engine.connect() as connection:
        migrations.upgrade(connection)
        assert migrations.current(connection) == migrations.head()
        connection.commit()
    assert migrations.current(engine) == migrations.head()


def test_migrated_schema_enforces_one_open_match_per_pair(engine: Engine) -> None:
    migrations.upgrade(engine)
    with Session(engine) as session:
        occupation = Occupation(code="21231", level="unit", title_en="Engineers", title_fr="Ing.")
        staff = StaffMember(directory_id="zoe", email="zoe@example.org", display_name="Zoë")
        volunteer = VolunteerProfile(staff=staff, noc_code="21231")
        newcomer = Newcomer(
            given_name="李小龙", email="li@example.net", immigration_status="protected_person"
        )
        session.add_all([occupation, volunteer, newcomer])
        session.flush()
        first = Match(volunteer=volunteer, newcomer=newcomer)
        session.add(first)
        session.commit()
        session.add(Match(volunteer=volunteer, newcomer=newcomer))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        first.status = "closed"
        session.add(Match(volunteer=volunteer, newcomer=newcomer))
        session.commit()
        assert session.get(Newcomer, newcomer.id).display_name == "李小龙"


def test_migrated_timestamps_keep_their_time_zone(engine: Engine) -> None:
    migrations.upgrade(engine)
    moment = datetime(2027, 10, 5, 13, 30, tzinfo=UTC)
    with Session(engine) as session:
        message = OutboxMessage(
            recipient="li@example.net", subject="Bienvenue", body_text="…", next_attempt_at=moment
        )
        session.add(message)
        session.commit()
        session.expire_all()
        assert message.next_attempt_at == moment
        assert message.next_attempt_at.tzinfo is UTC
