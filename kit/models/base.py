"""The declarative base of the kit's models.

The kit's tables live in their own :class:`~sqlalchemy.MetaData` so that they can sit beside a
host application's tables in the host's database (every name starts with ``kit_``) while the
kit's migrations, with their own version table, never touch the host's schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Dialect, Engine, MetaData, event, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: Deterministic constraint names, so that migrations can name what they drop or alter.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TABLE_PREFIX = "kit_"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC: every stored timestamp is UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite forgets time zones; this type makes both databases behave like PostgreSQL's
    ``timestamptz`` and refuses naive datetimes, which are a bug waiting for a DST change.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every kit model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """``created_at`` and ``updated_at``, set by the database and by the ORM."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


#: Who did something: a staff member, an agency user or key, a newcomer by link, or a job.
ACTOR_KINDS = ("staff", "agency", "newcomer", "system")

#: The interface languages the kit ships.
LOCALES = ("en", "fr")


def in_values(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK that ``column`` holds one of ``values`` (NULL passes, as in SQL)."""
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"{column} IN ({quoted})"


def enum_check(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """A named CHECK constraint restricting ``column`` to ``values``."""
    return CheckConstraint(in_values(column, values), name=name or column)


def _sqlite_foreign_keys_on(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    """Make SQLite enforce foreign keys on every new connection of ``engine``.

    SQLite ignores ``FOREIGN KEY`` clauses unless each connection asks; other databases always
    enforce them, so this does nothing for them. Calling it twice is harmless.
    """
    if engine.dialect.name != "sqlite":
        return
    if not event.contains(engine, "connect", _sqlite_foreign_keys_on):
        event.listen(engine, "connect", _sqlite_foreign_keys_on)
