"""The kit's schema migrations, run from code: no ``alembic.ini`` is needed.

The kit keeps its own version table (``kit_alembic_version``) and sees only ``kit_`` tables, so
it can share a database with a host application that runs its own Alembic migrations.

Each function takes an :class:`~sqlalchemy.engine.Engine` or a
:class:`~sqlalchemy.engine.Connection`. Given an Engine, the work runs in its own transaction and
is committed; given a Connection, the work joins that connection's transaction and the caller
commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table

from kit.models.base import TABLE_PREFIX, UTCDateTime

VERSION_TABLE = "kit_alembic_version"
MIGRATIONS_DIR = Path(__file__).resolve().parent

Connectable = Engine | Connection


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Reflect only the kit's tables; the host's tables stay invisible to the kit."""
    if type_ == "table":
        return name is not None and name.startswith(TABLE_PREFIX) and name != VERSION_TABLE
    return True


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Compare only objects of the kit's tables (a safety net behind :func:`include_name`)."""
    if type_ == "table":
        return include_name(name, type_, {})
    table = getattr(obj, "table", None)
    if table is not None:
        return include_name(table.name, "table", {})
    return True


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write :class:`UTCDateTime` into migration files as ``sa.DateTime(timezone=True)``.

    Migration files must not import model code, which keeps changing after they are written.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def context_options(connection: Connection) -> dict[str, Any]:
    """The options every migration context of the kit is configured with."""
    return {
        "version_table": VERSION_TABLE,
        "include_name": include_name,
        "include_object": include_object,
        "compare_type": True,
        "render_item": render_item,
        "render_as_batch": connection.dialect.name == "sqlite",
    }


def make_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the kit's migrations, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def _connection(connectable: Connectable) -> Iterator[Connection]:
    if isinstance(connectable, Connection):
        yield connectable
        return
    if connectable.dialect.name != "sqlite":
        with connectable.begin() as connection:
            yield connection
        return
    # SQLite alters a table by copying it (Alembic's batch mode): with foreign keys enforced,
    # dropping the old copy of a table other rows point to fails. The pragma only takes effect
    # outside a transaction, so it is set around it, then the keys are checked at the end.
    with connectable.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left broken foreign keys: {broken[:5]}")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def upgrade(connectable: Connectable, revision: str = "head") -> None:
    """Upgrade the kit's tables to ``revision`` (the newest by default)."""
    with _connection(connectable) as connection:
        command.upgrade(make_config(connection), revision)


def downgrade(connectable: Connectable, revision: str) -> None:
    """Downgrade the kit's tables to ``revision``.

    'base' removes every kit table, the version table included: the kit leaves no trace.
    """
    with _connection(connectable) as connection:
        command.downgrade(make_config(connection), revision)
        if revision == "base":
            Table(VERSION_TABLE, MetaData()).drop(connection, checkfirst=True)


def current(connectable: Connectable) -> str | None:
    """The revision the database is at, or None when the kit's tables were never created."""
    with _connection(connectable) as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def head() -> str | None:
    """The newest revision shipped with this version of the kit."""
    return ScriptDirectory.from_config(make_config()).get_current_head()


def make_revision(connectable: Connectable, message: str, rev_id: str | None = None) -> None:
    """Write a new revision file comparing the models with the database (for kit developers).

    Point it at a database upgraded to head; review the generated file before committing it.
    """
    with _connection(connectable) as connection:
        command.revision(make_config(connection), message=message, autogenerate=True, rev_id=rev_id)


def check(connectable: Connectable) -> list[Any]:
    """Differences between the database's kit tables and the models; empty when in step.

    Each difference is an Alembic autogenerate diff tuple such as
    ``("add_table", Table(...))`` or ``[("modify_nullable", ...)]``.
    """
    from kit.models import Base

    with _connection(connectable) as connection:
        context = MigrationContext.configure(connection, opts=context_options(connection))
        return list(compare_metadata(context, Base.metadata))
