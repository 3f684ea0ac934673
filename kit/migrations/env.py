"""Alembic environment of the kit, used through :mod:`kit.migrations` (or the alembic CLI)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from kit.migrations import VERSION_TABLE, context_options
from kit.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    """Run the migrations on ``connection``."""
    context.configure(
        connection=connection, target_metadata=target_metadata, **context_options(connection)
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Write the SQL of the migrations instead of running them (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run on the connection handed over by :mod:`kit.migrations`, or on ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as own_connection:
            run_with(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
