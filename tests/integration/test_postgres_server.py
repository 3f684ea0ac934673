"""The throwaway PostgreSQL server gives tests a real, writable database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from servers.postgres import PostgresServer

pytestmark = pytest.mark.postgres

TEXT = "Zoë Đặng — 日本語 — Ñandú — مرحبا — 🎉"


def _table() -> tuple[sa.MetaData, sa.Table]:
    metadata = sa.MetaData()
    table = sa.Table(
        "kit_probe",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    return metadata, table


def _write_and_read(url: str) -> list[str]:
    metadata, table = _table()
    engine = sa.create_engine(url)
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(table.insert(), [{"name": TEXT}, {"name": "second"}])
        with engine.connect() as conn:
            return list(conn.scalars(sa.select(table.c.name).order_by(table.c.id)))
    finally:
        engine.dispose()


def _read(url: str) -> list[str]:
    _, table = _table()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(sa.select(table.c.name).order_by(table.c.id)))
    finally:
        engine.dispose()


def test_fresh_database_is_real_postgres_and_stores_unicode(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert engine.dialect.name == "postgresql"
            assert conn.scalar(sa.text("SHOW server_encoding")) == "UTF8"
            assert conn.scalar(sa.text("SHOW listen_addresses")) == "127.0.0.1"
            tables = conn.scalar(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            )
            assert tables == 0
    finally:
        engine.dispose()

    assert _write_and_read(postgres_url) == [TEXT, "second"]


def test_each_test_gets_its_own_empty_database(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    assert postgres_url.startswith(
        f"postgresql+psycopg://kit@127.0.0.1:{postgres_server.port}/kit_test_"
    )
    assert _write_and_read(postgres_url) == [TEXT, "second"]

    other = postgres_server.create_database("kit_probe_other")
    try:
        with pytest.raises(sa.exc.ProgrammingError, match="kit_probe"):
            _read(other)
    finally:
        postgres_server.drop_database("kit_probe_other")

    with pytest.raises(sa.exc.OperationalError, match="does not exist"):
        _read(other)


def test_restart_keeps_data_and_cuts_open_connections(postgres_server: PostgresServer) -> None:
    # A private server, so cutting connections cannot disturb other tests
    # (the shared one is requested only for its skip-or-fail when PostgreSQL is missing).
    with PostgresServer() as server:
        url = server.create_database("kit_restart")
        assert _write_and_read(url) == [TEXT, "second"]
        port = server.port

        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT 1")) == 1
                server.restart()
                with pytest.raises(sa.exc.OperationalError):
                    conn.scalar(sa.text("SELECT 1"))
        finally:
            engine.dispose()

        assert server.running
        assert server.port == port
        assert _read(url) == [TEXT, "second"]

        server.halt()
        assert not server.running
        with pytest.raises(sa.exc.OperationalError):
            _read(url)
        server.start()
        assert _read(url) == [TEXT, "second"]
        data_dir = server.data_dir

    assert not server.running
    assert not data_dir.exists()
