"""Session types: the defaults exist on first use; administrators switch them and set lengths."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kit.models import SessionType
from kit.models.sessions import DEFAULT_SESSION_TYPES, SESSION_TYPE_CODES
from kit.scheduling.errors import SchedulingError
from kit.services.audit import Actor, record

#: Longest default length an administrator may set: a working day.
MAX_DEFAULT_MINUTES = 8 * 60


def ensure_session_types(db: Session) -> list[SessionType]:
    """Every session type, in the default order, creating the defaults that are missing."""
    existing = {t.code: t for t in db.scalars(select(SessionType))}
    missing = [{"code": code, "default_minutes": minutes, "is_group": is_group}
               for code, minutes, is_group in DEFAULT_SESSION_TYPES if code not in existing]
    if missing:
        dialect = db.get_bind().dialect.name
        if dialect in ("postgresql", "sqlite"):
            # Two first requests at once both find the table empty: the second inserts nothing.
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            db.execute(insert(SessionType).values(missing)
                       .on_conflict_do_nothing(index_elements=[SessionType.code]))
        else:  # pragma: no cover - the kit runs on PostgreSQL and SQLite
            db.add_all(SessionType(**row) for row in missing)
            db.flush()
        existing = {t.code: t for t in db.scalars(select(SessionType))}
    order = {code: index for index, code in enumerate(SESSION_TYPE_CODES)}
    return sorted(existing.values(), key=lambda t: (order.get(t.code, len(order)), t.code))


def active_types(db: Session, *, group: bool | None = None) -> list[SessionType]:
    """Types a mentor may choose now (``group``: only group events, or only the others)."""
    return [t for t in ensure_session_types(db)
            if t.is_active and (group is None or t.is_group == group)]


def update_session_type(db: Session, actor: Actor, code: str, *, is_active: bool,
                        default_minutes: int) -> SessionType:
    """Switch a type on or off and set its default length; ``not_found`` or ``invalid_duration``."""
    session_type = {t.code: t for t in ensure_session_types(db)}.get(code)
    if session_type is None:
        raise SchedulingError("not_found", f"no session type {code!r}")
    if not 0 < default_minutes <= MAX_DEFAULT_MINUTES:
        raise SchedulingError("invalid_duration", "a default length is 1 minute to 8 hours")
    before = {"is_active": session_type.is_active, "default_minutes": session_type.default_minutes}
    session_type.is_active = is_active
    session_type.default_minutes = default_minutes
    record(db, actor, "session_type.updated", "session_type", session_type.id,
           {"before": before, "after": {"is_active": is_active,
                                        "default_minutes": default_minutes}})
    db.flush()
    return session_type
